// Unit tests for quoted-printable, base64 line wrapping and the transfer encoding choice.
#include "message/transferencoding.h"

#include <QRandomGenerator>
#include <QTest>

using namespace ssmtp::message;

Q_DECLARE_METATYPE(ssmtp::message::TransferEncoding)

namespace {

int hexValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1; // RFC 2045 hex digits are upper case; lower case is a test failure
}

// Strict RFC 2045 6.7 decoder: fails (returns false) on anything an encoder must not write.
bool decodeQuotedPrintable(const QByteArray &encoded, QByteArray *decoded, QString *problem)
{
    decoded->clear();
    const QList<QByteArray> lines = encoded.split('\n');
    for (qsizetype n = 0; n < lines.size(); ++n) {
        QByteArray line = lines.at(n);
        const bool lastLine = n + 1 == lines.size();
        if (!lastLine) {
            if (!line.endsWith('\r')) {
                *problem = QStringLiteral("bare LF in line %1").arg(n);
                return false;
            }
            line.chop(1);
        }
        if (line.contains('\r')) {
            *problem = QStringLiteral("bare CR in line %1").arg(n);
            return false;
        }
        if (line.size() > 76) {
            *problem = QStringLiteral("line %1 has %2 characters").arg(n).arg(line.size());
            return false;
        }
        if (line.endsWith(' ') || line.endsWith('\t')) {
            *problem = QStringLiteral("trailing whitespace in line %1").arg(n);
            return false;
        }
        if (line.startsWith('.') || line.startsWith("From ")) {
            *problem = QStringLiteral("line %1 starts with '.' or \"From \"").arg(n);
            return false;
        }
        bool soft = false;
        for (qsizetype i = 0; i < line.size(); ++i) {
            const uchar c = static_cast<uchar>(line.at(i));
            if (c == '=') {
                if (i + 1 == line.size()) {
                    soft = true;
                    break;
                }
                const int hi = i + 2 < line.size() ? hexValue(line.at(i + 1)) : -1;
                const int lo = i + 2 < line.size() ? hexValue(line.at(i + 2)) : -1;
                if (hi < 0 || lo < 0) {
                    *problem = QStringLiteral("bad escape in line %1").arg(n);
                    return false;
                }
                decoded->append(static_cast<char>(hi * 16 + lo));
                i += 2;
            } else if ((c >= 33 && c <= 126) || c == ' ' || c == '\t') {
                decoded->append(static_cast<char>(c));
            } else {
                *problem = QStringLiteral("raw octet %1 in line %2").arg(c).arg(n);
                return false;
            }
        }
        if (soft && lastLine) {
            *problem = QStringLiteral("soft break at the very end");
            return false;
        }
        if (!soft && !lastLine)
            decoded->append("\r\n");
    }
    return true;
}

QByteArray crlf(const QByteArray &text)
{
    QByteArray out;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const char c = text.at(i);
        if (c == '\r' || c == '\n') {
            if (c == '\r' && i + 1 < text.size() && text.at(i + 1) == '\n')
                ++i;
            out += "\r\n";
        } else {
            out += c;
        }
    }
    return out;
}

} // namespace

class tst_TransferEncoding : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void quotedPrintable_data();
    void quotedPrintable();
    void quotedPrintableRoundTrip_data();
    void quotedPrintableRoundTrip();
    void quotedPrintableRandom();
    void base64Lines_data();
    void base64Lines();
    void chooseTextEncoding_data();
    void chooseTextEncoding();
};

