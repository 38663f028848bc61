// TLS against real servers started by the test: npm smtp-server (STARTTLS, implicit TLS,
// client certificates) and a private Postfix (STARTTLS, wrapper-mode TLS on a second port,
// client certificates, Dovecot SASL over TLS without AllowInsecureAuth), with certificates made
// by openssl (TestPki::makeTlsSet). The servers' own records say the message came over TLS.
#include "integrationutil.h"
#include "realserver.h"
#include "ssmtp.h"
#include "testfiles.h"
#include "testpki.h"

#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

using namespace integration;
using namespace testfiles;
using namespace Qt::StringLiterals;

class tst_TlsRealServers : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();

    void sinkStartTls();
    void sinkImplicitTlsByIpAddress();
    void sinkClientCertificate();
    void sinkAuthOverTlsWithoutInsecureAuth();
    void sinkWrongHostRefusedNothingDelivered();
    void sinkReusesSessionWhenAsked_data();
    void sinkReusesSessionWhenAsked();
    void acceptedOnceIsNotReused();
    void postfixStartTlsWithSasl();
    void postfixWrapperMode();
    void postfixClientCertificate();
    void postfixRequiredTlsRefusesPlaintextClient();

private:
    void prepare(Ssmtp &smtp, const RealSmtpServer &server, Ssmtp::SslStartMode mode);
    QStringList sinkTlsArgs(bool implicit) const;
    QStringList postfixTlsEnv() const;
    SsmtpCertificate clientCertificate() const;

    QTemporaryDir m_dir;
};

void tst_TlsRealServers::initTestCase()
{
    qRegisterMetaType<Ssmtp::Error>();
    QVERIFY(m_dir.isValid());
    QString why;
    QVERIFY2(TestPki::makeTlsSet(m_dir.path(), &why), qPrintable(why));
}

void tst_TlsRealServers::prepare(Ssmtp &smtp, const RealSmtpServer &server,
                                 Ssmtp::SslStartMode mode)
{
    useServer(smtp, server);
    smtp.setMailServer(u"localhost"_s); // the name in the certificate
    smtp.setSslStartMode(mode);
    smtp.config(u"SSLServerCACerts="_s +
                QString::fromLatin1(readFile(m_dir.filePath(u"ca.pem"_s))));
    smtp.setFrom(u"alice@example.test"_s);
    smtp.setSendTo(u"bob@example.test"_s);
    smtp.setSubject(u"over TLS"_s);
    smtp.setMessageText(u"This went over TLS.\nSecond line."_s);
}

QStringList tst_TlsRealServers::sinkTlsArgs(bool implicit) const
{
    return {implicit ? u"--secure"_s : u"--starttls"_s, u"--key"_s, m_dir.filePath(u"server.key"_s),
            u"--cert"_s, m_dir.filePath(u"server.pem"_s)};
}

QStringList tst_TlsRealServers::postfixTlsEnv() const
{
    return {u"POSTFIX_TLS_CERT="_s + m_dir.filePath(u"server.pem"_s),
            u"POSTFIX_TLS_KEY="_s + m_dir.filePath(u"server.key"_s)};
}

SsmtpCertificate tst_TlsRealServers::clientCertificate() const
{
    QString why;
    const SsmtpCertificate c =
        SsmtpCertificate::load(SsmtpCertificate::Auto, readFile(m_dir.filePath(u"client.p12"_s)),
                               TestPki::tlsPkcs12Password(), u"*"_s, QString(), &why);
    if (c.isNull())
        qWarning("client.p12: %s", qPrintable(why));
    return c;
}

