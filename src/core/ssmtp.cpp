#include "ssmtp.h"

#include "ssmtp_p.h"
#include "ssmtperrors_p.h"

#include "certificate/certificatehandles_p.h"
#include "message/mimewriter.h"
#include "queue/queuefile.h"
#include "smime/smime.h"
#include "smime/smimealgorithms.h"
#include "transport/httpconnect.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QDir>
#include <QEventLoop>
#include <QFileInfo>
#include <QHostInfo>
#include <QLocale>
#include <QTimer>
#include <QTranslator>

using namespace ssmtp;

namespace {

bool hasLineBreak(const QString &s)
{
    return s.contains(QLatin1Char('\r')) || s.contains(QLatin1Char('\n'));
}

} // namespace

/*!
    \class Ssmtp
    \brief An SMTP client component with the properties, methods and events of the spec's
    SSMTP component, on the Qt event loop.

    Set the message properties (from, sendTo, subject, messageText, ...) and mailServer, then
    call send(). send() connects, sends and quits; connectToServer() keeps a connection open
    for several messages. Every network operation ends with exactly one terminal signal: its
    success signal (connectedToServer, disconnectedFromServer, messageSent, commandReplied,
    verified, expanded, queueProcessed) or errorOccurred(). Recipients refused without
    stopping the message (StopOnBccErrors=false and friends) are reported by
    errorOccurred(RecipientRejectedError, ...) before messageSent(); that code never ends an
    operation.
*/

/*!
    \enum Ssmtp::AuthMechanism
    \brief The SASL mechanism used to log in (the spec's SsmtpAuthMechanisms, same values).

    Authentication runs while connecting, only when \l user is set, and only over TLS unless
    the config setting AllowInsecureAuth is true. A mechanism this version does not implement,
    or one the server does not offer, ends the connection attempt with AuthenticationError.

    \value UserPassword  0, the default: AUTH PLAIN, or AUTH LOGIN when the server offers only
                         that.
    \value CramMd5       1, CRAM-MD5. Not supported by this version.
    \value Ntlm          2, NTLM. Not supported by this version.
    \value Apop          3, APOP. Not supported by this version.
    \value SaslPlain     4, AUTH PLAIN only.
    \value SaslDigestMd5 5, DIGEST-MD5. Not supported by this version.
    \value Kerberos      6, Kerberos. Not supported by this version.
    \value XOAuth2       7, XOAUTH2 (the token goes in the config setting
                         AuthorizationIdentity). Not supported by this version.
*/

/*!
    \enum Ssmtp::Importance
    \brief The Importance header of the message (the spec's SsmtpImportances).

    \value Unspecified 0, the default: no Importance header.
    \value High        1, "Importance: high".
    \value Normal      2, "Importance: normal".
    \value Low         3, "Importance: low".
*/

/*!
    \enum Ssmtp::Priority
    \brief The Priority header of the message (the spec's SsmtpPriorities).

    \value Unspecified 0, the default: no Priority header.
    \value Normal      1, "Priority: normal".
    \value Urgent      2, "Priority: urgent".
    \value NonUrgent   3, "Priority: non-urgent".
*/

/*!
    \enum Ssmtp::Sensitivity
    \brief The Sensitivity header of the message (the spec's SsmtpSensitivities).

    \value Unspecified         0, the default: no Sensitivity header.
    \value Personal            1, "Sensitivity: Personal".
    \value Private             2, "Sensitivity: Private".
    \value CompanyConfidential 3, "Sensitivity: Company-Confidential".
*/

/*!
    \enum Ssmtp::TrailDirection
    \brief The originator of a piTrail() line (the spec's PITrail Direction); also the
    direction argument of startTransfer(), transfer() and endTransfer().

    \value Client 0, sent by the client to the server.
    \value Server 1, received from the server.
    \value Info   2, a note from the component itself; nothing was sent or received.
*/

/*!
    \enum Ssmtp::Error
    \brief The error codes reported by errorOccurred() and kept in \l error: the spec's
    Trappable Errors, plus 167-175 for conditions the spec has no code for.

    An error of an asynchronous operation is its terminal signal, except
    RecipientRejectedError, which never ends one. Synchronous calls (a setter refused while
    connected, config(), queue(), addRecipientCert(), sign(), encrypt(), signAndEncrypt())
    emit errorOccurred() before they return. docs/errors.md lists the codes.

    \value NoError 0, no error; set when an operation starts.
    \value PortChangeWhileConnectedError 100, \l mailPort was set while connected; the old
           value is kept.
    \value ServerChangeWhileConnectedError 101, \l mailServer was set while connected; the old
           value is kept.
    \value AlreadyConnectedError 104, connectToServer() was called while connected.
    \value LocalPortChangeWhileConnectedError 106, the config setting LocalPort was set while
           connected.
    \value LocalHostChangeWhileConnectedError 107, \l localHost was set while connected.
    \value MaxLineLengthChangeWhileConnectedError 112, the config setting MaxLineLength was set
           while connected.
    \value InvalidPortError 116, \l mailPort was set outside 1..65535; the old value is kept.
    \value FirewallError 118, the firewall (proxy) refused or failed: it could not be
           reached, closed the connection, broke its protocol, refused the credentials or
           the connection to the mail server; the description gives the proxy's reason.
    \value ProtocolError 161, the server refused a command (errorString holds its reply) or
           broke the protocol (a malformed, oversized or unrequested reply).
    \value CommunicationError 162, a socket error without a more precise code.
    \value NoServerError 163, \l mailServer is empty.
    \value NoSenderError 164, \l from is empty (for a raw \l message: \l returnPath too).
    \value NoRecipientError 165, there is no recipient, only Cc/Bcc recipients without the
           config setting AllowEmptyTo, or the server accepted none.
    \value BusyError 166, an operation was started while another runs; the running one goes
           on.
    \value MessageTooLargeError 167, the message is larger than the server's SIZE limit
           (checked before MAIL).
    \value ExtensionNotSupportedError 168, the message needs an extension the server does not
           offer: 8BITMIME for 8-bit data, SMTPUTF8 for a non-ASCII address.
    \value InvalidAddressError 169, an address list cannot be parsed unambiguously; the text
           names the property.
    \value InvalidHeaderError 170, a header value contains CR or LF, or an \l otherHeaders line
           is malformed.
    \value UnknownConfigError 171, config() was given an unknown setting name.
    \value InvalidConfigValueError 172, config() was given a value of the wrong form or range,
           or a value for a read-only setting.
    \value AuthenticationError 173, AUTH was refused or is impossible: mechanism not
           implemented or not offered, or no TLS without AllowInsecureAuth.
    \value RecipientRejectedError 174, the server refused a recipient whose refusal does not
           stop the message (see the StopOnToErrors, StopOnCcErrors and StopOnBccErrors config
           settings). Not terminal: messageSent() follows.
    \value SmimeError 175, signing or a certificate failed (sign(), signAndEncrypt(),
           addRecipientCert()), or a raw \l message or message stream would replace signed or
           encrypted content.
    \value TimeoutError 201, no progress within \l timeout seconds (with the config setting
           AbsoluteTimeout: the whole operation took longer).
    \value EncryptionError 283, encrypt() or signAndEncrypt() could not encrypt (the spec's
           "Error encrypting data"), e.g. without a recipient certificate.
    \value ActionImpossibleError 211, sendCommand() with an empty command or a line break, or
           a sendToTerminal method while \l allowExtensions is false.
    \value NotConnectedError 212, sendCommand() was called without a connection.
    \value InterruptedError 301, interrupt() stopped the operation.
    \value CannotOpenFileError 302, the message stream or an attachment file cannot be read.
    \value FileError 303, a queue directory or queue file problem (queue(), processQueue()).
    \value ConnectionDroppedError 1120, the server closed the connection during an operation.
    \value ConnectionRefusedError 10061, nothing listens on \l mailServer at \l mailPort.
    \value HostUnreachableError 10065, there is no route to the server.
    \value HostNotFoundError 11001, the name in \l mailServer does not resolve.
*/

/*!
    \fn void Ssmtp::connectedToServer()

    Emitted when connectToServer() has connected, greeted (EHLO or HELO) and, when \l user is
    set, authenticated. It ends that operation.
*/

/*!
    \fn void Ssmtp::disconnectedFromServer()

    Emitted when disconnectFromServer() has ended the connection (after the server answered
    QUIT), or at once when there was none. It ends that operation.
*/

/*!
    \fn void Ssmtp::messageSent()

    Emitted when the server has accepted the message of send() or a sendToTerminal method. A
    connection the operation opened itself has been closed by then. It ends that operation.
*/

/*!
    \fn void Ssmtp::commandReplied(int replyCode, const QString &reply)

    Emitted when the server answered sendCommand() with a reply below 400; \a replyCode is
    its three-digit code and \a reply the whole reply text. It ends that operation; a reply
    of 400 or more ends it with ProtocolError instead.
*/

/*!
    \fn void Ssmtp::verified(int replyCode, const QString &reply)

    Emitted when the server answered the VRFY of verify() with a 2xx reply (252 means it
    cannot verify but will accept the address); \a replyCode is the code and \a reply the whole
    reply text. It ends that operation; other replies end it with ProtocolError.
*/

/*!
    \fn void Ssmtp::expanded(const QStringList &addresses)

    Emitted when the server answered the EXPN of expand() positively; \a addresses holds one
    entry per reply line, without enhanced status codes. addressExpanded() was emitted for each
    entry before. It ends that operation.
*/

/*!
    \fn void Ssmtp::queueProcessed(int messagesSent)

    Emitted when processQueue() has sent every queued file of the directory; \a messagesSent
    is how many were sent. It ends that operation.
*/

/*!
    \fn void Ssmtp::errorOccurred(Ssmtp::Error error, const QString &description)

    The spec's Error event. Emitted with the \a error code and its translated \a description
    (for server refusals the text contains the server's reply); \l error and \l errorString
    hold both when it is emitted. For an asynchronous operation it is the terminal failure
    signal, except for RecipientRejectedError. Synchronous calls emit it before they return.
*/

/*!
    \fn void Ssmtp::connectionStatus(const QString &connectionEvent, int statusCode, \
                                     const QString &description)

    The spec's ConnectionStatus event, emitted when the connection state changes.
    \a connectionEvent is "Remote host connection complete" or "Remote host disconnected";
    \a statusCode is 0 or the Error code of the cause, \a description its text.
*/

/*!
    \fn void Ssmtp::startTransfer(int direction)

    The spec's StartTransfer event: emitted when the message data starts going to the
    server. \a direction is a TrailDirection, always Client.
*/

/*!
    \fn void Ssmtp::transfer(int direction, qint64 bytesTransferred, int percentDone, \
                             const QByteArray &text)

    The spec's Transfer event, emitted as message data is written. \a bytesTransferred counts
    the bytes sent since startTransfer(), \a percentDone is 0 to 100 or -1 when the total is
    unknown (a sequential stream), \a text is the portion just written. \a direction is always
    Client.
*/

