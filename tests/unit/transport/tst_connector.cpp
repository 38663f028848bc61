// transport::Connector on real loopback sockets: directly, and through fake SOCKS4/4A, SOCKS5
// and HTTP CONNECT proxies (tests/support/fakeproxy.h) that relay to a small target server.
// Checked: what the proxy was asked for, the signals and their order, that the target's first
// bytes survive the proxy's reply, and every refusal's error code and text.
#include "fakeproxy.h"
#include "protocol/errorcodes.h"
#include "transport/connector.h"
#include "transport/httpconnect.h"
#include "transport/systemproxy.h"

#include <QElapsedTimer>
#include <QNetworkProxy>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

using namespace ssmtp::transport;
namespace errc = ssmtp::protocol::errc;

namespace {

const QByteArray kGreeting = "220 target ready\r\n";

// Greets every connection, then answers each line "X" with "250 X".
class TargetServer : public QTcpServer
{
public:
    TargetServer()
    {
        connect(this, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *s = nextPendingConnection()) {
                ++connections;
                s->setParent(this);
                s->write(kGreeting);
                connect(s, &QTcpSocket::readyRead, s, [s] {
                    while (s->canReadLine())
                        s->write("250 " + s->readLine());
                });
            }
        });
        listen(QHostAddress::LocalHost, 0);
    }
    int connections = 0;
};

struct Outcome
{
    QStringList events; // "status:<event>", "established", "failed"
    int error = 0;
    QString text;
    QByteArray firstBytes; // read from the socket after established()
    QByteArray echo;       // the target's answer to "NOOP" through the tunnel
};

// Runs one connectToHost() to its end (or 10 s).
Outcome run(QAbstractSocket &socket, const ProxySettings &proxy, const QString &host, quint16 port,
            QAbstractSocket::NetworkLayerProtocol protocol = QAbstractSocket::IPv4Protocol)
{
    Outcome out;
    Connector connector;
    QObject::connect(&connector, &Connector::connectionStatus, &connector,
                     [&](const QString &event, int code, const QString &description) {
                         out.events << QStringLiteral("status:") + event;
                         // Completion says OK; a disconnection carries 118 and the reason.
                         const bool ok = event == QLatin1String("Firewall host disconnected")
                                             ? code == errc::Firewall && !description.isEmpty()
                                             : code == 0 && description == QLatin1String("OK");
                         if (!ok)
                             out.events << QStringLiteral("bad status arguments");
                     });
    QObject::connect(&connector, &Connector::established, &connector, [&] {
        if (connector.isConnecting() || connector.isFirewallPhase())
            out.events << QStringLiteral("still connecting");
        out.events << QStringLiteral("established");
    });
    QObject::connect(&connector, &Connector::failed, &connector,
                     [&](int error, const QString &text) {
                         out.events << QStringLiteral("failed");
                         out.error = error;
                         out.text = text;
                     });
    connector.connectToHost(&socket, host, port, proxy, protocol);
    if (!out.events.isEmpty())
        out.events.prepend(QStringLiteral("synchronous"));
    const bool ended = QTest::qWaitFor(
        [&] {
            return out.events.contains(QLatin1String("established")) ||
                   out.events.contains(QLatin1String("failed"));
        },
        10000);
    if (!ended)
        out.events << QStringLiteral("timed out");
    if (!out.events.contains(QLatin1String("established")))
        return out;
    if (!QTest::qWaitFor([&] { return socket.bytesAvailable() >= kGreeting.size(); }, 5000))
        out.events << QStringLiteral("no greeting");
    out.firstBytes = socket.readAll();
    socket.write("NOOP\r\n");
    if (!QTest::qWaitFor([&] { return socket.canReadLine(); }, 5000))
        out.events << QStringLiteral("no echo");
    out.echo = socket.readLine();
    // Nothing more happens after the outcome.
    QTest::qWait(20);
    return out;
}

ProxySettings proxyOf(int type, quint16 port, const QString &user = QString(),
                      const QString &password = QString())
{
    ProxySettings p;
    p.type = type;
    p.host = QStringLiteral("127.0.0.1");
    p.port = port;
    p.user = user;
    p.password = password;
    return p;
}

QString firewallName(const FakeProxy &proxy)
{
    return QStringLiteral("127.0.0.1:") + QString::number(proxy.port());
}

