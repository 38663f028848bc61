// SASL PLAIN (RFC 4616): authzid NUL authcid NUL passwd, sent as the initial response.
#pragma once

#include "saslmechanism.h"

namespace ssmtp::protocol::sasl {

class PlainMechanism final : public Mechanism
{
public:
    explicit PlainMechanism(const Credentials &credentials)
        : m_credentials(credentials)
    {}
    QByteArray name() const override { return QByteArrayLiteral("PLAIN"); }
    std::optional<QByteArray> initialResponse() override;
    std::optional<QByteArray> respond(const QByteArray &challenge) override;

private:
    Credentials m_credentials;
    bool m_sent = false;
};

} // namespace ssmtp::protocol::sasl
