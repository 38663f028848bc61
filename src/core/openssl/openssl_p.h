// Internal: the library's one helper layer over OpenSSL's libcrypto, shared by the certificate
// and S/MIME layers. Never include it from a public header: no OpenSSL type appears in the
// public API.
//
//  - Every OpenSSL object the library creates is owned by one of the unique_ptr aliases below
//    (all built on the one Deleter template).
//  - The STACK_OF(X509) macros, whose expansions contain C-style casts, are confined to the
//    typed helpers (certCount, certAt, newCertStack, pushCert) in openssl.cpp.
//  - OpenSSL's error queue is per thread and shared with other code of the thread (QSslSocket
//    reads it): takeErrors() turns it into text, ErrorQueueGuard keeps our errors out of it.
//  - The "legacy" provider (RC2, DES) lives in one private library context for the whole
//    library; the application's default context is never changed.
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <openssl/bio.h>
#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include <memory>

namespace ssmtp::openssl {

// --- ownership ----------------------------------------------------------------------------

// Deleter for std::unique_ptr that calls FreeFunction (X509_free, EVP_PKEY_free, ...).
template<auto FreeFunction> struct Deleter
{
    template<typename T> void operator()(T *object) const
    {
        if (object)
            FreeFunction(object);
    }
};

using BioPtr = std::unique_ptr<BIO, Deleter<BIO_free_all>>;
using CmsPtr = std::unique_ptr<CMS_ContentInfo, Deleter<CMS_ContentInfo_free>>;
using CipherPtr = std::unique_ptr<EVP_CIPHER, Deleter<EVP_CIPHER_free>>;
using CipherContextPtr = std::unique_ptr<EVP_CIPHER_CTX, Deleter<EVP_CIPHER_CTX_free>>;
using MdPtr = std::unique_ptr<EVP_MD, Deleter<EVP_MD_free>>;
using X509Ptr = std::unique_ptr<X509, Deleter<X509_free>>;
using PKeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY_free>>;

// New owning references to existing objects (X509_up_ref / EVP_PKEY_up_ref); null for nullptr
// or when the reference cannot be taken.
X509Ptr addRef(X509 *x509);
PKeyPtr addRef(EVP_PKEY *key);

// --- STACK_OF(X509) -----------------------------------------------------------------------

// The number of certificates of stack; 0 for nullptr.
int certCount(const STACK_OF(X509) * stack);
// The certificate at index (borrowed).
X509 *certAt(const STACK_OF(X509) * stack, int index);

// sk_X509_pop_free(stack, X509_free): frees the stack and its references.
void freeCertStack(STACK_OF(X509) * stack);
// A stack that owns references to its certificates (X509_up_ref on push).
using X509StackPtr = std::unique_ptr<STACK_OF(X509), Deleter<freeCertStack>>;

X509StackPtr newCertStack();
// Pushes an additional reference to cert; false (nothing owned) on allocation failure.
bool pushCert(STACK_OF(X509) * stack, X509 *cert);

// --- memory BIOs --------------------------------------------------------------------------

// A read-only memory BIO over bytes owned by the caller (no copy: bytes must outlive the BIO);
// null when bytes is larger than a BIO can take (INT_MAX).
BioPtr memoryReader(QByteArrayView bytes);

// The bytes written into a memory BIO so far (one copy out of OpenSSL's buffer); empty for
// nullptr.
QByteArray memoryContents(BIO *bio);

// --- error queue --------------------------------------------------------------------------

// Takes every entry off this thread's OpenSSL error queue and returns them as one line
// ("library: reason (detail); library: reason"), empty when the queue was empty.
QString takeErrors();

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

// --- the legacy provider ------------------------------------------------------------------

// The private library context with the "default" and "legacy" providers (OpenSSL 3 keeps
// single DES and RC2 in "legacy": old PKCS#12 files and PEM keys, the DES/RC2 S/MIME ciphers),
// created on first use (thread-safe) and freed at exit; nullptr when the legacy provider
// cannot be loaded. It is passed explicitly to the *_ex functions that need it, so that the
// process-wide default context (and with it QSslSocket's TLS) stays as the system configured
// it (not even changed per thread). The one context of the whole library.
OSSL_LIB_CTX *legacyLibraryContext();

// Why legacyLibraryContext() is nullptr: OpenSSL's error text from creating it (may be
// empty); empty when the context is available.
QString legacyLibraryContextError();

// A copy of a key decoded in another library context, re-decoded in the default one (so that
// nothing we keep depends on the private context).
PKeyPtr reimport(EVP_PKEY *key);

} // namespace ssmtp::openssl
