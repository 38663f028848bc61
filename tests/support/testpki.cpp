#include "testpki.h"

#include <QDir>
#include <QProcess>

TestPki::TestPki(const QString &directory, const QString &openssl, int serialBase)
    : m_directory(directory)
    , m_openssl(openssl)
    , m_serialBase(serialBase)
{}

QString TestPki::certificatePath(const QString &name) const
{
    return QDir(m_directory).filePath(name + QStringLiteral(".pem"));
}

QString TestPki::keyPath(const QString &name) const
{
    return QDir(m_directory).filePath(name + QStringLiteral(".key"));
}

bool TestPki::run(const QStringList &arguments, QString *why) const
{
    QProcess process;
    process.setWorkingDirectory(m_directory);
    process.start(m_openssl, arguments);
    if (!process.waitForFinished(60000)) {
        process.kill();
        process.waitForFinished();
        if (why)
            *why = QStringLiteral("openssl did not finish: ") + arguments.join(u' ');
        return false;
    }
    const int exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    if (exitCode == 0)
        return true;
    if (why) {
        *why = QStringLiteral("exit ") + QString::number(exitCode) + QStringLiteral("\nstdout: ") +
               QString::fromUtf8(process.readAllStandardOutput().left(4000)) +
               QStringLiteral("\nstderr: ") +
               QString::fromUtf8(process.readAllStandardError().left(4000));
    }
    return false;
}

bool TestPki::create(const QString &name, const QString &subject, KeyType key,
                     const QString &issuer, const QString &extensions, QString *why)
{
    const QString keyFile = name + QStringLiteral(".key");
    const QString certFile = name + QStringLiteral(".pem");
    const QString csrFile = name + QStringLiteral(".csr");
    const QStringList keyOptions =
        key == Ec ? QStringList{QStringLiteral("-newkey"), QStringLiteral("ec"),
                                QStringLiteral("-pkeyopt"),
                                QStringLiteral("ec_paramgen_curve:prime256v1")}
                  : QStringList{QStringLiteral("-newkey"), QStringLiteral("rsa:2048")};
    bool ok;
    if (issuer.isEmpty()) {
        ok = run(QStringList{QStringLiteral("req"), QStringLiteral("-x509")} + keyOptions +
                     QStringList{QStringLiteral("-nodes"), QStringLiteral("-keyout"), keyFile,
                                 QStringLiteral("-out"), certFile, QStringLiteral("-subj"), subject,
                                 QStringLiteral("-days"), QStringLiteral("30"),
                                 QStringLiteral("-config"), QStringLiteral("ext.cnf"),
                                 QStringLiteral("-extensions"), extensions},
                 why);
    } else {
        ok =
            run(QStringList{QStringLiteral("req"), QStringLiteral("-new")} + keyOptions +
                    QStringList{QStringLiteral("-nodes"), QStringLiteral("-keyout"), keyFile,
                                QStringLiteral("-out"), csrFile, QStringLiteral("-subj"), subject,
                                QStringLiteral("-config"), QStringLiteral("ext.cnf")},
                why) &&
            run({QStringLiteral("x509"), QStringLiteral("-req"), QStringLiteral("-in"), csrFile,
                 QStringLiteral("-CA"), issuer + QStringLiteral(".pem"), QStringLiteral("-CAkey"),
                 issuer + QStringLiteral(".key"), QStringLiteral("-set_serial"),
                 QString::number(m_serialBase + m_count), QStringLiteral("-days"),
                 QStringLiteral("30"), QStringLiteral("-out"), certFile, QStringLiteral("-extfile"),
                 QStringLiteral("ext.cnf"), QStringLiteral("-extensions"), extensions},
                why);
    }
    if (ok)
        ++m_count;
    return ok;
}

QByteArray TestPki::smimeExtensions()
{
    return QByteArrayLiteral(
        "[req]\n"
        "distinguished_name = dn\n"
        "[dn]\n"
        "[ca]\n"
        "basicConstraints = critical, CA:TRUE\n"
        "keyUsage = critical, keyCertSign, cRLSign\n"
        "subjectKeyIdentifier = hash\n"
        "[intermediate]\n"
        "basicConstraints = critical, CA:TRUE, pathlen:0\n"
        "keyUsage = critical, keyCertSign, cRLSign\n"
        "subjectKeyIdentifier = hash\n"
        "authorityKeyIdentifier = keyid\n"
        "[rsa_signer]\n"
        "basicConstraints = CA:FALSE\n"
        "keyUsage = critical, digitalSignature, nonRepudiation, keyEncipherment\n"
        "extendedKeyUsage = emailProtection\n"
        "subjectAltName = email:signer@example.com\n"
        "[ec_signer]\n"
        "basicConstraints = CA:FALSE\n"
        "keyUsage = critical, digitalSignature, nonRepudiation\n"
        "extendedKeyUsage = emailProtection\n"
        "subjectAltName = email:ecsigner@example.com\n"
        "[chained_signer]\n"
        "basicConstraints = CA:FALSE\n"
        "keyUsage = critical, digitalSignature, nonRepudiation\n"
        "extendedKeyUsage = emailProtection\n"
        "subjectAltName = email:chained@example.com\n"
        "[rsa_recipient]\n"
        "basicConstraints = CA:FALSE\n"
        "keyUsage = critical, keyEncipherment\n"
        "extendedKeyUsage = emailProtection\n"
        "subjectAltName = email:recipient@example.com\n"
        "[ec_recipient]\n"
        "basicConstraints = CA:FALSE\n"
        "keyUsage = critical, keyAgreement\n"
        "extendedKeyUsage = emailProtection\n");
}
