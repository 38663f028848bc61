// Ssmtp through firewalls (issue 3): real proxies started by the test on 127.0.0.1 with
// private configurations - Dante (danted: SOCKS5 and SOCKS4 without authentication) and
// tinyproxy (HTTP CONNECT, with and without Basic authentication) - in front of the npm
// smtp-server sink; and in-test fake proxies (tests/support/fakeproxy.h) relaying to the same
// sink for what the real ones do not do here: SOCKS5 user/password (Dante checks system
// accounts), SOCKS4A (Dante has no 4A), FirewallData headers, replies with IPv6 and
// domain-name bound addresses, refusals, a close mid-handshake and an endless HTTP header.
// Every delivery is checked at the sink, and that the proxy carried it (its log, or the fake's
// relay count).
#include "fakeproxy.h"
#include "integrationutil.h"
#include "realserver.h"
#include "ssmtp.h"
#include "ssmtpfirewall.h"

#include <QElapsedTimer>
#include <QFile>
#include <QNetworkProxy>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

#include <unistd.h>

using namespace integration;

namespace {

quint16 freePort()
{
    QTcpServer probe;
    return probe.listen(QHostAddress::LocalHost, 0) ? probe.serverPort() : 0;
}

// A real proxy daemon on 127.0.0.1 with its own configuration, log and pid file in a
// temporary folder. It runs under a small shell that kills it when the test's end of its
// standard input closes, so a crashed test leaves no daemon behind.
class ProxyDaemon
{
public:
    enum Kind { Dante, Tinyproxy };

    ProxyDaemon(Kind kind, const QString &extraConfig, quint16 connectPort)
        : m_kind(kind)
    {
        const QString binary = QStandardPaths::findExecutable(
            kind == Dante ? QStringLiteral("danted") : QStringLiteral("tinyproxy"),
            {QStringLiteral("/usr/sbin"), QStringLiteral("/usr/bin"), QStringLiteral("/sbin")});
        if (binary.isEmpty()) {
            m_skipReason = kind == Dante ? QStringLiteral("danted not installed (dante-server)")
                                         : QStringLiteral("tinyproxy not installed");
            return;
        }
        if (!m_dir.isValid()) {
            m_error = QStringLiteral("no temporary folder");
            return;
        }
        m_port = freePort();
        const QString conf = m_dir.filePath(QStringLiteral("proxy.conf"));
        m_logFile = m_dir.filePath(kind == Dante ? QStringLiteral("danted.log")
                                                 : QStringLiteral("tinyproxy.log"));
        const QString pidFile = m_dir.filePath(QStringLiteral("proxy.pid"));
        QString text;
        QStringList args;
        if (kind == Dante) {
            text =
                QStringLiteral("logoutput: %1\n"
                               "internal: 127.0.0.1 port = %2\n"
                               "external: 127.0.0.1\n"
                               "clientmethod: none\n"
                               "socksmethod: none\n"
                               "%3"
                               "client pass {\n from: 127.0.0.0/8 to: 0.0.0.0/0\n log: error\n}\n"
                               "socks pass {\n from: 127.0.0.0/8 to: 127.0.0.0/8\n"
                               " command: connect\n protocol: tcp\n"
                               " log: connect disconnect error\n}\n"
                               "socks block {\n from: 0.0.0.0/0 to: 0.0.0.0/0\n log: error\n}\n")
                    .arg(m_logFile)
                    .arg(m_port)
                    .arg(::geteuid() == 0 ? QStringLiteral("user.unprivileged: nobody\n")
                                          : QString());
            args = {binary, QStringLiteral("-f"), conf, QStringLiteral("-p"), pidFile};
        } else {
            text = QStringLiteral("Port %1\nListen 127.0.0.1\nTimeout 60\nLogFile \"%2\"\n"
                                  "LogLevel Connect\nPidFile \"%3\"\nMaxClients 20\n"
                                  "Allow 127.0.0.1\nConnectPort %4\n")
                       .arg(m_port)
                       .arg(m_logFile, pidFile)
                       .arg(connectPort);
            args = {binary, QStringLiteral("-d"), QStringLiteral("-c"), conf};
        }
        text += extraConfig;
        QFile file(conf);
        if (!file.open(QIODevice::WriteOnly) || file.write(text.toUtf8()) < 0) {
            m_error = QStringLiteral("cannot write %1").arg(conf);
            return;
        }
        file.close();
        m_process.setProcessChannelMode(QProcess::MergedChannels);
        m_process.start(QStringLiteral("/bin/sh"),
                        QStringList{QStringLiteral("-c"),
                                    QStringLiteral("\"$@\" & pid=$!; cat >/dev/null; kill \"$pid\" "
                                                   "2>/dev/null; wait \"$pid\""),
                                    QStringLiteral("sh")} +
                            args);
        if (!m_process.waitForStarted(5000)) {
            m_error = m_process.errorString();
            return;
        }
        // Ready when it accepts connections.
        QElapsedTimer clock;
        clock.start();
        while (clock.elapsed() < 10000 && m_process.state() == QProcess::Running) {
            QTcpSocket probe;
            probe.connectToHost(QHostAddress::LocalHost, m_port);
            if (probe.waitForConnected(200)) {
                probe.abort();
                m_running = true;
                return;
            }
            QTest::qWait(50);
        }
        m_error = QStringLiteral("%1 did not start: %2 %3")
                      .arg(binary, QString::fromLocal8Bit(m_process.readAll()), log());
    }

