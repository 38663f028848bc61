// The TCP socket settings of the spec (LocalHost, LocalPort, UseIPv6, TCPKeepAlive,
// KeepAliveTime, KeepAliveInterval, Linger, LingerTime, TcpNoDelay, InBufferSize,
// OutBufferSize, ConnectionTimeout) end to end through the Ssmtp facade on loopback. Each is
// checked where it takes effect: what the server sees, or the kernel's state of the client's
// socket (found in this process by its ports), never the stored value.
// Names that resolve to both ::1 and 127.0.0.1 come from socket-settings.hosts through
// nss_wrapper (CMakeLists.txt preloads it); MaxTransferRate is covered by tst_ssmtp_session.
#include "sessiontestutil.h"
#include "socketprobe.h"
#include "ssmtp.h"

#include <QElapsedTimer>
#include <QHostInfo>
#include <QSocketNotifier>
#include <QTest>

#include <array>
#include <memory>

using namespace Qt::StringLiterals;
using namespace sessiontest;
using namespace socketprobe;

namespace {

const QString DualName = QStringLiteral("dual.ssmtp.test"); // ::1, then 127.0.0.1

// Just enough SMTP on raw descriptors: a greeting, 250 to EHLO and the rest, 221 to QUIT
// without closing (so the client closes first), and how the client ended each connection.
class RawSmtpServer
{
public:
    struct Connection
    {
        int fd = -1;
        QHostAddress peer;
        quint16 peerPort = 0;
        PeerEnd end = PeerEnd::Open;
        QByteArray pending;
        std::unique_ptr<QSocketNotifier> notifier;
    };

    RawSmtpServer()
    {
        m_server.onAccepted = [this](int fd) { accept(fd); };
    }
    bool listen(const QHostAddress &address, quint16 port = 0)
    {
        return m_server.listen(address, port);
    }
    quint16 port() const { return m_server.serverPort(); }
    const QList<std::shared_ptr<Connection>> &connections() const { return m_connections; }
    std::shared_ptr<Connection> last() const
    {
        return m_connections.isEmpty() ? nullptr : m_connections.last();
    }

private:
    void accept(int fd)
    {
        auto c = std::make_shared<Connection>();
        c->fd = fd;
        c->peer = peerAddress(fd, &c->peerPort);
        c->notifier = std::make_unique<QSocketNotifier>(fd, QSocketNotifier::Read);
        Connection *raw = c.get();
        QObject::connect(c->notifier.get(), &QSocketNotifier::activated, c->notifier.get(),
                         [raw] { onReadable(raw); });
        m_connections.append(c);
        reply(fd, "220 raw ESMTP\r\n");
    }
    static void reply(int fd, const QByteArray &text)
    {
        ::send(fd, text.data(), size_t(text.size()), MSG_NOSIGNAL);
    }
    static void onReadable(Connection *c)
    {
        char buffer[4096];
        for (;;) {
            const ssize_t n = ::recv(c->fd, buffer, sizeof buffer, 0);
            if (n > 0) {
                c->pending.append(buffer, qsizetype(n));
                continue;
            }
            if (n < 0 && errno == EINTR)
                continue;
            if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
                break;
            c->end = n == 0 ? PeerEnd::Fin : errno == ECONNRESET ? PeerEnd::Reset : PeerEnd::Error;
            c->notifier->setEnabled(false);
            return;
        }
        qsizetype eol;
        while ((eol = c->pending.indexOf("\r\n")) >= 0) {
            const QByteArray verb = c->pending.left(4).toUpper();
            c->pending.remove(0, eol + 2);
            reply(c->fd, verb == "QUIT" ? "221 bye\r\n" : "250 ok\r\n");
        }
    }

