// The LOGIN mechanism (draft-murchison-sasl-login): user name, then password, each in
// answer to a challenge.
#pragma once

#include "saslmechanism.h"

namespace ssmtp::protocol::sasl {

class LoginMechanism final : public Mechanism
{
public:
    explicit LoginMechanism(const Credentials &credentials)
        : m_credentials(credentials)
    {}
    QByteArray name() const override { return QByteArrayLiteral("LOGIN"); }
    std::optional<QByteArray> respond(const QByteArray &challenge) override;

private:
    Credentials m_credentials;
    int m_step = 0;
};

} // namespace ssmtp::protocol::sasl
