#include "openssl/openssl_p.h"

#include <QGlobalStatic>

#include <openssl/pkcs12.h>
#include <openssl/provider.h>

#include <climits>

namespace ssmtp::openssl {

X509Ptr addRef(X509 *x509)
{
    if (x509 && X509_up_ref(x509) == 1)
        return X509Ptr(x509);
    return X509Ptr();
}

PKeyPtr addRef(EVP_PKEY *key)
{
    if (key && EVP_PKEY_up_ref(key) == 1)
        return PKeyPtr(key);
    return PKeyPtr();
}

// STACK_OF(X509) access without the sk_X509_* macros' old-style casts leaking into callers.
#if defined(__GNUC__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wold-style-cast"
#endif
int certCount(const STACK_OF(X509) * stack)
{
    return stack ? sk_X509_num(stack) : 0;
}

X509 *certAt(const STACK_OF(X509) * stack, int index)
{
    return sk_X509_value(stack, index);
}

void freeCertStack(STACK_OF(X509) * stack)
{
    sk_X509_pop_free(stack, X509_free);
}

X509StackPtr newCertStack()
{
    return X509StackPtr(sk_X509_new_null());
}

bool pushCert(STACK_OF(X509) * stack, X509 *cert)
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

BioPtr memoryReader(QByteArrayView bytes)
{
    if (bytes.size() > INT_MAX)
        return BioPtr();
    // BIO_new_mem_buf refuses nullptr even for no bytes (a view of a null QByteArray).
    const char *data = bytes.isNull() ? "" : bytes.data();
    return BioPtr(BIO_new_mem_buf(data, static_cast<int>(bytes.size())));
}

QByteArray memoryContents(BIO *bio)
{
    if (!bio)
        return QByteArray();
    char *data = nullptr;
    const long size = BIO_get_mem_data(bio, &data);
    if (size <= 0 || !data)
        return QByteArray();
    return QByteArray(data, static_cast<qsizetype>(size));
}

namespace {

// One error queue entry as text: "library: reason (detail)".
QString errorText(unsigned long code, const char *data, int flags)
{
    QString text;
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
    return text;
}

} // namespace

QString takeErrors()
{
    QString text;
    const char *data = nullptr;
    int flags = 0;
    while (const unsigned long code = ERR_get_error_all(nullptr, nullptr, nullptr, &data, &flags)) {
        if (!text.isEmpty())
            text += QLatin1String("; ");
        text += errorText(code, data, flags);
    }
    return text;
}

namespace {

struct LegacyContext
{
    OSSL_LIB_CTX *ctx = nullptr;
    OSSL_PROVIDER *defaultProvider = nullptr;
    OSSL_PROVIDER *legacyProvider = nullptr;
    QString error; // why ctx is nullptr

    LegacyContext()
    {
        // Created in the middle of the first caller's work (certificate or S/MIME layer, any
        // thread): errors queued before stay, nothing of ours stays behind, but the text of a
        // failure is kept for messages. When the queue held entries already, only the newest
        // one (ours) can be read without taking the caller's.
        const bool queueWasEmpty = ERR_peek_error() == 0;
        ErrorQueueGuard guard;
        ctx = OSSL_LIB_CTX_new();
        if (ctx) {
            defaultProvider = OSSL_PROVIDER_load(ctx, "default");
            legacyProvider = OSSL_PROVIDER_load(ctx, "legacy");
        }
        if (!ctx || !defaultProvider || !legacyProvider) {
            if (queueWasEmpty) {
                error = takeErrors();
            } else {
                const char *data = nullptr;
                int flags = 0;
                if (const unsigned long code =
                        ERR_peek_last_error_all(nullptr, nullptr, nullptr, &data, &flags))
                    error = errorText(code, data, flags);
            }
            release();
        }
    }
    ~LegacyContext() { release(); }
    LegacyContext(const LegacyContext &) = delete;
    LegacyContext &operator=(const LegacyContext &) = delete;

    void release()
    {
        if (legacyProvider)
            OSSL_PROVIDER_unload(legacyProvider);
        if (defaultProvider)
            OSSL_PROVIDER_unload(defaultProvider);
        if (ctx)
            OSSL_LIB_CTX_free(ctx);
        legacyProvider = nullptr;
        defaultProvider = nullptr;
        ctx = nullptr;
    }
};

// Thread-safe construction on first use, destroyed at exit (afterwards the accessors return
// nullptr instead of touching a destroyed object).
// (clang flags Q_GLOBAL_STATIC's empty argument pack under -Wpedantic.)
QT_WARNING_PUSH
QT_WARNING_DISABLE_CLANG("-Wgnu-zero-variadic-macro-arguments")
Q_GLOBAL_STATIC(LegacyContext, legacyContext)
QT_WARNING_POP

} // namespace

OSSL_LIB_CTX *legacyLibraryContext()
{
    LegacyContext *context = legacyContext();
    return context ? context->ctx : nullptr;
}

QString legacyLibraryContextError()
{
    const LegacyContext *context = legacyContext();
    return context ? context->error : QString();
}

PKeyPtr reimport(EVP_PKEY *key)
{
    if (!key)
        return PKeyPtr();
    PKCS8_PRIV_KEY_INFO *info = EVP_PKEY2PKCS8(key);
    if (!info)
        return PKeyPtr();
    unsigned char *der = nullptr;
    const int length = i2d_PKCS8_PRIV_KEY_INFO(info, &der);
    PKCS8_PRIV_KEY_INFO_free(info);
    if (length <= 0)
        return PKeyPtr();
    const unsigned char *p = der;
    PKeyPtr copy;
    if (PKCS8_PRIV_KEY_INFO *decoded = d2i_PKCS8_PRIV_KEY_INFO(nullptr, &p, length)) {
        copy.reset(EVP_PKCS82PKEY(decoded));
        PKCS8_PRIV_KEY_INFO_free(decoded);
    }
    OPENSSL_cleanse(der, size_t(length));
    OPENSSL_free(der);
    return copy;
}

} // namespace ssmtp::openssl
