// The firewall property and its config settings: SsmtpFirewall as a value type (defaults,
// the default ports FirewallType implies, equality, QVariant and meta-object access), the
// property's getSetCheck, and config("Firewall*") reading and writing the same fields.
#include "ssmtp.h"
#include "ssmtpfirewall.h"

#include <QDebug>
#include <QMetaEnum>
#include <QMetaProperty>
#include <QSignalSpy>
#include <QTest>

Q_DECLARE_METATYPE(SsmtpFirewall::FirewallType)

class tst_SsmtpFirewall : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void valueTypeDefaults();
    void typeSetsDefaultPort_data();
    void typeSetsDefaultPort();
    void equalityAndVariant();
    void gadgetMetaObject();
    void debugMasksPassword();
    void getSetCheck();
    void invalidPortRefused();
    void configRoundTrip_data();
    void configRoundTrip();
    void configInvalid_data();
    void configInvalid();
    void configWritesNotifyOnce();
    void resetRestoresDefaults();
};

void tst_SsmtpFirewall::initTestCase()
{
    qRegisterMetaType<Ssmtp::Error>();
}

void tst_SsmtpFirewall::valueTypeDefaults()
{
    const SsmtpFirewall fw;
    QCOMPARE(fw.autoDetect(), false);
    QCOMPARE(fw.firewallType(), SsmtpFirewall::NoFirewall);
    QCOMPARE(fw.host(), QString());
    QCOMPARE(fw.password(), QString());
    QCOMPARE(fw.port(), 0);
    QCOMPARE(fw.user(), QString());
}

void tst_SsmtpFirewall::typeSetsDefaultPort_data()
{
    QTest::addColumn<SsmtpFirewall::FirewallType>("type");
    QTest::addColumn<int>("value");
    QTest::addColumn<int>("port");
    QTest::newRow("none") << SsmtpFirewall::NoFirewall << 0 << 0;
    QTest::newRow("tunnel") << SsmtpFirewall::Tunnel << 1 << 80;
    QTest::newRow("SOCKS4") << SsmtpFirewall::Socks4 << 2 << 1080;
    QTest::newRow("SOCKS5") << SsmtpFirewall::Socks5 << 3 << 1080;
    QTest::newRow("SOCKS4A") << SsmtpFirewall::Socks4A << 10 << 1080;
}

void tst_SsmtpFirewall::typeSetsDefaultPort()
{
    QFETCH(SsmtpFirewall::FirewallType, type);
    QFETCH(int, value);
    QFETCH(int, port);
    QCOMPARE(int(type), value); // the spec's numbers
    SsmtpFirewall fw;
    fw.setPort(3128);
    fw.setFirewallType(type);
    QCOMPARE(fw.port(), port);
    QCOMPARE(SsmtpFirewall::defaultPort(type), port);
    // A port set afterwards stays.
    fw.setPort(9050);
    QCOMPARE(fw.port(), 9050);
    QCOMPARE(fw.firewallType(), type);
    // The constructor: 0 means the type's default.
    QCOMPARE(SsmtpFirewall(type, QStringLiteral("p")).port(), port);
    QCOMPARE(SsmtpFirewall(type, QStringLiteral("p"), 8118).port(), 8118);
}

void tst_SsmtpFirewall::equalityAndVariant()
{
    const SsmtpFirewall a(SsmtpFirewall::Socks5, QStringLiteral("proxy.example"), 1081,
                          QStringLiteral("u"), QStringLiteral("p"));
    SsmtpFirewall b = a;
    QVERIFY(a == b);
    QVERIFY(!(a != b));
    const auto differs = [&](auto change) {
        SsmtpFirewall c = a;
        change(c);
        return c != a && !(c == a);
    };
    QVERIFY(differs([](SsmtpFirewall &c) { c.setAutoDetect(true); }));
    QVERIFY(differs([](SsmtpFirewall &c) { c.setFirewallType(SsmtpFirewall::Socks4); }));
    QVERIFY(differs([](SsmtpFirewall &c) { c.setHost(QStringLiteral("other")); }));
    QVERIFY(differs([](SsmtpFirewall &c) { c.setPassword(QStringLiteral("q")); }));
    QVERIFY(differs([](SsmtpFirewall &c) { c.setPort(1082); }));
    QVERIFY(differs([](SsmtpFirewall &c) { c.setUser(QStringLiteral("v")); }));

    const QVariant v = QVariant::fromValue(a);
    QCOMPARE(v.metaType(), QMetaType::fromType<SsmtpFirewall>());
    QCOMPARE(v.value<SsmtpFirewall>(), a);
    QVERIFY(v == QVariant::fromValue(b));
    b.setPort(1);
    QVERIFY(v != QVariant::fromValue(b));
}

