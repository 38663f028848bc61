#include "smtpsession.h"

#include "errorcodes.h"
#include "message/addresslist.h"
#include "sasl/saslmechanism.h"

#include <QCoreApplication>
#include <QHostAddress>
#include <QHostInfo>
#include <QSslSocket>

namespace ssmtp::protocol {

namespace {

// RFC 3461 4.2: xtext encoding for ENVID / ORCPT values.
QByteArray xtext(const QByteArray &value)
{
    QByteArray out;
    for (char c : value) {
        const auto u = static_cast<unsigned char>(c);
        if (u < 33 || u > 126 || c == '+' || c == '=')
            out += '+' + QByteArray::number(u, 16).toUpper().rightJustified(2, '0');
        else
            out += c;
    }
    return out;
}

// The spec writes options as "NOTIFY SUCCESS,FAILURE"; SMTP wants "NOTIFY=SUCCESS,FAILURE".
QByteArray normaliseRecipientParameters(const QByteArray &options)
{
    const QList<QByteArray> words = options.simplified().split(' ');
    QList<QByteArray> params;
    for (qsizetype i = 0; i < words.size(); ++i) {
        const QByteArray &w = words.at(i);
        if (w.isEmpty())
            continue;
        const QByteArray upper = w.toUpper();
        if (!w.contains('=') && (upper == "NOTIFY" || upper == "ORCPT") && i + 1 < words.size()) {
            params.append(upper + '=' + words.at(++i));
            continue;
        }
        params.append(w);
    }
    return params.join(' ');
}

// Makes the address part of ORCPT=type;address valid xtext, keeping "+XX" escapes a user
// already wrote.
QByteArray xtextOrcpt(const QByteArray &param)
{
    const qsizetype semicolon = param.indexOf(';');
    if (semicolon < 0)
        return param;
    const QByteArray address = param.mid(semicolon + 1);
    QByteArray out = param.left(semicolon + 1);
    auto isHex = [](char c) { return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F'); };
    for (qsizetype i = 0; i < address.size(); ++i) {
        const char c = address.at(i);
        const bool escape = c == '+' && i + 2 < address.size() && isHex(address.at(i + 1)) &&
                            isHex(address.at(i + 2));
        if (escape) {
            out += c;
            continue;
        }
        const QByteArray one(1, c);
        out += xtext(one);
    }
    return out;
}

bool isDsnParameter(const QByteArray &param)
{
    const QByteArray upper = param.toUpper();
    return upper.startsWith("NOTIFY=") || upper.startsWith("ORCPT=");
}

} // namespace

SmtpSession::SmtpSession(QObject *parent)
    : QObject(parent)
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &SmtpSession::onTimeout);
    connect(&m_pipeline, &CommandPipeline::trace, this, &SmtpSession::trace);
    connect(&m_pipeline, &CommandPipeline::protocolFailure, this,
            [this](const QString &reason) { fail(errc::Protocol, reason, true); });
    connect(&m_connector, &transport::Connector::established, this, &SmtpSession::onConnected);
    connect(&m_connector, &transport::Connector::failed, this,
            [this](int error, const QString &description) { fail(error, description, true); });
    connect(&m_connector, &transport::Connector::connectionStatus, this,
            &SmtpSession::connectionStatus);
}

SmtpSession::~SmtpSession()
{
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
    }
}

bool SmtpSession::isConnected() const
{
    return m_socket && m_socket->state() == QAbstractSocket::ConnectedState;
}

namespace {

// A dual-stack socket reports IPv4 peers as ::ffff:a.b.c.d; show them as IPv4.
QHostAddress plainAddress(const QHostAddress &address)
{
    bool v4 = false;
    const quint32 ipv4 = address.toIPv4Address(&v4);
    return v4 ? QHostAddress(ipv4) : address;
}

} // namespace

QString SmtpSession::localAddress() const
{
    return m_socket ? plainAddress(m_socket->localAddress()).toString() : QString();
}

quint16 SmtpSession::localPort() const
{
    return m_socket ? m_socket->localPort() : 0;
}

