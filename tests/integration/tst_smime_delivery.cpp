// S/MIME messages of the Ssmtp facade (sign(), encrypt(), signAndEncrypt()) delivered through
// real SMTP servers started by the test: a private Postfix instance (servers/postfix-instance.sh,
// root only; CHUNKING, Maildir with LF line ends and added headers) and the npm smtp-server sink
// (servers/smtp-server-sink.js; DATA only, stores the octets as received). What arrives is checked
// from the outside with the openssl command line tool (a CA and RSA certificates are made at test
// time) and Python's email package (/usr/bin/python3, policy=default).
//
// Postfix stores LF line ends. What works with openssl 3.0 (checked by the tests below):
//   - enveloped data (application/pkcs7-mime, base64): `openssl cms -decrypt` reads the Maildir
//     file as it is; the content inside the envelope keeps its CRLF line ends, so the signed
//     entity inside verifies unchanged.
//   - clear-signed (multipart/signed): `openssl cms -verify` and `openssl smime -verify` accept
//     the LF file as it is too: OpenSSL's MIME reader (multi_split) writes the first part with
//     CRLF line ends, which is the canonical form the client signed. Turning every LF back into
//     CRLF first gives the same content.
#include "integrationutil.h"
#include "realserver.h"
#include "ssmtp.h"
#include "ssmtpattachment.h"
#include "ssmtpcertificate.h"
#include "testfiles.h"
#include "testpki.h"

#include <QCryptographicHash>
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

using namespace integration;
using namespace Qt::StringLiterals;

namespace {

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

// Every leaf part of a MIME file, decoded, and every defect (policy=default).
const char kPythonReport[] = R"PY(
import email, email.policy, hashlib, json, sys
data = open(sys.argv[1], 'rb').read()
msg = email.message_from_bytes(data, policy=email.policy.default)
defects = []
parts = []
for part in msg.walk():
    defects += [type(d).__name__ for d in part.defects]
    for name, value in part.items():
        defects += ['%s: %s' % (name, type(d).__name__) for d in getattr(value, 'defects', ())]
    if part.is_multipart():
        parts.append({'type': part.get_content_type(), 'multipart': True})
        continue
    payload = part.get_payload(decode=True) or b''
    entry = {'type': part.get_content_type(), 'multipart': False,
             'sha256': hashlib.sha256(payload).hexdigest(), 'size': len(payload),
             'filename': part.get_filename() or '',
             'disposition': part.get_content_disposition() or '',
             'cid': str(part.get('Content-ID', ''))}
    if part.get_content_maintype() == 'text':
        entry['text'] = part.get_content().replace('\r\n', '\n')
    parts.append(entry)
print(json.dumps({'defects': defects, 'type': msg.get_content_type(), 'parts': parts}))
)PY";

QByteArray sha256(const QByteArray &data)
{
    return QCryptographicHash::hash(data, QCryptographicHash::Sha256).toHex();
}

QByteArray randomBytes(qsizetype size, quint32 seed)
{
    QByteArray out(size, Qt::Uninitialized);
    QRandomGenerator generator(seed);
    qsizetype i = 0;
    for (; i + 4 <= size; i += 4) {
        const quint32 v = generator.generate();
        out[i] = static_cast<char>(v);
        out[i + 1] = static_cast<char>(v >> 8);
        out[i + 2] = static_cast<char>(v >> 16);
        out[i + 3] = static_cast<char>(v >> 24);
    }
    for (; i < size; ++i)
        out[i] = static_cast<char>(generator.bounded(256));
    return out;
}

// LF line ends (Postfix's Maildir) back to CRLF.
QByteArray toCrlf(QByteArray data)
{
    data.replace("\r\n", "\n");
    data.replace("\n", "\r\n");
    return data;
}

QString trimmedNewlines(QString text)
{
    while (text.endsWith(u'\n'))
        text.chop(1);
    return text;
}

