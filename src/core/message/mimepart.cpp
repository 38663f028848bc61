#include "mimepart.h"

#include "mimeheaders.h"

namespace ssmtp::message {

namespace {

void appendLiteral(QList<MimeSegment> &segments, const QByteArray &bytes)
{
    if (bytes.isEmpty())
        return;
    if (!segments.isEmpty() && segments.last().kind == MimeSegment::Literal) {
        segments.last().literal += bytes;
        segments.last().size += bytes.size();
        return;
    }
    MimeSegment s;
    s.kind = MimeSegment::Literal;
    s.literal = bytes;
    s.size = bytes.size();
    segments.append(s);
}

} // namespace

qint64 base64SegmentSize(qint64 n)
{
    if (n <= 0)
        return 0;
    const qint64 chars = (n + 2) / 3 * 4;
    const qint64 lines = (chars + 75) / 76;
    return chars + 2 * (lines - 1);
}

bool MimePart::hasEightBit() const
{
    if (isMultipart()) {
        for (const MimePart &c : children) {
            if (c.hasEightBit())
                return true;
        }
        return false;
    }
    return encoding == TransferEncoding::EightBit;
}

QByteArray transferEncodingName(TransferEncoding encoding)
{
    switch (encoding) {
    case TransferEncoding::SevenBit:
        return QByteArrayLiteral("7bit");
    case TransferEncoding::QuotedPrintable:
        return QByteArrayLiteral("quoted-printable");
    case TransferEncoding::Base64:
        return QByteArrayLiteral("base64");
    case TransferEncoding::EightBit:
        return QByteArrayLiteral("8bit");
    }
    return QByteArrayLiteral("7bit");
}

QByteArray renderPartHeader(const MimePart &part, const HeaderEncoding &enc)
{
    QList<QByteArray> params = part.typeParameters;
    if (part.isMultipart())
        params.append("boundary=" + quoteMimeString(part.boundary));
    QByteArray out = foldParameterHeader("Content-Type", part.mediaType, params, enc);
    out += "\r\n";
    if (!part.isMultipart()) {
        out += "Content-Transfer-Encoding: " + transferEncodingName(part.encoding) + "\r\n";
    } else if (part.hasEightBit()) {
        // RFC 2045 6.4: a multipart may only be 7bit, 8bit or binary, and says 8bit when
        // a descendant is 8bit.
        out += "Content-Transfer-Encoding: 8bit\r\n";
    }
    for (const QByteArray &line : part.extraHeaderLines)
        out += line + "\r\n";
    return out;
}

void flattenPartBody(const MimePart &part, const HeaderEncoding &enc, QList<MimeSegment> &segments)
{
    if (part.isMultipart()) {
        // The CRLF before each delimiter belongs to the delimiter (RFC 2046 5.1.1); the
        // first delimiter starts the body (no preamble).
        bool first = true;
        for (const MimePart &child : part.children) {
            appendLiteral(segments, (first ? QByteArray() : QByteArray("\r\n")) + "--" +
                                        part.boundary + "\r\n" + renderPartHeader(child, enc) +
                                        "\r\n");
            first = false;
            flattenPartBody(child, enc, segments);
        }
        appendLiteral(segments, "\r\n--" + part.boundary + "--");
        return;
    }
    switch (part.bodyKind) {
    case MimePart::BodyKind::Literal:
        appendLiteral(segments, part.literal);
        return;
    case MimePart::BodyKind::Base64: {
        MimeSegment s;
        s.kind = MimeSegment::Base64;
        s.source = part.source;
        s.size = base64SegmentSize(part.source.size);
        if (s.size > 0)
            segments.append(s);
        return;
    }
    case MimePart::BodyKind::Identity: {
        MimeSegment s;
        s.kind = MimeSegment::Identity;
        s.source = part.source;
        s.size = part.identitySize;
        if (s.size > 0)
            segments.append(s);
        return;
    }
    }
}

} // namespace ssmtp::message