// ---- operation bookkeeping ----------------------------------------------------------------

void SmtpSession::begin(Op op)
{
    m_op = op;
    restartTimer();
}

void SmtpSession::succeed()
{
    m_timer.stop();
    m_op = Op::None;
    Done done = std::move(m_done);
    m_done = nullptr;
    if (done)
        done();
}

// NOLINTNEXTLINE(performance-unnecessary-value-param): by value on purpose, see the header
void SmtpSession::fail(int error, QString description, bool dropConnection)
{
    if (m_op == Op::Quit && m_quitBestEffort) {
        // The work is done; a QUIT that times out or breaks does not undo it.
        Done done = std::move(m_done);
        abort();
        if (done)
            done();
        return;
    }
    if (m_op == Op::None && !dropConnection)
        return;
    m_timer.stop();
    if (m_body)
        m_body->stop();
    m_transactionDirty = true;
    const bool wasBusy = m_op != Op::None;
    m_op = Op::None;
    m_done = nullptr;
    m_txn.reset();
    m_auth.reset();
    if (dropConnection)
        abort();
    if (wasBusy)
        Q_EMIT failed(error, description);
}

void SmtpSession::setOperationDeadline(QDeadlineTimer deadline)
{
    m_deadline = deadline;
}

void SmtpSession::restartTimer()
{
    if (m_op == Op::None) {
        m_timer.stop();
        return;
    }
    const bool connectPhase = m_connecting && m_settings.connectionTimeoutSeconds > 0;
    m_timeoutSeconds =
        connectPhase ? m_settings.connectionTimeoutSeconds : m_settings.timeoutSeconds;
    qint64 ms = qint64(m_timeoutSeconds) * 1000;
    if (m_op == Op::Quit && m_quitBestEffort && (ms <= 0 || ms > 10000)) {
        ms = 10000; // a best-effort QUIT need not hold the finished operation for long
        m_timeoutSeconds = 10;
    }
    // AbsoluteTimeout: the whole facade operation (connect, transaction, QUIT) shares one
    // deadline; otherwise any traffic extends the wait.
    if (m_settings.absoluteTimeout && !m_deadline.isForever()) {
        const qint64 left = qMax<qint64>(0, m_deadline.remainingTime());
        ms = connectPhase ? qMin(ms, left) : left;
        if (!connectPhase)
            m_timeoutSeconds = m_settings.timeoutSeconds;
    } else if (ms <= 0) {
        m_timer.stop();
        return;
    }
    m_timer.start(int(qMin<qint64>(ms, std::numeric_limits<int>::max())));
}

void SmtpSession::onTimeout()
{
    if (m_op == Op::None)
        return;
    fail(errc::Timeout,
         tr("Timeout: the server did not answer within %1 seconds.").arg(m_timeoutSeconds), true);
}

void SmtpSession::abort()
{
    // The operation ends with the connection: handlers still on the stack see m_op == None
    // (or no m_txn) and return.
    m_op = Op::None;
    m_done = nullptr;
    m_txn.reset();
    m_auth.reset();
    m_expectClose = false;
    m_timer.stop();
    m_pipeline.clear();
    if (m_body) {
        m_body->stop();
        m_body.release()->deleteLater();
    }
    m_connecting = false;
    m_handshaking = false;
    m_connector.cancel();
    if (m_socket) {
        QSslSocket *socket = m_socket;
        m_socket = nullptr;
        m_pipeline.setDevice(nullptr);
        socket->disconnect(this);
        const bool wasConnected = socket->state() == QAbstractSocket::ConnectedState;
        socket->abort();
        // Inside the socket's own sslErrors emission (a slot deciding on the certificate, maybe
        // with a nested event loop) its deletion must wait until that emission has returned.
        if (m_judging)
            m_deferredSockets.append(socket);
        else
            socket->deleteLater();
        if (wasConnected)
            Q_EMIT connectedChanged(false);
    }
}

void SmtpSession::releaseDeferredSockets()
{
    const QList<QPointer<QSslSocket>> sockets = std::exchange(m_deferredSockets, {});
    for (const QPointer<QSslSocket> &socket : sockets) {
        if (socket)
            socket->deleteLater();
    }
}

