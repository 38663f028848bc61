// ssmtp-send's TLS options run as a process against the scripted fake server speaking real
// TLS in this process: --ca-certs, --accept-server-cert, --client-cert, --set sslStartMode.
#include "fakesmtpserver.h"
#include "testfiles.h"
#include "testpki.h"

#include <QFileInfo>
#include <QProcess>
#include <QSslKey>
#include <QTemporaryDir>
#include <QtTest>

#ifndef SSMTP_SEND_PATH
#error "SSMTP_SEND_PATH must be the path of the ssmtp-send executable"
#endif

using namespace Qt::StringLiterals;
using namespace testfiles;

namespace {

struct Run
{
    int exitCode = -1;
    QByteArray err;
};

const QString Script = u"S: 220 fake ESMTP\nC: EHLO cli.test\nS: 250 fake\n"
                       u"C: MAIL FROM:<a@x.org>\nS: 250 ok\nC: RCPT TO:<b@y.org>\nS: 250 ok\n"
                       u"C: DATA\nS: 354 go\nDATA\nS: 250 queued\nC: QUIT\nS: 221 bye\n"_s;

} // namespace

class tst_CliTls : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void caCertsTrustsPrivateCa();
    void untrustedCertificateFails();
    void acceptServerCertPinsSelfSigned();
    void clientCertificateFromPkcs12();
    void startTlsThroughSet();

private:
    void serve(FakeSmtpServer &server, const QString &cert, bool implicit);
    // Runs ssmtp-send while this process's event loop serves the fake server.
    Run run(FakeSmtpServer &server, const QStringList &extra);

    QTemporaryDir m_dir;
};

void tst_CliTls::initTestCase()
{
    QVERIFY(QFileInfo(QStringLiteral(SSMTP_SEND_PATH)).isExecutable());
    QString why;
    QVERIFY2(TestPki::makeTlsSet(m_dir.path(), &why), qPrintable(why));
}

void tst_CliTls::serve(FakeSmtpServer &server, const QString &cert, bool implicit)
{
    server.setTls(QSslCertificate(readFile(m_dir.filePath(cert + u".pem"_s))),
                  QSslKey(readFile(m_dir.filePath(cert + u".key"_s)), QSsl::Ec));
    server.setImplicitTls(implicit);
    QVERIFY(server.listen() != 0);
}

Run tst_CliTls::run(FakeSmtpServer &server, const QStringList &extra)
{
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(u"LC_ALL"_s, u"C.UTF-8"_s);
    env.remove(u"LANGUAGE"_s);
    p.setProcessEnvironment(env);
    const QStringList args = QStringList{u"--trace"_s,
                                         u"--set"_s,
                                         u"mailServer=localhost"_s,
                                         u"--set"_s,
                                         u"mailPort=%1"_s.arg(server.port()),
                                         u"--set"_s,
                                         u"timeout=10"_s,
                                         u"--config"_s,
                                         u"Hello=cli.test"_s,
                                         u"--set"_s,
                                         u"from=a@x.org"_s,
                                         u"--set"_s,
                                         u"sendTo=b@y.org"_s,
                                         u"--set"_s,
                                         u"messageText=over TLS"_s} +
                             extra;
    p.start(QStringLiteral(SSMTP_SEND_PATH), args);
    p.closeWriteChannel();
    Run r;
    if (!QTest::qWaitFor([&] { return p.state() == QProcess::NotRunning; }, 20000)) {
        p.kill();
        p.waitForFinished();
    }
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.err = p.readAllStandardError();
    return r;
}

void tst_CliTls::caCertsTrustsPrivateCa()
{
    FakeSmtpServer server;
    serve(server, u"server"_s, true);
    server.setScript(Script);
    const Run r = run(server, {u"--set"_s, u"sslStartMode=implicit"_s, u"--ca-certs"_s,
                               m_dir.filePath(u"ca.pem"_s)});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QVERIFY2(server.waitForFinished(5000), qPrintable(server.failure()));
    QVERIFY(server.contents().value(0).contains("over TLS"));
    QVERIFY2(r.err.contains("T: TLS established: TLSv1."), r.err.constData());
}

void tst_CliTls::untrustedCertificateFails()
{
    FakeSmtpServer server;
    serve(server, u"server"_s, true);
    server.setScript(u"EXPECT-TLS-FAIL\n"_s);
    const Run r = run(server, {u"--set"_s, u"sslEnabled=true"_s});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains("error 275: "), r.err.constData());
    QVERIFY(server.contents().isEmpty());
}

void tst_CliTls::acceptServerCertPinsSelfSigned()
{
    FakeSmtpServer server;
    serve(server, u"selfsigned"_s, true);
    server.setScript(Script);
    const Run r = run(server, {u"--set"_s, u"sslStartMode=SslImplicit"_s, u"--accept-server-cert"_s,
                               m_dir.filePath(u"selfsigned.pem"_s)});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QVERIFY2(server.waitForFinished(5000), qPrintable(server.failure()));
}

void tst_CliTls::clientCertificateFromPkcs12()
{
    FakeSmtpServer server;
    serve(server, u"server"_s, true);
    server.setRequestClientCertificate(true,
                                       {QSslCertificate(readFile(m_dir.filePath(u"ca.pem"_s)))});
    server.setScript(Script);
    const Run r =
        run(server, {u"--set"_s, u"sslStartMode=implicit"_s, u"--ca-certs"_s,
                     m_dir.filePath(u"ca.pem"_s), u"--client-cert"_s,
                     m_dir.filePath(u"client.p12"_s) + u':' + TestPki::tlsPkcs12Password()});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QVERIFY2(server.waitForFinished(5000), qPrintable(server.failure()));
    QCOMPARE(server.peerCertificate().subjectInfo(QSslCertificate::CommonName),
             QStringList{u"Ssmtp Test Client"_s});

    // A wrong password is a clear error before any connection.
    FakeSmtpServer unused;
    serve(unused, u"server"_s, true);
    const Run bad = run(unused, {u"--set"_s, u"sslStartMode=implicit"_s, u"--client-cert"_s,
                                 m_dir.filePath(u"client.p12"_s) + u":wrong"_s});
    QCOMPARE(bad.exitCode, 1);
    QVERIFY2(bad.err.contains("error 272: "), bad.err.constData());
    QCOMPARE(unused.connectionCount(), 0);
}

void tst_CliTls::startTlsThroughSet()
{
    FakeSmtpServer server;
    serve(server, u"server"_s, false);
    server.setScript(u"S: 220 fake ESMTP\nC: EHLO cli.test\nS: 250-fake\nS: 250 STARTTLS\n"
                     u"C: STARTTLS\nS: 220 go ahead\nSTARTTLS\n"_s +
                     Script.mid(Script.indexOf(u"C: EHLO"_s)));
    const Run r = run(server, {u"--set"_s, u"sslStartMode=explicit"_s, u"--ca-certs"_s,
                               m_dir.filePath(u"ca.pem"_s)});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QVERIFY2(server.waitForFinished(5000), qPrintable(server.failure()));
    QVERIFY(r.err.contains("C: STARTTLS"));
}

QTEST_MAIN(tst_CliTls)
#include "tst_cli_tls.moc"
