#include "headerencoding.h"

#include <QStringDecoder>
#include <QStringEncoder>

namespace ssmtp::message {

namespace {

constexpr int kMaxEncodedWord = 75; // RFC 2047 2
constexpr int kMinEncodedWord = 30; // floor when a tiny MaxHeaderLength is configured
constexpr int kMaxLine = 998;       // RFC 5322 2.1.1, CRLF excluded
// A plain word longer than this could not fit a 998-octet line after the field name, so
// it is sent as encoded words, which can be split and folded.
constexpr qsizetype kMaxPlainWord = 900;

constexpr char kHexDigits[] = "0123456789ABCDEF";

// Where the encoded word stands decides which characters "Q" may leave literal.
enum class Context {
    Text,  // unstructured text (RFC 2047 5(1))
    Phrase // display name (RFC 2047 5(3): letters, digits and ! * + - / only)
};

bool isWsp(QChar c)
{
    return c == QLatin1Char(' ') || c == QLatin1Char('\t');
}

bool isAtextAscii(char16_t u)
{
    if ((u >= u'a' && u <= u'z') || (u >= u'A' && u <= u'Z') || (u >= u'0' && u <= u'9'))
        return true;
    return u < 0x80 && QLatin1String("!#$%&'*+-/=?^_`{|}~").contains(QChar(u));
}

bool isPrintableAscii(QChar c)
{
    return c.unicode() >= 0x21 && c.unicode() <= 0x7E;
}

bool isQLiteral(uchar c, Context context)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return true;
    if (context == Context::Phrase)
        return c == '!' || c == '*' || c == '+' || c == '-' || c == '/';
    // '=', '?' and '_' are Q syntax; space is written as '_' by the caller.
    return c > 0x20 && c < 0x7F && c != '=' && c != '?' && c != '_';
}

int qLength(QByteArrayView bytes, Context context)
{
    int length = 0;
    for (const char c : bytes)
        length += (c == ' ' || isQLiteral(static_cast<uchar>(c), context)) ? 1 : 3;
    return length;
}

int bLength(QByteArrayView bytes)
{
    return static_cast<int>((bytes.size() + 2) / 3 * 4);
}

QByteArray qEncode(QByteArrayView bytes, Context context)
{
    QByteArray out;
    out.reserve(bytes.size() * 3);
    for (const char ch : bytes) {
        const uchar c = static_cast<uchar>(ch);
        if (c == ' ') {
            out.append('_');
        } else if (isQLiteral(c, context)) {
            out.append(ch);
        } else {
            out.append('=');
            out.append(kHexDigits[c >> 4]);
            out.append(kHexDigits[c & 0xF]);
        }
    }
    return out;
}

// The charset encoded words are written in: the configured one when Qt knows it and it is
// ASCII-compatible (UTF-16/32 are not usable in headers), UTF-8 otherwise.
class Charset
{
public:
    explicit Charset(const QByteArray &name)
    {
        if (name.isEmpty() || isUtf8Name(name) || !isToken(name))
            return;
        QStringEncoder probe(name.constData(), QStringConverter::Flag::Stateless);
        if (!probe.isValid())
            return;
        const QByteArray ascii = probe.encode(QStringView(u"Az09!~"));
        if (probe.hasError() || ascii != "Az09!~")
            return;
        m_name = name;
    }

    bool isUtf8() const { return m_name.isEmpty(); }
    QByteArray label() const { return isUtf8() ? QByteArrayLiteral("UTF-8") : m_name; }

    // Encodes text; false when it is not representable (checked by a lossless round trip,
    // since some codecs substitute silently).
    bool encode(QStringView text, QByteArray *bytes) const
    {
        if (isUtf8()) {
            *bytes = text.toUtf8();
            return true;
        }
        // Qt does not flush stateful encoders (ISO-2022-JP would end in JIS X 0208 mode, but
        // each encoded word must return to ASCII): encoding a trailing LF forces the shift
        // back, and the LF is then dropped.
        QStringEncoder encoder(m_name.constData(), QStringConverter::Flag::Stateless);
        *bytes = encoder.encode(text);
        *bytes += encoder.encode(QStringView(u"\n"));
        if (encoder.hasError() || !bytes->endsWith('\n'))
            return false;
        bytes->chop(1);
        QStringDecoder decoder(m_name.constData(), QStringConverter::Flag::Stateless);
        const QString back = decoder.decode(*bytes);
        return !decoder.hasError() && back == text;
    }

