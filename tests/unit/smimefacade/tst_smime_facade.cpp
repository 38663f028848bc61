// End-to-end tests of the S/MIME facade: Ssmtp::sign(), encrypt() and signAndEncrypt() with the
// S/MIME properties (certificate, includeCertificate, includeChain, signingAlgorithm,
// encryptingAlgorithm, recipientCertificates) and config settings (DetachedSignature, UsePSS,
// UseOAEP, EncryptToSelf). Every message is delivered through the in-process ssmtp-inbox server
// (demo-app/ssmtp-inbox) and the stored .eml is checked from the outside: `openssl cms` /
// `openssl smime` verify and decrypt it, Python's email package (/usr/bin/python3,
// policy=default) parses it. A CA, RSA, EC and chained certificates are made with the openssl
// command line tool at test time. SSMTP_KEEP_TEST_FILES=1 keeps the files for a look.
#include "inboxserver.h"
#include "ssmtp.h"
#include "ssmtpattachment.h"
#include "ssmtpcertificate.h"
#include "ssmtpheader.h"
#include "testfiles.h"
#include "testpki.h"

#include <QBuffer>
#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;

namespace {

constexpr int kDeliveryTimeout = 30000;

const QString kFixedDate = u"Sun, 22 Nov 2026 10:00:00 +0000"_s;

// A text body with what a signature must survive: non-ASCII characters, a line starting with
// "From ", a lone dot and a leading dot (SMTP transparency), trailing white space, a long line.
const QString kText = u"Grüße aus dem S/MIME-Test – ein Text mit Ümläuten.\n"
                      "From here on the lines are tricky:\n"
                      ".leading dot\n"
                      ".\n"
                      "trailing spaces   \n"
                      "tab at the end\t\n"
                      "a long line: "_s +
                      QString(120, u'x') + u"\nlast line"_s;

// A plain ASCII body: its canonical form is the unsigned entity, byte for byte.
const QString kAsciiText =
    u"The quick brown fox jumps over the lazy dog.\nSecond line of the message.\nlast line"_s;

struct Run
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
    QByteArray describe() const
    {
        return "exit " + QByteArray::number(exitCode) + "\nstdout: " + out.left(4000) +
               "\nstderr: " + err.left(4000);
    }
};

// Parses a MIME file (argv[1]) with policy=default and reports every leaf part, decoded, and
// every defect of every part and header.
const char kPythonReport[] = R"PY(
import email, email.policy, hashlib, json, sys
data = open(sys.argv[1], 'rb').read()
msg = email.message_from_bytes(data, policy=email.policy.default)
defects = []
parts = []
def walk(part, path):
    global defects
    defects += [type(d).__name__ for d in part.defects]
    for name, value in part.items():
        defects += ['%s: %s' % (name, type(d).__name__) for d in getattr(value, 'defects', ())]
    entry = {'path': path, 'type': part.get_content_type()}
    if part.is_multipart():
        for i, sub in enumerate(part.iter_parts()):
            walk(sub, path + [i])
        entry['multipart'] = True
    else:
        payload = part.get_payload(decode=True) or b''
        entry['multipart'] = False
        entry['sha256'] = hashlib.sha256(payload).hexdigest()
        entry['size'] = len(payload)
        entry['filename'] = part.get_filename() or ''
        entry['disposition'] = part.get_content_disposition() or ''
        entry['cid'] = str(part.get('Content-ID', ''))
        entry['cte'] = str(part.get('Content-Transfer-Encoding', ''))
        entry['charset'] = part.get_content_charset('us-ascii')
        if part.get_content_maintype() == 'text':
            entry['text'] = part.get_content().replace('\r\n', '\n')
    parts.append(entry)
walk(msg, [])
out = {
    'defects': defects,
    'type': msg.get_content_type(),
    'protocol': msg.get_param('protocol') or '',
    'micalg': msg.get_param('micalg') or '',
    'smimeType': msg.get_param('smime-type') or '',
    'parts': parts,
    'sevenBit': all(b < 128 for b in data),
    'bareLf': data.replace(b'\r\n', b'').count(b'\n'),
    'longestLine': max(len(l) for l in data.split(b'\r\n')),
}
print(json.dumps(out))
)PY";

QByteArray sha256Hex(const QByteArray &data)
{
    return QCryptographicHash::hash(data, QCryptographicHash::Sha256).toHex();
}

QByteArray randomBytes(qsizetype size, quint32 seed)
{
    QByteArray out(size, Qt::Uninitialized);
    QRandomGenerator generator(seed);
    for (qsizetype i = 0; i < size; ++i)
        out[i] = static_cast<char>(generator.bounded(256));
    return out;
}

QString withoutTrailingNewlines(QString text)
{
    while (text.endsWith(u'\n') || text.endsWith(u'\r'))
        text.chop(1);
    return text;
}

// The value of the first header field named `field` in the list (case-insensitive).
QString headerValue(const QList<SsmtpHeader> &headers, const QString &field)
{
    for (const SsmtpHeader &h : headers) {
        if (h.field().compare(field, Qt::CaseInsensitive) == 0)
            return h.value();
    }
    return QString();
}

QString headerDump(const QList<SsmtpHeader> &headers)
{
    QStringList lines;
    for (const SsmtpHeader &h : headers)
        lines << h.field() + u": "_s + h.value();
    return lines.join(u'\n');
}

// Leaf part of a Python report by a predicate.
template<typename Pred> QJsonObject findPart(const QJsonObject &report, Pred pred)
{
    const QJsonArray parts = report.value(u"parts"_s).toArray();
    for (const QJsonValue &v : parts) {
        const QJsonObject part = v.toObject();
        if (pred(part))
            return part;
    }
    return QJsonObject();
}

} // namespace

class tst_SmimeFacade : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();

    // Properties and headers.
    void defaults();
    void signingAlgorithmReadsBackOid_data();
    void signingAlgorithmReadsBackOid();
    void addRecipientCertFormats();
    void headersAfterSign();
    void headersAfterEncrypt();
    void changingContentDropsSmimeHeaders();
    void mimeVersionWithUserHeader();
    void resetClearsSmimeAndAttachments();
    void streamAfterEncryptRefused();

    // Round trips through the inbox and openssl.
    void signTextOnly_data();
    void signTextOnly();
    void signAsciiIsOriginalEntity();
    void encryptTextOnly();
    void signAndEncryptTextOnly();
    void signThenEncryptInTwoSteps();
    void richMessageSignedAndEncrypted();
    void signingAlgorithms_data();
    void signingAlgorithms();
    void encryptingAlgorithms_data();
    void encryptingAlgorithms();
    void opaqueSignature();
    void usePss();
    void useOaep();
    void encryptToSelf();
    void withoutIncludedCertificate();
    void includeChain();
    void ecSignerAndRecipient();
    void tamperedSignedMessage_data();
    void tamperedSignedMessage();
    void commandLineSignAndEncrypt();
    void commandLineEncryptBodyFile();

    // Failures leave the message alone.
    void signWithoutCertificate();
    void signWithoutPrivateKey();
    void encryptWithoutRecipients();
    void unknownAlgorithms_data();
    void unknownAlgorithms();
    void badRecipientCertificate();
    void missingAttachmentFile();
    void smimeWithStreamOrRawMessage_data();
    void smimeWithStreamOrRawMessage();

private:
    Run openssl(const QStringList &arguments);
    bool writeFile(const QString &name, const QByteArray &data);
    QByteArray readFile(const QString &name) const;
    QString path(const QString &name) const { return m_dir.filePath(name); }
    QJsonObject pythonReport(const QString &file, QString *why);

    // A message with fixed headers and `text` as its body.
    void setUpMessage(Ssmtp &smtp, const QString &text = kText) const;
    SsmtpCertificate signer(const QString &name = u"rsa_signer"_s) const
    {
        return m_signers.value(name);
    }
    // Sends through the inbox (BDAT, or DATA with `data`); the stored octets in *eml.
    bool deliver(Ssmtp &smtp, QByteArray *eml, QString *why, bool data = false);
    // openssl cms/smime -verify -CAfile root.pem of file; the content in run.out.
    Run verify(const QString &tool, const QString &file, const QStringList &extra = {});
    // openssl cms -decrypt of file for recipient (recipient.pem/.key); the content in run.out.
    Run decrypt(const QString &file, const QString &recipient);
    Run cmsPrint(const QString &file);
    // The same message unsigned, as the inbox stored it.
    bool unsignedMessage(const QString &text, QByteArray *eml, QString *why);
    // The MIME entity of the message with `text` that sign() and encrypt() protect: the first
    // body part of a clear-signed copy, byte for byte (signTextOnly and
    // signAsciiIsOriginalEntity check it against the unsigned message).
    bool originalEntity(const QString &text, QByteArray *entity, QString *why);

    QTemporaryDir m_dir;
    QString m_openssl;
    QString m_python;
    std::unique_ptr<InboxServer> m_bdatServer;
    std::unique_ptr<InboxServer> m_dataServer;
    QList<InboxMessage> m_received;
    QHash<QString, SsmtpCertificate> m_signers;
};

// ---- helpers --------------------------------------------------------------------------------

Run tst_SmimeFacade::openssl(const QStringList &arguments)
{
    QProcess process;
    process.setWorkingDirectory(m_dir.path());
    process.start(m_openssl, arguments);
    Run run;
    if (!process.waitForFinished(60000)) {
        process.kill();
        process.waitForFinished();
        run.err = "openssl did not finish: " + arguments.join(u' ').toUtf8();
        return run;
    }
    run.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    run.out = process.readAllStandardOutput();
    run.err = process.readAllStandardError();
    return run;
}

bool tst_SmimeFacade::writeFile(const QString &name, const QByteArray &data)
{
    return testfiles::writeFile(path(name), data);
}

QByteArray tst_SmimeFacade::readFile(const QString &name) const
{
    return testfiles::readFile(path(name));
}

QJsonObject tst_SmimeFacade::pythonReport(const QString &file, QString *why)
{
    QProcess process;
    process.start(m_python, {path(u"report.py"_s), path(file)});
    if (!process.waitForFinished(60000) || process.exitStatus() != QProcess::NormalExit ||
        process.exitCode() != 0) {
        *why = QString::fromUtf8(process.readAllStandardError());
        return QJsonObject();
    }
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(process.readAllStandardOutput(), &error);
    if (!doc.isObject())
        *why = error.errorString();
    return doc.object();
}

void tst_SmimeFacade::setUpMessage(Ssmtp &smtp, const QString &text) const
{
    smtp.setFrom(u"RSA Signer <signer@example.com>"_s);
    smtp.setSendTo(u"RSA Recipient <recipient@example.com>"_s);
    smtp.setSubject(u"S/MIME über den Fassadentest"_s);
    smtp.setMessageDate(kFixedDate);
    smtp.setMessageId(u"<smime-facade@example.com>"_s);
    smtp.config(u"Hello=client.test"_s);
    smtp.setMessageText(text);
}

