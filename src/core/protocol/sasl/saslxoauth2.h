// XOAUTH2 (Google's SASL profile of OAuth 2.0): "user=U ^A auth=Bearer T ^A ^A" as the initial
// response. A refused token comes back as a 334 challenge carrying a JSON error, which the
// client must answer with an empty response; the server then ends with 535.
#pragma once

#include "saslmechanism.h"

namespace ssmtp::protocol::sasl {

class XOAuth2Mechanism final : public Mechanism
{
public:
    explicit XOAuth2Mechanism(const Credentials &credentials)
        : m_credentials(credentials)
    {}
    QByteArray name() const override { return QByteArrayLiteral("XOAUTH2"); }
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