    static Charset utf8() { return Charset(QByteArray()); }

private:
    static bool isUtf8Name(const QByteArray &name)
    {
        return name.compare("UTF-8", Qt::CaseInsensitive) == 0 ||
               name.compare("UTF8", Qt::CaseInsensitive) == 0;
    }

    // RFC 2047 charset = token: no space, control or especial.
    static bool isToken(const QByteArray &name)
    {
        for (const char c : name) {
            if (c <= ' ' || c >= 0x7F || QByteArrayView("()<>@,;:\"/[]?.=").contains(c))
                return false;
        }
        return true;
    }

    QByteArray m_name; // empty: UTF-8
};

int encodedWordLimit(const HeaderEncoding &enc)
{
    // Each encoded word must fit a continuation line on its own (" " + word).
    if (!enc.fold || enc.maxLineLength <= 0)
        return kMaxEncodedWord;
    return qBound(kMinEncodedWord, enc.maxLineLength - 1, kMaxEncodedWord);
}

qsizetype nextCodePoint(QStringView text, qsizetype i)
{
    if (text.at(i).isHighSurrogate() && i + 1 < text.size() && text.at(i + 1).isLowSurrogate())
        return i + 2;
    return i + 1;
}

// Writes text as encoded words separated by single spaces (folding whitespace that
// decoders drop, so any whitespace of the text itself is inside the encoded text). Each
// word holds whole characters and is at most `limit` octets; `firstLimit` applies to the
// first word (room left on the current line), when it can hold at least one character.
void appendEncodedWords(QStringView text, const Charset &preferred, Context context, int limit,
                        int firstLimit, QByteArray &out)
{
    Charset charset = preferred;
    QByteArray all;
    if (!charset.encode(text, &all)) {
        charset = Charset::utf8();
        charset.encode(text, &all);
    }
    const QByteArray label = charset.label();
    const bool base64 = bLength(all) < qLength(all, context);
    const QByteArray prefix = "=?" + label + (base64 ? "?B?" : "?Q?");
    const int overhead = static_cast<int>(prefix.size()) + 2;
    auto wordLength = [&](QByteArrayView bytes) {
        return overhead + (base64 ? bLength(bytes) : qLength(bytes, context));
    };

    QByteArray bytes;
    QByteArray candidate;
    qsizetype start = 0;
    bool first = true;
    while (start < text.size()) {
        qsizetype end = nextCodePoint(text, start);
        charset.encode(text.sliced(start, end - start), &bytes);
        int max = limit;
        if (first && firstLimit < limit && wordLength(bytes) <= firstLimit)
            max = firstLimit;
        // Grow the word one character at a time (re-encoding the whole word keeps stateful
        // charsets such as ISO-2022-JP correct) until the next would not fit.
        while (end < text.size()) {
            const qsizetype next = nextCodePoint(text, end);
            charset.encode(text.sliced(start, next - start), &candidate);
            if (wordLength(candidate) > max)
                break;
            end = next;
            bytes.swap(candidate);
        }
        if (!first)
            out.append(' ');
        out.append(prefix);
        out.append(base64 ? bytes.toBase64() : qEncode(bytes, context));
        out.append("?=", 2);
        first = false;
        start = end;
    }
}

struct Word
{
    QStringView text;
    bool whitespace;
};

// Splits text into alternating runs of whitespace and non-whitespace, keeping everything.
QList<Word> splitWords(QStringView text)
{
    QList<Word> words;
    qsizetype i = 0;
    while (i < text.size()) {
        const bool space = isWsp(text.at(i));
        qsizetype j = i + 1;
        while (j < text.size() && isWsp(text.at(j)) == space)
            ++j;
        words.append({text.sliced(i, j - i), space});
        i = j;
    }
    return words;
}

// A word that cannot be written as it is in unstructured text.
bool needsEncoding(QStringView word)
{
    if (word.size() > kMaxPlainWord || word.contains(QLatin1String("=?")))
        return true;
    for (const QChar c : word) {
        if (!isPrintableAscii(c))
            return true;
    }
    return false;
}

// Writes the words, plain ones as they are and each maximal run of words needing encoding
// (with the whitespace between them) as encoded words. `encode(i)` says whether word i
// needs encoding; whitespace outside runs is kept literally.
template<typename NeedsEncoding>
QByteArray encodeWords(QStringView text, const QList<Word> &words, NeedsEncoding encode,
                       const HeaderEncoding &enc, Context context, int firstLineUsed)
{
    const Charset charset(enc.charset);
    const int limit = encodedWordLimit(enc);
    QByteArray out;
    out.reserve(text.size() * 2);
    qsizetype i = 0;
    while (i < words.size()) {
        if (words.at(i).whitespace || !encode(i)) {
            out.append(words.at(i).text.toLatin1());
            ++i;
            continue;
        }
        // Extend the run over "whitespace + word needing encoding" pairs.
        qsizetype last = i;
        while (last + 2 < words.size() && encode(last + 2))
            last += 2;
        const qsizetype begin = words.at(i).text.data() - text.data();
        const qsizetype end = words.at(last).text.data() + words.at(last).text.size() - text.data();
        // Only the very first word can start on the field's line; elsewhere the column is
        // unknown and the fold moves the word instead.
        const int firstLimit = (out.isEmpty() && enc.fold && enc.maxLineLength > 0)
                                   ? enc.maxLineLength - firstLineUsed
                                   : limit;
        appendEncodedWords(text.sliced(begin, end - begin), charset, context, limit, firstLimit,
                           out);
        i = last + 1;
    }
    return out;
}

bool isAtomPhrase(QStringView name)
{
    // Atoms separated by single spaces: the only form that needs neither quotes nor encoding.
    if (name.isEmpty() || name.front() == QLatin1Char(' ') || name.back() == QLatin1Char(' ') ||
        name.contains(QLatin1String("  ")) || name.contains(QLatin1String("=?")))
        return false;
    for (const QChar c : name) {
        if (c != QLatin1Char(' ') && !isAtextAscii(c.unicode()))
            return false;
    }
    return true;
}

QByteArray quotedString(QStringView name)
{
    QByteArray out;
    out.reserve(name.size() + 8);
    out.append('"');
    for (const QChar c : name) {
        if (c == QLatin1Char('"') || c == QLatin1Char('\\'))
            out.append('\\');
        out.append(c.toLatin1());
    }
    out.append('"');
    return out;
}

// Undoes folds already present (CRLF + WSP) and turns any other CR or LF into a space, so
// that no value can inject header lines even when a caller skipped containsLineBreak().
QByteArray withoutLineBreaks(QByteArrayView value)
{
    QByteArray out;
    out.reserve(value.size());
    for (qsizetype i = 0; i < value.size(); ++i) {
        const char c = value[i];
        if (c != '\r' && c != '\n') {
            out.append(c);
            continue;
        }
        if (c == '\r' && i + 1 < value.size() && value[i + 1] == '\n')
            ++i;
        const bool fold = i + 1 < value.size() && (value[i + 1] == ' ' || value[i + 1] == '\t');
        if (!fold)
            out.append(' ');
    }
    return out;
}

} // namespace

