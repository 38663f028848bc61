// SOCKS 4 and its 4A extension (CONNECT only): the request builder and the reply parser.
// SOCKS4 carries an IPv4 address only; 4A sends the host name for the proxy to resolve.
#pragma once

#include "proxyreply.h"

#include <QByteArray>
#include <QByteArrayView>

namespace ssmtp::transport::socks4 {

constexpr qsizetype ReplyLength = 8;
constexpr int Granted = 90;

// CONNECT to ipv4:port. Empty when userId contains a NUL octet.
QByteArray connectRequest(quint32 ipv4, quint16 port, const QByteArray &userId);
// SOCKS4A CONNECT by name (DSTIP 0.0.0.1, the name after the user id). Empty when the name
// is empty, longer than 255 octets, or either field contains a NUL octet.
QByteArray connectRequestByName(const QByteArray &host, quint16 port, const QByteArray &userId);
// The 8-octet reply: Success (code 90), Refused (code 91-93 or any other), Malformed (version
// octet other than 0 or 4), or Incomplete.
ProxyReply parseReply(QByteArrayView data);
// The meaning of a reply code, for messages.
QString replyCodeText(int code);

} // namespace ssmtp::transport::socks4
