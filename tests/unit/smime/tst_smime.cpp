// Unit tests for the S/MIME layer: algorithm names and OIDs, canonical form, and round trips of
// sign/encrypt/signAndEncrypt through OpenSSL's own command line tool (openssl cms/smime), with a
// CA, RSA and EC certificates generated at test time. The output structure is also checked with
// Python's email package (/usr/bin/python3).
#include "openssl/openssl_p.h"
#include "smime/smime.h"
#include "smime/smimealgorithms.h"
#include "smime/smimecanonical.h"
#include "testpki.h"

#include <QFile>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <openssl/pem.h>

#include <optional>
#include <vector>

using namespace ssmtp::smime;

namespace {

struct Run
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

// A canonical test entity: 7-bit, CRLF, more than two cipher blocks.
const QByteArray kEntity = QByteArrayLiteral(
    "Content-Type: text/plain; charset=UTF-8\r\n"
    "Content-Transfer-Encoding: quoted-printable\r\n"
    "\r\n"
    "The quick brown fox jumps over the lazy dog.\r\n"
    "Gr=C3=BC=C3=9Fe aus dem Test, und eine lange Zeile, die weich umbrochen wird =\r\n"
    "und weitergeht.\r\n");

const QByteArray kMessageHeaders = QByteArrayLiteral("From: Signer <signer@example.com>\r\n"
                                                     "To: Recipient <recipient@example.com>\r\n"
                                                     "Subject: S/MIME test\r\n"
                                                     "MIME-Version: 1.0\r\n");

// The checks of the Python script: structure, parameters and defects of a message file.
const char kPythonCheck[] = R"PY(
import email, email.policy, json, sys
data = open(sys.argv[1], 'rb').read()
msg = email.message_from_bytes(data, policy=email.policy.default)
defects = []
for part in msg.walk():
    defects += [type(d).__name__ for d in part.defects]
    for name, value in part.items():
        defects += [type(d).__name__ for d in getattr(value, 'defects', ())]
out = {
    'type': msg.get_content_type(),
    'protocol': msg.get_param('protocol') or '',
    'micalg': msg.get_param('micalg') or '',
    'smimeType': msg.get_param('smime-type') or '',
    'name': msg.get_param('name') or '',
    'filename': msg.get_filename() or '',
    'cte': msg.get('Content-Transfer-Encoding', ''),
    'parts': [p.get_content_type() for p in msg.iter_parts()] if msg.is_multipart() else [],
    'signatureFilename': '',
    'signatureCte': '',
    'defects': defects,
    'sevenBit': all(b < 128 for b in data),
    'longestLine': max(len(l) for l in data.split(b'\r\n')),
    'bareLf': data.replace(b'\r\n', b'').count(b'\n') + data.replace(b'\r\n', b'').count(b'\r'),
}
if msg.is_multipart() and len(out['parts']) == 2:
    sig = list(msg.iter_parts())[1]
    out['signatureFilename'] = sig.get_filename() or ''
    out['signatureCte'] = sig.get('Content-Transfer-Encoding', '')
print(json.dumps(out))
)PY";

// Base64 in 76-character CRLF lines, as OpenSSL's S/MIME reader expects.
QByteArray base64Lines(const QByteArray &data)
{
    const QByteArray encoded = data.toBase64();
    QByteArray out;
    for (qsizetype pos = 0; pos < encoded.size(); pos += 76)
        out += encoded.mid(pos, 76) + "\r\n";
    return out;
}

QByteArray latin1(const QString &text)
{
    return text.toLatin1();
}

} // namespace

class tst_Smime : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();

    void signingAlgorithms_data();
    void signingAlgorithms();
    void encryptingAlgorithms_data();
    void encryptingAlgorithms();
    void defaults();

    void canonicalize_data();
    void canonicalize();
    void canonicalizeSharesCanonicalInput();
    void canonicalizeLongLine();
    void canonicalizeErrors_data();
    void canonicalizeErrors();

    void headerFolding();

    void signRoundTrip_data();
    void signRoundTrip();
    void signUnsupported_data();
    void signUnsupported();
    void signCanonicalizesInput();
    void signTampered_data();
    void signTampered();
    void signWithoutCertificate();
    void signWithChain();
    void signErrors();

    void encryptRoundTrip_data();
    void encryptRoundTrip();
    void encryptEcShortKey_data();
    void encryptEcShortKey();
    void encryptMultipleRecipients();
    void encryptTampered_data();
    void encryptTampered();
    void encryptErrors();

    void signAndEncrypt_data();
    void signAndEncrypt();
    void signAndEncryptErrors();

    void largeEntity();

private:
    enum Key { RsaKey, EcKey, ChainedKey };

    Run openssl(const QStringList &arguments);
    bool writeFile(const QString &name, const QByteArray &data);
    QByteArray readFile(const QString &name);
    QString path(const QString &name) const { return m_dir.filePath(name); }
    QJsonObject pythonCheck(const QString &file);
    bool makeCertificate(const QString &name, const QString &subject, const QString &keyType,
                         const QString &issuer, const QString &extensions);
    X509 *cert(const QString &name) { return m_certs.value(name); }
    EVP_PKEY *key(const QString &name) { return m_keys.value(name); }
    QByteArray message(const Result &result) { return kMessageHeaders + result.entity(); }
    QStringList verifyArguments(const QString &tool, const QString &file) const;

    QTemporaryDir m_dir;
    QString m_openssl;
    std::optional<TestPki> m_pki; // set up once openssl is found
    QString m_python;
    std::vector<ssmtp::openssl::X509Ptr> m_certStore;
    std::vector<ssmtp::openssl::PKeyPtr> m_keyStore;
    QHash<QString, X509 *> m_certs;
    QHash<QString, EVP_PKEY *> m_keys;
    ssmtp::openssl::X509StackPtr m_chain; // intermediate + root, for the "chained" signer
};

Run tst_Smime::openssl(const QStringList &arguments)
{
    QProcess process;
    process.setWorkingDirectory(m_dir.path());
    process.start(m_openssl, arguments);
    Run run;
    if (!process.waitForFinished(60000)) {
        process.kill();
        process.waitForFinished();
        return run;
    }
    run.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    run.out = process.readAllStandardOutput();
    run.err = process.readAllStandardError();
    return run;
}

bool tst_Smime::writeFile(const QString &name, const QByteArray &data)
{
    QFile file(path(name));
    return file.open(QIODevice::WriteOnly) && file.write(data) == data.size();
}