    ~ProxyDaemon()
    {
        if (m_process.state() == QProcess::NotRunning)
            return;
        m_process.closeWriteChannel(); // the shell kills the daemon and waits for it
        if (!m_process.waitForFinished(10000)) {
            m_process.kill();
            m_process.waitForFinished(2000);
        }
    }

    QString skipReason() const { return m_skipReason; }
    QString errorString() const { return m_error; }
    bool isRunning() const { return m_running; }
    quint16 port() const { return m_port; }
    QString log() const
    {
        QFile f(m_logFile);
        return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
    }
    // Polls the log (it is written asynchronously) until it matches.
    bool waitForLog(const QRegularExpression &re, int msecs = 5000) const
    {
        return QTest::qWaitFor([&] { return re.match(log()).hasMatch(); }, msecs);
    }

private:
    Kind m_kind;
    QTemporaryDir m_dir;
    QProcess m_process;
    QString m_logFile;
    QString m_skipReason;
    QString m_error;
    quint16 m_port = 0;
    bool m_running = false;
};

#define PROXY_REQUIRE(daemon)                                                                      \
    do {                                                                                           \
        if (!(daemon).skipReason().isEmpty()) {                                                    \
            const QByteArray reason_ = "PROXY NOT AVAILABLE: " + (daemon).skipReason().toUtf8();   \
            qWarning("%s", reason_.constData());                                                   \
            if (RealSmtpServer::realServersRequired())                                             \
                QFAIL(reason_.constData());                                                        \
            QSKIP(reason_.constData());                                                            \
        }                                                                                          \
        QVERIFY2((daemon).isRunning(), qPrintable((daemon).errorString()));                        \
    } while (false)

// One send() through the facade, with what the tests look at.
struct Attempt
{
    explicit Attempt(Ssmtp *smtp)
        : spies(smtp)
        , status(smtp, &Ssmtp::connectionStatus)
    {}
    SsmtpSpies spies;
    QSignalSpy status;
    qint64 elapsedMs = 0;

    QStringList events() const
    {
        QStringList out;
        for (const QList<QVariant> &args : status)
            out << args.at(0).toString();
        return out;
    }
    bool firewallBeforeServer() const
    {
        const QStringList e = events();
        const qsizetype fw = e.indexOf(QStringLiteral("Firewall connection complete"));
        const qsizetype server = e.indexOf(QStringLiteral("Remote host connection complete"));
        return fw >= 0 && server > fw;
    }
    QString describe() const
    {
        return spies.errorText() + QLatin1Char('\n') + events().join(QLatin1String(" | ")) +
               QLatin1Char('\n') + spies.trailText();
    }
};

} // namespace

