// Ssmtp against a real SMTP server: npm smtp-server (tests/integration/servers/
// smtp-server-sink.js) on 127.0.0.1, which stores every accepted message and its envelope.
// The delivered messages are checked independently with Python's email package
// (check_message.py).
#include "integrationutil.h"
#include "realserver.h"
#include "ssmtp.h"
#include "ssmtprecipient.h"

#include <QFile>
#include <QJsonArray>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTemporaryFile>
#include <QTest>

using namespace integration;

namespace {

const QString kFrom = QStringLiteral("\"Doe, John\" <john@example.test>");
const QString kTo = QStringLiteral("bob@example.test, \"Smith, Ann\" <ann@example.test>");
const QString kCc = QStringLiteral("carol@example.test");
const QString kBcc = QStringLiteral("hidden@example.test");
const QString kSubject = QStringLiteral("Grüße – test");
// Bare LF line ends, a line starting with ".", a line that is only ".", non-ASCII text.
const QString kText =
    QStringLiteral(".leading dot\nsecond line with Ümläüts – and a dash\n.\n..two dots\nlast line");

QStringList envelopeRecipients(const QJsonObject &envelope)
{
    QStringList out;
    const QJsonArray rcpt = envelope.value(QStringLiteral("rcptTo")).toArray();
    for (const QJsonValue &v : rcpt)
        out << v.toObject().value(QStringLiteral("address")).toString();
    return out;
}

QString envelopeSender(const QJsonObject &envelope)
{
    return envelope.value(QStringLiteral("mailFrom"))
        .toObject()
        .value(QStringLiteral("address"))
        .toString();
}

} // namespace

class tst_SmtpServerSink : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanupTestCase();

    void composedMessageArrivesIntact();
    void rawMessageIsDotStuffedAndNormalised();
    void rejectedRecipientStopsByDefault();
    void rejectedRecipientSkippedWhenStopOnToErrorsFalse();
    void authUserPassword_data();
    void authUserPassword();
    void authWrongPasswordFails();
    void noCredentialsOverPlainTextByDefault();
    void severalMessagesOverOneConnection();
    void largeStreamedMessage();

private:
    RealSmtpServer m_server;
};

void tst_SmtpServerSink::initTestCase()
{
    qRegisterMetaType<Ssmtp::Error>();
    m_server = RealSmtpServer::startSmtpServerSink();
    REALSERVER_REQUIRE(m_server);
}

void tst_SmtpServerSink::init()
{
    m_server.clearMessages();
}

void tst_SmtpServerSink::cleanupTestCase()
{
    m_server.stop();
}

