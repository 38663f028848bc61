#include "mimeheaders.h"

#include <QRandomGenerator>

namespace ssmtp::message {

namespace {

constexpr qsizetype kMaxQuotedParameter = 900; // keeps "Content-Disposition: ...; x" < 998
constexpr int kParameterLine = 78;             // RFC 5322 2.1.1 recommendation

constexpr char kHexDigits[] = "0123456789ABCDEF";

bool isTspecial(char c)
{
    switch (c) {
    case '(':
    case ')':
    case '<':
    case '>':
    case '@':
    case ',':
    case ';':
    case ':':
    case '\\':
    case '"':
    case '/':
    case '[':
    case ']':
    case '?':
    case '=':
        return true;
    default:
        return false;
    }
}

bool isTokenChar(char c)
{
    const uchar u = static_cast<uchar>(c);
    return u > 32 && u < 127 && !isTspecial(c);
}

// RFC 2231 attribute-char minus '*', '\'' and '%' (RFC 5987 attr-char).
bool isAttrChar(uchar c)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return true;
    switch (c) {
    case '!':
    case '#':
    case '$':
    case '&':
    case '+':
    case '-':
    case '.':
    case '^':
    case '_':
    case '`':
    case '|':
    case '~':
        return true;
    default:
        return false;
    }
}

void appendPercentEncoded(QByteArrayView utf8, QByteArray &out)
{
    for (const char ch : utf8) {
        const uchar c = static_cast<uchar>(ch);
        if (isAttrChar(c)) {
            out.append(ch);
        } else {
            out.append('%');
            out.append(kHexDigits[c >> 4]);
            out.append(kHexDigits[c & 0xF]);
        }
    }
}

QByteArray trimmed(QByteArrayView v)
{
    return v.toByteArray().trimmed();
}

} // namespace

bool isMimeToken(QByteArrayView text)
{
    if (text.isEmpty())
        return false;
    for (const char c : text) {
        if (!isTokenChar(c))
            return false;
    }
    return true;
}

bool isQuotableAscii(const QString &text)
{
    for (const QChar c : text) {
        const char16_t u = c.unicode();
        if (u < 0x20 || u >= 0x7F)
            return false;
    }
    return true;
}

QByteArray quoteMimeString(QByteArrayView text)
{
    QByteArray out;
    out.reserve(text.size() + 2);
    out.append('"');
    for (const char c : text) {
        if (c == '"' || c == '\\')
            out.append('\\');
        out.append(c);
    }
    out.append('"');
    return out;
}

QByteArray percentEncodeRfc2231(QByteArrayView utf8)
{
    QByteArray out;
    out.reserve(utf8.size() * 3);
    appendPercentEncoded(utf8, out);
    return out;
}

QList<QByteArray> encodeMimeParameter(QByteArrayView attribute, const QString &value)
{
    const QByteArray attr = attribute.toByteArray();
    if (isQuotableAscii(value) && !value.contains(QLatin1String("=?"))) {
        // The limit counts the quoted form: escapes double '"' and '\\'.
        const QByteArray quoted = quoteMimeString(value.toLatin1());
        if (quoted.size() <= kMaxQuotedParameter)
            return {attr + '=' + quoted};
    }

    static constexpr char prefix[] = "UTF-8''";
    const QByteArray utf8 = value.toUtf8();
    QByteArray whole = prefix;
    appendPercentEncoded(utf8, whole);
    // " attr*=value;" on one line of at most 78 octets.
    if (1 + attr.size() + 2 + whole.size() + 1 <= kParameterLine)
        return {attr + "*=" + whole};

    // Continuations: " attr*NN*=segment;" per line. Characters are kept whole: a segment
    // boundary only falls before a byte that does not continue a UTF-8 sequence.
    const qsizetype budget = qMax<qsizetype>(24, kParameterLine - 1 - attr.size() - 6 - 1);
    QList<QByteArray> segments;
    QByteArray current = prefix;
    qsizetype i = 0;
    while (i < utf8.size()) {
        qsizetype end = i + 1;
        while (end < utf8.size() && (static_cast<uchar>(utf8[end]) & 0xC0) == 0x80)
            ++end;
        QByteArray piece;
        appendPercentEncoded(QByteArrayView(utf8).sliced(i, end - i), piece);
        if (current.size() + piece.size() > budget &&
            current.size() > qsizetype(sizeof(prefix)) - 1) {
            segments.append(current);
            current.clear();
        }
        current += piece;
        i = end;
    }
    segments.append(current);
    QList<QByteArray> out;
    out.reserve(segments.size());
    for (qsizetype n = 0; n < segments.size(); ++n)
        out.append(attr + '*' + QByteArray::number(n) + "*=" + segments.at(n));
    return out;
}

