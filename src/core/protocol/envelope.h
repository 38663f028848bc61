// What one SMTP transaction carries besides the message: the reverse path and the
// recipients with their per-recipient parameters (DSN NOTIFY/ORCPT, RFC 3461).
#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

namespace ssmtp::protocol {

struct EnvelopeRecipient
{
    enum Kind { To = 0, Cc = 1, Bcc = 2 };
    QString address;
    QByteArray parameters; // e.g. "NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;a@b.example"
    Kind kind = To;
};

struct Envelope
{
    QString reversePath; // MAIL FROM address ("" gives the null path <>)
    QList<EnvelopeRecipient> recipients;
    QByteArray dsnRet;        // "FULL" / "HDRS" (RET=), empty: none
    QByteArray dsnEnvelopeId; // xtext-encoded by the engine (ENVID=), empty: none
};

// The transaction command used for the reverse path (RFC 821 SEND/SOML/SAML).
enum class MailVerb { Mail, Send, SendOrMail, SendAndMail };

} // namespace ssmtp::protocol
