// Tests of the integration-test helper itself (RealSmtpServer, the server scripts and
// check_message.py), with a minimal raw SMTP client: they need the servers, not the library.
#include "realserver.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QTcpSocket>
#include <QTest>

namespace {

// A blocking line-based SMTP dialogue, good enough to drive the servers in these tests.
class RawSmtp
{
public:
    bool connectTo(quint16 port)
    {
        m_socket.connectToHost(QStringLiteral("127.0.0.1"), port);
        if (!m_socket.waitForConnected(10000))
            return false;
        return readReply().startsWith("220");
    }
    QByteArray readReply()
    {
        QByteArray reply;
        for (;;) {
            while (!m_socket.canReadLine()) {
                if (!m_socket.waitForReadyRead(10000))
                    return reply;
            }
            const QByteArray line = m_socket.readLine();
            reply += line;
            if (line.size() < 4 || line.at(3) != '-')
                return reply;
        }
    }
    QByteArray command(const QByteArray &line)
    {
        send(line + "\r\n");
        return readReply();
    }
    void send(const QByteArray &bytes)
    {
        m_socket.write(bytes);
        m_socket.waitForBytesWritten(10000);
    }
    bool waitForClose(int msecs)
    {
        if (m_socket.state() == QAbstractSocket::UnconnectedState)
            return true;
        return m_socket.waitForDisconnected(msecs);
    }
    QTcpSocket m_socket;
};

QByteArray sampleMessage()
{
    return "From: \"Doe, John\" <john@example.test>\r\n"
           "To: bob@example.test\r\n"
           "Subject: =?UTF-8?Q?Gr=C3=BC=C3=9Fe_=E2=80=93_test?=\r\n"
           "MIME-Version: 1.0\r\n"
           "Content-Type: text/plain; charset=utf-8\r\n"
           "Content-Transfer-Encoding: 8bit\r\n"
           "\r\n"
           ".leading dot\r\n"
           "Gr\xc3\xbc\xc3\x9f"
           "e\r\n";
}

QByteArray dotStuffed(const QByteArray &message)
{
    QByteArray out = message;
    if (out.startsWith('.'))
        out.prepend('.');
    out.replace("\r\n.", "\r\n..");
    return out;
}

} // namespace

class tst_RealServer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void checkMessageReportsDefects();
    void sinkStoresMessagesAndEnvelopes();
    void sinkAuth();
    void sinkCloseAfter();
    void postfixDeliversWithBdat();
    void postfixSasl();
};

void tst_RealServer::checkMessageReportsDefects()
{
    const QJsonObject good = RealSmtpServer::checkMessage(sampleMessage());
    if (good.contains(QStringLiteral("error")))
        QFAIL(qPrintable(good.value(QStringLiteral("error")).toString()));
    QCOMPARE(good.value(QStringLiteral("defects")).toInt(), 0);
    QCOMPARE(good.value(QStringLiteral("headers"))
                 .toObject()
                 .value(QStringLiteral("Subject"))
                 .toString(),
             QStringLiteral("Grüße – test"));
    QCOMPARE(good.value(QStringLiteral("body")).toString(),
             QStringLiteral(".leading dot\nGrüße\n"));
    const QJsonArray from =
        good.value(QStringLiteral("addresses")).toObject().value(QStringLiteral("from")).toArray();
    QCOMPARE(from.size(), 1);
    QCOMPARE(from.at(0).toObject().value(QStringLiteral("name")).toString(),
             QStringLiteral("Doe, John"));

    const QJsonObject bad = RealSmtpServer::checkMessage(
        "From: <broken@\r\nContent-Type: multipart/mixed\r\n\r\nbody\nbare lf\r\n");
    QVERIFY(bad.value(QStringLiteral("defects")).toInt() >= 2);
    QCOMPARE(bad.value(QStringLiteral("line_endings"))
                 .toObject()
                 .value(QStringLiteral("bare_lf"))
                 .toInt(),
             1);
}

