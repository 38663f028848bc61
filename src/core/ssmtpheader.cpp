#include "ssmtpheader.h"

/*!
    \class SsmtpHeader
    \brief One header field of the message, as in the spec's Header type.

    \c field holds the name as written (case preserved), \c value the unfolded contents.
*/

/*!
    \property SsmtpHeader::field
    \brief The name of the header field, e.g. "Subject" (the spec's Field). Default empty.

    The case is kept as given.
*/

/*!
    \property SsmtpHeader::value
    \brief The contents of the field, unfolded (the spec's Value). Default empty.
*/

/*!
    \fn SsmtpHeader::SsmtpHeader()

    Constructs a header with an empty field and value.
*/

/*!
    \fn bool operator==(const SsmtpHeader &a, const SsmtpHeader &b)
    \relates SsmtpHeader

    Returns true when \a a and \a b have the same field and value (compared case-sensitively).
*/

/*!
    \fn bool operator!=(const SsmtpHeader &a, const SsmtpHeader &b)
    \relates SsmtpHeader

    Returns true when \a a and \a b differ in field or value.
*/

/*!
    Constructs a header named \a field with the contents \a value.
*/
SsmtpHeader::SsmtpHeader(const QString &field, const QString &value)
    : m_field(field)
    , m_value(value)
{}
