#include "messagesource.h"

#include <QIODevice>

namespace ssmtp::protocol {

qint64 MessageSource::knownSize() const
{
    if (!stream)
        return head.size() + body.size();
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
