// Private implementation of Ssmtp: property storage, the operation state and the glue between
// the facade's methods and the protocol session.
#pragma once

#include "ssmtp.h"
#include "ssmtpconfig_p.h"

#include "message/composer.h"
#include "protocol/envelope.h"
#include "protocol/messagesource.h"
#include "protocol/smtpsession.h"

#include <QFile>
#include <QHash>
#include <QLockFile>
#include <QPointer>

#include <functional>
#include <memory>

class SsmtpPrivate
{
public:
    enum class Op { None, Connect, Disconnect, Send, Command, Verify, Expand, ProcessQueue };

    explicit SsmtpPrivate(Ssmtp *q);
    ~SsmtpPrivate();

    // Properties (spec defaults).
    bool allowExtensions = true;
    Ssmtp::AuthMechanism authMechanism = Ssmtp::AuthMechanism::UserPassword;
    QString bcc;
    QString cc;
    QString deliveryNotificationTo;
    QString from;
    Ssmtp::Importance importance = Ssmtp::Importance::Unspecified;
    QString lastReply;
    QString localHost;
    int mailPort = 25;
    QString mailServer;
    QByteArray message;
    QString messageDate = QStringLiteral("*");
    QString messageId = QStringLiteral("*");
    QList<SsmtpRecipient> recipients;
    QString messageText;
    QString messageHtml;
    QList<SsmtpAttachment> attachments;
    // Set by sign()/encrypt(): the S/MIME entity's content headers; messageText is its body.
    QList<QPair<QByteArray, QByteArray>> entityHeaders;
    struct Unwrapped
    {
        QString text;
        QString html;
    } unwrapped; // the text content before sign()/encrypt(), restored when the entity goes
    QString otherHeaders;
    SsmtpCertificate certificate;
    SsmtpFirewall firewall;
    bool includeCertificate = true;
    bool includeChain = false;
    QString signingAlgorithm = QStringLiteral("sha-256");
    QString encryptingAlgorithm = QStringLiteral("AESCBC256"); // docs/decisions.md
    QList<SsmtpCertificate> recipientCertificates;
    QString password;
    Ssmtp::Priority priority = Ssmtp::Priority::Unspecified;
    QString readReceiptTo;
    QString replyTo;
    QString returnPath;
    QString sendTo;
    Ssmtp::Sensitivity sensitivity = Ssmtp::Sensitivity::Unspecified;
    QString subject;
    int timeout = 60;
    QString user;
    SsmtpSettings settings;
    // TLS properties and the SSL config settings (ssmtptls.cpp, ssmtptlsconfig.cpp).
    Ssmtp::SslStartMode sslStartMode = Ssmtp::SslStartMode::SslNone;
    Ssmtp::SslProvider sslProvider = Ssmtp::SslProvider::SslProviderAutomatic;
    SsmtpCertificate sslCert;
    SsmtpCertificate sslAcceptServerCert;
    SsmtpCertificate sslServerCert;
    SsmtpTlsSettings tls;
    QHash<QString, QByteArray> sessionTickets; // ReuseSSLSession: per sessionTicketKey()
    QPointer<QIODevice> stream;
    std::unique_ptr<QIODevice> mimeBody; // the generated HTML/attachments body being sent

    Ssmtp::Error error = Ssmtp::NoError;
    QString errorString;
    QByteArray lastHeaders;      // config MessageHeadersString: headers of the last message sent
    QByteArray lastTransferText; // config TransferText: its body (in-memory bodies only)

    // Operation state.
    Op op = Op::None;
    quint64 generation = 0;     // counts operations; a queued completion checks it is still current
    bool completing = false;    // the terminal signal is queued
    qint64 streamStart = -1;    // where the message stream stood when the operation began
    bool ownConnection = false; // this operation opened the connection and closes it
    std::unique_ptr<ssmtp::protocol::SmtpSession> session;

    // processQueue state.
    QStringList queueFiles;
    QString queueCurrent; // path of the ".sending" file in flight
    std::unique_ptr<QFile> queueStream;
    std::unique_ptr<QLockFile> queueLock;
    int queueSent = 0;

    // Helpers.
    ssmtp::message::ComposerInput composerInput() const;
    ssmtp::protocol::SessionSettings sessionSettings() const;
    ssmtp::protocol::Envelope envelopeOf(const ssmtp::message::ComposedMessage &composed) const;
    void clearEntity();
    bool checkIdle();
    bool checkServer();
    void setError(Ssmtp::Error code, const QString &text);
    // Reports an error that ends an operation that never started: queued, so the caller can
    // connect to errorOccurred after calling.
    void postError(Ssmtp::Error code, const QString &text);
    void begin(Op op);
    void finish();
    void complete(std::function<void()> emitSignal);
    void fail(Ssmtp::Error code, const QString &text);
    void withConnection(std::function<void()> next);
    // Opens the connection with the current settings (TLS settings checked first).
    void openSession(std::function<void()> next);
    void closeIfOwned(std::function<void()> next);
    void onSessionFailed(int code, const QString &text);

    void startSend(ssmtp::protocol::MailVerb verb);
    enum class SmimeStep { Sign, Encrypt, SignAndEncrypt };
    bool runSmime(SmimeStep step);
    bool failNow(Ssmtp::Error code, const QString &text); // synchronous error, returns false
    QString smimeReplacedText() const;
    void startAddressQuery(Op queryOp, const QByteArray &verb, const QString &address,
                           const std::function<void(const ssmtp::protocol::Reply &)> &onSuccess);
    void processNextQueued();
    void finishQueueFile(const char *suffix);
    void releaseQueue();

    QString config(const QString &setting);
    // The SSL config settings; false when name is not one of them.
    bool tlsConfig(const QString &name, bool write, const QString &value, QString *result);
    // Fills settings.tls; false (error set) when a certificate setting cannot be used.
    bool tlsSessionSettings(ssmtp::protocol::SessionSettings &connection);
    QString sessionTicketKey() const;
    void onServerAuthentication(const QList<QSslCertificate> &chain, const QString &status,
                                bool accept);
    void notifyHeadersChanged();

    Ssmtp *q;
};