template<typename Pred> QJsonObject findPart(const QJsonObject &report, Pred pred)
{
    const QJsonArray parts = report.value(u"parts"_s).toArray();
    for (const QJsonValue &v : parts) {
        if (pred(v.toObject()))
            return v.toObject();
    }
    return QJsonObject();
}

bool sentWithBdatOnly(const QStringList &clientLines)
{
    bool bdat = false;
    for (const QString &line : clientLines) {
        if (line.startsWith(u"BDAT "_s, Qt::CaseInsensitive))
            bdat = true;
        if (line.trimmed().compare(u"DATA"_s, Qt::CaseInsensitive) == 0)
            return false;
    }
    return bdat;
}

} // namespace

class tst_SmimeDelivery : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanupTestCase();

    void signedAndEncryptedThroughPostfix();
    void clearSignedThroughPostfix();
    void clearSignedThroughSinkIsByteExact();
    void largeAttachmentThroughPostfix_data();
    void largeAttachmentThroughPostfix();

private:
    Run openssl(const QStringList &arguments);
    bool writeFile(const QString &name, const QByteArray &data);
    QByteArray readFile(const QString &name) const;
    QString path(const QString &name) const { return m_dir.filePath(name); }
    QJsonObject pythonReport(const QString &file, QString *why);
    Run verify(const QString &tool, const QString &file);
    Run decrypt(const QString &file);
    void setUpMessage(Ssmtp &smtp, const RealSmtpServer &server) const;
    bool startPostfix();

    QTemporaryDir m_dir;
    QString m_openssl;
    QString m_python;
    SsmtpCertificate m_signer;
    RealSmtpServer m_postfix;
    bool m_postfixTried = false;
    RealSmtpServer m_sink;
};

Run tst_SmimeDelivery::openssl(const QStringList &arguments)
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

bool tst_SmimeDelivery::writeFile(const QString &name, const QByteArray &data)
{
    return testfiles::writeFile(path(name), data);
}

QByteArray tst_SmimeDelivery::readFile(const QString &name) const
{
    return testfiles::readFile(path(name));
}

QJsonObject tst_SmimeDelivery::pythonReport(const QString &file, QString *why)
{
    QProcess process;
    process.start(m_python, {path(u"report.py"_s), path(file)});
    if (!process.waitForFinished(60000) || process.exitStatus() != QProcess::NormalExit ||
        process.exitCode() != 0) {
        *why = QString::fromUtf8(process.readAllStandardError());
        return QJsonObject();
    }
    return QJsonDocument::fromJson(process.readAllStandardOutput()).object();
}

Run tst_SmimeDelivery::verify(const QString &tool, const QString &file)
{
    const QString out = file + u".verified"_s;
    QFile::remove(path(out));
    Run run =
        openssl({tool, u"-verify"_s, u"-CAfile"_s, u"root.pem"_s, u"-in"_s, file, u"-out"_s, out});
    run.out = readFile(out);
    return run;
}

Run tst_SmimeDelivery::decrypt(const QString &file)
{
    const QString out = file + u".decrypted"_s;
    QFile::remove(path(out));
    Run run = openssl({u"cms"_s, u"-decrypt"_s, u"-in"_s, file, u"-recip"_s, u"rsa_recipient.pem"_s,
                       u"-inkey"_s, u"rsa_recipient.key"_s, u"-out"_s, out});
    run.out = readFile(out);
    return run;
}

void tst_SmimeDelivery::setUpMessage(Ssmtp &smtp, const RealSmtpServer &server) const
{
    useServer(smtp, server);
    smtp.setFrom(u"RSA Signer <signer@example.test>"_s);
    smtp.setSendTo(u"RSA Recipient <recipient@example.test>"_s);
    smtp.setSubject(u"S/MIME – Zustellung"_s);
    smtp.setCertificate(m_signer);
}

// Postfix is started on first use (about 2.5 s), so the sink test does not wait for it.
bool tst_SmimeDelivery::startPostfix()
{
    if (!m_postfixTried) {
        m_postfixTried = true;
        m_postfix = RealSmtpServer::startPostfix();
    }
    return m_postfix.isRunning();
}

