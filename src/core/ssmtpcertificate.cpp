#include "ssmtpcertificate.h"

#include "certificate/certificatefields_p.h"
#include "certificate/certificatehandles_p.h"
#include "certificate/certificatestore_p.h"
#include "certificate/ssmtpcertificate_p.h"

#include <QCoreApplication>
#include <QDebug>
#include <QFile>
#include <QSslCertificate>
#include <QSslKey>

#include <openssl/evp.h>
#include <openssl/x509.h>

using namespace ssmtp::certificate;

/*!
    \class SsmtpCertificate
    \brief An X.509 certificate with its optional private key: the spec's Certificate type.

    SsmtpCertificate is an implicitly shared value type (a Q_GADGET, usable from QML). It is
    loaded from a certificate file or data, or from a certificate store: a PKCS#12 (PFX) file
    or blob, a PEM file with a private key and optional certificates, a PEM or DER
    certificate, or a PKCS#7 (P7B) certificate bundle. StoreType::Auto detects the format.
    Blob stores may be raw binary or base64 text. Legacy PKCS#12 files (RC2/3DES, as written
    by \c{openssl pkcs12 -legacy} and older Windows versions) are read through OpenSSL's
    "legacy" provider, loaded on demand into a private library context (the application's
    OpenSSL configuration is not changed).

    Windows and Java stores (User, Machine, JKS, BCFKS), SSH and PuTTY keys, XML and JWK keys
    and PKCS#11 tokens are not supported: loading them gives a null certificate and an
    errorString() saying so.

    A failed load gives a null certificate (isNull()) with the reason in errorString(); it
    never throws or crashes on damaged input.

    \section1 Text formats

    \list
    \li effectiveDate, expirationDate: "23-Jan-2000 15:00:00" (UTC, English month
        abbreviation, two-digit day). effectiveDateTime/expirationDateTime give QDateTime
        (UTC).
    \li subject, issuer: "CN=Alice, O=Example, C=DE, E=alice@example.com": the RDNs from the
        last to the first, as RFC 2253 and Windows order them (the same order as
        \c{openssl x509 -nameopt RFC2253}), separated by ", " (" + " inside a multi-valued
        RDN), with the spec's attribute names CN, O, OU, L, S (state), C and E (e-mail); other
        attributes by their OpenSSL short name (e.g. "serialNumber", "DC"), else the dotted
        OID. Values are UTF-8 text; a value containing , + = " \\ < > ; # or a line break, or
        with leading or trailing blanks, is put in double quotes with inner quotes doubled.
    \li fingerprint, fingerprintSHA1, fingerprintSHA256: the digest of the DER certificate as
        lower-case hex bytes separated by colons ("bc:2a:72:..."). For a key without a
        certificate (a PEM key store with only a private key) the digest of the DER
        SubjectPublicKeyInfo.
    \li thumbprintMD5, thumbprintSHA1, thumbprintSHA256: the same digests of the certificate
        as upper-case hex without separators ("BC2A72..."), as Windows shows thumbprints;
        empty without a certificate.
    \li serialNumber: upper-case hex, two digits per byte ("01A4"), as
        \c{openssl x509 -serial} prints it.
    \li extendedKeyUsage: dotted OIDs separated by ", " ("1.3.6.1.5.5.7.3.4, 1.3.6.1.5.5.7.3.2").
    \li subjectAltNames: the values separated by ", ", without type prefixes: e-mail
        addresses, DNS names, URIs, IP addresses, directory names (subject format) and
        registered IDs; other name types are left out.
    \li usage: the spec's names of the usageFlags bits separated by ", " ("Digital
        Signatures, Key Encryption").
    \li signatureAlgorithm: OpenSSL's long name ("sha256WithRSAEncryption",
        "ecdsa-with-SHA256"), else the dotted OID.
    \li publicKeyAlgorithm: "RSA", "EC", "DSA", "ED25519", "RSA-PSS", ...
    \li publicKey: the PEM SubjectPublicKeyInfo ("-----BEGIN PUBLIC KEY-----").
    \li privateKey: the unencrypted PKCS#8 PEM ("-----BEGIN PRIVATE KEY-----").
    \li encoded: the base64 of the DER certificate on one line (the body of the PEM form).
    \endlist
*/

