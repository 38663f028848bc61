// Unit tests for the streaming SMTP body encoder (CRLF normalisation and dot-stuffing).
#include "message/dataencoder.h"

#include <QRandomGenerator>
#include <QTest>

using ssmtp::message::DataEncoder;
using Mode = ssmtp::message::DataEncoder::Mode;

Q_DECLARE_METATYPE(ssmtp::message::DataEncoder::Mode)

namespace {

// Straightforward byte-at-a-time model of the wire format, used as the oracle for inputs too
// large to spell out: every line ending (CRLF, CR, LF) is one CRLF, DATA lines starting with
// '.' get another, non-empty content ends with CRLF, DATA ends with ".\r\n".
QByteArray referenceEncode(const QByteArray &in, Mode mode)
{
    QByteArray out;
    bool lineStart = true;
    for (qsizetype i = 0; i < in.size(); ++i) {
        const char c = in.at(i);
        if (c == '\r' || c == '\n') {
            if (c == '\r' && i + 1 < in.size() && in.at(i + 1) == '\n')
                ++i;
            out += "\r\n";
            lineStart = true;
            continue;
        }
        if (lineStart && c == '.' && mode == Mode::Data)
            out += '.';
        out += c;
        lineStart = false;
    }
    if (!in.isEmpty() && !lineStart)
        out += "\r\n";
    if (mode == Mode::Data)
        out += ".\r\n";
    return out;
}

QByteArray encodeChunks(const QList<QByteArrayView> &chunks, Mode mode, qint64 *bytesOut = nullptr)
{
    DataEncoder encoder(mode);
    QByteArray out;
    for (const QByteArrayView chunk : chunks)
        encoder.encode(chunk, out);
    encoder.finish(out);
    if (bytesOut)
        *bytesOut = encoder.bytesOut();
    return out;
}

} // namespace

class tst_DataEncoder : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void encode_data();
    void encode();
    void everySplit_data() { encode_data(); }
    void everySplit();
    void everyDoubleSplit_data() { encode_data(); }
    void everyDoubleSplit();
    void byteByByte_data() { encode_data(); }
    void byteByByte();
    void encodeReturnsChunkOutput();
    void finishIsIdempotent();
    void resetStartsOver();
    void bytesOutCountsEverything();
    void largeRandomInput_data();
    void largeRandomInput();
    void normalizeLineEndings_data();
    void normalizeLineEndings();
    void dotStuff_data();
    void dotStuff();
};

void tst_DataEncoder::encode_data()
{
    QTest::addColumn<Mode>("mode");
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QByteArray>("expected");

    struct Row
    {
        const char *name;
        QByteArray input;
        QByteArray data; // expected in Data mode
        QByteArray bdat; // expected in Bdat mode
    };
    const Row rows[] = {
        {"empty", "", ".\r\n", ""},
        {"one char", "a", "a\r\n.\r\n", "a\r\n"},
        {"crlf kept", "a\r\nb\r\n", "a\r\nb\r\n.\r\n", "a\r\nb\r\n"},
        {"bare lf", "a\nb\n", "a\r\nb\r\n.\r\n", "a\r\nb\r\n"},
        {"bare cr", "a\rb\r", "a\r\nb\r\n.\r\n", "a\r\nb\r\n"},
        {"lf cr is two breaks", "a\n\rb", "a\r\n\r\nb\r\n.\r\n", "a\r\n\r\nb\r\n"},
        {"cr cr lf", "a\r\r\nb", "a\r\n\r\nb\r\n.\r\n", "a\r\n\r\nb\r\n"},
        {"only crlf", "\r\n", "\r\n.\r\n", "\r\n"},
        {"only cr", "\r", "\r\n.\r\n", "\r\n"},
        {"only lf", "\n", "\r\n.\r\n", "\r\n"},
        {"blank lines", "\n\n\r\r\n", "\r\n\r\n\r\n\r\n.\r\n", "\r\n\r\n\r\n\r\n"},
        {"missing final break", "abc\r\ndef", "abc\r\ndef\r\n.\r\n", "abc\r\ndef\r\n"},
        {"lone dot", ".", "..\r\n.\r\n", ".\r\n"},
        {"lone dot line", ".\r\n", "..\r\n.\r\n", ".\r\n"},
        {"terminator inside", "a\r\n.\r\nb\r\n", "a\r\n..\r\nb\r\n.\r\n", "a\r\n.\r\nb\r\n"},
        {"terminator with lf", "a\n.\nb", "a\r\n..\r\nb\r\n.\r\n", "a\r\n.\r\nb\r\n"},
        {"terminator with cr", "a\r.\rb", "a\r\n..\r\nb\r\n.\r\n", "a\r\n.\r\nb\r\n"},
        {"leading dot first line", ".hidden\r\n", "..hidden\r\n.\r\n", ".hidden\r\n"},
        {"double dot", "..\r\n", "...\r\n.\r\n", "..\r\n"},
        {"dots on every line", ".a\n.b\r.c\r\n..d", "..a\r\n..b\r\n..c\r\n...d\r\n.\r\n",
         ".a\r\n.b\r\n.c\r\n..d\r\n"},
        {"dot not at line start", "a.b\r\n a.\r\n", "a.b\r\n a.\r\n.\r\n", "a.b\r\n a.\r\n"},
        {"ends with dot line", "text\r\n.", "text\r\n..\r\n.\r\n", "text\r\n.\r\n"},
        {"dot after cr", "x\r.", "x\r\n..\r\n.\r\n", "x\r\n.\r\n"},
        {"binary-ish bytes", QByteArray("\0.\r\n\xff.", 6), QByteArray("\0.\r\n\xff.\r\n.\r\n", 11),
         QByteArray("\0.\r\n\xff.\r\n", 8)},
    };
    for (const Row &row : rows) {
        QTest::addRow("data: %s", row.name) << Mode::Data << row.input << row.data;
        QTest::addRow("bdat: %s", row.name) << Mode::Bdat << row.input << row.bdat;
    }
}

