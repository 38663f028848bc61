// Internal: the shared data of SsmtpCertificate. It owns one reference to each OpenSSL object
// it holds (taken with X509_up_ref/EVP_PKEY_up_ref, released in the destructor); copying the
// data (detach) takes further references, it never copies the objects.
#pragma once

#include "certificate/certificatestore_p.h"
#include "openssl/openssl_p.h"
#include "ssmtpcertificate.h"

#include <QSharedData>

#include <openssl/x509.h>

class SsmtpCertificatePrivate : public QSharedData
{
public:
    SsmtpCertificatePrivate() = default;
    SsmtpCertificatePrivate(const SsmtpCertificatePrivate &other);
    ~SsmtpCertificatePrivate();
    SsmtpCertificatePrivate &operator=(const SsmtpCertificatePrivate &) = delete;

    static const SsmtpCertificatePrivate *get(const SsmtpCertificate &certificate)
    {
        return certificate.d.constData();
    }
    static SsmtpCertificatePrivate *get(SsmtpCertificate &certificate)
    {
        return certificate.d.data();
    }

    // Replaces certificate, key and chain (the selection's references move in).
    void setContents(ssmtp::certificate::Selection &&selection);
    void clearContents();

    // The certificate's public key, or the public half of a key-only store.
    EVP_PKEY *publicKey() const;

    // Selection in the store, as SsmtpCertificate::load and setSubject.
    bool select(const QString &subject, const QString &configuration);
    // encoded as the certificate, its key from the store when searchStore.
    bool loadEncoded(const QByteArray &encoded, bool searchStore);

    ssmtp::openssl::X509Ptr x509;
    ssmtp::openssl::PKeyPtr key;
    STACK_OF(X509) *chain = nullptr; // owned, with one reference per certificate

    SsmtpCertificate::StoreType storeType = SsmtpCertificate::User;
    QByteArray store = QByteArrayLiteral("MY");
    QString storePassword;
    QString errorString;
};
