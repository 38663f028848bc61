// Helpers shared by the Ssmtp session tests: the fixed message and its wire form, the EHLO
// script builder and a recorder of the terminal signals.
#pragma once

#include "ssmtp.h"

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QSignalSpy>
#include <QString>
#include <QStringList>
#include <QVariant>

namespace sessiontest {

inline const QByteArray FixedDate = "Sun, 22 Nov 2026 10:00:00 +0000";

// The body setUpMessage() uses unless a test asks for another one.
inline const QString DefaultMessageText = QStringLiteral("line one\n.dot line\nlast");

// The fixed message most tests send; its exact header block is Head.
inline void setUpMessage(Ssmtp &smtp, quint16 port, const QString &text = DefaultMessageText)
{
    smtp.setMailServer(QStringLiteral("127.0.0.1"));
    smtp.setMailPort(port);
    smtp.setFrom(QStringLiteral("a@x.org"));
    smtp.setSendTo(QStringLiteral("b@y.org"));
    smtp.setSubject(QStringLiteral("Hi"));
    smtp.setMessageDate(QString::fromLatin1(FixedDate));
    smtp.setMessageId(QStringLiteral("<id@test>"));
    smtp.setMessageText(text);
    smtp.config(QStringLiteral("Hello=client.test"));
}

// The header block of the message setUpMessage() describes.
inline const QByteArray Head = "From: a@x.org\r\nTo: b@y.org\r\nSubject: Hi\r\nDate: " + FixedDate +
                               "\r\nMessage-ID: <id@test>\r\n\r\n";
// DefaultMessageText on the wire: after DATA (dot-stuffed) and in BDAT chunks.
inline const QByteArray BodyWire = "line one\r\n..dot line\r\nlast\r\n";
inline const QByteArray BodyBdat = "line one\r\n.dot line\r\nlast\r\n";

// The server greeting and EHLO exchange of a script, offering the given extensions.
inline QString ehlo(const QStringList &extensions)
{
    using namespace Qt::StringLiterals;
    QString s = QStringLiteral("S: 220 fake ESMTP\nC: EHLO client.test\n");
    if (extensions.isEmpty())
        return s + QStringLiteral("S: 250 fake\n");
    s += QStringLiteral("S: 250-fake\n");
    for (int i = 0; i < extensions.size(); ++i)
        s += (i + 1 < extensions.size() ? u"S: 250-"_s : u"S: 250 "_s) + extensions.at(i) + u'\n';
    return s;
}

// Records the terminal signals and every errorOccurred, so a test can check there was exactly
// one terminal signal (count()) or look at the whole error sequence (codes()).
struct Terminal
{
    explicit Terminal(Ssmtp *smtp)
        : sent(smtp, &Ssmtp::messageSent)
        , error(smtp, &Ssmtp::errorOccurred)
        , connected(smtp, &Ssmtp::connectedToServer)
        , disconnected(smtp, &Ssmtp::disconnectedFromServer)
        , queue(smtp, &Ssmtp::queueProcessed)
    {
        // SSMTP_TEST_TRACE=1 prints the protocol trace and errors while debugging a test.
        if (qEnvironmentVariableIsSet("SSMTP_TEST_TRACE")) {
            QObject::connect(smtp, &Ssmtp::piTrail, smtp, [](int d, const QString &line) {
                qDebug("%c: %s", "CSI"[qBound(0, d, 2)], qPrintable(line));
            });
            QObject::connect(smtp, &Ssmtp::errorOccurred, smtp,
                             [](Ssmtp::Error e, const QString &text) {
                                 qDebug("error %d: %s", int(e), qPrintable(text));
                             });
        }
    }
    // Terminal signals so far; RecipientRejectedError is not terminal and does not count.
    int count() const
    {
        int n = int(sent.count() + connected.count() + disconnected.count() + queue.count());
        for (const QList<QVariant> &e : error) {
            if (e.at(0).value<Ssmtp::Error>() != Ssmtp::RecipientRejectedError)
                ++n;
        }
        return n;
    }
    // Every errorOccurred code in order, RecipientRejectedError included.
    QList<Ssmtp::Error> codes() const
    {
        QList<Ssmtp::Error> out;
        for (const QList<QVariant> &e : error)
            out.append(e.at(0).value<Ssmtp::Error>());
        return out;
    }
    Ssmtp::Error lastError() const
    {
        return error.isEmpty() ? Ssmtp::NoError : error.last().at(0).value<Ssmtp::Error>();
    }
    QString lastErrorText() const
    {
        return error.isEmpty() ? QString() : error.last().at(1).toString();
    }
    QSignalSpy sent, error, connected, disconnected, queue;
};

} // namespace sessiontest