void tst_SmimeDelivery::initTestCase()
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
    QVERIFY2(!m_python.isEmpty(), "python3 is needed");
    QVERIFY(writeFile(u"report.py"_s, kPythonReport));

    QVERIFY(writeFile(u"ext.cnf"_s,
                      "[req]\n"
                      "distinguished_name = dn\n"
                      "[dn]\n"
                      "[ca]\n"
                      "basicConstraints = critical, CA:TRUE\n"
                      "keyUsage = critical, keyCertSign, cRLSign\n"
                      "subjectKeyIdentifier = hash\n"
                      "[leaf]\n"
                      "basicConstraints = CA:FALSE\n"
                      "keyUsage = critical, digitalSignature, nonRepudiation, keyEncipherment\n"
                      "extendedKeyUsage = emailProtection\n"));
    TestPki pki(m_dir.path(), m_openssl, 10);
    QString why;
    QVERIFY2(pki.create(u"root"_s, u"/CN=Ssmtp Delivery Test CA"_s, TestPki::Rsa, QString(),
                        u"ca"_s, &why),
             qPrintable(why));
    for (const QString &name : {u"rsa_signer"_s, u"rsa_recipient"_s}) {
        QVERIFY2(pki.create(name,
                            u"/CN="_s + name + u"/emailAddress="_s + name + u"@example.test"_s,
                            TestPki::Rsa, u"root"_s, u"leaf"_s, &why),
                 qPrintable(why));
    }
    QString error;
    m_signer = SsmtpCertificate::load(SsmtpCertificate::PemKeyBlob,
                                      readFile(u"rsa_signer.pem"_s) + readFile(u"rsa_signer.key"_s),
                                      QString(), u"*"_s, QString(), &error);
    QVERIFY2(!m_signer.isNull() && m_signer.privateKeyAvailable(), qPrintable(error));

    m_sink = RealSmtpServer::startSmtpServerSink();
}

void tst_SmimeDelivery::init()
{
    if (m_postfix.isRunning())
        m_postfix.clearMessages();
    if (m_sink.isRunning())
        m_sink.clearMessages();
}

void tst_SmimeDelivery::cleanupTestCase()
{
    m_postfix.stop();
    m_sink.stop();
}