    RawAcceptServer m_server;
    QList<std::shared_ptr<Connection>> m_connections;
};

// A listening socket whose accept queue is full (backlog 0 plus connections nobody accepts):
// the kernel drops further SYNs, so a connect hangs until the client gives up.
class FullBacklog
{
public:
    ~FullBacklog()
    {
        for (const int fd : std::as_const(m_fds))
            ::close(fd);
    }
    quint16 open()
    {
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        const int listener = ::socket(AF_INET, SOCK_STREAM, 0);
        m_fds.append(listener);
        socklen_t size = sizeof address;
        auto *sa = reinterpret_cast<sockaddr *>(&address);
        if (::bind(listener, sa, size) != 0 || ::listen(listener, 0) != 0 ||
            ::getsockname(listener, sa, &size) != 0)
            return 0;
        for (int i = 0; i < 2; ++i) {
            const int filler = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
            m_fds.append(filler);
            ::connect(filler, sa, size);
        }
        QTest::qWait(50);
        // Full when one more connect is still pending after a while.
        const int probe = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
        m_fds.append(probe);
        ::connect(probe, sa, size);
        QTest::qWait(200);
        sockaddr_storage peer{};
        socklen_t peerSize = sizeof peer;
        if (::getpeername(probe, reinterpret_cast<sockaddr *>(&peer), &peerSize) == 0)
            return 0; // it connected: the queue is not full
        return ntohs(address.sin_port);
    }

private:
    QList<int> m_fds;
};

// A facade with the server set and nothing else.
void aim(Ssmtp &smtp, const QString &host, quint16 port)
{
    smtp.setMailServer(host);
    smtp.setMailPort(port);
    smtp.setTimeout(10);
}

void configure(Ssmtp &smtp, const QStringList &settings)
{
    for (const QString &setting : settings) {
        smtp.config(setting);
        QVERIFY2(smtp.error() == Ssmtp::NoError,
                 qPrintable(setting + u": "_s + smtp.errorString()));
    }
}

} // namespace

class tst_SocketSettings : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void bindLocalHostAndPort();
    void badLocalHostFailsTheConnection_data();
    void badLocalHostFailsTheConnection();
    void useIPv6Literal_data();
    void useIPv6Literal();
    void useIPv6ByName_data();
    void useIPv6ByName();
    void keepAlive_data();
    void keepAlive();
    void linger_data();
    void linger();
    void buffersAndNoDelay_data();
    void buffersAndNoDelay();
    void connectionTimeout_data();
    void connectionTimeout();
    void invalidValueIsRefused_data();
    void invalidValueIsRefused();
    void invalidValuesLeaveTheSocketAlone();

private:
    // Aims smtp at server (on 127.0.0.1) with the settings and connects; returns the client's
    // descriptor (-1 on failure).
    int connectWith(Ssmtp &smtp, RawSmtpServer &server, const QStringList &settings = {});
};

int tst_SocketSettings::connectWith(Ssmtp &smtp, RawSmtpServer &server, const QStringList &settings)
{
    aim(smtp, V4.toString(), server.port());
    configure(smtp, settings);
    Terminal t(&smtp);
    smtp.connectToServer();
    if (!t.connected.wait(5000) && t.connected.isEmpty()) {
        qWarning("connect failed: %d %s", int(t.lastError()), qPrintable(t.lastErrorText()));
        return -1;
    }
    const auto c = server.last();
    return c ? findConnection(c->peerPort, server.port()) : -1;
}

// LocalHost + LocalPort: the server sees the connection from 127.0.0.2 and that port, and
// localHost reads back the interface in use while connected.
void tst_SocketSettings::bindLocalHostAndPort()
{
    RawSmtpServer server;
    QVERIFY(server.listen(V4));
    const quint16 port = freePort();
    QVERIFY(port != 0);
    Ssmtp smtp;
    smtp.setLocalHost(QStringLiteral("127.0.0.2"));
    QVERIFY(connectWith(smtp, server, {u"LocalPort=%1"_s.arg(port)}) >= 0);
    QCOMPARE(server.last()->peer, QHostAddress(QStringLiteral("127.0.0.2")));
    QCOMPARE(server.last()->peerPort, port);
    QCOMPARE(smtp.localHost(), QStringLiteral("127.0.0.2"));
    Terminal t(&smtp);
    smtp.disconnectFromServer();
    QVERIFY(t.disconnected.wait(5000));
}

