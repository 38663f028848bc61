// Kerberos (SASL GSSAPI, RFC 4752) against a real MIT Kerberos realm on loopback, started by
// this test: a private KDC (krb5kdc, database made with kdb5_util and kadmin.local) for the
// realm TEST.SSMTP on a free 127.0.0.1 port, with the principals alice@ and smtp/localhost@,
// the service keys in a keytab, and its own KRB5_CONFIG / KRB5_KDC_PROFILE / KRB5CCNAME /
// KRB5_KTNAME in a temporary folder (set in this process too, so the library under test
// uses them).
//
//   - securityLayerAnswer: the RFC 4752 security-layer step without a KDC.
//   - mechanism*: the mechanism against an in-process acceptor (gss_accept_sec_context with
//     the service keytab), so every token and the final message are checked.
//   - postfix*: Ssmtp through a private Postfix whose SASL backend is Dovecot with GSSAPI
//     (postfix-instance.sh, POSTFIX_GSSAPI); needs root.
#include "integrationutil.h"
#include "protocol/sasl/saslgssapi.h"
#include "protocol/sasl/saslgssapisecuritylayer.h"
#include "realserver.h"
#include "ssmtp.h"
#include "testfiles.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

#ifdef SSMTP_HAVE_GSSAPI
#include <gssapi/gssapi.h>
#include <gssapi/gssapi_ext.h>
#include <gssapi/gssapi_krb5.h>
#endif

#include <signal.h>
#include <sys/prctl.h>
#include <unistd.h>

using namespace integration;
using namespace ssmtp::protocol::sasl;

namespace {

const QString kRealm = QStringLiteral("TEST.SSMTP");
const QString kAlicePassword = QStringLiteral("alice-Pw-1");

// A private MIT KDC for the realm TEST.SSMTP on 127.0.0.1.
class TestKdc
{
public:
    ~TestKdc() { stop(); }

    // Empty when all went well; skipReason() says when the software is missing.
    bool start()
    {
        const QStringList tools = {
            QStringLiteral("/usr/sbin/krb5kdc"), QStringLiteral("/usr/sbin/kdb5_util"),
            QStringLiteral("/usr/sbin/kadmin.local"), QStringLiteral("/usr/bin/kinit")};
        for (const QString &tool : tools) {
            if (!QFileInfo(tool).isExecutable()) {
                m_skipReason = tool + QStringLiteral(" missing (Debian packages krb5-kdc, "
                                                     "krb5-admin-server, krb5-user): run "
                                                     "scripts/setup-deps.sh");
                return false;
            }
        }
        if (!m_dir.isValid())
            return fail(QStringLiteral("no temporary folder"));
        const quint16 port = freePort();
        if (!port)
            return fail(QStringLiteral("no free port"));
        // TCP first (udp_preference_limit = 1); no DNS at all. All on this machine: a clock
        // skew of 1 s (default 5 min) lets a short ticket expire quickly for the KDC too.
        const QString krb5Conf = QStringLiteral(R"([libdefaults]
  default_realm = %1
  dns_lookup_kdc = false
  dns_lookup_realm = false
  dns_canonicalize_hostname = false
  rdns = false
  udp_preference_limit = 1
  clockskew = 1
[realms]
  %1 = {
    kdc = 127.0.0.1:%2
  }
[domain_realm]
  localhost = %1
)")
                                     .arg(kRealm)
                                     .arg(port);
        const QString kdcConf = QStringLiteral(R"([kdcdefaults]
  kdc_listen = 127.0.0.1:%2
  kdc_tcp_listen = 127.0.0.1:%2
[realms]
  %1 = {
    database_name = %3/principal
    key_stash_file = %3/stash
    acl_file = %3/kadm5.acl
    kdc_listen = 127.0.0.1:%2
    kdc_tcp_listen = 127.0.0.1:%2
    default_principal_flags = +preauth
  }
[logging]
  kdc = FILE:%3/kdc.log
)")
                                    .arg(kRealm)
                                    .arg(port)
                                    .arg(m_dir.path());
        if (!testfiles::writeFile(path(QStringLiteral("krb5.conf")), krb5Conf.toUtf8()) ||
            !testfiles::writeFile(path(QStringLiteral("kdc.conf")), kdcConf.toUtf8()))
            return fail(QStringLiteral("cannot write the Kerberos configuration"));

        // This process (the library and the test's acceptor) and the tools use the same files.
        m_env = QProcessEnvironment::systemEnvironment();
        const QList<QPair<QString, QString>> vars = {
            {QStringLiteral("KRB5_CONFIG"), path(QStringLiteral("krb5.conf"))},
            {QStringLiteral("KRB5_KDC_PROFILE"), path(QStringLiteral("kdc.conf"))},
            {QStringLiteral("KRB5CCNAME"), ccacheName()},
            {QStringLiteral("KRB5_KTNAME"), QStringLiteral("FILE:") + keytab()},
        };
        for (const auto &var : vars) {
            m_env.insert(var.first, var.second);
            qputenv(var.first.toLatin1().constData(), var.second.toUtf8());
        }

        const QString masterPassword =
            QStringLiteral("master-%1").arg(QCoreApplication::applicationPid());
        if (!run(QStringLiteral("/usr/sbin/kdb5_util"),
                 {QStringLiteral("create"), QStringLiteral("-s"), QStringLiteral("-r"), kRealm,
                  QStringLiteral("-P"), masterPassword}) ||
            !kadmin(QStringLiteral("addprinc -pw %1 alice").arg(kAlicePassword),
                    QStringLiteral("created")) ||
            !kadmin(QStringLiteral("addprinc -randkey smtp/localhost"),
                    QStringLiteral("created")) ||
            !kadmin(QStringLiteral("ktadd -k %1 smtp/localhost").arg(keytab()),
                    QStringLiteral("added to keytab")))
            return false;

        m_kdc.setProcessEnvironment(m_env);
        m_kdc.setProcessChannelMode(QProcess::MergedChannels);
        // If this test dies, so does its KDC.
        m_kdc.setChildProcessModifier([]() { ::prctl(PR_SET_PDEATHSIG, SIGTERM); });
        m_kdc.start(QStringLiteral("/usr/sbin/krb5kdc"),
                    {QStringLiteral("-n"), QStringLiteral("-P"), path(QStringLiteral("kdc.pid"))});
        if (!m_kdc.waitForStarted(10000))
            return fail(QStringLiteral("krb5kdc did not start: ") + m_kdc.errorString());
        const bool listening = QTest::qWaitFor(
            [&]() {
                if (m_kdc.state() != QProcess::Running)
                    return true;
                QTcpSocket probe;
                probe.connectToHost(QStringLiteral("127.0.0.1"), port);
                return probe.waitForConnected(200);
            },
            10000);
        if (!listening || m_kdc.state() != QProcess::Running)
            return fail(QStringLiteral("krb5kdc does not listen on port %1: %2")
                            .arg(port)
                            .arg(QString::fromUtf8(m_kdc.readAll())));
        return true;
    }

