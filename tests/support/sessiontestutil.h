// Helpers shared by the Ssmtp session tests: the fixed message and its wire form, the EHLO
// script builder, a recorder of the terminal signals, and running one send() against the
// scripted fake server (with TLS from TestPki::makeTlsSet()'s files).
#pragma once

#include "fakesmtpserver.h"
#include "ssmtp.h"
#include "testfiles.h"

#include <QByteArray>
#include <QDir>
#include <QList>
#include <QObject>
#include <QSignalSpy>
#include <QSslCertificate>
#include <QSslKey>
#include <QString>
#include <QStringList>
#include <QTest>
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

// The rest of a script after EHLO for the fixed message: MAIL, RCPT, DATA, then QUIT.
inline const QString Transaction =
    QStringLiteral("C: MAIL FROM:<a@x.org>\nS: 250 ok\nC: RCPT TO:<b@y.org>\nS: 250 ok\n"
                   "C: DATA\nS: 354 go\nDATA\nS: 250 queued\nC: QUIT\nS: 221 bye\n");

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

// Sends, then waits until the fake server's script has run to its end and exactly one terminal
// signal came. Empty when both happened, else what did not (for QCOMPARE with QString()).
inline QString sendAndWait(Ssmtp &smtp, FakeSmtpServer &server, const Terminal &t)
{
    smtp.send();
    QString failure;
    if (!server.waitForFinished(10000))
        failure = QStringLiteral("script: ") + server.failure();
    else if (!QTest::qWaitFor([&t] { return t.count() == 1; }, 5000))
        failure = QStringLiteral("%1 terminal signals, expected 1").arg(t.count());
    if (!failure.isEmpty() && !t.error.isEmpty())
        failure += QStringLiteral(" (last error: ") + t.lastErrorText() + QLatin1Char(')');
    return failure;
}

// Lets server speak TLS with the certificate `name` (name.pem, name.key) that
// TestPki::makeTlsSet() wrote to directory, from the first byte (implicit) or from STARTTLS,
// strict about the end, and listening. Empty on success, else what went wrong.
inline QString listenWithTls(FakeSmtpServer &server, const QDir &directory, const QString &name,
                             bool implicit = false)
{
    using testfiles::readFile;
    const QSslCertificate certificate(readFile(directory.filePath(name + QStringLiteral(".pem"))),
                                      QSsl::Pem);
    const QSslKey key(readFile(directory.filePath(name + QStringLiteral(".key"))), QSsl::Ec,
                      QSsl::Pem);
    if (certificate.isNull() || key.isNull())
        return QStringLiteral("no certificate or key %1 in %2").arg(name, directory.path());
    server.setTls(certificate, key);
    server.setImplicitTls(implicit);
    server.setStrictEnd(true);
    return server.listen() != 0 ? QString() : server.failure();
}

} // namespace sessiontest
