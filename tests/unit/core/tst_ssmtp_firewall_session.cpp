// The Ssmtp facade through fake proxies (tests/support/fakeproxy.h) to the scripted fake
// server: the exact SMTP dialogue behind each kind of firewall, TLS (STARTTLS and implicit)
// verified against the mail server's name although the socket is connected to the proxy, the
// order of the connection events, and interrupt and timeout while the proxy holds the
// handshake.
#include "fakeproxy.h"
#include "fakesmtpserver.h"
#include "sessiontestutil.h"
#include "ssmtp.h"
#include "ssmtpfirewall.h"
#include "testfiles.h"
#include "testpki.h"

#include <QSignalSpy>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QtTest>

using namespace sessiontest;
using namespace Qt::StringLiterals;

namespace {

QStringList events(const QSignalSpy &spy)
{
    QStringList out;
    for (const QList<QVariant> &args : spy)
        out << args.at(0).toString();
    return out;
}

} // namespace

class tst_SsmtpFirewallSession : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void plainDialogue_data();
    void plainDialogue();
    void tlsVerifiesMailServerName_data();
    void tlsVerifiesMailServerName();
    void interruptWhileProxyHoldsHandshake();
    void timeoutWhileProxyHoldsHandshake();
    void proxyExceptionsListBypassesFirewall_data();
    void proxyExceptionsListBypassesFirewall();
    void controlCharactersInMailServerRefused();

private:
    QTemporaryDir m_dir;
    QString m_caPem;
};

void tst_SsmtpFirewallSession::initTestCase()
{
    qRegisterMetaType<Ssmtp::Error>();
    QVERIFY(m_dir.isValid());
    QString why;
    QVERIFY2(TestPki::makeTlsSet(m_dir.path(), &why), qPrintable(why));
    m_caPem = QString::fromLatin1(testfiles::readFile(m_dir.filePath(u"ca.pem"_s)));
    QVERIFY(!m_caPem.isEmpty());
}

void tst_SsmtpFirewallSession::plainDialogue_data()
{
    QTest::addColumn<int>("type");
    QTest::addColumn<int>("fakeProtocol");
    QTest::newRow("tunnel") << int(SsmtpFirewall::Tunnel) << int(FakeProxy::Http);
    QTest::newRow("SOCKS4") << int(SsmtpFirewall::Socks4) << int(FakeProxy::Socks4);
    QTest::newRow("SOCKS4A") << int(SsmtpFirewall::Socks4A) << int(FakeProxy::Socks4);
    QTest::newRow("SOCKS5") << int(SsmtpFirewall::Socks5) << int(FakeProxy::Socks5);
}

void tst_SsmtpFirewallSession::plainDialogue()
{
    QFETCH(int, type);
    QFETCH(int, fakeProtocol);
    FakeSmtpServer server;
    server.setStrictEnd(true);
    QVERIFY(server.listen() != 0);
    // The greeting and the proxy's reply come in one segment; the session must see the
    // greeting as its first reply, and nothing of the proxy's.
    server.setScript(ehlo({u"PIPELINING"_s}) + Transaction);
    FakeProxy::Options options;
    options.protocol = FakeProxy::Protocol(fakeProtocol);
    FakeProxy proxy(options);
    QVERIFY(proxy.listen());

    Ssmtp smtp;
    setUpMessage(smtp, server.port());
    smtp.setFirewall(
        SsmtpFirewall(SsmtpFirewall::FirewallType(type), u"127.0.0.1"_s, proxy.port()));
    QSignalSpy status(&smtp, &Ssmtp::connectionStatus);
    QSignalSpy trail(&smtp, &Ssmtp::piTrail);
    Terminal t(&smtp);
    QCOMPARE(sendAndWait(smtp, server, t), QString());
    QCOMPARE(t.sent.count(), 1);
    QCOMPARE(server.contents().value(0), Head + BodyBdat); // unstuffed DATA
    QCOMPARE(proxy.tunnelCount(), 1);
    QCOMPARE(proxy.requestedPort(), server.port());
    const QStringList e = events(status);
    QCOMPARE(e.mid(0, 2), (QStringList{u"Firewall connection complete"_s,
                                       u"Remote host connection complete"_s}));
    // The first server line in the trail is the greeting.
    for (const QList<QVariant> &args : trail) {
        if (args.at(0).toInt() == Ssmtp::Server) {
            QCOMPARE(args.at(1).toString(), u"220 fake ESMTP"_s);
            break;
        }
    }
}