QByteArray tst_Smime::readFile(const QString &name)
{
    QFile file(path(name));
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

QJsonObject tst_Smime::pythonCheck(const QString &file)
{
    QProcess process;
    process.start(m_python, {path(QStringLiteral("check.py")), path(file)});
    if (!process.waitForFinished(60000) || process.exitCode() != 0) {
        qWarning() << process.readAllStandardError();
        return QJsonObject();
    }
    return QJsonDocument::fromJson(process.readAllStandardOutput()).object();
}

bool tst_Smime::makeCertificate(const QString &name, const QString &subject, const QString &keyType,
                                const QString &issuer, const QString &extensions)
{
    QString why;
    if (!m_pki->create(name, subject, keyType == QLatin1String("ec") ? TestPki::Ec : TestPki::Rsa,
                       issuer, extensions, &why)) {
        qWarning() << why;
        return false;
    }
    const QString keyFile = name + QStringLiteral(".key");
    const QString certFile = name + QStringLiteral(".pem");
    const QByteArray certPem = readFile(certFile);
    const QByteArray keyPem = readFile(keyFile);
    ssmtp::openssl::BioPtr certBio = ssmtp::openssl::memoryReader(certPem);
    ssmtp::openssl::BioPtr keyBio = ssmtp::openssl::memoryReader(keyPem);
    ssmtp::openssl::X509Ptr x509(PEM_read_bio_X509(certBio.get(), nullptr, nullptr, nullptr));
    ssmtp::openssl::PKeyPtr pkey(PEM_read_bio_PrivateKey(keyBio.get(), nullptr, nullptr, nullptr));
    if (!x509 || !pkey)
        return false;
    m_certs.insert(name, x509.get());
    m_keys.insert(name, pkey.get());
    m_certStore.push_back(std::move(x509));
    m_keyStore.push_back(std::move(pkey));
    return true;
}

QStringList tst_Smime::verifyArguments(const QString &tool, const QString &file) const
{
    return {tool,
            QStringLiteral("-verify"),
            QStringLiteral("-CAfile"),
            QStringLiteral("root.pem"),
            QStringLiteral("-in"),
            file,
            QStringLiteral("-out"),
            file + QStringLiteral(".out")};
}

void tst_Smime::initTestCase()
{
    QVERIFY(m_dir.isValid());
    // SSMTP_KEEP_TEST_FILES=1 keeps the certificates and messages for a look with openssl.
    if (qEnvironmentVariableIntValue("SSMTP_KEEP_TEST_FILES")) {
        m_dir.setAutoRemove(false);
        qInfo("test files in %s", qPrintable(m_dir.path()));
    }
    m_openssl = QStandardPaths::findExecutable(QStringLiteral("openssl"));
    if (m_openssl.isEmpty())
        QSKIP("the openssl command line tool is not installed");
    m_pki.emplace(m_dir.path(), m_openssl);
    m_python = QStringLiteral("/usr/bin/python3");
    if (!QFile::exists(m_python))
        m_python = QStandardPaths::findExecutable(QStringLiteral("python3"));
    QVERIFY2(!m_python.isEmpty(), "python3 is needed for the structure checks");
    QVERIFY(writeFile(QStringLiteral("check.py"), kPythonCheck));

    QVERIFY(writeFile(QStringLiteral("ext.cnf"), TestPki::smimeExtensions()));

    const QString empty;
    QVERIFY(makeCertificate(QStringLiteral("root"), QStringLiteral("/CN=Ssmtp Test Root CA"),
                            QStringLiteral("rsa"), empty, QStringLiteral("ca")));
    QVERIFY(makeCertificate(QStringLiteral("intermediate"),
                            QStringLiteral("/CN=Ssmtp Test Intermediate CA"), QStringLiteral("rsa"),
                            QStringLiteral("root"), QStringLiteral("intermediate")));
    QVERIFY(makeCertificate(QStringLiteral("rsa_signer"),
                            QStringLiteral("/CN=RSA Signer/emailAddress=signer@example.com"),
                            QStringLiteral("rsa"), QStringLiteral("root"),
                            QStringLiteral("rsa_signer")));
    QVERIFY(makeCertificate(QStringLiteral("ec_signer"),
                            QStringLiteral("/CN=EC Signer/emailAddress=ecsigner@example.com"),
                            QStringLiteral("ec"), QStringLiteral("root"),
                            QStringLiteral("ec_signer")));
    QVERIFY(makeCertificate(QStringLiteral("chained_signer"),
                            QStringLiteral("/CN=Chained Signer/emailAddress=chained@example.com"),
                            QStringLiteral("rsa"), QStringLiteral("intermediate"),
                            QStringLiteral("chained_signer")));
    QVERIFY(makeCertificate(QStringLiteral("rsa_recipient"),
                            QStringLiteral("/CN=RSA Recipient/emailAddress=recipient@example.com"),
                            QStringLiteral("rsa"), QStringLiteral("root"),
                            QStringLiteral("rsa_recipient")));
    QVERIFY(makeCertificate(QStringLiteral("ec_recipient"),
                            QStringLiteral("/CN=EC Recipient/emailAddress=ecrecipient@example.com"),
                            QStringLiteral("ec"), QStringLiteral("root"),
                            QStringLiteral("ec_recipient")));

    m_chain = ssmtp::openssl::newCertStack();
    QVERIFY(m_chain);
    QVERIFY(ssmtp::openssl::pushCert(m_chain.get(), cert(QStringLiteral("intermediate"))));
    QVERIFY(ssmtp::openssl::pushCert(m_chain.get(), cert(QStringLiteral("root"))));
    ERR_clear_error();
}

// ---- algorithm names and OIDs ---------------------------------------------------------------

void tst_Smime::signingAlgorithms_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("oid");
    QTest::addColumn<QString>("name");
    QTest::addColumn<QByteArray>("micalg");

    struct Row
    {
        const char *input, *oid, *name, *micalg;
    };
    const Row rows[] = {
        {"sha1", "1.3.14.3.2.26", "sha1", "sha-1"},
        {"SHA1", "1.3.14.3.2.26", "sha1", "sha-1"},
        {"sha-1", "1.3.14.3.2.26", "sha1", "sha-1"},
        {"md5", "1.2.840.113549.2.5", "md5", "md5"},
        {"MD5", "1.2.840.113549.2.5", "md5", "md5"},
        {"sha-256", "2.16.840.1.101.3.4.2.1", "sha-256", "sha-256"},
        {"SHA256", "2.16.840.1.101.3.4.2.1", "sha-256", "sha-256"},
        {"sha256", "2.16.840.1.101.3.4.2.1", "sha-256", "sha-256"},
        {"SHA2-256", "2.16.840.1.101.3.4.2.1", "sha-256", "sha-256"},
        {"sha-384", "2.16.840.1.101.3.4.2.2", "sha-384", "sha-384"},
        {"sha-512", "2.16.840.1.101.3.4.2.3", "sha-512", "sha-512"},
        {"sha-224", "2.16.840.1.101.3.4.2.4", "sha-224", "sha-224"},
        {" sha-224 ", "2.16.840.1.101.3.4.2.4", "sha-224", "sha-224"},
        {"1.3.14.3.2.26", "1.3.14.3.2.26", "sha1", "sha-1"},
        {"1.2.840.113549.2.5", "1.2.840.113549.2.5", "md5", "md5"},
        {"2.16.840.1.101.3.4.2.1", "2.16.840.1.101.3.4.2.1", "sha-256", "sha-256"},
        {"2.16.840.1.101.3.4.2.2", "2.16.840.1.101.3.4.2.2", "sha-384", "sha-384"},
        {"2.16.840.1.101.3.4.2.3", "2.16.840.1.101.3.4.2.3", "sha-512", "sha-512"},
        {"2.16.840.1.101.3.4.2.4", "2.16.840.1.101.3.4.2.4", "sha-224", "sha-224"},
        {"", "", "", ""},
        {"sha3-256", "", "", ""},
        {"sha-257", "", "", ""},
        {"rsa", "", "", ""},
        {"1.2.3.4.5", "", "", ""},
        {"2.16.840.1.101.3.4.1.2", "", "", ""}, // a cipher OID
        {"1..2", "", "", ""},
    };
    for (const Row &row : rows) {
        QTest::newRow(row.input[0] ? row.input : "empty")
            << QString::fromLatin1(row.input) << QString::fromLatin1(row.oid)
            << QString::fromLatin1(row.name) << QByteArray(row.micalg);
    }
}

void tst_Smime::signingAlgorithms()
{
    QFETCH(QString, input);
    QFETCH(QString, oid);
    QFETCH(QString, name);
    QFETCH(QByteArray, micalg);
    QCOMPARE(signingAlgorithmOid(input), oid);
    QCOMPARE(signingAlgorithmName(input), name);
    QCOMPARE(ssmtp::smime::micalg(input), micalg);
    QCOMPARE(findDigest(input) != nullptr, !oid.isEmpty());
    QCOMPARE(ERR_peek_error(), 0ul);
}

void tst_Smime::encryptingAlgorithms_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("oid");
    QTest::addColumn<QString>("name");

    struct Row
    {
        const char *input, *oid, *name;
    };
    const Row rows[] = {
        {"3DES", "1.2.840.113549.3.7", "3DES"},
        {"3des", "1.2.840.113549.3.7", "3DES"},
        {"des-ede3-cbc", "1.2.840.113549.3.7", "3DES"},
        {"DES", "1.3.14.3.2.7", "DES"},
        {"RC2CBC40", "1.2.840.113549.3.2", "RC2CBC40"},
        {"RC2CBC64", "1.2.840.113549.3.2", "RC2CBC64"},
        {"RC2CBC128", "1.2.840.113549.3.2", "RC2CBC128"},
        {"RC2", "1.2.840.113549.3.2", "RC2CBC128"},
        {"rc2-40-cbc", "1.2.840.113549.3.2", "RC2CBC40"},
        {"AESCBC128", "2.16.840.1.101.3.4.1.2", "AESCBC128"},
        {"AES", "2.16.840.1.101.3.4.1.2", "AESCBC128"},
        {"aes-128-cbc", "2.16.840.1.101.3.4.1.2", "AESCBC128"},
        {"AESCBC192", "2.16.840.1.101.3.4.1.22", "AESCBC192"},
        {"AESCBC256", "2.16.840.1.101.3.4.1.42", "AESCBC256"},
        {"aes-256-cbc", "2.16.840.1.101.3.4.1.42", "AESCBC256"},
        {"AESGCM128", "2.16.840.1.101.3.4.1.6", "AESGCM128"},
        {"AESGCM", "2.16.840.1.101.3.4.1.6", "AESGCM128"},
        {"AESGCM192", "2.16.840.1.101.3.4.1.26", "AESGCM192"},
        {"AESGCM256", "2.16.840.1.101.3.4.1.46", "AESGCM256"},
        {"aes-256-gcm", "2.16.840.1.101.3.4.1.46", "AESGCM256"},
        {"1.2.840.113549.3.7", "1.2.840.113549.3.7", "3DES"},
        {"1.3.14.3.2.7", "1.3.14.3.2.7", "DES"},
        {"1.2.840.113549.3.2", "1.2.840.113549.3.2", "RC2CBC128"},
        {"2.16.840.1.101.3.4.1.2", "2.16.840.1.101.3.4.1.2", "AESCBC128"},
        {"2.16.840.1.101.3.4.1.22", "2.16.840.1.101.3.4.1.22", "AESCBC192"},
        {"2.16.840.1.101.3.4.1.42", "2.16.840.1.101.3.4.1.42", "AESCBC256"},
        {"2.16.840.1.101.3.4.1.6", "2.16.840.1.101.3.4.1.6", "AESGCM128"},
        {"2.16.840.1.101.3.4.1.26", "2.16.840.1.101.3.4.1.26", "AESGCM192"},
        {"2.16.840.1.101.3.4.1.46", "2.16.840.1.101.3.4.1.46", "AESGCM256"},
        {"", "", ""},
        {"AESCBC512", "", ""},
        {"chacha20-poly1305", "", ""},
        {"2.16.840.1.101.3.4.2.1", "", ""}, // a digest OID
    };
    for (const Row &row : rows) {
        QTest::newRow(row.input[0] ? row.input : "empty")
            << QString::fromLatin1(row.input) << QString::fromLatin1(row.oid)
            << QString::fromLatin1(row.name);
    }
}

