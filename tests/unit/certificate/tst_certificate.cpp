// Unit tests for SsmtpCertificate: loading every supported store type, the field formats
// (compared with the output of the openssl command line for the same certificates), subject
// and thumbprint selection, errors, garbage input, implicit sharing and the internal handles.
// The fixtures are generated at test time with the openssl command line in a temporary
// directory.
#include "certificate/certificatehandles_p.h"
#include "ssmtpcertificate.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QMetaEnum>
#include <QMetaProperty>
#include <QProcess>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QSslCertificate>
#include <QSslKey>
#include <QSslSocket>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

using namespace Qt::StringLiterals;

namespace {

const QString Password = u"s3cret pässword"_s;

// "Jan  5 09:03:01 2031 GMT" -> "05-Jan-2031 09:03:01"
QString specDate(const QString &opensslDate)
{
    static const QRegularExpression re(
        u"^(\\w{3})\\s+(\\d+) (\\d\\d:\\d\\d:\\d\\d) (\\d{4}) GMT$"_s);
    const auto m = re.match(opensslDate.trimmed());
    if (!m.hasMatch())
        return u"unparsable: "_s + opensslDate;
    return u"%1-%2-%3 %4"_s.arg(m.captured(2).toInt(), 2, 10, QLatin1Char('0'))
        .arg(m.captured(1), m.captured(4), m.captured(3));
}

// openssl's "-nameopt sep_comma_plus_space,dn_rev,sname,utf8" output with the spec's
// attribute names (S for ST, E for emailAddress).
QString specName(const QString &opensslName)
{
    QStringList rdns = opensslName.trimmed().split(u", "_s);
    for (QString &rdn : rdns) {
        if (rdn.startsWith(u"ST="_s))
            rdn.replace(0, 2, u"S"_s);
        else if (rdn.startsWith(u"emailAddress="_s))
            rdn.replace(0, 12, u"E"_s);
    }
    return rdns.join(u", "_s);
}

QString afterEquals(const QByteArray &line)
{
    const QString text = QString::fromUtf8(line).trimmed();
    return text.mid(text.indexOf(u'=') + 1);
}

} // namespace

class tst_Certificate : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanup();

    void nullCertificate();
    void fieldsMatchOpenssl_data();
    void fieldsMatchOpenssl();
    void fixedFormats();
    void quotedSubject();
    void fromData_data();
    void fromData();
    void stores_data();
    void stores();
    void keyOnlyPemStore();
    void wrongPassword_data();
    void wrongPassword();
    void corruptInput_data();
    void corruptInput();
    void randomGarbage();
    void unsupportedStoreTypes_data();
    void unsupportedStoreTypes();
    void subjectSelection_data();
    void subjectSelection();
    void keyPairing();
    void encodedConstructor();
    void setters();
    void implicitSharing();
    void equality();
    void handles();
    void legacyProviderStaysPrivate();
    void qtNetworkViews();
    void gadgetProperties();
    void debugOutput();

private:
    QString path(const QString &name) const { return m_dir.filePath(name); }
    QByteArray readFile(const QString &name) const;
    bool writeFile(const QString &name, const QByteArray &data) const;
    bool openssl(const QStringList &arguments, QByteArray *output = nullptr) const;
    QString x509Field(const QString &certificate, const QStringList &arguments) const;
    QString x509Text(const QString &certificate) const;

    QTemporaryDir m_dir;
    QString m_openssl;
};

