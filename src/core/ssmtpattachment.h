// SsmtpAttachment: one file or block of data sent as a MIME part of the message.
#pragma once

#include "ssmtpglobal.h"

#include <QByteArray>
#include <QMetaType>
#include <QString>

class SSMTP_CORE_EXPORT SsmtpAttachment
{
    Q_GADGET
    Q_PROPERTY(QString fileName READ fileName WRITE setFileName)
    Q_PROPERTY(QByteArray data READ data WRITE setData)
    Q_PROPERTY(QString name READ name WRITE setName)
    Q_PROPERTY(QString contentType READ contentType WRITE setContentType)
    Q_PROPERTY(QString contentId READ contentId WRITE setContentId)
    Q_PROPERTY(Disposition disposition READ disposition WRITE setDisposition)
    Q_PROPERTY(bool isFile READ isFile)
    Q_PROPERTY(QString effectiveName READ effectiveName)
    Q_PROPERTY(Disposition effectiveDisposition READ effectiveDisposition)

public:
    enum Disposition {
        AutomaticDisposition = 0, // inline when contentId is set, attachment otherwise
        AttachmentDisposition = 1,
        InlineDisposition = 2
    };
    Q_ENUM(Disposition)

    SsmtpAttachment() = default;
    // The file at fileName, read when the message is sent (never held in memory whole).
    explicit SsmtpAttachment(const QString &fileName, const QString &contentType = QString());

    static SsmtpAttachment fromFile(const QString &fileName,
                                    const QString &contentType = QString());
    // In-memory content shown to the recipient as name.
    static SsmtpAttachment fromData(const QByteArray &data, const QString &name,
                                    const QString &contentType = QString());

    // Path on disk. When non-empty, the attachment is this file and data is ignored.
    QString fileName() const { return m_fileName; }
    void setFileName(const QString &fileName) { m_fileName = fileName; }
    // In-memory content, used when fileName is empty.
    QByteArray data() const { return m_data; }
    void setData(const QByteArray &data) { m_data = data; }
    bool isFile() const { return !m_fileName.isEmpty(); }

    // File name shown to the recipient (Content-Disposition filename). Empty: the base name
    // of fileName (no filename parameter at all for data without a name).
    QString name() const { return m_name; }
    void setName(const QString &name) { m_name = name; }
    QString effectiveName() const;

    // MIME type, e.g. "application/pdf" or "text/calendar; method=REQUEST". Empty: guessed
    // from the name's extension (then from the content), application/octet-stream when
    // nothing matches.
    QString contentType() const { return m_contentType; }
    void setContentType(const QString &contentType) { m_contentType = contentType; }

    // Content-ID without angle brackets (they are stripped when given). Non-empty: the part
    // is referenced from the HTML text as "cid:<contentId>" and sent next to the HTML in a
    // multipart/related entity (without HTML text it is an ordinary inline part).
    QString contentId() const { return m_contentId; }
    void setContentId(const QString &contentId);

    Disposition disposition() const { return m_disposition; }
    void setDisposition(Disposition disposition) { m_disposition = disposition; }
    Disposition effectiveDisposition() const;

    friend bool operator==(const SsmtpAttachment &a, const SsmtpAttachment &b)
    {
        return a.m_fileName == b.m_fileName && a.m_data == b.m_data && a.m_name == b.m_name &&
               a.m_contentType == b.m_contentType && a.m_contentId == b.m_contentId &&
               a.m_disposition == b.m_disposition;
    }
    friend bool operator!=(const SsmtpAttachment &a, const SsmtpAttachment &b) { return !(a == b); }

private:
    QString m_fileName;
    QByteArray m_data;
    QString m_name;
    QString m_contentType;
    QString m_contentId;
    Disposition m_disposition = AutomaticDisposition;
};

Q_DECLARE_METATYPE(SsmtpAttachment)
