// TLS through the Ssmtp facade against the scripted fake server speaking real TLS (QSslSocket
// as server, certificates made by openssl): STARTTLS and implicit TLS, certificate verification
// and acceptance, client certificates, the STARTTLS downgrade and injection attacks, and the SSL
// config settings. Real servers with TLS are in tests/integration/tst_tls_realservers.cpp.
#include "fakesmtpserver.h"
#include "sessiontestutil.h"
#include "ssmtp.h"
#include "testfiles.h"
#include "testpki.h"
#include "transport/tlssettings.h"

#include <QEventLoop>
#include <QFile>
#include <QSignalSpy>
#include <QSslEllipticCurve>
#include <QSslKey>
#include <QTemporaryDir>
#include <QTimer>
#include <QtTest>

using namespace sessiontest;
using namespace testfiles;
using namespace Qt::StringLiterals;
namespace transport = ssmtp::transport;

namespace {

// The EHLO reply after TLS, offering the given extensions.
QString ehloInside(const QStringList &extensions)
{
    QString s = u"C: EHLO client.test\n"_s;
    if (extensions.isEmpty())
        return s + u"S: 250 fake\n"_s;
    s += u"S: 250-fake\n"_s;
    for (int i = 0; i < extensions.size(); ++i)
        s += (i + 1 < extensions.size() ? u"S: 250-"_s : u"S: 250 "_s) + extensions.at(i) + u'\n';
    return s;
}

// The plaintext part up to a granted STARTTLS, and the TLS part up to the transaction.
const QString StartTls =
    ehlo({u"PIPELINING"_s, u"STARTTLS"_s}) + u"C: STARTTLS\nS: 220 2.0.0 go ahead\nSTARTTLS\n"_s;

struct AuthRecord
{
    QByteArray certEncoded;
    QString subject;
    QString issuer;
    QString status;
    bool accept = false;
};

} // namespace

class tst_SsmtpTls : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();

    void startTlsSendsOverTls();
    void authMechanismsOnlyFromEhloAfterTls();
    void implicitTlsSends();
    void automaticModeByPort_data();
    void automaticModeByPort();
    void sslEnabledFollowsStartMode();
    void startTlsNotOfferedFails();
    void heloFallbackNeverContinuesInPlaintext();
    void startTlsRefused_data();
    void startTlsRefused();
    void injectedRepliesAfter220Abort_data();
    void injectedRepliesAfter220Abort();
    void bytesBeforeServerHelloFailHandshake();
    void badCertificateRefused_data();
    void badCertificateRefused();
    void handlerAcceptsFailingCertificate();
    void interruptFromCertificateSlot_data();
    void interruptFromCertificateSlot();
    void nestedEventLoopInCertificateSlot_data();
    void nestedEventLoopInCertificateSlot();
    void plaintextConnectionNotReusedForTls();
    void acceptServerCertMatchesExactly();
    void securityFlagsIgnoreHostName();
    void clientCertificatePresented();
    void clientCertificateRequiredButMissing();
    void clientCertificateWithoutKeyRefusedBeforeConnecting();
    void includeCertChainGivesWholeChain();
    void protocolSettings();
    void negotiatedSettingsReadBack();
    void credentialsOverTlsNeedNoInsecureAuth();
    void caFromOpenSslFileAndDir();
    void ocspStapling_data();
    void groupsAndSignatureAlgorithms_data();
    void groupsAndSignatureAlgorithms();
    void ocspStapling();

private:
    void setUpServer(FakeSmtpServer &server, const QString &cert, bool implicit = false);
    void setUpClient(Ssmtp &smtp, quint16 port, Ssmtp::SslStartMode mode, bool trustCa = true);
    static void record(Ssmtp &smtp, QList<AuthRecord> &records, bool acceptInSlot = false);

    QTemporaryDir m_dir;
    QString m_caPem;
};

void tst_SsmtpTls::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QString why;
    QVERIFY2(TestPki::makeTlsSet(m_dir.path(), &why), qPrintable(why));
    m_caPem = QString::fromLatin1(readFile(m_dir.filePath(u"ca.pem"_s)));
    QVERIFY(!m_caPem.isEmpty());
}

void tst_SsmtpTls::setUpServer(FakeSmtpServer &server, const QString &cert, bool implicit)
{
    QCOMPARE(listenWithTls(server, m_dir.path(), cert, implicit), QString());
}

void tst_SsmtpTls::setUpClient(Ssmtp &smtp, quint16 port, Ssmtp::SslStartMode mode, bool trustCa)
{
    setUpMessage(smtp, port);
    smtp.setMailServer(u"localhost"_s); // the certificate names localhost
    smtp.setSslStartMode(mode);
    if (trustCa)
        smtp.config(u"SSLServerCACerts="_s + m_caPem);
}

void tst_SsmtpTls::record(Ssmtp &smtp, QList<AuthRecord> &records, bool acceptInSlot)
{
    QObject::connect(&smtp, &Ssmtp::sslServerAuthentication, &smtp,
                     [&smtp, &records, acceptInSlot](const QByteArray &encoded,
                                                     const QString &subject, const QString &issuer,
                                                     const QString &status, bool accept) {
                         records.append({encoded, subject, issuer, status, accept});
                         if (acceptInSlot)
                             smtp.acceptServerCertificate();
                     });
}

