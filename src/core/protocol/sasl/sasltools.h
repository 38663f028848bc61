// Small pieces several SASL mechanisms share: GS2 saslname escaping (SCRAM, OAUTHBEARER),
// client nonces, and the OAuth token of XOAUTH2/OAUTHBEARER.
#pragma once

#include "saslmechanism.h"

namespace ssmtp::protocol::sasl {

// RFC 5801 / RFC 5802 saslname: UTF-8 with '=' written "=3D" and ',' written "=2C".
QByteArray saslName(const QString &name);

// A fresh random nonce of printable characters without ',' '"' or '\' (base64 of 18 random
// octets from the system generator).
QByteArray randomNonce();

// The OAuth 2.0 access token for XOAUTH2/OAUTHBEARER: AuthorizationIdentity, else Password
// (see docs/decisions.md), without a leading "Bearer " (the spec's example value has one; the
// mechanisms add their own). Empty when neither is set.
QByteArray bearerToken(const Credentials &credentials);

// Constant-time comparison for proofs the server sends back (rspauth, SCRAM v=).
bool equalDigests(const QByteArray &a, const QByteArray &b);

} // namespace ssmtp::protocol::sasl