/*!
    \fn void Ssmtp::endTransfer(int direction)

    The spec's EndTransfer event: emitted when all message data has been written.
    \a direction is always Client.
*/

/*!
    \fn void Ssmtp::piTrail(int direction, const QString &message)

    The spec's PITrail event, for logging: each command line sent (\a direction Client), reply
    line received (Server) or note of the component (Info) as \a message. Message headers and
    body are not traced; credentials are masked unless the config setting MaskSensitive is
    false.
*/

/*!
    \fn void Ssmtp::addressExpanded(const QString &address)

    The spec's Expand event: emitted by expand() once per \a address the server returned, a
    name with an address or an address alone, before expanded().
*/

/*!
    \fn void Ssmtp::allowExtensionsChanged(bool allowExtensions)

    This signal is emitted when the \l allowExtensions property changes; \a allowExtensions is
    the new value.
*/

/*!
    \fn void Ssmtp::authMechanismChanged(Ssmtp::AuthMechanism authMechanism)

    This signal is emitted when the \l authMechanism property changes; \a authMechanism is the
    new value.
*/

/*!
    \fn void Ssmtp::bccChanged(const QString &bcc)

    This signal is emitted when the \l bcc property changes; \a bcc is the new value.
*/

/*!
    \fn void Ssmtp::ccChanged(const QString &cc)

    This signal is emitted when the \l cc property changes; \a cc is the new value.
*/

/*!
    \fn void Ssmtp::connectedChanged(bool connected)

    This signal is emitted when the \l connected property changes; \a connected is the new
    value.
*/

/*!
    \fn void Ssmtp::deliveryNotificationToChanged(const QString &deliveryNotificationTo)

    This signal is emitted when the \l deliveryNotificationTo property changes; \a
    deliveryNotificationTo is the new value.
*/

/*!
    \fn void Ssmtp::fromChanged(const QString &from)

    This signal is emitted when the \l from property changes; \a from is the new value.
*/

/*!
    \fn void Ssmtp::idleChanged(bool idle)

    This signal is emitted when the \l idle property changes; \a idle is the new value.
*/

/*!
    \fn void Ssmtp::importanceChanged(Ssmtp::Importance importance)

    This signal is emitted when the \l importance property changes; \a importance is the new
    value.
*/

/*!
    \fn void Ssmtp::lastReplyChanged(const QString &lastReply)

    This signal is emitted when the \l lastReply property changes; \a lastReply is the new
    value.
*/

/*!
    \fn void Ssmtp::localHostChanged(const QString &localHost)

    This signal is emitted when the \l localHost property changes; \a localHost is the new
    value.
*/

/*!
    \fn void Ssmtp::mailPortChanged(int mailPort)

    This signal is emitted when the \l mailPort property changes; \a mailPort is the new value.
*/

/*!
    \fn void Ssmtp::mailServerChanged(const QString &mailServer)

    This signal is emitted when the \l mailServer property changes; \a mailServer is the new
    value.
*/

/*!
    \fn void Ssmtp::messageChanged(const QByteArray &message)

    This signal is emitted when the \l message property changes; \a message is the new value.
*/

/*!
    \fn void Ssmtp::messageDateChanged(const QString &messageDate)

    This signal is emitted when the \l messageDate property changes; \a messageDate is the new
    value.
*/

/*!
    \fn void Ssmtp::messageHeadersChanged()

    This signal is emitted when the \l messageHeaders property changes. It is also emitted for
    messageHeadersString, whenever a property that goes into the headers changes.
*/

/*!
    \fn void Ssmtp::messageIdChanged(const QString &messageId)

    This signal is emitted when the \l messageId property changes; \a messageId is the new
    value.
*/

/*!
    \fn void Ssmtp::messageRecipientsChanged()

    This signal is emitted when the \l messageRecipients property changes.
*/

/*!
    \fn void Ssmtp::messageTextChanged(const QString &messageText)

    This signal is emitted when the \l messageText property changes; \a messageText is the new
    value.
*/

/*!
    \fn void Ssmtp::messageHtmlChanged(const QString &messageHtml)

    This signal is emitted when the \l messageHtml property changes; \a messageHtml is the new
    value.
*/

/*!
    \fn void Ssmtp::attachmentsChanged()

    This signal is emitted when the \l attachments property changes.
*/

/*!
    \fn void Ssmtp::certificateChanged()

    This signal is emitted when the \l certificate property changes.
*/

/*!
    \fn void Ssmtp::firewallChanged()

    This signal is emitted when the \l firewall property changes (also through the Firewall*
    config settings). It carries no value because the firewall holds a password.
*/

/*!
    \fn void Ssmtp::includeCertificateChanged(bool includeCertificate)

    This signal is emitted when the \l includeCertificate property changes; \a
    includeCertificate is the new value.
*/

/*!
    \fn void Ssmtp::includeChainChanged(bool includeChain)

    This signal is emitted when the \l includeChain property changes; \a includeChain is the new
    value.
*/

/*!
    \fn void Ssmtp::signingAlgorithmChanged(const QString &signingAlgorithm)

    This signal is emitted when the \l signingAlgorithm property changes; \a signingAlgorithm is
    the new value. The argument is the OID, as the property reads back.
*/

/*!
    \fn void Ssmtp::encryptingAlgorithmChanged(const QString &encryptingAlgorithm)

    This signal is emitted when the \l encryptingAlgorithm property changes; \a
    encryptingAlgorithm is the new value.
*/

/*!
    \fn void Ssmtp::recipientCertificatesChanged()

    This signal is emitted when the \l recipientCertificates property changes.
*/

/*!
    \fn void Ssmtp::otherHeadersChanged(const QString &otherHeaders)

    This signal is emitted when the \l otherHeaders property changes; \a otherHeaders is the new
    value.
*/

/*!
    \fn void Ssmtp::passwordChanged()

    This signal is emitted when the \l password property changes. The value is not passed, so it
    does not travel through signal connections.
*/

/*!
    \fn void Ssmtp::priorityChanged(Ssmtp::Priority priority)

    This signal is emitted when the \l priority property changes; \a priority is the new value.
*/

/*!
    \fn void Ssmtp::readReceiptToChanged(const QString &readReceiptTo)

    This signal is emitted when the \l readReceiptTo property changes; \a readReceiptTo is the
    new value.
*/

/*!
    \fn void Ssmtp::replyToChanged(const QString &replyTo)

    This signal is emitted when the \l replyTo property changes; \a replyTo is the new value.
*/

/*!
    \fn void Ssmtp::returnPathChanged(const QString &returnPath)

    This signal is emitted when the \l returnPath property changes; \a returnPath is the new
    value.
*/

/*!
    \fn void Ssmtp::sendToChanged(const QString &sendTo)

    This signal is emitted when the \l sendTo property changes; \a sendTo is the new value.
*/

/*!
    \fn void Ssmtp::sensitivityChanged(Ssmtp::Sensitivity sensitivity)

    This signal is emitted when the \l sensitivity property changes; \a sensitivity is the new
    value.
*/

/*!
    \fn void Ssmtp::subjectChanged(const QString &subject)

    This signal is emitted when the \l subject property changes; \a subject is the new value.
*/

/*!
    \fn void Ssmtp::timeoutChanged(int timeout)

    This signal is emitted when the \l timeout property changes; \a timeout is the new value.
*/

/*!
    \fn void Ssmtp::userChanged(const QString &user)

    This signal is emitted when the \l user property changes; \a user is the new value.
*/
SsmtpPrivate::SsmtpPrivate(Ssmtp *qq)
    : session(std::make_unique<protocol::SmtpSession>())
    , q(qq)
{
    using protocol::SmtpSession;
    QObject::connect(session.get(), &SmtpSession::failed, q,
                     [this](int code, const QString &text) { onSessionFailed(code, text); });
    QObject::connect(session.get(), &SmtpSession::trace, q, &Ssmtp::piTrail);
    QObject::connect(session.get(), &SmtpSession::connectionStatus, q, &Ssmtp::connectionStatus);
    QObject::connect(session.get(), &SmtpSession::connectedChanged, q, &Ssmtp::connectedChanged);
    QObject::connect(session.get(), &SmtpSession::sslStatus, q, &Ssmtp::sslStatus);
    QObject::connect(session.get(), &SmtpSession::sslServerAuthentication, q,
                     [this](const QList<QSslCertificate> &chain, const QString &status,
                            bool accept) { onServerAuthentication(chain, status, accept); });
    QObject::connect(session.get(), &SmtpSession::replyReceived, q, [this](const QString &reply) {
        if (lastReply == reply)
            return;
        lastReply = reply;
        Q_EMIT q->lastReplyChanged(reply);
    });
    QObject::connect(session.get(), &SmtpSession::recipientRejected, q,
                     [this](const QString &address, int, const QString &reply) {
                         setError(Ssmtp::RecipientRejectedError,
                                  QCoreApplication::translate(
                                      "Ssmtp", "The server rejected the recipient %1: %2")
                                      .arg(address, reply));
                         Q_EMIT q->errorOccurred(error, errorString);
                     });
    QObject::connect(session.get(), &SmtpSession::transferStarted, q,
                     [this] { Q_EMIT q->startTransfer(Ssmtp::Client); });
    QObject::connect(session.get(), &SmtpSession::transferProgress, q,
                     [this](qint64 bytes, int percent, const QByteArray &text) {
                         Q_EMIT q->transfer(Ssmtp::Client, bytes, percent, text);
                     });
    QObject::connect(session.get(), &SmtpSession::transferFinished, q,
                     [this] { Q_EMIT q->endTransfer(Ssmtp::Client); });
}

SsmtpPrivate::~SsmtpPrivate() = default;

message::ComposerInput SsmtpPrivate::composerInput() const
{
    message::ComposerInput in;
    in.from = from;
    in.sendTo = sendTo;
    in.cc = cc;
    in.bcc = bcc;
    in.replyTo = replyTo;
    in.returnPath = returnPath;
    in.subject = subject;
    in.messageDate = messageDate;
    in.messageId = messageId;
    in.deliveryNotificationTo = deliveryNotificationTo;
    in.readReceiptTo = readReceiptTo;
    in.otherHeaders = otherHeaders;
    in.importance = int(importance);
    in.priority = int(priority);
    in.sensitivity = int(sensitivity);
    for (const SsmtpRecipient &r : recipients) {
        in.recipients.append({r.address(), r.name(), r.options(),
                              message::ComposerRecipient::Kind(r.recipientType())});
    }
    in.messageText = messageText;
    in.messageHtml = messageHtml;
    in.attachments = attachments;
    in.entityHeaders = entityHeaders;
    in.rawMessage = !message.isEmpty();
    in.streamBody = !stream.isNull();
    in.allowEmptyTo = settings.allowEmptyTo;
    in.encoding.charset = settings.charset.toLatin1();
    in.encoding.fold = settings.foldHeaders;
    in.encoding.maxLineLength = settings.maxHeaderLength;
    in.messageIdAlgorithm = settings.messageIdAlgorithm;
    in.hostName = settings.hello.isEmpty() ? QHostInfo::localHostName() : settings.hello;
    return in;
}