class tst_Firewall : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanupTestCase();

    void danteSocks5();
    void danteSocks5NameResolvedByProxy();
    void danteSocks4();
    void tinyproxyTunnel();
    void tinyproxyBasicAuth();
    void tinyproxyWrongPassword();
    void tinyproxyPortNotAllowed();
    void autoDetectFromEnvironment();
    void noFirewallIgnoresApplicationProxy();

    void fakeDelivers_data();
    void fakeDelivers();
    void fakeRefuses_data();
    void fakeRefuses();
    void endlessHttpHeader();

private:
    // Prepares smtp for one message to the sink through `firewall`; the subject names the test.
    void prepare(Ssmtp &smtp, const SsmtpFirewall &firewall,
                 const QString &mailServer = QStringLiteral("127.0.0.1"));
    // Runs send() to its end.
    void run(Ssmtp &smtp, Attempt &attempt);
    // The delivered message has this test's subject and body.
    void verifyDelivered(const Attempt &attempt);
    // Sends this test's message to the sink through firewall and checks it arrived.
    void deliver(const SsmtpFirewall &firewall,
                 const QString &mailServer = QStringLiteral("127.0.0.1"));
    // The daemon's log shows the connection to the sink; pattern has %1 for the sink's port.
    void verifyLogged(const ProxyDaemon &daemon, const QString &pattern);
    QString subject() const;

    RealSmtpServer m_server;
};

void tst_Firewall::initTestCase()
{
    qRegisterMetaType<Ssmtp::Error>();
    m_server = RealSmtpServer::startSmtpServerSink();
    REALSERVER_REQUIRE(m_server);
}

void tst_Firewall::init()
{
    m_server.clearMessages();
}

void tst_Firewall::cleanupTestCase()
{
    m_server.stop();
}

QString tst_Firewall::subject() const
{
    return QStringLiteral("firewall %1 %2")
        .arg(QLatin1String(QTest::currentTestFunction()),
             QLatin1String(QTest::currentDataTag() ? QTest::currentDataTag() : ""))
        .trimmed();
}

void tst_Firewall::prepare(Ssmtp &smtp, const SsmtpFirewall &firewall, const QString &mailServer)
{
    smtp.setMailServer(mailServer);
    smtp.setMailPort(m_server.port());
    smtp.setTimeout(20);
    smtp.setFirewall(firewall);
    smtp.setFrom(QStringLiteral("john@example.test"));
    smtp.setSendTo(QStringLiteral("bob@example.test"));
    smtp.setSubject(subject());
    smtp.setMessageText(QStringLiteral("Through the firewall.\n.one dot\nlast line"));
}

void tst_Firewall::run(Ssmtp &smtp, Attempt &attempt)
{
    QElapsedTimer clock;
    clock.start();
    smtp.send();
    QVERIFY2(waitForOperation(smtp, attempt.spies.sent, attempt.spies.errors, 30000),
             qPrintable(attempt.describe()));
    attempt.elapsedMs = clock.elapsed();
}

void tst_Firewall::verifyDelivered(const Attempt &attempt)
{
    QVERIFY2(attempt.spies.errors.isEmpty(), qPrintable(attempt.describe()));
    QCOMPARE(attempt.spies.sent.count(), 1);
    QVERIFY2(attempt.firewallBeforeServer(), qPrintable(attempt.describe()));
    const QList<QByteArray> messages = m_server.waitForMessages(1, 10000);
    QCOMPARE(messages.size(), 1);
    const QJsonObject report = RealSmtpServer::checkMessage(messages.first());
    QVERIFY2(!report.contains(QStringLiteral("error")), qPrintable(reportDiagnostics(report)));
    QCOMPARE(header(report, QStringLiteral("Subject")), subject());
    QCOMPARE(bodyText(report), QStringLiteral("Through the firewall.\n.one dot\nlast line"));
}

void tst_Firewall::deliver(const SsmtpFirewall &firewall, const QString &mailServer)
{
    Ssmtp smtp;
    prepare(smtp, firewall, mailServer);
    Attempt attempt(&smtp);
    run(smtp, attempt);
    verifyDelivered(attempt);
}

