// transport::SocketOptions on real loopback sockets: every option is read back from the
// kernel (getsockopt, TCP_INFO) or seen from the server side, not from the struct.
#include "socketprobe.h"
#include "transport/socketoptions.h"

#include <QHostInfo>
#include <QSslSocket>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace ssmtp::transport;
using namespace socketprobe;

namespace {

bool connectTo(QAbstractSocket &socket, const QTcpServer &server,
               QAbstractSocket::NetworkLayerProtocol protocol = QAbstractSocket::IPv4Protocol)
{
    socket.connectToHost(server.serverAddress().toString(), server.serverPort(),
                         QIODevice::ReadWrite, protocol);
    return socket.waitForConnected(3000);
}

int fdOf(const QAbstractSocket &socket)
{
    return int(socket.socketDescriptor());
}

// Connects socket to server, listening on 127.0.0.1 from now, and applies options the way the
// session does once connected.
bool connectAndApply(QAbstractSocket &socket, QTcpServer &server, const SocketOptions &options)
{
    if (!server.listen(V4, 0) || !connectTo(socket, server))
        return false;
    applyConnectedOptions(&socket, options);
    return true;
}

} // namespace

class tst_SocketOptions : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void protocolForUseIPv6_data();
    void protocolForUseIPv6();
    void nothingToBind_data();
    void nothingToBind();
    void bindsLocalHostAndPort();
    void bindsThroughQSslSocket();
    void portOnlyBindFamily_data();
    void portOnlyBindFamily();
    void localHostNames();
    void localHostRejected_data();
    void localHostRejected();
    void buffersBeforeConnect();
    void buffersAfterConnect();
    void keepAlive_data();
    void keepAlive();
    void keepAliveRearmsTimer();
    void linger_data();
    void linger();
    void lingerDecidesFinOrReset_data();
    void lingerDecidesFinOrReset();
    void noDelay_data();
    void noDelay();
};

void tst_SocketOptions::protocolForUseIPv6_data()
{
    QTest::addColumn<int>("useIPv6");
    QTest::addColumn<QAbstractSocket::NetworkLayerProtocol>("protocol");
    QTest::newRow("0: IPv4 only") << 0 << QAbstractSocket::IPv4Protocol;
    QTest::newRow("1: IPv6 only") << 1 << QAbstractSocket::IPv6Protocol;
    QTest::newRow("2: both") << 2 << QAbstractSocket::AnyIPProtocol;
}

void tst_SocketOptions::protocolForUseIPv6()
{
    QFETCH(int, useIPv6);
    QFETCH(QAbstractSocket::NetworkLayerProtocol, protocol);
    SocketOptions options;
    options.useIPv6 = useIPv6;
    QCOMPARE(networkProtocol(options), protocol);
}

// No LocalHost/LocalPort (and no buffers to place before the SYN): the socket stays unbound,
// the system picks the source address per destination.
void tst_SocketOptions::nothingToBind_data()
{
    QTest::addColumn<int>("useIPv6");
    QTest::addColumn<int>("inBufferSize");
    QTest::newRow("defaults") << 0 << 0;
    QTest::newRow("UseIPv6=2 with buffers: set at connect instead") << 2 << 4096;
}

void tst_SocketOptions::nothingToBind()
{
    QFETCH(int, useIPv6);
    QFETCH(int, inBufferSize);
    SocketOptions options;
    options.useIPv6 = useIPv6;
    options.inBufferSize = inBufferSize;
    QTcpSocket socket;
    QCOMPARE(bindLocal(&socket, options), QString());
    QCOMPARE(socket.state(), QAbstractSocket::UnconnectedState);
    QCOMPARE(socket.socketDescriptor(), qintptr(-1));
}

// LocalHost + LocalPort: the server sees the connection come from exactly there.
void tst_SocketOptions::bindsLocalHostAndPort()
{
    QTcpServer server;
    QVERIFY(server.listen(V4, 0));
    const quint16 port = freePort();
    QVERIFY(port != 0);
    SocketOptions options;
    options.localHost = QStringLiteral("127.0.0.2");
    options.localPort = port;
    QTcpSocket socket;
    QCOMPARE(bindLocal(&socket, options), QString());
    QCOMPARE(socket.state(), QAbstractSocket::BoundState);
    QVERIFY(connectTo(socket, server));
    QVERIFY(server.waitForNewConnection(3000));
    std::unique_ptr<QTcpSocket> peer(server.nextPendingConnection());
    QCOMPARE(peer->peerAddress(), QHostAddress(QStringLiteral("127.0.0.2")));
    QCOMPARE(peer->peerPort(), port);
    QCOMPARE(socket.localAddress(), QHostAddress(QStringLiteral("127.0.0.2")));
}