void tst_SocketSettings::badLocalHostFailsTheConnection_data()
{
    QTest::addColumn<QString>("localHost");
    QTest::addColumn<QString>("errorPart");
    QTest::newRow("not this machine's address") << u"203.0.113.7"_s << u"Cannot bind"_s;
    QTest::newRow("IPv6 address with UseIPv6=0") << u"::1"_s << u"has no IPv4 address"_s;
}

void tst_SocketSettings::badLocalHostFailsTheConnection()
{
    QFETCH(QString, localHost);
    QFETCH(QString, errorPart);
    RawSmtpServer server;
    QVERIFY(server.listen(V4));
    Ssmtp smtp;
    aim(smtp, V4.toString(), server.port());
    smtp.setLocalHost(localHost);
    Terminal t(&smtp);
    smtp.connectToServer();
    QVERIFY(t.error.wait(5000));
    QCOMPARE(t.lastError(), Ssmtp::CommunicationError);
    QVERIFY2(t.lastErrorText().contains(errorPart), qPrintable(t.lastErrorText()));
    QVERIFY(server.connections().isEmpty());
}

// UseIPv6 with address literals: 0 refuses an IPv6 server, 1 an IPv4 one, 2 takes both.
void tst_SocketSettings::useIPv6Literal_data()
{
    QTest::addColumn<int>("useIPv6");
    QTest::addColumn<bool>("ipv6Server");
    QTest::addColumn<int>("error");
    QTest::newRow("0 to 127.0.0.1") << 0 << false << 0;
    QTest::newRow("0 to ::1") << 0 << true << int(Ssmtp::HostNotFoundError);
    QTest::newRow("1 to ::1") << 1 << true << 0;
    QTest::newRow("1 to 127.0.0.1") << 1 << false << int(Ssmtp::HostNotFoundError);
    QTest::newRow("2 to ::1") << 2 << true << 0;
    QTest::newRow("2 to 127.0.0.1") << 2 << false << 0;
}

void tst_SocketSettings::useIPv6Literal()
{
    QFETCH(int, useIPv6);
    QFETCH(bool, ipv6Server);
    QFETCH(int, error);
    if (!hasIPv6Loopback())
        QSKIP("This machine has no IPv6 loopback (::1).");
    RawSmtpServer server;
    const QHostAddress address = ipv6Server ? V6 : V4;
    QVERIFY(server.listen(address));
    Ssmtp smtp;
    aim(smtp, address.toString(), server.port());
    configure(smtp, {u"UseIPv6=%1"_s.arg(useIPv6)});
    Terminal t(&smtp);
    smtp.connectToServer();
    QTRY_COMPARE(t.count(), 1);
    QCOMPARE(int(t.lastError()), error);
    QCOMPARE(server.connections().size(), error ? 0 : 1);
    if (!error)
        QCOMPARE(server.last()->peer.protocol(), address.protocol());
}

// UseIPv6 with a name that has both addresses (::1 first, as RFC 6724 orders loopback), and
// servers on one or both families at the same port. 2 prefers IPv6 and falls back to IPv4,
// also on a socket bound to a LocalPort.
void tst_SocketSettings::useIPv6ByName_data()
{
    QTest::addColumn<int>("useIPv6");
    QTest::addColumn<bool>("onV4");
    QTest::addColumn<bool>("onV6");
    QTest::addColumn<bool>("localPort");
    QTest::addColumn<int>("error");
    QTest::addColumn<bool>("overIPv6");
    QTest::newRow("0, server on both: IPv4") << 0 << true << true << false << 0 << false;
    QTest::newRow("0, server on ::1 only: refused")
        << 0 << false << true << false << int(Ssmtp::ConnectionRefusedError) << false;
    QTest::newRow("1, server on both: IPv6") << 1 << true << true << false << 0 << true;
    QTest::newRow("1, server on 127.0.0.1 only: refused")
        << 1 << true << false << false << int(Ssmtp::ConnectionRefusedError) << false;
    QTest::newRow("2, server on both: IPv6") << 2 << true << true << false << 0 << true;
    QTest::newRow("2, server on ::1 only") << 2 << false << true << false << 0 << true;
    QTest::newRow("2, server on 127.0.0.1 only: fallback")
        << 2 << true << false << false << 0 << false;
    QTest::newRow("2 + LocalPort, ::1 only") << 2 << false << true << true << 0 << true;
    QTest::newRow("2 + LocalPort, 127.0.0.1 only: fallback")
        << 2 << true << false << true << 0 << false;
}