void tst_DataEncoder::encode()
{
    QFETCH(Mode, mode);
    QFETCH(QByteArray, input);
    QFETCH(QByteArray, expected);

    QCOMPARE(referenceEncode(input, mode), expected); // the oracle agrees with the table
    qint64 bytesOut = -1;
    QCOMPARE(encodeChunks({input}, mode, &bytesOut), expected);
    QCOMPARE(bytesOut, expected.size());
}

void tst_DataEncoder::everySplit()
{
    QFETCH(Mode, mode);
    QFETCH(QByteArray, input);
    QFETCH(QByteArray, expected);

    // Includes the splits between '\r' and '\n' and right before/after every '.'.
    for (qsizetype cut = 0; cut <= input.size(); ++cut) {
        const QByteArrayView view(input);
        qint64 bytesOut = -1;
        const QByteArray out = encodeChunks({view.first(cut), view.sliced(cut)}, mode, &bytesOut);
        QVERIFY2(out == expected, qPrintable(QStringLiteral("split at %1").arg(cut)));
        QCOMPARE(bytesOut, expected.size());
    }
}

void tst_DataEncoder::everyDoubleSplit()
{
    QFETCH(Mode, mode);
    QFETCH(QByteArray, input);
    QFETCH(QByteArray, expected);

    const QByteArrayView view(input);
    for (qsizetype a = 0; a <= input.size(); ++a) {
        for (qsizetype b = a; b <= input.size(); ++b) {
            const QByteArray out =
                encodeChunks({view.first(a), view.sliced(a, b - a), view.sliced(b)}, mode);
            QVERIFY2(out == expected, qPrintable(QStringLiteral("splits at %1, %2").arg(a).arg(b)));
        }
    }
}

void tst_DataEncoder::byteByByte()
{
    QFETCH(Mode, mode);
    QFETCH(QByteArray, input);
    QFETCH(QByteArray, expected);

    QList<QByteArrayView> chunks;
    for (qsizetype i = 0; i < input.size(); ++i)
        chunks.append(QByteArrayView(input).sliced(i, 1));
    qint64 bytesOut = -1;
    QCOMPARE(encodeChunks(chunks, mode, &bytesOut), expected);
    QCOMPARE(bytesOut, expected.size());
}

void tst_DataEncoder::encodeReturnsChunkOutput()
{
    DataEncoder encoder;
    QCOMPARE(encoder.encode("a\r"), QByteArray("a")); // CR held back
    QCOMPARE(encoder.encode("\n.b"), QByteArray("\r\n..b"));
    QCOMPARE(encoder.encode(""), QByteArray());
    QCOMPARE(encoder.finish(), QByteArray("\r\n.\r\n"));

    // Appends to existing content rather than replacing it.
    DataEncoder appending;
    QByteArray out = "HEAD";
    appending.encode("x\n", out);
    QCOMPARE(out, QByteArray("HEADx\r\n"));
    QCOMPARE(appending.bytesOut(), 3);
}

void tst_DataEncoder::finishIsIdempotent()
{
    DataEncoder encoder;
    QByteArray out;
    encoder.encode(".\r\n", out);
    encoder.finish(out);
    encoder.finish(out);
    QCOMPARE(out, QByteArray("..\r\n.\r\n"));
    QCOMPARE(encoder.finish(), QByteArray());
    QCOMPARE(encoder.bytesOut(), out.size());

    DataEncoder empty;
    QCOMPARE(empty.finish(), QByteArray(".\r\n"));
    QCOMPARE(empty.finish(), QByteArray());
}