void tst_SsmtpTls::startTlsSendsOverTls()
{
    FakeSmtpServer server;
    setUpServer(server, u"server"_s);
    server.setScript(StartTls + ehloInside({u"PIPELINING"_s}) + Transaction);
    Ssmtp smtp;
    setUpClient(smtp, server.port(), Ssmtp::SslStartMode::SslExplicit);
    QList<AuthRecord> records;
    record(smtp, records);
    QSignalSpy status(&smtp, &Ssmtp::sslStatus);
    QSignalSpy connection(&smtp, &Ssmtp::connectionStatus);
    QSignalSpy serverCert(&smtp, &Ssmtp::sslServerCertChanged);
    Terminal t(&smtp);
    QCOMPARE(sendAndWait(smtp, server, t), QString());
    QCOMPARE(t.sent.count(), 1);
    QCOMPARE(server.contents().value(0), Head + BodyBdat);
    // Exactly one certificate check, verified OK, with the server's names.
    QCOMPARE(records.size(), 1);
    QCOMPARE(records.at(0).status, u"OK"_s);
    QVERIFY(records.at(0).accept);
    QVERIFY2(records.at(0).subject.contains(u"CN=localhost"_s), qPrintable(records.at(0).subject));
    QVERIFY2(records.at(0).issuer.contains(u"Ssmtp Test TLS CA"_s),
             qPrintable(records.at(0).issuer));
    const QSslCertificate presented(readFile(m_dir.filePath(u"server.pem"_s)), QSsl::Pem);
    QCOMPARE(records.at(0).certEncoded, presented.toDer());
    QCOMPARE(smtp.sslServerCert().toDer(), presented.toDer());
    QCOMPARE(serverCert.count(), 1);
    QVERIFY(status.count() >= 2);
    bool handshakeEvent = false;
    for (const QList<QVariant> &e : connection)
        handshakeEvent |= e.at(0).toString() == u"SSL handshake complete"_s;
    QVERIFY(handshakeEvent);
    // The client waited for the 220 before anything else: the server's STARTTLS directive
    // fails the script on bytes pipelined before the handshake, and EHLO came again inside.
    QVERIFY(!server.tlsFailed());
    QCOMPARE(server.clientLines().mid(0, 3),
             (QList<QByteArray>{"EHLO client.test", "STARTTLS", "EHLO client.test"}));
}

void tst_SsmtpTls::authMechanismsOnlyFromEhloAfterTls()
{
    // Before TLS the server offers PLAIN only; after TLS LOGIN only: the client must use LOGIN
    // (it forgot the first EHLO), without AllowInsecureAuth because the channel is encrypted.
    FakeSmtpServer server;
    setUpServer(server, u"server"_s);
    server.setScript(ehlo({u"AUTH PLAIN"_s, u"STARTTLS"_s}) +
                     u"C: STARTTLS\nS: 220 go ahead\nSTARTTLS\n"_s + ehloInside({u"AUTH LOGIN"_s}) +
                     u"C: AUTH LOGIN\nS: 334 VXNlcm5hbWU6\nC: dXNlcg==\nS: 334 UGFzc3dvcmQ6\n"
                     u"C: c2VjcmV0\nS: 235 ok\n"_s +
                     Transaction);
    Ssmtp smtp;
    setUpClient(smtp, server.port(), Ssmtp::SslStartMode::SslExplicit);
    smtp.setUser(u"user"_s);
    smtp.setPassword(u"secret"_s);
    Terminal t(&smtp);
    QCOMPARE(sendAndWait(smtp, server, t), QString());
    QCOMPARE(t.sent.count(), 1);
    QCOMPARE(server.clientLines().value(3), QByteArray("AUTH LOGIN"));
}

void tst_SsmtpTls::implicitTlsSends()
{
    FakeSmtpServer server;
    setUpServer(server, u"server"_s, true);
    server.setScript(ehlo({u"PIPELINING"_s}) + Transaction);
    Ssmtp smtp;
    setUpClient(smtp, server.port(), Ssmtp::SslStartMode::SslImplicit);
    QList<AuthRecord> records;
    record(smtp, records);
    Terminal t(&smtp);
    QCOMPARE(sendAndWait(smtp, server, t), QString());
    QCOMPARE(t.sent.count(), 1);
    QCOMPARE(records.size(), 1);
    QVERIFY(!server.tlsFailed());
    QCOMPARE(server.contents().value(0), Head + BodyBdat);
}

void tst_SsmtpTls::automaticModeByPort_data()
{
    QTest::addColumn<int>("port");
    QTest::addColumn<int>("mode");
    using transport::TlsSettings;
    QTest::newRow("25: STARTTLS") << 25 << int(TlsSettings::Explicit);
    QTest::newRow("587: STARTTLS") << 587 << int(TlsSettings::Explicit);
    QTest::newRow("465: implicit") << 465 << int(TlsSettings::Implicit);
    QTest::newRow("2525: implicit") << 2525 << int(TlsSettings::Implicit);
}

// Automatic is STARTTLS on the plaintext SMTP ports and implicit TLS anywhere else: the
// resolution itself, then a real send on a (random, so implicit) test port.
void tst_SsmtpTls::automaticModeByPort()
{
    QFETCH(int, port);
    QFETCH(int, mode);
    transport::TlsSettings settings;
    settings.startMode = transport::TlsSettings::Automatic;
    QCOMPARE(settings.effectiveMode(quint16(port)), mode);
    settings.startMode = transport::TlsSettings::Explicit; // explicit choices are kept
    QCOMPARE(settings.effectiveMode(quint16(port)), int(transport::TlsSettings::Explicit));

    FakeSmtpServer server;
    setUpServer(server, u"server"_s, true);
    server.setScript(ehlo({}) + Transaction);
    Ssmtp smtp;
    setUpClient(smtp, server.port(), Ssmtp::SslStartMode::SslAutomatic);
    Terminal t(&smtp);
    QCOMPARE(sendAndWait(smtp, server, t), QString());
    QCOMPARE(t.sent.count(), 1);
}