void tst_SocketSettings::useIPv6ByName()
{
    QFETCH(int, useIPv6);
    QFETCH(bool, onV4);
    QFETCH(bool, onV6);
    QFETCH(bool, localPort);
    QFETCH(int, error);
    QFETCH(bool, overIPv6);
    if (!hasIPv6Loopback())
        QSKIP("This machine has no IPv6 loopback (::1).");
    const QList<QHostAddress> resolved = QHostInfo::fromName(DualName).addresses();
    if (resolved != QList<QHostAddress>{V6, V4}) {
        const QByteArray why = DualName.toUtf8() +
                               " does not resolve to ::1, 127.0.0.1: needs libnss-wrapper "
                               "(scripts/setup-deps.sh) and the test run by ctest";
        if (qEnvironmentVariable("CI") == QLatin1String("true"))
            QFAIL(why.constData());
        QSKIP(why.constData());
    }
    // The same port on both families (retry until 127.0.0.1 has it free too).
    RawSmtpServer v4, v6;
    quint16 port = 0;
    for (int attempt = 0; attempt < 20 && port == 0; ++attempt) {
        RawSmtpServer probe;
        QVERIFY(probe.listen(V6));
        QTcpServer v4Probe;
        if (v4Probe.listen(V4, probe.port()))
            port = probe.port();
    }
    QVERIFY(port != 0);
    if (onV6)
        QVERIFY(v6.listen(V6, port));
    if (onV4)
        QVERIFY(v4.listen(V4, port));
    Ssmtp smtp;
    aim(smtp, DualName, port);
    configure(smtp, {u"UseIPv6=%1"_s.arg(useIPv6)});
    const quint16 local = localPort ? freePort() : 0;
    if (localPort)
        configure(smtp, {u"LocalPort=%1"_s.arg(local)});
    Terminal t(&smtp);
    smtp.connectToServer();
    QTRY_COMPARE(t.count(), 1);
    QCOMPARE(int(t.lastError()), error);
    if (error) {
        QVERIFY(v4.connections().isEmpty() && v6.connections().isEmpty());
        return;
    }
    QCOMPARE(v6.connections().size(), overIPv6 ? 1 : 0);
    QCOMPARE(v4.connections().size(), overIPv6 ? 0 : 1);
    if (localPort)
        QCOMPARE((overIPv6 ? v6 : v4).last()->peerPort, local);
}

// Keep-alive as the kernel runs it for the facade's connection: SO_KEEPALIVE, TCP_KEEPIDLE,
// TCP_KEEPINTVL, and the connection's keep-alive timer (`ss -o` timer:(keepalive,...)) due
// within KeepAliveTime rather than the system's two hours. KeepAliveTime or KeepAliveInterval
// alone turn keep-alive on.
void tst_SocketSettings::keepAlive_data()
{
    const int idle = sysctl("net/ipv4/tcp_keepalive_time");
    const int interval = sysctl("net/ipv4/tcp_keepalive_intvl");
    QTest::addColumn<QStringList>("settings");
    QTest::addColumn<int>("keepAlive");
    QTest::addColumn<int>("idleSeconds");
    QTest::addColumn<int>("intervalSeconds");
    QTest::newRow("default: off") << QStringList() << 0 << idle << interval;
    QTest::newRow("TCPKeepAlive=True")
        << QStringList{u"TCPKeepAlive=True"_s} << 1 << idle << interval;
    QTest::newRow("all three") << QStringList{u"TCPKeepAlive=True"_s, u"KeepAliveTime=2000"_s,
                                              u"KeepAliveInterval=1000"_s}
                               << 1 << 2 << 1;
    QTest::newRow("KeepAliveTime alone")
        << QStringList{u"KeepAliveTime=3000"_s} << 1 << 3 << interval;
    QTest::newRow("KeepAliveInterval alone")
        << QStringList{u"KeepAliveInterval=2000"_s} << 1 << idle << 2;
}

