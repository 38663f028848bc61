#include "certificate/opensslutil_p.h"

#include <QGlobalStatic>

#include <openssl/pkcs12.h>
#include <openssl/provider.h>

#include <climits>

namespace ssmtp::certificate {

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

BioPtr memoryBio(const QByteArray &data)
{
    if (data.size() > INT_MAX)
        return BioPtr();
    return BioPtr(BIO_new_mem_buf(data.constData(), int(data.size())));
}

QByteArray bioContents(BIO *bio)
{
    if (!bio)
        return QByteArray();
    char *bytes = nullptr;
    const long size = BIO_get_mem_data(bio, &bytes);
    if (size <= 0 || !bytes)
        return QByteArray();
    return QByteArray(bytes, qsizetype(size));
}

namespace {

struct LegacyContext
{
    OSSL_LIB_CTX *ctx = nullptr;
    OSSL_PROVIDER *defaultProvider = nullptr;
    OSSL_PROVIDER *legacyProvider = nullptr;

    LegacyContext()
    {
        ErrorQueueGuard guard;
        ctx = OSSL_LIB_CTX_new();
        if (!ctx)
            return;
        defaultProvider = OSSL_PROVIDER_load(ctx, "default");
        legacyProvider = OSSL_PROVIDER_load(ctx, "legacy");
        if (!defaultProvider || !legacyProvider)
            release();
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

Q_GLOBAL_STATIC(LegacyContext, legacyContext)

} // namespace

OSSL_LIB_CTX *legacyLibraryContext()
{
    LegacyContext *context = legacyContext();
    return context ? context->ctx : nullptr;
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

} // namespace ssmtp::certificate