void tst_RealServer::sinkStoresMessagesAndEnvelopes()
{
    RealSmtpServer server = RealSmtpServer::startSmtpServerSink();
    REALSERVER_REQUIRE(server);

    RawSmtp c;
    QVERIFY(c.connectTo(server.port()));
    const QByteArray ehlo = c.command("EHLO client.test");
    QVERIFY2(ehlo.contains("DSN") && ehlo.contains("ENHANCEDSTATUSCODES"), ehlo.constData());
    QVERIFY2(!ehlo.contains("STARTTLS"), ehlo.constData());
    QVERIFY(c.command("MAIL FROM:<john@example.test> RET=HDRS").startsWith("250"));
    QVERIFY(c.command("RCPT TO:<bob@example.test> NOTIFY=SUCCESS").startsWith("250"));
    const QByteArray rejected = c.command("RCPT TO:<reject-me@example.test>");
    QVERIFY2(rejected.startsWith("550"), rejected.constData());
    QVERIFY(c.command("RCPT TO:<hidden@example.test>").startsWith("250"));
    QVERIFY(c.command("DATA").startsWith("354"));
    const QByteArray data = c.command(dotStuffed(sampleMessage()) + ".");
    QVERIFY2(data.startsWith("250"), data.constData());
    QVERIFY(c.command("QUIT").startsWith("221"));

    const QList<QByteArray> messages = server.waitForMessages(1, 10000);
    QCOMPARE(messages.size(), 1);
    QCOMPARE(messages.first(), sampleMessage()); // unstuffed, byte for byte
    const QList<QJsonObject> envelopes = server.envelopes();
    QCOMPARE(envelopes.size(), 1);
    const QJsonObject env = envelopes.first();
    QCOMPARE(env.value(QStringLiteral("mailFrom"))
                 .toObject()
                 .value(QStringLiteral("address"))
                 .toString(),
             QStringLiteral("john@example.test"));
    const QJsonArray rcpt = env.value(QStringLiteral("rcptTo")).toArray();
    QCOMPARE(rcpt.size(), 2);
    QCOMPARE(rcpt.at(0).toObject().value(QStringLiteral("address")).toString(),
             QStringLiteral("bob@example.test"));
    QCOMPARE(rcpt.at(0)
                 .toObject()
                 .value(QStringLiteral("args"))
                 .toObject()
                 .value(QStringLiteral("NOTIFY"))
                 .toString(),
             QStringLiteral("SUCCESS"));
    QCOMPARE(rcpt.at(1).toObject().value(QStringLiteral("address")).toString(),
             QStringLiteral("hidden@example.test"));
    QCOMPARE(env.value(QStringLiteral("size")).toInt(), sampleMessage().size());

    server.clearMessages();
    QCOMPARE(server.messageCount(), 0);
    server.stop();
    QVERIFY(!server.isRunning());
}

void tst_RealServer::sinkAuth()
{
    RealSmtpServer server = RealSmtpServer::startSmtpServerSink(
        {QStringLiteral("--auth"), QStringLiteral("alice:s3cret"), QStringLiteral("--size"),
         QStringLiteral("1000")});
    REALSERVER_REQUIRE(server);

    RawSmtp c;
    QVERIFY(c.connectTo(server.port()));
    const QByteArray ehlo = c.command("EHLO client.test");
    QVERIFY2(ehlo.contains("AUTH PLAIN LOGIN") && ehlo.contains("SIZE 1000"), ehlo.constData());
    QVERIFY(c.command("MAIL FROM:<a@example.test>").startsWith("530")); // AUTH required
    QVERIFY(
        c.command("AUTH PLAIN " + QByteArray("\0alice\0wrong", 12).toBase64()).startsWith("535"));
    QVERIFY(c.command("AUTH LOGIN").startsWith("334"));
    QVERIFY(c.command(QByteArray("alice").toBase64()).startsWith("334"));
    QVERIFY(c.command(QByteArray("s3cret").toBase64()).startsWith("235"));
    QVERIFY(c.command("MAIL FROM:<a@example.test> SIZE=5000").startsWith("552"));
    QVERIFY(c.command("QUIT").startsWith("221"));

    RawSmtp c2;
    QVERIFY(c2.connectTo(server.port()));
    c2.command("EHLO client.test");
    QVERIFY(
        c2.command("AUTH PLAIN " + QByteArray("\0alice\0s3cret", 13).toBase64()).startsWith("235"));
    QVERIFY(c2.command("MAIL FROM:<a@example.test>").startsWith("250"));
    QVERIFY(c2.command("RCPT TO:<b@example.test>").startsWith("250"));
    QVERIFY(c2.command("DATA").startsWith("354"));
    QVERIFY(c2.command("Subject: auth\r\n\r\nhi\r\n.").startsWith("250"));
    QCOMPARE(server.waitForMessages(1, 10000).size(), 1);
    QCOMPARE(server.envelopes().first().value(QStringLiteral("user")).toString(),
             QStringLiteral("alice"));
}

