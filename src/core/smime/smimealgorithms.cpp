#include "smimealgorithms.h"

#include <openssl/objects.h>

#include <iterator>

namespace ssmtp::smime {

namespace {

// The spec's SigningAlgorithm list. micalg values: RFC 8551 3.5.3.2 (sha-256/384/512),
// RFC 5751 (sha-224), RFC 3851 (sha-1, md5).
constexpr DigestAlgorithm kDigests[] = {
    {NID_sha1, "sha1", "sha-1", "sha1"},           {NID_md5, "md5", "md5", "md5"},
    {NID_sha256, "sha-256", "sha-256", "sha2256"}, {NID_sha384, "sha-384", "sha-384", "sha2384"},
    {NID_sha512, "sha-512", "sha-512", "sha2512"}, {NID_sha224, "sha-224", "sha-224", "sha2224"},
};

// The spec's EncryptingAlgorithm list. "RC2" and "AES"/"AESGCM" are the spec's short forms.
constexpr CipherAlgorithm kCiphers[] = {
    {NID_des_ede3_cbc, NID_des_ede3_cbc, "3DES", "desede3cbc desede3 tripledes", false},
    {NID_des_cbc, NID_des_cbc, "DES", "descbc", false},
    {NID_rc2_40_cbc, NID_rc2_cbc, "RC2CBC40", "rc240cbc rc240", false},
    {NID_rc2_64_cbc, NID_rc2_cbc, "RC2CBC64", "rc264cbc rc264", false},
    {NID_rc2_cbc, NID_rc2_cbc, "RC2CBC128", "rc2 rc2cbc rc2128cbc rc2128", false},
    {NID_aes_128_cbc, NID_aes_128_cbc, "AESCBC128", "aes aes128cbc aes128", false},
    {NID_aes_192_cbc, NID_aes_192_cbc, "AESCBC192", "aes192cbc aes192", false},
    {NID_aes_256_cbc, NID_aes_256_cbc, "AESCBC256", "aes256cbc aes256", false},
    {NID_aes_128_gcm, NID_aes_128_gcm, "AESGCM128", "aesgcm aes128gcm", true},
    {NID_aes_192_gcm, NID_aes_192_gcm, "AESGCM192", "aes192gcm", true},
    {NID_aes_256_gcm, NID_aes_256_gcm, "AESGCM256", "aes256gcm", true},
};

// Lower case without '-', '_' and spaces: "SHA-256" -> "sha256".
QByteArray normalise(QStringView name)
{
    QByteArray key;
    key.reserve(name.size());
    for (const QChar c : name) {
        if (c == u'-' || c == u'_' || c.isSpace())
            continue;
        if (c.unicode() > 0x7f)
            return QByteArray(); // no algorithm name has non-ASCII characters
        key.append(static_cast<char>(c.toLower().unicode()));
    }
    return key;
}

bool looksLikeOid(QStringView text)
{
    if (text.isEmpty() || !text.contains(u'.'))
        return false;
    for (const QChar c : text) {
        if (!(c.isDigit() && c.unicode() < 0x80) && c != u'.')
            return false;
    }
    return true;
}

// NID of a dotted OID; NID_undef when OpenSSL does not know it.
int nidOfOid(QStringView oid)
{
    const QByteArray text = oid.toLatin1();
    ASN1_OBJECT *object = OBJ_txt2obj(text.constData(), 1); // 1: numerical form only
    if (!object)
        return NID_undef;
    const int nid = OBJ_obj2nid(object);
    ASN1_OBJECT_free(object);
    return nid;
}

QString oidOfNid(int nid)
{
    const ASN1_OBJECT *object = OBJ_nid2obj(nid);
    if (!object)
        return QString();
    char buffer[128];
    const int length = OBJ_obj2txt(buffer, sizeof buffer, object, 1); // 1: dotted OID
    if (length <= 0 || length >= static_cast<int>(sizeof buffer))
        return QString();
    return QString::fromLatin1(buffer, length);
}

bool matchesAlias(const char *aliases, const QByteArray &key)
{
    for (const QByteArray &alias : QByteArray(aliases).split(' ')) {
        if (alias == key)
            return true;
    }
    return false;
}

template<typename Algorithm, size_t N>
const Algorithm *find(const Algorithm (&table)[N], QStringView nameOrOid, int Algorithm::*oidNid)
{
    const QStringView text = nameOrOid.trimmed();
    if (looksLikeOid(text)) {
        const int nid = nidOfOid(text);
        if (nid == NID_undef)
            return nullptr;
        for (const Algorithm &algorithm : table) {
            if (algorithm.*oidNid == nid && algorithm.nid == nid)
                return &algorithm;
        }
        return nullptr;
    }
    const QByteArray key = normalise(text);
    if (key.isEmpty())
        return nullptr;
    for (const Algorithm &algorithm : table) {
        if (normalise(QString::fromLatin1(algorithm.name)) == key ||
            matchesAlias(algorithm.aliases, key))
            return &algorithm;
    }
    return nullptr;
}

} // namespace

const DigestAlgorithm *findDigest(QStringView nameOrOid)
{
    return find(kDigests, nameOrOid, &DigestAlgorithm::nid);
}

const CipherAlgorithm *findCipher(QStringView nameOrOid)
{
    return find(kCiphers, nameOrOid, &CipherAlgorithm::oidNid);
}

QString signingAlgorithmOid(QStringView nameOrOid)
{
    const DigestAlgorithm *digest = findDigest(nameOrOid);
    return digest ? oidOfNid(digest->nid) : QString();
}

QString encryptingAlgorithmOid(QStringView nameOrOid)
{
    const CipherAlgorithm *cipher = findCipher(nameOrOid);
    return cipher ? oidOfNid(cipher->oidNid) : QString();
}

QString signingAlgorithmName(QStringView nameOrOid)
{
    const DigestAlgorithm *digest = findDigest(nameOrOid);
    return digest ? QString::fromLatin1(digest->name) : QString();
}

QString encryptingAlgorithmName(QStringView nameOrOid)
{
    const CipherAlgorithm *cipher = findCipher(nameOrOid);
    return cipher ? QString::fromLatin1(cipher->name) : QString();
}

QByteArray micalg(QStringView nameOrOid)
{
    const DigestAlgorithm *digest = findDigest(nameOrOid);
    return digest ? QByteArray(digest->micalg) : QByteArray();
}

QStringList signingAlgorithmNames()
{
    QStringList names;
    for (const DigestAlgorithm &digest : kDigests)
        names.append(QString::fromLatin1(digest.name));
    return names;
}

QStringList encryptingAlgorithmNames()
{
    QStringList names;
    for (const CipherAlgorithm &cipher : kCiphers)
        names.append(QString::fromLatin1(cipher.name));
    return names;
}

QString defaultSigningAlgorithm()
{
    return QStringLiteral("sha-256");
}

// AES-256-CBC (EnvelopedData) instead of the spec's 3DES: 3DES has a 64-bit block (Sweet32) and
// NIST disallowed it for encryption after 2023, while AES-CBC is what every S/MIME client
// decrypts (Outlook, Apple Mail, Thunderbird, iOS, Android clients; RFC 8551 2.7 keeps
// AES-128-CBC as a receiver requirement). AES-GCM (AuthEnvelopedData, RFC 8551's MUST) would be
// the better cipher, but the common clients still cannot open authEnveloped-data, so it stays
// an explicit choice ("AESGCM256").
QString defaultEncryptingAlgorithm()
{
    return QStringLiteral("AESCBC256");
}

} // namespace ssmtp::smime
