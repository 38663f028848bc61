#include "queuefile.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QIODevice>
#include <QRandomGenerator>
#include <QSaveFile>

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

QString writeQueueFile(const QString &dir, const protocol::Envelope &envelope,
                       const QByteArray &head, const QByteArray &body, QIODevice *stream,
                       QString &error)
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
    const QString path = QDir(dir).filePath(name);
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
    if (stream) {
        QByteArray buffer(64 * 1024, Qt::Uninitialized);
        for (;;) {
            const qint64 n = stream->read(buffer.data(), buffer.size());
            if (n <= 0)
                break;
            file.write(buffer.constData(), n);
        }
    }
    if (!file.commit()) {
        error = QCoreApplication::translate("Ssmtp", "Cannot write the queue file \"%1\": %2")
                    .arg(path, file.errorString());
        return QString();
    }
    return path;
}

} // namespace ssmtp::queue