void tst_TlsRealServers::sinkStartTls()
{
    RealSmtpServer server = RealSmtpServer::startSmtpServerSink(sinkTlsArgs(false));
    REALSERVER_REQUIRE(server);
    Ssmtp smtp;
    SsmtpSpies spies(&smtp);
    prepare(smtp, server, Ssmtp::SslStartMode::SslExplicit);
    QSignalSpy auth(&smtp, &Ssmtp::sslServerAuthentication);
    QVERIFY2(sendWithoutError(smtp, spies), qPrintable(spies.report()));
    const QList<QByteArray> messages = server.waitForMessages(1, 10000);
    QCOMPARE(messages.size(), 1);
    QVERIFY(messages.first().contains("This went over TLS."));
    const QJsonObject envelope = server.envelopes().value(0);
    QVERIFY2(envelope.value(u"secure"_s).toBool(), qPrintable(server.log()));
    QVERIFY(envelope.value(u"tls"_s)
                .toObject()
                .value(u"protocol"_s)
                .toString()
                .startsWith(u"TLSv1."_s));
    QCOMPARE(auth.count(), 1);
    QCOMPARE(auth.first().at(3).toString(), u"OK"_s);
    // STARTTLS, then EHLO again inside TLS.
    const QStringList lines = spies.clientLines();
    QCOMPARE(lines.value(1), u"STARTTLS"_s);
    QVERIFY(lines.value(2).startsWith(u"EHLO "_s));
    QVERIFY(!smtp.sslServerCert().isNull());
    QVERIFY(smtp.sslServerCert().subject().contains(u"localhost"_s));
}

void tst_TlsRealServers::sinkImplicitTlsByIpAddress()
{
    RealSmtpServer server = RealSmtpServer::startSmtpServerSink(sinkTlsArgs(true));
    REALSERVER_REQUIRE(server);
    Ssmtp smtp;
    SsmtpSpies spies(&smtp);
    prepare(smtp, server, Ssmtp::SslStartMode::SslImplicit);
    smtp.setMailServer(u"127.0.0.1"_s); // matched against the certificate's IP address entry
    smtp.setMailPort(server.securePort());
    QVERIFY2(sendWithoutError(smtp, spies), qPrintable(spies.report()));
    QCOMPARE(server.waitForMessages(1, 10000).size(), 1);
    QVERIFY(server.envelopes().value(0).value(u"secure"_s).toBool());
    QVERIFY(!spies.clientLines().contains(u"STARTTLS"_s));
}

void tst_TlsRealServers::sinkClientCertificate()
{
    RealSmtpServer server = RealSmtpServer::startSmtpServerSink(
        sinkTlsArgs(true) +
        QStringList{u"--request-cert"_s, u"--ca"_s, m_dir.filePath(u"ca.pem"_s)});
    REALSERVER_REQUIRE(server);
    Ssmtp smtp;
    SsmtpSpies spies(&smtp);
    prepare(smtp, server, Ssmtp::SslStartMode::SslImplicit);
    smtp.setSslCert(clientCertificate());
    QVERIFY(!smtp.sslCert().isNull());
    QVERIFY2(sendWithoutError(smtp, spies), qPrintable(spies.report()));
    QCOMPARE(server.waitForMessages(1, 10000).size(), 1);
    const QJsonObject tls = server.envelopes().value(0).value(u"tls"_s).toObject();
    QVERIFY2(tls.value(u"peerSubject"_s).toString().contains(u"Ssmtp Test Client"_s),
             qPrintable(QString::fromUtf8(QJsonDocument(tls).toJson())));
    QVERIFY(tls.value(u"authorized"_s).toBool());
}

void tst_TlsRealServers::sinkAuthOverTlsWithoutInsecureAuth()
{
    RealSmtpServer server = RealSmtpServer::startSmtpServerSink(
        sinkTlsArgs(false) +
        QStringList{u"--auth"_s, u"alice:tls-s3cret"_s, u"--no-insecure-auth"_s});
    REALSERVER_REQUIRE(server);
    Ssmtp smtp;
    SsmtpSpies spies(&smtp);
    prepare(smtp, server, Ssmtp::SslStartMode::SslExplicit);
    smtp.setUser(u"alice"_s);
    smtp.setPassword(u"tls-s3cret"_s);
    QCOMPARE(smtp.config(u"AllowInsecureAuth"_s), u"False"_s);
    QVERIFY2(sendWithoutError(smtp, spies), qPrintable(spies.report()));
    QCOMPARE(server.waitForMessages(1, 10000).size(), 1);
    const QJsonObject envelope = server.envelopes().value(0);
    QVERIFY(envelope.value(u"secure"_s).toBool());
    QVERIFY2(!spies.trailText().contains(u"tls-s3cret"_s), qPrintable(spies.trailText()));
}