void tst_SsmtpFirewall::gadgetMetaObject()
{
    const QMetaObject &mo = SsmtpFirewall::staticMetaObject;
    QStringList names;
    for (int i = mo.propertyOffset(); i < mo.propertyCount(); ++i) {
        QVERIFY(mo.property(i).isWritable());
        names << QString::fromLatin1(mo.property(i).name());
    }
    QCOMPARE(names, (QStringList{QStringLiteral("autoDetect"), QStringLiteral("firewallType"),
                                 QStringLiteral("host"), QStringLiteral("password"),
                                 QStringLiteral("port"), QStringLiteral("user")}));
    const QMetaEnum e = QMetaEnum::fromType<SsmtpFirewall::FirewallType>();
    QCOMPARE(e.keyCount(), 5);
    QCOMPARE(e.keyToValue("NoFirewall"), 0);
    QCOMPARE(e.keyToValue("Tunnel"), 1);
    QCOMPARE(e.keyToValue("Socks4"), 2);
    QCOMPARE(e.keyToValue("Socks5"), 3);
    QCOMPARE(e.keyToValue("Socks4A"), 10);

    // Written through the meta-object as QML would: the type also sets the port.
    SsmtpFirewall fw;
    const QMetaProperty type = mo.property(mo.indexOfProperty("firewallType"));
    QVERIFY(type.writeOnGadget(&fw, QVariant::fromValue(SsmtpFirewall::Tunnel)));
    QCOMPARE(fw.firewallType(), SsmtpFirewall::Tunnel);
    QCOMPARE(mo.property(mo.indexOfProperty("port")).readOnGadget(&fw).toInt(), 80);
}

void tst_SsmtpFirewall::debugMasksPassword()
{
    QString text;
    QDebug(&text) << SsmtpFirewall(SsmtpFirewall::Socks5, QStringLiteral("proxy.example"), 0,
                                   QStringLiteral("alice"), QStringLiteral("hunter2"));
    QVERIFY2(text.contains(QLatin1String("proxy.example:1080")), qPrintable(text));
    QVERIFY2(text.contains(QLatin1String("alice")), qPrintable(text));
    QVERIFY2(!text.contains(QLatin1String("hunter2")), qPrintable(text));
}

void tst_SsmtpFirewall::getSetCheck()
{
    Ssmtp smtp;
    const QMetaObject &mo = Ssmtp::staticMetaObject;
    const QMetaProperty p = mo.property(mo.indexOfProperty("firewall"));
    QVERIFY(p.isValid());
    QVERIFY(p.isWritable());
    QVERIFY(p.hasNotifySignal());
    QCOMPARE(p.read(&smtp).value<SsmtpFirewall>(), SsmtpFirewall());
    QSignalSpy notify(&smtp, &Ssmtp::firewallChanged);
    const SsmtpFirewall fw(SsmtpFirewall::Tunnel, QStringLiteral("proxy.example"), 3128,
                           QStringLiteral("u"), QStringLiteral("secret"));
    QVERIFY(p.write(&smtp, QVariant::fromValue(fw)));
    QCOMPARE(smtp.firewall(), fw);
    QCOMPARE(notify.count(), 1);
    QVERIFY(notify.first().isEmpty()); // no password through signals
    smtp.setFirewall(fw);
    QCOMPARE(notify.count(), 1);
    SsmtpFirewall other = fw;
    other.setAutoDetect(true);
    smtp.setFirewall(other);
    QCOMPARE(notify.count(), 2);
    QVERIFY(p.write(&smtp, QVariant::fromValue(SsmtpFirewall())));
    QCOMPARE(notify.count(), 3);
    QCOMPARE(smtp.firewall(), SsmtpFirewall());
}