    void stop()
    {
        if (m_kdc.state() != QProcess::NotRunning) {
            m_kdc.terminate();
            if (!m_kdc.waitForFinished(5000)) {
                m_kdc.kill();
                m_kdc.waitForFinished(2000);
            }
        }
    }

    // kinit alice with her password into the test's cache; lifetime e.g. "1s".
    bool kinit(const QString &lifetime = {})
    {
        QStringList args;
        if (!lifetime.isEmpty())
            args << QStringLiteral("-l") << lifetime;
        args << QStringLiteral("alice");
        return run(QStringLiteral("/usr/bin/kinit"), args, kAlicePassword.toUtf8() + '\n');
    }
    // What kdestroy does, without depending on it.
    void destroyTickets() { QFile::remove(ccachePath()); }

    QString path(const QString &name) const { return m_dir.filePath(name); }
    QString keytab() const { return path(QStringLiteral("smtp.keytab")); }
    QString ccachePath() const { return path(QStringLiteral("ccache")); }
    QString ccacheName() const { return QStringLiteral("FILE:") + ccachePath(); }
    QString skipReason() const { return m_skipReason; }
    QString errorString() const
    {
        return m_error + QStringLiteral("\n--- kdc.log ---\n") +
               QString::fromUtf8(testfiles::readFile(path(QStringLiteral("kdc.log"))));
    }

private:
    static quint16 freePort()
    {
        QTcpServer server;
        return server.listen(QHostAddress::LocalHost, 0) ? server.serverPort() : 0;
    }

    bool fail(const QString &why)
    {
        m_error = why;
        return false;
    }

    bool run(const QString &program, const QStringList &args, const QByteArray &input = {},
             QString *output = nullptr)
    {
        QProcess p;
        p.setProcessEnvironment(m_env);
        p.setProcessChannelMode(QProcess::MergedChannels);
        p.start(program, args);
        if (!p.waitForStarted(10000))
            return fail(program + QStringLiteral(": ") + p.errorString());
        p.write(input);
        p.closeWriteChannel();
        if (!p.waitForFinished(30000)) {
            p.kill();
            p.waitForFinished(2000);
            return fail(program + QStringLiteral(" timed out"));
        }
        const QString out = QString::fromUtf8(p.readAll());
        if (output)
            *output = out;
        if (p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0)
            return fail(
                QStringLiteral("%1 %2 failed: %3").arg(program, args.join(QLatin1Char(' ')), out));
        return true;
    }