void tst_SmimeDelivery::signedAndEncryptedThroughPostfix()
{
    startPostfix();
    REALSERVER_REQUIRE(m_postfix);

    const QString binaryName = u"Messwerte – März €.bin"_s;
    const QByteArray binary = randomBytes(300 * 1024 + 5, 3);
    QVERIFY(writeFile(binaryName, binary));
    const QByteArray textAttachment = "line one\nline two with a bare LF\r\nand CRLF\n";
    const QString html = u"<p>Grüße als <i>HTML</i>, mit Anhängen.</p>"_s;
    const QString text = u"Grüße als Text, mit Anhängen.\n.a line with a leading dot"_s;

    Ssmtp smtp;
    SsmtpSpies spies(&smtp);
    setUpMessage(smtp, m_postfix);
    smtp.setMessageText(text);
    smtp.setMessageHtml(html);
    smtp.addAttachment(path(binaryName));
    smtp.addAttachment(SsmtpAttachment::fromData(textAttachment, u"notes.txt"_s, u"text/plain"_s));
    QVERIFY(smtp.addRecipientCert(readFile(u"rsa_recipient.pem"_s)));
    QVERIFY2(smtp.signAndEncrypt(), qPrintable(smtp.errorString()));
    smtp.send();
    QVERIFY2(waitForOperation(smtp, spies.sent, spies.errors), qPrintable(spies.trailText()));
    QVERIFY2(spies.errors.isEmpty(), qPrintable(spies.errorText() + u'\n' + spies.trailText()));
    QVERIFY2(sentWithBdatOnly(spies.clientLines()), qPrintable(spies.trailText()));

    const QList<QByteArray> messages = m_postfix.waitForMessages(1, 30000);
    QVERIFY2(messages.size() == 1, qPrintable(m_postfix.log()));
    const QByteArray stored = messages.first();
    // Postfix's Maildir copy: LF line ends, its own header fields on top.
    QVERIFY(!stored.contains("\r\n"));
    QVERIFY(stored.startsWith("Return-Path: <signer@example.test>\n"));
    QVERIFY(stored.contains("\nDelivered-To: recipient@example.test\n"));
    QVERIFY(writeFile(u"postfix-enveloped.eml"_s, stored));
    const QJsonObject outer = RealSmtpServer::checkMessage(stored);
    QCOMPARE(outer.value(u"defects"_s).toInt(), 0);
    QCOMPARE(outer.value(u"content_type"_s).toString(), u"application/pkcs7-mime"_s);

    // The LF file decrypts as it is, and so does the CRLF form.
    Run run = decrypt(u"postfix-enveloped.eml"_s);
    QVERIFY2(run.exitCode == 0, run.describe().constData());
    const QByteArray signedEntity = run.out;
    QVERIFY(writeFile(u"postfix-enveloped-crlf.eml"_s, toCrlf(stored)));
    run = decrypt(u"postfix-enveloped-crlf.eml"_s);
    QVERIFY2(run.exitCode == 0, run.describe().constData());
    QCOMPARE(run.out, signedEntity);

    // Inside: the clear-signed entity with its CRLF line ends, untouched by Postfix.
    QVERIFY2(signedEntity.startsWith("Content-Type: multipart/signed"),
             signedEntity.left(300).constData());
    QVERIFY(writeFile(u"postfix-signed.eml"_s, signedEntity));
    run = verify(u"cms"_s, u"postfix-signed.eml"_s);
    QVERIFY2(run.exitCode == 0, run.describe().constData());
    const QByteArray entity = run.out;
    QCOMPARE(verify(u"smime"_s, u"postfix-signed.eml"_s).out, entity);
    QVERIFY(writeFile(u"postfix-entity.eml"_s, entity));

    QString why;
    const QJsonObject report = pythonReport(u"postfix-entity.eml"_s, &why);
    QVERIFY2(!report.isEmpty(), qPrintable(why));
    const QByteArray json = QJsonDocument(report).toJson();
    QVERIFY2(report.value(u"defects"_s).toArray().isEmpty(), json.constData());
    QCOMPARE(report.value(u"type"_s).toString(), u"multipart/mixed"_s);
    const QJsonObject plain = findPart(report, [](const QJsonObject &p) {
        return p.value(u"type"_s).toString() == u"text/plain"_s &&
               p.value(u"disposition"_s).toString() != u"attachment"_s;
    });
    QCOMPARE(trimmedNewlines(plain.value(u"text"_s).toString()), text);
    const QJsonObject htmlPart = findPart(report, [](const QJsonObject &p) {
        return p.value(u"type"_s).toString() == u"text/html"_s;
    });
    QCOMPARE(trimmedNewlines(htmlPart.value(u"text"_s).toString()), html);
    const QJsonObject binaryPart = findPart(report, [&](const QJsonObject &p) {
        return p.value(u"filename"_s).toString() == binaryName;
    });
    QVERIFY2(!binaryPart.isEmpty(), json.constData());
    QCOMPARE(binaryPart.value(u"sha256"_s).toString().toLatin1(), sha256(binary));
    const QJsonObject notes = findPart(report, [](const QJsonObject &p) {
        return p.value(u"filename"_s).toString() == u"notes.txt"_s;
    });
    QVERIFY2(!notes.isEmpty(), json.constData());
    // Attachments are base64: the bare LF and the CRLF survive as they were.
    QCOMPARE(notes.value(u"sha256"_s).toString().toLatin1(), sha256(textAttachment));
}

