// A scriptable fake proxy for tests: SOCKS4/4A, SOCKS5 (with RFC 1929 authentication) or HTTP
// CONNECT on 127.0.0.1, which relays the tunnel to the requested target for real (so a message
// sent through it reaches a real server), or misbehaves on purpose: refusals with any reply
// code, replies with IPv4/IPv6/domain-name bound addresses, a close in the middle of the
// handshake, an HTTP header that never ends.
#pragma once

#include <QByteArray>
#include <QHostAddress>
#include <QList>
#include <QObject>

class QTcpServer;

class FakeProxy : public QObject
{
    Q_OBJECT
public:
    enum Protocol { Socks4, Socks5, Http };
    Q_ENUM(Protocol)

    struct Options
    {
        Protocol protocol = Socks5;
        // SOCKS5: require user name/password authentication with these (empty user: accept
        // "no authentication"). HTTP: require "Proxy-Authorization: Basic" with these.
        QByteArray user;
        QByteArray password;
        int socks4Code = 90;     // SOCKS4 CD to answer; 90 grants
        int socks5Rep = 0;       // SOCKS5 REP to answer; 0 succeeds
        int socks5BoundType = 1; // ATYP of the bound address in the reply: 1, 3 or 4
        QByteArray httpStatusLine = "HTTP/1.1 200 Connection established";
        QByteArray httpHeaders;          // extra "Name: value\r\n" lines of the answer
        bool httpEndlessHeaders = false; // after the status line, header lines forever
        bool closeMidHandshake = false;  // close as soon as the first request arrived
        // Write the success reply and the target's first bytes (its greeting) in one write,
        // as a real proxy may: the client must not eat the greeting with the reply. (A target
        // silent for 200 ms gets the reply sent alone.)
        bool coalesceGreeting = true;
    };

    explicit FakeProxy(const Options &options, QObject *parent = nullptr);
    ~FakeProxy() override;

    // Listens on a free port of address (default 127.0.0.1); returns the port, 0 on failure.
    quint16 listen(const QHostAddress &address = QHostAddress(QHostAddress::LocalHost));
    quint16 port() const;

    // What the clients sent before their tunnel opened (or the connection ended), one entry
    // per connection.
    QList<QByteArray> handshakes() const { return m_handshakes; }
    // The target of the last request as the proxy saw it: an address or a name.
    QByteArray requestedHost() const { return m_requestedHost; }
    quint16 requestedPort() const { return m_requestedPort; }
    // SOCKS4 user id or SOCKS5 user name of the last request.
    QByteArray requestedUser() const { return m_requestedUser; }
    int connectionCount() const { return int(m_handshakes.size()); }
    int tunnelCount() const { return m_tunnels; }
    // Octets relayed from the client to the target through all tunnels.
    qint64 relayedToTarget() const { return m_relayedUp; }
    // Octets of endless header lines sent so far.
    qint64 endlessBytes() const { return m_endlessBytes; }

private:
    friend class FakeProxyConnection;

    Options m_options;
    QTcpServer *m_server;
    QList<QByteArray> m_handshakes;
    QByteArray m_requestedHost;
    quint16 m_requestedPort = 0;
    QByteArray m_requestedUser;
    int m_tunnels = 0;
    qint64 m_relayedUp = 0;
    qint64 m_endlessBytes = 0;
};
