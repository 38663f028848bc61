// Opens the byte stream to the mail server on a socket: directly, or through the configured
// firewall (HTTP CONNECT and SOCKS5 through QNetworkProxy, SOCKS4/4A by a handshake of our
// own). TLS starts only after established(), so certificate checks see the mail server's name,
// never the proxy's.
#pragma once

#include "proxysettings.h"

#include <QAbstractSocket>
#include <QObject>
#include <QPointer>

namespace ssmtp::transport {

class Connector : public QObject
{
    Q_OBJECT
public:
    explicit Connector(QObject *parent = nullptr);
    ~Connector() override;

    // Starts connecting `socket` (bound already, not yet connected) to host:port. Exactly one
    // of established() or failed() follows, unless cancel() is called first.
    void connectToHost(QAbstractSocket *socket, const QString &host, quint16 port,
                       const ProxySettings &proxy, QAbstractSocket::NetworkLayerProtocol protocol);
    // Forgets the socket; no signal follows.
    void cancel();
    // True between connectToHost() and established()/failed().
    bool isConnecting() const { return m_connecting; }

Q_SIGNALS:
    // The socket now carries the byte stream to the mail server (proxy handshake done).
    void established();
    // The proxy refused or failed (error: errc::Firewall); socket-level failures of a direct
    // connection are left to the socket's own errorOccurred.
    void failed(int error, const QString &description);
    // The spec's ConnectionStatus events of the proxy phase ("Firewall connection complete").
    void connectionStatus(const QString &event, int statusCode, const QString &description);

private:
    void onConnected();

    QPointer<QAbstractSocket> m_socket;
    ProxySettings m_proxy;
    QString m_host;
    quint16 m_port = 0;
    bool m_connecting = false;
};

} // namespace ssmtp::transport
