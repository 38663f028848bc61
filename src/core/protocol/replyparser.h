// Incremental SMTP reply parser: bytes in, complete replies out. Pure: no I/O.
//
// Tolerates LF-only line ends; enforces a line-length cap (MaxLineLength) and a cap on the
// total size of one reply so a hostile server cannot make the client buffer without bound.
#pragma once

#include "reply.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

namespace ssmtp::protocol {

class ReplyParser
{
public:
    enum class Status { NeedMore, Reply, Error };

    void setMaxLineLength(int octets) { m_maxLineLength = octets; }
    void setMaxReplySize(int octets) { m_maxReplySize = octets; }
    void setMaxReplyLines(int lines) { m_maxReplyLines = lines; }

    void feed(QByteArrayView data) { m_buffer.append(data.data(), data.size()); }

    // Extracts the next complete reply. On Error, errorString() says why; the parser stays
    // in error until clear().
    Status next(Reply &reply);

    QString errorString() const { return m_error; }
    // Bytes received but not yet part of a returned reply (STARTTLS injection checks).
    qsizetype bufferedBytes() const { return m_buffer.size() - m_pos; }
    void clear();

private:
    Status fail(const QString &error);

    QByteArray m_buffer;
    qsizetype m_pos = 0; // start of unconsumed data in m_buffer
    Reply m_partial;     // lines of a multi-line reply seen so far
    qsizetype m_partialSize = 0;
    QString m_error;
    int m_maxLineLength = 2048;
    int m_maxReplySize = 64 * 1024;
    int m_maxReplyLines = 512;
};

} // namespace ssmtp::protocol
