// Internal: the text forms of certificate fields (SsmtpCertificate's properties) from OpenSSL
// objects. Every function accepts nullptr and then returns an empty value.
#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QString>
#include <QStringList>

#include <openssl/evp.h>
#include <openssl/x509.h>

namespace ssmtp::certificate {

// "CN=Alice, O=Example, C=DE, E=alice@example.com": the RDNs from the last to the first (the
// order of RFC 2253 and of Windows), ", " between RDNs, " + " inside a multi-valued RDN,
// spec names CN O OU L S C E (other attributes by OpenSSL short name, else dotted OID),
// values in UTF-8; a value with , + = " \ < > ; # or line break or leading/trailing blanks is
// put in double quotes with inner quotes doubled.
QString formatName(const X509_NAME *name);
// The RFC 2253 form (X509_NAME_print_ex with XN_FLAG_RFC2253), e.g. "CN=Alice,O=Example".
QString formatNameRfc2253(const X509_NAME *name);

// "23-Jan-2000 15:00:00" (UTC, English month abbreviation, two-digit day).
QString formatTime(const ASN1_TIME *time);
QDateTime toDateTime(const ASN1_TIME *time);

QByteArray certificateDigest(X509 *x509, const EVP_MD *md);
QByteArray publicKeyDigest(EVP_PKEY *key, const EVP_MD *md);
// "bc:2a:72:..." (lower case, colons).
QString fingerprintText(const QByteArray &digest);
// "BC2A72..." (upper case, no separators).
QString thumbprintText(const QByteArray &digest);

// Upper-case hex pairs, "-" in front of a negative serial number.
QString serialNumber(X509 *x509);
// Dotted OIDs, ", " between them.
QString extendedKeyUsage(X509 *x509);
// Values of the subjectAltName entries without type prefixes, ", " between them: e-mail
// addresses, DNS names, URIs, IP addresses (IPv4 dotted, IPv6 as QHostAddress writes it),
// directory names (formatName), registered IDs (dotted OID); other names are left out.
QString subjectAltNames(X509 *x509);
QStringList emailAddresses(X509 *x509);
// The KeyUsage bits of the spec (0x80 ... 0x02); 0 when the extension is absent.
int usageFlags(X509 *x509);
// "Digital Signatures, Key Authentication, ..." for the flags.
QString usageText(int flags);
QString version(X509 *x509);
// OpenSSL's long name ("sha256WithRSAEncryption"), else the dotted OID.
QString signatureAlgorithm(X509 *x509);
// "RSA", "EC", "ED25519", ... (OpenSSL key type name).
QString publicKeyAlgorithm(EVP_PKEY *key);
int publicKeyLength(EVP_PKEY *key);
// PEM of the SubjectPublicKeyInfo ("-----BEGIN PUBLIC KEY-----").
QString publicKeyPem(EVP_PKEY *key);
// PEM of the unencrypted PKCS#8 private key ("-----BEGIN PRIVATE KEY-----").
QString privateKeyPem(EVP_PKEY *key);
QByteArray toDer(X509 *x509);

} // namespace ssmtp::certificate
