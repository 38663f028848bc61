// Unit tests for RFC 2047 encoded words, display-name phrases and header folding.
#include "message/addresslist.h"
#include "message/headerencoding.h"

#include <QRandomGenerator>
#include <QStringDecoder>
#include <QTest>

using namespace ssmtp::message;

namespace {

enum class Where { Text, Phrase };

bool isWsp(char c)
{
    return c == ' ' || c == '\t';
}

int hexValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

bool isBase64Char(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' ||
           c == '/';
}

// Q characters allowed literally in a phrase (RFC 2047 5(3)), besides the '=' and '_' syntax.
bool isPhraseQChar(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '!' ||
           c == '*' || c == '+' || c == '-' || c == '/';
}

// Strict RFC 2047 decoder for one (unfolded) header value. Besides decoding it checks what
// an encoder must guarantee: every encoded word <= 75 octets, separated from surrounding
// text by whitespace, holding whole characters of its charset (each word is decoded on its
// own), with Q text restricted in phrases; text outside encoded words is printable ASCII.
// Whitespace between two adjacent encoded words is dropped, as RFC 2047 6.2 says.
bool decodeRfc2047(QByteArrayView value, Where where, QString *decoded, QString *problem,
                   QList<QByteArray> *charsets = nullptr)
{
    decoded->clear();
    qsizetype pos = 0;
    bool previousWasWord = false;
    QString pendingSpace;
    while (pos < value.size()) {
        const qsizetype start = value.indexOf("=?", pos);
        const qsizetype textEnd = start < 0 ? value.size() : start;
        const QByteArrayView between = value.sliced(pos, textEnd - pos);
        for (const char c : between) {
            if (!isWsp(c) && (c < 0x21 || c > 0x7E)) {
                *problem = QStringLiteral("raw octet 0x%1 outside encoded words")
                               .arg(static_cast<uchar>(c), 2, 16, QLatin1Char('0'));
                return false;
            }
        }
        bool onlySpace = true;
        for (const char c : between)
            onlySpace = onlySpace && isWsp(c);
        if (!(previousWasWord && onlySpace && start >= 0))
            decoded->append(QString::fromLatin1(between));
        if (start < 0)
            break;

        if (start > 0 && !isWsp(value[start - 1])) {
            *problem = QStringLiteral("encoded word not preceded by whitespace at %1").arg(start);
            return false;
        }
        const qsizetype q1 = value.indexOf('?', start + 2);
        const qsizetype q2 = q1 < 0 ? -1 : value.indexOf('?', q1 + 1);
        const qsizetype close = q2 < 0 ? -1 : value.indexOf("?=", q2 + 1);
        if (q2 != q1 + 2 || close < 0) {
            *problem = QStringLiteral("malformed encoded word at %1").arg(start);
            return false;
        }
        const qsizetype end = close + 2;
        if (end - start > 75) {
            *problem = QStringLiteral("encoded word of %1 octets").arg(end - start);
            return false;
        }
        if (end < value.size() && !isWsp(value[end])) {
            *problem = QStringLiteral("encoded word not followed by whitespace at %1").arg(end);
            return false;
        }
        const QByteArray charset = value.sliced(start + 2, q1 - start - 2).toByteArray();
        const char encoding = value[q1 + 1];
        const QByteArrayView text = value.sliced(q2 + 1, close - q2 - 1);
        if (text.isEmpty()) {
            *problem = QStringLiteral("empty encoded word");
            return false;
        }
        QByteArray bytes;
        if (encoding == 'B') {
            if (text.size() % 4 != 0) {
                *problem = QStringLiteral("base64 text length %1").arg(text.size());
                return false;
            }
            for (qsizetype i = 0; i < text.size(); ++i) {
                if (!isBase64Char(text[i]) && !(text[i] == '=' && i >= text.size() - 2)) {
                    *problem = QStringLiteral("bad base64 character");
                    return false;
                }
            }
            bytes = QByteArray::fromBase64(text.toByteArray());
        } else if (encoding == 'Q') {
            for (qsizetype i = 0; i < text.size(); ++i) {
                const char c = text[i];
                if (c == '=') {
                    const int hi = i + 2 < text.size() ? hexValue(text[i + 1]) : -1;
                    const int lo = i + 2 < text.size() ? hexValue(text[i + 2]) : -1;
                    if (hi < 0 || lo < 0) {
                        *problem = QStringLiteral("bad Q escape");
                        return false;
                    }
                    bytes.append(static_cast<char>(hi * 16 + lo));
                    i += 2;
                } else if (c == '_') {
                    bytes.append(' ');
                } else if (where == Where::Phrase ? !isPhraseQChar(c)
                                                  : (c < 0x21 || c > 0x7E || c == '?')) {
                    *problem =
                        QStringLiteral("character '%1' not allowed in Q text").arg(QLatin1Char(c));
                    return false;
                } else {
                    bytes.append(c);
                }
            }
        } else {
            *problem = QStringLiteral("unknown encoding '%1'").arg(QLatin1Char(encoding));
            return false;
        }
        QStringDecoder decoder(charset.constData(), QStringConverter::Flag::Stateless);
        if (!decoder.isValid()) {
            *problem = QStringLiteral("unknown charset %1").arg(QLatin1String(charset));
            return false;
        }
        const QString text16 = decoder.decode(bytes);
        if (decoder.hasError()) {
            *problem = QStringLiteral("encoded word %1 is not whole %2 characters")
                           .arg(QLatin1String(value.sliced(start, end - start).toByteArray()),
                                QLatin1String(charset));
            return false;
        }
        decoded->append(text16);
        if (charsets)
            charsets->append(charset);
        previousWasWord = true;
        pos = end;
    }
    return true;
}

QByteArray unfold(const QByteArray &header)
{
    return QByteArray(header).replace("\r\n", "");
}

// Checks the folding rules; limit < 0 skips the length checks.
bool checkFolding(const QByteArray &header, QByteArrayView field, QByteArrayView value, int limit,
                  QString *problem)
{
    const QList<QByteArray> lines = header.split('\n');
    for (qsizetype k = 0; k < lines.size(); ++k) {
        QByteArray line = lines.at(k);
        if (k + 1 < lines.size()) {
            if (!line.endsWith('\r')) {
                *problem = QStringLiteral("bare LF");
                return false;
            }
            line.chop(1);
        }
        if (line.contains('\r')) {
            *problem = QStringLiteral("bare CR");
            return false;
        }
        if (k > 0) {
            if (line.isEmpty() || !isWsp(line.at(0))) {
                *problem = QStringLiteral("continuation line %1 does not start with WSP").arg(k);
                return false;
            }
            if (line.trimmed().isEmpty()) {
                *problem = QStringLiteral("line %1 is whitespace only").arg(k);
                return false;
            }
        }
        if (line.size() > 998) {
            *problem = QStringLiteral("line %1 longer than 998").arg(k);
            return false;
        }
        if (limit < 0 || line.size() <= limit)
            continue;
        // An overlong line is allowed only when it cannot be broken: no whitespace run after
        // the first word (or after "Field:") that is followed by more text.
        const qsizetype from = k == 0 ? field.size() + 2 : 1;
        for (qsizetype p = from; p < line.size(); ++p) {
            if (isWsp(line.at(p)) && !isWsp(line.at(p - 1)) && !line.mid(p).trimmed().isEmpty()) {
                *problem = QStringLiteral("line %1 (%2 octets) could have been folded at %3")
                               .arg(k)
                               .arg(line.size())
                               .arg(p);
                return false;
            }
        }
    }
    QByteArray expected = field.toByteArray() + ':';
    if (!value.isEmpty())
        expected += ' ' + value.toByteArray();
    if (unfold(header) != expected) {
        *problem = QStringLiteral("unfolding does not give back the header");
        return false;
    }
    return true;
}

HeaderEncoding encoding(const QByteArray &charset = QByteArray(), int maxLineLength = 80,
                        bool fold = true)
{
    HeaderEncoding enc;
    enc.charset = charset;
    enc.maxLineLength = maxLineLength;
    enc.fold = fold;
    return enc;
}

} // namespace