QByteArray encodeUnstructured(const QString &text, const HeaderEncoding &enc, int firstLineUsed)
{
    const QList<Word> words = splitWords(text);
    return encodeWords(
        text, words, [&](qsizetype i) { return needsEncoding(words.at(i).text); }, enc,
        Context::Text, firstLineUsed);
}

QByteArray encodePhrase(const QString &name, const HeaderEncoding &enc)
{
    if (name.isEmpty())
        return {};

    bool ascii = true; // printable ASCII and space only
    for (const QChar c : name) {
        if (c != QLatin1Char(' ') && !isPrintableAscii(c)) {
            ascii = false;
            break;
        }
    }
    const QList<Word> words = splitWords(name);
    bool hasLongWord = false;
    for (const Word &w : words)
        hasLongWord = hasLongWord || (!w.whitespace && w.text.size() > kMaxPlainWord);

    // "=?" would be safe in a quoted-string per RFC 2047 5(3), but common decoders decode
    // encoded words even there, so such a name is encoded as well.
    if (ascii && !hasLongWord && !name.contains(QLatin1String("=?")))
        return isAtomPhrase(name) ? name.toLatin1() : quotedString(name);

    // Mixed form when every ASCII word is a plain atom and spacing is single spaces: atoms
    // stay readable, runs of other words become encoded words. Otherwise the whole name is
    // encoded, since an encoded word may not appear inside a quoted-string.
    bool mixed = !name.startsWith(QLatin1Char(' ')) && !name.endsWith(QLatin1Char(' '));
    QList<bool> encode(words.size(), false);
    for (qsizetype i = 0; mixed && i < words.size(); ++i) {
        const QStringView w = words.at(i).text;
        if (words.at(i).whitespace) {
            mixed = w == QLatin1String(" ");
            continue;
        }
        bool plainAscii = true;
        for (const QChar c : w)
            plainAscii = plainAscii && c.unicode() < 0x80;
        if (plainAscii)
            mixed = isAtomPhrase(w) && w.size() <= kMaxPlainWord;
        else
            encode[i] = true;
    }
    if (!mixed) {
        QByteArray out;
        appendEncodedWords(name, Charset(enc.charset), Context::Phrase, encodedWordLimit(enc),
                           encodedWordLimit(enc), out);
        return out;
    }
    return encodeWords(
        name, words, [&](qsizetype i) { return encode.at(i); }, enc, Context::Phrase, 0);
}

