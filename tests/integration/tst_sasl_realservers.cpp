// Every SASL mechanism against real servers on loopback: Postfix with Dovecot SASL
// (servers/postfix-instance.sh, POSTFIX_SASL) and npm smtp-server (servers/smtp-server-sink.js,
// --auth/--auth-methods). For each mechanism the right secret delivers a message and a wrong one
// gives AuthenticationError (173) and delivers nothing. Plain TCP, so AllowInsecureAuth=true.
// Dovecot's NTLM (v1 and v2) is Samba's ntlm_auth helper (Debian 12's Dovecot has no built-in
// NTLM). GSSAPI is tested in tst_gssapi.
#include "integrationutil.h"
#include "realserver.h"
#include "ssmtp.h"

#include <QTest>

using namespace integration;

namespace {

const QString kUser = QStringLiteral("alice");
const QString kSecret = QStringLiteral("Pa55-word,=x");

struct Login
{
    Ssmtp::AuthMechanism mechanism;
    QByteArray wireName; // what follows "AUTH " on the wire
    bool oauth;          // the secret goes in AuthorizationIdentity (the token), not Password
    QString config = {}; // an extra config setting
};

} // namespace

Q_DECLARE_METATYPE(Ssmtp::AuthMechanism)

class tst_SaslRealServers : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();

    void postfixDovecot_data();
    void postfixDovecot();
    void smtpServer_data();
    void smtpServer();

private:
    void addRows(const QList<Login> &logins);
    void run(RealSmtpServer &server, bool postfix);

    RealSmtpServer m_postfix;
    RealSmtpServer m_sink;
    RealSmtpServer m_loginSink; // offers LOGIN only, so UserPassword must use it
};

void tst_SaslRealServers::initTestCase()
{
    qRegisterMetaType<Ssmtp::Error>();
    m_postfix = startSaslPostfix(kUser, kSecret);
    m_sink = startSaslSink(kUser, kSecret, QStringLiteral("PLAIN,LOGIN,CRAM-MD5,XOAUTH2"));
    m_loginSink = startSaslSink(kUser, kSecret, QStringLiteral("LOGIN"));
}

void tst_SaslRealServers::cleanupTestCase()
{
    m_postfix.stop();
    m_sink.stop();
    m_loginSink.stop();
}

void tst_SaslRealServers::addRows(const QList<Login> &logins)
{
    QTest::addColumn<Ssmtp::AuthMechanism>("mechanism");
    QTest::addColumn<QByteArray>("wireName");
    QTest::addColumn<bool>("oauth");
    QTest::addColumn<bool>("right");
    QTest::addColumn<QString>("config");
    for (const Login &l : logins) {
        for (const bool right : {true, false}) {
            QTest::addRow("%s%s%s %s", l.wireName.constData(), l.config.isEmpty() ? "" : " ",
                          qPrintable(l.config), right ? "right" : "wrong")
                << l.mechanism << l.wireName << l.oauth << right << l.config;
        }
    }
}

void tst_SaslRealServers::postfixDovecot_data()
{
    addRows({{Ssmtp::AuthMechanism::UserPassword, "PLAIN", false},
             {Ssmtp::AuthMechanism::SaslPlain, "PLAIN", false},
             {Ssmtp::AuthMechanism::CramMd5, "CRAM-MD5", false},
             {Ssmtp::AuthMechanism::SaslDigestMd5, "DIGEST-MD5", false},
             {Ssmtp::AuthMechanism::ScramSha256, "SCRAM-SHA-256", false},
             // Through Samba's ntlm_auth helper (winbind package), see postfix-instance.sh.
             {Ssmtp::AuthMechanism::Ntlm, "NTLM", false},
             {Ssmtp::AuthMechanism::Ntlm, "NTLM", false, QStringLiteral("UseNTLMv2=true")},
             // Dovecot without an oauth2 passdb checks the token like a password.
             {Ssmtp::AuthMechanism::XOAuth2, "XOAUTH2", true},
             {Ssmtp::AuthMechanism::OAuthBearer, "OAUTHBEARER", true}});
}

void tst_SaslRealServers::postfixDovecot()
{
    REALSERVER_REQUIRE(m_postfix);
    QFETCH(QByteArray, wireName);
    if (wireName == "NTLM")
        REQUIRE_NTLM_AUTH();
    run(m_postfix, true);
}