    // kadmin.local exits 0 even when a query fails: check its output.
    bool kadmin(const QString &query, const QString &expected)
    {
        QString out;
        if (!run(QStringLiteral("/usr/sbin/kadmin.local"), {QStringLiteral("-q"), query}, {}, &out))
            return false;
        if (!out.contains(expected))
            return fail(QStringLiteral("kadmin.local -q \"%1\": %2").arg(query, out));
        return true;
    }

    QTemporaryDir m_dir;
    QProcessEnvironment m_env;
    QProcess m_kdc;
    QString m_skipReason;
    QString m_error;
};

#ifdef SSMTP_HAVE_GSSAPI

QString gssError(OM_uint32 major, OM_uint32 minor)
{
    QStringList parts;
    for (const auto &[code, type] : {std::pair<OM_uint32, int>{major, GSS_C_GSS_CODE},
                                     std::pair<OM_uint32, int>{minor, GSS_C_MECH_CODE}}) {
        OM_uint32 context = 0;
        do {
            OM_uint32 ignored = 0;
            gss_buffer_desc text = GSS_C_EMPTY_BUFFER;
            if (GSS_ERROR(gss_display_status(&ignored, code, type, gss_mech_krb5, &context, &text)))
                break;
            parts << QString::fromUtf8(static_cast<const char *>(text.value),
                                       static_cast<qsizetype>(text.length));
            gss_release_buffer(&ignored, &text);
        } while (context != 0);
    }
    return parts.join(QStringLiteral(": "));
}

QByteArray take(gss_buffer_desc *buffer)
{
    QByteArray data(static_cast<const char *>(buffer->value),
                    static_cast<qsizetype>(buffer->length));
    OM_uint32 ignored = 0;
    gss_release_buffer(&ignored, buffer);
    return data;
}

QString displayName(gss_name_t name)
{
    OM_uint32 minor = 0;
    gss_buffer_desc text = GSS_C_EMPTY_BUFFER;
    if (GSS_ERROR(gss_display_name(&minor, name, &text, nullptr)))
        return {};
    return QString::fromUtf8(take(&text));
}

// The server side of RFC 4752, with the service keys from the keytab.
class Acceptor
{
public:
    ~Acceptor()
    {
        OM_uint32 minor = 0;
        if (m_context != GSS_C_NO_CONTEXT)
            gss_delete_sec_context(&minor, &m_context, GSS_C_NO_BUFFER);
        if (m_client != GSS_C_NO_NAME)
            gss_release_name(&minor, &m_client);
        if (m_credential != GSS_C_NO_CREDENTIAL)
            gss_release_cred(&minor, &m_credential);
    }

    bool init(const QString &keytab)
    {
        const QByteArray path = keytab.toUtf8();
        gss_key_value_element_desc element = {"keytab", path.constData()};
        gss_key_value_set_desc store = {1, &element};
        OM_uint32 minor = 0;
        const OM_uint32 major =
            gss_acquire_cred_from(&minor, GSS_C_NO_NAME, GSS_C_INDEFINITE, GSS_C_NO_OID_SET,
                                  GSS_C_ACCEPT, &store, &m_credential, nullptr, nullptr);
        m_error = GSS_ERROR(major) ? gssError(major, minor) : QString();
        return !GSS_ERROR(major);
    }

    // The token for the client (empty when none), or nullopt on error.
    std::optional<QByteArray> accept(const QByteArray &token)
    {
        gss_buffer_desc input = {static_cast<size_t>(token.size()),
                                 const_cast<char *>(token.constData())};
        gss_buffer_desc output = GSS_C_EMPTY_BUFFER;
        OM_uint32 minor = 0;
        const OM_uint32 major = gss_accept_sec_context(&minor, &m_context, m_credential, &input,
                                                       GSS_C_NO_CHANNEL_BINDINGS, &m_client,
                                                       nullptr, &output, nullptr, nullptr, nullptr);
        const QByteArray reply = take(&output);
        if (GSS_ERROR(major)) {
            m_error = gssError(major, minor);
            return std::nullopt;
        }
        m_complete = !(major & GSS_S_CONTINUE_NEEDED);
        return reply;
    }

    QByteArray wrap(const QByteArray &message)
    {
        gss_buffer_desc input = {static_cast<size_t>(message.size()),
                                 const_cast<char *>(message.constData())};
        gss_buffer_desc output = GSS_C_EMPTY_BUFFER;
        OM_uint32 minor = 0;
        if (GSS_ERROR(gss_wrap(&minor, m_context, 0, GSS_C_QOP_DEFAULT, &input, nullptr, &output)))
            return {};
        return take(&output);
    }

