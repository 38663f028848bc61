#include "saslselection.h"

#include <QCoreApplication>

namespace ssmtp::protocol::sasl {

Selection selectMechanism(int authMechanism, const QList<QByteArray> &offered)
{
    // Values of Ssmtp::AuthMechanism (the spec's order).
    QList<QByteArray> wanted;
    switch (authMechanism) {
    case 0: // UserPassword: whichever of PLAIN and LOGIN the server offers
        wanted = {QByteArrayLiteral("PLAIN"), QByteArrayLiteral("LOGIN")};
        break;
    case 1: // CramMd5
        wanted = {QByteArrayLiteral("CRAM-MD5")};
        break;
    case 2: // Ntlm
        wanted = {QByteArrayLiteral("NTLM")};
        break;
    case 3: // Apop
        return {{},
                QCoreApplication::translate(
                    "Ssmtp", "APOP is a POP3 login command; it has no SMTP form. Choose another "
                             "authentication mechanism.")};
    case 4: // SaslPlain
        wanted = {QByteArrayLiteral("PLAIN")};
        break;
    case 5: // SaslDigestMd5
        wanted = {QByteArrayLiteral("DIGEST-MD5")};
        break;
    case 6: // Kerberos
        wanted = {QByteArrayLiteral("GSSAPI")};
        break;
    case 7: // XOAuth2
        wanted = {QByteArrayLiteral("XOAUTH2")};
        break;
    case 8: // ScramSha256
        wanted = {QByteArrayLiteral("SCRAM-SHA-256")};
        break;
    case 9: // OAuthBearer
        wanted = {QByteArrayLiteral("OAUTHBEARER")};
        break;
    default:
        return {{},
                QCoreApplication::translate(
                    "Ssmtp", "The authentication mechanism %1 is not supported by this version.")
                    .arg(authMechanism)};
    }
    for (const QByteArray &name : std::as_const(wanted)) {
        if (offered.contains(name))
            return {name, {}};
    }
    return {
        {},
        QCoreApplication::translate(
            "Ssmtp", "The server does not offer the authentication mechanism %1; it offers: %2")
            .arg(QString::fromLatin1(wanted.join('/')), QString::fromLatin1(offered.join(' ')))};
}

} // namespace ssmtp::protocol::sasl