void tst_Smime::encryptingAlgorithms()
{
    QFETCH(QString, input);
    QFETCH(QString, oid);
    QFETCH(QString, name);
    QCOMPARE(encryptingAlgorithmOid(input), oid);
    QCOMPARE(encryptingAlgorithmName(input), name);
    QCOMPARE(findCipher(input) != nullptr, !oid.isEmpty());
    QCOMPARE(ERR_peek_error(), 0ul);
}

void tst_Smime::defaults()
{
    QCOMPARE(defaultSigningAlgorithm(), QStringLiteral("sha-256"));
    QCOMPARE(signingAlgorithmOid(defaultSigningAlgorithm()),
             QStringLiteral("2.16.840.1.101.3.4.2.1"));
    QCOMPARE(defaultEncryptingAlgorithm(), QStringLiteral("AESCBC256"));
    QCOMPARE(SignOptions().algorithm, defaultSigningAlgorithm());
    QVERIFY(SignOptions().includeCertificate);
    QVERIFY(!SignOptions().includeChain);
    QVERIFY(!SignOptions().opaque);
    QCOMPARE(EncryptOptions().algorithm, defaultEncryptingAlgorithm());
    QCOMPARE(signingAlgorithmNames(),
             QStringList({QStringLiteral("sha1"), QStringLiteral("md5"), QStringLiteral("sha-256"),
                          QStringLiteral("sha-384"), QStringLiteral("sha-512"),
                          QStringLiteral("sha-224")}));
    QCOMPARE(encryptingAlgorithmNames().size(), 11);
    for (const QString &name : signingAlgorithmNames())
        QCOMPARE(signingAlgorithmName(name), name);
    for (const QString &name : encryptingAlgorithmNames())
        QCOMPARE(encryptingAlgorithmName(name), name);
}

// ---- canonical form -------------------------------------------------------------------------

void tst_Smime::canonicalize_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QByteArray>("expected");

    QTest::newRow("canonical") << kEntity << kEntity;
    QTest::newRow("LF") << QByteArray("Content-Type: text/plain\n\nline 1\nline 2\n")
                        << QByteArray("Content-Type: text/plain\r\n\r\nline 1\r\nline 2\r\n");
    QTest::newRow("CR") << QByteArray("Content-Type: text/plain\r\rA\rB")
                        << QByteArray("Content-Type: text/plain\r\n\r\nA\r\nB");
    QTest::newRow("mixed") << QByteArray("Content-Type: text/plain\r\n\nA\r\rB\n")
                           << QByteArray("Content-Type: text/plain\r\n\r\nA\r\n\r\nB\r\n");
    QTest::newRow("folded header")
        << QByteArray("Content-Type: text/plain;\n charset=us-ascii\n\nhi\n")
        << QByteArray("Content-Type: text/plain;\r\n charset=us-ascii\r\n\r\nhi\r\n");
    QTest::newRow("no final line break")
        << QByteArray("Content-Type: text/plain\r\n\r\nno newline")
        << QByteArray("Content-Type: text/plain\r\n\r\nno newline");
    QTest::newRow("header fields only") << QByteArray("Content-Type: text/plain\r\n")
                                        << QByteArray("Content-Type: text/plain\r\n\r\n");
    QTest::newRow("8bit text") << QByteArray("Content-Type: text/plain; charset=UTF-8\r\n"
                                             "Content-Transfer-Encoding: 8bit\r\n"
                                             "Content-Disposition: inline\r\n\r\n"
                                             "Gr\xc3\xbc\xc3\x9f"
                                             "e aus Berlin\n")
                               << QByteArray("Content-Type: text/plain; charset=UTF-8\r\n"
                                             "Content-Transfer-Encoding: quoted-printable\r\n"
                                             "Content-Disposition: inline\r\n\r\n"
                                             "Gr=C3=BC=C3=9Fe aus Berlin\r\n");
    QTest::newRow("8bit text, folded CTE")
        << QByteArray("Content-Type: text/plain; charset=UTF-8\r\n"
                      "Content-Transfer-Encoding:\r\n 8bit\r\n\r\n"
                      "K\xc3\xa4se und Brot\r\n")
        << QByteArray("Content-Type: text/plain; charset=UTF-8\r\n"
                      "Content-Transfer-Encoding: quoted-printable\r\n\r\n"
                      "K=C3=A4se und Brot\r\n");
    QTest::newRow("8-bit text without CTE")
        << QByteArray("Content-Type: text/plain; charset=UTF-8\r\n\r\nGr\xc3\xbc\xc3\x9f"
                      "e aus Berlin")
        << QByteArray(
               "Content-Type: text/plain; charset=UTF-8\r\n"
               "Content-Transfer-Encoding: quoted-printable\r\n\r\nGr=C3=BC=C3=9Fe aus Berlin");
    QTest::newRow("8-bit text labelled 7bit")
        << QByteArray("Content-Type: text/plain; charset=UTF-8\r\n"
                      "Content-Transfer-Encoding: 7bit\r\n\r\nK\xc3\xa4se und Brot\r\n")
        << QByteArray("Content-Type: text/plain; charset=UTF-8\r\n"
                      "Content-Transfer-Encoding: quoted-printable\r\n\r\nK=C3=A4se und Brot\r\n");
    QTest::newRow("no header fields, 8-bit")
        << QByteArray("\r\nGr\xc3\xbc\xc3\x9f"
                      "e aus Berlin\r\n")
        << QByteArray("Content-Transfer-Encoding: quoted-printable\r\n\r\n"
                      "Gr=C3=BC=C3=9Fe aus Berlin\r\n");
    const QByteArray cyrillic = QStringLiteral("Привет, мир\r\n").toUtf8();
    QTest::newRow("mostly non-ASCII text: base64")
        << QByteArray("Content-Type: text/plain; charset=UTF-8\r\n"
                      "Content-Transfer-Encoding: 8bit\r\n\r\n" +
                      cyrillic)
        << QByteArray("Content-Type: text/plain; charset=UTF-8\r\n"
                      "Content-Transfer-Encoding: base64\r\n\r\n" +
                      cyrillic.toBase64() + "\r\n");
    QTest::newRow("8bit declared, ASCII content")
        << QByteArray("Content-Type: text/plain\r\nContent-Transfer-Encoding: 8bit\r\n\r\nabc\n")
        << QByteArray("Content-Type: text/plain\r\nContent-Transfer-Encoding: 7bit\r\n\r\nabc\r\n");
    QTest::newRow("binary") << QByteArray("Content-Type: application/octet-stream\r\n"
                                          "Content-Transfer-Encoding: binary\r\n\r\n") +
                                   QByteArray("\x00\x01\xff\n\r", 5)
                            << QByteArray("Content-Type: application/octet-stream\r\n"
                                          "Content-Transfer-Encoding: base64\r\n\r\n"
                                          "AAH/Cg0=\r\n");
    QTest::newRow("8bit application") << QByteArray("Content-Type: application/x-thing\r\n"
                                                    "Content-Transfer-Encoding: 8bit\r\n\r\n"
                                                    "\xff\n")
                                      << QByteArray("Content-Type: application/x-thing\r\n"
                                                    "Content-Transfer-Encoding: base64\r\n\r\n"
                                                    "/w0K\r\n");
    QTest::newRow("trailing whitespace")
        << QByteArray("Content-Type: text/plain\r\n\r\nhello \r\nworld\t\r\n")
        << QByteArray("Content-Type: text/plain\r\n"
                      "Content-Transfer-Encoding: quoted-printable\r\n\r\n"
                      "hello=20\r\nworld=09\r\n");
    QTest::newRow("From line") << QByteArray("Content-Type: text/plain\r\n\r\nHi\r\nFrom me\r\n")
                               << QByteArray("Content-Type: text/plain\r\n"
                                             "Content-Transfer-Encoding: quoted-printable\r\n\r\n"
                                             "Hi\r\n=46rom me\r\n");
    QTest::newRow("NUL") << QByteArray("Content-Type: text/plain\r\n\r\n") +
                                QByteArray("a\0b\r\n", 5)
                         << QByteArray("Content-Type: text/plain\r\n"
                                       "Content-Transfer-Encoding: quoted-printable\r\n\r\n"
                                       "a=00b\r\n");
    QTest::newRow("quoted-printable kept")
        << QByteArray("Content-Type: text/plain\nContent-Transfer-Encoding: quoted-printable\n\n"
                      "a=3Db\n")
        << QByteArray("Content-Type: text/plain\r\nContent-Transfer-Encoding: quoted-printable"
                      "\r\n\r\na=3Db\r\n");
    QTest::newRow("multipart") << QByteArray("Content-Type: multipart/mixed; boundary=\"b1\"\n"
                                             "Content-Transfer-Encoding: 8bit\n"
                                             "\n"
                                             "preamble\n"
                                             "--b1\n"
                                             "Content-Type: text/plain; charset=UTF-8\n"
                                             "Content-Transfer-Encoding: 8bit\n"
                                             "\n"
                                             "K\xc3\xa4se und Brot\n"
                                             "--b1  \n"
                                             "Content-Type: text/plain\n"
                                             "\n"
                                             "ascii\n"
                                             "\n"
                                             "--b1--\n"
                                             "epilogue\n")
                               << QByteArray("Content-Type: multipart/mixed; boundary=\"b1\"\r\n"
                                             "Content-Transfer-Encoding: 7bit\r\n"
                                             "\r\n"
                                             "preamble\r\n"
                                             "--b1\r\n"
                                             "Content-Type: text/plain; charset=UTF-8\r\n"
                                             "Content-Transfer-Encoding: quoted-printable\r\n"
                                             "\r\n"
                                             "K=C3=A4se und Brot\r\n"
                                             "--b1\r\n"
                                             "Content-Type: text/plain\r\n"
                                             "\r\n"
                                             "ascii\r\n"
                                             "\r\n"
                                             "--b1--\r\n"
                                             "epilogue\r\n");
    QTest::newRow("nested multipart")
        << QByteArray("Content-Type: multipart/mixed; boundary=outer\r\n\r\n"
                      "--outer\r\n"
                      "Content-Type: multipart/alternative; boundary=\"inner\"\r\n\r\n"
                      "--inner\r\n"
                      "Content-Type: text/plain; charset=UTF-8\r\n\r\n"
                      "K\xc3\xa4se und Brot\r\n"
                      "--inner--\r\n"
                      "--outer\r\n"
                      "Content-Type: image/png\r\n"
                      "Content-Transfer-Encoding: binary\r\n\r\n"
                      "\x89PNG\r\n"
                      "--outer--\r\n")
        << QByteArray("Content-Type: multipart/mixed; boundary=outer\r\n\r\n"
                      "--outer\r\n"
                      "Content-Type: multipart/alternative; boundary=\"inner\"\r\n\r\n"
                      "--inner\r\n"
                      "Content-Type: text/plain; charset=UTF-8\r\n"
                      "Content-Transfer-Encoding: quoted-printable\r\n\r\n"
                      "K=C3=A4se und Brot\r\n"
                      "--inner--\r\n"
                      "--outer\r\n"
                      "Content-Type: image/png\r\n"
                      "Content-Transfer-Encoding: base64\r\n\r\n"
                      "iVBORw==\r\n"
                      "--outer--\r\n");
    QTest::newRow("message/rfc822")
        << QByteArray("Content-Type: message/rfc822\r\n"
                      "Content-Transfer-Encoding: 8bit\r\n\r\n"
                      "From: a@example.com\r\n"
                      "Subject: inner\r\n"
                      "Content-Type: text/plain; charset=UTF-8\r\n\r\n"
                      "K\xc3\xa4se und Brot\r\n")
        << QByteArray("Content-Type: message/rfc822\r\n"
                      "Content-Transfer-Encoding: 7bit\r\n\r\n"
                      "From: a@example.com\r\n"
                      "Subject: inner\r\n"
                      "Content-Type: text/plain; charset=UTF-8\r\n"
                      "Content-Transfer-Encoding: quoted-printable\r\n\r\n"
                      "K=C3=A4se und Brot\r\n");
}

