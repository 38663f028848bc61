// Address-list parsing (RFC 5322 section 3.4) for the sendTo / cc / bcc / from / replyTo
// properties: display names with quotes, commas inside quotes, comments, angle addresses.
#pragma once

#include <QList>
#include <QString>

namespace ssmtp::message {

struct Mailbox
{
    QString name;    // display name, unquoted and unescaped ("" when none)
    QString address; // addr-spec "local@domain" as it goes into MAIL FROM / RCPT TO
    bool operator==(const Mailbox &o) const { return name == o.name && address == o.address; }
};

struct AddressListResult
{
    QList<Mailbox> mailboxes;
    QString error; // empty when the list parsed unambiguously; otherwise a translatable reason
    bool ok() const { return error.isEmpty(); }
};

// Parses a comma-separated list. Empty elements (",,", trailing comma) are skipped.
// Rejects: CR/LF anywhere, unbalanced quotes/angle brackets/comments, more than one
// angle-addr in one element, addresses without exactly one unquoted '@', empty local part or
// domain, control characters, spaces in an unquoted addr-spec. Group syntax
// ("Team: a@x, b@y;") expands to its members.
// Details: comments are ignored (never used as a name); display-name words are joined by
// single spaces; a quoted local part loses needless quotes ("a.b"@x -> a.b@x) and keeps
// needed ones with '"' and '\' escaped; misplaced dots ("a..b@x", "a@x.") and an unquoted
// '@' in a display name are errors too; groups do not nest and need a name and the final
// ';'. RFC 2047 encoded words are not decoded. On error, mailboxes is empty and error reads
// "Invalid address \"<offending element>\": <reason>" (translation context "Ssmtp").
AddressListResult parseAddressList(const QString &text);

// True when the address needs SMTPUTF8 (non-ASCII in the local part or domain).
bool addressNeedsSmtpUtf8(const QString &address);

} // namespace ssmtp::message
