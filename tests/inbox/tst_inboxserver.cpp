// The local test inbox (demo-app/ssmtp-inbox) run in-process and driven by the real Ssmtp
// client: messages sent with DATA and BDAT land as .eml + .json files with the exact octets
// the client sent and their envelope; discard mode only counts; pipelined transactions over
// one connection cost one round trip each.
#include "inboxserver.h"
#include "ssmtp.h"
#include "testpki.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QSslKey>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

constexpr int Timeout = 10000;

const QByteArray FixedDate = "Sun, 22 Nov 2026 10:00:00 +0000";

// The fixed message the tests send (Bcc included), its header block and its body as the
// inbox must store it: CRLF line ends, the transparency dot removed again.
void setUpMessage(Ssmtp &smtp, quint16 port)
{
    smtp.setMailServer(u"127.0.0.1"_s);
    smtp.setMailPort(port);
    smtp.setTimeout(10);
    smtp.setFrom(u"Alice <a@x.org>"_s);
    smtp.setSendTo(u"b@y.org"_s);
    smtp.setBcc(u"hidden@z.org"_s);
    smtp.setSubject(u"Hi"_s);
    smtp.setMessageDate(QString::fromLatin1(FixedDate));
    smtp.setMessageId(u"<id@test>"_s);
    smtp.setMessageText(u"line one\n.dot line\n..two dots\n.\nlast"_s);
    smtp.config(u"Hello=client.test"_s);
}

const QByteArray Head =
    "From: Alice <a@x.org>\r\nTo: b@y.org\r\nSubject: Hi\r\nDate: " + FixedDate +
    "\r\nMessage-ID: <id@test>\r\n\r\n";
const QByteArray Body = "line one\r\n.dot line\r\n..two dots\r\n.\r\nlast\r\n";
const QByteArray Message = Head + Body;

// Records the inbox's messageReceived signal (InboxMessage is not a registered metatype).
struct Received
{
    explicit Received(InboxServer *server)
    {
        QObject::connect(server, &InboxServer::messageReceived, server,
                         [this](const InboxMessage &m) { messages.append(m); });
    }
    QList<InboxMessage> messages;
};

// Every terminal signal of the client, so a test can wait for exactly one.
struct Terminal
{
    explicit Terminal(Ssmtp *smtp)
        : sent(smtp, &Ssmtp::messageSent)
        , error(smtp, &Ssmtp::errorOccurred)
        , disconnected(smtp, &Ssmtp::disconnectedFromServer)
    {
        if (qEnvironmentVariableIsSet("SSMTP_TEST_TRACE")) {
            QObject::connect(smtp, &Ssmtp::piTrail, smtp, [](int d, const QString &line) {
                qDebug("%c: %s", "CSI"[qBound(0, d, 2)], qPrintable(line));
            });
        }
    }
    QString errors() const
    {
        QStringList out;
        for (const QList<QVariant> &e : error)
            out.append(QString::number(e.at(0).toInt()) + u": "_s + e.at(1).toString());
        return out.join(u"; "_s);
    }
    QSignalSpy sent, error, disconnected;
};

// The server lines of a piTrail spy.
QStringList serverLines(const QSignalSpy &trail)
{
    QStringList out;
    for (const QList<QVariant> &line : trail) {
        if (line.at(0).toInt() == Ssmtp::Server)
            out.append(line.at(1).toString());
    }
    return out;
}

QStringList entries(const QString &dir)
{
    return QDir(dir).entryList(QDir::Files | QDir::Hidden | QDir::NoDotAndDotDot, QDir::Name);
}

QByteArray readFile(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return QByteArray();
    return f.readAll();
}

} // namespace

class tst_InboxServer : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void storesMessage_data();
    void storesMessage();
    void discardCountsOnly();
    void pipelinedTurns();
    void implicitTls();
};

void tst_InboxServer::storesMessage_data()
{
    QTest::addColumn<bool>("chunking");
    QTest::addColumn<QString>("transport");
    QTest::newRow("DATA") << false << u"DATA"_s;
    QTest::newRow("BDAT") << true << u"BDAT"_s;
}