void tst_Smime::canonicalize()
{
    QFETCH(QByteArray, input);
    QFETCH(QByteArray, expected);
    const CanonicalEntity result = ssmtp::smime::canonicalize(input);
    QVERIFY2(result.ok, qPrintable(result.errorString));
    QCOMPARE(result.entity.split('\n'), expected.split('\n')); // names the first differing line
    QCOMPARE(result.entity, expected);
    // Idempotent.
    QCOMPARE(ssmtp::smime::canonicalize(result.entity).entity, expected);
}

void tst_Smime::canonicalizeSharesCanonicalInput()
{
    const CanonicalEntity result = ssmtp::smime::canonicalize(kEntity);
    QVERIFY(result.ok);
    QCOMPARE(result.entity.constData(), kEntity.constData());
}

void tst_Smime::canonicalizeLongLine()
{
    const QByteArray input = "Content-Type: text/plain\r\n\r\n" + QByteArray(2000, 'a') + "\r\n";
    const CanonicalEntity result = ssmtp::smime::canonicalize(input);
    QVERIFY(result.ok);
    QVERIFY(result.entity.contains("Content-Transfer-Encoding: quoted-printable\r\n"));
    const QList<QByteArray> lines = result.entity.split('\n');
    for (const QByteArray &line : lines)
        QVERIFY(line.size() <= 77);
    QCOMPARE(result.entity.sliced(result.entity.indexOf("\r\n\r\n")).count('a'), 2000);
}

void tst_Smime::canonicalizeErrors_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QString>("error");
    QTest::newRow("empty") << QByteArray() << QStringLiteral("empty");
    QTest::newRow("no header") << QByteArray("Hello world\r\n") << QStringLiteral("line 1");
    QTest::newRow("bad line") << QByteArray("Content-Type: text/plain\r\nnot a header\r\n\r\nbody")
                              << QStringLiteral("line 2");
    QTest::newRow("leading space")
        << QByteArray(" folded: x\r\n\r\nbody") << QStringLiteral("line 1");
}

void tst_Smime::canonicalizeErrors()
{
    QFETCH(QByteArray, input);
    QFETCH(QString, error);
    const CanonicalEntity result = ssmtp::smime::canonicalize(input);
    QVERIFY(!result.ok);
    QVERIFY2(result.errorString.contains(error), qPrintable(result.errorString));
    QVERIFY(result.entity.isEmpty());
}

void tst_Smime::headerFolding()
{
    Result result;
    result.headers = {{"Content-Type",
                       "multipart/signed; protocol=\"application/pkcs7-signature\"; "
                       "micalg=sha-256; boundary=\"----=_smime_ABCDEFGHIJKLMNOPQRSTUVWX\""},
                      {"Content-Transfer-Encoding", "base64"},
                      {"Content-Disposition",
                       "attachment; filename=\"a very long file name; with a semicolon.txt\""}};
    result.body = "body\r\n";
    QCOMPARE(result.headerBlock(),
             QByteArray("Content-Type: multipart/signed; "
                        "protocol=\"application/pkcs7-signature\";\r\n"
                        " micalg=sha-256; boundary=\"----=_smime_ABCDEFGHIJKLMNOPQRSTUVWX\"\r\n"
                        "Content-Transfer-Encoding: base64\r\n"
                        "Content-Disposition: attachment;\r\n"
                        " filename=\"a very long file name; with a semicolon.txt\"\r\n"));
    QCOMPARE(result.entity(), result.headerBlock() + "\r\nbody\r\n");
}

// ---- signing --------------------------------------------------------------------------------

void tst_Smime::signRoundTrip_data()
{
    QTest::addColumn<QString>("signer");
    QTest::addColumn<QString>("digest");
    QTest::addColumn<QString>("micalg");
    QTest::addColumn<bool>("opaque");
    QTest::addColumn<bool>("pss");

    const QStringList digests = {QStringLiteral("sha1"),
                                 QStringLiteral("md5"),
                                 QStringLiteral("sha-256"),
                                 QStringLiteral("sha-384"),
                                 QStringLiteral("sha-512"),
                                 QStringLiteral("sha-224"),
                                 QStringLiteral("2.16.840.1.101.3.4.2.1")};
    for (const QString &digest : digests) {
        const QString micalg = QString::fromLatin1(ssmtp::smime::micalg(digest));
        for (const bool opaque : {false, true}) {
            const char *mode = opaque ? "opaque" : "detached";
            QTest::addRow("rsa %s %s", qPrintable(digest), mode)
                << QStringLiteral("rsa_signer") << digest << micalg << opaque << false;
            if (digest == QLatin1String("md5"))
                continue; // no ECDSA with MD5 and no RSASSA-PSS with MD5: see signUnsupported
            QTest::addRow("rsa-pss %s %s", qPrintable(digest), mode)
                << QStringLiteral("rsa_signer") << digest << micalg << opaque << true;
            QTest::addRow("ec %s %s", qPrintable(digest), mode)
                << QStringLiteral("ec_signer") << digest << micalg << opaque << false;
            // rsaPss has no effect on an EC key.
            QTest::addRow("ec+pss-option %s %s", qPrintable(digest), mode)
                << QStringLiteral("ec_signer") << digest << micalg << opaque << true;
        }
    }
}

