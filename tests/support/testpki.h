// Test certificates made with the openssl command line tool: a self-signed CA and certificates
// it (or another certificate made here) issues, as PEM files in a directory of the test.
#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QString>
#include <QStringList>

class TestPki
{
public:
    enum KeyType { Rsa, Ec };

    // Writes into `directory` (normally a QTemporaryDir of the test) with the `openssl`
    // executable. The openssl configuration is `directory`/ext.cnf, which the test writes
    // first: its [req] section and one section per `extensions` name used below. Issued
    // certificates get serial number serialBase + the number of certificates made before.
    TestPki(const QString &directory, const QString &openssl, int serialBase = 100);

    // Makes name.key and name.pem (and name.csr when issued): self-signed when `issuer` is
    // empty, else signed by the certificate made earlier as `issuer`, with the extensions of
    // section `extensions` of ext.cnf, valid for 30 days. RSA keys are 2048 bits, EC keys
    // prime256v1. On failure, *why (if given) tells what openssl said.
    bool create(const QString &name, const QString &subject, KeyType key, const QString &issuer,
                const QString &extensions, QString *why = nullptr);

    // Like create() with an issuer, but valid from notBefore to notAfter (UTC, whole seconds):
    // e.g. an expired certificate. Signed with `openssl ca` (OpenSSL 3.0's `x509 -req` cannot
    // set dates) and a throw-away CA database in `directory`/name-cadb.
    bool createWithValidity(const QString &name, const QString &subject, KeyType key,
                            const QString &issuer, const QString &extensions,
                            const QDateTime &notBefore, const QDateTime &notAfter,
                            QString *why = nullptr);

    // Writes name.p12: name.pem and name.key plus the certificates made earlier as `chain`,
    // encrypted with `password` by OpenSSL 3's default PKCS#12 algorithms (AES-256-CBC,
    // PBKDF2, SHA-256 MAC; not -legacy). The friendly name is `name`.
    bool exportPkcs12(const QString &name, const QString &password, const QStringList &chain = {},
                      QString *why = nullptr);

    // The ext.cnf the S/MIME tests share: [req], and the sections ca, intermediate,
    // rsa_signer, ec_signer, chained_signer, rsa_recipient, ec_recipient (emailProtection,
    // key usages, SAN e-mail addresses).
    static QByteArray smimeExtensions();

    // The ext.cnf of the TLS tests: [req], and the sections tls_ca, tls_server (DNS:localhost,
    // IP:127.0.0.1, serverAuth), tls_wronghost (DNS:wrong.example only, serverAuth),
    // tls_selfsigned (like tls_server, for a self-signed leaf), tls_client (clientAuth, e-mail
    // client@example.com).
    static QByteArray tlsExtensions();

    // Everything the TLS tests need, in `directory` (which should be the test's own: its
    // ext.cnf is overwritten with tlsExtensions()), made with the `openssl` found in PATH:
    //   ca.pem/.key          "CN=Ssmtp Test TLS CA", self-signed
    //   server.pem/.key      "CN=localhost", DNS:localhost + IP:127.0.0.1, signed by ca
    //   wronghost.pem/.key   "CN=wrong.example", DNS:wrong.example only, signed by ca
    //   selfsigned.pem/.key  "CN=localhost", DNS:localhost + IP:127.0.0.1, self-signed
    //   expired.pem/.key     like server, but valid only in January 2020, signed by ca
    //   client.pem/.key      "CN=Ssmtp Test Client", clientAuth, signed by ca
    //   client.p12           client.pem + client.key + ca.pem, password tlsPkcs12Password()
    // All keys are EC P-256 (QSsl::Ec; much faster to make than RSA). On failure, *why
    // tells what went wrong.
    static bool makeTlsSet(const QString &directory, QString *why = nullptr);
    static QString tlsPkcs12Password() { return QStringLiteral("p12-secret"); }

    QString certificatePath(const QString &name) const;
    QString keyPath(const QString &name) const;
    int count() const { return m_count; }

private:
    bool run(const QStringList &arguments, QString *why) const;
    bool makeRequest(const QString &name, const QString &subject, KeyType key, QString *why);

    QString m_directory;
    QString m_openssl;
    int m_serialBase;
    int m_count = 0;
};