void tst_SsmtpFirewall::invalidPortRefused()
{
    Ssmtp smtp;
    const SsmtpFirewall good(SsmtpFirewall::Socks5, QStringLiteral("p"));
    smtp.setFirewall(good);
    QSignalSpy notify(&smtp, &Ssmtp::firewallChanged);
    QSignalSpy errors(&smtp, &Ssmtp::errorOccurred);
    for (int port : {-1, 65536}) {
        SsmtpFirewall bad = good;
        bad.setPort(port);
        smtp.setFirewall(bad);
        QCOMPARE(smtp.firewall(), good);
        QCOMPARE(smtp.error(), Ssmtp::InvalidPortError);
        QVERIFY2(smtp.errorString().contains(QString::number(port)),
                 qPrintable(smtp.errorString()));
    }
    QCOMPARE(errors.count(), 2);
    QCOMPARE(notify.count(), 0);
    SsmtpFirewall edge = good;
    edge.setPort(65535);
    smtp.setFirewall(edge);
    QCOMPARE(smtp.firewall().port(), 65535);
}

void tst_SsmtpFirewall::configRoundTrip_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("readBack");
    QTest::addColumn<QString>("field"); // the SsmtpFirewall property it sets, if any
    QTest::addColumn<QVariant>("fieldValue");

    QTest::newRow("type 3") << QStringLiteral("FirewallType") << QStringLiteral("3")
                            << QStringLiteral("3") << QStringLiteral("firewallType")
                            << QVariant::fromValue(SsmtpFirewall::Socks5);
    QTest::newRow("type 10") << QStringLiteral("FirewallType") << QStringLiteral(" 10 ")
                             << QStringLiteral("10") << QStringLiteral("firewallType")
                             << QVariant::fromValue(SsmtpFirewall::Socks4A);
    QTest::newRow("port") << QStringLiteral("FirewallPort") << QStringLiteral("3128")
                          << QStringLiteral("3128") << QStringLiteral("port") << QVariant(3128);
    QTest::newRow("host trimmed") << QStringLiteral("FirewallHost")
                                  << QStringLiteral(" proxy.example ")
                                  << QStringLiteral("proxy.example") << QStringLiteral("host")
                                  << QVariant(QStringLiteral("proxy.example"));
    QTest::newRow("user") << QStringLiteral("FirewallUser") << QStringLiteral("alice")
                          << QStringLiteral("alice") << QStringLiteral("user")
                          << QVariant(QStringLiteral("alice"));
    QTest::newRow("password verbatim")
        << QStringLiteral("FirewallPassword") << QStringLiteral(" pass word= ")
        << QStringLiteral(" pass word= ") << QStringLiteral("password")
        << QVariant(QStringLiteral(" pass word= "));
    QTest::newRow("auto-detect") << QStringLiteral("FirewallAutoDetect") << QStringLiteral("yes")
                                 << QStringLiteral("True") << QStringLiteral("autoDetect")
                                 << QVariant(true);
    QTest::newRow("any case") << QStringLiteral("firewallhost") << QStringLiteral("p2")
                              << QStringLiteral("p2") << QStringLiteral("host")
                              << QVariant(QStringLiteral("p2"));
    QTest::newRow("data") << QStringLiteral("FirewallData")
                          << QStringLiteral("X-Token: 42\r\nX-Client: ssmtp")
                          << QStringLiteral("X-Token: 42\r\nX-Client: ssmtp") << QString()
                          << QVariant();
    QTest::newRow("listener (no effect)")
        << QStringLiteral("FirewallListener") << QStringLiteral("true") << QStringLiteral("True")
        << QString() << QVariant();
}

void tst_SsmtpFirewall::configRoundTrip()
{
    QFETCH(QString, name);
    QFETCH(QString, value);
    QFETCH(QString, readBack);
    QFETCH(QString, field);
    QFETCH(QVariant, fieldValue);
    Ssmtp smtp;
    QSignalSpy errors(&smtp, &Ssmtp::errorOccurred);
    const SsmtpFirewall before = smtp.firewall();
    QCOMPARE(smtp.config(name + QLatin1Char('=') + value), QString());
    QCOMPARE(errors.count(), 0);
    QCOMPARE(smtp.config(name), readBack);
    QCOMPARE(smtp.error(), Ssmtp::NoError);
    const SsmtpFirewall after = smtp.firewall();
    if (field.isEmpty()) {
        QCOMPARE(after, before);
        return;
    }
    const QMetaObject &mo = SsmtpFirewall::staticMetaObject;
    const QVariant actual =
        mo.property(mo.indexOfProperty(field.toLatin1().constData())).readOnGadget(&after);
    QCOMPARE(actual, fieldValue);
    if (field == QLatin1String("firewallType")) // FirewallPort follows FirewallType
        QCOMPARE(smtp.config(QStringLiteral("FirewallPort")),
                 QString::number(SsmtpFirewall::defaultPort(after.firewallType())));
}