void tst_SmtpServerSink::composedMessageArrivesIntact()
{
    Ssmtp smtp;
    SsmtpSpies spies(&smtp);
    useServer(smtp, m_server);
    smtp.setFrom(kFrom);
    smtp.setSendTo(kTo);
    smtp.setCc(kCc);
    smtp.setBcc(kBcc);
    smtp.setSubject(kSubject);
    smtp.setMessageText(kText);
    smtp.send();
    QVERIFY2(waitForOperation(smtp, spies.sent, spies.errors), qPrintable(spies.trailText()));
    QVERIFY2(spies.errors.isEmpty(),
             qPrintable(spies.errorText() + QLatin1Char('\n') + spies.trailText()));
    QCOMPARE(spies.sent.count(), 1);

    const QList<QByteArray> messages = m_server.waitForMessages(1, 10000);
    QCOMPARE(messages.size(), 1);
    const QJsonObject envelope = m_server.envelopes().first();
    QCOMPARE(envelopeSender(envelope), QStringLiteral("john@example.test"));
    QStringList rcpt = envelopeRecipients(envelope);
    rcpt.sort();
    QCOMPARE(
        rcpt,
        (QStringList{QStringLiteral("ann@example.test"), QStringLiteral("bob@example.test"),
                     QStringLiteral("carol@example.test"), QStringLiteral("hidden@example.test")}));

    const QJsonObject report = RealSmtpServer::checkMessage(messages.first());
    QVERIFY2(!report.contains(QStringLiteral("error")), qPrintable(reportDiagnostics(report)));
    QVERIFY2(report.value(QStringLiteral("defects")).toInt() == 0,
             qPrintable(reportDiagnostics(report)));

    // What reached the wire (the sink stores it unstuffed, as received): CRLF only.
    const QJsonObject endings = report.value(QStringLiteral("line_endings")).toObject();
    QCOMPARE(endings.value(QStringLiteral("bare_lf")).toInt(), 0);
    QCOMPARE(endings.value(QStringLiteral("bare_cr")).toInt(), 0);
    QVERIFY(report.value(QStringLiteral("max_line_length")).toInt() <= 998);
    // Non-ASCII header text is encoded (RFC 2047), not sent raw.
    QVERIFY2(!report.value(QStringLiteral("eight_bit_header")).toBool(),
             qPrintable(reportDiagnostics(report)));

    QCOMPARE(header(report, QStringLiteral("Subject")), kSubject);
    QVERIFY(!header(report, QStringLiteral("Date")).isEmpty());
    QVERIFY(!header(report, QStringLiteral("Message-ID")).isEmpty() ||
            !header(report, QStringLiteral("Message-Id")).isEmpty());
    QCOMPARE(headerCount(report, QStringLiteral("from")), 1);
    QCOMPARE(headerCount(report, QStringLiteral("to")), 1);
    QCOMPARE(headerCount(report, QStringLiteral("cc")), 1);
    QCOMPARE(headerCount(report, QStringLiteral("bcc")), 0);
    QVERIFY2(!messages.first().contains("hidden@example.test"),
             messages.first().left(2000).constData());

    const auto from = addresses(report, QStringLiteral("from"));
    QCOMPARE(from.size(), 1);
    QCOMPARE(from.first().first, QStringLiteral("Doe, John"));
    QCOMPARE(from.first().second, QStringLiteral("john@example.test"));
    const auto to = addresses(report, QStringLiteral("to"));
    QCOMPARE(to.size(), 2);
    QCOMPARE(to.at(0).second, QStringLiteral("bob@example.test"));
    QCOMPARE(to.at(1).first, QStringLiteral("Smith, Ann"));
    QCOMPARE(to.at(1).second, QStringLiteral("ann@example.test"));
    QCOMPARE(addressesOnly(report, QStringLiteral("cc")),
             QStringList{QStringLiteral("carol@example.test")});

    // The body, decoded by Python, is the text that was set; the dot lines survived.
    QCOMPARE(bodyText(report), withoutTrailingNewlines(kText));
    QVERIFY(bodyText(report).startsWith(QStringLiteral(".leading dot\n")));
}

void tst_SmtpServerSink::rawMessageIsDotStuffedAndNormalised()
{
    // A raw message (the message property) goes out as it is, apart from CRLF normalisation and
    // dot-stuffing, which the sink undoes: what it stores must equal the CRLF form.
    const QByteArray raw = "From: john@example.test\n"
                           "To: bob@example.test\n"
                           "Subject: raw\n"
                           "\n"
                           ".\n"
                           "..two\r\n"
                           ".one\r"
                           "middle\n"
                           ".\r\n"
                           "end without newline";
    QByteArray expected = raw;
    expected.replace("\r\n", "\n").replace('\r', '\n').replace("\n", "\r\n");
    expected += "\r\n";

    Ssmtp smtp;
    SsmtpSpies spies(&smtp);
    useServer(smtp, m_server);
    smtp.setFrom(QStringLiteral("john@example.test"));
    smtp.setSendTo(QStringLiteral("bob@example.test"));
    smtp.setMessage(raw);
    smtp.send();
    QVERIFY2(waitForOperation(smtp, spies.sent, spies.errors), qPrintable(spies.trailText()));
    QVERIFY2(spies.errors.isEmpty(),
             qPrintable(spies.errorText() + QLatin1Char('\n') + spies.trailText()));
    QCOMPARE(spies.sent.count(), 1);
    const QList<QByteArray> messages = m_server.waitForMessages(1, 10000);
    QCOMPARE(messages.size(), 1);
    QCOMPARE(messages.first(), expected);
}

void tst_SmtpServerSink::rejectedRecipientStopsByDefault()
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
    QCOMPARE(smtp.error(), Ssmtp::Error(code));
    // Nothing was delivered (the sink stores a message before it answers 250).
    QTest::qWait(200);
    QCOMPARE(m_server.messageCount(), 0);
}

