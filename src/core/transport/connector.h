// Opens the byte stream to the mail server on a socket: directly, or through the configured
// firewall. The proxy handshakes (HTTP CONNECT, SOCKS4/4A, SOCKS5) are our own, over the
// plain TCP connection to the proxy: Qt's proxy engines read an HTTP proxy's header without
// bound, reject SOCKS5 replies that carry a domain name, and lose the proxy's reasons. TLS
// starts only after established(), so certificate checks see the mail server's name, never
// the proxy's.
#pragma once

#include "proxyreply.h"
#include "proxysettings.h"

#include <QAbstractSocket>
#include <QHostAddress>
#include <QObject>
#include <QPointer>

QT_BEGIN_NAMESPACE
class QHostInfo;
QT_END_NAMESPACE

namespace ssmtp::transport {

class Connector : public QObject
{
    Q_OBJECT
public:
    explicit Connector(QObject *parent = nullptr);
    ~Connector() override;

    // Starts connecting `socket` (bound already, not yet connected) to host:port. Exactly one
    // of established() or failed() follows, unless cancel() is called first. The socket never
    // uses a QNetworkProxy (an application-wide proxy does not leak in).
    void connectToHost(QAbstractSocket *socket, const QString &host, quint16 port,
                       const ProxySettings &proxy, QAbstractSocket::NetworkLayerProtocol protocol);
    // Forgets the socket; no signal follows.
    void cancel();
    // True between connectToHost() and established()/failed().
    bool isConnecting() const { return m_stage != Stage::Idle; }
    // True while a firewall is being reached (name lookup, TCP connection to the proxy,
    // handshake). Socket errors and a close in this phase are the firewall's: the connector
    // reports them itself through failed(errc::Firewall, ...), naming the proxy.
    bool isFirewallPhase() const;
    // The firewall in use for the current or last connection (after auto-detection).
    const ProxySettings &effectiveProxy() const { return m_proxy; }

Q_SIGNALS:
    // The socket now carries the byte stream to the mail server (proxy handshake done). Octets
    // the server sent right behind the proxy's answer are waiting in the socket.
    void established();
    // The firewall refused or failed: errc::Firewall; errc::HostNotFound when the mail
    // server's name must be resolved here (SOCKS4, SOCKS5 without "*") and does not resolve.
    // Socket-level failures of a direct connection are left to the socket's errorOccurred.
    void failed(int error, const QString &description);
    // The spec's ConnectionStatus events of the proxy phase ("Firewall connection complete").
    void connectionStatus(const QString &event, int statusCode, const QString &description);

private:
    enum class Stage { Idle, Direct, Resolving, ConnectingToProxy, Handshake };
    enum class Step { None, Socks4Reply, Socks5Method, Socks5Auth, Socks5Connect, HttpResponse };

    void startFirewall();
    void onLookupDone(const QHostInfo &info);
    void connectToProxy();
    void onConnected();
    void onReadyRead();
    bool handleReply(const ProxyReply &reply);
    void sendSocks5Connect();
    void onSocketError(QAbstractSocket::SocketError error);
    void onDisconnected();
    void complete();
    void fail(int error, const QString &description);
    void detach();

    QString firewallName() const;
    QString protocolName() const;
    QString targetName() const;

    QPointer<QAbstractSocket> m_socket;
    ProxySettings m_proxy;
    QString m_host;
    quint16 m_port = 0;
    QAbstractSocket::NetworkLayerProtocol m_protocol = QAbstractSocket::AnyIPProtocol;
    Stage m_stage = Stage::Idle;
    Step m_step = Step::None;
    QHostAddress m_target; // the mail server's address when resolved here
    int m_lookupId = -1;
    quint64 m_attempt = 0; // tells a stale host lookup result from the current one
};

} // namespace ssmtp::transport
