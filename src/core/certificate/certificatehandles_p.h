// Internal access to the OpenSSL objects behind an SsmtpCertificate, for the S/MIME and
// transport layers. Not installed, not part of the public API.
//
// Ownership: the getters return borrowed pointers. The SsmtpCertificate (its shared data)
// keeps them alive as long as that object, or any copy of it, exists unchanged; do not free
// them. To keep one beyond that, take your own reference (X509_up_ref, EVP_PKEY_up_ref) or
// keep a copy of the SsmtpCertificate. Do not modify the objects: they are shared between
// all copies of the certificate (and possibly between threads).
#pragma once

#include "ssmtpcertificate.h"

#include <openssl/evp.h>
#include <openssl/x509.h>

namespace ssmtp::certificate {

// The certificate, or nullptr (null certificate, or a key-only PEM store).
X509 *x509(const SsmtpCertificate &certificate);

// The private key, or nullptr when privateKeyAvailable() is false.
EVP_PKEY *privateKey(const SsmtpCertificate &certificate);

// The public key: the certificate's, or the public half of a key-only private key.
EVP_PKEY *publicKey(const SsmtpCertificate &certificate);

// The issuer certificates found in the same store (leaf excluded, nearest issuer first); an
// empty stack when there are none; nullptr only for a null certificate.
STACK_OF(X509) * chain(const SsmtpCertificate &certificate);

// A certificate around existing objects: takes its own references to cert, key and each
// certificate of chain (the caller keeps its references). cert may be nullptr with a key.
// key should belong to cert (not checked).
SsmtpCertificate fromX509(X509 *cert, EVP_PKEY *key = nullptr, STACK_OF(X509) *chain = nullptr);

} // namespace ssmtp::certificate
