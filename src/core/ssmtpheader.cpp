#include "ssmtpheader.h"

/*!
    \class SsmtpHeader
    \brief One header field of the message, as in the spec's Header type.

    \c field holds the name as written (case preserved), \c value the unfolded contents.
*/

SsmtpHeader::SsmtpHeader(const QString &field, const QString &value)
    : m_field(field)
    , m_value(value)
{}
