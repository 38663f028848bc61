// ReplyParser: multi-line replies, enhanced codes, line-length and reply-size caps, any
// fragmentation of the input.
#include "protocol/replyparser.h"

#include <QTest>

using ssmtp::protocol::Reply;
using ssmtp::protocol::ReplyParser;

Q_DECLARE_METATYPE(QList<int>)

class tst_ReplyParser : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void parse_data();
    void parse();
    void everySplit();
    void limits();
    void errorIsSticky();
};

void tst_ReplyParser::parse_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QList<int>>("codes");
    QTest::addColumn<QByteArray>("firstText");
    QTest::addColumn<QByteArray>("firstEnhanced");
    QTest::addColumn<int>("firstLines");
    QTest::addColumn<bool>("error");

    QTest::newRow("single") << QByteArray("250 ok\r\n") << QList<int>{250} << QByteArray("ok")
                            << QByteArray() << 1 << false;
    QTest::newRow("code only") << QByteArray("250\r\n") << QList<int>{250} << QByteArray()
                               << QByteArray() << 1 << false;
    QTest::newRow("multi-line") << QByteArray("250-a.example\r\n250-PIPELINING\r\n250 SIZE 10\r\n")
                                << QList<int>{250} << QByteArray("a.example\nPIPELINING\nSIZE 10")
                                << QByteArray() << 3 << false;
    QTest::newRow("enhanced") << QByteArray("550 5.1.1 no such user\r\n") << QList<int>{550}
                              << QByteArray("5.1.1 no such user") << QByteArray("5.1.1") << 1
                              << false;
    QTest::newRow("enhanced class mismatch")
        << QByteArray("550 2.1.1 odd\r\n") << QList<int>{550} << QByteArray("2.1.1 odd")
        << QByteArray() << 1 << false;
    QTest::newRow("not enhanced") << QByteArray("250 2.0 ok\r\n") << QList<int>{250}
                                  << QByteArray("2.0 ok") << QByteArray() << 1 << false;
    QTest::newRow("pipelined block")
        << QByteArray("250 a\r\n250 b\r\n354 go\r\n") << QList<int>{250, 250, 354}
        << QByteArray("a") << QByteArray() << 1 << false;
    QTest::newRow("bare LF") << QByteArray("220 hi\n221 bye\n") << QList<int>{220, 221}
                             << QByteArray("hi") << QByteArray() << 1 << false;
    QTest::newRow("incomplete") << QByteArray("250-a\r\n250 b") << QList<int>{} << QByteArray()
                                << QByteArray() << 0 << false;
    QTest::newRow("garbage") << QByteArray("hello\r\n") << QList<int>{} << QByteArray()
                             << QByteArray() << 0 << true;
    QTest::newRow("1xx") << QByteArray("150 x\r\n") << QList<int>{} << QByteArray() << QByteArray()
                         << 0 << true;
    QTest::newRow("short") << QByteArray("25\r\n") << QList<int>{} << QByteArray() << QByteArray()
                           << 0 << true;
    QTest::newRow("bad separator")
        << QByteArray("250x\r\n") << QList<int>{} << QByteArray() << QByteArray() << 0 << true;
    QTest::newRow("mixed codes") << QByteArray("250-a\r\n251 b\r\n") << QList<int>{} << QByteArray()
                                 << QByteArray() << 0 << true;
}

void tst_ReplyParser::parse()
{
    QFETCH(QByteArray, input);
    QFETCH(QList<int>, codes);
    QFETCH(QByteArray, firstText);
    QFETCH(QByteArray, firstEnhanced);
    QFETCH(int, firstLines);
    QFETCH(bool, error);

    ReplyParser parser;
    parser.feed(input);
    QList<int> got;
    QList<Reply> replies;
    ReplyParser::Status status;
    Reply reply;
    while ((status = parser.next(reply)) == ReplyParser::Status::Reply) {
        got.append(reply.code);
        replies.append(reply);
    }
    QCOMPARE(status == ReplyParser::Status::Error, error);
    if (error)
        QVERIFY(!parser.errorString().isEmpty());
    QCOMPARE(got, codes);
    if (!replies.isEmpty()) {
        QCOMPARE(replies.first().text(), firstText);
        QCOMPARE(replies.first().enhancedCode, firstEnhanced);
        QCOMPARE(replies.first().lines.size(), firstLines);
    }
}

