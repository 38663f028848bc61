#include "transferencoding.h"

namespace ssmtp::message {

namespace {

constexpr qsizetype kMaxEncodedLine = 76; // RFC 2045 6.7 (5) and 6.8
constexpr qsizetype kMaxSmtpLine = 998;   // RFC 5321 4.5.3.1.6, CRLF excluded

constexpr char kHexDigits[] = "0123456789ABCDEF";

bool isLineBreak(char c)
{
    return c == '\r' || c == '\n';
}

// Literal in quoted-printable: printable ASCII except '=' (RFC 2045 6.7 (2)). Whitespace
// is handled separately because it is literal only when not at the end of a line.
bool isQpLiteral(uchar c)
{
    return c >= 33 && c <= 126 && c != '=';
}

// Encodes one logical line (no line break inside) into out, inserting soft line breaks
// so that no physical line exceeds 76 characters, the '=' of a soft break included.
void encodeQpLine(QByteArrayView line, QByteArray &out)
{
    qsizetype column = 0;
    char escaped[3] = {'=', 0, 0};
    for (qsizetype i = 0; i < line.size(); ++i) {
        const uchar c = static_cast<uchar>(line[i]);
        const bool last = i + 1 == line.size();

        // Decide at the physical position, since a soft break may move the character to a
        // new line start. '.' and "From " are escaped there: '.' alone on a line ends DATA
        // on a server that skips dot-stuffing, and mbox writers mangle "From ".
        auto needsEscape = [&](qsizetype col) {
            if (col == 0 && (c == '.' || (c == 'F' && line.sliced(i).startsWith("From "))))
                return true;
            if (c == ' ' || c == '\t')
                return last; // trailing whitespace would be stripped in transit
            return !isQpLiteral(c);
        };

        qsizetype width = needsEscape(column) ? 3 : 1;
        // The last character of the line may use column 76; any other must leave room for
        // the '=' of a soft break.
        if (column + width > (last ? kMaxEncodedLine : kMaxEncodedLine - 1)) {
            out.append("=\r\n", 3);
            column = 0;
            width = needsEscape(column) ? 3 : 1;
        }
        if (width == 3) {
            escaped[1] = kHexDigits[c >> 4];
            escaped[2] = kHexDigits[c & 0xF];
            out.append(escaped, 3);
        } else {
            out.append(static_cast<char>(c));
        }
        column += width;
    }
}

} // namespace

QByteArray encodeQuotedPrintable(QByteArrayView text)
{
    QByteArray out;
    out.reserve(text.size() + text.size() / 8 + 16);
    qsizetype start = 0;
    while (start <= text.size()) {
        qsizetype end = start;
        while (end < text.size() && !isLineBreak(text[end]))
            ++end;
        encodeQpLine(text.sliced(start, end - start), out);
        if (end == text.size())
            break;
        out.append("\r\n", 2); // hard break: CRLF, LF and CR alike
        start = end + (text[end] == '\r' && end + 1 < text.size() && text[end + 1] == '\n' ? 2 : 1);
    }
    return out;
}

QByteArray encodeBase64Lines(QByteArrayView data)
{
    const QByteArray encoded = data.toByteArray().toBase64();
    QByteArray out;
    out.reserve(encoded.size() + (encoded.size() / kMaxEncodedLine + 1) * 2);
    for (qsizetype pos = 0; pos < encoded.size(); pos += kMaxEncodedLine) {
        out.append(encoded.constData() + pos, qMin(kMaxEncodedLine, encoded.size() - pos));
        out.append("\r\n", 2);
    }
    return out;
}

TransferEncoding chooseTextEncoding(QByteArrayView utf8Text)
{
    bool sevenBitSafe = true;
    qsizetype escaped = 0; // octets quoted-printable would write as =XX
    qsizetype lineLength = 0;
    for (const char ch : utf8Text) {
        const uchar c = static_cast<uchar>(ch);
        if (c == '\r' || c == '\n') {
            lineLength = 0;
            continue;
        }
        if (++lineLength > kMaxSmtpLine)
            sevenBitSafe = false;
        if (c >= 0x80 || c == 0) {
            sevenBitSafe = false;
            ++escaped;
        } else if (c == '=' || (c < 0x20 && c != '\t') || c == 0x7F) {
            ++escaped;
        }
    }
    if (sevenBitSafe)
        return TransferEncoding::SevenBit;
    // Each escaped octet triples in quoted-printable; base64 costs a flat 4/3. Past about a
    // third of escaped octets (e.g. Cyrillic or CJK text), base64 is the smaller encoding.
    return escaped * 3 > utf8Text.size() ? TransferEncoding::Base64
                                         : TransferEncoding::QuotedPrintable;
}

} // namespace ssmtp::message
