// SsmtpCertificate: an X.509 certificate with its optional private key (the spec's Certificate
// type), an implicitly shared value type for C++ and QML. No OpenSSL type appears here; the
// S/MIME and transport layers reach the OpenSSL handles through certificate/certificatehandles_p.h.
#pragma once

#include "ssmtpglobal.h"

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QMetaType>
#include <QSharedDataPointer>
#include <QString>
#include <QStringList>

QT_BEGIN_NAMESPACE
class QDebug;
class QSslCertificate;
class QSslKey;
QT_END_NAMESPACE

class SsmtpCertificatePrivate;

class SSMTP_CORE_EXPORT SsmtpCertificate
{
    Q_GADGET
    // Identification of the certificate (read-only: they describe the loaded certificate).
    Q_PROPERTY(QString effectiveDate READ effectiveDate)
    Q_PROPERTY(QString expirationDate READ expirationDate)
    Q_PROPERTY(QDateTime effectiveDateTime READ effectiveDateTime)
    Q_PROPERTY(QDateTime expirationDateTime READ expirationDateTime)
    Q_PROPERTY(QString extendedKeyUsage READ extendedKeyUsage)
    Q_PROPERTY(QString fingerprint READ fingerprint)
    Q_PROPERTY(QString fingerprintSHA1 READ fingerprintSHA1)
    Q_PROPERTY(QString fingerprintSHA256 READ fingerprintSHA256)
    Q_PROPERTY(QString issuer READ issuer)
    Q_PROPERTY(QString privateKey READ privateKey)
    Q_PROPERTY(bool privateKeyAvailable READ privateKeyAvailable)
    Q_PROPERTY(QString publicKey READ publicKey)
    Q_PROPERTY(QString publicKeyAlgorithm READ publicKeyAlgorithm)
    Q_PROPERTY(int publicKeyLength READ publicKeyLength)
    Q_PROPERTY(QString serialNumber READ serialNumber)
    Q_PROPERTY(QString signatureAlgorithm READ signatureAlgorithm)
    Q_PROPERTY(QString subjectAltNames READ subjectAltNames)
    Q_PROPERTY(QString thumbprintMD5 READ thumbprintMD5)
    Q_PROPERTY(QString thumbprintSHA1 READ thumbprintSHA1)
    Q_PROPERTY(QString thumbprintSHA256 READ thumbprintSHA256)
    Q_PROPERTY(QString usage READ usage)
    Q_PROPERTY(int usageFlags READ usageFlags)
    Q_PROPERTY(QString version READ version)
    // Selection: writing subject or encoded (re)loads from the store, as in the spec.
    Q_PROPERTY(QString encoded READ encoded WRITE setEncoded)
    Q_PROPERTY(QString store READ store WRITE setStore)
    Q_PROPERTY(QByteArray storeBlob READ storeBlob WRITE setStoreBlob)
    Q_PROPERTY(QString storePassword READ storePassword WRITE setStorePassword)
    Q_PROPERTY(StoreType storeType READ storeType WRITE setStoreType)
    Q_PROPERTY(QString subject READ subject WRITE setSubject)
    // State.
    Q_PROPERTY(bool null READ isNull)
    Q_PROPERTY(QString errorString READ errorString)

public:
    // The spec's CertStoreTypes, same numeric values.
    enum StoreType {
        User = 0,
        Machine = 1,
        PfxFile = 2,
        PfxBlob = 3,
        JksFile = 4,
        JksBlob = 5,
        PemKeyFile = 6,
        PemKeyBlob = 7,
        PublicKeyFile = 8,
        PublicKeyBlob = 9,
        SshPublicKeyBlob = 10,
        P7bFile = 11,
        P7bBlob = 12,
        SshPublicKeyFile = 13,
        PpkFile = 14,
        PpkBlob = 15,
        XmlFile = 16,
        XmlBlob = 17,
        JwkFile = 18,
        JwkBlob = 19,
        BcfksFile = 21,
        BcfksBlob = 22,
        Pkcs11 = 23,
        Auto = 99
    };
    Q_ENUM(StoreType)

    // The spec's UsageFlags (same bits as the X.509 KeyUsage extension).
    enum UsageFlag {
        DigitalSignature = 0x80,
        NonRepudiation = 0x40,
        KeyEncipherment = 0x20,
        DataEncipherment = 0x10,
        KeyAgreement = 0x08,
        KeyCertSign = 0x04,
        CrlSign = 0x02
    };
    Q_ENUM(UsageFlag)