class tst_HeaderEncoding : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void encodeUnstructured_data();
    void encodeUnstructured();
    void unstructuredRoundTrip_data();
    void unstructuredRoundTrip();
    void unstructuredSmallLineLength();
    void unstructuredHeaderFirstLine();
    void longPlainWordIsEncoded();
    void encodePhrase_data();
    void encodePhrase();
    void phraseRoundTrip_data();
    void phraseRoundTrip();
    void formatMailbox_data();
    void formatMailbox();
    void formatAddressList();
    void foldHeader_data();
    void foldHeader();
    void foldHeaderRandom();
    void containsLineBreak_data();
    void containsLineBreak();
};

void tst_HeaderEncoding::encodeUnstructured_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QByteArray>("charset");
    QTest::addColumn<QByteArray>("expected");

    auto row = [](const char *name, const char *text, const char *charset, const char *expected) {
        QTest::newRow(name) << QString::fromUtf8(text) << QByteArray(charset)
                            << QByteArray(expected);
    };
    row("empty", "", "", "");
    row("ascii", "Hello, World! (test) \"quoted\"", "", "Hello, World! (test) \"quoted\"");
    row("spacing kept", "  a   b\tc  ", "", "  a   b\tc  ");
    row("question mark equals ok", "a=b? c?=d", "", "a=b? c?=d");
    row("q shorter", "Müller", "", "=?UTF-8?Q?M=C3=BCller?=");
    row("b shorter", "Grüße", "", "=?UTF-8?B?R3LDvMOfZQ==?=");
    row("plain words stay", "Re: Grüße aus Köln", "",
        "Re: =?UTF-8?B?R3LDvMOfZQ==?= aus =?UTF-8?B?S8O2bG4=?=");
    row("run includes space", "Müller Lüdenscheid", "", "=?UTF-8?Q?M=C3=BCller_L=C3=BCdenscheid?=");
    row("run includes tab", "Müller\tLüdenscheid", "", "=?UTF-8?B?TcO8bGxlcglMw7xkZW5zY2hlaWQ=?=");
    row("encoded-word lookalike", "a =?x?= b", "", "a =?UTF-8?B?PT94Pz0=?= b");
    row("emoji", "😀", "", "=?UTF-8?B?8J+YgA==?=");
    row("control character", "line\nbreak", "", "=?UTF-8?Q?line=0Abreak?=");
    row("q specials in text", "Bärbel_(x)?abcdefghij", "",
        "=?UTF-8?Q?B=C3=A4rbel=5F(x)=3Fabcdefghij?=");
    row("utf-8 spelled lower", "Müller", "utf-8", "=?UTF-8?Q?M=C3=BCller?=");
    row("latin1", "Müller", "ISO-8859-1", "=?ISO-8859-1?Q?M=FCller?=");
    row("latin1 fallback", "Müller 5€", "ISO-8859-1", "=?UTF-8?B?TcO8bGxlciA14oKs?=");
    row("latin9 has euro", "Müller 5€", "ISO-8859-15", "=?ISO-8859-15?B?TfxsbGVyIDWk?=");
    row("fallback per run", "Müller und 5€", "ISO-8859-1",
        "=?ISO-8859-1?Q?M=FCller?= und =?UTF-8?B?NeKCrA==?=");
    row("koi8-r", "Привет", "KOI8-R", "=?KOI8-R?B?8NLJ18XU?=");
    // Stateful charset: each encoded word shifts back to ASCII (ESC ( B) at its end.
    row("iso-2022-jp", "日本", "ISO-2022-JP", "=?ISO-2022-JP?Q?=1B$BF|K\\=1B(B?=");
    row("unknown charset", "Müller", "x-no-such-charset", "=?UTF-8?Q?M=C3=BCller?=");
    row("utf-16 not usable", "Müller", "UTF-16", "=?UTF-8?Q?M=C3=BCller?=");
    row("charset with especial", "Müller", "ISO?8859", "=?UTF-8?Q?M=C3=BCller?=");
}

