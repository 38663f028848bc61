// A read-only QIODevice that produces the body of a MIME message on read(): literal pieces
// are served from memory, sources (files or in-memory data) are read in pieces of about
// 64 KiB and encoded on the fly, so memory use does not depend on the attachment sizes.
//
// The device is random access (not sequential) with an exact size(), so the engine can
// declare SIZE= and report progress: seek() positions the generator directly inside literal
// and base64 segments (a base64 line encodes a fixed 57 source octets), and re-encodes an
// identity segment from its start. It is opened ReadOnly|Unbuffered (QIODevice keeps no
// buffer of its own). Reading fails (read() returns -1, errorString() says why) when a file
// can no longer be opened or has become shorter than when the message was composed; extra
// octets appended to a file since then are not sent.
#pragma once

#include "dataencoder.h"
#include "mimepart.h"

#include <QIODevice>
#include <QList>

#include <memory>

QT_BEGIN_NAMESPACE
class QFile;
QT_END_NAMESPACE

namespace ssmtp::message {

class MimeBodyDevice : public QIODevice
{
    Q_OBJECT
public:
    explicit MimeBodyDevice(const QList<MimeSegment> &segments, QObject *parent = nullptr);
    ~MimeBodyDevice() override;

    bool open(OpenMode mode) override; // ReadOnly only; opened ReadOnly|Unbuffered, never Text
    void close() override;
    bool isSequential() const override { return false; }
    qint64 size() const override { return m_size; }
    bool seek(qint64 pos) override;

    // Test hook: the most octets the device held at once in its own buffers (generated
    // output not yet read, the source piece being encoded, the encoder's scratch space).
    // Literal segments are shared with the writer and not counted.
    qint64 maxBufferedBytes() const { return m_maxBuffered; }

    // Octets of source read per step (a multiple of 57, so base64 pieces end on a line).
    static constexpr qint64 SourcePiece = 57 * 1150; // 65550 octets -> 1150 lines

protected:
    qint64 readData(char *data, qint64 maxSize) override;
    qint64 writeData(const char *data, qint64 maxSize) override;

private:
    bool positionAt(qint64 pos);
    bool startSegment(int index, qint64 sourceOffset);
    bool produce(); // refills m_pending from the current segment; false on error
    bool readSource(qint64 count, QByteArray &out);
    bool fail(const QString &text);
    void noteBuffered(qint64 extra = 0);
    void closeSource();

    QList<MimeSegment> m_segments;
    QList<qint64> m_starts; // stream offset of each segment
    qint64 m_size = 0;

    // Generator state
    int m_segment = 0;      // current segment (== m_segments.size() at the end)
    qint64 m_sourcePos = 0; // octets of the current segment's source consumed
    QByteArray m_pending;   // produced, not yet read
    qsizetype m_pendingPos = 0;
    bool m_segmentDone = false;
    bool m_failed = false;
    std::unique_ptr<QFile> m_file;
    DataEncoder m_identity{DataEncoder::Mode::Bdat};
    qint64 m_identityOut = 0;
    QByteArray m_readBuffer;

    qint64 m_maxBuffered = 0;
};

} // namespace ssmtp::message