bool MediaType::hasParameter(QByteArrayView lowerName) const
{
    for (const QByteArray &n : parameterNames) {
        if (n == lowerName)
            return true;
    }
    return false;
}

MediaType parseMediaType(const QString &text)
{
    MediaType result;
    if (!isQuotableAscii(QString(text).replace(QLatin1Char('\t'), QLatin1Char(' '))))
        return result;
    const QByteArray bytes = text.toLatin1();

    // Split at ';' outside quoted strings.
    QList<QByteArray> items;
    QByteArray current;
    bool quoted = false;
    for (qsizetype i = 0; i < bytes.size(); ++i) {
        const char c = bytes[i];
        if (quoted) {
            current.append(c);
            if (c == '\\' && i + 1 < bytes.size()) {
                current.append(bytes[++i]);
            } else if (c == '"') {
                quoted = false;
            }
            continue;
        }
        if (c == '"')
            quoted = true;
        if (c == ';') {
            items.append(trimmed(current));
            current.clear();
            continue;
        }
        current.append(c);
    }
    if (quoted)
        return result;
    items.append(trimmed(current));

    const QByteArray type = items.takeFirst();
    const qsizetype slash = type.indexOf('/');
    if (slash <= 0 || !isMimeToken(type.left(slash)) || !isMimeToken(type.mid(slash + 1)))
        return result;
    result.type = type.toLower();

    for (const QByteArray &item : std::as_const(items)) {
        if (item.isEmpty())
            continue; // a trailing ';' is tolerated
        const qsizetype eq = item.indexOf('=');
        if (eq <= 0)
            return result;
        const QByteArray name = trimmed(QByteArrayView(item).first(eq));
        const QByteArray value = trimmed(QByteArrayView(item).sliced(eq + 1));
        if (!isMimeToken(name))
            return result;
        const bool quotedValue = value.size() >= 2 && value.startsWith('"') && value.endsWith('"');
        if (!quotedValue && !isMimeToken(value) && !name.endsWith('*'))
            return result;
        if (name.endsWith('*')) {
            // RFC 2231 extended value: attribute-chars and %XX, plus the charset'lang' prefix.
            for (const char c : value) {
                if (!isTokenChar(c) && c != '\'')
                    return result;
            }
        }
        const qsizetype star = name.indexOf('*');
        result.parameterNames.append((star < 0 ? name : name.left(star)).toLower());
        result.parameters.append(name + '=' + value);
    }
    result.valid = true;
    return result;
}

QByteArray foldParameterHeader(QByteArrayView field, QByteArrayView value,
                               const QList<QByteArray> &parameters, const HeaderEncoding &enc)
{
    const int limit = enc.fold && enc.maxLineLength >= 20 && enc.maxLineLength <= 998
                          ? enc.maxLineLength
                          : kParameterLine;
    QByteArray out = field.toByteArray() + ": " + value.toByteArray();
    qsizetype lineStart = 0;
    for (const QByteArray &p : parameters) {
        // "; p" on this line, or ";" CRLF " p" on the next; the ';' ends the current line.
        const qsizetype column = out.size() - lineStart;
        if (column + 2 + p.size() + 1 <= limit) {
            out += "; ";
        } else {
            out += ";\r\n ";
            lineStart = out.size() - 1;
        }
        out += p;
    }
    return out;
}

QByteArray generateBoundary()
{
    quint32 random[6];
    QRandomGenerator::system()->fillRange(random);
    const QByteArray bytes(reinterpret_cast<const char *>(random), sizeof(random));
    return "=_" + bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

} // namespace ssmtp::message