void tst_SocketSettings::keepAlive()
{
    QFETCH(QStringList, settings);
    QFETCH(int, keepAlive);
    QFETCH(int, idleSeconds);
    QFETCH(int, intervalSeconds);
    RawSmtpServer server;
    QVERIFY(server.listen(V4));
    Ssmtp smtp;
    const int fd = connectWith(smtp, server, settings);
    QVERIFY(fd >= 0);
    QCOMPARE(intOption(fd, SOL_SOCKET, SO_KEEPALIVE), keepAlive);
    QCOMPARE(intOption(fd, IPPROTO_TCP, TCP_KEEPIDLE), idleSeconds);
    QCOMPARE(intOption(fd, IPPROTO_TCP, TCP_KEEPINTVL), intervalSeconds);
    const auto timer = connectionTimer(server.last()->peerPort, server.port());
    QVERIFY(timer);
    QCOMPARE(timer->kind, keepAlive ? 2 : 0);
    if (keepAlive)
        QVERIFY2(timer->seconds <= idleSeconds, qPrintable(QString::number(timer->seconds)));
}

// Linger decides how the client's close looks to the server after QUIT: FIN by default and
// with a LingerTime (SO_LINGER {1, LingerTime}), RST with Linger=False.
void tst_SocketSettings::linger_data()
{
    QTest::addColumn<QStringList>("settings");
    QTest::addColumn<int>("onoff");
    QTest::addColumn<int>("seconds");
    QTest::addColumn<int>("end");
    QTest::newRow("default: FIN") << QStringList() << 0 << 0 << int(PeerEnd::Fin);
    QTest::newRow("LingerTime=2: FIN")
        << QStringList{u"LingerTime=2"_s} << 1 << 2 << int(PeerEnd::Fin);
    QTest::newRow("Linger=False: RST")
        << QStringList{u"Linger=False"_s} << 1 << 0 << int(PeerEnd::Reset);
}

void tst_SocketSettings::linger()
{
    QFETCH(QStringList, settings);
    QFETCH(int, onoff);
    QFETCH(int, seconds);
    QFETCH(int, end);
    RawSmtpServer server;
    QVERIFY(server.listen(V4));
    Ssmtp smtp;
    const int fd = connectWith(smtp, server, settings);
    QVERIFY(fd >= 0);
    const ::linger l = lingerOption(fd);
    QCOMPARE(l.l_onoff != 0 ? 1 : 0, onoff);
    if (onoff)
        QCOMPARE(l.l_linger, seconds);
    Terminal t(&smtp);
    smtp.disconnectFromServer();
    QVERIFY(t.disconnected.wait(5000));
    QTRY_VERIFY(server.last()->end != PeerEnd::Open);
    QCOMPARE(int(server.last()->end), end);
}

