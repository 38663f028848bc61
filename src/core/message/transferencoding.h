// Content transfer encodings for body text (RFC 2045): quoted-printable and base64 with
// 76-character lines, and the decision which one a text body needs.
#pragma once

#include <QByteArray>
#include <QByteArrayView>

namespace ssmtp::message {

enum class TransferEncoding { SevenBit, QuotedPrintable, Base64, EightBit };

// Quoted-printable for text: line breaks (CRLF, LF or CR) become CRLF hard breaks,
// soft breaks keep lines <= 76, trailing whitespace and a leading '.' or "From " are encoded,
// '=' is encoded.
QByteArray encodeQuotedPrintable(QByteArrayView text);

// Base64 with CRLF every 76 characters, ending with CRLF when non-empty.
QByteArray encodeBase64Lines(QByteArrayView data);

// SevenBit when every byte is ASCII (no NUL) and no line exceeds 998 octets; otherwise
// QuotedPrintable for mostly-ASCII text, Base64 when more than ~1/3 would be escaped.
TransferEncoding chooseTextEncoding(QByteArrayView utf8Text);

} // namespace ssmtp::message