bool tst_SmimeFacade::deliver(Ssmtp &smtp, QByteArray *eml, QString *why, bool data)
{
    InboxServer *server = data ? m_dataServer.get() : m_bdatServer.get();
    smtp.setMailServer(u"127.0.0.1"_s);
    smtp.setMailPort(server->serverPort());
    smtp.setTimeout(30);
    QSignalSpy sent(&smtp, &Ssmtp::messageSent);
    QSignalSpy errors(&smtp, &Ssmtp::errorOccurred);
    const qsizetype before = m_received.size();
    smtp.send();
    if (!QTest::qWaitFor([&] { return sent.count() + errors.count() > 0 && smtp.isIdle(); },
                         kDeliveryTimeout)) {
        *why = u"the send did not end in time"_s;
        return false;
    }
    if (!errors.isEmpty()) {
        *why = u"send failed: %1 %2"_s.arg(errors.first().at(0).toInt())
                   .arg(errors.first().at(1).toString());
        return false;
    }
    if (m_received.size() != before + 1) {
        *why = u"the inbox stored %1 messages, expected one"_s.arg(m_received.size() - before);
        return false;
    }
    const InboxMessage &message = m_received.last();
    QFile file(message.emlPath);
    if (!file.open(QIODevice::ReadOnly)) {
        *why = u"cannot read %1"_s.arg(message.emlPath);
        return false;
    }
    *eml = file.readAll();
    if (*eml != message.data) {
        *why = u"the stored .eml differs from the received octets"_s;
        return false;
    }
    return true;
}

Run tst_SmimeFacade::verify(const QString &tool, const QString &file, const QStringList &extra)
{
    const QString out = file + u".verified"_s;
    QFile::remove(path(out));
    Run run = openssl(QStringList{tool, u"-verify"_s, u"-CAfile"_s, u"root.pem"_s, u"-in"_s, file,
                                  u"-out"_s, out} +
                      extra);
    run.out = readFile(out);
    return run;
}

Run tst_SmimeFacade::decrypt(const QString &file, const QString &recipient)
{
    const QString out = file + u".decrypted"_s;
    QFile::remove(path(out));
    // DES and RC2 live in OpenSSL 3's legacy provider.
    Run run = openssl({u"cms"_s, u"-decrypt"_s, u"-provider"_s, u"legacy"_s, u"-provider"_s,
                       u"default"_s, u"-in"_s, file, u"-recip"_s, recipient + u".pem"_s,
                       u"-inkey"_s, recipient + u".key"_s, u"-out"_s, out});
    run.out = readFile(out);
    return run;
}

Run tst_SmimeFacade::cmsPrint(const QString &file)
{
    return openssl({u"cms"_s, u"-cmsout"_s, u"-print"_s, u"-noout"_s, u"-provider"_s, u"legacy"_s,
                    u"-provider"_s, u"default"_s, u"-in"_s, file});
}

bool tst_SmimeFacade::unsignedMessage(const QString &text, QByteArray *eml, QString *why)
{
    Ssmtp plain;
    setUpMessage(plain, text);
    return deliver(plain, eml, why);
}

bool tst_SmimeFacade::originalEntity(const QString &text, QByteArray *entity, QString *why)
{
    Ssmtp smtp;
    setUpMessage(smtp, text);
    smtp.setCertificate(signer());
    if (!smtp.sign()) {
        *why = smtp.errorString();
        return false;
    }
    const QString contentType = headerValue(smtp.messageHeaders(), u"Content-Type"_s);
    const QRegularExpressionMatch match =
        QRegularExpression(u"boundary=\"?([^\";]+)"_s).match(contentType);
    if (!match.hasMatch()) {
        *why = u"no boundary in "_s + contentType;
        return false;
    }
    const QByteArray body = smtp.messageText().toLatin1();
    const QByteArray delimiter = "--" + match.captured(1).toLatin1();
    const qsizetype start = body.indexOf(QByteArray(delimiter + "\r\n"));
    const qsizetype end = body.indexOf(QByteArray("\r\n" + delimiter), start + 1);
    if (start < 0 || end < 0) {
        *why = u"no first body part in the signed message"_s;
        return false;
    }
    const qsizetype from = start + delimiter.size() + 2;
    *entity = body.mid(from, end - from);
    return true;
}

// ---- set-up ---------------------------------------------------------------------------------

void tst_SmimeFacade::initTestCase()
{
    qRegisterMetaType<Ssmtp::Error>();
    QVERIFY(m_dir.isValid());
    if (qEnvironmentVariableIntValue("SSMTP_KEEP_TEST_FILES")) {
        m_dir.setAutoRemove(false);
        qInfo("test files in %s", qPrintable(m_dir.path()));
    }
    m_openssl = QStandardPaths::findExecutable(u"openssl"_s);
    QVERIFY2(!m_openssl.isEmpty(), "the openssl command line tool is needed");
    m_python = u"/usr/bin/python3"_s;
    if (!QFile::exists(m_python))
        m_python = QStandardPaths::findExecutable(u"python3"_s);
    QVERIFY2(!m_python.isEmpty(), "python3 is needed for the structure checks");
    QVERIFY(writeFile(u"report.py"_s, kPythonReport));

    QVERIFY(writeFile(u"ext.cnf"_s, TestPki::smimeExtensions()));

    struct Cert
    {
        QString name, subject, issuer;
        bool ec;
    };
    const Cert certs[] = {
        {u"root"_s, u"/CN=Ssmtp Facade Test Root CA"_s, QString(), false},
        {u"intermediate"_s, u"/CN=Ssmtp Facade Test Intermediate CA"_s, u"root"_s, false},
        {u"rsa_signer"_s, u"/CN=RSA Signer/emailAddress=signer@example.com"_s, u"root"_s, false},
        {u"rsa_recipient"_s, u"/CN=RSA Recipient/emailAddress=recipient@example.com"_s, u"root"_s,
         false},
        {u"ec_signer"_s, u"/CN=EC Signer/emailAddress=ecsigner@example.com"_s, u"root"_s, true},
        {u"ec_recipient"_s, u"/CN=EC Recipient/emailAddress=ecrecipient@example.com"_s, u"root"_s,
         true},
        {u"chained_signer"_s, u"/CN=Chained Signer/emailAddress=chained@example.com"_s,
         u"intermediate"_s, false},
    };
    TestPki pki(m_dir.path(), m_openssl);
    for (const Cert &c : certs) {
        QString why;
        QVERIFY2(pki.create(c.name, c.subject, c.ec ? TestPki::Ec : TestPki::Rsa, c.issuer,
                            c.issuer.isEmpty() ? u"ca"_s : c.name, &why),
                 qPrintable(why));
    }

    // The RSA signer as a password-protected PKCS #12 blob, the chained signer as PKCS #12
    // with its chain, the EC signer as PEM certificate + key (StoreType Auto).
    Run run = openssl({u"pkcs12"_s, u"-export"_s, u"-in"_s, u"rsa_signer.pem"_s, u"-inkey"_s,
                       u"rsa_signer.key"_s, u"-out"_s, u"rsa_signer.p12"_s, u"-passout"_s,
                       u"pass:s3cret"_s, u"-name"_s, u"RSA Signer"_s});
    QVERIFY2(run.exitCode == 0, run.describe().constData());
    QVERIFY(
        writeFile(u"ca_chain.pem"_s, readFile(u"intermediate.pem"_s) + readFile(u"root.pem"_s)));
    run = openssl({u"pkcs12"_s, u"-export"_s, u"-in"_s, u"chained_signer.pem"_s, u"-inkey"_s,
                   u"chained_signer.key"_s, u"-certfile"_s, u"ca_chain.pem"_s, u"-out"_s,
                   u"chained_signer.p12"_s, u"-passout"_s, u"pass:chain"_s});
    QVERIFY2(run.exitCode == 0, run.describe().constData());

    QString error;
    SsmtpCertificate rsa =
        SsmtpCertificate::load(SsmtpCertificate::PfxBlob, readFile(u"rsa_signer.p12"_s),
                               u"s3cret"_s, u"*"_s, QString(), &error);
    QVERIFY2(!rsa.isNull() && rsa.privateKeyAvailable(), qPrintable(error));
    m_signers.insert(u"rsa_signer"_s, rsa);
    SsmtpCertificate ec = SsmtpCertificate::load(
        SsmtpCertificate::Auto, readFile(u"ec_signer.pem"_s) + readFile(u"ec_signer.key"_s),
        QString(), u"*"_s, QString(), &error);
    QVERIFY2(!ec.isNull() && ec.privateKeyAvailable(), qPrintable(error));
    m_signers.insert(u"ec_signer"_s, ec);
    SsmtpCertificate chained =
        SsmtpCertificate::load(SsmtpCertificate::PfxBlob, readFile(u"chained_signer.p12"_s),
                               u"chain"_s, u"*"_s, QString(), &error);
    QVERIFY2(!chained.isNull() && chained.privateKeyAvailable(), qPrintable(error));
    m_signers.insert(u"chained_signer"_s, chained);
    // The RSA recipient with its key (PemKeyBlob): a signer for EncryptToSelf checks.
    SsmtpCertificate recipient =
        SsmtpCertificate::load(SsmtpCertificate::PemKeyBlob,
                               readFile(u"rsa_recipient.pem"_s) + readFile(u"rsa_recipient.key"_s),
                               QString(), u"*"_s, QString(), &error);
    QVERIFY2(!recipient.isNull() && recipient.privateKeyAvailable(), qPrintable(error));
    m_signers.insert(u"rsa_recipient"_s, recipient);
    QVERIFY(rsa.subject().contains(u"RSA Signer"_s));
    QVERIFY(chained.subject().contains(u"Chained Signer"_s));

    // Two inboxes: BDAT (CHUNKING, the default) and DATA (dot-stuffing on the wire).
    for (const bool chunking : {true, false}) {
        InboxOptions options;
        options.directory = path(chunking ? u"inbox-bdat"_s : u"inbox-data"_s);
        options.chunking = chunking;
        auto server = std::make_unique<InboxServer>(options);
        QVERIFY2(server->listen(), qPrintable(server->errorString()));
        connect(server.get(), &InboxServer::messageReceived, this,
                [this](const InboxMessage &m) { m_received.append(m); });
        (chunking ? m_bdatServer : m_dataServer) = std::move(server);
    }
}

void tst_SmimeFacade::cleanupTestCase()
{
    m_bdatServer.reset();
    m_dataServer.reset();
}

// ---- properties and headers -----------------------------------------------------------------

void tst_SmimeFacade::defaults()
{
    Ssmtp smtp;
    QVERIFY(smtp.certificate().isNull());
    QVERIFY(smtp.includeCertificate());
    QVERIFY(!smtp.includeChain());
    QCOMPARE(smtp.encryptingAlgorithm(), u"AESCBC256"_s);
    // The default digest is sha-256, read back as its OID.
    QCOMPARE(smtp.signingAlgorithm(), u"2.16.840.1.101.3.4.2.1"_s);
    QVERIFY(smtp.recipientCertificates().isEmpty());
    QCOMPARE(smtp.config(u"DetachedSignature"_s).toLower(), u"true"_s);
    QCOMPARE(smtp.config(u"UsePSS"_s).toLower(), u"false"_s);
    QCOMPARE(smtp.config(u"UseOAEP"_s).toLower(), u"false"_s);
    QCOMPARE(smtp.config(u"EncryptToSelf"_s).toLower(), u"false"_s);
    QCOMPARE(smtp.error(), Ssmtp::NoError);
}

