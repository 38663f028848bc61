#include "dataencoder.h"

#include <cstring>

namespace ssmtp::message {

namespace {

// Position of the first CR or LF in [p, end), or end. Each character class is located with
// memchr (vectorised in libc) and the result is remembered by the caller between calls, so a
// text with only CRLF line ends costs two memchr scans in total, not a per-byte loop.
struct LineBreakFinder
{
    const char *nextCr = nullptr;
    const char *nextLf = nullptr;

    const char *find(const char *p, const char *end)
    {
        if (nextCr < p)
            nextCr = locate(p, end, '\r');
        if (nextLf < p)
            nextLf = locate(p, end, '\n');
        return nextCr < nextLf ? nextCr : nextLf;
    }

    static const char *locate(const char *p, const char *end, char c)
    {
        const void *hit = std::memchr(p, c, static_cast<size_t>(end - p));
        return hit ? static_cast<const char *>(hit) : end;
    }
};

} // namespace

DataEncoder::DataEncoder(Mode mode)
    : m_mode(mode)
{}

void DataEncoder::encode(QByteArrayView chunk, QByteArray &out)
{
    Q_ASSERT_X(!m_finished, "DataEncoder::encode", "encode() after finish() without reset()");
    if (chunk.isEmpty() || m_finished)
        return;
    m_empty = false;

    // Worst case doubles (every byte a bare LF); typical text grows by a line ending or a
    // stuffed dot here and there. Grow geometrically so a caller appending chunk after chunk
    // to the same buffer does not reallocate (and copy) on every call.
    const qsizetype needed = out.size() + chunk.size() + chunk.size() / 32 + 8;
    if (out.capacity() < needed)
        out.reserve(qMax(needed, out.capacity() + out.capacity() / 2));
    const qsizetype sizeBefore = out.size();

    const char *p = chunk.data();
    const char *const end = p + chunk.size();

    if (m_pendingCr) {
        // The previous chunk ended in CR: either this LF completes the pair or the CR was bare;
        // both become one CRLF.
        m_pendingCr = false;
        out.append("\r\n", 2);
        if (*p == '\n')
            ++p;
        m_atLineStart = true;
    }

    LineBreakFinder finder;
    while (p < end) {
        if (m_atLineStart) {
            if (m_mode == Mode::Data && *p == '.')
                out.append('.');
            m_atLineStart = false;
        }
        const char *const brk = finder.find(p, end);
        out.append(p, brk - p);
        if (brk == end)
            break;
        if (*brk == '\r') {
            if (brk + 1 == end) {
                // Cannot tell a bare CR from the first half of a split CRLF yet.
                m_pendingCr = true;
                break;
            }
            p = brk[1] == '\n' ? brk + 2 : brk + 1;
        } else {
            p = brk + 1;
        }
        out.append("\r\n", 2);
        m_atLineStart = true;
    }
    m_bytesOut += out.size() - sizeBefore;
}

void DataEncoder::finish(QByteArray &out)
{
    if (m_finished)
        return; // one terminator, however often finish() is called
    m_finished = true;

    const qsizetype sizeBefore = out.size();
    if (m_pendingCr) {
        m_pendingCr = false;
        out.append("\r\n", 2);
        m_atLineStart = true;
    }
    if (!m_empty && !m_atLineStart)
        out.append("\r\n", 2);
    if (m_mode == Mode::Data)
        out.append(".\r\n", 3);
    m_atLineStart = true;
    m_bytesOut += out.size() - sizeBefore;
}

void DataEncoder::reset()
{
    m_atLineStart = true;
    m_pendingCr = false;
    m_empty = true;
    m_finished = false;
    m_bytesOut = 0;
}

QByteArray normalizeLineEndings(QByteArrayView data)
{
    DataEncoder encoder(DataEncoder::Mode::Bdat);
    QByteArray out = encoder.encode(data);
    // Only a held-back CR is flushed: no line break is added to text that lacks one.
    if (data.endsWith('\r'))
        out.append("\r\n", 2);
    return out;
}

QByteArray dotStuff(QByteArrayView data)
{
    DataEncoder encoder(DataEncoder::Mode::Data);
    QByteArray out;
    out.reserve(data.size() + data.size() / 32 + 16);
    encoder.encode(data, out);
    encoder.finish(out);
    return out;
}

} // namespace ssmtp::message
