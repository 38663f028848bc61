// Small helpers shared by the integration tests that drive Ssmtp against real servers.
#pragma once

#include "realserver.h"
#include "ssmtp.h"

#include <QCryptographicHash>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonObject>
#include <QSignalSpy>
#include <QStringList>
#include <QTest>

// Dovecot offers NTLM only through Samba's ntlm_auth (package winbind, which
// scripts/setup-deps.sh installs): skip without it, fail in CI like REALSERVER_REQUIRE.
#define REQUIRE_NTLM_AUTH()                                                                        \
    do {                                                                                           \
        if (!QFileInfo::exists(QStringLiteral("/usr/bin/ntlm_auth"))) {                            \
            const char *why_ = "REAL SERVER NOT AVAILABLE: /usr/bin/ntlm_auth (package winbind)";  \
            qWarning("%s", why_);                                                                  \
            if (RealSmtpServer::realServersRequired())                                             \
                QFAIL(why_);                                                                       \
            QSKIP(why_);                                                                           \
        }                                                                                          \
    } while (false)

namespace integration {

// Records everything a test wants to assert about one Ssmtp object.
struct SsmtpSpies
{
    explicit SsmtpSpies(Ssmtp *smtp)
        : sent(smtp, &Ssmtp::messageSent)
        , errors(smtp, &Ssmtp::errorOccurred)
        , connected(smtp, &Ssmtp::connectedToServer)
        , disconnected(smtp, &Ssmtp::disconnectedFromServer)
        , trail(smtp, &Ssmtp::piTrail)
    {}

    void clear()
    {
        sent.clear();
        errors.clear();
        connected.clear();
        disconnected.clear();
        trail.clear();
    }

    // "161 The server rejected ...; 174 ..." for failure messages.
    QString errorText() const
    {
        QStringList out;
        for (const QList<QVariant> &args : errors)
            out << QString::number(args.at(0).toInt()) + QLatin1Char(' ') + args.at(1).toString();
        return out.join(QStringLiteral("; "));
    }

    QList<int> errorCodes() const
    {
        QList<int> codes;
        for (const QList<QVariant> &args : errors)
            codes << args.at(0).toInt();
        return codes;
    }

    // The protocol lines the client sent (piTrail direction Client), in order.
    QStringList clientLines() const
    {
        QStringList lines;
        for (const QList<QVariant> &args : trail) {
            if (args.at(0).toInt() == Ssmtp::Client)
                lines << args.at(1).toString();
        }
        return lines;
    }

    // The whole trail, for failure messages.
    QString trailText() const
    {
        QStringList lines;
        for (const QList<QVariant> &args : trail) {
            const int dir = args.at(0).toInt();
            const QString tag = dir == Ssmtp::Client   ? QStringLiteral("C: ")
                                : dir == Ssmtp::Server ? QStringLiteral("S: ")
                                                       : QStringLiteral("I: ");
            lines << tag + args.at(1).toString();
        }
        return lines.join(QLatin1Char('\n'));
    }

    // The errors, then the whole trail: for failure messages.
    QString report() const { return errorText() + QLatin1Char('\n') + trailText(); }

    QSignalSpy sent;
    QSignalSpy errors;
    QSignalSpy connected;
    QSignalSpy disconnected;
    QSignalSpy trail;
};

// Waits until the operation started last has ended: a terminal signal arrived (the success
// signal counted by `done`, or errorOccurred) and the component is idle again.
inline bool waitForOperation(Ssmtp &smtp, const QSignalSpy &done, const QSignalSpy &errors,
                             int msecs = 60000)
{
    return QTest::qWaitFor(
        [&]() { return (done.count() > 0 || errors.count() > 0) && smtp.isIdle(); }, msecs);
}

// Sends and waits for the end (see waitForOperation): true if it ended without any error.
inline bool sendWithoutError(Ssmtp &smtp, const SsmtpSpies &spies)
{
    smtp.send();
    return waitForOperation(smtp, spies.sent, spies.errors) && spies.errors.isEmpty();
}

// Real servers with the one SASL account user:secret: Postfix + Dovecot (every mechanism it
// has), and an npm smtp-server sink offering only `methods` (comma-separated, e.g. "LOGIN").
inline RealSmtpServer startSaslPostfix(const QString &user, const QString &secret)
{
    return RealSmtpServer::startPostfix(
        {QStringLiteral("POSTFIX_SASL=") + user + QLatin1Char(':') + secret});
}

inline RealSmtpServer startSaslSink(const QString &user, const QString &secret,
                                    const QString &methods)
{
    return RealSmtpServer::startSmtpServerSink({QStringLiteral("--auth"),
                                                user + QLatin1Char(':') + secret,
                                                QStringLiteral("--auth-methods"), methods});
}

inline void useServer(Ssmtp &smtp, const RealSmtpServer &server)
{
    smtp.setMailServer(server.host());
    smtp.setMailPort(server.port());
    smtp.setTimeout(60);
}

inline QJsonObject headers(const QJsonObject &report)
{
    return report.value(QStringLiteral("headers")).toObject();
}

inline QString header(const QJsonObject &report, const QString &name)
{
    return headers(report).value(name).toString();
}

inline int headerCount(const QJsonObject &report, const QString &lowerName)
{
    return report.value(QStringLiteral("header_counts")).toObject().value(lowerName).toInt();
}

// [(display name, address)] of an address header (lower-case name) as Python parsed it.
inline QList<QPair<QString, QString>> addresses(const QJsonObject &report, const QString &lowerName)
{
    QList<QPair<QString, QString>> out;
    const QJsonArray list =
        report.value(QStringLiteral("addresses")).toObject().value(lowerName).toArray();
    for (const QJsonValue &v : list) {
        const QJsonObject o = v.toObject();
        out.append({o.value(QStringLiteral("name")).toString(),
                    o.value(QStringLiteral("address")).toString()});
    }
    return out;
}

inline QStringList addressesOnly(const QJsonObject &report, const QString &lowerName)
{
    QStringList out;
    for (const auto &pair : addresses(report, lowerName))
        out << pair.second;
    return out;
}

// The body as check_message.py decoded it (LF line ends), without trailing line ends.
inline QString bodyText(const QJsonObject &report)
{
    QString body = report.value(QStringLiteral("body")).toString();
    while (body.endsWith(QLatin1Char('\n')))
        body.chop(1);
    return body;
}

inline QString withoutTrailingNewlines(QString text)
{
    while (text.endsWith(QLatin1Char('\n')) || text.endsWith(QLatin1Char('\r')))
        text.chop(1);
    return text;
}

inline QByteArray sha256Hex(const QByteArray &data)
{
    return QCryptographicHash::hash(data, QCryptographicHash::Sha256).toHex();
}

inline QString reportDiagnostics(const QJsonObject &report)
{
    QStringList out;
    if (report.contains(QStringLiteral("error")))
        out << QStringLiteral("error: ") + report.value(QStringLiteral("error")).toString();
    const QJsonArray defects = report.value(QStringLiteral("defect_list")).toArray();
    for (const QJsonValue &d : defects)
        out << QStringLiteral("defect: ") + d.toString();
    out << QStringLiteral("header:\n") + report.value(QStringLiteral("raw_header")).toString();
    return out.join(QLatin1Char('\n'));
}

} // namespace integration