void tst_SmimeFacade::signingAlgorithmReadsBackOid_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("oid");
    QTest::newRow("sha-256") << u"sha-256"_s << u"2.16.840.1.101.3.4.2.1"_s;
    QTest::newRow("SHA256") << u"SHA256"_s << u"2.16.840.1.101.3.4.2.1"_s;
    QTest::newRow("sha1") << u"sha1"_s << u"1.3.14.3.2.26"_s;
    QTest::newRow("md5") << u"md5"_s << u"1.2.840.113549.2.5"_s;
    QTest::newRow("sha-384") << u"sha-384"_s << u"2.16.840.1.101.3.4.2.2"_s;
    QTest::newRow("sha-512") << u"sha-512"_s << u"2.16.840.1.101.3.4.2.3"_s;
    QTest::newRow("sha-224") << u"sha-224"_s << u"2.16.840.1.101.3.4.2.4"_s;
    QTest::newRow("oid") << u"2.16.840.1.101.3.4.2.3"_s << u"2.16.840.1.101.3.4.2.3"_s;
    QTest::newRow("unknown") << u"sha3-999"_s << QString();
}

void tst_SmimeFacade::signingAlgorithmReadsBackOid()
{
    QFETCH(QString, name);
    QFETCH(QString, oid);
    Ssmtp smtp;
    QSignalSpy changed(&smtp, &Ssmtp::signingAlgorithmChanged);
    smtp.setSigningAlgorithm(name);
    QCOMPARE(smtp.signingAlgorithm(), oid);
    if (name != u"sha-256"_s) { // sha-256 is the default: no change
        QCOMPARE(changed.count(), 1);
        QCOMPARE(changed.first().at(0).toString(), oid);
    }
}

void tst_SmimeFacade::addRecipientCertFormats()
{
    const QByteArray pem = readFile(u"rsa_recipient.pem"_s);
    const Run der = openssl({u"x509"_s, u"-in"_s, u"rsa_recipient.pem"_s, u"-outform"_s, u"DER"_s});
    QCOMPARE(der.exitCode, 0);
    QVERIFY(!der.out.isEmpty());

    Ssmtp smtp;
    QSignalSpy changed(&smtp, &Ssmtp::recipientCertificatesChanged);
    QVERIFY(smtp.addRecipientCert(pem));
    QVERIFY(smtp.addRecipientCert(der.out));
    QVERIFY(smtp.addRecipientCert(der.out.toBase64()));
    QCOMPARE(changed.count(), 3);
    const QList<SsmtpCertificate> certs = smtp.recipientCertificates();
    QCOMPARE(certs.size(), 3);
    for (const SsmtpCertificate &c : certs) {
        QVERIFY(c.subject().contains(u"RSA Recipient"_s));
        QCOMPARE(c.toDer(), der.out);
    }
    smtp.clearRecipientCerts();
    QVERIFY(smtp.recipientCertificates().isEmpty());
}

void tst_SmimeFacade::headersAfterSign()
{
    Ssmtp smtp;
    setUpMessage(smtp);
    smtp.setCertificate(signer());
    smtp.setSigningAlgorithm(u"sha-512"_s);
    QSignalSpy headersChanged(&smtp, &Ssmtp::messageHeadersChanged);
    QSignalSpy textChanged(&smtp, &Ssmtp::messageTextChanged);
    QVERIFY2(smtp.sign(), qPrintable(smtp.errorString()));
    QCOMPARE(smtp.error(), Ssmtp::NoError);
    QVERIFY(headersChanged.count() >= 1);
    QCOMPARE(textChanged.count(), 1);

    const QList<SsmtpHeader> headers = smtp.messageHeaders();
    const QString contentType = headerValue(headers, u"Content-Type"_s);
    QVERIFY2(contentType.startsWith(u"multipart/signed;"_s), qPrintable(headerDump(headers)));
    QVERIFY2(contentType.contains(u"protocol=\"application/pkcs7-signature\""_s),
             qPrintable(contentType));
    QVERIFY2(contentType.contains(u"micalg=sha-512"_s), qPrintable(contentType));
    const QRegularExpression boundary(u"boundary=\"?([^\";]+)"_s);
    const QRegularExpressionMatch match = boundary.match(contentType);
    QVERIFY2(match.hasMatch(), qPrintable(contentType));
    QCOMPARE(headerValue(headers, u"MIME-Version"_s), u"1.0"_s);
    // The From/To/Subject of the message stay.
    QCOMPARE(headerValue(headers, u"Date"_s), kFixedDate);
    QVERIFY(headerValue(headers, u"From"_s).contains(u"signer@example.com"_s));
    // messageText is the multipart body, 7-bit, with the boundary.
    const QString body = smtp.messageText();
    QVERIFY(body.contains(u"--"_s + match.captured(1) + u"--"_s));
    QVERIFY(body.contains(u"application/pkcs7-signature"_s));
    for (const QChar c : body)
        QVERIFY(c.unicode() < 128);
    // messageHeadersString says the same.
    QVERIFY(smtp.messageHeadersString().contains(u"multipart/signed"_s));
    // No HTML or attachments are left over.
    QVERIFY(smtp.messageHtml().isEmpty());
    QVERIFY(smtp.attachments().isEmpty());

    // The delivered message carries exactly that Content-Type.
    QByteArray eml;
    QString why;
    QVERIFY2(deliver(smtp, &eml, &why), qPrintable(why));
    QVERIFY(writeFile(u"headers-signed.eml"_s, eml));
    QString pyWhy;
    const QJsonObject report = pythonReport(u"headers-signed.eml"_s, &pyWhy);
    QVERIFY2(!report.isEmpty(), qPrintable(pyWhy));
    QCOMPARE(report.value(u"type"_s).toString(), u"multipart/signed"_s);
    QCOMPARE(report.value(u"protocol"_s).toString(), u"application/pkcs7-signature"_s);
    QCOMPARE(report.value(u"micalg"_s).toString(), u"sha-512"_s);
    QVERIFY2(report.value(u"defects"_s).toArray().isEmpty(),
             QJsonDocument(report.value(u"defects"_s).toArray()).toJson().constData());
    QVERIFY(report.value(u"sevenBit"_s).toBool());
    QCOMPARE(report.value(u"bareLf"_s).toInt(), 0);
    QVERIFY(eml.endsWith(QByteArray(smtp.messageText().toLatin1())));
}

void tst_SmimeFacade::headersAfterEncrypt()
{
    for (const bool gcm : {false, true}) {
        Ssmtp smtp;
        setUpMessage(smtp);
        QVERIFY(smtp.addRecipientCert(readFile(u"rsa_recipient.pem"_s)));
        if (gcm)
            smtp.setEncryptingAlgorithm(u"AESGCM"_s);
        QVERIFY2(smtp.encrypt(), qPrintable(smtp.errorString()));
        const QList<SsmtpHeader> headers = smtp.messageHeaders();
        const QString contentType = headerValue(headers, u"Content-Type"_s);
        QVERIFY2(contentType.startsWith(u"application/pkcs7-mime;"_s),
                 qPrintable(headerDump(headers)));
        QVERIFY2(contentType.contains(gcm ? u"smime-type=authEnveloped-data"_s
                                          : u"smime-type=enveloped-data"_s),
                 qPrintable(contentType));
        QVERIFY2(contentType.contains(u"name=smime.p7m"_s), qPrintable(contentType));
        QCOMPARE(headerValue(headers, u"Content-Transfer-Encoding"_s), u"base64"_s);
        QVERIFY2(headerValue(headers, u"Content-Disposition"_s).contains(u"smime.p7m"_s),
                 qPrintable(headerDump(headers)));
        QCOMPARE(headerValue(headers, u"MIME-Version"_s), u"1.0"_s);
    }
}

void tst_SmimeFacade::changingContentDropsSmimeHeaders()
{
    // messageText
    {
        Ssmtp smtp;
        setUpMessage(smtp);
        smtp.setCertificate(signer());
        QVERIFY2(smtp.sign(), qPrintable(smtp.errorString()));
        QVERIFY(headerValue(smtp.messageHeaders(), u"Content-Type"_s)
                    .startsWith(u"multipart/signed"_s));
        QSignalSpy headersChanged(&smtp, &Ssmtp::messageHeadersChanged);
        smtp.setMessageText(u"plain again"_s);
        QVERIFY(headersChanged.count() >= 1);
        const QList<SsmtpHeader> headers = smtp.messageHeaders();
        const QString contentType = headerValue(headers, u"Content-Type"_s);
        QVERIFY2(!contentType.contains(u"multipart/signed"_s) && !contentType.contains(u"pkcs7"_s),
                 qPrintable(headerDump(headers)));
        QVERIFY2(contentType.isEmpty() || contentType.startsWith(u"text/plain"_s),
                 qPrintable(headerDump(headers)));
        QVERIFY(!smtp.messageHeadersString().contains(u"pkcs7"_s));

        QByteArray eml;
        QString why;
        QVERIFY2(deliver(smtp, &eml, &why), qPrintable(why));
        QVERIFY2(!eml.contains("pkcs7") && !eml.contains("multipart/signed"), eml.constData());
        QVERIFY2(eml.endsWith("\r\n\r\nplain again\r\n"), eml.constData());
    }
    // messageHtml and attachments
    {
        Ssmtp smtp;
        setUpMessage(smtp);
        QVERIFY(smtp.addRecipientCert(readFile(u"rsa_recipient.pem"_s)));
        QVERIFY2(smtp.encrypt(), qPrintable(smtp.errorString()));
        QVERIFY(headerValue(smtp.messageHeaders(), u"Content-Type"_s).contains(u"pkcs7-mime"_s));
        smtp.setMessageHtml(u"<p>now with HTML</p>"_s);
        QVERIFY2(!headerValue(smtp.messageHeaders(), u"Content-Type"_s).contains(u"pkcs7"_s),
                 qPrintable(headerDump(smtp.messageHeaders())));
    }
    {
        Ssmtp smtp;
        setUpMessage(smtp);
        smtp.setCertificate(signer());
        QVERIFY2(smtp.sign(), qPrintable(smtp.errorString()));
        smtp.addAttachment(SsmtpAttachment::fromData("data", u"a.txt"_s, u"text/plain"_s));
        const QString contentType = headerValue(smtp.messageHeaders(), u"Content-Type"_s);
        QVERIFY2(contentType.startsWith(u"multipart/mixed"_s), qPrintable(contentType));
        // The text that was signed comes back: the S/MIME body never goes out as text.
        QCOMPARE(smtp.messageText(), kText);
        QByteArray eml;
        QString why;
        QVERIFY2(deliver(smtp, &eml, &why), qPrintable(why));
        QVERIFY2(!eml.contains("pkcs7-signature") &&
                     !eml.contains("MIME-Version: 1.0\r\nContent-Type: multipart/signed"),
                 eml.constData());
    }
}