    std::optional<QByteArray> unwrap(const QByteArray &message)
    {
        gss_buffer_desc input = {static_cast<size_t>(message.size()),
                                 const_cast<char *>(message.constData())};
        gss_buffer_desc output = GSS_C_EMPTY_BUFFER;
        OM_uint32 minor = 0;
        const OM_uint32 major = gss_unwrap(&minor, m_context, &input, &output, nullptr, nullptr);
        if (GSS_ERROR(major)) {
            m_error = gssError(major, minor);
            return std::nullopt;
        }
        return take(&output);
    }

    bool isComplete() const { return m_complete; }
    QString clientName() const { return displayName(m_client); }
    // The service principal the client's ticket was for.
    QString targetName() const
    {
        gss_name_t target = GSS_C_NO_NAME;
        OM_uint32 minor = 0;
        if (GSS_ERROR(gss_inquire_context(&minor, m_context, nullptr, &target, nullptr, nullptr,
                                          nullptr, nullptr, nullptr)))
            return {};
        const QString name = displayName(target);
        gss_release_name(&minor, &target);
        return name;
    }
    QString errorString() const { return m_error; }

private:
    gss_cred_id_t m_credential = GSS_C_NO_CREDENTIAL;
    gss_ctx_id_t m_context = GSS_C_NO_CONTEXT;
    gss_name_t m_client = GSS_C_NO_NAME;
    bool m_complete = false;
    QString m_error;
};

// What an RFC 4752 server sees when the mechanism talks to it.
struct Exchange
{
    bool contextEstablished = false;
    std::optional<QByteArray> answer; // the client's last response (wrapped)
    QString clientName;
    QString targetName;
    QString error; // the acceptor's or the mechanism's
};

// Runs the context establishment, then sends the (plain) security-layer offer wrapped;
// `tamper` flips a bit of the wrapped offer.
Exchange runExchange(GssapiMechanism &mechanism, Acceptor &acceptor, const QByteArray &offer,
                     bool tamper = false)
{
    Exchange result;
    std::optional<QByteArray> token = mechanism.initialResponse();
    for (int round = 0; round < 4 && token; ++round) {
        const std::optional<QByteArray> reply = acceptor.accept(*token);
        if (!reply) {
            result.error = acceptor.errorString();
            return result;
        }
        if (acceptor.isComplete()) {
            result.contextEstablished = true;
            // The last server token (AP-REP, mutual authentication) completes the client's
            // context; the client answers it with an empty response.
            if (!reply->isEmpty()) {
                token = mechanism.respond(*reply);
                if (!token || !token->isEmpty()) {
                    result.error = QStringLiteral("no empty response after the AP-REP: ") +
                                   mechanism.errorString();
                    return result;
                }
            }
            break;
        }
        token = mechanism.respond(*reply);
    }
    if (!result.contextEstablished) {
        result.error = mechanism.errorString();
        return result;
    }
    result.clientName = acceptor.clientName();
    result.targetName = acceptor.targetName();
    QByteArray wrapped = acceptor.wrap(offer);
    if (tamper && !wrapped.isEmpty())
        wrapped[wrapped.size() - 1] = static_cast<char>(wrapped.at(wrapped.size() - 1) ^ 0x01);
    const std::optional<QByteArray> response = mechanism.respond(wrapped);
    if (!response) {
        result.error = mechanism.errorString();
        return result;
    }
    result.answer = acceptor.unwrap(*response);
    if (!result.answer)
        result.error = acceptor.errorString();
    return result;
}

Credentials localhostCredentials()
{
    Credentials credentials;
    credentials.user = QStringLiteral("alice");
    credentials.serverHost = QStringLiteral("localhost");
    return credentials;
}

#endif // SSMTP_HAVE_GSSAPI

QByteArray bytes(std::initializer_list<int> values)
{
    QByteArray out;
    for (int v : values)
        out.append(static_cast<char>(v));
    return out;
}

} // namespace

// Skips (or, in CI, fails) when the KDC software is missing; fails when it is there but broken.
#define KDC_REQUIRE()                                                                              \
    do {                                                                                           \
        if (!m_kdcSkip.isEmpty()) {                                                                \
            const QByteArray reason_ = "KERBEROS NOT AVAILABLE: " + m_kdcSkip.toUtf8();            \
            qWarning("%s", reason_.constData());                                                   \
            if (RealSmtpServer::realServersRequired())                                             \
                QFAIL(reason_.constData());                                                        \
            QSKIP(reason_.constData());                                                            \
        }                                                                                          \
        QVERIFY2(m_kdcUp, qPrintable(m_kdc.errorString()));                                        \
    } while (false)

class tst_Gssapi : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanupTestCase();

    void securityLayerAnswer_data();
    void securityLayerAnswer();
    void mechanismUnavailableWithoutGssapi();

    void mechanismExchange_data();
    void mechanismExchange();
    void mechanismRefusesSecurityLayerOnly();
    void mechanismRejectsTamperedOffer();
    void mechanismWithoutTicket();
    void mechanismExpiredTicket();
    void mechanismGetsTicketWithPassword();
    void mechanismWrongPassword();
    void mechanismUnknownService();

    void postfixSendsWithTicket();
    void postfixSendsWithPassword();
    void postfixNoTicket();
    void serverWithoutGssapi();

