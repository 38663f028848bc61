// One SMTP reply (RFC 5321 4.2), possibly multi-line, with its enhanced status code (RFC 3463).
#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

namespace ssmtp::protocol {

struct Reply
{
    int code = 0;
    QByteArray enhancedCode; // "2.1.5" when the server uses ENHANCEDSTATUSCODES, else empty
    QList<QByteArray> lines; // text of each line after "NNN-" / "NNN " (enhanced code kept)
    QList<QByteArray> raw;   // each line as received, without its line ending

    bool isPositiveCompletion() const { return code >= 200 && code < 300; }
    bool isPositiveIntermediate() const { return code >= 300 && code < 400; }
    bool isTransientFailure() const { return code >= 400 && code < 500; }
    bool isPermanentFailure() const { return code >= 500; }
    bool isFailure() const { return code >= 400; }

    // The full reply as the server wrote it, lines joined with "\n" (lastReply, errors).
    QString toString() const;
    // The text of all lines joined with "\n" (e.g. EXPN members, challenge data).
    QByteArray text() const;
};

} // namespace ssmtp::protocol