void tst_TransferEncoding::quotedPrintable_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QByteArray>("expected");

    const QByteArray a75(75, 'a');
    const QByteArray a76(76, 'a');

    QTest::newRow("empty") << QByteArray() << QByteArray();
    QTest::newRow("plain") << QByteArray("Hello, world!") << QByteArray("Hello, world!");
    QTest::newRow("equals") << QByteArray("a=b") << QByteArray("a=3Db");
    QTest::newRow("utf8") << QByteArray("Gr\xc3\xbc\xc3\x9f"
                                        "e")
                          << QByteArray("Gr=C3=BC=C3=9Fe");
    QTest::newRow("crlf") << QByteArray("a\r\nb") << QByteArray("a\r\nb");
    QTest::newRow("lf") << QByteArray("a\nb\n") << QByteArray("a\r\nb\r\n");
    QTest::newRow("cr") << QByteArray("a\rb") << QByteArray("a\r\nb");
    QTest::newRow("empty lines") << QByteArray("\n\r\n\r") << QByteArray("\r\n\r\n\r\n");
    QTest::newRow("trailing space") << QByteArray("a \nb\t") << QByteArray("a=20\r\nb=09");
    QTest::newRow("inner spaces") << QByteArray("a  b\t c ") << QByteArray("a  b\t c=20");
    QTest::newRow("only space") << QByteArray(" ") << QByteArray("=20");
    QTest::newRow("leading dot") << QByteArray(".\n.x\nx.") << QByteArray("=2E\r\n=2Ex\r\nx.");
    QTest::newRow("from") << QByteArray("From me\nFrom\nFromage\n From x")
                          << QByteArray("=46rom me\r\nFrom\r\nFromage\r\n From x");
    QTest::newRow("controls") << QByteArray("a\0b\x7f", 4) << QByteArray("a=00b=7F");
    QTest::newRow("76 fits") << a76 << a76;
    QTest::newRow("77 soft break") << (a76 + 'b') << (a75 + "=\r\nab");
    QTest::newRow("76 then newline") << (a76 + '\n' + a76) << (a76 + "\r\n" + a76);
    QTest::newRow("escape not split")
        << (QByteArray(74, 'a') + '=' + 'b') << (QByteArray(74, 'a') + "=\r\n=3Db");
    QTest::newRow("escape ends line")
        << (QByteArray(73, 'a') + '=') << (QByteArray(73, 'a') + "=3D");
    QTest::newRow("escape fills line")
        << (QByteArray(72, 'a') + "=b") << (QByteArray(72, 'a') + "=3Db");
    QTest::newRow("space before soft break")
        << (QByteArray(74, 'a') + " bc") << (QByteArray(74, 'a') + " =\r\nbc");
    QTest::newRow("trailing space after soft break")
        << (QByteArray(75, 'a') + ' ') << (a75 + "=\r\n=20");
    QTest::newRow("dot after soft break") << (a75 + ".x") << (a75 + "=\r\n=2Ex");
    QTest::newRow("From after soft break") << (a75 + "From x") << (a75 + "=\r\n=46rom x");
}

void tst_TransferEncoding::quotedPrintable()
{
    QFETCH(QByteArray, input);
    QFETCH(QByteArray, expected);

    const QByteArray encoded = encodeQuotedPrintable(input);
    QCOMPARE(encoded, expected);

    QByteArray decoded;
    QString problem;
    QVERIFY2(decodeQuotedPrintable(encoded, &decoded, &problem), qPrintable(problem));
    QCOMPARE(decoded, crlf(input));
}

void tst_TransferEncoding::quotedPrintableRoundTrip_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::newRow("long german") << QStringLiteral(
                                        "Sehr geehrte Damen und Herren, für die Größe der "
                                        "Übertragung gilt: Äpfel = Birnen. ")
                                        .repeated(10)
                                        .toUtf8();
    QTest::newRow("long russian")
        << QStringLiteral("Съешь же ещё этих мягких французских булок, да выпей чаю. ")
               .repeated(8)
               .toUtf8();
    QTest::newRow("equals everywhere") << QByteArray(300, '=');
    QTest::newRow("spaces everywhere") << QByteArray(300, ' ');
    QTest::newRow("tabs and dots") << QByteArray("\t.\t.\t.\n").repeated(50);
    QByteArray all;
    for (int c = 0; c < 256; ++c)
        all.append(static_cast<char>(c));
    QTest::newRow("every octet") << all.repeated(3);
}

void tst_TransferEncoding::quotedPrintableRoundTrip()
{
    QFETCH(QByteArray, input);
    QByteArray decoded;
    QString problem;
    QVERIFY2(decodeQuotedPrintable(encodeQuotedPrintable(input), &decoded, &problem),
             qPrintable(problem));
    QCOMPARE(decoded, crlf(input));
}

void tst_TransferEncoding::quotedPrintableRandom()
{
    QRandomGenerator rng(42);
    static const char alphabet[] = "ab .=\t\r\nFrom\xc3\xa4";
    for (int round = 0; round < 500; ++round) {
        QByteArray input(rng.bounded(0, 400), Qt::Uninitialized);
        for (char &c : input)
            c = alphabet[rng.bounded(static_cast<int>(sizeof(alphabet) - 1))];
        QByteArray decoded;
        QString problem;
        QVERIFY2(decodeQuotedPrintable(encodeQuotedPrintable(input), &decoded, &problem),
                 qPrintable(problem + QLatin1String(" for ") +
                            QLatin1String(input.toPercentEncoding())));
        QCOMPARE(decoded, crlf(input));
    }
}