/*!
    \enum SsmtpCertificate::StoreType
    The spec's CertStoreTypes, with the same values.
    \value User         Windows user store: not supported on this platform.
    \value Machine      Windows machine store: not supported on this platform.
    \value PfxFile      A PKCS#12 (PFX, P12) file.
    \value PfxBlob      PKCS#12 data, binary or base64.
    \value JksFile      Java key store: not supported.
    \value JksBlob      Java key store: not supported.
    \value PemKeyFile   A PEM file with a private key (plain or encrypted) and optional
                        certificates.
    \value PemKeyBlob   The same as data (PEM text or base64 of it).
    \value PublicKeyFile A PEM or DER certificate file.
    \value PublicKeyBlob A PEM, DER or base64 certificate.
    \value SshPublicKeyBlob Not supported.
    \value P7bFile      A PKCS#7 certificate bundle, PEM or DER.
    \value P7bBlob      The same as data.
    \value SshPublicKeyFile Not supported.
    \value PpkFile      Not supported.
    \value PpkBlob      Not supported.
    \value XmlFile      Not supported.
    \value XmlBlob      Not supported.
    \value JwkFile      Not supported.
    \value JwkBlob      Not supported.
    \value BcfksFile    Not supported.
    \value BcfksBlob    Not supported.
    \value Pkcs11       Not supported.
    \value Auto         Detects the format: an existing file name is read, anything else is
                        taken as data (PEM, DER certificate, PKCS#12, PKCS#7 or DER key).
*/

/*!
    \enum SsmtpCertificate::UsageFlag
    The bits of usageFlags(), as in the X.509 KeyUsage extension.
    \value DigitalSignature  0x80, "Digital Signatures"
    \value NonRepudiation    0x40, "Key Authentication"
    \value KeyEncipherment   0x20, "Key Encryption"
    \value DataEncipherment  0x10, "Data Encryption"
    \value KeyAgreement      0x08, "Key Agreement"
    \value KeyCertSign       0x04, "Certificate Signing"
    \value CrlSign           0x02, "Key Signing"
*/

// --- shared data -----------------------------------------------------------------------

SsmtpCertificatePrivate::SsmtpCertificatePrivate(const SsmtpCertificatePrivate &other)
    : QSharedData(other)
    , x509(addRef(other.x509.get()))
    , key(addRef(other.key.get()))
    , storeType(other.storeType)
    , store(other.store)
    , storePassword(other.storePassword)
    , errorString(other.errorString)
{
    if (other.chain) {
        chain = sk_X509_new_null();
        for (int i = 0; chain && i < sk_X509_num(other.chain); ++i) {
            X509Ptr copy = addRef(sk_X509_value(other.chain, i));
            if (copy && sk_X509_push(chain, copy.get()) > 0)
                static_cast<void>(copy.release()); // the stack owns it now
        }
    }
}

SsmtpCertificatePrivate::~SsmtpCertificatePrivate()
{
    clearContents();
}

void SsmtpCertificatePrivate::clearContents()
{
    x509.reset();
    key.reset();
    if (chain)
        sk_X509_pop_free(chain, X509_free);
    chain = nullptr;
}

void SsmtpCertificatePrivate::setContents(Selection &&selection)
{
    clearContents();
    x509 = std::move(selection.certificate);
    key = std::move(selection.key);
    if (!x509 && !key)
        return;
    chain = sk_X509_new_null();
    for (X509Ptr &issuer : selection.chain) {
        if (chain && issuer && sk_X509_push(chain, issuer.get()) > 0)
            static_cast<void>(issuer.release()); // the stack owns it now
    }
    selection.chain.clear();
}

EVP_PKEY *SsmtpCertificatePrivate::publicKey() const
{
    if (x509)
        return X509_get0_pubkey(x509.get());
    return key.get();
}

bool SsmtpCertificatePrivate::select(const QString &subject, const QString &configuration)
{
    clearContents();
    QByteArray thumbprint;
    QString error;
    StoreContents contents;
    Selection selection;
    if (!parseConfiguration(configuration, thumbprint, error) ||
        !openStore(storeType, store, storePassword, contents, error) ||
        !selectCertificate(contents, subject, thumbprint, storeDisplayName(storeType, store),
                           selection, error)) {
        errorString = error;
        return false;
    }
    setContents(std::move(selection));
    errorString.clear();
    return true;
}