void tst_SmimeDelivery::clearSignedThroughPostfix()
{
    startPostfix();
    REALSERVER_REQUIRE(m_postfix);

    Ssmtp smtp;
    SsmtpSpies spies(&smtp);
    setUpMessage(smtp, m_postfix);
    smtp.setMessageText(u"Grüße, klar signiert.\n.leading dot\ntrailing space \nend"_s);
    smtp.addAttachment(SsmtpAttachment::fromData(randomBytes(2000, 5), u"data.bin"_s));
    QVERIFY2(smtp.sign(), qPrintable(smtp.errorString()));
    smtp.send();
    QVERIFY2(waitForOperation(smtp, spies.sent, spies.errors), qPrintable(spies.trailText()));
    QVERIFY2(spies.errors.isEmpty(), qPrintable(spies.errorText() + u'\n' + spies.trailText()));

    const QList<QByteArray> messages = m_postfix.waitForMessages(1, 30000);
    QVERIFY2(messages.size() == 1, qPrintable(m_postfix.log()));
    const QByteArray stored = messages.first();
    QVERIFY(writeFile(u"postfix-clear-lf.eml"_s, stored));
    QVERIFY(writeFile(u"postfix-clear-crlf.eml"_s, toCrlf(stored)));

    // The CRLF form verifies with both of OpenSSL's verifiers.
    const Run cms = verify(u"cms"_s, u"postfix-clear-crlf.eml"_s);
    QVERIFY2(cms.exitCode == 0, cms.describe().constData());
    const Run smime = verify(u"smime"_s, u"postfix-clear-crlf.eml"_s);
    QVERIFY2(smime.exitCode == 0, smime.describe().constData());
    QCOMPARE(smime.out, cms.out);
    // ... and the content is the entity the client signed, byte for byte.
    QVERIFY(smtp.messageText().toLatin1().contains(QByteArray("\r\n" + cms.out + "\r\n--")));

    // The LF file as Postfix stored it verifies as well, with the same (CRLF) content.
    for (const QString &tool : {u"cms"_s, u"smime"_s}) {
        const Run lf = verify(tool, u"postfix-clear-lf.eml"_s);
        QVERIFY2(lf.exitCode == 0, lf.describe().constData());
        QCOMPARE(lf.out, cms.out);
    }
}

void tst_SmimeDelivery::clearSignedThroughSinkIsByteExact()
{
    REALSERVER_REQUIRE(m_sink);

    Ssmtp smtp;
    SsmtpSpies spies(&smtp);
    setUpMessage(smtp, m_sink);
    // Leading dots: the sink only speaks DATA, so they are stuffed on the wire and unstuffed
    // by the server; the signed octets must come out unchanged.
    smtp.setMessageText(u".\n..two dots\n.one dot\nGrüße\nFrom the start of a line\nend"_s);
    smtp.setSigningAlgorithm(u"sha-384"_s);
    QVERIFY2(smtp.sign(), qPrintable(smtp.errorString()));
    const QByteArray body = smtp.messageText().toLatin1();
    smtp.send();
    QVERIFY2(waitForOperation(smtp, spies.sent, spies.errors), qPrintable(spies.trailText()));
    QVERIFY2(spies.errors.isEmpty(), qPrintable(spies.errorText() + u'\n' + spies.trailText()));

    const QList<QByteArray> messages = m_sink.waitForMessages(1, 10000);
    QCOMPARE(messages.size(), 1);
    const QByteArray stored = messages.first();
    // The header block the client composed, then exactly the signed body.
    const qsizetype headerEnd = stored.indexOf("\r\n\r\n");
    QVERIFY(headerEnd > 0);
    QCOMPARE(stored.mid(headerEnd + 4), body + (body.endsWith("\r\n") ? "" : "\r\n"));
    QVERIFY(stored.left(headerEnd).contains("Content-Type: multipart/signed;"));
    QVERIFY(writeFile(u"sink-signed.eml"_s, stored));

    const Run cms = verify(u"cms"_s, u"sink-signed.eml"_s);
    QVERIFY2(cms.exitCode == 0, cms.describe().constData());
    QVERIFY2(cms.err.contains("Verification successful"), cms.describe().constData());
    const Run smime = verify(u"smime"_s, u"sink-signed.eml"_s);
    QVERIFY2(smime.exitCode == 0, smime.describe().constData());
    QCOMPARE(smime.out, cms.out);
    QVERIFY(body.contains(QByteArray("\r\n" + cms.out + "\r\n--")));
    const QJsonObject report = RealSmtpServer::checkMessage(stored);
    QCOMPARE(report.value(u"defects"_s).toInt(), 0);
    QCOMPARE(report.value(u"content_type"_s).toString(), u"multipart/signed"_s);
}

