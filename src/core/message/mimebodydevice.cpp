#include "mimebodydevice.h"

#include <QCoreApplication>
#include <QFile>

#include <cstring>

namespace ssmtp::message {

namespace {
constexpr qint64 kBase64LineIn = 57;  // source octets per base64 line
constexpr qint64 kBase64LineOut = 78; // 76 characters + CRLF
} // namespace

MimeBodyDevice::MimeBodyDevice(const QList<MimeSegment> &segments, QObject *parent)
    : QIODevice(parent)
    , m_segments(segments)
{
    m_starts.reserve(m_segments.size());
    for (const MimeSegment &s : std::as_const(m_segments)) {
        m_starts.append(m_size);
        m_size += s.size;
    }
}

MimeBodyDevice::~MimeBodyDevice() = default;

bool MimeBodyDevice::open(OpenMode mode)
{
    if ((mode & WriteOnly) || !(mode & ReadOnly)) {
        setErrorString(QStringLiteral("MimeBodyDevice is read-only"));
        return false;
    }
    if (!QIODevice::open(ReadOnly | Unbuffered)) // never Text: the octets are exact
        return false;
    m_maxBuffered = 0;
    positionAt(0); // a failure (a vanished file) is reported by read()
    return true;
}

void MimeBodyDevice::close()
{
    closeSource();
    m_pending.clear();
    m_pendingPos = 0;
    m_readBuffer = QByteArray();
    QIODevice::close();
}

bool MimeBodyDevice::seek(qint64 pos)
{
    if (!isOpen() || pos < 0 || pos > m_size)
        return false;
    if (!QIODevice::seek(pos))
        return false;
    return positionAt(pos);
}

qint64 MimeBodyDevice::writeData(const char *, qint64)
{
    return -1;
}

bool MimeBodyDevice::fail(const QString &text)
{
    m_failed = true;
    setErrorString(text);
    closeSource();
    m_pending.clear();
    m_pendingPos = 0;
    return false;
}

void MimeBodyDevice::noteBuffered(qint64 extra)
{
    const qint64 pending =
        m_segment < m_segments.size() && m_segments.at(m_segment).kind == MimeSegment::Literal
            ? 0
            : m_pending.capacity();
    m_maxBuffered = qMax(m_maxBuffered, pending + m_readBuffer.capacity() + extra);
}

void MimeBodyDevice::closeSource()
{
    m_file.reset();
}

bool MimeBodyDevice::startSegment(int index, qint64 sourceOffset)
{
    closeSource();
    m_segment = index;
    m_sourcePos = sourceOffset;
    m_segmentDone = false;
    m_pending.clear();
    m_pendingPos = 0;
    if (index >= m_segments.size())
        return true;
    const MimeSegment &seg = m_segments.at(index);
    if (seg.kind == MimeSegment::Literal) {
        m_pending = seg.literal; // shared, not copied
        m_segmentDone = true;
        return true;
    }
    if (seg.source.isFile()) {
        m_file = std::make_unique<QFile>(seg.source.filePath);
        if (!m_file->open(QIODevice::ReadOnly)) {
            const QString error = m_file->errorString();
            return fail(
                QCoreApplication::translate("Ssmtp", "Cannot open the attachment file \"%1\": %2")
                    .arg(seg.source.filePath, error));
        }
        if (sourceOffset > 0 && !m_file->seek(sourceOffset)) {
            return fail(
                QCoreApplication::translate(
                    "Ssmtp", "The attachment file \"%1\" changed while the message was being sent.")
                    .arg(seg.source.filePath));
        }
    }
    if (seg.kind == MimeSegment::Identity) {
        m_identity.reset();
        m_identityOut = 0;
    }
    return true;
}

bool MimeBodyDevice::readSource(qint64 count, QByteArray &out)
{
    const MimeSource &source = m_segments.at(m_segment).source;
    if (!source.isFile()) {
        // No copy: the view lives as long as the segment list holds the data.
        out = QByteArray::fromRawData(source.data.constData() + m_sourcePos, count);
        return true;
    }
    out.resize(count);
    qint64 got = 0;
    while (got < count) {
        const qint64 n = m_file->read(out.data() + got, count - got);
        if (n < 0) {
            const QString error = m_file->errorString();
            return fail(
                QCoreApplication::translate("Ssmtp", "Cannot read the attachment file \"%1\": %2")
                    .arg(source.filePath, error));
        }
        if (n == 0) {
            return fail(
                QCoreApplication::translate(
                    "Ssmtp", "The attachment file \"%1\" changed while the message was being sent.")
                    .arg(source.filePath));
        }
        got += n;
    }
    return true;
}

bool MimeBodyDevice::produce()
{
    m_pending.clear();
    m_pendingPos = 0;
    while (m_segment < m_segments.size()) {
        if (m_segmentDone) {
            if (!startSegment(m_segment + 1, 0))
                return false;
            if (!m_pending.isEmpty())
                return true;
            continue;
        }
        const MimeSegment &seg = m_segments.at(m_segment);
        const qint64 n = qMin(SourcePiece, seg.source.size - m_sourcePos);
        if (seg.kind == MimeSegment::Base64) {
            if (!readSource(n, m_readBuffer))
                return false;
            m_sourcePos += n;
            const bool last = m_sourcePos >= seg.source.size;
            const QByteArray encoded = m_readBuffer.toBase64();
            m_pending.reserve(encoded.size() + (encoded.size() / 76 + 1) * 2);
            for (qsizetype pos = 0; pos < encoded.size(); pos += 76) {
                const qsizetype len = qMin<qsizetype>(76, encoded.size() - pos);
                m_pending.append(encoded.constData() + pos, len);
                if (!last || pos + len < encoded.size())
                    m_pending.append("\r\n", 2);
            }
            noteBuffered(encoded.capacity());
            if (!seg.source.isFile())
                m_readBuffer = QByteArray();
            m_segmentDone = last;
        } else { // Identity
            if (!readSource(n, m_readBuffer))
                return false;
            m_sourcePos += n;
            m_identity.encode(m_readBuffer, m_pending);
            const bool last = m_sourcePos >= seg.source.size;
            if (last)
                m_identity.finish(m_pending);
            noteBuffered();
            if (!seg.source.isFile())
                m_readBuffer = QByteArray();
            m_identityOut += m_pending.size();
            if (m_identityOut > seg.size || (last && m_identityOut != seg.size)) {
                return fail(QCoreApplication::translate("Ssmtp",
                                                        "The attachment file \"%1\" changed "
                                                        "while the message was being sent.")
                                .arg(seg.source.filePath));
            }
            m_segmentDone = last;
        }
        if (!m_pending.isEmpty())
            return true;
    }
    return true;
}

bool MimeBodyDevice::positionAt(qint64 pos)
{
    m_failed = false;
    // The segment holding pos (the end position maps past the last segment).
    int k = 0;
    while (k < m_segments.size() && m_starts.at(k) + m_segments.at(k).size <= pos)
        ++k;
    if (!startSegment(k, 0))
        return false;
    if (k >= m_segments.size())
        return true;
    const MimeSegment &seg = m_segments.at(k);
    qint64 offset = pos - m_starts.at(k);
    switch (seg.kind) {
    case MimeSegment::Literal:
        m_pendingPos = offset;
        return true;
    case MimeSegment::Base64: {
        // Every line but the last encodes 57 octets in 78: start at the line holding pos.
        const qint64 line = offset / kBase64LineOut;
        if (!startSegment(k, line * kBase64LineIn) || !produce())
            return false;
        m_pendingPos = offset - line * kBase64LineOut;
        return true;
    }
    case MimeSegment::Identity:
        // Line endings change lengths: produce from the start and skip.
        while (offset > 0) {
            if (!produce())
                return false;
            const qint64 skip = qMin<qint64>(offset, m_pending.size());
            if (skip == 0)
                return fail(QCoreApplication::translate("Ssmtp",
                                                        "The attachment file \"%1\" changed "
                                                        "while the message was being sent.")
                                .arg(seg.source.filePath));
            m_pendingPos = skip;
            offset -= skip;
        }
        return true;
    }
    return true;
}

qint64 MimeBodyDevice::readData(char *data, qint64 maxSize)
{
    if (m_failed)
        return -1;
    qint64 total = 0;
    while (total < maxSize) {
        if (m_pendingPos < m_pending.size()) {
            const qint64 n = qMin<qint64>(maxSize - total, m_pending.size() - m_pendingPos);
            std::memcpy(data + total, m_pending.constData() + m_pendingPos, size_t(n));
            m_pendingPos += n;
            total += n;
            continue;
        }
        if (m_segment >= m_segments.size())
            break;
        if (!produce())
            return total > 0 ? total : -1;
        if (m_pending.isEmpty() && m_segment >= m_segments.size())
            break;
    }
    return total;
}

} // namespace ssmtp::message