// InBufferSize/OutBufferSize reach the kernel (which doubles them) and, set before the SYN,
// shape the window the client offers (rcv_ssthresh; about 64 KiB by default). TcpNoDelay
// turns Nagle off.
void tst_SocketSettings::buffersAndNoDelay_data()
{
    QTest::addColumn<QStringList>("settings");
    QTest::addColumn<int>("rcvbuf");
    QTest::addColumn<int>("sndbuf");
    QTest::addColumn<int>("noDelay");
    QTest::addColumn<int>("window"); // 1: at most InBufferSize, 0: the default, -1: not checked
    QTest::newRow("defaults") << QStringList() << 0 << 0 << 0 << 0;
    QTest::newRow("sizes + TcpNoDelay")
        << QStringList{u"InBufferSize=4096"_s, u"OutBufferSize=16384"_s, u"TcpNoDelay=True"_s}
        << 2 * 4096 << 2 * 16384 << 1 << 1;
    // With UseIPv6=2 the sizes are set once connected: the buffers, not the first window.
    QTest::newRow("sizes, UseIPv6=2")
        << QStringList{u"UseIPv6=2"_s, u"InBufferSize=5000"_s, u"OutBufferSize=7000"_s} << 2 * 5000
        << 2 * 7000 << 0 << -1;
}

void tst_SocketSettings::buffersAndNoDelay()
{
    QFETCH(QStringList, settings);
    QFETCH(int, rcvbuf);
    QFETCH(int, sndbuf);
    QFETCH(int, noDelay);
    QFETCH(int, window);
    RawSmtpServer server;
    QVERIFY(server.listen(V4));
    Ssmtp smtp;
    const int fd = connectWith(smtp, server, settings);
    QVERIFY(fd >= 0);
    if (rcvbuf)
        QCOMPARE(intOption(fd, SOL_SOCKET, SO_RCVBUF), rcvbuf);
    if (sndbuf)
        QCOMPARE(intOption(fd, SOL_SOCKET, SO_SNDBUF), sndbuf);
    QCOMPARE(intOption(fd, IPPROTO_TCP, TCP_NODELAY), noDelay);
    const quint32 offered = tcpInfo(fd).tcpi_rcv_ssthresh;
    if (window >= 0)
        QVERIFY2(window ? offered <= 4096u : offered > 8192u, qPrintable(QString::number(offered)));
}

// ConnectionTimeout bounds establishing the connection on its own (error 201 after about
// that long, not after Timeout), and when unset Timeout does.
void tst_SocketSettings::connectionTimeout_data()
{
    QTest::addColumn<int>("connectionTimeout");
    QTest::addColumn<int>("timeout");
    QTest::addColumn<int>("expectedMs");
    QTest::newRow("ConnectionTimeout=1, Timeout=60") << 1 << 60 << 1000;
    QTest::newRow("ConnectionTimeout=2, Timeout=1") << 2 << 1 << 2000;
    QTest::newRow("unset, Timeout=1") << 0 << 1 << 1000;
}

void tst_SocketSettings::connectionTimeout()
{
    QFETCH(int, connectionTimeout);
    QFETCH(int, timeout);
    QFETCH(int, expectedMs);
    FullBacklog backlog;
    const quint16 port = backlog.open();
    QVERIFY2(port != 0, "could not fill a listen backlog on 127.0.0.1");
    Ssmtp smtp;
    aim(smtp, V4.toString(), port);
    smtp.setTimeout(timeout);
    if (connectionTimeout)
        configure(smtp, {u"ConnectionTimeout=%1"_s.arg(connectionTimeout)});
    Terminal t(&smtp);
    QElapsedTimer clock;
    clock.start();
    smtp.connectToServer();
    QTRY_COMPARE_WITH_TIMEOUT(t.count(), 1, expectedMs + 3000);
    const qint64 elapsed = clock.elapsed();
    QCOMPARE(t.lastError(), Ssmtp::TimeoutError);
    QVERIFY2(elapsed >= expectedMs - 100 && elapsed < expectedMs + 1500,
             qPrintable(QString::number(elapsed)));
}

