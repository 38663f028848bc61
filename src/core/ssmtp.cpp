#include "ssmtp.h"

#include "ssmtp_p.h"
#include "ssmtperrors_p.h"

#include "certificate/certificatehandles_p.h"
#include "message/mimewriter.h"
#include "queue/queuefile.h"
#include "smime/smime.h"
#include "smime/smimealgorithms.h"

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
    s.host = mailServer;
    s.port = quint16(mailPort);
    s.hello = settings.hello;
    s.allowExtensions = allowExtensions;
    s.user = user;
    s.password = password;
    s.authorizationIdentity = settings.authorizationIdentity;
    s.authMechanism = int(authMechanism);
    s.allowInsecureAuth = settings.allowInsecureAuth;
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
    if (!mailServer.trimmed().isEmpty())
        return true;
    postError(Ssmtp::NoServerError, ssmtpErrorText(Ssmtp::NoServerError));
    return false;
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
        next();
        return;
    }
    ownConnection = true;
    session->open(sessionSettings(), std::move(next));
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

Ssmtp::Ssmtp(QObject *parent)
    : QObject(parent)
    , d(std::make_unique<SsmtpPrivate>(this))
{}

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

bool Ssmtp::allowExtensions() const
{
    return d->allowExtensions;
}
void Ssmtp::setAllowExtensions(bool allow)
{
    assign(this, d->allowExtensions, allow, &Ssmtp::allowExtensionsChanged);
}

Ssmtp::AuthMechanism Ssmtp::authMechanism() const
{
    return d->authMechanism;
}
void Ssmtp::setAuthMechanism(AuthMechanism mechanism)
{
    assign(this, d->authMechanism, mechanism, &Ssmtp::authMechanismChanged);
}

QString Ssmtp::bcc() const
{
    return d->bcc;
}
void Ssmtp::setBcc(const QString &bcc)
{
    assign(this, d->bcc, bcc, &Ssmtp::bccChanged);
}

QString Ssmtp::cc() const
{
    return d->cc;
}
SSMTP_HEADER_SETTER(const QString &, cc, setCc, ccChanged)

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

QString Ssmtp::deliveryNotificationTo() const
{
    return d->deliveryNotificationTo;
}
SSMTP_HEADER_SETTER(const QString &, deliveryNotificationTo, setDeliveryNotificationTo,
                    deliveryNotificationToChanged)

QString Ssmtp::from() const
{
    return d->from;
}
SSMTP_HEADER_SETTER(const QString &, from, setFrom, fromChanged)

bool Ssmtp::isIdle() const
{
    return d->op == SsmtpPrivate::Op::None;
}

Ssmtp::Importance Ssmtp::importance() const
{
    return d->importance;
}
SSMTP_HEADER_SETTER(Importance, importance, setImportance, importanceChanged)

QString Ssmtp::lastReply() const
{
    return d->lastReply;
}

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

QByteArray Ssmtp::message() const
{
    return d->message;
}
void Ssmtp::setMessage(const QByteArray &rawMessage)
{
    assign(this, d->message, rawMessage, &Ssmtp::messageChanged);
}

QString Ssmtp::messageDate() const
{
    return d->messageDate;
}
SSMTP_HEADER_SETTER(const QString &, messageDate, setMessageDate, messageDateChanged)

QList<SsmtpHeader> Ssmtp::messageHeaders() const
{
    const message::ComposedMessage m = message::composeHeaders(d->composerInput());
    QList<SsmtpHeader> headers;
    for (const auto &h : m.headers)
        headers.append(SsmtpHeader(QString::fromLatin1(h.first), QString::fromUtf8(h.second)));
    return headers;
}

QString Ssmtp::messageHeadersString() const
{
    return QString::fromUtf8(message::composeHeaders(d->composerInput()).headerBlock);
}

QString Ssmtp::messageId() const
{
    return d->messageId;
}
SSMTP_HEADER_SETTER(const QString &, messageId, setMessageId, messageIdChanged)

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
void Ssmtp::addMessageRecipient(const SsmtpRecipient &recipient)
{
    d->recipients.append(recipient);
    Q_EMIT messageRecipientsChanged();
    d->notifyHeadersChanged();
}
void Ssmtp::clearMessageRecipients()
{
    setMessageRecipients({});
}

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
void Ssmtp::addAttachment(const QString &fileName)
{
    addAttachment(SsmtpAttachment(fileName));
}
void Ssmtp::addAttachment(const SsmtpAttachment &attachment)
{
    QList<SsmtpAttachment> list = d->attachments;
    list.append(attachment);
    setAttachments(list);
}
void Ssmtp::clearAttachments()
{
    setAttachments({});
}

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
bool Ssmtp::includeCertificate() const
{
    return d->includeCertificate;
}
void Ssmtp::setIncludeCertificate(bool include)
{
    assign(this, d->includeCertificate, include, &Ssmtp::includeCertificateChanged);
}
bool Ssmtp::includeChain() const
{
    return d->includeChain;
}
void Ssmtp::setIncludeChain(bool include)
{
    assign(this, d->includeChain, include, &Ssmtp::includeChainChanged);
}
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
QString Ssmtp::encryptingAlgorithm() const
{
    return d->encryptingAlgorithm;
}
void Ssmtp::setEncryptingAlgorithm(const QString &algorithm)
{
    assign(this, d->encryptingAlgorithm, algorithm, &Ssmtp::encryptingAlgorithmChanged);
}
QList<SsmtpCertificate> Ssmtp::recipientCertificates() const
{
    return d->recipientCertificates;
}

