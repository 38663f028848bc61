// Ssmtp against a real Postfix (a private instance on 127.0.0.1, started by
// tests/integration/servers/postfix-instance.sh; needs root). Postfix offers PIPELINING,
// CHUNKING (BDAT) and DSN; it delivers every recipient's copy into one Maildir, asynchronously,
// with headers added (Return-Path, Delivered-To, Received) and LF line ends, so the tests
// compare parsed content (check_message.py), not bytes.
#include "integrationutil.h"
#include "realserver.h"
#include "ssmtp.h"
#include "ssmtprecipient.h"

#include <QJsonArray>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTest>

#include <algorithm>

using namespace integration;

namespace {

const QString kSubject = QStringLiteral("Grüße – test");
const QString kText =
    QStringLiteral(".leading dot\nsecond line with Ümläüts – and a dash\n.\n..two dots\nlast line");

bool sentWithBdatOnly(const QStringList &clientLines, QString *why)
{
    bool bdat = false;
    for (const QString &line : clientLines) {
        if (line.startsWith(QLatin1String("BDAT "), Qt::CaseInsensitive))
            bdat = true;
        if (line.trimmed().compare(QLatin1String("DATA"), Qt::CaseInsensitive) == 0) {
            *why = QStringLiteral("a DATA command was sent");
            return false;
        }
    }
    if (!bdat)
        *why = QStringLiteral("no BDAT command was sent");
    return bdat;
}

} // namespace

class tst_Postfix : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanupTestCase();

    void composedMessageDelivered();
    void usesBdat();
    void dsnNotifySuccess();
    void rejectedRecipientStopsByDefault();
    void rejectedRecipientSkippedWhenStopOnToErrorsFalse();
    void authThroughDovecot();

private:
    RealSmtpServer m_server;
};

void tst_Postfix::initTestCase()
{
    qRegisterMetaType<Ssmtp::Error>();
    m_server = RealSmtpServer::startPostfix();
    REALSERVER_REQUIRE(m_server);
}

void tst_Postfix::init()
{
    m_server.clearMessages();
}

void tst_Postfix::cleanupTestCase()
{
    m_server.stop();
}

void tst_Postfix::composedMessageDelivered()
{
    Ssmtp smtp;
    SsmtpSpies spies(&smtp);
    useServer(smtp, m_server);
    smtp.setFrom(QStringLiteral("\"Doe, John\" <john@example.test>"));
    smtp.setSendTo(QStringLiteral("bob@example.test, \"Smith, Ann\" <ann@example.test>"));
    smtp.setCc(QStringLiteral("carol@example.test"));
    smtp.setBcc(QStringLiteral("hidden@example.test"));
    smtp.setSubject(kSubject);
    smtp.setMessageText(kText);
    smtp.send();
    QVERIFY2(waitForOperation(smtp, spies.sent, spies.errors), qPrintable(spies.trailText()));
    QVERIFY2(spies.errors.isEmpty(),
             qPrintable(spies.errorText() + QLatin1Char('\n') + spies.trailText()));
    QCOMPARE(spies.sent.count(), 1);

    // One copy per recipient lands in the Maildir.
    const QList<QByteArray> messages = m_server.waitForMessages(4, 30000);
    QVERIFY2(messages.size() == 4, qPrintable(m_server.log()));
    QStringList deliveredTo;
    for (const QByteArray &message : messages) {
        const QJsonObject report = RealSmtpServer::checkMessage(message);
        QVERIFY2(report.value(QStringLiteral("defects")).toInt() == 0,
                 qPrintable(reportDiagnostics(report)));
        deliveredTo << header(report, QStringLiteral("Delivered-To"));
        QCOMPARE(header(report, QStringLiteral("Return-Path")),
                 QStringLiteral("<john@example.test>"));
        QCOMPARE(header(report, QStringLiteral("Subject")), kSubject);
        QCOMPARE(headerCount(report, QStringLiteral("bcc")), 0);
        QVERIFY(!report.value(QStringLiteral("eight_bit_header")).toBool());
        const auto from = addresses(report, QStringLiteral("from"));
        QCOMPARE(from.size(), 1);
        QCOMPARE(from.first().first, QStringLiteral("Doe, John"));
        QCOMPARE(from.first().second, QStringLiteral("john@example.test"));
        QCOMPARE(
            addressesOnly(report, QStringLiteral("to")),
            (QStringList{QStringLiteral("bob@example.test"), QStringLiteral("ann@example.test")}));
        QCOMPARE(addresses(report, QStringLiteral("to")).at(1).first, QStringLiteral("Smith, Ann"));
        QCOMPARE(addressesOnly(report, QStringLiteral("cc")),
                 QStringList{QStringLiteral("carol@example.test")});
        QCOMPARE(bodyText(report), withoutTrailingNewlines(kText));
    }
    deliveredTo.sort();
    QCOMPARE(
        deliveredTo,
        (QStringList{QStringLiteral("ann@example.test"), QStringLiteral("bob@example.test"),
                     QStringLiteral("carol@example.test"), QStringLiteral("hidden@example.test")}));
}

