#include "bodywriter.h"

#include <QAbstractSocket>
#include <QCoreApplication>
#include <QTimer>

#include <utility>

namespace ssmtp::protocol {

namespace {
// Keep at most this much queued in the socket before waiting for bytesWritten.
constexpr qint64 HighWaterMark = 256 * 1024;
constexpr qint64 ReadPiece = 64 * 1024;
} // namespace

BodyWriter::BodyWriter(CommandPipeline *pipeline, QAbstractSocket *socket, QObject *parent)
    : QObject(parent)
    , m_pipeline(pipeline)
    , m_socket(socket)
{
    connect(socket, &QIODevice::bytesWritten, this, &BodyWriter::pump);
}

BodyWriter::~BodyWriter() = default;

void BodyWriter::begin(const MessageSource &source, bool bdat)
{
    m_source = source;
    m_bdat = bdat;
    m_encoder = message::DataEncoder(bdat ? message::DataEncoder::Mode::Bdat
                                          : message::DataEncoder::Mode::Data);
    m_total = source.knownSize();
    m_active = true;
    m_rateClock.start();
    QIODevice *stream = m_source.stream.data();
    if (stream && stream->isSequential()) {
        connect(stream, &QIODevice::readyRead, this, &BodyWriter::pump);
        connect(stream, &QIODevice::readChannelFinished, this, [this] {
            m_streamEnded = true;
            pump();
        });
    }
    Q_EMIT started();
}

void BodyWriter::startData(const MessageSource &source, Handler finalReply)
{
    m_finalReply = std::move(finalReply);
    begin(source, false);
    pump();
}

void BodyWriter::startBdat(const MessageSource &source, Handler chunkReply, Handler finalReply)
{
    m_chunkReply = std::move(chunkReply);
    m_finalReply = std::move(finalReply);
    begin(source, true);
    if (m_maxRate <= 0)
        pumpBdat(true); // the first chunk goes out with the envelope
}

void BodyWriter::resume()
{
    pump();
}

void BodyWriter::stop()
{
    m_active = false;
    if (m_source.stream)
        disconnect(m_source.stream, nullptr, this, nullptr);
}

BodyWriter::Read BodyWriter::readSource(QByteArray &out, qint64 max)
{
    if (m_headPos < m_source.head.size()) {
        const qsizetype n = qMin<qsizetype>(max, m_source.head.size() - m_headPos);
        out = m_source.head.mid(m_headPos, n);
        m_headPos += n;
        return Read::Data;
    }
    if (!m_source.stream) {
        if (m_bodyPos >= m_source.body.size())
            return Read::End;
        const qsizetype n = qMin<qsizetype>(max, m_source.body.size() - m_bodyPos);
        out = m_bodyPos == 0 && n == m_source.body.size() ? m_source.body
                                                          : m_source.body.mid(m_bodyPos, n);
        m_bodyPos += n;
        return Read::Data;
    }
    QIODevice *stream = m_source.stream;
    if (!stream->isOpen())
        return Read::End;
    out.resize(max);
    const qint64 n = stream->read(out.data(), max);
    if (n < 0 && stream->isSequential()) {
        // A finished process or a closed socket reports its end as -1 (QIODevice::read).
        out.clear();
        return Read::End;
    }
    if (n < 0) {
        // A read error must not end the message normally: that would deliver it cut off.
        out.clear();
        stop();
        Q_EMIT failed(302, QCoreApplication::translate("Ssmtp", "Cannot read the message body: %1")
                               .arg(stream->errorString()));
        return Read::Failed;
    }
    out.resize(n);
    if (n > 0)
        return Read::Data;
    if (!stream->isSequential())
        return stream->atEnd() ? Read::End : Read::Wait;
    return m_streamEnded ? Read::End : Read::Wait;
}

qint64 BodyWriter::allowance()
{
    if (m_maxRate <= 0)
        return ReadPiece;
    // Token bucket: what the elapsed time allows minus what went out already.
    const qint64 allowed =
        m_maxRate * m_rateClock.elapsed() / 1000 + qMin(m_maxRate, ReadPiece) - m_sent;
    if (allowed > 0)
        return qMin(allowed, ReadPiece);
    if (!m_rateTimerPending) {
        m_rateTimerPending = true;
        const qint64 waitMs = qMax<qint64>(1, (-allowed + 1) * 1000 / m_maxRate);
        QTimer::singleShot(int(qMin<qint64>(waitMs, 1000)), this, [this] {
            m_rateTimerPending = false;
            pump();
        });
    }
    return 0;
}

bool BodyWriter::checkEightBit(const QByteArray &raw)
{
    if (m_allowEightBit)
        return true;
    for (char c : raw) {
        if (static_cast<unsigned char>(c) >= 0x80) {
            stop();
            Q_EMIT failed(168, QCoreApplication::translate(
                                   "Ssmtp", "The message contains 8-bit data but the server "
                                            "does not support 8BITMIME."));
            return false;
        }
    }
    return true;
}

void BodyWriter::emitProgress(const QByteArray &raw)
{
    m_sent += raw.size();
    int percent = -1;
    if (m_total > 0)
        percent = int(qMin<qint64>(100, m_sent * 100 / m_total));
    else if (m_total == 0)
        percent = 100;
    Q_EMIT progress(m_sent, percent, raw);
}

void BodyWriter::finishSource()
{
    m_finished = true;
    m_active = false;
    if (m_source.stream) {
        disconnect(m_source.stream, nullptr, this, nullptr);
        if (m_source.closeStreamAfterTransfer)
            m_source.stream->close();
    }
    Q_EMIT finished();
}

void BodyWriter::pump()
{
    if (!m_active || m_pumping || !m_socket)
        return;
    m_pumping = true;
    if (m_bdat)
        pumpBdat(false);
    else
        pumpData();
    m_pumping = false;
}

void BodyWriter::pumpData()
{
    QByteArray wire;
    while (m_active && m_socket && m_socket->bytesToWrite() < HighWaterMark) {
        const qint64 max = allowance();
        if (max <= 0)
            return;
        QByteArray raw;
        const Read r = readSource(raw, max);
        if (r == Read::Wait || r == Read::Failed)
            return;
        wire.clear();
        if (r == Read::Data) {
            if (!checkEightBit(raw))
                return;
            m_encoder.encode(raw, wire);
        } else {
            m_encoder.finish(wire);
        }
        if (!wire.isEmpty())
            m_socket->write(wire);
        if (r == Read::Data) {
            emitProgress(raw);
            continue;
        }
        // The terminator is written: the next reply is the verdict on the message.
        m_pipeline->expectReply(std::move(m_finalReply));
        finishSource();
        return;
    }
}

void BodyWriter::pumpBdat(bool deferFlush)
{
    // Throttled, a chunk waits for a useful size rather than going out in tiny BDATs.
    const qint64 minChunk =
        m_maxRate > 0 ? qBound<qint64>(4096, m_maxRate / 4, m_bdatChunkSize) : 1;
    while (m_active && m_socket && m_socket->bytesToWrite() < HighWaterMark) {
        Read r = Read::Data;
        bool throttled = false;
        while (m_chunkRaw.size() < m_bdatChunkSize) {
            const qint64 max = qMin<qint64>(allowance(), m_bdatChunkSize - m_chunkRaw.size());
            if (max <= 0) {
                throttled = true;
                r = Read::Wait;
                break;
            }
            QByteArray piece;
            r = readSource(piece, max);
            if (r == Read::Failed)
                return;
            if (r != Read::Data)
                break;
            if (!checkEightBit(piece))
                return;
            emitProgress(piece);
            if (!m_active)
                return; // a slot stopped the transfer
            m_chunkRaw += piece;
        }
        const bool last = r == Read::End;
        if (!last && (m_chunkRaw.isEmpty() || (throttled && m_chunkRaw.size() < minChunk)))
            return; // wait for the source or for the rate allowance
        const QByteArray raw = std::exchange(m_chunkRaw, QByteArray());
        QByteArray wire;
        m_encoder.encode(raw, wire);
        if (last)
            m_encoder.finish(wire);
        if (wire.isEmpty() && !last)
            continue; // a held-back CR only; wait for more
        QByteArray command = "BDAT " + QByteArray::number(wire.size());
        if (last)
            command += " LAST";
        ++m_outstanding;
        if (last) {
            m_pipeline->queueCommand(command,
                                     [this, handler = std::move(m_finalReply)](const Reply &reply) {
                                         --m_outstanding;
                                         handler(reply);
                                     });
        } else {
            m_pipeline->queueCommand(command, [this](const Reply &reply) {
                --m_outstanding;
                if (m_chunkReply)
                    m_chunkReply(reply);
            });
        }
        m_pipeline->queueRaw(wire);
        if (!deferFlush)
            m_pipeline->flush();
        if (last) {
            finishSource();
            return;
        }
        if (deferFlush)
            return; // the caller flushes the envelope and this chunk, then resumes
    }
}

} // namespace ssmtp::protocol
