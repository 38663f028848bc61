#include "ssmtpattachment.h"

#include <QFileInfo>

/*!
    \class SsmtpAttachment
    \brief One attachment or inline part of a message: a file on disk or in-memory data,
    with the name shown to the recipient, its MIME type and an optional Content-ID.

    Files are read while the message is sent, in pieces, so their size is not limited by
    memory. A missing or unreadable file is reported (CannotOpenFileError) before the
    server is contacted.
*/

/*!
    \enum SsmtpAttachment::Disposition
    \brief The Content-Disposition of the part.

    \value AutomaticDisposition  0, the default: inline when \l contentId is set, attachment
                                 otherwise.
    \value AttachmentDisposition 1, "attachment": shown as a separate file.
    \value InlineDisposition     2, "inline": displayed in the message where possible.
*/

/*!
    \property SsmtpAttachment::fileName
    \brief The path of the file to attach. Default empty.

    When set, the attachment is this file and \l data is ignored. The file is read while the
    message is sent; a missing or unreadable file gives CannotOpenFileError.
*/

/*!
    \property SsmtpAttachment::data
    \brief The in-memory content, used when \l fileName is empty. Default empty.
*/

/*!
    \property SsmtpAttachment::isFile
    \brief Whether the attachment is a file, i.e. \l fileName is not empty. Read-only.
*/

/*!
    \property SsmtpAttachment::name
    \brief The file name shown to the recipient (the Content-Disposition filename). Default
    empty: \l effectiveName is used.

    Non-ASCII names are encoded as RFC 2231 parameters.
*/

/*!
    \property SsmtpAttachment::contentType
    \brief The MIME type, e.g. "application/pdf" or "text/calendar; method=REQUEST". Default
    empty.

    When empty, the type is guessed from the name's extension, then from the content;
    "application/octet-stream" when nothing matches.
*/

/*!
    \property SsmtpAttachment::disposition
    \brief Whether the part is an attachment or inline. Default AutomaticDisposition; see
    \l effectiveDisposition.
*/

/*!
    \fn SsmtpAttachment::SsmtpAttachment()

    Constructs an empty attachment: no file, no data.
*/

/*!
    \fn bool operator==(const SsmtpAttachment &a, const SsmtpAttachment &b)
    \relates SsmtpAttachment

    Returns true when \a a and \a b have the same file name, data, name, content type,
    Content-ID and disposition. Files are compared by name, not content.
*/

/*!
    \fn bool operator!=(const SsmtpAttachment &a, const SsmtpAttachment &b)
    \relates SsmtpAttachment

    Returns true when \a a and \a b differ; see operator==().
*/

/*!
    Constructs an attachment for the file \a fileName with the MIME type \a contentType (empty:
    guessed). The file is read when the message is sent, never held in memory whole.
*/
SsmtpAttachment::SsmtpAttachment(const QString &fileName, const QString &contentType)
    : m_fileName(fileName)
    , m_contentType(contentType)
{}

/*!
    Returns an attachment for the file \a fileName with the MIME type \a contentType (empty:
    guessed); the same as the constructor.
*/
SsmtpAttachment SsmtpAttachment::fromFile(const QString &fileName, const QString &contentType)
{
    return SsmtpAttachment(fileName, contentType);
}

/*!
    Returns an attachment with the in-memory content \a data, shown to the recipient as
    \a name, with the MIME type \a contentType (empty: guessed from \a name, then from the
    content).
*/
SsmtpAttachment SsmtpAttachment::fromData(const QByteArray &data, const QString &name,
                                          const QString &contentType)
{
    SsmtpAttachment a;
    a.m_data = data;
    a.m_name = name;
    a.m_contentType = contentType;
    return a;
}

/*!
    \property SsmtpAttachment::effectiveName
    \brief The file name the recipient sees: \l name, or the base name of \l fileName when
    \l name is empty. Read-only.

    Empty for data without a name; then no filename parameter is sent.
*/
QString SsmtpAttachment::effectiveName() const
{
    if (!m_name.isEmpty() || m_fileName.isEmpty())
        return m_name;
    return QFileInfo(m_fileName).fileName();
}

/*!
    \property SsmtpAttachment::contentId
    \brief The Content-ID of the part, without angle brackets. Default empty.

    Angle brackets and surrounding spaces are stripped when set. When set, the HTML text
    (Ssmtp::messageHtml) can reference the part as "cid:<contentId>", and it is sent next to
    the HTML in multipart/related; without HTML text it is an ordinary inline part.
*/
void SsmtpAttachment::setContentId(const QString &contentId)
{
    QString id = contentId.trimmed();
    if (id.size() >= 2 && id.startsWith(QLatin1Char('<')) && id.endsWith(QLatin1Char('>')))
        id = id.mid(1, id.size() - 2);
    m_contentId = id;
}

/*!
    \property SsmtpAttachment::effectiveDisposition
    \brief The disposition that is sent: \l disposition, or for AutomaticDisposition
    InlineDisposition when \l contentId is set and AttachmentDisposition otherwise. Read-only.
*/
SsmtpAttachment::Disposition SsmtpAttachment::effectiveDisposition() const
{
    if (m_disposition != AutomaticDisposition)
        return m_disposition;
    return m_contentId.isEmpty() ? AttachmentDisposition : InlineDisposition;
}