// A user MIME-Version in otherHeaders must not make a signed message lose its MIME-Version.
void tst_SmimeFacade::mimeVersionWithUserHeader()
{
    Ssmtp smtp;
    setUpMessage(smtp);
    smtp.setOtherHeaders(u"MIME-Version: 1.0"_s);
    smtp.setCertificate(signer());
    QVERIFY2(smtp.sign(), qPrintable(smtp.errorString()));
    const QString headers = smtp.messageHeadersString();
    QCOMPARE(headers.count(u"MIME-Version: 1.0"_s), 1);
    QVERIFY(headers.contains(u"Content-Type: multipart/signed"_s));
}

// reset() returns every property to its default, S/MIME and attachments included.
void tst_SmimeFacade::resetClearsSmimeAndAttachments()
{
    Ssmtp smtp;
    setUpMessage(smtp);
    smtp.setMessageHtml(u"<p>one</p>"_s);
    smtp.addAttachment(SsmtpAttachment::fromData("x", u"x.bin"_s));
    smtp.setCertificate(signer());
    QVERIFY(smtp.addRecipientCert(readFile(u"rsa_recipient.pem"_s)));
    smtp.setIncludeChain(true);
    smtp.setSigningAlgorithm(u"sha-512"_s);
    smtp.setEncryptingAlgorithm(u"AESGCM256"_s);
    QVERIFY2(smtp.signAndEncrypt(), qPrintable(smtp.errorString()));
    smtp.reset();
    QVERIFY(smtp.messageText().isEmpty());
    QVERIFY(smtp.messageHtml().isEmpty());
    QVERIFY(smtp.attachments().isEmpty());
    QVERIFY(smtp.certificate().isNull());
    QVERIFY(smtp.recipientCertificates().isEmpty());
    QCOMPARE(smtp.includeCertificate(), true);
    QCOMPARE(smtp.includeChain(), false);
    QCOMPARE(smtp.signingAlgorithm(), u"2.16.840.1.101.3.4.2.1"_s);
    QCOMPARE(smtp.encryptingAlgorithm(), u"AESCBC256"_s);
    QVERIFY(!smtp.messageHeadersString().contains(u"pkcs7"_s));
}

// A stream or raw message set after encrypt() would go out in clear text: send() and queue()
// refuse it.
void tst_SmimeFacade::streamAfterEncryptRefused()
{
    Ssmtp smtp;
    setUpMessage(smtp);
    QVERIFY(smtp.addRecipientCert(readFile(u"rsa_recipient.pem"_s)));
    QVERIFY2(smtp.encrypt(), qPrintable(smtp.errorString()));
    QBuffer stream;
    stream.setData("the real secret\r\n");
    QVERIFY(stream.open(QIODevice::ReadOnly));
    smtp.setMessageStream(&stream);
    smtp.setMailServer(u"127.0.0.1"_s);
    smtp.setMailPort(1); // never reached: refused before connecting
    QSignalSpy errors(&smtp, &Ssmtp::errorOccurred);
    QSignalSpy sent(&smtp, &Ssmtp::messageSent);
    smtp.send();
    QVERIFY(errors.wait(5000));
    QCOMPARE(errors.first().at(0).value<Ssmtp::Error>(), Ssmtp::SmimeError);
    QCOMPARE(sent.count(), 0);
    QVERIFY(smtp.queue(u"*"_s).isEmpty());
    QCOMPARE(smtp.error(), Ssmtp::SmimeError);
    smtp.setMessageStream(nullptr);
    smtp.setMessage("Subject: raw\r\n\r\nthe real secret\r\n");
    QVERIFY(smtp.queue(u"*"_s).isEmpty());
    QCOMPARE(smtp.error(), Ssmtp::SmimeError);
}

// ---- round trips ----------------------------------------------------------------------------

void tst_SmimeFacade::signTextOnly_data()
{
    QTest::addColumn<bool>("data");
    QTest::newRow("BDAT") << false;
    QTest::newRow("DATA") << true;
}

void tst_SmimeFacade::signTextOnly()
{
    QFETCH(bool, data);
    Ssmtp smtp;
    setUpMessage(smtp);
    smtp.setCertificate(signer());
    QVERIFY2(smtp.sign(), qPrintable(smtp.errorString()));
    QByteArray eml;
    QString why;
    QVERIFY2(deliver(smtp, &eml, &why, data), qPrintable(why));
    const QString file = u"sign-text.eml"_s;
    QVERIFY(writeFile(file, eml));

    // Both of OpenSSL's verifiers accept it and return the same content.
    const Run cms = verify(u"cms"_s, file);
    QVERIFY2(cms.exitCode == 0, cms.describe().constData());
    QVERIFY2(cms.err.contains("Verification successful"), cms.describe().constData());
    const Run smime = verify(u"smime"_s, file);
    QVERIFY2(smime.exitCode == 0, smime.describe().constData());
    QCOMPARE(smime.out, cms.out);

    // The verified content is the first body part of the delivered multipart/signed, byte for
    // byte, and a complete MIME entity whose text is the original text.
    QVERIFY2(eml.contains(QByteArray("\r\n" + cms.out + "\r\n--")), cms.out.constData());
    QVERIFY(cms.out.startsWith("Content-Type: text/plain"));
    QVERIFY(writeFile(u"sign-text.entity"_s, cms.out));
    const QJsonObject report = pythonReport(u"sign-text.entity"_s, &why);
    QVERIFY2(!report.isEmpty(), qPrintable(why));
    QVERIFY2(report.value(u"defects"_s).toArray().isEmpty(),
             QJsonDocument(report.value(u"defects"_s).toArray()).toJson().constData());
    QCOMPARE(report.value(u"type"_s).toString(), u"text/plain"_s);
    const QJsonObject text = findPart(report, [](const QJsonObject &) { return true; });
    QCOMPARE(withoutTrailingNewlines(text.value(u"text"_s).toString()), kText);
    // 7-bit canonical form: the trailing white space survives only because it is encoded.
    QVERIFY(report.value(u"sevenBit"_s).toBool());
    QCOMPARE(report.value(u"bareLf"_s).toInt(), 0);

    // And it is the content of the same message sent unsigned, once both are decoded: same
    // type and charset, same text. (The unsigned message may use another transfer encoding,
    // and ends with the line break that in multipart/signed belongs to the delimiter.)
    QByteArray unsignedEml;
    QVERIFY2(unsignedMessage(kText, &unsignedEml, &why), qPrintable(why));
    QVERIFY(writeFile(u"sign-text.unsigned.eml"_s, unsignedEml));
    const QJsonObject unsignedReport = pythonReport(u"sign-text.unsigned.eml"_s, &why);
    QVERIFY2(!unsignedReport.isEmpty(), qPrintable(why));
    const QJsonObject unsignedText =
        findPart(unsignedReport, [](const QJsonObject &) { return true; });
    QCOMPARE(unsignedReport.value(u"type"_s).toString(), u"text/plain"_s);
    QCOMPARE(text.value(u"charset"_s).toString(), unsignedText.value(u"charset"_s).toString());
    QCOMPARE(withoutTrailingNewlines(text.value(u"text"_s).toString()),
             withoutTrailingNewlines(unsignedText.value(u"text"_s).toString()));
    QByteArray original;
    QVERIFY2(originalEntity(kText, &original, &why), qPrintable(why));
    QCOMPARE(cms.out, original);
}

void tst_SmimeFacade::signAsciiIsOriginalEntity()
{
    // ASCII text: the unsigned message has no MIME header fields at all (RFC 2045 defaults);
    // the signed entity states them. Both say text/plain; charset=us-ascii and the same text.
    QByteArray unsignedEml;
    QString why;
    QVERIFY2(unsignedMessage(kAsciiText, &unsignedEml, &why), qPrintable(why));
    QVERIFY(writeFile(u"sign-ascii.unsigned.eml"_s, unsignedEml));
    const QJsonObject unsignedReport = pythonReport(u"sign-ascii.unsigned.eml"_s, &why);
    QVERIFY2(!unsignedReport.isEmpty(), qPrintable(why));

    Ssmtp smtp;
    setUpMessage(smtp, kAsciiText);
    smtp.setCertificate(signer());
    QVERIFY2(smtp.sign(), qPrintable(smtp.errorString()));
    QByteArray eml;
    QVERIFY2(deliver(smtp, &eml, &why), qPrintable(why));
    QVERIFY(writeFile(u"sign-ascii.eml"_s, eml));
    QByteArray verified;
    for (const QString &tool : {u"cms"_s, u"smime"_s}) {
        const Run run = verify(tool, u"sign-ascii.eml"_s);
        QVERIFY2(run.exitCode == 0, run.describe().constData());
        QVERIFY(verified.isEmpty() || run.out == verified);
        verified = run.out;
    }
    // The ASCII text needs no encoding: the entity is the text itself in CRLF lines.
    QCOMPARE(verified, QByteArray("Content-Type: text/plain; charset=us-ascii\r\n\r\n" +
                                  kAsciiText.toLatin1().replace("\n", "\r\n")));
    QVERIFY(writeFile(u"sign-ascii.entity"_s, verified));
    const QJsonObject report = pythonReport(u"sign-ascii.entity"_s, &why);
    QVERIFY2(!report.isEmpty(), qPrintable(why));
    const QJsonObject signedPart = findPart(report, [](const QJsonObject &) { return true; });
    const QJsonObject unsignedPart =
        findPart(unsignedReport, [](const QJsonObject &) { return true; });
    QCOMPARE(signedPart.value(u"type"_s).toString(), unsignedPart.value(u"type"_s).toString());
    QCOMPARE(signedPart.value(u"charset"_s).toString(),
             unsignedPart.value(u"charset"_s).toString());
    QCOMPARE(withoutTrailingNewlines(signedPart.value(u"text"_s).toString()), kAsciiText);
    QCOMPARE(withoutTrailingNewlines(unsignedPart.value(u"text"_s).toString()), kAsciiText);
}

void tst_SmimeFacade::encryptTextOnly()
{
    Ssmtp smtp;
    setUpMessage(smtp);
    QVERIFY(smtp.addRecipientCert(readFile(u"rsa_recipient.pem"_s)));
    QVERIFY2(smtp.encrypt(), qPrintable(smtp.errorString()));
    QByteArray eml;
    QString why;
    QVERIFY2(deliver(smtp, &eml, &why), qPrintable(why));
    QVERIFY(writeFile(u"encrypt-text.eml"_s, eml));
    QVERIFY(!eml.contains("Ümläuten") && !eml.contains("tricky"));

    const QJsonObject outer = pythonReport(u"encrypt-text.eml"_s, &why);
    QVERIFY2(!outer.isEmpty(), qPrintable(why));
    QCOMPARE(outer.value(u"type"_s).toString(), u"application/pkcs7-mime"_s);
    QCOMPARE(outer.value(u"smimeType"_s).toString(), u"enveloped-data"_s);
    QVERIFY(outer.value(u"defects"_s).toArray().isEmpty());

    const Run run = decrypt(u"encrypt-text.eml"_s, u"rsa_recipient"_s);
    QVERIFY2(run.exitCode == 0, run.describe().constData());
    QVERIFY(run.out.startsWith("Content-Type: text/plain"));
    QVERIFY(writeFile(u"encrypt-text.decrypted.eml"_s, run.out));
    const QJsonObject inner = pythonReport(u"encrypt-text.decrypted.eml"_s, &why);
    QVERIFY2(!inner.isEmpty(), qPrintable(why));
    QVERIFY(inner.value(u"defects"_s).toArray().isEmpty());
    QCOMPARE(inner.value(u"type"_s).toString(), u"text/plain"_s);
    QCOMPARE(
        withoutTrailingNewlines(
            findPart(inner, [](const QJsonObject &) { return true; }).value(u"text"_s).toString()),
        kText);

    // Someone else's key does not open it.
    const Run wrong = decrypt(u"encrypt-text.eml"_s, u"rsa_signer"_s);
    QVERIFY(wrong.exitCode != 0);
}

