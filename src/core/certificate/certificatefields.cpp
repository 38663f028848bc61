#include "certificate/certificatefields_p.h"

#include "openssl/openssl_p.h"

#include <QDate>
#include <QHostAddress>
#include <QTime>

#include <openssl/asn1.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include <ctime>
#include <vector>

namespace ssmtp::certificate {

namespace {

QString objectText(const ASN1_OBJECT *object, bool numeric)
{
    if (!object)
        return QString();
    char buffer[128];
    const int length = OBJ_obj2txt(buffer, int(sizeof buffer), object, numeric ? 1 : 0);
    if (length <= 0)
        return QString();
    if (size_t(length) < sizeof buffer)
        return QString::fromLatin1(buffer, length);
    std::vector<char> large(size_t(length) + 1);
    OBJ_obj2txt(large.data(), length + 1, object, numeric ? 1 : 0);
    return QString::fromLatin1(large.data(), length);
}

QString stringValue(const ASN1_STRING *string)
{
    if (!string)
        return QString();
    unsigned char *utf8 = nullptr;
    const int length = ASN1_STRING_to_UTF8(&utf8, string);
    if (length < 0 || !utf8)
        return QString();
    QString value = QString::fromUtf8(reinterpret_cast<const char *>(utf8), length);
    OPENSSL_free(utf8);
    return value;
}

QString attributeName(const ASN1_OBJECT *object)
{
    const int nid = OBJ_obj2nid(object);
    switch (nid) {
    case NID_commonName:
        return QStringLiteral("CN");
    case NID_organizationName:
        return QStringLiteral("O");
    case NID_organizationalUnitName:
        return QStringLiteral("OU");
    case NID_localityName:
        return QStringLiteral("L");
    case NID_stateOrProvinceName:
        return QStringLiteral("S");
    case NID_countryName:
        return QStringLiteral("C");
    case NID_pkcs9_emailAddress:
        return QStringLiteral("E");
    case NID_undef:
        return objectText(object, true);
    default:
        if (const char *shortName = OBJ_nid2sn(nid))
            return QString::fromLatin1(shortName);
        return objectText(object, true);
    }
}

QString quoteValue(const QString &value)
{
    bool quote = !value.isEmpty() &&
                 (value.front().isSpace() || value.back().isSpace() || value.front() == u'#');
    for (QChar c : value) {
        if (quote)
            break;
        switch (c.unicode()) {
        case ',':
        case '+':
        case '=':
        case '"':
        case '\\':
        case '<':
        case '>':
        case ';':
        case '\r':
        case '\n':
            quote = true;
            break;
        default:
            break;
        }
    }
    if (!quote)
        return value;
    QString quoted = value;
    quoted.replace(QLatin1Char('"'), QLatin1String("\"\""));
    return QLatin1Char('"') + quoted + QLatin1Char('"');
}

QString ipAddressText(const ASN1_OCTET_STRING *address)
{
    if (!address)
        return QString();
    const unsigned char *data = ASN1_STRING_get0_data(address);
    const int length = ASN1_STRING_length(address);
    if (length == 4) {
        return QHostAddress(quint32(data[0]) << 24 | quint32(data[1]) << 16 |
                            quint32(data[2]) << 8 | quint32(data[3]))
            .toString();
    }
    if (length == 16)
        return QHostAddress(data).toString();
    return QString::fromLatin1(QByteArray(reinterpret_cast<const char *>(data), length).toHex());
}

using GeneralNamesPtr = std::unique_ptr<GENERAL_NAMES, openssl::Deleter<GENERAL_NAMES_free>>;

GeneralNamesPtr altNames(X509 *x509)
{
    if (!x509)
        return GeneralNamesPtr();
    return GeneralNamesPtr(static_cast<GENERAL_NAMES *>(
        X509_get_ext_d2i(x509, NID_subject_alt_name, nullptr, nullptr)));
}

const char *const MonthNames[12] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                    "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

bool toTm(const ASN1_TIME *time, std::tm &tm)
{
    tm = std::tm();
    return time && ASN1_TIME_to_tm(time, &tm) == 1 && tm.tm_mon >= 0 && tm.tm_mon < 12;
}

} // namespace

QString formatName(const X509_NAME *name)
{
    if (!name)
        return QString();
    QString out;
    const int count = X509_NAME_entry_count(name);
    int previousSet = -1;
    for (int i = count - 1; i >= 0; --i) {
        const X509_NAME_ENTRY *entry = X509_NAME_get_entry(name, i);
        if (!entry)
            continue;
        const int set = X509_NAME_ENTRY_set(entry);
        if (!out.isEmpty())
            out += set == previousSet ? QLatin1String(" + ") : QLatin1String(", ");
        previousSet = set;
        out += attributeName(X509_NAME_ENTRY_get_object(entry)) + QLatin1Char('=') +
               quoteValue(stringValue(X509_NAME_ENTRY_get_data(entry)));
    }
    return out;
}

QString formatNameRfc2253(const X509_NAME *name)
{
    if (!name)
        return QString();
    openssl::BioPtr bio(BIO_new(BIO_s_mem()));
    if (!bio)
        return QString();
    const unsigned long flags =
        (XN_FLAG_RFC2253 & ~static_cast<unsigned long>(ASN1_STRFLGS_ESC_MSB)) |
        ASN1_STRFLGS_UTF8_CONVERT;
    if (X509_NAME_print_ex(bio.get(), name, 0, flags) < 0)
        return QString();
    return QString::fromUtf8(openssl::memoryContents(bio.get()));
}

QString formatTime(const ASN1_TIME *time)
{
    std::tm tm;
    if (!toTm(time, tm))
        return QString();
    return QString::asprintf("%02d-%s-%04d %02d:%02d:%02d", tm.tm_mday, MonthNames[tm.tm_mon],
                             tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

QDateTime toDateTime(const ASN1_TIME *time)
{
    std::tm tm;
    if (!toTm(time, tm))
        return QDateTime();
    return QDateTime(QDate(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday),
                     QTime(tm.tm_hour, tm.tm_min, tm.tm_sec), Qt::UTC);
}

QByteArray certificateDigest(X509 *x509, const EVP_MD *md)
{
    if (!x509 || !md)
        return QByteArray();
    unsigned char buffer[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    if (X509_digest(x509, md, buffer, &length) != 1)
        return QByteArray();
    return QByteArray(reinterpret_cast<const char *>(buffer), qsizetype(length));
}

QByteArray publicKeyDigest(EVP_PKEY *key, const EVP_MD *md)
{
    if (!key || !md)
        return QByteArray();
    unsigned char *der = nullptr;
    const int derLength = i2d_PUBKEY(key, &der);
    if (derLength <= 0)
        return QByteArray();
    unsigned char buffer[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    const int ok = EVP_Digest(der, size_t(derLength), buffer, &length, md, nullptr);
    OPENSSL_free(der);
    if (ok != 1)
        return QByteArray();
    return QByteArray(reinterpret_cast<const char *>(buffer), qsizetype(length));
}

QString fingerprintText(const QByteArray &digest)
{
    return QString::fromLatin1(digest.toHex(':'));
}

QString thumbprintText(const QByteArray &digest)
{
    return QString::fromLatin1(digest.toHex().toUpper());
}

QString serialNumber(X509 *x509)
{
    if (!x509)
        return QString();
    const ASN1_INTEGER *serial = X509_get0_serialNumber(x509);
    if (!serial)
        return QString();
    const QByteArray bytes(reinterpret_cast<const char *>(ASN1_STRING_get0_data(serial)),
                           ASN1_STRING_length(serial));
    QString hex =
        bytes.isEmpty() ? QStringLiteral("00") : QString::fromLatin1(bytes.toHex().toUpper());
    if (ASN1_STRING_type(serial) == V_ASN1_NEG_INTEGER)
        hex.prepend(QLatin1Char('-'));
    return hex;
}

QString extendedKeyUsage(X509 *x509)
{
    if (!x509)
        return QString();
    auto *usage = static_cast<EXTENDED_KEY_USAGE *>(
        X509_get_ext_d2i(x509, NID_ext_key_usage, nullptr, nullptr));
    if (!usage)
        return QString();
    QStringList oids;
    for (int i = 0; i < sk_ASN1_OBJECT_num(usage); ++i)
        oids.append(objectText(sk_ASN1_OBJECT_value(usage, i), true));
    EXTENDED_KEY_USAGE_free(usage);
    return oids.join(QLatin1String(", "));
}

QString subjectAltNames(X509 *x509)
{
    const GeneralNamesPtr names = altNames(x509);
    if (!names)
        return QString();
    QStringList values;
    for (int i = 0; i < sk_GENERAL_NAME_num(names.get()); ++i) {
        const GENERAL_NAME *name = sk_GENERAL_NAME_value(names.get(), i);
        if (!name)
            continue;
        switch (name->type) {
        case GEN_EMAIL:
            values.append(stringValue(name->d.rfc822Name));
            break;
        case GEN_DNS:
            values.append(stringValue(name->d.dNSName));
            break;
        case GEN_URI:
            values.append(stringValue(name->d.uniformResourceIdentifier));
            break;
        case GEN_IPADD:
            values.append(ipAddressText(name->d.iPAddress));
            break;
        case GEN_DIRNAME:
            values.append(formatName(name->d.directoryName));
            break;
        case GEN_RID:
            values.append(objectText(name->d.registeredID, true));
            break;
        default:
            break;
        }
    }
    return values.join(QLatin1String(", "));
}

QStringList emailAddresses(X509 *x509)
{
    QStringList addresses;
    if (!x509)
        return addresses;
    auto add = [&addresses](const QString &address) {
        if (address.isEmpty())
            return;
        for (const QString &known : std::as_const(addresses)) {
            if (known.compare(address, Qt::CaseInsensitive) == 0)
                return;
        }
        addresses.append(address);
    };
    if (const GeneralNamesPtr names = altNames(x509)) {
        for (int i = 0; i < sk_GENERAL_NAME_num(names.get()); ++i) {
            const GENERAL_NAME *name = sk_GENERAL_NAME_value(names.get(), i);
            if (name && name->type == GEN_EMAIL)
                add(stringValue(name->d.rfc822Name));
        }
    }
    const X509_NAME *subject = X509_get_subject_name(x509);
    for (int i = X509_NAME_get_index_by_NID(subject, NID_pkcs9_emailAddress, -1); i >= 0;
         i = X509_NAME_get_index_by_NID(subject, NID_pkcs9_emailAddress, i)) {
        add(stringValue(X509_NAME_ENTRY_get_data(X509_NAME_get_entry(subject, i))));
    }
    return addresses;
}

int usageFlags(X509 *x509)
{
    if (!x509)
        return 0;
    const uint32_t usage = X509_get_key_usage(x509);
    if (usage == UINT32_MAX)
        return 0;
    return int(usage & 0xFEu);
}

QString usageText(int flags)
{
    static const struct
    {
        int flag;
        const char *text;
    } names[] = {
        {0x80, "Digital Signatures"}, {0x40, "Key Authentication"}, {0x20, "Key Encryption"},
        {0x10, "Data Encryption"},    {0x08, "Key Agreement"},      {0x04, "Certificate Signing"},
        {0x02, "Key Signing"},
    };
    QStringList texts;
    for (const auto &name : names) {
        if (flags & name.flag)
            texts.append(QLatin1String(name.text));
    }
    return texts.join(QLatin1String(", "));
}

QString version(X509 *x509)
{
    if (!x509)
        return QString();
    return QStringLiteral("V%1").arg(X509_get_version(x509) + 1);
}

QString signatureAlgorithm(X509 *x509)
{
    if (!x509)
        return QString();
    const X509_ALGOR *algorithm = nullptr;
    X509_get0_signature(nullptr, &algorithm, x509);
    if (!algorithm)
        return QString();
    const ASN1_OBJECT *object = nullptr;
    X509_ALGOR_get0(&object, nullptr, nullptr, algorithm);
    return objectText(object, false);
}

QString publicKeyAlgorithm(EVP_PKEY *key)
{
    if (!key)
        return QString();
    if (const char *name = EVP_PKEY_get0_type_name(key))
        return QString::fromLatin1(name);
    if (const char *name = OBJ_nid2sn(EVP_PKEY_get_base_id(key)))
        return QString::fromLatin1(name);
    return QString();
}

int publicKeyLength(EVP_PKEY *key)
{
    return key ? EVP_PKEY_get_bits(key) : 0;
}

QString publicKeyPem(EVP_PKEY *key)
{
    if (!key)
        return QString();
    openssl::BioPtr bio(BIO_new(BIO_s_mem()));
    if (!bio || PEM_write_bio_PUBKEY(bio.get(), key) != 1)
        return QString();
    return QString::fromLatin1(openssl::memoryContents(bio.get()));
}

QString privateKeyPem(EVP_PKEY *key)
{
    if (!key)
        return QString();
    openssl::BioPtr bio(BIO_new(BIO_s_mem()));
    if (!bio ||
        PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr) != 1)
        return QString();
    return QString::fromLatin1(openssl::memoryContents(bio.get()));
}

QByteArray toDer(X509 *x509)
{
    if (!x509)
        return QByteArray();
    unsigned char *der = nullptr;
    const int length = i2d_X509(x509, &der);
    if (length <= 0)
        return QByteArray();
    QByteArray bytes(reinterpret_cast<const char *>(der), length);
    OPENSSL_free(der);
    return bytes;
}

} // namespace ssmtp::certificate
