#include "testpki.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QStandardPaths>

namespace {

QStringList keyOptions(TestPki::KeyType key)
{
    if (key == TestPki::Ec)
        return {QStringLiteral("-newkey"), QStringLiteral("ec"), QStringLiteral("-pkeyopt"),
                QStringLiteral("ec_paramgen_curve:prime256v1")};
    return {QStringLiteral("-newkey"), QStringLiteral("rsa:2048")};
}

bool writeFile(const QString &path, const QByteArray &content, QString *why)
{
    QFile file(path);
    if (file.open(QIODevice::WriteOnly | QIODevice::Truncate) &&
        file.write(content) == content.size())
        return true;
    if (why)
        *why = QStringLiteral("cannot write ") + path + QStringLiteral(": ") + file.errorString();
    return false;
}

} // namespace

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

bool TestPki::makeRequest(const QString &name, const QString &subject, KeyType key, QString *why)
{
    return run(QStringList{QStringLiteral("req"), QStringLiteral("-new")} + keyOptions(key) +
                   QStringList{QStringLiteral("-nodes"), QStringLiteral("-keyout"),
                               name + QStringLiteral(".key"), QStringLiteral("-out"),
                               name + QStringLiteral(".csr"), QStringLiteral("-subj"), subject,
                               QStringLiteral("-config"), QStringLiteral("ext.cnf")},
               why);
}

