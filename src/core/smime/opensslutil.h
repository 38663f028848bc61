// Small RAII and helper layer over OpenSSL for the S/MIME code (internal; never include it from
// a public header). Every OpenSSL object the smime layer creates is owned by one of the
// unique_ptr aliases below, and the STACK_OF(X509) macros, whose expansions contain C-style
// casts, are confined to the inline functions of this header.
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

namespace ssmtp::smime::ossl {

template<auto FreeFunction>
struct Deleter
{
    template<typename T>
    void operator()(T *object) const
    {
        if (object)
            FreeFunction(object);
    }
};

using BioPtr = std::unique_ptr<BIO, Deleter<BIO_free_all>>;
using CmsPtr = std::unique_ptr<CMS_ContentInfo, Deleter<CMS_ContentInfo_free>>;
using CipherPtr = std::unique_ptr<EVP_CIPHER, Deleter<EVP_CIPHER_free>>;
using MdPtr = std::unique_ptr<EVP_MD, Deleter<EVP_MD_free>>;
using X509Ptr = std::unique_ptr<X509, Deleter<X509_free>>;
using PkeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY_free>>;

// STACK_OF(X509) access without the sk_X509_* macros' old-style casts leaking into callers.
#if defined(__GNUC__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wold-style-cast"
#endif
inline int certCount(const STACK_OF(X509) *stack)
{
    return stack ? sk_X509_num(stack) : 0;
}

inline X509 *certAt(const STACK_OF(X509) *stack, int index)
{
    return sk_X509_value(stack, index);
}

// A stack that owns references to its certificates (X509_up_ref on push).
struct X509StackDeleter
{
    void operator()(STACK_OF(X509) *stack) const { sk_X509_pop_free(stack, X509_free); }
};
using X509StackPtr = std::unique_ptr<STACK_OF(X509), X509StackDeleter>;

inline X509StackPtr newCertStack()
{
    return X509StackPtr(sk_X509_new_null());
}

// Pushes an additional reference to cert; false (nothing owned) on allocation failure.
inline bool pushCert(STACK_OF(X509) *stack, X509 *cert)
{
    if (!X509_up_ref(cert))
        return false;
    if (sk_X509_push(stack, cert) <= 0) {
        X509_free(cert);
        return false;
    }
    return true;
}
#if defined(__GNUC__)
#pragma GCC diagnostic pop
#endif

// A read-only memory BIO over bytes owned by the caller (no copy).
inline BioPtr memoryReader(QByteArrayView bytes)
{
    return BioPtr(BIO_new_mem_buf(bytes.data(), static_cast<int>(bytes.size())));
}

// The bytes written into a memory BIO (one copy out of OpenSSL's buffer).
inline QByteArray memoryContents(BIO *bio)
{
    char *data = nullptr;
    const long size = BIO_get_mem_data(bio, &data);
    return size > 0 ? QByteArray(data, static_cast<qsizetype>(size)) : QByteArray();
}

// Takes every entry off this thread's OpenSSL error queue and returns them as one line
// ("library: reason (detail); library: reason"), empty when the queue was empty.
inline QString takeErrors()
{
    QString text;
    const char *data = nullptr;
    int flags = 0;
    while (const unsigned long code = ERR_get_error_all(nullptr, nullptr, nullptr, &data, &flags)) {
        if (!text.isEmpty())
            text += QLatin1String("; ");
        const char *library = ERR_lib_error_string(code);
        const char *reason = ERR_reason_error_string(code);
        if (reason) {
            if (library)
                text += QString::fromLatin1(library) + QLatin1String(": ");
            text += QString::fromLatin1(reason);
        } else {
            char buffer[256];
            ERR_error_string_n(code, buffer, sizeof buffer);
            text += QString::fromLatin1(buffer);
        }
        if ((flags & ERR_TXT_STRING) && data && *data)
            text += QLatin1String(" (") + QString::fromUtf8(data) + QLatin1Char(')');
    }
    return text;
}

} // namespace ssmtp::smime::ossl