void tst_SmimeDelivery::largeAttachmentThroughPostfix_data()
{
    QTest::addColumn<bool>("signAndEncrypt");
    QTest::newRow("plain") << false;
    QTest::newRow("signed and encrypted") << true;
}

void tst_SmimeDelivery::largeAttachmentThroughPostfix()
{
    QFETCH(bool, signAndEncrypt);
    startPostfix();
    REALSERVER_REQUIRE(m_postfix);

    const QByteArray data = randomBytes(5 * 1024 * 1024, 42);
    const QString name = u"five-megabytes.bin"_s;
    QVERIFY(writeFile(name, data));

    Ssmtp smtp;
    SsmtpSpies spies(&smtp);
    setUpMessage(smtp, m_postfix);
    smtp.setMessageText(u"5 MB attached."_s);
    smtp.addAttachment(path(name));
    if (signAndEncrypt) {
        QVERIFY(smtp.addRecipientCert(readFile(u"rsa_recipient.pem"_s)));
        QVERIFY2(smtp.signAndEncrypt(), qPrintable(smtp.errorString()));
    }
    smtp.send();
    QVERIFY2(waitForOperation(smtp, spies.sent, spies.errors, 120000),
             qPrintable(spies.trailText()));
    QVERIFY2(spies.errors.isEmpty(), qPrintable(spies.errorText() + u'\n' + spies.trailText()));
    QVERIFY2(sentWithBdatOnly(spies.clientLines()), qPrintable(spies.trailText()));
    QVERIFY2(m_postfix.log().contains(u" bdat="_s), qPrintable(m_postfix.log()));

    const QList<QByteArray> messages = m_postfix.waitForMessages(1, 60000);
    QVERIFY2(messages.size() == 1, qPrintable(m_postfix.log()));
    QString file = u"large.eml"_s;
    QVERIFY(writeFile(file, messages.first()));
    if (signAndEncrypt) {
        Run run = decrypt(file);
        QVERIFY2(run.exitCode == 0, run.describe().constData());
        QVERIFY(writeFile(u"large.signed.eml"_s, run.out));
        run = verify(u"cms"_s, u"large.signed.eml"_s);
        QVERIFY2(run.exitCode == 0, run.describe().constData());
        file = u"large.entity.eml"_s;
        QVERIFY(writeFile(file, run.out));
    }
    QString why;
    const QJsonObject report = pythonReport(file, &why);
    QVERIFY2(!report.isEmpty(), qPrintable(why));
    QVERIFY2(report.value(u"defects"_s).toArray().isEmpty(),
             QJsonDocument(report.value(u"defects"_s).toArray()).toJson().constData());
    const QJsonObject attachment = findPart(
        report, [&](const QJsonObject &p) { return p.value(u"filename"_s).toString() == name; });
    QVERIFY2(!attachment.isEmpty(), QJsonDocument(report).toJson().constData());
    QCOMPARE(attachment.value(u"size"_s).toInteger(), qint64(data.size()));
    QCOMPARE(attachment.value(u"sha256"_s).toString().toLatin1(), sha256(data));
}

QTEST_GUILESS_MAIN(tst_SmimeDelivery)
#include "tst_smime_delivery.moc"
