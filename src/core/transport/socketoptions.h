// TCP-level settings of the spec's TCPClient config settings, applied to a Qt socket.
#pragma once

#include <QAbstractSocket>
#include <QString>

namespace ssmtp::transport {

struct SocketOptions
{
    QString localHost;       // bind address (LocalHost property)
    quint16 localPort = 0;   // LocalPort
    int useIPv6 = 0;         // 0 IPv4 only, 1 IPv6 only, 2 both (IPv6 preferred)
    bool tcpNoDelay = false; // TcpNoDelay
    bool tcpKeepAlive = false;
    int keepAliveTimeMs = 0;     // TCP_KEEPIDLE (ms, rounded up to seconds)
    int keepAliveIntervalMs = 0; // TCP_KEEPINTVL
    bool linger = true;
    int lingerTimeSeconds = 0;
    int inBufferSize = 0;  // SO_RCVBUF, 0 = system default
    int outBufferSize = 0; // SO_SNDBUF
};

QAbstractSocket::NetworkLayerProtocol networkProtocol(const SocketOptions &options);

// Before connectToHost: bind to localHost/localPort when set. Returns an error text, or an
// empty string on success.
QString bindLocal(QAbstractSocket *socket, const SocketOptions &options);

// Once connected: options that need a live descriptor (keep-alive timing, linger, buffers).
void applyConnectedOptions(QAbstractSocket *socket, const SocketOptions &options);

} // namespace ssmtp::transport
