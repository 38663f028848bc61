// The common shape of the OAuth 2.0 bearer-token mechanisms (XOAUTH2, OAUTHBEARER): the token
// goes in the initial response; a refused token comes back as a 334 challenge carrying a JSON
// error, which the client acknowledges once so that the server ends with its final reply.
#pragma once

#include "saslmechanism.h"

namespace ssmtp::protocol::sasl {

class BearerMechanism : public Mechanism
{
public:
    std::optional<QByteArray> initialResponse() final;
    std::optional<QByteArray> respond(const QByteArray &challenge) final;
    QString errorString() const final { return m_error; }

protected:
    explicit BearerMechanism(const Credentials &credentials)
        : m_credentials(credentials)
    {}
    // The initial response carrying the token (never empty).
    virtual QByteArray message(const QByteArray &token) const = 0;
    // The answer to the server's error challenge.
    virtual QByteArray errorAcknowledgement() const = 0;

    Credentials m_credentials;

private:
    QString m_error;
    bool m_sent = false;
    bool m_errorAcknowledged = false;
};

} // namespace ssmtp::protocol::sasl
