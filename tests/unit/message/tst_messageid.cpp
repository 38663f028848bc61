// Unit tests for Message-ID generation and the RFC 5322 Date format.
#include "message/messageid.h"

#include <QLocale>
#include <QRegularExpression>
#include <QSet>
#include <QTest>
#include <QTimeZone>

using namespace ssmtp::message;

class tst_MessageId : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void cleanup() { QLocale::setDefault(QLocale::c()); }

    void messageId_data();
    void messageId();
    void messageIdUnique();
    void date_data();
    void date();
    void dateIgnoresLocale_data() { date_data(); }
    void dateIgnoresLocale();
    void dateLocalTime();
};

void tst_MessageId::messageId_data()
{
    QTest::addColumn<QString>("algorithm");
    QTest::addColumn<QString>("domain");
    QTest::addColumn<int>("hexLength"); // 0: empty result expected
    QTest::addColumn<QByteArray>("right");

    QTest::newRow("SHA1") << QStringLiteral("SHA1") << QStringLiteral("example.org") << 40
                          << QByteArray("example.org");
    QTest::newRow("sha1 lower") << QStringLiteral("sha1") << QStringLiteral("example.org") << 40
                                << QByteArray("example.org");
    QTest::newRow("MD5") << QStringLiteral("MD5") << QStringLiteral("mail.example.org") << 32
                         << QByteArray("mail.example.org");
    QTest::newRow("Md5 mixed") << QStringLiteral("Md5") << QStringLiteral("x.org") << 32
                               << QByteArray("x.org");
    QTest::newRow("SHA256") << QStringLiteral("SHA256") << QStringLiteral("example.org") << 64
                            << QByteArray("example.org");
    QTest::newRow("sha256 lower") << QStringLiteral("sha256") << QStringLiteral("example.org") << 64
                                  << QByteArray("example.org");
    QTest::newRow("empty domain") << QStringLiteral("SHA1") << QString() << 40
                                  << QByteArray("localhost");
    QTest::newRow("idn domain") << QStringLiteral("SHA1") << QStringLiteral("bücher.de") << 40
                                << QByteArray("xn--bcher-kva.de");
    QTest::newRow("root dot") << QStringLiteral("SHA1") << QStringLiteral("example.org.") << 40
                              << QByteArray("example.org");
    QTest::newRow("domain literal") << QStringLiteral("SHA1") << QStringLiteral("[192.0.2.1]") << 40
                                    << QByteArray("[192.0.2.1]");

    QTest::newRow("invalid: empty") << QString() << QStringLiteral("x.org") << 0 << QByteArray();
    QTest::newRow("invalid: SHA-1")
        << QStringLiteral("SHA-1") << QStringLiteral("x.org") << 0 << QByteArray();
    QTest::newRow("invalid: SHA512")
        << QStringLiteral("SHA512") << QStringLiteral("x.org") << 0 << QByteArray();
    QTest::newRow("invalid: padded")
        << QStringLiteral(" SHA1") << QStringLiteral("x.org") << 0 << QByteArray();
    QTest::newRow("invalid: md4") << QStringLiteral("MD4") << QStringLiteral("x.org") << 0
                                  << QByteArray();
    QTest::newRow("invalid domain: space")
        << QStringLiteral("SHA1") << QStringLiteral("exa mple.org") << 0 << QByteArray();
    QTest::newRow("invalid domain: bracket")
        << QStringLiteral("SHA1") << QStringLiteral("x.org>") << 0 << QByteArray();
    QTest::newRow("invalid domain: double dot")
        << QStringLiteral("SHA1") << QStringLiteral("a..b") << 0 << QByteArray();
}

void tst_MessageId::messageId()
{
    QFETCH(QString, algorithm);
    QFETCH(QString, domain);
    QFETCH(int, hexLength);
    QFETCH(QByteArray, right);

    const QByteArray id = generateMessageId(algorithm, domain);
    if (hexLength == 0) {
        QVERIFY2(id.isEmpty(), id.constData());
        return;
    }
    const QRegularExpression pattern(QLatin1String("^<([0-9a-f]+)@(.+)>$"));
    const QRegularExpressionMatch match = pattern.match(QLatin1String(id));
    QVERIFY2(match.hasMatch(), id.constData());
    QCOMPARE(match.capturedLength(1), hexLength);
    QCOMPARE(match.captured(2).toLatin1(), right);
}

void tst_MessageId::messageIdUnique()
{
    QSet<QByteArray> ids;
    for (int i = 0; i < 1000; ++i)
        ids.insert(generateMessageId(QStringLiteral("MD5"), QStringLiteral("x.org")));
    QCOMPARE(ids.size(), 1000);
}

