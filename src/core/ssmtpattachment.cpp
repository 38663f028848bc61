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

SsmtpAttachment::SsmtpAttachment(const QString &fileName, const QString &contentType)
    : m_fileName(fileName)
    , m_contentType(contentType)
{}

SsmtpAttachment SsmtpAttachment::fromFile(const QString &fileName, const QString &contentType)
{
    return SsmtpAttachment(fileName, contentType);
}

SsmtpAttachment SsmtpAttachment::fromData(const QByteArray &data, const QString &name,
                                          const QString &contentType)
{
    SsmtpAttachment a;
    a.m_data = data;
    a.m_name = name;
    a.m_contentType = contentType;
    return a;
}

QString SsmtpAttachment::effectiveName() const
{
    if (!m_name.isEmpty() || m_fileName.isEmpty())
        return m_name;
    return QFileInfo(m_fileName).fileName();
}

void SsmtpAttachment::setContentId(const QString &contentId)
{
    QString id = contentId.trimmed();
    if (id.size() >= 2 && id.startsWith(QLatin1Char('<')) && id.endsWith(QLatin1Char('>')))
        id = id.mid(1, id.size() - 2);
    m_contentId = id;
}

SsmtpAttachment::Disposition SsmtpAttachment::effectiveDisposition() const
{
    if (m_disposition != AutomaticDisposition)
        return m_disposition;
    return m_contentId.isEmpty() ? AttachmentDisposition : InlineDisposition;
}