void tst_HeaderEncoding::encodeUnstructured()
{
    QFETCH(QString, text);
    QFETCH(QByteArray, charset);
    QFETCH(QByteArray, expected);

    const QByteArray encoded = ssmtp::message::encodeUnstructured(text, encoding(charset));
    QCOMPARE(encoded, expected);
    QString decoded;
    QString problem;
    QVERIFY2(decodeRfc2047(encoded, Where::Text, &decoded, &problem), qPrintable(problem));
    QCOMPARE(decoded, text);
}

void tst_HeaderEncoding::unstructuredRoundTrip_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QByteArray>("charset");

    const char *texts[] = {
        "Grüße aus Köln, schöne Welt",
        "Привет мир, это длинная тема письма для проверки переноса строк и кодирования",
        "日本語のテキストとemoji 😀😀😀 mixed with ASCII words and more 日本語",
        "😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀",
        "ÄÖÜäöüßÄÖÜäöüßÄÖÜäöüßÄÖÜäöüßÄÖÜäöüßÄÖÜäöüßÄÖÜäöüßÄÖÜäöüßÄÖÜäöüßÄÖÜäöüß",
        "a  b\tc  Grüße  d",
        " leading and trailing ü ",
        "tab\there ü\tö",
        "e\u0301 combining and \u200b zero width and \u00a0 nbsp",
        "Façade café naïve résumé coöperate Noël Zoë Chloë Brontë Citroën Škoda",
        "=?UTF-8?Q?fake?= word =?",
    };
    const char *charsets[] = {"",       "ISO-8859-1", "ISO-8859-15",
                              "KOI8-R", "Shift_JIS",  "ISO-2022-JP"};
    for (const char *charset : charsets) {
        int n = 0;
        for (const char *text : texts) {
            QTest::addRow("%s #%d", charset[0] ? charset : "default", n++)
                << QString::fromUtf8(text) << QByteArray(charset);
        }
    }
}