void tst_SsmtpFirewall::configInvalid_data()
{
    QTest::addColumn<QString>("setting");
    QTest::newRow("type 4") << QStringLiteral("FirewallType=4");
    QTest::newRow("type name") << QStringLiteral("FirewallType=socks5");
    QTest::newRow("port too big") << QStringLiteral("FirewallPort=65536");
    QTest::newRow("port negative") << QStringLiteral("FirewallPort=-1");
    QTest::newRow("port text") << QStringLiteral("FirewallPort=http");
    QTest::newRow("auto-detect") << QStringLiteral("FirewallAutoDetect=maybe");
    QTest::newRow("host line break") << QStringLiteral("FirewallHost=a\r\nb");
    QTest::newRow("user line break") << QStringLiteral("FirewallUser=a\nb");
    QTest::newRow("data no colon") << QStringLiteral("FirewallData=X-A: 1\r\njust text");
    QTest::newRow("listener") << QStringLiteral("FirewallListener=perhaps");
}

void tst_SsmtpFirewall::configInvalid()
{
    QFETCH(QString, setting);
    Ssmtp smtp;
    const SsmtpFirewall start(SsmtpFirewall::Socks5, QStringLiteral("p"), 0, QStringLiteral("u"));
    smtp.setFirewall(start);
    QVERIFY(smtp.config(QStringLiteral("FirewallData=X-Keep: 1")).isEmpty());
    QSignalSpy errors(&smtp, &Ssmtp::errorOccurred);
    QSignalSpy notify(&smtp, &Ssmtp::firewallChanged);
    QCOMPARE(smtp.config(setting), QString());
    QCOMPARE(errors.count(), 1);
    QCOMPARE(errors.first().at(0).value<Ssmtp::Error>(), Ssmtp::InvalidConfigValueError);
    const QString name = setting.left(setting.indexOf(QLatin1Char('=')));
    QVERIFY2(smtp.errorString().contains(name), qPrintable(smtp.errorString()));
    QCOMPARE(smtp.firewall(), start);
    QCOMPARE(notify.count(), 0);
    QCOMPARE(smtp.config(QStringLiteral("FirewallData")), QStringLiteral("X-Keep: 1"));
    QCOMPARE(smtp.config(QStringLiteral("FirewallListener")), QStringLiteral("False"));
}

void tst_SsmtpFirewall::configWritesNotifyOnce()
{
    Ssmtp smtp;
    QSignalSpy notify(&smtp, &Ssmtp::firewallChanged);
    smtp.config(QStringLiteral("FirewallType=1"));
    smtp.config(QStringLiteral("FirewallHost=proxy.example"));
    smtp.config(QStringLiteral("FirewallPort=8080"));
    smtp.config(QStringLiteral("FirewallPort=8080"));   // unchanged: no signal
    smtp.config(QStringLiteral("FirewallData=X-A: 1")); // not a field of the property
    QCOMPARE(notify.count(), 3);
    QCOMPARE(smtp.firewall(),
             SsmtpFirewall(SsmtpFirewall::Tunnel, QStringLiteral("proxy.example"), 8080));
}

void tst_SsmtpFirewall::resetRestoresDefaults()
{
    Ssmtp smtp;
    smtp.setFirewall(SsmtpFirewall(SsmtpFirewall::Socks4, QStringLiteral("p"), 1081,
                                   QStringLiteral("u"), QStringLiteral("pw")));
    smtp.config(QStringLiteral("FirewallData=X-A: 1"));
    smtp.config(QStringLiteral("FirewallListener=True"));
    QSignalSpy notify(&smtp, &Ssmtp::firewallChanged);
    smtp.reset();
    QCOMPARE(smtp.firewall(), SsmtpFirewall());
    QCOMPARE(notify.count(), 1);
    QCOMPARE(smtp.config(QStringLiteral("FirewallData")), QString());
    QCOMPARE(smtp.config(QStringLiteral("FirewallListener")), QStringLiteral("False"));
    QCOMPARE(smtp.config(QStringLiteral("FirewallType")), QStringLiteral("0"));
    QCOMPARE(smtp.config(QStringLiteral("FirewallPort")), QStringLiteral("0"));
}

QTEST_GUILESS_MAIN(tst_SsmtpFirewall)
#include "tst_ssmtp_firewall.moc"