void tst_InboxServer::storesMessage()
{
    QFETCH(bool, chunking);
    QFETCH(QString, transport);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    InboxOptions options;
    options.directory = dir.path() + u"/mail"_s; // created on first delivery
    options.chunking = chunking;
    InboxServer server(options);
    QVERIFY2(server.listen(), qPrintable(server.errorString()));
    Received received(&server);

    Ssmtp smtp;
    setUpMessage(smtp, server.serverPort());
    Terminal t(&smtp);
    QSignalSpy trail(&smtp, &Ssmtp::piTrail);
    smtp.send();
    QTRY_COMPARE_WITH_TIMEOUT(t.sent.count() + t.error.count(), 1, Timeout);
    QVERIFY2(t.error.isEmpty(), qPrintable(t.errors()));

    // The client used the transport under test.
    bool sawBdat = false;
    bool sawData = false;
    for (const QList<QVariant> &line : std::as_const(trail)) {
        if (line.at(0).toInt() != Ssmtp::Client)
            continue;
        sawBdat = sawBdat || line.at(1).toString().startsWith(u"BDAT "_s);
        sawData = sawData || line.at(1).toString() == u"DATA"_s;
    }
    QCOMPARE(sawBdat, chunking);
    QCOMPARE(sawData, !chunking);

    QCOMPARE(server.messageCount(), quint64(1));
    QCOMPARE(received.messages.size(), 1);
    const InboxMessage &message = received.messages.first();
    QCOMPARE(message.transport, transport);
    QCOMPARE(message.data, Message);

    // Exactly one .eml and its .json, no temporary files left behind.
    const QStringList files = entries(options.directory);
    QCOMPARE(files.size(), 2);
    QVERIFY2(files.at(0).endsWith(u".eml"_s) && files.at(1).endsWith(u".json"_s),
             qPrintable(files.join(u' ')));
    QCOMPARE(files.at(0).chopped(4), files.at(1).chopped(5));
    QCOMPARE(QDir(options.directory).filePath(files.at(0)), message.emlPath);
    QCOMPARE(QDir(options.directory).filePath(files.at(1)), message.jsonPath);
    // The final reply names the stored file.
    QVERIFY2(serverLines(trail).contains(u"250 2.0.0 Ok: stored as "_s + files.at(0)),
             qPrintable(serverLines(trail).join(u'\n')));

    // The .eml holds the octets the client sent: CRLF, dot-unstuffed, Bcc not in a header.
    const QByteArray eml = readFile(message.emlPath);
    QCOMPARE(eml, Message);
    QVERIFY(!eml.contains("hidden@z.org"));

    // The .json holds the envelope.
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(readFile(message.jsonPath), &parseError);
    QVERIFY2(doc.isObject(), qPrintable(parseError.errorString()));
    const QJsonObject json = doc.object();
    QCOMPARE(json.value(u"mailFrom"_s).toString(), u"a@x.org"_s);
    const QJsonArray rcpt = json.value(u"rcptTo"_s).toArray();
    QCOMPARE(rcpt.size(), 2);
    QCOMPARE(rcpt.at(0).toObject().value(u"address"_s).toString(), u"b@y.org"_s);
    QCOMPARE(rcpt.at(1).toObject().value(u"address"_s).toString(), u"hidden@z.org"_s);
    QCOMPARE(rcpt.at(0).toObject().value(u"params"_s).toString(), QString());
    QCOMPARE(json.value(u"size"_s).toInteger(), qint64(eml.size()));
    QCOMPARE(json.value(u"transport"_s).toString(), transport);
    QCOMPARE(json.value(u"helo"_s).toString(), u"client.test"_s);
    QVERIFY(json.value(u"mailParams"_s).toString().startsWith(u"SIZE="_s));
    QVERIFY(!json.contains(u"authUser"_s));
    const QDateTime receivedAt =
        QDateTime::fromString(json.value(u"receivedAt"_s).toString(), Qt::ISODateWithMs);
    QVERIFY(receivedAt.isValid());
    QVERIFY(qAbs(receivedAt.secsTo(QDateTime::currentDateTimeUtc())) < 60);
    QCOMPARE(server.byteCount(), quint64(eml.size()));
}