// Restores an environment variable when the test ends.
class EnvGuard
{
public:
    explicit EnvGuard(const char *name)
        : m_name(name)
        , m_had(qEnvironmentVariableIsSet(name))
        , m_value(qgetenv(name))
    {}
    ~EnvGuard()
    {
        if (m_had)
            qputenv(m_name, m_value);
        else
            qunsetenv(m_name);
    }

private:
    const char *m_name;
    bool m_had;
    QByteArray m_value;
};

} // namespace

class tst_Connector : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void direct();
    void directIgnoresApplicationProxy();
    void throughProxy_data();
    void throughProxy();
    void httpExtraHeaders();
    void refused_data();
    void refused();
    void endlessHttpHeaderIsBounded();
    void proxyNotListening();
    void earlyFailuresAreAsynchronous_data();
    void earlyFailuresAreAsynchronous();
    void mailServerNotFound();
    void cancelDuringHandshake();
    void autoDetect_data();
    void autoDetect();
    void autoDetectKeepsCredentialsHome();
};

void tst_Connector::direct()
{
    TargetServer target;
    QTcpSocket socket;
    const Outcome out =
        run(socket, ProxySettings(), QStringLiteral("127.0.0.1"), target.serverPort());
    QCOMPARE(out.events, QStringList{QStringLiteral("established")});
    QCOMPARE(out.firstBytes, kGreeting);
    QCOMPARE(out.echo, QByteArray("250 NOOP\r\n"));
    QCOMPARE(socket.proxy().type(), QNetworkProxy::NoProxy);

    // A host without a type is no firewall either.
    ProxySettings hostOnly;
    hostOnly.host = QStringLiteral("127.0.0.1");
    QTcpSocket socket2;
    QCOMPARE(run(socket2, hostOnly, QStringLiteral("127.0.0.1"), target.serverPort()).events,
             QStringList{QStringLiteral("established")});
    QCOMPARE(target.connections, 2);
}

void tst_Connector::directIgnoresApplicationProxy()
{
    // An application-wide proxy that leads nowhere must not apply to a direct connection,
    // nor to the connection to a configured firewall.
    TargetServer target;
    FakeProxy fake({});
    QVERIFY(fake.listen());
    QNetworkProxy::setApplicationProxy(
        QNetworkProxy(QNetworkProxy::Socks5Proxy, QStringLiteral("127.0.0.1"), 1));
    const auto restore = qScopeGuard([] { QNetworkProxy::setApplicationProxy(QNetworkProxy()); });
    QTcpSocket direct;
    QCOMPARE(run(direct, ProxySettings(), QStringLiteral("127.0.0.1"), target.serverPort()).events,
             QStringList{QStringLiteral("established")});
    QTcpSocket proxied;
    const Outcome out = run(proxied, proxyOf(ProxySettings::Socks5, fake.port()),
                            QStringLiteral("127.0.0.1"), target.serverPort());
    QCOMPARE(out.events.last(), QStringLiteral("established"));
    QCOMPARE(fake.tunnelCount(), 1);
}