private:
    void startPostfix();
    void prepareSmtp(Ssmtp &smtp, quint16 port);

    TestKdc m_kdc;
    bool m_kdcUp = false;
    QString m_kdcSkip;
    RealSmtpServer m_postfix;
    bool m_postfixTried = false;
};

void tst_Gssapi::initTestCase()
{
    qRegisterMetaType<Ssmtp::Error>();
#ifdef SSMTP_HAVE_GSSAPI
    m_kdcUp = m_kdc.start();
    m_kdcSkip = m_kdc.skipReason();
#else
    m_kdcSkip = QStringLiteral("this build has no GSSAPI library (libkrb5-dev)");
#endif
}

void tst_Gssapi::init()
{
    // Every test starts with a fresh ticket for alice.
    if (m_kdcUp) {
        m_kdc.destroyTickets();
        QVERIFY2(m_kdc.kinit(), qPrintable(m_kdc.errorString()));
    }
}

void tst_Gssapi::cleanupTestCase()
{
    m_postfix.stop();
    m_kdc.stop();
}

void tst_Gssapi::securityLayerAnswer_data()
{
    QTest::addColumn<QByteArray>("offer");
    QTest::addColumn<QString>("authzid");
    QTest::addColumn<QByteArray>("expected"); // empty: refused
    QTest::addColumn<QString>("errorPart");

    QTest::newRow("none only") << bytes({0x01, 0, 0, 0}) << QString() << bytes({0x01, 0, 0, 0})
                               << QString();
    // Whatever size the server allows, no layer means a maximum of 0 (RFC 4752 3.1).
    QTest::newRow("all offered") << bytes({0x07, 0x00, 0xff, 0xff}) << QString()
                                 << bytes({0x01, 0, 0, 0}) << QString();
    QTest::newRow("authzid utf-8")
        << bytes({0x03, 0x01, 0x00, 0x00}) << QStringLiteral("jörg@example.test")
        << QByteArray(bytes({0x01, 0, 0, 0}) + "j\xc3\xb6rg@example.test") << QString();
    QTest::newRow("integrity only") << bytes({0x02, 0x01, 0x00, 0x00}) << QString() << QByteArray()
                                    << QStringLiteral("requires a GSSAPI security layer");
    QTest::newRow("confidentiality only")
        << bytes({0x04, 0x01, 0x00, 0x00}) << QString() << QByteArray()
        << QStringLiteral("requires a GSSAPI security layer");
    QTest::newRow("too short") << bytes({0x01, 0, 0}) << QString() << QByteArray()
                               << QStringLiteral("3 octets instead of 4");
    QTest::newRow("too long") << bytes({0x01, 0, 0, 0, 0}) << QString() << QByteArray()
                              << QStringLiteral("5 octets instead of 4");
    QTest::newRow("empty") << QByteArray() << QString() << QByteArray()
                           << QStringLiteral("0 octets instead of 4");
}

void tst_Gssapi::securityLayerAnswer()
{
    QFETCH(QByteArray, offer);
    QFETCH(QString, authzid);
    QFETCH(QByteArray, expected);
    QFETCH(QString, errorPart);

    QString error;
    const std::optional<QByteArray> answer =
        gssapi::answerSecurityLayerOffer(offer, authzid, &error);
    if (expected.isEmpty()) {
        QVERIFY(!answer);
        QVERIFY2(error.contains(errorPart), qPrintable(error));
    } else {
        QVERIFY2(answer, qPrintable(error));
        QCOMPARE(*answer, expected);
        QVERIFY(error.isEmpty());
    }
}

void tst_Gssapi::mechanismUnavailableWithoutGssapi()
{
    Credentials credentials;
    credentials.serverHost = QStringLiteral("localhost");
    const std::unique_ptr<Mechanism> mechanism = createGssapiMechanism(credentials);
#ifdef SSMTP_HAVE_GSSAPI
    QVERIFY(mechanism);
    QCOMPARE(mechanism->name(), QByteArrayLiteral("GSSAPI"));
#else
    QVERIFY(!mechanism);
#endif
}

#ifdef SSMTP_HAVE_GSSAPI

void tst_Gssapi::mechanismExchange_data()
{
    QTest::addColumn<QString>("authzid");
    QTest::newRow("no authzid") << QString();
    QTest::newRow("authzid") << QStringLiteral("postmaster@example.test");
}