QString Ssmtp::otherHeaders() const
{
    return d->otherHeaders;
}
SSMTP_HEADER_SETTER(const QString &, otherHeaders, setOtherHeaders, otherHeadersChanged)

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

Ssmtp::Priority Ssmtp::priority() const
{
    return d->priority;
}
SSMTP_HEADER_SETTER(Priority, priority, setPriority, priorityChanged)

QString Ssmtp::readReceiptTo() const
{
    return d->readReceiptTo;
}
SSMTP_HEADER_SETTER(const QString &, readReceiptTo, setReadReceiptTo, readReceiptToChanged)

QString Ssmtp::replyTo() const
{
    return d->replyTo;
}
SSMTP_HEADER_SETTER(const QString &, replyTo, setReplyTo, replyToChanged)

QString Ssmtp::returnPath() const
{
    return d->returnPath;
}
void Ssmtp::setReturnPath(const QString &address)
{
    assign(this, d->returnPath, address, &Ssmtp::returnPathChanged);
}

QString Ssmtp::sendTo() const
{
    return d->sendTo;
}
SSMTP_HEADER_SETTER(const QString &, sendTo, setSendTo, sendToChanged)

Ssmtp::Sensitivity Ssmtp::sensitivity() const
{
    return d->sensitivity;
}
SSMTP_HEADER_SETTER(Sensitivity, sensitivity, setSensitivity, sensitivityChanged)

QString Ssmtp::subject() const
{
    return d->subject;
}
SSMTP_HEADER_SETTER(const QString &, subject, setSubject, subjectChanged)

int Ssmtp::timeout() const
{
    return d->timeout;
}
void Ssmtp::setTimeout(int seconds)
{
    assign(this, d->timeout, qMax(0, seconds), &Ssmtp::timeoutChanged);
}

QString Ssmtp::user() const
{
    return d->user;
}
void Ssmtp::setUser(const QString &user)
{
    assign(this, d->user, user, &Ssmtp::userChanged);
}

Ssmtp::Error Ssmtp::error() const
{
    return d->error;
}
QString Ssmtp::errorString() const
{
    return d->errorString;
}

// ---- synchronous methods ------------------------------------------------------------------

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
    clearRecipientCerts();
    setIncludeCertificate(true);
    setIncludeChain(false);
    setSigningAlgorithm(QStringLiteral("sha-256"));
    setEncryptingAlgorithm(QStringLiteral("AESCBC256"));
    d->settings = SsmtpSettings();
    d->stream.clear();
    d->lastHeaders.clear();
    d->lastTransferText.clear();
    d->setError(NoError, QString());
}

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

void Ssmtp::clearRecipientCerts()
{
    if (d->recipientCertificates.isEmpty())
        return;
    d->recipientCertificates.clear();
    Q_EMIT recipientCertificatesChanged();
}

bool Ssmtp::sign()
{
    return d->runSmime(SsmtpPrivate::SmimeStep::Sign);
}

bool Ssmtp::encrypt()
{
    return d->runSmime(SsmtpPrivate::SmimeStep::Encrypt);
}

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

void Ssmtp::setMessageStream(QIODevice *stream)
{
    d->stream = stream;
}

void Ssmtp::doEvents()
{
    QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
}

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

void Ssmtp::connectToServer()
{
    if (!d->checkIdle() || !d->checkServer())
        return;
    if (d->session->isConnected()) {
        d->postError(AlreadyConnectedError, ssmtpErrorText(AlreadyConnectedError));
        return;
    }
    d->begin(SsmtpPrivate::Op::Connect);
    d->session->open(d->sessionSettings(),
                     [this] { d->complete([this] { Q_EMIT connectedToServer(); }); });
}

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

void Ssmtp::send()
{
    d->startSend(protocol::MailVerb::Mail);
}

void Ssmtp::sendToTerminalAndEmail()
{
    d->startSend(protocol::MailVerb::SendAndMail);
}

void Ssmtp::sendToTerminalOnly()
{
    d->startSend(protocol::MailVerb::Send);
}

void Ssmtp::sendToTerminalOrEmail()
{
    d->startSend(protocol::MailVerb::SendOrMail);
}

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

void Ssmtp::verify(const QString &emailAddress)
{
    d->startAddressQuery(
        SsmtpPrivate::Op::Verify, "VRFY", emailAddress,
        [this](const protocol::Reply &reply) { Q_EMIT verified(reply.code, reply.toString()); });
}

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
    d->queueDir = queueDir;
    d->queueSent = 0;
    d->queueFiles.clear();
    const QStringList files = dir.entryList({QLatin1Char('*') + QLatin1String(queue::QueuedSuffix)},
                                            QDir::Files, QDir::Name);
    for (const QString &name : files)
        d->queueFiles.append(dir.filePath(name));
    d->processNextQueued();
}

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