bool SsmtpCertificatePrivate::loadEncoded(const QByteArray &encoded, bool searchStore)
{
    clearContents();
    std::vector<X509Ptr> pool;
    X509Ptr certificate = parseCertificate(encoded, &pool);
    if (!certificate) {
        errorString = QCoreApplication::translate(
            "Ssmtp", "The certificate data is not a valid PEM, DER or base64 certificate.");
        return false;
    }
    Selection selection;
    if (searchStore) {
        StoreContents contents;
        QString error;
        if (!openStore(storeType, store, storePassword, contents, error)) {
            errorString = error;
            return false;
        }
        selection.key = findKeyFor(certificate.get(), contents);
        for (X509Ptr &storeCertificate : contents.certificates)
            pool.push_back(std::move(storeCertificate));
    }
    selection.chain = buildChain(certificate.get(), pool);
    selection.certificate = std::move(certificate);
    setContents(std::move(selection));
    errorString.clear();
    return true;
}

namespace {

// The shared data of null certificates; never freed (an extra reference keeps it), so that
// certificates in static storage can be destroyed in any order.
SsmtpCertificatePrivate *sharedNull()
{
    static SsmtpCertificatePrivate *const data = [] {
        auto *d = new SsmtpCertificatePrivate;
        d->ref.ref();
        return d;
    }();
    return data;
}

QByteArray storeBytes(SsmtpCertificate::StoreType type, const QString &store)
{
    return isFileStoreType(type) ? QFile::encodeName(store) : store.toUtf8();
}

} // namespace

// --- construction ------------------------------------------------------------------------

/*!
    Constructs a null certificate with the spec's defaults: storeType User, store "MY".
*/
SsmtpCertificate::SsmtpCertificate()
    : d(sharedNull())
{}

/*!
    Reads the certificate from \a certificateFile: PEM (the first certificate; further ones
    become the chain when they issued it), DER or base64 text. storeType becomes
    PublicKeyFile and store the file name.
*/
SsmtpCertificate::SsmtpCertificate(const QString &certificateFile)
    : SsmtpCertificate(PublicKeyFile, certificateFile, QString(), QStringLiteral("*"))
{}

/*!
    Parses \a certificateData as a certificate: PEM, DER or base64 text. storeType becomes
    PublicKeyBlob and storeBlob the data.
*/
SsmtpCertificate::SsmtpCertificate(const QByteArray &certificateData)
    : SsmtpCertificate(PublicKeyBlob, certificateData, QString(), QStringLiteral("*"))
{}

/*!
    Opens the store \a store of type \a storeType with \a storePassword and selects a
    certificate. For the *File types \a store is a file name, for the *Blob types the data
    (PEM or base64 text), for Auto either.

    Selection: when \a configurationString (newline-separated Name=Value settings) has
    "Thumbprint=<hex>", the certificate with that MD5, SHA-1 or SHA-256 thumbprint (colons and
    case do not matter) is taken and \a subject is not used. Otherwise \a subject is compared
    with the subjects of the certificates, first as a whole, then as a substring (both
    case-insensitive, against the subject() form and the RFC 2253 form); "*" or an empty
    subject takes any certificate. Among several matches the first with a private key wins.
    The private key of the store that belongs to the selected certificate becomes its
    privateKey; the store's certificates that issued it become the chain. A PEM key store
    without certificates gives a key-only object (subject empty, privateKeyAvailable true)
    for "*".

    The configuration settings PersistPFXKey and UseInternalSecurityAPI are accepted and have
    no effect; other names are an error.
*/
SsmtpCertificate::SsmtpCertificate(StoreType storeType, const QString &store,
                                   const QString &storePassword, const QString &subject,
                                   const QString &configurationString)
    : SsmtpCertificate(storeType, storeBytes(storeType, store), storePassword, subject,
                       configurationString)
{}

/*!
    The same as above with the store as bytes: the data for the *Blob types (binary or
    base64), the file name (in the local 8-bit encoding) for the *File types.
*/
SsmtpCertificate::SsmtpCertificate(StoreType storeType, const QByteArray &storeBlob,
                                   const QString &storePassword, const QString &subject,
                                   const QString &configurationString)
    : d(new SsmtpCertificatePrivate)
{
    d->storeType = storeType;
    d->store = storeBlob;
    d->storePassword = storePassword;
    d->select(subject, configurationString);
}

