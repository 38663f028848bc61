// SsmtpRecipient: one recipient of the message (the spec's MessageRecipient type).
#pragma once

#include "ssmtpglobal.h"

#include <QMetaType>
#include <QString>

class SSMTP_CORE_EXPORT SsmtpRecipient
{
    Q_GADGET
    Q_PROPERTY(QString address READ address WRITE setAddress)
    Q_PROPERTY(QString name READ name WRITE setName)
    Q_PROPERTY(QString options READ options WRITE setOptions)
    Q_PROPERTY(RecipientType recipientType READ recipientType WRITE setRecipientType)

public:
    // The spec's EmailRecipientTypes.
    enum RecipientType { To = 0, Cc = 1, Bcc = 2 };
    Q_ENUM(RecipientType)

    SsmtpRecipient() = default;
    explicit SsmtpRecipient(const QString &address, RecipientType type = To);
    SsmtpRecipient(const QString &address, const QString &name, RecipientType type,
                   const QString &options = QString());

    QString address() const { return m_address; }
    void setAddress(const QString &address) { m_address = address; }
    QString name() const { return m_name; }
    void setName(const QString &name) { m_name = name; }
    // RCPT TO parameters, e.g. "NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;a@b"; the spec's
    // "NOTIFY SUCCESS,FAILURE" form is accepted too.
    QString options() const { return m_options; }
    void setOptions(const QString &options) { m_options = options; }
    RecipientType recipientType() const { return m_type; }
    void setRecipientType(RecipientType type) { m_type = type; }

    friend bool operator==(const SsmtpRecipient &a, const SsmtpRecipient &b)
    {
        return a.m_address == b.m_address && a.m_name == b.m_name && a.m_options == b.m_options &&
               a.m_type == b.m_type;
    }
    friend bool operator!=(const SsmtpRecipient &a, const SsmtpRecipient &b) { return !(a == b); }

private:
    QString m_address;
    QString m_name;
    QString m_options;
    RecipientType m_type = To;
};

Q_DECLARE_METATYPE(SsmtpRecipient)
