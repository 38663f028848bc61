// Streams one message into the connection: after "354" as dot-stuffed DATA, or as BDAT
// chunks (RFC 3030). Reads the source in pieces and writes only while the socket's own
// buffer is below a high-water mark, so a 200 MB body never sits in memory.
#pragma once

#include "commandpipeline.h"
#include "message/dataencoder.h"
#include "messagesource.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>

QT_BEGIN_NAMESPACE
class QAbstractSocket;
QT_END_NAMESPACE

namespace ssmtp::protocol {

class BodyWriter : public QObject
{
    Q_OBJECT
public:
    using Handler = CommandPipeline::Handler;

    BodyWriter(CommandPipeline *pipeline, QAbstractSocket *socket, QObject *parent = nullptr);
    ~BodyWriter() override;

    void setMaxTransferRate(qint64 bytesPerSecond) { m_maxRate = bytesPerSecond; }
    // When false, an octet >= 0x80 in a stream of unknown content fails the transfer
    // (the server did not offer 8BITMIME).
    void setAllowEightBit(bool allow) { m_allowEightBit = allow; }

    // DATA: call once the server answered 354. Writes the body and the terminator, then
    // hands the final reply to finalReply.
    void startData(const MessageSource &source, Handler finalReply);
    // BDAT: queues the first chunk into the pipeline without flushing it, so the caller can
    // send it in one write with the envelope; resume() continues with the rest.
    // chunkReply sees every reply but the last; finalReply sees the reply to BDAT ... LAST.
    void startBdat(const MessageSource &source, Handler chunkReply, Handler finalReply);
    void resume();
    // Stops producing data (the transaction failed); returns the number of BDAT replies
    // still outstanding.
    void stop();

    bool isFinished() const { return m_finished; }

Q_SIGNALS:
    void started();
    void progress(qint64 bytesTransferred, int percentDone, const QByteArray &text);
    void finished(); // every octet has been handed to the socket
    void failed(int error, const QString &description);

private:
    enum class Read { Data, Wait, End, Failed };
    void begin(const MessageSource &source, bool bdat);
    Read readSource(QByteArray &out, qint64 max);
    void pump();
    void pumpData();
    void pumpBdat(bool deferFlush);
    qint64 allowance();
    bool checkEightBit(const QByteArray &raw);
    void emitProgress(const QByteArray &raw);
    void finishSource();

    CommandPipeline *m_pipeline;
    QPointer<QAbstractSocket> m_socket;
    MessageSource m_source;
    message::DataEncoder m_encoder;
    Handler m_chunkReply;
    Handler m_finalReply;
    bool m_bdat = false;
    bool m_active = false;
    bool m_finished = false;
    bool m_pumping = false;
    bool m_allowEightBit = true;
    bool m_streamEnded = false;
    QByteArray m_chunkRaw; // source octets gathered for the next BDAT chunk
    qsizetype m_headPos = 0;
    qsizetype m_bodyPos = 0;
    qint64 m_total = -1;
    qint64 m_sent = 0;
    const qint64 m_bdatChunkSize = 1024 * 1024; // one BDAT chunk, read in 64 KiB pieces
    int m_outstanding = 0;
    qint64 m_maxRate = 0;
    QElapsedTimer m_rateClock;
    bool m_rateTimerPending = false;
};

} // namespace ssmtp::protocol