protocol::Envelope SsmtpPrivate::envelopeOf(const message::ComposedMessage &composed) const
{
    protocol::Envelope envelope;
    envelope.reversePath = composed.reversePath;
    for (const message::EnvelopeAddress &a : composed.recipients) {
        envelope.recipients.append(
            {a.address, a.options.toUtf8(), protocol::EnvelopeRecipient::Kind(a.kind)});
    }
    envelope.dsnRet = settings.dsnRet.toLatin1();
    envelope.dsnEnvelopeId = settings.dsnEnvelopeId.toUtf8();
    return envelope;
}

// The content changed: a previous sign()/encrypt() result no longer describes it.
// The content changed after sign()/encrypt(): the S/MIME result no longer describes it. The
// text and HTML that were wrapped come back, so the S/MIME body is never sent as plain text;
// the caller then applies its own change on top.
void SsmtpPrivate::clearEntity()
{
    if (entityHeaders.isEmpty())
        return;
    entityHeaders.clear();
    messageText = unwrapped.text;
    messageHtml = unwrapped.html;
    unwrapped = {};
    Q_EMIT q->messageTextChanged(messageText);
    Q_EMIT q->messageHtmlChanged(messageHtml);
    Q_EMIT q->messageHeadersChanged();
}

protocol::SessionSettings SsmtpPrivate::sessionSettings() const
{
    protocol::SessionSettings s;
    // "*name": a SOCKS firewall gets the name unresolved (the spec's MailServer).
    const bool remoteResolve = mailServer.startsWith(QLatin1Char('*'));
    s.host = remoteResolve ? mailServer.mid(1) : mailServer;
    s.port = quint16(mailPort);
    s.hello = settings.hello;
    s.allowExtensions = allowExtensions;
    s.user = user;
    s.password = password;
    s.authorizationIdentity = settings.authorizationIdentity;
    s.authMechanism = int(authMechanism);
    s.allowInsecureAuth = settings.allowInsecureAuth;
    s.useNtlmV2 = settings.useNtlmV2;
    s.timeoutSeconds = timeout;
    s.connectionTimeoutSeconds = settings.connectionTimeout;
    s.absoluteTimeout = settings.absoluteTimeout;
    s.maxLineLength = settings.maxLineLength;
    s.maskSensitive = settings.maskSensitive;
    s.sendRset = settings.sendRset;
    s.stopOnToErrors = settings.stopOnToErrors;
    s.stopOnCcErrors = settings.stopOnCcErrors;
    s.stopOnBccErrors = settings.stopOnBccErrors;
    s.maxTransferRate = settings.maxTransferRate;
    s.socket.localHost = localHost;
    s.socket.localPort = quint16(settings.localPort);
    s.socket.useIPv6 = settings.useIPv6;
    s.socket.tcpNoDelay = settings.tcpNoDelay;
    s.socket.tcpKeepAlive = settings.tcpKeepAlive;
    s.socket.keepAliveTimeMs = settings.keepAliveTime;
    s.socket.keepAliveIntervalMs = settings.keepAliveInterval;
    s.socket.linger = settings.linger;
    s.socket.lingerTimeSeconds = settings.lingerTime;
    s.socket.inBufferSize = settings.inBufferSize;
    s.socket.outBufferSize = settings.outBufferSize;
    s.proxy.autoDetect = firewall.autoDetect();
    s.proxy.type = int(firewall.firewallType());
    s.proxy.host = firewall.host();
    s.proxy.port = quint16(firewall.port()); // 0..65535, checked by setFirewall()
    s.proxy.user = firewall.user();
    s.proxy.password = firewall.password();
    s.proxy.extraHeaders =
        transport::httpconnect::normaliseExtraHeaders(settings.firewallData,
                                                      nullptr); // checked by config()
    s.proxy.remoteResolve = remoteResolve;
    // ProxyExceptionsList: "host;10.0.0.1;*.example.com" are reached without the firewall.
    const QStringList exceptions =
        settings.proxyExceptionsList.split(QLatin1Char(';'), Qt::SkipEmptyParts);
    for (const QString &entry : exceptions) {
        const QString e = entry.trimmed();
        const bool match = e.startsWith(QLatin1String("*."))
                               ? s.host.endsWith(e.mid(1), Qt::CaseInsensitive)
                               : s.host.compare(e, Qt::CaseInsensitive) == 0;
        if (match) {
            s.proxy.type = transport::ProxySettings::None;
            s.proxy.autoDetect = false;
            break;
        }
    }
    return s;
}

void SsmtpPrivate::setError(Ssmtp::Error code, const QString &text)
{
    error = code;
    errorString = text;
}

void SsmtpPrivate::postError(Ssmtp::Error code, const QString &text)
{
    QMetaObject::invokeMethod(
        q,
        [this, code, text] {
            setError(code, text);
            Q_EMIT q->errorOccurred(code, text);
        },
        Qt::QueuedConnection);
}

bool SsmtpPrivate::checkIdle()
{
    if (op == Op::None)
        return true;
    postError(Ssmtp::BusyError, ssmtpErrorText(Ssmtp::BusyError));
    return false;
}

bool SsmtpPrivate::checkServer()
{
    if (mailServer.trimmed().isEmpty()) {
        postError(Ssmtp::NoServerError, ssmtpErrorText(Ssmtp::NoServerError));
        return false;
    }
    // Blanks and control characters are never part of a host name; through a proxy they would
    // reach its request line.
    for (const QChar c : mailServer) {
        if (c.unicode() <= 0x20 || c.unicode() == 0x7f) {
            postError(Ssmtp::HostNotFoundError,
                      QCoreApplication::translate("Ssmtp",
                                                  "The MailServer \"%1\" is not a valid host name.")
                          .arg(mailServer.simplified()));
            return false;
        }
    }
    return true;
}

void SsmtpPrivate::begin(Op newOp)
{
    op = newOp;
    ++generation;
    ownConnection = false;
    completing = false;
    setError(Ssmtp::NoError, QString());
    // AbsoluteTimeout: one deadline for everything this operation does.
    session->setOperationDeadline(settings.absoluteTimeout && timeout > 0
                                      ? QDeadlineTimer(qint64(timeout) * 1000)
                                      : QDeadlineTimer(QDeadlineTimer::Forever));
    if (stream)
        streamStart = stream->isSequential() ? -1 : stream->pos();
    Q_EMIT q->idleChanged(false);
}

void SsmtpPrivate::finish()
{
    mimeBody.reset();
    op = Op::None;
    ownConnection = false;
    completing = false;
    Q_EMIT q->idleChanged(true);
}

// Terminal signals leave through the event loop: user slots never run inside the socket's
// readyRead, and a caller may connect after starting an operation.
void SsmtpPrivate::complete(std::function<void()> emitSignal)
{
    completing = true;
    QMetaObject::invokeMethod(
        q,
        [this, emitSignal = std::move(emitSignal), current = generation] {
            if (current != generation || op == Op::None)
                return; // interrupted in between
            finish();
            emitSignal();
        },
        Qt::QueuedConnection);
}

void SsmtpPrivate::fail(Ssmtp::Error code, const QString &text)
{
    if (op == Op::ProcessQueue)
        finishQueueFile(queue::FailedSuffix);
    releaseQueue();
    // A connection this operation opened is closed again; a transaction-level failure
    // leaves it open, so say goodbye politely.
    if (ownConnection && session->isConnected())
        session->closeQuietly();
    // A stream that was (partly) read: rewind it for a retry, or forget it when it cannot be.
    if (stream && op == Op::Send) {
        if (streamStart >= 0 && stream->isOpen())
            stream->seek(streamStart);
        else
            stream.clear();
    }
    complete([this, code, text] {
        setError(code, text);
        Q_EMIT q->errorOccurred(code, text);
    });
}

void SsmtpPrivate::onSessionFailed(int code, const QString &text)
{
    if (op == Op::None)
        return;
    fail(Ssmtp::Error(code), text);
}

void SsmtpPrivate::withConnection(std::function<void()> next)
{
    if (session->isConnected()) {
        // A connection opened before TLS was asked for must not carry the message in clear.
        if (sslStartMode != Ssmtp::SslStartMode::SslNone && !session->isEncrypted()) {
            fail(Ssmtp::HandshakeError,
                 QCoreApplication::translate(
                     "Ssmtp", "The open connection is not encrypted, but sslStartMode asks for "
                              "TLS; disconnect first."));
            return;
        }
        next();
        return;
    }
    ownConnection = true;
    openSession(std::move(next));
}

void SsmtpPrivate::openSession(std::function<void()> next)
{
    protocol::SessionSettings s = sessionSettings();
    if (!tlsSessionSettings(s)) {
        fail(error, errorString);
        return;
    }
    if (s.tls.startMode != int(Ssmtp::SslStartMode::SslNone) && !sslServerCert.isNull()) {
        sslServerCert = SsmtpCertificate(); // reset for every new connection (spec)
        Q_EMIT q->sslServerCertChanged();
    }
    const bool reuse = s.tls.reuseSession;
    const QString ticketKey = sessionTicketKey();
    session->open(s, [this, reuse, ticketKey, next = std::move(next)] {
        // Only a session whose certificate verified on its own is offered again: a resumed
        // session is not verified again, so an accepted-once certificate must not stick.
        if (reuse && session->verifiedWithoutOverride() && !session->sessionTicket().isEmpty())
            sessionTickets.insert(ticketKey, session->sessionTicket());
        else
            sessionTickets.remove(ticketKey);
        next();
    });
}

// After a successful operation on a connection it opened itself: QUIT, waiting for the
// answer as RFC 5321 4.1.1.10 asks, but a server that fumbles QUIT cannot turn a delivered
// message into an error.
void SsmtpPrivate::closeIfOwned(std::function<void()> next)
{
    if (!ownConnection) {
        next();
        return;
    }
    session->quit(std::move(next), true);
}

void SsmtpPrivate::notifyHeadersChanged()
{
    Q_EMIT q->messageHeadersChanged();
}

// ---- send ---------------------------------------------------------------------------------