void tst_SmimeFacade::signAndEncryptTextOnly()
{
    QByteArray original;
    QString why;
    QVERIFY2(originalEntity(kAsciiText, &original, &why), qPrintable(why));

    Ssmtp smtp;
    setUpMessage(smtp, kAsciiText);
    smtp.setCertificate(signer());
    QVERIFY(smtp.addRecipientCert(readFile(u"rsa_recipient.pem"_s)));
    QVERIFY2(smtp.signAndEncrypt(), qPrintable(smtp.errorString()));
    QVERIFY(headerValue(smtp.messageHeaders(), u"Content-Type"_s)
                .contains(u"smime-type=enveloped-data"_s));
    QByteArray eml;
    QVERIFY2(deliver(smtp, &eml, &why), qPrintable(why));
    QVERIFY(writeFile(u"sign-encrypt.eml"_s, eml));

    Run run = decrypt(u"sign-encrypt.eml"_s, u"rsa_recipient"_s);
    QVERIFY2(run.exitCode == 0, run.describe().constData());
    QVERIFY2(run.out.startsWith("Content-Type: multipart/signed"), run.out.left(200).constData());
    QVERIFY(writeFile(u"sign-encrypt.inner.eml"_s, run.out));
    for (const QString &tool : {u"cms"_s, u"smime"_s}) {
        run = verify(tool, u"sign-encrypt.inner.eml"_s);
        QVERIFY2(run.exitCode == 0, run.describe().constData());
        QCOMPARE(run.out, original);
    }
}

void tst_SmimeFacade::signThenEncryptInTwoSteps()
{
    // sign() then encrypt() wraps the signed entity, like signAndEncrypt().
    QByteArray original;
    QString why;
    QVERIFY2(originalEntity(kAsciiText, &original, &why), qPrintable(why));

    Ssmtp smtp;
    setUpMessage(smtp, kAsciiText);
    smtp.setCertificate(signer());
    QVERIFY(smtp.addRecipientCert(readFile(u"rsa_recipient.pem"_s)));
    QVERIFY2(smtp.sign(), qPrintable(smtp.errorString()));
    QVERIFY2(smtp.encrypt(), qPrintable(smtp.errorString()));
    QByteArray eml;
    QVERIFY2(deliver(smtp, &eml, &why), qPrintable(why));
    QVERIFY(writeFile(u"two-steps.eml"_s, eml));
    Run run = decrypt(u"two-steps.eml"_s, u"rsa_recipient"_s);
    QVERIFY2(run.exitCode == 0, run.describe().constData());
    QVERIFY(writeFile(u"two-steps.inner.eml"_s, run.out));
    run = verify(u"cms"_s, u"two-steps.inner.eml"_s);
    QVERIFY2(run.exitCode == 0, run.describe().constData());
    QCOMPARE(run.out, original);

    // encrypt() then sign(): a clear-signed envelope.
    Ssmtp other;
    setUpMessage(other, kAsciiText);
    other.setCertificate(signer());
    QVERIFY(other.addRecipientCert(readFile(u"rsa_recipient.pem"_s)));
    QVERIFY2(other.encrypt(), qPrintable(other.errorString()));
    QVERIFY2(other.sign(), qPrintable(other.errorString()));
    QVERIFY2(deliver(other, &eml, &why), qPrintable(why));
    QVERIFY(writeFile(u"encrypt-sign.eml"_s, eml));
    run = verify(u"cms"_s, u"encrypt-sign.eml"_s);
    QVERIFY2(run.exitCode == 0, run.describe().constData());
    QVERIFY2(run.out.startsWith("Content-Type: application/pkcs7-mime"), run.out.constData());
    QVERIFY(writeFile(u"encrypt-sign.inner.eml"_s, run.out));
    run = decrypt(u"encrypt-sign.inner.eml"_s, u"rsa_recipient"_s);
    QVERIFY2(run.exitCode == 0, run.describe().constData());
    QCOMPARE(run.out, original);
}

void tst_SmimeFacade::richMessageSignedAndEncrypted()
{
    // HTML with an inline image referenced as cid:, the plain text alternative, and a file
    // attachment whose name is not ASCII.
    const QString attachmentName = u"Übersicht – 報告 €.bin"_s;
    const QByteArray attachmentData = randomBytes(100 * 1024 + 17, 7);
    QVERIFY(writeFile(attachmentName, attachmentData));
    const QByteArray image = randomBytes(3000, 11); // content does not matter to MIME
    const QString html = u"<html><body><p>Grüße mit <b>HTML</b> – und einem Bild:</p>"
                         "<p><img src=\"cid:logo@example.com\" alt=\"logo\"></p></body></html>"_s;
    const QString text = u"Grüße mit HTML – und einem Bild (nur Text).\nZweite Zeile."_s;

    Ssmtp smtp;
    setUpMessage(smtp, text);
    smtp.setMessageHtml(html);
    SsmtpAttachment inlineImage = SsmtpAttachment::fromData(image, u"logo.png"_s, u"image/png"_s);
    inlineImage.setContentId(u"<logo@example.com>"_s);
    smtp.addAttachment(inlineImage);
    smtp.addAttachment(path(attachmentName));
    QCOMPARE(smtp.attachments().size(), 2);
    smtp.setCertificate(signer());
    QVERIFY(smtp.addRecipientCert(readFile(u"rsa_recipient.pem"_s)));
    QVERIFY2(smtp.signAndEncrypt(), qPrintable(smtp.errorString()));
    QVERIFY(smtp.attachments().isEmpty());
    QVERIFY(smtp.messageHtml().isEmpty());

    QByteArray eml;
    QString why;
    QVERIFY2(deliver(smtp, &eml, &why), qPrintable(why));
    QVERIFY(writeFile(u"rich.eml"_s, eml));
    Run run = decrypt(u"rich.eml"_s, u"rsa_recipient"_s);
    QVERIFY2(run.exitCode == 0, run.describe().constData());
    QVERIFY(writeFile(u"rich.signed.eml"_s, run.out));
    run = verify(u"cms"_s, u"rich.signed.eml"_s);
    QVERIFY2(run.exitCode == 0, run.describe().constData());
    const Run smime = verify(u"smime"_s, u"rich.signed.eml"_s);
    QVERIFY2(smime.exitCode == 0, smime.describe().constData());
    QCOMPARE(smime.out, run.out);
    QVERIFY(writeFile(u"rich.entity.eml"_s, run.out));

    const QJsonObject report = pythonReport(u"rich.entity.eml"_s, &why);
    QVERIFY2(!report.isEmpty(), qPrintable(why));
    const QByteArray reportJson = QJsonDocument(report).toJson();
    QVERIFY2(report.value(u"defects"_s).toArray().isEmpty(), reportJson.constData());
    QCOMPARE(report.value(u"type"_s).toString(), u"multipart/mixed"_s);
    QVERIFY(report.value(u"sevenBit"_s).toBool());
    QCOMPARE(report.value(u"bareLf"_s).toInt(), 0);
    QVERIFY(report.value(u"longestLine"_s).toInt() <= 998);

    const QJsonObject plain = findPart(report, [](const QJsonObject &p) {
        return p.value(u"type"_s).toString() == u"text/plain"_s;
    });
    QVERIFY2(!plain.isEmpty(), reportJson.constData());
    QCOMPARE(withoutTrailingNewlines(plain.value(u"text"_s).toString()), text);
    const QJsonObject htmlPart = findPart(report, [](const QJsonObject &p) {
        return p.value(u"type"_s).toString() == u"text/html"_s;
    });
    QVERIFY2(!htmlPart.isEmpty(), reportJson.constData());
    QCOMPARE(withoutTrailingNewlines(htmlPart.value(u"text"_s).toString()), html);

    const QJsonObject imagePart = findPart(report, [](const QJsonObject &p) {
        return p.value(u"type"_s).toString() == u"image/png"_s;
    });
    QVERIFY2(!imagePart.isEmpty(), reportJson.constData());
    QCOMPARE(imagePart.value(u"cid"_s).toString(), u"<logo@example.com>"_s);
    QCOMPARE(imagePart.value(u"sha256"_s).toString().toLatin1(), sha256Hex(image));
    QCOMPARE(imagePart.value(u"disposition"_s).toString(), u"inline"_s);
    // The image sits in a multipart/related with the HTML (same parent path).
    const QJsonArray imagePath = imagePart.value(u"path"_s).toArray();
    bool relatedFound = false;
    {
        QJsonArray parentPath = imagePath;
        parentPath.removeLast();
        const QJsonObject parent = findPart(report, [&](const QJsonObject &p) {
            return p.value(u"path"_s).toArray() == parentPath;
        });
        relatedFound = parent.value(u"type"_s).toString() == u"multipart/related"_s;
    }
    QVERIFY2(relatedFound, reportJson.constData());

    const QJsonObject attachment = findPart(report, [&](const QJsonObject &p) {
        return p.value(u"disposition"_s).toString() == u"attachment"_s;
    });
    QVERIFY2(!attachment.isEmpty(), reportJson.constData());
    QCOMPARE(attachment.value(u"filename"_s).toString(), attachmentName);
    QCOMPARE(attachment.value(u"size"_s).toInt(), int(attachmentData.size()));
    QCOMPARE(attachment.value(u"sha256"_s).toString().toLatin1(), sha256Hex(attachmentData));
}

// ---- algorithms -----------------------------------------------------------------------------

void tst_SmimeFacade::signingAlgorithms_data()
{
    QTest::addColumn<QString>("algorithm");
    QTest::addColumn<QString>("oid");
    QTest::addColumn<QString>("micalg");
    QTest::newRow("sha1") << u"sha1"_s << u"1.3.14.3.2.26"_s << u"sha-1"_s;
    QTest::newRow("md5") << u"md5"_s << u"1.2.840.113549.2.5"_s << u"md5"_s;
    QTest::newRow("sha-256") << u"sha-256"_s << u"2.16.840.1.101.3.4.2.1"_s << u"sha-256"_s;
    QTest::newRow("sha-384") << u"sha-384"_s << u"2.16.840.1.101.3.4.2.2"_s << u"sha-384"_s;
    QTest::newRow("sha-512") << u"sha-512"_s << u"2.16.840.1.101.3.4.2.3"_s << u"sha-512"_s;
    QTest::newRow("sha-224") << u"sha-224"_s << u"2.16.840.1.101.3.4.2.4"_s << u"sha-224"_s;
    QTest::newRow("OID sha-384") << u"2.16.840.1.101.3.4.2.2"_s << u"2.16.840.1.101.3.4.2.2"_s
                                 << u"sha-384"_s;
}