void tst_TransferEncoding::base64Lines_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QByteArray>("expected");

    QTest::newRow("empty") << QByteArray() << QByteArray();
    QTest::newRow("one byte") << QByteArray("a") << QByteArray("YQ==\r\n");
    QTest::newRow("three bytes") << QByteArray("abc") << QByteArray("YWJj\r\n");
    // 57 octets encode to exactly one 76-character line.
    const QByteArray b57(57, '\0');
    QTest::newRow("57 bytes") << b57 << (QByteArray(76, 'A') + "\r\n");
    QTest::newRow("58 bytes") << QByteArray(58, '\0') << (QByteArray(76, 'A') + "\r\nAA==\r\n");
    QTest::newRow("114 bytes") << QByteArray(114, '\0')
                               << (QByteArray(76, 'A') + "\r\n" + QByteArray(76, 'A') + "\r\n");
    QTest::newRow("binary") << QByteArray("\xff\xfe\x00\x01", 4) << QByteArray("//4AAQ==\r\n");
}

void tst_TransferEncoding::base64Lines()
{
    QFETCH(QByteArray, input);
    QFETCH(QByteArray, expected);

    const QByteArray encoded = encodeBase64Lines(input);
    QCOMPARE(encoded, expected);

    // Every line but the last is exactly 76 characters; decoding gives the input back.
    const QList<QByteArray> lines = encoded.split('\n');
    QCOMPARE(lines.last(), QByteArray());
    for (qsizetype i = 0; i + 1 < lines.size(); ++i) {
        QVERIFY(lines.at(i).endsWith('\r'));
        QVERIFY(lines.at(i).size() - 1 <= 76);
        if (i + 2 < lines.size())
            QCOMPARE(lines.at(i).size() - 1, 76);
    }
    QCOMPARE(QByteArray::fromBase64(QByteArray(encoded).replace("\r\n", "")), input);
}

void tst_TransferEncoding::chooseTextEncoding_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<TransferEncoding>("expected");

    QTest::newRow("empty") << QByteArray() << TransferEncoding::SevenBit;
    QTest::newRow("ascii") << QByteArray("Hello\r\nWorld = 1\n") << TransferEncoding::SevenBit;
    QTest::newRow("ascii controls") << QByteArray("tab\there\x1b[0m") << TransferEncoding::SevenBit;
    QTest::newRow("998 line") << QByteArray(998, 'a') << TransferEncoding::SevenBit;
    QTest::newRow("998 lines") << (QByteArray(998, 'a') + "\r\n" + QByteArray(998, 'b'))
                               << TransferEncoding::SevenBit;
    QTest::newRow("999 line") << QByteArray(999, 'a') << TransferEncoding::QuotedPrintable;
    QTest::newRow("999 after lf") << (QByteArray("x\n") + QByteArray(999, 'a'))
                                  << TransferEncoding::QuotedPrintable;
    QTest::newRow("nul") << QByteArray("a\0b", 3) << TransferEncoding::QuotedPrintable;
    QTest::newRow("german") << QStringLiteral("Grüße aus Köln, bis bald!").toUtf8()
                            << TransferEncoding::QuotedPrintable;
    QTest::newRow("russian") << QStringLiteral("Привет, как дела?").toUtf8()
                             << TransferEncoding::Base64;
    QTest::newRow("japanese") << QStringLiteral("こんにちは世界").toUtf8()
                              << TransferEncoding::Base64;
    // 10 of 30 octets escaped: exactly a third is still quoted-printable; 12 of 31 is not.
    QTest::newRow("one third") << (QByteArray(9, '=') + '\xc3' + QByteArray(20, 'a'))
                               << TransferEncoding::QuotedPrintable;
    QTest::newRow("over one third")
        << (QByteArray(11, '\x01') + QByteArray(19, 'a') + '\xc3') << TransferEncoding::Base64;
}

void tst_TransferEncoding::chooseTextEncoding()
{
    QFETCH(QByteArray, input);
    QFETCH(TransferEncoding, expected);
    QCOMPARE(ssmtp::message::chooseTextEncoding(input), expected);
}

QTEST_APPLESS_MAIN(tst_TransferEncoding)

#include "tst_transferencoding.moc"
