// No credential leaves the library through what an application can see: for every SASL
// mechanism, successful and failing logins against real servers (Postfix + Dovecot, npm
// smtp-server) and failure paths scripted with FakeSmtpServer (535, 534, a challenge that is not
// base64, endless challenges), plus queue() and processQueue(). Everything observable is
// collected: the arguments of every Ssmtp signal (piTrail, errorOccurred, lastReplyChanged,
// ...), errorString(), lastReply(), the library's Qt log messages and every file in the queue
// directory. None may contain the password or the token, plain or base64 (also the base64 of the
// whole PLAIN / XOAUTH2 / OAUTHBEARER initial response), while MaskSensitive is on (default).
// With MaskSensitive=false the same detector must find them in the trail: the test can fail.
#include "fakesmtpserver.h"
#include "integrationutil.h"
#include "realserver.h"
#include "sessiontestutil.h"
#include "ssmtp.h"

#include <QDirIterator>
#include <QFileInfo>
#include <QMetaMethod>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace integration;

namespace {

const QString kUser = QStringLiteral("alice");
const QString kPassword = QStringLiteral("Leak-Pa55-7c1e");
const QString kToken = QStringLiteral("tok-9f3ae1d0c4");

struct Mechanism
{
    Ssmtp::AuthMechanism value;
    QByteArray name;
    bool oauth;           // XOAUTH2/OAUTHBEARER: the secret that matters is the token
    bool secretOnWire;    // the secret itself (base64) is on the wire, so unmasked trails show it
    bool initial;         // sends an initial response with AUTH
    QByteArray challenge; // a challenge it answers (fake server scripts)
    int answers;          // how often it answers that challenge before cancelling with "*"
};

const QList<Mechanism> &mechanisms()
{
    static const QList<Mechanism> list = {
        {Ssmtp::AuthMechanism::SaslPlain, "PLAIN", false, true, true, "", 0},
        {Ssmtp::AuthMechanism::UserPassword, "LOGIN", false, true, false, "Username:", 2},
        {Ssmtp::AuthMechanism::CramMd5, "CRAM-MD5", false, false, false, "<1.2@fake>", 1},
        {Ssmtp::AuthMechanism::SaslDigestMd5, "DIGEST-MD5", false, false, false,
         "nonce=\"abc\",algorithm=md5-sess,qop=\"auth\"", 1},
        // MS-NLMP 4.2.3's CHALLENGE_MESSAGE.
        {Ssmtp::AuthMechanism::Ntlm, "NTLM", false, false, true,
         QByteArray::fromHex("4e544c4d53535000020000000c000c003800000033820a820123456789abcdef00"
                             "000000000000000000000000000000060070170000000f5300650072007600650"
                             "07200"),
         1},
        {Ssmtp::AuthMechanism::XOAuth2, "XOAUTH2", true, true, true, R"({"status":"401"})", 1},
        {Ssmtp::AuthMechanism::OAuthBearer, "OAUTHBEARER", true, true, true,
         R"({"status":"invalid_token"})", 1},
        {Ssmtp::AuthMechanism::ScramSha256, "SCRAM-SHA-256", false, false, true,
         "r=not-our-nonce,s=QSXCR+Q6sek8bf92,i=4096", 0},
    };
    return list;
}

const Mechanism &mechanism(const QByteArray &name)
{
    for (const Mechanism &m : mechanisms()) {
        if (m.name == name)
            return m;
    }
    qFatal("no mechanism %s", name.constData());
}

// The secrets one login was given (empty: not set).
struct Secrets
{
    QString password;
    QString token;
};

// Every form of the secrets that must never be seen: plain, base64 (without padding, so that it
// is found inside longer base64 too), and base64 of the whole initial responses that carry them
// (PLAIN with and without the token as authzid; XOAUTH2 and OAUTHBEARER with either secret as
// the token, as the password stands in for a missing token).
QList<QByteArray> forbiddenForms(const Secrets &secrets)
{
    const QByteArray user = kUser.toUtf8();
    QList<QByteArray> plain;
    for (const QString &secret : {secrets.password, secrets.token}) {
        if (!secret.isEmpty())
            plain << secret.toUtf8();
    }
    QList<QByteArray> encoded = plain;
    for (const QByteArray &secret : std::as_const(plain)) {
        encoded << '\0' + user + '\0' + secret
                << secrets.token.toUtf8() + '\0' + user + '\0' + secret
                << "user=" + user + "\x01" + "auth=Bearer " + secret + "\x01\x01"
                << "n,a=" + user + ",\x01" + "auth=Bearer " + secret + "\x01\x01";
    }
    QList<QByteArray> forms = plain;
    for (const QByteArray &text : std::as_const(encoded))
        forms << text.toBase64(QByteArray::OmitTrailingEquals);
    return forms;
}

QStringList findSecrets(const QByteArray &haystack, const Secrets &secrets)
{
    QStringList found;
    for (const QByteArray &form : forbiddenForms(secrets)) {
        if (haystack.contains(form))
            found << QString::fromLatin1(form.toPercentEncoding());
    }
    return found;
}

QString textOf(const QVariant &value)
{
    if (value.metaType() == QMetaType::fromType<QByteArray>())
        return QString::fromLatin1(value.toByteArray());
    if (value.metaType() == QMetaType::fromType<QStringList>())
        return value.toStringList().join(QLatin1Char('\n'));
    return value.toString();
}

// Qt log messages of the whole process while a Watcher lives.
QStringList *g_log = nullptr;
QtMessageHandler g_previousHandler = nullptr;

void recordMessage(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    if (g_log)
        g_log->append(message);
    if (g_previousHandler)
        g_previousHandler(type, context, message);
}

// Spies on every signal of one Ssmtp object (whatever signals it grows later) and collects the
// rest of what an application can read.
class Watcher
{
public:
    explicit Watcher(Ssmtp *smtp)
        : m_smtp(smtp)
    {
        const QMetaObject *meta = smtp->metaObject();
        for (int i = QObject::staticMetaObject.methodCount(); i < meta->methodCount(); ++i) {
            const QMetaMethod method = meta->method(i);
            if (method.methodType() != QMetaMethod::Signal)
                continue;
            bool known = true;
            for (int p = 0; p < method.parameterCount(); ++p)
                known = known && method.parameterMetaType(p).isValid();
            if (known)
                m_spies.push_back(std::make_unique<QSignalSpy>(smtp, method));
        }
        g_log = &m_log;
        g_previousHandler = qInstallMessageHandler(recordMessage);
    }
    ~Watcher()
    {
        qInstallMessageHandler(g_previousHandler);
        g_log = nullptr;
    }

