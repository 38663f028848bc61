// The S/MIME algorithm names of the spec (SigningAlgorithm, EncryptingAlgorithm), their OIDs and
// the OpenSSL algorithms behind them. Internal: no OpenSSL type appears in this header.
//
// Names are matched case-insensitively and without '-', '_' or spaces, so "sha-256", "SHA256"
// and "Sha_256" are the same algorithm; OpenSSL's names ("aes-256-cbc", "des-ede3-cbc") are
// accepted too. A dotted OID ("2.16.840.1.101.3.4.2.1") selects the algorithm with that OID.
#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>
#include <QStringView>

namespace ssmtp::smime {

struct DigestAlgorithm
{
    int nid;             // OpenSSL NID of the digest
    const char *name;    // spec name: "sha-256"
    const char *micalg;  // multipart/signed micalg value (RFC 8551 3.5.3.2, RFC 5751 for sha-224)
    const char *aliases; // further normalised names, space separated
};

struct CipherAlgorithm
{
    int nid;             // OpenSSL NID of the cipher (rc2-40-cbc has no OID of its own)
    int oidNid;          // NID whose OID goes into the message (rc2-cbc for every RC2 size)
    const char *name;    // spec name: "AESCBC256"
    const char *aliases; // further normalised names, space separated
    bool aead;           // AES-GCM: AuthEnvelopedData (RFC 5083/5084)
};

// nullptr when nameOrOid names no supported algorithm.
const DigestAlgorithm *findDigest(QStringView nameOrOid);
const CipherAlgorithm *findCipher(QStringView nameOrOid);

// The dotted OID of the algorithm ("2.16.840.1.101.3.4.2.1" for "sha-256"); empty when unknown.
// What the spec's SigningAlgorithm/EncryptingAlgorithm properties return when read.
// Every RC2 size has the one rc2-cbc OID (the key size is a parameter); that OID alone means
// RC2CBC128.
QString signingAlgorithmOid(QStringView nameOrOid);
QString encryptingAlgorithmOid(QStringView nameOrOid);

// The spec's name of the algorithm ("sha-256", "AESCBC256"); empty when unknown.
QString signingAlgorithmName(QStringView nameOrOid);
QString encryptingAlgorithmName(QStringView nameOrOid);

// The micalg parameter for multipart/signed ("sha-256"); empty when unknown.
QByteArray micalg(QStringView nameOrOid);

// The spec's names, in the spec's order.
QStringList signingAlgorithmNames();
QStringList encryptingAlgorithmNames();

// Defaults. Signing: "sha-256" (the spec's default). Encrypting: "AESCBC256", see
// defaultEncryptingAlgorithm() in smimealgorithms.cpp for the reasoning.
QString defaultSigningAlgorithm();
QString defaultEncryptingAlgorithm();

} // namespace ssmtp::smime