void tst_HeaderEncoding::unstructuredRoundTrip()
{
    QFETCH(QString, text);
    QFETCH(QByteArray, charset);

    const HeaderEncoding enc = encoding(charset);
    const QByteArray encoded = ssmtp::message::encodeUnstructured(text, enc);
    QString decoded;
    QString problem;
    QList<QByteArray> used;
    QVERIFY2(decodeRfc2047(encoded, Where::Text, &decoded, &problem, &used),
             qPrintable(problem + QLatin1String(": ") + QLatin1String(encoded)));
    QCOMPARE(decoded, text);
    for (const QByteArray &c : used)
        QVERIFY2(c == "UTF-8" || c == charset, c.constData());

    // Folded into a header: no line over the limit (every word fits), and unfolding then
    // decoding gives back the text.
    const QByteArray header = ssmtp::message::foldHeader("Subject", encoded, enc);
    QVERIFY2(checkFolding(header, "Subject", encoded, enc.maxLineLength, &problem),
             qPrintable(problem + QLatin1String(":\n") + QLatin1String(header)));
    for (const QByteArray &line : header.split('\n'))
        QVERIFY2(line.size() <= 81, line.constData()); // 80 + '\r'
    QVERIFY(decodeRfc2047(unfold(header).mid(9), Where::Text, &decoded, &problem));
    QCOMPARE(decoded, text);

    // The same through unstructuredHeader(), which also fills the first line.
    const QByteArray direct = unstructuredHeader("Subject", text, enc);
    QVERIFY2(checkFolding(direct, "Subject", unfold(direct).mid(9), enc.maxLineLength, &problem),
             qPrintable(problem));
    QVERIFY(decodeRfc2047(unfold(direct).mid(9), Where::Text, &decoded, &problem));
    QCOMPARE(decoded, text);
}

void tst_HeaderEncoding::unstructuredSmallLineLength()
{
    const QString text = QStringLiteral("Привет мир, это длинная тема письма для проверки");
    const HeaderEncoding enc = encoding(QByteArray(), 40);
    const QByteArray encoded = ssmtp::message::encodeUnstructured(text, enc);
    const QByteArray header = ssmtp::message::foldHeader("Subject", encoded, enc);
    QString problem;
    QVERIFY2(checkFolding(header, "Subject", encoded, 40, &problem), qPrintable(problem));
    const QList<QByteArray> lines = header.split('\n');
    QVERIFY(lines.size() > 3);
    for (qsizetype k = 1; k < lines.size(); ++k) // continuation lines are " " + one word
        QVERIFY2(lines.at(k).trimmed().size() <= 39, lines.at(k).constData());
    QString decoded;
    QVERIFY(decodeRfc2047(encoded, Where::Text, &decoded, &problem));
    QCOMPARE(decoded, text);

    // Without folding, words use the full 75 octets and the header stays on one line.
    const HeaderEncoding flat = encoding(QByteArray(), 40, false);
    const QByteArray one = unstructuredHeader("Subject", text, flat);
    QVERIFY(!one.contains('\n'));
    QVERIFY(decodeRfc2047(one.mid(9), Where::Text, &decoded, &problem));
    QCOMPARE(decoded, text);
}

void tst_HeaderEncoding::unstructuredHeaderFirstLine()
{
    const QString text = QStringLiteral("Привет мир, это длинная тема письма");
    const QByteArray header = unstructuredHeader("Subject", text, encoding());
    const QList<QByteArray> lines = header.split('\n');
    // The first encoded word is sized to share the line with "Subject: ".
    QVERIFY2(lines.first().startsWith("Subject: =?UTF-8?B?"), header.constData());
    QVERIFY2(lines.first().size() <= 81, header.constData());
    QVERIFY(lines.first().size() >= 70); // and does use the room

    // Plain ASCII first word: nothing to shorten, folding handles it.
    const QByteArray ascii = unstructuredHeader("Subject", QStringLiteral("Hello"), encoding());
    QCOMPARE(ascii, QByteArray("Subject: Hello"));
}