void tst_Postfix::usesBdat()
{
    Ssmtp smtp;
    SsmtpSpies spies(&smtp);
    useServer(smtp, m_server);
    smtp.setFrom(QStringLiteral("john@example.test"));
    smtp.setSendTo(QStringLiteral("bob@example.test"));
    smtp.setSubject(QStringLiteral("chunked"));
    // Lines starting with "." that must not be stuffed with BDAT.
    QString text;
    for (int i = 0; i < 2000; ++i)
        text +=
            (i % 10 == 0 ? QStringLiteral(".") : QString()) + QStringLiteral("line %1\n").arg(i);
    smtp.setMessageText(text);
    smtp.send();
    QVERIFY2(waitForOperation(smtp, spies.sent, spies.errors), qPrintable(spies.trailText()));
    QVERIFY2(spies.errors.isEmpty(),
             qPrintable(spies.errorText() + QLatin1Char('\n') + spies.trailText()));
    QCOMPARE(spies.sent.count(), 1);

    QString why;
    QVERIFY2(sentWithBdatOnly(spies.clientLines(), &why),
             qPrintable(why + QLatin1Char('\n') + spies.trailText()));
    // The last chunk is marked LAST.
    const QStringList bdat = spies.clientLines().filter(
        QRegularExpression(QStringLiteral("^BDAT "), QRegularExpression::CaseInsensitiveOption));
    QVERIFY2(bdat.last().endsWith(QLatin1String(" LAST"), Qt::CaseInsensitive),
             qPrintable(bdat.join(QLatin1Char('\n'))));

    const QList<QByteArray> messages = m_server.waitForMessages(1, 30000);
    QVERIFY2(messages.size() == 1, qPrintable(m_server.log()));
    const QJsonObject report = RealSmtpServer::checkMessage(messages.first());
    QCOMPARE(report.value(QStringLiteral("defects")).toInt(), 0);
    QCOMPARE(bodyText(report), withoutTrailingNewlines(text));
    // Postfix logs the transaction with its BDAT count.
    QVERIFY2(m_server.log().contains(QLatin1String(" bdat=")), qPrintable(m_server.log()));
}

void tst_Postfix::dsnNotifySuccess()
{
    Ssmtp smtp;
    SsmtpSpies spies(&smtp);
    useServer(smtp, m_server);
    smtp.setFrom(QStringLiteral("john@example.test"));
    smtp.setMessageRecipients(
        {SsmtpRecipient(QStringLiteral("dsn@example.test"), QString(), SsmtpRecipient::To,
                        QStringLiteral("NOTIFY=SUCCESS"))});
    smtp.setSubject(QStringLiteral("with DSN"));
    smtp.setMessageText(QStringLiteral("please confirm"));
    smtp.send();
    QVERIFY2(waitForOperation(smtp, spies.sent, spies.errors), qPrintable(spies.trailText()));
    QVERIFY2(spies.errors.isEmpty(),
             qPrintable(spies.errorText() + QLatin1Char('\n') + spies.trailText()));
    QCOMPARE(spies.sent.count(), 1);
    const QStringList rcpt = spies.clientLines().filter(
        QRegularExpression(QStringLiteral("^RCPT TO:"), QRegularExpression::CaseInsensitiveOption));
    QCOMPARE(rcpt.size(), 1);
    QVERIFY2(rcpt.first().contains(QLatin1String("NOTIFY=SUCCESS"), Qt::CaseInsensitive),
             qPrintable(rcpt.first()));

    // The message, and Postfix's "delivered" report to the sender.
    const QList<QByteArray> messages = m_server.waitForMessages(2, 30000);
    QVERIFY2(messages.size() == 2, qPrintable(m_server.log()));
    bool sawMessage = false;
    bool sawReport = false;
    for (const QByteArray &message : messages) {
        const QJsonObject report = RealSmtpServer::checkMessage(message);
        if (header(report, QStringLiteral("Delivered-To")) == QLatin1String("dsn@example.test")) {
            sawMessage = true;
            QCOMPARE(header(report, QStringLiteral("Subject")), QStringLiteral("with DSN"));
        } else if (header(report, QStringLiteral("Delivered-To")) ==
                   QLatin1String("john@example.test")) {
            sawReport = true;
            QCOMPARE(report.value(QStringLiteral("content_type")).toString(),
                     QStringLiteral("multipart/report"));
            QVERIFY(message.contains("dsn@example.test"));
        }
    }
    QVERIFY(sawMessage);
    QVERIFY2(sawReport, qPrintable(m_server.log()));
}