void SsmtpPrivate::startSend(protocol::MailVerb verb)
{
    if (!checkIdle() || !checkServer())
        return;
    if (verb != protocol::MailVerb::Mail && !allowExtensions) {
        postError(Ssmtp::ActionImpossibleError,
                  QCoreApplication::translate(
                      "Ssmtp", "Sending to a terminal requires AllowExtensions to be true."));
        return;
    }
    if (!entityHeaders.isEmpty() && (!message.isEmpty() || stream)) {
        postError(Ssmtp::SmimeError, smimeReplacedText());
        return;
    }
    const message::ComposedMessage composed = message::compose(composerInput());
    if (!composed.ok()) {
        postError(Ssmtp::Error(composed.error), composed.errorString);
        return;
    }
    if (stream && !stream->isReadable()) {
        postError(
            Ssmtp::CannotOpenFileError,
            QCoreApplication::translate("Ssmtp", "The message stream is not open for reading."));
        return;
    }

    const protocol::Envelope envelope = envelopeOf(composed);
    protocol::MessageSource source;
    QByteArray transferText;
    bool streamed = false;
    if (!message.isEmpty()) {
        source.head = message; // the raw message is sent as is
        transferText = message;
    } else {
        source.head = composed.headerBlock;
        source.needsSmtpUtf8 = composed.needsSmtpUtf8;
        if (composed.mime && composed.mime->hasFileSources()) {
            // Attachments from files: generated while sending, never held whole in memory.
            mimeBody.reset(composed.mime->createBodyDevice());
            source.stream = mimeBody.get();
        } else if (composed.mime) {
            source.body = composed.mime->renderBody();
            transferText = source.body;
        } else if (stream) {
            source.stream = stream;
            source.closeStreamAfterTransfer = settings.closeStreamAfterTransfer;
            streamed = true;
        } else {
            source.body = composed.body;
            transferText = composed.body;
        }
    }
    const QByteArray headers = message.isEmpty() ? composed.headerBlock : QByteArray();

    begin(Op::Send);
    withConnection([this, envelope, source, verb, headers, transferText, streamed] {
        session->sendMessage(envelope, source, verb,
                             [this, headers, transferText, streamed](const protocol::Reply &) {
                                 lastHeaders = headers;
                                 lastTransferText = transferText;
                                 if (streamed && settings.closeStreamAfterTransfer)
                                     stream.clear();
                                 closeIfOwned(
                                     [this] { complete([this] { Q_EMIT q->messageSent(); }); });
                             });
    });
}

// ---- queue --------------------------------------------------------------------------------

void SsmtpPrivate::releaseQueue()
{
    queueStream.reset();
    queueLock.reset();
    queueFiles.clear();
    queueCurrent.clear();
}

void SsmtpPrivate::finishQueueFile(const char *suffix)
{
    if (queueCurrent.isEmpty())
        return;
    queueStream.reset();
    QString base = queueCurrent;
    base.chop(qstrlen(queue::SendingSuffix));
    if (suffix)
        QFile::rename(queueCurrent, base + QLatin1String(suffix));
    else
        QFile::remove(queueCurrent);
    queueCurrent.clear();
}

void SsmtpPrivate::processNextQueued()
{
    if (queueFiles.isEmpty()) {
        releaseQueue();
        closeIfOwned([this] {
            const int sent = queueSent;
            complete([this, sent] { Q_EMIT q->queueProcessed(sent); });
        });
        return;
    }
    const QString queued = queueFiles.takeFirst();
    QString sending = queued;
    sending.chop(qstrlen(queue::QueuedSuffix));
    sending += QLatin1String(queue::SendingSuffix);
    if (!QFile::rename(queued, sending)) {
        // Gone (another process took it): not an error, go on.
        Q_EMIT q->piTrail(Ssmtp::Info, QCoreApplication::translate(
                                           "Ssmtp", "Skipping %1: it is no longer queued.")
                                           .arg(queued));
        processNextQueued();
        return;
    }
    queueCurrent = sending;
    queueStream = std::make_unique<QFile>(sending);
    protocol::Envelope envelope;
    if (!queueStream->open(QIODevice::ReadOnly)) {
        fail(Ssmtp::FileError,
             QCoreApplication::translate("Ssmtp", "Cannot open the queue file \"%1\": %2")
                 .arg(sending, queueStream->errorString()));
        return;
    }
    const QString parseError = queue::readEnvelope(queueStream.get(), envelope);
    if (!parseError.isEmpty()) {
        fail(Ssmtp::FileError,
             QCoreApplication::translate("Ssmtp", "Cannot read the queue file \"%1\": %2")
                 .arg(sending, parseError));
        return;
    }
    Q_EMIT q->piTrail(
        Ssmtp::Info,
        QCoreApplication::translate("Ssmtp", "Sending queued message %1").arg(sending));
    protocol::MessageSource source;
    source.stream = queueStream.get();
    source.closeStreamAfterTransfer = true;
    withConnection([this, envelope, source] {
        session->sendMessage(envelope, source, protocol::MailVerb::Mail,
                             [this](const protocol::Reply &) {
                                 ++queueSent;
                                 finishQueueFile(settings.keepQueue ? queue::SentSuffix : nullptr);
                                 processNextQueued();
                             });
    });
}

// ---- Ssmtp --------------------------------------------------------------------------------

/*!
    Constructs an idle, unconnected component with the spec's defaults, as a child of
    \a parent.
*/
Ssmtp::Ssmtp(QObject *parent)
    : QObject(parent)
    , d(std::make_unique<SsmtpPrivate>(this))
{}

/*!
    Destroys the component. A connection is aborted without QUIT and no signal is emitted.
*/
Ssmtp::~Ssmtp()
{
    // No signals from a half-destroyed object.
    d->session->disconnect(this);
    d->session->abort();
}

namespace {
// Sets a member and emits its NOTIFY signal when the value changes.
template<typename T, typename Signal>
bool assign(Ssmtp *q, T &member, const T &value, Signal signal)
{
    if (member == value)
        return false;
    member = value;
    Q_EMIT(q->*signal)(value);
    return true;
}
} // namespace

#define SSMTP_HEADER_SETTER(Type, name, setter, signal)                                            \
    void Ssmtp::setter(Type value)                                                                 \
    {                                                                                              \
        if (assign(this, d->name, value, &Ssmtp::signal))                                          \
            d->notifyHeadersChanged();                                                             \
    }

/*!
    \property Ssmtp::allowExtensions
    \brief Whether ESMTP is used (the spec's AllowExtensions). Default true.

    When true the client greets with EHLO and falls back to HELO if the server refuses it;
    when false it sends HELO only, so no extension (AUTH, PIPELINING, SIZE, ...) is used. The
    sendToTerminal methods need it. Read when the next connection is opened.
*/
bool Ssmtp::allowExtensions() const
{
    return d->allowExtensions;
}
void Ssmtp::setAllowExtensions(bool allow)
{
    assign(this, d->allowExtensions, allow, &Ssmtp::allowExtensionsChanged);
}

/*!
    \property Ssmtp::authMechanism
    \brief The mechanism used to log in when \l user is set (the spec's AuthMechanism).
    Default UserPassword.

    Read when the next connection is opened; see AuthMechanism for what is supported.
*/
Ssmtp::AuthMechanism Ssmtp::authMechanism() const
{
    return d->authMechanism;
}
void Ssmtp::setAuthMechanism(AuthMechanism mechanism)
{
    assign(this, d->authMechanism, mechanism, &Ssmtp::authMechanismChanged);
}

/*!
    \property Ssmtp::bcc
    \brief Comma-separated addresses for blind copies (the spec's BCc). Default empty.

    Each address gets an RCPT in the envelope but appears in no header. The text is kept as
    set and parsed when the message is sent (InvalidAddressError names the property); unlike
    the spec, setting it does not add to \l messageRecipients. A refused Bcc address does not
    stop the message unless the config setting StopOnBccErrors is true
    (RecipientRejectedError is reported instead).
*/
QString Ssmtp::bcc() const
{
    return d->bcc;
}
void Ssmtp::setBcc(const QString &bcc)
{
    assign(this, d->bcc, bcc, &Ssmtp::bccChanged);
}

/*!
    \property Ssmtp::cc
    \brief Comma-separated addresses for carbon copies (the spec's Cc). Default empty.

    Each address gets an RCPT and the Cc header lists them, together with the Cc entries of
    \l messageRecipients. Parsed when the message is sent; unlike the spec, setting it does not
    add to \l messageRecipients. A refused address stops the message unless the config setting
    StopOnCcErrors is false.
*/
QString Ssmtp::cc() const
{
    return d->cc;
}
SSMTP_HEADER_SETTER(const QString &, cc, setCc, ccChanged)

/*!
    \property Ssmtp::connected
    \brief Whether a connection to \l mailServer is open (the spec's Connected). Default false.

    Setting it to true calls connectToServer(), to false disconnectFromServer(); the property
    changes when the operation completes. Prefer calling those methods.
*/
bool Ssmtp::isConnected() const
{
    return d->session->isConnected();
}
void Ssmtp::setConnected(bool connected)
{
    if (connected == isConnected())
        return;
    if (connected)
        connectToServer();
    else
        disconnectFromServer();
}

/*!
    \property Ssmtp::deliveryNotificationTo
    \brief The address for delivery notifications (the spec's DeliveryNotificationTo).
    Default empty.

    When set, a Return-Receipt-To header is added. For RFC 3461 delivery status notifications
    use the options of \l messageRecipients instead.
*/
QString Ssmtp::deliveryNotificationTo() const
{
    return d->deliveryNotificationTo;
}
SSMTP_HEADER_SETTER(const QString &, deliveryNotificationTo, setDeliveryNotificationTo,
                    deliveryNotificationToChanged)

/*!
    \property Ssmtp::from
    \brief The sender, e.g. "Name" <address@example.com> (the spec's From). Required; default
    empty.

    It becomes the From header and, unless \l returnPath is set, the envelope sender (MAIL
    FROM). An empty value makes send() fail with NoSenderError.
*/
QString Ssmtp::from() const
{
    return d->from;
}
SSMTP_HEADER_SETTER(const QString &, from, setFrom, fromChanged)

/*!
    \property Ssmtp::idle
    \brief Whether no operation is running (the spec's Idle). Read-only; default true.

    It becomes false when an asynchronous operation starts and true again just before its
    terminal signal. waitForIdle() waits for it.
*/
bool Ssmtp::isIdle() const
{
    return d->op == SsmtpPrivate::Op::None;
}

/*!
    \property Ssmtp::importance
    \brief The Importance header (the spec's Importance). Default Unspecified: no header.
*/
Ssmtp::Importance Ssmtp::importance() const
{
    return d->importance;
}
SSMTP_HEADER_SETTER(Importance, importance, setImportance, importanceChanged)

/*!
    \property Ssmtp::lastReply
    \brief The last reply received from the server, lines joined with "\n" (the spec's
    LastReply). Read-only; default empty.

    piTrail() shows the same replies and the commands.
*/
QString Ssmtp::lastReply() const
{
    return d->lastReply;
}

