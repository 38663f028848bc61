// The SMTP client engine: one connection, driven as a state machine by server replies.
//
// Each operation (open, sendMessage, command, quit) is started by a call and ends either with
// its completion callback or with exactly one failed() signal. The session never blocks; all
// I/O goes through a CommandPipeline over the socket.
#pragma once

#include "bodywriter.h"
#include "capabilities.h"
#include "commandpipeline.h"
#include "envelope.h"
#include "messagesource.h"
#include "sessionsettings.h"
#include "transport/connector.h"

#include <QDeadlineTimer>
#include <QObject>
#include <QPointer>
#include <QSslCertificate>
#include <QSslCipher>
#include <QSslError>
#include <QTimer>

#include <functional>
#include <memory>

QT_BEGIN_NAMESPACE
class QSslSocket;
QT_END_NAMESPACE

namespace ssmtp::protocol {

namespace sasl {
class Mechanism;
}

class SmtpSession : public QObject
{
    Q_OBJECT
public:
    using Done = std::function<void()>;
    using ReplyDone = std::function<void(const Reply &)>;

    explicit SmtpSession(QObject *parent = nullptr);
    ~SmtpSession() override;

    // Connects, reads the greeting, says EHLO (HELO fallback) and authenticates.
    void open(const SessionSettings &settings, Done done);
    // One mail transaction: MAIL, RCPT..., DATA or BDAT, pipelined when the server allows.
    void sendMessage(const Envelope &envelope, const MessageSource &source, MailVerb verb,
                     ReplyDone done);
    // A single command with a single reply (VRFY, EXPN, NOOP, a raw command). Any reply
    // completes it; the caller judges the code.
    void command(const QByteArray &line, ReplyDone done);
    // QUIT, then close. Completes when the connection is closed. bestEffort: a timeout or
    // a dropped connection completes it too (the operation before it already succeeded).
    void quit(Done done, bool bestEffort = false);
    // AbsoluteTimeout: the deadline of the whole facade operation (Forever: none).
    void setOperationDeadline(QDeadlineTimer deadline);
    // Drops the connection at once; no signal.
    void abort();
    // Says QUIT without waiting for the answer and lets the socket close in the background;
    // the session is disconnected at once and can open a new connection.
    void closeQuietly();

    // During sslServerAuthentication(): accept the presented certificate although it failed
    // verification (like QSslSocket::ignoreSslErrors()).
    void acceptServerCertificate();
    bool isEncrypted() const;
    // The last connection's TLS facts (kept after it closes; cleared when a new one starts).
    QSslCipher sessionCipher() const { return m_sessionCipher; }
    QByteArray sessionTicket() const { return m_sessionTicket; }
    // The server certificate verified with no error ignored, pinned or accepted by a slot: only
    // then may its session be reused (ReuseSSLSession).
    bool verifiedWithoutOverride() const { return m_verifiedWithoutOverride; }
    int ephemeralKeyBits() const { return m_ephemeralKeyBits; }

    bool isConnected() const;
    const Capabilities &capabilities() const { return m_caps; }
    QString localAddress() const;
    quint16 localPort() const;

Q_SIGNALS:
    void failed(int error, const QString &description);
    void trace(int direction, const QString &line);
    void connectionStatus(const QString &event, int statusCode, const QString &description);
    void connectedChanged(bool connected);
    void sslStatus(const QString &message);
    // The server presented its certificate (chain: leaf first); accept is the verdict of
    // the verification, status "OK" or the reasons. A slot may call acceptServerCertificate().
    void sslServerAuthentication(const QList<QSslCertificate> &chain, const QString &status,
                                 bool accept);
    void replyReceived(const QString &reply);
    // A recipient the server refused whose refusal does not stop the message.
    void recipientRejected(const QString &address, int kind, const QString &reply);
    void transferStarted();
    void transferProgress(qint64 bytesTransferred, int percentDone, const QByteArray &text);
    void transferFinished();

private:
    enum class Op { None, Open, Send, Command, Quit };

    struct Transaction
    {
        Envelope envelope;
        MessageSource source;
        ReplyDone done;
        bool pipelined = false;
        bool bdat = false;
        bool commitEarly = false;
        int rcptReplies = 0;
        int accepted = 0;
        bool mailRejected = false;
        int failError = 0;
        QString failText;
        bool dataStarted = false;
        QByteArray mailLine;
    };

    void begin(Op op);
    void succeed();
    // description by value: callers pass texts owned by the transaction this ends.
    void fail(int error, QString description, bool dropConnection);
    void restartTimer();
    void onTimeout();
    void onSocketError();
    void onDisconnected();

    // open
    void onConnected();
    void onGreeting(const Reply &reply);
    void sayHello(bool extended);
    void afterHello();
    void startTlsCommand();
    void startTls();
    void onSslErrors(const QList<QSslError> &errors);
    void onEncrypted();
    bool judgeCertificate(const QList<QSslError> &errors);
    // Sockets dropped while a slot ran inside their own signal are deleted once it returns.
    void releaseDeferredSockets();
    QByteArray helloArgument() const;
    void startAuth();
    void onAuthReply(const Reply &reply);

    // send
    QByteArray mailCommand(MailVerb verb, const QByteArray &params) const;
    void queueTransaction();
    void queueRecipient(qsizetype index);
    void onRecipientReply(const EnvelopeRecipient &rcpt, const Reply &reply);
    void afterRecipients();
    void commit();
    void createBodyWriter();
    void onDataReply(const Reply &reply);
    void onFinalReply(const Reply &reply);
    void onBdatChunkReply(const Reply &reply);
    void recordFailure(int error, const QString &text);
    void settleIfFailed();
    bool stopsOn(EnvelopeRecipient::Kind kind) const;

    QSslSocket *m_socket = nullptr;
    CommandPipeline m_pipeline;
    transport::Connector m_connector;
    std::unique_ptr<BodyWriter> m_body;
    QTimer m_timer;
    QDeadlineTimer m_deadline{QDeadlineTimer::Forever};
    int m_timeoutSeconds = 0; // for the timeout message
    SessionSettings m_settings;
    Capabilities m_caps;
    Op m_op = Op::None;
    Done m_done;
    std::unique_ptr<Transaction> m_txn;
    std::unique_ptr<sasl::Mechanism> m_auth;
    int m_authRounds = 0;
    bool m_transactionDirty = false;
    bool m_expectClose = false;
    bool m_quitBestEffort = false;
    bool m_connecting = false;
    // TLS
    int m_tlsMode = transport::TlsSettings::None; // resolved start mode of this connection
    bool m_certificateAccepted = false;
    bool m_certificateJudged = false;
    bool m_judging = false; // inside sslServerAuthentication
    bool m_verifiedWithoutOverride = false;
    QList<QPointer<QSslSocket>> m_deferredSockets;
    bool m_handshaking = false; // between startClientEncryption() and encrypted()
    int m_tlsFailure = 0; // verification refused: the code for the handshake error that follows
    QString m_tlsFailureText;
    QSslCipher m_sessionCipher;
    QByteArray m_sessionTicket;
    int m_ephemeralKeyBits = 0;
};

} // namespace ssmtp::protocol
