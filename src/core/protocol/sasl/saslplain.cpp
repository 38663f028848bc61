#include "saslplain.h"

namespace ssmtp::protocol::sasl {

std::optional<QByteArray> PlainMechanism::initialResponse()
{
    m_sent = true;
    return m_credentials.authorizationIdentity.toUtf8() + '\0' + m_credentials.user.toUtf8() +
           '\0' + m_credentials.password.toUtf8();
}

std::optional<QByteArray> PlainMechanism::respond(const QByteArray &challenge)
{
    // A server that ignored the initial response sends an empty challenge: answer it once.
    if (!m_sent && challenge.isEmpty())
        return initialResponse();
    return std::nullopt;
}

} // namespace ssmtp::protocol::sasl