void tst_Connector::throughProxy_data()
{
    QTest::addColumn<int>("type");
    QTest::addColumn<int>("fakeProtocol");
    QTest::addColumn<QString>("host");
    QTest::addColumn<bool>("remoteResolve");
    QTest::addColumn<QString>("user");
    QTest::addColumn<QString>("password");
    QTest::addColumn<bool>("fakeNeedsAuth"); // the fake requires user/password alice/s3cret
    QTest::addColumn<int>("boundType");
    QTest::addColumn<bool>("coalesce");
    QTest::addColumn<QByteArray>("requestedHost");
    QTest::addColumn<QByteArray>("requestedUser");
    QTest::addColumn<QByteArray>("handshakeStart"); // hex of the first request's first octets

    const QString ip = QStringLiteral("127.0.0.1");
    const QString name = QStringLiteral("localhost");
    const QString none;
    const QString alice = QStringLiteral("alice");
    const QString secret = QStringLiteral("s3cret");
    const int S4 = ProxySettings::Socks4, S4A = ProxySettings::Socks4A, S5 = ProxySettings::Socks5,
              T = ProxySettings::Tunnel;
    const int f4 = FakeProxy::Socks4, f5 = FakeProxy::Socks5, fh = FakeProxy::Http;
    auto row = [&](const char *tag, int type, int fake, const QString &host, bool remote,
                   const QString &user, const QString &password, bool needsAuth, int bound,
                   bool coalesce, const char *requested, const char *requestedUser,
                   const char *start) {
        QTest::newRow(tag) << type << fake << host << remote << user << password << needsAuth
                           << bound << coalesce << QByteArray(requested)
                           << QByteArray(requestedUser) << QByteArray(start);
    };
    row("SOCKS4 address", S4, f4, ip, false, none, none, false, 1, true, "127.0.0.1", "", "0401");
    row("SOCKS4 name resolved here", S4, f4, name, false, none, none, false, 1, true, "127.0.0.1",
        "", "0401");
    row("SOCKS4 user id", S4, f4, ip, false, QStringLiteral("bob"), none, false, 1, true,
        "127.0.0.1", "bob", "0401");
    row("SOCKS4 *name: 4A form", S4, f4, name, true, none, none, false, 1, true, "localhost", "",
        "0401");
    row("SOCKS4A name", S4A, f4, name, false, alice, none, false, 1, true, "localhost", "alice",
        "0401");
    row("SOCKS4A address", S4A, f4, ip, false, none, none, false, 1, true, "127.0.0.1", "", "0401");
    row("SOCKS4 not coalesced", S4, f4, ip, false, none, none, false, 1, false, "127.0.0.1", "",
        "0401");
    row("SOCKS5 address", S5, f5, ip, false, none, none, false, 1, true, "127.0.0.1", "", "050100");
    row("SOCKS5 name resolved here", S5, f5, name, false, none, none, false, 1, true, "127.0.0.1",
        "", "050100");
    row("SOCKS5 *name: the proxy resolves", S5, f5, name, true, none, none, false, 1, true,
        "localhost", "", "050100");
    row("SOCKS5 user/password", S5, f5, ip, false, alice, secret, true, 1, true, "127.0.0.1",
        "alice", "05020002");
    row("SOCKS5 user offered, not needed", S5, f5, ip, false, alice, secret, false, 1, true,
        "127.0.0.1", "", "05020002");
    row("SOCKS5 IPv6 bound address", S5, f5, ip, false, none, none, false, 4, true, "127.0.0.1", "",
        "050100");
    row("SOCKS5 domain bound address", S5, f5, ip, false, none, none, false, 3, true, "127.0.0.1",
        "", "050100");
    row("SOCKS5 not coalesced", S5, f5, ip, false, none, none, false, 1, false, "127.0.0.1", "",
        "050100");
    row("HTTP name", T, fh, name, false, none, none, false, 1, true, "localhost", "",
        "434f4e4e454354206c6f63616c686f73743a"); // "CONNECT localhost:"
    row("HTTP address", T, fh, ip, false, none, none, false, 1, true, "127.0.0.1", "",
        "434f4e4e454354203132372e302e302e313a");
    row("HTTP basic auth", T, fh, name, false, alice, secret, true, 1, true, "localhost", "",
        "434f4e4e454354");
    row("HTTP not coalesced", T, fh, name, false, none, none, false, 1, false, "localhost", "",
        "434f4e4e454354");
}