void tst_InboxServer::discardCountsOnly()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    InboxOptions options;
    options.directory = dir.path();
    options.discard = true;
    InboxServer server(options);
    QVERIFY2(server.listen(), qPrintable(server.errorString()));
    Received received(&server);

    Ssmtp smtp;
    setUpMessage(smtp, server.serverPort());
    Terminal t(&smtp);
    QSignalSpy trail(&smtp, &Ssmtp::piTrail);
    smtp.send();
    QTRY_COMPARE_WITH_TIMEOUT(t.sent.count() + t.error.count(), 1, Timeout);
    QVERIFY2(t.error.isEmpty(), qPrintable(t.errors()));

    QCOMPARE(server.messageCount(), quint64(1));
    QCOMPARE(server.byteCount(), quint64(Message.size()));
    QCOMPARE(received.messages.size(), 1);
    QVERIFY(received.messages.first().emlPath.isEmpty());
    QVERIFY(received.messages.first().jsonPath.isEmpty());
    QVERIFY(received.messages.first().data.isEmpty());
    QCOMPARE(received.messages.first().size, qint64(Message.size()));
    const QString accepted =
        u"250 2.0.0 Ok: %1 octets accepted and discarded"_s.arg(Message.size());
    QVERIFY2(serverLines(trail).contains(accepted), qPrintable(serverLines(trail).join(u'\n')));
    QVERIFY2(entries(dir.path()).isEmpty(), qPrintable(entries(dir.path()).join(u' ')));
}

// --tls-cert: every connection speaks implicit TLS; the client verifies the certificate.
void tst_InboxServer::implicitTls()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QString why;
    QVERIFY2(TestPki::makeTlsSet(dir.path(), &why), qPrintable(why));
    auto read = [&dir](const QString &name) {
        QFile f(dir.filePath(name));
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    };
    InboxOptions options;
    options.discard = true;
    options.tls = QSslConfiguration::defaultConfiguration();
    options.tls.setLocalCertificate(QSslCertificate(read(u"server.pem"_s)));
    options.tls.setPrivateKey(QSslKey(read(u"server.key"_s), QSsl::Ec));
    InboxServer server(options);
    QVERIFY2(server.listen(), qPrintable(server.errorString()));

    Ssmtp smtp;
    setUpMessage(smtp, server.serverPort());
    smtp.setMailServer(u"localhost"_s);
    smtp.setSslStartMode(Ssmtp::SslStartMode::SslImplicit);
    smtp.config(u"SSLServerCACerts="_s + QString::fromLatin1(read(u"ca.pem"_s)));
    Terminal t(&smtp);
    QSignalSpy status(&smtp, &Ssmtp::sslStatus);
    smtp.send();
    QTRY_COMPARE_WITH_TIMEOUT(t.sent.count() + t.error.count(), 1, Timeout);
    QVERIFY2(t.error.isEmpty(), qPrintable(t.errors()));
    QCOMPARE(server.messageCount(), quint64(1));
    QVERIFY(!status.isEmpty());
}

// Three messages over one connection with PIPELINING and CHUNKING: EHLO, one round trip per
// transaction (MAIL, RCPT and BDAT LAST in one write), QUIT.
void tst_InboxServer::pipelinedTurns()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    InboxOptions options;
    options.directory = dir.path();
    InboxServer server(options);
    QVERIFY2(server.listen(), qPrintable(server.errorString()));

    Ssmtp smtp;
    setUpMessage(smtp, server.serverPort());
    smtp.setBcc(QString()); // one recipient: the commit is pipelined with the envelope
    Terminal t(&smtp);
    QSignalSpy connected(&smtp, &Ssmtp::connectedToServer);
    int sent = 0;
    connect(&smtp, &Ssmtp::connectedToServer, &smtp, [&] { smtp.send(); });
    connect(&smtp, &Ssmtp::messageSent, &smtp, [&] {
        if (++sent < 3)
            smtp.send();
        else
            smtp.disconnectFromServer();
    });
    smtp.connectToServer();
    QTRY_COMPARE_WITH_TIMEOUT(t.disconnected.count() + t.error.count(), 1, Timeout);
    QVERIFY2(t.error.isEmpty(), qPrintable(t.errors()));
    QCOMPARE(connected.count(), 1);
    QCOMPARE(sent, 3);
    QCOMPARE(server.messageCount(), quint64(3));
    QCOMPARE(entries(dir.path()).size(), 6);
    QTRY_COMPARE_WITH_TIMEOUT(server.sessionCount(), 0, Timeout);
    QCOMPARE(server.turnCount(), quint64(5));
}

QTEST_GUILESS_MAIN(tst_InboxServer)
#include "tst_inboxserver.moc"
