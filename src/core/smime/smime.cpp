#include "smime.h"

#include "message/transferencoding.h"

#include "openssl/openssl_p.h"
#include "smimecanonical.h"

#include <QCoreApplication>
#include <QRandomGenerator>

#include <openssl/cms.h>
#include <openssl/objects.h>
#include <openssl/rsa.h>

#include <climits>

namespace ssmtp::smime {

namespace {

constexpr qsizetype kMaxFoldedLine = 78; // RFC 5322 2.1.1

Result failure(const QString &errorString)
{
    ERR_clear_error();
    Result result;
    result.errorString = errorString;
    return result;
}

QString opensslErrors()
{
    const QString text = openssl::takeErrors();
    return text.isEmpty() ? QCoreApplication::translate("Ssmtp", "unknown OpenSSL error") : text;
}

// DER of a finished CMS structure, base64 in lines.
bool encodeCms(CMS_ContentInfo *cms, QByteArray &out)
{
    const openssl::BioPtr der(BIO_new(BIO_s_mem()));
    if (!der || i2d_CMS_bio(der.get(), cms) != 1)
        return false;
    char *data = nullptr;
    const long size = BIO_get_mem_data(der.get(), &data);
    if (size <= 0)
        return false;
    out = message::encodeBase64Lines(QByteArrayView(data, static_cast<qsizetype>(size)));
    return true;
}

bool isRsa(const EVP_PKEY *key)
{
    return key && EVP_PKEY_is_a(key, "RSA");
}

// A boundary that does not occur in content: "----=_smime_" and 24 random letters/digits.
// "=_" cannot appear in quoted-printable or base64 text; the search covers 7-bit text.
QByteArray makeBoundary(const QByteArray &content)
{
    static constexpr char kChars[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    QRandomGenerator *random = QRandomGenerator::global();
    for (;;) {
        QByteArray boundary = QByteArrayLiteral("----=_smime_");
        for (int i = 0; i < 24; ++i)
            boundary.append(kChars[random->bounded(int(sizeof kChars) - 1)]);
        const QByteArray delimiter = "--" + boundary;
        if (!content.contains(delimiter))
            return boundary;
    }
}

void setPkcs7MimeHeaders(Result &result, const char *smimeType)
{
    result.headers = {
        {QByteArrayLiteral("Content-Type"),
         QByteArrayLiteral("application/pkcs7-mime; smime-type=") + smimeType +
             QByteArrayLiteral("; name=smime.p7m")},
        {QByteArrayLiteral("Content-Transfer-Encoding"), QByteArrayLiteral("base64")},
        {QByteArrayLiteral("Content-Disposition"),
         QByteArrayLiteral("attachment; filename=smime.p7m")},
    };
}

// Adds cert unless the CMS structure already holds it (CMS_add1_cert refuses duplicates).
bool addCertificate(CMS_ContentInfo *cms, X509 *cert, X509 *signer, const STACK_OF(X509) * added)
{
    if (X509_cmp(cert, signer) == 0)
        return true;
    for (int i = 0; i < openssl::certCount(added); ++i) {
        if (X509_cmp(cert, openssl::certAt(added, i)) == 0)
            return true;
    }
    return CMS_add1_cert(cms, cert) == 1;
}

// Splits a structured field value at the ';' that are not inside a quoted string.
QList<QByteArray> splitParameters(const QByteArray &value)
{
    QList<QByteArray> segments;
    bool quoted = false;
    qsizetype start = 0;
    for (qsizetype i = 0; i < value.size(); ++i) {
        const char c = value.at(i);
        if (c == '\\' && quoted)
            ++i;
        else if (c == '"')
            quoted = !quoted;
        else if (c == ';' && !quoted) {
            segments.append(value.mid(start, i - start));
            start = i + 1;
        }
    }
    segments.append(value.mid(start));
    return segments;
}

} // namespace

QByteArray Result::headerBlock() const
{
    QByteArray out;
    for (const auto &[name, value] : headers) {
        const QList<QByteArray> segments = splitParameters(value);
        QByteArray line = name + ": " + segments.first().trimmed();
        qsizetype column = line.size();
        out.append(line);
        for (qsizetype i = 1; i < segments.size(); ++i) {
            const QByteArray segment = segments[i].trimmed();
            if (column + 2 + segment.size() > kMaxFoldedLine) {
                out.append(";\r\n ", 4);
                column = 1;
            } else {
                out.append("; ", 2);
                column += 2;
            }
            out.append(segment);
            column += segment.size();
        }
        out.append("\r\n", 2);
    }
    return out;
}

QByteArray Result::entity() const
{
    QByteArray out = headerBlock();
    out.reserve(out.size() + 2 + body.size());
    out.append("\r\n", 2);
    out.append(body);
    return out;
}

Result sign(const QByteArray &entity, X509 *signer, EVP_PKEY *key, STACK_OF(X509) * extraCerts,
            const SignOptions &options)
{
    ERR_clear_error();
    if (!signer)
        return failure(QCoreApplication::translate("Ssmtp", "No signing certificate is set."));
    if (!key)
        return failure(
            QCoreApplication::translate("Ssmtp", "The signing certificate has no private key."));
    const DigestAlgorithm *digest = findDigest(options.algorithm);
    if (!digest)
        return failure(QCoreApplication::translate("Ssmtp", "Unknown signing algorithm \"%1\".")
                           .arg(options.algorithm));
    if (X509_check_private_key(signer, key) != 1)
        return failure(QCoreApplication::translate(
            "Ssmtp", "The private key does not belong to the signing certificate."));
    const EVP_MD *md = EVP_get_digestbynid(digest->nid);
    if (!md)
        return failure(
            QCoreApplication::translate("Ssmtp", "Signing failed: %1").arg(opensslErrors()));

    const CanonicalEntity canonical = canonicalize(entity);
    if (!canonical.ok)
        return failure(canonical.errorString);
    const QByteArray &content = canonical.entity;
    if (content.size() > INT_MAX)
        return failure(QCoreApplication::translate(
                           "Ssmtp", "The content to sign or encrypt is too large (%1 bytes).")
                           .arg(content.size()));

    const unsigned int flags = CMS_PARTIAL | CMS_BINARY | (options.opaque ? 0 : CMS_DETACHED);
    const openssl::CmsPtr cms(CMS_sign(nullptr, nullptr, nullptr, nullptr, flags));
    const bool pss = options.rsaPss && isRsa(key);
    unsigned int signerFlags = flags;
    if (!options.includeCertificate)
        signerFlags |= CMS_NOCERTS;
    if (pss)
        signerFlags |= CMS_KEY_PARAM; // keeps the signature context open for the padding
    CMS_SignerInfo *signerInfo =
        cms ? CMS_add1_signer(cms.get(), signer, key, md, signerFlags) : nullptr;
    bool ok = signerInfo != nullptr;
    if (ok && pss) {
        EVP_PKEY_CTX *pkeyContext = CMS_SignerInfo_get0_pkey_ctx(signerInfo);
        ok = pkeyContext && EVP_PKEY_CTX_set_rsa_padding(pkeyContext, RSA_PKCS1_PSS_PADDING) > 0 &&
             EVP_PKEY_CTX_set_rsa_pss_saltlen(pkeyContext, RSA_PSS_SALTLEN_DIGEST) > 0;
    }
    if (ok && options.includeCertificate && options.includeChain) {
        const openssl::X509StackPtr added = openssl::newCertStack();
        ok = added != nullptr;
        for (int i = 0; ok && i < openssl::certCount(extraCerts); ++i) {
            X509 *cert = openssl::certAt(extraCerts, i);
            ok = !cert || (addCertificate(cms.get(), cert, signer, added.get()) &&
                           openssl::pushCert(added.get(), cert));
        }
    }
    if (ok) {
        const openssl::BioPtr input = openssl::memoryReader(content);
        ok = input && CMS_final(cms.get(), input.get(), nullptr, flags) == 1;
    }
    QByteArray signature;
    if (ok)
        ok = encodeCms(cms.get(), signature);
    if (!ok)
        return failure(
            QCoreApplication::translate("Ssmtp", "Signing failed: %1").arg(opensslErrors()));

    ERR_clear_error(); // nothing OpenSSL may have queued on the way to success stays behind
    Result result;
    result.ok = true;
    if (options.opaque) {
        setPkcs7MimeHeaders(result, "signed-data");
        result.body = std::move(signature);
        return result;
    }

    const QByteArray boundary = makeBoundary(content);
    result.headers = {
        {QByteArrayLiteral("Content-Type"),
         QByteArrayLiteral("multipart/signed; protocol=\"application/pkcs7-signature\"; micalg=") +
             digest->micalg + QByteArrayLiteral("; boundary=\"") + boundary + '"'},
    };
    static constexpr char kPreamble[] = "This is an S/MIME signed message\r\n\r\n";
    static constexpr char kSignatureHeaders[] =
        "Content-Type: application/pkcs7-signature; name=smime.p7s\r\n"
        "Content-Transfer-Encoding: base64\r\n"
        "Content-Disposition: attachment; filename=smime.p7s\r\n"
        "\r\n";
    QByteArray &body = result.body;
    body.reserve(qsizetype(sizeof kPreamble) + content.size() +
                 qsizetype(sizeof kSignatureHeaders) + signature.size() +
                 3 * (boundary.size() + 8));
    body.append(kPreamble);
    body.append("--").append(boundary).append("\r\n");
    body.append(content); // the signed bytes; the CRLF before the next delimiter is not part
    body.append("\r\n--").append(boundary).append("\r\n");
    body.append(kSignatureHeaders);
    body.append(signature);
    body.append("--").append(boundary).append("--\r\n");
    return result;
}

Result encrypt(const QByteArray &entity, const QList<X509 *> &recipients,
               const EncryptOptions &options)
{
    ERR_clear_error();
    if (recipients.isEmpty())
        return failure(QCoreApplication::translate(
            "Ssmtp", "No recipient certificates: encrypting needs the certificate of at least one "
                     "recipient."));
    if (recipients.contains(nullptr))
        return failure(QCoreApplication::translate("Ssmtp", "A recipient certificate is empty."));
    const CipherAlgorithm *algorithm = findCipher(options.algorithm);
    if (!algorithm)
        return failure(QCoreApplication::translate("Ssmtp", "Unknown encrypting algorithm \"%1\".")
                           .arg(options.algorithm));

    // The cipher from the default library context, or else from the legacy context (OpenSSL 3
    // keeps single DES and RC2 in the "legacy" provider; the library's one private context
    // loads it, so that the process-wide default context stays as the system configured it).
    OSSL_LIB_CTX *libraryContext = nullptr;
    const char *cipherName = OBJ_nid2sn(algorithm->nid);
    openssl::CipherPtr cipher(EVP_CIPHER_fetch(nullptr, cipherName, nullptr));
    if (!cipher) {
        ERR_clear_error();
        libraryContext = openssl::legacyLibraryContext();
        if (!libraryContext)
            return failure(
                QCoreApplication::translate("Ssmtp",
                                            "The encrypting algorithm %1 needs OpenSSL's legacy "
                                            "provider, which is not available: %2")
                    .arg(QLatin1String(algorithm->name), openssl::legacyLibraryContextError()));
        cipher.reset(EVP_CIPHER_fetch(libraryContext, cipherName, nullptr));
        if (!cipher)
            return failure(QCoreApplication::translate(
                               "Ssmtp", "The encrypting algorithm %1 is not available: %2")
                               .arg(QLatin1String(algorithm->name), opensslErrors()));
    }

    const CanonicalEntity canonical = canonicalize(entity);
    if (!canonical.ok)
        return failure(canonical.errorString);
    const QByteArray &content = canonical.entity;
    if (content.size() > INT_MAX)
        return failure(QCoreApplication::translate(
                           "Ssmtp", "The content to sign or encrypt is too large (%1 bytes).")
                           .arg(content.size()));

    const unsigned int flags = CMS_PARTIAL | CMS_BINARY;
    // With CMS_PARTIAL and no certificates, CMS_encrypt_ex only creates the (Auth)EnvelopedData
    // structure; recipients are added one by one so that each gets its key transport options.
    const openssl::CmsPtr cms(
        CMS_encrypt_ex(nullptr, nullptr, cipher.get(), flags, libraryContext, nullptr));
    bool ok = cms != nullptr;
    for (qsizetype i = 0; ok && i < recipients.size(); ++i) {
        X509 *recipient = recipients[i];
        const bool oaep = options.rsaOaep && isRsa(X509_get0_pubkey(recipient));
        CMS_RecipientInfo *info =
            CMS_add1_recipient_cert(cms.get(), recipient, oaep ? (flags | CMS_KEY_PARAM) : flags);
        ok = info != nullptr;
        // Key agreement (EC) wraps the content key with AES key wrap (RFC 3394), which needs
        // at least 128 bits: OpenSSL would fail with an obscure "invalid input length".
        if (ok && CMS_RecipientInfo_type(info) == CMS_RECIPINFO_AGREE &&
            EVP_CIPHER_get_key_length(cipher.get()) < 16)
            return failure(QCoreApplication::translate(
                               "Ssmtp",
                               "The encrypting algorithm %1 cannot be used for recipients "
                               "with elliptic-curve certificates: its key is shorter than 128 "
                               "bits. Choose 3DES or AES.")
                               .arg(QLatin1String(algorithm->name)));
        if (ok && oaep) {
            EVP_PKEY_CTX *pkeyContext = CMS_RecipientInfo_get0_pkey_ctx(info);
            ok = pkeyContext &&
                 EVP_PKEY_CTX_set_rsa_padding(pkeyContext, RSA_PKCS1_OAEP_PADDING) > 0 &&
                 EVP_PKEY_CTX_set_rsa_oaep_md(pkeyContext, EVP_sha256()) > 0 &&
                 EVP_PKEY_CTX_set_rsa_mgf1_md(pkeyContext, EVP_sha256()) > 0;
        }
    }
    if (ok) {
        const openssl::BioPtr input = openssl::memoryReader(content);
        ok = input && CMS_final(cms.get(), input.get(), nullptr, flags) == 1;
    }
    Result result;
    if (ok)
        ok = encodeCms(cms.get(), result.body);
    if (!ok)
        return failure(
            QCoreApplication::translate("Ssmtp", "Encrypting failed: %1").arg(opensslErrors()));
    ERR_clear_error();
    result.ok = true;
    // RFC 8551 3.2.2: AuthEnvelopedData is smime-type "authEnveloped-data".
    setPkcs7MimeHeaders(result, algorithm->aead ? "authEnveloped-data" : "enveloped-data");
    return result;
}

Result signAndEncrypt(const QByteArray &entity, X509 *signer, EVP_PKEY *key,
                      STACK_OF(X509) * extraCerts, const QList<X509 *> &recipients,
                      const SignOptions &signOptions, const EncryptOptions &encryptOptions)
{
    // Check what encrypting needs first, so that a missing recipient does not cost a signature.
    if (recipients.isEmpty())
        return encrypt(entity, recipients, encryptOptions);
    if (!findCipher(encryptOptions.algorithm))
        return failure(QCoreApplication::translate("Ssmtp", "Unknown encrypting algorithm \"%1\".")
                           .arg(encryptOptions.algorithm));
    Result signedEntity = sign(entity, signer, key, extraCerts, signOptions);
    if (!signedEntity.ok)
        return signedEntity;
    return encrypt(signedEntity.entity(), recipients, encryptOptions);
}

} // namespace ssmtp::smime