QByteArray formatMailbox(const Mailbox &mailbox, const HeaderEncoding &enc)
{
    if (mailbox.name.isEmpty())
        return mailbox.address.toUtf8();
    return encodePhrase(mailbox.name, enc) + " <" + mailbox.address.toUtf8() + '>';
}

QByteArray formatAddressList(const QList<Mailbox> &mailboxes, const HeaderEncoding &enc)
{
    QByteArray out;
    for (const Mailbox &mailbox : mailboxes) {
        if (!out.isEmpty())
            out.append(", ", 2);
        out.append(formatMailbox(mailbox, enc));
    }
    return out;
}

QByteArray foldHeader(QByteArrayView field, QByteArrayView value, const HeaderEncoding &enc)
{
    const QByteArray cleanValue = withoutLineBreaks(value);
    QByteArray line = field.toByteArray() + ':';
    if (!cleanValue.isEmpty())
        line += ' ' + cleanValue;

    // Without folding the header stays one line unless it would break the hard limit.
    const qsizetype limit = !enc.fold || enc.maxLineLength <= 0 || enc.maxLineLength > kMaxLine
                                ? kMaxLine
                                : enc.maxLineLength;
    if (line.size() <= limit)
        return line;

    // Break candidates: the start of each whitespace run inside the value that is followed
    // by more text, so no continuation line is whitespace only. The CRLF goes before the
    // whitespace, which then begins the continuation line: unfolding (removing the CRLFs)
    // gives back the value exactly.
    qsizetype lastText = line.size() - 1;
    while (lastText > 0 && (line[lastText] == ' ' || line[lastText] == '\t'))
        --lastText;
    QByteArray out;
    out.reserve(line.size() + line.size() / 16 + 8);
    qsizetype lineStart = 0;    // in `line`, start of the current output line
    qsizetype segmentStart = 0; // start of the segment not yet committed to the output
    auto isBreak = [&](qsizetype i) {
        return i > field.size() && i < lastText && (line[i] == ' ' || line[i] == '\t') &&
               line[i - 1] != ' ' && line[i - 1] != '\t';
    };
    for (qsizetype i = field.size() + 1; i <= line.size(); ++i) {
        if (i < line.size() && !isBreak(i))
            continue;
        // [segmentStart, i) is the next unbreakable segment.
        if (i - lineStart > limit && segmentStart > lineStart) {
            out.append(line.constData() + lineStart, segmentStart - lineStart);
            out.append("\r\n", 2);
            lineStart = segmentStart;
        }
        segmentStart = i;
    }
    out.append(line.constData() + lineStart, line.size() - lineStart);
    return out;
}

bool containsLineBreak(const QString &value)
{
    return value.contains(QLatin1Char('\r')) || value.contains(QLatin1Char('\n'));
}

QByteArray unstructuredHeader(QByteArrayView field, const QString &text, const HeaderEncoding &enc)
{
    return foldHeader(field, encodeUnstructured(text, enc, static_cast<int>(field.size()) + 2),
                      enc);
}

} // namespace ssmtp::message