void tst_Firewall::verifyLogged(const ProxyDaemon &daemon, const QString &pattern)
{
    QVERIFY2(daemon.waitForLog(QRegularExpression(pattern.arg(m_server.port()))),
             qPrintable(daemon.log()));
}

// ---- real proxies -------------------------------------------------------------------------

void tst_Firewall::danteSocks5()
{
    ProxyDaemon dante(ProxyDaemon::Dante, QString(), 0);
    PROXY_REQUIRE(dante);
    deliver(SsmtpFirewall(SsmtpFirewall::Socks5, QStringLiteral("127.0.0.1"), dante.port()));
    // Dante's log: a SOCKS connect from us through it to the sink's port.
    verifyLogged(dante, QStringLiteral("pass\\(\\d+\\): tcp/connect .*-> "
                                       "127\\.0\\.0\\.1\\.\\d+ 127\\.0\\.0\\.1\\.%1"));
}

void tst_Firewall::danteSocks5NameResolvedByProxy()
{
    // "*localhost": the name goes to Dante unresolved (ATYP 3) and Dante resolves it.
    ProxyDaemon dante(ProxyDaemon::Dante, QString(), 0);
    PROXY_REQUIRE(dante);
    deliver(SsmtpFirewall(SsmtpFirewall::Socks5, QStringLiteral("127.0.0.1"), dante.port()),
            QStringLiteral("*localhost"));
    verifyLogged(dante, QStringLiteral("tcp/connect .*127\\.0\\.0\\.1\\.%1"));
}

void tst_Firewall::danteSocks4()
{
    // SOCKS4: "localhost" is resolved here to 127.0.0.1; FirewallUser is the SOCKS user id.
    ProxyDaemon dante(ProxyDaemon::Dante, QString(), 0);
    PROXY_REQUIRE(dante);
    deliver(SsmtpFirewall(SsmtpFirewall::Socks4, QStringLiteral("127.0.0.1"), dante.port(),
                          QStringLiteral("ssmtp")),
            QStringLiteral("localhost"));
    verifyLogged(dante, QStringLiteral("tcp/connect .*127\\.0\\.0\\.1\\.%1"));
}

void tst_Firewall::tinyproxyTunnel()
{
    ProxyDaemon tiny(ProxyDaemon::Tinyproxy, QString(), m_server.port());
    PROXY_REQUIRE(tiny);
    deliver(SsmtpFirewall(SsmtpFirewall::Tunnel, QStringLiteral("127.0.0.1"), tiny.port()),
            QStringLiteral("localhost"));
    verifyLogged(tiny, QStringLiteral("CONNECT localhost:%1 HTTP/1.1"));
}

void tst_Firewall::tinyproxyBasicAuth()
{
    ProxyDaemon tiny(ProxyDaemon::Tinyproxy, QStringLiteral("BasicAuth alice s3cret\n"),
                     m_server.port());
    PROXY_REQUIRE(tiny);
    deliver(SsmtpFirewall(SsmtpFirewall::Tunnel, QStringLiteral("127.0.0.1"), tiny.port(),
                          QStringLiteral("alice"), QStringLiteral("s3cret")));
    verifyLogged(tiny, QStringLiteral("CONNECT 127.0.0.1:%1 HTTP/1.1"));
}

void tst_Firewall::tinyproxyWrongPassword()
{
    ProxyDaemon tiny(ProxyDaemon::Tinyproxy, QStringLiteral("BasicAuth alice s3cret\n"),
                     m_server.port());
    PROXY_REQUIRE(tiny);
    for (const QString &password : {QString(), QStringLiteral("wrong")}) {
        Ssmtp smtp;
        const QString user = password.isEmpty() ? QString() : QStringLiteral("alice");
        prepare(smtp, SsmtpFirewall(SsmtpFirewall::Tunnel, QStringLiteral("127.0.0.1"), tiny.port(),
                                    user, password));
        Attempt attempt(&smtp);
        run(smtp, attempt);
        QCOMPARE(attempt.spies.errorCodes(), QList<int>{Ssmtp::FirewallError});
        const QString text = attempt.spies.errors.first().at(1).toString();
        // tinyproxy asks for credentials with 407 and refuses wrong ones with 401.
        QVERIFY2(text.contains(password.isEmpty()
                                   ? QStringLiteral("407 Proxy Authentication Required")
                                   : QStringLiteral("401 Unauthorized")),
                 qPrintable(text));
        QVERIFY2(text.contains(password.isEmpty() ? QStringLiteral("set the firewall's user")
                                                  : QStringLiteral("did not accept")),
                 qPrintable(text));
        QCOMPARE(smtp.error(), Ssmtp::FirewallError);
        QVERIFY(!attempt.events().contains(QStringLiteral("Firewall connection complete")));
    }
    QCOMPARE(m_server.messageCount(), 0);
}

