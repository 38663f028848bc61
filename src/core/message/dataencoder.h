// Streaming SMTP body encoder: normalises every line ending to CRLF (bare CR and bare LF
// included) and, for DATA, dot-stuffs lines that begin with '.' (RFC 5321 4.5.2),
// including the very first line. State carries across chunk boundaries, so a message may
// be fed in pieces of any size, down to one byte, with identical output.
#pragma once

#include <QByteArray>
#include <QByteArrayView>

namespace ssmtp::message {

class DataEncoder
{
public:
    enum class Mode {
        Data, // CRLF normalisation + dot-stuffing; finish() appends ".\r\n"
        Bdat  // CRLF normalisation only (BDAT carries octets counted, no stuffing)
    };

    explicit DataEncoder(Mode mode = Mode::Data);

    // Appends the encoded form of chunk to out. A trailing CR is held back until the
    // next byte shows whether it starts a CRLF pair.
    void encode(QByteArrayView chunk, QByteArray &out);
    QByteArray encode(QByteArrayView chunk)
    {
        QByteArray out;
        encode(chunk, out);
        return out;
    }

    // Flushes held state; makes the content end with CRLF (adds one when the content is
    // non-empty and does not end with a line break); in Data mode appends the ".\r\n"
    // terminator. Exactly one terminator, whatever the input. Further finish() calls emit
    // nothing; call reset() before encoding another message (encode() after finish() is a
    // programming error: asserted in debug builds, ignored otherwise).
    void finish(QByteArray &out);
    QByteArray finish()
    {
        QByteArray out;
        finish(out);
        return out;
    }

    // Back to the initial state (start of a new message, bytesOut() == 0), same mode.
    void reset();

    // Total octets emitted so far (for BDAT chunk sizing and transfer progress).
    qint64 bytesOut() const { return m_bytesOut; }

private:
    Mode m_mode;
    bool m_atLineStart = true;
    bool m_pendingCr = false;
    bool m_empty = true;
    bool m_finished = false;
    qint64 m_bytesOut = 0;
};

// One-shot helpers.
// CRLF everywhere, no stuffing. A trailing bare CR becomes CRLF, but no line break is
// added to data that does not end with one (unlike DataEncoder::finish()).
QByteArray normalizeLineEndings(QByteArrayView data);
// Full DATA wire form: normalised, dot-stuffed, ending with CRLF and the ".\r\n" terminator.
QByteArray dotStuff(QByteArrayView data);

} // namespace ssmtp::message