// The same byte stream split at every position gives the same replies.
void tst_ReplyParser::everySplit()
{
    const QByteArray input = "220-hello\r\n220 there\r\n250-x\r\n250-PIPELINING\r\n250 8BITMIME\r\n"
                             "550 5.1.1 nope\r\n354 go\r\n";
    for (qsizetype split = 0; split <= input.size(); ++split) {
        ReplyParser parser;
        QList<QByteArray> seen;
        Reply reply;
        parser.feed(QByteArrayView(input).first(split));
        while (parser.next(reply) == ReplyParser::Status::Reply)
            seen.append(QByteArray::number(reply.code) + ':' + reply.text());
        parser.feed(QByteArrayView(input).sliced(split));
        while (parser.next(reply) == ReplyParser::Status::Reply)
            seen.append(QByteArray::number(reply.code) + ':' + reply.text());
        QCOMPARE(seen, (QList<QByteArray>{"220:hello\nthere", "250:x\nPIPELINING\n8BITMIME",
                                          "550:5.1.1 nope", "354:go"}));
        QCOMPARE(parser.bufferedBytes(), 0);
    }
    // Byte by byte.
    ReplyParser parser;
    int count = 0;
    Reply reply;
    for (char c : input) {
        parser.feed(QByteArrayView(&c, 1));
        while (parser.next(reply) == ReplyParser::Status::Reply)
            ++count;
    }
    QCOMPARE(count, 4);
}

void tst_ReplyParser::limits()
{
    // A line without end longer than the cap fails before it is complete.
    ReplyParser parser;
    parser.setMaxLineLength(300);
    parser.feed(QByteArray(301, 'a'));
    Reply reply;
    QCOMPARE(parser.next(reply), ReplyParser::Status::Error);
    QVERIFY(parser.errorString().contains(QLatin1String("300")));

    // A complete line over the cap.
    ReplyParser p2;
    p2.setMaxLineLength(300);
    p2.feed(QByteArray("250 " + QByteArray(400, 'b') + "\r\n"));
    QCOMPARE(p2.next(reply), ReplyParser::Status::Error);

    // Endless continuation lines: bounded total size.
    ReplyParser p3;
    p3.setMaxReplySize(10000);
    QByteArray many;
    for (int i = 0; i < 1000; ++i)
        many += "250-" + QByteArray(40, 'c') + "\r\n";
    p3.feed(many);
    QCOMPARE(p3.next(reply), ReplyParser::Status::Error);

    // A line exactly at the cap whose CR and LF arrive in different reads (found by the
    // fuzzer): the held-back CR is not part of the line.
    ReplyParser split;
    split.setMaxLineLength(300);
    split.feed(QByteArray("250 " + QByteArray(296, 'e') + "\r"));
    QCOMPARE(split.next(reply), ReplyParser::Status::NeedMore);
    split.feed("\n");
    QCOMPARE(split.next(reply), ReplyParser::Status::Reply);
    QCOMPARE(reply.code, 250);

    // Exactly at the cap is fine.
    ReplyParser p4;
    p4.setMaxLineLength(300);
    p4.feed(QByteArray("250 " + QByteArray(296, 'd') + "\r\n"));
    QCOMPARE(p4.next(reply), ReplyParser::Status::Reply);
}

void tst_ReplyParser::errorIsSticky()
{
    ReplyParser parser;
    parser.feed("nonsense\r\n250 ok\r\n");
    Reply reply;
    QCOMPARE(parser.next(reply), ReplyParser::Status::Error);
    QCOMPARE(parser.next(reply), ReplyParser::Status::Error);
    parser.clear();
    parser.feed("250 ok\r\n");
    QCOMPARE(parser.next(reply), ReplyParser::Status::Reply);
    QCOMPARE(reply.toString(), QStringLiteral("250 ok"));
}

QTEST_GUILESS_MAIN(tst_ReplyParser)
#include "tst_replyparser.moc"