void tst_SsmtpTls::sslEnabledFollowsStartMode()
{
    Ssmtp smtp;
    QSignalSpy enabled(&smtp, &Ssmtp::sslEnabledChanged);
    QSignalSpy mode(&smtp, &Ssmtp::sslStartModeChanged);
    QCOMPARE(smtp.sslStartMode(), Ssmtp::SslStartMode::SslNone);
    QVERIFY(!smtp.isSslEnabled());
    smtp.setSslEnabled(true);
    QCOMPARE(smtp.sslStartMode(), Ssmtp::SslStartMode::SslAutomatic);
    QCOMPARE(enabled.count(), 1);
    QCOMPARE(mode.count(), 1);
    smtp.setSslStartMode(Ssmtp::SslStartMode::SslExplicit);
    QVERIFY(smtp.isSslEnabled());
    QCOMPARE(enabled.count(), 1); // still enabled: no change signal
    QCOMPARE(mode.count(), 2);
    smtp.setSslEnabled(true); // already: nothing changes
    QCOMPARE(smtp.sslStartMode(), Ssmtp::SslStartMode::SslExplicit);
    smtp.setSslStartMode(Ssmtp::SslStartMode::SslNone);
    QVERIFY(!smtp.isSslEnabled());
    QCOMPARE(enabled.count(), 2);
    QCOMPARE(enabled.last().at(0).toBool(), false);
    smtp.setSslStartMode(Ssmtp::SslStartMode::SslImplicit);
    smtp.setSslEnabled(false);
    QCOMPARE(smtp.sslStartMode(), Ssmtp::SslStartMode::SslNone);
}

void tst_SsmtpTls::startTlsNotOfferedFails()
{
    FakeSmtpServer server;
    setUpServer(server, u"server"_s);
    server.setScript(ehlo({u"PIPELINING"_s, u"AUTH PLAIN"_s}) + u"EXPECT-CLOSE\n"_s);
    Ssmtp smtp;
    setUpClient(smtp, server.port(), Ssmtp::SslStartMode::SslExplicit);
    smtp.setUser(u"user"_s);
    smtp.setPassword(u"secret"_s);
    smtp.config(u"AllowInsecureAuth=true"_s); // even then: explicit TLS never falls back
    Terminal t(&smtp);
    QCOMPARE(sendAndWait(smtp, server, t), QString());
    QCOMPARE(t.lastError(), Ssmtp::HandshakeError);
    QVERIFY2(t.lastErrorText().contains(u"STARTTLS"_s), qPrintable(t.lastErrorText()));
    QCOMPARE(server.clientLines(), QList<QByteArray>{"EHLO client.test"});
}

void tst_SsmtpTls::heloFallbackNeverContinuesInPlaintext()
{
    FakeSmtpServer server;
    setUpServer(server, u"server"_s);
    server.setScript(u"S: 220 old\nC: EHLO client.test\nS: 502 what?\nC: HELO client.test\n"
                     u"S: 250 old\nEXPECT-CLOSE\n"_s);
    Ssmtp smtp;
    setUpClient(smtp, server.port(), Ssmtp::SslStartMode::SslExplicit);
    Terminal t(&smtp);
    QCOMPARE(sendAndWait(smtp, server, t), QString());
    QCOMPARE(t.lastError(), Ssmtp::HandshakeError);
    QCOMPARE(server.clientLines().size(), 2); // EHLO, HELO; no MAIL
}

void tst_SsmtpTls::startTlsRefused_data()
{
    QTest::addColumn<QString>("reply");
    QTest::newRow("454") << u"454 4.7.0 TLS not available due to temporary reason"_s;
    QTest::newRow("501") << u"501 5.5.4 Syntax error"_s;
    QTest::newRow("554") << u"554 5.7.3 no"_s;
}

void tst_SsmtpTls::startTlsRefused()
{
    QFETCH(QString, reply);
    FakeSmtpServer server;
    setUpServer(server, u"server"_s);
    server.setScript(ehlo({u"STARTTLS"_s}) + u"C: STARTTLS\nS: "_s + reply + u"\nEXPECT-CLOSE\n"_s);
    Ssmtp smtp;
    setUpClient(smtp, server.port(), Ssmtp::SslStartMode::SslExplicit);
    Terminal t(&smtp);
    QCOMPARE(sendAndWait(smtp, server, t), QString());
    QCOMPARE(t.lastError(), Ssmtp::HandshakeError);
    QVERIFY2(t.lastErrorText().contains(reply.left(3)), qPrintable(t.lastErrorText()));
    QCOMPARE(server.clientLines().size(), 2); // EHLO, STARTTLS and nothing in plaintext after
}

void tst_SsmtpTls::injectedRepliesAfter220Abort_data()
{
    QTest::addColumn<QString>("raw");
    QTest::newRow("forged replies") << u"220 go ahead\\r\\n250 2.1.0 forged\\r\\n"_s;
    QTest::newRow("forged AUTH success") << u"220 go ahead\\r\\n235 ok\\r\\n"_s;
    QTest::newRow("fragment without line end") << u"220 go ahead\\r\\n25"_s;
}