void tst_Connector::throughProxy()
{
    QFETCH(int, type);
    QFETCH(int, fakeProtocol);
    QFETCH(QString, host);
    QFETCH(bool, remoteResolve);
    QFETCH(QString, user);
    QFETCH(QString, password);
    QFETCH(bool, fakeNeedsAuth);
    QFETCH(int, boundType);
    QFETCH(bool, coalesce);
    QFETCH(QByteArray, requestedHost);
    QFETCH(QByteArray, requestedUser);
    QFETCH(QByteArray, handshakeStart);

    TargetServer target;
    FakeProxy::Options options;
    options.protocol = FakeProxy::Protocol(fakeProtocol);
    if (fakeNeedsAuth) {
        options.user = "alice";
        options.password = "s3cret";
    }
    options.socks5BoundType = boundType;
    options.coalesceGreeting = coalesce;
    FakeProxy fake(options);
    QVERIFY(fake.listen());

    ProxySettings proxy = proxyOf(type, fake.port(), user, password);
    proxy.remoteResolve = remoteResolve;
    QTcpSocket socket;
    const Outcome out = run(socket, proxy, host, target.serverPort());
    QCOMPARE(out.events, (QStringList{QStringLiteral("status:Firewall connection complete"),
                                      QStringLiteral("established")}));
    QCOMPARE(out.text, QString());
    // The target's greeting arrives whole, also when the proxy sent it with its reply.
    QCOMPARE(out.firstBytes, kGreeting);
    QCOMPARE(out.echo, QByteArray("250 NOOP\r\n"));
    QCOMPARE(fake.connectionCount(), 1);
    QCOMPARE(fake.tunnelCount(), 1);
    QCOMPARE(fake.requestedHost(), requestedHost);
    QCOMPARE(fake.requestedPort(), target.serverPort());
    QCOMPARE(fake.requestedUser(), requestedUser);
    QCOMPARE(fake.handshakes().first().left(handshakeStart.size() / 2).toHex(), handshakeStart);
    QCOMPARE(target.connections, 1);
    // The socket is connected to the proxy: TLS must be told the mail server's name.
    QCOMPARE(socket.peerPort(), fake.port());
    if (type == ProxySettings::Tunnel) {
        const QByteArray head = fake.handshakes().first();
        QCOMPARE(head.contains("Proxy-Authorization: Basic YWxpY2U6czNjcmV0\r\n"), !user.isEmpty());
        QVERIFY(head.endsWith("\r\n\r\n"));
    }
}

void tst_Connector::httpExtraHeaders()
{
    TargetServer target;
    FakeProxy::Options options;
    options.protocol = FakeProxy::Http;
    FakeProxy fake(options);
    QVERIFY(fake.listen());
    ProxySettings proxy = proxyOf(ProxySettings::Tunnel, fake.port());
    QString error;
    proxy.extraHeaders =
        httpconnect::normaliseExtraHeaders(QStringLiteral("X-Token: 42\nX-Client: ssmtp"), &error);
    QVERIFY(error.isEmpty());
    QTcpSocket socket;
    const Outcome out = run(socket, proxy, QStringLiteral("localhost"), target.serverPort());
    QCOMPARE(out.events.last(), QStringLiteral("established"));
    const QByteArray port = QByteArray::number(target.serverPort());
    QCOMPARE(fake.handshakes().first(), "CONNECT localhost:" + port +
                                            " HTTP/1.1\r\nHost: localhost:" + port +
                                            "\r\nX-Token: 42\r\nX-Client: ssmtp\r\n\r\n");
}

