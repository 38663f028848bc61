// getSetCheck over every writable property: defaults, the NOTIFY signal fires once per
// change with the new value, setting the same value again fires nothing.
#include "ssmtp.h"

#include <QMetaProperty>
#include <QSignalSpy>
#include <QTest>

class tst_SsmtpProperties : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void everyPropertyHasNotify();
    void getSetCheck_data();
    void getSetCheck();
    void connectedWhileDisconnected();
    void headersFollowProperties();
    void resetRestoresDefaults();
    void keepAliveTimingTurnsKeepAliveOn();
};

void tst_SsmtpProperties::everyPropertyHasNotify()
{
    const QMetaObject &mo = Ssmtp::staticMetaObject;
    for (int i = mo.propertyOffset(); i < mo.propertyCount(); ++i) {
        const QMetaProperty p = mo.property(i);
        QVERIFY2(p.hasNotifySignal(), p.name());
    }
}

void tst_SsmtpProperties::getSetCheck_data()
{
    QTest::addColumn<QByteArray>("name");
    QTest::addColumn<QVariant>("defaultValue");
    QTest::addColumn<QVariant>("newValue");
    auto row = [](const char *name, const QVariant &def, const QVariant &value) {
        QTest::newRow(name) << QByteArray(name) << def << value;
    };
    const QString empty;
    row("allowExtensions", true, false);
    row("authMechanism", QVariant::fromValue(Ssmtp::AuthMechanism::UserPassword),
        QVariant::fromValue(Ssmtp::AuthMechanism::SaslPlain));
    row("bcc", empty, QStringLiteral("x@y.org"));
    row("cc", empty, QStringLiteral("x@y.org"));
    row("deliveryNotificationTo", empty, QStringLiteral("dsn@y.org"));
    row("from", empty, QStringLiteral("a@b.org"));
    row("importance", QVariant::fromValue(Ssmtp::Importance::Unspecified),
        QVariant::fromValue(Ssmtp::Importance::Low));
    row("localHost", empty, QStringLiteral("127.0.0.1"));
    row("mailPort", 25, 587);
    row("mailServer", empty, QStringLiteral("mail.example.test"));
    row("message", QByteArray(), QByteArray("Subject: x\r\n\r\nbody"));
    row("messageDate", QStringLiteral("*"), QStringLiteral("Mon, 1 Jan 2024 00:00:00 +0000"));
    row("messageId", QStringLiteral("*"), QStringLiteral("<a@b>"));
    row("messageText", empty, QStringLiteral("text"));
    row("otherHeaders", empty, QStringLiteral("X-A: 1"));
    row("password", empty, QStringLiteral("pw"));
    row("priority", QVariant::fromValue(Ssmtp::Priority::Unspecified),
        QVariant::fromValue(Ssmtp::Priority::Urgent));
    row("readReceiptTo", empty, QStringLiteral("r@y.org"));
    row("replyTo", empty, QStringLiteral("r@y.org"));
    row("returnPath", empty, QStringLiteral("bounce@y.org"));
    row("sendTo", empty, QStringLiteral("t@y.org"));
    row("sensitivity", QVariant::fromValue(Ssmtp::Sensitivity::Unspecified),
        QVariant::fromValue(Ssmtp::Sensitivity::Private));
    row("subject", empty, QStringLiteral("Hi"));
    row("timeout", 60, 5);
    row("user", empty, QStringLiteral("me"));
    row("sslEnabled", false, true);
    row("sslStartMode", QVariant::fromValue(Ssmtp::SslStartMode::SslNone),
        QVariant::fromValue(Ssmtp::SslStartMode::SslImplicit));
    row("sslProvider", QVariant::fromValue(Ssmtp::SslProvider::SslProviderAutomatic),
        QVariant::fromValue(Ssmtp::SslProvider::SslProviderInternal));
    row("messageRecipients", QVariant::fromValue(QList<SsmtpRecipient>()),
        QVariant::fromValue(QList<SsmtpRecipient>{SsmtpRecipient(QStringLiteral("a@b.org"))}));
}

void tst_SsmtpProperties::getSetCheck()
{
    QFETCH(QByteArray, name);
    QFETCH(QVariant, defaultValue);
    QFETCH(QVariant, newValue);
    Ssmtp smtp;
    const QMetaObject &mo = Ssmtp::staticMetaObject;
    const QMetaProperty p = mo.property(mo.indexOfProperty(name.constData()));
    QVERIFY(p.isValid());
    QVERIFY(p.isWritable());
    QCOMPARE(p.read(&smtp), defaultValue);
    QSignalSpy notify(&smtp, p.notifySignal());
    QVERIFY(p.write(&smtp, newValue));
    QCOMPARE(p.read(&smtp), newValue);
    QCOMPARE(notify.count(), 1);
    // The NOTIFY signal carries the new value, except password (never sent through signals)
    // and the list property.
    if (!notify.first().isEmpty())
        QCOMPARE(notify.first().first(), newValue);
    QVERIFY(p.write(&smtp, newValue));
    QCOMPARE(notify.count(), 1);
    QVERIFY(p.write(&smtp, defaultValue));
    QCOMPARE(notify.count(), 2);
}