void tst_TlsRealServers::sinkWrongHostRefusedNothingDelivered()
{
    RealSmtpServer server = RealSmtpServer::startSmtpServerSink(
        {u"--starttls"_s, u"--key"_s, m_dir.filePath(u"wronghost.key"_s), u"--cert"_s,
         m_dir.filePath(u"wronghost.pem"_s), u"--auth"_s, u"alice:pw"_s});
    REALSERVER_REQUIRE(server);
    Ssmtp smtp;
    SsmtpSpies spies(&smtp);
    prepare(smtp, server, Ssmtp::SslStartMode::SslExplicit);
    smtp.setUser(u"alice"_s);
    smtp.setPassword(u"pw"_s);
    smtp.send();
    QVERIFY(waitForOperation(smtp, spies.sent, spies.errors));
    QCOMPARE(spies.errorCodes(), QList<int>{Ssmtp::CertificateVerificationError});
    QCOMPARE(spies.clientLines().size(), 2); // EHLO, STARTTLS; nothing inside TLS
    QTest::qWait(200);
    QCOMPARE(server.messageCount(), 0);
}

void tst_TlsRealServers::sinkReusesSessionWhenAsked_data()
{
    QTest::addColumn<bool>("reuse");
    QTest::newRow("ReuseSSLSession=true") << true;
    QTest::newRow("ReuseSSLSession=false") << false;
}

// Two sends, two connections: with ReuseSSLSession the second resumes the first's TLS session
// (the server, Node's TLS, reports it), without it both are full handshakes.
void tst_TlsRealServers::sinkReusesSessionWhenAsked()
{
    QFETCH(bool, reuse);
    RealSmtpServer server = RealSmtpServer::startSmtpServerSink(sinkTlsArgs(true));
    REALSERVER_REQUIRE(server);
    Ssmtp smtp;
    prepare(smtp, server, Ssmtp::SslStartMode::SslImplicit);
    QCOMPARE(smtp.config(u"ReuseSSLSession="_s + (reuse ? u"true"_s : u"false"_s)), QString());
    for (int i = 0; i < 2; ++i) {
        SsmtpSpies spies(&smtp);
        QVERIFY2(sendWithoutError(smtp, spies), qPrintable(spies.report()));
    }
    QCOMPARE(server.waitForMessages(2, 10000).size(), 2);
    const QList<QJsonObject> envelopes = server.envelopes();
    auto reused = [&](int i) {
        return envelopes.value(i).value(u"tls"_s).toObject().value(u"sessionReused"_s).toBool();
    };
    QVERIFY(!reused(0));
    QCOMPARE(reused(1), reuse);
}

// A certificate the application accepted once (it failed verification) must not come back
// through a resumed session, which would skip verification: the next connection is judged again.
void tst_TlsRealServers::acceptedOnceIsNotReused()
{
    RealSmtpServer server = RealSmtpServer::startSmtpServerSink(sinkTlsArgs(true));
    REALSERVER_REQUIRE(server);
    Ssmtp smtp;
    prepare(smtp, server, Ssmtp::SslStartMode::SslImplicit);
    smtp.config(u"SSLServerCACerts="_s); // the CA is not trusted: verification fails
    QCOMPARE(smtp.config(u"ReuseSSLSession=true"_s), QString());
    bool acceptInSlot = true;
    QObject::connect(&smtp, &Ssmtp::sslServerAuthentication, &smtp, [&] {
        if (acceptInSlot)
            smtp.acceptServerCertificate();
    });
    {
        SsmtpSpies spies(&smtp);
        QVERIFY2(sendWithoutError(smtp, spies), qPrintable(spies.report()));
    }
    acceptInSlot = false;
    SsmtpSpies spies(&smtp);
    smtp.send();
    QVERIFY(waitForOperation(smtp, spies.sent, spies.errors));
    QCOMPARE(spies.errorCodes(), QList<int>{Ssmtp::CertificateChainVerificationError});
    QCOMPARE(server.waitForMessages(1, 5000).size(), 1);
}

