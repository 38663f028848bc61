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
AddressListResult parseAddressList(const QString &text);

// True when the address needs SMTPUTF8 (non-ASCII in the local part or domain).
bool addressNeedsSmtpUtf8(const QString &address);

} // namespace ssmtp::message