bool TestPki::create(const QString &name, const QString &subject, KeyType key,
                     const QString &issuer, const QString &extensions, QString *why)
{
    const QString certFile = name + QStringLiteral(".pem");
    bool ok;
    if (issuer.isEmpty()) {
        ok = run(QStringList{QStringLiteral("req"), QStringLiteral("-x509")} + keyOptions(key) +
                     QStringList{QStringLiteral("-nodes"), QStringLiteral("-keyout"),
                                 name + QStringLiteral(".key"), QStringLiteral("-out"), certFile,
                                 QStringLiteral("-subj"), subject, QStringLiteral("-days"),
                                 QStringLiteral("30"), QStringLiteral("-config"),
                                 QStringLiteral("ext.cnf"), QStringLiteral("-extensions"),
                                 extensions},
                 why);
    } else {
        ok =
            makeRequest(name, subject, key, why) &&
            run({QStringLiteral("x509"), QStringLiteral("-req"), QStringLiteral("-in"),
                 name + QStringLiteral(".csr"), QStringLiteral("-CA"),
                 issuer + QStringLiteral(".pem"), QStringLiteral("-CAkey"),
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

bool TestPki::createWithValidity(const QString &name, const QString &subject, KeyType key,
                                 const QString &issuer, const QString &extensions,
                                 const QDateTime &notBefore, const QDateTime &notAfter,
                                 QString *why)
{
    if (issuer.isEmpty()) {
        if (why)
            *why = QStringLiteral("createWithValidity() needs an issuer");
        return false;
    }
    // A minimal CA database just for this one certificate.
    const QString db = name + QStringLiteral("-cadb");
    const QDir dir(m_directory);
    if (!dir.mkpath(db)) {
        if (why)
            *why = QStringLiteral("cannot create ") + dir.filePath(db);
        return false;
    }
    const QByteArray config = QStringLiteral("[ca]\n"
                                             "default_ca = testca\n"
                                             "[testca]\n"
                                             "database = %1/index.txt\n"
                                             "new_certs_dir = %1\n"
                                             "serial = %1/serial\n"
                                             "default_md = sha256\n"
                                             "policy = anything\n"
                                             "unique_subject = no\n"
                                             "preserve = yes\n"
                                             "copy_extensions = none\n"
                                             "[anything]\n"
                                             "commonName = optional\n")
                                  .arg(db)
                                  .toUtf8();
    // `openssl ca` wants an even number of hex digits in its serial file.
    QByteArray serial = QByteArray::number(m_serialBase + m_count, 16);
    if (serial.size() % 2)
        serial.prepend('0');
    const QString dateFormat = QStringLiteral("yyyyMMddHHmmss'Z'");
    const bool ok = writeFile(dir.filePath(db + QStringLiteral("/ca.cnf")), config, why) &&
                    writeFile(dir.filePath(db + QStringLiteral("/index.txt")), QByteArray(), why) &&
                    writeFile(dir.filePath(db + QStringLiteral("/serial")), serial + '\n', why) &&
                    makeRequest(name, subject, key, why) &&
                    run({QStringLiteral("ca"),
                         QStringLiteral("-batch"),
                         QStringLiteral("-notext"),
                         QStringLiteral("-config"),
                         db + QStringLiteral("/ca.cnf"),
                         QStringLiteral("-cert"),
                         issuer + QStringLiteral(".pem"),
                         QStringLiteral("-keyfile"),
                         issuer + QStringLiteral(".key"),
                         QStringLiteral("-in"),
                         name + QStringLiteral(".csr"),
                         QStringLiteral("-out"),
                         name + QStringLiteral(".pem"),
                         QStringLiteral("-startdate"),
                         notBefore.toUTC().toString(dateFormat),
                         QStringLiteral("-enddate"),
                         notAfter.toUTC().toString(dateFormat),
                         QStringLiteral("-extfile"),
                         QStringLiteral("ext.cnf"),
                         QStringLiteral("-extensions"),
                         extensions},
                        why);
    if (ok)
        ++m_count;
    return ok;
}

bool TestPki::exportPkcs12(const QString &name, const QString &password, const QStringList &chain,
                           QString *why)
{
    QStringList arguments{QStringLiteral("pkcs12"),   QStringLiteral("-export"),
                          QStringLiteral("-in"),      name + QStringLiteral(".pem"),
                          QStringLiteral("-inkey"),   name + QStringLiteral(".key"),
                          QStringLiteral("-name"),    name,
                          QStringLiteral("-out"),     name + QStringLiteral(".p12"),
                          QStringLiteral("-passout"), QStringLiteral("pass:") + password};
    if (!chain.isEmpty()) {
        // -certfile takes one file: concatenate the chain's PEM files.
        QByteArray pem;
        for (const QString &c : chain) {
            QFile file(certificatePath(c));
            if (!file.open(QIODevice::ReadOnly)) {
                if (why)
                    *why = QStringLiteral("cannot read ") + file.fileName();
                return false;
            }
            pem += file.readAll();
        }
        const QString chainFile = name + QStringLiteral("-p12chain.pem");
        if (!writeFile(QDir(m_directory).filePath(chainFile), pem, why))
            return false;
        arguments << QStringLiteral("-certfile") << chainFile;
    }
    return run(arguments, why);
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

QByteArray TestPki::tlsExtensions()
{
    return QByteArrayLiteral("[req]\n"
                             "distinguished_name = dn\n"
                             "[dn]\n"
                             "[tls_ca]\n"
                             "basicConstraints = critical, CA:TRUE\n"
                             "keyUsage = critical, keyCertSign, cRLSign\n"
                             "subjectKeyIdentifier = hash\n"
                             "[tls_server]\n"
                             "basicConstraints = CA:FALSE\n"
                             "keyUsage = critical, digitalSignature, keyEncipherment\n"
                             "extendedKeyUsage = serverAuth\n"
                             "subjectAltName = DNS:localhost, IP:127.0.0.1\n"
                             "subjectKeyIdentifier = hash\n"
                             "authorityKeyIdentifier = keyid\n"
                             "[tls_wronghost]\n"
                             "basicConstraints = CA:FALSE\n"
                             "keyUsage = critical, digitalSignature, keyEncipherment\n"
                             "extendedKeyUsage = serverAuth\n"
                             "subjectAltName = DNS:wrong.example\n"
                             "subjectKeyIdentifier = hash\n"
                             "authorityKeyIdentifier = keyid\n"
                             "[tls_selfsigned]\n"
                             "basicConstraints = CA:FALSE\n"
                             "keyUsage = critical, digitalSignature, keyEncipherment\n"
                             "extendedKeyUsage = serverAuth\n"
                             "subjectAltName = DNS:localhost, IP:127.0.0.1\n"
                             "subjectKeyIdentifier = hash\n"
                             "[tls_client]\n"
                             "basicConstraints = CA:FALSE\n"
                             "keyUsage = critical, digitalSignature, keyEncipherment\n"
                             "extendedKeyUsage = clientAuth\n"
                             "subjectAltName = email:client@example.com\n"
                             "subjectKeyIdentifier = hash\n"
                             "authorityKeyIdentifier = keyid\n");
}

bool TestPki::makeTlsSet(const QString &directory, QString *why)
{
    const QString openssl = QStandardPaths::findExecutable(QStringLiteral("openssl"));
    if (openssl.isEmpty()) {
        if (why)
            *why = QStringLiteral("openssl not found in PATH");
        return false;
    }
    if (!writeFile(QDir(directory).filePath(QStringLiteral("ext.cnf")), tlsExtensions(), why))
        return false;
    TestPki pki(directory, openssl, 0x1000);
    const QString ca = QStringLiteral("ca");
    const QString localhost = QStringLiteral("/CN=localhost");
    return pki.create(ca, QStringLiteral("/CN=Ssmtp Test TLS CA"), Ec, QString(),
                      QStringLiteral("tls_ca"), why) &&
           pki.create(QStringLiteral("server"), localhost, Ec, ca, QStringLiteral("tls_server"),
                      why) &&
           pki.create(QStringLiteral("wronghost"), QStringLiteral("/CN=wrong.example"), Ec, ca,
                      QStringLiteral("tls_wronghost"), why) &&
           pki.create(QStringLiteral("selfsigned"), localhost, Ec, QString(),
                      QStringLiteral("tls_selfsigned"), why) &&
           pki.createWithValidity(QStringLiteral("expired"), localhost, Ec, ca,
                                  QStringLiteral("tls_server"),
                                  QDateTime(QDate(2020, 1, 1), QTime(0, 0), Qt::UTC),
                                  QDateTime(QDate(2020, 2, 1), QTime(0, 0), Qt::UTC), why) &&
           pki.create(QStringLiteral("client"), QStringLiteral("/CN=Ssmtp Test Client"), Ec, ca,
                      QStringLiteral("tls_client"), why) &&
           pki.exportPkcs12(QStringLiteral("client"), tlsPkcs12Password(), {ca}, why);
}