void tst_Gssapi::mechanismExchange()
{
    KDC_REQUIRE();
    QFETCH(QString, authzid);
    Acceptor acceptor;
    QVERIFY2(acceptor.init(m_kdc.keytab()), qPrintable(acceptor.errorString()));
    Credentials credentials = localhostCredentials();
    credentials.authorizationIdentity = authzid;
    GssapiMechanism mechanism(credentials);

    const Exchange result = runExchange(mechanism, acceptor, bytes({0x07, 0x00, 0x10, 0x00}));
    QVERIFY2(result.answer, qPrintable(result.error));
    QCOMPARE(result.clientName, QStringLiteral("alice@TEST.SSMTP"));
    QCOMPARE(result.targetName, QStringLiteral("smtp/localhost@TEST.SSMTP"));
    QCOMPARE(*result.answer, bytes({0x01, 0, 0, 0}) + authzid.toUtf8());
    QVERIFY(mechanism.errorString().isEmpty());
    // The exchange is over: another challenge is refused.
    QVERIFY(!mechanism.respond(QByteArrayLiteral("more")));
    QVERIFY2(mechanism.errorString().contains(QLatin1String("after the authentication was")),
             qPrintable(mechanism.errorString()));
}

void tst_Gssapi::mechanismRefusesSecurityLayerOnly()
{
    KDC_REQUIRE();
    Acceptor acceptor;
    QVERIFY2(acceptor.init(m_kdc.keytab()), qPrintable(acceptor.errorString()));
    GssapiMechanism mechanism(localhostCredentials());
    const Exchange result = runExchange(mechanism, acceptor, bytes({0x06, 0x00, 0x10, 0x00}));
    QVERIFY(result.contextEstablished);
    QVERIFY(!result.answer);
    QVERIFY2(result.error.contains(QLatin1String("requires a GSSAPI security layer")),
             qPrintable(result.error));
    QCOMPARE(mechanism.errorString(), result.error);
}

void tst_Gssapi::mechanismRejectsTamperedOffer()
{
    KDC_REQUIRE();
    Acceptor acceptor;
    QVERIFY2(acceptor.init(m_kdc.keytab()), qPrintable(acceptor.errorString()));
    GssapiMechanism mechanism(localhostCredentials());
    const Exchange result = runExchange(mechanism, acceptor, bytes({0x01, 0x00, 0x00, 0x00}), true);
    QVERIFY(result.contextEstablished);
    QVERIFY(!result.answer);
    QVERIFY2(result.error.contains(QLatin1String("cannot be verified")), qPrintable(result.error));
}

void tst_Gssapi::mechanismWithoutTicket()
{
    KDC_REQUIRE();
    m_kdc.destroyTickets();
    GssapiMechanism mechanism(localhostCredentials()); // user set, no password
    QVERIFY(!mechanism.initialResponse());
    const QString error = mechanism.errorString();
    QVERIFY2(error.contains(QLatin1String("no usable Kerberos ticket")), qPrintable(error));
    QVERIFY2(error.contains(QLatin1String("kinit")), qPrintable(error));
    // The library's own explanation names the cache it looked in.
    QVERIFY2(error.contains(m_kdc.ccachePath()), qPrintable(error));
    // A server that then sends the empty challenge gets a cancel (nullopt), same reason.
    QVERIFY(!mechanism.respond({}));
    QCOMPARE(mechanism.errorString(), error);
}

void tst_Gssapi::mechanismExpiredTicket()
{
    KDC_REQUIRE();
    m_kdc.destroyTickets();
    QVERIFY2(m_kdc.kinit(QStringLiteral("1s")), qPrintable(m_kdc.errorString()));
    // Ticket times are whole seconds, and the KDC accepts a ticket until its end time plus the
    // clock skew (1 s here).
    const qint64 expired = QDateTime::currentSecsSinceEpoch() + 3;
    QVERIFY(QTest::qWaitFor([&]() { return QDateTime::currentSecsSinceEpoch() >= expired; }, 3000));
    GssapiMechanism mechanism(localhostCredentials());
    QVERIFY(!mechanism.initialResponse());
    const QString error = mechanism.errorString();
    QVERIFY2(error.contains(QLatin1String("kinit")), qPrintable(error));
    QVERIFY2(error.contains(QLatin1String("expired"), Qt::CaseInsensitive), qPrintable(error));
}

void tst_Gssapi::mechanismGetsTicketWithPassword()
{
    KDC_REQUIRE();
    m_kdc.destroyTickets();
    Acceptor acceptor;
    QVERIFY2(acceptor.init(m_kdc.keytab()), qPrintable(acceptor.errorString()));
    Credentials credentials = localhostCredentials();
    credentials.password = kAlicePassword;
    GssapiMechanism mechanism(credentials);
    const Exchange result = runExchange(mechanism, acceptor, bytes({0x01, 0, 0, 0}));
    QVERIFY2(result.answer, qPrintable(result.error));
    QCOMPARE(result.clientName, QStringLiteral("alice@TEST.SSMTP"));
    // The ticket stays in memory: the user's cache is not written.
    QVERIFY(!QFileInfo::exists(m_kdc.ccachePath()));
}