void tst_SmtpServerSink::rejectedRecipientSkippedWhenStopOnToErrorsFalse()
{
    Ssmtp smtp;
    SsmtpSpies spies(&smtp);
    useServer(smtp, m_server);
    smtp.config(QStringLiteral("StopOnToErrors=false"));
    QVERIFY2(smtp.error() == Ssmtp::NoError, qPrintable(smtp.errorString()));
    const QString stop = smtp.config(QStringLiteral("StopOnToErrors")).toLower();
    QVERIFY2(stop == QLatin1String("false") || stop == QLatin1String("0") ||
                 stop == QLatin1String("no"),
             qPrintable(stop));
    smtp.setFrom(QStringLiteral("john@example.test"));
    smtp.setSendTo(QStringLiteral("bob@example.test, reject@example.test, ann@example.test"));
    smtp.setSubject(QStringLiteral("partly delivered"));
    smtp.setMessageText(QStringLiteral("hello"));
    smtp.send();
    QVERIFY2(waitForOperation(smtp, spies.sent, spies.errors), qPrintable(spies.trailText()));

    // An error names the refused recipient ...
    QVERIFY2(!spies.errors.isEmpty(), qPrintable(spies.trailText()));
    QVERIFY2(spies.errorText().contains(QStringLiteral("reject@example.test")),
             qPrintable(spies.errorText()));
    // ... and the message still goes to the others.
    const QList<QByteArray> messages = m_server.waitForMessages(1, 10000);
    QCOMPARE(messages.size(), 1);
    QStringList rcpt = envelopeRecipients(m_server.envelopes().first());
    rcpt.sort();
    QCOMPARE(rcpt,
             (QStringList{QStringLiteral("ann@example.test"), QStringLiteral("bob@example.test")}));
    // The refused recipient still appears in the To header (it is part of the message).
    const QJsonObject report = RealSmtpServer::checkMessage(messages.first());
    QCOMPARE(report.value(QStringLiteral("defects")).toInt(), 0);
    QVERIFY(addressesOnly(report, QStringLiteral("to"))
                .contains(QStringLiteral("reject@example.test")));
    if (spies.sent.count() != 1) {
        qWarning("StopOnToErrors=false: the send ended without messageSent although the message "
                 "was delivered; errors: %s",
                 qPrintable(spies.errorText()));
    }
}

void tst_SmtpServerSink::authUserPassword_data()
{
    QTest::addColumn<QString>("methods");
    QTest::newRow("PLAIN") << QStringLiteral("PLAIN");
    QTest::newRow("LOGIN") << QStringLiteral("LOGIN");
    QTest::newRow("PLAIN,LOGIN") << QStringLiteral("PLAIN,LOGIN");
}

void tst_SmtpServerSink::authUserPassword()
{
    QFETCH(QString, methods);
    RealSmtpServer server = RealSmtpServer::startSmtpServerSink(
        {QStringLiteral("--auth"), QStringLiteral("alice:s3cr\u00e9t pw"),
         QStringLiteral("--auth-methods"), methods});
    REALSERVER_REQUIRE(server);

    Ssmtp smtp;
    SsmtpSpies spies(&smtp);
    useServer(smtp, server);
    smtp.config(QStringLiteral("AllowInsecureAuth=true"));
    QVERIFY2(smtp.error() == Ssmtp::NoError, qPrintable(smtp.errorString()));
    smtp.setAuthMechanism(Ssmtp::AuthMechanism::UserPassword);
    smtp.setUser(QStringLiteral("alice"));
    smtp.setPassword(QStringLiteral("s3cr\u00e9t pw"));
    smtp.setFrom(QStringLiteral("alice@example.test"));
    smtp.setSendTo(QStringLiteral("bob@example.test"));
    smtp.setSubject(QStringLiteral("authenticated"));
    smtp.setMessageText(QStringLiteral("hello"));
    smtp.send();
    QVERIFY2(waitForOperation(smtp, spies.sent, spies.errors), qPrintable(spies.trailText()));
    QVERIFY2(spies.errors.isEmpty(),
             qPrintable(spies.errorText() + QLatin1Char('\n') + spies.trailText()));
    QCOMPARE(spies.sent.count(), 1);

    const QList<QByteArray> messages = server.waitForMessages(1, 10000);
    QCOMPARE(messages.size(), 1);
    QCOMPARE(server.envelopes().first().value(QStringLiteral("user")).toString(),
             QStringLiteral("alice"));
    // The password is masked in the trail by default.
    QVERIFY2(!spies.trailText().contains(QStringLiteral("s3cr")), qPrintable(spies.trailText()));
    const QByteArray plainB64 = QByteArray("\0alice\0s3cr\xc3\xa9t pw", 16).toBase64();
    QVERIFY(!spies.trailText().contains(QString::fromLatin1(plainB64)));
}