void tst_SsmtpFirewallSession::tlsVerifiesMailServerName_data()
{
    QTest::addColumn<bool>("implicit");
    QTest::addColumn<int>("type");
    QTest::addColumn<int>("fakeProtocol");
    QTest::addColumn<QString>("mailServer");
    QTest::newRow("STARTTLS via SOCKS5")
        << false << int(SsmtpFirewall::Socks5) << int(FakeProxy::Socks5) << u"localhost"_s;
    QTest::newRow("STARTTLS via SOCKS4, *name")
        << false << int(SsmtpFirewall::Socks4) << int(FakeProxy::Socks4) << u"*localhost"_s;
    QTest::newRow("implicit via tunnel")
        << true << int(SsmtpFirewall::Tunnel) << int(FakeProxy::Http) << u"localhost"_s;
    QTest::newRow("implicit via SOCKS5, *name")
        << true << int(SsmtpFirewall::Socks5) << int(FakeProxy::Socks5) << u"*localhost"_s;
}

void tst_SsmtpFirewallSession::tlsVerifiesMailServerName()
{
    // The certificate names localhost and 127.0.0.1; the socket is connected to the proxy at
    // 127.0.0.2. Verification passes only if TLS checks the mail server's name.
    QFETCH(bool, implicit);
    QFETCH(int, type);
    QFETCH(int, fakeProtocol);
    QFETCH(QString, mailServer);
    FakeSmtpServer server;
    QCOMPARE(listenWithTls(server, m_dir.path(), u"server"_s, implicit), QString());
    const QString inside = u"C: EHLO client.test\nS: 250-fake\nS: 250 PIPELINING\n"_s;
    const QString plainPart = ehlo({u"STARTTLS"_s}) + u"C: STARTTLS\nS: 220 go ahead\nSTARTTLS\n"_s;
    server.setScript(implicit ? QString(ehlo({u"PIPELINING"_s}) + Transaction)
                              : QString(plainPart + inside + Transaction));
    FakeProxy::Options options;
    options.protocol = FakeProxy::Protocol(fakeProtocol);
    FakeProxy proxy(options);
    const QHostAddress proxyAddress(u"127.0.0.2"_s);
    QVERIFY(proxy.listen(proxyAddress));

    Ssmtp smtp;
    setUpMessage(smtp, server.port());
    smtp.setMailServer(mailServer);
    smtp.setSslStartMode(implicit ? Ssmtp::SslStartMode::SslImplicit
                                  : Ssmtp::SslStartMode::SslExplicit);
    smtp.config(u"SSLServerCACerts="_s + m_caPem);
    smtp.setFirewall(
        SsmtpFirewall(SsmtpFirewall::FirewallType(type), proxyAddress.toString(), proxy.port()));
    QStringList verdicts;
    connect(&smtp, &Ssmtp::sslServerAuthentication, &smtp,
            [&](const QByteArray &, const QString &, const QString &, const QString &status,
                bool accept) { verdicts << status + (accept ? u" accept"_s : u" refuse"_s); });
    QSignalSpy status(&smtp, &Ssmtp::connectionStatus);
    Terminal t(&smtp);
    QCOMPARE(sendAndWait(smtp, server, t), QString());
    QVERIFY2(t.sent.count() == 1, qPrintable(t.lastErrorText()));
    QCOMPARE(verdicts, QStringList{u"OK accept"_s});
    QVERIFY(!server.tlsFailed());
    QCOMPARE(proxy.tunnelCount(), 1);
    // HTTP CONNECT and "*name" pass the name; otherwise it was resolved here.
    const bool byName = mailServer.startsWith(u'*') || type == SsmtpFirewall::Tunnel;
    QCOMPARE(proxy.requestedHost(), byName ? QByteArray("localhost") : QByteArray("127.0.0.1"));
    const QStringList e = events(status);
    const qsizetype fw = e.indexOf(u"Firewall connection complete"_s);
    const qsizetype tls = e.indexOf(u"SSL handshake complete"_s);
    QVERIFY2(fw >= 0 && tls > fw, qPrintable(e.join(u" | "_s)));
}

