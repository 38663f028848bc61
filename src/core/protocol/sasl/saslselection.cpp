#include "saslselection.h"

#include <QCoreApplication>

namespace ssmtp::protocol::sasl {

Selection selectMechanism(int authMechanism, const QList<QByteArray> &offered)
{
    QList<QByteArray> wanted;
    switch (authMechanism) {
    case 0: // UserPassword: whichever of PLAIN and LOGIN the server offers
        wanted = {QByteArrayLiteral("PLAIN"), QByteArrayLiteral("LOGIN")};
        break;
    case 4: // SaslPlain
        wanted = {QByteArrayLiteral("PLAIN")};
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