void tst_HeaderEncoding::longPlainWordIsEncoded()
{
    // 1000 ASCII characters without a space could never fit a 998-octet line as they are.
    const QString text = QStringLiteral("see ") + QString(1000, QLatin1Char('x'));
    const QByteArray encoded = ssmtp::message::encodeUnstructured(text, encoding());
    QVERIFY(encoded.startsWith("see =?UTF-8?Q?xxx"));
    const QByteArray header = ssmtp::message::foldHeader("Subject", encoded, encoding());
    QString problem;
    QVERIFY2(checkFolding(header, "Subject", encoded, 80, &problem), qPrintable(problem));
    QString decoded;
    QVERIFY2(decodeRfc2047(encoded, Where::Text, &decoded, &problem), qPrintable(problem));
    QCOMPARE(decoded, text);

    // A long word that fits stays plain.
    const QString fits = QString(900, QLatin1Char('y'));
    QCOMPARE(ssmtp::message::encodeUnstructured(fits, encoding()), fits.toLatin1());
}

void tst_HeaderEncoding::encodePhrase_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QByteArray>("charset");
    QTest::addColumn<QByteArray>("expected");

    auto row = [](const char *tag, const char *name, const char *expected,
                  const char *charset = "") {
        QTest::newRow(tag) << QString::fromUtf8(name) << QByteArray(charset)
                           << QByteArray(expected);
    };
    row("empty", "", "");
    row("atoms", "John Doe", "John Doe");
    row("atext specials", "O'Brien #1 {x}", "O'Brien #1 {x}");
    row("comma", "Doe, John", "\"Doe, John\"");
    row("dot", "J. Doe", "\"J. Doe\"");
    row("parentheses", "John (Sales)", "\"John (Sales)\"");
    row("angle and at", "<a@b>", "\"<a@b>\"");
    row("quote and backslash", "a\"b\\c", "\"a\\\"b\\\\c\"");
    row("double space", "John  Doe", "\"John  Doe\"");
    row("leading space", " John", "\" John\"");
    row("only spaces", "  ", "\"  \"");
    row("encoded-word lookalike", "=?UTF-8?Q?x?=", "=?UTF-8?B?PT9VVEYtOD9RP3g/PQ==?=");
    row("non-ascii", "Müller", "=?UTF-8?Q?M=C3=BCller?=");
    row("atom and encoded", "Hans Müller", "Hans =?UTF-8?Q?M=C3=BCller?=");
    row("comma inside encoded word", "Müller, Hans", "=?UTF-8?B?TcO8bGxlciw=?= Hans");
    row("run of encoded words", "Jürgen Müller", "=?UTF-8?B?SsO8cmdlbiBNw7xsbGVy?=");
    row("special forces whole name", "Hans Müller (Sales)",
        "=?UTF-8?Q?Hans_M=C3=BCller_=28Sales=29?=");
    row("restricted q set", "Müller-Lüdenscheid, Hans-Peter (Vertrieb)",
        "=?UTF-8?Q?M=C3=BCller-L=C3=BCdenscheid=2C_Hans-Peter_=28Vertrieb=29?=");
    row("q literal set", "ü!*+-/abc", "=?UTF-8?Q?=C3=BC!*+-/abc?=");
    row("specials inside encoded word", "ü.,?=_\" abcdefghijklmnopqrstuvwxyz",
        "=?UTF-8?B?w7wuLD89XyI=?= abcdefghijklmnopqrstuvwxyz");
    row("tab", "a\tb", "=?UTF-8?B?YQli?=");
    row("latin1", "Müller", "=?ISO-8859-1?Q?M=FCller?=", "ISO-8859-1");
}

void tst_HeaderEncoding::encodePhrase()
{
    QFETCH(QString, name);
    QFETCH(QByteArray, charset);
    QFETCH(QByteArray, expected);

    const QByteArray phrase = ssmtp::message::encodePhrase(name, encoding(charset));
    QCOMPARE(phrase, expected);
    if (!phrase.startsWith('"')) {
        QString decoded;
        QString problem;
        QVERIFY2(decodeRfc2047(phrase, Where::Phrase, &decoded, &problem), qPrintable(problem));
        QCOMPARE(decoded, name);
    }
}

