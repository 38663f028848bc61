#include "tlsnames.h"

#include <QHash>
#include <QStringList>

namespace ssmtp::transport {

namespace {

QStringList items(const QString &list)
{
    QStringList out;
    for (const QString &item : list.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        const QString name = item.trimmed().toLower();
        if (!name.isEmpty())
            out.append(name);
    }
    return out;
}

} // namespace

QByteArray opensslGroups(const QString &specList, QString *unknown)
{
    static const QHash<QString, QByteArray> names{
        {QStringLiteral("ecdhe_x25519"), "X25519"},   {QStringLiteral("ecdhe_x448"), "X448"},
        {QStringLiteral("ecdhe_secp256r1"), "P-256"}, {QStringLiteral("ecdhe_secp384r1"), "P-384"},
        {QStringLiteral("ecdhe_secp521r1"), "P-521"}, {QStringLiteral("ffdhe_2048"), "ffdhe2048"},
        {QStringLiteral("ffdhe_3072"), "ffdhe3072"},  {QStringLiteral("ffdhe_4096"), "ffdhe4096"},
        {QStringLiteral("ffdhe_6144"), "ffdhe6144"},  {QStringLiteral("ffdhe_8192"), "ffdhe8192"},
    };
    QList<QByteArray> out;
    for (const QString &name : items(specList)) {
        const QByteArray mapped = names.value(name);
        if (mapped.isEmpty()) {
            *unknown = name;
            return {};
        }
        if (!out.contains(mapped))
            out.append(mapped);
    }
    return out.join(':');
}

QByteArray opensslSignatureAlgorithms(const QString &specList, QString *unknown)
{
    // TLS 1.3 names; OpenSSL spells RSA-PSS with rsaEncryption keys "rsa_pss_rsae_*".
    static const QHash<QString, QByteArray> tls13{
        {QStringLiteral("ed25519"), "ed25519"},
        {QStringLiteral("ed448"), "ed448"},
        {QStringLiteral("ecdsa_secp256r1_sha256"), "ecdsa_secp256r1_sha256"},
        {QStringLiteral("ecdsa_secp384r1_sha384"), "ecdsa_secp384r1_sha384"},
        {QStringLiteral("ecdsa_secp521r1_sha512"), "ecdsa_secp521r1_sha512"},
        {QStringLiteral("rsa_pkcs1_sha256"), "rsa_pkcs1_sha256"},
        {QStringLiteral("rsa_pkcs1_sha384"), "rsa_pkcs1_sha384"},
        {QStringLiteral("rsa_pkcs1_sha512"), "rsa_pkcs1_sha512"},
        {QStringLiteral("rsa_pss_sha256"), "rsa_pss_rsae_sha256"},
        {QStringLiteral("rsa_pss_sha384"), "rsa_pss_rsae_sha384"},
        {QStringLiteral("rsa_pss_sha512"), "rsa_pss_rsae_sha512"},
    };
    // TLS 1.2 "hash-signature" pairs.
    static const QHash<QString, QByteArray> signatures{{QStringLiteral("rsa"), "RSA"},
                                                       {QStringLiteral("dsa"), "DSA"},
                                                       {QStringLiteral("ecdsa"), "ECDSA"}};
    static const QHash<QString, QByteArray> hashes{{QStringLiteral("sha1"), "SHA1"},
                                                   {QStringLiteral("sha224"), "SHA224"},
                                                   {QStringLiteral("sha256"), "SHA256"},
                                                   {QStringLiteral("sha384"), "SHA384"},
                                                   {QStringLiteral("sha512"), "SHA512"}};
    QList<QByteArray> out;
    for (const QString &name : items(specList)) {
        QByteArray mapped = tls13.value(name);
        if (mapped.isEmpty()) {
            const QStringList pair = name.split(QLatin1Char('-'));
            if (pair.size() == 2 && hashes.contains(pair.at(0)) && signatures.contains(pair.at(1)))
                mapped = signatures.value(pair.at(1)) + '+' + hashes.value(pair.at(0));
        }
        if (mapped.isEmpty()) {
            *unknown = name;
            return {};
        }
        if (!out.contains(mapped))
            out.append(mapped);
    }
    return out.join(':');
}

} // namespace ssmtp::transport
