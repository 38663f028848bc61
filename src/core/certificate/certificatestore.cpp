#include "certificate/certificatestore_p.h"

#include "certificate/certificatefields_p.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QMetaEnum>
#include <QRegularExpression>

#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/pkcs7.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <climits>
#include <cstring>

namespace ssmtp::certificate {

namespace {

using StoreType = SsmtpCertificate::StoreType;

// Stores larger than this are refused (a PKCS#12 or PEM file is a few KiB).
constexpr qint64 MaxStoreSize = 16 * 1024 * 1024;
// Nesting limit of PKCS#12 SafeContents bags.
constexpr int MaxBagDepth = 8;

enum class Family { Pfx, PemKey, PublicKey, P7b, Auto, Unsupported };

Family familyOf(StoreType type)
{
    switch (type) {
    case SsmtpCertificate::PfxFile:
    case SsmtpCertificate::PfxBlob:
        return Family::Pfx;
    case SsmtpCertificate::PemKeyFile:
    case SsmtpCertificate::PemKeyBlob:
        return Family::PemKey;
    case SsmtpCertificate::PublicKeyFile:
    case SsmtpCertificate::PublicKeyBlob:
        return Family::PublicKey;
    case SsmtpCertificate::P7bFile:
    case SsmtpCertificate::P7bBlob:
        return Family::P7b;
    case SsmtpCertificate::Auto:
        return Family::Auto;
    default:
        return Family::Unsupported;
    }
}

QString typeName(StoreType type)
{
    const char *key = QMetaEnum::fromType<StoreType>().valueToKey(int(type));
    return key ? QString::fromLatin1(key) : QString::number(int(type));
}

bool looksLikePem(const QByteArray &data)
{
    return data.contains("-----BEGIN ");
}

bool isBase64Character(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' ||
           c == '/' || c == '=';
}

// data decoded from base64 text (whitespace allowed), or empty when it is not base64.
QByteArray base64Decoded(const QByteArray &data)
{
    QByteArray compact;
    compact.reserve(data.size());
    for (char c : data) {
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
            continue;
        if (!isBase64Character(c))
            return QByteArray();
        compact.append(c);
    }
    if (compact.isEmpty())
        return QByteArray();
    const auto result =
        QByteArray::fromBase64Encoding(compact, QByteArray::AbortOnBase64DecodingErrors);
    return result ? result.decoded : QByteArray();
}

// The PEM text of data (data itself, or data decoded from base64), else empty.
QByteArray pemText(const QByteArray &data)
{
    if (looksLikePem(data))
        return data;
    QByteArray decoded = base64Decoded(data);
    if (looksLikePem(decoded))
        return decoded;
    return QByteArray();
}

// The binary forms to try: data itself, then data decoded from base64 when it is base64.
std::vector<QByteArray> derCandidates(const QByteArray &data)
{
    std::vector<QByteArray> candidates{data};
    const QByteArray decoded = base64Decoded(data);
    if (!decoded.isEmpty())
        candidates.push_back(decoded);
    return candidates;
}

const unsigned char *bytes(const QByteArray &data)
{
    return reinterpret_cast<const unsigned char *>(data.constData());
}

long longSize(const QByteArray &data)
{
    return data.size() > LONG_MAX ? LONG_MAX : long(data.size());
}

X509Ptr derCertificate(const QByteArray &der)
{
    const unsigned char *p = bytes(der);
    return X509Ptr(d2i_X509(nullptr, &p, longSize(der)));
}

int passwordCallback(char *buffer, int size, int /*rwflag*/, void *userData)
{
    const auto *password = static_cast<const QByteArray *>(userData);
    if (!password || password->isEmpty() || size <= 0)
        return 0;
    const int length = int(qMin<qsizetype>(password->size(), size));
    std::memcpy(buffer, password->constData(), size_t(length));
    return length;
}

void appendPkcs7Certificates(PKCS7 *p7, std::vector<X509Ptr> &out)
{
    if (!p7)
        return;
    STACK_OF(X509) *certs = nullptr;
    const int nid = OBJ_obj2nid(p7->type);
    if (nid == NID_pkcs7_signed && p7->d.sign)
        certs = p7->d.sign->cert;
    else if (nid == NID_pkcs7_signedAndEnveloped && p7->d.signed_and_enveloped)
        certs = p7->d.signed_and_enveloped->cert;
    for (int i = 0; i < openssl::certCount(certs); ++i) {
        if (X509Ptr x509 = addRef(openssl::certAt(certs, i)))
            out.push_back(std::move(x509));
    }
}

bool derPkcs7(const QByteArray &der, std::vector<X509Ptr> &out)
{
    const unsigned char *p = bytes(der);
    PKCS7 *p7 = d2i_PKCS7(nullptr, &p, longSize(der));
    if (!p7)
        return false;
    appendPkcs7Certificates(p7, out);
    PKCS7_free(p7);
    return true;
}

// --- private keys ----------------------------------------------------------------------

enum class KeyStatus { Ok, NotAKey, WrongPassword };

// A traditional encrypted PEM key (Proc-Type: 4,ENCRYPTED / DEK-Info) decrypted with the
// cipher fetched from libctx: OpenSSL's PEM decoder always takes the cipher from the default
// context, which has no single DES, RC2, ... (the work of PEM_do_header, with an explicit
// library context).
PKeyPtr decryptTraditionalPem(const QByteArray &header, const QByteArray &der,
                              const QByteArray &password, OSSL_LIB_CTX *libctx)
{
    QByteArray headerCopy = header; // PEM_get_EVP_CIPHER_INFO wants a mutable string
    EVP_CIPHER_INFO info;
    if (PEM_get_EVP_CIPHER_INFO(headerCopy.data(), &info) != 1 || !info.cipher ||
        der.size() > INT_MAX - EVP_MAX_BLOCK_LENGTH)
        return PKeyPtr();
    const openssl::CipherPtr cipher(
        EVP_CIPHER_fetch(libctx, EVP_CIPHER_get0_name(info.cipher), nullptr));
    const openssl::CipherContextPtr ctx(EVP_CIPHER_CTX_new());
    if (!cipher || !ctx || EVP_CIPHER_get_key_length(cipher.get()) > EVP_MAX_KEY_LENGTH)
        return PKeyPtr();
    unsigned char key[EVP_MAX_KEY_LENGTH];
    QByteArray plain(der.size() + EVP_MAX_BLOCK_LENGTH, Qt::Uninitialized);
    auto *out = reinterpret_cast<unsigned char *>(plain.data());
    int length = 0;
    int finalLength = 0;
    const bool ok = EVP_BytesToKey(cipher.get(), EVP_md5(), info.iv, bytes(password),
                                   int(password.size()), 1, key, nullptr) > 0 &&
                    EVP_DecryptInit_ex2(ctx.get(), cipher.get(), key, info.iv, nullptr) == 1 &&
                    EVP_DecryptUpdate(ctx.get(), out, &length, bytes(der), int(der.size())) == 1 &&
                    EVP_DecryptFinal_ex(ctx.get(), out + length, &finalLength) == 1;
    OPENSSL_cleanse(key, sizeof key);
    PKeyPtr result;
    if (ok) {
        const unsigned char *p = out;
        result.reset(d2i_AutoPrivateKey(nullptr, &p, length + finalLength));
    }
    OPENSSL_cleanse(plain.data(), size_t(plain.size()));
    return result;
}

// Decodes one PEM private key block (pem holds just that block; header and der are its
// parts), in the default library context, else with the legacy provider (old ciphers such
// as DES-CBC or RC2).
KeyStatus pemPrivateKey(const QByteArray &pem, const QByteArray &header, const QByteArray &der,
                        const QByteArray &password, bool encrypted, PKeyPtr &key)
{
    auto decode = [&pem, &password](OSSL_LIB_CTX *libctx) -> PKeyPtr {
        openssl::BioPtr bio = openssl::memoryReader(pem);
        if (!bio)
            return PKeyPtr();
        QByteArray pass = password;
        return PKeyPtr(PEM_read_bio_PrivateKey_ex(bio.get(), nullptr, passwordCallback, &pass,
                                                  libctx, nullptr));
    };
    key = decode(nullptr);
    if (!key && encrypted && !password.isEmpty()) {
        if (OSSL_LIB_CTX *legacy = openssl::legacyLibraryContext()) {
            if (header.contains("ENCRYPTED")) {
                key = decryptTraditionalPem(header, der, password, legacy);
            } else if (PKeyPtr legacyKey = decode(legacy)) {
                key = openssl::reimport(legacyKey.get());
            }
        }
    }
    if (key)
        return KeyStatus::Ok;
    return encrypted ? KeyStatus::WrongPassword : KeyStatus::NotAKey;
}

// A DER private key: unencrypted (PKCS#8 or traditional) or encrypted PKCS#8.
KeyStatus derPrivateKey(const QByteArray &der, const QByteArray &password, PKeyPtr &key)
{
    {
        const unsigned char *p = bytes(der);
        if (X509_SIG *encrypted = d2i_X509_SIG(nullptr, &p, longSize(der))) {
            // Decrypted in the given context; the key itself is decoded in the default one.
            auto decrypt = [&](OSSL_LIB_CTX *libctx) -> PKeyPtr {
                PKCS8_PRIV_KEY_INFO *info = PKCS8_decrypt_ex(encrypted, password.constData(),
                                                             int(password.size()), libctx, nullptr);
                if (!info)
                    return PKeyPtr();
                PKeyPtr result(EVP_PKCS82PKEY(info));
                PKCS8_PRIV_KEY_INFO_free(info);
                return result;
            };
            key = decrypt(nullptr);
            if (!key) {
                if (OSSL_LIB_CTX *legacy = openssl::legacyLibraryContext())
                    key = decrypt(legacy);
            }
            X509_SIG_free(encrypted);
            return key ? KeyStatus::Ok : KeyStatus::WrongPassword;
        }
    }
    const unsigned char *p = bytes(der);
    key.reset(d2i_AutoPrivateKey(nullptr, &p, longSize(der)));
    return key ? KeyStatus::Ok : KeyStatus::NotAKey;
}

// --- PEM bundles -----------------------------------------------------------------------

struct PemOutcome
{
    int blocks = 0;
    bool wrongPassword = false;
    bool badKey = false;
};

PemOutcome parsePem(const QByteArray &text, const QByteArray &password, bool wantKeys,
                    StoreContents &out)
{
    PemOutcome outcome;
    openssl::BioPtr bio = openssl::memoryReader(text);
    if (!bio)
        return outcome;
    for (;;) {
        char *name = nullptr;
        char *header = nullptr;
        unsigned char *data = nullptr;
        long length = 0;
        if (PEM_read_bio(bio.get(), &name, &header, &data, &length) != 1)
            break;
        const QByteArray blockName(name);
        const QByteArray blockHeader(header);
        const QByteArray der(reinterpret_cast<const char *>(data), qsizetype(length));
        ++outcome.blocks;
        if (blockName == "CERTIFICATE" || blockName == "X509 CERTIFICATE") {
            if (X509Ptr x509 = derCertificate(der))
                out.certificates.push_back(std::move(x509));
        } else if (blockName == "TRUSTED CERTIFICATE") {
            const unsigned char *p = bytes(der);
            if (X509 *x509 = d2i_X509_AUX(nullptr, &p, longSize(der)))
                out.certificates.emplace_back(x509);
        } else if (blockName == "PKCS7") {
            derPkcs7(der, out.certificates);
        } else if (wantKeys && blockName.endsWith("PRIVATE KEY")) {
            // Written back as one PEM block, so that OpenSSL's PEM decoder handles the
            // encryption headers (Proc-Type/DEK-Info) and PKCS#8 alike.
            openssl::BioPtr block(BIO_new(BIO_s_mem()));
            if (block && PEM_write_bio(block.get(), name, header, data, length) > 0) {
                const bool encrypted =
                    blockName == "ENCRYPTED PRIVATE KEY" || blockHeader.contains("ENCRYPTED");
                PKeyPtr key;
                switch (pemPrivateKey(openssl::memoryContents(block.get()), blockHeader, der,
                                      password, encrypted, key)) {
                case KeyStatus::Ok:
                    out.keys.push_back(std::move(key));
                    break;
                case KeyStatus::WrongPassword:
                    outcome.wrongPassword = true;
                    break;
                case KeyStatus::NotAKey:
                    outcome.badKey = true;
                    break;
                }
            }
        }
        OPENSSL_free(name);
        OPENSSL_free(header);
        OPENSSL_cleanse(data, size_t(length));
        OPENSSL_free(data);
    }
    return outcome;
}

// --- PKCS#12 ---------------------------------------------------------------------------

enum class Pkcs12Status { NotPkcs12, Ok, WrongPassword, NeedsPassword, CannotDecrypt };

// libctx: the library context that decrypts (nullptr: the default one). Keys are always
// decoded in the default context.
bool walkBags(const STACK_OF(PKCS12_SAFEBAG) * bags, const char *pass, OSSL_LIB_CTX *libctx,
              StoreContents &out, int depth)
{
    if (depth > MaxBagDepth)
        return false;
    for (int i = 0; i < sk_PKCS12_SAFEBAG_num(bags); ++i) {
        const PKCS12_SAFEBAG *bag = sk_PKCS12_SAFEBAG_value(bags, i);
        if (!bag)
            continue;
        switch (PKCS12_SAFEBAG_get_nid(bag)) {
        case NID_keyBag: {
            const PKCS8_PRIV_KEY_INFO *info = PKCS12_SAFEBAG_get0_p8inf(bag);
            PKeyPtr key(info ? EVP_PKCS82PKEY(info) : nullptr);
            if (!key)
                return false;
            out.keys.push_back(std::move(key));
            break;
        }
        case NID_pkcs8ShroudedKeyBag: {
            PKCS8_PRIV_KEY_INFO *info = PKCS12_decrypt_skey_ex(bag, pass, -1, libctx, nullptr);
            if (!info)
                return false;
            PKeyPtr key(EVP_PKCS82PKEY(info));
            PKCS8_PRIV_KEY_INFO_free(info);
            if (!key)
                return false;
            out.keys.push_back(std::move(key));
            break;
        }
        case NID_certBag:
            if (PKCS12_SAFEBAG_get_bag_nid(bag) == NID_x509Certificate) {
                X509Ptr x509(PKCS12_SAFEBAG_get1_cert(bag));
                if (!x509)
                    return false;
                out.certificates.push_back(std::move(x509));
            }
            break;
        case NID_safeContentsBag:
            if (!walkBags(PKCS12_SAFEBAG_get0_safes(bag), pass, libctx, out, depth + 1))
                return false;
            break;
        default: // CRLs, secrets: not used
            break;
        }
    }
    return true;
}

// PKCS12_unpack_p7encdata with an explicit library context.
STACK_OF(PKCS12_SAFEBAG) * decryptSafeContents(PKCS7 *p7, const char *pass, OSSL_LIB_CTX *libctx)
{
    if (!p7->d.encrypted || !p7->d.encrypted->enc_data || !p7->d.encrypted->enc_data->algorithm ||
        !p7->d.encrypted->enc_data->enc_data)
        return nullptr;
    return static_cast<STACK_OF(PKCS12_SAFEBAG) *>(PKCS12_item_decrypt_d2i_ex(
        p7->d.encrypted->enc_data->algorithm, ASN1_ITEM_rptr(PKCS12_SAFEBAGS), pass, -1,
        p7->d.encrypted->enc_data->enc_data, 1, libctx, nullptr));
}

bool walkPkcs12(PKCS12 *p12, const char *pass, OSSL_LIB_CTX *libctx, StoreContents &out)
{
    STACK_OF(PKCS7) *safes = PKCS12_unpack_authsafes(p12);
    if (!safes)
        return false;
    bool ok = true;
    for (int i = 0; ok && i < sk_PKCS7_num(safes); ++i) {
        PKCS7 *p7 = sk_PKCS7_value(safes, i);
        STACK_OF(PKCS12_SAFEBAG) *bags = nullptr;
        const int nid = p7 ? OBJ_obj2nid(p7->type) : NID_undef;
        if (nid == NID_pkcs7_data)
            bags = PKCS12_unpack_p7data(p7);
        else if (nid == NID_pkcs7_encrypted)
            bags = decryptSafeContents(p7, pass, libctx);
        else
            continue;
        if (!bags) {
            ok = false;
            break;
        }
        ok = walkBags(bags, pass, libctx, out, 0);
        sk_PKCS12_SAFEBAG_pop_free(bags, PKCS12_SAFEBAG_free);
    }
    sk_PKCS7_pop_free(safes, PKCS7_free);
    return ok;
}

Pkcs12Status readPkcs12(const QByteArray &der, const QByteArray &password, StoreContents &out)
{
    const unsigned char *p = bytes(der);
    const std::unique_ptr<PKCS12, openssl::Deleter<PKCS12_free>> p12(
        d2i_PKCS12(nullptr, &p, longSize(der)));
    if (!p12)
        return Pkcs12Status::NotPkcs12;

    // As PKCS12_parse: an empty password may be stored as no password or as "".
    const char *pass = password.constData();
    if (password.isEmpty()) {
        if (!PKCS12_mac_present(p12.get()) || PKCS12_verify_mac(p12.get(), nullptr, 0) == 1)
            pass = nullptr;
        else if (PKCS12_verify_mac(p12.get(), "", 0) == 1)
            pass = "";
        else
            return Pkcs12Status::NeedsPassword;
    } else if (PKCS12_mac_present(p12.get()) && PKCS12_verify_mac(p12.get(), pass, -1) != 1) {
        return Pkcs12Status::WrongPassword;
    }

    auto attempt = [&](OSSL_LIB_CTX *libctx) {
        StoreContents contents;
        if (!walkPkcs12(p12.get(), pass, libctx, contents))
            return false;
        for (auto &x509 : contents.certificates)
            out.certificates.push_back(std::move(x509));
        for (auto &key : contents.keys)
            out.keys.push_back(std::move(key));
        return true;
    };
    // The default context first; RC2/DES encrypted stores (openssl pkcs12 -legacy, older
    // Windows exports) need the legacy provider.
    if (attempt(nullptr))
        return Pkcs12Status::Ok;
    if (OSSL_LIB_CTX *legacy = openssl::legacyLibraryContext(); legacy && attempt(legacy))
        return Pkcs12Status::Ok;
    return PKCS12_mac_present(p12.get()) ? Pkcs12Status::CannotDecrypt
                                         : Pkcs12Status::WrongPassword;
}

// --- messages ---------------------------------------------------------------------------

QString wrongPasswordMessage(const QString &name, const QByteArray &password)
{
    if (password.isEmpty())
        return QCoreApplication::translate("Ssmtp",
                                           "The certificate store \"%1\" needs a password.")
            .arg(name);
    return QCoreApplication::translate("Ssmtp", "Wrong password for the certificate store \"%1\".")
        .arg(name);
}

QString invalidMessage(const QString &name, Family family)
{
    switch (family) {
    case Family::Pfx:
        return QCoreApplication::translate(
                   "Ssmtp", "The certificate store \"%1\" is not a valid PKCS#12 (PFX) file.")
            .arg(name);
    case Family::PemKey:
        return QCoreApplication::translate(
                   "Ssmtp", "The certificate store \"%1\" holds neither a PEM private key nor a "
                            "certificate.")
            .arg(name);
    case Family::PublicKey:
        return QCoreApplication::translate(
                   "Ssmtp", "The certificate store \"%1\" holds no PEM or DER certificate.")
            .arg(name);
    case Family::P7b:
        return QCoreApplication::translate(
                   "Ssmtp", "The certificate store \"%1\" is not a valid PKCS#7 file.")
            .arg(name);
    case Family::Auto:
    case Family::Unsupported:
        break;
    }
    return QCoreApplication::translate("Ssmtp",
                                       "The certificate store \"%1\" is not in a known format.")
        .arg(name);
}

// --- decoding by family -----------------------------------------------------------------

bool decodePfx(const QByteArray &data, const QByteArray &password, const QString &name,
               StoreContents &out, QString &error)
{
    for (const QByteArray &der : derCandidates(data)) {
        switch (readPkcs12(der, password, out)) {
        case Pkcs12Status::NotPkcs12:
            continue;
        case Pkcs12Status::Ok:
            return true;
        case Pkcs12Status::WrongPassword:
        case Pkcs12Status::NeedsPassword:
            error = wrongPasswordMessage(name, password);
            return false;
        case Pkcs12Status::CannotDecrypt:
            error =
                QCoreApplication::translate(
                    "Ssmtp", "Cannot decrypt the certificate store \"%1\": it is damaged or uses "
                             "an unsupported encryption.")
                    .arg(name);
            return false;
        }
    }
    error = invalidMessage(name, Family::Pfx);
    return false;
}

bool decodePem(const QByteArray &text, const QByteArray &password, bool wantKeys,
               const QString &name, Family family, StoreContents &out, QString &error)
{
    const PemOutcome outcome = parsePem(text, password, wantKeys, out);
    if (outcome.wrongPassword) {
        error = wrongPasswordMessage(name, password);
        return false;
    }
    if (outcome.badKey) {
        error = QCoreApplication::translate(
                    "Ssmtp", "The private key in the certificate store \"%1\" is damaged.")
                    .arg(name);
        return false;
    }
    if (out.certificates.empty() && out.keys.empty()) {
        error = invalidMessage(name, family);
        return false;
    }
    return true;
}

bool decode(Family family, const QByteArray &data, const QByteArray &password, const QString &name,
            StoreContents &out, QString &error)
{
    if (family == Family::Pfx)
        return decodePfx(data, password, name, out, error);

    const QByteArray pem = pemText(data);
    if (!pem.isEmpty()) {
        const bool wantKeys = family == Family::PemKey || family == Family::Auto;
        return decodePem(pem, password, wantKeys, name, family, out, error);
    }

    for (const QByteArray &der : derCandidates(data)) {
        switch (family) {
        case Family::PublicKey:
            if (X509Ptr x509 = derCertificate(der)) {
                out.certificates.push_back(std::move(x509));
                return true;
            }
            break;
        case Family::P7b:
            if (derPkcs7(der, out.certificates)) {
                if (out.certificates.empty()) {
                    error = QCoreApplication::translate(
                                "Ssmtp", "The certificate store \"%1\" contains no certificate.")
                                .arg(name);
                    return false;
                }
                return true;
            }
            break;
        case Family::PemKey:
        case Family::Auto: {
            if (family == Family::Auto) {
                if (X509Ptr x509 = derCertificate(der)) {
                    out.certificates.push_back(std::move(x509));
                    return true;
                }
                {
                    const unsigned char *p = bytes(der);
                    if (PKCS12 *p12 = d2i_PKCS12(nullptr, &p, longSize(der))) {
                        PKCS12_free(p12);
                        return decodePfx(der, password, name, out, error);
                    }
                }
                if (derPkcs7(der, out.certificates)) {
                    if (!out.certificates.empty())
                        return true;
                    error = invalidMessage(name, family);
                    return false;
                }
            }
            PKeyPtr key;
            switch (derPrivateKey(der, password, key)) {
            case KeyStatus::Ok:
                out.keys.push_back(std::move(key));
                return true;
            case KeyStatus::WrongPassword:
                error = wrongPasswordMessage(name, password);
                return false;
            case KeyStatus::NotAKey:
                break;
            }
            break;
        }
        case Family::Pfx:
        case Family::Unsupported:
            break;
        }
    }
    error = invalidMessage(name, family);
    return false;
}

QByteArray normalisedThumbprint(const QString &text)
{
    QByteArray hex;
    for (QChar c : text) {
        if (c == u':' || c == u' ' || c == u'-' || c == u'\t')
            continue;
        hex.append(char(c.toUpper().toLatin1()));
    }
    return hex;
}

bool matchesThumbprint(X509 *x509, const QByteArray &thumbprint)
{
    const EVP_MD *md = nullptr;
    switch (thumbprint.size()) {
    case 32:
        md = EVP_md5();
        break;
    case 40:
        md = EVP_sha1();
        break;
    case 64:
        md = EVP_sha256();
        break;
    default:
        return false;
    }
    return certificateDigest(x509, md).toHex().toUpper() == thumbprint;
}

} // namespace

bool isFileStoreType(StoreType type)
{
    switch (type) {
    case SsmtpCertificate::PfxFile:
    case SsmtpCertificate::PemKeyFile:
    case SsmtpCertificate::PublicKeyFile:
    case SsmtpCertificate::P7bFile:
        return true;
    default:
        return false;
    }
}

bool isSupportedStoreType(StoreType type)
{
    return familyOf(type) != Family::Unsupported;
}

static bool autoStoreIsFile(const QByteArray &store)
{
    if (store.isEmpty() || store.size() > 4096 || store.contains('\0') || store.contains('\n') ||
        looksLikePem(store))
        return false;
    return QFileInfo(QFile::decodeName(store)).isFile();
}

QString storeDisplayName(StoreType type, const QByteArray &store)
{
    if (isFileStoreType(type) || (type == SsmtpCertificate::Auto && autoStoreIsFile(store)))
        return QDir::toNativeSeparators(QFile::decodeName(store));
    return typeName(type);
}

bool openStore(StoreType type, const QByteArray &store, const QString &password,
               StoreContents &contents, QString &error)
{
    ErrorQueueGuard guard;
    const Family family = familyOf(type);
    if (family == Family::Unsupported) {
        error = QCoreApplication::translate(
                    "Ssmtp", "The certificate store type %1 is not supported on this platform.")
                    .arg(typeName(type));
        return false;
    }
    const QString name = storeDisplayName(type, store);
    QByteArray data;
    if (isFileStoreType(type) || (type == SsmtpCertificate::Auto && autoStoreIsFile(store))) {
        QFile file(QFile::decodeName(store));
        if (store.isEmpty()) {
            error = QCoreApplication::translate("Ssmtp", "No certificate store file given.");
            return false;
        }
        if (!file.open(QIODevice::ReadOnly)) {
            error =
                QCoreApplication::translate("Ssmtp", "Cannot open the certificate store \"%1\": %2")
                    .arg(name, file.errorString());
            return false;
        }
        if (file.size() > MaxStoreSize) {
            error =
                QCoreApplication::translate("Ssmtp", "The certificate store \"%1\" is too large.")
                    .arg(name);
            return false;
        }
        data = file.read(MaxStoreSize + 1);
    } else {
        data = store;
    }
    if (data.trimmed().isEmpty()) {
        error = QCoreApplication::translate("Ssmtp", "The certificate store \"%1\" is empty.")
                    .arg(name);
        return false;
    }
    if (data.size() > MaxStoreSize) {
        error = QCoreApplication::translate("Ssmtp", "The certificate store \"%1\" is too large.")
                    .arg(name);
        return false;
    }
    return decode(family, data, password.toUtf8(), name, contents, error);
}

X509Ptr parseCertificate(const QByteArray &data, std::vector<X509Ptr> *others)
{
    ErrorQueueGuard guard;
    StoreContents contents;
    QString error;
    if (data.size() > MaxStoreSize ||
        !decode(Family::PublicKey, data, QByteArray(), QString(), contents, error) ||
        contents.certificates.empty())
        return X509Ptr();
    X509Ptr first = std::move(contents.certificates.front());
    if (others) {
        for (size_t i = 1; i < contents.certificates.size(); ++i)
            others->push_back(std::move(contents.certificates[i]));
    }
    return first;
}

bool parseConfiguration(const QString &configuration, QByteArray &thumbprint, QString &error)
{
    thumbprint.clear();
    const QStringList lines =
        configuration.split(QRegularExpression(QStringLiteral("[\r\n]+")), Qt::SkipEmptyParts);
    for (const QString &line : lines) {
        const QString trimmed = line.trimmed();
        if (trimmed.isEmpty())
            continue;
        const qsizetype equals = trimmed.indexOf(u'=');
        const QString settingName = (equals < 0 ? trimmed : trimmed.left(equals)).trimmed();
        const QString value = equals < 0 ? QString() : trimmed.mid(equals + 1).trimmed();
        if (settingName.compare(QLatin1String("Thumbprint"), Qt::CaseInsensitive) == 0) {
            thumbprint = normalisedThumbprint(value);
            if (thumbprint.size() != 32 && thumbprint.size() != 40 && thumbprint.size() != 64) {
                error = QCoreApplication::translate(
                            "Ssmtp", "The thumbprint \"%1\" is not an MD5, SHA-1 or SHA-256 hex "
                                     "value.")
                            .arg(value);
                return false;
            }
        } else if (settingName.compare(QLatin1String("PersistPFXKey"), Qt::CaseInsensitive) != 0 &&
                   settingName.compare(QLatin1String("UseInternalSecurityAPI"),
                                       Qt::CaseInsensitive) != 0) {
            // PersistPFXKey and UseInternalSecurityAPI are Windows settings: accepted, no-ops.
            error = QCoreApplication::translate("Ssmtp",
                                                "Unknown certificate configuration setting \"%1\".")
                        .arg(settingName);
            return false;
        }
    }
    return true;
}

PKeyPtr findKeyFor(X509 *certificate, const StoreContents &contents)
{
    if (!certificate)
        return PKeyPtr();
    ErrorQueueGuard guard;
    for (const PKeyPtr &key : contents.keys) {
        if (X509_check_private_key(certificate, key.get()) == 1)
            return addRef(key.get());
    }
    return PKeyPtr();
}

std::vector<X509Ptr> buildChain(X509 *certificate, const std::vector<X509Ptr> &pool)
{
    std::vector<X509Ptr> chain;
    if (!certificate)
        return chain;
    ErrorQueueGuard guard;
    X509 *current = certificate;
    // Each certificate at most once: the length is bounded by the pool.
    std::vector<X509 *> used{certificate};
    while (X509_check_issued(current, current) != X509_V_OK) {
        X509 *issuer = nullptr;
        for (const X509Ptr &candidate : pool) {
            if (std::find(used.begin(), used.end(), candidate.get()) != used.end())
                continue;
            if (X509_cmp(candidate.get(), certificate) == 0)
                continue;
            if (X509_check_issued(candidate.get(), current) == X509_V_OK) {
                issuer = candidate.get();
                break;
            }
        }
        if (!issuer)
            break;
        used.push_back(issuer);
        chain.push_back(addRef(issuer));
        current = issuer;
    }
    return chain;
}

bool selectCertificate(StoreContents &contents, const QString &subject,
                       const QByteArray &thumbprint, const QString &storeName, Selection &selection,
                       QString &error)
{
    ErrorQueueGuard guard;
    selection = Selection();
    const QString wanted = subject.trimmed();
    const bool any = wanted.isEmpty() || wanted == QLatin1String("*");

    if (contents.certificates.empty()) {
        if (!contents.keys.empty() && any && thumbprint.isEmpty()) {
            selection.key = addRef(contents.keys.front().get());
            return true;
        }
        error = QCoreApplication::translate("Ssmtp",
                                            "The certificate store \"%1\" contains no certificate.")
                    .arg(storeName);
        return false;
    }

    struct Candidate
    {
        X509 *x509;
        PKeyPtr key;
    };
    std::vector<Candidate> candidates;
    for (const X509Ptr &x509 : contents.certificates)
        candidates.push_back({x509.get(), findKeyFor(x509.get(), contents)});

    // The first match, preferring one with a private key.
    auto pick = [&candidates](auto matches) -> Candidate * {
        Candidate *first = nullptr;
        for (Candidate &candidate : candidates) {
            if (!matches(candidate.x509))
                continue;
            if (candidate.key)
                return &candidate;
            if (!first)
                first = &candidate;
        }
        return first;
    };

    Candidate *chosen = nullptr;
    if (!thumbprint.isEmpty()) {
        chosen = pick([&thumbprint](X509 *x509) { return matchesThumbprint(x509, thumbprint); });
        if (!chosen) {
            error =
                QCoreApplication::translate(
                    "Ssmtp", "No certificate in the certificate store \"%1\" has the thumbprint "
                             "\"%2\".")
                    .arg(storeName, QString::fromLatin1(thumbprint));
            return false;
        }
    } else if (any) {
        chosen = pick([](X509 *) { return true; });
    } else {
        auto names = [](X509 *x509) {
            const X509_NAME *name = X509_get_subject_name(x509);
            return std::make_pair(formatName(name), formatNameRfc2253(name));
        };
        chosen = pick([&](X509 *x509) {
            const auto [spec, rfc] = names(x509);
            return spec.compare(wanted, Qt::CaseInsensitive) == 0 ||
                   rfc.compare(wanted, Qt::CaseInsensitive) == 0;
        });
        if (!chosen) {
            chosen = pick([&](X509 *x509) {
                const auto [spec, rfc] = names(x509);
                return spec.contains(wanted, Qt::CaseInsensitive) ||
                       rfc.contains(wanted, Qt::CaseInsensitive);
            });
        }
        if (!chosen) {
            error =
                QCoreApplication::translate(
                    "Ssmtp", "No certificate in the certificate store \"%1\" matches the subject "
                             "\"%2\".")
                    .arg(storeName, wanted);
            return false;
        }
    }

    selection.certificate = addRef(chosen->x509);
    selection.key = std::move(chosen->key);
    selection.chain = buildChain(chosen->x509, contents.certificates);
    return true;
}

} // namespace ssmtp::certificate
