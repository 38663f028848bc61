#include "socketoptions.h"

#include <QCoreApplication>
#include <QHostAddress>
#include <QHostInfo>
#include <QSignalBlocker>
#include <QVariant>

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

namespace ssmtp::transport {

namespace {

// Linux refuses larger TCP_KEEPIDLE / TCP_KEEPINTVL values (MAX_TCP_KEEPIDLE/KEEPINTVL) with
// EINVAL, which would leave the system default in place.
constexpr int MaxKeepAliveSeconds = 32767;

int keepAliveSeconds(int ms)
{
    return qBound(1, int((qint64(ms) + 999) / 1000), MaxKeepAliveSeconds);
}

bool familyAllowed(const QHostAddress &address, int useIPv6)
{
    switch (useIPv6) {
    case 1:
        return address.protocol() == QAbstractSocket::IPv6Protocol;
    case 2:
        return true;
    default:
        return address.protocol() == QAbstractSocket::IPv4Protocol;
    }
}

QHostAddress wildcard(int useIPv6)
{
    switch (useIPv6) {
    case 1:
        return QHostAddress(QHostAddress::AnyIPv6);
    case 2:
        return QHostAddress(QHostAddress::Any); // dual-stack: the connection may take either
    default:
        return QHostAddress(QHostAddress::AnyIPv4);
    }
}

// The address to bind to for options.localHost; an error text when there is none.
QString localAddress(const SocketOptions &options, QHostAddress *address)
{
    const QString &name = options.localHost;
    const QString family = options.useIPv6 == 1   ? QStringLiteral("IPv6")
                           : options.useIPv6 == 2 ? QStringLiteral("IP")
                                                  : QStringLiteral("IPv4");
    QString noAddress =
        QCoreApplication::translate("Ssmtp", "LocalHost \"%1\" has no %2 address (UseIPv6 is %3).")
            .arg(name, family)
            .arg(options.useIPv6);
    if (address->setAddress(name))
        return familyAllowed(*address, options.useIPv6) ? QString() : noAddress;
    // The spec's default LocalHost is the machine's own name: any interface.
    if (name.compare(QHostInfo::localHostName(), Qt::CaseInsensitive) == 0) {
        *address = wildcard(options.useIPv6);
        return {};
    }
    const QHostInfo info = QHostInfo::fromName(name);
    if (info.error() != QHostInfo::NoError) {
        return QCoreApplication::translate("Ssmtp", "Cannot resolve LocalHost \"%1\": %2")
            .arg(name, info.errorString());
    }
    const QList<QHostAddress> addresses = info.addresses();
    for (const QHostAddress &candidate : addresses) {
        if (familyAllowed(candidate, options.useIPv6)) {
            *address = candidate;
            return {};
        }
    }
    return noAddress;
}

void setBufferSizes(QAbstractSocket *socket, const SocketOptions &options)
{
    if (options.inBufferSize > 0)
        socket->setSocketOption(QAbstractSocket::ReceiveBufferSizeSocketOption,
                                QVariant(options.inBufferSize));
    if (options.outBufferSize > 0)
        socket->setSocketOption(QAbstractSocket::SendBufferSizeSocketOption,
                                QVariant(options.outBufferSize));
}

} // namespace

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
    const bool requested = !options.localHost.isEmpty() || options.localPort != 0;
    // With UseIPv6=2 and nothing else to bind, a dual-stack socket would show IPv4 addresses
    // as ::ffff:a.b.c.d; the buffer sizes then follow at connect (applyConnectedOptions).
    const bool forBuffers =
        (options.inBufferSize > 0 || options.outBufferSize > 0) && options.useIPv6 != 2;
    if (!requested && !forBuffers)
        return {};
    QHostAddress address = wildcard(options.useIPv6);
    if (!options.localHost.isEmpty()) {
        QString error = localAddress(options, &address);
        if (!error.isEmpty())
            return error;
    }
    // A failed bind would emit errorOccurred with Qt's text alone; the caller reports ours.
    const QSignalBlocker quiet(socket);
    if (!socket->bind(address, options.localPort, QAbstractSocket::DefaultForPlatform)) {
        return QCoreApplication::translate("Ssmtp", "Cannot bind to %1 port %2: %3")
            .arg(address.toString())
            .arg(options.localPort)
            .arg(socket->errorString());
    }
    setBufferSizes(socket, options);
    return {};
}

void applyConnectedOptions(QAbstractSocket *socket, const SocketOptions &options)
{
    socket->setSocketOption(QAbstractSocket::LowDelayOption, QVariant(options.tcpNoDelay ? 1 : 0));
    // The spec: setting KeepAliveTime or KeepAliveInterval turns TCPKeepAlive on.
    const bool keepAlive =
        options.tcpKeepAlive || options.keepAliveTimeMs > 0 || options.keepAliveIntervalMs > 0;
    socket->setSocketOption(QAbstractSocket::KeepAliveOption, QVariant(keepAlive ? 1 : 0));
    setBufferSizes(socket, options);

    const qintptr fd = socket->socketDescriptor();
    if (fd < 0)
        return;
    const int s = int(fd);
    // Qt has no options for keep-alive timing or SO_LINGER: set them on the descriptor. On an
    // established connection a new TCP_KEEPIDLE re-arms the keep-alive timer at once.
    if (options.keepAliveTimeMs > 0) {
        const int secs = keepAliveSeconds(options.keepAliveTimeMs);
        ::setsockopt(s, IPPROTO_TCP, TCP_KEEPIDLE, &secs, sizeof secs);
    }
    if (options.keepAliveIntervalMs > 0) {
        const int secs = keepAliveSeconds(options.keepAliveIntervalMs);
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