void tst_SaslRealServers::smtpServer_data()
{
    addRows({{Ssmtp::AuthMechanism::UserPassword, "PLAIN", false},
             {Ssmtp::AuthMechanism::SaslPlain, "PLAIN", false},
             {Ssmtp::AuthMechanism::CramMd5, "CRAM-MD5", false},
             {Ssmtp::AuthMechanism::XOAuth2, "XOAUTH2", true},
             // Token in Password (no AuthorizationIdentity): see docs/decisions.md.
             {Ssmtp::AuthMechanism::XOAuth2, "XOAUTH2", false},
             {Ssmtp::AuthMechanism::UserPassword, "LOGIN", false}});
}

void tst_SaslRealServers::smtpServer()
{
    QFETCH(QByteArray, wireName);
    RealSmtpServer &server = wireName == "LOGIN" ? m_loginSink : m_sink;
    REALSERVER_REQUIRE(server);
    run(server, false);
}

void tst_SaslRealServers::run(RealSmtpServer &server, bool postfix)
{
    QFETCH(Ssmtp::AuthMechanism, mechanism);
    QFETCH(QByteArray, wireName);
    QFETCH(bool, oauth);
    QFETCH(bool, right);
    QFETCH(QString, config);
    const QString secret = right ? kSecret : kSecret + QLatin1Char('x');
    const QString subject =
        QStringLiteral("sasl %1").arg(QString::fromLatin1(QTest::currentDataTag()));
    const int before = server.messageCount();

    Ssmtp smtp;
    SsmtpSpies spies(&smtp);
    useServer(smtp, server);
    smtp.config(QStringLiteral("AllowInsecureAuth=true"));
    if (!config.isEmpty()) {
        smtp.config(config);
        QCOMPARE(smtp.error(), Ssmtp::NoError);
    }
    smtp.setAuthMechanism(mechanism);
    smtp.setUser(kUser);
    if (oauth)
        smtp.config(QStringLiteral("AuthorizationIdentity=Bearer ") + secret);
    else
        smtp.setPassword(secret);
    smtp.setFrom(QStringLiteral("alice@example.test"));
    smtp.setSendTo(QStringLiteral("bob@example.test"));
    smtp.setSubject(subject);
    smtp.setMessageText(QStringLiteral("hello"));
    smtp.send();
    QVERIFY2(waitForOperation(smtp, spies.sent, spies.errors), qPrintable(spies.trailText()));

    // The mechanism asked for is the one used.
    const QStringList client = spies.clientLines();
    const auto auth = std::find_if(client.begin(), client.end(), [](const QString &line) {
        return line.startsWith(QLatin1String("AUTH "));
    });
    QVERIFY2(auth != client.end(), qPrintable(spies.trailText()));
    QVERIFY2(auth->startsWith(QLatin1String("AUTH ") + QString::fromLatin1(wireName)),
             qPrintable(*auth));

    if (right) {
        QVERIFY2(spies.errors.isEmpty(),
                 qPrintable(spies.errorText() + QLatin1Char('\n') + spies.trailText()));
        QCOMPARE(spies.sent.count(), 1);
        const QList<QByteArray> messages = server.waitForMessages(before + 1, 30000);
        QVERIFY2(messages.size() == before + 1, qPrintable(server.log()));
        QVERIFY(messages.last().contains(subject.toUtf8()));
        if (postfix) {
            const QString logged = QStringLiteral("sasl_method=") + QString::fromLatin1(wireName) +
                                   QStringLiteral(", sasl_username=") + kUser;
            QVERIFY2(server.log().contains(logged), qPrintable(server.log()));
        }
    } else {
        QCOMPARE(spies.sent.count(), 0);
        QCOMPARE(spies.errorCodes(), QList<int>{Ssmtp::AuthenticationError});
        QCOMPARE(smtp.error(), Ssmtp::AuthenticationError);
        for (const QString &line : client)
            QVERIFY2(!line.startsWith(QLatin1String("MAIL"), Qt::CaseInsensitive),
                     qPrintable(line));
        QCOMPARE(server.messageCount(), before);
    }
}

QTEST_GUILESS_MAIN(tst_SaslRealServers)
#include "tst_sasl_realservers.moc"