/*!
    Loads \a encoded (PEM, DER or base64) as the certificate, then opens the store and takes
    the private key that belongs to it, if the store has one (privateKeyAvailable() tells).
    A store that cannot be opened gives a null certificate with errorString().
*/
SsmtpCertificate::SsmtpCertificate(StoreType storeType, const QString &store,
                                   const QString &storePassword, const QByteArray &encoded)
    : SsmtpCertificate(storeType, storeBytes(storeType, store), storePassword, encoded)
{}

/*!
    The same as above with the store as bytes.
*/
SsmtpCertificate::SsmtpCertificate(StoreType storeType, const QByteArray &storeBlob,
                                   const QString &storePassword, const QByteArray &encoded)
    : d(new SsmtpCertificatePrivate)
{
    d->storeType = storeType;
    d->store = storeBlob;
    d->storePassword = storePassword;
    d->loadEncoded(encoded, true);
}

/*!
    Constructs a copy of \a other. The data is implicitly shared.
*/
SsmtpCertificate::SsmtpCertificate(const SsmtpCertificate &other) = default;

/*!
    Move-constructs a certificate from \a other, which becomes null.
*/
SsmtpCertificate::SsmtpCertificate(SsmtpCertificate &&other) noexcept
    : d(sharedNull())
{
    d.swap(other.d);
}

/*!
    Assigns \a other to this certificate and returns a reference to it.
*/
SsmtpCertificate &SsmtpCertificate::operator=(const SsmtpCertificate &other) = default;

/*!
    Move-assigns \a other to this certificate and returns a reference to it; \a other takes
    the previous value.
*/
SsmtpCertificate &SsmtpCertificate::operator=(SsmtpCertificate &&other) noexcept
{
    d.swap(other.d);
    return *this;
}

/*!
    \fn void SsmtpCertificate::swap(SsmtpCertificate &other)

    Swaps this certificate with \a other. This operation is very fast and never fails.
*/

/*!
    Destroys the certificate.
*/
SsmtpCertificate::~SsmtpCertificate() = default;

/*!
    Reads a certificate file (see the constructor). On failure returns a null certificate and
    sets *\a errorString when given.
*/
SsmtpCertificate SsmtpCertificate::fromFile(const QString &certificateFile, QString *errorString)
{
    SsmtpCertificate certificate(certificateFile);
    if (errorString)
        *errorString = certificate.errorString();
    return certificate;
}

/*!
    Parses certificate data (see the constructor). On failure returns a null certificate and
    sets *\a errorString when given.
*/
SsmtpCertificate SsmtpCertificate::fromData(const QByteArray &certificateData, QString *errorString)
{
    SsmtpCertificate certificate(certificateData);
    if (errorString)
        *errorString = certificate.errorString();
    return certificate;
}

/*!
    Opens a store and selects a certificate, as the constructor with a subject does. \a store
    is the file name (local 8-bit encoding) for the *File types, else the data.
*/
SsmtpCertificate SsmtpCertificate::load(StoreType storeType, const QByteArray &store,
                                        const QString &storePassword, const QString &subject,
                                        const QString &configurationString, QString *errorString)
{
    SsmtpCertificate certificate(storeType, store, storePassword, subject, configurationString);
    if (errorString)
        *errorString = certificate.errorString();
    return certificate;
}

/*!
    Loads \a encoded as the certificate and its private key from the store, as the
    constructor with encoded data does.
*/
SsmtpCertificate SsmtpCertificate::loadForEncoded(StoreType storeType, const QByteArray &store,
                                                  const QString &storePassword,
                                                  const QByteArray &encoded, QString *errorString)
{
    SsmtpCertificate certificate(storeType, store, storePassword, encoded);
    if (errorString)
        *errorString = certificate.errorString();
    return certificate;
}

// --- state ------------------------------------------------------------------------------

/*!
    \property SsmtpCertificate::null
    True when neither a certificate nor a key is loaded.
*/
bool SsmtpCertificate::isNull() const
{
    return !d->x509 && !d->key;
}

/*!
    \property SsmtpCertificate::errorString
    Why the last load or selection failed (translated); empty after a success.
*/
QString SsmtpCertificate::errorString() const
{
    return d->errorString;
}