QByteArray tst_Certificate::readFile(const QString &name) const
{
    QFile file(path(name));
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

bool tst_Certificate::writeFile(const QString &name, const QByteArray &data) const
{
    QFile file(path(name));
    return file.open(QIODevice::WriteOnly) && file.write(data) == data.size();
}

bool tst_Certificate::openssl(const QStringList &arguments, QByteArray *output) const
{
    QProcess process;
    process.setWorkingDirectory(m_dir.path());
    process.start(m_openssl, arguments);
    if (!process.waitForFinished(60000) || process.exitStatus() != QProcess::NormalExit ||
        process.exitCode() != 0) {
        qWarning() << "openssl" << arguments << "failed:" << process.readAllStandardError();
        return false;
    }
    if (output)
        *output = process.readAllStandardOutput();
    return true;
}

QString tst_Certificate::x509Field(const QString &certificate, const QStringList &arguments) const
{
    QByteArray out;
    if (!openssl(QStringList{u"x509"_s, u"-in"_s, path(certificate), u"-noout"_s} + arguments,
                 &out))
        return u"openssl failed"_s;
    return QString::fromUtf8(out).trimmed();
}

QString tst_Certificate::x509Text(const QString &certificate) const
{
    return x509Field(certificate, {u"-text"_s});
}

void tst_Certificate::initTestCase()
{
    m_openssl = QStandardPaths::findExecutable(u"openssl"_s);
    if (m_openssl.isEmpty())
        QSKIP("The openssl command line tool is needed to generate the fixtures.");
    QVERIFY(m_dir.isValid());

    const QString days = u"3650"_s;
    // CA
    QVERIFY(openssl({u"req"_s, u"-x509"_s, u"-newkey"_s, u"rsa:2048"_s, u"-nodes"_s, u"-keyout"_s,
                     u"ca.key"_s, u"-out"_s, u"ca.pem"_s, u"-days"_s, days, u"-subj"_s,
                     u"/C=DE/O=Ssmtp Test/CN=Ssmtp Test CA"_s, u"-addext"_s,
                     u"basicConstraints=critical,CA:TRUE"_s, u"-addext"_s,
                     u"keyUsage=critical,keyCertSign,cRLSign"_s}));
    // RSA 2048 end entity signed by the CA: key usage, EKU, subjectAltName.
    QVERIFY(openssl({u"req"_s, u"-newkey"_s, u"rsa:2048"_s, u"-nodes"_s, u"-keyout"_s,
                     u"alice.key"_s, u"-out"_s, u"alice.csr"_s, u"-subj"_s,
                     u"/C=DE/ST=Berlin/L=Berlin/O=Example Org/OU=Mail/CN=Alice Example/"
                     "emailAddress=alice@example.com"_s}));
    QVERIFY(writeFile(u"alice.ext"_s,
                      "keyUsage=critical,digitalSignature,nonRepudiation,keyEncipherment\n"
                      "extendedKeyUsage=emailProtection,clientAuth\n"
                      "subjectAltName=email:alice@example.com,DNS:mail.example.com,"
                      "IP:192.0.2.7,email:alice.alt@example.org\n"));
    QVERIFY(
        openssl({u"x509"_s, u"-req"_s, u"-in"_s, u"alice.csr"_s, u"-CA"_s, u"ca.pem"_s, u"-CAkey"_s,
                 u"ca.key"_s, u"-set_serial"_s, u"0x00F1A2B3C4D5"_s, u"-days"_s, u"365"_s,
                 u"-sha256"_s, u"-extfile"_s, u"alice.ext"_s, u"-out"_s, u"alice.pem"_s}));
    // EC P-256, self-signed.
    QVERIFY(
        openssl({u"req"_s, u"-x509"_s, u"-newkey"_s, u"ec"_s, u"-pkeyopt"_s,
                 u"ec_paramgen_curve:P-256"_s, u"-nodes"_s, u"-keyout"_s, u"ec.key"_s, u"-out"_s,
                 u"ec.pem"_s, u"-days"_s, u"30"_s, u"-subj"_s, u"/O=Example Org/CN=EC Test"_s,
                 u"-addext"_s, u"keyUsage=digitalSignature,keyAgreement"_s}));
    // A version 1 certificate (no extensions).
    QVERIFY(openssl({u"req"_s, u"-newkey"_s, u"rsa:2048"_s, u"-nodes"_s, u"-keyout"_s, u"v1.key"_s,
                     u"-out"_s, u"v1.csr"_s, u"-subj"_s, u"/CN=Version One"_s}));
    QVERIFY(openssl({u"x509"_s, u"-req"_s, u"-in"_s, u"v1.csr"_s, u"-signkey"_s, u"v1.key"_s,
                     u"-days"_s, u"10"_s, u"-out"_s, u"v1.pem"_s}));

    // Keys: encrypted PKCS#8 and traditional encrypted PEM.
    const QString passArg = u"pass:"_s + Password;
    QVERIFY(openssl({u"pkey"_s, u"-in"_s, u"alice.key"_s, u"-aes256"_s, u"-passout"_s, passArg,
                     u"-out"_s, u"alice-enc.key"_s}));
    QVERIFY(openssl({u"rsa"_s, u"-in"_s, u"alice.key"_s, u"-aes128"_s, u"-traditional"_s,
                     u"-passout"_s, passArg, u"-out"_s, u"alice-trad.key"_s}));
    // Single DES is only in OpenSSL's legacy provider.
    QVERIFY(openssl({u"rsa"_s, u"-provider"_s, u"legacy"_s, u"-provider"_s, u"default"_s, u"-in"_s,
                     u"alice.key"_s, u"-des"_s, u"-traditional"_s, u"-passout"_s, passArg,
                     u"-out"_s, u"alice-des.key"_s}));
    QVERIFY(readFile(u"alice-des.key"_s).contains("DEK-Info: DES-CBC,"));
    QVERIFY(openssl({u"pkcs8"_s, u"-provider"_s, u"legacy"_s, u"-provider"_s, u"default"_s,
                     u"-topk8"_s, u"-in"_s, u"alice.key"_s, u"-v1"_s, u"PBE-SHA1-RC2-40"_s,
                     u"-passout"_s, passArg, u"-out"_s, u"alice-rc2.key"_s}));
    QByteArray pkcs8;
    QVERIFY(openssl({u"pkey"_s, u"-in"_s, u"alice.key"_s}, &pkcs8));
    QVERIFY(writeFile(u"alice-pkcs8.pem"_s, pkcs8));

    // PEM key stores.
    const QByteArray alicePem = readFile(u"alice.pem"_s);
    const QByteArray caPem = readFile(u"ca.pem"_s);
    const QByteArray ecPem = readFile(u"ec.pem"_s);
    QVERIFY(writeFile(u"alice-bundle.pem"_s, "Bag Attributes: text before the blocks is ignored\n" +
                                                 readFile(u"alice.key"_s) + alicePem + caPem));
    QVERIFY(writeFile(u"alice-enc-bundle.pem"_s, readFile(u"alice-enc.key"_s) + alicePem + caPem));
    QVERIFY(writeFile(u"alice-trad-bundle.pem"_s, readFile(u"alice-trad.key"_s) + alicePem));
    QVERIFY(writeFile(u"alice-des-bundle.pem"_s, readFile(u"alice-des.key"_s) + alicePem));
    QVERIFY(writeFile(u"alice-rc2-bundle.pem"_s, readFile(u"alice-rc2.key"_s) + alicePem));
    QVERIFY(writeFile(u"two-keys.pem"_s,
                      readFile(u"ec.key"_s) + readFile(u"alice.key"_s) + caPem + ecPem + alicePem));
    QVERIFY(writeFile(u"chain.pem"_s, alicePem + caPem));
    QVERIFY(writeFile(u"others.pem"_s, caPem + ecPem));

    // DER certificate, PKCS#7.
    QVERIFY(openssl(
        {u"x509"_s, u"-in"_s, u"alice.pem"_s, u"-outform"_s, u"DER"_s, u"-out"_s, u"alice.der"_s}));
    QVERIFY(openssl(
        {u"crl2pkcs7"_s, u"-nocrl"_s, u"-certfile"_s, u"chain.pem"_s, u"-out"_s, u"chain.p7b"_s}));
    QVERIFY(openssl({u"crl2pkcs7"_s, u"-nocrl"_s, u"-certfile"_s, u"chain.pem"_s, u"-outform"_s,
                     u"DER"_s, u"-out"_s, u"chain-der.p7b"_s}));

    // PKCS#12: modern (AES/PBKDF2), legacy (RC2/3DES), empty password, several certificates.
    QVERIFY(openssl({u"pkcs12"_s, u"-export"_s, u"-in"_s, u"alice.pem"_s, u"-inkey"_s,
                     u"alice.key"_s, u"-certfile"_s, u"ca.pem"_s, u"-name"_s, u"alice"_s,
                     u"-passout"_s, passArg, u"-out"_s, u"alice.pfx"_s}));
    QVERIFY(openssl({u"pkcs12"_s, u"-export"_s, u"-legacy"_s, u"-in"_s, u"alice.pem"_s, u"-inkey"_s,
                     u"alice.key"_s, u"-certfile"_s, u"ca.pem"_s, u"-passout"_s, passArg, u"-out"_s,
                     u"alice-legacy.pfx"_s}));
    QVERIFY(openssl({u"pkcs12"_s, u"-export"_s, u"-in"_s, u"alice.pem"_s, u"-inkey"_s,
                     u"alice.key"_s, u"-passout"_s, u"pass:"_s, u"-out"_s, u"alice-nopass.pfx"_s}));
    QVERIFY(openssl({u"pkcs12"_s, u"-export"_s, u"-in"_s, u"alice.pem"_s, u"-inkey"_s,
                     u"alice.key"_s, u"-certfile"_s, u"others.pem"_s, u"-passout"_s, passArg,
                     u"-out"_s, u"multi.pfx"_s}));
    QVERIFY(
        openssl({u"pkcs12"_s, u"-export"_s, u"-in"_s, u"alice.pem"_s, u"-inkey"_s, u"alice.key"_s,
                 u"-nomac"_s, u"-passout"_s, passArg, u"-out"_s, u"alice-nomac.pfx"_s}));
}

void tst_Certificate::cleanup()
{
    // Nothing we do may leave errors in the thread's OpenSSL error queue (QSslSocket reads it).
    QCOMPARE(ERR_peek_error(), 0ul);
}

void tst_Certificate::nullCertificate()
{
    const SsmtpCertificate c;
    QVERIFY(c.isNull());
    QVERIFY(c.errorString().isEmpty());
    QCOMPARE(c.storeType(), SsmtpCertificate::User);
    QCOMPARE(c.store(), u"MY"_s);
    QCOMPARE(c.storeBlob(), QByteArray("MY"));
    QVERIFY(c.storePassword().isEmpty());
    QVERIFY(c.subject().isEmpty());
    QVERIFY(c.issuer().isEmpty());
    QVERIFY(c.effectiveDate().isEmpty());
    QVERIFY(c.expirationDate().isEmpty());
    QVERIFY(!c.effectiveDateTime().isValid());
    QVERIFY(!c.expirationDateTime().isValid());
    QVERIFY(c.fingerprint().isEmpty());
    QVERIFY(c.fingerprintSHA1().isEmpty());
    QVERIFY(c.fingerprintSHA256().isEmpty());
    QVERIFY(c.thumbprintMD5().isEmpty());
    QVERIFY(c.thumbprintSHA1().isEmpty());
    QVERIFY(c.thumbprintSHA256().isEmpty());
    QVERIFY(c.serialNumber().isEmpty());
    QVERIFY(c.signatureAlgorithm().isEmpty());
    QVERIFY(c.publicKey().isEmpty());
    QVERIFY(c.publicKeyAlgorithm().isEmpty());
    QCOMPARE(c.publicKeyLength(), 0);
    QVERIFY(c.privateKey().isEmpty());
    QVERIFY(!c.privateKeyAvailable());
    QVERIFY(c.extendedKeyUsage().isEmpty());
    QVERIFY(c.subjectAltNames().isEmpty());
    QVERIFY(c.usage().isEmpty());
    QCOMPARE(c.usageFlags(), 0);
    QVERIFY(c.version().isEmpty());
    QVERIFY(c.encoded().isEmpty());
    QVERIFY(c.toDer().isEmpty());
    QVERIFY(c.toPem().isEmpty());
    QVERIFY(c.emailAddresses().isEmpty());
    QVERIFY(c.toSslCertificate().isNull());
    QVERIFY(c.toSslKey().isNull());
    QVERIFY(c.sslChain().isEmpty());
    QCOMPARE(c, SsmtpCertificate());
    QVERIFY(!ssmtp::certificate::x509(c));
    QVERIFY(!ssmtp::certificate::privateKey(c));
    QVERIFY(!ssmtp::certificate::chain(c));

    // A moved-from certificate is a usable null certificate.
    SsmtpCertificate loaded(path(u"alice.pem"_s));
    QVERIFY(!loaded.isNull());
    SsmtpCertificate moved(std::move(loaded));
    QVERIFY(!moved.isNull());
    QVERIFY(loaded.isNull()); // NOLINT(bugprone-use-after-move)
    QVERIFY(loaded.subject().isEmpty());

    const QVariant variant = QVariant::fromValue(moved);
    QCOMPARE(variant.value<SsmtpCertificate>(), moved);
}

void tst_Certificate::fieldsMatchOpenssl_data()
{
    QTest::addColumn<QString>("file");
    QTest::newRow("RSA end entity, PEM") << u"alice.pem"_s;
    QTest::newRow("RSA end entity, DER") << u"alice.der"_s;
    QTest::newRow("EC P-256") << u"ec.pem"_s;
    QTest::newRow("CA") << u"ca.pem"_s;
    QTest::newRow("version 1") << u"v1.pem"_s;
}

void tst_Certificate::fieldsMatchOpenssl()
{
    QFETCH(QString, file);
    const SsmtpCertificate c(path(file));
    QVERIFY2(!c.isNull(), qPrintable(c.errorString()));
    QVERIFY(c.errorString().isEmpty());
    // openssl reads the PEM form of the DER file too.
    const QString pem = file.endsWith(u".der"_s) ? u"alice.pem"_s : file;

    QCOMPARE(c.effectiveDate(), specDate(afterEquals(x509Field(pem, {u"-startdate"_s}).toUtf8())));
    QCOMPARE(c.expirationDate(), specDate(afterEquals(x509Field(pem, {u"-enddate"_s}).toUtf8())));
    QCOMPARE(c.effectiveDateTime().toString(u"dd-MMM-yyyy HH:mm:ss"_s), c.effectiveDate());
    QCOMPARE(c.effectiveDateTime().timeSpec(), Qt::UTC);
    QCOMPARE(c.serialNumber(), afterEquals(x509Field(pem, {u"-serial"_s}).toUtf8()));

    const QString md5 = afterEquals(x509Field(pem, {u"-fingerprint"_s, u"-md5"_s}).toUtf8());
    const QString sha1 = afterEquals(x509Field(pem, {u"-fingerprint"_s, u"-sha1"_s}).toUtf8());
    const QString sha256 = afterEquals(x509Field(pem, {u"-fingerprint"_s, u"-sha256"_s}).toUtf8());
    QCOMPARE(c.fingerprint(), md5.toLower());
    QCOMPARE(c.fingerprintSHA1(), sha1.toLower());
    QCOMPARE(c.fingerprintSHA256(), sha256.toLower());
    QCOMPARE(c.thumbprintMD5(), QString(md5).remove(u':'));
    QCOMPARE(c.thumbprintSHA1(), QString(sha1).remove(u':'));
    QCOMPARE(c.thumbprintSHA256(), QString(sha256).remove(u':'));
    QCOMPARE(c.fingerprint().size(), 16 * 3 - 1);
    QCOMPARE(c.thumbprintSHA256().size(), 64);

    const QStringList nameopt{u"-nameopt"_s, u"sep_comma_plus_space,dn_rev,sname,utf8"_s};
    QCOMPARE(c.subject(),
             specName(afterEquals(x509Field(pem, QStringList{u"-subject"_s} + nameopt).toUtf8())));
    QCOMPARE(c.issuer(),
             specName(afterEquals(x509Field(pem, QStringList{u"-issuer"_s} + nameopt).toUtf8())));

    const QString text = x509Text(pem);
    const auto bits = QRegularExpression(u"Public-Key: \\((\\d+) bit\\)"_s).match(text);
    QVERIFY(bits.hasMatch());
    QCOMPARE(c.publicKeyLength(), bits.captured(1).toInt());
    const auto signature = QRegularExpression(u"Signature Algorithm: (\\S+)"_s).match(text);
    QVERIFY(signature.hasMatch());
    QCOMPARE(c.signatureAlgorithm(), signature.captured(1));
    const auto keyAlgorithm = QRegularExpression(u"Public Key Algorithm: (\\S+)"_s).match(text);
    QVERIFY(keyAlgorithm.hasMatch());
    QCOMPARE(c.publicKeyAlgorithm(),
             keyAlgorithm.captured(1) == u"rsaEncryption"_s ? u"RSA"_s : u"EC"_s);
    const auto version = QRegularExpression(u"Version: (\\d) "_s).match(text);
    QVERIFY(version.hasMatch());
    QCOMPARE(c.version(), u"V"_s + version.captured(1));

    QByteArray pubkey;
    QVERIFY(openssl({u"x509"_s, u"-in"_s, pem, u"-noout"_s, u"-pubkey"_s}, &pubkey));
    QCOMPARE(c.publicKey(), QString::fromLatin1(pubkey));

    QByteArray der;
    QVERIFY(openssl({u"x509"_s, u"-in"_s, pem, u"-outform"_s, u"DER"_s}, &der));
    QCOMPARE(c.toDer(), der);
    QCOMPARE(c.encoded(), QString::fromLatin1(der.toBase64()));
    QByteArray pemOut;
    QVERIFY(openssl({u"x509"_s, u"-in"_s, pem}, &pemOut));
    QCOMPARE(c.toPem(), pemOut);

    // Subject alternative names: openssl prints "email:a, DNS:b, IP Address:c".
    const QString sanText = x509Field(pem, {u"-ext"_s, u"subjectAltName"_s});
    QStringList sans;
    if (!sanText.isEmpty()) {
        const QString line = sanText.section(u'\n', 1).trimmed();
        for (const QString &entry : line.split(u", "_s))
            sans.append(entry.section(u':', 1));
    }
    QCOMPARE(c.subjectAltNames(), sans.join(u", "_s));

    // Key usage: openssl prints names; map them to the spec's bits.
    const QString kuText = x509Field(pem, {u"-ext"_s, u"keyUsage"_s});
    int flags = 0;
    const QList<QPair<QString, int>> kuNames{
        {u"Digital Signature"_s, 0x80}, {u"Non Repudiation"_s, 0x40}, {u"Key Encipherment"_s, 0x20},
        {u"Data Encipherment"_s, 0x10}, {u"Key Agreement"_s, 0x08},   {u"Certificate Sign"_s, 0x04},
        {u"CRL Sign"_s, 0x02}};
    for (const auto &[name, bit] : kuNames) {
        if (kuText.contains(name))
            flags |= bit;
    }
    QCOMPARE(c.usageFlags(), flags);

    // Extended key usage: openssl prints names; compare the count (OIDs checked below).
    const QString ekuText = x509Field(pem, {u"-ext"_s, u"extendedKeyUsage"_s});
    const int ekuCount =
        ekuText.isEmpty() ? 0 : int(ekuText.section(u'\n', 1).split(u", "_s).size());
    QCOMPARE(c.extendedKeyUsage().isEmpty() ? 0 : int(c.extendedKeyUsage().split(u", "_s).size()),
             ekuCount);

    // Qt's own parser agrees on the digests.
    const QSslCertificate qt = c.toSslCertificate();
    QVERIFY(!qt.isNull());
    QCOMPARE(QString::fromLatin1(qt.digest(QCryptographicHash::Sha1).toHex().toUpper()),
             c.thumbprintSHA1());
    QCOMPARE(qt.serialNumber().replace(':', "").toUpper(), c.serialNumber().toLatin1());
}

void tst_Certificate::fixedFormats()
{
    const SsmtpCertificate alice(path(u"alice.pem"_s));
    QVERIFY2(!alice.isNull(), qPrintable(alice.errorString()));
    QCOMPARE(alice.subject(), u"E=alice@example.com, CN=Alice Example, OU=Mail, O=Example Org, "
                              "L=Berlin, S=Berlin, C=DE"_s);
    QCOMPARE(alice.issuer(), u"CN=Ssmtp Test CA, O=Ssmtp Test, C=DE"_s);
    QCOMPARE(alice.serialNumber(), u"F1A2B3C4D5"_s);
    QCOMPARE(alice.extendedKeyUsage(), u"1.3.6.1.5.5.7.3.4, 1.3.6.1.5.5.7.3.2"_s);
    QCOMPARE(alice.subjectAltNames(),
             u"alice@example.com, mail.example.com, 192.0.2.7, alice.alt@example.org"_s);
    QCOMPARE(alice.usageFlags(), 0x80 | 0x40 | 0x20);
    QCOMPARE(alice.usage(), u"Digital Signatures, Key Authentication, Key Encryption"_s);
    QCOMPARE(alice.version(), u"V3"_s);
    QCOMPARE(alice.publicKeyAlgorithm(), u"RSA"_s);
    QCOMPARE(alice.publicKeyLength(), 2048);
    QCOMPARE(alice.signatureAlgorithm(), u"sha256WithRSAEncryption"_s);
    QCOMPARE(alice.emailAddresses(),
             QStringList({u"alice@example.com"_s, u"alice.alt@example.org"_s}));
    QVERIFY(QRegularExpression(u"^\\d\\d-[A-Z][a-z]{2}-\\d{4} \\d\\d:\\d\\d:\\d\\d$"_s)
                .match(alice.effectiveDate())
                .hasMatch());
    QVERIFY(QRegularExpression(u"^([0-9a-f]{2}:){15}[0-9a-f]{2}$"_s)
                .match(alice.fingerprint())
                .hasMatch());
    QVERIFY(QRegularExpression(u"^[0-9A-F]{40}$"_s).match(alice.thumbprintSHA1()).hasMatch());
    QVERIFY(alice.publicKey().startsWith(u"-----BEGIN PUBLIC KEY-----\n"_s));
    QVERIFY(!alice.privateKeyAvailable());
    QVERIFY(alice.privateKey().isEmpty());

    const SsmtpCertificate ca(path(u"ca.pem"_s));
    QCOMPARE(ca.usageFlags(), 0x04 | 0x02);
    QCOMPARE(ca.usage(), u"Certificate Signing, Key Signing"_s);
    QCOMPARE(ca.subject(), ca.issuer());

    const SsmtpCertificate ec(path(u"ec.pem"_s));
    QCOMPARE(ec.publicKeyAlgorithm(), u"EC"_s);
    QCOMPARE(ec.publicKeyLength(), 256);
    QCOMPARE(ec.signatureAlgorithm(), u"ecdsa-with-SHA256"_s);
    QCOMPARE(ec.usage(), u"Digital Signatures, Key Agreement"_s);
    QCOMPARE(ec.subject(), u"CN=EC Test, O=Example Org"_s);
    QVERIFY(ec.extendedKeyUsage().isEmpty());
    QVERIFY(ec.subjectAltNames().isEmpty());

    const SsmtpCertificate v1(path(u"v1.pem"_s));
    QCOMPARE(v1.version(), u"V1"_s);
    QCOMPARE(v1.usageFlags(), 0);
    QVERIFY(v1.usage().isEmpty());
}

void tst_Certificate::quotedSubject()
{
    QVERIFY(openssl({u"req"_s, u"-x509"_s, u"-newkey"_s, u"ec"_s, u"-pkeyopt"_s,
                     u"ec_paramgen_curve:P-256"_s, u"-nodes"_s, u"-keyout"_s, u"q.key"_s, u"-out"_s,
                     u"q.pem"_s, u"-days"_s, u"5"_s, u"-utf8"_s, u"-subj"_s,
                     u"/O=Smith \\, Sons/CN=J\u00fcrgen \"JJ\" M\u00fcller"_s}));
    const SsmtpCertificate c(path(u"q.pem"_s));
    QVERIFY2(!c.isNull(), qPrintable(c.errorString()));
    QCOMPARE(c.subject(), u"CN=\"J\u00fcrgen \"\"JJ\"\" M\u00fcller\", O=\"Smith , Sons\""_s);
    // Selection works with the quoted form and with a plain substring.
    const SsmtpCertificate byExact(SsmtpCertificate::PublicKeyFile, path(u"q.pem"_s), QString(),
                                   c.subject());
    QCOMPARE(byExact, c);
    const SsmtpCertificate bySubstring(SsmtpCertificate::PublicKeyFile, path(u"q.pem"_s), QString(),
                                       u"J\u00dcRGEN"_s);
    QCOMPARE(bySubstring, c);
}

void tst_Certificate::fromData_data()
{
    QTest::addColumn<QByteArray>("data");
    const QByteArray der = readFile(u"alice.der"_s);
    QTest::newRow("PEM") << readFile(u"alice.pem"_s);
    QTest::newRow("DER") << der;
    QTest::newRow("base64") << der.toBase64();
    QByteArray wrapped;
    const QByteArray base64 = der.toBase64();
    for (qsizetype i = 0; i < base64.size(); i += 76)
        wrapped += base64.mid(i, 76) + "\r\n";
    QTest::newRow("base64 with line breaks") << wrapped;
    QTest::newRow("base64 of PEM") << readFile(u"alice.pem"_s).toBase64();
    QTest::newRow("PEM chain") << readFile(u"chain.pem"_s);
}

void tst_Certificate::fromData()
{
    QFETCH(QByteArray, data);
    const SsmtpCertificate reference(path(u"alice.pem"_s));
    QString error = u"not touched"_s;
    const SsmtpCertificate c = SsmtpCertificate::fromData(data, &error);
    QVERIFY2(!c.isNull(), qPrintable(error));
    QVERIFY(error.isEmpty());
    QCOMPARE(c, reference);
    QCOMPARE(c.storeType(), SsmtpCertificate::PublicKeyBlob);
    QCOMPARE(c.storeBlob(), data);
    QCOMPARE(SsmtpCertificate(data), reference);

    const SsmtpCertificate file = SsmtpCertificate::fromFile(path(u"alice.pem"_s), &error);
    QCOMPARE(file, reference);
    QCOMPARE(file.storeType(), SsmtpCertificate::PublicKeyFile);
    QCOMPARE(file.store(), path(u"alice.pem"_s));
}

void tst_Certificate::stores_data()
{
    QTest::addColumn<int>("type");
    QTest::addColumn<QByteArray>("store"); // file name (for *File and Auto) or data
    QTest::addColumn<QString>("password");
    QTest::addColumn<QString>("expectedCertificate"); // file of the expected certificate
    QTest::addColumn<bool>("hasKey");
    QTest::addColumn<int>("chainLength");

    using C = SsmtpCertificate;
    auto file = [this](const QString &name) { return QFile::encodeName(path(name)); };
    const QByteArray pfx = readFile(u"alice.pfx"_s);
    const QByteArray legacy = readFile(u"alice-legacy.pfx"_s);

    QTest::newRow("PfxFile") << int(C::PfxFile) << file(u"alice.pfx"_s) << Password
                             << u"alice.pem"_s << true << 1;
    QTest::newRow("PfxFile legacy RC2/3DES") << int(C::PfxFile) << file(u"alice-legacy.pfx"_s)
                                             << Password << u"alice.pem"_s << true << 1;
    QTest::newRow("PfxFile empty password") << int(C::PfxFile) << file(u"alice-nopass.pfx"_s)
                                            << QString() << u"alice.pem"_s << true << 0;
    QTest::newRow("PfxFile without MAC")
        << int(C::PfxFile) << file(u"alice-nomac.pfx"_s) << Password << u"alice.pem"_s << true << 0;
    QTest::newRow("PfxBlob binary")
        << int(C::PfxBlob) << pfx << Password << u"alice.pem"_s << true << 1;
    QTest::newRow("PfxBlob base64")
        << int(C::PfxBlob) << pfx.toBase64() << Password << u"alice.pem"_s << true << 1;
    QTest::newRow("PfxBlob legacy base64")
        << int(C::PfxBlob) << legacy.toBase64() << Password << u"alice.pem"_s << true << 1;
    QTest::newRow("PemKeyFile") << int(C::PemKeyFile) << file(u"alice-bundle.pem"_s) << QString()
                                << u"alice.pem"_s << true << 1;
    QTest::newRow("PemKeyFile encrypted PKCS#8")
        << int(C::PemKeyFile) << file(u"alice-enc-bundle.pem"_s) << Password << u"alice.pem"_s
        << true << 1;
    QTest::newRow("PemKeyFile encrypted traditional")
        << int(C::PemKeyFile) << file(u"alice-trad-bundle.pem"_s) << Password << u"alice.pem"_s
        << true << 0;
    QTest::newRow("PemKeyFile DES-CBC (legacy provider)")
        << int(C::PemKeyFile) << file(u"alice-des-bundle.pem"_s) << Password << u"alice.pem"_s
        << true << 0;
    QTest::newRow("PemKeyFile PKCS#8 RC2 (legacy provider)")
        << int(C::PemKeyFile) << file(u"alice-rc2-bundle.pem"_s) << Password << u"alice.pem"_s
        << true << 0;
    QTest::newRow("PemKeyBlob") << int(C::PemKeyBlob) << readFile(u"alice-bundle.pem"_s)
                                << QString() << u"alice.pem"_s << true << 1;
    QTest::newRow("PemKeyBlob base64")
        << int(C::PemKeyBlob) << readFile(u"alice-enc-bundle.pem"_s).toBase64() << Password
        << u"alice.pem"_s << true << 1;
    QTest::newRow("PublicKeyFile PEM") << int(C::PublicKeyFile) << file(u"alice.pem"_s) << QString()
                                       << u"alice.pem"_s << false << 0;
    QTest::newRow("PublicKeyFile DER") << int(C::PublicKeyFile) << file(u"alice.der"_s) << QString()
                                       << u"alice.pem"_s << false << 0;
    QTest::newRow("PublicKeyFile PEM chain") << int(C::PublicKeyFile) << file(u"chain.pem"_s)
                                             << QString() << u"alice.pem"_s << false << 1;
    QTest::newRow("PublicKeyBlob DER") << int(C::PublicKeyBlob) << readFile(u"alice.der"_s)
                                       << QString() << u"alice.pem"_s << false << 0;
    QTest::newRow("PublicKeyBlob base64")
        << int(C::PublicKeyBlob) << readFile(u"alice.der"_s).toBase64() << QString()
        << u"alice.pem"_s << false << 0;
    QTest::newRow("P7bFile PEM") << int(C::P7bFile) << file(u"chain.p7b"_s) << QString()
                                 << u"alice.pem"_s << false << 1;
    QTest::newRow("P7bFile DER") << int(C::P7bFile) << file(u"chain-der.p7b"_s) << QString()
                                 << u"alice.pem"_s << false << 1;
    QTest::newRow("P7bBlob DER") << int(C::P7bBlob) << readFile(u"chain-der.p7b"_s) << QString()
                                 << u"alice.pem"_s << false << 1;
    QTest::newRow("P7bBlob base64") << int(C::P7bBlob) << readFile(u"chain-der.p7b"_s).toBase64()
                                    << QString() << u"alice.pem"_s << false << 1;
    QTest::newRow("Auto PFX file")
        << int(C::Auto) << file(u"alice.pfx"_s) << Password << u"alice.pem"_s << true << 1;
    QTest::newRow("Auto legacy PFX file")
        << int(C::Auto) << file(u"alice-legacy.pfx"_s) << Password << u"alice.pem"_s << true << 1;
    QTest::newRow("Auto PFX blob base64")
        << int(C::Auto) << pfx.toBase64() << Password << u"alice.pem"_s << true << 1;
    QTest::newRow("Auto PEM bundle file") << int(C::Auto) << file(u"alice-enc-bundle.pem"_s)
                                          << Password << u"alice.pem"_s << true << 1;
    QTest::newRow("Auto PEM text") << int(C::Auto) << readFile(u"alice-bundle.pem"_s) << QString()
                                   << u"alice.pem"_s << true << 1;
    QTest::newRow("Auto DER certificate")
        << int(C::Auto) << file(u"alice.der"_s) << QString() << u"alice.pem"_s << false << 0;
    QTest::newRow("Auto DER P7B") << int(C::Auto) << file(u"chain-der.p7b"_s) << QString()
                                  << u"alice.pem"_s << false << 1;
    QTest::newRow("Auto PEM P7B") << int(C::Auto) << file(u"chain.p7b"_s) << QString()
                                  << u"alice.pem"_s << false << 1;
    QTest::newRow("Auto EC certificate")
        << int(C::Auto) << readFile(u"ec.pem"_s) << QString() << u"ec.pem"_s << false << 0;
}

void tst_Certificate::stores()
{
    QFETCH(int, type);
    QFETCH(QByteArray, store);
    QFETCH(QString, password);
    QFETCH(QString, expectedCertificate);
    QFETCH(bool, hasKey);
    QFETCH(int, chainLength);

    const auto storeType = SsmtpCertificate::StoreType(type);
    QString error = u"not touched"_s;
    const SsmtpCertificate c =
        SsmtpCertificate::load(storeType, store, password, u"*"_s, QString(), &error);
    QVERIFY2(!c.isNull(), qPrintable(error));
    QVERIFY(error.isEmpty());
    QVERIFY(c.errorString().isEmpty());
    QCOMPARE(c.thumbprintSHA256(), SsmtpCertificate(path(expectedCertificate)).thumbprintSHA256());
    QCOMPARE(c.privateKeyAvailable(), hasKey);
    QCOMPARE(c.storeType(), storeType);
    QCOMPARE(c.storeBlob(), store);
    QCOMPARE(c.storePassword(), password);
    QVERIFY(ssmtp::certificate::chain(c));
    QCOMPARE(sk_X509_num(ssmtp::certificate::chain(c)), chainLength);
    QCOMPARE(c.sslChain().size(), chainLength);
    if (chainLength)
        QCOMPARE(c.sslChain().constFirst(), SsmtpCertificate(path(u"ca.pem"_s)).toSslCertificate());

    if (hasKey) {
        QByteArray pkcs8;
        QVERIFY(openssl({u"pkey"_s, u"-in"_s, u"alice.key"_s}, &pkcs8));
        QCOMPARE(c.privateKey(), QString::fromLatin1(pkcs8));
        QCOMPARE(
            X509_check_private_key(ssmtp::certificate::x509(c), ssmtp::certificate::privateKey(c)),
            1);
    }

    // The constructor with the same arguments gives the same certificate; for the *File
    // types the QString overload takes the file name.
    if (storeType == SsmtpCertificate::PfxFile || storeType == SsmtpCertificate::PemKeyFile) {
        const SsmtpCertificate viaString(storeType, QFile::decodeName(store), password, u"*"_s);
        QCOMPARE(viaString, c);
        QCOMPARE(viaString.store(), QFile::decodeName(store));
    }
}

void tst_Certificate::keyOnlyPemStore()
{
    const SsmtpCertificate c(SsmtpCertificate::PemKeyFile, path(u"alice-pkcs8.pem"_s), QString(),
                             u"*"_s);
    QVERIFY2(!c.isNull(), qPrintable(c.errorString()));
    QVERIFY(c.privateKeyAvailable());
    QVERIFY(c.subject().isEmpty());
    QVERIFY(c.thumbprintSHA1().isEmpty());
    QVERIFY(c.toDer().isEmpty());
    QCOMPARE(c.publicKeyAlgorithm(), u"RSA"_s);
    QCOMPARE(c.publicKeyLength(), 2048);
    const SsmtpCertificate alice(path(u"alice.pem"_s));
    QCOMPARE(c.publicKey(), alice.publicKey());
    QCOMPARE(c.privateKey(), QString::fromLatin1(readFile(u"alice-pkcs8.pem"_s)));
    // The fingerprint of a key is the digest of its DER SubjectPublicKeyInfo.
    QByteArray spki;
    QVERIFY(openssl({u"pkey"_s, u"-in"_s, u"alice.key"_s, u"-pubout"_s, u"-outform"_s, u"DER"_s},
                    &spki));
    QCOMPARE(
        c.fingerprintSHA256(),
        QString::fromLatin1(QCryptographicHash::hash(spki, QCryptographicHash::Sha256).toHex(':')));
    QVERIFY(ssmtp::certificate::privateKey(c));
    QVERIFY(!ssmtp::certificate::x509(c));
    QCOMPARE(ssmtp::certificate::publicKey(c), ssmtp::certificate::privateKey(c));

    // A subject cannot match a store without certificates.
    const SsmtpCertificate bySubject(SsmtpCertificate::PemKeyFile, path(u"alice-pkcs8.pem"_s),
                                     QString(), u"Alice"_s);
    QVERIFY(bySubject.isNull());
    QVERIFY2(bySubject.errorString().contains(u"contains no certificate"_s),
             qPrintable(bySubject.errorString()));
}

void tst_Certificate::wrongPassword_data()
{
    QTest::addColumn<int>("type");
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("password");
    QTest::addColumn<QString>("expected");

    using C = SsmtpCertificate;
    const QString wrong = u"Wrong password for the certificate store \"%1\"."_s;
    const QString needs = u"The certificate store \"%1\" needs a password."_s;
    QTest::newRow("PFX wrong") << int(C::PfxFile) << u"alice.pfx"_s << u"wrong"_s << wrong;
    QTest::newRow("PFX case differs")
        << int(C::PfxFile) << u"alice.pfx"_s << Password.toUpper() << wrong;
    QTest::newRow("PFX empty") << int(C::PfxFile) << u"alice.pfx"_s << QString() << needs;
    QTest::newRow("legacy PFX wrong")
        << int(C::PfxFile) << u"alice-legacy.pfx"_s << u"wrong"_s << wrong;
    QTest::newRow("PFX without MAC wrong")
        << int(C::PfxFile) << u"alice-nomac.pfx"_s << u"wrong"_s << wrong;
    QTest::newRow("Auto PFX wrong") << int(C::Auto) << u"alice.pfx"_s << u"wrong"_s << wrong;
    QTest::newRow("PEM PKCS#8 wrong")
        << int(C::PemKeyFile) << u"alice-enc-bundle.pem"_s << u"wrong"_s << wrong;
    QTest::newRow("PEM PKCS#8 empty")
        << int(C::PemKeyFile) << u"alice-enc-bundle.pem"_s << QString() << needs;
    QTest::newRow("PEM traditional wrong")
        << int(C::PemKeyFile) << u"alice-trad-bundle.pem"_s << u"wrong"_s << wrong;
    QTest::newRow("PEM DES-CBC wrong")
        << int(C::PemKeyFile) << u"alice-des-bundle.pem"_s << u"wrong"_s << wrong;
    QTest::newRow("PEM PKCS#8 RC2 wrong")
        << int(C::PemKeyFile) << u"alice-rc2-bundle.pem"_s << u"wrong"_s << wrong;
    QTest::newRow("PEM traditional empty")
        << int(C::PemKeyFile) << u"alice-trad-bundle.pem"_s << QString() << needs;
}

void tst_Certificate::wrongPassword()
{
    QFETCH(int, type);
    QFETCH(QString, file);
    QFETCH(QString, password);
    QFETCH(QString, expected);
    const SsmtpCertificate c(SsmtpCertificate::StoreType(type), path(file), password, u"*"_s);
    QVERIFY(c.isNull());
    QCOMPARE(c.errorString(), expected.arg(QDir::toNativeSeparators(path(file))));
    QVERIFY(c.subject().isEmpty());
}

void tst_Certificate::corruptInput_data()
{
    QTest::addColumn<int>("type");
    QTest::addColumn<QByteArray>("store");
    QTest::addColumn<QString>("expected"); // part of the error text

    using C = SsmtpCertificate;
    const QByteArray pfx = readFile(u"alice.pfx"_s);
    const QByteArray pem = readFile(u"alice-bundle.pem"_s);
    const QByteArray der = readFile(u"alice.der"_s);
    const QByteArray p7b = readFile(u"chain-der.p7b"_s);
    QVERIFY(writeFile(u"truncated.pfx"_s, pfx.left(pfx.size() / 2)));
    QVERIFY(writeFile(u"truncated.der"_s, der.left(der.size() - 10)));
    QVERIFY(writeFile(u"empty.pem"_s, QByteArray()));
    QByteArray damagedKey = readFile(u"alice.key"_s);
    damagedKey[damagedKey.indexOf('\n') + 1] = 'A'; // the outer SEQUENCE tag
    QVERIFY(writeFile(u"damaged-key.pem"_s, damagedKey + readFile(u"alice.pem"_s)));
    auto file = [this](const QString &name) { return QFile::encodeName(path(name)); };

    QTest::newRow("PFX truncated file")
        << int(C::PfxFile) << file(u"truncated.pfx"_s) << u"not a valid PKCS#12"_s;
    QTest::newRow("PFX blob is PEM") << int(C::PfxBlob) << pem << u"not a valid PKCS#12"_s;
    QTest::newRow("PFX one byte") << int(C::PfxBlob) << QByteArray("\x30") << u"not a valid"_s;
    QTest::newRow("DER truncated") << int(C::PublicKeyFile) << file(u"truncated.der"_s)
                                   << u"holds no PEM or DER certificate"_s;
    QTest::newRow("PEM truncated")
        << int(C::PemKeyBlob) << pem.left(pem.size() / 3) << u"holds neither"_s;
    QTest::newRow("PEM damaged key")
        << int(C::PemKeyFile) << file(u"damaged-key.pem"_s) << u"is damaged"_s;
    QTest::newRow("P7B truncated")
        << int(C::P7bBlob) << p7b.left(p7b.size() - 100) << u"not a valid PKCS#7"_s;
    QTest::newRow("P7B is certificate") << int(C::P7bBlob) << der << u"not a valid PKCS#7"_s;
    QTest::newRow("empty file") << int(C::PublicKeyFile) << file(u"empty.pem"_s) << u"is empty"_s;
    QTest::newRow("empty blob") << int(C::PfxBlob) << QByteArray() << u"is empty"_s;
    QTest::newRow("missing file") << int(C::PfxFile) << file(u"does-not-exist.pfx"_s)
                                  << u"Cannot open the certificate store"_s;
    QTest::newRow("no file name") << int(C::PemKeyFile) << QByteArray()
                                  << u"No certificate store file"_s;
    QTest::newRow("Auto text") << int(C::Auto) << QByteArray("hello world")
                               << u"not in a known format"_s;
    QTest::newRow("Auto truncated PFX")
        << int(C::Auto) << file(u"truncated.pfx"_s) << u"not in a known format"_s;
    QTest::newRow("not base64") << int(C::PublicKeyBlob) << QByteArray("QUJD$$$") << u"holds no"_s;
}

void tst_Certificate::corruptInput()
{
    QFETCH(int, type);
    QFETCH(QByteArray, store);
    QFETCH(QString, expected);
    QString error;
    const SsmtpCertificate c = SsmtpCertificate::load(SsmtpCertificate::StoreType(type), store,
                                                      Password, u"*"_s, QString(), &error);
    QVERIFY(c.isNull());
    QVERIFY2(error.contains(expected), qPrintable(error));
    QCOMPARE(c.errorString(), error);
}

void tst_Certificate::randomGarbage()
{
    const QList<SsmtpCertificate::StoreType> types{
        SsmtpCertificate::PfxBlob, SsmtpCertificate::PemKeyBlob, SsmtpCertificate::PublicKeyBlob,
        SsmtpCertificate::P7bBlob, SsmtpCertificate::Auto};
    QRandomGenerator random(20240229);
    const QByteArray pfx = readFile(u"alice.pfx"_s);
    const QByteArray p7b = readFile(u"chain-der.p7b"_s);
    const QByteArray pem = readFile(u"alice-enc-bundle.pem"_s);
    for (int round = 0; round < 150; ++round) {
        QByteArray garbage(qsizetype(random.bounded(1, 3000)), Qt::Uninitialized);
        for (char &c : garbage)
            c = char(random.bounded(256));
        // Also valid prefixes with damaged tails, and single flipped bytes.
        QByteArray flipped = (round % 3 == 0 ? pfx : round % 3 == 1 ? p7b : pem);
        flipped[random.bounded(int(flipped.size()))] ^= char(1 << random.bounded(8));
        const QByteArray prefix = pfx.left(random.bounded(int(pfx.size())));
        for (const QByteArray &data : {garbage, flipped, prefix}) {
            for (SsmtpCertificate::StoreType type : types) {
                const SsmtpCertificate c(type, data, Password, u"*"_s);
                if (c.isNull())
                    QVERIFY(!c.errorString().isEmpty());
                (void)c.subject();
                (void)c.fingerprintSHA256();
            }
            (void)SsmtpCertificate(data);
        }
    }
}

void tst_Certificate::unsupportedStoreTypes_data()
{
    QTest::addColumn<int>("type");
    using C = SsmtpCertificate;
    for (C::StoreType type : {C::User, C::Machine, C::JksFile, C::JksBlob, C::SshPublicKeyBlob,
                              C::SshPublicKeyFile, C::PpkFile, C::PpkBlob, C::XmlFile, C::XmlBlob,
                              C::JwkFile, C::JwkBlob, C::BcfksFile, C::BcfksBlob, C::Pkcs11}) {
        QTest::newRow(QMetaEnum::fromType<C::StoreType>().valueToKey(type)) << int(type);
    }
}

void tst_Certificate::unsupportedStoreTypes()
{
    QFETCH(int, type);
    const auto storeType = SsmtpCertificate::StoreType(type);
    const SsmtpCertificate c(storeType, path(u"alice.pfx"_s), Password, u"*"_s);
    QVERIFY(c.isNull());
    const QString name =
        QString::fromLatin1(QMetaEnum::fromType<SsmtpCertificate::StoreType>().valueToKey(type));
    QCOMPARE(c.errorString(),
             u"The certificate store type %1 is not supported on this platform."_s.arg(name));
    QCOMPARE(c.storeType(), storeType);

    const SsmtpCertificate encoded(storeType, path(u"alice.pfx"_s), Password,
                                   readFile(u"alice.der"_s));
    QVERIFY(encoded.isNull());
    QVERIFY(encoded.errorString().contains(u"not supported"_s));
}

void tst_Certificate::subjectSelection_data()
{
    QTest::addColumn<QString>("store");
    QTest::addColumn<QString>("subject");
    QTest::addColumn<QString>("configuration");
    QTest::addColumn<QString>("expected"); // certificate file, or "error:<text>"
    QTest::addColumn<bool>("hasKey");

    const SsmtpCertificate alice(path(u"alice.pem"_s));
    const SsmtpCertificate ca(path(u"ca.pem"_s));
    const SsmtpCertificate ec(path(u"ec.pem"_s));
    const QString pfx = u"multi.pfx"_s;
    const QString pem = u"two-keys.pem"_s;

    for (const QString &store : {pfx, pem}) {
        const bool ecHasKey = store == pem;
        // The first certificate with a private key: alice in the PFX; in the PEM file the
        // order is CA, EC, alice and both EC and alice have keys.
        const QString firstWithKey = store == pfx ? u"alice.pem"_s : u"ec.pem"_s;
        auto row = [&store](const char *name) -> QTestData & {
            return QTest::addRow("%s: %s", qPrintable(store), name);
        };
        row("any") << store << u"*"_s << QString() << firstWithKey << true;
        row("empty subject") << store << QString() << QString() << firstWithKey << true;
        row("exact alice") << store << alice.subject() << QString() << u"alice.pem"_s << true;
        row("exact alice lower case")
            << store << alice.subject().toLower() << QString() << u"alice.pem"_s << true;
        row("exact RFC 2253") << store
                              << u"emailAddress=alice@example.com,CN=Alice Example,OU=Mail,"
                                 "O=Example Org,L=Berlin,ST=Berlin,C=DE"_s
                              << QString() << u"alice.pem"_s << true;
        row("exact CA") << store << u"CN=Ssmtp Test CA, O=Ssmtp Test, C=DE"_s << QString()
                        << u"ca.pem"_s << false;
        row("exact EC") << store << ec.subject() << QString() << u"ec.pem"_s << ecHasKey;
        row("substring EC") << store << u"EC Test"_s << QString() << u"ec.pem"_s << ecHasKey;
        row("substring case-insensitive")
            << store << u"alice example"_s << QString() << u"alice.pem"_s << true;
        // "O=Example Org" is in alice and EC: the first one with a private key wins.
        row("substring in two") << store << u"O=Example Org"_s << QString() << firstWithKey << true;
        // An exact match beats a substring match: the EC subject is also a substring of
        // nothing else, but "CN=EC Test, O=Example Org" must not pick alice.
        row("exact before substring")
            << store << u"cn=ec test, o=example org"_s << QString() << u"ec.pem"_s << ecHasKey;
        row("substring CA") << store << u"ssmtp test ca"_s << QString() << u"ca.pem"_s << false;
        row("no match") << store << u"CN=Nobody"_s << QString()
                        << u"error:matches the subject \"CN=Nobody\""_s << false;
        row("thumbprint SHA1") << store << QString() << u"Thumbprint="_s + ca.thumbprintSHA1()
                               << u"ca.pem"_s << false;
        row("thumbprint MD5 colons lower")
            << store << u"*"_s << u"Thumbprint="_s + ca.fingerprint() << u"ca.pem"_s << false;
        row("thumbprint SHA256 overrides subject")
            << store << u"Alice"_s << u"PersistPFXKey=true\nThumbprint="_s + ec.thumbprintSHA256()
            << u"ec.pem"_s << ecHasKey;
        row("thumbprint with CRLF") << store << QString()
                                    << u"UseInternalSecurityAPI=false\r\nthumbprint = "_s +
                                           alice.thumbprintMD5() + u"\r\n"_s
                                    << u"alice.pem"_s << true;
        row("thumbprint not in store")
            << store << QString()
            << u"Thumbprint="_s + SsmtpCertificate(path(u"v1.pem"_s)).thumbprintSHA1()
            << u"error:has the thumbprint"_s << false;
        row("thumbprint bad length") << store << QString() << u"Thumbprint=ABCD"_s
                                     << u"error:is not an MD5, SHA-1 or SHA-256"_s << false;
        row("unknown setting") << store << u"*"_s << u"Thumbprnt=00"_s
                               << u"error:Unknown certificate configuration setting \"Thumbprnt\""_s
                               << false;
    }
}

void tst_Certificate::subjectSelection()
{
    QFETCH(QString, store);
    QFETCH(QString, subject);
    QFETCH(QString, configuration);
    QFETCH(QString, expected);
    QFETCH(bool, hasKey);

    const auto type =
        store.endsWith(u".pfx"_s) ? SsmtpCertificate::PfxFile : SsmtpCertificate::PemKeyFile;
    const SsmtpCertificate c(type, path(store), Password, subject, configuration);
    if (expected.startsWith(u"error:"_s)) {
        QVERIFY(c.isNull());
        QVERIFY2(c.errorString().contains(expected.mid(6)), qPrintable(c.errorString()));
        QVERIFY(c.subject().isEmpty());
        return;
    }
    QVERIFY2(!c.isNull(), qPrintable(c.errorString()));
    const SsmtpCertificate reference(path(expected));
    QCOMPARE(c.subject(), reference.subject());
    QCOMPARE(c.toDer(), reference.toDer());
    QCOMPARE(c.privateKeyAvailable(), hasKey);
    if (hasKey) {
        QCOMPARE(
            X509_check_private_key(ssmtp::certificate::x509(c), ssmtp::certificate::privateKey(c)),
            1);
    }
}

void tst_Certificate::keyPairing()
{
    // Two keys and three certificates in one PEM file: each certificate gets its own key.
    const SsmtpCertificate ec(SsmtpCertificate::PemKeyFile, path(u"two-keys.pem"_s), QString(),
                              u"EC Test"_s);
    QVERIFY2(!ec.isNull(), qPrintable(ec.errorString()));
    QVERIFY(ec.privateKeyAvailable());
    QCOMPARE(ec.publicKeyAlgorithm(), u"EC"_s);
    QByteArray ecKey;
    QVERIFY(openssl({u"pkey"_s, u"-in"_s, u"ec.key"_s}, &ecKey));
    QCOMPARE(ec.privateKey(), QString::fromLatin1(ecKey));
    QVERIFY(ssmtp::certificate::chain(ec));
    QCOMPARE(sk_X509_num(ssmtp::certificate::chain(ec)), 0); // self-signed

    const SsmtpCertificate alice(SsmtpCertificate::PemKeyFile, path(u"two-keys.pem"_s), QString(),
                                 u"Alice"_s);
    QVERIFY(alice.privateKeyAvailable());
    QCOMPARE(alice.publicKeyAlgorithm(), u"RSA"_s);
    QCOMPARE(alice.sslChain().size(), 1);
    QVERIFY(alice != ec);

    const SsmtpCertificate ca(SsmtpCertificate::PemKeyFile, path(u"two-keys.pem"_s), QString(),
                              u"Ssmtp Test CA"_s);
    QVERIFY(!ca.isNull());
    QVERIFY(!ca.privateKeyAvailable());
}

void tst_Certificate::encodedConstructor()
{
    const QByteArray aliceDer = readFile(u"alice.der"_s);
    // The key of the given certificate is searched in the store.
    const SsmtpCertificate fromPfx(SsmtpCertificate::PfxFile, path(u"alice.pfx"_s), Password,
                                   aliceDer);
    QVERIFY2(!fromPfx.isNull(), qPrintable(fromPfx.errorString()));
    QVERIFY(fromPfx.privateKeyAvailable());
    QCOMPARE(fromPfx.subject(), SsmtpCertificate(path(u"alice.pem"_s)).subject());
    QCOMPARE(fromPfx.sslChain().size(), 1);
    QCOMPARE(fromPfx,
             SsmtpCertificate(SsmtpCertificate::PfxFile, path(u"alice.pfx"_s), Password, u"*"_s));

    // PEM and base64 encodings too, and the blob overload.
    const SsmtpCertificate fromPem =
        SsmtpCertificate::loadForEncoded(SsmtpCertificate::PemKeyBlob, readFile(u"two-keys.pem"_s),
                                         QString(), readFile(u"ec.pem"_s));
    QVERIFY(fromPem.privateKeyAvailable());
    QCOMPARE(fromPem.publicKeyAlgorithm(), u"EC"_s);
    const SsmtpCertificate fromBase64(SsmtpCertificate::PfxBlob, readFile(u"alice.pfx"_s), Password,
                                      aliceDer.toBase64());
    QCOMPARE(fromBase64, fromPfx);

    // A certificate whose key is not in the store: loaded, without key, no error.
    const SsmtpCertificate noKey(SsmtpCertificate::PfxFile, path(u"alice.pfx"_s), Password,
                                 readFile(u"ec.pem"_s));
    QVERIFY(!noKey.isNull());
    QVERIFY(!noKey.privateKeyAvailable());
    QVERIFY(noKey.errorString().isEmpty());
    QCOMPARE(noKey.subject(), u"CN=EC Test, O=Example Org"_s);

    // Store errors and invalid certificate data give a null certificate.
    QString error;
    const SsmtpCertificate wrong = SsmtpCertificate::loadForEncoded(
        SsmtpCertificate::PfxFile, QFile::encodeName(path(u"alice.pfx"_s)), u"wrong"_s, aliceDer,
        &error);
    QVERIFY(wrong.isNull());
    QVERIFY2(error.startsWith(u"Wrong password"_s), qPrintable(error));
    const SsmtpCertificate invalid(SsmtpCertificate::PfxFile, path(u"alice.pfx"_s), Password,
                                   QByteArray("not a certificate"));
    QVERIFY(invalid.isNull());
    QCOMPARE(invalid.errorString(),
             u"The certificate data is not a valid PEM, DER or base64 certificate."_s);
}

void tst_Certificate::setters()
{
    // The spec's way: store settings first, then the subject starts the search.
    SsmtpCertificate c;
    c.setStoreType(SsmtpCertificate::PfxFile);
    c.setStore(path(u"multi.pfx"_s));
    c.setStorePassword(Password);
    QVERIFY(c.isNull());
    QCOMPARE(c.store(), path(u"multi.pfx"_s));
    c.setSubject(u"EC Test"_s);
    QVERIFY2(!c.isNull(), qPrintable(c.errorString()));
    QCOMPARE(c.subject(), u"CN=EC Test, O=Example Org"_s);

    // No match: no certificate, subject empty, the reason in errorString.
    c.setSubject(u"Nobody"_s);
    QVERIFY(c.isNull());
    QVERIFY(c.subject().isEmpty());
    QVERIFY(c.errorString().contains(u"Nobody"_s));
    QCOMPARE(c.storeType(), SsmtpCertificate::PfxFile);

    // Setting encoded searches the store for the key.
    c.setEncoded(QString::fromLatin1(readFile(u"alice.pem"_s)));
    QVERIFY(!c.isNull());
    QVERIFY(c.errorString().isEmpty());
    QVERIFY(c.privateKeyAvailable());
    const QString encoded = c.encoded();
    QCOMPARE(encoded, SsmtpCertificate(path(u"alice.pem"_s)).encoded());

    // Without a usable store (the default User/"MY"), encoded is just the certificate.
    SsmtpCertificate plain;
    plain.setEncoded(encoded);
    QVERIFY(!plain.isNull());
    QVERIFY(!plain.privateKeyAvailable());
    QVERIFY(plain.errorString().isEmpty());
    QCOMPARE(plain.toDer(), c.toDer());
    QVERIFY(plain != c); // c has the private key
    plain.setEncoded(QByteArray("garbage"));
    QVERIFY(plain.isNull());
    QVERIFY(!plain.errorString().isEmpty());

    // Blob store through storeBlob.
    SsmtpCertificate blob;
    blob.setStoreType(SsmtpCertificate::PfxBlob);
    blob.setStoreBlob(readFile(u"alice-legacy.pfx"_s));
    blob.setStorePassword(Password);
    blob.setSubject(u"*"_s);
    QVERIFY2(blob.privateKeyAvailable(), qPrintable(blob.errorString()));
    QCOMPARE(blob, c);

    // Default store type User: selecting fails with a clear error.
    SsmtpCertificate user;
    user.setSubject(u"Alice"_s);
    QVERIFY(user.isNull());
    QCOMPARE(user.errorString(),
             u"The certificate store type User is not supported on this platform."_s);
}

void tst_Certificate::implicitSharing()
{
    const SsmtpCertificate original(SsmtpCertificate::PfxFile, path(u"alice.pfx"_s), Password,
                                    u"*"_s);
    QVERIFY(!original.isNull());
    SsmtpCertificate copy = original;
    QCOMPARE(copy, original);
    QCOMPARE(ssmtp::certificate::x509(copy), ssmtp::certificate::x509(original));
    QCOMPARE(ssmtp::certificate::privateKey(copy), ssmtp::certificate::privateKey(original));

    // Writing to the copy detaches: the original keeps its settings; the OpenSSL objects
    // are shared by reference.
    copy.setStorePassword(u"other"_s);
    QCOMPARE(original.storePassword(), Password);
    QCOMPARE(copy.storePassword(), u"other"_s);
    QCOMPARE(copy, original);
    QCOMPARE(ssmtp::certificate::x509(copy), ssmtp::certificate::x509(original));
    copy.setSubject(u"Nobody"_s);
    QVERIFY(copy.isNull());
    QVERIFY(!original.isNull());
    QVERIFY(copy != original);

    // A copy outlives the original (the references keep the objects alive).
    auto *heap =
        new SsmtpCertificate(SsmtpCertificate::PfxFile, path(u"alice.pfx"_s), Password, u"*"_s);
    const SsmtpCertificate survivor = *heap;
    const QString subject = heap->subject();
    delete heap;
    QCOMPARE(survivor.subject(), subject);
    QVERIFY(survivor.privateKeyAvailable());
    QVERIFY(!survivor.privateKey().isEmpty());
    QCOMPARE(survivor.sslChain().size(), 1);

    SsmtpCertificate assigned;
    assigned = survivor;
    QCOMPARE(assigned, survivor);
    assigned = SsmtpCertificate();
    QVERIFY(assigned.isNull());
    SsmtpCertificate swapped;
    swapped.swap(assigned);
    QVERIFY(swapped.isNull());
}

void tst_Certificate::equality()
{
    const SsmtpCertificate pem(path(u"alice.pem"_s));
    const SsmtpCertificate der(path(u"alice.der"_s));
    const SsmtpCertificate pfx(SsmtpCertificate::PfxFile, path(u"alice.pfx"_s), Password, u"*"_s);
    const SsmtpCertificate bundle(SsmtpCertificate::PemKeyFile, path(u"alice-bundle.pem"_s),
                                  QString(), u"*"_s);
    const SsmtpCertificate ec(path(u"ec.pem"_s));
    QCOMPARE(pem, der);    // same certificate, no key
    QCOMPARE(pfx, bundle); // same certificate, same key
    QVERIFY(pem != pfx);   // key differs
    QVERIFY(pem != ec);
    QVERIFY(pem != SsmtpCertificate());
    QVERIFY(!(pem == SsmtpCertificate()));
}

void tst_Certificate::handles()
{
    const SsmtpCertificate c(SsmtpCertificate::PfxFile, path(u"alice.pfx"_s), Password, u"*"_s);
    X509 *x509 = ssmtp::certificate::x509(c);
    EVP_PKEY *key = ssmtp::certificate::privateKey(c);
    STACK_OF(X509) *chain = ssmtp::certificate::chain(c);
    QVERIFY(x509);
    QVERIFY(key);
    QVERIFY(chain);
    QCOMPARE(sk_X509_num(chain), 1);
    QCOMPARE(X509_check_issued(sk_X509_value(chain, 0), x509), X509_V_OK);
    QCOMPARE(ssmtp::certificate::publicKey(c), X509_get0_pubkey(x509));

    // fromX509 takes its own references.
    const SsmtpCertificate wrapped = ssmtp::certificate::fromX509(x509, key, chain);
    QCOMPARE(wrapped, c);
    QCOMPARE(ssmtp::certificate::x509(wrapped), x509);
    QCOMPARE(wrapped.sslChain(), c.sslChain());
    X509 *own = X509_dup(x509);
    SsmtpCertificate fromOwn = ssmtp::certificate::fromX509(own);
    X509_free(own); // the certificate keeps its own reference
    QCOMPARE(fromOwn.subject(), c.subject());
    QVERIFY(!fromOwn.privateKeyAvailable());
    QVERIFY(ssmtp::certificate::chain(fromOwn));
    QCOMPARE(sk_X509_num(ssmtp::certificate::chain(fromOwn)), 0);
    QVERIFY(ssmtp::certificate::fromX509(nullptr).isNull());
    const SsmtpCertificate keyOnly = ssmtp::certificate::fromX509(nullptr, key);
    QVERIFY(!keyOnly.isNull());
    QVERIFY(keyOnly.privateKeyAvailable());
}

void tst_Certificate::legacyProviderStaysPrivate()
{
    const SsmtpCertificate c(SsmtpCertificate::PfxFile, path(u"alice-legacy.pfx"_s), Password,
                             u"*"_s);
    QVERIFY2(c.privateKeyAvailable(), qPrintable(c.errorString()));
    // The legacy provider was loaded into our own library context only: the application's
    // default context still has no RC2.
    EVP_CIPHER *rc2 = EVP_CIPHER_fetch(nullptr, "RC2-40-CBC", nullptr);
    QVERIFY(!rc2);
    EVP_CIPHER_free(rc2);
    ERR_clear_error();
    // The key works in the default context (it was re-imported there).
    EVP_PKEY_CTX *ctx =
        EVP_PKEY_CTX_new_from_pkey(nullptr, ssmtp::certificate::privateKey(c), nullptr);
    QVERIFY(ctx);
    QCOMPARE(EVP_PKEY_sign_init(ctx), 1);
    EVP_PKEY_CTX_free(ctx);
}

void tst_Certificate::qtNetworkViews()
{
    const SsmtpCertificate rsa(SsmtpCertificate::PfxFile, path(u"alice.pfx"_s), Password, u"*"_s);
    const QSslCertificate certificate = rsa.toSslCertificate();
    QCOMPARE(certificate.toDer(), rsa.toDer());
    QCOMPARE(certificate.subjectInfo(QSslCertificate::CommonName), QStringList{u"Alice Example"_s});
    QCOMPARE(rsa.sslChain().size(), 1);
    QCOMPARE(rsa.sslChain().constFirst().subjectInfo(QSslCertificate::CommonName),
             QStringList{u"Ssmtp Test CA"_s});
    if (!QSslSocket::supportsSsl())
        QSKIP("No TLS backend: QSslKey cannot be checked.");
    const QSslKey key = rsa.toSslKey();
    QVERIFY(!key.isNull());
    QCOMPARE(key.algorithm(), QSsl::Rsa);
    QCOMPARE(key.length(), 2048);
    QCOMPARE(key.type(), QSsl::PrivateKey);
    const SsmtpCertificate ec(SsmtpCertificate::PemKeyFile, path(u"two-keys.pem"_s), QString(),
                              u"EC Test"_s);
    const QSslKey ecKey = ec.toSslKey();
    QVERIFY(!ecKey.isNull());
    QCOMPARE(ecKey.algorithm(), QSsl::Ec);
    QVERIFY(SsmtpCertificate(path(u"alice.pem"_s)).toSslKey().isNull());
    ERR_clear_error(); // Qt's backend may leave its own entries
}

void tst_Certificate::gadgetProperties()
{
    const SsmtpCertificate c(SsmtpCertificate::PfxFile, path(u"alice.pfx"_s), Password, u"*"_s);
    const QMetaObject &mo = SsmtpCertificate::staticMetaObject;
    const QStringList readOnly{u"effectiveDate"_s,
                               u"expirationDate"_s,
                               u"effectiveDateTime"_s,
                               u"expirationDateTime"_s,
                               u"extendedKeyUsage"_s,
                               u"fingerprint"_s,
                               u"fingerprintSHA1"_s,
                               u"fingerprintSHA256"_s,
                               u"issuer"_s,
                               u"privateKey"_s,
                               u"privateKeyAvailable"_s,
                               u"publicKey"_s,
                               u"publicKeyAlgorithm"_s,
                               u"publicKeyLength"_s,
                               u"serialNumber"_s,
                               u"signatureAlgorithm"_s,
                               u"subjectAltNames"_s,
                               u"thumbprintMD5"_s,
                               u"thumbprintSHA1"_s,
                               u"thumbprintSHA256"_s,
                               u"usage"_s,
                               u"usageFlags"_s,
                               u"version"_s,
                               u"null"_s,
                               u"errorString"_s};
    const QStringList writable{u"encoded"_s,       u"store"_s,     u"storeBlob"_s,
                               u"storePassword"_s, u"storeType"_s, u"subject"_s};
    QCOMPARE(mo.propertyCount(), int(readOnly.size() + writable.size()));
    for (int i = 0; i < mo.propertyCount(); ++i) {
        const QMetaProperty property = mo.property(i);
        const QString name = QString::fromLatin1(property.name());
        QVERIFY2(readOnly.contains(name) || writable.contains(name), qPrintable(name));
        QCOMPARE(property.isWritable(), writable.contains(name));
        QVERIFY(property.readOnGadget(&c).isValid());
    }
    QCOMPARE(mo.property(mo.indexOfProperty("subject")).readOnGadget(&c).toString(), c.subject());
    QCOMPARE(mo.property(mo.indexOfProperty("usageFlags")).readOnGadget(&c).toInt(), 0xE0);
    QCOMPARE(mo.property(mo.indexOfProperty("privateKeyAvailable")).readOnGadget(&c).toBool(),
             true);
    QCOMPARE(mo.property(mo.indexOfProperty("storeType")).readOnGadget(&c).toInt(),
             int(SsmtpCertificate::PfxFile));

    SsmtpCertificate written;
    QVERIFY(mo.property(mo.indexOfProperty("storeType"))
                .writeOnGadget(&written, QVariant::fromValue(SsmtpCertificate::PemKeyFile)));
    QVERIFY(
        mo.property(mo.indexOfProperty("store")).writeOnGadget(&written, path(u"two-keys.pem"_s)));
    QVERIFY(mo.property(mo.indexOfProperty("subject")).writeOnGadget(&written, u"EC Test"_s));
    QCOMPARE(written.subject(), u"CN=EC Test, O=Example Org"_s);

    // The spec's numeric values.
    const QMetaEnum types = QMetaEnum::fromType<SsmtpCertificate::StoreType>();
    QCOMPARE(types.keyCount(), 24);
    QCOMPARE(types.keyToValue("User"), 0);
    QCOMPARE(types.keyToValue("PfxFile"), 2);
    QCOMPARE(types.keyToValue("PemKeyBlob"), 7);
    QCOMPARE(types.keyToValue("P7bFile"), 11);
    QCOMPARE(types.keyToValue("SshPublicKeyFile"), 13);
    QCOMPARE(types.keyToValue("JwkBlob"), 19);
    QCOMPARE(types.keyToValue("BcfksFile"), 21);
    QCOMPARE(types.keyToValue("Pkcs11"), 23);
    QCOMPARE(types.keyToValue("Auto"), 99);
    QCOMPARE(int(SsmtpCertificate::DigitalSignature), 0x80);
    QCOMPARE(int(SsmtpCertificate::CrlSign), 0x02);
}

void tst_Certificate::debugOutput()
{
    QTest::ignoreMessage(QtDebugMsg, "SsmtpCertificate(null)");
    qDebug() << SsmtpCertificate();
    const SsmtpCertificate ec(path(u"ec.pem"_s));
    const QByteArray expected = "SsmtpCertificate(\"CN=EC Test, O=Example Org\", SHA1 \"" +
                                ec.thumbprintSHA1().toLatin1() + "\")";
    QTest::ignoreMessage(QtDebugMsg, expected.constData());
    qDebug() << ec;
}

QTEST_GUILESS_MAIN(tst_Certificate)
#include "tst_certificate.moc"
