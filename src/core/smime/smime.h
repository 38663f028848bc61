// S/MIME 4.0 (RFC 8551) signing and encryption of one MIME entity with OpenSSL's CMS.
//
// Internal header: it takes OpenSSL objects (X509*, EVP_PKEY*, STACK_OF(X509)*) and must never
// be included from a public header. Pure functions over bytes: no I/O, no event loop; they
// may run on any thread (OpenSSL's error queue is per thread and is left empty).
//
// Input is a MIME entity: its content header fields (Content-Type, Content-Transfer-Encoding,
// Content-Disposition, ...; not From/To/Subject), an empty line, the body. Output is the entity
// that replaces it in the message: new content header fields and a body. The caller keeps the
// message's other header fields (From, To, Subject, MIME-Version, ...).
//
// The input is first brought into canonical form (smimecanonical.h): CRLF line breaks and a
// 7-bit transfer encoding, so that the signature survives relays (RFC 8551 3.1).
#pragma once

#include "smimealgorithms.h"

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>

#include <openssl/evp.h>
#include <openssl/x509.h>

namespace ssmtp::smime {

struct SignOptions
{
    // SigningAlgorithm: a name of the spec ("sha-256", "SHA256", "sha1", "md5", ...) or an OID.
    QString algorithm = defaultSigningAlgorithm();
    // Put the signer's certificate into the signature (IncludeCertificate).
    bool includeCertificate = true;
    // Also put the chain (the extraCerts given to sign()) into it (IncludeChain); only together
    // with includeCertificate.
    bool includeChain = false;
    // false: multipart/signed (clear-signed, RFC 8551 3.5.3); true: application/pkcs7-mime;
    // smime-type=signed-data (opaque, RFC 8551 3.5.2), readable only by S/MIME clients.
    bool opaque = false;
    // RSASSA-PSS (RFC 4056; salt length = digest length, MGF1 with the signing digest) instead
    // of PKCS #1 v1.5 for an RSA key. Other keys (EC: ECDSA) are not affected.
    bool rsaPss = false;
};

struct EncryptOptions
{
    // EncryptingAlgorithm: a name of the spec ("AESCBC256", "AES", "3DES", "RC2CBC40",
    // "AESGCM", ...) or an OID. AES-GCM gives AuthEnvelopedData (RFC 5083/5084). DES and RC2
    // come from OpenSSL's legacy provider, loaded on demand into a private library context.
    QString algorithm = defaultEncryptingAlgorithm();
    // RSAES-OAEP (RFC 3560; SHA-256 and MGF1-SHA-256) instead of PKCS #1 v1.5 key transport for
    // RSA recipients. EC recipients always use ECDH key agreement (RFC 5753, OpenSSL's default
    // dhSinglePass-stdDH-sha1kdf with AES key wrap).
    bool rsaOaep = false;
};

struct Result
{
    bool ok = false;
    QString errorString; // translated; includes OpenSSL's error text where there is one

    // The new entity: content header fields (name, unfolded value) and the body (CRLF lines).
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body;

    // The header fields folded at "; " to at most 78 columns, each line CRLF-terminated.
    QByteArray headerBlock() const;
    // headerBlock(), the empty line and the body: the complete entity.
    QByteArray entity() const;
};

// Signs entity with signer's key. extraCerts (may be nullptr) is the signer's chain, put into
// the signature when options.includeChain and options.includeCertificate are set; no reference
// to any argument is kept. Clear-signed output: multipart/signed; protocol=
// "application/pkcs7-signature"; micalg=...; its first part is the canonical entity, byte for
// byte, its second the detached signature (application/pkcs7-signature; name=smime.p7s, base64).
Result sign(const QByteArray &entity, X509 *signer, EVP_PKEY *key, STACK_OF(X509) * extraCerts,
            const SignOptions &options = SignOptions());

// Encrypts entity for every recipient. Output: application/pkcs7-mime; smime-type=
// enveloped-data (authEnveloped-data for AES-GCM); name=smime.p7m, base64, as an attachment
// named smime.p7m. The decrypted content is the canonical entity.
Result encrypt(const QByteArray &entity, const QList<X509 *> &recipients,
               const EncryptOptions &options = EncryptOptions());

// sign(), then encrypt() of the signed entity (RFC 8551 3.6: signed, then enveloped).
Result signAndEncrypt(const QByteArray &entity, X509 *signer, EVP_PKEY *key,
                      STACK_OF(X509) * extraCerts, const QList<X509 *> &recipients,
                      const SignOptions &signOptions = SignOptions(),
                      const EncryptOptions &encryptOptions = EncryptOptions());

} // namespace ssmtp::smime
