#include "commandpipeline.h"

#include <QCoreApplication>
#include <QIODevice>
#include <QScopeGuard>

namespace ssmtp::protocol {

CommandPipeline::CommandPipeline(QObject *parent)
    : QObject(parent)
{}

void CommandPipeline::setDevice(QIODevice *device)
{
    if (m_device)
        disconnect(m_device, nullptr, this, nullptr);
    m_device = device;
    clear();
    if (m_device)
        connect(m_device, &QIODevice::readyRead, this, &CommandPipeline::onReadyRead);
}

void CommandPipeline::expectReply(Handler handler)
{
    m_handlers.push_back(std::move(handler));
    // Replies may already be buffered (a server answering a pipelined group in one packet).
    if (m_device && m_device->bytesAvailable() > 0)
        QMetaObject::invokeMethod(this, &CommandPipeline::onReadyRead, Qt::QueuedConnection);
}

void CommandPipeline::queueCommand(const QByteArray &line, Handler handler,
                                   const QString &maskedTrace)
{
    m_out += line;
    m_out += "\r\n";
    m_outTrace.append(m_maskSensitive && !maskedTrace.isNull() ? maskedTrace
                                                               : QString::fromUtf8(line));
    m_handlers.push_back(std::move(handler));
}

void CommandPipeline::queueRaw(const QByteArray &data)
{
    m_out += data;
}

void CommandPipeline::flush()
{
    for (const QString &line : std::as_const(m_outTrace))
        Q_EMIT trace(0, line);
    m_outTrace.clear();
    if (m_out.isEmpty() || !m_device)
        return;
    m_device->write(m_out);
    m_out.clear();
}

qint64 CommandPipeline::bufferedInput() const
{
    return m_parser.bufferedBytes() + (m_device ? m_device->bytesAvailable() : 0);
}

void CommandPipeline::clear()
{
    m_parser.clear();
    m_handlers.clear();
    m_out.clear();
    m_outTrace.clear();
}

void CommandPipeline::onReadyRead()
{
    // A handler may start new commands or tear the connection down; never re-enter.
    if (m_dispatching || !m_device)
        return;
    m_dispatching = true;
    QPointer<CommandPipeline> self(this);
    const auto guard = qScopeGuard([&] {
        if (self)
            m_dispatching = false;
    });
    QIODevice *device = m_device;
    m_parser.feed(device->readAll());
    for (;;) {
        Reply reply;
        const ReplyParser::Status status = m_parser.next(reply);
        if (status == ReplyParser::Status::NeedMore) {
            // Bytes that arrived while a handler ran (a slot with a nested event loop) get no
            // readyRead of their own: QAbstractSocket does not re-emit it while inside it.
            if (device->bytesAvailable() <= 0)
                return;
            m_parser.feed(device->readAll());
            continue;
        }
        if (status == ReplyParser::Status::Error) {
            const QString reason = m_parser.errorString();
            clear();
            Q_EMIT protocolFailure(reason);
            return;
        }
        for (const QByteArray &line : std::as_const(reply.raw))
            Q_EMIT trace(1, QString::fromUtf8(line));
        if (m_handlers.empty()) {
            const QString reason =
                QCoreApplication::translate("Ssmtp", "The server sent a reply nobody asked for: %1")
                    .arg(reply.toString());
            clear();
            Q_EMIT protocolFailure(reason);
            return;
        }
        Handler handler = std::move(m_handlers.front());
        m_handlers.pop_front();
        handler(reply);
        // The handler may have closed the connection or moved us to another device: the
        // rest of this buffer belongs to the old one.
        if (!self || m_device != device)
            return;
    }
}
} // namespace ssmtp::protocol