void tst_Postfix::rejectedRecipientStopsByDefault()
{
    Ssmtp smtp;
    SsmtpSpies spies(&smtp);
    useServer(smtp, m_server);
    smtp.setFrom(QStringLiteral("john@example.test"));
    smtp.setSendTo(QStringLiteral("bob@example.test, reject@example.test"));
    smtp.setSubject(QStringLiteral("must not arrive"));
    smtp.setMessageText(QStringLiteral("hello"));
    smtp.send();
    QVERIFY2(waitForOperation(smtp, spies.sent, spies.errors), qPrintable(spies.trailText()));
    QCOMPARE(spies.sent.count(), 0);
    QCOMPARE(spies.errors.count(), 1);
    const int code = spies.errorCodes().first();
    QVERIFY2(code == Ssmtp::ProtocolError || code == Ssmtp::RecipientRejectedError,
             qPrintable(spies.errorText()));
    QVERIFY2(spies.errorText().contains(QStringLiteral("reject@example.test")),
             qPrintable(spies.errorText()));
    // With pipelining the message must not have been committed before the RCPT replies.
    QTest::qWait(1500); // Postfix delivers asynchronously
    QVERIFY2(m_server.messageCount() == 0, qPrintable(m_server.log()));
}

void tst_Postfix::rejectedRecipientSkippedWhenStopOnToErrorsFalse()
{
    Ssmtp smtp;
    SsmtpSpies spies(&smtp);
    useServer(smtp, m_server);
    smtp.config(QStringLiteral("StopOnToErrors=false"));
    QVERIFY2(smtp.error() == Ssmtp::NoError, qPrintable(smtp.errorString()));
    smtp.setFrom(QStringLiteral("john@example.test"));
    smtp.setSendTo(QStringLiteral("bob@example.test, reject@example.test"));
    smtp.setSubject(QStringLiteral("partly delivered"));
    smtp.setMessageText(QStringLiteral("hello"));
    smtp.send();
    QVERIFY2(waitForOperation(smtp, spies.sent, spies.errors), qPrintable(spies.trailText()));
    QVERIFY2(spies.errorText().contains(QStringLiteral("reject@example.test")),
             qPrintable(spies.errorText()));
    const QList<QByteArray> messages = m_server.waitForMessages(1, 30000);
    QVERIFY2(messages.size() == 1, qPrintable(m_server.log()));
    const QJsonObject report = RealSmtpServer::checkMessage(messages.first());
    QCOMPARE(header(report, QStringLiteral("Delivered-To")), QStringLiteral("bob@example.test"));
    if (spies.sent.count() != 1) {
        qWarning("StopOnToErrors=false: the send ended without messageSent although the message "
                 "was delivered; errors: %s",
                 qPrintable(spies.errorText()));
    }
}

void tst_Postfix::authThroughDovecot()
{
    // A second instance with SASL (Dovecot, passwd-file) on its own port.
    RealSmtpServer server =
        RealSmtpServer::startPostfix({QStringLiteral("POSTFIX_SASL=alice:s3cret")});
    REALSERVER_REQUIRE(server);

    for (const QString &password : {QStringLiteral("wrong"), QStringLiteral("s3cret")}) {
        Ssmtp smtp;
        SsmtpSpies spies(&smtp);
        useServer(smtp, server);
        smtp.config(QStringLiteral("AllowInsecureAuth=true"));
        smtp.setAuthMechanism(Ssmtp::AuthMechanism::UserPassword);
        smtp.setUser(QStringLiteral("alice"));
        smtp.setPassword(password);
        smtp.setFrom(QStringLiteral("alice@example.test"));
        smtp.setSendTo(QStringLiteral("bob@example.test"));
        smtp.setSubject(QStringLiteral("authenticated"));
        smtp.setMessageText(QStringLiteral("hello"));
        smtp.send();
        QVERIFY2(waitForOperation(smtp, spies.sent, spies.errors), qPrintable(spies.trailText()));
        if (password == QLatin1String("wrong")) {
            QCOMPARE(spies.sent.count(), 0);
            QCOMPARE(spies.errors.count(), 1);
            QVERIFY2(spies.errorCodes().first() != Ssmtp::NoError, qPrintable(spies.errorText()));
        } else {
            QVERIFY2(spies.errors.isEmpty(),
                     qPrintable(spies.errorText() + QLatin1Char('\n') + spies.trailText()));
            QCOMPARE(spies.sent.count(), 1);
        }
    }
    const QList<QByteArray> messages = server.waitForMessages(1, 30000);
    QVERIFY2(messages.size() == 1, qPrintable(server.log()));
    // Postfix records the authenticated user in its log.
    QVERIFY2(server.log().contains(QLatin1String("sasl_username=alice")), qPrintable(server.log()));
}

QTEST_GUILESS_MAIN(tst_Postfix)
#include "tst_postfix.moc"