    // Null certificate (storeType User, store "MY", as the spec's defaults).
    SsmtpCertificate();
    // A certificate file: PEM, DER or base64 text.
    explicit SsmtpCertificate(const QString &certificateFile);
    // Certificate data: PEM, DER or base64 text.
    explicit SsmtpCertificate(const QByteArray &certificateData);
    // Opens the store and selects the certificate by subject (exact, then substring, "*" any)
    // or by "Thumbprint=<hex>" in the newline-separated configurationString. For the *File
    // store types, store is a file name; for the *Blob types it is the data (PEM/base64 text).
    SsmtpCertificate(StoreType storeType, const QString &store, const QString &storePassword,
                     const QString &subject, const QString &configurationString = QString());
    // The same with the store as bytes (binary or base64 blob; a file name for *File types).
    SsmtpCertificate(StoreType storeType, const QByteArray &storeBlob, const QString &storePassword,
                     const QString &subject, const QString &configurationString = QString());
    // Loads encoded (PEM, DER or base64) as the certificate, then searches the store for its
    // private key.
    SsmtpCertificate(StoreType storeType, const QString &store, const QString &storePassword,
                     const QByteArray &encoded);
    SsmtpCertificate(StoreType storeType, const QByteArray &storeBlob, const QString &storePassword,
                     const QByteArray &encoded);

    SsmtpCertificate(const SsmtpCertificate &other);
    SsmtpCertificate(SsmtpCertificate &&other) noexcept;
    SsmtpCertificate &operator=(const SsmtpCertificate &other);
    SsmtpCertificate &operator=(SsmtpCertificate &&other) noexcept;
    ~SsmtpCertificate();

    void swap(SsmtpCertificate &other) noexcept { d.swap(other.d); }

    // Factory functions; errorString (optional) receives the reason of a failure.
    static SsmtpCertificate fromFile(const QString &certificateFile,
                                     QString *errorString = nullptr);
    static SsmtpCertificate fromData(const QByteArray &certificateData,
                                     QString *errorString = nullptr);
    static SsmtpCertificate load(StoreType storeType, const QByteArray &store,
                                 const QString &storePassword, const QString &subject,
                                 const QString &configurationString = QString(),
                                 QString *errorString = nullptr);
    static SsmtpCertificate loadForEncoded(StoreType storeType, const QByteArray &store,
                                           const QString &storePassword, const QByteArray &encoded,
                                           QString *errorString = nullptr);

    // True when neither a certificate nor a key is loaded.
    bool isNull() const;
    // Why the last load or selection failed; empty after success.
    QString errorString() const;

    QString effectiveDate() const;
    QString expirationDate() const;
    QDateTime effectiveDateTime() const;
    QDateTime expirationDateTime() const;
    QString extendedKeyUsage() const;
    QString fingerprint() const;
    QString fingerprintSHA1() const;
    QString fingerprintSHA256() const;
    QString issuer() const;
    QString privateKey() const;
    bool privateKeyAvailable() const;
    QString publicKey() const;
    QString publicKeyAlgorithm() const;
    int publicKeyLength() const;
    QString serialNumber() const;
    QString signatureAlgorithm() const;
    QString subjectAltNames() const;
    QString thumbprintMD5() const;
    QString thumbprintSHA1() const;
    QString thumbprintSHA256() const;
    QString usage() const;
    int usageFlags() const;
    QString version() const;

    // Email addresses of the certificate: rfc822Name entries of subjectAltName, then the
    // subject's emailAddress (E=) values, without duplicates.
    Q_INVOKABLE QStringList emailAddresses() const;

    QString encoded() const;
    void setEncoded(const QString &encoded);
    void setEncoded(const QByteArray &encoded);
    QByteArray toDer() const;
    QByteArray toPem() const;

    QString store() const;
    void setStore(const QString &store);
    QByteArray storeBlob() const;
    void setStoreBlob(const QByteArray &storeBlob);
    QString storePassword() const;
    void setStorePassword(const QString &storePassword);
    StoreType storeType() const;
    void setStoreType(StoreType storeType);
    QString subject() const;
    void setSubject(const QString &subject);

    // Qt Network views of the same certificate, key and chain (for QSslConfiguration).
    QSslCertificate toSslCertificate() const;
    QSslKey toSslKey() const;
    QList<QSslCertificate> sslChain() const;

    friend SSMTP_CORE_EXPORT bool operator==(const SsmtpCertificate &a, const SsmtpCertificate &b);
    friend bool operator!=(const SsmtpCertificate &a, const SsmtpCertificate &b)
    {
        return !(a == b);
    }

private:
    friend class SsmtpCertificatePrivate;
    QSharedDataPointer<SsmtpCertificatePrivate> d;
};

Q_DECLARE_SHARED(SsmtpCertificate)

SSMTP_CORE_EXPORT QDebug operator<<(QDebug debug, const SsmtpCertificate &certificate);

Q_DECLARE_METATYPE(SsmtpCertificate)