void tst_SsmtpTls::injectedRepliesAfter220Abort()
{
    QFETCH(QString, raw);
    FakeSmtpServer server;
    setUpServer(server, u"server"_s);
    server.setScript(ehlo({u"STARTTLS"_s, u"AUTH PLAIN"_s}) + u"C: STARTTLS\nS-RAW: "_s + raw +
                     u"\nSTARTTLS\nEXPECT-TLS-FAIL\n"_s);
    Ssmtp smtp;
    setUpClient(smtp, server.port(), Ssmtp::SslStartMode::SslExplicit);
    smtp.setUser(u"user"_s);
    smtp.setPassword(u"secret"_s);
    Terminal t(&smtp);
    QSignalSpy authCheck(&smtp, &Ssmtp::sslServerAuthentication);
    QCOMPARE(sendAndWait(smtp, server, t), QString());
    QCOMPARE(t.lastError(), Ssmtp::HandshakeError);
    QVERIFY2(t.lastErrorText().contains(u"injection"_s), qPrintable(t.lastErrorText()));
    QCOMPARE(authCheck.count(), 0); // the handshake never started
    const QByteArray wire = server.received();
    QCOMPARE(wire, QByteArray("EHLO client.test\r\nSTARTTLS\r\n"));
}

void tst_SsmtpTls::bytesBeforeServerHelloFailHandshake()
{
    FakeSmtpServer server;
    setUpServer(server, u"server"_s);
    server.setScript(ehlo({u"STARTTLS"_s}) +
                     u"C: STARTTLS\nS: 220 go ahead\nSTARTTLS-INJECT: 250 forged\\r\\n\n"
                     u"EXPECT-TLS-FAIL\n"_s);
    Ssmtp smtp;
    setUpClient(smtp, server.port(), Ssmtp::SslStartMode::SslExplicit);
    Terminal t(&smtp);
    QCOMPARE(sendAndWait(smtp, server, t), QString());
    QCOMPARE(t.lastError(), Ssmtp::HandshakeError);
    QVERIFY(!server.received().contains("MAIL"));
}

void tst_SsmtpTls::badCertificateRefused_data()
{
    QTest::addColumn<QString>("cert");
    QTest::addColumn<bool>("implicit");
    QTest::addColumn<bool>("trustCa");
    QTest::addColumn<int>("error");
    QTest::addColumn<QString>("why");
    const int chain = Ssmtp::CertificateChainVerificationError;
    const int other = Ssmtp::CertificateVerificationError;
    for (const bool implicit : {false, true}) {
        const char *path = implicit ? "implicit" : "explicit";
        QTest::addRow("%s: wrong host name", path)
            << u"wronghost"_s << implicit << true << other << u"host name"_s;
        QTest::addRow("%s: self-signed", path)
            << u"selfsigned"_s << implicit << true << chain << u"self-signed"_s;
        QTest::addRow("%s: expired", path)
            << u"expired"_s << implicit << true << other << u"expired"_s;
        QTest::addRow("%s: unknown CA", path)
            << u"server"_s << implicit << false << chain << u"issuer"_s;
    }
}

void tst_SsmtpTls::badCertificateRefused()
{
    QFETCH(QString, cert);
    QFETCH(bool, implicit);
    QFETCH(bool, trustCa);
    QFETCH(int, error);
    QFETCH(QString, why);
    FakeSmtpServer server;
    setUpServer(server, cert, implicit);
    server.setScript(implicit ? u"EXPECT-TLS-FAIL\n"_s
                              : ehlo({u"STARTTLS"_s}) +
                                    u"C: STARTTLS\nS: 220 go ahead\nSTARTTLS\nEXPECT-TLS-FAIL\n"_s);
    Ssmtp smtp;
    setUpClient(smtp, server.port(),
                implicit ? Ssmtp::SslStartMode::SslImplicit : Ssmtp::SslStartMode::SslExplicit,
                trustCa);
    smtp.setUser(u"user"_s);
    smtp.setPassword(u"secret"_s);
    QList<AuthRecord> records;
    record(smtp, records);
    Terminal t(&smtp);
    QCOMPARE(sendAndWait(smtp, server, t), QString());
    QCOMPARE(int(t.lastError()), error);
    QVERIFY2(t.lastErrorText().contains(why, Qt::CaseInsensitive), qPrintable(t.lastErrorText()));
    QCOMPARE(records.size(), 1);
    QVERIFY(!records.at(0).accept);
    QVERIFY(records.at(0).status.contains(why, Qt::CaseInsensitive));
    QVERIFY(server.tlsFailed());
    // Nothing was sent inside TLS, and nothing after STARTTLS in plaintext.
    QVERIFY(!server.received().contains("AUTH"));
    QCOMPARE(server.messages().size(), 0);
}

void tst_SsmtpTls::interruptFromCertificateSlot_data()
{
    QTest::addColumn<QString>("cert");
    QTest::newRow("during a failing verification") << u"selfsigned"_s;
    QTest::newRow("after a good verification") << u"server"_s;
}

// A slot that gives up while the handshake is in progress: one InterruptedError, no crash, the
// connection gone, and the object usable again.
void tst_SsmtpTls::interruptFromCertificateSlot()
{
    QFETCH(QString, cert);
    FakeSmtpServer server;
    setUpServer(server, cert, true);
    server.setScript(u"EXPECT-TLS-FAIL\n"_s);
    Ssmtp smtp;
    setUpClient(smtp, server.port(), Ssmtp::SslStartMode::SslImplicit);
    QObject::connect(&smtp, &Ssmtp::sslServerAuthentication, &smtp, [&smtp] { smtp.interrupt(); });
    Terminal t(&smtp);
    smtp.send();
    QTRY_COMPARE(t.count(), 1);
    QCOMPARE(t.lastError(), Ssmtp::InterruptedError);
    QTRY_VERIFY(smtp.isIdle());
    QVERIFY(!smtp.isConnected());
    QTest::qWait(100); // whatever Qt's TLS backend does after the slot returns
    QCOMPARE(t.count(), 1);
}

