// Internal: RAII owners for OpenSSL objects, an error-queue guard and the private library
// context with the "legacy" provider (RC2/DES PKCS#12). Not part of the public API.
#pragma once

#include <QByteArray>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include <memory>
#include <vector>

namespace ssmtp::certificate {

struct X509Deleter
{
    void operator()(X509 *p) const { X509_free(p); }
};
struct PKeyDeleter
{
    void operator()(EVP_PKEY *p) const { EVP_PKEY_free(p); }
};
struct BioDeleter
{
    void operator()(BIO *p) const { BIO_free(p); }
};

using X509Ptr = std::unique_ptr<X509, X509Deleter>;
using PKeyPtr = std::unique_ptr<EVP_PKEY, PKeyDeleter>;
using BioPtr = std::unique_ptr<BIO, BioDeleter>;

// New owning references to existing objects (X509_up_ref / EVP_PKEY_up_ref).
X509Ptr addRef(X509 *x509);
PKeyPtr addRef(EVP_PKEY *key);

// A read-only memory BIO over data (data must outlive the BIO).
BioPtr memoryBio(const QByteArray &data);
// Everything written to bio so far.
QByteArray bioContents(BIO *bio);

// Pops every OpenSSL error raised during its lifetime (errors queued before stay), so that
// failures of ours never leak into the error queue other code of the thread (QSslSocket)
// reads.
class ErrorQueueGuard
{
public:
    ErrorQueueGuard() { ERR_set_mark(); }
    ~ErrorQueueGuard() { ERR_pop_to_mark(); }
    ErrorQueueGuard(const ErrorQueueGuard &) = delete;
    ErrorQueueGuard &operator=(const ErrorQueueGuard &) = delete;
};

// The private library context with the "default" and "legacy" providers (RC2, DES: old
// PKCS#12 files and PEM keys), created on first use and freed at exit; nullptr when the legacy
// provider cannot be loaded. It is passed explicitly to the *_ex functions that decrypt; the
// application's default context is never changed (not even per thread).
OSSL_LIB_CTX *legacyLibraryContext();

// A copy of a key decoded in another library context, re-decoded in the default one (so that
// nothing we keep depends on the private context).
PKeyPtr reimport(EVP_PKEY *key);

} // namespace ssmtp::certificate
