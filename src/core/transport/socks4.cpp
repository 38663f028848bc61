#include "socks4.h"

#include <QCoreApplication>
#include <QtEndian>

namespace ssmtp::transport::socks4 {

namespace {

QByteArray header(quint16 port, quint32 ipv4)
{
    QByteArray out(8, '\0');
    out[0] = 4; // VN
    out[1] = 1; // CD: CONNECT
    qToBigEndian(port, out.data() + 2);
    qToBigEndian(ipv4, out.data() + 4);
    return out;
}

} // namespace

QByteArray connectRequest(quint32 ipv4, quint16 port, const QByteArray &userId)
{
    if (userId.contains('\0'))
        return {};
    return header(port, ipv4) + userId + '\0';
}

QByteArray connectRequestByName(const QByteArray &host, quint16 port, const QByteArray &userId)
{
    if (host.isEmpty() || host.size() > 255 || host.contains('\0') || userId.contains('\0'))
        return {};
    // 0.0.0.x with x != 0 tells a 4A server that the name follows the user id.
    return header(port, 1) + userId + '\0' + host + '\0';
}

ProxyReply parseReply(QByteArrayView data)
{
    if (data.size() < ReplyLength)
        return ProxyReply::incomplete();
    const auto version = static_cast<unsigned char>(data.at(0));
    // The protocol says 0; some servers echo the request's 4.
    if (version != 0 && version != 4) {
        return ProxyReply::malformed(
            QCoreApplication::translate("Ssmtp", "reply version %1 instead of 0").arg(version));
    }
    const int code = static_cast<unsigned char>(data.at(1));
    if (code == Granted)
        return ProxyReply::success(ReplyLength, code);
    return ProxyReply::refused(code, replyCodeText(code));
}

QString replyCodeText(int code)
{
    switch (code) {
    case 90:
        return QCoreApplication::translate("Ssmtp", "request granted");
    case 91:
        return QCoreApplication::translate("Ssmtp", "request rejected or failed");
    case 92:
        return QCoreApplication::translate(
            "Ssmtp", "request rejected because the proxy cannot reach identd on the client");
    case 93:
        return QCoreApplication::translate(
            "Ssmtp", "request rejected because identd reports a different user id");
    default:
        return QCoreApplication::translate("Ssmtp", "unknown reply code");
    }
}

} // namespace ssmtp::transport::socks4