void tst_Connector::refused_data()
{
    QTest::addColumn<int>("type");
    QTest::addColumn<int>("fakeProtocol");
    QTest::addColumn<int>("socks4Code");
    QTest::addColumn<int>("socks5Rep");
    QTest::addColumn<QByteArray>("httpStatus");
    QTest::addColumn<bool>("fakeNeedsAuth");
    QTest::addColumn<bool>("closeMid");
    QTest::addColumn<QString>("user");
    QTest::addColumn<QString>("password");
    QTest::addColumn<QStringList>("textParts");

    const int S4 = ProxySettings::Socks4, S4A = ProxySettings::Socks4A, S5 = ProxySettings::Socks5,
              T = ProxySettings::Tunnel;
    const int f4 = FakeProxy::Socks4, f5 = FakeProxy::Socks5, fh = FakeProxy::Http;
    const QByteArray ok = "HTTP/1.1 200 OK";
    const QString none;
    auto row = [](const char *tag, int type, int fake, int c4, int r5, const QByteArray &status,
                  bool needsAuth, bool closeMid, const QString &user, const QString &password,
                  const QStringList &parts) {
        QTest::newRow(tag) << type << fake << c4 << r5 << status << needsAuth << closeMid << user
                           << password << parts;
    };
    const QString s = QStringLiteral("SOCKS4 firewall");
    row("SOCKS4 91", S4, f4, 91, 0, ok, false, false, none, none,
        {s, QStringLiteral("refused the connection to 127.0.0.1:"),
         QStringLiteral("request rejected or failed (code 91)")});
    row("SOCKS4 92", S4, f4, 92, 0, ok, false, false, none, none,
        {s, QStringLiteral("cannot reach identd on the client (code 92)")});
    row("SOCKS4 93", S4, f4, 93, 0, ok, false, false, none, none,
        {s, QStringLiteral("identd reports a different user id (code 93)")});
    row("SOCKS4A 91", S4A, f4, 91, 0, ok, false, false, none, none,
        {s, QStringLiteral("to localhost:"), QStringLiteral("(code 91)")});
    row("SOCKS5 ruleset", S5, f5, 90, 2, ok, false, false, none, none,
        {QStringLiteral("SOCKS5 firewall"), QStringLiteral("could not connect to 127.0.0.1:"),
         QStringLiteral("connection not allowed by ruleset (code 2)")});
    row("SOCKS5 refused", S5, f5, 90, 5, ok, false, false, none, none,
        {QStringLiteral("connection refused (code 5)")});
    row("SOCKS5 host unreachable", S5, f5, 90, 4, ok, false, false, none, none,
        {QStringLiteral("host unreachable (code 4)")});
    row("SOCKS5 needs auth, none set", S5, f5, 90, 0, ok, true, false, none, none,
        {QStringLiteral("requires authentication; set the firewall's user and password")});
    row("SOCKS5 wrong password", S5, f5, 90, 0, ok, true, false, QStringLiteral("alice"),
        QStringLiteral("wrong"), {QStringLiteral("did not accept the user name and password")});
    row("HTTP 407 without user", T, fh, 90, 0, ok, true, false, none, none,
        {QStringLiteral("HTTP proxy"), QStringLiteral("refused the tunnel to localhost:"),
         QStringLiteral("407 Proxy Authentication Required"),
         QStringLiteral("set the firewall's user and password")});
    row("HTTP 407 wrong password", T, fh, 90, 0, ok, true, false, QStringLiteral("alice"),
        QStringLiteral("wrong"),
        {QStringLiteral("407 Proxy Authentication Required"),
         QStringLiteral("did not accept the firewall's user name and password")});
    row("HTTP 403", T, fh, 90, 0, "HTTP/1.1 403 Forbidden by rule 7", false, false, none, none,
        {QStringLiteral("403 Forbidden by rule 7")});
    row("HTTP 502", T, fh, 90, 0, "HTTP/1.0 502 Bad Gateway", false, false, none, none,
        {QStringLiteral("502 Bad Gateway")});
    row("SOCKS4 closes mid-handshake", S4, f4, 90, 0, ok, false, true, none, none,
        {QStringLiteral("closed the connection during the SOCKS4 handshake")});
    row("SOCKS4A closes mid-handshake", S4A, f4, 90, 0, ok, false, true, none, none,
        {QStringLiteral("closed the connection during the SOCKS4A handshake")});
    row("SOCKS5 closes mid-handshake", S5, f5, 90, 0, ok, false, true, none, none,
        {QStringLiteral("closed the connection during the SOCKS5 handshake")});
    row("HTTP closes mid-handshake", T, fh, 90, 0, ok, false, true, none, none,
        {QStringLiteral("closed the connection during the HTTP CONNECT handshake")});
}

void tst_Connector::refused()
{
    QFETCH(int, type);
    QFETCH(int, fakeProtocol);
    QFETCH(int, socks4Code);
    QFETCH(int, socks5Rep);
    QFETCH(QByteArray, httpStatus);
    QFETCH(bool, fakeNeedsAuth);
    QFETCH(bool, closeMid);
    QFETCH(QString, user);
    QFETCH(QString, password);
    QFETCH(QStringList, textParts);

    TargetServer target;
    FakeProxy::Options options;
    options.protocol = FakeProxy::Protocol(fakeProtocol);
    options.socks4Code = socks4Code;
    options.socks5Rep = socks5Rep;
    options.httpStatusLine = httpStatus;
    options.closeMidHandshake = closeMid;
    if (fakeNeedsAuth) {
        options.user = "alice";
        options.password = "s3cret";
    }
    FakeProxy fake(options);
    QVERIFY(fake.listen());
    QTcpSocket socket;
    const QString host = type == ProxySettings::Tunnel || type == ProxySettings::Socks4A
                             ? QStringLiteral("localhost")
                             : QStringLiteral("127.0.0.1");
    const Outcome out =
        run(socket, proxyOf(type, fake.port(), user, password), host, target.serverPort());
    const QStringList expected =
        closeMid ? QStringList{QStringLiteral("status:Firewall host disconnected"),
                               QStringLiteral("failed")}
                 : QStringList{QStringLiteral("failed")};
    QCOMPARE(out.events, expected);
    QCOMPARE(out.error, errc::Firewall);
    QVERIFY2(out.text.contains(firewallName(fake)), qPrintable(out.text));
    for (const QString &part : textParts)
        QVERIFY2(out.text.contains(part),
                 qPrintable(out.text + QLatin1String(" -- lacks: ") + part));
    QCOMPARE(fake.tunnelCount(), 0);
    QCOMPARE(target.connections, 0);
}