/*!
    \property Ssmtp::localHost
    \brief The local interface (name or address) connections are made from (the spec's
    LocalHost). Default empty: any interface.

    While connected it reads back the address of the interface in use. It cannot be changed
    while connected: that fails with LocalHostChangeWhileConnectedError.
*/
QString Ssmtp::localHost() const
{
    // While connected: the address of the interface in use (spec).
    if (d->session->isConnected())
        return d->session->localAddress();
    return d->localHost;
}
void Ssmtp::setLocalHost(const QString &localHost)
{
    if (d->session->isConnected()) {
        d->setError(LocalHostChangeWhileConnectedError,
                    ssmtpErrorText(LocalHostChangeWhileConnectedError));
        Q_EMIT errorOccurred(d->error, d->errorString);
        return;
    }
    assign(this, d->localHost, localHost, &Ssmtp::localHostChanged);
}

/*!
    \property Ssmtp::mailPort
    \brief The TCP port of the SMTP server (the spec's MailPort). Default 25.

    Valid values are 1 to 65535 (otherwise InvalidPortError). It cannot be changed while
    connected (PortChangeWhileConnectedError); in both cases the old value is kept.
*/
int Ssmtp::mailPort() const
{
    return d->mailPort;
}
void Ssmtp::setMailPort(int port)
{
    if (port == d->mailPort)
        return;
    const Error e = d->session->isConnected()    ? PortChangeWhileConnectedError
                    : (port < 1 || port > 65535) ? InvalidPortError
                                                 : NoError;
    if (e != NoError) {
        d->setError(e, ssmtpErrorText(e));
        Q_EMIT errorOccurred(e, d->errorString);
        return;
    }
    assign(this, d->mailPort, port, &Ssmtp::mailPortChanged);
}

/*!
    \property Ssmtp::mailServer
    \brief The host name or address of the mail relay (the spec's MailServer). Default empty.

    Required for every network operation (otherwise NoServerError). It cannot be changed
    while connected (ServerChangeWhileConnectedError). Unlike the spec, a name is not
    replaced by its resolved address.
*/
QString Ssmtp::mailServer() const
{
    return d->mailServer;
}
void Ssmtp::setMailServer(const QString &server)
{
    if (server != d->mailServer && d->session->isConnected()) {
        d->setError(ServerChangeWhileConnectedError,
                    ssmtpErrorText(ServerChangeWhileConnectedError));
        Q_EMIT errorOccurred(d->error, d->errorString);
        return;
    }
    assign(this, d->mailServer, server, &Ssmtp::mailServerChanged);
}

/*!
    \property Ssmtp::message
    \brief A complete raw message, headers and body (the spec's Message). Default empty.

    When set, it is sent instead of the composed message: no header is added and nothing is
    encoded; only line endings are normalised to CRLF and lines dot-stuffed. The envelope
    still comes from \l from or \l returnPath and the recipient properties. It cannot be
    signed or encrypted.
*/
QByteArray Ssmtp::message() const
{
    return d->message;
}
void Ssmtp::setMessage(const QByteArray &rawMessage)
{
    assign(this, d->message, rawMessage, &Ssmtp::messageChanged);
}

/*!
    \property Ssmtp::messageDate
    \brief The Date header (the spec's MessageDate). Default "*".

    "*" generates the current date and time when the headers are computed; an empty value
    omits the header (relays may add one); any other text is used as given, e.g.
    "Fri, 1 Mar 1996 21:24:52 -0500".
*/
QString Ssmtp::messageDate() const
{
    return d->messageDate;
}
SSMTP_HEADER_SETTER(const QString &, messageDate, setMessageDate, messageDateChanged)

/*!
    \property Ssmtp::messageHeaders
    \brief The headers the current properties produce, one SsmtpHeader per field (the spec's
    MessageHeaders). Read-only.

    Computed on each read, so "*" values in \l messageDate and \l messageId give new values
    each time. After sign() or encrypt() it includes the S/MIME content headers.
*/
QList<SsmtpHeader> Ssmtp::messageHeaders() const
{
    const message::ComposedMessage m = message::composeHeaders(d->composerInput());
    QList<SsmtpHeader> headers;
    for (const auto &h : m.headers)
        headers.append(SsmtpHeader(QString::fromLatin1(h.first), QString::fromUtf8(h.second)));
    return headers;
}

/*!
    \property Ssmtp::messageHeadersString
    \brief The same headers as \l messageHeaders as one RFC 5322 header block, folded and
    CRLF-separated (the spec's MessageHeadersString). Read-only.

    The headers of the last message actually sent are available through
    config("MessageHeadersString").
*/
QString Ssmtp::messageHeadersString() const
{
    return QString::fromUtf8(message::composeHeaders(d->composerInput()).headerBlock);
}

/*!
    \property Ssmtp::messageId
    \brief The Message-ID header, angle brackets optional (the spec's MessageId). Default "*".

    "*" generates a unique identifier (see the config setting MessageIdAlgorithm); an empty
    value omits the header. Other values must be ASCII without spaces (otherwise
    InvalidHeaderError).
*/
QString Ssmtp::messageId() const
{
    return d->messageId;
}
SSMTP_HEADER_SETTER(const QString &, messageId, setMessageId, messageIdChanged)

/*!
    \property Ssmtp::messageRecipients
    \brief Recipients in addition to \l sendTo, \l cc and \l bcc (the spec's
    MessageRecipients). Default empty.

    Use it for recipients that need RCPT options (DSN NOTIFY, ORCPT). An address that also
    appears in the string properties is sent once, with the options given here. To and Cc
    entries appear in the headers; Bcc entries never do.
*/
QList<SsmtpRecipient> Ssmtp::messageRecipients() const
{
    return d->recipients;
}
void Ssmtp::setMessageRecipients(const QList<SsmtpRecipient> &recipients)
{
    if (d->recipients == recipients)
        return;
    d->recipients = recipients;
    Q_EMIT messageRecipientsChanged();
    d->notifyHeadersChanged();
}

/*!
    Appends \a recipient to \l messageRecipients.
*/
void Ssmtp::addMessageRecipient(const SsmtpRecipient &recipient)
{
    d->recipients.append(recipient);
    Q_EMIT messageRecipientsChanged();
    d->notifyHeadersChanged();
}

/*!
    Removes all entries of \l messageRecipients. \l sendTo, \l cc and \l bcc are not changed.
*/
void Ssmtp::clearMessageRecipients()
{
    setMessageRecipients({});
}

/*!
    \property Ssmtp::messageText
    \brief The text of the message, without headers (the spec's MessageText). Default empty.

    Line endings are normalised to CRLF and leading dots are escaped on the wire. Text that is
    not 7-bit gets MIME headers and is sent as UTF-8 in quoted-printable or base64, unless
    \l otherHeaders sets Content-Type or Content-Transfer-Encoding. With \l messageHtml it is
    the plain-text alternative. After sign() or encrypt() it holds the S/MIME body; setting it
    then drops the S/MIME result.
*/
QString Ssmtp::messageText() const
{
    return d->messageText;
}
void Ssmtp::setMessageText(const QString &text)
{
    if (text == d->messageText)
        return;
    d->clearEntity();
    assign(this, d->messageText, text, &Ssmtp::messageTextChanged);
    d->notifyHeadersChanged();
}

/*!
    \property Ssmtp::messageHtml
    \brief An HTML body (no spec name). Default empty.

    When set, the message is multipart/alternative with \l messageText as the plain-text part;
    attachments with a contentId are placed next to it in multipart/related. sign() and
    encrypt() clear it (its content moves into the S/MIME entity); setting it afterwards drops
    the S/MIME result.
*/
QString Ssmtp::messageHtml() const
{
    return d->messageHtml;
}
void Ssmtp::setMessageHtml(const QString &html)
{
    if (html == d->messageHtml && d->entityHeaders.isEmpty())
        return;
    d->clearEntity();
    assign(this, d->messageHtml, html, &Ssmtp::messageHtmlChanged);
    d->notifyHeadersChanged();
}

/*!
    \property Ssmtp::attachments
    \brief The files and in-memory parts sent with the message (no spec name). Default empty.

    They are sent base64-encoded (except message and multipart types) in a
    multipart/mixed message; files are read while sending. sign() and encrypt() clear the
    list; setting it afterwards drops the S/MIME result.
*/
QList<SsmtpAttachment> Ssmtp::attachments() const
{
    return d->attachments;
}
void Ssmtp::setAttachments(const QList<SsmtpAttachment> &attachments)
{
    if (d->attachments == attachments && d->entityHeaders.isEmpty())
        return;
    d->clearEntity();
    d->attachments = attachments;
    Q_EMIT attachmentsChanged();
    d->notifyHeadersChanged();
}

/*!
    Appends the file \a fileName to \l attachments; its MIME type is guessed from the name.
*/
void Ssmtp::addAttachment(const QString &fileName)
{
    addAttachment(SsmtpAttachment(fileName));
}

/*!
    \overload

    Appends \a attachment to \l attachments.
*/
void Ssmtp::addAttachment(const SsmtpAttachment &attachment)
{
    QList<SsmtpAttachment> list = d->attachments;
    list.append(attachment);
    setAttachments(list);
}

/*!
    Removes all \l attachments.
*/
void Ssmtp::clearAttachments()
{
    setAttachments({});
}

/*!
    \property Ssmtp::certificate
    \brief The signer's certificate with its private key (the spec's Certificate). Default
    null.

    sign() and signAndEncrypt() need it with a private key. With the config setting
    EncryptToSelf it is also an encryption recipient.
*/
SsmtpCertificate Ssmtp::certificate() const
{
    return d->certificate;
}
void Ssmtp::setCertificate(const SsmtpCertificate &certificate)
{
    if (d->certificate == certificate)
        return;
    d->certificate = certificate;
    Q_EMIT certificateChanged();
}

/*!
    \property Ssmtp::firewall
    \brief The firewall (proxy) to connect through (the spec's Firewall). Default: no
    firewall.

    See SsmtpFirewall for the types and fields; the config settings FirewallAutoDetect,
    FirewallHost, FirewallPassword, FirewallPort, FirewallType and FirewallUser read and write
    the same fields, and FirewallData adds header lines ("Name: value", one per line) to an
    HTTP CONNECT request. FirewallListener is accepted and has no effect: this client never
    listens through a firewall. A change applies from the next connection on. A port outside
    0..65535 is refused with InvalidPortError and the old value is kept. With a SOCKS firewall,
    \l mailServer may start with "*": the name then goes to the firewall unresolved.
*/
SsmtpFirewall Ssmtp::firewall() const
{
    return d->firewall;
}
void Ssmtp::setFirewall(const SsmtpFirewall &firewall)
{
    if (d->firewall == firewall)
        return;
    if (firewall.port() < 0 || firewall.port() > 65535) {
        d->setError(InvalidPortError,
                    tr("The firewall port %1 is outside 0..65535; the firewall is unchanged.")
                        .arg(firewall.port()));
        Q_EMIT errorOccurred(d->error, d->errorString);
        return;
    }
    d->firewall = firewall;
    Q_EMIT firewallChanged();
}