void tst_HeaderEncoding::phraseRoundTrip_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QByteArray>("charset");
    const char *names[] = {
        "John Doe",
        "Doe, John",
        "a\"b\\c",
        "J. R. R. Tolkien",
        "<evil@x>, other@y",
        "Müller, Hans",
        "Hans Müller (Sales)",
        "Jürgen Müller",
        "山田 太郎",
        "😀 Smiley",
        "Ärger & Co. KG",
        "=?UTF-8?B?QQ==?=",
        "Ελληνικά και English μαζί",
        ("A very long display name with some ümlauts that has to be split into several "
         "encoded words because it is far longer than seventy-five characters"),
    };
    for (const char *charset : {"", "ISO-8859-1"}) {
        int n = 0;
        for (const char *name : names) {
            QTest::addRow("%s #%d", charset[0] ? charset : "default", n++)
                << QString::fromUtf8(name) << QByteArray(charset);
        }
    }
}

void tst_HeaderEncoding::phraseRoundTrip()
{
    QFETCH(QString, name);
    QFETCH(QByteArray, charset);

    // Written into a To: header, parsed back by our own address parser (which unquotes but
    // does not decode) and then RFC 2047-decoded: the display name must survive exactly.
    const HeaderEncoding enc = encoding(charset);
    const Mailbox mailbox{name, QStringLiteral("user@example.org")};
    const QByteArray header =
        ssmtp::message::foldHeader("To", ssmtp::message::formatMailbox(mailbox, enc), enc);
    QString problem;
    QVERIFY2(checkFolding(header, "To", unfold(header).mid(4), 80, &problem), qPrintable(problem));
    const AddressListResult parsed = parseAddressList(QString::fromUtf8(unfold(header).mid(4)));
    QVERIFY2(parsed.ok(), qPrintable(parsed.error));
    QCOMPARE(parsed.mailboxes.size(), 1);
    QCOMPARE(parsed.mailboxes.first().address, mailbox.address);
    QString decoded;
    QVERIFY2(
        decodeRfc2047(parsed.mailboxes.first().name.toUtf8(), Where::Phrase, &decoded, &problem),
        qPrintable(problem));
    QCOMPARE(decoded, name);
}

void tst_HeaderEncoding::formatMailbox_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("address");
    QTest::addColumn<QByteArray>("expected");
    QTest::newRow("address only") << QString() << QStringLiteral("a@b.org")
                                  << QByteArray("a@b.org");
    QTest::newRow("atom name") << QStringLiteral("Ann") << QStringLiteral("a@b.org")
                               << QByteArray("Ann <a@b.org>");
    QTest::newRow("quoted name") << QStringLiteral("Doe, Ann") << QStringLiteral("a@b.org")
                                 << QByteArray("\"Doe, Ann\" <a@b.org>");
    QTest::newRow("encoded name") << QStringLiteral("Jürgen") << QStringLiteral("j@x.de")
                                  << QByteArray("=?UTF-8?Q?J=C3=BCrgen?= <j@x.de>");
    QTest::newRow("utf8 address raw")
        << QStringLiteral("Jürgen") << QStringLiteral("jürgen@müller.de")
        << QByteArray("=?UTF-8?Q?J=C3=BCrgen?= <j\xc3\xbcrgen@m\xc3\xbcller.de>");
    QTest::newRow("quoted local part") << QStringLiteral("X") << QStringLiteral("\"a b\"@c.org")
                                       << QByteArray("X <\"a b\"@c.org>");
}

void tst_HeaderEncoding::formatMailbox()
{
    QFETCH(QString, name);
    QFETCH(QString, address);
    QFETCH(QByteArray, expected);
    QCOMPARE(ssmtp::message::formatMailbox({name, address}, encoding()), expected);
}

