// OAUTHBEARER (RFC 7628): GS2 header "n,a=<user>," then "^A auth=Bearer <token> ^A ^A" as the
// initial response. A refused token comes back as a 334 challenge with a JSON error, answered
// with a single ^A (RFC 7628 3.2.3); the server then ends with its failure reply.
#pragma once

#include "saslmechanism.h"

namespace ssmtp::protocol::sasl {

class OAuthBearerMechanism final : public Mechanism
{
public:
    explicit OAuthBearerMechanism(const Credentials &credentials)
        : m_credentials(credentials)
    {}
    QByteArray name() const override { return QByteArrayLiteral("OAUTHBEARER"); }
    std::optional<QByteArray> initialResponse() override;
    std::optional<QByteArray> respond(const QByteArray &challenge) override;
    QString errorString() const override { return m_error; }

private:
    Credentials m_credentials;
    QString m_error;
    bool m_sent = false;
    bool m_errorAcknowledged = false;
};

} // namespace ssmtp::protocol::sasl