// A value config() refuses gives 172 and leaves the setting as it was.
void tst_SocketSettings::invalidValueIsRefused_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("valid");
    QTest::addColumn<QString>("invalid");
    const QList<std::array<const char *, 3>> rows = {
        {"UseIPv6", "2", "3"},
        {"UseIPv6", "2", "-1"},
        {"UseIPv6", "1", "ipv6"},
        {"LocalPort", "1234", "65536"},
        {"LocalPort", "1234", "-1"},
        {"TCPKeepAlive", "True", "maybe"},
        {"KeepAliveTime", "2000", "soon"},
        {"KeepAliveTime", "2000", "-5"},
        {"KeepAliveInterval", "1000", "1.5"},
        {"Linger", "False", "sometimes"},
        {"LingerTime", "5", "65536"},
        {"LingerTime", "5", "-1"},
        {"TcpNoDelay", "True", "2"},
        {"InBufferSize", "4096", "-1"},
        {"OutBufferSize", "8192", "big"},
        {"ConnectionTimeout", "5", "-1"},
        {"ConnectionTimeout", "5", "86401"},
    };
    for (const auto &row : rows) {
        QTest::addRow("%s=%s", row[0], row[2])
            << QString::fromLatin1(row[0]) << QString::fromLatin1(row[1])
            << QString::fromLatin1(row[2]);
    }
}

void tst_SocketSettings::invalidValueIsRefused()
{
    QFETCH(QString, name);
    QFETCH(QString, valid);
    QFETCH(QString, invalid);
    Ssmtp smtp;
    smtp.config(name + u'=' + valid);
    QCOMPARE(smtp.error(), Ssmtp::NoError);
    const QString before = smtp.config(name);
    QCOMPARE(before, valid);
    smtp.config(name + u'=' + invalid);
    QCOMPARE(smtp.error(), Ssmtp::InvalidConfigValueError);
    QCOMPARE(int(smtp.error()), 172);
    QCOMPARE(smtp.config(name), before);
}

// Refused values change nothing on the wire either: the connection made afterwards carries
// the valid values set before them.
void tst_SocketSettings::invalidValuesLeaveTheSocketAlone()
{
    RawSmtpServer server;
    QVERIFY(server.listen(V4));
    const quint16 local = freePort();
    Ssmtp smtp;
    configure(smtp, {u"UseIPv6=0"_s, u"LocalPort=%1"_s.arg(local), u"KeepAliveTime=2000"_s,
                     u"KeepAliveInterval=1000"_s, u"TcpNoDelay=True"_s, u"Linger=False"_s,
                     u"InBufferSize=4096"_s, u"OutBufferSize=8192"_s});
    const QStringList refused = {u"UseIPv6=7"_s,          u"LocalPort=99999"_s,
                                 u"KeepAliveTime=x"_s,    u"KeepAliveInterval=-1"_s,
                                 u"TcpNoDelay=perhaps"_s, u"Linger=2"_s,
                                 u"InBufferSize=-4"_s,    u"OutBufferSize=lots"_s};
    for (const QString &setting : refused) {
        smtp.config(setting);
        QVERIFY2(smtp.error() == Ssmtp::InvalidConfigValueError, qPrintable(setting));
    }
    const int fd = connectWith(smtp, server);
    QVERIFY(fd >= 0);
    QCOMPARE(server.last()->peerPort, local);
    QCOMPARE(server.last()->peer.protocol(), QAbstractSocket::IPv4Protocol);
    QCOMPARE(intOption(fd, SOL_SOCKET, SO_KEEPALIVE), 1);
    QCOMPARE(intOption(fd, IPPROTO_TCP, TCP_KEEPIDLE), 2);
    QCOMPARE(intOption(fd, IPPROTO_TCP, TCP_KEEPINTVL), 1);
    QCOMPARE(intOption(fd, IPPROTO_TCP, TCP_NODELAY), 1);
    QCOMPARE(lingerOption(fd).l_onoff, 1);
    QCOMPARE(lingerOption(fd).l_linger, 0);
    QCOMPARE(intOption(fd, SOL_SOCKET, SO_RCVBUF), 2 * 4096);
    QCOMPARE(intOption(fd, SOL_SOCKET, SO_SNDBUF), 2 * 8192);
    smtp.interrupt();
}

QTEST_GUILESS_MAIN(tst_SocketSettings)
#include "tst_socket_settings.moc"
