#include "ssmtprecipient.h"

/*!
    \class SsmtpRecipient
    \brief One recipient of the message: address, display name, RCPT options and type.

    Recipients of type Bcc get an envelope RCPT but never appear in a header.
*/

SsmtpRecipient::SsmtpRecipient(const QString &address, RecipientType type)
    : m_address(address)
    , m_type(type)
{}

SsmtpRecipient::SsmtpRecipient(const QString &address, const QString &name, RecipientType type,
                               const QString &options)
    : m_address(address)
    , m_name(name)
    , m_options(options)
    , m_type(type)
{}
