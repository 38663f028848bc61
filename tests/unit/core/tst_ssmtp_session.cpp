// The Ssmtp facade and its SMTP engine against the scripted fake server: command sequences,
// pipelining groups, BDAT, error paths, timeouts, interrupt, dropped connections, and reply
// delivery in one block, per line and per byte.
#include "fakesmtpserver.h"
#include "sessiontestutil.h"
#include "ssmtp.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

using namespace sessiontest;

class tst_SsmtpSession : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void defaults();
    void sendPlain_data();
    void sendPlain();
    void pipelinedSingleRecipient_data();
    void pipelinedSingleRecipient();
    void pipelinedChunking_data();
    void pipelinedChunking();
    void multipleRecipientsWaitForReplies();
    void stopOnToError();
    void bccRejectionIsNotFatal();
    void allRecipientsRejected();
    void heloFallback();
    void sizeLimitCheckedBeforeSending();
    void eightBitWithout8BitMime();
    void authPlainMasked();
    void authLogin();
    void authFailure();
    void authRefusedWithoutTls();
    void timeout();
    void interruptMidData();
    void droppedMidData();
    void greetingRefused();
    void malformedReply();
    void headerInjectionRejected();
    void invalidAddressRejected();
    void missingServerSenderRecipient();
    void busy();
    void severalMessagesOneConnection();
    void rsetAfterFailedTransaction();
    void transferSignals();
    void dsnParameters();
    void dsnDroppedWhenNotOffered();
    void smtpUtf8Address();
    void verifyExpandCommand();
    void streamBody();
    void rawMessage();
    void queueAndProcess();
    void queueFailureMarksFailed();
    void queueRecoversStaleSending();
    void configSettings();
    void maxTransferRateThrottles();
};

void tst_SsmtpSession::defaults()
{
    Ssmtp smtp;
    QCOMPARE(smtp.allowExtensions(), true);
    QCOMPARE(smtp.authMechanism(), Ssmtp::AuthMechanism::UserPassword);
    QCOMPARE(smtp.mailPort(), 25);
    QCOMPARE(smtp.timeout(), 60);
    QCOMPARE(smtp.messageDate(), QStringLiteral("*"));
    QCOMPARE(smtp.messageId(), QStringLiteral("*"));
    QCOMPARE(smtp.isIdle(), true);
    QCOMPARE(smtp.isConnected(), false);
    QCOMPARE(smtp.importance(), Ssmtp::Importance::Unspecified);
    QCOMPARE(smtp.priority(), Ssmtp::Priority::Unspecified);
    QCOMPARE(smtp.sensitivity(), Ssmtp::Sensitivity::Unspecified);
    QCOMPARE(smtp.config(QStringLiteral("StopOnToErrors")), QStringLiteral("True"));
    QCOMPARE(smtp.config(QStringLiteral("StopOnCcErrors")), QStringLiteral("True"));
    QCOMPARE(smtp.config(QStringLiteral("StopOnBccErrors")), QStringLiteral("False"));
    QCOMPARE(smtp.config(QStringLiteral("MaxHeaderLength")), QStringLiteral("80"));
    QCOMPARE(smtp.config(QStringLiteral("MaxLineLength")), QStringLiteral("2048"));
    QCOMPARE(smtp.config(QStringLiteral("MessageIdAlgorithm")), QStringLiteral("SHA1"));
    QCOMPARE(smtp.config(QStringLiteral("MaskSensitive")), QStringLiteral("True"));
    QCOMPARE(smtp.config(QStringLiteral("SendRSET")), QStringLiteral("True"));
    QCOMPARE(smtp.config(QStringLiteral("FoldHeaders")), QStringLiteral("True"));
    QCOMPARE(smtp.config(QStringLiteral("Linger")), QStringLiteral("True"));
    QCOMPARE(smtp.config(QStringLiteral("CloseStreamAfterTransfer")), QStringLiteral("True"));
    QCOMPARE(smtp.config(QStringLiteral("AllowInsecureAuth")), QStringLiteral("False"));
}

void tst_SsmtpSession::sendPlain_data()
{
    QTest::addColumn<int>("delivery");
    QTest::newRow("block") << int(FakeSmtpServer::Block);
    QTest::newRow("per-line") << int(FakeSmtpServer::PerLine);
    QTest::newRow("per-byte") << int(FakeSmtpServer::PerByte);
}