void tst_TlsRealServers::postfixStartTlsWithSasl()
{
    RealSmtpServer server = RealSmtpServer::startPostfix(
        postfixTlsEnv() + QStringList{u"POSTFIX_SASL=alice:pf-s3cret"_s});
    REALSERVER_REQUIRE(server);
    Ssmtp smtp;
    SsmtpSpies spies(&smtp);
    prepare(smtp, server, Ssmtp::SslStartMode::SslExplicit);
    smtp.setUser(u"alice"_s);
    smtp.setPassword(u"pf-s3cret"_s);
    QVERIFY2(sendWithoutError(smtp, spies), qPrintable(spies.report() + u'\n' + server.log()));
    const QList<QByteArray> messages = server.waitForMessages(1, 20000);
    QCOMPARE(messages.size(), 1);
    // Postfix's Received header names the TLS session (smtpd_tls_received_header).
    QVERIFY2(messages.first().contains("using TLSv1."), messages.first().left(800).constData());
    QVERIFY2(server.log().contains(u"TLS connection established"_s), qPrintable(server.log()));
    QVERIFY2(server.log().contains(u"sasl_username=alice"_s), qPrintable(server.log()));
}

void tst_TlsRealServers::postfixWrapperMode()
{
    RealSmtpServer server =
        RealSmtpServer::startPostfix(postfixTlsEnv() + QStringList{u"POSTFIX_TLS_WRAPPER=1"_s});
    REALSERVER_REQUIRE(server);
    QVERIFY(server.securePort() != 0);
    Ssmtp smtp;
    SsmtpSpies spies(&smtp);
    prepare(smtp, server, Ssmtp::SslStartMode::SslImplicit);
    smtp.setMailPort(server.securePort());
    QVERIFY2(sendWithoutError(smtp, spies), qPrintable(spies.report() + u'\n' + server.log()));
    const QList<QByteArray> messages = server.waitForMessages(1, 20000);
    QCOMPARE(messages.size(), 1);
    QVERIFY2(messages.first().contains("using TLSv1."), messages.first().left(800).constData());
}

void tst_TlsRealServers::postfixClientCertificate()
{
    RealSmtpServer server = RealSmtpServer::startPostfix(
        postfixTlsEnv() + QStringList{u"POSTFIX_TLS_CA="_s + m_dir.filePath(u"ca.pem"_s)});
    REALSERVER_REQUIRE(server);
    Ssmtp smtp;
    SsmtpSpies spies(&smtp);
    prepare(smtp, server, Ssmtp::SslStartMode::SslExplicit);
    smtp.setSslCert(clientCertificate());
    QVERIFY2(sendWithoutError(smtp, spies), qPrintable(spies.report() + u'\n' + server.log()));
    const QList<QByteArray> messages = server.waitForMessages(1, 20000);
    QCOMPARE(messages.size(), 1);
    // e.g. (Client CN "Ssmtp Test Client", Issuer "Ssmtp Test TLS CA" (verified OK))
    QVERIFY2(messages.first().contains("Ssmtp Test Client"),
             messages.first().left(1000).constData());
}

void tst_TlsRealServers::postfixRequiredTlsRefusesPlaintextClient()
{
    // A server that requires TLS (smtpd_tls_security_level=encrypt) refuses MAIL in plaintext;
    // the same client with STARTTLS gets through.
    RealSmtpServer server =
        RealSmtpServer::startPostfix(postfixTlsEnv() + QStringList{u"POSTFIX_TLS_LEVEL=encrypt"_s});
    REALSERVER_REQUIRE(server);
    Ssmtp plain;
    SsmtpSpies plainSpies(&plain);
    prepare(plain, server, Ssmtp::SslStartMode::SslNone);
    plain.send();
    QVERIFY(waitForOperation(plain, plainSpies.sent, plainSpies.errors));
    QCOMPARE(plainSpies.errorCodes(), QList<int>{Ssmtp::ProtocolError});

    Ssmtp tls;
    SsmtpSpies tlsSpies(&tls);
    prepare(tls, server, Ssmtp::SslStartMode::SslExplicit);
    QVERIFY2(sendWithoutError(tls, tlsSpies), qPrintable(tlsSpies.report()));
    QCOMPARE(server.waitForMessages(1, 20000).size(), 1);
}

QTEST_MAIN(tst_TlsRealServers)
#include "tst_tls_realservers.moc"