void tst_HeaderEncoding::formatAddressList()
{
    const QList<Mailbox> list = {
        {QStringLiteral("Doe, John"), QStringLiteral("john@x.org")},
        {QString(), QStringLiteral("jane@y.org")},
        {QStringLiteral("Jürgen"), QStringLiteral("j@z.de")},
    };
    QCOMPARE(
        ssmtp::message::formatAddressList(list, encoding()),
        QByteArray("\"Doe, John\" <john@x.org>, jane@y.org, =?UTF-8?Q?J=C3=BCrgen?= <j@z.de>"));
    QCOMPARE(ssmtp::message::formatAddressList({}, encoding()), QByteArray());

    // A long list folds between addresses and parses back to the same mailboxes.
    QList<Mailbox> many;
    for (int i = 0; i < 30; ++i)
        many.append({QStringLiteral("Person %1, Ümlaut").arg(i),
                     QStringLiteral("person%1@example.org").arg(i)});
    const QByteArray value = ssmtp::message::formatAddressList(many, encoding());
    const QByteArray header = ssmtp::message::foldHeader("To", value, encoding());
    QString problem;
    QVERIFY2(checkFolding(header, "To", value, 80, &problem), qPrintable(problem));
    const AddressListResult parsed = parseAddressList(QString::fromUtf8(unfold(header).mid(4)));
    QVERIFY2(parsed.ok(), qPrintable(parsed.error));
    QCOMPARE(parsed.mailboxes.size(), many.size());
    for (qsizetype i = 0; i < many.size(); ++i) {
        QCOMPARE(parsed.mailboxes.at(i).address, many.at(i).address);
        QString decoded;
        QVERIFY(
            decodeRfc2047(parsed.mailboxes.at(i).name.toUtf8(), Where::Phrase, &decoded, &problem));
        QCOMPARE(decoded, many.at(i).name);
    }
}

void tst_HeaderEncoding::foldHeader_data()
{
    QTest::addColumn<QByteArray>("field");
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<bool>("fold");
    QTest::addColumn<int>("maxLineLength");
    QTest::addColumn<QByteArray>("expected");

    const QByteArray w10 = "abcdefghij";
    QTest::newRow("short") << QByteArray("Subject") << QByteArray("Hello") << true << 80
                           << QByteArray("Subject: Hello");
    QTest::newRow("empty value") << QByteArray("Subject") << QByteArray() << true << 80
                                 << QByteArray("Subject:");
    QTest::newRow("exactly at limit") << QByteArray("X") << QByteArray("123456789 1234567") << true
                                      << 20 << QByteArray("X: 123456789 1234567");
    QTest::newRow("one over limit") << QByteArray("X") << QByteArray("123456789 12345678") << true
                                    << 20 << QByteArray("X: 123456789\r\n 12345678");
    QTest::newRow("greedy fill") << QByteArray("Subject")
                                 << (w10 + ' ' + w10 + ' ' + w10 + ' ' + w10) << true << 30
                                 << QByteArray(
                                        "Subject: abcdefghij abcdefghij\r\n abcdefghij abcdefghij");
    QTest::newRow("tab kept as continuation") << QByteArray("X") << (w10 + '\t' + w10) << true << 15
                                              << QByteArray("X: abcdefghij\r\n\tabcdefghij");
    QTest::newRow("whitespace run moves together")
        << QByteArray("X") << (w10 + "   " + w10) << true << 15
        << QByteArray("X: abcdefghij\r\n   abcdefghij");
    QTest::newRow("long word alone")
        << QByteArray("X") << QByteArray("a " + QByteArray(30, 'b') + " c") << true << 20
        << QByteArray("X: a\r\n " + QByteArray(30, 'b') + "\r\n c");
    QTest::newRow("first word too long")
        << QByteArray("Subject") << QByteArray(QByteArray(30, 'b') + " c") << true << 20
        << QByteArray("Subject:\r\n " + QByteArray(30, 'b') + "\r\n c");
    QTest::newRow("trailing whitespace not a break")
        << QByteArray("X") << QByteArray("aaaaaaaaaa bbbbbbbbbb     ") << true << 15
        << QByteArray("X: aaaaaaaaaa\r\n bbbbbbbbbb     ");
    QTest::newRow("no fold") << QByteArray("X") << (w10 + ' ' + w10 + ' ' + w10) << false << 15
                             << QByteArray("X: abcdefghij abcdefghij abcdefghij");
    const QByteArray words = QByteArray("word ").repeated(250); // 1250 octets
    QTest::newRow("no fold still capped at 998")
        << QByteArray("X") << words.trimmed() << false << 80
        << ("X: " + QByteArray("word ").repeated(198) + "word\r\n " +
            QByteArray("word ").repeated(51).trimmed());
    QTest::newRow("non-positive limit means 998")
        << QByteArray("X") << QByteArray("a b c") << true << 0 << QByteArray("X: a b c");
    QTest::newRow("crlf injection neutralised")
        << QByteArray("Subject") << QByteArray("hi\r\nBcc: evil@x") << true << 80
        << QByteArray("Subject: hi Bcc: evil@x");
    QTest::newRow("bare lf neutralised") << QByteArray("Subject") << QByteArray("hi\nthere\r")
                                         << true << 80 << QByteArray("Subject: hi there ");
    QTest::newRow("existing fold unfolded") << QByteArray("Subject") << QByteArray("hi\r\n there")
                                            << true << 80 << QByteArray("Subject: hi there");
}

