#include "socks5.h"

#include <QCoreApplication>
#include <QHostAddress>
#include <QtEndian>

namespace ssmtp::transport::socks5 {

namespace {

constexpr char Version = 5;
constexpr int AtypIPv4 = 1;
constexpr int AtypDomain = 3;
constexpr int AtypIPv6 = 4;

quint8 octet(QByteArrayView data, qsizetype i)
{
    return static_cast<quint8>(data.at(i));
}

QByteArray connectHeader(int atyp)
{
    QByteArray out;
    out += Version;
    out += char(1); // CMD: CONNECT
    out += char(0); // RSV
    out += char(atyp);
    return out;
}

QByteArray portOctets(quint16 port)
{
    QByteArray out(2, '\0');
    qToBigEndian(port, out.data());
    return out;
}

} // namespace

QByteArray greeting(bool offerPassword)
{
    QByteArray out;
    out += Version;
    if (offerPassword) {
        out += char(2);
        out += char(MethodNone);
        out += char(MethodPassword);
    } else {
        out += char(1);
        out += char(MethodNone);
    }
    return out;
}

ProxyReply parseMethodReply(QByteArrayView data, bool offeredPassword)
{
    if (data.size() < 2)
        return ProxyReply::incomplete();
    if (octet(data, 0) != Version) {
        return ProxyReply::malformed(
            QCoreApplication::translate("Ssmtp", "reply version %1 instead of 5")
                .arg(octet(data, 0)));
    }
    const int method = octet(data, 1);
    if (method == MethodNone || (method == MethodPassword && offeredPassword))
        return ProxyReply::success(2, method);
    if (method == MethodNoneAcceptable) {
        return ProxyReply::refused(
            method,
            offeredPassword
                ? QCoreApplication::translate(
                      "Ssmtp", "it accepts neither no authentication nor user name/password")
                : QCoreApplication::translate(
                      "Ssmtp", "it requires authentication; set the firewall's user and "
                               "password"));
    }
    return ProxyReply::malformed(
        QCoreApplication::translate("Ssmtp",
                                    "it chose authentication method %1, which was not offered")
            .arg(method));
}

QByteArray passwordRequest(const QByteArray &user, const QByteArray &password)
{
    if (user.isEmpty() || user.size() > 255 || password.size() > 255)
        return {};
    QByteArray out;
    out += char(1); // sub-negotiation version
    out += char(user.size());
    out += user;
    out += char(password.size());
    out += password;
    return out;
}

ProxyReply parsePasswordReply(QByteArrayView data)
{
    if (data.size() < 2)
        return ProxyReply::incomplete();
    // RFC 1929 says version 1; some servers answer with 5. Only the status matters.
    const int status = octet(data, 1);
    if (status == 0)
        return ProxyReply::success(2);
    return ProxyReply::refused(
        status,
        QCoreApplication::translate("Ssmtp", "it did not accept the user name and password"));
}

QByteArray connectRequest(const QHostAddress &address, quint16 port)
{
    QByteArray out;
    bool isV4 = false;
    const quint32 v4 = address.toIPv4Address(&isV4);
    if (isV4) {
        out = connectHeader(AtypIPv4);
        QByteArray a(4, '\0');
        qToBigEndian(v4, a.data());
        out += a;
    } else if (address.protocol() == QAbstractSocket::IPv6Protocol) {
        out = connectHeader(AtypIPv6);
        const Q_IPV6ADDR v6 = address.toIPv6Address();
        out += QByteArray(reinterpret_cast<const char *>(v6.c), 16);
    } else {
        return {};
    }
    return out + portOctets(port);
}

QByteArray connectRequestByName(const QByteArray &host, quint16 port)
{
    if (host.isEmpty() || host.size() > 255)
        return {};
    QByteArray out = connectHeader(AtypDomain);
    out += char(host.size());
    out += host;
    return out + portOctets(port);
}

ProxyReply parseConnectReply(QByteArrayView data)
{
    if (data.size() < 2)
        return ProxyReply::incomplete();
    if (octet(data, 0) != Version) {
        return ProxyReply::malformed(
            QCoreApplication::translate("Ssmtp", "reply version %1 instead of 5")
                .arg(octet(data, 0)));
    }
    const int rep = octet(data, 1);
    if (rep != 0)
        return ProxyReply::refused(rep,
                                   replyCodeText(rep)); // the connection ends: no need to read on
    if (data.size() < 5)
        return ProxyReply::incomplete();
    qsizetype addressLength = 0;
    const int atyp = octet(data, 3);
    switch (atyp) {
    case AtypIPv4:
        addressLength = 4;
        break;
    case AtypIPv6:
        addressLength = 16;
        break;
    case AtypDomain:
        addressLength = 1 + octet(data, 4);
        break;
    default:
        return ProxyReply::malformed(
            QCoreApplication::translate("Ssmtp", "unknown address type %1 in its reply").arg(atyp));
    }
    const qsizetype length = 4 + addressLength + 2;
    if (data.size() < length)
        return ProxyReply::incomplete();
    ProxyReply reply = ProxyReply::success(length, rep);
    const QByteArrayView address = data.sliced(4, addressLength);
    if (atyp == AtypIPv4) {
        reply.bound = QHostAddress(qFromBigEndian<quint32>(address.data())).toString().toLatin1();
    } else if (atyp == AtypIPv6) {
        reply.bound =
            QHostAddress(reinterpret_cast<const quint8 *>(address.data())).toString().toLatin1();
    } else {
        reply.bound = address.sliced(1).toByteArray();
    }
    reply.boundPort = qFromBigEndian<quint16>(data.data() + 4 + addressLength);
    return reply;
}

QString replyCodeText(int code)
{
    switch (code) {
    case 0:
        return QCoreApplication::translate("Ssmtp", "succeeded");
    case 1:
        return QCoreApplication::translate("Ssmtp", "general SOCKS server failure");
    case 2:
        return QCoreApplication::translate("Ssmtp", "connection not allowed by ruleset");
    case 3:
        return QCoreApplication::translate("Ssmtp", "network unreachable");
    case 4:
        return QCoreApplication::translate("Ssmtp", "host unreachable");
    case 5:
        return QCoreApplication::translate("Ssmtp", "connection refused");
    case 6:
        return QCoreApplication::translate("Ssmtp", "TTL expired");
    case 7:
        return QCoreApplication::translate("Ssmtp", "command not supported");
    case 8:
        return QCoreApplication::translate("Ssmtp", "address type not supported");
    default:
        return QCoreApplication::translate("Ssmtp", "unknown reply code");
    }
}

} // namespace ssmtp::transport::socks5
