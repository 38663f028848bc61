#include "saslbearer.h"

#include "sasltools.h"

#include <QCoreApplication>

namespace ssmtp::protocol::sasl {

std::optional<QByteArray> BearerMechanism::initialResponse()
{
    const QByteArray token = bearerToken(m_credentials);
    if (token.isEmpty()) {
        m_error = QCoreApplication::translate(
                      "Ssmtp", "%1 needs an OAuth access token in the AuthorizationIdentity "
                               "config setting (or in Password).")
                      .arg(QString::fromLatin1(name()));
        return std::nullopt;
    }
    m_sent = true;
    return message(token);
}

std::optional<QByteArray> BearerMechanism::respond(const QByteArray &challenge)
{
    if (!m_sent) {
        // A server that ignored the initial response asks with an empty challenge; without a
        // token (error already set) there is nothing to send.
        if (!challenge.isEmpty() || !m_error.isEmpty())
            return std::nullopt;
        return initialResponse();
    }
    if (m_errorAcknowledged)
        return std::nullopt;
    // The token was refused: the challenge is the server's JSON error ({"status":"401",...}).
    m_errorAcknowledged = true;
    return errorAcknowledgement();
}

} // namespace ssmtp::protocol::sasl
