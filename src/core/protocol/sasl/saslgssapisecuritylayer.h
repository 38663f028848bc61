// RFC 4752 3.1, last step of SASL GSSAPI: the server's 4-octet security-layer offer (after
// GSS_Unwrap) and the client's answer (before GSS_Wrap). Pure, so it is tested without a KDC.
#pragma once

#include <QByteArray>
#include <QString>

#include <optional>

namespace ssmtp::protocol::sasl::gssapi {

// Bits of the first octet of both messages.
enum SecurityLayer : quint8 {
    NoSecurityLayer = 0x01,
    IntegrityProtection = 0x02,
    ConfidentialityProtection = 0x04,
};

// The answer to the server's unwrapped offer: "no security layer", maximum message size 0 (RFC
// 4752: zero when no layer is chosen), then the authorization identity in UTF-8 (empty: act as
// the authenticated principal). SMTP runs over TLS or not at all, so this library never asks
// for a GSSAPI layer; an offer without "no security layer" cannot be answered. nullopt then,
// with a translated reason in *error.
std::optional<QByteArray> answerSecurityLayerOffer(const QByteArray &offer,
                                                   const QString &authorizationIdentity,
                                                   QString *error);

} // namespace ssmtp::protocol::sasl::gssapi