// --- fields -----------------------------------------------------------------------------

/*!
    \property SsmtpCertificate::effectiveDate
    The start of the validity period, "23-Jan-2000 15:00:00" (UTC).
*/
QString SsmtpCertificate::effectiveDate() const
{
    ErrorQueueGuard guard;
    return d->x509 ? formatTime(X509_get0_notBefore(d->x509.get())) : QString();
}

/*!
    \property SsmtpCertificate::expirationDate
    The end of the validity period, "23-Jan-2001 15:00:00" (UTC).
*/
QString SsmtpCertificate::expirationDate() const
{
    ErrorQueueGuard guard;
    return d->x509 ? formatTime(X509_get0_notAfter(d->x509.get())) : QString();
}

/*!
    \property SsmtpCertificate::effectiveDateTime
    effectiveDate as a QDateTime (UTC); invalid for a null certificate.
*/
QDateTime SsmtpCertificate::effectiveDateTime() const
{
    ErrorQueueGuard guard;
    return d->x509 ? toDateTime(X509_get0_notBefore(d->x509.get())) : QDateTime();
}

/*!
    \property SsmtpCertificate::expirationDateTime
    expirationDate as a QDateTime (UTC); invalid for a null certificate.
*/
QDateTime SsmtpCertificate::expirationDateTime() const
{
    ErrorQueueGuard guard;
    return d->x509 ? toDateTime(X509_get0_notAfter(d->x509.get())) : QDateTime();
}

/*!
    \property SsmtpCertificate::extendedKeyUsage
    The OIDs of the ExtendedKeyUsage extension, separated by ", ".
*/
QString SsmtpCertificate::extendedKeyUsage() const
{
    ErrorQueueGuard guard;
    return ssmtp::certificate::extendedKeyUsage(d->x509.get());
}

static QString fingerprintOf(const SsmtpCertificatePrivate *d, const EVP_MD *md)
{
    ErrorQueueGuard guard;
    if (d->x509)
        return fingerprintText(certificateDigest(d->x509.get(), md));
    return fingerprintText(publicKeyDigest(d->publicKey(), md));
}

/*!
    \property SsmtpCertificate::fingerprint
    The MD5 digest of the certificate, "bc:2a:72:...". For a key without certificate, the
    digest of its DER SubjectPublicKeyInfo.
*/
QString SsmtpCertificate::fingerprint() const
{
    return fingerprintOf(d.constData(), EVP_md5());
}

/*!
    \property SsmtpCertificate::fingerprintSHA1
    The SHA-1 digest, in the format of fingerprint.
*/
QString SsmtpCertificate::fingerprintSHA1() const
{
    return fingerprintOf(d.constData(), EVP_sha1());
}

/*!
    \property SsmtpCertificate::fingerprintSHA256
    The SHA-256 digest, in the format of fingerprint.
*/
QString SsmtpCertificate::fingerprintSHA256() const
{
    return fingerprintOf(d.constData(), EVP_sha256());
}

/*!
    \property SsmtpCertificate::issuer
    The issuer's distinguished name, in the format of subject.
*/
QString SsmtpCertificate::issuer() const
{
    ErrorQueueGuard guard;
    return d->x509 ? formatName(X509_get_issuer_name(d->x509.get())) : QString();
}

/*!
    \property SsmtpCertificate::privateKey
    The private key as unencrypted PKCS#8 PEM; empty when none is available. Handle with
    care: this is the secret key in clear text.
*/
QString SsmtpCertificate::privateKey() const
{
    ErrorQueueGuard guard;
    return privateKeyPem(d->key.get());
}

/*!
    \property SsmtpCertificate::privateKeyAvailable
    True when the private key of the certificate was found in the store.
*/
bool SsmtpCertificate::privateKeyAvailable() const
{
    return bool(d->key);
}

/*!
    \property SsmtpCertificate::publicKey
    The public key as PEM SubjectPublicKeyInfo ("-----BEGIN PUBLIC KEY-----").
*/
QString SsmtpCertificate::publicKey() const
{
    ErrorQueueGuard guard;
    return publicKeyPem(d->publicKey());
}