void tst_Firewall::tinyproxyPortNotAllowed()
{
    // ConnectPort allows another port only: tinyproxy's own refusal comes through.
    ProxyDaemon tiny(ProxyDaemon::Tinyproxy, QString(), quint16(m_server.port() + 1));
    PROXY_REQUIRE(tiny);
    Ssmtp smtp;
    prepare(smtp, SsmtpFirewall(SsmtpFirewall::Tunnel, QStringLiteral("127.0.0.1"), tiny.port()));
    Attempt attempt(&smtp);
    run(smtp, attempt);
    QCOMPARE(attempt.spies.errorCodes(), QList<int>{Ssmtp::FirewallError});
    const QString text = attempt.spies.errors.first().at(1).toString();
    QVERIFY2(text.contains(QStringLiteral("403 Access violation")), qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("127.0.0.1:%1").arg(tiny.port())), qPrintable(text));
}

void tst_Firewall::autoDetectFromEnvironment()
{
    ProxyDaemon tiny(ProxyDaemon::Tinyproxy, QString(), m_server.port());
    PROXY_REQUIRE(tiny);
    const QByteArray saved = qgetenv("http_proxy");
    const bool had = qEnvironmentVariableIsSet("http_proxy");
    const auto restore = qScopeGuard([&] {
        if (had)
            qputenv("http_proxy", saved);
        else
            qunsetenv("http_proxy");
    });
    qputenv("http_proxy", "http://127.0.0.1:" + QByteArray::number(tiny.port()));
    SsmtpFirewall fw;
    fw.setAutoDetect(true);
    deliver(fw, QStringLiteral("localhost"));
    verifyLogged(tiny, QStringLiteral("CONNECT localhost:%1 HTTP/1.1"));
}

void tst_Firewall::noFirewallIgnoresApplicationProxy()
{
    // An application-wide proxy that leads nowhere does not catch the mail connection.
    QNetworkProxy::setApplicationProxy(
        QNetworkProxy(QNetworkProxy::Socks5Proxy, QStringLiteral("127.0.0.1"), freePort()));
    const auto restore = qScopeGuard([] { QNetworkProxy::setApplicationProxy(QNetworkProxy()); });
    Ssmtp smtp;
    prepare(smtp, SsmtpFirewall());
    Attempt attempt(&smtp);
    run(smtp, attempt);
    QVERIFY2(attempt.spies.errors.isEmpty(), qPrintable(attempt.describe()));
    QVERIFY(!attempt.events().contains(QStringLiteral("Firewall connection complete")));
    QCOMPARE(m_server.waitForMessages(1, 10000).size(), 1);
}

// ---- fake proxies relaying to the sink ----------------------------------------------------