    void addFiles(const QString &dir)
    {
        QDirIterator it(dir, QDir::Files | QDir::Hidden | QDir::System,
                        QDirIterator::Subdirectories);
        while (it.hasNext()) {
            QFile file(it.next());
            if (file.open(QIODevice::ReadOnly))
                m_files += file.fileName().toUtf8() + '\n' + file.readAll() + '\n';
        }
    }

    // Everything seen so far, one item per line.
    QByteArray everything() const
    {
        QStringList all;
        for (const auto &spy : m_spies) {
            for (const QList<QVariant> &call : *spy) {
                QStringList args;
                for (const QVariant &arg : call)
                    args << textOf(arg);
                all << QString::fromLatin1(spy->signal()) + QLatin1Char(' ') +
                           args.join(QLatin1Char(' '));
            }
        }
        all << QStringLiteral("errorString ") + m_smtp->errorString();
        all << QStringLiteral("lastReply ") + m_smtp->lastReply();
        all += m_log;
        return all.join(QLatin1Char('\n')).toUtf8() + '\n' + m_files;
    }

    // Proof that the collection works at all: the trail has the AUTH command.
    bool sawAuth() const { return everything().contains("AUTH "); }

private:
    Ssmtp *m_smtp;
    std::vector<std::unique_ptr<QSignalSpy>> m_spies;
    QStringList m_log;
    QByteArray m_files;
};

// Sets the credentials for mechanism m with `secret` as its password (or token, for the OAuth
// mechanisms); with `both`, the other secret is set too (it must not leak either). Returns the
// secrets to look for.
Secrets setCredentials(Ssmtp &smtp, const Mechanism &m, const QString &secret, bool both)
{
    smtp.config(QStringLiteral("AllowInsecureAuth=true"));
    smtp.setAuthMechanism(m.value);
    smtp.setUser(kUser);
    Secrets s;
    if (m.oauth) {
        s.token = secret;
        s.password = both ? kPassword : QString();
    } else {
        s.password = secret;
        s.token = both ? kToken : QString();
    }
    smtp.setPassword(s.password);
    if (!s.token.isEmpty())
        smtp.config(QStringLiteral("AuthorizationIdentity=") + s.token);
    return s;
}

void waitForEnd(Ssmtp &smtp, QSignalSpy &done, QSignalSpy &errors)
{
    QVERIFY(waitForOperation(smtp, done, errors, 30000));
}

QString authLine(const Mechanism &m)
{
    return QStringLiteral("C: AUTH ") + QString::fromLatin1(m.name) +
           (m.initial ? QStringLiteral(" *\n") : QStringLiteral("\n"));
}

QString challengeLine(const QByteArray &challenge)
{
    return QStringLiteral("S: 334 ") + QString::fromLatin1(challenge.toBase64()) +
           QLatin1Char('\n');
}

} // namespace