void tst_SsmtpTls::nestedEventLoopInCertificateSlot_data()
{
    QTest::addColumn<bool>("interruptInside");
    QTest::newRow("asks the user, then accepts") << false;
    QTest::newRow("cancelled while asking") << true;
}

// A slot that asks the user (a nested event loop, like QMessageBox::exec()) for longer than the
// timeout: the time does not count against the server, and a cancel from inside the loop ends
// the operation cleanly (the socket outlives its own signal).
void tst_SsmtpTls::nestedEventLoopInCertificateSlot()
{
    QFETCH(bool, interruptInside);
    FakeSmtpServer server;
    setUpServer(server, u"selfsigned"_s, true);
    server.setScript(interruptInside ? u"EXPECT-TLS-FAIL\n"_s : ehlo({}) + Transaction);
    Ssmtp smtp;
    setUpClient(smtp, server.port(), Ssmtp::SslStartMode::SslImplicit);
    smtp.setTimeout(1);
    QObject::connect(&smtp, &Ssmtp::sslServerAuthentication, &smtp, [&smtp, interruptInside] {
        QEventLoop dialog;
        if (interruptInside)
            QTimer::singleShot(300, &smtp, [&smtp] { smtp.interrupt(); });
        QTimer::singleShot(1500, &dialog, &QEventLoop::quit);
        dialog.exec();
        if (!interruptInside)
            smtp.acceptServerCertificate();
    });
    Terminal t(&smtp);
    smtp.send();
    QTRY_COMPARE_WITH_TIMEOUT(t.count(), 1, 10000);
    if (interruptInside) {
        QCOMPARE(t.lastError(), Ssmtp::InterruptedError);
    } else {
        QVERIFY2(t.sent.count() == 1, qPrintable(t.lastErrorText()));
        QVERIFY2(server.waitForFinished(5000), qPrintable(server.failure()));
    }
    QTest::qWait(100);
    QCOMPARE(t.count(), 1);
}

// A connection opened in plaintext does not carry a message once TLS is asked for.
void tst_SsmtpTls::plaintextConnectionNotReusedForTls()
{
    FakeSmtpServer server;
    setUpServer(server, u"server"_s);
    server.setScript(ehlo({u"STARTTLS"_s}) + u"C: QUIT\nS: 221 bye\n"_s);
    Ssmtp smtp;
    setUpClient(smtp, server.port(), Ssmtp::SslStartMode::SslNone);
    Terminal t(&smtp);
    smtp.connectToServer();
    QTRY_COMPARE(t.connected.count(), 1);
    smtp.setSslStartMode(Ssmtp::SslStartMode::SslExplicit);
    smtp.send();
    QTRY_COMPARE(t.count(), 2);
    QCOMPARE(t.lastError(), Ssmtp::HandshakeError);
    QCOMPARE(server.clientLines(), QList<QByteArray>{"EHLO client.test"}); // no MAIL
    smtp.disconnectFromServer();
    QVERIFY2(server.waitForFinished(5000), qPrintable(server.failure()));
}

void tst_SsmtpTls::handlerAcceptsFailingCertificate()
{
    FakeSmtpServer server;
    setUpServer(server, u"selfsigned"_s);
    server.setScript(StartTls + ehloInside({}) + Transaction);
    Ssmtp smtp;
    setUpClient(smtp, server.port(), Ssmtp::SslStartMode::SslExplicit);
    QList<AuthRecord> records;
    record(smtp, records, true);
    Terminal t(&smtp);
    QCOMPARE(sendAndWait(smtp, server, t), QString());
    QCOMPARE(t.sent.count(), 1);
    QCOMPARE(records.size(), 1);
    QVERIFY(!records.at(0).accept); // the recommendation was "no"; the application overrode it
    QVERIFY(records.at(0).status != u"OK"_s);
    // Outside the emission acceptServerCertificate() has no effect: the next connection to the
    // same server is refused again.
    FakeSmtpServer again;
    setUpServer(again, u"selfsigned"_s);
    again.setScript(ehlo({u"STARTTLS"_s}) +
                    u"C: STARTTLS\nS: 220 go ahead\nSTARTTLS\nEXPECT-TLS-FAIL\n"_s);
    Ssmtp other;
    setUpClient(other, again.port(), Ssmtp::SslStartMode::SslExplicit);
    other.acceptServerCertificate();
    Terminal t2(&other);
    QCOMPARE(sendAndWait(other, again, t2), QString());
    QCOMPARE(t2.lastError(), Ssmtp::CertificateChainVerificationError);
}

void tst_SsmtpTls::acceptServerCertMatchesExactly()
{
    // The pinned certificate is accepted whatever its verification says ...
    {
        FakeSmtpServer server;
        setUpServer(server, u"selfsigned"_s, true);
        server.setScript(ehlo({}) + Transaction);
        Ssmtp smtp;
        setUpClient(smtp, server.port(), Ssmtp::SslStartMode::SslImplicit, false);
        smtp.setSslAcceptServerCert(
            SsmtpCertificate(readFile(m_dir.filePath(u"selfsigned.pem"_s))));
        QVERIFY(!smtp.sslAcceptServerCert().isNull());
        QList<AuthRecord> records;
        record(smtp, records);
        Terminal t(&smtp);
        QCOMPARE(sendAndWait(smtp, server, t), QString());
        QCOMPARE(t.sent.count(), 1);
        QCOMPARE(records.size(), 1);
        QVERIFY(records.at(0).accept);
        QVERIFY(records.at(0).status != u"OK"_s); // why it would have failed
    }
    // ... but only that one: another (even a valid one) does not unlock a bad certificate.
    {
        FakeSmtpServer server;
        setUpServer(server, u"selfsigned"_s, true);
        server.setScript(u"EXPECT-TLS-FAIL\n"_s);
        Ssmtp smtp;
        setUpClient(smtp, server.port(), Ssmtp::SslStartMode::SslImplicit, false);
        smtp.setSslAcceptServerCert(SsmtpCertificate(readFile(m_dir.filePath(u"server.pem"_s))));
        Terminal t(&smtp);
        QCOMPARE(sendAndWait(smtp, server, t), QString());
        QCOMPARE(t.lastError(), Ssmtp::CertificateChainVerificationError);
    }
}

