// The spec's names for TLS groups and signature algorithms (TLS12SupportedGroups,
// TLS13SupportedGroups, TLS12SignatureAlgorithms, TLS13SignatureAlgorithms) in OpenSSL's
// SSL_CONF syntax ("Groups", "SignatureAlgorithms"), which Qt passes through its backend
// configuration.
#pragma once

#include <QByteArray>
#include <QString>

namespace ssmtp::transport {

// "ecdhe_x25519,ecdhe_secp256r1,ffdhe_2048" -> "X25519:P-256:ffdhe2048". Empty with *unknown
// set to the first name that has no OpenSSL counterpart.
QByteArray opensslGroups(const QString &specList, QString *unknown);

// "rsa_pss_sha256,ecdsa_secp256r1_sha256" (TLS 1.3 names) or "sha256-rsa,sha384-ecdsa"
// (TLS 1.2 hash-signature pairs) -> "rsa_pss_rsae_sha256:ecdsa_secp256r1_sha256" /
// "RSA+SHA256:ECDSA+SHA384". Empty with *unknown set on an unknown name.
QByteArray opensslSignatureAlgorithms(const QString &specList, QString *unknown);

} // namespace ssmtp::transport
