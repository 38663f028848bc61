// Command pipeline over a QIODevice: queues command lines with the handler of their reply,
// writes a whole group in one write (RFC 2920 PIPELINING), parses replies as they arrive
// and hands each to the handler of the command it answers, in order.
#pragma once

#include "replyparser.h"

#include <QObject>
#include <QPointer>

#include <deque>
#include <functional>

QT_BEGIN_NAMESPACE
class QIODevice;
QT_END_NAMESPACE

namespace ssmtp::protocol {

class CommandPipeline : public QObject
{
    Q_OBJECT
public:
    using Handler = std::function<void(const Reply &)>;

    explicit CommandPipeline(QObject *parent = nullptr);

    void setDevice(QIODevice *device);
    QIODevice *device() const { return m_device; }
    void setMaxLineLength(int octets) { m_parser.setMaxLineLength(octets); }
    // Replace sensitive parts of client lines in the trace (AUTH data).
    void setMaskSensitive(bool mask) { m_maskSensitive = mask; }

    // A reply that no command of ours asks for: the greeting, or the reply after a body.
    void expectReply(Handler handler);
    // Appends "line\r\n" to the outgoing group. traceText replaces the line in the trace when
    // set (masking credentials) and sensitivity masking is on.
    void queueCommand(const QByteArray &line, Handler handler, const QString &maskedTrace = {});
    // Appends raw octets (BDAT chunk data) to the outgoing group; not traced.
    void queueRaw(const QByteArray &data);
    // Writes the queued group in one write and emits the trace of its command lines.
    void flush();

    int pendingReplies() const { return int(m_handlers.size()); }
    // Octets received but not yet handed out as replies (parser buffer plus the device's).
    qint64 bufferedInput() const;
    // Drops queued output, pending handlers and parser state (after an abort).
    void clear();

Q_SIGNALS:
    void trace(int direction, const QString &line);
    void protocolFailure(const QString &reason);

private:
    void onReadyRead();

    QPointer<QIODevice> m_device;
    ReplyParser m_parser;
    std::deque<Handler> m_handlers;
    QByteArray m_out;
    QStringList m_outTrace;
    bool m_maskSensitive = true;
    bool m_dispatching = false;
};

} // namespace ssmtp::protocol
