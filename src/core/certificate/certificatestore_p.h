// Internal: opening certificate stores (PKCS#12, PEM key files, certificates, PKCS#7) into a
// list of certificates and keys, and selecting one certificate from it (subject, "*",
// thumbprint). Pure functions over bytes, apart from reading the store file.
#pragma once

#include "openssl/openssl_p.h"
#include "ssmtpcertificate.h"

#include <QByteArray>
#include <QString>

#include <vector>

namespace ssmtp::certificate {

// The OpenSSL helpers this layer's interfaces are written in (also used unqualified by
// ../ssmtpcertificate.cpp); the rest is spelled openssl::.
using openssl::addRef;
using openssl::ErrorQueueGuard;
using openssl::PKeyPtr;
using openssl::X509Ptr;

struct StoreContents
{
    std::vector<X509Ptr> certificates;
    std::vector<PKeyPtr> keys;
};

// The result of a selection: the certificate (may be null for a key-only PEM store), its
// private key (if the store has one), and the issuer chain found in the store (leaf
// excluded, nearest issuer first).
struct Selection
{
    X509Ptr certificate;
    PKeyPtr key;
    std::vector<X509Ptr> chain;
};

// How a store argument is read: the file name for the *File types, the data for the *Blob
// types; Auto reads a file when store names an existing file, else takes it as data.
bool isFileStoreType(SsmtpCertificate::StoreType type);
bool isSupportedStoreType(SsmtpCertificate::StoreType type);

// A name for store in messages: the file name, or the store type for blobs.
QString storeDisplayName(SsmtpCertificate::StoreType type, const QByteArray &store);

// Opens the store. Returns false with error set (translated) on failure.
bool openStore(SsmtpCertificate::StoreType type, const QByteArray &store, const QString &password,
               StoreContents &contents, QString &error);

// Parses certificate data (PEM, DER or base64 text); the first certificate, the rest in
// others (may be nullptr).
X509Ptr parseCertificate(const QByteArray &data, std::vector<X509Ptr> *others = nullptr);

// The value of "Thumbprint" in a newline-separated configuration string (hex, separators
// removed, upper case). Returns false with error set for an unknown setting.
bool parseConfiguration(const QString &configuration, QByteArray &thumbprint, QString &error);

// Selects by thumbprint (when not empty), else by subject: an exact match (case-insensitive,
// against the subject as subject() formats it or in RFC 2253 form), else a substring match;
// "*" or an empty subject takes any certificate. Among several matches the first with a
// private key wins. Returns false with error set when nothing matches.
bool selectCertificate(StoreContents &contents, const QString &subject,
                       const QByteArray &thumbprint, const QString &storeName, Selection &selection,
                       QString &error);

// The private key of contents that belongs to certificate (nullptr if none).
PKeyPtr findKeyFor(X509 *certificate, const StoreContents &contents);
// The issuer chain of certificate among the certificates of contents.
std::vector<X509Ptr> buildChain(X509 *certificate, const std::vector<X509Ptr> &pool);

} // namespace ssmtp::certificate