// The session's socket is a QSslSocket (a wrapper around a plain one): the bind must reach
// the descriptor that connects.
void tst_SocketOptions::bindsThroughQSslSocket()
{
    QTcpServer server;
    QVERIFY(server.listen(V4, 0));
    SocketOptions options;
    options.localHost = QStringLiteral("127.0.0.3");
    options.inBufferSize = 6000;
    QSslSocket socket;
    QCOMPARE(bindLocal(&socket, options), QString());
    QVERIFY(connectTo(socket, server));
    QVERIFY(server.waitForNewConnection(3000));
    std::unique_ptr<QTcpSocket> peer(server.nextPendingConnection());
    QCOMPARE(peer->peerAddress(), QHostAddress(QStringLiteral("127.0.0.3")));
    QCOMPARE(intOption(fdOf(socket), SOL_SOCKET, SO_RCVBUF), 2 * 6000); // Linux doubles it
}

// LocalPort alone binds the wildcard address of the families UseIPv6 allows: with 2 the
// one bound socket must still reach an IPv6 and an IPv4 server.
void tst_SocketOptions::portOnlyBindFamily_data()
{
    QTest::addColumn<int>("useIPv6");
    QTest::addColumn<QHostAddress>("boundTo");
    QTest::addColumn<bool>("reachesV4");
    QTest::addColumn<bool>("reachesV6");
    QTest::newRow("0") << 0 << QHostAddress(QHostAddress::AnyIPv4) << true << false;
    QTest::newRow("1") << 1 << QHostAddress(QHostAddress::AnyIPv6) << false << true;
    QTest::newRow("2") << 2 << QHostAddress(QHostAddress::Any) << true << true;
}

void tst_SocketOptions::portOnlyBindFamily()
{
    QFETCH(int, useIPv6);
    QFETCH(QHostAddress, boundTo);
    QFETCH(bool, reachesV4);
    QFETCH(bool, reachesV6);
    if (!hasIPv6Loopback())
        QSKIP("This machine has no IPv6 loopback (::1).");
    QTcpServer v4, v6;
    QVERIFY(v4.listen(V4, 0));
    QVERIFY(v6.listen(V6, 0));
    SocketOptions options;
    options.useIPv6 = useIPv6;
    for (QTcpServer *server : {&v4, &v6}) {
        options.localPort = freePort();
        QTcpSocket socket;
        QCOMPARE(bindLocal(&socket, options), QString());
        QCOMPARE(socket.localAddress(), boundTo);
        QCOMPARE(socket.localPort(), options.localPort);
        const bool expected = server == &v4 ? reachesV4 : reachesV6;
        QCOMPARE(connectTo(socket, *server, networkProtocol(options)), expected);
        if (expected) {
            QVERIFY(server->waitForNewConnection(3000));
            std::unique_ptr<QTcpSocket> peer(server->nextPendingConnection());
            QCOMPARE(peer->peerPort(), options.localPort);
        }
    }
}

// LocalHost may be a name: the machine's own name (the spec's default value) means any
// interface; another name is looked up.
void tst_SocketOptions::localHostNames()
{
    SocketOptions options;
    options.localHost = QHostInfo::localHostName();
    QTcpSocket own;
    QCOMPARE(bindLocal(&own, options), QString());
    QCOMPARE(own.localAddress(), QHostAddress(QHostAddress::AnyIPv4));

    options.localHost = QStringLiteral("localhost");
    QTcpSocket named;
    QCOMPARE(bindLocal(&named, options), QString());
    QCOMPARE(named.localAddress(), V4);
}

void tst_SocketOptions::localHostRejected_data()
{
    QTest::addColumn<QString>("localHost");
    QTest::addColumn<int>("useIPv6");
    QTest::addColumn<QString>("errorPart");
    QTest::newRow("unknown name") << u"no-such-host.invalid"_s << 0 << u"Cannot resolve"_s;
    QTest::newRow("IPv6 address, IPv4 only") << u"::1"_s << 0 << u"has no IPv4 address"_s;
    QTest::newRow("IPv4 address, IPv6 only") << u"127.0.0.1"_s << 1 << u"has no IPv6 address"_s;
    QTest::newRow("not this machine's") << u"203.0.113.7"_s << 0 << u"Cannot bind"_s;
}

void tst_SocketOptions::localHostRejected()
{
    QFETCH(QString, localHost);
    QFETCH(int, useIPv6);
    QFETCH(QString, errorPart);
    SocketOptions options;
    options.localHost = localHost;
    options.useIPv6 = useIPv6;
    QTcpSocket socket;
    const QString error = bindLocal(&socket, options);
    QVERIFY2(error.contains(errorPart), qPrintable(error));
    QVERIFY(error.contains(localHost));
    QVERIFY(socket.state() != QAbstractSocket::BoundState);
}

