#include "queuefile.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QIODevice>
#include <QRandomGenerator>
#include <QSaveFile>

#include <functional>

#include <atomic>

namespace ssmtp::queue {

namespace {
constexpr QByteArrayView Magic = "Ssmtp-Queue: 1";

const char *kindName(protocol::EnvelopeRecipient::Kind kind)
{
    switch (kind) {
    case protocol::EnvelopeRecipient::Cc:
        return "cc";
    case protocol::EnvelopeRecipient::Bcc:
        return "bcc";
    default:
        return "to";
    }
}
} // namespace

QByteArray serializeEnvelope(const protocol::Envelope &envelope)
{
    QByteArray out = Magic.toByteArray() + "\r\n";
    out += "Mail-From: <" + envelope.reversePath.toUtf8() + ">\r\n";
    for (const protocol::EnvelopeRecipient &r : envelope.recipients) {
        out += QByteArray("Rcpt-To: ") + kindName(r.kind) + " <" + r.address.toUtf8() + '>';
        if (!r.parameters.isEmpty())
            out += ' ' + r.parameters;
        out += "\r\n";
    }
    if (!envelope.dsnRet.isEmpty())
        out += "Dsn-Ret: " + envelope.dsnRet + "\r\n";
    if (!envelope.dsnEnvelopeId.isEmpty())
        out += "Dsn-Envid: " + envelope.dsnEnvelopeId + "\r\n";
    out += "\r\n";
    return out;
}

QString readEnvelope(QIODevice *device, protocol::Envelope &envelope)
{
    envelope = protocol::Envelope();
    const QByteArray first = device->readLine(4096).trimmed();
    if (first != Magic)
        return QCoreApplication::translate(
            "Ssmtp", "Not an Ssmtp queue file (the first line is not \"Ssmtp-Queue: 1\").");
    bool haveFrom = false;
    for (int lines = 0; lines < 100000; ++lines) {
        const QByteArray raw = device->readLine(64 * 1024);
        if (raw.isEmpty())
            return QCoreApplication::translate("Ssmtp",
                                               "The queue file ends inside its envelope block.");
        const QByteArray line = raw.trimmed();
        if (line.isEmpty())
            break;
        const qsizetype colon = line.indexOf(':');
        const QByteArray key = colon < 0 ? QByteArray() : line.left(colon);
        const QByteArray value = colon < 0 ? QByteArray() : line.mid(colon + 1).trimmed();
        auto angle = [](const QByteArray &v, QByteArray &rest) -> QString {
            const qsizetype open = v.indexOf('<');
            const qsizetype close = v.indexOf('>', open + 1);
            if (open < 0 || close < 0)
                return QString();
            rest = v.mid(close + 1).trimmed();
            return QString::fromUtf8(v.mid(open + 1, close - open - 1));
        };
        QByteArray rest;
        if (key == "Mail-From") {
            envelope.reversePath = angle(value, rest);
            haveFrom = true;
        } else if (key == "Rcpt-To") {
            protocol::EnvelopeRecipient r;
            const QByteArray kind = value.left(value.indexOf(' '));
            r.kind = kind == "cc"    ? protocol::EnvelopeRecipient::Cc
                     : kind == "bcc" ? protocol::EnvelopeRecipient::Bcc
                                     : protocol::EnvelopeRecipient::To;
            r.address = angle(value, rest);
            r.parameters = rest;
            if (r.address.isEmpty())
                return QCoreApplication::translate("Ssmtp",
                                                   "The queue file has a malformed Rcpt-To line.");
            envelope.recipients.append(r);
        } else if (key == "Dsn-Ret") {
            envelope.dsnRet = value;
        } else if (key == "Dsn-Envid") {
            envelope.dsnEnvelopeId = value;
        } else {
            return QCoreApplication::translate("Ssmtp",
                                               "The queue file has an unknown envelope line: %1")
                .arg(QString::fromUtf8(line.left(80)));
        }
    }
    if (!haveFrom)
        return QCoreApplication::translate("Ssmtp", "The queue file has no Mail-From line.");
    return QString();
}

bool copyStream(QIODevice *stream, int timeoutMs, QString &error,
                const std::function<void(const char *, qint64)> &sink)
{
    // queue() is synchronous: a sequential stream (a process, a socket) is waited for until
    // it ends; "no data yet" is not the end, and a read error is reported, not ignored.
    QByteArray buffer(64 * 1024, Qt::Uninitialized);
    for (;;) {
        const qint64 n = stream->read(buffer.data(), buffer.size());
        if (n > 0) {
            sink(buffer.constData(), n);
            continue;
        }
        if (n < 0 && !stream->isSequential()) {
            error = QCoreApplication::translate("Ssmtp", "Cannot read the message stream: %1")
                        .arg(stream->errorString());
            return false;
        }
        if (!stream->isSequential() || n < 0 || !stream->isOpen())
            return true; // a file at its end, or a sequential stream that has closed
        if (stream->waitForReadyRead(timeoutMs) || stream->bytesAvailable() > 0)
            continue;
        // QProcess and sockets report the end of their data as a failed wait with nothing
        // left to read; anything else that stops talking is a timeout.
        if (stream->atEnd() &&
            (stream->inherits("QProcess") || stream->inherits("QAbstractSocket")))
            return true;
        error =
            QCoreApplication::translate("Ssmtp", "The message stream sent no data for %1 seconds.")
                .arg(timeoutMs / 1000);
        return false;
    }
}

QString writeQueueFile(const QString &dir, const protocol::Envelope &envelope,
                       const QByteArray &head, const QByteArray &body, QIODevice *stream,
                       QString &error, int streamTimeoutMs)
{
    const QFileInfo info(dir);
    if (!info.isDir()) {
        error = QCoreApplication::translate("Ssmtp", "The queue directory \"%1\" does not exist.")
                    .arg(dir);
        return QString();
    }
    // Time and a per-process sequence first so a directory listing sorts in queueing order;
    // the random part keeps names from several processes unique.
    static std::atomic<quint32> sequence{0};
    const QString name =
        QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyyMMddHHmmsszzz")) +
        QLatin1Char('-') + QString::number(sequence++).rightJustified(6, QLatin1Char('0')) +
        QLatin1Char('-') +
        QString::number(QRandomGenerator::system()->generate64(), 16)
            .rightJustified(16, QLatin1Char('0')) +
        QLatin1String(QueuedSuffix);
    QString path = QDir(dir).filePath(name);
    // QSaveFile writes a temporary file in the same directory and renames it on commit()
    // after flushing it to disk, so a crash never leaves a torn ".queued" file.
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        error = QCoreApplication::translate("Ssmtp", "Cannot create a queue file in \"%1\": %2")
                    .arg(dir, file.errorString());
        return QString();
    }
    file.write(serializeEnvelope(envelope));
    file.write(head);
    file.write(body);
    if (stream && !copyStream(stream, streamTimeoutMs, error,
                              [&file](const char *data, qint64 n) { file.write(data, n); })) {
        file.cancelWriting();
        return QString();
    }
    if (!file.commit()) {
        error = QCoreApplication::translate("Ssmtp", "Cannot write the queue file \"%1\": %2")
                    .arg(path, file.errorString());
        return QString();
    }
    return path;
}

} // namespace ssmtp::queue
