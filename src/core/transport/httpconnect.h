// HTTP CONNECT tunnels (RFC 9110 9.3.6): the request builder and a bounded parser of the
// proxy's response header.
#pragma once

#include "proxyreply.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

namespace ssmtp::transport::httpconnect {

// The response header may not be longer than this: a proxy that never ends its header fails
// instead of filling memory.
constexpr qsizetype MaxResponseHeader = 16 * 1024;

// "CONNECT host:port HTTP/1.1" with Host, Basic credentials when user is set (unless
// extraHeaders brings its own Proxy-Authorization), and extraHeaders ("Name: value\r\n"
// lines, the FirewallData setting) before the blank line.
QByteArray request(const QString &host, quint16 port, const QString &user, const QString &password,
                   const QByteArray &extraHeaders);
// Success (any 2xx; length = the header with its blank line), Refused (code = the status,
// text = "<status> <reason>"), Malformed (not HTTP, or no end of header within
// MaxResponseHeader octets), or Incomplete.
ProxyReply parseResponse(QByteArrayView data);

// FirewallData as header lines: splits at CR/LF, drops empty lines, and checks each is
// "Name: value" with a valid field name. Returns the lines each ending in CRLF, or sets
// *error and returns an empty array.
QByteArray normaliseExtraHeaders(const QString &data, QString *error);

} // namespace ssmtp::transport::httpconnect
