// Builds the message of one send from the facade's properties: the RFC 5322 header list, its
// folded wire form, the encoded text body, and the envelope addresses. Pure: no I/O.
#pragma once

#include "addresslist.h"
#include "headerencoding.h"

#include "ssmtpattachment.h"

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>

#include <memory>

namespace ssmtp::message {

class MimeWriter;

struct ComposerRecipient
{
    enum Kind { To = 0, Cc = 1, Bcc = 2 };
    QString address;
    QString name;
    QString options;
    Kind kind = To;
};

struct ComposerInput
{
    QString from;
    QString sendTo;
    QString cc;
    QString bcc;
    QString replyTo;
    QString returnPath;
    QString subject;
    QString messageDate = QStringLiteral("*");
    QString messageId = QStringLiteral("*");
    QString deliveryNotificationTo;
    QString readReceiptTo;
    QString otherHeaders;
    int importance = 0;
    int priority = 0;
    int sensitivity = 0;
    QList<ComposerRecipient> recipients; // messageRecipients
    QString messageText;
    QString messageHtml; // HTML body (messageText becomes its alternative)
    QList<SsmtpAttachment> attachments;
    // After sign()/encrypt(): the content header fields of the S/MIME entity; messageText is
    // then its already encoded body and goes out exactly as it is.
    QList<QPair<QByteArray, QByteArray>> entityHeaders;
    bool rawMessage = false; // the message property is sent instead (headers not added)
    bool streamBody = false; // the body comes from setMessageStream
    bool allowEmptyTo = false;
    HeaderEncoding encoding;
    QString messageIdAlgorithm = QStringLiteral("SHA1");
    QString hostName; // Message-ID domain when From has none
};

struct EnvelopeAddress
{
    QString address;
    QString options;
    ComposerRecipient::Kind kind = ComposerRecipient::To;
};

struct ComposedMessage
{
    // Error: a code of Ssmtp::Error (0 = none) and a translated description.
    int error = 0;
    QString errorString;

    QList<QPair<QByteArray, QByteArray>> headers; // field, encoded unfolded value
    QByteArray headerBlock;                       // folded lines + the empty line
    QByteArray body;                              // encoded messageText
    std::shared_ptr<MimeWriter> mime;             // HTML/attachments: the body's producer
    QString reversePath;                          // MAIL FROM
    QList<EnvelopeAddress> recipients;            // RCPT TO, duplicates removed
    bool needsSmtpUtf8 = false;                   // a header carries a non-ASCII address

    bool ok() const { return error == 0; }
};

ComposedMessage compose(const ComposerInput &input);

// Headers only (for the messageHeaders property): no envelope or body checks.
ComposedMessage composeHeaders(const ComposerInput &input);

// The message content as one MIME entity (content header fields, the empty line, the body)
// for S/MIME: what sign() and encrypt() wrap. Attachments are read into memory.
struct ComposedEntity
{
    int error = 0;
    QString errorString;
    QByteArray entity;
    bool ok() const { return error == 0; }
};
ComposedEntity composeEntity(const ComposerInput &input);

// Splits an otherHeaders string into (field, value) pairs; continuation lines are joined.
// Returns false with error set when a line is not "Field: value" or a continuation.
bool parseHeaderLines(const QString &text, QList<QPair<QString, QString>> &out, QString &error);

} // namespace ssmtp::message