void tst_SmtpServerSink::authWrongPasswordFails()
{
    RealSmtpServer server = RealSmtpServer::startSmtpServerSink(
        {QStringLiteral("--auth"), QStringLiteral("alice:s3cret")});
    REALSERVER_REQUIRE(server);

    Ssmtp smtp;
    SsmtpSpies spies(&smtp);
    useServer(smtp, server);
    smtp.config(QStringLiteral("AllowInsecureAuth=true"));
    smtp.setAuthMechanism(Ssmtp::AuthMechanism::UserPassword);
    smtp.setUser(QStringLiteral("alice"));
    smtp.setPassword(QStringLiteral("wrong"));
    smtp.setFrom(QStringLiteral("alice@example.test"));
    smtp.setSendTo(QStringLiteral("bob@example.test"));
    smtp.setMessageText(QStringLiteral("hello"));
    smtp.send();
    QVERIFY2(waitForOperation(smtp, spies.sent, spies.errors), qPrintable(spies.trailText()));
    QCOMPARE(spies.sent.count(), 0);
    QCOMPARE(spies.errors.count(), 1);
    QVERIFY2(spies.errorCodes().first() != Ssmtp::NoError, qPrintable(spies.errorText()));
    qInfo("wrong password -> %s", qPrintable(spies.errorText()));
    QVERIFY(!smtp.errorString().isEmpty());
    QCOMPARE(server.messageCount(), 0);
}

void tst_SmtpServerSink::noCredentialsOverPlainTextByDefault()
{
    RealSmtpServer server = RealSmtpServer::startSmtpServerSink(
        {QStringLiteral("--auth"), QStringLiteral("alice:s3cret")});
    REALSERVER_REQUIRE(server);

    Ssmtp smtp;
    SsmtpSpies spies(&smtp);
    useServer(smtp, server);
    // No AllowInsecureAuth: DESIGN.md says credentials never go over an unencrypted connection.
    smtp.setUser(QStringLiteral("alice"));
    smtp.setPassword(QStringLiteral("s3cret"));
    smtp.setFrom(QStringLiteral("alice@example.test"));
    smtp.setSendTo(QStringLiteral("bob@example.test"));
    smtp.setMessageText(QStringLiteral("hello"));
    smtp.send();
    QVERIFY2(waitForOperation(smtp, spies.sent, spies.errors), qPrintable(spies.trailText()));
    QCOMPARE(spies.sent.count(), 0);
    QCOMPARE(spies.errors.count(), 1);
    for (const QString &line : spies.clientLines())
        QVERIFY2(!line.startsWith(QLatin1String("AUTH"), Qt::CaseInsensitive),
                 qPrintable(spies.trailText()));
    QVERIFY2(!server.log().contains(QLatin1String("C: AUTH"), Qt::CaseInsensitive) &&
                 !server.log().contains(QLatin1String("C: auth"), Qt::CaseInsensitive),
             qPrintable(server.log()));
    QCOMPARE(server.messageCount(), 0);
}