// tcp(7): buffer sizes count for the window only when set before connect. bindLocal places
// them on the bound descriptor; the window the client offers (rcv_ssthresh) then follows
// InBufferSize from the first segment on, where a default socket offers about 64 KiB.
void tst_SocketOptions::buffersBeforeConnect()
{
    QTcpServer server;
    QVERIFY(server.listen(V4, 0));
    SocketOptions options;
    options.inBufferSize = 4096;
    options.outBufferSize = 8192;
    QTcpSocket socket;
    QCOMPARE(bindLocal(&socket, options), QString());
    QCOMPARE(socket.state(), QAbstractSocket::BoundState);
    QCOMPARE(intOption(fdOf(socket), SOL_SOCKET, SO_RCVBUF), 2 * 4096);
    QCOMPARE(intOption(fdOf(socket), SOL_SOCKET, SO_SNDBUF), 2 * 8192);
    QVERIFY(connectTo(socket, server));
    QCOMPARE(intOption(fdOf(socket), SOL_SOCKET, SO_RCVBUF), 2 * 4096);
    QVERIFY2(tcpInfo(fdOf(socket)).tcpi_rcv_ssthresh <= 4096u,
             qPrintable(QString::number(tcpInfo(fdOf(socket)).tcpi_rcv_ssthresh)));

    QTcpSocket plain;
    QVERIFY(connectTo(plain, server));
    QVERIFY2(tcpInfo(fdOf(plain)).tcpi_rcv_ssthresh > 2 * 4096u,
             qPrintable(QString::number(tcpInfo(fdOf(plain)).tcpi_rcv_ssthresh)));
}

// Sockets bindLocal did not bind (UseIPv6=2) get the sizes once connected.
void tst_SocketOptions::buffersAfterConnect()
{
    QTcpServer server;
    QVERIFY(server.listen(V4, 0));
    QTcpSocket socket;
    QVERIFY(connectTo(socket, server, QAbstractSocket::AnyIPProtocol));
    const int defaultSend = intOption(fdOf(socket), SOL_SOCKET, SO_SNDBUF);
    SocketOptions options;
    options.useIPv6 = 2;
    options.inBufferSize = 5000;
    options.outBufferSize = 7000;
    applyConnectedOptions(&socket, options);
    QCOMPARE(intOption(fdOf(socket), SOL_SOCKET, SO_RCVBUF), 2 * 5000);
    QCOMPARE(intOption(fdOf(socket), SOL_SOCKET, SO_SNDBUF), 2 * 7000);
    QVERIFY(defaultSend != 2 * 7000);
}

// SO_KEEPALIVE, TCP_KEEPIDLE and TCP_KEEPINTVL as the kernel holds them. KeepAliveTime or
// KeepAliveInterval alone turn keep-alive on (spec); milliseconds round up to whole seconds;
// values past Linux's limit (32767 s) are clamped, not refused.
void tst_SocketOptions::keepAlive_data()
{
    const int idle = sysctl("net/ipv4/tcp_keepalive_time");
    const int interval = sysctl("net/ipv4/tcp_keepalive_intvl");
    QTest::addColumn<bool>("tcpKeepAlive");
    QTest::addColumn<int>("timeMs");
    QTest::addColumn<int>("intervalMs");
    QTest::addColumn<int>("keepAlive");
    QTest::addColumn<int>("idleSeconds");
    QTest::addColumn<int>("intervalSeconds");
    QTest::newRow("off") << false << 0 << 0 << 0 << idle << interval;
    QTest::newRow("TCPKeepAlive, system timing") << true << 0 << 0 << 1 << idle << interval;
    QTest::newRow("all three") << true << 2000 << 1000 << 1 << 2 << 1;
    QTest::newRow("KeepAliveTime alone") << false << 3000 << 0 << 1 << 3 << interval;
    QTest::newRow("KeepAliveInterval alone") << false << 0 << 4000 << 1 << idle << 4;
    QTest::newRow("rounded up") << false << 1500 << 1 << 1 << 2 << 1;
    QTest::newRow("clamped") << false << (1 << 30) << (1 << 30) << 1 << 32767 << 32767;
}

void tst_SocketOptions::keepAlive()
{
    QFETCH(bool, tcpKeepAlive);
    QFETCH(int, timeMs);
    QFETCH(int, intervalMs);
    QFETCH(int, keepAlive);
    QFETCH(int, idleSeconds);
    QFETCH(int, intervalSeconds);
    QVERIFY(idleSeconds > 0 && intervalSeconds > 0);
    SocketOptions options;
    options.tcpKeepAlive = tcpKeepAlive;
    options.keepAliveTimeMs = timeMs;
    options.keepAliveIntervalMs = intervalMs;
    QTcpServer server;
    QTcpSocket socket;
    QVERIFY(connectAndApply(socket, server, options));
    const int fd = fdOf(socket);
    QCOMPARE(intOption(fd, SOL_SOCKET, SO_KEEPALIVE), keepAlive);
    QCOMPARE(intOption(fd, IPPROTO_TCP, TCP_KEEPIDLE), idleSeconds);
    QCOMPARE(intOption(fd, IPPROTO_TCP, TCP_KEEPINTVL), intervalSeconds);
}