void tst_DataEncoder::resetStartsOver()
{
    DataEncoder encoder(Mode::Data);
    QByteArray first;
    encoder.encode("abc\r", first); // pending CR and mid-line state must not leak
    encoder.reset();
    QCOMPARE(encoder.bytesOut(), 0);
    QByteArray second;
    encoder.encode(".x", second);
    encoder.finish(second);
    QCOMPARE(second, QByteArray("..x\r\n.\r\n"));
    QCOMPARE(encoder.bytesOut(), second.size());

    encoder.reset();
    QCOMPARE(encoder.finish(), QByteArray(".\r\n")); // empty again after reset
}

void tst_DataEncoder::bytesOutCountsEverything()
{
    DataEncoder encoder(Mode::Bdat);
    QByteArray out;
    encoder.encode("a\nb", out);
    QCOMPARE(encoder.bytesOut(), 4); // "a\r\nb"
    encoder.encode("\r", out);
    QCOMPARE(encoder.bytesOut(), 4); // CR pending, nothing emitted yet
    encoder.finish(out);
    QCOMPARE(out, QByteArray("a\r\nb\r\n"));
    QCOMPARE(encoder.bytesOut(), 6);
}

void tst_DataEncoder::largeRandomInput_data()
{
    QTest::addColumn<Mode>("mode");
    QTest::addColumn<quint32>("seed");
    for (quint32 seed : {1u, 2u, 3u}) {
        QTest::addRow("data %u", seed) << Mode::Data << seed;
        QTest::addRow("bdat %u", seed) << Mode::Bdat << seed;
    }
}

void tst_DataEncoder::largeRandomInput()
{
    QFETCH(Mode, mode);
    QFETCH(quint32, seed);

    // Text dense in the interesting bytes, so that chunk boundaries hit them often.
    QRandomGenerator rng(seed);
    static const char alphabet[] = {'.', '.', '\r', '\n', 'a', 'b', ' ', '\0'};
    QByteArray input(300000, Qt::Uninitialized);
    for (char &c : input)
        c = alphabet[rng.bounded(static_cast<int>(sizeof(alphabet)))];
    const QByteArray expected = referenceEncode(input, mode);

    QCOMPARE(encodeChunks({input}, mode), expected);

    QList<QByteArrayView> chunks;
    for (qsizetype pos = 0; pos < input.size();) {
        const qsizetype len = qMin<qsizetype>(rng.bounded(1, 64), input.size() - pos);
        chunks.append(QByteArrayView(input).sliced(pos, len));
        pos += len;
    }
    qint64 bytesOut = -1;
    QCOMPARE(encodeChunks(chunks, mode, &bytesOut), expected);
    QCOMPARE(bytesOut, expected.size());
}

void tst_DataEncoder::normalizeLineEndings_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QByteArray>("expected");
    QTest::newRow("empty") << QByteArray() << QByteArray();
    QTest::newRow("no break added") << QByteArray("abc") << QByteArray("abc");
    QTest::newRow("mixed") << QByteArray("a\rb\nc\r\nd") << QByteArray("a\r\nb\r\nc\r\nd");
    QTest::newRow("trailing cr") << QByteArray("a\r") << QByteArray("a\r\n");
    QTest::newRow("trailing lf") << QByteArray("a\n") << QByteArray("a\r\n");
    QTest::newRow("no stuffing") << QByteArray(".\n.") << QByteArray(".\r\n.");
}

void tst_DataEncoder::normalizeLineEndings()
{
    QFETCH(QByteArray, input);
    QFETCH(QByteArray, expected);
    QCOMPARE(ssmtp::message::normalizeLineEndings(input), expected);
}

void tst_DataEncoder::dotStuff_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QByteArray>("expected");
    QTest::newRow("empty") << QByteArray() << QByteArray(".\r\n");
    QTest::newRow("text") << QByteArray("Hi\n.\nBye") << QByteArray("Hi\r\n..\r\nBye\r\n.\r\n");
    QTest::newRow("ends with crlf") << QByteArray("Hi\r\n") << QByteArray("Hi\r\n.\r\n");
    QTest::newRow("caller terminator stuffed")
        << QByteArray("Hi\r\n.\r\n") << QByteArray("Hi\r\n..\r\n.\r\n");
}

void tst_DataEncoder::dotStuff()
{
    QFETCH(QByteArray, input);
    QFETCH(QByteArray, expected);
    QCOMPARE(ssmtp::message::dotStuff(input), expected);
}

QTEST_APPLESS_MAIN(tst_DataEncoder)

#include "tst_dataencoder.moc"
