#include "ssmtprecipient.h"

/*!
    \class SsmtpRecipient
    \brief One recipient of the message: address, display name, RCPT options and type.

    Recipients of type Bcc get an envelope RCPT but never appear in a header.
*/

/*!
    \enum SsmtpRecipient::RecipientType
    \brief How a recipient receives the message (the spec's EmailRecipientTypes, same values).

    \value To  0, the default: an RCPT in the envelope and an entry in the To header.
    \value Cc  1, an RCPT and an entry in the Cc header.
    \value Bcc 2, an RCPT only; the address appears in no header.
*/

/*!
    \property SsmtpRecipient::address
    \brief The e-mail address, e.g. "alice@example.com" (the spec's Address). Default empty.
*/

/*!
    \property SsmtpRecipient::name
    \brief The display name shown with the address in the To or Cc header (the spec's Name).
    Default empty.
*/

/*!
    \property SsmtpRecipient::options
    \brief RCPT TO parameters for this recipient (the spec's Options). Default empty.

    For example "NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;alice@example.com" (RFC 3461 delivery
    status notifications); the spec's form "NOTIFY SUCCESS,FAILURE" is accepted too. NOTIFY
    and ORCPT are left out when the server does not offer DSN.
*/

/*!
    \property SsmtpRecipient::recipientType
    \brief Whether the recipient is a To, Cc or Bcc recipient (the spec's RecipientType).
    Default To.
*/

/*!
    \fn SsmtpRecipient::SsmtpRecipient()

    Constructs an empty To recipient.
*/

/*!
    \fn bool operator==(const SsmtpRecipient &a, const SsmtpRecipient &b)
    \relates SsmtpRecipient

    Returns true when \a a and \a b have the same address, name, options and type.
*/

/*!
    \fn bool operator!=(const SsmtpRecipient &a, const SsmtpRecipient &b)
    \relates SsmtpRecipient

    Returns true when \a a and \a b differ in address, name, options or type.
*/

/*!
    Constructs a recipient with \a address and \a type.
*/
SsmtpRecipient::SsmtpRecipient(const QString &address, RecipientType type)
    : m_address(address)
    , m_type(type)
{}

/*!
    Constructs a recipient with \a address, display \a name, \a type and RCPT \a options.
*/
SsmtpRecipient::SsmtpRecipient(const QString &address, const QString &name, RecipientType type,
                               const QString &options)
    : m_address(address)
    , m_name(name)
    , m_options(options)
    , m_type(type)
{}