class tst_CredentialLeak : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();

    void realServers_data();
    void realServers();
    void fakeServerFailures_data();
    void fakeServerFailures();
    void queueAndProcessQueue_data();
    void queueAndProcessQueue();

private:
    RealSmtpServer m_postfix;
    RealSmtpServer m_sink;
    RealSmtpServer m_loginSink;
};

void tst_CredentialLeak::initTestCase()
{
    qRegisterMetaType<Ssmtp::Error>();
    m_postfix = startSaslPostfix(kUser, kPassword);
    // smtp-server's XOAUTH2 takes the password as the token: a sink per secret.
    m_sink = startSaslSink(kUser, kPassword, QStringLiteral("PLAIN,CRAM-MD5"));
    m_loginSink = startSaslSink(kUser, kToken, QStringLiteral("LOGIN,XOAUTH2"));
}

void tst_CredentialLeak::cleanupTestCase()
{
    m_postfix.stop();
    m_sink.stop();
    m_loginSink.stop();
}

void tst_CredentialLeak::realServers_data()
{
    QTest::addColumn<QString>("server");
    QTest::addColumn<QByteArray>("mechanism");
    QTest::addColumn<bool>("right");
    QTest::addColumn<bool>("masked");
    const QList<QPair<const char *, QList<QByteArray>>> servers = {
        {"postfix",
         {"PLAIN", "CRAM-MD5", "DIGEST-MD5", "NTLM", "SCRAM-SHA-256", "XOAUTH2", "OAUTHBEARER"}},
        {"smtp-server", {"PLAIN", "CRAM-MD5", "LOGIN", "XOAUTH2"}}};
    for (const auto &server : servers) {
        for (const QByteArray &name : server.second) {
            for (const bool right : {true, false}) {
                for (const bool masked : {true, false}) {
                    QTest::addRow("%s %s %s %s", server.first, name.constData(),
                                  right ? "right" : "wrong", masked ? "masked" : "unmasked")
                        << QString::fromLatin1(server.first) << name << right << masked;
                }
            }
        }
    }
}