/*!
    \property SsmtpCertificate::publicKeyAlgorithm
    The algorithm of the public key: "RSA", "EC", "DSA", "ED25519", ...
*/
QString SsmtpCertificate::publicKeyAlgorithm() const
{
    ErrorQueueGuard guard;
    return ssmtp::certificate::publicKeyAlgorithm(d->publicKey());
}

/*!
    \property SsmtpCertificate::publicKeyLength
    The size of the public key in bits (2048 for RSA-2048, 256 for P-256); 0 when null.
*/
int SsmtpCertificate::publicKeyLength() const
{
    ErrorQueueGuard guard;
    return ssmtp::certificate::publicKeyLength(d->publicKey());
}

/*!
    \property SsmtpCertificate::serialNumber
    The serial number as upper-case hex, two digits per byte.
*/
QString SsmtpCertificate::serialNumber() const
{
    ErrorQueueGuard guard;
    return ssmtp::certificate::serialNumber(d->x509.get());
}

/*!
    \property SsmtpCertificate::signatureAlgorithm
    The signature algorithm of the certificate ("sha256WithRSAEncryption"), else its OID.
*/
QString SsmtpCertificate::signatureAlgorithm() const
{
    ErrorQueueGuard guard;
    return ssmtp::certificate::signatureAlgorithm(d->x509.get());
}

/*!
    \property SsmtpCertificate::subjectAltNames
    The SubjectAltName values, separated by ", ", without type prefixes.
*/
QString SsmtpCertificate::subjectAltNames() const
{
    ErrorQueueGuard guard;
    return ssmtp::certificate::subjectAltNames(d->x509.get());
}

/*!
    \property SsmtpCertificate::thumbprintMD5
    The MD5 digest of the DER certificate, upper-case hex without separators.
*/
QString SsmtpCertificate::thumbprintMD5() const
{
    ErrorQueueGuard guard;
    return thumbprintText(certificateDigest(d->x509.get(), EVP_md5()));
}

/*!
    \property SsmtpCertificate::thumbprintSHA1
    The SHA-1 digest, in the format of thumbprintMD5.
*/
QString SsmtpCertificate::thumbprintSHA1() const
{
    ErrorQueueGuard guard;
    return thumbprintText(certificateDigest(d->x509.get(), EVP_sha1()));
}

/*!
    \property SsmtpCertificate::thumbprintSHA256
    The SHA-256 digest, in the format of thumbprintMD5.
*/
QString SsmtpCertificate::thumbprintSHA256() const
{
    ErrorQueueGuard guard;
    return thumbprintText(certificateDigest(d->x509.get(), EVP_sha256()));
}

/*!
    \property SsmtpCertificate::usage
    The names of the usageFlags bits, separated by ", ".
*/
QString SsmtpCertificate::usage() const
{
    return usageText(usageFlags());
}

/*!
    \property SsmtpCertificate::usageFlags
    The KeyUsage bits (see UsageFlag); 0 when the certificate has no KeyUsage extension.
*/
int SsmtpCertificate::usageFlags() const
{
    ErrorQueueGuard guard;
    return ssmtp::certificate::usageFlags(d->x509.get());
}

/*!
    \property SsmtpCertificate::version
    "V1", "V2" or "V3".
*/
QString SsmtpCertificate::version() const
{
    ErrorQueueGuard guard;
    return ssmtp::certificate::version(d->x509.get());
}

/*!
    The e-mail addresses of the certificate: the rfc822Name entries of the SubjectAltName
    extension, then the E= values of the subject, without duplicates.
*/
QStringList SsmtpCertificate::emailAddresses() const
{
    ErrorQueueGuard guard;
    return ssmtp::certificate::emailAddresses(d->x509.get());
}

/*!
    \property SsmtpCertificate::encoded
    The certificate as base64 of its DER form, on one line. Setting it (PEM, DER or base64)
    loads that certificate; when a store is set (a supported storeType other than User and
    Machine, and a store), the store is opened and searched for the certificate's private
    key. A store that cannot be opened, or invalid data, gives a null certificate with
    errorString().
*/
QString SsmtpCertificate::encoded() const
{
    return QString::fromLatin1(toDer().toBase64());
}

void SsmtpCertificate::setEncoded(const QString &encoded)
{
    setEncoded(encoded.toUtf8());
}

