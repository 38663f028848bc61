// Test certificates made with the openssl command line tool: a self-signed CA and certificates
// it (or another certificate made here) issues, as PEM files in a directory of the test.
#pragma once

#include <QByteArray>
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

    // The ext.cnf the S/MIME tests share: [req], and the sections ca, intermediate,
    // rsa_signer, ec_signer, chained_signer, rsa_recipient, ec_recipient (emailProtection,
    // key usages, SAN e-mail addresses).
    static QByteArray smimeExtensions();

    QString certificatePath(const QString &name) const;
    QString keyPath(const QString &name) const;
    int count() const { return m_count; }

private:
    bool run(const QStringList &arguments, QString *why) const;

    QString m_directory;
    QString m_openssl;
    int m_serialBase;
    int m_count = 0;
};
