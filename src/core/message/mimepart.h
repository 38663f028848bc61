// The MIME tree of a composed message (RFC 2045/2046) and its flat wire form: a list of
// segments that are either literal bytes or a source (file or in-memory data) encoded while
// it is read. The tree is built by MimeWriter; MimeBodyDevice produces the segments' bytes.
#pragma once

#include "headerencoding.h"
#include "transferencoding.h"

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>

namespace ssmtp::message {

// Content of a leaf that is not held encoded in memory.
struct MimeSource
{
    QString filePath; // non-empty: a regular file, read from offset 0
    QByteArray data;  // otherwise: this data
    qint64 size = 0;  // octets of the source (the file size when it was checked)

    bool isFile() const { return !filePath.isEmpty(); }
};

// One piece of the wire form.
struct MimeSegment
{
    enum Kind {
        Literal, // bytes as they are (boundaries, part headers, encoded text)
        Base64,  // source encoded as base64, 76-character lines joined by CRLF, no final CRLF
        Identity // source sent as it is (7bit/8bit) with line endings normalised to CRLF
                 // and a final CRLF (DataEncoder in Bdat mode)
    };
    Kind kind = Literal;
    QByteArray literal;
    MimeSource source;
    qint64 size = 0; // octets this segment produces
};

// Octets encodeBase64Lines() writes for n input octets, without its final CRLF.
qint64 base64SegmentSize(qint64 n);

class MimePart
{
public:
    enum class BodyKind { Literal, Base64, Identity };

    // Content-Type: media type and its parameters ("attr=value" items, encoded). For a
    // multipart the boundary parameter is added when the tree is flattened.
    QByteArray mediaType;
    QList<QByteArray> typeParameters;
    // Further header fields of the part (Content-Disposition, Content-ID), as complete
    // unfolded-or-folded header lines without CRLF, in order.
    QList<QByteArray> extraHeaderLines;

    // Leaf
    TransferEncoding encoding = TransferEncoding::SevenBit;
    BodyKind bodyKind = BodyKind::Literal;
    QByteArray literal;      // encoded content (Literal), without a final CRLF unless it is content
    MimeSource source;       // Base64 / Identity
    qint64 identitySize = 0; // octets of the Identity output (computed by a scan)

    // Multipart (mediaType "multipart/...")
    QByteArray boundary;
    QList<MimePart> children;

    // A multipart node of the tree (children and a generated boundary). An attachment whose
    // type is multipart/* is a leaf: its content brings its own boundary.
    bool isMultipart() const { return !children.isEmpty(); }
    // True when the part or one of its descendants is sent as 8bit.
    bool hasEightBit() const;
};

// Content-Transfer-Encoding token: "7bit", "quoted-printable", "base64", "8bit".
QByteArray transferEncodingName(TransferEncoding encoding);

// The part's own header lines (Content-Type with boundary, Content-Transfer-Encoding for
// leaves, extra lines), each ending with CRLF; the empty line is not included.
QByteArray renderPartHeader(const MimePart &part, const HeaderEncoding &enc);

// Appends the part's body (for a multipart: delimiters, child headers and bodies, the
// close delimiter; no preamble or epilogue) to segments, merging adjacent literals.
void flattenPartBody(const MimePart &part, const HeaderEncoding &enc, QList<MimeSegment> &segments);

} // namespace ssmtp::message
