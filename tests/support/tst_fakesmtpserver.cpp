// Self-test of FakeSmtpServer, driven by a QSslSocket client (plain until a test starts TLS)
// in the same thread (so every wait below spins the event loop instead of blocking it).
#include "fakesmtpserver.h"
#include "testpki.h"

#include <QDir>
#include <QFile>
#include <QHostAddress>
#include <QRegularExpression>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QSslSocket>
#include <QTemporaryDir>
#include <QTest>

namespace {

class Client
{
public:
    Client()
    {
        QObject::connect(&socket, &QSslSocket::readyRead, [this] {
            in += socket.readAll();
            ++reads;
        });
        QObject::connect(&socket, &QSslSocket::errorOccurred,
                         [this](QAbstractSocket::SocketError e) { errors.append(e); });
    }

    bool connectTo(quint16 port)
    {
        socket.connectToHost(QHostAddress::LocalHost, port);
        return QTest::qWaitFor([this] { return socket.state() == QAbstractSocket::ConnectedState; },
                               3000);
    }

    void send(const QByteArray &bytes)
    {
        socket.write(bytes);
        socket.flush();
    }

    // Waits for one complete (possibly multi-line) reply and takes it from the buffer.
    QByteArray reply(int msecs = 3000)
    {
        qsizetype end = -1;
        const bool complete = QTest::qWaitFor(
            [&] {
                end = completeReplyEnd();
                return end >= 0;
            },
            msecs);
        if (!complete)
            return {};
        const QByteArray r = in.left(end);
        in.remove(0, end);
        return r;
    }

    bool waitForClosed(int msecs = 3000)
    {
        return QTest::qWaitFor(
            [this] { return socket.state() == QAbstractSocket::UnconnectedState; }, msecs);
    }

    // TLS that trusts only `cas` and checks the name "localhost"; optionally with a client
    // certificate.
    void configureTls(const QList<QSslCertificate> &cas,
                      const QSslCertificate &cert = QSslCertificate(),
                      const QSslKey &key = QSslKey())
    {
        QSslConfiguration config = socket.sslConfiguration();
        config.setCaCertificates(cas);
        config.setLocalCertificate(cert);
        config.setPrivateKey(key);
        socket.setSslConfiguration(config);
        socket.setPeerVerifyName(QStringLiteral("localhost"));
    }

    // STARTTLS: the handshake on the connected socket; true once encrypted.
    bool startTls(int msecs = 5000)
    {
        socket.startClientEncryption();
        return waitForEncryptedOrError(msecs);
    }

    bool connectEncrypted(quint16 port, int msecs = 5000)
    {
        socket.connectToHostEncrypted(QStringLiteral("127.0.0.1"), port);
        return waitForEncryptedOrError(msecs);
    }

    QSslSocket socket;
    QByteArray in;
    int reads = 0;
    QList<QAbstractSocket::SocketError> errors;

private:
    bool waitForEncryptedOrError(int msecs)
    {
        (void)QTest::qWaitFor(
            [this] {
                return socket.isEncrypted() || !errors.isEmpty() ||
                       socket.state() == QAbstractSocket::UnconnectedState;
            },
            msecs);
        return socket.isEncrypted();
    }

    qsizetype completeReplyEnd() const
    {
        qsizetype start = 0;
        while (true) {
            const qsizetype nl = in.indexOf("\r\n", start);
            if (nl < 0)
                return -1;
            // "250 text" ends a reply, "250-text" continues it.
            if (nl - start < 4 || in.at(start + 3) != '-')
                return nl + 2;
            start = nl + 2;
        }
    }
};

const QString kHappyScript = QStringLiteral(R"(
S: 220 fake ESMTP
C: EHLO *
S: 250-fake
S: 250-PIPELINING
S: 250 CHUNKING
C: MAIL FROM:<a@x.org>*
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
)");

const QString kStartTlsPrefix = QStringLiteral(R"(
S: 220 fake ESMTP
C: EHLO *
S: 250-fake
S: 250 STARTTLS
C: STARTTLS
)");

} // namespace

class tst_FakeSmtpServer : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void happyPath_data();
    void happyPath();
    void pipelinedInOneWrite();
    void clientFragmentsBytewise();
    void bdatBinaryChunks();
    void mismatch();
    void notCrlfTerminated();
    void globPatterns();
    void rawReplies();
    void perByteDelivery();
    void perLineDelivery();
    void turnsWithoutPipelining();
    void hangAndClientTimeout();
    void clientClosesEarly();
    void waitDirective();
    void acceptAndExpectClose();
    void strictEnd();
    void extraLinesAfterEnd();
    void scriptErrors();
    void timeoutDescribesState();
    void emptyDataMessage();

    // TLS
    void tlsPkiSet();
    void startTls_data();
    void startTls();
    void implicitTls();
    void implicitTlsHandshakesAtOnce();
    void expectTlsFail_data();
    void expectTlsFail();
    void unexpectedHandshakeFailure();
    void expectTlsFailButClientSends();
    void clientCertificate();
    void clientCertificateRequired();
    void clientCertificateOptional();
    void injectedReplyInSameWrite();
    void fragmentAfterStartTlsReply();
    void injectBeforeServerHello();
    void pipelinedAfterStartTls();
    void startTlsWithoutCertificate();

private:
    // The plain EHLO/STARTTLS exchange of kStartTlsPrefix up to the 220 for STARTTLS.
    static bool plainPrefix(Client &c, quint16 port);
    QString pkiFile(const QString &name) const { return QDir(m_pki.path()).filePath(name); }
    QSslCertificate cert(const QString &name) const;
    QSslKey key(const QString &name) const;
    void useServerCert(FakeSmtpServer &server, const QString &name) const
    {
        server.setTls(cert(name), key(name));
    }

    QTemporaryDir m_pki;
};

void tst_FakeSmtpServer::initTestCase()
{
    QVERIFY(m_pki.isValid());
    QString why;
    QVERIFY2(TestPki::makeTlsSet(m_pki.path(), &why), qPrintable(why));
}