void tst_RealServer::sinkCloseAfter()
{
    RealSmtpServer server =
        RealSmtpServer::startSmtpServerSink({QStringLiteral("--close-after"), QStringLiteral("1")});
    REALSERVER_REQUIRE(server);
    RawSmtp c;
    QVERIFY(c.connectTo(server.port()));
    c.command("EHLO client.test");
    QVERIFY(c.command("MAIL FROM:<a@example.test>").startsWith("250"));
    QVERIFY(c.command("RCPT TO:<b@example.test>").startsWith("250"));
    QVERIFY(c.command("DATA").startsWith("354"));
    QVERIFY(c.command("Subject: one\r\n\r\n1\r\n.").startsWith("250"));
    QVERIFY(c.waitForClose(5000));
    QCOMPARE(server.waitForMessages(1, 5000).size(), 1);
}

void tst_RealServer::postfixDeliversWithBdat()
{
    RealSmtpServer server = RealSmtpServer::startPostfix();
    REALSERVER_REQUIRE(server);

    RawSmtp c;
    QVERIFY(c.connectTo(server.port()));
    const QByteArray ehlo = c.command("EHLO client.test");
    QVERIFY2(ehlo.contains("CHUNKING") && ehlo.contains("DSN") && ehlo.contains("SMTPUTF8"),
             ehlo.constData());
    QVERIFY(c.command("MAIL FROM:<john@example.test>").startsWith("250"));
    const QByteArray rejected = c.command("RCPT TO:<reject@example.test>");
    QVERIFY2(rejected.startsWith("550"), rejected.constData());
    QVERIFY(c.command("RCPT TO:<bob@example.test>").startsWith("250"));
    const QByteArray msg = sampleMessage();
    const qsizetype half = msg.size() / 2;
    // Two chunks, the second pipelined right behind the first; no dot-stuffing with BDAT.
    c.send("BDAT " + QByteArray::number(half) + "\r\n" + msg.left(half) + "BDAT " +
           QByteArray::number(msg.size() - half) + " LAST\r\n" + msg.mid(half));
    QVERIFY(c.readReply().startsWith("250"));
    const QByteArray last = c.readReply();
    QVERIFY2(last.startsWith("250"), last.constData());
    QVERIFY(c.command("QUIT").startsWith("221"));

    const QList<QByteArray> messages = server.waitForMessages(1, 30000);
    QVERIFY2(messages.size() == 1, qPrintable(server.log()));
    const QJsonObject report = RealSmtpServer::checkMessage(messages.first());
    QCOMPARE(report.value(QStringLiteral("defects")).toInt(), 0);
    const QJsonObject headers = report.value(QStringLiteral("headers")).toObject();
    QCOMPARE(headers.value(QStringLiteral("Subject")).toString(), QStringLiteral("Grüße – test"));
    QCOMPARE(headers.value(QStringLiteral("Delivered-To")).toString(),
             QStringLiteral("bob@example.test"));
    QCOMPARE(report.value(QStringLiteral("body")).toString(),
             QStringLiteral(".leading dot\nGrüße\n"));
    // The body octets survive (Postfix stores LF line ends).
    const QByteArray body = msg.mid(msg.indexOf("\r\n\r\n") + 4);
    QCOMPARE(report.value(QStringLiteral("raw_body_crlf_sha256")).toString().toLatin1(),
             QCryptographicHash::hash(body, QCryptographicHash::Sha256).toHex());

    server.stop();
    QVERIFY(!server.isRunning());
}

void tst_RealServer::postfixSasl()
{
    RealSmtpServer server =
        RealSmtpServer::startPostfix({QStringLiteral("POSTFIX_SASL=alice:s3cret")});
    REALSERVER_REQUIRE(server);
    RawSmtp c;
    QVERIFY(c.connectTo(server.port()));
    const QByteArray ehlo = c.command("EHLO client.test");
    QVERIFY2(ehlo.contains("AUTH") && ehlo.contains("CRAM-MD5"), ehlo.constData());
    const QByteArray bad = c.command("AUTH PLAIN " + QByteArray("\0alice\0wrong", 12).toBase64());
    QVERIFY2(bad.startsWith("535"), bad.constData());
    const QByteArray good = c.command("AUTH PLAIN " + QByteArray("\0alice\0s3cret", 13).toBase64());
    QVERIFY2(good.startsWith("235"), good.constData());
    QVERIFY(c.command("QUIT").startsWith("221"));
}

QTEST_GUILESS_MAIN(tst_RealServer)
#include "tst_realserver.moc"
