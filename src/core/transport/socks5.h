// SOCKS 5 (RFC 1928, CONNECT only) with user name/password authentication (RFC 1929): the
// request builders and the reply parsers of each handshake step.
#pragma once

#include "proxyreply.h"

#include <QByteArray>
#include <QByteArrayView>

QT_BEGIN_NAMESPACE
class QHostAddress;
QT_END_NAMESPACE

namespace ssmtp::transport::socks5 {

constexpr int MethodNone = 0x00;
constexpr int MethodPassword = 0x02;
constexpr int MethodNoneAcceptable = 0xFF;

// Method negotiation: "no authentication", plus "user name/password" when offerPassword.
QByteArray greeting(bool offerPassword);
// The server's method choice (2 octets): Success with code = the method, Refused when it
// accepts none of ours (0xFF), Malformed for another version or a method we did not offer.
ProxyReply parseMethodReply(QByteArrayView data, bool offeredPassword);

// RFC 1929 request. Empty when user or password is longer than 255 octets or user is empty.
QByteArray passwordRequest(const QByteArray &user, const QByteArray &password);
// RFC 1929 status (2 octets): Success when the status is 0, else Refused.
ProxyReply parsePasswordReply(QByteArrayView data);

// CONNECT to an IPv4 or IPv6 address. Empty for a null address.
QByteArray connectRequest(const QHostAddress &address, quint16 port);
// CONNECT by name (ATYP 3). Empty when the name is empty or longer than 255 octets.
QByteArray connectRequestByName(const QByteArray &host, quint16 port);
// The CONNECT reply with its bound address (IPv4, IPv6 or a domain name): Success with the
// reply's whole length, Refused with REP and its meaning, Malformed for a wrong version or
// address type.
ProxyReply parseConnectReply(QByteArrayView data);
// The meaning of a REP code, for messages.
QString replyCodeText(int code);

} // namespace ssmtp::transport::socks5