void SmtpSession::closeQuietly()
{
    if (!isConnected()) {
        abort();
        return;
    }
    m_timer.stop();
    if (m_body) {
        m_body->stop();
        m_body.release()->deleteLater();
    }
    m_op = Op::None;
    m_done = nullptr;
    m_txn.reset();
    m_pipeline.clear();
    Q_EMIT trace(0, QStringLiteral("QUIT"));
    QSslSocket *socket = m_socket;
    m_socket = nullptr;
    m_pipeline.setDevice(nullptr);
    socket->disconnect(this);
    socket->write("QUIT\r\n");
    // The socket flushes QUIT, closes, and deletes itself; it no longer belongs to us.
    connect(socket, &QAbstractSocket::disconnected, socket, &QObject::deleteLater);
    QTimer::singleShot(5000, socket, [socket] { socket->abort(); });
    socket->disconnectFromHost();
    Q_EMIT connectedChanged(false);
}

void SmtpSession::onSocketError()
{
    if (!m_socket)
        return;
    if (m_connector.isFirewallPhase())
        return; // the connector reports it as errc::Firewall, naming the proxy
    const QAbstractSocket::SocketError code = m_socket->error();
    if (m_expectClose && code == QAbstractSocket::RemoteHostClosedError)
        return; // QUIT answered by a close: fine
    if (m_tlsFailure != 0) {
        // We refused the certificate; the handshake error that follows says less.
        fail(m_tlsFailure, m_tlsFailureText, true);
        return;
    }
    int error = errc::Communication;
    switch (code) {
    case QAbstractSocket::ConnectionRefusedError:
        error = errc::ConnectionRefused;
        break;
    case QAbstractSocket::HostNotFoundError:
        error = errc::HostNotFound;
        break;
    case QAbstractSocket::NetworkError:
        error = m_connecting ? errc::HostUnreachable : errc::Communication;
        break;
    case QAbstractSocket::RemoteHostClosedError:
        error = m_handshaking ? errc::Handshake : errc::ConnectionDropped;
        break;
    case QAbstractSocket::SslHandshakeFailedError:
        error = errc::Handshake;
        break;
    case QAbstractSocket::SslInternalError:
        error = errc::SecurityLibrary;
        break;
    case QAbstractSocket::SslInvalidUserDataError:
        error = errc::CannotAcquireCredentials;
        break;
    default:
        break;
    }
    const QString text = code != QAbstractSocket::RemoteHostClosedError ? m_socket->errorString()
                         : m_handshaking
                             ? tr("The server closed the connection during the TLS handshake.")
                             : tr("Connection dropped by remote host.");
    if (m_txn && m_txn->failError != 0) {
        // The server refused (e.g. 421) and closed: its reply says more than the close.
        fail(m_txn->failError, m_txn->failText, true);
        return;
    }
    if (m_op == Op::None) {
        // Idle connection lost: no operation to fail, but the state changes.
        Q_EMIT connectionStatus(QStringLiteral("Remote host disconnected"), error, text);
        abort();
        return;
    }
    fail(error, text, true);
}

void SmtpSession::onDisconnected()
{
    if (m_connector.isFirewallPhase())
        return; // as in onSocketError()
    if (m_op == Op::Quit) {
        QSslSocket *socket = m_socket;
        m_socket = nullptr;
        m_pipeline.setDevice(nullptr);
        if (socket) {
            socket->disconnect(this);
            socket->deleteLater();
        }
        m_expectClose = false;
        Q_EMIT connectionStatus(QStringLiteral("Remote host disconnected"), 0,
                                QStringLiteral("OK"));
        Q_EMIT connectedChanged(false);
        succeed();
        return;
    }
    if (m_txn && m_txn->failError != 0) {
        fail(m_txn->failError, m_txn->failText, true);
        return;
    }
    if (m_op != Op::None && m_handshaking) {
        fail(errc::Handshake, tr("The server closed the connection during the TLS handshake."),
             true);
        return;
    }
    if (m_op != Op::None) {
        fail(errc::ConnectionDropped, tr("Connection dropped by remote host."), true);
        return;
    }
    Q_EMIT connectionStatus(QStringLiteral("Remote host disconnected"), errc::ConnectionDropped,
                            tr("Connection dropped by remote host."));
    abort();
}