void tst_Connector::endlessHttpHeaderIsBounded()
{
    FakeProxy::Options options;
    options.protocol = FakeProxy::Http;
    options.httpEndlessHeaders = true;
    FakeProxy fake(options);
    QVERIFY(fake.listen());
    QTcpSocket socket;
    QElapsedTimer clock;
    clock.start();
    const Outcome out =
        run(socket, proxyOf(ProxySettings::Tunnel, fake.port()), QStringLiteral("localhost"), 25);
    QCOMPARE(out.events, QStringList{QStringLiteral("failed")});
    QCOMPARE(out.error, errc::Firewall);
    QVERIFY2(out.text.contains(
                 QStringLiteral("longer than %1 bytes").arg(httpconnect::MaxResponseHeader)),
             qPrintable(out.text));
    QVERIFY2(clock.elapsed() < 3000, QByteArray::number(clock.elapsed()).constData());
    // The fake writes as long as the client reads: it stopped soon after the limit.
    QVERIFY2(fake.endlessBytes() < 2 * 1024 * 1024,
             QByteArray::number(fake.endlessBytes()).constData());
    QVERIFY(fake.endlessBytes() >= httpconnect::MaxResponseHeader - 100);
}

void tst_Connector::proxyNotListening()
{
    quint16 port = 0;
    {
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
        port = probe.serverPort();
    }
    for (int type : {int(ProxySettings::Socks5), int(ProxySettings::Tunnel)}) {
        QTcpSocket socket;
        const Outcome out = run(socket, proxyOf(type, port), QStringLiteral("127.0.0.1"), 25);
        QCOMPARE(out.events, QStringList{QStringLiteral("failed")});
        QCOMPARE(out.error, errc::Firewall);
        QVERIFY2(out.text.startsWith(
                     QStringLiteral("Cannot connect to the firewall 127.0.0.1:%1: ").arg(port)),
                 qPrintable(out.text));
    }
}

void tst_Connector::earlyFailuresAreAsynchronous_data()
{
    QTest::addColumn<int>("type");
    QTest::addColumn<QString>("host");
    QTest::addColumn<QString>("textPart");
    QTest::newRow("unknown type") << 7 << QStringLiteral("127.0.0.1")
                                  << QStringLiteral("Unknown firewall type 7.");
    QTest::newRow("SOCKS4 to IPv6") << int(ProxySettings::Socks4) << QStringLiteral("::1")
                                    << QStringLiteral("can only reach IPv4 addresses, not ::1");
    QTest::newRow("SOCKS4A to IPv6") << int(ProxySettings::Socks4A) << QStringLiteral("2001:db8::1")
                                     << QStringLiteral("can only reach IPv4 addresses");
}

void tst_Connector::earlyFailuresAreAsynchronous()
{
    QFETCH(int, type);
    QFETCH(QString, host);
    QFETCH(QString, textPart);
    FakeProxy fake({});
    QVERIFY(fake.listen());
    QTcpSocket socket;
    const Outcome out = run(socket, proxyOf(type, fake.port()), host, 25);
    // No signal from inside connectToHost(); the failure follows from the event loop.
    QCOMPARE(out.events, QStringList{QStringLiteral("failed")});
    QCOMPARE(out.error, errc::Firewall);
    QVERIFY2(out.text.contains(textPart), qPrintable(out.text));
    QCOMPARE(fake.connectionCount(), 0);
}

