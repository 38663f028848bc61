// The on-disk form of a queued message (docs/queue-format.md): an envelope block, an empty
// line, then the message octets exactly as they will be sent (before dot-stuffing).
#pragma once

#include "protocol/envelope.h"

#include <QByteArray>
#include <QString>

#include <functional>

QT_BEGIN_NAMESPACE
class QIODevice;
QT_END_NAMESPACE

namespace ssmtp::queue {

constexpr const char *QueuedSuffix = ".queued";
constexpr const char *SendingSuffix = ".sending";
constexpr const char *SentSuffix = ".sent";
constexpr const char *FailedSuffix = ".failed";

QByteArray serializeEnvelope(const protocol::Envelope &envelope);

// Parses the envelope block at the start of device; on success the device is positioned at
// the first octet of the message. Returns an error text, empty on success.
QString readEnvelope(QIODevice *device, protocol::Envelope &envelope);

// Copies the rest of stream to sink; waits for a sequential stream until it closes (at most
// timeoutMs without data, -1 = no limit). Returns false with error set on a read error or a
// timeout.
bool copyStream(QIODevice *stream, int timeoutMs, QString &error,
                const std::function<void(const char *, qint64)> &sink);

// Writes a new uniquely named ".queued" file into dir atomically (temporary file, fsync,
// rename in the same directory). The message is head, then body, then the rest of stream
// (copied in pieces; a sequential stream is waited for until it closes, at most
// streamTimeoutMs without data). Returns the file path, or an empty string with error set.
QString writeQueueFile(const QString &dir, const protocol::Envelope &envelope,
                       const QByteArray &head, const QByteArray &body, QIODevice *stream,
                       QString &error, int streamTimeoutMs = 60000);

} // namespace ssmtp::queue
