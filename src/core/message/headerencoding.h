// Header field encoding: RFC 2047 encoded words, quoted display names and folding
// (RFC 5322 section 2.2.3). Pure functions over bytes: no I/O.
#pragma once

#include "addresslist.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>

namespace ssmtp::message {

// Charset used for encoded words. Empty means "UTF-8" (see docs/decisions.md: non-ASCII
// header text is never sent raw, even when the Charset config setting is empty).
// Text not representable in the charset falls back to UTF-8 for that word.
struct HeaderEncoding
{
    QByteArray charset;     // e.g. "UTF-8", "ISO-8859-1"; empty = UTF-8
    bool fold = true;       // FoldHeaders
    int maxLineLength = 80; // MaxHeaderLength (octets per physical line, CRLF excluded)
};

// Unstructured text (Subject, Comments, unknown fields): ASCII stays as is; runs of words
// containing non-ASCII or "=?" become encoded words ("B" or "Q", whichever is shorter), each
// encoded word at most 75 octets, never splitting a multi-byte character.
// Details: words are split at space/tab; a run of such words is encoded together with the
// whitespace between them (adjacent encoded words are separated by one space, which decoders
// drop). Control characters and plain words longer than 900 characters (which could not fit
// a 998-octet line) are encoded too. When folding, an encoded word is also at most
// maxLineLength - 1 octets (floor 30) so it fits a continuation line. firstLineUsed is the
// column where the value starts (field name + ": ", as in unstructuredHeader()): when the
// text starts with an encoded word, that word is shortened to fit the first line.
QByteArray encodeUnstructured(const QString &text, const HeaderEncoding &enc,
                              int firstLineUsed = 0);

// Convenience: foldHeader(field, encodeUnstructured(text, enc, field.size() + 2), enc).
QByteArray unstructuredHeader(QByteArrayView field, const QString &text, const HeaderEncoding &enc);

// A display name as an RFC 5322 phrase: atoms as is, specials -> quoted-string with
// escapes, non-ASCII -> encoded words (the phrase-safe "Q" subset or "B").
// Details: an ASCII name that is not single-space-separated atoms is quoted; one containing
// "=?" is encoded (many decoders wrongly decode encoded words inside quotes). With non-ASCII (or
// control) characters, ASCII atoms stay readable and the other words become encoded words when
// spacing is single spaces and every ASCII word is an atom; otherwise the whole name is one run of
// encoded words. Empty name -> empty result.
QByteArray encodePhrase(const QString &name, const HeaderEncoding &enc);

// "Name <addr>" or "addr"; the address is written as given (ASCII, or UTF-8 raw when it
// needs SMTPUTF8: addresses cannot be RFC 2047 encoded).
QByteArray formatMailbox(const Mailbox &mailbox, const HeaderEncoding &enc);
QByteArray formatAddressList(const QList<Mailbox> &mailboxes, const HeaderEncoding &enc);

// Builds the physical header "Field: value" folded so no line exceeds maxLineLength when
// that is possible (break only at whitespace; an unbreakable word longer than the limit
// stays whole but lines never exceed 998 octets: longer words are hard-split only inside
// encoded text, which never happens because encoded words are <= 75). With fold == false
// the header is one line (still capped at 998 by switching to folding). Lines are joined
// with "\r\n " / "\r\n\t" continuation; no trailing CRLF.
// Details: the fold goes before the first whitespace character of a run (the run starts the
// continuation line, so removing the CRLFs gives back "Field: value" exactly), never where
// the continuation would be whitespace only; the first fold may directly follow "Field:".
// maxLineLength <= 0 or > 998, and fold == false, fold at 998. An empty value gives "Field:".
// Defence in depth: CRLF + WSP in value is unfolded and any other CR or LF becomes a space.
// A single unbreakable token longer than 998 (only possible for raw values, such as a
// header set by the application) is left whole.
QByteArray foldHeader(QByteArrayView field, QByteArrayView value, const HeaderEncoding &enc);

// True when value contains CR or LF (header injection) — callers reject such input.
bool containsLineBreak(const QString &value);

} // namespace ssmtp::message