/*!
    \property Ssmtp::includeCertificate
    \brief Whether the signer's certificate is included in signatures (the spec's
    IncludeCertificate). Default true.

    Without it recipients may be unable to verify the signature. Used by sign() and
    signAndEncrypt().
*/
bool Ssmtp::includeCertificate() const
{
    return d->includeCertificate;
}
void Ssmtp::setIncludeCertificate(bool include)
{
    assign(this, d->includeCertificate, include, &Ssmtp::includeCertificateChanged);
}

/*!
    \property Ssmtp::includeChain
    \brief Whether the issuer certificates of \l certificate are included in signatures too
    (the spec's IncludeChain). Default false.

    Has an effect only when \l includeCertificate is true.
*/
bool Ssmtp::includeChain() const
{
    return d->includeChain;
}
void Ssmtp::setIncludeChain(bool include)
{
    assign(this, d->includeChain, include, &Ssmtp::includeChainChanged);
}

/*!
    \property Ssmtp::signingAlgorithm
    \brief The digest algorithm of signatures (the spec's SigningAlgorithm). Default
    "sha-256".

    Accepts a name (sha1, md5, sha-256, sha-384, sha-512, sha-224) or an OID. As in the spec
    it reads back as the OID, or empty when the algorithm is unknown.
*/
QString Ssmtp::signingAlgorithm() const
{
    // The spec: "When read, the value of the property always contains the OID of the
    // algorithm, or an empty string if the algorithm is unknown."
    return smime::signingAlgorithmOid(d->signingAlgorithm);
}
void Ssmtp::setSigningAlgorithm(const QString &algorithm)
{
    if (d->signingAlgorithm == algorithm)
        return;
    d->signingAlgorithm = algorithm;
    Q_EMIT signingAlgorithmChanged(signingAlgorithm());
}

/*!
    \property Ssmtp::encryptingAlgorithm
    \brief The content cipher used by encrypt() (the spec's EncryptingAlgorithm). Default
    "AESCBC256", not the spec's "3DES" (see docs/decisions.md).

    Accepts the spec's names ("3DES", "DES", "RC2CBC40", "RC2CBC64", "RC2CBC128"/"RC2",
    "AESCBC128"/"AES", "AESCBC192", "AESCBC256", "AESGCM128"/"AESGCM", "AESGCM192",
    "AESGCM256") or an OID.
*/
QString Ssmtp::encryptingAlgorithm() const
{
    return d->encryptingAlgorithm;
}
void Ssmtp::setEncryptingAlgorithm(const QString &algorithm)
{
    assign(this, d->encryptingAlgorithm, algorithm, &Ssmtp::encryptingAlgorithmChanged);
}

/*!
    \property Ssmtp::recipientCertificates
    \brief The certificates encrypt() encrypts for (no spec name). Read-only.

    Changed with addRecipientCert() and clearRecipientCerts().
*/
QList<SsmtpCertificate> Ssmtp::recipientCertificates() const
{
    return d->recipientCertificates;
}

/*!
    \property Ssmtp::otherHeaders
    \brief Extra header lines, "Name: value" separated by CRLF (the spec's OtherHeaders).
    Default empty.

    They are appended to the computed headers; non-ASCII values are encoded. If the text
    starts with an empty line it replaces the computed headers. A malformed line fails the
    send with InvalidHeaderError.
*/
QString Ssmtp::otherHeaders() const
{
    return d->otherHeaders;
}
SSMTP_HEADER_SETTER(const QString &, otherHeaders, setOtherHeaders, otherHeadersChanged)

/*!
    \property Ssmtp::password
    \brief The password for AUTH (the spec's Password). Default empty.

    Used with \l user when the next connection is opened. Its NOTIFY signal carries no value.
*/
QString Ssmtp::password() const
{
    return d->password;
}
void Ssmtp::setPassword(const QString &password)
{
    if (d->password == password)
        return;
    d->password = password;
    Q_EMIT passwordChanged(); // without the value: it should not travel through signals
}

/*!
    \property Ssmtp::priority
    \brief The Priority header (the spec's Priority). Default Unspecified: no header.
*/
Ssmtp::Priority Ssmtp::priority() const
{
    return d->priority;
}
SSMTP_HEADER_SETTER(Priority, priority, setPriority, priorityChanged)

/*!
    \property Ssmtp::readReceiptTo
    \brief The address that should receive read receipts (the spec's ReadReceiptTo). Default
    empty.

    When set, a Disposition-Notification-To header is added.
*/
QString Ssmtp::readReceiptTo() const
{
    return d->readReceiptTo;
}
SSMTP_HEADER_SETTER(const QString &, readReceiptTo, setReadReceiptTo, readReceiptToChanged)

/*!
    \property Ssmtp::replyTo
    \brief The address(es) for replies, when different from \l from (the spec's ReplyTo).
    Default empty.

    When set, a Reply-To header is added.
*/
QString Ssmtp::replyTo() const
{
    return d->replyTo;
}
SSMTP_HEADER_SETTER(const QString &, replyTo, setReplyTo, replyToChanged)

/*!
    \property Ssmtp::returnPath
    \brief The envelope sender (MAIL FROM), where bounces go (the spec's ReturnPath). Default
    empty: the address of \l from is used.

    No header is created from it.
*/
QString Ssmtp::returnPath() const
{
    return d->returnPath;
}
void Ssmtp::setReturnPath(const QString &address)
{
    assign(this, d->returnPath, address, &Ssmtp::returnPathChanged);
}

/*!
    \property Ssmtp::sendTo
    \brief Comma-separated addresses of the primary recipients (the spec's SendTo). Default
    empty.

    Each address gets an RCPT and the To header lists them, together with the To entries of
    \l messageRecipients. Required unless the config setting AllowEmptyTo is true (otherwise
    NoRecipientError). Parsed when sending; unlike the spec, setting it does not add to
    \l messageRecipients. A refused address stops the message unless StopOnToErrors is false.
*/
QString Ssmtp::sendTo() const
{
    return d->sendTo;
}
SSMTP_HEADER_SETTER(const QString &, sendTo, setSendTo, sendToChanged)

/*!
    \property Ssmtp::sensitivity
    \brief The Sensitivity header (the spec's Sensitivity). Default Unspecified: no header.
*/
Ssmtp::Sensitivity Ssmtp::sensitivity() const
{
    return d->sensitivity;
}
SSMTP_HEADER_SETTER(Sensitivity, sensitivity, setSensitivity, sensitivityChanged)

/*!
    \property Ssmtp::subject
    \brief The Subject header (the spec's Subject). Default empty: no header.

    Non-ASCII text is encoded (RFC 2047); long headers are folded.
*/
QString Ssmtp::subject() const
{
    return d->subject;
}
SSMTP_HEADER_SETTER(const QString &, subject, setSubject, subjectChanged)

/*!
    \property Ssmtp::timeout
    \brief The inactivity timeout of operations, in seconds (the spec's Timeout). Default 60.

    An operation that makes no progress for this long ends with TimeoutError; with the config
    setting AbsoluteTimeout it limits the whole operation instead. 0 disables it; negative
    values are stored as 0. Nothing blocks: the timeout never freezes the event loop.
*/
int Ssmtp::timeout() const
{
    return d->timeout;
}
void Ssmtp::setTimeout(int seconds)
{
    assign(this, d->timeout, qMax(0, seconds), &Ssmtp::timeoutChanged);
}

/*!
    \property Ssmtp::user
    \brief The user name for AUTH (the spec's User). Default empty: no authentication.

    When set, the client authenticates with \l password and \l authMechanism while the next
    connection is opened.
*/
QString Ssmtp::user() const
{
    return d->user;
}
void Ssmtp::setUser(const QString &user)
{
    assign(this, d->user, user, &Ssmtp::userChanged);
}

/*!
    \property Ssmtp::error
    \brief The code of the last error reported by errorOccurred(). Read-only.

    NoError after reset() and when an operation starts.
*/
Ssmtp::Error Ssmtp::error() const
{
    return d->error;
}

/*!
    \property Ssmtp::errorString
    \brief The translated description of \l error. Read-only.
*/
QString Ssmtp::errorString() const
{
    return d->errorString;
}

// ---- synchronous methods ------------------------------------------------------------------

/*!
    Sets or reads a config setting (the spec's Config). \a configurationString is "Name=Value"
    to set, or "Name" to read; names are the spec's (e.g. "AllowEmptyTo", "Charset",
    "StopOnBccErrors") plus this library's additions. Booleans accept True/False, 1/0 and
    Yes/No in any case.

    Returns the value read (empty after setting). On failure it emits errorOccurred()
    (UnknownConfigError, InvalidConfigValueError or a ...WhileConnectedError) before returning
    an empty string; otherwise \l error is left unchanged.
*/
QString Ssmtp::config(const QString &configurationString)
{
    const Error before = d->error;
    const QString beforeText = d->errorString;
    d->setError(NoError, QString());
    QString result = d->config(configurationString);
    if (d->error != NoError) {
        Q_EMIT errorOccurred(d->error, d->errorString);
        return QString();
    }
    d->setError(before, beforeText);
    return result;
}

/*!
    Resets all properties and config settings to their defaults (the spec's Reset). A running
    operation is interrupted first (emitting InterruptedError) and a connection is aborted
    without QUIT.
*/
void Ssmtp::reset()
{
    if (!isIdle())
        interrupt();
    if (d->session->isConnected())
        d->session->abort();
    setAllowExtensions(true);
    setAuthMechanism(AuthMechanism::UserPassword);
    setLocalHost(QString());
    setMailPort(25);
    setMailServer(QString());
    setMessage(QByteArray());
    setPassword(QString());
    setTimeout(60);
    setUser(QString());
    resetHeaders();
    setMessageText(QString());
    setMessageHtml(QString());
    clearAttachments();
    d->clearEntity();
    setCertificate(SsmtpCertificate());
    setFirewall(SsmtpFirewall());
    clearRecipientCerts();
    setIncludeCertificate(true);
    setIncludeChain(false);
    setSigningAlgorithm(QStringLiteral("sha-256"));
    setEncryptingAlgorithm(QStringLiteral("AESCBC256"));
    setSslStartMode(SslStartMode::SslNone);
    setSslProvider(SslProvider::SslProviderAutomatic);
    setSslCert(SsmtpCertificate());
    setSslAcceptServerCert(SsmtpCertificate());
    d->tls = SsmtpTlsSettings();
    d->sessionTickets.clear();
    d->settings = SsmtpSettings();
    d->stream.clear();
    d->lastHeaders.clear();
    d->lastTransferText.clear();
    d->setError(NoError, QString());
}

