#include "socketoptions.h"

#include <QCoreApplication>
#include <QHostAddress>
#include <QVariant>

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

namespace ssmtp::transport {

QAbstractSocket::NetworkLayerProtocol networkProtocol(const SocketOptions &options)
{
    switch (options.useIPv6) {
    case 1:
        return QAbstractSocket::IPv6Protocol;
    case 2:
        return QAbstractSocket::AnyIPProtocol;
    default:
        return QAbstractSocket::IPv4Protocol;
    }
}

QString bindLocal(QAbstractSocket *socket, const SocketOptions &options)
{
    if (options.localHost.isEmpty() && options.localPort == 0)
        return {};
    QHostAddress address;
    if (options.localHost.isEmpty()) {
        address = options.useIPv6 == 1 ? QHostAddress(QHostAddress::AnyIPv6)
                                       : QHostAddress(QHostAddress::AnyIPv4);
    } else if (!address.setAddress(options.localHost)) {
        return QCoreApplication::translate("Ssmtp", "LocalHost \"%1\" is not an IP address.")
            .arg(options.localHost);
    }
    if (!socket->bind(address, options.localPort, QAbstractSocket::DefaultForPlatform)) {
        return QCoreApplication::translate("Ssmtp", "Cannot bind to %1 port %2: %3")
            .arg(address.toString())
            .arg(options.localPort)
            .arg(socket->errorString());
    }
    return {};
}

void applyConnectedOptions(QAbstractSocket *socket, const SocketOptions &options)
{
    socket->setSocketOption(QAbstractSocket::LowDelayOption, QVariant(options.tcpNoDelay ? 1 : 0));
    const bool keepAlive =
        options.tcpKeepAlive || options.keepAliveTimeMs > 0 || options.keepAliveIntervalMs > 0;
    socket->setSocketOption(QAbstractSocket::KeepAliveOption, QVariant(keepAlive ? 1 : 0));
    if (options.inBufferSize > 0)
        socket->setSocketOption(QAbstractSocket::ReceiveBufferSizeSocketOption,
                                QVariant(options.inBufferSize));
    if (options.outBufferSize > 0)
        socket->setSocketOption(QAbstractSocket::SendBufferSizeSocketOption,
                                QVariant(options.outBufferSize));

    const qintptr fd = socket->socketDescriptor();
    if (fd < 0)
        return;
    const int s = int(fd);
    // Qt has no options for keep-alive timing or SO_LINGER: set them on the descriptor.
    if (options.keepAliveTimeMs > 0) {
        const int secs = qMax(1, (options.keepAliveTimeMs + 999) / 1000);
        ::setsockopt(s, IPPROTO_TCP, TCP_KEEPIDLE, &secs, sizeof secs);
    }
    if (options.keepAliveIntervalMs > 0) {
        const int secs = qMax(1, (options.keepAliveIntervalMs + 999) / 1000);
        ::setsockopt(s, IPPROTO_TCP, TCP_KEEPINTVL, &secs, sizeof secs);
    }
    // Linger=true with LingerTime 0 is the system default (graceful close in background);
    // Linger=false resets at close; a positive LingerTime bounds the graceful close.
    if (!options.linger || options.lingerTimeSeconds > 0) {
        linger l{};
        l.l_onoff = 1;
        l.l_linger = options.linger ? options.lingerTimeSeconds : 0;
        ::setsockopt(s, SOL_SOCKET, SO_LINGER, &l, sizeof l);
    }
}

} // namespace ssmtp::transport
