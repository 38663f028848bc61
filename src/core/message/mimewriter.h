// Rich MIME composition (RFC 2045-2049, 2183, 2231, 2387, 2392): plain text, HTML text and
// attachments become a MIME tree whose top-level header fields go into the message header
// and whose body is produced by a streaming QIODevice (files are read and base64-encoded in
// pieces while the message is sent) or rendered into memory.
//
// Structure:
//   text only (or nothing)       text/plain
//   HTML only                    text/html
//   text + HTML                  multipart/alternative(text/plain, text/html)
//   HTML + parts with contentId  multipart/related(text/html, parts...) in place of text/html
//   other attachments            multipart/mixed(body as above, attachments...)
//   attachments without text     multipart/mixed(attachments...)
// Parts with a contentId when there is no HTML text are ordinary parts of multipart/mixed.
//
// Transfer encodings: a text part is 7bit when it is ASCII without NUL and no line exceeds
// maxLineLength; 8bit under the same line rule when allow8bit is set; otherwise
// quoted-printable, or base64 when more than about a third of its octets would be escaped.
// Text is UTF-8 (charset=UTF-8) with CRLF line endings. Attachments are base64 (any type,
// text/* included: base64 keeps the octets, line endings included, exactly as in the file,
// and its size is known without reading the file). message/* (except message/global) and
// multipart/* attachments may not be base64 (RFC 2046 5.2.1, RFC 2045 6.4): they are sent
// 7bit (8bit with allow8bit) with CRLF line endings when their content allows it, else as
// application/octet-stream in base64.
//
// Attachment headers: Content-Type (given, or guessed by guessMimeType()) with name=, then
// Content-Transfer-Encoding, Content-Disposition (inline/attachment) with filename=, and
// Content-ID <id>. A printable-ASCII name is a quoted string (quotes and backslashes
// escaped); any other name is RFC 2231 name*=/filename*=UTF-8''%XX (continuations when
// long). Never both forms for one parameter (decoders take that for a duplicate), and no
// RFC 2047 encoded words in parameters (RFC 2047 section 5 forbids them).
//
// Every line of the body is CRLF-terminated and at most 998 octets (base64 and
// quoted-printable lines are at most 76); the body ends with CRLF.
#pragma once

#include "headerencoding.h"
#include "mimepart.h"

#include "ssmtpattachment.h"

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>

#include <functional>

QT_BEGIN_NAMESPACE
class QIODevice;
class QObject;
QT_END_NAMESPACE

namespace ssmtp::message {

struct MimeOptions
{
    // The server offers 8BITMIME: non-ASCII text may go as 8bit instead of quoted-printable.
    bool allow8bit = false;
    // Longest line (octets, CRLF excluded) a 7bit/8bit part may have; longer lines force
    // quoted-printable/base64. Clamped to 78..998.
    int maxLineLength = 998;
    // Folding of the part header fields (Content-Type, Content-Disposition); folds are only
    // placed between parameters. The top-level fields are returned unfolded (the composer
    // folds them with the rest of the header).
    HeaderEncoding headerEncoding{QByteArray(), true, 78};
    // Test hook: boundary source (empty: generateBoundary()). A boundary that occurs in the
    // content, repeats or is a prefix of another is rejected and a new one is drawn; after
    // 16 rejections the random generator is used.
    std::function<QByteArray()> boundaryGenerator;
};

struct MimeContent
{
    QString text; // text/plain (may be empty)
    QString html; // text/html (may be empty)
    QList<SsmtpAttachment> attachments;
};

class MimeWriter
{
public:
    // Error codes (values of Ssmtp::Error; this layer does not see the facade).
    static constexpr int CannotOpenFileError = 302; // missing, unreadable or not a regular file
    static constexpr int InvalidHeaderError = 170;  // bad contentType or contentId

    MimeWriter() = default;
    explicit MimeWriter(const MimeContent &content, const MimeOptions &options = MimeOptions());

    void setContent(const MimeContent &content);
    void setOptions(const MimeOptions &options);

    // Checks every attachment (files: exist, regular, readable; contentType and contentId
    // well-formed), chooses the encodings and boundaries and builds the wire form. Files are
    // opened to check them and closed again (message/* and multipart/* files are read once
    // to check their content); nothing else is read. Returns false with error() and a
    // translated errorString() that names the file or attachment.
    bool prepare();
    bool isPrepared() const { return m_prepared; }
    int error() const { return m_error; }
    QString errorString() const { return m_errorString; }

    // After a successful prepare():

    // MIME-Version, Content-Type (with boundary for a multipart) and Content-Transfer-Encoding
    // (single part always; multipart only "8bit" when a part is 8bit), as (field, unfolded
    // value) pairs like ComposedMessage::headers.
    QList<QPair<QByteArray, QByteArray>> headers() const;
    // The same without MIME-Version.
    QList<QPair<QByteArray, QByteArray>> contentHeaders() const;

    // Exact octets of the body (the device's size() and renderBody().size()); CRLF line
    // endings, before SMTP dot-stuffing. -1 before prepare().
    qint64 size() const { return m_prepared ? m_size : -1; }
    // True when a part is sent as 8bit (the transaction needs BODY=8BITMIME); never with
    // allow8bit == false.
    bool hasEightBit() const { return m_prepared && m_root.hasEightBit(); }
    // True when some content comes from a file (render in memory only when small).
    bool hasFileSources() const;

    // A new device (parent: parent) producing the body, already open for reading. Each call
    // gives an independent device; the writer may be destroyed while devices are in use.
    // nullptr before prepare().
    QIODevice *createBodyDevice(QObject *parent = nullptr) const;
    // The whole body in memory (reads the files). Empty with *errorString set on a read
    // failure.
    QByteArray renderBody(QString *errorString = nullptr) const;
    // The top-level entity as S/MIME signs it: folded content headers (no MIME-Version),
    // the empty line, the body.
    QByteArray renderEntity(QString *errorString = nullptr) const;

    const MimePart &root() const { return m_root; }
    const QList<MimeSegment> &segments() const { return m_segments; }

private:
    bool fail(int code, const QString &text);
    bool buildAttachment(const SsmtpAttachment &attachment, int index, MimePart &out);
    bool scanIdentity(MimeSource &source, MimePart &part, const QString &label);
    MimePart textPart(const QString &text, const char *subtype) const;
    void assignBoundaries();

    MimeContent m_content;
    MimeOptions m_options;
    bool m_prepared = false;
    int m_error = 0;
    QString m_errorString;
    MimePart m_root;
    QList<MimeSegment> m_segments;
    qint64 m_size = 0;
};

} // namespace ssmtp::message
