#include "capabilities.h"

namespace ssmtp::protocol {

Capabilities Capabilities::fromEhloReply(const Reply &reply)
{
    Capabilities caps;
    caps.esmtp = reply.isPositiveCompletion();
    // The first line is the server's domain and greeting; each further line is one keyword.
    for (qsizetype i = 1; i < reply.lines.size(); ++i) {
        const QByteArray line = reply.lines.at(i).trimmed();
        if (line.isEmpty())
            continue;
        // Old servers write "AUTH=PLAIN LOGIN"; treat '=' after AUTH like a space.
        qsizetype sep = line.indexOf(' ');
        QByteArray keyword = (sep < 0 ? line : line.left(sep)).toUpper();
        QByteArray params = sep < 0 ? QByteArray() : line.mid(sep + 1).trimmed();
        if (keyword.startsWith("AUTH=")) {
            params = keyword.mid(5) + (params.isEmpty() ? QByteArray() : ' ' + params);
            keyword = "AUTH";
        }
        caps.keywords.insert(keyword, params);

        if (keyword == "PIPELINING") {
            caps.pipelining = true;
        } else if (keyword == "CHUNKING") {
            caps.chunking = true;
        } else if (keyword == "BINARYMIME") {
            caps.binaryMime = true;
        } else if (keyword == "8BITMIME") {
            caps.eightBitMime = true;
        } else if (keyword == "SMTPUTF8") {
            caps.smtpUtf8 = true;
        } else if (keyword == "DSN") {
            caps.dsn = true;
        } else if (keyword == "ENHANCEDSTATUSCODES") {
            caps.enhancedStatusCodes = true;
        } else if (keyword == "STARTTLS") {
            caps.startTls = true;
        } else if (keyword == "SIZE") {
            caps.size = true;
            bool ok = false;
            const qint64 limit = params.toLongLong(&ok);
            caps.sizeLimit = ok && limit > 0 ? limit : 0;
        } else if (keyword == "AUTH") {
            const QList<QByteArray> mechanisms = params.toUpper().split(' ');
            for (const QByteArray &m : mechanisms) {
                if (!m.isEmpty() && !caps.authMechanisms.contains(m))
                    caps.authMechanisms.append(m);
            }
        }
    }
    return caps;
}

} // namespace ssmtp::protocol
