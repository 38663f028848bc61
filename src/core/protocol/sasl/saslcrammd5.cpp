#include "saslcrammd5.h"

#include <QCoreApplication>
#include <QMessageAuthenticationCode>

namespace ssmtp::protocol::sasl {

std::optional<QByteArray> CramMd5Mechanism::respond(const QByteArray &challenge)
{
    // One challenge (an RFC 822 msg-id) and nothing after it; an empty one is no challenge.
    if (m_answered || challenge.isEmpty()) {
        m_error = QCoreApplication::translate("Ssmtp", "The server sent an invalid CRAM-MD5 "
                                                       "challenge.");
        return std::nullopt;
    }
    m_answered = true;
    const QByteArray digest = QMessageAuthenticationCode::hash(
        challenge, m_credentials.password.toUtf8(), QCryptographicHash::Md5);
    return m_credentials.user.toUtf8() + ' ' + digest.toHex();
}

} // namespace ssmtp::protocol::sasl
