// XOAUTH2 (Google's SASL profile of OAuth 2.0): "user=U ^A auth=Bearer T ^A ^A" as the initial
// response; the server's JSON error is acknowledged with an empty response.
#pragma once

#include "saslbearer.h"

namespace ssmtp::protocol::sasl {

class XOAuth2Mechanism final : public BearerMechanism
{
public:
    explicit XOAuth2Mechanism(const Credentials &credentials)
        : BearerMechanism(credentials)
    {}
    QByteArray name() const override { return QByteArrayLiteral("XOAUTH2"); }

private:
    QByteArray message(const QByteArray &token) const override
    {
        return "user=" + m_credentials.user.toUtf8() + "\x01" + "auth=Bearer " + token + "\x01\x01";
    }
    QByteArray errorAcknowledgement() const override { return QByteArray(); }
};

} // namespace ssmtp::protocol::sasl