void tst_CredentialLeak::realServers()
{
    QFETCH(QString, server);
    QFETCH(QByteArray, mechanism);
    QFETCH(bool, right);
    QFETCH(bool, masked);
    const Mechanism &m = ::mechanism(mechanism);
    // The sinks' secrets: PLAIN/CRAM-MD5 one has the password, LOGIN/XOAUTH2 one the token
    // (smtp-server checks XOAUTH2 tokens against its password); Dovecot checks tokens like
    // passwords, so at Postfix the OAuth mechanisms' token is the password.
    const bool tokenSink =
        server != QLatin1String("postfix") && (mechanism == "LOGIN" || mechanism == "XOAUTH2");
    RealSmtpServer &real = server == QLatin1String("postfix") ? m_postfix
                           : tokenSink                        ? m_loginSink
                                                              : m_sink;
    REALSERVER_REQUIRE(real);
    if (mechanism == "NTLM")
        REQUIRE_NTLM_AUTH();

    Ssmtp smtp;
    SsmtpSpies spies(&smtp);
    useServer(smtp, real);
    const QString secret =
        (tokenSink ? kToken : kPassword) + (right ? QString() : QStringLiteral("-wrong"));
    const Secrets secrets = setCredentials(smtp, m, secret, false);
    if (!masked)
        smtp.config(QStringLiteral("MaskSensitive=false"));
    smtp.setFrom(QStringLiteral("alice@example.test"));
    smtp.setSendTo(QStringLiteral("bob@example.test"));
    smtp.setSubject(QStringLiteral("leak test"));
    smtp.setMessageText(QStringLiteral("hello"));
    Watcher watcher(&smtp);
    smtp.send();
    waitForEnd(smtp, spies.sent, spies.errors);
    // The login went as the row says (else the test would prove nothing).
    QVERIFY2(spies.clientLines()
                 .join(QLatin1Char('\n'))
                 .contains(QLatin1String("AUTH ") + QString::fromLatin1(mechanism)),
             qPrintable(spies.trailText()));
    QCOMPARE(spies.sent.count(), right ? 1 : 0);
    QCOMPARE(spies.errorCodes(), right ? QList<int>() : QList<int>{Ssmtp::AuthenticationError});

    const QStringList found = findSecrets(watcher.everything(), secrets);
    if (masked) {
        QVERIFY2(found.isEmpty(), qPrintable(found.join(QLatin1Char(' ')) + QLatin1Char('\n') +
                                             QString::fromUtf8(watcher.everything())));
    } else if (m.secretOnWire) {
        // Unmasked, the trail shows the secret: the detector works.
        QVERIFY2(!found.isEmpty(), qPrintable(QString::fromUtf8(watcher.everything())));
    } else {
        // Challenge-response mechanisms never send the secret, but unmasked their responses
        // are in the trail (so masking was what hid them above).
        QVERIFY2(found.isEmpty(), qPrintable(found.join(QLatin1Char(' '))));
        QVERIFY(!spies.clientLines().contains(QStringLiteral("****")));
    }
}

void tst_CredentialLeak::fakeServerFailures_data()
{
    QTest::addColumn<QByteArray>("mechanism");
    QTest::addColumn<QString>("scenario");
    for (const Mechanism &m : mechanisms()) {
        for (const char *scenario : {"535", "534", "garbage", "endless"})
            QTest::addRow("%s %s", m.name.constData(), scenario)
                << m.name << QString::fromLatin1(scenario);
    }
}

void tst_CredentialLeak::fakeServerFailures()
{
    QFETCH(QByteArray, mechanism);
    QFETCH(QString, scenario);
    const Mechanism &m = ::mechanism(mechanism);

    QString script =
        sessiontest::ehlo({QStringLiteral("AUTH ") + QString::fromLatin1(m.name)}) + authLine(m);
    if (scenario == QLatin1String("garbage")) {
        script += QStringLiteral("S: 334 %%%not-base64%%%\nC: \\*\nS: 501 5.7.0 cancelled\n");
    } else {
        for (int i = 0; i < m.answers; ++i)
            script += challengeLine(m.challenge) + QStringLiteral("C: *\n");
        if (scenario == QLatin1String("535"))
            script += QStringLiteral("S: 535 5.7.8 Authentication credentials invalid\n");
        else if (scenario == QLatin1String("534")) // RFC 4954: mechanism too weak
            script += QStringLiteral("S: 534 5.7.9 Authentication mechanism is too weak\n");
        else // the server keeps challenging, even after the client's "*"
            script += challengeLine(m.challenge) + QStringLiteral("C: \\*\n") +
                      challengeLine(m.challenge);
    }
    script += QStringLiteral("EXPECT-CLOSE\n");

    FakeSmtpServer server;
    server.setScript(script);
    Ssmtp smtp;
    sessiontest::setUpMessage(smtp, server.listen());
    const Secrets secrets = setCredentials(smtp, m, m.oauth ? kToken : kPassword, true);
    QSignalSpy sent(&smtp, &Ssmtp::messageSent);
    QSignalSpy errors(&smtp, &Ssmtp::errorOccurred);
    Watcher watcher(&smtp);
    smtp.send();
    QVERIFY2(server.waitForFinished(10000), qPrintable(server.failure()));
    waitForEnd(smtp, sent, errors);
    QCOMPARE(sent.count(), 0);
    QCOMPARE(errors.count(), 1);
    QCOMPARE(errors.first().at(0).value<Ssmtp::Error>(), Ssmtp::AuthenticationError);
    QVERIFY(watcher.sawAuth());
    const QStringList found = findSecrets(watcher.everything(), secrets);
    QVERIFY2(found.isEmpty(), qPrintable(found.join(QLatin1Char(' ')) + QLatin1Char('\n') +
                                         QString::fromUtf8(watcher.everything())));
    // The server did get the exchange (the secrets are only kept out of what is reported).
    if (m.secretOnWire && m.initial)
        QVERIFY(!findSecrets(server.received(), secrets).isEmpty());
}

