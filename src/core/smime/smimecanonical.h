// Canonical form of a MIME entity before it is signed or encrypted (RFC 8551 3.1, RFC 1847 3):
// CRLF line endings and a 7-bit transfer encoding, so that the bytes a relay delivers are the
// bytes that were signed. Pure function over bytes.
#pragma once

#include <QByteArray>
#include <QString>

namespace ssmtp::smime {

struct CanonicalEntity
{
    bool ok = false;
    QString errorString; // translated
    QByteArray entity;   // header fields, empty line, body
};

// The input is one MIME entity: its content header fields (Content-Type,
// Content-Transfer-Encoding, ...; not From/To/Subject) up to the first empty line, then the
// body. An entity without header fields starts with the empty line. What changes:
//
// - Every line ending (LF, CR, CRLF) becomes CRLF, in the header section and in every body
//   that is not binary.
// - A leaf part (not multipart/*, not message/rfc822) that is not 7-bit safe is re-encoded and
//   its Content-Transfer-Encoding field replaced or added:
//     * "binary" -> base64 of the raw octets (text/* after its line endings became CRLF);
//     * "8bit", or "7bit"/none with octets >= 0x80 -> quoted-printable for text/* (base64 when
//       most octets would be escaped), base64 for other media types;
//     * "7bit"/none with NUL octets, lines over 998 octets, trailing whitespace or a line that
//       starts with "From " -> quoted-printable (relays and mbox writers alter such lines,
//       RFC 3156 3 / RFC 8551 3.1.2).
//   quoted-printable and base64 bodies are kept (only line endings are normalised).
// - multipart/* is split at its boundary and every body part is canonicalised the same way
//   (recursively, 32 levels deep at most); preamble and epilogue keep their text.
//   message/rfc822 bodies are canonicalised as the entity they contain. Header fields of an
//   entity are never re-encoded: non-ASCII header text must be encoded (RFC 2047) beforehand.
// - A multipart or message/rfc822 whose parts all became 7-bit gets "7bit" in place of a
//   declared "8bit"/"binary".
//
// An already canonical 7-bit entity is returned as is (shared, not copied). Fails (ok=false)
// on empty input and when the input does not start with a header field or an empty line.
CanonicalEntity canonicalize(const QByteArray &entity);

} // namespace ssmtp::smime
