// OAUTHBEARER (RFC 7628): GS2 header "n,a=<user>," then "^A auth=Bearer <token> ^A ^A" as the
// initial response. A refused token comes back as a 334 challenge with a JSON error, answered
// with a single ^A (RFC 7628 3.2.3); the server then ends with its failure reply.
#pragma once

#include "saslbearer.h"

namespace ssmtp::protocol::sasl {

class OAuthBearerMechanism final : public BearerMechanism
{
public:
    explicit OAuthBearerMechanism(const Credentials &credentials)
        : BearerMechanism(credentials)
    {}
    QByteArray name() const override { return QByteArrayLiteral("OAUTHBEARER"); }

private:
    QByteArray message(const QByteArray &token) const override;
    QByteArray errorAcknowledgement() const override { return QByteArray("\x01"); }
};

} // namespace ssmtp::protocol::sasl