void tst_Connector::mailServerNotFound()
{
    // SOCKS5 resolves the name here (no "*"): a name that does not resolve is the mail
    // server's problem, not the firewall's. The proxy is never contacted.
    FakeProxy fake({});
    QVERIFY(fake.listen());
    QTcpSocket socket;
    const Outcome out = run(socket, proxyOf(ProxySettings::Socks5, fake.port()),
                            QStringLiteral("no-such-host.invalid"), 25);
    QCOMPARE(out.events, QStringList{QStringLiteral("failed")});
    QCOMPARE(out.error, errc::HostNotFound);
    QVERIFY2(
        out.text.startsWith(QStringLiteral("The mail server no-such-host.invalid was not found")),
        qPrintable(out.text));
    QCOMPARE(fake.connectionCount(), 0);

    // With "*" the name goes to the proxy, which answers "host unreachable".
    FakeProxy::Options options;
    options.socks5Rep = 4;
    FakeProxy remote(options);
    QVERIFY(remote.listen());
    ProxySettings proxy = proxyOf(ProxySettings::Socks5, remote.port());
    proxy.remoteResolve = true;
    QTcpSocket socket2;
    const Outcome out2 = run(socket2, proxy, QStringLiteral("no-such-host.invalid"), 25);
    QCOMPARE(out2.error, errc::Firewall);
    QCOMPARE(remote.requestedHost(), QByteArray("no-such-host.invalid"));
    QVERIFY2(out2.text.contains(QStringLiteral("host unreachable (code 4)")),
             qPrintable(out2.text));
}

void tst_Connector::cancelDuringHandshake()
{
    // A proxy that accepts and never answers.
    QTcpServer silent;
    QVERIFY(silent.listen(QHostAddress::LocalHost, 0));
    QTcpSocket socket;
    Connector connector;
    QSignalSpy established(&connector, &Connector::established);
    QSignalSpy failed(&connector, &Connector::failed);
    QSignalSpy status(&connector, &Connector::connectionStatus);
    connector.connectToHost(&socket, QStringLiteral("127.0.0.1"), 25,
                            proxyOf(ProxySettings::Socks5, silent.serverPort()),
                            QAbstractSocket::IPv4Protocol);
    QVERIFY(connector.isFirewallPhase());
    QTRY_COMPARE(socket.state(), QAbstractSocket::ConnectedState);
    QTRY_VERIFY(silent.hasPendingConnections());
    QTcpSocket *peer = silent.nextPendingConnection();
    QTRY_COMPARE(peer->bytesAvailable(), qint64(3)); // the SOCKS5 greeting
    QVERIFY(connector.isFirewallPhase());
    connector.cancel();
    QVERIFY(!connector.isConnecting());
    QVERIFY(!connector.isFirewallPhase());
    // Neither the proxy's answer nor its close reaches anyone any more.
    peer->write(QByteArray::fromHex("0500"));
    peer->flush();
    peer->close();
    QTest::qWait(100);
    QCOMPARE(established.count(), 0);
    QCOMPARE(failed.count(), 0);
    QCOMPARE(status.count(), 0);
}

void tst_Connector::autoDetect_data()
{
    QTest::addColumn<QByteArray>("httpProxy"); // the http_proxy value; %1 = the fake's port
    QTest::addColumn<QByteArray>("noProxy");
    QTest::addColumn<int>("fakeProtocol");
    QTest::addColumn<int>("configuredType"); // used when the system names no proxy
    QTest::addColumn<QString>("via");        // "fake", "configured" or "direct"

    QTest::newRow("http_proxy: tunnel") << QByteArray("http://127.0.0.1:%1") << QByteArray()
                                        << int(FakeProxy::Http) << 0 << QStringLiteral("fake");
    QTest::newRow("http_proxy: SOCKS5") << QByteArray("socks5://127.0.0.1:%1") << QByteArray()
                                        << int(FakeProxy::Socks5) << 0 << QStringLiteral("fake");
    QTest::newRow("http_proxy: SOCKS5 with credentials")
        << QByteArray("socks5://alice:s3cret@127.0.0.1:%1") << QByteArray()
        << int(FakeProxy::Socks5) << 0 << QStringLiteral("fake");
    QTest::newRow("no system proxy: direct")
        << QByteArray() << QByteArray() << int(FakeProxy::Socks5) << 0 << QStringLiteral("direct");
    QTest::newRow("no system proxy: the configured one")
        << QByteArray() << QByteArray() << int(FakeProxy::Socks5) << int(ProxySettings::Socks5)
        << QStringLiteral("configured");
    QTest::newRow("no_proxy names the host")
        << QByteArray("http://127.0.0.1:%1") << QByteArray("localhost") << int(FakeProxy::Http) << 0
        << QStringLiteral("direct");
}