void tst_Firewall::fakeDelivers_data()
{
    QTest::addColumn<int>("type");
    QTest::addColumn<int>("fakeProtocol");
    QTest::addColumn<QString>("mailServer");
    QTest::addColumn<bool>("auth");
    QTest::addColumn<int>("boundType");
    QTest::addColumn<QString>("firewallData");
    QTest::addColumn<QByteArray>("requestedHost");

    const int f4 = FakeProxy::Socks4, f5 = FakeProxy::Socks5, fh = FakeProxy::Http;
    QTest::newRow("SOCKS5 user/password")
        << int(SsmtpFirewall::Socks5) << f5 << QStringLiteral("127.0.0.1") << true << 1 << QString()
        << QByteArray("127.0.0.1");
    QTest::newRow("SOCKS5 *name, IPv6 bound address")
        << int(SsmtpFirewall::Socks5) << f5 << QStringLiteral("*localhost") << false << 4
        << QString() << QByteArray("localhost");
    QTest::newRow("SOCKS5 domain-name bound address")
        << int(SsmtpFirewall::Socks5) << f5 << QStringLiteral("localhost") << false << 3
        << QString() << QByteArray("127.0.0.1");
    QTest::newRow("SOCKS4A") << int(SsmtpFirewall::Socks4A) << f4 << QStringLiteral("localhost")
                             << false << 1 << QString() << QByteArray("localhost");
    QTest::newRow("SOCKS4 *name") << int(SsmtpFirewall::Socks4) << f4
                                  << QStringLiteral("*localhost") << false << 1 << QString()
                                  << QByteArray("localhost");
    QTest::newRow("tunnel with FirewallData and Basic")
        << int(SsmtpFirewall::Tunnel) << fh << QStringLiteral("localhost") << true << 1
        << QStringLiteral("X-Token: 42\r\nX-Client: ssmtp") << QByteArray("localhost");
}

void tst_Firewall::fakeDelivers()
{
    QFETCH(int, type);
    QFETCH(int, fakeProtocol);
    QFETCH(QString, mailServer);
    QFETCH(bool, auth);
    QFETCH(int, boundType);
    QFETCH(QString, firewallData);
    QFETCH(QByteArray, requestedHost);

    FakeProxy::Options options;
    options.protocol = FakeProxy::Protocol(fakeProtocol);
    options.socks5BoundType = boundType;
    if (auth) {
        options.user = "alice";
        options.password = "s3cret";
    }
    FakeProxy fake(options);
    QVERIFY(fake.listen());
    Ssmtp smtp;
    prepare(smtp,
            SsmtpFirewall(SsmtpFirewall::FirewallType(type), QStringLiteral("127.0.0.1"),
                          fake.port(), auth ? QStringLiteral("alice") : QString(),
                          auth ? QStringLiteral("s3cret") : QString()),
            mailServer);
    if (!firewallData.isEmpty())
        QCOMPARE(smtp.config(QStringLiteral("FirewallData=") + firewallData), QString());
    Attempt attempt(&smtp);
    run(smtp, attempt);
    verifyDelivered(attempt);
    QCOMPARE(fake.tunnelCount(), 1);
    QCOMPARE(fake.requestedHost(), requestedHost);
    QCOMPARE(fake.requestedPort(), m_server.port());
    QVERIFY(fake.relayedToTarget() > 100); // the whole SMTP dialogue went through it
    if (auth && type == SsmtpFirewall::Socks5)
        QCOMPARE(fake.requestedUser(), QByteArray("alice"));
    if (!firewallData.isEmpty()) {
        const QByteArray head = fake.handshakes().first();
        QVERIFY2(head.contains("\r\nX-Token: 42\r\nX-Client: ssmtp\r\n\r\n"), head.constData());
        QVERIFY2(head.contains("\r\nProxy-Authorization: Basic YWxpY2U6czNjcmV0\r\n"),
                 head.constData());
    }
}

