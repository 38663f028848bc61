// MIME header field building blocks (RFC 2045, 2046, 2183, 2231): tokens, quoted strings,
// parameters (with RFC 2231 extended values and continuations), media type parsing,
// parameter-aware folding and multipart boundaries. Pure functions over bytes: no I/O.
#pragma once

#include "headerencoding.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>

namespace ssmtp::message {

// RFC 2045 token: one or more printable ASCII characters other than SPACE and tspecials
// ()<>@,;:\"/[]?=
bool isMimeToken(QByteArrayView text);

// A quoted-string: '"' and '\' are escaped with '\'. text must be printable ASCII (space
// included); callers check with isQuotableAscii().
QByteArray quoteMimeString(QByteArrayView text);
bool isQuotableAscii(const QString &text);

// RFC 2231 / RFC 5987 percent encoding of UTF-8 octets: attribute-chars (ALPHA DIGIT
// !#$&+-.^_`{|}~) stay, everything else becomes %XX (upper-case hex).
QByteArray percentEncodeRfc2231(QByteArrayView utf8);

// Encodes one parameter as one or more "attr=value" items (to be joined with "; "):
//  - a value that is printable ASCII, does not contain "=?" (which decoders may take for an
//    RFC 2047 encoded word) and is at most 900 characters: attr="quoted value";
//  - otherwise RFC 2231 extended form in UTF-8, attr*=UTF-8''%XX..., split into continuations
//    attr*0*=UTF-8''...; attr*1*=... when longer than fits on a 78-octet line. Continuations
//    never split a character (or a %XX triplet).
// Never both a plain and an extended form of the same parameter: RFC 2231 decoders (Python's
// email package among them) treat that as a duplicate parameter and keep the first.
// An empty value gives attr="".
QList<QByteArray> encodeMimeParameter(QByteArrayView attribute, const QString &value);

// A Content-Type value given by the application, e.g. "text/calendar; method=REQUEST".
struct MediaType
{
    bool valid = false;
    QByteArray type;                  // "type/subtype", lower case
    QList<QByteArray> parameters;     // "attr=value" items as given (whitespace trimmed)
    QList<QByteArray> parameterNames; // lower-case attribute names, without RFC 2231 "*..."

    bool hasParameter(QByteArrayView lowerName) const;
};
// Accepts printable ASCII only (no CR/LF, no 8-bit): type "/" subtype as tokens, then
// ";"-separated attr=value parameters whose value is a token or a quoted-string (RFC 2231
// names such as filename*0* are accepted as given).
MediaType parseMediaType(const QString &text);

// "Field: value; p1; p2" with folds only between parameters (";" CRLF SP), so a quoted
// string is never folded. No trailing CRLF. A parameter goes on a new line when the current
// line would exceed enc.maxLineLength (78 when folding is off or the limit is out of range:
// parameters are always foldable, and a line longer than 998 is never written as long as
// each parameter fits, which encodeMimeParameter guarantees).
QByteArray foldParameterHeader(QByteArrayView field, QByteArrayView value,
                               const QList<QByteArray> &parameters, const HeaderEncoding &enc);

// A random multipart boundary: "=_" followed by 32 characters of base64url (192 random
// bits from the system generator). "=_" never occurs in base64 or quoted-printable output,
// so a boundary cannot collide with encoded content; 7bit/8bit content held in memory is
// checked by the writer, while a file sent unencoded (message/*, multipart/*) relies on the
// 192 random bits. Must be quoted in a Content-Type parameter ('=' is a tspecial).
QByteArray generateBoundary();

} // namespace ssmtp::message