void tst_CredentialLeak::queueAndProcessQueue_data()
{
    QTest::addColumn<QByteArray>("mechanism");
    QTest::addColumn<bool>("succeeds");
    for (const char *name : {"PLAIN", "LOGIN", "XOAUTH2"}) {
        QTest::addRow("%s sent", name) << QByteArray(name) << true;
        QTest::addRow("%s refused", name) << QByteArray(name) << false;
    }
}

void tst_CredentialLeak::queueAndProcessQueue()
{
    QFETCH(QByteArray, mechanism);
    QFETCH(bool, succeeds);
    const Mechanism &m = ::mechanism(mechanism);
    // Success against a real sink (PLAIN: the password sink; LOGIN and XOAUTH2: the token
    // sink), refusal from a fake server.
    RealSmtpServer &sink = mechanism == "PLAIN" ? m_sink : m_loginSink;
    if (succeeds)
        REALSERVER_REQUIRE(sink);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());

    FakeSmtpServer fake;
    fake.setScript(sessiontest::ehlo({QStringLiteral("AUTH ") + QString::fromLatin1(m.name)}) +
                   authLine(m) +
                   (m.name == "LOGIN" ? challengeLine("Username:") + QStringLiteral("C: *\n") +
                                            challengeLine("Password:") + QStringLiteral("C: *\n")
                                      : QString()) +
                   QStringLiteral("S: 535 5.7.8 no\nEXPECT-CLOSE\n"));

    Ssmtp smtp;
    sessiontest::setUpMessage(smtp, succeeds ? sink.port() : fake.listen());
    const QString secret =
        mechanism == "PLAIN" || !succeeds ? (m.oauth ? kToken : kPassword) : kToken;
    // Against the real sinks only the one secret (an authzid would be refused).
    const Secrets secrets = setCredentials(smtp, m, secret, !succeeds);
    smtp.config(QStringLiteral("KeepQueue=true"));
    QSignalSpy processed(&smtp, &Ssmtp::queueProcessed);
    QSignalSpy errors(&smtp, &Ssmtp::errorOccurred);
    Watcher watcher(&smtp);
    const QString file = smtp.queue(dir.path());
    QVERIFY2(!file.isEmpty(), qPrintable(smtp.errorString()));
    QVERIFY(QFileInfo::exists(file));
    watcher.addFiles(dir.path());
    smtp.processQueue(dir.path());
    waitForEnd(smtp, processed, errors);
    if (succeeds) {
        QVERIFY2(errors.isEmpty(), qPrintable(smtp.errorString()));
        QCOMPARE(processed.count(), 1);
        QCOMPARE(processed.first().at(0).toInt(), 1);
    } else {
        QVERIFY2(fake.waitForFinished(10000), qPrintable(fake.failure()));
        QCOMPARE(errors.count(), 1);
        QCOMPARE(errors.first().at(0).value<Ssmtp::Error>(), Ssmtp::AuthenticationError);
    }
    // The .sent / .failed file and anything else left in the directory.
    const QStringList left = QDir(dir.path()).entryList(QDir::Files);
    QVERIFY2(left.size() >= 1, qPrintable(left.join(QLatin1Char(' '))));
    watcher.addFiles(dir.path());
    QVERIFY(watcher.sawAuth());
    const QStringList found = findSecrets(watcher.everything(), secrets);
    QVERIFY2(found.isEmpty(), qPrintable(found.join(QLatin1Char(' ')) + QLatin1Char('\n') +
                                         QString::fromUtf8(watcher.everything())));
}

QTEST_GUILESS_MAIN(tst_CredentialLeak)
#include "tst_credential_leak.moc"