void tst_Smime::signRoundTrip()
{
    QFETCH(QString, signer);
    QFETCH(QString, digest);
    QFETCH(QString, micalg);
    QFETCH(bool, opaque);
    QFETCH(bool, pss);

    SignOptions options;
    options.algorithm = digest;
    options.opaque = opaque;
    options.rsaPss = pss;
    const Result result = sign(kEntity, cert(signer), key(signer), nullptr, options);
    QVERIFY2(result.ok, qPrintable(result.errorString));
    QVERIFY(result.errorString.isEmpty());
    QCOMPARE(ERR_peek_error(), 0ul);

    const QString file = QStringLiteral("signed.eml");
    QVERIFY(writeFile(file, message(result)));

    // Structure, as a mail reader sees it.
    const QJsonObject check = pythonCheck(file);
    QVERIFY(!check.isEmpty());
    QCOMPARE(check.value(QLatin1String("defects")).toArray().size(), 0);
    QVERIFY(check.value(QLatin1String("sevenBit")).toBool());
    QCOMPARE(check.value(QLatin1String("bareLf")).toInt(), 0);
    QVERIFY(check.value(QLatin1String("longestLine")).toInt() <= 78);
    if (opaque) {
        QCOMPARE(check.value(QLatin1String("type")).toString(),
                 QStringLiteral("application/pkcs7-mime"));
        QCOMPARE(check.value(QLatin1String("smimeType")).toString(), QStringLiteral("signed-data"));
        QCOMPARE(check.value(QLatin1String("name")).toString(), QStringLiteral("smime.p7m"));
        QCOMPARE(check.value(QLatin1String("filename")).toString(), QStringLiteral("smime.p7m"));
        QCOMPARE(check.value(QLatin1String("cte")).toString(), QStringLiteral("base64"));
    } else {
        QCOMPARE(check.value(QLatin1String("type")).toString(), QStringLiteral("multipart/signed"));
        QCOMPARE(check.value(QLatin1String("protocol")).toString(),
                 QStringLiteral("application/pkcs7-signature"));
        QCOMPARE(check.value(QLatin1String("micalg")).toString(), micalg);
        QCOMPARE(check.value(QLatin1String("parts")).toArray().size(), 2);
        QCOMPARE(check.value(QLatin1String("parts")).toArray().at(0).toString(),
                 QStringLiteral("text/plain"));
        QCOMPARE(check.value(QLatin1String("parts")).toArray().at(1).toString(),
                 QStringLiteral("application/pkcs7-signature"));
        QCOMPARE(check.value(QLatin1String("signatureFilename")).toString(),
                 QStringLiteral("smime.p7s"));
        QCOMPARE(check.value(QLatin1String("signatureCte")).toString(), QStringLiteral("base64"));
        // The first body part is the entity, byte for byte.
        QVERIFY(result.body.contains(QByteArray("\r\n" + kEntity + "\r\n--")));
    }

    // openssl cms verifies and returns the content.
    Run run = openssl(verifyArguments(QStringLiteral("cms"), file));
    QVERIFY2(run.exitCode == 0, run.err.constData());
    QCOMPARE(readFile(file + QStringLiteral(".out")), kEntity);

    // The signature's algorithms.
    run = openssl({QStringLiteral("cms"), QStringLiteral("-cmsout"), QStringLiteral("-print"),
                   QStringLiteral("-in"), file, QStringLiteral("-noout")});
    QCOMPARE(run.exitCode, 0);
    QVERIFY2(run.out.contains(QByteArray("(" + latin1(signingAlgorithmOid(digest)) + ")")),
             run.out.constData());
    const bool rsaPss = pss && signer.startsWith(QLatin1String("rsa"));
    QCOMPARE(run.out.contains("rsassaPss"), rsaPss);
    QCOMPARE(run.out.contains("ecdsa"), signer.startsWith(QLatin1String("ec")));

    // openssl smime (the PKCS #7 code) as a second verifier; it cannot verify RSASSA-PSS.
    if (!rsaPss) {
        run = openssl(verifyArguments(QStringLiteral("smime"), file));
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QCOMPARE(readFile(file + QStringLiteral(".out")), kEntity);
    }
}

void tst_Smime::signUnsupported_data()
{
    QTest::addColumn<QString>("signer");
    QTest::addColumn<bool>("pss");
    QTest::newRow("ECDSA with MD5") << QStringLiteral("ec_signer") << false;
    QTest::newRow("RSASSA-PSS with MD5") << QStringLiteral("rsa_signer") << true;
}

void tst_Smime::signUnsupported()
{
    QFETCH(QString, signer);
    QFETCH(bool, pss);
    SignOptions options;
    options.algorithm = QStringLiteral("md5");
    options.rsaPss = pss;
    const Result result = sign(kEntity, cert(signer), key(signer), nullptr, options);
    QVERIFY(!result.ok);
    QVERIFY(result.headers.isEmpty());
    QVERIFY(result.body.isEmpty());
    // The translated text and OpenSSL's reason.
    QVERIFY2(result.errorString.startsWith(QLatin1String("Signing failed: ")),
             qPrintable(result.errorString));
    QVERIFY2(result.errorString.size() > 20, qPrintable(result.errorString));
    QCOMPARE(ERR_peek_error(), 0ul);
}

void tst_Smime::signCanonicalizesInput()
{
    const QByteArray input = "Content-Type: text/plain; charset=UTF-8\n"
                             "Content-Transfer-Encoding: 8bit\n\n"
                             "Gr\xc3\xbc\xc3\x9f"
                             "e \n"
                             "From here\n";
    const CanonicalEntity canonical = ssmtp::smime::canonicalize(input);
    QVERIFY(canonical.ok);
    QVERIFY(canonical.entity != input);
    for (const bool opaque : {false, true}) {
        SignOptions options;
        options.opaque = opaque;
        const Result result = sign(input, cert(QStringLiteral("rsa_signer")),
                                   key(QStringLiteral("rsa_signer")), nullptr, options);
        QVERIFY2(result.ok, qPrintable(result.errorString));
        const QByteArray wire = message(result);
        for (const char c : wire)
            QVERIFY(static_cast<uchar>(c) < 0x80);
        QVERIFY(writeFile(QStringLiteral("canonical.eml"), wire));
        const Run run =
            openssl(verifyArguments(QStringLiteral("cms"), QStringLiteral("canonical.eml")));
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QCOMPARE(readFile(QStringLiteral("canonical.eml.out")), canonical.entity);
    }
}

void tst_Smime::signTampered_data()
{
    QTest::addColumn<bool>("opaque");
    QTest::newRow("detached") << false;
    QTest::newRow("opaque") << true;
}

void tst_Smime::signTampered()
{
    QFETCH(bool, opaque);
    SignOptions options;
    options.opaque = opaque;
    const Result result = sign(kEntity, cert(QStringLiteral("rsa_signer")),
                               key(QStringLiteral("rsa_signer")), nullptr, options);
    QVERIFY(result.ok);
    Result tampered = result;
    if (opaque) {
        QByteArray der = QByteArray::fromBase64(result.body);
        const qsizetype at = der.indexOf("brown fox");
        QVERIFY(at > 0);
        der[at] = 'c'; // "crown fox"
        tampered.body = base64Lines(der);
    } else {
        const qsizetype at = tampered.body.indexOf("brown fox");
        QVERIFY(at > 0);
        tampered.body[at] = 'c';
    }
    // The untouched message verifies, the tampered one does not.
    QVERIFY(writeFile(QStringLiteral("good.eml"), message(result)));
    QVERIFY(writeFile(QStringLiteral("tampered.eml"), message(tampered)));
    for (const QString &tool : {QStringLiteral("cms"), QStringLiteral("smime")}) {
        Run run = openssl(verifyArguments(tool, QStringLiteral("good.eml")));
        QVERIFY2(run.exitCode == 0, run.err.constData());
        run = openssl(verifyArguments(tool, QStringLiteral("tampered.eml")));
        QVERIFY2(run.exitCode != 0, qPrintable(tool));
        QVERIFY2(run.err.contains("digest failure") || run.err.contains("signature failure") ||
                     run.err.contains("content verify error"),
                 run.err.constData());
    }
}