void tst_MessageId::date_data()
{
    QTest::addColumn<QDateTime>("dateTime");
    QTest::addColumn<QByteArray>("expected");

    QTest::newRow("example") << QDateTime(QDate(2026, 11, 22), QTime(11, 36), QTimeZone(3600))
                             << QByteArray("Sun, 22 Nov 2026 11:36:00 +0100");
    QTest::newRow("utc") << QDateTime(QDate(2024, 1, 1), QTime(0, 0, 5), Qt::UTC)
                         << QByteArray("Mon, 01 Jan 2024 00:00:05 +0000");
    QTest::newRow("negative half hour")
        << QDateTime(QDate(1969, 2, 13), QTime(23, 32, 54), QTimeZone(-(3 * 3600 + 30 * 60)))
        << QByteArray("Thu, 13 Feb 1969 23:32:54 -0330");
    QTest::newRow("positive 5:45")
        << QDateTime(QDate(2023, 3, 15), QTime(9, 5, 7), QTimeZone(5 * 3600 + 45 * 60))
        << QByteArray("Wed, 15 Mar 2023 09:05:07 +0545");
    QTest::newRow("plus 14") << QDateTime(QDate(2025, 12, 31), QTime(23, 59, 59),
                                          QTimeZone(14 * 3600))
                             << QByteArray("Wed, 31 Dec 2025 23:59:59 +1400");
    QTest::newRow("milliseconds dropped")
        << QDateTime(QDate(2025, 5, 9), QTime(8, 7, 6, 999), Qt::UTC)
        << QByteArray("Fri, 09 May 2025 08:07:06 +0000");
    const QTimeZone berlin("Europe/Berlin");
    if (berlin.isValid()) { // needs the system tz database
        QTest::newRow("named zone, summer") << QDateTime(QDate(2025, 7, 4), QTime(12, 0), berlin)
                                            << QByteArray("Fri, 04 Jul 2025 12:00:00 +0200");
        QTest::newRow("named zone, winter") << QDateTime(QDate(2025, 1, 4), QTime(12, 0), berlin)
                                            << QByteArray("Sat, 04 Jan 2025 12:00:00 +0100");
    }
    QTest::newRow("all months: jun") << QDateTime(QDate(2025, 6, 1), QTime(0, 0), Qt::UTC)
                                     << QByteArray("Sun, 01 Jun 2025 00:00:00 +0000");
    QTest::newRow("all months: aug, sat") << QDateTime(QDate(2025, 8, 2), QTime(0, 0), Qt::UTC)
                                          << QByteArray("Sat, 02 Aug 2025 00:00:00 +0000");
    QTest::newRow("all months: oct, tue") << QDateTime(QDate(2025, 10, 14), QTime(0, 0), Qt::UTC)
                                          << QByteArray("Tue, 14 Oct 2025 00:00:00 +0000");
    QTest::newRow("invalid") << QDateTime() << QByteArray();
    QTest::newRow("year before 1900")
        << QDateTime(QDate(1899, 12, 31), QTime(0, 0), Qt::UTC) << QByteArray();
}

void tst_MessageId::date()
{
    QFETCH(QDateTime, dateTime);
    QFETCH(QByteArray, expected);
    QCOMPARE(formatRfc5322Date(dateTime), expected);
}

void tst_MessageId::dateIgnoresLocale()
{
    QFETCH(QDateTime, dateTime);
    QFETCH(QByteArray, expected);
    QLocale::setDefault(QLocale(QLocale::German, QLocale::Germany));
    QCOMPARE(QLocale().monthName(12), QStringLiteral("Dezember")); // German is active
    QCOMPARE(formatRfc5322Date(dateTime), expected);
}

void tst_MessageId::dateLocalTime()
{
    // Local time uses the system offset at that instant, whatever the zone of the machine.
    const QDateTime local = QDateTime::currentDateTime();
    const QByteArray date = formatRfc5322Date(local);
    const QRegularExpression pattern(QLatin1String(
        "^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \\d\\d (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) "
        "\\d{4} \\d\\d:\\d\\d:\\d\\d [+-]\\d{4}$"));
    QVERIFY2(pattern.match(QLatin1String(date)).hasMatch(), date.constData());

    const int offset = local.offsetFromUtc() / 60;
    const QByteArray zone = (offset < 0 ? "-" : "+") +
                            QByteArray::number(qAbs(offset) / 60).rightJustified(2, '0') +
                            QByteArray::number(qAbs(offset) % 60).rightJustified(2, '0');
    QVERIFY2(date.endsWith(zone), date.constData());
}

QTEST_GUILESS_MAIN(tst_MessageId)

#include "tst_messageid.moc"