// ---- open ---------------------------------------------------------------------------------

void SmtpSession::open(const SessionSettings &settings, Done done)
{
    abort(); // drops any previous connection and operation state
    m_settings = settings;
    m_done = std::move(done);
    m_caps = Capabilities();
    m_transactionDirty = false;
    m_socket = new QSslSocket(this);
    // The pipeline gets the socket once the connector hands it over (onConnected): until
    // then a firewall's handshake replies belong to the connector.
    m_pipeline.setMaxLineLength(settings.maxLineLength);
    m_pipeline.setMaskSensitive(settings.maskSensitive);
    connect(m_socket, &QAbstractSocket::errorOccurred, this, &SmtpSession::onSocketError);
    connect(m_socket, &QAbstractSocket::disconnected, this, &SmtpSession::onDisconnected);
    connect(m_socket, &QIODevice::readyRead, this, &SmtpSession::restartTimer);
    connect(m_socket, &QIODevice::bytesWritten, this, &SmtpSession::restartTimer);
    connect(m_socket, &QSslSocket::sslErrors, this, &SmtpSession::onSslErrors);
    connect(m_socket, &QSslSocket::encrypted, this, &SmtpSession::onEncrypted);
    connect(m_socket, &QSslSocket::newSessionTicketReceived, this, [this] {
        if (m_socket)
            m_sessionTicket = m_socket->sslConfiguration().sessionTicket();
    });

    m_tlsMode = settings.tls.effectiveMode(settings.port);
    m_verifiedWithoutOverride = false;
    m_sessionCipher = QSslCipher();
    m_sessionTicket.clear();
    m_ephemeralKeyBits = 0;
    m_tlsFailure = 0;

    m_connecting = true;
    begin(Op::Open);
    if (m_tlsMode != transport::TlsSettings::None) {
        if (!QSslSocket::supportsSsl()) {
            fail(errc::SecurityLibrary,
                 tr("TLS is not available: Qt found no usable TLS library (OpenSSL 3)."), true);
            return;
        }
        if (!settings.tls.localCertificate.isNull() && settings.tls.privateKey.isNull()) {
            fail(errc::CannotAcquireCredentials,
                 tr("The TLS client certificate (sslCert) has no private key."), true);
            return;
        }
    }
    const QString bindError = transport::bindLocal(m_socket, settings.socket);
    if (!bindError.isEmpty()) {
        fail(errc::Communication, bindError, true);
        return;
    }
    Q_EMIT trace(2, tr("Connecting to %1:%2").arg(settings.host).arg(settings.port));
    m_connector.connectToHost(m_socket, settings.host, settings.port, settings.proxy,
                              transport::networkProtocol(settings.socket));
}

void SmtpSession::onConnected()
{
    m_connecting = false;
    m_pipeline.setDevice(m_socket);
    restartTimer();
    transport::applyConnectedOptions(m_socket, m_settings.socket);
    Q_EMIT connectionStatus(QStringLiteral("Remote host connection complete"), 0,
                            QStringLiteral("OK"));
    if (m_op == Op::None)
        return; // a slot interrupted
    Q_EMIT connectedChanged(true);
    if (m_op == Op::None)
        return;
    if (m_tlsMode == transport::TlsSettings::Implicit) {
        startTls(); // the greeting comes over TLS
        return;
    }
    m_pipeline.expectReply([this](const Reply &r) { onGreeting(r); });
}

void SmtpSession::onGreeting(const Reply &reply)
{
    Q_EMIT replyReceived(reply.toString());
    if (m_op == Op::None)
        return;
    if (reply.code != 220) {
        fail(errc::Protocol, tr("The server refused the connection: %1").arg(reply.toString()),
             true);
        return;
    }
    sayHello(m_settings.allowExtensions);
}

