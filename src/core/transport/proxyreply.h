// What a proxy handshake parser made of the octets received so far. The parsers are pure
// functions over bytes (no socket), so they can be tested with data tables.
#pragma once

#include <QByteArray>
#include <QString>

namespace ssmtp::transport {

struct ProxyReply
{
    enum Status {
        Incomplete, // wait for more octets
        Success,    // the step succeeded; the reply is `length` octets long
        Refused,    // the proxy said no (code, text)
        Malformed,  // not the protocol, or too long (text)
    };

    Status status = Incomplete;
    qsizetype length = 0; // Success: octets of the reply; consume exactly these
    int code = 0;         // the proxy's reply code (SOCKS CD/REP/method, HTTP status)
    QString text;         // Refused: the reason; Malformed: what is wrong
    QByteArray bound;     // SOCKS CONNECT success: the proxy's bound address, as text
    quint16 boundPort = 0;

    static ProxyReply incomplete() { return {}; }
    static ProxyReply success(qsizetype length, int code = 0)
    {
        ProxyReply r;
        r.status = Success;
        r.length = length;
        r.code = code;
        return r;
    }
    static ProxyReply refused(int code, const QString &text)
    {
        ProxyReply r;
        r.status = Refused;
        r.code = code;
        r.text = text;
        return r;
    }
    static ProxyReply malformed(const QString &text)
    {
        ProxyReply r;
        r.status = Malformed;
        r.text = text;
        return r;
    }
};

} // namespace ssmtp::transport
