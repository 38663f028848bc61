// CRAM-MD5 (RFC 2195): "user SP hex(HMAC-MD5(password, challenge))" in answer to the one
// challenge.
#pragma once

#include "saslmechanism.h"

namespace ssmtp::protocol::sasl {

class CramMd5Mechanism final : public Mechanism
{
public:
    explicit CramMd5Mechanism(const Credentials &credentials)
        : m_credentials(credentials)
    {}
    QByteArray name() const override { return QByteArrayLiteral("CRAM-MD5"); }
    std::optional<QByteArray> respond(const QByteArray &challenge) override;
    QString errorString() const override { return m_error; }

private:
    Credentials m_credentials;
    QString m_error;
    bool m_answered = false;
};

} // namespace ssmtp::protocol::sasl