QByteArray SmtpSession::helloArgument() const
{
    if (!m_settings.hello.isEmpty())
        return m_settings.hello.toUtf8();
    // RFC 5321 4.1.4: a fully qualified name, else an address literal.
    const QString name = QHostInfo::localHostName();
    if (name.contains(QLatin1Char('.')))
        return name.toUtf8();
    const QHostAddress local = plainAddress(m_socket->localAddress());
    if (local.protocol() == QAbstractSocket::IPv6Protocol)
        return "[IPv6:" + local.toString().toLatin1() + ']';
    return '[' + local.toString().toLatin1() + ']';
}

void SmtpSession::sayHello(bool extended)
{
    const QByteArray verb = extended ? "EHLO " : "HELO ";
    m_pipeline.queueCommand(verb + helloArgument(), [this, extended](const Reply &reply) {
        Q_EMIT replyReceived(reply.toString());
        if (m_op == Op::None)
            return;
        if (reply.isPositiveCompletion()) {
            m_caps = extended ? Capabilities::fromEhloReply(reply) : Capabilities();
            afterHello();
            return;
        }
        if (extended && reply.isPermanentFailure()) {
            Q_EMIT trace(2, tr("The server does not support EHLO; falling back to HELO."));
            sayHello(false);
            return;
        }
        fail(errc::Protocol, tr("The server rejected the greeting: %1").arg(reply.toString()),
             true);
    });
    m_pipeline.flush();
}

void SmtpSession::afterHello()
{
    if (m_tlsMode == transport::TlsSettings::Explicit && !m_socket->isEncrypted()) {
        startTlsCommand();
        return;
    }
    if (!m_settings.user.isEmpty())
        startAuth();
    else
        succeed();
}

// ---- send ---------------------------------------------------------------------------------

bool SmtpSession::stopsOn(EnvelopeRecipient::Kind kind) const
{
    switch (kind) {
    case EnvelopeRecipient::To:
        return m_settings.stopOnToErrors;
    case EnvelopeRecipient::Cc:
        return m_settings.stopOnCcErrors;
    case EnvelopeRecipient::Bcc:
        return m_settings.stopOnBccErrors;
    }
    return true;
}

QByteArray SmtpSession::mailCommand(MailVerb verb, const QByteArray &params) const
{
    QByteArray cmd;
    switch (verb) {
    case MailVerb::Mail:
        cmd = "MAIL";
        break;
    case MailVerb::Send:
        cmd = "SEND";
        break;
    case MailVerb::SendOrMail:
        cmd = "SOML";
        break;
    case MailVerb::SendAndMail:
        cmd = "SAML";
        break;
    }
    cmd += " FROM:<" + m_txn->envelope.reversePath.toUtf8() + '>';
    if (!params.isEmpty())
        cmd += ' ' + params;
    return cmd;
}

