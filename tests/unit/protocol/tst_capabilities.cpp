// Capabilities from EHLO replies.
#include "protocol/capabilities.h"
#include "protocol/replyparser.h"

#include <QTest>

using namespace ssmtp::protocol;

class tst_Capabilities : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void parse();
    void legacyAuthAndCase();
    void sizeWithoutLimit();
};

static Capabilities parseEhlo(const QByteArray &wire)
{
    ReplyParser parser;
    parser.feed(wire);
    Reply reply;
    if (parser.next(reply) != ReplyParser::Status::Reply)
        return {};
    return Capabilities::fromEhloReply(reply);
}

void tst_Capabilities::parse()
{
    const Capabilities c =
        parseEhlo("250-mx.example greets you\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n"
                  "250-8BITMIME\r\n250-SMTPUTF8\r\n250-DSN\r\n250-CHUNKING\r\n"
                  "250-ENHANCEDSTATUSCODES\r\n250-STARTTLS\r\n"
                  "250-AUTH PLAIN LOGIN CRAM-MD5\r\n250 BINARYMIME\r\n");
    QVERIFY(c.esmtp);
    QVERIFY(c.pipelining);
    QVERIFY(c.size);
    QCOMPARE(c.sizeLimit, 10240000);
    QVERIFY(c.eightBitMime);
    QVERIFY(c.smtpUtf8);
    QVERIFY(c.dsn);
    QVERIFY(c.chunking);
    QVERIFY(c.enhancedStatusCodes);
    QVERIFY(c.startTls);
    QVERIFY(c.binaryMime);
    QCOMPARE(c.authMechanisms, (QList<QByteArray>{"PLAIN", "LOGIN", "CRAM-MD5"}));
    QVERIFY(c.supportsAuth("LOGIN"));
    QVERIFY(!c.supportsAuth("XOAUTH2"));
    // The greeting line is not a keyword.
    QVERIFY(!c.keywords.contains("MX.EXAMPLE"));
}

void tst_Capabilities::legacyAuthAndCase()
{
    const Capabilities c =
        parseEhlo("250-x\r\n250-auth=login plain\r\n250-Pipelining\r\n250 AUTH LOGIN\r\n");
    QVERIFY(c.pipelining);
    QCOMPARE(c.authMechanisms, (QList<QByteArray>{"LOGIN", "PLAIN"}));
}

void tst_Capabilities::sizeWithoutLimit()
{
    const Capabilities c = parseEhlo("250-x\r\n250 SIZE\r\n");
    QVERIFY(c.size);
    QCOMPARE(c.sizeLimit, 0);
    const Capabilities none = parseEhlo("250 just hello\r\n");
    QVERIFY(none.esmtp);
    QVERIFY(!none.pipelining);
    QVERIFY(none.authMechanisms.isEmpty());
}

QTEST_GUILESS_MAIN(tst_Capabilities)
#include "tst_capabilities.moc"