void tst_Gssapi::mechanismWrongPassword()
{
    KDC_REQUIRE();
    m_kdc.destroyTickets();
    Credentials credentials = localhostCredentials();
    credentials.password = QStringLiteral("wrong");
    GssapiMechanism mechanism(credentials);
    QVERIFY(!mechanism.initialResponse());
    const QString error = mechanism.errorString();
    QVERIFY2(error.contains(QLatin1String("getting one for alice with the password failed")),
             qPrintable(error));
    // MIT's text for a bad password (KRB5KDC_ERR_PREAUTH_FAILED).
    QVERIFY2(error.contains(QLatin1String("Password incorrect"), Qt::CaseInsensitive) ||
                 error.contains(QLatin1String("Preauthentication failed"), Qt::CaseInsensitive),
             qPrintable(error));
}

void tst_Gssapi::mechanismUnknownService()
{
    KDC_REQUIRE();
    Credentials credentials = localhostCredentials();
    credentials.serverHost = QStringLiteral("mail.unknown.test");
    GssapiMechanism mechanism(credentials);
    QVERIFY(!mechanism.initialResponse());
    const QString error = mechanism.errorString();
    QVERIFY2(error.contains(QLatin1String("smtp@mail.unknown.test")), qPrintable(error));
    QVERIFY2(error.contains(QLatin1String("not found in Kerberos database")), qPrintable(error));
}

#else

void tst_Gssapi::mechanismExchange_data() {}
void tst_Gssapi::mechanismExchange()
{
    KDC_REQUIRE();
}
void tst_Gssapi::mechanismRefusesSecurityLayerOnly()
{
    KDC_REQUIRE();
}
void tst_Gssapi::mechanismRejectsTamperedOffer()
{
    KDC_REQUIRE();
}
void tst_Gssapi::mechanismWithoutTicket()
{
    KDC_REQUIRE();
}
void tst_Gssapi::mechanismExpiredTicket()
{
    KDC_REQUIRE();
}
void tst_Gssapi::mechanismGetsTicketWithPassword()
{
    KDC_REQUIRE();
}
void tst_Gssapi::mechanismWrongPassword()
{
    KDC_REQUIRE();
}
void tst_Gssapi::mechanismUnknownService()
{
    KDC_REQUIRE();
}

#endif // SSMTP_HAVE_GSSAPI

// One Postfix (with Dovecot offering GSSAPI) for the postfix* tests, started on first use.
void tst_Gssapi::startPostfix()
{
    if (m_postfixTried)
        return;
    m_postfixTried = true;
    if (!QFileInfo::exists(QStringLiteral("/usr/lib/dovecot/modules/auth/libmech_gssapi.so")))
        return; // handled in the tests
    m_postfix = RealSmtpServer::startPostfix({QStringLiteral("POSTFIX_SASL=bob:secret"),
                                              QStringLiteral("POSTFIX_GSSAPI=") + m_kdc.keytab()});
}

#define POSTFIX_GSSAPI_REQUIRE()                                                                   \
    do {                                                                                           \
        KDC_REQUIRE();                                                                             \
        startPostfix();                                                                            \
        if (!QFileInfo::exists(                                                                    \
                QStringLiteral("/usr/lib/dovecot/modules/auth/libmech_gssapi.so"))) {              \
            const char *reason_ = "dovecot-gssapi is not installed: run scripts/setup-deps.sh";    \
            if (RealSmtpServer::realServersRequired())                                             \
                QFAIL(reason_);                                                                    \
            QSKIP(reason_);                                                                        \
        }                                                                                          \
        REALSERVER_REQUIRE(m_postfix);                                                             \
        m_postfix.clearMessages();                                                                 \
    } while (false)

void tst_Gssapi::prepareSmtp(Ssmtp &smtp, quint16 port)
{
    // The service principal is smtp@<MailServer>: the name, not the address.
    smtp.setMailServer(QStringLiteral("localhost"));
    smtp.setMailPort(port);
    smtp.setTimeout(30);
    smtp.setAuthMechanism(Ssmtp::AuthMechanism::Kerberos);
    smtp.setUser(QStringLiteral("alice"));
    // TLS is not part of this test.
    smtp.config(QStringLiteral("AllowInsecureAuth=true"));
    smtp.setFrom(QStringLiteral("alice@example.test"));
    smtp.setSendTo(QStringLiteral("bob@example.test"));
    smtp.setSubject(QStringLiteral("Kerberos"));
    smtp.setMessageText(QStringLiteral("Sent with a Kerberos ticket."));
}