/*!
    \overload

    Sets the certificate from \a encoded: PEM, DER or base64 bytes. See \l encoded.
*/
void SsmtpCertificate::setEncoded(const QByteArray &encoded)
{
    const bool searchStore = isSupportedStoreType(d->storeType) && !d->store.isEmpty();
    d->loadEncoded(encoded, searchStore);
}

/*!
    The DER form of the certificate (empty when there is none).
*/
QByteArray SsmtpCertificate::toDer() const
{
    ErrorQueueGuard guard;
    return ssmtp::certificate::toDer(d->x509.get());
}

/*!
    The PEM form of the certificate ("-----BEGIN CERTIFICATE-----", 64-column lines).
*/
QByteArray SsmtpCertificate::toPem() const
{
    const QByteArray der = toDer();
    if (der.isEmpty())
        return QByteArray();
    const QByteArray base64 = der.toBase64();
    QByteArray pem = "-----BEGIN CERTIFICATE-----\n";
    for (qsizetype i = 0; i < base64.size(); i += 64)
        pem += base64.mid(i, 64) + '\n';
    pem += "-----END CERTIFICATE-----\n";
    return pem;
}

/*!
    \property SsmtpCertificate::store
    The store: a file name for the *File store types, the data (as text) for the *Blob types.
    Binary data is better read and written through storeBlob. Setting it does not reload:
    the next setSubject() or setEncoded() uses it. Default "MY".
*/
QString SsmtpCertificate::store() const
{
    return isFileStoreType(d->storeType) ? QFile::decodeName(d->store)
                                         : QString::fromUtf8(d->store);
}

void SsmtpCertificate::setStore(const QString &store)
{
    d->store = storeBytes(d->storeType, store);
}

/*!
    \property SsmtpCertificate::storeBlob
    The store as bytes (the spec's StoreB). Setting it does not reload.
*/
QByteArray SsmtpCertificate::storeBlob() const
{
    return d->store;
}

void SsmtpCertificate::setStoreBlob(const QByteArray &storeBlob)
{
    d->store = storeBlob;
}

/*!
    \property SsmtpCertificate::storePassword
    The password of the store (PKCS#12 password, PEM key passphrase). Setting it does not
    reload.
*/
QString SsmtpCertificate::storePassword() const
{
    return d->storePassword;
}

void SsmtpCertificate::setStorePassword(const QString &storePassword)
{
    d->storePassword = storePassword;
}

/*!
    \property SsmtpCertificate::storeType
    The type of store. Default User (the spec's default; not supported on this platform).
    Setting it does not reload.
*/
SsmtpCertificate::StoreType SsmtpCertificate::storeType() const
{
    return d->storeType;
}

void SsmtpCertificate::setStoreType(StoreType storeType)
{
    d->storeType = storeType;
}

/*!
    \property SsmtpCertificate::subject
    The subject of the certificate, "CN=Alice, O=Example, C=DE, E=alice@example.com"; empty
    when there is no certificate. Setting it opens the store (storeType, store,
    storePassword) and selects the certificate matching the value, as the constructor
    describes; when nothing matches the certificate becomes null, subject() empty and
    errorString() says why.
*/
QString SsmtpCertificate::subject() const
{
    ErrorQueueGuard guard;
    return d->x509 ? formatName(X509_get_subject_name(d->x509.get())) : QString();
}

void SsmtpCertificate::setSubject(const QString &subject)
{
    d->select(subject, QString());
}

// --- Qt Network views -------------------------------------------------------------------

/*!
    The certificate as a QSslCertificate (null when there is none).
*/
QSslCertificate SsmtpCertificate::toSslCertificate() const
{
    const QByteArray der = toDer();
    return der.isEmpty() ? QSslCertificate() : QSslCertificate(der, QSsl::Der);
}

/*!
    The private key as a QSslKey, for RSA, EC, DSA and DH keys; a null key otherwise or when
    there is no private key.
*/
QSslKey SsmtpCertificate::toSslKey() const
{
    if (!d->key)
        return QSslKey();
    QSsl::KeyAlgorithm algorithm;
    {
        ErrorQueueGuard guard;
        switch (EVP_PKEY_get_base_id(d->key.get())) {
        case EVP_PKEY_RSA:
            algorithm = QSsl::Rsa;
            break;
        case EVP_PKEY_EC:
            algorithm = QSsl::Ec;
            break;
        case EVP_PKEY_DSA:
            algorithm = QSsl::Dsa;
            break;
        case EVP_PKEY_DH:
            algorithm = QSsl::Dh;
            break;
        default:
            return QSslKey();
        }
    }
    return QSslKey(privateKey().toLatin1(), algorithm, QSsl::Pem, QSsl::PrivateKey);
}

