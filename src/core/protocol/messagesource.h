// The message octets of one transaction: the header block, then the body from memory or from
// a stream that is read with back-pressure while it is sent.
#pragma once

#include <QByteArray>
#include <QPointer>

QT_BEGIN_NAMESPACE
class QIODevice;
QT_END_NAMESPACE

namespace ssmtp::protocol {

struct MessageSource
{
    QByteArray head;            // header block including the empty line, or the whole raw message
    QByteArray body;            // body held in memory (unused when stream is set)
    QPointer<QIODevice> stream; // body read from its current position to its end
    bool closeStreamAfterTransfer = true;
    bool needsSmtpUtf8 = false; // a header carries a UTF-8 address (RFC 6532)

    // Octets the message will occupy before line-ending normalisation; -1 when unknown
    // (a sequential stream). Used for SIZE= and the transfer percentage.
    qint64 knownSize() const;
    // True when any octet is >= 0x80; for streams unknown (returns nullopt-like -1).
    int hasEightBit() const; // 1 yes, 0 no, -1 unknown
};

} // namespace ssmtp::protocol
