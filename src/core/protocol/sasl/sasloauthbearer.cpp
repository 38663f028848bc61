#include "sasloauthbearer.h"

#include "sasltools.h"

#include <QCoreApplication>

namespace ssmtp::protocol::sasl {

std::optional<QByteArray> OAuthBearerMechanism::initialResponse()
{
    const QByteArray token = bearerToken(m_credentials);
    if (token.isEmpty()) {
        m_error = QCoreApplication::translate(
            "Ssmtp", "OAUTHBEARER needs an OAuth access token in the AuthorizationIdentity "
                     "config setting (or in Password).");
        return std::nullopt;
    }
    m_sent = true;
    QByteArray gs2 = "n,";
    if (!m_credentials.user.isEmpty())
        gs2 += "a=" + saslName(m_credentials.user);
    gs2 += ',';
    return gs2 + "\x01" + "auth=Bearer " + token + "\x01\x01";
}

std::optional<QByteArray> OAuthBearerMechanism::respond(const QByteArray &challenge)
{
    if (!m_sent) {
        // A server that ignored the initial response asks with an empty challenge.
        if (!challenge.isEmpty() || !m_error.isEmpty())
            return std::nullopt;
        return initialResponse();
    }
    if (m_errorAcknowledged)
        return std::nullopt;
    // The server's JSON error (RFC 7628 3.2.2): the client must answer with a lone ^A.
    m_errorAcknowledged = true;
    return QByteArray("\x01");
}

} // namespace ssmtp::protocol::sasl