void SmtpSession::sendMessage(const Envelope &envelope, const MessageSource &source, MailVerb verb,
                              ReplyDone done)
{
    if (!isConnected()) {
        Q_EMIT failed(errc::NotConnected, tr("Action impossible while not connected."));
        return;
    }
    begin(Op::Send);
    m_txn = std::make_unique<Transaction>();
    m_txn->envelope = envelope;
    m_txn->source = source;
    m_txn->done = std::move(done);

    const qint64 size = source.knownSize();
    if (m_caps.size && m_caps.sizeLimit > 0 && size > m_caps.sizeLimit) {
        fail(errc::MessageTooLarge,
             tr("The message (%1 octets) is larger than the server accepts (%2 octets).")
                 .arg(size)
                 .arg(m_caps.sizeLimit),
             false);
        return;
    }
    bool needUtf8 = source.needsSmtpUtf8 || message::addressNeedsSmtpUtf8(envelope.reversePath);
    for (const EnvelopeRecipient &r : envelope.recipients)
        needUtf8 = needUtf8 || message::addressNeedsSmtpUtf8(r.address);
    if (needUtf8 && !m_caps.smtpUtf8) {
        fail(errc::ExtensionNotSupported,
             tr("An address contains non-ASCII characters but the server does not support "
                "SMTPUTF8."),
             false);
        return;
    }
    const int eightBit = source.hasEightBit();
    if (eightBit == 1 && !m_caps.eightBitMime) {
        fail(errc::ExtensionNotSupported,
             tr("The message contains 8-bit data but the server does not support 8BITMIME."),
             false);
        return;
    }
    if (envelope.recipients.isEmpty()) {
        fail(errc::NoRecipient, tr("Please specify a recipient."), false);
        return;
    }

    QList<QByteArray> params;
    if (m_caps.size && size >= 0)
        params.append("SIZE=" + QByteArray::number(size));
    if (m_caps.eightBitMime && eightBit != 0)
        params.append("BODY=8BITMIME");
    if (needUtf8)
        params.append("SMTPUTF8");
    const bool wantsDsn = !envelope.dsnRet.isEmpty() || !envelope.dsnEnvelopeId.isEmpty();
    if (m_caps.dsn) {
        if (!envelope.dsnRet.isEmpty())
            params.append("RET=" + envelope.dsnRet);
        if (!envelope.dsnEnvelopeId.isEmpty())
            params.append("ENVID=" + xtext(envelope.dsnEnvelopeId));
    } else if (wantsDsn) {
        Q_EMIT trace(2, tr("The server does not support DSN; RET and ENVID are not sent."));
        if (!m_txn)
            return; // a slot interrupted
    }

    m_txn->pipelined = m_caps.pipelining;
    // CHUNKING is used with PIPELINING only: without it every chunk costs a round trip.
    m_txn->bdat = m_caps.chunking && m_caps.pipelining;
    // Commit the message in the same write as the envelope only when no recipient refusal
    // could still have to stop it: one recipient (its refusal makes the server refuse the
    // data), or no recipient whose refusal stops the send.
    bool anyStopping = false;
    for (const EnvelopeRecipient &r : envelope.recipients)
        anyStopping = anyStopping || stopsOn(r.kind);
    m_txn->commitEarly = m_txn->pipelined && (envelope.recipients.size() == 1 || !anyStopping);

    m_txn->mailLine = mailCommand(verb, params.join(' '));
    const bool rset = m_transactionDirty && m_settings.sendRset;
    m_transactionDirty = true;
    if (rset) {
        m_pipeline.queueCommand("RSET", [this](const Reply &reply) {
            Q_EMIT replyReceived(reply.toString());
            if (!m_txn)
                return;
            if (!reply.isPositiveCompletion()) {
                recordFailure(errc::Protocol, reply.toString());
            } else if (!m_txn->pipelined) {
                // Without PIPELINING, MAIL waits for RSET's reply (RFC 2920 3).
                queueTransaction();
                m_pipeline.flush();
                return;
            }
            settleIfFailed();
        });
        if (!m_txn->pipelined) {
            m_pipeline.flush();
            return;
        }
    }
    queueTransaction();
    m_pipeline.flush();
    if (m_txn && m_txn->commitEarly && m_txn->bdat && m_body)
        m_body->resume();
}

// MAIL, and with PIPELINING every RCPT and (when safe) the commit: one write.
void SmtpSession::queueTransaction()
{
    m_pipeline.queueCommand(m_txn->mailLine, [this](const Reply &reply) {
        Q_EMIT replyReceived(reply.toString());
        if (!m_txn)
            return;
        if (!reply.isPositiveCompletion()) {
            m_txn->mailRejected = true;
            recordFailure(errc::Protocol,
                          tr("The server rejected the sender: %1").arg(reply.toString()));
        } else if (!m_txn->pipelined) {
            queueRecipient(0);
            m_pipeline.flush();
            return;
        }
        settleIfFailed();
    });
    if (!m_txn->pipelined)
        return;
    for (qsizetype i = 0; i < m_txn->envelope.recipients.size(); ++i) {
        queueRecipient(i);
        if (!m_txn)
            return; // a slot interrupted
    }
    if (m_txn->commitEarly)
        commit();
}

