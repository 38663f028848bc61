// ESMTP capabilities announced in the EHLO reply (RFC 5321 4.1.1.1 and the extension RFCs).
#pragma once

#include "reply.h"

#include <QByteArray>
#include <QHash>
#include <QStringList>

namespace ssmtp::protocol {

struct Capabilities
{
    bool esmtp = false;                     // EHLO succeeded
    bool pipelining = false;                // RFC 2920
    bool chunking = false;                  // RFC 3030
    bool binaryMime = false;                // RFC 3030
    bool eightBitMime = false;              // RFC 6152
    bool smtpUtf8 = false;                  // RFC 6531
    bool dsn = false;                       // RFC 3461
    bool enhancedStatusCodes = false;       // RFC 2034
    bool startTls = false;                  // RFC 3207
    bool size = false;                      // RFC 1870
    qint64 sizeLimit = 0;                   // 0: no limit announced
    QList<QByteArray> authMechanisms;       // upper case, in the server's order
    QHash<QByteArray, QByteArray> keywords; // every keyword (upper case) -> its parameters

    static Capabilities fromEhloReply(const Reply &reply);
    bool supportsAuth(const QByteArray &mechanism) const
    {
        return authMechanisms.contains(mechanism);
    }
};

} // namespace ssmtp::protocol
