#include "saslgssapisecuritylayer.h"

#include <QCoreApplication>

namespace ssmtp::protocol::sasl::gssapi {

std::optional<QByteArray> answerSecurityLayerOffer(const QByteArray &offer,
                                                   const QString &authorizationIdentity,
                                                   QString *error)
{
    if (offer.size() != 4) {
        *error = QCoreApplication::translate("Ssmtp",
                                             "The server's GSSAPI security layer message has %1 "
                                             "octets instead of 4.")
                     .arg(offer.size());
        return std::nullopt;
    }
    const auto offered = static_cast<quint8>(offer.at(0));
    if (!(offered & NoSecurityLayer)) {
        *error = QCoreApplication::translate(
            "Ssmtp", "The server requires a GSSAPI security layer (integrity or encryption "
                     "inside the SMTP session), which is not supported. Use TLS instead.");
        return std::nullopt;
    }
    QByteArray answer(4, '\0');
    answer[0] = static_cast<char>(NoSecurityLayer);
    return answer + authorizationIdentity.toUtf8();
}

} // namespace ssmtp::protocol::sasl::gssapi
