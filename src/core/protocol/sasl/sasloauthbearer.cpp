#include "sasloauthbearer.h"

#include "sasltools.h"

namespace ssmtp::protocol::sasl {

QByteArray OAuthBearerMechanism::message(const QByteArray &token) const
{
    QByteArray gs2 = "n,";
    if (!m_credentials.user.isEmpty())
        gs2 += "a=" + saslName(m_credentials.user);
    gs2 += ',';
    return gs2 + "\x01" + "auth=Bearer " + token + "\x01\x01";
}

} // namespace ssmtp::protocol::sasl
