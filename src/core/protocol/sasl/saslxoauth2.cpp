#include "saslxoauth2.h"

#include "sasltools.h"

#include <QCoreApplication>

namespace ssmtp::protocol::sasl {

std::optional<QByteArray> XOAuth2Mechanism::initialResponse()
{
    const QByteArray token = bearerToken(m_credentials);
    if (token.isEmpty()) {
        m_error = QCoreApplication::translate(
            "Ssmtp", "XOAUTH2 needs an OAuth access token in the AuthorizationIdentity config "
                     "setting (or in Password).");
        return std::nullopt;
    }
    m_sent = true;
    return "user=" + m_credentials.user.toUtf8() + "\x01" + "auth=Bearer " + token + "\x01\x01";
}

std::optional<QByteArray> XOAuth2Mechanism::respond(const QByteArray &challenge)
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
    // Acknowledge it with an empty response so that the server ends with its final reply.
    m_errorAcknowledged = true;
    return QByteArray();
}

} // namespace ssmtp::protocol::sasl