// The kernel's keep-alive timer for the connection runs with KeepAliveTime, not the system's
// two hours (what `ss -o` shows as timer:(keepalive,...)).
void tst_SocketOptions::keepAliveRearmsTimer()
{
    QTcpServer server;
    QVERIFY(server.listen(V4, 0));
    QTcpSocket socket;
    QVERIFY(connectTo(socket, server));
    const auto before = connectionTimer(socket.localPort(), socket.peerPort());
    QVERIFY(before);
    QCOMPARE(before->kind, 0);
    SocketOptions options;
    options.keepAliveTimeMs = 5000;
    applyConnectedOptions(&socket, options);
    const auto after = connectionTimer(socket.localPort(), socket.peerPort());
    QVERIFY(after);
    QCOMPARE(after->kind, 2);
    QVERIFY2(after->seconds > 0 && after->seconds <= 5.0,
             qPrintable(QString::number(after->seconds)));
}

// SO_LINGER: the default (Linger on, LingerTime 0) leaves the system's graceful close alone;
// Linger off is linger 0 (reset at close); a LingerTime bounds the graceful close.
void tst_SocketOptions::linger_data()
{
    QTest::addColumn<bool>("lingerOn");
    QTest::addColumn<int>("lingerTime");
    QTest::addColumn<int>("onoff");
    QTest::addColumn<int>("seconds");
    QTest::newRow("default") << true << 0 << 0 << 0;
    QTest::newRow("Linger=False") << false << 0 << 1 << 0;
    QTest::newRow("LingerTime=5") << true << 5 << 1 << 5;
    QTest::newRow("Linger=False wins over LingerTime") << false << 5 << 1 << 0;
}

void tst_SocketOptions::linger()
{
    QFETCH(bool, lingerOn);
    QFETCH(int, lingerTime);
    QFETCH(int, onoff);
    QFETCH(int, seconds);
    SocketOptions options;
    options.linger = lingerOn;
    options.lingerTimeSeconds = lingerTime;
    QTcpServer server;
    QTcpSocket socket;
    QVERIFY(connectAndApply(socket, server, options));
    const ::linger l = lingerOption(fdOf(socket));
    QCOMPARE(l.l_onoff != 0 ? 1 : 0, onoff);
    if (onoff)
        QCOMPARE(l.l_linger, seconds);
}

// What the other side sees when the client closes: FIN (recv() == 0) or RST (ECONNRESET).
void tst_SocketOptions::lingerDecidesFinOrReset_data()
{
    QTest::addColumn<bool>("lingerOn");
    QTest::addColumn<int>("lingerTime");
    QTest::addColumn<int>("end");
    QTest::newRow("default: FIN") << true << 0 << int(PeerEnd::Fin);
    QTest::newRow("LingerTime=2: FIN") << true << 2 << int(PeerEnd::Fin);
    QTest::newRow("Linger=False: RST") << false << 0 << int(PeerEnd::Reset);
}

void tst_SocketOptions::lingerDecidesFinOrReset()
{
    QFETCH(bool, lingerOn);
    QFETCH(int, lingerTime);
    QFETCH(int, end);
    RawAcceptServer server;
    QVERIFY(server.listen(V4, 0));
    QTcpSocket socket;
    QVERIFY(connectTo(socket, server));
    QTRY_VERIFY(!server.descriptors().isEmpty());
    const int peer = server.descriptors().first();
    SocketOptions options;
    options.linger = lingerOn;
    options.lingerTimeSeconds = lingerTime;
    applyConnectedOptions(&socket, options);
    socket.disconnectFromHost();
    QTRY_COMPARE(socket.state(), QAbstractSocket::UnconnectedState);
    QCOMPARE(int(waitForPeerEnd(peer)), end);
}

void tst_SocketOptions::noDelay_data()
{
    QTest::addColumn<bool>("tcpNoDelay");
    QTest::newRow("false") << false;
    QTest::newRow("true") << true;
}

void tst_SocketOptions::noDelay()
{
    QFETCH(bool, tcpNoDelay);
    SocketOptions options;
    options.tcpNoDelay = tcpNoDelay;
    QTcpServer server;
    QTcpSocket socket;
    QVERIFY(connectAndApply(socket, server, options));
    QCOMPARE(intOption(fdOf(socket), IPPROTO_TCP, TCP_NODELAY), tcpNoDelay ? 1 : 0);
}

QTEST_GUILESS_MAIN(tst_SocketOptions)
#include "tst_socketoptions.moc"
