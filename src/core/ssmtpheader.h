// SsmtpHeader: one message header field (the spec's Header type), a value type for C++ and QML.
#pragma once

#include "ssmtpglobal.h"

#include <QMetaType>
#include <QString>

class SSMTP_CORE_EXPORT SsmtpHeader
{
    Q_GADGET
    Q_PROPERTY(QString field READ field WRITE setField)
    Q_PROPERTY(QString value READ value WRITE setValue)

public:
    SsmtpHeader() = default;
    SsmtpHeader(const QString &field, const QString &value);

    QString field() const { return m_field; }
    void setField(const QString &field) { m_field = field; }
    QString value() const { return m_value; }
    void setValue(const QString &value) { m_value = value; }

    friend bool operator==(const SsmtpHeader &a, const SsmtpHeader &b)
    {
        return a.m_field == b.m_field && a.m_value == b.m_value;
    }
    friend bool operator!=(const SsmtpHeader &a, const SsmtpHeader &b) { return !(a == b); }

private:
    QString m_field;
    QString m_value;
};

Q_DECLARE_METATYPE(SsmtpHeader)