/*!
    The issuer certificates found in the store (nearest issuer first), as QSslCertificates.
*/
QList<QSslCertificate> SsmtpCertificate::sslChain() const
{
    QList<QSslCertificate> certificates;
    ErrorQueueGuard guard;
    for (int i = 0; d->chain && i < sk_X509_num(d->chain); ++i) {
        const QByteArray der = ssmtp::certificate::toDer(sk_X509_value(d->chain, i));
        if (!der.isEmpty())
            certificates.append(QSslCertificate(der, QSsl::Der));
    }
    return certificates;
}

// --- comparison, debug ------------------------------------------------------------------

/*!
    Certificates are equal when they hold the same certificate (DER) and the same private
    key (or both none). The store settings are not compared.
*/
bool operator==(const SsmtpCertificate &a, const SsmtpCertificate &b)
{
    const SsmtpCertificatePrivate *da = SsmtpCertificatePrivate::get(a);
    const SsmtpCertificatePrivate *db = SsmtpCertificatePrivate::get(b);
    if (da == db)
        return true;
    ErrorQueueGuard guard;
    if (bool(da->x509) != bool(db->x509) || bool(da->key) != bool(db->key))
        return false;
    if (da->x509 && toDer(da->x509.get()) != toDer(db->x509.get()))
        return false;
    if (da->key && EVP_PKEY_eq(da->key.get(), db->key.get()) != 1)
        return false;
    return true;
}

/*!
    \fn bool operator!=(const SsmtpCertificate &a, const SsmtpCertificate &b)
    \relates SsmtpCertificate

    Returns true when \a a and \a b hold different certificates or private keys.
*/

/*!
    \relates SsmtpCertificate

    Writes \a certificate to \a debug: its subject, SHA-1 thumbprint and whether it has a
    private key, or "null" with the errorString. The key itself is never written.
*/
QDebug operator<<(QDebug debug, const SsmtpCertificate &certificate)
{
    QDebugStateSaver saver(debug);
    debug.nospace() << "SsmtpCertificate(";
    if (certificate.isNull()) {
        debug << "null";
        if (!certificate.errorString().isEmpty())
            debug << ", " << certificate.errorString();
    } else {
        debug << certificate.subject() << ", SHA1 " << certificate.thumbprintSHA1()
              << (certificate.privateKeyAvailable() ? ", with private key" : "");
    }
    debug << ')';
    return debug;
}

// --- internal handles -------------------------------------------------------------------

namespace ssmtp::certificate {

X509 *x509(const SsmtpCertificate &certificate)
{
    return SsmtpCertificatePrivate::get(certificate)->x509.get();
}

EVP_PKEY *privateKey(const SsmtpCertificate &certificate)
{
    return SsmtpCertificatePrivate::get(certificate)->key.get();
}

EVP_PKEY *publicKey(const SsmtpCertificate &certificate)
{
    return SsmtpCertificatePrivate::get(certificate)->publicKey();
}

STACK_OF(X509) * chain(const SsmtpCertificate &certificate)
{
    return SsmtpCertificatePrivate::get(certificate)->chain;
}

SsmtpCertificate fromX509(X509 *cert, EVP_PKEY *key, STACK_OF(X509) * chain)
{
    SsmtpCertificate certificate;
    if (!cert && !key)
        return certificate;
    Selection selection;
    selection.certificate = addRef(cert);
    selection.key = addRef(key);
    for (int i = 0; chain && i < sk_X509_num(chain); ++i) {
        if (X509Ptr issuer = addRef(sk_X509_value(chain, i)))
            selection.chain.push_back(std::move(issuer));
    }
    SsmtpCertificatePrivate *d = SsmtpCertificatePrivate::get(certificate);
    d->storeType = cert ? SsmtpCertificate::PublicKeyBlob : SsmtpCertificate::PemKeyBlob;
    d->store.clear();
    d->setContents(std::move(selection));
    return certificate;
}

} // namespace ssmtp::certificate
