// SASL mechanisms: PLAIN (RFC 4616 examples) and LOGIN.
#include "protocol/sasl/saslmechanism.h"

#include <QTest>

using namespace ssmtp::protocol::sasl;

class tst_Sasl : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void plain();
    void plainAfterEmptyChallenge();
    void login();
    void unknown();
};

void tst_Sasl::plain()
{
    // RFC 4616 section 4: "\0tim\0tanstaaftanstaaf" and with an authzid "Ursel\0Kurt\0xipj3plmq".
    auto m =
        createMechanism("PLAIN", {QStringLiteral("tim"), QStringLiteral("tanstaaftanstaaf"), {}});
    QVERIFY(m);
    QCOMPARE(m->name(), QByteArray("PLAIN"));
    QCOMPARE(*m->initialResponse(), QByteArray("\0tim\0tanstaaftanstaaf", 21));
    QVERIFY(!m->respond("more?"));
    auto z = createMechanism(
        "PLAIN", {QStringLiteral("Kurt"), QStringLiteral("xipj3plmq"), QStringLiteral("Ursel")});
    QCOMPARE(*z->initialResponse(), QByteArray("Ursel\0Kurt\0xipj3plmq", 20));
    // UTF-8 credentials.
    auto u = createMechanism("PLAIN", {QStringLiteral("jörg"), QStringLiteral("päss"), {}});
    QCOMPARE(*u->initialResponse(), QByteArray("\0j\xc3\xb6rg\0p\xc3\xa4ss", 12));
}

void tst_Sasl::plainAfterEmptyChallenge()
{
    auto m = createMechanism("PLAIN", {QStringLiteral("a"), QStringLiteral("b"), {}});
    QCOMPARE(*m->respond(QByteArray()), QByteArray("\0a\0b", 4));
    QVERIFY(!m->respond(QByteArray()));
}

void tst_Sasl::login()
{
    auto m = createMechanism("LOGIN", {QStringLiteral("user"), QStringLiteral("pw"), {}});
    QVERIFY(m);
    QVERIFY(!m->initialResponse());
    QCOMPARE(*m->respond("Username:"), QByteArray("user"));
    QCOMPARE(*m->respond("Password:"), QByteArray("pw"));
    QVERIFY(!m->respond("Anything else:"));
    // A server that asks for the password first is refused (not guessed).
    auto odd = createMechanism("LOGIN", {QStringLiteral("user"), QStringLiteral("pw"), {}});
    QVERIFY(!odd->respond("Password:"));
}

void tst_Sasl::unknown()
{
    QVERIFY(!createMechanism("GSSAPI", {}));
}

QTEST_GUILESS_MAIN(tst_Sasl)
#include "tst_sasl.moc"