void SmtpSession::queueRecipient(qsizetype index)
{
    const EnvelopeRecipient rcpt = m_txn->envelope.recipients.at(index);
    QList<QByteArray> params;
    bool dropped = false;
    for (const QByteArray &p : normaliseRecipientParameters(rcpt.parameters).split(' ')) {
        if (p.isEmpty())
            continue;
        if (!m_caps.dsn && isDsnParameter(p)) {
            dropped = true;
            continue;
        }
        params.append(p.toUpper().startsWith("ORCPT=") ? xtextOrcpt(p) : p);
    }
    QByteArray line = "RCPT TO:<" + rcpt.address.toUtf8() + '>';
    if (!params.isEmpty())
        line += ' ' + params.join(' ');
    m_pipeline.queueCommand(line, [this, rcpt](const Reply &reply) {
        Q_EMIT replyReceived(reply.toString());
        if (m_txn)
            onRecipientReply(rcpt, reply);
    });
    if (dropped) // last: a slot may interrupt, and callers check m_txn afterwards
        Q_EMIT trace(2, tr("The server does not support DSN; NOTIFY and ORCPT are not sent."));
}

void SmtpSession::onRecipientReply(const EnvelopeRecipient &rcpt, const Reply &reply)
{
    ++m_txn->rcptReplies;
    if (reply.isPositiveCompletion()) {
        ++m_txn->accepted;
    } else if (stopsOn(rcpt.kind)) {
        recordFailure(
            errc::Protocol,
            tr("The server rejected the recipient %1: %2").arg(rcpt.address, reply.toString()));
    } else if (!m_txn->mailRejected) {
        // After a refused MAIL every RCPT fails with 503: that is not about the recipient.
        Q_EMIT recipientRejected(rcpt.address, int(rcpt.kind), reply.toString());
        if (!m_txn)
            return; // a slot interrupted
    }

    const int total = int(m_txn->envelope.recipients.size());
    if (!m_txn->pipelined && m_txn->failError == 0 && m_txn->rcptReplies < total) {
        // Without PIPELINING one RCPT at a time.
        queueRecipient(m_txn->rcptReplies);
        m_pipeline.flush();
        return;
    }
    if (m_txn->rcptReplies == total || m_txn->failError != 0)
        afterRecipients();
}

void SmtpSession::afterRecipients()
{
    if (m_txn->commitEarly) {
        settleIfFailed();
        return; // the DATA / BDAT replies decide
    }
    if (m_txn->failError == 0 && m_txn->accepted == 0) {
        recordFailure(errc::NoRecipient, tr("The server accepted none of the recipients."));
    }
    if (m_txn->failError != 0) {
        settleIfFailed();
        return;
    }
    commit();
    m_pipeline.flush();
    if (m_txn && m_txn->bdat && m_body)
        m_body->resume();
}

void SmtpSession::createBodyWriter()
{
    Q_ASSERT(m_socket && m_txn);
    m_body = std::make_unique<BodyWriter>(&m_pipeline, m_socket);
    m_body->setMaxTransferRate(m_settings.maxTransferRate);
    m_body->setAllowEightBit(m_caps.eightBitMime);
    connect(m_body.get(), &BodyWriter::started, this, &SmtpSession::transferStarted);
    connect(m_body.get(), &BodyWriter::progress, this, &SmtpSession::transferProgress);
    connect(m_body.get(), &BodyWriter::finished, this, &SmtpSession::transferFinished);
    connect(m_body.get(), &BodyWriter::failed, this,
            [this](int error, const QString &text) { fail(error, text, true); });
    m_txn->dataStarted = true;
}

void SmtpSession::commit()
{
    if (m_txn->bdat) {
        createBodyWriter();
        m_body->startBdat(
            m_txn->source, [this](const Reply &r) { onBdatChunkReply(r); },
            [this](const Reply &r) { onFinalReply(r); });
        return;
    }
    m_pipeline.queueCommand("DATA", [this](const Reply &r) { onDataReply(r); });
}