void tst_Firewall::fakeRefuses_data()
{
    QTest::addColumn<int>("type");
    QTest::addColumn<int>("fakeProtocol");
    QTest::addColumn<int>("socks4Code");
    QTest::addColumn<int>("socks5Rep");
    QTest::addColumn<QByteArray>("httpStatus");
    QTest::addColumn<bool>("closeMid");
    QTest::addColumn<QString>("textPart");

    const int S4 = SsmtpFirewall::Socks4, S5 = SsmtpFirewall::Socks5, T = SsmtpFirewall::Tunnel;
    const int f4 = FakeProxy::Socks4, f5 = FakeProxy::Socks5, fh = FakeProxy::Http;
    const QByteArray ok = "HTTP/1.1 200 OK";
    QTest::newRow("SOCKS4 91") << S4 << f4 << 91 << 0 << ok << false
                               << QStringLiteral("request rejected or failed (code 91)");
    QTest::newRow("SOCKS4 92") << S4 << f4 << 92 << 0 << ok << false
                               << QStringLiteral("cannot reach identd on the client (code 92)");
    QTest::newRow("SOCKS4 93") << S4 << f4 << 93 << 0 << ok << false
                               << QStringLiteral("reports a different user id (code 93)");
    QTest::newRow("SOCKS5 ruleset") << S5 << f5 << 90 << 2 << ok << false
                                    << QStringLiteral("connection not allowed by ruleset (code 2)");
    QTest::newRow("HTTP 407") << T << fh << 90 << 0
                              << QByteArray("HTTP/1.1 407 Proxy Authentication Required") << false
                              << QStringLiteral("407 Proxy Authentication Required");
    QTest::newRow("SOCKS4 closes mid-handshake")
        << S4 << f4 << 90 << 0 << ok << true
        << QStringLiteral("closed the connection during the SOCKS4 handshake");
    QTest::newRow("SOCKS5 closes mid-handshake")
        << S5 << f5 << 90 << 0 << ok << true
        << QStringLiteral("closed the connection during the SOCKS5 handshake");
    QTest::newRow("HTTP closes mid-handshake")
        << T << fh << 90 << 0 << ok << true
        << QStringLiteral("closed the connection during the HTTP CONNECT handshake");
}

void tst_Firewall::fakeRefuses()
{
    QFETCH(int, type);
    QFETCH(int, fakeProtocol);
    QFETCH(int, socks4Code);
    QFETCH(int, socks5Rep);
    QFETCH(QByteArray, httpStatus);
    QFETCH(bool, closeMid);
    QFETCH(QString, textPart);

    FakeProxy::Options options;
    options.protocol = FakeProxy::Protocol(fakeProtocol);
    options.socks4Code = socks4Code;
    options.socks5Rep = socks5Rep;
    options.httpStatusLine = httpStatus;
    options.closeMidHandshake = closeMid;
    FakeProxy fake(options);
    QVERIFY(fake.listen());
    Ssmtp smtp;
    prepare(smtp, SsmtpFirewall(SsmtpFirewall::FirewallType(type), QStringLiteral("127.0.0.1"),
                                fake.port()));
    Attempt attempt(&smtp);
    run(smtp, attempt);
    QCOMPARE(attempt.spies.errorCodes(), QList<int>{Ssmtp::FirewallError});
    const QString text = attempt.spies.errors.first().at(1).toString();
    QVERIFY2(text.contains(textPart), qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("127.0.0.1:%1").arg(fake.port())), qPrintable(text));
    QCOMPARE(smtp.errorString(), text);
    QVERIFY(!attempt.events().contains(QStringLiteral("Firewall connection complete")));
    QVERIFY(!smtp.isConnected());
    QCOMPARE(fake.tunnelCount(), 0);
    QCOMPARE(m_server.messageCount(), 0);
}

void tst_Firewall::endlessHttpHeader()
{
    FakeProxy::Options options;
    options.protocol = FakeProxy::Http;
    options.httpEndlessHeaders = true;
    FakeProxy fake(options);
    QVERIFY(fake.listen());
    Ssmtp smtp;
    prepare(smtp, SsmtpFirewall(SsmtpFirewall::Tunnel, QStringLiteral("127.0.0.1"), fake.port()));
    smtp.setTimeout(60); // the bound ends it, not the timeout
    Attempt attempt(&smtp);
    run(smtp, attempt);
    QCOMPARE(attempt.spies.errorCodes(), QList<int>{Ssmtp::FirewallError});
    QVERIFY2(attempt.spies.errors.first().at(1).toString().contains(
                 QStringLiteral("response header is longer than")),
             qPrintable(attempt.describe()));
    QVERIFY2(attempt.elapsedMs < 5000, QByteArray::number(attempt.elapsedMs).constData());
    QVERIFY2(fake.endlessBytes() < 2 * 1024 * 1024,
             QByteArray::number(fake.endlessBytes()).constData());
}

QTEST_GUILESS_MAIN(tst_Firewall)
#include "tst_firewall.moc"
