// TCP-level settings of the spec's TCPClient config settings, applied to a Qt socket.
#pragma once

#include <QAbstractSocket>
#include <QString>

namespace ssmtp::transport {

struct SocketOptions
{
    QString localHost;       // bind address (LocalHost property): an IP address or a name
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

// Before connectToHost: binds to localHost/localPort when set. With UseIPv6 0 or 1 it also
// binds (to the wildcard address) when buffer sizes are set, so that they are in place before
// the SYN (tcp(7): the window offered is fixed at connect). A name in localHost is looked up
// (blocking); the machine's own name (the spec's default) means any interface. Returns an
// error text, or an empty string on success.
// Qt connects a bound socket directly, past any QNetworkProxy: fine for the Connector, whose
// firewall handshakes run over a plain connection (the bind then applies to the firewall).
QString bindLocal(QAbstractSocket *socket, const SocketOptions &options);

// Once connected: the options that need a live connection (no-delay, keep-alive and its
// timing, linger) and the buffer sizes again (for sockets bindLocal did not bind).
void applyConnectedOptions(QAbstractSocket *socket, const SocketOptions &options);

} // namespace ssmtp::transport