void tst_Smime::signWithoutCertificate()
{
    for (const bool opaque : {false, true}) {
        SignOptions options;
        options.includeCertificate = false;
        options.includeChain = true; // no effect without includeCertificate
        options.opaque = opaque;
        const Result result = sign(kEntity, cert(QStringLiteral("rsa_signer")),
                                   key(QStringLiteral("rsa_signer")), m_chain.get(), options);
        QVERIFY2(result.ok, qPrintable(result.errorString));
        QVERIFY(writeFile(QStringLiteral("nocert.eml"), message(result)));

        Run run = openssl({QStringLiteral("cms"), QStringLiteral("-cmsout"),
                           QStringLiteral("-print"), QStringLiteral("-noout"),
                           QStringLiteral("-in"), QStringLiteral("nocert.eml")});
        QCOMPARE(run.exitCode, 0);
        QVERIFY2(run.out.contains("certificates:\n      <ABSENT>"), run.out.constData());

        run = openssl(verifyArguments(QStringLiteral("cms"), QStringLiteral("nocert.eml")));
        QVERIFY(run.exitCode != 0);
        QVERIFY2(run.err.contains("signer certificate not found"), run.err.constData());

        run = openssl(verifyArguments(QStringLiteral("cms"), QStringLiteral("nocert.eml"))
                      << QStringLiteral("-certfile") << QStringLiteral("rsa_signer.pem"));
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QCOMPARE(readFile(QStringLiteral("nocert.eml.out")), kEntity);

        run = openssl(verifyArguments(QStringLiteral("smime"), QStringLiteral("nocert.eml"))
                      << QStringLiteral("-certfile") << QStringLiteral("rsa_signer.pem"));
        QVERIFY2(run.exitCode == 0, run.err.constData());
    }
}

void tst_Smime::signWithChain()
{
    X509 *signer = cert(QStringLiteral("chained_signer"));
    EVP_PKEY *signerKey = key(QStringLiteral("chained_signer"));

    // Default: only the signer's certificate; the intermediate CA is missing for the verifier.
    SignOptions options;
    Result result = sign(kEntity, signer, signerKey, m_chain.get(), options);
    QVERIFY2(result.ok, qPrintable(result.errorString));
    QVERIFY(writeFile(QStringLiteral("nochain.eml"), message(result)));
    Run run = openssl(verifyArguments(QStringLiteral("cms"), QStringLiteral("nochain.eml")));
    QVERIFY(run.exitCode != 0);
    QVERIFY2(run.err.contains("unable to get local issuer certificate"), run.err.constData());
    // (openssl 3.0 takes chain certificates only from the message or the trust store.)
    QVERIFY(
        writeFile(QStringLiteral("trust.pem"), readFile(QStringLiteral("root.pem")) +
                                                   readFile(QStringLiteral("intermediate.pem"))));
    run =
        openssl({QStringLiteral("cms"), QStringLiteral("-verify"), QStringLiteral("-CAfile"),
                 QStringLiteral("trust.pem"), QStringLiteral("-in"), QStringLiteral("nochain.eml"),
                 QStringLiteral("-out"), QStringLiteral("nochain.eml.out")});
    QVERIFY2(run.exitCode == 0, run.err.constData());
    QCOMPARE(readFile(QStringLiteral("nochain.eml.out")), kEntity);

    // includeChain: the intermediate and the root travel with the signature.
    options.includeChain = true;
    for (const bool opaque : {false, true}) {
        options.opaque = opaque;
        result = sign(kEntity, signer, signerKey, m_chain.get(), options);
        QVERIFY2(result.ok, qPrintable(result.errorString));
        QVERIFY(writeFile(QStringLiteral("chain.eml"), message(result)));
        for (const QString &tool : {QStringLiteral("cms"), QStringLiteral("smime")}) {
            run = openssl(verifyArguments(tool, QStringLiteral("chain.eml")));
            QVERIFY2(run.exitCode == 0, run.err.constData());
            QCOMPARE(readFile(QStringLiteral("chain.eml.out")), kEntity);
        }
        run =
            openssl({QStringLiteral("cms"), QStringLiteral("-cmsout"), QStringLiteral("-print"),
                     QStringLiteral("-noout"), QStringLiteral("-in"), QStringLiteral("chain.eml")});
        QCOMPARE(run.exitCode, 0);
        QVERIFY(run.out.contains("CN=Ssmtp Test Root CA"));
        QVERIFY(run.out.contains("CN=Ssmtp Test Intermediate CA"));
        QVERIFY(run.out.contains("CN=Chained Signer"));
        // Each certificate once (the signer is not added a second time from the chain).
        QCOMPARE(run.out.count("cert_info:"), 3);
    }

    // A chain that repeats the signer does not duplicate it.
    ssmtp::openssl::X509StackPtr withSigner = ssmtp::openssl::newCertStack();
    QVERIFY(ssmtp::openssl::pushCert(withSigner.get(), signer));
    QVERIFY(ssmtp::openssl::pushCert(withSigner.get(), cert(QStringLiteral("intermediate"))));
    QVERIFY(ssmtp::openssl::pushCert(withSigner.get(), cert(QStringLiteral("intermediate"))));
    options.opaque = false;
    result = sign(kEntity, signer, signerKey, withSigner.get(), options);
    QVERIFY2(result.ok, qPrintable(result.errorString));
    QVERIFY(writeFile(QStringLiteral("chain2.eml"), message(result)));
    run = openssl({QStringLiteral("cms"), QStringLiteral("-cmsout"), QStringLiteral("-print"),
                   QStringLiteral("-noout"), QStringLiteral("-in"), QStringLiteral("chain2.eml")});
    QCOMPARE(run.out.count("cert_info:"), 2);
    run = openssl(verifyArguments(QStringLiteral("cms"), QStringLiteral("chain2.eml")));
    QVERIFY2(run.exitCode == 0, run.err.constData());
}

void tst_Smime::signErrors()
{
    X509 *signer = cert(QStringLiteral("rsa_signer"));
    EVP_PKEY *signerKey = key(QStringLiteral("rsa_signer"));

    Result result = sign(kEntity, nullptr, signerKey, nullptr);
    QVERIFY(!result.ok);
    QCOMPARE(result.errorString, QStringLiteral("No signing certificate is set."));

    result = sign(kEntity, signer, nullptr, nullptr);
    QVERIFY(!result.ok);
    QCOMPARE(result.errorString, QStringLiteral("The signing certificate has no private key."));

    result = sign(kEntity, signer, key(QStringLiteral("ec_signer")), nullptr);
    QVERIFY(!result.ok);
    QCOMPARE(result.errorString,
             QStringLiteral("The private key does not belong to the signing certificate."));
    QCOMPARE(ERR_peek_error(), 0ul);

    SignOptions options;
    options.algorithm = QStringLiteral("sha3-256");
    result = sign(kEntity, signer, signerKey, nullptr, options);
    QVERIFY(!result.ok);
    QCOMPARE(result.errorString, QStringLiteral("Unknown signing algorithm \"sha3-256\"."));

    result = sign(QByteArray(), signer, signerKey, nullptr);
    QVERIFY(!result.ok);
    QCOMPARE(result.errorString, QStringLiteral("The content to sign or encrypt is empty."));

    result = sign("no entity", signer, signerKey, nullptr);
    QVERIFY(!result.ok);
    QVERIFY(result.errorString.contains(QLatin1String("not a MIME entity")));
    QVERIFY(result.headers.isEmpty() && result.body.isEmpty());
    QCOMPARE(ERR_peek_error(), 0ul);
}

// ---- encryption -----------------------------------------------------------------------------

namespace {

struct CipherRow
{
    const char *name;
    const char *oid;
    int blockSize;
    bool aead;
    const char *rc2Version; // RC2 parameter version (RFC 8018 B.2.3): effective key bits
    int keyBits;
};

const CipherRow kCipherRows[] = {
    {"3DES", "1.2.840.113549.3.7", 8, false, nullptr, 168},
    {"DES", "1.3.14.3.2.7", 8, false, nullptr, 56},
    {"RC2CBC40", "1.2.840.113549.3.2", 8, false, "A0", 40},   // 160 = 40 bits
    {"RC2CBC64", "1.2.840.113549.3.2", 8, false, "78", 64},   // 120 = 64 bits
    {"RC2CBC128", "1.2.840.113549.3.2", 8, false, "3A", 128}, // 58 = 128 bits
    {"RC2", "1.2.840.113549.3.2", 8, false, "3A", 128},
    {"AESCBC128", "2.16.840.1.101.3.4.1.2", 16, false, nullptr, 128},
    {"AES", "2.16.840.1.101.3.4.1.2", 16, false, nullptr, 128},
    {"AESCBC192", "2.16.840.1.101.3.4.1.22", 16, false, nullptr, 128},
    {"AESCBC256", "2.16.840.1.101.3.4.1.42", 16, false, nullptr, 128},
    {"AESGCM128", "2.16.840.1.101.3.4.1.6", 16, true, nullptr, 128},
    {"AESGCM", "2.16.840.1.101.3.4.1.6", 16, true, nullptr, 128},
    {"AESGCM192", "2.16.840.1.101.3.4.1.26", 16, true, nullptr, 128},
    {"AESGCM256", "2.16.840.1.101.3.4.1.46", 16, true, nullptr, 128},
    {"2.16.840.1.101.3.4.1.42", "2.16.840.1.101.3.4.1.42", 16, false, nullptr, 128},
    {"1.2.840.113549.3.7", "1.2.840.113549.3.7", 8, false, nullptr, 168},
};

QStringList decryptArguments(const QString &file, const QString &recipient)
{
    return {QStringLiteral("cms"),       QStringLiteral("-decrypt"),
            QStringLiteral("-provider"), QStringLiteral("legacy"),
            QStringLiteral("-provider"), QStringLiteral("default"),
            QStringLiteral("-in"),       file,
            QStringLiteral("-recip"),    recipient + QStringLiteral(".pem"),
            QStringLiteral("-inkey"),    recipient + QStringLiteral(".key"),
            QStringLiteral("-out"),      file + QStringLiteral(".out")};
}

} // namespace