void tst_SsmtpFirewallSession::interruptWhileProxyHoldsHandshake()
{
    QTcpServer silent; // accepts and never answers
    QVERIFY(silent.listen(QHostAddress::LocalHost, 0));
    Ssmtp smtp;
    setUpMessage(smtp, 25);
    smtp.setFirewall(SsmtpFirewall(SsmtpFirewall::Socks5, u"127.0.0.1"_s, silent.serverPort()));
    Terminal t(&smtp);
    QSignalSpy status(&smtp, &Ssmtp::connectionStatus);
    smtp.send();
    QTRY_VERIFY(silent.hasPendingConnections());
    QTcpSocket *peer = silent.nextPendingConnection();
    QTRY_COMPARE(peer->bytesAvailable(), qint64(3)); // the SOCKS5 greeting, then nothing
    smtp.interrupt();
    QTRY_COMPARE(t.count(), 1);
    QCOMPARE(t.codes(), QList<Ssmtp::Error>{Ssmtp::InterruptedError});
    // A late answer and the close change nothing.
    peer->write(QByteArray::fromHex("0500"));
    peer->close();
    QTest::qWait(100);
    QCOMPARE(t.count(), 1);
    QVERIFY(!events(status).contains(u"Firewall connection complete"_s));
    QVERIFY(smtp.isIdle());
    QVERIFY(!smtp.isConnected());
}

void tst_SsmtpFirewallSession::timeoutWhileProxyHoldsHandshake()
{
    QTcpServer silent;
    QVERIFY(silent.listen(QHostAddress::LocalHost, 0));
    Ssmtp smtp;
    setUpMessage(smtp, 25);
    smtp.setTimeout(1);
    smtp.setFirewall(SsmtpFirewall(SsmtpFirewall::Tunnel, u"127.0.0.1"_s, silent.serverPort()));
    Terminal t(&smtp);
    smtp.send();
    QTRY_COMPARE_WITH_TIMEOUT(t.count(), 1, 5000);
    QCOMPARE(t.codes(), QList<Ssmtp::Error>{Ssmtp::TimeoutError});
}

void tst_SsmtpFirewallSession::proxyExceptionsListBypassesFirewall_data()
{
    QTest::addColumn<QString>("exceptions");
    QTest::addColumn<bool>("direct");
    QTest::newRow("listed") << u"mail.other.test; 127.0.0.1"_s << true;
    QTest::newRow("not listed") << u"mail.other.test"_s << false;
    QTest::newRow("empty") << QString() << false;
}

// A server in ProxyExceptionsList is reached directly; any other goes through the firewall.
void tst_SsmtpFirewallSession::proxyExceptionsListBypassesFirewall()
{
    QFETCH(QString, exceptions);
    QFETCH(bool, direct);
    FakeSmtpServer server;
    QVERIFY(server.listen() != 0);
    server.setScript(ehlo({u"PIPELINING"_s}) + Transaction);
    FakeProxy::Options options;
    options.protocol = FakeProxy::Socks5;
    FakeProxy proxy(options);
    QVERIFY(proxy.listen());
    Ssmtp smtp;
    setUpMessage(smtp, server.port());
    smtp.setFirewall(SsmtpFirewall(SsmtpFirewall::Socks5, u"127.0.0.1"_s, proxy.port()));
    QCOMPARE(smtp.config(u"ProxyExceptionsList="_s + exceptions), QString());
    Terminal t(&smtp);
    QCOMPARE(sendAndWait(smtp, server, t), QString());
    QCOMPARE(t.sent.count(), 1);
    QCOMPARE(proxy.tunnelCount(), direct ? 0 : 1);
}

// CR/LF in mailServer never reaches a proxy's request line (or a name lookup).
void tst_SsmtpFirewallSession::controlCharactersInMailServerRefused()
{
    FakeProxy::Options options;
    options.protocol = FakeProxy::Http;
    FakeProxy proxy(options);
    QVERIFY(proxy.listen());
    Ssmtp smtp;
    setUpMessage(smtp, 25);
    smtp.setMailServer(u"mail.example\r\nX-Injected: 1"_s);
    smtp.setFirewall(SsmtpFirewall(SsmtpFirewall::Tunnel, u"127.0.0.1"_s, proxy.port()));
    Terminal t(&smtp);
    smtp.send();
    QTRY_COMPARE(t.count(), 1);
    QCOMPARE(t.lastError(), Ssmtp::HostNotFoundError);
    QTest::qWait(50);
    QCOMPARE(proxy.connectionCount(), 0);
}

QTEST_GUILESS_MAIN(tst_SsmtpFirewallSession)
#include "tst_ssmtp_firewall_session.moc"