/*!
    Resets the header properties (the spec's ResetHeaders): the address properties, subject,
    otherHeaders, importance, priority, sensitivity and messageRecipients become empty or
    Unspecified; messageDate and messageId become "*". Call it before composing a new message.
    The body properties are not changed.
*/
void Ssmtp::resetHeaders()
{
    setBcc(QString());
    setCc(QString());
    setDeliveryNotificationTo(QString());
    setFrom(QString());
    setImportance(Importance::Unspecified);
    setMessageDate(QStringLiteral("*"));
    setMessageId(QStringLiteral("*"));
    clearMessageRecipients();
    setOtherHeaders(QString());
    setPriority(Priority::Unspecified);
    setReadReceiptTo(QString());
    setReplyTo(QString());
    setReturnPath(QString());
    setSendTo(QString());
    setSensitivity(Sensitivity::Unspecified);
    setSubject(QString());
}

/*!
    Writes the current message into a new ".queued" file in the existing directory
    \a queueDir for processQueue() (the spec's Queue), and returns the file's path. With
    \a queueDir "*" it returns the queue file's contents instead. Synchronous: on failure it
    emits errorOccurred() (FileError, or a validation error) and returns an empty string.
    docs/queue-format.md describes the format.
*/
QString Ssmtp::queue(const QString &queueDir)
{
    auto failNow = [this](Error code, const QString &text) {
        d->setError(code, text);
        Q_EMIT errorOccurred(code, text);
        return QString();
    };
    if (!d->entityHeaders.isEmpty() && (!d->message.isEmpty() || d->stream))
        return failNow(SmimeError, d->smimeReplacedText());
    const message::ComposedMessage composed = message::compose(d->composerInput());
    if (!composed.ok())
        return failNow(Error(composed.error), composed.errorString);
    const protocol::Envelope envelope = d->envelopeOf(composed);
    const QByteArray head = d->message.isEmpty() ? composed.headerBlock : d->message;
    const QByteArray body = d->message.isEmpty() ? composed.body : QByteArray();
    std::unique_ptr<QIODevice> mimeBody;
    if (d->message.isEmpty() && composed.mime)
        mimeBody.reset(composed.mime->createBodyDevice());
    QIODevice *stream = !d->message.isEmpty() ? nullptr
                        : mimeBody            ? mimeBody.get()
                                              : d->stream.data();

    if (queueDir == QLatin1String("*")) {
        QByteArray all = queue::serializeEnvelope(envelope) + head + body;
        QString error;
        if (stream &&
            !queue::copyStream(stream, d->timeout > 0 ? d->timeout * 1000 : -1, error,
                               [&all](const char *data, qint64 n) { all.append(data, n); }))
            return failNow(FileError, error);
        return QString::fromUtf8(all);
    }
    QString error;
    QString path = queue::writeQueueFile(queueDir, envelope, head, body, stream, error,
                                         d->timeout > 0 ? d->timeout * 1000 : -1);
    if (path.isEmpty())
        return failNow(FileError, error);
    if (stream && stream == d->stream && d->settings.closeStreamAfterTransfer) {
        stream->close();
        d->stream.clear();
    }
    return path;
}

// A raw message or a stream set after sign()/encrypt() would replace the protected content
// and go out unprotected.
QString SsmtpPrivate::smimeReplacedText() const
{
    return QCoreApplication::translate(
        "Ssmtp", "The message was signed or encrypted, but the raw message property or a "
                 "message stream would replace it and be sent unprotected. Clear them, or "
                 "sign/encrypt the new content.");
}

bool SsmtpPrivate::failNow(Ssmtp::Error code, const QString &text)
{
    setError(code, text);
    Q_EMIT q->errorOccurred(code, text);
    return false;
}

/*!
    Adds \a certificate (PEM, DER or base64 of DER) to \l recipientCertificates, the
    certificates encrypt() encrypts for (the spec's AddRecipientCert). Returns false and emits
    errorOccurred() with SmimeError when it cannot be read.
*/
bool Ssmtp::addRecipientCert(const QByteArray &certificate)
{
    // PEM, DER, or base64 of DER (the spec: "If the certificate provided is Base64 encoded,
    // it will be decoded first").
    const SsmtpCertificate cert = SsmtpCertificate::fromData(certificate);
    if (cert.isNull()) {
        return d->failNow(SmimeError, QCoreApplication::translate(
                                          "Ssmtp", "The recipient certificate cannot be read: %1")
                                          .arg(cert.errorString()));
    }
    d->recipientCertificates.append(cert);
    Q_EMIT recipientCertificatesChanged();
    return true;
}

/*!
    Removes all \l recipientCertificates.
*/
void Ssmtp::clearRecipientCerts()
{
    if (d->recipientCertificates.isEmpty())
        return;
    d->recipientCertificates.clear();
    Q_EMIT recipientCertificatesChanged();
}

/*!
    Signs the current content (\l messageText, \l messageHtml, \l attachments) with
    \l certificate, using \l signingAlgorithm, \l includeCertificate and \l includeChain (the
    spec's Sign). Synchronous.

    On success \l messageText holds the S/MIME body, its content headers become the message's
    and \l messageHtml and \l attachments are cleared; send() transmits it unchanged. Returns
    false and emits errorOccurred() (SmimeError, or BusyError while sending) on failure, with
    nothing changed. The headers are not signed.
*/
bool Ssmtp::sign()
{
    return d->runSmime(SsmtpPrivate::SmimeStep::Sign);
}

/*!
    Encrypts the current content for \l recipientCertificates with \l encryptingAlgorithm (the
    spec's Encrypt). Synchronous; the result replaces the content as sign() describes. After
    sign() it encrypts the signed entity. Returns false and emits errorOccurred()
    (EncryptionError) on failure, with nothing changed. The headers are not encrypted.
*/
bool Ssmtp::encrypt()
{
    return d->runSmime(SsmtpPrivate::SmimeStep::Encrypt);
}

/*!
    Signs, then encrypts the current content in one step (the spec's SignAndEncrypt); see
    sign() and encrypt(). Returns false and emits errorOccurred() (SmimeError for signing,
    EncryptionError for encrypting) on failure, with nothing changed.
*/
bool Ssmtp::signAndEncrypt()
{
    return d->runSmime(SsmtpPrivate::SmimeStep::SignAndEncrypt);
}

// Wraps the current content (text, HTML, attachments, or a previous S/MIME result) into a
// signed and/or enveloped entity; on success messageText holds its body and entityHeaders its
// content headers. On failure nothing changes.
bool SsmtpPrivate::runSmime(SmimeStep step)
{
    if (op == Op::Send || op == Op::ProcessQueue) {
        // The message of a running send must not change under it.
        return failNow(Ssmtp::BusyError, ssmtpErrorText(Ssmtp::BusyError));
    }
    if (!message.isEmpty() || stream) {
        // Neither can be wrapped: the raw message brings its own headers, and a stream is
        // read only while sending. Refusing is better than sending them unprotected.
        return failNow(Ssmtp::SmimeError,
                       QCoreApplication::translate(
                           "Ssmtp", "S/MIME protects messageText, messageHtml and attachments; "
                                    "it cannot sign or encrypt the raw message property or a "
                                    "message stream."));
    }
    const message::ComposedEntity entity = message::composeEntity(composerInput());
    if (!entity.ok())
        return failNow(Ssmtp::Error(entity.error), entity.errorString);

    const bool signing = step != SmimeStep::Encrypt;
    const bool encrypting = step != SmimeStep::Sign;
    if (signing && (certificate.isNull() || !certificate.privateKeyAvailable())) {
        return failNow(Ssmtp::SmimeError,
                       QCoreApplication::translate(
                           "Ssmtp", "Signing needs a certificate with its private key; set "
                                    "the certificate property first."));
    }
    QList<X509 *> keyRecipients;
    for (const SsmtpCertificate &c : std::as_const(recipientCertificates))
        keyRecipients.append(ssmtp::certificate::x509(c));
    if (encrypting && settings.encryptToSelf && !certificate.isNull())
        keyRecipients.append(ssmtp::certificate::x509(certificate));
    if (encrypting && keyRecipients.isEmpty()) {
        return failNow(Ssmtp::EncryptionError,
                       QCoreApplication::translate(
                           "Ssmtp", "Encrypting needs at least one recipient certificate; "
                                    "call addRecipientCert() first."));
    }

    smime::SignOptions signOptions;
    signOptions.algorithm = signingAlgorithm;
    signOptions.includeCertificate = includeCertificate;
    signOptions.includeChain = includeChain && includeCertificate;
    signOptions.opaque = !settings.detachedSignature;
    signOptions.rsaPss = settings.usePss;
    smime::EncryptOptions encryptOptions;
    encryptOptions.algorithm = encryptingAlgorithm;
    encryptOptions.rsaOaep = settings.useOaep;

    smime::Result result;
    X509 *signer = signing ? ssmtp::certificate::x509(certificate) : nullptr;
    EVP_PKEY *key = signing ? ssmtp::certificate::privateKey(certificate) : nullptr;
    auto *chain = signing ? ssmtp::certificate::chain(certificate) : nullptr;
    switch (step) {
    case SmimeStep::Sign:
        result = smime::sign(entity.entity, signer, key, chain, signOptions);
        break;
    case SmimeStep::Encrypt:
        result = smime::encrypt(entity.entity, keyRecipients, encryptOptions);
        break;
    case SmimeStep::SignAndEncrypt:
        // Two steps, so a signing problem is reported as one (SmimeError, not EncryptionError).
        result = smime::sign(entity.entity, signer, key, chain, signOptions);
        if (!result.ok)
            return failNow(Ssmtp::SmimeError, result.errorString);
        result = smime::encrypt(result.entity(), keyRecipients, encryptOptions);
        break;
    }
    if (!result.ok) {
        return failNow(encrypting ? Ssmtp::EncryptionError : Ssmtp::SmimeError, result.errorString);
    }

    // The content now lives inside the entity; its body is 7-bit (base64, quoted-printable).
    if (entityHeaders.isEmpty())
        unwrapped = {messageText, messageHtml};
    entityHeaders = result.headers;
    messageText = QString::fromLatin1(result.body);
    Q_EMIT q->messageTextChanged(messageText);
    if (!messageHtml.isEmpty()) {
        messageHtml.clear();
        Q_EMIT q->messageHtmlChanged(messageHtml);
    }
    if (!attachments.isEmpty()) {
        attachments.clear();
        Q_EMIT q->attachmentsChanged();
    }
    Q_EMIT q->messageHeadersChanged();
    return true;
}

/*!
    Sets \a stream as the body of the next message (the spec's SetMessageStream); it is read
    from its current position to its end while sending, so its size is not limited by memory.
    The component does not take ownership; the config setting CloseStreamAfterTransfer (default
    true) closes it after a successful send. A failed send rewinds a non-sequential stream.
    Pass nullptr to clear it.
*/
void Ssmtp::setMessageStream(QIODevice *stream)
{
    d->stream = stream;
}

/*!
    Processes pending events for up to 50 ms (the spec's DoEvents).
*/
void Ssmtp::doEvents()
{
    QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
}

