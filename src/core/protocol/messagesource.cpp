#include "messagesource.h"

#include <QIODevice>

namespace ssmtp::protocol {

qint64 MessageSource::knownSize() const
{
    if (!stream) {
        // The encoder ends the content with CRLF when it does not: count those octets too.
        const QByteArray &last = body.isEmpty() ? head : body;
        const bool needsEnd = !last.isEmpty() && !last.endsWith('\n') && !last.endsWith('\r');
        return head.size() + body.size() + (needsEnd ? 2 : 0);
    }
    if (stream->isSequential())
        return -1;
    return head.size() + qMax<qint64>(0, stream->size() - stream->pos());
}

static bool anyEightBit(const QByteArray &data)
{
    for (char c : data) {
        if (static_cast<unsigned char>(c) >= 0x80)
            return true;
    }
    return false;
}

int MessageSource::hasEightBit() const
{
    if (anyEightBit(head))
        return 1;
    if (stream)
        return -1;
    return anyEightBit(body) ? 1 : 0;
}

} // namespace ssmtp::protocol