void tst_SsmtpTls::securityFlagsIgnoreHostName()
{
    FakeSmtpServer server;
    setUpServer(server, u"wronghost"_s, true);
    server.setScript(ehlo({}) + Transaction);
    Ssmtp smtp;
    setUpClient(smtp, server.port(), Ssmtp::SslStartMode::SslImplicit);
    QCOMPARE(smtp.config(u"SSLSecurityFlags=0x80000000"_s), QString());
    QCOMPARE(smtp.config(u"SSLSecurityFlags"_s), u"0x80000000"_s);
    QList<AuthRecord> records;
    record(smtp, records);
    Terminal t(&smtp);
    QCOMPARE(sendAndWait(smtp, server, t), QString());
    QCOMPARE(t.sent.count(), 1);
    QCOMPARE(records.value(0).status, u"OK"_s);
}

void tst_SsmtpTls::clientCertificatePresented()
{
    const QSslCertificate ca(m_caPem.toLatin1(), QSsl::Pem);
    for (const QString &form : {u"p12"_s, u"pem"_s}) {
        FakeSmtpServer server;
        setUpServer(server, u"server"_s, true);
        server.setRequestClientCertificate(true, {ca});
        server.setScript(ehlo({}) + Transaction);
        Ssmtp smtp;
        setUpClient(smtp, server.port(), Ssmtp::SslStartMode::SslImplicit);
        SsmtpCertificate client;
        QString why;
        if (form == u"p12"_s) {
            client = SsmtpCertificate::load(SsmtpCertificate::Auto,
                                            readFile(m_dir.filePath(u"client.p12"_s)),
                                            TestPki::tlsPkcs12Password(), u"*"_s, QString(), &why);
        } else {
            client = SsmtpCertificate::load(SsmtpCertificate::Auto,
                                            readFile(m_dir.filePath(u"client.pem"_s)) +
                                                readFile(m_dir.filePath(u"client.key"_s)),
                                            QString(), u"*"_s, QString(), &why);
        }
        QVERIFY2(!client.isNull(), qPrintable(why));
        smtp.setSslCert(client);
        Terminal t(&smtp);
        const QString failure = sendAndWait(smtp, server, t);
        QVERIFY2(failure.isEmpty(), qPrintable(form + u": "_s + failure));
        QCOMPARE(t.sent.count(), 1);
        QCOMPARE(server.peerCertificate().subjectInfo(QSslCertificate::CommonName),
                 QStringList{u"Ssmtp Test Client"_s});
    }
}

void tst_SsmtpTls::clientCertificateRequiredButMissing()
{
    const QSslCertificate ca(m_caPem.toLatin1(), QSsl::Pem);
    FakeSmtpServer server;
    setUpServer(server, u"server"_s, true);
    server.setRequestClientCertificate(true, {ca});
    server.setScript(u"EXPECT-TLS-FAIL\n"_s);
    Ssmtp smtp;
    setUpClient(smtp, server.port(), Ssmtp::SslStartMode::SslImplicit);
    Terminal t(&smtp);
    QCOMPARE(sendAndWait(smtp, server, t), QString());
    // TLS 1.3: the server's refusal may come after the client's handshake finished, so it
    // shows as a handshake error or as the connection dropping before the greeting.
    QVERIFY2(t.lastError() == Ssmtp::HandshakeError ||
                 t.lastError() == Ssmtp::ConnectionDroppedError,
             qPrintable(t.lastErrorText()));
    QCOMPARE(t.sent.count(), 0);
}

void tst_SsmtpTls::clientCertificateWithoutKeyRefusedBeforeConnecting()
{
    FakeSmtpServer server;
    setUpServer(server, u"server"_s, true);
    server.setScript(u""_s);
    Ssmtp smtp;
    setUpClient(smtp, server.port(), Ssmtp::SslStartMode::SslImplicit);
    smtp.setSslCert(SsmtpCertificate(readFile(m_dir.filePath(u"client.pem"_s))));
    Terminal t(&smtp);
    smtp.send();
    QTRY_COMPARE(t.count(), 1);
    QCOMPARE(t.lastError(), Ssmtp::CredentialsError);
    QVERIFY2(t.lastErrorText().contains(u"private key"_s), qPrintable(t.lastErrorText()));
    QTest::qWait(50);
    QCOMPARE(server.connectionCount(), 0);
}