void tst_Gssapi::postfixSendsWithTicket()
{
    POSTFIX_GSSAPI_REQUIRE();
    Ssmtp smtp;
    SsmtpSpies spies(&smtp);
    prepareSmtp(smtp, m_postfix.port());
    QVERIFY2(sendWithoutError(smtp, spies),
             qPrintable(spies.report() + QLatin1Char('\n') + m_postfix.log()));
    QCOMPARE(spies.sent.count(), 1);
    QVERIFY2(spies.clientLines().contains(QStringLiteral("AUTH GSSAPI ****")),
             qPrintable(spies.trailText()));

    const QList<QByteArray> messages = m_postfix.waitForMessages(1, 30000);
    QVERIFY2(messages.size() == 1, qPrintable(m_postfix.log()));
    const QJsonObject report = RealSmtpServer::checkMessage(messages.first());
    QCOMPARE(header(report, QStringLiteral("Subject")), QStringLiteral("Kerberos"));
    QCOMPARE(bodyText(report), QStringLiteral("Sent with a Kerberos ticket."));
    // Postfix logs who authenticated, as Dovecot told it (Dovecot lower-cases user names).
    QVERIFY2(m_postfix.log().contains(
                 QLatin1String("sasl_method=GSSAPI, sasl_username=alice@test.ssmtp"),
                 Qt::CaseInsensitive),
             qPrintable(m_postfix.log()));
}

void tst_Gssapi::postfixSendsWithPassword()
{
    POSTFIX_GSSAPI_REQUIRE();
    m_kdc.destroyTickets();
    Ssmtp smtp;
    SsmtpSpies spies(&smtp);
    prepareSmtp(smtp, m_postfix.port());
    smtp.setPassword(kAlicePassword);
    smtp.setSubject(QStringLiteral("Kerberos with password"));
    QVERIFY2(sendWithoutError(smtp, spies), qPrintable(spies.report()));
    const QList<QByteArray> messages = m_postfix.waitForMessages(1, 30000);
    QVERIFY2(messages.size() == 1, qPrintable(m_postfix.log()));
    QCOMPARE(header(RealSmtpServer::checkMessage(messages.first()), QStringLiteral("Subject")),
             QStringLiteral("Kerberos with password"));
    QVERIFY(!QFileInfo::exists(m_kdc.ccachePath()));
}

void tst_Gssapi::postfixNoTicket()
{
    POSTFIX_GSSAPI_REQUIRE();
    m_kdc.destroyTickets();
    Ssmtp smtp;
    SsmtpSpies spies(&smtp);
    prepareSmtp(smtp, m_postfix.port());
    smtp.send();
    QVERIFY2(waitForOperation(smtp, spies.sent, spies.errors), qPrintable(spies.trailText()));
    QCOMPARE(spies.sent.count(), 0);
    QCOMPARE(spies.errorCodes(), QList<int>{173});
    const QString message = spies.errors.first().at(1).toString();
    QVERIFY2(message.contains(QLatin1String("kinit")), qPrintable(message));
    QVERIFY2(message.contains(QLatin1String("no usable Kerberos ticket")), qPrintable(message));
    // No MAIL FROM went out.
    for (const QString &line : spies.clientLines())
        QVERIFY2(!line.startsWith(QLatin1String("MAIL"), Qt::CaseInsensitive),
                 qPrintable(spies.trailText()));
    QCOMPARE(m_postfix.messageCount(), 0);
}

void tst_Gssapi::serverWithoutGssapi()
{
    // A server that offers AUTH, but not GSSAPI: the selection fails before any Kerberos work,
    // so no KDC is needed.
    RealSmtpServer sink = RealSmtpServer::startSmtpServerSink(
        {QStringLiteral("--auth"), QStringLiteral("bob:secret")});
    REALSERVER_REQUIRE(sink);
    Ssmtp smtp;
    SsmtpSpies spies(&smtp);
    prepareSmtp(smtp, sink.port());
    smtp.send();
    QVERIFY2(waitForOperation(smtp, spies.sent, spies.errors), qPrintable(spies.trailText()));
    QCOMPARE(spies.sent.count(), 0);
    QCOMPARE(spies.errorCodes(), QList<int>{173});
    const QString message = spies.errors.first().at(1).toString();
    QVERIFY2(message.contains(QLatin1String("GSSAPI")), qPrintable(message));
    QVERIFY2(message.contains(QLatin1String("PLAIN")), qPrintable(message)); // what it offers
    for (const QString &line : spies.clientLines())
        QVERIFY2(!line.startsWith(QLatin1String("AUTH"), Qt::CaseInsensitive),
                 qPrintable(spies.trailText()));
    QCOMPARE(sink.messageCount(), 0);
}

QTEST_MAIN(tst_Gssapi)
#include "tst_gssapi.moc"