void SmtpSession::onDataReply(const Reply &reply)
{
    Q_EMIT replyReceived(reply.toString());
    if (!m_txn)
        return;
    if (reply.code != 354) {
        if (m_txn->failError == 0) {
            recordFailure(m_txn->accepted == 0 && m_txn->rcptReplies > 0 ? errc::NoRecipient
                                                                         : errc::Protocol,
                          tr("The server refused the message data: %1").arg(reply.toString()));
        }
        settleIfFailed();
        return;
    }
    if (m_txn->failError != 0 || m_txn->accepted == 0) {
        // The server takes data we must not send (a stopping refusal while DATA was
        // pipelined): end the connection so nothing is delivered.
        const int error = m_txn->failError != 0 ? m_txn->failError : errc::NoRecipient;
        const QString text = m_txn->failError != 0
                                 ? m_txn->failText
                                 : tr("The server accepted none of the recipients.");
        fail(error, text, true);
        return;
    }
    createBodyWriter();
    m_body->startData(m_txn->source, [this](const Reply &r) { onFinalReply(r); });
}

void SmtpSession::onBdatChunkReply(const Reply &reply)
{
    Q_EMIT replyReceived(reply.toString());
    if (!m_txn)
        return;
    if (!reply.isPositiveCompletion() && m_txn->failError == 0) {
        recordFailure(m_txn->accepted == 0 ? errc::NoRecipient : errc::Protocol,
                      tr("The server refused the message data: %1").arg(reply.toString()));
    }
    if (m_txn->failError != 0 && m_body)
        m_body->stop();
    settleIfFailed();
}

void SmtpSession::onFinalReply(const Reply &reply)
{
    Q_EMIT replyReceived(reply.toString());
    if (!m_txn)
        return;
    if (m_txn->failError == 0 && !reply.isPositiveCompletion()) {
        recordFailure(m_txn->bdat && m_txn->accepted == 0 ? errc::NoRecipient : errc::Protocol,
                      tr("The server refused the message: %1").arg(reply.toString()));
    }
    if (m_txn->failError != 0) {
        settleIfFailed();
        return;
    }
    m_transactionDirty = false;
    if (m_body)
        m_body.release()->deleteLater();
    ReplyDone done = std::move(m_txn->done);
    m_txn.reset();
    m_timer.stop();
    m_op = Op::None;
    if (done)
        done(reply);
}

void SmtpSession::recordFailure(int error, const QString &text)
{
    if (!m_txn || m_txn->failError != 0)
        return;
    m_txn->failError = error;
    m_txn->failText = text;
}

void SmtpSession::settleIfFailed()
{
    // With pipelining every queued command still gets its reply: wait for all of them so
    // the next operation starts in step with the server.
    if (!m_txn || m_txn->failError == 0 || m_pipeline.pendingReplies() > 0)
        return;
    const int error = m_txn->failError;
    const QString text = m_txn->failText;
    const bool bodyRunning = m_body && !m_body->isFinished() && m_txn->dataStarted && !m_txn->bdat;
    if (m_body)
        m_body.release()->deleteLater();
    fail(error, text, bodyRunning);
}

// ---- single commands and QUIT -------------------------------------------------------------

void SmtpSession::command(const QByteArray &line, ReplyDone done)
{
    if (!isConnected()) {
        Q_EMIT failed(errc::NotConnected, tr("Action impossible while not connected."));
        return;
    }
    begin(Op::Command);
    m_pipeline.queueCommand(line, [this, done = std::move(done)](const Reply &reply) {
        Q_EMIT replyReceived(reply.toString());
        if (m_op != Op::Command)
            return;
        m_timer.stop();
        m_op = Op::None;
        if (done)
            done(reply);
    });
    m_pipeline.flush();
}

void SmtpSession::quit(Done done, bool bestEffort)
{
    m_quitBestEffort = bestEffort;
    if (!isConnected()) {
        abort();
        if (done)
            done();
        return;
    }
    m_done = std::move(done);
    begin(Op::Quit);
    m_expectClose = true;
    m_pipeline.queueCommand("QUIT", [this](const Reply &reply) {
        Q_EMIT replyReceived(reply.toString());
        if (m_socket)
            m_socket->disconnectFromHost();
    });
    m_pipeline.flush();
}

} // namespace ssmtp::protocol