void tst_SsmtpTls::includeCertChainGivesWholeChain()
{
    const QSslCertificate ca(m_caPem.toLatin1(), QSsl::Pem);
    FakeSmtpServer server;
    const QSslCertificate certificate(readFile(m_dir.filePath(u"server.pem"_s)), QSsl::Pem);
    const QSslKey key(readFile(m_dir.filePath(u"server.key"_s)), QSsl::Ec, QSsl::Pem);
    server.setTls(certificate, key, {ca});
    server.setImplicitTls(true);
    QVERIFY(server.listen() != 0);
    server.setScript(ehlo({}) + Transaction);
    Ssmtp smtp;
    setUpClient(smtp, server.port(), Ssmtp::SslStartMode::SslImplicit);
    QCOMPARE(smtp.config(u"SSLIncludeCertChain=true"_s), QString());
    QList<AuthRecord> records;
    record(smtp, records);
    Terminal t(&smtp);
    QCOMPARE(sendAndWait(smtp, server, t), QString());
    QCOMPARE(records.size(), 1);
    const QList<QSslCertificate> chain = QSslCertificate::fromData(records.at(0).certEncoded);
    QCOMPARE(chain.size(), 2);
    QCOMPARE(chain.at(0), certificate);
    QCOMPARE(chain.at(1), ca);
}

void tst_SsmtpTls::protocolSettings()
{
    Ssmtp smtp;
    QSignalSpy errors(&smtp, &Ssmtp::errorOccurred);
    QCOMPARE(smtp.config(u"SSLEnabledProtocols"_s), u"15360"_s);
    smtp.config(u"SSLEnabledProtocols=192"_s); // TLS 1.0 only
    QCOMPARE(smtp.error(), Ssmtp::InvalidConfigValueError);
    QCOMPARE(smtp.config(u"SSLEnabledProtocols"_s), u"15360"_s); // unchanged
    smtp.config(u"SSLEnabledCipherSuites=NOT_A_CIPHER"_s);
    QCOMPARE(smtp.error(), Ssmtp::InvalidConfigValueError);
    QCOMPARE(smtp.config(u"SSLEnabledCipherSuites"_s), u"*"_s);
    smtp.config(u"SSLNegotiatedVersion=TLSv1.3"_s);
    QCOMPARE(smtp.error(), Ssmtp::InvalidConfigValueError);
    smtp.config(u"SSLServerCACerts=not a certificate"_s);
    QCOMPARE(smtp.error(), Ssmtp::InvalidConfigValueError);
    smtp.config(u"OpenSSLCAFile=/nonexistent/ca.pem"_s);
    QCOMPARE(smtp.error(), Ssmtp::InvalidConfigValueError);
    QCOMPARE(errors.count(), 5);

    // A TLS 1.3-only client against a TLS 1.2-only server: the handshake fails (276).
    FakeSmtpServer server;
    setUpServer(server, u"server"_s, true);
    QSslConfiguration config = server.tlsConfiguration();
    config.setProtocol(QSsl::TlsV1_2);
    server.setTlsConfiguration(config);
    server.setScript(u"EXPECT-TLS-FAIL\n"_s);
    Ssmtp client;
    setUpClient(client, server.port(), Ssmtp::SslStartMode::SslImplicit);
    QCOMPARE(client.config(u"SSLEnabledProtocols=12288"_s), QString());
    Terminal t(&client);
    QCOMPARE(sendAndWait(client, server, t), QString());
    QCOMPARE(t.lastError(), Ssmtp::HandshakeError);
}

void tst_SsmtpTls::negotiatedSettingsReadBack()
{
    FakeSmtpServer server;
    setUpServer(server, u"server"_s, true);
    // P-256 for the key exchange: Qt reports no ephemeral key for X25519.
    QSslConfiguration serverConfig = server.tlsConfiguration();
    serverConfig.setEllipticCurves({QSslEllipticCurve::fromShortName(u"prime256v1"_s)});
    server.setTlsConfiguration(serverConfig);
    server.setScript(ehlo({}) + Transaction);
    Ssmtp smtp;
    setUpClient(smtp, server.port(), Ssmtp::SslStartMode::SslImplicit);
    smtp.config(u"SSLEnabledProtocols=3072"_s); // TLS 1.2, so the cipher string applies
    QCOMPARE(smtp.config(u"OpenSSLCipherList=ECDHE-ECDSA-AES128-GCM-SHA256"_s), QString());
    Terminal t(&smtp);
    QCOMPARE(sendAndWait(smtp, server, t), QString());
    QCOMPARE(t.sent.count(), 1);
    QCOMPARE(smtp.config(u"SSLNegotiatedVersion"_s), u"TLSv1.2"_s);
    QCOMPARE(smtp.config(u"SSLNegotiatedCipherSuite"_s), u"ECDHE-ECDSA-AES128-GCM-SHA256"_s);
    QCOMPARE(smtp.config(u"SSLNegotiatedCipherStrength"_s), u"128"_s);
    QCOMPARE(smtp.config(u"SSLNegotiatedKeyExchange"_s), u"ECDH"_s);
    QCOMPARE(smtp.config(u"SSLNegotiatedKeyExchangeStrength"_s), u"256"_s);
    QVERIFY(smtp.config(u"SSLNegotiatedCipher"_s).startsWith(u"AESGCM"_s));
}

void tst_SsmtpTls::credentialsOverTlsNeedNoInsecureAuth()
{
    FakeSmtpServer server;
    setUpServer(server, u"server"_s, true);
    server.setScript(ehlo({u"AUTH PLAIN"_s}) + u"C: AUTH PLAIN AHVzZXIAc2VjcmV0\nS: 235 ok\n"_s +
                     Transaction);
    Ssmtp smtp;
    setUpClient(smtp, server.port(), Ssmtp::SslStartMode::SslImplicit);
    smtp.setUser(u"user"_s);
    smtp.setPassword(u"secret"_s);
    QCOMPARE(smtp.config(u"AllowInsecureAuth"_s), u"False"_s);
    Terminal t(&smtp);
    QCOMPARE(sendAndWait(smtp, server, t), QString());
    QCOMPARE(t.sent.count(), 1);
}