void tst_Connector::autoDetect()
{
    QFETCH(QByteArray, httpProxy);
    QFETCH(QByteArray, noProxy);
    QFETCH(int, fakeProtocol);
    QFETCH(int, configuredType);
    QFETCH(QString, via);

    const EnvGuard g1("http_proxy"), g2("HTTP_PROXY"), g3("all_proxy"), g4("ALL_PROXY"),
        g5("no_proxy"), g6("NO_PROXY");
    for (const char *name :
         {"http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY", "no_proxy", "NO_PROXY"})
        qunsetenv(name);

    TargetServer target;
    FakeProxy::Options options;
    options.protocol = FakeProxy::Protocol(fakeProtocol);
    if (httpProxy.contains("alice")) {
        options.user = "alice";
        options.password = "s3cret";
    }
    FakeProxy fake(options);
    QVERIFY(fake.listen());
    FakeProxy configured({});
    QVERIFY(configured.listen());
    if (!httpProxy.isEmpty())
        qputenv("http_proxy", QString::fromLatin1(httpProxy).arg(fake.port()).toLatin1());
    if (!noProxy.isEmpty())
        qputenv("no_proxy", noProxy);

    ProxySettings proxy;
    proxy.autoDetect = true;
    if (configuredType != 0)
        proxy = proxyOf(configuredType, configured.port());
    proxy.autoDetect = true;
    QTcpSocket socket;
    const Outcome out = run(socket, proxy, QStringLiteral("localhost"), target.serverPort());
    QCOMPARE(out.events.last(), QStringLiteral("established"));
    QCOMPARE(out.firstBytes, kGreeting);
    QCOMPARE(fake.tunnelCount(), via == QLatin1String("fake") ? 1 : 0);
    QCOMPARE(configured.tunnelCount(), via == QLatin1String("configured") ? 1 : 0);
    QCOMPARE(out.events.contains(QStringLiteral("status:Firewall connection complete")),
             via != QLatin1String("direct"));
    if (via == QLatin1String("fake")) {
        // Names go to a detected proxy unresolved, as Qt would hand them.
        QCOMPARE(fake.requestedHost(), QByteArray("localhost"));
        QCOMPARE(fake.requestedUser(), options.user);
    }
}

void tst_Connector::autoDetectKeepsCredentialsHome()
{
    const EnvGuard g1("http_proxy"), g2("HTTP_PROXY"), g3("all_proxy"), g4("ALL_PROXY"),
        g5("no_proxy"), g6("NO_PROXY");
    for (const char *name :
         {"http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY", "no_proxy", "NO_PROXY"})
        qunsetenv(name);
    qputenv("http_proxy", "http://127.0.0.1:3128");
    ProxySettings configured;
    configured.autoDetect = true;
    configured.type = ProxySettings::Socks5;
    configured.host = QStringLiteral("corp-socks.internal");
    configured.port = 1080;
    configured.user = QStringLiteral("corp-user");
    configured.password = QStringLiteral("corp-secret");
    configured.extraHeaders = "Proxy-Authorization: Bearer corp-token\r\n";
    // Another proxy named by the system: the configured secrets stay home.
    const ProxySettings other = applySystemProxy(configured, QStringLiteral("mail.test"), 25);
    QCOMPARE(other.type, int(ProxySettings::Tunnel));
    QCOMPARE(other.host, QStringLiteral("127.0.0.1"));
    QCOMPARE(other.port, quint16(3128));
    QVERIFY(other.user.isEmpty());
    QVERIFY(other.password.isEmpty());
    QVERIFY(other.extraHeaders.isEmpty());
    // The very proxy that was configured: its credentials apply.
    configured.type = ProxySettings::Tunnel;
    configured.host = QStringLiteral("127.0.0.1");
    configured.port = 3128;
    const ProxySettings same = applySystemProxy(configured, QStringLiteral("mail.test"), 25);
    QCOMPARE(same.user, QStringLiteral("corp-user"));
    QCOMPARE(same.password, QStringLiteral("corp-secret"));
    QCOMPARE(same.extraHeaders, configured.extraHeaders);
}

QTEST_GUILESS_MAIN(tst_Connector)
#include "tst_connector.moc"