void tst_Smime::encryptRoundTrip_data()
{
    QTest::addColumn<QString>("cipher");
    QTest::addColumn<QString>("oid");
    QTest::addColumn<bool>("aead");
    QTest::addColumn<QString>("rc2Version");
    QTest::addColumn<QString>("recipient");
    QTest::addColumn<bool>("oaep");

    for (const CipherRow &row : kCipherRows) {
        const QString cipher = QString::fromLatin1(row.name);
        const QString oid = QString::fromLatin1(row.oid);
        const QString rc2 = QString::fromLatin1(row.rc2Version);
        QTest::addRow("%s rsa", row.name)
            << cipher << oid << row.aead << rc2 << QStringLiteral("rsa_recipient") << false;
        QTest::addRow("%s rsa-oaep", row.name)
            << cipher << oid << row.aead << rc2 << QStringLiteral("rsa_recipient") << true;
        if (row.keyBits < 128)
            continue; // see encryptEcShortKey
        QTest::addRow("%s ec", row.name)
            << cipher << oid << row.aead << rc2 << QStringLiteral("ec_recipient") << false;
    }
}

void tst_Smime::encryptRoundTrip()
{
    QFETCH(QString, cipher);
    QFETCH(QString, oid);
    QFETCH(bool, aead);
    QFETCH(QString, rc2Version);
    QFETCH(QString, recipient);
    QFETCH(bool, oaep);

    EncryptOptions options;
    options.algorithm = cipher;
    options.rsaOaep = oaep;
    const Result result = encrypt(kEntity, {cert(recipient)}, options);
    QVERIFY2(result.ok, qPrintable(result.errorString));
    QCOMPARE(ERR_peek_error(), 0ul);

    const QString file = QStringLiteral("encrypted.eml");
    QVERIFY(writeFile(file, message(result)));
    const QJsonObject check = pythonCheck(file);
    QVERIFY(!check.isEmpty());
    QCOMPARE(check.value(QLatin1String("defects")).toArray().size(), 0);
    QCOMPARE(check.value(QLatin1String("type")).toString(),
             QStringLiteral("application/pkcs7-mime"));
    QCOMPARE(check.value(QLatin1String("smimeType")).toString(),
             aead ? QStringLiteral("authEnveloped-data") : QStringLiteral("enveloped-data"));
    QCOMPARE(check.value(QLatin1String("name")).toString(), QStringLiteral("smime.p7m"));
    QCOMPARE(check.value(QLatin1String("filename")).toString(), QStringLiteral("smime.p7m"));
    QCOMPARE(check.value(QLatin1String("cte")).toString(), QStringLiteral("base64"));
    QVERIFY(check.value(QLatin1String("sevenBit")).toBool());
    QCOMPARE(check.value(QLatin1String("longestLine")).toInt(), 76);
    QCOMPARE(check.value(QLatin1String("bareLf")).toInt(), 0);

    Run run = openssl(decryptArguments(file, recipient));
    QVERIFY2(run.exitCode == 0, run.err.constData());
    QCOMPARE(readFile(file + QStringLiteral(".out")), kEntity);

    run = openssl({QStringLiteral("cms"), QStringLiteral("-cmsout"), QStringLiteral("-print"),
                   QStringLiteral("-noout"), QStringLiteral("-in"), file});
    QCOMPARE(run.exitCode, 0);
    QVERIFY2(run.out.contains(QByteArray("(" + latin1(oid) + ")")), run.out.constData());
    QCOMPARE(run.out.contains("AuthEnvelopedData") ||
                 run.out.contains("id-smime-ct-authEnvelopedData"),
             aead);
    if (!rc2Version.isEmpty()) {
        const QRegularExpression version(QStringLiteral("INTEGER +:") + rc2Version +
                                         QLatin1Char('\n'));
        QVERIFY2(version.match(QString::fromLatin1(run.out)).hasMatch(), run.out.constData());
    }
    if (recipient.startsWith(QLatin1String("ec")))
        QVERIFY(run.out.contains("dhSinglePass-stdDH"));
    else
        QCOMPARE(run.out.contains("rsaesOaep"), oaep);
}

void tst_Smime::encryptEcShortKey_data()
{
    QTest::addColumn<QString>("cipher");
    for (const CipherRow &row : kCipherRows) {
        if (row.keyBits < 128)
            QTest::newRow(row.name) << QString::fromLatin1(row.name);
    }
}

void tst_Smime::encryptEcShortKey()
{
    // ECDH wraps the content key with AES key wrap, which needs at least 128 bits of key:
    // DES and 40/64-bit RC2 cannot be used for EC recipients (RSA recipients are fine).
    QFETCH(QString, cipher);
    EncryptOptions options;
    options.algorithm = cipher;
    const Result result = encrypt(
        kEntity, {cert(QStringLiteral("rsa_recipient")), cert(QStringLiteral("ec_recipient"))},
        options);
    QVERIFY(!result.ok);
    QCOMPARE(result.errorString,
             QStringLiteral("The encrypting algorithm %1 cannot be used for recipients with "
                            "elliptic-curve certificates: its key is shorter than 128 bits. "
                            "Choose 3DES or AES.")
                 .arg(encryptingAlgorithmName(cipher)));
    QCOMPARE(ERR_peek_error(), 0ul);
}

void tst_Smime::encryptMultipleRecipients()
{
    EncryptOptions options;
    options.rsaOaep = true;
    const Result result = encrypt(
        kEntity, {cert(QStringLiteral("rsa_recipient")), cert(QStringLiteral("ec_recipient"))},
        options);
    QVERIFY2(result.ok, qPrintable(result.errorString));
    QVERIFY(writeFile(QStringLiteral("multi.eml"), message(result)));
    for (const QString &recipient :
         {QStringLiteral("rsa_recipient"), QStringLiteral("ec_recipient")}) {
        const Run run = openssl(decryptArguments(QStringLiteral("multi.eml"), recipient));
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QCOMPARE(readFile(QStringLiteral("multi.eml.out")), kEntity);
    }
    // Not for someone else.
    const Run run =
        openssl(decryptArguments(QStringLiteral("multi.eml"), QStringLiteral("rsa_signer")));
    QVERIFY(run.exitCode != 0);
}

void tst_Smime::encryptTampered_data()
{
    QTest::addColumn<QString>("cipher");
    QTest::addColumn<int>("blockSize");
    QTest::addColumn<bool>("aead");
    for (const CipherRow &row : kCipherRows)
        QTest::newRow(row.name) << QString::fromLatin1(row.name) << row.blockSize << row.aead;
}

void tst_Smime::encryptTampered()
{
    QFETCH(QString, cipher);
    QFETCH(int, blockSize);
    QFETCH(bool, aead);

    EncryptOptions options;
    options.algorithm = cipher;
    const Result result = encrypt(kEntity, {cert(QStringLiteral("rsa_recipient"))}, options);
    QVERIFY2(result.ok, qPrintable(result.errorString));
    QByteArray der = QByteArray::fromBase64(result.body);
    if (aead) {
        // AuthEnvelopedData ends with the 16-byte GCM tag (OCTET STRING); flip the last
        // ciphertext byte before it.
        QCOMPARE(der.at(der.size() - 18), '\x04');
        QCOMPARE(der.at(der.size() - 17), '\x10');
        der[der.size() - 19] = static_cast<char>(der.at(der.size() - 19) ^ 0x01);
    } else {
        // EnvelopedData ends with the ciphertext. Flipping the top bit of the last byte of the
        // second-to-last block turns the last padding byte into a value >= 0x80, which is never
        // valid padding: decryption must fail, not return garbage.
        const qsizetype at = der.size() - blockSize - 1;
        der[at] = static_cast<char>(der.at(at) ^ 0x80);
    }
    Result tampered = result;
    tampered.body = base64Lines(der);
    QVERIFY(writeFile(QStringLiteral("tampered.eml"), message(tampered)));
    QVERIFY(writeFile(QStringLiteral("untampered.eml"), message(result)));

    Run run = openssl(
        decryptArguments(QStringLiteral("untampered.eml"), QStringLiteral("rsa_recipient")));
    QVERIFY2(run.exitCode == 0, run.err.constData());
    run =
        openssl(decryptArguments(QStringLiteral("tampered.eml"), QStringLiteral("rsa_recipient")));
    QVERIFY2(run.exitCode != 0, run.out.constData());
    // CBC: the padding check ("bad decrypt"); GCM: the tag check, which openssl cms reports
    // only as "Error decrypting CMS structure".
    QVERIFY2(aead ? run.err.contains("Error decrypting CMS structure")
                  : run.err.contains("bad decrypt"),
             run.err.constData());
}