void tst_SmtpServerSink::severalMessagesOverOneConnection()
{
    Ssmtp smtp;
    SsmtpSpies spies(&smtp);
    useServer(smtp, m_server);
    smtp.connectToServer();
    QVERIFY2(waitForOperation(smtp, spies.connected, spies.errors), qPrintable(spies.trailText()));
    QVERIFY2(spies.errors.isEmpty(), qPrintable(spies.errorText()));
    QCOMPARE(spies.connected.count(), 1);
    QVERIFY(smtp.isConnected());

    smtp.setFrom(QStringLiteral("john@example.test"));
    smtp.setSendTo(QStringLiteral("bob@example.test"));
    for (int i = 1; i <= 3; ++i) {
        spies.sent.clear();
        smtp.setSubject(QStringLiteral("message %1").arg(i));
        smtp.setMessageText(QStringLiteral("body %1").arg(i));
        smtp.send();
        QVERIFY2(waitForOperation(smtp, spies.sent, spies.errors), qPrintable(spies.trailText()));
        QVERIFY2(spies.errors.isEmpty(),
                 qPrintable(spies.errorText() + QLatin1Char('\n') + spies.trailText()));
        QCOMPARE(spies.sent.count(), 1);
        QVERIFY(smtp.isConnected());
    }
    smtp.disconnectFromServer();
    QVERIFY2(waitForOperation(smtp, spies.disconnected, spies.errors),
             qPrintable(spies.trailText()));
    QVERIFY2(spies.errors.isEmpty(), qPrintable(spies.errorText()));
    QVERIFY(!smtp.isConnected());

    const QList<QByteArray> messages = m_server.waitForMessages(3, 10000);
    QCOMPARE(messages.size(), 3);
    const QList<QJsonObject> envelopes = m_server.envelopes();
    const QString session = envelopes.first().value(QStringLiteral("sessionId")).toString();
    for (int i = 0; i < 3; ++i) {
        // One connection: the same SMTP session carried all three.
        QCOMPARE(envelopes.at(i).value(QStringLiteral("sessionId")).toString(), session);
        const QJsonObject report = RealSmtpServer::checkMessage(messages.at(i));
        QCOMPARE(report.value(QStringLiteral("defects")).toInt(), 0);
        QCOMPARE(header(report, QStringLiteral("Subject")),
                 QStringLiteral("message %1").arg(i + 1));
        QCOMPARE(bodyText(report), QStringLiteral("body %1").arg(i + 1));
    }
    // One EHLO for the three messages.
    QCOMPARE(spies.clientLines()
                 .filter(QRegularExpression(QStringLiteral("^EHLO "),
                                            QRegularExpression::CaseInsensitiveOption))
                 .size(),
             1);
}

void tst_SmtpServerSink::largeStreamedMessage()
{
    // About 5 MB of CRLF text, with dot lines and a long (but legal) line now and then.
    QTemporaryFile file;
    QVERIFY(file.open());
    QByteArray expected;
    expected.reserve(5 * 1024 * 1024 + 4096);
    int i = 0;
    while (expected.size() < 5 * 1024 * 1024) {
        QByteArray line =
            "line " + QByteArray::number(i) + " the quick brown fox jumps over the lazy dog";
        if (i % 97 == 0)
            line.prepend('.');
        if (i % 1000 == 0)
            line = QByteArray(900, 'x');
        if (i % 5003 == 0)
            line = ".";
        expected += line + "\r\n";
        ++i;
    }
    QCOMPARE(file.write(expected), qint64(expected.size()));
    QVERIFY(file.flush());
    QVERIFY(file.seek(0));

    Ssmtp smtp;
    SsmtpSpies spies(&smtp);
    useServer(smtp, m_server);
    smtp.setFrom(QStringLiteral("john@example.test"));
    smtp.setSendTo(QStringLiteral("bob@example.test"));
    smtp.setSubject(QStringLiteral("five megabytes"));
    smtp.setMessageStream(&file);
    smtp.send();
    QVERIFY2(waitForOperation(smtp, spies.sent, spies.errors, 120000),
             qPrintable(spies.errorText()));
    QVERIFY2(spies.errors.isEmpty(), qPrintable(spies.errorText()));
    QCOMPARE(spies.sent.count(), 1);

    const QList<QByteArray> messages = m_server.waitForMessages(1, 10000);
    QCOMPARE(messages.size(), 1);
    const QJsonObject report = RealSmtpServer::checkMessage(messages.first());
    QVERIFY2(report.value(QStringLiteral("defects")).toInt() == 0,
             qPrintable(reportDiagnostics(report)));
    QCOMPARE(header(report, QStringLiteral("Subject")), QStringLiteral("five megabytes"));
    // The transfer-decoded body is the stream's content, octet for octet.
    QCOMPARE(report.value(QStringLiteral("body_sha256")).toString().toLatin1(),
             sha256Hex(expected));
    const QString cte = report.value(QStringLiteral("body_cte")).toString();
    if (cte.isEmpty() || cte == QLatin1String("7bit") || cte == QLatin1String("8bit")) {
        // Sent as is: the octets on the wire after the header are the file's.
        QCOMPARE(report.value(QStringLiteral("raw_body_sha256")).toString().toLatin1(),
                 sha256Hex(expected));
    }
    const QJsonObject endings = report.value(QStringLiteral("line_endings")).toObject();
    QCOMPARE(endings.value(QStringLiteral("bare_lf")).toInt(), 0);
}

QTEST_GUILESS_MAIN(tst_SmtpServerSink)
#include "tst_smtpserver_sink.moc"