/*!
    Runs a local event loop until the component is \l idle or \a msecs milliseconds have
    passed (-1: no limit). Returns \l idle. It gives scripts the blocking behaviour of the
    spec; the terminal signal has been emitted when it returns true.
*/
bool Ssmtp::waitForIdle(int msecs)
{
    if (isIdle())
        return true;
    QEventLoop loop;
    connect(this, &Ssmtp::idleChanged, &loop, [&loop](bool idle) {
        if (idle)
            loop.quit();
    });
    QTimer timer;
    if (msecs >= 0) {
        timer.setSingleShot(true);
        connect(&timer, &QTimer::timeout, &loop, &QEventLoop::quit);
        timer.start(msecs);
    }
    loop.exec();
    return isIdle();
}

/*!
    Installs the translation of the library's messages for \a locale into the application.
    Call it after the QCoreApplication exists. Returns false if there is none.
*/
bool Ssmtp::installTranslator(const QLocale &locale)
{
    auto *translator = new QTranslator(QCoreApplication::instance());
    if (!translator->load(locale, QStringLiteral("ssmtp"), QStringLiteral("_"),
                          QStringLiteral(":/i18n"))) {
        delete translator;
        return false;
    }
    return QCoreApplication::installTranslator(translator);
}

// ---- asynchronous methods -----------------------------------------------------------------

/*!
    Connects to \l mailServer on \l mailPort, greets it and authenticates when \l user is set
    (the spec's Connect). The connection stays open for further send() calls until
    disconnectFromServer(). Ends with connectedToServer() or errorOccurred() (e.g.
    AlreadyConnectedError, NoServerError, AuthenticationError).
*/
void Ssmtp::connectToServer()
{
    if (!d->checkIdle() || !d->checkServer())
        return;
    if (d->session->isConnected()) {
        d->postError(AlreadyConnectedError, ssmtpErrorText(AlreadyConnectedError));
        return;
    }
    d->begin(SsmtpPrivate::Op::Connect);
    d->openSession([this] { d->complete([this] { Q_EMIT connectedToServer(); }); });
}

/*!
    Sends QUIT and closes the connection (the spec's Disconnect). Ends with
    disconnectedFromServer(), also when not connected.
*/
void Ssmtp::disconnectFromServer()
{
    if (!d->checkIdle())
        return;
    d->begin(SsmtpPrivate::Op::Disconnect);
    if (!d->session->isConnected()) {
        d->complete([this] { Q_EMIT disconnectedFromServer(); });
        return;
    }
    d->session->quit([this] { d->complete([this] { Q_EMIT disconnectedFromServer(); }); });
}

/*!
    Sends the current message (the spec's Send). Without a connection one is opened and
    closed again after the message; an open connection stays open. Validation errors are
    reported asynchronously too. Ends with messageSent() or errorOccurred();
    RecipientRejectedError may come before messageSent().
*/
void Ssmtp::send()
{
    d->startSend(protocol::MailVerb::Mail);
}

/*!
    Like send(), but asks the server to deliver the message to the user's terminal as well as
    the mailbox (SAML, the spec's SendToTerminalAndEmail). Needs \l allowExtensions (otherwise
    ActionImpossibleError); few servers support it. Ends like send().
*/
void Ssmtp::sendToTerminalAndEmail()
{
    d->startSend(protocol::MailVerb::SendAndMail);
}

/*!
    Like send(), but asks the server to deliver the message only to the user's terminal (SEND,
    the spec's SendToTerminalOnly); it fails if the user is not logged in. Needs
    \l allowExtensions. Ends like send().
*/
void Ssmtp::sendToTerminalOnly()
{
    d->startSend(protocol::MailVerb::Send);
}

/*!
    Like send(), but asks the server to deliver the message to the user's terminal, or to the
    mailbox when that is impossible (SOML, the spec's SendToTerminalOrEmail). Needs
    \l allowExtensions. Ends like send().
*/
void Ssmtp::sendToTerminalOrEmail()
{
    d->startSend(protocol::MailVerb::SendOrMail);
}

/*!
    Sends \a command, one line without CR or LF, to the server as given (the spec's
    SendCommand). Needs an open connection (otherwise NotConnectedError). Ends with
    commandReplied() or errorOccurred(); the reply is also in \l lastReply.
*/
void Ssmtp::sendCommand(const QString &command)
{
    if (!d->checkIdle())
        return;
    if (hasLineBreak(command) || command.trimmed().isEmpty()) {
        d->postError(ActionImpossibleError,
                     QCoreApplication::translate(
                         "Ssmtp", "The command must be one non-empty line without CR or LF."));
        return;
    }
    if (!d->session->isConnected()) {
        d->postError(NotConnectedError, ssmtpErrorText(NotConnectedError));
        return;
    }
    d->begin(SsmtpPrivate::Op::Command);
    d->session->command(command.toUtf8(), [this](const protocol::Reply &reply) {
        if (reply.isFailure()) {
            d->fail(ProtocolError, reply.toString());
            return;
        }
        d->complete([this, reply] { Q_EMIT commandReplied(reply.code, reply.toString()); });
    });
}

// VRFY and EXPN: connect if needed, one command, quit if this operation connected.
void SsmtpPrivate::startAddressQuery(Op queryOp, const QByteArray &verb, const QString &address,
                                     const std::function<void(const protocol::Reply &)> &onSuccess)
{
    if (!checkIdle() || !checkServer())
        return;
    if (hasLineBreak(address) || address.trimmed().isEmpty()) {
        postError(Ssmtp::InvalidAddressError,
                  QCoreApplication::translate("Ssmtp", "Invalid address \"%1\".").arg(address));
        return;
    }
    begin(queryOp);
    const QByteArray line = verb + ' ' + address.trimmed().toUtf8();
    withConnection([this, line, onSuccess] {
        session->command(line, [this, onSuccess](const protocol::Reply &reply) {
            if (!reply.isPositiveCompletion()) {
                fail(Ssmtp::ProtocolError, reply.toString());
                return;
            }
            closeIfOwned(
                [this, onSuccess, reply] { complete([onSuccess, reply] { onSuccess(reply); }); });
        });
    });
}

/*!
    Asks the server to verify \a emailAddress with VRFY (the spec's Verify), connecting first
    if needed (and closing that connection afterwards). Ends with verified() or
    errorOccurred().
*/
void Ssmtp::verify(const QString &emailAddress)
{
    d->startAddressQuery(
        SsmtpPrivate::Op::Verify, "VRFY", emailAddress,
        [this](const protocol::Reply &reply) { Q_EMIT verified(reply.code, reply.toString()); });
}

/*!
    Asks the server to expand the name or mailing list \a emailAddress with EXPN (the spec's
    Expand), connecting first if needed. Emits addressExpanded() per address, then ends with
    expanded() or errorOccurred().
*/
void Ssmtp::expand(const QString &emailAddress)
{
    d->startAddressQuery(SsmtpPrivate::Op::Expand, "EXPN", emailAddress,
                         [this](const protocol::Reply &reply) {
                             QStringList addresses;
                             for (const QByteArray &line : reply.lines) {
                                 // Drop an enhanced status code ("2.1.5 ") before each member.
                                 QByteArrayView text = line;
                                 const QByteArray code = reply.enhancedCode + ' ';
                                 if (!reply.enhancedCode.isEmpty() && text.startsWith(code))
                                     text = text.sliced(code.size());
                                 addresses.append(QString::fromUtf8(text.trimmed()));
                             }
                             for (const QString &a : std::as_const(addresses))
                                 Q_EMIT addressExpanded(a);
                             Q_EMIT expanded(addresses);
                         });
}

/*!
    Sends the ".queued" files of \a queueDir (the spec's ProcessQueue), in name order. Each
    file is renamed ".sending" while it is sent, then deleted (".sent" with the config setting
    KeepQueue). An error renames the current file ".failed" and ends the run. ".sending" files
    left by a crash are queued again (at-least-once delivery). Ends with queueProcessed() or
    errorOccurred().
*/
void Ssmtp::processQueue(const QString &queueDir)
{
    if (!d->checkIdle() || !d->checkServer())
        return;
    QDir dir(queueDir);
    if (!QFileInfo(queueDir).isDir()) {
        d->postError(FileError, QCoreApplication::translate(
                                    "Ssmtp", "The queue directory \"%1\" does not exist.")
                                    .arg(queueDir));
        return;
    }
    // One processor per directory; a ".sending" file found under the lock was left by a
    // crash and is queued again (at-least-once delivery, see docs/queue-format.md).
    auto lock = std::make_unique<QLockFile>(dir.filePath(QStringLiteral(".ssmtp-queue.lock")));
    lock->setStaleLockTime(0);
    if (!lock->tryLock(0)) {
        d->postError(FileError,
                     QCoreApplication::translate(
                         "Ssmtp", "The queue \"%1\" is being processed by another process.")
                         .arg(queueDir));
        return;
    }
    const QStringList stale = dir.entryList(
        {QLatin1Char('*') + QLatin1String(queue::SendingSuffix)}, QDir::Files, QDir::Name);
    for (const QString &name : stale) {
        QString base = dir.filePath(name);
        base.chop(qstrlen(queue::SendingSuffix));
        QFile::rename(dir.filePath(name), base + QLatin1String(queue::QueuedSuffix));
        Q_EMIT piTrail(
            Info, QCoreApplication::translate("Ssmtp", "Requeued %1 left by an interrupted run.")
                      .arg(name));
    }
    d->begin(SsmtpPrivate::Op::ProcessQueue);
    d->queueLock = std::move(lock);
    d->queueSent = 0;
    d->queueFiles.clear();
    const QStringList files = dir.entryList({QLatin1Char('*') + QLatin1String(queue::QueuedSuffix)},
                                            QDir::Files, QDir::Name);
    for (const QString &name : files)
        d->queueFiles.append(dir.filePath(name));
    d->processNextQueued();
}

/*!
    Stops the running operation (the spec's Interrupt) by aborting the connection, so the
    server discards an incomplete message; a queue file being sent goes back to ".queued".
    The component is idle when it returns, and errorOccurred() with InterruptedError has been
    emitted. Does nothing when no operation runs.
*/
void Ssmtp::interrupt()
{
    // Nothing runs, or the operation already ended and its signal is on the way.
    if (isIdle() || d->completing)
        return;
    d->session->abort();
    if (d->op == SsmtpPrivate::Op::ProcessQueue) {
        // Not sent: back into the queue rather than ".failed".
        d->finishQueueFile(queue::QueuedSuffix);
    }
    d->releaseQueue();
    if (d->stream && d->op == SsmtpPrivate::Op::Send) {
        if (d->streamStart >= 0 && d->stream->isOpen())
            d->stream->seek(d->streamStart);
        else
            d->stream.clear();
    }
    // Synchronous, like QAbstractSocket::abort(): idle and usable when interrupt() returns.
    ++d->generation;
    d->finish();
    d->setError(InterruptedError, ssmtpErrorText(InterruptedError));
    Q_EMIT errorOccurred(InterruptedError, d->errorString);
}