void tst_SmimeFacade::signingAlgorithms()
{
    QFETCH(QString, algorithm);
    QFETCH(QString, oid);
    QFETCH(QString, micalg);
    Ssmtp smtp;
    setUpMessage(smtp);
    smtp.setCertificate(signer());
    smtp.setSigningAlgorithm(algorithm);
    QCOMPARE(smtp.signingAlgorithm(), oid);
    QVERIFY2(smtp.sign(), qPrintable(smtp.errorString()));
    QVERIFY2(headerValue(smtp.messageHeaders(), u"Content-Type"_s).contains(u"micalg="_s + micalg),
             qPrintable(headerDump(smtp.messageHeaders())));
    QByteArray eml;
    QString why;
    QVERIFY2(deliver(smtp, &eml, &why), qPrintable(why));
    const QString file = u"algorithm-sign.eml"_s;
    QVERIFY(writeFile(file, eml));

    const Run cms = verify(u"cms"_s, file);
    QVERIFY2(cms.exitCode == 0, cms.describe().constData());
    QVERIFY2(eml.contains(QByteArray("\r\n" + cms.out + "\r\n--")), cms.out.constData());
    const Run smime = verify(u"smime"_s, file);
    QVERIFY2(smime.exitCode == 0, smime.describe().constData());
    QCOMPARE(smime.out, cms.out);
    const Run print = cmsPrint(file);
    QVERIFY2(print.exitCode == 0, print.describe().constData());
    QVERIFY2(print.out.contains(QByteArray("(" + oid.toLatin1() + ")")), print.out.constData());
}

void tst_SmimeFacade::encryptingAlgorithms_data()
{
    QTest::addColumn<QString>("algorithm");
    QTest::addColumn<QString>("oid");
    QTest::addColumn<bool>("aead");
    struct Row
    {
        const char *name;
        const char *oid;
        bool aead;
    };
    const Row rows[] = {
        {"3DES", "1.2.840.113549.3.7", false},
        {"DES", "1.3.14.3.2.7", false},
        {"RC2CBC40", "1.2.840.113549.3.2", false},
        {"RC2CBC64", "1.2.840.113549.3.2", false},
        {"RC2CBC128", "1.2.840.113549.3.2", false},
        {"RC2", "1.2.840.113549.3.2", false},
        {"AESCBC128", "2.16.840.1.101.3.4.1.2", false},
        {"AES", "2.16.840.1.101.3.4.1.2", false},
        {"AESCBC192", "2.16.840.1.101.3.4.1.22", false},
        {"AESCBC256", "2.16.840.1.101.3.4.1.42", false},
        {"AESGCM128", "2.16.840.1.101.3.4.1.6", true},
        {"AESGCM", "2.16.840.1.101.3.4.1.6", true},
        {"AESGCM192", "2.16.840.1.101.3.4.1.26", true},
        {"AESGCM256", "2.16.840.1.101.3.4.1.46", true},
        {"2.16.840.1.101.3.4.1.22", "2.16.840.1.101.3.4.1.22", false},
    };
    for (const Row &row : rows) {
        QTest::newRow(row.name) << QString::fromLatin1(row.name) << QString::fromLatin1(row.oid)
                                << row.aead;
    }
}

void tst_SmimeFacade::encryptingAlgorithms()
{
    QFETCH(QString, algorithm);
    QFETCH(QString, oid);
    QFETCH(bool, aead);
    QByteArray original;
    QString why;
    QVERIFY2(originalEntity(kAsciiText, &original, &why), qPrintable(why));

    Ssmtp smtp;
    setUpMessage(smtp, kAsciiText);
    smtp.setEncryptingAlgorithm(algorithm);
    QCOMPARE(smtp.encryptingAlgorithm(), algorithm);
    QVERIFY(smtp.addRecipientCert(readFile(u"rsa_recipient.pem"_s)));
    QVERIFY2(smtp.encrypt(), qPrintable(smtp.errorString()));
    QVERIFY2(
        headerValue(smtp.messageHeaders(), u"Content-Type"_s)
            .contains(aead ? u"smime-type=authEnveloped-data"_s : u"smime-type=enveloped-data"_s),
        qPrintable(headerDump(smtp.messageHeaders())));
    QByteArray eml;
    QVERIFY2(deliver(smtp, &eml, &why), qPrintable(why));
    const QString file = u"algorithm-encrypt.eml"_s;
    QVERIFY(writeFile(file, eml));

    const Run run = decrypt(file, u"rsa_recipient"_s);
    QVERIFY2(run.exitCode == 0, run.describe().constData());
    QCOMPARE(run.out, original);
    const Run print = cmsPrint(file);
    QVERIFY2(print.exitCode == 0, print.describe().constData());
    QVERIFY2(print.out.contains(QByteArray("(" + oid.toLatin1() + ")")), print.out.constData());
    QCOMPARE(print.out.contains("authEnvelopedData") || print.out.contains("AuthEnvelopedData"),
             aead);
}

// ---- config settings ------------------------------------------------------------------------

void tst_SmimeFacade::opaqueSignature()
{
    QByteArray original;
    QString why;
    QVERIFY2(originalEntity(kAsciiText, &original, &why), qPrintable(why));

    Ssmtp smtp;
    setUpMessage(smtp, kAsciiText);
    smtp.setCertificate(signer());
    smtp.config(u"DetachedSignature=false"_s);
    QCOMPARE(smtp.error(), Ssmtp::NoError);
    QVERIFY2(smtp.sign(), qPrintable(smtp.errorString()));
    const QString contentType = headerValue(smtp.messageHeaders(), u"Content-Type"_s);
    QVERIFY2(contentType.startsWith(u"application/pkcs7-mime;"_s), qPrintable(contentType));
    QVERIFY2(contentType.contains(u"smime-type=signed-data"_s), qPrintable(contentType));
    QByteArray eml;
    QVERIFY2(deliver(smtp, &eml, &why), qPrintable(why));
    QVERIFY(writeFile(u"opaque.eml"_s, eml));
    // The content is not readable without S/MIME.
    QVERIFY(!eml.contains("quick brown fox"));

    const QJsonObject report = pythonReport(u"opaque.eml"_s, &why);
    QVERIFY2(!report.isEmpty(), qPrintable(why));
    QCOMPARE(report.value(u"type"_s).toString(), u"application/pkcs7-mime"_s);
    QCOMPARE(report.value(u"smimeType"_s).toString(), u"signed-data"_s);
    QVERIFY(report.value(u"defects"_s).toArray().isEmpty());

    for (const QString &tool : {u"cms"_s, u"smime"_s}) {
        const Run run = verify(tool, u"opaque.eml"_s);
        QVERIFY2(run.exitCode == 0, run.describe().constData());
        QCOMPARE(run.out, original);
    }
    const Run print = cmsPrint(u"opaque.eml"_s);
    QVERIFY2(print.out.contains("pkcs7-signedData"), print.out.constData());
}

void tst_SmimeFacade::usePss()
{
    for (const bool pss : {false, true}) {
        Ssmtp smtp;
        setUpMessage(smtp);
        smtp.setCertificate(signer());
        smtp.config(pss ? u"UsePSS=true"_s : u"UsePSS=false"_s);
        QCOMPARE(smtp.error(), Ssmtp::NoError);
        QVERIFY2(smtp.sign(), qPrintable(smtp.errorString()));
        QByteArray eml;
        QString why;
        QVERIFY2(deliver(smtp, &eml, &why), qPrintable(why));
        QVERIFY(writeFile(u"pss.eml"_s, eml));
        const Run print = cmsPrint(u"pss.eml"_s);
        QVERIFY2(print.exitCode == 0, print.describe().constData());
        QCOMPARE(print.out.contains("rsassaPss"), pss);
        if (!pss)
            QVERIFY2(print.out.contains("rsaEncryption"), print.out.constData());
        const Run run = verify(u"cms"_s, u"pss.eml"_s);
        QVERIFY2(run.exitCode == 0, run.describe().constData());
        QVERIFY(run.out.startsWith("Content-Type: text/plain"));
    }
}

void tst_SmimeFacade::useOaep()
{
    for (const bool oaep : {false, true}) {
        Ssmtp smtp;
        setUpMessage(smtp, kAsciiText);
        smtp.config(oaep ? u"UseOAEP=true"_s : u"UseOAEP=false"_s);
        QCOMPARE(smtp.error(), Ssmtp::NoError);
        QVERIFY(smtp.addRecipientCert(readFile(u"rsa_recipient.pem"_s)));
        QVERIFY2(smtp.encrypt(), qPrintable(smtp.errorString()));
        QByteArray eml;
        QString why;
        QVERIFY2(deliver(smtp, &eml, &why), qPrintable(why));
        QVERIFY(writeFile(u"oaep.eml"_s, eml));
        const Run print = cmsPrint(u"oaep.eml"_s);
        QVERIFY2(print.exitCode == 0, print.describe().constData());
        QCOMPARE(print.out.contains("rsaesOaep"), oaep);
        const Run run = decrypt(u"oaep.eml"_s, u"rsa_recipient"_s);
        QVERIFY2(run.exitCode == 0, run.describe().constData());
        QVERIFY(run.out.startsWith("Content-Type: text/plain"));
    }
}

void tst_SmimeFacade::encryptToSelf()
{
    for (const bool toSelf : {false, true}) {
        Ssmtp smtp;
        setUpMessage(smtp, kAsciiText);
        smtp.setCertificate(signer());
        smtp.config(toSelf ? u"EncryptToSelf=true"_s : u"EncryptToSelf=false"_s);
        QCOMPARE(smtp.error(), Ssmtp::NoError);
        QVERIFY(smtp.addRecipientCert(readFile(u"rsa_recipient.pem"_s)));
        QVERIFY2(smtp.encrypt(), qPrintable(smtp.errorString()));
        QByteArray eml;
        QString why;
        QVERIFY2(deliver(smtp, &eml, &why), qPrintable(why));
        QVERIFY(writeFile(u"self.eml"_s, eml));
        Run run = decrypt(u"self.eml"_s, u"rsa_recipient"_s);
        QVERIFY2(run.exitCode == 0, run.describe().constData());
        const QByteArray content = run.out;
        run = decrypt(u"self.eml"_s, u"rsa_signer"_s);
        if (toSelf) {
            QVERIFY2(run.exitCode == 0, run.describe().constData());
            QCOMPARE(run.out, content);
        } else {
            QVERIFY2(run.exitCode != 0, run.describe().constData());
        }
        const Run print = cmsPrint(u"self.eml"_s);
        QCOMPARE(print.out.count("ktri"), toSelf ? 2 : 1);
    }

    // With EncryptToSelf the signer alone is a recipient.
    Ssmtp smtp;
    setUpMessage(smtp, kAsciiText);
    smtp.setCertificate(signer());
    smtp.config(u"EncryptToSelf=true"_s);
    QVERIFY2(smtp.encrypt(), qPrintable(smtp.errorString()));
    QByteArray eml;
    QString why;
    QVERIFY2(deliver(smtp, &eml, &why), qPrintable(why));
    QVERIFY(writeFile(u"self-only.eml"_s, eml));
    const Run run = decrypt(u"self-only.eml"_s, u"rsa_signer"_s);
    QVERIFY2(run.exitCode == 0, run.describe().constData());
}