void tst_SsmtpTls::caFromOpenSslFileAndDir()
{
    QTemporaryDir caDir;
    QVERIFY(QFile::copy(m_dir.filePath(u"ca.pem"_s), caDir.filePath(u"ca.pem"_s)));
    const QStringList settings{u"OpenSSLCAFile="_s + m_dir.filePath(u"ca.pem"_s),
                               u"OpenSSLCADir="_s + caDir.path()};
    for (const QString &setting : settings) {
        FakeSmtpServer server;
        setUpServer(server, u"server"_s, true);
        server.setScript(ehlo({}) + Transaction);
        Ssmtp smtp;
        setUpClient(smtp, server.port(), Ssmtp::SslStartMode::SslImplicit, false);
        QCOMPARE(smtp.config(setting), QString());
        QCOMPARE(smtp.error(), Ssmtp::NoError);
        Terminal t(&smtp);
        const QString failure = sendAndWait(smtp, server, t);
        QVERIFY2(failure.isEmpty(), qPrintable(setting + u": "_s + failure));
        QCOMPARE(t.sent.count(), 1);
    }
}

void tst_SsmtpTls::ocspStapling_data()
{
    // The fake server staples no OCSP response: "check if stapled" goes on, "required" fails.
    QTest::addColumn<int>("level");
    QTest::addColumn<bool>("sent");
    QTest::newRow("0: off") << 0 << true;
    QTest::newRow("1: if stapled") << 1 << true;
    QTest::newRow("2: required") << 2 << false;
}

void tst_SsmtpTls::ocspStapling()
{
    QFETCH(int, level);
    QFETCH(bool, sent);
    FakeSmtpServer server;
    setUpServer(server, u"server"_s, true);
    server.setScript(sent ? ehlo({}) + Transaction : u"EXPECT-TLS-FAIL\n"_s);
    Ssmtp smtp;
    setUpClient(smtp, server.port(), Ssmtp::SslStartMode::SslImplicit);
    QCOMPARE(smtp.config(u"SSLCheckOCSP="_s + QString::number(level)), QString());
    Terminal t(&smtp);
    QCOMPARE(sendAndWait(smtp, server, t), QString());
    QCOMPARE(t.sent.count(), sent ? 1 : 0);
    if (!sent) {
        QCOMPARE(t.lastError(), Ssmtp::CertificateVerificationError);
        QVERIFY2(t.lastErrorText().contains(u"OCSP"_s), qPrintable(t.lastErrorText()));
    }
}

void tst_SsmtpTls::groupsAndSignatureAlgorithms_data()
{
    // The server offers only P-384 for the key exchange and has an ECDSA P-256 certificate
    // (in TLS 1.2 the client's group list must also name the certificate's curve).
    QTest::addColumn<QStringList>("settings");
    QTest::addColumn<bool>("sent");
    QTest::newRow("group offered")
        << QStringList{u"TLS12SupportedGroups=ecdhe_secp384r1,ecdhe_secp256r1"_s} << true;
    QTest::newRow("group not offered")
        << QStringList{u"TLS12SupportedGroups=ecdhe_secp256r1"_s} << false;
    QTest::newRow("1.2 and 1.3 lists merged")
        << QStringList{u"TLS13SupportedGroups=ecdhe_x25519,ecdhe_secp384r1"_s,
                       u"TLS12SupportedGroups=ecdhe_secp256r1"_s}
        << true;
    QTest::newRow("signature usable")
        << QStringList{u"TLS12SignatureAlgorithms=sha256-ecdsa"_s} << true;
    QTest::newRow("signature unusable")
        << QStringList{u"TLS12SignatureAlgorithms=sha256-rsa,sha384-rsa"_s} << false;
}

void tst_SsmtpTls::groupsAndSignatureAlgorithms()
{
    QFETCH(QStringList, settings);
    QFETCH(bool, sent);
    FakeSmtpServer server;
    setUpServer(server, u"server"_s, true);
    QSslConfiguration config = server.tlsConfiguration();
    config.setProtocol(QSsl::TlsV1_2);
    config.setEllipticCurves({QSslEllipticCurve::fromShortName(u"secp384r1"_s)});
    server.setTlsConfiguration(config);
    server.setScript(sent ? ehlo({}) + Transaction : u"EXPECT-TLS-FAIL\n"_s);
    Ssmtp smtp;
    setUpClient(smtp, server.port(), Ssmtp::SslStartMode::SslImplicit);
    for (const QString &setting : settings) {
        QCOMPARE(smtp.config(setting), QString());
        QCOMPARE(smtp.error(), Ssmtp::NoError);
    }
    Terminal t(&smtp);
    QCOMPARE(sendAndWait(smtp, server, t), QString());
    QCOMPARE(t.sent.count(), sent ? 1 : 0);
    if (sent)
        QCOMPARE(smtp.config(u"SSLNegotiatedKeyExchangeStrength"_s), u"384"_s);
    else
        QCOMPARE(t.lastError(), Ssmtp::HandshakeError);
    // Unknown names are refused when set, and the value stays.
    smtp.config(u"TLS13SupportedGroups=ecdhe_nonsense"_s);
    QCOMPARE(smtp.error(), Ssmtp::InvalidConfigValueError);
    smtp.config(u"TLS12SignatureAlgorithms=md5-rsa"_s);
    QCOMPARE(smtp.error(), Ssmtp::InvalidConfigValueError);
}

QTEST_MAIN(tst_SsmtpTls)
#include "tst_ssmtp_tls.moc"