void tst_Smime::encryptErrors()
{
    Result result = encrypt(kEntity, {});
    QVERIFY(!result.ok);
    QVERIFY(result.errorString.startsWith(QLatin1String("No recipient certificates")));

    result = encrypt(kEntity, {cert(QStringLiteral("rsa_recipient")), nullptr});
    QVERIFY(!result.ok);
    QCOMPARE(result.errorString, QStringLiteral("A recipient certificate is empty."));

    EncryptOptions options;
    options.algorithm = QStringLiteral("ChaCha20");
    result = encrypt(kEntity, {cert(QStringLiteral("rsa_recipient"))}, options);
    QVERIFY(!result.ok);
    QCOMPARE(result.errorString, QStringLiteral("Unknown encrypting algorithm \"ChaCha20\"."));

    result = encrypt("not\r\nan entity", {cert(QStringLiteral("rsa_recipient"))});
    QVERIFY(!result.ok);
    QVERIFY(result.errorString.contains(QLatin1String("line 1")));
    QVERIFY(result.headers.isEmpty() && result.body.isEmpty());
    QCOMPARE(ERR_peek_error(), 0ul);
}

// ---- sign and encrypt -----------------------------------------------------------------------

void tst_Smime::signAndEncrypt_data()
{
    QTest::addColumn<QString>("signer");
    QTest::addColumn<QString>("recipient");
    QTest::addColumn<QString>("digest");
    QTest::addColumn<QString>("cipher");
    QTest::addColumn<bool>("opaque");
    QTest::addColumn<bool>("rsaOptions");

    QTest::newRow("rsa defaults") << QStringLiteral("rsa_signer") << QStringLiteral("rsa_recipient")
                                  << QStringLiteral("sha-256") << QStringLiteral("AESCBC256")
                                  << false << false;
    QTest::newRow("rsa pss oaep gcm")
        << QStringLiteral("rsa_signer") << QStringLiteral("rsa_recipient")
        << QStringLiteral("sha-512") << QStringLiteral("AESGCM256") << false << true;
    QTest::newRow("ec opaque") << QStringLiteral("ec_signer") << QStringLiteral("ec_recipient")
                               << QStringLiteral("sha-384") << QStringLiteral("AESGCM128") << true
                               << false;
    QTest::newRow("rsa to ec, 3DES")
        << QStringLiteral("rsa_signer") << QStringLiteral("ec_recipient") << QStringLiteral("sha1")
        << QStringLiteral("3DES") << false << false;
    QTest::newRow("ec to rsa, RC2")
        << QStringLiteral("ec_signer") << QStringLiteral("rsa_recipient")
        << QStringLiteral("sha-224") << QStringLiteral("RC2CBC40") << false << true;
}

void tst_Smime::signAndEncrypt()
{
    QFETCH(QString, signer);
    QFETCH(QString, recipient);
    QFETCH(QString, digest);
    QFETCH(QString, cipher);
    QFETCH(bool, opaque);
    QFETCH(bool, rsaOptions);

    SignOptions signOptions;
    signOptions.algorithm = digest;
    signOptions.opaque = opaque;
    signOptions.rsaPss = rsaOptions;
    EncryptOptions encryptOptions;
    encryptOptions.algorithm = cipher;
    encryptOptions.rsaOaep = rsaOptions;
    const Result result =
        ssmtp::smime::signAndEncrypt(kEntity, cert(signer), key(signer), nullptr, {cert(recipient)},
                                     signOptions, encryptOptions);
    QVERIFY2(result.ok, qPrintable(result.errorString));
    QCOMPARE(ERR_peek_error(), 0ul);
    QCOMPARE(result.headers.first().second.startsWith("application/pkcs7-mime; smime-type="), true);

    QVERIFY(writeFile(QStringLiteral("se.eml"), message(result)));
    QCOMPARE(pythonCheck(QStringLiteral("se.eml")).value(QLatin1String("defects")).toArray().size(),
             0);
    Run run = openssl(decryptArguments(QStringLiteral("se.eml"), recipient));
    QVERIFY2(run.exitCode == 0, run.err.constData());
    const QByteArray inner = readFile(QStringLiteral("se.eml.out"));
    QVERIFY(inner.startsWith(opaque ? "Content-Type: application/pkcs7-mime; smime-type=signed-data"
                                    : "Content-Type: multipart/signed; "));

    // The decrypted entity, as a message, verifies and yields the original entity.
    QVERIFY(writeFile(QStringLiteral("se-inner.eml"), kMessageHeaders + inner));
    run = openssl(verifyArguments(QStringLiteral("cms"), QStringLiteral("se-inner.eml")));
    QVERIFY2(run.exitCode == 0, run.err.constData());
    QCOMPARE(readFile(QStringLiteral("se-inner.eml.out")), kEntity);
    const QJsonObject check = pythonCheck(QStringLiteral("se-inner.eml"));
    QCOMPARE(check.value(QLatin1String("defects")).toArray().size(), 0);
    QCOMPARE(check.value(QLatin1String("type")).toString(),
             opaque ? QStringLiteral("application/pkcs7-mime")
                    : QStringLiteral("multipart/signed"));
}

void tst_Smime::signAndEncryptErrors()
{
    X509 *signer = cert(QStringLiteral("rsa_signer"));
    EVP_PKEY *signerKey = key(QStringLiteral("rsa_signer"));
    Result result = ssmtp::smime::signAndEncrypt(kEntity, signer, signerKey, nullptr, {});
    QVERIFY(!result.ok);
    QVERIFY(result.errorString.startsWith(QLatin1String("No recipient certificates")));

    EncryptOptions encryptOptions;
    encryptOptions.algorithm = QStringLiteral("nope");
    result = ssmtp::smime::signAndEncrypt(kEntity, signer, signerKey, nullptr,
                                          {cert(QStringLiteral("rsa_recipient"))}, SignOptions(),
                                          encryptOptions);
    QVERIFY(!result.ok);
    QCOMPARE(result.errorString, QStringLiteral("Unknown encrypting algorithm \"nope\"."));

    result = ssmtp::smime::signAndEncrypt(kEntity, signer, nullptr, nullptr,
                                          {cert(QStringLiteral("rsa_recipient"))});
    QVERIFY(!result.ok);
    QCOMPARE(result.errorString, QStringLiteral("The signing certificate has no private key."));
    QCOMPARE(ERR_peek_error(), 0ul);
}

// ---- size -----------------------------------------------------------------------------------

void tst_Smime::largeEntity()
{
    // 3 MB of base64 lines: many CMS_final read chunks; the content must still match exactly.
    QByteArray raw(2 * 1024 * 1024 + 7, Qt::Uninitialized);
    for (qsizetype i = 0; i < raw.size(); ++i)
        raw[i] = static_cast<char>((i * 7919) >> 3);
    QByteArray entity = "Content-Type: application/octet-stream\r\n"
                        "Content-Transfer-Encoding: base64\r\n\r\n";
    entity += base64Lines(raw);

    const Result result = ssmtp::smime::signAndEncrypt(entity, cert(QStringLiteral("rsa_signer")),
                                                       key(QStringLiteral("rsa_signer")), nullptr,
                                                       {cert(QStringLiteral("rsa_recipient"))});
    QVERIFY2(result.ok, qPrintable(result.errorString));
    QVERIFY(writeFile(QStringLiteral("large.eml"), message(result)));
    Run run =
        openssl(decryptArguments(QStringLiteral("large.eml"), QStringLiteral("rsa_recipient")));
    QVERIFY2(run.exitCode == 0, run.err.constData());
    QVERIFY(writeFile(QStringLiteral("large-inner.eml"),
                      kMessageHeaders + readFile(QStringLiteral("large.eml.out"))));
    run = openssl(verifyArguments(QStringLiteral("cms"), QStringLiteral("large-inner.eml")));
    QVERIFY2(run.exitCode == 0, run.err.constData());
    QCOMPARE(readFile(QStringLiteral("large-inner.eml.out")), entity);
}

QTEST_GUILESS_MAIN(tst_Smime)
#include "tst_smime.moc"