QSslCertificate tst_FakeSmtpServer::cert(const QString &name) const
{
    const QList<QSslCertificate> certs =
        QSslCertificate::fromPath(pkiFile(name + QStringLiteral(".pem")));
    return certs.isEmpty() ? QSslCertificate() : certs.first();
}

QSslKey tst_FakeSmtpServer::key(const QString &name) const
{
    QFile file(pkiFile(name + QStringLiteral(".key")));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QSslKey(&file, QSsl::Ec);
}

bool tst_FakeSmtpServer::plainPrefix(Client &c, quint16 port)
{
    if (!c.connectTo(port) || c.reply() != "220 fake ESMTP\r\n")
        return false;
    c.send("EHLO me\r\n");
    if (c.reply() != "250-fake\r\n250 STARTTLS\r\n")
        return false;
    c.send("STARTTLS\r\n");
    return true;
}

void tst_FakeSmtpServer::happyPath_data()
{
    QTest::addColumn<FakeSmtpServer::Delivery>("delivery");
    QTest::newRow("block") << FakeSmtpServer::Block;
    QTest::newRow("per-line") << FakeSmtpServer::PerLine;
    QTest::newRow("per-byte") << FakeSmtpServer::PerByte;
}

void tst_FakeSmtpServer::happyPath()
{
    QFETCH(FakeSmtpServer::Delivery, delivery);
    FakeSmtpServer server;
    server.setScript(kHappyScript);
    server.setDelivery(delivery);
    QSignalSpy lines(&server, &FakeSmtpServer::clientLine);
    const quint16 port = server.listen();
    QVERIFY(port != 0);

    Client c;
    QVERIFY(c.connectTo(port));
    QCOMPARE(c.reply(), QByteArray("220 fake ESMTP\r\n"));
    c.send("EHLO me\r\n");
    QCOMPARE(c.reply(), QByteArray("250-fake\r\n250-PIPELINING\r\n250 CHUNKING\r\n"));
    c.send("MAIL FROM:<a@x.org> SIZE=42\r\nRCPT TO:<b@y.org>\r\nDATA\r\n");
    QCOMPARE(c.reply(), QByteArray("250 2.1.0 ok\r\n"));
    QCOMPARE(c.reply(), QByteArray("250 2.1.5 ok\r\n"));
    QCOMPARE(c.reply(), QByteArray("354 go\r\n"));
    const QByteArray wire = "Subject: hi\r\n\r\n..leading dot\r\nlast\r\n";
    c.send(wire + ".\r\n");
    QCOMPARE(c.reply(), QByteArray("250 2.0.0 queued\r\n"));
    c.send("QUIT\r\n");
    QCOMPARE(c.reply(), QByteArray("221 bye\r\n"));
    QVERIFY(c.waitForClosed());

    QVERIFY2(server.waitForFinished(5000), qPrintable(server.failure()));
    QCOMPARE(server.messages(), QList<QByteArray>{wire});
    QCOMPARE(server.contents(),
             QList<QByteArray>{QByteArray("Subject: hi\r\n\r\n.leading dot\r\nlast\r\n")});
    QCOMPARE(server.received(), "EHLO me\r\nMAIL FROM:<a@x.org> SIZE=42\r\nRCPT TO:<b@y.org>\r\n"
                                "DATA\r\n" +
                                    wire + ".\r\nQUIT\r\n");
    QCOMPARE(server.turns(), 4);
    const QList<QByteArray> expectedLines{"EHLO me", "MAIL FROM:<a@x.org> SIZE=42",
                                          "RCPT TO:<b@y.org>", "DATA", "QUIT"};
    QCOMPARE(server.clientLines(), expectedLines);
    QCOMPARE(lines.size(), 5);
    QCOMPARE(lines.at(4).at(0).toByteArray(), QByteArray("QUIT"));
    QCOMPARE(server.connectionCount(), 1);
    QVERIFY(server.failure().isEmpty());
}

