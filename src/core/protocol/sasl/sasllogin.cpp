#include "sasllogin.h"

namespace ssmtp::protocol::sasl {

std::optional<QByteArray> LoginMechanism::respond(const QByteArray &challenge)
{
    // Servers ask "Username:" then "Password:"; some send other prompts, so go by order but
    // honour an explicit password prompt.
    const QByteArray prompt = challenge.trimmed().toLower();
    switch (m_step++) {
    case 0:
        if (prompt.startsWith("password"))
            return std::nullopt;
        return m_credentials.user.toUtf8();
    case 1:
        return m_credentials.password.toUtf8();
    default:
        return std::nullopt; // a third challenge is not part of LOGIN
    }
}

} // namespace ssmtp::protocol::sasl