void tst_SsmtpProperties::connectedWhileDisconnected()
{
    Ssmtp smtp;
    QSignalSpy errors(&smtp, &Ssmtp::errorOccurred);
    smtp.setConnected(true); // no mailServer: refused with 163, asynchronously
    QVERIFY(errors.wait(2000));
    QCOMPARE(errors.first().at(0).value<Ssmtp::Error>(), Ssmtp::NoServerError);
    QCOMPARE(smtp.isConnected(), false);
    // Invalid port: refused synchronously, the value is kept.
    smtp.setMailPort(0);
    QCOMPARE(smtp.mailPort(), 25);
    QCOMPARE(smtp.error(), Ssmtp::InvalidPortError);
}

void tst_SsmtpProperties::headersFollowProperties()
{
    Ssmtp smtp;
    QSignalSpy headersChanged(&smtp, &Ssmtp::messageHeadersChanged);
    smtp.setFrom(QStringLiteral("a@b.org"));
    smtp.setSubject(QStringLiteral("Hello"));
    smtp.setMessageDate(QString());
    smtp.setMessageId(QString());
    QCOMPARE(headersChanged.count(), 4);
    const QList<SsmtpHeader> headers = smtp.messageHeaders();
    QCOMPARE(headers.size(), 2);
    QCOMPARE(headers.at(0), SsmtpHeader(QStringLiteral("From"), QStringLiteral("a@b.org")));
    QCOMPARE(headers.at(1), SsmtpHeader(QStringLiteral("Subject"), QStringLiteral("Hello")));
    QCOMPARE(smtp.messageHeadersString(),
             QStringLiteral("From: a@b.org\r\nSubject: Hello\r\n\r\n"));
    smtp.config(QStringLiteral("Charset=UTF-8"));
    QCOMPARE(headersChanged.count(), 5);
}

void tst_SsmtpProperties::resetRestoresDefaults()
{
    Ssmtp smtp;
    smtp.setFrom(QStringLiteral("a@b.org"));
    smtp.setMailPort(2525);
    smtp.setTimeout(3);
    smtp.setMessageText(QStringLiteral("x"));
    smtp.addMessageRecipient(SsmtpRecipient(QStringLiteral("c@d.org")));
    smtp.config(QStringLiteral("StopOnToErrors=false"));
    smtp.setSslStartMode(Ssmtp::SslStartMode::SslExplicit);
    smtp.config(QStringLiteral("SSLSecurityFlags=0x80000000"));
    smtp.resetHeaders();
    QCOMPARE(smtp.from(), QString());
    QVERIFY(smtp.messageRecipients().isEmpty());
    QCOMPARE(smtp.messageText(), QStringLiteral("x")); // not a header
    QCOMPARE(smtp.mailPort(), 2525);
    smtp.reset();
    QCOMPARE(smtp.mailPort(), 25);
    QCOMPARE(smtp.timeout(), 60);
    QCOMPARE(smtp.messageText(), QString());
    QCOMPARE(smtp.config(QStringLiteral("StopOnToErrors")), QStringLiteral("True"));
    QCOMPARE(smtp.sslStartMode(), Ssmtp::SslStartMode::SslNone);
    QCOMPARE(smtp.config(QStringLiteral("SSLSecurityFlags")), QStringLiteral("0x00000000"));
}

void tst_SsmtpProperties::keepAliveTimingTurnsKeepAliveOn()
{
    // The spec: setting KeepAliveTime or KeepAliveInterval sets TCPKeepAlive to True.
    for (const char *name : {"KeepAliveTime", "KeepAliveInterval"}) {
        Ssmtp smtp;
        QCOMPARE(smtp.config(QStringLiteral("TCPKeepAlive")), QStringLiteral("False"));
        smtp.config(QLatin1String(name) + QStringLiteral("=5000"));
        QCOMPARE(smtp.config(QStringLiteral("TCPKeepAlive")), QStringLiteral("True"));
    }
}

QTEST_GUILESS_MAIN(tst_SsmtpProperties)
#include "tst_ssmtp_properties.moc"
