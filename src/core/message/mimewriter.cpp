#include "mimewriter.h"

#include "dataencoder.h"
#include "mimebodydevice.h"
#include "mimeheaders.h"
#include "mimetypes.h"
#include "transferencoding.h"

#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>
#include <QSet>

namespace ssmtp::message {

namespace {

constexpr qint64 kSniffBytes = 16 * 1024; // content sniffing when the name says nothing
constexpr qint64 kScanPiece = 64 * 1024;

int clampLineLength(int n)
{
    if (n <= 0 || n > 998)
        return 998;
    return qMax(78, n);
}

// Properties of CRLF-normalised content, fed in pieces.
struct LineScan
{
    int maxLine = 998;
    qint64 column = 0;
    bool longLine = false;
    bool nul = false;
    bool eightBit = false;
    // A line that begins "From ": mbox delivery rewrites it to ">From ", which breaks a
    // signature over the part (RFC 8551 3.1.1).
    bool fromLine = false;
    QByteArray lineStart; // the first octets of the current line, up to 5

    void feed(QByteArrayView normalised)
    {
        for (const char ch : normalised) {
            const uchar c = static_cast<uchar>(ch);
            if (c == '\n') {
                column = 0;
                lineStart.clear();
                continue;
            }
            if (lineStart.size() < 5) {
                lineStart.append(ch);
                if (lineStart == "From ")
                    fromLine = true;
            }
            if (c == '\r')
                continue; // only ever the CR of a CRLF
            if (++column > maxLine)
                longLine = true;
            if (c == 0)
                nul = true;
            else if (c >= 0x80)
                eightBit = true;
        }
    }
};

// message/* must be 7bit, 8bit or binary (RFC 2046 5.2.1, 5.2.3, 5.2.4; RFC 1894 for
// delivery reports); message/global may use any encoding (RFC 6532 3.5). multipart/* the
// same (RFC 2045 6.4).
bool needsIdentityEncoding(const QByteArray &mediaType)
{
    if (mediaType.startsWith("multipart/"))
        return true;
    return mediaType.startsWith("message/") && mediaType != "message/global";
}

bool validContentId(const QString &id)
{
    if (id.isEmpty() || id.size() > 900)
        return false;
    for (const QChar ch : id) {
        const char16_t c = ch.unicode();
        if (c <= 0x20 || c >= 0x7F)
            return false;
        switch (c) {
        case '<':
        case '>':
        case '"':
        case '\\':
        case '(':
        case ')':
        case ',':
        case ';':
        case '[':
        case ']':
            return false;
        default:
            break;
        }
    }
    return true;
}

void collectMultiparts(MimePart &part, QList<MimePart *> &out)
{
    if (!part.isMultipart())
        return;
    out.append(&part);
    for (MimePart &c : part.children)
        collectMultiparts(c, out);
}

void collectLiterals(const MimePart &part, QList<const QByteArray *> &out)
{
    if (part.isMultipart()) {
        for (const MimePart &c : part.children)
            collectLiterals(c, out);
        return;
    }
    if (part.bodyKind == MimePart::BodyKind::Literal)
        out.append(&part.literal);
}

MimePart multipart(const char *subtype, QList<MimePart> children)
{
    MimePart p;
    p.mediaType = QByteArray("multipart/") + subtype;
    p.children = std::move(children);
    return p;
}

QByteArray joinValue(const QByteArray &mediaType, const QList<QByteArray> &params)
{
    QByteArray v = mediaType;
    for (const QByteArray &p : params)
        v += "; " + p;
    return v;
}

} // namespace

MimeWriter::MimeWriter(const MimeContent &content, const MimeOptions &options)
    : m_content(content)
    , m_options(options)
{}

void MimeWriter::setContent(const MimeContent &content)
{
    m_content = content;
    m_prepared = false;
}

void MimeWriter::setOptions(const MimeOptions &options)
{
    m_options = options;
    m_prepared = false;
}

bool MimeWriter::fail(int code, const QString &text)
{
    m_error = code;
    m_errorString = text;
    m_prepared = false;
    return false;
}

MimePart MimeWriter::textPart(const QString &text, const char *subtype) const
{
    MimePart part;
    part.mediaType = QByteArray("text/") + subtype;
    part.typeParameters = {QByteArrayLiteral("charset=UTF-8")};
    part.bodyKind = MimePart::BodyKind::Literal;
    const QByteArray utf8 = normalizeLineEndings(text.toUtf8());
    LineScan scan;
    scan.maxLine = clampLineLength(m_options.maxLineLength);
    scan.feed(utf8);
    if (!scan.nul && !scan.longLine && !scan.eightBit) {
        part.encoding = TransferEncoding::SevenBit;
        part.literal = utf8;
    } else if (!scan.nul && !scan.longLine && m_options.allow8bit) {
        part.encoding = TransferEncoding::EightBit;
        part.literal = utf8;
    } else if (chooseTextEncoding(utf8) == TransferEncoding::Base64) {
        part.encoding = TransferEncoding::Base64;
        part.literal = encodeBase64Lines(utf8);
        part.literal.chop(2); // the CRLF before the next delimiter ends the last line
    } else {
        // Also ASCII text whose lines are within 998 but over a lower maxLineLength.
        part.encoding = TransferEncoding::QuotedPrintable;
        part.literal = encodeQuotedPrintable(utf8);
    }
    return part;
}

bool MimeWriter::scanIdentity(MimeSource &source, MimePart &part, const QString &label)
{
    DataEncoder encoder(DataEncoder::Mode::Bdat);
    LineScan scan;
    scan.maxLine = clampLineLength(m_options.maxLineLength);
    QByteArray out;
    if (!source.isFile()) {
        encoder.encode(source.data, out);
        encoder.finish(out);
        scan.feed(out);
    } else {
        QFile file(source.filePath);
        if (!file.open(QIODevice::ReadOnly)) {
            return fail(
                CannotOpenFileError,
                QCoreApplication::translate("Ssmtp", "Cannot open the attachment file \"%1\": %2")
                    .arg(label, file.errorString()));
        }
        qint64 total = 0;
        QByteArray piece;
        while (total < source.size) {
            piece.resize(qMin(kScanPiece, source.size - total));
            const qint64 n = file.read(piece.data(), piece.size());
            if (n <= 0) {
                return fail(CannotOpenFileError,
                            QCoreApplication::translate(
                                "Ssmtp", "Cannot read the attachment file \"%1\": %2")
                                .arg(label, file.errorString()));
            }
            total += n;
            out.clear();
            encoder.encode(QByteArrayView(piece).first(n), out);
            scan.feed(out);
        }
        out.clear();
        encoder.finish(out);
        scan.feed(out);
    }
    const bool ok =
        !scan.nul && !scan.longLine && !scan.fromLine && (!scan.eightBit || m_options.allow8bit);
    if (!ok) {
        // Not sendable as it is: an opaque attachment instead.
        part.mediaType = "application/octet-stream";
        part.encoding = TransferEncoding::Base64;
        part.bodyKind = MimePart::BodyKind::Base64;
        part.source = source;
        return true;
    }
    part.encoding = scan.eightBit ? TransferEncoding::EightBit : TransferEncoding::SevenBit;
    if (source.isFile()) {
        part.bodyKind = MimePart::BodyKind::Identity;
        part.source = source;
        part.identitySize = encoder.bytesOut();
    } else {
        part.bodyKind = MimePart::BodyKind::Literal;
        part.literal = out;
    }
    return true;
}

bool MimeWriter::buildAttachment(const SsmtpAttachment &attachment, int index, MimePart &out)
{
    const QString name = attachment.effectiveName();
    const QString label = attachment.isFile() ? attachment.fileName()
                          : name.isEmpty()    ? QStringLiteral("#%1").arg(index + 1)
                                              : name;
    MimeSource source;
    QByteArray sniff;
    if (attachment.isFile()) {
        const QString path = attachment.fileName();
        QFile file(path);
        const QFileInfo info(path);
        if (info.exists() && !info.isFile()) {
            return fail(
                CannotOpenFileError,
                QCoreApplication::translate("Ssmtp", "The attachment \"%1\" is not a regular file.")
                    .arg(path));
        }
        if (!file.open(QIODevice::ReadOnly)) {
            return fail(
                CannotOpenFileError,
                QCoreApplication::translate("Ssmtp", "Cannot open the attachment file \"%1\": %2")
                    .arg(path, file.errorString()));
        }
        source.filePath = path;
        source.size = file.size();
        // guessMimeType() looks at the content only for names without an extension.
        if (attachment.contentType().trimmed().isEmpty() && QFileInfo(name).suffix().isEmpty())
            sniff = file.read(kSniffBytes);
    } else {
        source.data = attachment.data();
        source.size = source.data.size();
        sniff = source.data.left(kSniffBytes);
    }

    MediaType type;
    const QString given = attachment.contentType().trimmed();
    if (given.isEmpty()) {
        type.valid = true;
        type.type = guessMimeType(name, sniff);
    } else {
        type = parseMediaType(given);
        if (!type.valid || (type.type.startsWith("multipart/") && !type.hasParameter("boundary"))) {
            return fail(
                InvalidHeaderError,
                QCoreApplication::translate(
                    "Ssmtp", "The content type \"%1\" of the attachment \"%2\" is not valid.")
                    .arg(given, label));
        }
    }

    const QString contentId = attachment.contentId();
    if (!contentId.isEmpty() && !validContentId(contentId)) {
        return fail(InvalidHeaderError,
                    QCoreApplication::translate(
                        "Ssmtp", "The content ID \"%1\" of the attachment \"%2\" is not valid.")
                        .arg(contentId, label));
    }

    out.mediaType = type.type;
    out.typeParameters = type.parameters;
    if (needsIdentityEncoding(type.type)) {
        if (!scanIdentity(source, out, label))
            return false;
        if (out.mediaType == "application/octet-stream")
            out.typeParameters.clear(); // the parameters belonged to the original type
    } else {
        out.encoding = TransferEncoding::Base64;
        out.bodyKind = MimePart::BodyKind::Base64;
        out.source = source;
    }
    // Content-Type name= for clients that only look there (same encoding as filename; RFC
    // 2047 encoded words are not allowed in parameters, RFC 2047 section 5).
    if (!name.isEmpty() && !type.hasParameter("name"))
        out.typeParameters += encodeMimeParameter("name", name);

    const bool isInline = attachment.effectiveDisposition() == SsmtpAttachment::InlineDisposition;
    const QList<QByteArray> dispositionParams =
        name.isEmpty() ? QList<QByteArray>() : encodeMimeParameter("filename", name);
    out.extraHeaderLines.append(foldParameterHeader("Content-Disposition",
                                                    isInline ? "inline" : "attachment",
                                                    dispositionParams, m_options.headerEncoding));
    if (!contentId.isEmpty())
        out.extraHeaderLines.append("Content-ID: <" + contentId.toLatin1() + '>');
    return true;
}

void MimeWriter::assignBoundaries()
{
    QList<MimePart *> parts;
    collectMultiparts(m_root, parts);
    if (parts.isEmpty())
        return;
    QList<const QByteArray *> literals;
    collectLiterals(m_root, literals);

    int rejected = 0;
    auto draw = [&]() {
        if (m_options.boundaryGenerator && rejected < 16)
            return m_options.boundaryGenerator();
        return generateBoundary();
    };
    auto acceptable = [&](const QByteArray &b, qsizetype upTo) {
        // RFC 2046 5.1.1: 1..70 bchars, not ending with a space.
        if (b.isEmpty() || b.size() > 70 || b.endsWith(' '))
            return false;
        for (qsizetype i = 0; i < upTo; ++i) {
            const QByteArray &other = parts.at(i)->boundary;
            if (other.startsWith(b) || b.startsWith(other))
                return false;
        }
        const QByteArray delimiter = "--" + b;
        for (const QByteArray *l : std::as_const(literals)) {
            if (l->contains(delimiter))
                return false;
        }
        return true;
    };
    for (qsizetype i = 0; i < parts.size(); ++i) {
        QByteArray b = draw();
        while (!acceptable(b, i)) {
            ++rejected;
            b = draw();
        }
        parts.at(i)->boundary = b;
    }
}

bool MimeWriter::prepare()
{
    m_prepared = false;
    m_error = 0;
    m_errorString.clear();
    m_root = MimePart();
    m_segments.clear();
    m_size = 0;

    const bool hasHtml = !m_content.html.isEmpty();
    QList<MimePart> related;
    QList<MimePart> mixed;
    for (int i = 0; i < m_content.attachments.size(); ++i) {
        const SsmtpAttachment &a = m_content.attachments.at(i);
        MimePart part;
        if (!buildAttachment(a, i, part))
            return false;
        if (hasHtml && !a.contentId().isEmpty())
            related.append(part);
        else
            mixed.append(part);
    }

    QList<MimePart> body;
    {
        MimePart htmlNode;
        if (hasHtml) {
            htmlNode = textPart(m_content.html, "html");
            if (!related.isEmpty()) {
                related.prepend(htmlNode);
                htmlNode = multipart("related", related);
                // RFC 2387: type= names the root part's type.
                htmlNode.typeParameters.append(QByteArrayLiteral("type=\"text/html\""));
            }
        }
        const bool hasText = !m_content.text.isEmpty();
        if (hasText && hasHtml)
            body.append(multipart("alternative", {textPart(m_content.text, "plain"), htmlNode}));
        else if (hasHtml)
            body.append(htmlNode);
        else if (hasText || mixed.isEmpty())
            body.append(textPart(m_content.text, "plain"));
    }
    if (mixed.isEmpty()) {
        m_root = body.first();
    } else {
        m_root = multipart("mixed", body + mixed);
    }
    assignBoundaries();

    flattenPartBody(m_root, m_options.headerEncoding, m_segments);
    // The body ends with CRLF (the engine would add it, uncounted, otherwise).
    const bool endsWithCrlf = !m_segments.isEmpty() &&
                              m_segments.last().kind != MimeSegment::Base64 &&
                              (m_segments.last().kind == MimeSegment::Identity ||
                               m_segments.last().literal.endsWith("\r\n"));
    if (!m_segments.isEmpty() && !endsWithCrlf) {
        if (m_segments.last().kind == MimeSegment::Literal) {
            m_segments.last().literal += "\r\n";
            m_segments.last().size += 2;
        } else {
            MimeSegment s;
            s.literal = QByteArrayLiteral("\r\n");
            s.size = 2;
            m_segments.append(s);
        }
    }
    for (const MimeSegment &s : std::as_const(m_segments))
        m_size += s.size;
    m_prepared = true;
    return true;
}

QList<QPair<QByteArray, QByteArray>> MimeWriter::contentHeaders() const
{
    QList<QPair<QByteArray, QByteArray>> out;
    if (!m_prepared)
        return out;
    QList<QByteArray> params = m_root.typeParameters;
    if (m_root.isMultipart())
        params.append("boundary=" + quoteMimeString(m_root.boundary));
    out.append({QByteArrayLiteral("Content-Type"), joinValue(m_root.mediaType, params)});
    if (!m_root.isMultipart())
        out.append({QByteArrayLiteral("Content-Transfer-Encoding"),
                    transferEncodingName(m_root.encoding)});
    else if (m_root.hasEightBit())
        out.append({QByteArrayLiteral("Content-Transfer-Encoding"), QByteArrayLiteral("8bit")});
    return out;
}

QList<QPair<QByteArray, QByteArray>> MimeWriter::headers() const
{
    if (!m_prepared)
        return {};
    QList<QPair<QByteArray, QByteArray>> out{{QByteArrayLiteral("MIME-Version"), "1.0"}};
    out += contentHeaders();
    return out;
}

bool MimeWriter::hasFileSources() const
{
    for (const MimeSegment &s : m_segments) {
        if (s.kind != MimeSegment::Literal && s.source.isFile())
            return true;
    }
    return false;
}

QIODevice *MimeWriter::createBodyDevice(QObject *parent) const
{
    if (!m_prepared)
        return nullptr;
    auto *device = new MimeBodyDevice(m_segments, parent);
    device->open(QIODevice::ReadOnly);
    return device;
}

QByteArray MimeWriter::renderBody(QString *errorString) const
{
    if (!m_prepared) {
        if (errorString)
            *errorString = m_errorString;
        return QByteArray();
    }
    MimeBodyDevice device(m_segments);
    device.open(QIODevice::ReadOnly);
    QByteArray out(m_size, Qt::Uninitialized);
    qint64 got = 0;
    while (got < m_size) {
        const qint64 n = device.read(out.data() + got, m_size - got);
        if (n <= 0) {
            if (errorString)
                *errorString = device.errorString();
            return QByteArray();
        }
        got += n;
    }
    return out;
}

QByteArray MimeWriter::renderEntity(QString *errorString) const
{
    const QByteArray body = renderBody(errorString);
    if (!m_prepared || (body.isEmpty() && m_size > 0))
        return QByteArray();
    return renderPartHeader(m_root, m_options.headerEncoding) + "\r\n" + body;
}

} // namespace ssmtp::message