void tst_SmimeFacade::withoutIncludedCertificate()
{
    QByteArray original;
    QString why;
    QVERIFY2(originalEntity(kAsciiText, &original, &why), qPrintable(why));

    Ssmtp smtp;
    setUpMessage(smtp, kAsciiText);
    smtp.setCertificate(signer());
    smtp.setIncludeCertificate(false);
    QVERIFY(!smtp.includeCertificate());
    QVERIFY2(smtp.sign(), qPrintable(smtp.errorString()));
    QByteArray eml;
    QVERIFY2(deliver(smtp, &eml, &why), qPrintable(why));
    QVERIFY(writeFile(u"nocert.eml"_s, eml));

    const Run print = cmsPrint(u"nocert.eml"_s);
    QVERIFY2(print.out.contains("certificates:\n      <ABSENT>"), print.out.constData());
    Run run = verify(u"cms"_s, u"nocert.eml"_s);
    QVERIFY2(run.exitCode != 0, run.describe().constData());
    QVERIFY2(run.err.contains("signer certificate not found"), run.describe().constData());
    for (const QString &tool : {u"cms"_s, u"smime"_s}) {
        run = verify(tool, u"nocert.eml"_s, {u"-certfile"_s, u"rsa_signer.pem"_s});
        QVERIFY2(run.exitCode == 0, run.describe().constData());
        QCOMPARE(run.out, original);
    }
}

void tst_SmimeFacade::includeChain()
{
    for (const bool chain : {false, true}) {
        Ssmtp smtp;
        setUpMessage(smtp, kAsciiText);
        smtp.setCertificate(signer(u"chained_signer"_s));
        smtp.setIncludeChain(chain);
        QVERIFY2(smtp.sign(), qPrintable(smtp.errorString()));
        QByteArray eml;
        QString why;
        QVERIFY2(deliver(smtp, &eml, &why), qPrintable(why));
        QVERIFY(writeFile(u"chain.eml"_s, eml));
        const Run print = cmsPrint(u"chain.eml"_s);
        QVERIFY2(print.exitCode == 0, print.describe().constData());
        QVERIFY(print.out.contains("CN=Chained Signer"));
        // The signer alone, or the signer, the intermediate and the root from the PKCS #12.
        QCOMPARE(int(print.out.count("cert_info:")), chain ? 3 : 1);
        // Only the root is trusted: the intermediate must come from the message.
        const Run run = verify(u"cms"_s, u"chain.eml"_s);
        if (chain) {
            QVERIFY2(run.exitCode == 0, run.describe().constData());
        } else {
            QVERIFY2(run.exitCode != 0, run.describe().constData());
            QVERIFY2(run.err.contains("unable to get local issuer certificate"),
                     run.describe().constData());
        }
    }
}

void tst_SmimeFacade::ecSignerAndRecipient()
{
    QByteArray original;
    QString why;
    QVERIFY2(originalEntity(kAsciiText, &original, &why), qPrintable(why));

    Ssmtp smtp;
    setUpMessage(smtp, kAsciiText);
    smtp.setCertificate(signer(u"ec_signer"_s));
    QVERIFY(smtp.addRecipientCert(readFile(u"ec_recipient.pem"_s)));
    QVERIFY2(smtp.signAndEncrypt(), qPrintable(smtp.errorString()));
    QByteArray eml;
    QVERIFY2(deliver(smtp, &eml, &why), qPrintable(why));
    QVERIFY(writeFile(u"ec.eml"_s, eml));
    const Run print = cmsPrint(u"ec.eml"_s);
    QVERIFY2(print.out.contains("dhSinglePass-stdDH"), print.out.constData());
    Run run = decrypt(u"ec.eml"_s, u"ec_recipient"_s);
    QVERIFY2(run.exitCode == 0, run.describe().constData());
    QVERIFY(writeFile(u"ec.inner.eml"_s, run.out));
    const Run innerPrint = cmsPrint(u"ec.inner.eml"_s);
    QVERIFY2(innerPrint.out.contains("ecdsa"), innerPrint.out.constData());
    for (const QString &tool : {u"cms"_s, u"smime"_s}) {
        run = verify(tool, u"ec.inner.eml"_s);
        QVERIFY2(run.exitCode == 0, run.describe().constData());
        QCOMPARE(run.out, original);
    }
}

void tst_SmimeFacade::tamperedSignedMessage_data()
{
    QTest::addColumn<QString>("where");
    QTest::newRow("content body") << u"body"_s;
    QTest::newRow("content header") << u"header"_s;
    QTest::newRow("signature") << u"signature"_s;
}

void tst_SmimeFacade::tamperedSignedMessage()
{
    QFETCH(QString, where);
    Ssmtp smtp;
    setUpMessage(smtp, kAsciiText);
    smtp.setCertificate(signer());
    QVERIFY2(smtp.sign(), qPrintable(smtp.errorString()));
    QByteArray eml;
    QString why;
    QVERIFY2(deliver(smtp, &eml, &why), qPrintable(why));
    QVERIFY(writeFile(u"untouched.eml"_s, eml));
    QVERIFY2(verify(u"cms"_s, u"untouched.eml"_s).exitCode == 0, "the untouched message verifies");

    qsizetype at = -1;
    if (where == u"body"_s) {
        at = eml.indexOf("quick brown fox") + 6; // 'b' -> 'c'
    } else if (where == u"header"_s) {
        at = eml.indexOf("Content-Type: text/plain") + 20; // "plain" -> "pmain"
    } else {
        // A character in the middle of the last full line of the signature's base64: the
        // signature value is the last field of the SignerInfo.
        const qsizetype sigPart = eml.indexOf("application/pkcs7-signature", eml.indexOf("\r\n--"));
        const qsizetype end = eml.lastIndexOf("\r\n--");
        QVERIFY(sigPart > 0 && end > sigPart);
        const qsizetype lineStart = eml.lastIndexOf("\r\n", eml.lastIndexOf("\r\n", end - 1) - 1);
        at = lineStart + 2 + 30;
    }
    QVERIFY(at > 0 && at < eml.size());
    QByteArray tampered = eml;
    if (where == u"signature"_s) {
        // Stay within the base64 alphabet so that only the signature value changes.
        tampered[at] = tampered[at] == 'A' ? 'B' : 'A';
    } else {
        tampered[at] = static_cast<char>(tampered[at] ^ 0x01);
    }
    QVERIFY(tampered != eml);
    QVERIFY(writeFile(u"tampered.eml"_s, tampered));
    for (const QString &tool : {u"cms"_s, u"smime"_s}) {
        const Run run = verify(tool, u"tampered.eml"_s);
        QVERIFY2(run.exitCode != 0, run.describe().constData());
        QVERIFY2(run.err.contains("Verification failure") || run.err.contains("verify error") ||
                     run.err.contains("digest failure") || run.err.contains("signature failure"),
                 run.describe().constData());
    }
}

void tst_SmimeFacade::commandLineSignAndEncrypt()
{
#ifndef SSMTP_SEND_PATH
    QSKIP("ssmtp-send is not built");
#else
    const QString attachmentName = u"Anhang ä.txt"_s;
    const QByteArray attachmentData = "attachment line 1\r\nattachment line 2\r\n";
    QVERIFY(writeFile(attachmentName, attachmentData));
    QVERIFY(writeFile(u"cli.html"_s, "<p>HTML from the <b>command line</b></p>"));

    QProcess process;
    process.setWorkingDirectory(m_dir.path());
    const QStringList arguments = {u"--set"_s,
                                   u"mailServer=127.0.0.1"_s,
                                   u"--set"_s,
                                   u"mailPort=%1"_s.arg(m_bdatServer->serverPort()),
                                   u"--set"_s,
                                   u"timeout=20"_s,
                                   u"--set"_s,
                                   u"from=signer@example.com"_s,
                                   u"--set"_s,
                                   u"sendTo=recipient@example.com"_s,
                                   u"--set"_s,
                                   u"subject=CLI S/MIME"_s,
                                   u"--set"_s,
                                   u"messageText=Body from the CLI"_s,
                                   u"--attach"_s,
                                   path(attachmentName),
                                   u"--html"_s,
                                   path(u"cli.html"_s),
                                   u"--sign-and-encrypt"_s,
                                   u"--signer"_s,
                                   path(u"rsa_signer.p12"_s) + u":s3cret"_s,
                                   u"--recipient-cert"_s,
                                   path(u"rsa_recipient.pem"_s)};
    const qsizetype before = m_received.size();
    process.start(QString::fromUtf8(SSMTP_SEND_PATH), arguments);
    // The inbox runs on this thread's event loop: keep it going while the client runs.
    QVERIFY(QTest::qWaitFor([&] { return process.state() == QProcess::NotRunning; }, 60000));
    QVERIFY2(process.exitStatus() == QProcess::NormalExit && process.exitCode() == 0,
             process.readAllStandardError().constData());
    QCOMPARE(m_received.size(), before + 1);
    QVERIFY(writeFile(u"cli.eml"_s, m_received.last().data));

    Run run = decrypt(u"cli.eml"_s, u"rsa_recipient"_s);
    QVERIFY2(run.exitCode == 0, run.describe().constData());
    QVERIFY(writeFile(u"cli.signed.eml"_s, run.out));
    run = verify(u"cms"_s, u"cli.signed.eml"_s);
    QVERIFY2(run.exitCode == 0, run.describe().constData());
    QVERIFY(writeFile(u"cli.entity.eml"_s, run.out));
    QString why;
    const QJsonObject report = pythonReport(u"cli.entity.eml"_s, &why);
    QVERIFY2(!report.isEmpty(), qPrintable(why));
    const QByteArray reportJson = QJsonDocument(report).toJson();
    QVERIFY2(report.value(u"defects"_s).toArray().isEmpty(), reportJson.constData());
    const QJsonObject attachment = findPart(report, [&](const QJsonObject &p) {
        return p.value(u"filename"_s).toString() == attachmentName;
    });
    QVERIFY2(!attachment.isEmpty(), reportJson.constData());
    QCOMPARE(attachment.value(u"sha256"_s).toString().toLatin1(), sha256Hex(attachmentData));
    const QJsonObject html = findPart(report, [](const QJsonObject &p) {
        return p.value(u"type"_s).toString() == u"text/html"_s;
    });
    QVERIFY2(html.value(u"text"_s).toString().contains(u"<b>command line</b>"_s),
             reportJson.constData());
#endif
}