void tst_HeaderEncoding::foldHeader()
{
    QFETCH(QByteArray, field);
    QFETCH(QByteArray, value);
    QFETCH(bool, fold);
    QFETCH(int, maxLineLength);
    QFETCH(QByteArray, expected);

    const QByteArray header =
        ssmtp::message::foldHeader(field, value, encoding(QByteArray(), maxLineLength, fold));
    QCOMPARE(header, expected);
    if (!value.contains('\r') && !value.contains('\n')) {
        QString problem;
        const int limit = !fold || maxLineLength <= 0 ? 998 : maxLineLength;
        QVERIFY2(checkFolding(header, field, value, limit, &problem), qPrintable(problem));
    }
}

void tst_HeaderEncoding::foldHeaderRandom()
{
    QRandomGenerator rng(7);
    const char *separators[] = {" ", " ", " ", "  ", "\t", " \t "};
    for (int round = 0; round < 2000; ++round) {
        QByteArray value;
        const int wordCount = rng.bounded(0, 40);
        for (int w = 0; w < wordCount; ++w) {
            if (w > 0 || rng.bounded(8) == 0)
                value += separators[rng.bounded(6)];
            const int length = rng.bounded(10) == 0 ? rng.bounded(60, 120) : rng.bounded(1, 25);
            value += QByteArray(length, static_cast<char>('a' + rng.bounded(26)));
        }
        if (rng.bounded(8) == 0)
            value += ' ';
        const int limits[] = {20, 40, 76, 78, 80};
        const int limit = limits[rng.bounded(5)];
        const QByteArray field = rng.bounded(2) ? QByteArray("Subject") : QByteArray("X-Long-Name");
        const QByteArray header =
            ssmtp::message::foldHeader(field, value, encoding(QByteArray(), limit));
        QString problem;
        QVERIFY2(checkFolding(header, field, value, limit, &problem),
                 qPrintable(problem + QLatin1String(":\n") + QLatin1String(header)));

        // Greedy: a line is only ended when the next segment would not fit on it.
        const QList<QByteArray> lines = header.split('\n');
        for (qsizetype k = 0; k + 1 < lines.size(); ++k) {
            // The next line's first segment: its leading whitespace and word, up to the next
            // whitespace that is followed by more text (trailing whitespace belongs to it).
            QByteArray next = lines.at(k + 1);
            if (next.endsWith('\r'))
                next.chop(1);
            qsizetype segment = 0;
            while (isWsp(next.at(segment)))
                ++segment;
            while (segment < next.size() &&
                   !(isWsp(next.at(segment)) && !next.mid(segment).trimmed().isEmpty()))
                ++segment;
            const qsizetype used = lines.at(k).size() - 1; // without '\r'
            QVERIFY2(used + segment > limit,
                     qPrintable(QStringLiteral("line %1 folded early:\n").arg(k) +
                                QLatin1String(header)));
        }
    }
}

void tst_HeaderEncoding::containsLineBreak_data()
{
    QTest::addColumn<QString>("value");
    QTest::addColumn<bool>("expected");
    QTest::newRow("plain") << QStringLiteral("Hello") << false;
    QTest::newRow("empty") << QString() << false;
    QTest::newRow("tab") << QStringLiteral("a\tb") << false;
    QTest::newRow("cr") << QStringLiteral("a\rb") << true;
    QTest::newRow("lf") << QStringLiteral("a\nb") << true;
    QTest::newRow("crlf") << QStringLiteral("a\r\nBcc: x@y") << true;
    QTest::newRow("trailing lf") << QStringLiteral("a\n") << true;
}

void tst_HeaderEncoding::containsLineBreak()
{
    QFETCH(QString, value);
    QFETCH(bool, expected);
    QCOMPARE(ssmtp::message::containsLineBreak(value), expected);
}

QTEST_APPLESS_MAIN(tst_HeaderEncoding)

#include "tst_headerencoding.moc"