// Everything the client will say arrives in one segment before the greeting went out.
void tst_FakeSmtpServer::pipelinedInOneWrite()
{
    FakeSmtpServer server;
    server.setScript(QStringLiteral(R"(
        S: 220 hi
        C: EHLO a
        S: 250 ok
        C: NOOP
        S: 250 noop
        C: QUIT
        S: 221 bye
        CLOSE
    )"));
    Client c;
    QVERIFY(c.connectTo(server.listen()));
    c.send("EHLO a\r\nNOOP\r\nQUIT\r\n");
    QVERIFY2(server.waitForFinished(3000), qPrintable(server.failure()));
    QVERIFY(c.waitForClosed());
    QCOMPARE(c.in, QByteArray("220 hi\r\n250 ok\r\n250 noop\r\n221 bye\r\n"));
    QCOMPARE(server.clientLines().size(), 3);
}

// The client's bytes trickle in one per segment, including the DATA terminator.
void tst_FakeSmtpServer::clientFragmentsBytewise()
{
    FakeSmtpServer server;
    server.setScript(kHappyScript);
    Client c;
    c.socket.setSocketOption(QAbstractSocket::LowDelayOption, 1);
    QVERIFY(c.connectTo(server.listen()));
    const QByteArray all = "EHLO x\r\nMAIL FROM:<a@x.org>\r\nRCPT TO:<b@y.org>\r\nDATA\r\n"
                           "body\r\n.\r\nQUIT\r\n";
    for (const char ch : all) {
        c.send(QByteArray(1, ch));
        QTest::qWait(0);
    }
    QVERIFY2(server.waitForFinished(3000), qPrintable(server.failure()));
    QCOMPARE(server.messages(), QList<QByteArray>{QByteArray("body\r\n")});
    QCOMPARE(server.received(), all);
}

void tst_FakeSmtpServer::bdatBinaryChunks()
{
    FakeSmtpServer server;
    server.setScript(QStringLiteral(R"(
        S: 220 hi
        C: EHLO *
        S: 250 CHUNKING
        C: MAIL FROM:<>
        C: RCPT TO:<b@y.org>
        C: BDAT 12
        C: BDAT 7 LAST
        S: 250 ok
        S: 250 ok
        S: 250 got 12
        S: 250 message ok
        C: MAIL FROM:<>
        C: RCPT TO:<b@y.org>
        C: BDAT 0 LAST
        S: 250 ok
        S: 250 ok
        S: 250 empty ok
        C: QUIT
        S: 221 bye
    )"));
    Client c;
    QVERIFY(c.connectTo(server.listen()));
    QCOMPARE(c.reply(), QByteArray("220 hi\r\n"));
    c.send("EHLO me\r\n");
    QCOMPARE(c.reply(), QByteArray("250 CHUNKING\r\n"));

    // Chunk data that looks like commands and a DATA terminator, with NUL and 8-bit octets.
    const QByteArray chunk1("a\r\n.\r\nQUIT\r\n", 12);
    const QByteArray chunk2("\0\xff\r\n.\r\n", 7);
    // Send the second chunk's command glued to the first chunk, and the payload split.
    c.send("MAIL FROM:<>\r\nRCPT TO:<b@y.org>\r\nBDAT 12\r\n" + chunk1 + "BDAT 7 LAST\r\n" +
           chunk2.left(3));
    QTest::qWait(20);
    c.send(chunk2.mid(3));
    for (const char *expected :
         {"250 ok\r\n", "250 ok\r\n", "250 got 12\r\n", "250 message ok\r\n"})
        QCOMPARE(c.reply(), QByteArray(expected));
    c.send("MAIL FROM:<>\r\nRCPT TO:<b@y.org>\r\nBDAT 0 LAST\r\n");
    for (const char *expected : {"250 ok\r\n", "250 ok\r\n", "250 empty ok\r\n"})
        QCOMPARE(c.reply(), QByteArray(expected));
    c.send("QUIT\r\n");
    QCOMPARE(c.reply(), QByteArray("221 bye\r\n"));

    QVERIFY2(server.waitForFinished(3000), qPrintable(server.failure()));
    QCOMPARE(server.messages().size(), 2);
    QCOMPARE(server.messages().at(0), chunk1 + chunk2);
    QCOMPARE(server.contents().at(0), chunk1 + chunk2);
    QCOMPARE(server.messages().at(1), QByteArray());
    // Chunk payloads are not command lines.
    QCOMPARE(
        server.clientLines(),
        (QList<QByteArray>{"EHLO me", "MAIL FROM:<>", "RCPT TO:<b@y.org>", "BDAT 12", "BDAT 7 LAST",
                           "MAIL FROM:<>", "RCPT TO:<b@y.org>", "BDAT 0 LAST", "QUIT"}));
    QCOMPARE(server.turns(), 4);
}

void tst_FakeSmtpServer::mismatch()
{
    FakeSmtpServer server;
    QSignalSpy failed(&server, &FakeSmtpServer::failed);
    server.setScript(QStringLiteral("S: 220 hi\nC: EHLO a*\nS: 250 ok\n"));
    Client c;
    QVERIFY(c.connectTo(server.listen()));
    QCOMPARE(c.reply(), QByteArray("220 hi\r\n"));
    c.send("HELO b\r\n");
    QVERIFY(!server.waitForFinished(3000));
    QCOMPARE(server.failure(), QStringLiteral("line 2: expected 'EHLO a*' got 'HELO b'"));
    QCOMPARE(failed.size(), 1);
    QVERIFY(!server.isFinished());
    // The server hangs up instead of answering.
    QVERIFY(c.waitForClosed());
    QCOMPARE(c.in, QByteArray());
}

void tst_FakeSmtpServer::notCrlfTerminated()
{
    FakeSmtpServer server;
    server.setScript(QStringLiteral("S: 220 hi\nC: EHLO a\n"));
    Client c;
    QVERIFY(c.connectTo(server.listen()));
    c.send("EHLO a\n");
    QVERIFY(!server.waitForFinished(3000));
    QVERIFY2(server.failure().contains(QLatin1String("not terminated by CRLF")),
             qPrintable(server.failure()));
}

void tst_FakeSmtpServer::globPatterns()
{
    FakeSmtpServer server;
    server.setScript(QStringLiteral(R"(
        S: 220 hi
        C: AUTH PLAIN *
        C: *
        C: a*b*c
        C: star\*
        C: back\\slash
        C: *x
        S: 250 ok
    )"));
    Client c;
    QVERIFY(c.connectTo(server.listen()));
    c.send("AUTH PLAIN AGEAYg==\r\n\r\naXbYbZc\r\nstar*\r\nback\\slash\r\nxxx\r\n");
    QVERIFY2(server.waitForFinished(3000), qPrintable(server.failure()));

    FakeSmtpServer literalStar;
    literalStar.setScript(QStringLiteral("C: star\\*\n"));
    Client c2;
    QVERIFY(c2.connectTo(literalStar.listen()));
    c2.send("starry\r\n");
    QVERIFY(!literalStar.waitForFinished(3000));
    QCOMPARE(literalStar.failure(), QStringLiteral("line 1: expected 'star\\*' got 'starry'"));
}

void tst_FakeSmtpServer::rawReplies()
{
    FakeSmtpServer server;
    server.setScript(QStringLiteral(R"(
        S-RAW: 220-first\r\n220 second\x0d\x0a
        C: EHLO a
        S-RAW: 250-no end
        S-RAW: \\ and \n
        WAIT 30
        S-RAW: 250 done\r\n
    )"));
    Client c;
    QVERIFY(c.connectTo(server.listen()));
    QCOMPARE(c.reply(), QByteArray("220-first\r\n220 second\r\n"));
    c.send("EHLO a\r\n");
    QVERIFY2(server.waitForFinished(3000), qPrintable(server.failure()));
    QTRY_COMPARE(c.in, QByteArray("250-no end\\ and \n250 done\r\n"));
}

// Every byte of a reply block is its own write; a client in the same thread sees (almost)
// every byte in its own read.
void tst_FakeSmtpServer::perByteDelivery()
{
    FakeSmtpServer server;
    server.setDelivery(FakeSmtpServer::PerByte);
    server.setScript(QStringLiteral("S: 220 fake greeting\nS: 220 second line"));
    Client c;
    QVERIFY(c.connectTo(server.listen()));
    const QByteArray expected = "220 fake greeting\r\n220 second line\r\n";
    QVERIFY2(server.waitForFinished(3000), qPrintable(server.failure()));
    QTRY_COMPARE(c.in, expected);
    qInfo("per-byte delivery: %d bytes arrived in %d reads", int(expected.size()), c.reads);
    QVERIFY2(c.reads > expected.size() / 2, qPrintable(QString::number(c.reads)));
}

void tst_FakeSmtpServer::perLineDelivery()
{
    FakeSmtpServer server;
    server.setDelivery(FakeSmtpServer::PerLine);
    server.setScript(QStringLiteral("S: 250-a\nS: 250-b\nS: 250 c"));
    Client c;
    QVERIFY(c.connectTo(server.listen()));
    QVERIFY2(server.waitForFinished(3000), qPrintable(server.failure()));
    QTRY_COMPARE(c.in, QByteArray("250-a\r\n250-b\r\n250 c\r\n"));
    QCOMPARE(c.reads, 3);
}

// The same dialogue as happyPath but with a reply after each command: a client that waits
// for each reply needs one round trip per command.
void tst_FakeSmtpServer::turnsWithoutPipelining()
{
    FakeSmtpServer server;
    server.setScript(QStringLiteral(R"(
        S: 220 hi
        C: EHLO a
        S: 250 ok
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
    )"));
    Client c;
    QVERIFY(c.connectTo(server.listen()));
    QVERIFY(!c.reply().isEmpty());
    for (const char *cmd : {"EHLO a\r\n", "MAIL FROM:<a@x.org>\r\n", "RCPT TO:<b@y.org>\r\n",
                            "DATA\r\n", "x\r\n.\r\n", "QUIT\r\n"}) {
        c.send(cmd);
        QVERIFY(!c.reply().isEmpty());
    }
    QVERIFY2(server.waitForFinished(3000), qPrintable(server.failure()));
    QCOMPARE(server.turns(), 6);
}

void tst_FakeSmtpServer::hangAndClientTimeout()
{
    FakeSmtpServer server;
    server.setScript(QStringLiteral("S: 220 hi\nC: EHLO a\nHANG\nS: 250 never sent\n"));
    Client c;
    QVERIFY(c.connectTo(server.listen()));
    QCOMPARE(c.reply(), QByteArray("220 hi\r\n"));
    c.send("EHLO a\r\n");
    // HANG counts as the end of the script.
    QVERIFY2(server.waitForFinished(3000), qPrintable(server.failure()));
    // The client's own timeout: no reply within 200 ms, and the connection stays open.
    QVERIFY(c.reply(200).isEmpty());
    QCOMPARE(c.socket.state(), QAbstractSocket::ConnectedState);
    c.send("QUIT\r\n");
    c.socket.close();
    QTRY_COMPARE(server.received(), QByteArray("EHLO a\r\nQUIT\r\n"));
    QCOMPARE(server.clientLines(), (QList<QByteArray>{"EHLO a", "QUIT"}));
    QVERIFY(server.failure().isEmpty());
}

void tst_FakeSmtpServer::clientClosesEarly()
{
    FakeSmtpServer server;
    server.setScript(QStringLiteral("S: 220 hi\nC: EHLO a\nS: 250 ok\nC: QUIT\nS: 221 bye\n"));
    Client c;
    QVERIFY(c.connectTo(server.listen()));
    c.send("EHLO a\r\n");
    QCOMPARE(c.reply(), QByteArray("220 hi\r\n"));
    QCOMPARE(c.reply(), QByteArray("250 ok\r\n"));
    c.socket.close();
    QVERIFY(!server.waitForFinished(3000));
    QCOMPARE(server.failure(), QStringLiteral("client closed the connection at line 4"));
}

void tst_FakeSmtpServer::waitDirective()
{
    FakeSmtpServer server;
    server.setScript(QStringLiteral("S: 220 hi\nWAIT 150\nS: 250 late\n"));
    Client c;
    QVERIFY(c.connectTo(server.listen()));
    QCOMPARE(c.reply(), QByteArray("220 hi\r\n"));
    QElapsedTimer timer;
    timer.start();
    QCOMPARE(c.reply(), QByteArray("250 late\r\n"));
    QVERIFY2(timer.elapsed() >= 100, qPrintable(QString::number(timer.elapsed())));
    QVERIFY2(server.waitForFinished(3000), qPrintable(server.failure()));
}

void tst_FakeSmtpServer::acceptAndExpectClose()
{
    FakeSmtpServer server;
    server.setScript(QStringLiteral(R"(
        S: 421 busy
        EXPECT-CLOSE
        ACCEPT
        S: 220 second
        C: QUIT
        S: 221 bye
        ABORT
        ACCEPT
        S: 220 third
        CLOSE
    )"));
    const quint16 port = server.listen();
    Client c1;
    QVERIFY(c1.connectTo(port));
    QCOMPARE(c1.reply(), QByteArray("421 busy\r\n"));
    c1.socket.disconnectFromHost();
    Client c2;
    QVERIFY(c2.connectTo(port));
    QCOMPARE(c2.reply(), QByteArray("220 second\r\n"));
    c2.send("QUIT\r\n");
    QCOMPARE(c2.reply(), QByteArray("221 bye\r\n"));
    QVERIFY(c2.waitForClosed());
    Client c3;
    QVERIFY(c3.connectTo(port));
    QCOMPARE(c3.reply(), QByteArray("220 third\r\n"));
    QVERIFY(c3.waitForClosed());
    QVERIFY2(server.waitForFinished(3000), qPrintable(server.failure()));
    QCOMPARE(server.connectionCount(), 3);
}

void tst_FakeSmtpServer::strictEnd()
{
    FakeSmtpServer server;
    server.setStrictEnd(true);
    server.setScript(QStringLiteral("S: 220 hi\nC: EHLO a\nS: 250 ok\n"));
    Client c;
    QVERIFY(c.connectTo(server.listen()));
    c.send("EHLO a\r\n");
    QVERIFY2(server.waitForFinished(3000), qPrintable(server.failure()));
    QCOMPARE(c.reply(), QByteArray("220 hi\r\n"));
    c.send("NOOP\r\n");
    QTRY_VERIFY(!server.failure().isEmpty());
    QCOMPARE(server.failure(),
             QStringLiteral("unexpected client data after the end of the script: 'NOOP\\r\\n'"));
    QVERIFY(!server.waitForFinished(10));
}

void tst_FakeSmtpServer::extraLinesAfterEnd()
{
    FakeSmtpServer server;
    server.setScript(QStringLiteral("S: 220 hi\nC: EHLO a\nS: 250 ok\n"));
    Client c;
    QVERIFY(c.connectTo(server.listen()));
    c.send("EHLO a\r\nQUIT\r\n");
    QVERIFY2(server.waitForFinished(3000), qPrintable(server.failure()));
    QTRY_COMPARE(server.clientLines(), (QList<QByteArray>{"EHLO a", "QUIT"}));
    QVERIFY(server.failure().isEmpty());
}

void tst_FakeSmtpServer::scriptErrors()
{
    FakeSmtpServer server;
    QTest::ignoreMessage(QtWarningMsg,
                         "FakeSmtpServer: script line 3: unknown directive 'SEND: hi'");
    server.setScript(QStringLiteral("# comment\nS: 220 hi\nSEND: hi\n"));
    QVERIFY(!server.waitForFinished(100));
    QCOMPARE(server.failure(), QStringLiteral("script line 3: unknown directive 'SEND: hi'"));
}

void tst_FakeSmtpServer::timeoutDescribesState()
{
    FakeSmtpServer server;
    server.setScript(QStringLiteral("S: 220 hi\nC: EHLO a\n"));
    const quint16 port = server.listen();
    QVERIFY(!server.waitForFinished(50));
    QCOMPARE(server.failure(), QStringLiteral("timed out waiting for a client to connect"));
    Client c;
    QVERIFY(c.connectTo(port));
    c.send("EHL");
    QVERIFY(!server.waitForFinished(200));
    QCOMPARE(server.failure(),
             QStringLiteral("timed out at line 2 waiting for a client line matching 'EHLO a'; "
                            "unconsumed client data: 'EHL'"));
    c.send("O a\r\n");
    QVERIFY2(server.waitForFinished(3000), qPrintable(server.failure()));
    QVERIFY(server.failure().isEmpty());
}

void tst_FakeSmtpServer::emptyDataMessage()
{
    FakeSmtpServer server;
    server.setScript(QStringLiteral("C: DATA\nS: 354 go\nDATA\nS: 250 ok\nC: DATA\nS: 354 go\n"
                                    "DATA\nS: 250 ok\n"));
    Client c;
    QVERIFY(c.connectTo(server.listen()));
    c.send("DATA\r\n");
    QCOMPARE(c.reply(), QByteArray("354 go\r\n"));
    c.send(".\r\n");
    QCOMPARE(c.reply(), QByteArray("250 ok\r\n"));
    c.send("DATA\r\n");
    QCOMPARE(c.reply(), QByteArray("354 go\r\n"));
    c.send("..\r\n.\r\n");
    QVERIFY2(server.waitForFinished(3000), qPrintable(server.failure()));
    QCOMPARE(server.messages(), (QList<QByteArray>{QByteArray(), QByteArray("..\r\n")}));
    QCOMPARE(server.contents(), (QList<QByteArray>{QByteArray(), QByteArray(".\r\n")}));
}

// The certificates of TestPki::makeTlsSet() are what their names say.
void tst_FakeSmtpServer::tlsPkiSet()
{
    const QSslCertificate ca = cert(QStringLiteral("ca"));
    QVERIFY(!ca.isNull());
    // QSslCertificate::verify() trusts the default configuration's CAs: ours, for this test.
    const QSslConfiguration saved = QSslConfiguration::defaultConfiguration();
    const auto restore = qScopeGuard([&] { QSslConfiguration::setDefaultConfiguration(saved); });
    QSslConfiguration trusting = saved;
    trusting.setCaCertificates({ca});
    QSslConfiguration::setDefaultConfiguration(trusting);
    const QString localhost = QStringLiteral("localhost");
    QCOMPARE(QSslCertificate::verify({cert(QStringLiteral("server")), ca}, localhost),
             QList<QSslError>());
    auto errorsOf = [&](const QString &name, const QString &host) {
        QList<QSslError::SslError> result;
        const QList<QSslError> errors = QSslCertificate::verify({cert(name), ca}, host);
        for (const QSslError &e : errors)
            result.append(e.error());
        return result;
    };
    QCOMPARE(errorsOf(QStringLiteral("server"), QStringLiteral("other.example")),
             QList<QSslError::SslError>{QSslError::HostNameMismatch});
    QCOMPARE(errorsOf(QStringLiteral("wronghost"), localhost),
             QList<QSslError::SslError>{QSslError::HostNameMismatch});
    QVERIFY(errorsOf(QStringLiteral("wronghost"), QStringLiteral("wrong.example")).isEmpty());
    QVERIFY(errorsOf(QStringLiteral("expired"), localhost).contains(QSslError::CertificateExpired));
    QCOMPARE(cert(QStringLiteral("expired")).expiryDate(),
             QDateTime(QDate(2020, 2, 1), QTime(0, 0), Qt::UTC));
    QVERIFY(errorsOf(QStringLiteral("selfsigned"), localhost)
                .contains(QSslError::SelfSignedCertificate));
    QVERIFY(!key(QStringLiteral("server")).isNull());

    // The client's PKCS#12 opens with its password (OpenSSL 3 default algorithms), not without.
    QFile p12(pkiFile(QStringLiteral("client.p12")));
    QVERIFY(p12.open(QIODevice::ReadOnly));
    QSslKey p12Key;
    QSslCertificate p12Cert;
    QList<QSslCertificate> p12Chain;
    QVERIFY(QSslCertificate::importPkcs12(&p12, &p12Key, &p12Cert, &p12Chain,
                                          TestPki::tlsPkcs12Password().toUtf8()));
    QCOMPARE(p12Cert, cert(QStringLiteral("client")));
    QCOMPARE(p12Chain, QList<QSslCertificate>{ca});
    QVERIFY(!p12Key.isNull());
    QVERIFY(p12.seek(0));
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("PKCS#12")));
    QVERIFY(!QSslCertificate::importPkcs12(&p12, &p12Key, &p12Cert, &p12Chain, "wrong"));
}

void tst_FakeSmtpServer::startTls_data()
{
    happyPath_data();
}

// STARTTLS, then the same dialogue inside TLS; every delivery mode works across the switch.
void tst_FakeSmtpServer::startTls()
{
    QFETCH(FakeSmtpServer::Delivery, delivery);
    FakeSmtpServer server;
    server.setDelivery(delivery);
    useServerCert(server, QStringLiteral("server"));
    server.setScript(kStartTlsPrefix + QStringLiteral(R"(
        S: 220 2.0.0 go ahead
        STARTTLS
        C: EHLO again
        S: 250-fake
        S: 250 AUTH PLAIN
        C: QUIT
        S: 221 bye
        CLOSE
    )"));
    const quint16 port = server.listen();
    Client c;
    c.configureTls({cert(QStringLiteral("ca"))});
    QVERIFY(plainPrefix(c, port));
    QCOMPARE(c.reply(), QByteArray("220 2.0.0 go ahead\r\n"));
    QVERIFY2(c.startTls(), qPrintable(c.socket.errorString()));
    const QSsl::SslProtocol protocol = c.socket.sessionProtocol();
    const QSslCipher cipher = c.socket.sessionCipher();
    c.send("EHLO again\r\n");
    QCOMPARE(c.reply(), QByteArray("250-fake\r\n250 AUTH PLAIN\r\n"));
    c.send("QUIT\r\n");
    QCOMPARE(c.reply(), QByteArray("221 bye\r\n"));
    QVERIFY(c.waitForClosed());
    QVERIFY2(server.waitForFinished(3000), qPrintable(server.failure()));
    QCOMPARE(server.tlsHandshakes(), 1);
    QVERIFY(!server.tlsFailed());
    QVERIFY(server.peerCertificate().isNull()); // none requested
    QCOMPARE(server.sessionProtocol(), protocol);
    QVERIFY(protocol == QSsl::TlsV1_2 || protocol == QSsl::TlsV1_3);
    QCOMPARE(server.sessionCipher(), cipher);
    // received() holds the plaintext part and the decrypted TLS part.
    QCOMPARE(server.received(), QByteArray("EHLO me\r\nSTARTTLS\r\nEHLO again\r\nQUIT\r\n"));
    QCOMPARE(server.clientLines(),
             (QList<QByteArray>{"EHLO me", "STARTTLS", "EHLO again", "QUIT"}));
}

void tst_FakeSmtpServer::implicitTls()
{
    FakeSmtpServer server;
    useServerCert(server, QStringLiteral("server"));
    server.setImplicitTls(true);
    server.setScript(QStringLiteral(R"(
        S: 220 fake ESMTPS
        C: EHLO *
        S: 250 fake
        CLOSE
    )"));
    Client c;
    c.configureTls({cert(QStringLiteral("ca"))});
    QVERIFY2(c.connectEncrypted(server.listen()), qPrintable(c.socket.errorString()));
    QCOMPARE(c.reply(), QByteArray("220 fake ESMTPS\r\n"));
    c.send("EHLO me\r\n");
    QCOMPARE(c.reply(), QByteArray("250 fake\r\n"));
    QVERIFY(c.waitForClosed());
    QVERIFY2(server.waitForFinished(3000), qPrintable(server.failure()));
    QCOMPARE(server.tlsHandshakes(), 1);
    QCOMPARE(server.received(), QByteArray("EHLO me\r\n"));
}

// Implicit TLS: the handshake of a connection runs while the script still serves an earlier
// one, and a client that finished its session before the script took its connection is
// still seen as encrypted, with what it sent.
void tst_FakeSmtpServer::implicitTlsHandshakesAtOnce()
{
    FakeSmtpServer server;
    useServerCert(server, QStringLiteral("server"));
    server.setImplicitTls(true);
    server.setScript(QStringLiteral(R"(
        S: 220 one
        C: QUIT
        S: 221 bye
        CLOSE
        ACCEPT
        S: 220 two
        C: QUIT
        S: 221 bye
        ACCEPT
        C: QUIT
        EXPECT-CLOSE
    )"));
    const quint16 port = server.listen();
    Client c1;
    c1.configureTls({cert(QStringLiteral("ca"))});
    QVERIFY2(c1.connectEncrypted(port), qPrintable(c1.socket.errorString()));
    QCOMPARE(c1.reply(), QByteArray("220 one\r\n"));
    Client c2;
    c2.configureTls({cert(QStringLiteral("ca"))});
    QVERIFY2(c2.connectEncrypted(port), qPrintable(c2.socket.errorString()));
    Client c3;
    c3.configureTls({cert(QStringLiteral("ca"))});
    QVERIFY2(c3.connectEncrypted(port), qPrintable(c3.socket.errorString()));
    c3.send("QUIT\r\n");
    c3.socket.disconnectFromHost();
    QVERIFY(c3.waitForClosed());
    QCOMPARE(server.tlsHandshakes(), 1); // the script is still at the first connection
    c1.send("QUIT\r\n");
    QCOMPARE(c1.reply(), QByteArray("221 bye\r\n"));
    QCOMPARE(c2.reply(), QByteArray("220 two\r\n"));
    c2.send("QUIT\r\n");
    QCOMPARE(c2.reply(), QByteArray("221 bye\r\n"));
    QVERIFY2(server.waitForFinished(3000), qPrintable(server.failure()));
    QCOMPARE(server.tlsHandshakes(), 3);
    QVERIFY(!server.tlsFailed());
    QCOMPARE(server.clientLines(), (QList<QByteArray>{"QUIT", "QUIT", "QUIT"}));
}

void tst_FakeSmtpServer::expectTlsFail_data()
{
    QTest::addColumn<QString>("serverCert");
    QTest::addColumn<bool>("implicit");
    for (const bool implicit : {false, true}) {
        const char *mode = implicit ? "implicit" : "starttls";
        for (const char *name : {"selfsigned", "wronghost", "expired"}) {
            QTest::addRow("%s-%s", mode, name) << QString::fromLatin1(name) << implicit;
        }
    }
}

// A client that rejects the certificate satisfies EXPECT-TLS-FAIL; the script then goes on
// (here: a second connection whose client accepts the certificate).
void tst_FakeSmtpServer::expectTlsFail()
{
    QFETCH(QString, serverCert);
    QFETCH(bool, implicit);
    FakeSmtpServer server;
    useServerCert(server, serverCert);
    server.setImplicitTls(implicit);
    const QString first = implicit ? QStringLiteral("EXPECT-TLS-FAIL\n")
                                   : kStartTlsPrefix + QStringLiteral("S: 220 go ahead\n"
                                                                      "STARTTLS\n"
                                                                      "EXPECT-TLS-FAIL\n");
    server.setScript(first + QStringLiteral(R"(
        ACCEPT
        S: 220 second
        C: QUIT
        S: 221 bye
    )"));
    const quint16 port = server.listen();
    Client c;
    c.configureTls({cert(QStringLiteral("ca"))});
    if (implicit) {
        QVERIFY(!c.connectEncrypted(port));
    } else {
        QVERIFY(plainPrefix(c, port));
        QCOMPARE(c.reply(), QByteArray("220 go ahead\r\n"));
        QVERIFY(!c.startTls());
    }
    QVERIFY(c.errors.contains(QAbstractSocket::SslHandshakeFailedError));
    c.socket.abort();
    QVERIFY2(!server.isFinished(), "the script goes on with ACCEPT");
    QTRY_VERIFY(server.tlsFailed());
    qInfo("server saw: %s", qPrintable(server.tlsError()));
    QCOMPARE(server.tlsHandshakes(), 0);

    // The second client trusts the certificate it is shown.
    Client c2;
    QSslConfiguration config = c2.socket.sslConfiguration();
    config.setPeerVerifyMode(QSslSocket::VerifyNone);
    c2.socket.setSslConfiguration(config);
    if (implicit) {
        QVERIFY2(c2.connectEncrypted(port), qPrintable(c2.socket.errorString()));
    } else {
        QVERIFY(c2.connectTo(port));
    }
    QCOMPARE(c2.reply(), QByteArray("220 second\r\n"));
    c2.send("QUIT\r\n");
    QCOMPARE(c2.reply(), QByteArray("221 bye\r\n"));
    QVERIFY2(server.waitForFinished(3000), qPrintable(server.failure()));
    QCOMPARE(server.tlsHandshakes(), implicit ? 1 : 0);
    QCOMPARE(server.connectionCount(), 2);
}

void tst_FakeSmtpServer::unexpectedHandshakeFailure()
{
    FakeSmtpServer server;
    useServerCert(server, QStringLiteral("selfsigned"));
    server.setScript(kStartTlsPrefix + QStringLiteral("S: 220 go ahead\nSTARTTLS\nC: EHLO x\n"));
    Client c;
    c.configureTls({cert(QStringLiteral("ca"))});
    QVERIFY(plainPrefix(c, server.listen()));
    QCOMPARE(c.reply(), QByteArray("220 go ahead\r\n"));
    QVERIFY(!c.startTls());
    c.socket.abort();
    QVERIFY(!server.waitForFinished(3000));
    QVERIFY(server.tlsFailed());
    QVERIFY2(server.failure().startsWith(QLatin1String("TLS handshake failed: ")),
             qPrintable(server.failure()));
    QVERIFY2(server.failure().contains(QLatin1String("(line 8)")), qPrintable(server.failure()));
}

void tst_FakeSmtpServer::expectTlsFailButClientSends()
{
    FakeSmtpServer server;
    useServerCert(server, QStringLiteral("server"));
    server.setScript(kStartTlsPrefix + QStringLiteral("S: 220 go ahead\nSTARTTLS\n"
                                                      "EXPECT-TLS-FAIL\n"));
    Client c;
    c.configureTls({cert(QStringLiteral("ca"))});
    QVERIFY(plainPrefix(c, server.listen()));
    QCOMPARE(c.reply(), QByteArray("220 go ahead\r\n"));
    QVERIFY(c.startTls());
    c.send("EHLO x\r\n");
    QVERIFY(!server.waitForFinished(3000));
    QCOMPARE(
        server.failure(),
        QStringLiteral("line 9: the client completed the TLS handshake and sent 'EHLO x\\r\\n'"));
    QCOMPARE(server.tlsHandshakes(), 1);
}

// The server asks for a client certificate and verifies it against the CA.
void tst_FakeSmtpServer::clientCertificate()
{
    FakeSmtpServer server;
    useServerCert(server, QStringLiteral("server"));
    server.setImplicitTls(true);
    server.setRequestClientCertificate(true, {cert(QStringLiteral("ca"))});
    server.setScript(QStringLiteral("S: 220 hi\nC: QUIT\nS: 221 bye\n"));
    Client c;
    c.configureTls({cert(QStringLiteral("ca"))}, cert(QStringLiteral("client")),
                   key(QStringLiteral("client")));
    QVERIFY2(c.connectEncrypted(server.listen()), qPrintable(c.socket.errorString()));
    QCOMPARE(c.reply(), QByteArray("220 hi\r\n"));
    c.send("QUIT\r\n");
    QVERIFY2(server.waitForFinished(3000), qPrintable(server.failure()));
    QCOMPARE(server.peerCertificate(), cert(QStringLiteral("client")));
    QCOMPARE(server.peerCertificate().subjectInfo(QSslCertificate::CommonName),
             QStringList{QStringLiteral("Ssmtp Test Client")});
}

// VerifyPeer: a client without a certificate, or with one the CA did not issue, fails.
void tst_FakeSmtpServer::clientCertificateRequired()
{
    for (const bool withForeignCert : {false, true}) {
        FakeSmtpServer server;
        useServerCert(server, QStringLiteral("server"));
        server.setImplicitTls(true);
        server.setRequestClientCertificate(true, {cert(QStringLiteral("ca"))});
        server.setScript(QStringLiteral("EXPECT-TLS-FAIL\n"));
        Client c;
        if (withForeignCert) {
            c.configureTls({cert(QStringLiteral("ca"))}, cert(QStringLiteral("selfsigned")),
                           key(QStringLiteral("selfsigned")));
        } else {
            c.configureTls({cert(QStringLiteral("ca"))});
        }
        (void)c.connectEncrypted(server.listen());
        QVERIFY2(server.waitForFinished(3000), qPrintable(server.failure()));
        QVERIFY(server.tlsFailed());
        qInfo("%s: %s", withForeignCert ? "foreign cert" : "no cert",
              qPrintable(server.tlsError()));
        if (withForeignCert) {
            QCOMPARE(server.peerCertificate(), cert(QStringLiteral("selfsigned")));
            QVERIFY(!server.sslHandshakeErrors().isEmpty());
        }
    }
}

// QueryPeer: the certificate is asked for but optional.
void tst_FakeSmtpServer::clientCertificateOptional()
{
    FakeSmtpServer server;
    useServerCert(server, QStringLiteral("server"));
    server.setImplicitTls(true);
    server.setRequestClientCertificate(true);
    server.setScript(QStringLiteral("S: 220 hi\nACCEPT\nS: 220 again\n"));
    const quint16 port = server.listen();
    Client c;
    c.configureTls({cert(QStringLiteral("ca"))});
    QVERIFY2(c.connectEncrypted(port), qPrintable(c.socket.errorString()));
    QCOMPARE(c.reply(), QByteArray("220 hi\r\n"));
    QTRY_COMPARE(server.tlsHandshakes(), 1);
    QVERIFY(server.peerCertificate().isNull());
    Client c2;
    c2.configureTls({cert(QStringLiteral("ca"))}, cert(QStringLiteral("selfsigned")),
                    key(QStringLiteral("selfsigned")));
    QVERIFY2(c2.connectEncrypted(port), qPrintable(c2.socket.errorString()));
    QCOMPARE(c2.reply(), QByteArray("220 again\r\n"));
    QVERIFY2(server.waitForFinished(3000), qPrintable(server.failure()));
    QCOMPARE(server.peerCertificate(), cert(QStringLiteral("selfsigned")));
}

// A reply injected behind the 220 reaches the client in the same segment as the 220; a
// client that notices does not start TLS, and the script's EXPECT-TLS-FAIL is satisfied.
void tst_FakeSmtpServer::injectedReplyInSameWrite()
{
    FakeSmtpServer server;
    useServerCert(server, QStringLiteral("server"));
    server.setScript(kStartTlsPrefix + QStringLiteral(R"(
        S-RAW: 220 go ahead\r\n250 forged\r\n
        STARTTLS
        EXPECT-TLS-FAIL
    )"));
    Client c;
    QVERIFY(plainPrefix(c, server.listen()));
    const int readsBefore = c.reads;
    QTRY_COMPARE(c.in, QByteArray("220 go ahead\r\n250 forged\r\n"));
    QCOMPARE(c.reads, readsBefore + 1);
    c.socket.abort();
    QVERIFY2(server.waitForFinished(3000), qPrintable(server.failure()));
    QCOMPARE(server.tlsError(), QStringLiteral("client aborted during the TLS handshake (line 9)"));
}

void tst_FakeSmtpServer::fragmentAfterStartTlsReply()
{
    FakeSmtpServer server;
    useServerCert(server, QStringLiteral("server"));
    server.setScript(kStartTlsPrefix + QStringLiteral(R"(
        S-RAW: 220 go ahead\r\n25
        STARTTLS
        EXPECT-TLS-FAIL
    )"));
    Client c;
    QVERIFY(plainPrefix(c, server.listen()));
    QTRY_COMPARE(c.in, QByteArray("220 go ahead\r\n25"));
    c.socket.disconnectFromHost();
    QVERIFY2(server.waitForFinished(3000), qPrintable(server.failure()));
    QVERIFY(server.tlsFailed());
}

// STARTTLS-INJECT: the junk goes out after the ClientHello arrived and before the server's
// handshake reply, so the client's TLS layer sees it as a broken record.
void tst_FakeSmtpServer::injectBeforeServerHello()
{
    FakeSmtpServer server;
    useServerCert(server, QStringLiteral("server"));
    server.setScript(kStartTlsPrefix + QStringLiteral(R"(
        S: 220 go ahead
        WAIT 20
        STARTTLS-INJECT: 250 junk\r\n
        EXPECT-TLS-FAIL
    )"));
    Client c;
    c.configureTls({cert(QStringLiteral("ca"))});
    QVERIFY(plainPrefix(c, server.listen()));
    QCOMPARE(c.reply(), QByteArray("220 go ahead\r\n"));
    QVERIFY(!c.startTls());
    qInfo("client: %s", qPrintable(c.socket.errorString()));
    QVERIFY(c.errors.contains(QAbstractSocket::SslHandshakeFailedError));
    c.socket.abort();
    QVERIFY2(server.waitForFinished(3000), qPrintable(server.failure()));
    QVERIFY(server.tlsFailed());
    QCOMPARE(server.tlsHandshakes(), 0);
}

// A client that pipelines a command behind STARTTLS fails the script.
void tst_FakeSmtpServer::pipelinedAfterStartTls()
{
    FakeSmtpServer server;
    useServerCert(server, QStringLiteral("server"));
    server.setScript(QStringLiteral("S: 220 hi\nC: STARTTLS\nS: 220 go ahead\nSTARTTLS\n"));
    Client c;
    QVERIFY(c.connectTo(server.listen()));
    c.send("STARTTLS\r\nEHLO x\r\n");
    QVERIFY(!server.waitForFinished(3000));
    QCOMPARE(server.failure(), QStringLiteral("line 4: client sent 'EHLO x\\r\\n' after STARTTLS "
                                              "before the TLS handshake"));
}

void tst_FakeSmtpServer::startTlsWithoutCertificate()
{
    FakeSmtpServer server;
    server.setScript(QStringLiteral("S: 220 go ahead\nSTARTTLS\n"));
    Client c;
    QVERIFY(c.connectTo(server.listen()));
    QVERIFY(!server.waitForFinished(3000));
    QCOMPARE(server.failure(), QStringLiteral("line 2: STARTTLS without a certificate (setTls())"));
}

QTEST_GUILESS_MAIN(tst_FakeSmtpServer)
#include "tst_fakesmtpserver.moc"