// ssmtp-send --encrypt with --body-file: the body must not go out in clear text.
void tst_SmimeFacade::commandLineEncryptBodyFile()
{
#ifndef SSMTP_SEND_PATH
    QSKIP("ssmtp-send is not built");
#else
    QVERIFY(writeFile(u"cli-body.txt"_s, "Secret body from a file\r\n"));
    QProcess process;
    process.setWorkingDirectory(m_dir.path());
    const QStringList arguments = {u"--set"_s,
                                   u"mailServer=127.0.0.1"_s,
                                   u"--set"_s,
                                   u"mailPort=%1"_s.arg(m_bdatServer->serverPort()),
                                   u"--set"_s,
                                   u"timeout=20"_s,
                                   u"--set"_s,
                                   u"from=signer@example.com"_s,
                                   u"--set"_s,
                                   u"sendTo=recipient@example.com"_s,
                                   u"--set"_s,
                                   u"subject=CLI body file"_s,
                                   u"--body-file"_s,
                                   path(u"cli-body.txt"_s),
                                   u"--encrypt"_s,
                                   u"--recipient-cert"_s,
                                   path(u"rsa_recipient.pem"_s)};
    const qsizetype before = m_received.size();
    process.start(QString::fromUtf8(SSMTP_SEND_PATH), arguments);
    QVERIFY(QTest::qWaitFor([&] { return process.state() == QProcess::NotRunning; }, 60000));
    QVERIFY(process.exitStatus() == QProcess::NormalExit);
    if (process.exitCode() != 0) {
        // Refusing the combination is fine, as long as nothing was sent.
        QCOMPARE(m_received.size(), before);
        return;
    }
    QCOMPARE(m_received.size(), before + 1);
    const QByteArray eml = m_received.last().data;
    QVERIFY2(!eml.contains("Secret body from a file"), eml.constData());
#endif
}

// ---- failures -------------------------------------------------------------------------------

void tst_SmimeFacade::signWithoutCertificate()
{
    Ssmtp smtp;
    setUpMessage(smtp);
    const QList<SsmtpHeader> headersBefore = smtp.messageHeaders();
    QSignalSpy errors(&smtp, &Ssmtp::errorOccurred);
    QSignalSpy textChanged(&smtp, &Ssmtp::messageTextChanged);
    QSignalSpy headersChanged(&smtp, &Ssmtp::messageHeadersChanged);
    QVERIFY(!smtp.sign());
    QCOMPARE(errors.count(), 1);
    QCOMPARE(errors.first().at(0).value<Ssmtp::Error>(), Ssmtp::SmimeError);
    QCOMPARE(int(Ssmtp::SmimeError), 175);
    QCOMPARE(smtp.error(), Ssmtp::SmimeError);
    QVERIFY(!smtp.errorString().isEmpty());
    QCOMPARE(smtp.messageText(), kText);
    QCOMPARE(textChanged.count(), 0);
    QCOMPARE(headersChanged.count(), 0);
    QCOMPARE(smtp.messageHeaders(), headersBefore);

    // signAndEncrypt without a signer fails the same way, and so does a recipient alone.
    QVERIFY(smtp.addRecipientCert(readFile(u"rsa_recipient.pem"_s)));
    QVERIFY(!smtp.signAndEncrypt());
    QCOMPARE(errors.count(), 2);
    QCOMPARE(errors.at(1).at(0).value<Ssmtp::Error>(), Ssmtp::SmimeError);
    QCOMPARE(smtp.messageText(), kText);
    QCOMPARE(smtp.messageHeaders(), headersBefore);

    // The message still goes out as it was.
    QByteArray eml;
    QString why;
    QVERIFY2(deliver(smtp, &eml, &why), qPrintable(why));
    QVERIFY(!eml.contains("pkcs7"));
}

void tst_SmimeFacade::signWithoutPrivateKey()
{
    Ssmtp smtp;
    setUpMessage(smtp);
    smtp.setCertificate(SsmtpCertificate(readFile(u"rsa_signer.pem"_s)));
    QVERIFY(!smtp.certificate().isNull());
    QVERIFY(!smtp.certificate().privateKeyAvailable());
    QSignalSpy errors(&smtp, &Ssmtp::errorOccurred);
    QVERIFY(!smtp.sign());
    QCOMPARE(errors.count(), 1);
    QCOMPARE(errors.first().at(0).value<Ssmtp::Error>(), Ssmtp::SmimeError);
    QCOMPARE(smtp.messageText(), kText);
}

void tst_SmimeFacade::encryptWithoutRecipients()
{
    Ssmtp smtp;
    setUpMessage(smtp);
    smtp.setCertificate(signer()); // a signer is no recipient without EncryptToSelf
    const QList<SsmtpHeader> headersBefore = smtp.messageHeaders();
    QSignalSpy errors(&smtp, &Ssmtp::errorOccurred);
    QSignalSpy textChanged(&smtp, &Ssmtp::messageTextChanged);
    QVERIFY(!smtp.encrypt());
    QCOMPARE(errors.count(), 1);
    QCOMPARE(errors.first().at(0).value<Ssmtp::Error>(), Ssmtp::EncryptionError);
    QCOMPARE(int(Ssmtp::EncryptionError), 283);
    QCOMPARE(smtp.error(), Ssmtp::EncryptionError);
    QVERIFY(!smtp.signAndEncrypt());
    QCOMPARE(errors.count(), 2);
    QCOMPARE(errors.at(1).at(0).value<Ssmtp::Error>(), Ssmtp::EncryptionError);
    QCOMPARE(smtp.messageText(), kText);
    QCOMPARE(textChanged.count(), 0);
    QCOMPARE(smtp.messageHeaders(), headersBefore);
}

void tst_SmimeFacade::unknownAlgorithms_data()
{
    QTest::addColumn<QString>("signing");
    QTest::addColumn<QString>("encrypting");
    QTest::addColumn<int>("operation"); // 0 sign, 1 encrypt, 2 signAndEncrypt
    QTest::addColumn<int>("error");
    QTest::newRow("sign sha3-999") << u"sha3-999"_s << QString() << 0 << int(Ssmtp::SmimeError);
    QTest::newRow("sign cipher OID")
        << u"2.16.840.1.101.3.4.1.2"_s << QString() << 0 << int(Ssmtp::SmimeError);
    QTest::newRow("sign empty") << u""_s << QString() << 0 << int(Ssmtp::SmimeError);
    QTest::newRow("encrypt blowfish")
        << QString() << u"blowfish"_s << 1 << int(Ssmtp::EncryptionError);
    QTest::newRow("encrypt digest OID")
        << QString() << u"2.16.840.1.101.3.4.2.1"_s << 1 << int(Ssmtp::EncryptionError);
    QTest::newRow("encrypt AESCBC512")
        << QString() << u"AESCBC512"_s << 1 << int(Ssmtp::EncryptionError);
    QTest::newRow("signAndEncrypt, bad cipher")
        << QString() << u"blowfish"_s << 2 << int(Ssmtp::EncryptionError);
    // docs/decisions.md: "SmimeError (175) for signing and certificate problems".
    QTest::newRow("signAndEncrypt, bad digest")
        << u"sha3-999"_s << QString() << 2 << int(Ssmtp::SmimeError);
}

void tst_SmimeFacade::unknownAlgorithms()
{
    QFETCH(QString, signing);
    QFETCH(QString, encrypting);
    QFETCH(int, operation);
    QFETCH(int, error);
    Ssmtp smtp;
    setUpMessage(smtp);
    smtp.setCertificate(signer());
    QVERIFY(smtp.addRecipientCert(readFile(u"rsa_recipient.pem"_s)));
    if (!signing.isNull()) {
        smtp.setSigningAlgorithm(signing);
        QCOMPARE(smtp.signingAlgorithm(), QString()); // unknown reads back empty
    }
    if (!encrypting.isNull())
        smtp.setEncryptingAlgorithm(encrypting);
    const QList<SsmtpHeader> headersBefore = smtp.messageHeaders();
    QSignalSpy errors(&smtp, &Ssmtp::errorOccurred);
    const bool ok = operation == 0   ? smtp.sign()
                    : operation == 1 ? smtp.encrypt()
                                     : smtp.signAndEncrypt();
    QVERIFY(!ok);
    QCOMPARE(errors.count(), 1);
    QCOMPARE(errors.first().at(0).toInt(), error);
    QVERIFY(!errors.first().at(1).toString().isEmpty());
    QCOMPARE(smtp.messageText(), kText);
    QCOMPARE(smtp.messageHeaders(), headersBefore);
}

void tst_SmimeFacade::badRecipientCertificate()
{
    Ssmtp smtp;
    QSignalSpy errors(&smtp, &Ssmtp::errorOccurred);
    QSignalSpy changed(&smtp, &Ssmtp::recipientCertificatesChanged);
    QVERIFY(!smtp.addRecipientCert("this is not a certificate"));
    QCOMPARE(errors.count(), 1);
    QCOMPARE(errors.first().at(0).value<Ssmtp::Error>(), Ssmtp::SmimeError);
    QVERIFY(smtp.recipientCertificates().isEmpty());
    QCOMPARE(changed.count(), 0);
}

void tst_SmimeFacade::missingAttachmentFile()
{
    Ssmtp smtp;
    setUpMessage(smtp);
    smtp.setCertificate(signer());
    smtp.addAttachment(path(u"does-not-exist.bin"_s));
    const QList<SsmtpAttachment> attachments = smtp.attachments();
    QSignalSpy errors(&smtp, &Ssmtp::errorOccurred);
    QVERIFY(!smtp.sign());
    QCOMPARE(errors.count(), 1);
    QCOMPARE(errors.first().at(0).value<Ssmtp::Error>(), Ssmtp::CannotOpenFileError);
    QVERIFY(errors.first().at(1).toString().contains(u"does-not-exist.bin"_s));
    QCOMPARE(smtp.messageText(), kText);
    QCOMPARE(smtp.attachments(), attachments);
}

void tst_SmimeFacade::smimeWithStreamOrRawMessage_data()
{
    QTest::addColumn<bool>("encrypting");
    QTest::addColumn<bool>("raw");
    QTest::newRow("sign, message stream") << false << false;
    QTest::newRow("encrypt, message stream") << true << false;
    QTest::newRow("sign, raw message") << false << true;
    QTest::newRow("encrypt, raw message") << true << true;
}

// The body can also come from setMessageStream() or the raw message property. sign() and
// encrypt() must then either refuse (error, nothing changed) or protect that body; they must
// never report success while send() transmits the body unprotected.
void tst_SmimeFacade::smimeWithStreamOrRawMessage()
{
    QFETCH(bool, encrypting);
    QFETCH(bool, raw);
    QBuffer stream;
    stream.setData("Secret streamed line one\r\nSecret streamed line two\r\n");
    QVERIFY(stream.open(QIODevice::ReadOnly));
    Ssmtp smtp;
    setUpMessage(smtp, QString());
    if (raw) {
        smtp.setMessage("From: signer@example.com\r\nTo: recipient@example.com\r\n"
                        "Subject: raw\r\n\r\nSecret raw body\r\n");
    } else {
        smtp.setMessageStream(&stream);
    }
    smtp.setCertificate(signer());
    QVERIFY(smtp.addRecipientCert(readFile(u"rsa_recipient.pem"_s)));
    QSignalSpy errors(&smtp, &Ssmtp::errorOccurred);
    // Refused with a clear error, nothing changed: a stream or a raw message cannot be
    // wrapped, and sending it unprotected after a "successful" sign() would be worse.
    QVERIFY(!(encrypting ? smtp.encrypt() : smtp.sign()));
    QCOMPARE(errors.count(), 1);
    QCOMPARE(errors.first().at(0).value<Ssmtp::Error>(), Ssmtp::SmimeError);
    QVERIFY(errors.first().at(1).toString().contains(u"stream"_s));
    QVERIFY(smtp.messageText().isEmpty());
    QCOMPARE(smtp.message().isEmpty(), !raw);
}

QTEST_GUILESS_MAIN(tst_SmimeFacade)
#include "tst_smime_facade.moc"
