#include "smimecanonical.h"

#include "message/transferencoding.h"

#include <QCoreApplication>
#include <QList>

#include <cstring>

namespace ssmtp::smime {

namespace {

using message::TransferEncoding;

constexpr qsizetype kMaxLine = 998; // RFC 5322 2.1.1, CRLF excluded
constexpr int kMaxDepth = 32;

// One line of raw input: [start, end) is its text, [end, next) its line break (CRLF, LF, CR or
// nothing at the end of the data).
struct Line
{
    qsizetype start = 0;
    qsizetype end = 0;
    qsizetype next = 0;
};

Line lineAt(QByteArrayView data, qsizetype pos)
{
    Line line{pos, pos, pos};
    const char *begin = data.data();
    const qsizetype size = data.size();
    qsizetype i = pos;
    while (i < size && begin[i] != '\n' && begin[i] != '\r')
        ++i;
    line.end = i;
    if (i < size)
        line.next = (begin[i] == '\r' && i + 1 < size && begin[i + 1] == '\n') ? i + 2 : i + 1;
    else
        line.next = i;
    return line;
}

// Appends data with every line break (CRLF, LF, CR) written as CRLF.
void appendCrlf(QByteArray &out, QByteArrayView data)
{
    const char *p = data.data();
    const qsizetype size = data.size();
    qsizetype runStart = 0;
    for (qsizetype i = 0; i < size; ++i) {
        const char c = p[i];
        if (c == '\n') {
            out.append(p + runStart, i - runStart);
            out.append("\r\n", 2);
            runStart = i + 1;
        } else if (c == '\r') {
            out.append(p + runStart, i - runStart);
            out.append("\r\n", 2);
            if (i + 1 < size && p[i + 1] == '\n')
                ++i;
            runStart = i + 1;
        }
    }
    out.append(p + runStart, size - runStart);
}

QByteArray withCrlf(QByteArrayView data)
{
    QByteArray out;
    out.reserve(data.size() + data.size() / 32 + 2);
    appendCrlf(out, data);
    return out;
}

// memchr over [from, to) of p; nullptr when absent or the range is empty.
const char *findByte(const char *p, qsizetype from, qsizetype to, char c)
{
    if (to <= from)
        return nullptr;
    return static_cast<const char *>(std::memchr(p + from, c, static_cast<size_t>(to - from)));
}

bool hasHighBit(QByteArrayView data)
{
    const uchar *p = reinterpret_cast<const uchar *>(data.data());
    const qsizetype size = data.size();
    qsizetype i = 0;
    // Word at a time (memcpy: no alignment assumption); the compiler vectorises the OR.
    for (; i + 64 <= size; i += 64) {
        quint64 acc = 0;
        for (int k = 0; k < 8; ++k) {
            quint64 word;
            std::memcpy(&word, p + i + k * 8, sizeof word);
            acc |= word;
        }
        if (acc & Q_UINT64_C(0x8080808080808080))
            return true;
    }
    for (; i < size; ++i) {
        if (p[i] & 0x80)
            return true;
    }
    return false;
}

bool hasNul(QByteArrayView data)
{
    return findByte(data.data(), 0, data.size(), '\0') != nullptr;
}

// Lines that a 7-bit relay or an mbox writer may alter: over 998 octets, ending in whitespace,
// starting with "From ". Expects CRLF line breaks.
bool hasFragileLine(QByteArrayView data)
{
    const char *p = data.data();
    const qsizetype size = data.size();
    qsizetype start = 0;
    while (start < size) {
        const char *lf = findByte(p, start, size, '\n');
        qsizetype end = lf ? lf - p : size;
        const qsizetype next = lf ? end + 1 : size;
        if (lf && end > start && p[end - 1] == '\r')
            --end;
        const qsizetype length = end - start;
        if (length > kMaxLine)
            return true;
        if (length > 0 && (p[end - 1] == ' ' || p[end - 1] == '\t'))
            return true;
        if (length >= 5 && std::memcmp(p + start, "From ", 5) == 0)
            return true;
        start = next;
    }
    return false;
}

// True when every line break is CRLF (no bare CR or LF).
bool hasOnlyCrlf(QByteArrayView data)
{
    const char *p = data.data();
    const qsizetype size = data.size();
    qsizetype lfCount = 0;
    qsizetype start = 0;
    while (start < size) {
        const char *lf = findByte(p, start, size, '\n');
        if (!lf)
            break;
        const qsizetype at = lf - p;
        if (at == 0 || p[at - 1] != '\r')
            return false;
        ++lfCount;
        start = at + 1;
    }
    qsizetype crCount = 0;
    for (qsizetype i = 0; i < size; ++i)
        crCount += p[i] == '\r';
    return crCount == lfCount;
}

bool isFieldNameChar(char c)
{
    return c > 32 && c < 127 && c != ':';
}

bool isHeaderFieldLine(QByteArrayView line)
{
    qsizetype i = 0;
    while (i < line.size() && isFieldNameChar(line[i]))
        ++i;
    // Obsolete syntax allows whitespace before the colon (RFC 5322 4.5).
    qsizetype j = i;
    while (j < line.size() && (line[j] == ' ' || line[j] == '\t'))
        ++j;
    return i > 0 && j < line.size() && line[j] == ':';
}

struct HeaderField
{
    QByteArray name;  // lower case
    QByteArray value; // unfolded, trimmed
    QByteArray text;  // the field's lines, CRLF-terminated
};

struct ParsedEntity
{
    QList<HeaderField> fields;
    qsizetype bodyStart = 0;
    bool hasSeparator = false;
    int badLine = 0; // 1-based number of the first line that is not a header field; 0 = none
};

ParsedEntity parseEntity(QByteArrayView raw)
{
    ParsedEntity parsed;
    qsizetype pos = 0;
    int lineNumber = 0;
    while (pos < raw.size()) {
        const Line line = lineAt(raw, pos);
        ++lineNumber;
        const QByteArrayView text = raw.sliced(line.start, line.end - line.start);
        if (text.isEmpty()) {
            parsed.hasSeparator = true;
            parsed.bodyStart = line.next;
            return parsed;
        }
        if ((text[0] == ' ' || text[0] == '\t') && !parsed.fields.isEmpty()) {
            HeaderField &field = parsed.fields.last();
            field.text.append(text.data(), text.size()).append("\r\n", 2);
            field.value.append(' ').append(text.trimmed().data(), text.trimmed().size());
        } else if (isHeaderFieldLine(text)) {
            const qsizetype colon = text.indexOf(':');
            HeaderField field;
            field.name = text.first(colon).trimmed().toByteArray().toLower();
            field.value = text.sliced(colon + 1).trimmed().toByteArray();
            field.text = text.toByteArray() + "\r\n";
            parsed.fields.append(std::move(field));
        } else {
            parsed.badLine = lineNumber;
            return parsed;
        }
        pos = line.next;
    }
    parsed.bodyStart = raw.size(); // header fields only
    return parsed;
}

const HeaderField *findField(const QList<HeaderField> &fields, const char *name)
{
    for (const HeaderField &field : fields) {
        if (field.name == name)
            return &field;
    }
    return nullptr;
}

// The value of parameter `name` of a structured field value (RFC 2045 5.1), unquoted; empty
// when absent. RFC 2231 continuations are not joined.
QByteArray parameter(QByteArrayView value, QByteArrayView name)
{
    qsizetype i = 0;
    const qsizetype size = value.size();
    bool inQuotes = false;
    // Skip the media type.
    while (i < size && (inQuotes || value[i] != ';')) {
        if (value[i] == '"')
            inQuotes = !inQuotes;
        ++i;
    }
    while (i < size) {
        ++i; // ';'
        while (i < size && (value[i] == ' ' || value[i] == '\t'))
            ++i;
        const qsizetype nameStart = i;
        while (i < size && value[i] != '=' && value[i] != ';')
            ++i;
        const QByteArrayView paramName = value.sliced(nameStart, i - nameStart).trimmed();
        if (i >= size || value[i] == ';')
            continue;
        ++i; // '='
        while (i < size && (value[i] == ' ' || value[i] == '\t'))
            ++i;
        QByteArray paramValue;
        if (i < size && value[i] == '"') {
            ++i;
            while (i < size && value[i] != '"') {
                if (value[i] == '\\' && i + 1 < size)
                    ++i;
                paramValue.append(value[i]);
                ++i;
            }
            ++i; // closing quote
            while (i < size && value[i] != ';')
                ++i;
        } else {
            const qsizetype valueStart = i;
            while (i < size && value[i] != ';' && value[i] != ' ' && value[i] != '\t' &&
                   value[i] != '(')
                ++i;
            paramValue = value.sliced(valueStart, i - valueStart).toByteArray();
            while (i < size && value[i] != ';')
                ++i;
        }
        if (paramName.compare(name, Qt::CaseInsensitive) == 0)
            return paramValue;
    }
    return QByteArray();
}

QByteArray mediaType(const QList<HeaderField> &fields)
{
    const HeaderField *contentType = findField(fields, "content-type");
    if (!contentType)
        return QByteArrayLiteral("text/plain"); // RFC 2045 5.2
    QByteArray type = contentType->value;
    const qsizetype end = type.indexOf(';');
    if (end >= 0)
        type.truncate(end);
    return type.trimmed().toLower();
}

QByteArray transferEncoding(const QList<HeaderField> &fields)
{
    const HeaderField *cte = findField(fields, "content-transfer-encoding");
    if (!cte)
        return QByteArray();
    QByteArray value = cte->value;
    const qsizetype comment = value.indexOf('(');
    if (comment >= 0)
        value.truncate(comment);
    return value.trimmed().toLower();
}

// Replaces the Content-Transfer-Encoding field (all of them) or appends one.
void setTransferEncoding(QList<HeaderField> &fields, const char *encoding)
{
    HeaderField field;
    field.name = QByteArrayLiteral("content-transfer-encoding");
    field.value = encoding;
    field.text = QByteArrayLiteral("Content-Transfer-Encoding: ") + encoding + "\r\n";
    bool replaced = false;
    for (qsizetype i = 0; i < fields.size(); ++i) {
        if (fields[i].name != field.name)
            continue;
        if (replaced) {
            fields.removeAt(i--);
        } else {
            fields[i] = field;
            replaced = true;
        }
    }
    if (!replaced)
        fields.append(field);
}

struct Processed
{
    QByteArray bytes;
    bool sevenBit = true;
};

Processed processEntity(QByteArrayView raw, int depth);

QByteArray assemble(const QList<HeaderField> &fields, const QByteArray &body)
{
    qsizetype size = body.size() + 2;
    for (const HeaderField &field : fields)
        size += field.text.size();
    QByteArray out;
    out.reserve(size);
    for (const HeaderField &field : fields)
        out.append(field.text);
    out.append("\r\n", 2);
    out.append(body);
    return out;
}

// Base64 lines; the last line break only when the body ended with one, so that a body part
// keeps its shape before the next delimiter.
QByteArray base64Body(QByteArrayView data, QByteArrayView original)
{
    QByteArray encoded = message::encodeBase64Lines(data);
    if (!original.endsWith('\n') && !original.endsWith('\r'))
        encoded.chop(2);
    return encoded;
}

// A leaf body in its new encoding; sets encoding to the new Content-Transfer-Encoding or leaves
// it null when the field stays as it is.
QByteArray encodeLeaf(QByteArrayView body, const QByteArray &cte, bool isText,
                      const char *&encoding)
{
    encoding = nullptr;
    if (cte == "binary") {
        encoding = "base64";
        return base64Body(isText ? QByteArrayView(withCrlf(body)) : body, body);
    }
    QByteArray crlf = withCrlf(body);
    if (cte == "quoted-printable" || cte == "base64")
        return crlf; // already 7-bit encoded
    if (!cte.isEmpty() && cte != "7bit" && cte != "8bit")
        return crlf; // an encoding we do not know (x-uuencode, ...): leave it alone

    if (cte == "8bit" || hasHighBit(crlf)) {
        TransferEncoding choice = TransferEncoding::Base64;
        if (isText) {
            choice = message::chooseTextEncoding(crlf);
            if (choice == TransferEncoding::SevenBit && (hasNul(crlf) || hasFragileLine(crlf)))
                choice = TransferEncoding::QuotedPrintable;
        }
        switch (choice) {
        case TransferEncoding::SevenBit:
            encoding = "7bit"; // declared 8bit, but every octet is ASCII
            return crlf;
        case TransferEncoding::QuotedPrintable:
        case TransferEncoding::EightBit:
            encoding = "quoted-printable";
            return message::encodeQuotedPrintable(crlf);
        case TransferEncoding::Base64:
            encoding = "base64";
            return base64Body(crlf, body);
        }
    }
    if (hasNul(crlf) || hasFragileLine(crlf)) {
        encoding = "quoted-printable";
        return message::encodeQuotedPrintable(crlf);
    }
    return crlf;
}

bool isDelimiterLine(QByteArrayView text, QByteArrayView boundary, bool &close)
{
    if (text.size() < boundary.size() + 2 || !text.startsWith("--") ||
        text.sliced(2, boundary.size()) != boundary)
        return false;
    QByteArrayView rest = text.sliced(2 + boundary.size());
    close = rest.startsWith("--");
    if (close)
        rest = rest.sliced(2);
    for (const char c : rest) {
        if (c != ' ' && c != '\t') // transport padding (RFC 2046 5.1.1)
            return false;
    }
    return true;
}

// The body of a multipart entity with every body part canonicalised.
Processed processMultipart(QByteArrayView body, const QByteArray &boundary, int depth)
{
    Processed result;
    result.bytes.reserve(body.size() + body.size() / 32 + 64);

    // Collect the delimiter lines.
    struct Delimiter
    {
        Line line;
        bool close;
    };
    QList<Delimiter> delimiters;
    for (qsizetype pos = 0; pos < body.size();) {
        const Line line = lineAt(body, pos);
        bool close = false;
        if (isDelimiterLine(body.sliced(line.start, line.end - line.start), boundary, close)) {
            delimiters.append({line, close});
            if (close)
                break;
        }
        pos = line.next;
    }
    if (delimiters.isEmpty()) {
        result.bytes = withCrlf(body);
        result.sevenBit = !hasHighBit(result.bytes);
        return result;
    }

    // The CRLF before a delimiter belongs to the delimiter (RFC 2046 5.1.1).
    auto textEndBefore = [&](qsizetype lineStart, qsizetype floor) {
        qsizetype end = lineStart;
        if (end > floor && body[end - 1] == '\n')
            --end;
        if (end > floor && body[end - 1] == '\r')
            --end;
        return end;
    };

    const QByteArrayView preamble = body.first(delimiters.first().line.start);
    appendCrlf(result.bytes, preamble);
    result.sevenBit = !hasHighBit(preamble);
    const QByteArray delimiter = "--" + boundary;
    for (qsizetype i = 0; i < delimiters.size(); ++i) {
        const Delimiter &d = delimiters[i];
        result.bytes.append(delimiter);
        if (d.close) {
            result.bytes.append("--", 2);
            const QByteArrayView epilogue = body.sliced(d.line.end);
            appendCrlf(result.bytes, epilogue);
            result.sevenBit = result.sevenBit && !hasHighBit(epilogue);
            break;
        }
        result.bytes.append("\r\n", 2);
        const qsizetype partStart = d.line.next;
        const bool last = i + 1 == delimiters.size();
        const qsizetype partEnd =
            last ? body.size() : textEndBefore(delimiters[i + 1].line.start, partStart);
        const Processed part =
            processEntity(body.sliced(partStart, partEnd - partStart), depth + 1);
        result.bytes.append(part.bytes);
        result.sevenBit = result.sevenBit && part.sevenBit;
        if (!last)
            result.bytes.append("\r\n", 2);
    }
    return result;
}

// A nested entity (body part or encapsulated message): never fails; what does not parse as an
// entity is kept with normalised line breaks.
Processed processEntity(QByteArrayView raw, int depth)
{
    ParsedEntity parsed = parseEntity(raw);
    if (parsed.badLine != 0 || depth > kMaxDepth) {
        Processed kept;
        kept.bytes = withCrlf(raw);
        kept.sevenBit = !hasHighBit(kept.bytes);
        return kept;
    }
    const QByteArrayView body = raw.sliced(parsed.bodyStart);
    const QByteArray type = mediaType(parsed.fields);
    const QByteArray cte = transferEncoding(parsed.fields);

    Processed result;
    QByteArray newBody;
    const char *newEncoding = nullptr;
    const bool composite = cte.isEmpty() || cte == "7bit" || cte == "8bit" || cte == "binary";
    const QByteArray boundary =
        type.startsWith("multipart/")
            ? parameter(findField(parsed.fields, "content-type")->value, "boundary")
            : QByteArray();
    if (composite && !boundary.isEmpty()) {
        Processed multipart = processMultipart(body, boundary, depth);
        newBody = std::move(multipart.bytes);
        result.sevenBit = multipart.sevenBit;
    } else if (composite && type == "message/rfc822") {
        Processed inner = processEntity(body, depth + 1);
        newBody = std::move(inner.bytes);
        result.sevenBit = inner.sevenBit;
    } else if (type.startsWith("multipart/") || type.startsWith("message/")) {
        // No boundary, or a message type we do not look into: only line breaks.
        newBody = withCrlf(body);
        result.sevenBit = !hasHighBit(newBody);
    } else {
        newBody = encodeLeaf(body, cte, type.startsWith("text/"), newEncoding);
        result.sevenBit = !hasHighBit(newBody);
    }
    if (!newEncoding && result.sevenBit && (cte == "8bit" || cte == "binary"))
        newEncoding = "7bit";
    if (newEncoding)
        setTransferEncoding(parsed.fields, newEncoding);
    // The header section itself may carry raw 8-bit text (not re-encoded, see the header).
    for (const HeaderField &field : std::as_const(parsed.fields)) {
        if (hasHighBit(field.text))
            result.sevenBit = false;
    }
    result.bytes = assemble(parsed.fields, newBody);
    return result;
}

// Already canonical: CRLF only, 7-bit, no NUL, no fragile line.
bool isCanonical(QByteArrayView entity)
{
    return !hasHighBit(entity) && !hasNul(entity) && hasOnlyCrlf(entity) && !hasFragileLine(entity);
}

} // namespace

CanonicalEntity canonicalize(const QByteArray &entity)
{
    CanonicalEntity result;
    if (entity.isEmpty()) {
        result.errorString =
            QCoreApplication::translate("Ssmtp", "The content to sign or encrypt is empty.");
        return result;
    }
    const ParsedEntity parsed = parseEntity(entity);
    if (parsed.badLine != 0) {
        result.errorString =
            QCoreApplication::translate(
                "Ssmtp",
                "The content to sign or encrypt is not a MIME entity: line %1 is neither a "
                "header field nor the empty line before the body.")
                .arg(parsed.badLine);
        return result;
    }
    result.ok = true;
    if (parsed.hasSeparator && isCanonical(entity)) {
        result.entity = entity; // shared, no copy
        return result;
    }
    result.entity = processEntity(entity, 0).bytes;
    return result;
}

} // namespace ssmtp::smime