// No extensions: one command per round trip, DATA with dot-stuffing; exact bytes on the wire.
void tst_SsmtpSession::sendPlain()
{
    QFETCH(int, delivery);
    FakeSmtpServer server;
    server.setDelivery(FakeSmtpServer::Delivery(delivery));
    server.setScript(ehlo({}) + QStringLiteral(R"(
C: MAIL FROM:<a@x.org>
S: 250 ok
C: RCPT TO:<b@y.org>
S: 250 ok
C: DATA
S: 354 go
DATA
S: 250 queued
C: QUIT
S: 221 bye
CLOSE
)"));
    const quint16 port = server.listen();
    QVERIFY(port);
    Ssmtp smtp;
    setUpMessage(smtp, port);
    Terminal t(&smtp);
    QSignalSpy trail(&smtp, &Ssmtp::piTrail);
    smtp.send();
    QVERIFY(!smtp.isIdle());
    QVERIFY2(server.waitForFinished(10000), qPrintable(server.failure()));
    QTRY_COMPARE(t.count(), 1);
    QCOMPARE(t.sent.count(), 1);
    QCOMPARE(server.received(),
             "EHLO client.test\r\nMAIL FROM:<a@x.org>\r\nRCPT TO:<b@y.org>\r\nDATA\r\n" + Head +
                 BodyWire + ".\r\nQUIT\r\n");
    QCOMPARE(server.messages().value(0), Head + BodyWire);
    QCOMPARE(server.turns(), 6);
    QVERIFY(smtp.isIdle());
    QCOMPARE(smtp.lastReply(), QStringLiteral("221 bye"));
    // piTrail: client lines as 0, server lines as 1, never the message itself.
    bool sawMail = false;
    for (const QList<QVariant> &e : trail) {
        if (e.at(0).toInt() == 0 && e.at(1).toString() == QLatin1String("MAIL FROM:<a@x.org>"))
            sawMail = true;
        QVERIFY(!e.at(1).toString().contains(QLatin1String("dot line")));
    }
    QVERIFY(sawMail);
    QTRY_VERIFY(!smtp.isConnected());
}

void tst_SsmtpSession::pipelinedSingleRecipient_data()
{
    sendPlain_data();
}

// PIPELINING: MAIL, RCPT and DATA go in one write; the server only answers after all three
// arrived, so a client that waited would hang the script.
void tst_SsmtpSession::pipelinedSingleRecipient()
{
    QFETCH(int, delivery);
    FakeSmtpServer server;
    server.setDelivery(FakeSmtpServer::Delivery(delivery));
    server.setScript(ehlo({u"PIPELINING"_s, u"SIZE 1000000"_s}) +
                     QStringLiteral(R"(
C: MAIL FROM:<a@x.org> SIZE=%1
C: RCPT TO:<b@y.org>
C: DATA
S: 250 2.1.0 ok
S: 250 2.1.5 ok
S: 354 go
DATA
S: 250 2.0.0 queued
C: QUIT
S: 221 bye
CLOSE
)")
                         .arg(Head.size() + QByteArray("line one\n.dot line\nlast\r\n").size()));
    const quint16 port = server.listen();
    Ssmtp smtp;
    setUpMessage(smtp, port);
    Terminal t(&smtp);
    smtp.send();
    QVERIFY2(server.waitForFinished(10000), qPrintable(server.failure()));
    QTRY_COMPARE(t.count(), 1);
    QCOMPARE(t.sent.count(), 1);
    QCOMPARE(server.messages().value(0), Head + BodyWire);
    // EHLO, MAIL+RCPT+DATA, body, QUIT.
    QCOMPARE(server.turns(), 4);
}

void tst_SsmtpSession::pipelinedChunking_data()
{
    sendPlain_data();
}

// PIPELINING + CHUNKING: the envelope and BDAT ... LAST with the whole message in one write.
void tst_SsmtpSession::pipelinedChunking()
{
    QFETCH(int, delivery);
    FakeSmtpServer server;
    server.setDelivery(FakeSmtpServer::Delivery(delivery));
    const QByteArray message = Head + BodyBdat;
    server.setScript(ehlo({u"PIPELINING"_s, u"CHUNKING"_s, u"8BITMIME"_s}) +
                     QStringLiteral(R"(
C: MAIL FROM:<a@x.org>
C: RCPT TO:<b@y.org>
C: BDAT %1 LAST
S: 250 ok
S: 250 ok
S: 250 message ok
C: QUIT
S: 221 bye
CLOSE
)")
                         .arg(message.size()));
    const quint16 port = server.listen();
    Ssmtp smtp;
    setUpMessage(smtp, port);
    Terminal t(&smtp);
    smtp.send();
    QVERIFY2(server.waitForFinished(10000), qPrintable(server.failure()));
    QTRY_COMPARE(t.count(), 1);
    QCOMPARE(t.sent.count(), 1);
    QCOMPARE(server.messages().value(0), message);
    QCOMPARE(server.turns(), 3); // EHLO, the whole transaction, QUIT
}

// Two recipients whose refusal would stop the message: the client must see the RCPT replies
// before it commits to DATA.
void tst_SsmtpSession::multipleRecipientsWaitForReplies()
{
    FakeSmtpServer server;
    server.setScript(ehlo({u"PIPELINING"_s}) + QStringLiteral(R"(
C: MAIL FROM:<a@x.org>
C: RCPT TO:<b@y.org>
C: RCPT TO:<c@y.org>
S: 250 ok
S: 250 ok
S: 250 ok
C: DATA
S: 354 go
DATA
S: 250 queued
C: QUIT
S: 221 bye
CLOSE
)"));
    Ssmtp smtp;
    setUpMessage(smtp, server.listen());
    smtp.setCc(QStringLiteral("c@y.org"));
    Terminal t(&smtp);
    smtp.send();
    QVERIFY2(server.waitForFinished(10000), qPrintable(server.failure()));
    QTRY_COMPARE(t.count(), 1);
    QCOMPARE(t.sent.count(), 1);
    QVERIFY(server.messages().value(0).contains("Cc: c@y.org\r\n"));
}

void tst_SsmtpSession::stopOnToError()
{
    FakeSmtpServer server;
    server.setStrictEnd(true);
    server.setScript(ehlo({u"PIPELINING"_s}) + QStringLiteral(R"(
C: MAIL FROM:<a@x.org>
C: RCPT TO:<b@y.org>
C: RCPT TO:<nobody@y.org>
S: 250 ok
S: 250 ok
S: 550 5.1.1 no such user
C: QUIT
S: 221 bye
CLOSE
)"));
    Ssmtp smtp;
    setUpMessage(smtp, server.listen());
    smtp.setSendTo(QStringLiteral("b@y.org, nobody@y.org"));
    Terminal t(&smtp);
    smtp.send();
    QVERIFY2(server.waitForFinished(10000), qPrintable(server.failure()));
    QTRY_COMPARE(t.count(), 1);
    QCOMPARE(t.lastError(), Ssmtp::ProtocolError);
    QVERIFY(t.lastErrorText().contains(QLatin1String("nobody@y.org")));
    QVERIFY(t.lastErrorText().contains(QLatin1String("550 5.1.1 no such user")));
    QCOMPARE(smtp.error(), Ssmtp::ProtocolError);
    QVERIFY(server.messages().isEmpty());
    QVERIFY(!server.received().contains("DATA"));
}

// StopOnBccErrors is false by default: the refusal is reported and the message still goes.
void tst_SsmtpSession::bccRejectionIsNotFatal()
{
    FakeSmtpServer server;
    server.setScript(ehlo({u"PIPELINING"_s}) + QStringLiteral(R"(
C: MAIL FROM:<a@x.org>
C: RCPT TO:<b@y.org>
C: RCPT TO:<hidden@y.org>
S: 250 ok
S: 250 ok
S: 550 no
C: DATA
S: 354 go
DATA
S: 250 queued
C: QUIT
S: 221 bye
CLOSE
)"));
    Ssmtp smtp;
    setUpMessage(smtp, server.listen());
    smtp.setBcc(QStringLiteral("hidden@y.org"));
    Terminal t(&smtp);
    smtp.send();
    QVERIFY2(server.waitForFinished(10000), qPrintable(server.failure()));
    QTRY_COMPARE(t.sent.count(), 1);
    QCOMPARE(t.count(), 1);
    QCOMPARE(t.error.count(), 1);
    QCOMPARE(t.error.first().at(0).value<Ssmtp::Error>(), Ssmtp::RecipientRejectedError);
    QVERIFY(t.error.first().at(1).toString().contains(QLatin1String("hidden@y.org")));
    // No Bcc header, ever.
    QVERIFY(!server.messages().value(0).contains("hidden"));
    QVERIFY(!server.messages().value(0).contains("Bcc"));
}

void tst_SsmtpSession::allRecipientsRejected()
{
    FakeSmtpServer server;
    server.setScript(ehlo({u"PIPELINING"_s}) + QStringLiteral(R"(
C: MAIL FROM:<a@x.org>
C: RCPT TO:<hidden@y.org>
C: DATA
S: 250 ok
S: 550 no
S: 554 no valid recipients
C: QUIT
S: 221 bye
CLOSE
)"));
    Ssmtp smtp;
    setUpMessage(smtp, server.listen());
    smtp.setSendTo(QString());
    smtp.setBcc(QStringLiteral("hidden@y.org"));
    smtp.config(QStringLiteral("AllowEmptyTo=true"));
    Terminal t(&smtp);
    smtp.send();
    QVERIFY2(server.waitForFinished(10000), qPrintable(server.failure()));
    QTRY_COMPARE(t.count(), 1);
    QCOMPARE(t.lastError(), Ssmtp::NoRecipientError);
    QVERIFY(server.messages().isEmpty());
}

void tst_SsmtpSession::heloFallback()
{
    FakeSmtpServer server;
    server.setScript(QStringLiteral(R"(
S: 220 old server
C: EHLO client.test
S: 502 command not implemented
C: HELO client.test
S: 250 hello
C: MAIL FROM:<a@x.org>
S: 250 ok
C: RCPT TO:<b@y.org>
S: 250 ok
C: DATA
S: 354 go
DATA
S: 250 queued
C: QUIT
S: 221 bye
CLOSE
)"));
    Ssmtp smtp;
    setUpMessage(smtp, server.listen());
    Terminal t(&smtp);
    smtp.send();
    QVERIFY2(server.waitForFinished(10000), qPrintable(server.failure()));
    QTRY_COMPARE(t.sent.count(), 1);

    // allowExtensions = false: HELO straight away.
    FakeSmtpServer server2;
    server2.setScript(QStringLiteral(R"(
S: 220 old server
C: HELO client.test
S: 250 hello
C: MAIL FROM:<a@x.org>
S: 250 ok
C: RCPT TO:<b@y.org>
S: 250 ok
C: DATA
S: 354 go
DATA
S: 250 queued
C: QUIT
S: 221 bye
CLOSE
)"));
    Ssmtp smtp2;
    setUpMessage(smtp2, server2.listen());
    smtp2.setAllowExtensions(false);
    Terminal t2(&smtp2);
    smtp2.send();
    QVERIFY2(server2.waitForFinished(10000), qPrintable(server2.failure()));
    QTRY_COMPARE(t2.sent.count(), 1);
}

void tst_SsmtpSession::sizeLimitCheckedBeforeSending()
{
    FakeSmtpServer server;
    server.setStrictEnd(true);
    server.setScript(ehlo({u"PIPELINING"_s, u"SIZE 100"_s}) + QStringLiteral(R"(
C: QUIT
S: 221 bye
CLOSE
)"));
    Ssmtp smtp;
    setUpMessage(smtp, server.listen());
    Terminal t(&smtp);
    smtp.send();
    QVERIFY2(server.waitForFinished(10000), qPrintable(server.failure()));
    QTRY_COMPARE(t.count(), 1);
    QCOMPARE(t.lastError(), Ssmtp::MessageTooLargeError);
    QVERIFY(!server.received().contains("MAIL"));
}

void tst_SsmtpSession::eightBitWithout8BitMime()
{
    FakeSmtpServer server;
    server.setScript(ehlo({u"PIPELINING"_s}) + QStringLiteral(R"(
C: QUIT
S: 221 bye
CLOSE
)"));
    Ssmtp smtp;
    setUpMessage(smtp, server.listen());
    smtp.setMessage("Subject: raw\r\n\r\n\xc3\xa9t\xc3\xa9\r\n");
    Terminal t(&smtp);
    smtp.send();
    QVERIFY2(server.waitForFinished(10000), qPrintable(server.failure()));
    QTRY_COMPARE(t.count(), 1);
    QCOMPARE(t.lastError(), Ssmtp::ExtensionNotSupportedError);
    QVERIFY(t.lastErrorText().contains(QLatin1String("8BITMIME")));
}

void tst_SsmtpSession::authPlainMasked()
{
    FakeSmtpServer server;
    const QByteArray creds = QByteArray("\0user\0s3cret!", 13).toBase64();
    server.setScript(ehlo({u"PIPELINING"_s, u"AUTH LOGIN PLAIN"_s}) +
                     QStringLiteral(R"(
C: AUTH PLAIN %1
S: 235 2.7.0 ok
C: MAIL FROM:<a@x.org>
C: RCPT TO:<b@y.org>
C: DATA
S: 250 ok
S: 250 ok
S: 354 go
DATA
S: 250 queued
C: QUIT
S: 221 bye
CLOSE
)")
                         .arg(QString::fromLatin1(creds)));
    Ssmtp smtp;
    setUpMessage(smtp, server.listen());
    smtp.setUser(QStringLiteral("user"));
    smtp.setPassword(QStringLiteral("s3cret!"));
    smtp.config(QStringLiteral("AllowInsecureAuth=true"));
    Terminal t(&smtp);
    QSignalSpy trail(&smtp, &Ssmtp::piTrail);
    smtp.send();
    QVERIFY2(server.waitForFinished(10000), qPrintable(server.failure()));
    QTRY_COMPARE(t.sent.count(), 1);
    bool sawMaskedAuth = false;
    for (const QList<QVariant> &e : trail) {
        const QString line = e.at(1).toString();
        QVERIFY2(!line.contains(QLatin1String("s3cret")), qPrintable(line));
        QVERIFY2(!line.contains(QString::fromLatin1(creds)), qPrintable(line));
        if (line == QLatin1String("AUTH PLAIN ****"))
            sawMaskedAuth = true;
    }
    QVERIFY(sawMaskedAuth);
}

void tst_SsmtpSession::authLogin()
{
    FakeSmtpServer server;
    server.setScript(ehlo({u"AUTH LOGIN"_s}) + QStringLiteral(R"(
C: AUTH LOGIN
S: 334 VXNlcm5hbWU6
C: dXNlcg==
S: 334 UGFzc3dvcmQ6
C: czNjcmV0IQ==
S: 235 ok
C: MAIL FROM:<a@x.org>
S: 250 ok
C: RCPT TO:<b@y.org>
S: 250 ok
C: DATA
S: 354 go
DATA
S: 250 queued
C: QUIT
S: 221 bye
CLOSE
)"));
    Ssmtp smtp;
    setUpMessage(smtp, server.listen());
    smtp.setUser(QStringLiteral("user"));
    smtp.setPassword(QStringLiteral("s3cret!"));
    smtp.config(QStringLiteral("AllowInsecureAuth=true"));
    Terminal t(&smtp);
    QSignalSpy trail(&smtp, &Ssmtp::piTrail);
    smtp.send();
    QVERIFY2(server.waitForFinished(10000), qPrintable(server.failure()));
    QTRY_COMPARE(t.sent.count(), 1);
    for (const QList<QVariant> &e : trail) {
        QVERIFY(!e.at(1).toString().contains(QLatin1String("czNjcmV0IQ==")));
        QVERIFY(!e.at(1).toString().contains(QLatin1String("dXNlcg==")));
    }
}

void tst_SsmtpSession::authFailure()
{
    FakeSmtpServer server;
    server.setScript(ehlo({u"AUTH PLAIN"_s}) + QStringLiteral(R"(
C: AUTH PLAIN *
S: 535 5.7.8 bad credentials
EXPECT-CLOSE
)"));
    Ssmtp smtp;
    setUpMessage(smtp, server.listen());
    smtp.setUser(QStringLiteral("user"));
    smtp.setPassword(QStringLiteral("wrong"));
    smtp.config(QStringLiteral("AllowInsecureAuth=true"));
    Terminal t(&smtp);
    smtp.send();
    QVERIFY2(server.waitForFinished(10000), qPrintable(server.failure()));
    QTRY_COMPARE(t.count(), 1);
    QCOMPARE(t.lastError(), Ssmtp::AuthenticationError);
    QVERIFY(t.lastErrorText().contains(QLatin1String("535 5.7.8")));
    QVERIFY(!t.lastErrorText().contains(QLatin1String("wrong")));

    // A server that keeps challenging is cut off with "*".
    FakeSmtpServer endless;
    endless.setScript(ehlo({u"AUTH LOGIN"_s}) +
                      QStringLiteral(R"(
C: AUTH LOGIN
S: 334 VXNlcm5hbWU6
C: dXNlcg==
S: 334 UGFzc3dvcmQ6
C: *
S: 334 UGFzc3dvcmQ6
C: *
S: 501 cancelled
EXPECT-CLOSE
)")
                          .replace(QLatin1String("C: *\nS: 334 UGFzc3dvcmQ6\nC: *"),
                                   QLatin1String("C: d3Jvbmc=\nS: 334 bW9yZQ==\nC: *")));
    Ssmtp smtp2;
    setUpMessage(smtp2, endless.listen());
    smtp2.setUser(QStringLiteral("user"));
    smtp2.setPassword(QStringLiteral("wrong"));
    smtp2.config(QStringLiteral("AllowInsecureAuth=true"));
    Terminal t2(&smtp2);
    smtp2.send();
    QVERIFY2(endless.waitForFinished(10000), qPrintable(endless.failure()));
    QTRY_COMPARE(t2.count(), 1);
    QCOMPARE(t2.lastError(), Ssmtp::AuthenticationError);
}

// Without TLS (not yet available) and without AllowInsecureAuth nothing of the credentials
// may be written.
void tst_SsmtpSession::authRefusedWithoutTls()
{
    FakeSmtpServer server;
    server.setScript(ehlo({u"AUTH PLAIN LOGIN"_s}) + QStringLiteral("EXPECT-CLOSE\n"));
    Ssmtp smtp;
    setUpMessage(smtp, server.listen());
    smtp.setUser(QStringLiteral("user"));
    smtp.setPassword(QStringLiteral("s3cret!"));
    Terminal t(&smtp);
    smtp.send();
    QVERIFY2(server.waitForFinished(10000), qPrintable(server.failure()));
    QTRY_COMPARE(t.count(), 1);
    QCOMPARE(t.lastError(), Ssmtp::AuthenticationError);
    QVERIFY(t.lastErrorText().contains(QLatin1String("AllowInsecureAuth")));
    QVERIFY(!server.received().contains("AUTH"));
    QVERIFY(!server.received().contains("s3cret"));
}

void tst_SsmtpSession::timeout()
{
    FakeSmtpServer server;
    server.setScript(ehlo({}) + QStringLiteral("C: MAIL FROM:<a@x.org>\nHANG\n"));
    Ssmtp smtp;
    setUpMessage(smtp, server.listen());
    smtp.setTimeout(1);
    Terminal t(&smtp);
    QElapsedTimer clock;
    clock.start();
    smtp.send();
    QTRY_COMPARE_WITH_TIMEOUT(t.count(), 1, 5000);
    QCOMPARE(t.lastError(), Ssmtp::TimeoutError);
    QVERIFY(clock.elapsed() >= 900);
    QVERIFY(smtp.isIdle());
    QVERIFY(!smtp.isConnected());

    // AbsoluteTimeout: a server that trickles bytes cannot keep the operation alive.
    FakeSmtpServer slow;
    slow.setDelivery(FakeSmtpServer::PerByte);
    slow.setScript(
        QStringLiteral("WAIT 600\nS: 220-a\nWAIT 600\nS: 220-b\nWAIT 600\nS: 220 c\nHANG\n"));
    Ssmtp smtp2;
    setUpMessage(smtp2, slow.listen());
    smtp2.setTimeout(1);
    smtp2.config(QStringLiteral("AbsoluteTimeout=true"));
    Terminal t2(&smtp2);
    clock.restart();
    smtp2.send();
    QTRY_COMPARE_WITH_TIMEOUT(t2.count(), 1, 5000);
    QCOMPARE(t2.lastError(), Ssmtp::TimeoutError);
    QVERIFY(clock.elapsed() < 1700);
}

void tst_SsmtpSession::interruptMidData()
{
    FakeSmtpServer server;
    server.setScript(ehlo({}) + QStringLiteral(R"(
C: MAIL FROM:<a@x.org>
S: 250 ok
C: RCPT TO:<b@y.org>
S: 250 ok
C: DATA
S: 354 go
HANG
)"));
    Ssmtp smtp;
    setUpMessage(smtp, server.listen());
    // A body big enough to still be in flight when interrupted.
    smtp.setMessageText(QString(8 * 1024 * 1024, QLatin1Char('x')));
    Terminal t(&smtp);
    QSignalSpy started(&smtp, &Ssmtp::startTransfer);
    smtp.send();
    QVERIFY(started.wait(5000));
    smtp.interrupt();
    QCOMPARE(t.count(), 1);
    QCOMPARE(t.lastError(), Ssmtp::InterruptedError);
    QVERIFY(smtp.isIdle());
    QVERIFY(!smtp.isConnected());
    smtp.interrupt(); // nothing running: does nothing
    QCOMPARE(t.count(), 1);

    // Still usable: the next send works on a new connection.
    FakeSmtpServer next;
    next.setScript(ehlo({}) + QStringLiteral(R"(
C: MAIL FROM:<a@x.org>
S: 250 ok
C: RCPT TO:<b@y.org>
S: 250 ok
C: DATA
S: 354 go
DATA
S: 250 queued
C: QUIT
S: 221 bye
CLOSE
)"));
    smtp.setMailPort(next.listen());
    smtp.setMessageText(QStringLiteral("again"));
    smtp.send();
    QVERIFY2(next.waitForFinished(10000), qPrintable(next.failure()));
    QTRY_COMPARE(t.sent.count(), 1);
}

void tst_SsmtpSession::droppedMidData()
{
    FakeSmtpServer server;
    server.setScript(ehlo({}) + QStringLiteral(R"(
C: MAIL FROM:<a@x.org>
S: 250 ok
C: RCPT TO:<b@y.org>
S: 250 ok
C: DATA
S: 354 go
ABORT
)"));
    Ssmtp smtp;
    setUpMessage(smtp, server.listen());
    smtp.setMessageText(QString(4 * 1024 * 1024, QLatin1Char('y')));
    Terminal t(&smtp);
    smtp.send();
    QTRY_COMPARE_WITH_TIMEOUT(t.count(), 1, 10000);
    QVERIFY2(t.lastError() == Ssmtp::ConnectionDroppedError ||
                 t.lastError() == Ssmtp::CommunicationError,
             qPrintable(t.lastErrorText()));
    QCOMPARE(t.sent.count(), 0);
    QVERIFY(smtp.isIdle());
}

void tst_SsmtpSession::greetingRefused()
{
    FakeSmtpServer server;
    server.setScript(QStringLiteral("S: 554 go away\nEXPECT-CLOSE\n"));
    Ssmtp smtp;
    setUpMessage(smtp, server.listen());
    Terminal t(&smtp);
    smtp.send();
    QTRY_COMPARE(t.count(), 1);
    QCOMPARE(t.lastError(), Ssmtp::ProtocolError);
    QVERIFY(t.lastErrorText().contains(QLatin1String("554 go away")));
}

void tst_SsmtpSession::malformedReply()
{
    const QStringList bad = {QStringLiteral("S-RAW: hello there\\r\\n"),
                             QStringLiteral("S-RAW: 250-a\\r\\n251 b\\r\\n"),
                             QStringLiteral("S-RAW: 2\\r\\n")};
    for (const QString &line : bad) {
        FakeSmtpServer server;
        server.setScript(line + QStringLiteral("\nEXPECT-CLOSE\n"));
        Ssmtp smtp;
        setUpMessage(smtp, server.listen());
        Terminal t(&smtp);
        smtp.send();
        QTRY_COMPARE(t.count(), 1);
        QCOMPARE(t.lastError(), Ssmtp::ProtocolError);
    }
    // A line longer than MaxLineLength.
    FakeSmtpServer server;
    server.setScript(QStringLiteral("S: 220 ") + QString(3000, QLatin1Char('a')) +
                     QStringLiteral("\nEXPECT-CLOSE\n"));
    Ssmtp smtp;
    setUpMessage(smtp, server.listen());
    Terminal t(&smtp);
    smtp.send();
    QTRY_COMPARE(t.count(), 1);
    QCOMPARE(t.lastError(), Ssmtp::ProtocolError);
    QVERIFY(t.lastErrorText().contains(QLatin1String("2048")));
}

void tst_SsmtpSession::headerInjectionRejected()
{
    FakeSmtpServer server;
    server.setScript(QStringLiteral("S: 220 x\n"));
    const quint16 port = server.listen();
    Ssmtp smtp;
    setUpMessage(smtp, port);
    smtp.setSubject(QStringLiteral("Hi\r\nBcc: victim@evil.test"));
    Terminal t(&smtp);
    smtp.send();
    QVERIFY(smtp.isIdle());
    QTRY_COMPARE(t.count(), 1);
    QCOMPARE(t.lastError(), Ssmtp::InvalidHeaderError);
    QVERIFY(t.lastErrorText().contains(QLatin1String("subject")));
    QCOMPARE(server.connectionCount(), 0);
    QCOMPARE(smtp.subject(), QStringLiteral("Hi\r\nBcc: victim@evil.test")); // nothing lost

    smtp.setSubject(QStringLiteral("fine"));
    smtp.setOtherHeaders(QStringLiteral("X-Ok: 1\r\nnot a header"));
    smtp.send();
    QTRY_COMPARE(t.count(), 2);
    QCOMPARE(t.lastError(), Ssmtp::InvalidHeaderError);
    QCOMPARE(server.connectionCount(), 0);
}

void tst_SsmtpSession::invalidAddressRejected()
{
    Ssmtp smtp;
    setUpMessage(smtp, 1);
    smtp.setSendTo(QStringLiteral("b@y.org c@y.org"));
    Terminal t(&smtp);
    smtp.send();
    QTRY_COMPARE(t.count(), 1);
    QCOMPARE(t.lastError(), Ssmtp::InvalidAddressError);
    QVERIFY(t.lastErrorText().contains(QLatin1String("sendTo")));
}

void tst_SsmtpSession::missingServerSenderRecipient()
{
    Ssmtp smtp;
    Terminal t(&smtp);
    smtp.send();
    QTRY_COMPARE(t.count(), 1);
    QCOMPARE(t.lastError(), Ssmtp::NoServerError);
    smtp.setMailServer(QStringLiteral("127.0.0.1"));
    smtp.setSendTo(QStringLiteral("b@y.org"));
    smtp.send();
    QTRY_COMPARE(t.count(), 2);
    QCOMPARE(t.lastError(), Ssmtp::NoSenderError);
    smtp.setFrom(QStringLiteral("a@x.org"));
    smtp.setSendTo(QString());
    smtp.send();
    QTRY_COMPARE(t.count(), 3);
    QCOMPARE(t.lastError(), Ssmtp::NoRecipientError);
    // Only Cc without AllowEmptyTo is refused too.
    smtp.setCc(QStringLiteral("c@y.org"));
    smtp.send();
    QTRY_COMPARE(t.count(), 4);
    QCOMPARE(t.lastError(), Ssmtp::NoRecipientError);
}

void tst_SsmtpSession::busy()
{
    FakeSmtpServer server;
    server.setScript(ehlo({u"PIPELINING"_s}) + QStringLiteral(R"(
C: MAIL FROM:<a@x.org>
C: RCPT TO:<b@y.org>
C: DATA
S: 250 ok
S: 250 ok
S: 354 go
DATA
S: 250 queued
C: QUIT
S: 221 bye
CLOSE
)"));
    Ssmtp smtp;
    setUpMessage(smtp, server.listen());
    Terminal t(&smtp);
    smtp.send();
    smtp.send(); // refused: the first one goes on
    QVERIFY2(server.waitForFinished(10000), qPrintable(server.failure()));
    QTRY_COMPARE(t.sent.count(), 1);
    QCOMPARE(t.error.count(), 1);
    QCOMPARE(t.error.first().at(0).value<Ssmtp::Error>(), Ssmtp::BusyError);
    QCOMPARE(server.messages().size(), 1);
}

void tst_SsmtpSession::severalMessagesOneConnection()
{
    FakeSmtpServer server;
    QString script = ehlo({u"PIPELINING"_s, u"CHUNKING"_s});
    const QByteArray message = Head + BodyBdat;
    for (int i = 0; i < 3; ++i) {
        script += QStringLiteral("C: MAIL FROM:<a@x.org>\nC: RCPT TO:<b@y.org>\nC: BDAT %1 LAST\n"
                                 "S: 250 ok\nS: 250 ok\nS: 250 ok\n")
                      .arg(message.size());
    }
    script += QStringLiteral("C: QUIT\nS: 221 bye\nCLOSE\n");
    server.setScript(script);
    Ssmtp smtp;
    setUpMessage(smtp, server.listen());
    Terminal t(&smtp);
    QSignalSpy connectedChanged(&smtp, &Ssmtp::connectedChanged);
    smtp.connectToServer();
    QVERIFY(t.connected.wait(5000));
    QVERIFY(smtp.isConnected());
    QCOMPARE(connectedChanged.count(), 1);
    for (int i = 0; i < 3; ++i) {
        smtp.send();
        QVERIFY(smtp.waitForIdle(5000));
        QCOMPARE(t.sent.count(), i + 1);
        QVERIFY(smtp.isConnected()); // send() leaves a connection it did not open alone
    }
    smtp.disconnectFromServer();
    QVERIFY(smtp.waitForIdle(5000));
    QCOMPARE(t.disconnected.count(), 1);
    QVERIFY2(server.waitForFinished(10000), qPrintable(server.failure()));
    QCOMPARE(server.messages().size(), 3);
    QCOMPARE(t.count(), 5);
    QCOMPARE(server.connectionCount(), 1);
    QCOMPARE(connectedChanged.count(), 2);
    QCOMPARE(server.turns(), 5); // EHLO, three transactions, QUIT
}

void tst_SsmtpSession::rsetAfterFailedTransaction()
{
    FakeSmtpServer server;
    server.setScript(ehlo({u"PIPELINING"_s}) + QStringLiteral(R"(
C: MAIL FROM:<a@x.org>
C: RCPT TO:<b@y.org>
C: DATA
S: 250 ok
S: 450 try later
S: 554 no valid recipients
C: RSET
C: MAIL FROM:<a@x.org>
C: RCPT TO:<b@y.org>
C: DATA
S: 250 reset
S: 250 ok
S: 250 ok
S: 354 go
DATA
S: 250 queued
)"));
    Ssmtp smtp;
    setUpMessage(smtp, server.listen());
    Terminal t(&smtp);
    smtp.connectToServer();
    QVERIFY(t.connected.wait(5000));
    smtp.send();
    QVERIFY(smtp.waitForIdle(5000));
    QCOMPARE(t.lastError(), Ssmtp::ProtocolError);
    QVERIFY(t.lastErrorText().contains(QLatin1String("450 try later")));
    QVERIFY(smtp.isConnected());
    smtp.send();
    QVERIFY(smtp.waitForIdle(5000));
    QCOMPARE(t.sent.count(), 1);
    QVERIFY2(server.waitForFinished(10000), qPrintable(server.failure()));

    // SendRSET=false: no RSET.
    FakeSmtpServer server2;
    server2.setScript(ehlo({u"PIPELINING"_s}) + QStringLiteral(R"(
C: MAIL FROM:<a@x.org>
C: RCPT TO:<b@y.org>
C: DATA
S: 250 ok
S: 450 try later
S: 554 no valid recipients
C: MAIL FROM:<a@x.org>
C: RCPT TO:<b@y.org>
C: DATA
S: 250 ok
S: 250 ok
S: 354 go
DATA
S: 250 queued
)"));
    Ssmtp smtp2;
    setUpMessage(smtp2, server2.listen());
    smtp2.config(QStringLiteral("SendRSET=false"));
    Terminal t2(&smtp2);
    smtp2.connectToServer();
    QVERIFY(t2.connected.wait(5000));
    smtp2.send();
    QVERIFY(smtp2.waitForIdle(5000));
    smtp2.send();
    QVERIFY(smtp2.waitForIdle(5000));
    QCOMPARE(t2.sent.count(), 1);
    QVERIFY2(server2.waitForFinished(10000), qPrintable(server2.failure()));
}

void tst_SsmtpSession::transferSignals()
{
    FakeSmtpServer server;
    server.setScript(ehlo({u"PIPELINING"_s}) + QStringLiteral(R"(
C: MAIL FROM:<a@x.org>
C: RCPT TO:<b@y.org>
C: DATA
S: 250 ok
S: 250 ok
S: 354 go
DATA
S: 250 queued
C: QUIT
S: 221 bye
CLOSE
)"));
    Ssmtp smtp;
    setUpMessage(smtp, server.listen());
    QString text;
    for (int i = 0; i < 3000; ++i)
        text += QString(99, QLatin1Char('z')) + QLatin1Char('\n');
    smtp.setMessageText(text);
    QStringList order;
    qint64 lastBytes = 0;
    int lastPercent = -2;
    QByteArray transferred;
    connect(&smtp, &Ssmtp::startTransfer, this,
            [&](int d) { order << QStringLiteral("start%1").arg(d); });
    connect(&smtp, &Ssmtp::transfer, this,
            [&](int d, qint64 bytes, int percent, const QByteArray &chunk) {
                QCOMPARE(d, 0);
                QVERIFY(bytes > lastBytes);
                QVERIFY(percent >= lastPercent);
                lastBytes = bytes;
                lastPercent = percent;
                transferred += chunk;
                if (order.isEmpty() || order.last() != QLatin1String("transfer"))
                    order << QStringLiteral("transfer");
            });
    connect(&smtp, &Ssmtp::endTransfer, this,
            [&](int d) { order << QStringLiteral("end%1").arg(d); });
    connect(&smtp, &Ssmtp::messageSent, this, [&] { order << QStringLiteral("sent"); });
    smtp.send();
    QVERIFY2(server.waitForFinished(10000), qPrintable(server.failure()));
    QTRY_COMPARE(order.size(), 4);
    QCOMPARE(order, (QStringList{u"start0"_s, u"transfer"_s, u"end0"_s, u"sent"_s}));
    QCOMPARE(lastPercent, 100);
    QCOMPARE(transferred, Head + text.toLatin1());
    QCOMPARE(lastBytes, qint64(transferred.size()));
}

void tst_SsmtpSession::dsnParameters()
{
    FakeSmtpServer server;
    server.setScript(ehlo({u"PIPELINING"_s, u"DSN"_s}) + QStringLiteral(R"(
C: MAIL FROM:<a@x.org> RET=HDRS ENVID=env+2B1
C: RCPT TO:<b@y.org> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;b@y.org
C: DATA
S: 250 ok
S: 250 ok
S: 354 go
DATA
S: 250 queued
C: QUIT
S: 221 bye
CLOSE
)"));
    Ssmtp smtp;
    setUpMessage(smtp, server.listen());
    smtp.setSendTo(QString());
    smtp.setMessageRecipients(
        {SsmtpRecipient(QStringLiteral("b@y.org"), QString(), SsmtpRecipient::To,
                        QStringLiteral("NOTIFY SUCCESS,FAILURE ORCPT=rfc822;b@y.org"))});
    smtp.config(QStringLiteral("DSNRet=hdrs"));
    smtp.config(QStringLiteral("DSNEnvelopeId=env+1"));
    Terminal t(&smtp);
    smtp.send();
    QVERIFY2(server.waitForFinished(10000), qPrintable(server.failure()));
    QTRY_COMPARE(t.sent.count(), 1);
    QVERIFY(server.messages().value(0).contains("To: b@y.org\r\n"));
}

void tst_SsmtpSession::dsnDroppedWhenNotOffered()
{
    FakeSmtpServer server;
    server.setScript(ehlo({u"PIPELINING"_s}) + QStringLiteral(R"(
C: MAIL FROM:<a@x.org>
C: RCPT TO:<b@y.org>
C: DATA
S: 250 ok
S: 250 ok
S: 354 go
DATA
S: 250 queued
C: QUIT
S: 221 bye
CLOSE
)"));
    Ssmtp smtp;
    setUpMessage(smtp, server.listen());
    smtp.setMessageRecipients(
        {SsmtpRecipient(QStringLiteral("b@y.org"), QString(), SsmtpRecipient::To,
                        QStringLiteral("NOTIFY=SUCCESS"))});
    Terminal t(&smtp);
    QSignalSpy trail(&smtp, &Ssmtp::piTrail);
    smtp.send();
    QVERIFY2(server.waitForFinished(10000), qPrintable(server.failure()));
    QTRY_COMPARE(t.sent.count(), 1);
    bool info = false;
    for (const QList<QVariant> &e : trail)
        info = info || (e.at(0).toInt() == 2 && e.at(1).toString().contains(QLatin1String("DSN")));
    QVERIFY(info);
}

void tst_SsmtpSession::smtpUtf8Address()
{
    FakeSmtpServer server;
    server.setScript(ehlo({u"PIPELINING"_s, u"SMTPUTF8"_s, u"8BITMIME"_s}) + QStringLiteral(R"(
C: MAIL FROM:<a@x.org> BODY=8BITMIME SMTPUTF8
C: RCPT TO:<jörg@y.org>
C: DATA
S: 250 ok
S: 250 ok
S: 354 go
DATA
S: 250 queued
C: QUIT
S: 221 bye
CLOSE
)"));
    Ssmtp smtp;
    setUpMessage(smtp, server.listen());
    smtp.setSendTo(QStringLiteral("jörg@y.org"));
    Terminal t(&smtp);
    smtp.send();
    QVERIFY2(server.waitForFinished(10000), qPrintable(server.failure()));
    QTRY_COMPARE(t.sent.count(), 1);

    // Not offered: a clear error before MAIL.
    FakeSmtpServer server2;
    server2.setScript(ehlo({u"PIPELINING"_s}) + QStringLiteral("C: QUIT\nS: 221 bye\nCLOSE\n"));
    Ssmtp smtp2;
    setUpMessage(smtp2, server2.listen());
    smtp2.setSendTo(QStringLiteral("jörg@y.org"));
    Terminal t2(&smtp2);
    smtp2.send();
    QTRY_COMPARE(t2.count(), 1);
    QCOMPARE(t2.lastError(), Ssmtp::ExtensionNotSupportedError);
    QVERIFY(t2.lastErrorText().contains(QLatin1String("SMTPUTF8")));
}

void tst_SsmtpSession::verifyExpandCommand()
{
    FakeSmtpServer server;
    server.setScript(ehlo({u"ENHANCEDSTATUSCODES"_s}) + QStringLiteral(R"(
C: VRFY b@y.org
S: 252 2.5.2 cannot verify
C: QUIT
S: 221 bye
CLOSE
ACCEPT
)") + ehlo({u"ENHANCEDSTATUSCODES"_s}) +
                     QStringLiteral(R"(
C: EXPN list
S: 250-2.1.5 One <one@y.org>
S: 250 2.1.5 two@y.org
C: QUIT
S: 221 bye
CLOSE
ACCEPT
)") + ehlo({}) + QStringLiteral(R"(
C: NOOP
S: 250 ok
C: HELP
S: 502 no help
C: QUIT
S: 221 bye
CLOSE
)"));
    Ssmtp smtp;
    setUpMessage(smtp, server.listen());
    QSignalSpy verified(&smtp, &Ssmtp::verified);
    smtp.verify(QStringLiteral("b@y.org"));
    QVERIFY(verified.wait(5000));
    QCOMPARE(verified.first().at(0).toInt(), 252);
    QVERIFY(smtp.waitForIdle(5000));

    QSignalSpy each(&smtp, &Ssmtp::addressExpanded);
    QSignalSpy expanded(&smtp, &Ssmtp::expanded);
    smtp.expand(QStringLiteral("list"));
    QVERIFY(expanded.wait(5000));
    QCOMPARE(each.count(), 2);
    QCOMPARE(each.at(0).at(0).toString(), QStringLiteral("One <one@y.org>"));
    QCOMPARE(expanded.first().at(0).toStringList(),
             (QStringList{u"One <one@y.org>"_s, u"two@y.org"_s}));
    QVERIFY(smtp.waitForIdle(5000));

    Terminal t(&smtp);
    QSignalSpy replied(&smtp, &Ssmtp::commandReplied);
    smtp.sendCommand(QStringLiteral("NOOP"));
    QTRY_COMPARE(t.count(), 1);
    QCOMPARE(t.lastError(), Ssmtp::NotConnectedError);
    smtp.connectToServer();
    QVERIFY(t.connected.wait(5000));
    smtp.sendCommand(QStringLiteral("NOOP"));
    QVERIFY(replied.wait(5000));
    QCOMPARE(replied.first().at(0).toInt(), 250);
    QCOMPARE(smtp.lastReply(), QStringLiteral("250 ok"));
    smtp.sendCommand(QStringLiteral("HELP"));
    QVERIFY(smtp.waitForIdle(5000));
    QCOMPARE(t.lastError(), Ssmtp::ProtocolError);
    smtp.sendCommand(QStringLiteral("NOOP\r\nRSET"));
    QTRY_COMPARE(t.lastError(), Ssmtp::ActionImpossibleError);
    smtp.disconnectFromServer();
    QVERIFY(t.disconnected.wait(5000));
    QVERIFY2(server.waitForFinished(10000), qPrintable(server.failure()));
}

void tst_SsmtpSession::streamBody()
{
    QTemporaryDir dir;
    QFile file(dir.filePath(QStringLiteral("body.txt")));
    QVERIFY(file.open(QIODevice::WriteOnly));
    QByteArray body;
    for (int i = 0; i < 20000; ++i)
        body += (i % 7 == 0 ? "." : "") + QByteArray::number(i) + (i % 3 ? "\n" : "\r\n");
    file.write(body);
    file.close();
    QVERIFY(file.open(QIODevice::ReadOnly));
    QByteArray expected = body;
    expected.replace("\r\n", "\n").replace("\n", "\r\n");

    FakeSmtpServer server;
    server.setScript(ehlo({u"PIPELINING"_s, u"CHUNKING"_s}) + QStringLiteral(R"(
C: MAIL FROM:<a@x.org>
C: RCPT TO:<b@y.org>
C: BDAT * LAST
S: 250 ok
S: 250 ok
S: 250 ok
C: QUIT
S: 221 bye
CLOSE
)"));
    Ssmtp smtp;
    setUpMessage(smtp, server.listen());
    smtp.setMessageStream(&file);
    Terminal t(&smtp);
    smtp.send();
    QVERIFY2(server.waitForFinished(10000), qPrintable(server.failure()));
    QTRY_COMPARE(t.sent.count(), 1);
    QCOMPARE(server.messages().value(0), Head + expected);
    QVERIFY(!file.isOpen()); // CloseStreamAfterTransfer
}

void tst_SsmtpSession::rawMessage()
{
    FakeSmtpServer server;
    server.setScript(ehlo({u"PIPELINING"_s}) + QStringLiteral(R"(
C: MAIL FROM:<a@x.org>
C: RCPT TO:<b@y.org>
C: DATA
S: 250 ok
S: 250 ok
S: 354 go
DATA
S: 250 queued
C: QUIT
S: 221 bye
CLOSE
)"));
    Ssmtp smtp;
    setUpMessage(smtp, server.listen());
    smtp.setMessage("Subject: raw\n\n.first\nsecond\r");
    Terminal t(&smtp);
    smtp.send();
    QVERIFY2(server.waitForFinished(10000), qPrintable(server.failure()));
    QTRY_COMPARE(t.sent.count(), 1);
    QCOMPARE(server.messages().value(0), QByteArray("Subject: raw\r\n\r\n..first\r\nsecond\r\n"));
    QCOMPARE(smtp.config(QStringLiteral("TransferText")),
             QStringLiteral("Subject: raw\n\n.first\nsecond\r"));
}

void tst_SsmtpSession::queueAndProcess()
{
    QTemporaryDir dir;
    Ssmtp smtp;
    setUpMessage(smtp, 1);
    const QString star = smtp.queue(QStringLiteral("*"));
    QVERIFY(star.startsWith(
        QLatin1String("Ssmtp-Queue: 1\r\nMail-From: <a@x.org>\r\nRcpt-To: to <b@y.org>\r\n\r\n")));
    QVERIFY(star.endsWith(QLatin1String("line one\n.dot line\nlast")));
    const QString first = smtp.queue(dir.path());
    QVERIFY(first.endsWith(QLatin1String(".queued")));
    smtp.setSubject(QStringLiteral("Second"));
    const QString second = smtp.queue(dir.path());
    QVERIFY(second != first);
    QCOMPARE(QDir(dir.path()).entryList({u"*.queued"_s}).size(), 2);

    FakeSmtpServer server;
    QString script = ehlo({u"PIPELINING"_s});
    for (int i = 0; i < 2; ++i) {
        script += QStringLiteral("C: MAIL FROM:<a@x.org>\nC: RCPT TO:<b@y.org>\nC: DATA\n"
                                 "S: 250 ok\nS: 250 ok\nS: 354 go\nDATA\nS: 250 queued\n");
    }
    script += QStringLiteral("C: QUIT\nS: 221 bye\nCLOSE\n");
    server.setScript(script);
    smtp.setMailPort(server.listen());
    smtp.config(QStringLiteral("KeepQueue=true"));
    Terminal t(&smtp);
    smtp.processQueue(dir.path());
    QVERIFY(t.queue.wait(10000));
    QCOMPARE(t.queue.first().at(0).toInt(), 2);
    QCOMPARE(t.count(), 1);
    QVERIFY2(server.waitForFinished(10000), qPrintable(server.failure()));
    QCOMPARE(server.messages().size(), 2);
    QVERIFY(server.messages().at(0).contains("Subject: Hi"));
    QVERIFY(server.messages().at(1).contains("Subject: Second"));
    QCOMPARE(QDir(dir.path()).entryList({u"*.sent"_s}).size(), 2);
    QCOMPARE(QDir(dir.path()).entryList({u"*.queued"_s}).size(), 0);

    // Without KeepQueue the files are deleted.
    smtp.config(QStringLiteral("KeepQueue=false"));
    smtp.queue(dir.path());
    FakeSmtpServer server2;
    server2.setScript(ehlo({}) +
                      QStringLiteral("C: MAIL FROM:<a@x.org>\nS: 250 ok\nC: RCPT TO:<b@y.org>\nS: "
                                     "250 ok\nC: DATA\nS: 354 go\n"
                                     "DATA\nS: 250 queued\nC: QUIT\nS: 221 bye\nCLOSE\n"));
    smtp.setMailPort(server2.listen());
    smtp.processQueue(dir.path());
    QVERIFY(t.queue.wait(10000));
    QCOMPARE(QDir(dir.path()).entryList({u"*.queued"_s}).size(), 0);
    QCOMPARE(QDir(dir.path()).entryList({u"*.sent"_s}).size(), 2);
}

void tst_SsmtpSession::queueFailureMarksFailed()
{
    QTemporaryDir dir;
    Ssmtp smtp;
    setUpMessage(smtp, 1);
    smtp.queue(dir.path());
    smtp.queue(dir.path());
    FakeSmtpServer server;
    server.setScript(
        ehlo({}) +
        QStringLiteral(
            "C: MAIL FROM:<a@x.org>\nS: 550 sender refused\nC: QUIT\nS: 221 bye\nCLOSE\n"));
    smtp.setMailPort(server.listen());
    Terminal t(&smtp);
    smtp.processQueue(dir.path());
    QTRY_COMPARE(t.count(), 1);
    QCOMPARE(t.lastError(), Ssmtp::ProtocolError);
    QCOMPARE(QDir(dir.path()).entryList({u"*.failed"_s}).size(), 1);
    QCOMPARE(QDir(dir.path()).entryList({u"*.queued"_s}).size(), 1); // the rest stays queued

    // queue() into a directory that does not exist: a clear error, nothing written.
    QVERIFY(smtp.queue(dir.filePath(QStringLiteral("missing"))).isEmpty());
    QCOMPARE(smtp.error(), Ssmtp::FileError);
}

void tst_SsmtpSession::queueRecoversStaleSending()
{
    QTemporaryDir dir;
    Ssmtp smtp;
    setUpMessage(smtp, 1);
    const QString queued = smtp.queue(dir.path());
    QString sending = queued;
    sending.replace(QLatin1String(".queued"), QLatin1String(".sending"));
    QVERIFY(QFile::rename(queued, sending)); // as a crash mid-send would leave it
    FakeSmtpServer server;
    server.setScript(ehlo({}) +
                     QStringLiteral("C: MAIL FROM:<a@x.org>\nS: 250 ok\nC: RCPT TO:<b@y.org>\nS: "
                                    "250 ok\nC: DATA\nS: 354 go\n"
                                    "DATA\nS: 250 queued\nC: QUIT\nS: 221 bye\nCLOSE\n"));
    smtp.setMailPort(server.listen());
    Terminal t(&smtp);
    smtp.processQueue(dir.path());
    QVERIFY(t.queue.wait(10000));
    QCOMPARE(t.queue.first().at(0).toInt(), 1);
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files).filter(u"sending"_s).size(), 0);
}

void tst_SsmtpSession::configSettings()
{
    Ssmtp smtp;
    QSignalSpy errors(&smtp, &Ssmtp::errorOccurred);
    QCOMPARE(smtp.config(QStringLiteral("NoSuchSetting=1")), QString());
    QCOMPARE(errors.count(), 1);
    QCOMPARE(smtp.error(), Ssmtp::UnknownConfigError);
    QVERIFY(smtp.errorString().contains(QLatin1String("NoSuchSetting")));
    smtp.config(QStringLiteral("StopOnToErrors=maybe"));
    QCOMPARE(smtp.error(), Ssmtp::InvalidConfigValueError);
    smtp.config(QStringLiteral("MaxLineLength=100"));
    QCOMPARE(smtp.error(), Ssmtp::InvalidConfigValueError);
    QCOMPARE(smtp.config(QStringLiteral("MaxLineLength")), QStringLiteral("2048"));
    smtp.config(QStringLiteral("stoponccerrors=No"));
    QCOMPARE(smtp.config(QStringLiteral("StopOnCcErrors")), QStringLiteral("False"));
    smtp.config(QStringLiteral("OtherHeaders=X-A: 1"));
    QCOMPARE(smtp.otherHeaders(), QStringLiteral("X-A: 1"));
    smtp.config(QStringLiteral("ReturnPath=bounce@x.org"));
    QCOMPARE(smtp.returnPath(), QStringLiteral("bounce@x.org"));
    QVERIFY(smtp.config(QStringLiteral("BuildInfo")).contains(QLatin1String("Ssmtp")));
    smtp.config(QStringLiteral("TransferText=x"));
    QCOMPARE(smtp.error(), Ssmtp::InvalidConfigValueError);
    const QStringList names = {u"AllowEmptyTo"_s,
                               u"AuthorizationIdentity"_s,
                               u"Charset"_s,
                               u"FoldHeaders"_s,
                               u"Hello"_s,
                               u"KeepQueue"_s,
                               u"MaxHeaderLength"_s,
                               u"MessageHeadersString"_s,
                               u"MessageIdAlgorithm"_s,
                               u"OtherHeaders"_s,
                               u"ReturnPath"_s,
                               u"SendRSET"_s,
                               u"StopOnBccErrors"_s,
                               u"StopOnCcErrors"_s,
                               u"StopOnToErrors"_s,
                               u"TransferText"_s,
                               u"ConnectionTimeout"_s,
                               u"AbsoluteTimeout"_s,
                               u"LocalPort"_s,
                               u"MaxLineLength"_s,
                               u"TcpNoDelay"_s,
                               u"TCPKeepAlive"_s,
                               u"KeepAliveTime"_s,
                               u"KeepAliveInterval"_s,
                               u"Linger"_s,
                               u"LingerTime"_s,
                               u"UseIPv6"_s,
                               u"InBufferSize"_s,
                               u"OutBufferSize"_s,
                               u"MaxTransferRate"_s,
                               u"CloseStreamAfterTransfer"_s,
                               u"MaskSensitive"_s,
                               u"BuildInfo"_s};
    const int before = int(errors.count());
    for (const QString &name : names)
        smtp.config(name);
    QCOMPARE(errors.count(), before); // every spec setting is known
}

// MaxTransferRate limits the body's pace: 256 KiB at 512 KiB/s cannot finish in less than
// about (256 - 64) / 512 s (the first 64 KiB may go at once). Only the lower bound is checked.
void tst_SsmtpSession::maxTransferRateThrottles()
{
    FakeSmtpServer server;
    server.setScript(ehlo({u"PIPELINING"_s}) + QStringLiteral(R"(
C: MAIL FROM:<a@x.org>
C: RCPT TO:<b@y.org>
C: DATA
S: 250 ok
S: 250 ok
S: 354 go
DATA
S: 250 queued
C: QUIT
S: 221 bye
CLOSE
)"));
    Ssmtp smtp;
    setUpMessage(smtp, server.listen());
    QString text;
    for (int i = 0; i < 2048; ++i)
        text += QString(126, QLatin1Char('r')) + QLatin1Char('\n');
    smtp.setMessageText(text);
    smtp.config(QStringLiteral("MaxTransferRate=524288"));
    Terminal t(&smtp);
    QElapsedTimer clock;
    QSignalSpy started(&smtp, &Ssmtp::startTransfer);
    QSignalSpy ended(&smtp, &Ssmtp::endTransfer);
    smtp.send();
    QVERIFY(started.wait(5000));
    clock.start();
    QVERIFY(ended.wait(10000));
    QVERIFY2(clock.elapsed() >= 300, qPrintable(QString::number(clock.elapsed())));
    QVERIFY2(server.waitForFinished(10000), qPrintable(server.failure()));
    QTRY_COMPARE(t.sent.count(), 1);
    QCOMPARE(server.messages().value(0).size(), Head.size() + 2048 * 128);
}

QTEST_GUILESS_MAIN(tst_SsmtpSession)
#include "tst_ssmtp_session.moc"
