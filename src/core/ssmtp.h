// Ssmtp: the SMTP client component (the spec's SSMTP component) as a QObject.
//
// Every network operation starts at once and ends with exactly one terminal signal: its own
// success signal or errorOccurred(). Nothing blocks the event loop; waitForIdle() gives
// scripts the blocking behaviour of the spec.
#pragma once

#include "ssmtpattachment.h"
#include "ssmtpcertificate.h"
#include "ssmtpfirewall.h"
#include "ssmtpglobal.h"
#include "ssmtpheader.h"
#include "ssmtprecipient.h"

#include <QList>
#include <QObject>
#include <QString>

#include <memory>

QT_BEGIN_NAMESPACE
class QIODevice;
class QTranslator;
QT_END_NAMESPACE

class SsmtpPrivate;

class SSMTP_CORE_EXPORT Ssmtp : public QObject
{
    Q_OBJECT
    Q_PROPERTY(bool allowExtensions READ allowExtensions WRITE setAllowExtensions NOTIFY
                   allowExtensionsChanged)
    Q_PROPERTY(AuthMechanism authMechanism READ authMechanism WRITE setAuthMechanism NOTIFY
                   authMechanismChanged)
    Q_PROPERTY(QString bcc READ bcc WRITE setBcc NOTIFY bccChanged)
    Q_PROPERTY(QString cc READ cc WRITE setCc NOTIFY ccChanged)
    Q_PROPERTY(bool connected READ isConnected WRITE setConnected NOTIFY connectedChanged)
    Q_PROPERTY(QString deliveryNotificationTo READ deliveryNotificationTo WRITE
                   setDeliveryNotificationTo NOTIFY deliveryNotificationToChanged)
    Q_PROPERTY(QString from READ from WRITE setFrom NOTIFY fromChanged)
    Q_PROPERTY(bool idle READ isIdle NOTIFY idleChanged)
    Q_PROPERTY(Importance importance READ importance WRITE setImportance NOTIFY importanceChanged)
    Q_PROPERTY(QString lastReply READ lastReply NOTIFY lastReplyChanged)
    Q_PROPERTY(QString localHost READ localHost WRITE setLocalHost NOTIFY localHostChanged)
    Q_PROPERTY(int mailPort READ mailPort WRITE setMailPort NOTIFY mailPortChanged)
    Q_PROPERTY(QString mailServer READ mailServer WRITE setMailServer NOTIFY mailServerChanged)
    Q_PROPERTY(QByteArray message READ message WRITE setMessage NOTIFY messageChanged)
    Q_PROPERTY(QString messageDate READ messageDate WRITE setMessageDate NOTIFY messageDateChanged)
    Q_PROPERTY(QList<SsmtpHeader> messageHeaders READ messageHeaders NOTIFY messageHeadersChanged)
    Q_PROPERTY(QString messageHeadersString READ messageHeadersString NOTIFY messageHeadersChanged)
    Q_PROPERTY(QString messageId READ messageId WRITE setMessageId NOTIFY messageIdChanged)
    Q_PROPERTY(QList<SsmtpRecipient> messageRecipients READ messageRecipients WRITE
                   setMessageRecipients NOTIFY messageRecipientsChanged)
    Q_PROPERTY(QString messageText READ messageText WRITE setMessageText NOTIFY messageTextChanged)
    Q_PROPERTY(QString messageHtml READ messageHtml WRITE setMessageHtml NOTIFY messageHtmlChanged)
    Q_PROPERTY(QList<SsmtpAttachment> attachments READ attachments WRITE setAttachments NOTIFY
                   attachmentsChanged)
    Q_PROPERTY(SsmtpCertificate certificate READ certificate WRITE setCertificate NOTIFY
                   certificateChanged)
    Q_PROPERTY(SsmtpFirewall firewall READ firewall WRITE setFirewall NOTIFY firewallChanged)
    Q_PROPERTY(bool includeCertificate READ includeCertificate WRITE setIncludeCertificate NOTIFY
                   includeCertificateChanged)
    Q_PROPERTY(bool includeChain READ includeChain WRITE setIncludeChain NOTIFY includeChainChanged)
    Q_PROPERTY(QString signingAlgorithm READ signingAlgorithm WRITE setSigningAlgorithm NOTIFY
                   signingAlgorithmChanged)
    Q_PROPERTY(QString encryptingAlgorithm READ encryptingAlgorithm WRITE setEncryptingAlgorithm
                   NOTIFY encryptingAlgorithmChanged)
    Q_PROPERTY(QList<SsmtpCertificate> recipientCertificates READ recipientCertificates NOTIFY
                   recipientCertificatesChanged)
    Q_PROPERTY(
        QString otherHeaders READ otherHeaders WRITE setOtherHeaders NOTIFY otherHeadersChanged)
    Q_PROPERTY(QString password READ password WRITE setPassword NOTIFY passwordChanged)
    Q_PROPERTY(Priority priority READ priority WRITE setPriority NOTIFY priorityChanged)
    Q_PROPERTY(
        QString readReceiptTo READ readReceiptTo WRITE setReadReceiptTo NOTIFY readReceiptToChanged)
    Q_PROPERTY(QString replyTo READ replyTo WRITE setReplyTo NOTIFY replyToChanged)
    Q_PROPERTY(QString returnPath READ returnPath WRITE setReturnPath NOTIFY returnPathChanged)
    Q_PROPERTY(QString sendTo READ sendTo WRITE setSendTo NOTIFY sendToChanged)
    Q_PROPERTY(
        Sensitivity sensitivity READ sensitivity WRITE setSensitivity NOTIFY sensitivityChanged)
    Q_PROPERTY(QString subject READ subject WRITE setSubject NOTIFY subjectChanged)
    Q_PROPERTY(int timeout READ timeout WRITE setTimeout NOTIFY timeoutChanged)
    Q_PROPERTY(QString user READ user WRITE setUser NOTIFY userChanged)
    Q_PROPERTY(bool sslEnabled READ isSslEnabled WRITE setSslEnabled NOTIFY sslEnabledChanged)
    Q_PROPERTY(SslStartMode sslStartMode READ sslStartMode WRITE setSslStartMode NOTIFY
                   sslStartModeChanged)
    Q_PROPERTY(
        SslProvider sslProvider READ sslProvider WRITE setSslProvider NOTIFY sslProviderChanged)
    Q_PROPERTY(SsmtpCertificate sslCert READ sslCert WRITE setSslCert NOTIFY sslCertChanged)
    Q_PROPERTY(SsmtpCertificate sslAcceptServerCert READ sslAcceptServerCert WRITE
                   setSslAcceptServerCert NOTIFY sslAcceptServerCertChanged)
    Q_PROPERTY(SsmtpCertificate sslServerCert READ sslServerCert NOTIFY sslServerCertChanged)
    Q_PROPERTY(Error error READ error NOTIFY errorOccurred)
    Q_PROPERTY(QString errorString READ errorString NOTIFY errorOccurred)

public:
    // The spec's SsmtpAuthMechanisms, in its order and values.
    enum class AuthMechanism {
        UserPassword = 0,
        CramMd5 = 1,
        Ntlm = 2,
        Apop = 3,
        SaslPlain = 4,
        SaslDigestMd5 = 5,
        Kerberos = 6,
        XOAuth2 = 7,
        // Additions (no spec value): modern SASL mechanisms.
        ScramSha256 = 8,
        OAuthBearer = 9,
    };
    Q_ENUM(AuthMechanism)

    // The spec's SSLStartMode: Automatic is STARTTLS on ports 25 and 587, implicit TLS
    // elsewhere.
    enum class SslStartMode { SslAutomatic = 0, SslImplicit = 1, SslExplicit = 2, SslNone = 3 };
    Q_ENUM(SslStartMode)

    // The spec's SSLProvider. Qt's TLS backend (OpenSSL) is always used; kept for the API.
    enum class SslProvider {
        SslProviderAutomatic = 0,
        SslProviderPlatform = 1,
        SslProviderInternal = 2
    };
    Q_ENUM(SslProvider)

    enum class Importance { Unspecified = 0, High = 1, Normal = 2, Low = 3 };
    Q_ENUM(Importance)

    enum class Priority { Unspecified = 0, Normal = 1, Urgent = 2, NonUrgent = 3 };
    Q_ENUM(Priority)

    enum class Sensitivity { Unspecified = 0, Personal = 1, Private = 2, CompanyConfidential = 3 };
    Q_ENUM(Sensitivity)

    // PITrail direction and the Direction parameter of the transfer signals.
    enum TrailDirection { Client = 0, Server = 1, Info = 2 };
    Q_ENUM(TrailDirection)

    // The spec's error codes (Trappable Errors) plus the ones this library adds where the
    // spec has none; docs/errors.md lists them all.
    enum Error {
        NoError = 0,
        PortChangeWhileConnectedError = 100,
        ServerChangeWhileConnectedError = 101,
        AlreadyConnectedError = 104,
        LocalPortChangeWhileConnectedError = 106,
        LocalHostChangeWhileConnectedError = 107,
        MaxLineLengthChangeWhileConnectedError = 112,
        InvalidPortError = 116,
        FirewallError = 118,
        ProtocolError = 161,
        CommunicationError = 162,
        NoServerError = 163,
        NoSenderError = 164,
        NoRecipientError = 165,
        BusyError = 166,
        // Additions (no spec code): detected by the client before or during a transaction.
        MessageTooLargeError = 167,
        ExtensionNotSupportedError = 168,
        InvalidAddressError = 169,
        InvalidHeaderError = 170,
        UnknownConfigError = 171,
        InvalidConfigValueError = 172,
        AuthenticationError = 173,
        RecipientRejectedError = 174,
        SmimeError = 175,
        TimeoutError = 201,
        // TLS and certificate errors (the spec's 27x/28x).
        SecurityLibraryError = 270,
        CertificateStoreError = 271,
        CertificateNotFoundError = 272,
        CredentialsError = 273,
        CertificateChainNotFoundError = 274,
        CertificateChainVerificationError = 275,
        HandshakeError = 276,
        CertificateVerificationError = 280,
        ClientCertificateNotFoundError = 281,
        ServerCertificateNotFoundError = 282,
        EncryptionError = 283,
        DecryptionError = 284,
        ActionImpossibleError = 211,
        NotConnectedError = 212,
        InterruptedError = 301,
        CannotOpenFileError = 302,
        FileError = 303,
        ConnectionDroppedError = 1120,
        ConnectionRefusedError = 10061,
        HostUnreachableError = 10065,
        HostNotFoundError = 11001,
    };
    Q_ENUM(Error)

    explicit Ssmtp(QObject *parent = nullptr);
    ~Ssmtp() override;

    bool allowExtensions() const;
    void setAllowExtensions(bool allow);
    AuthMechanism authMechanism() const;
    void setAuthMechanism(AuthMechanism mechanism);
    QString bcc() const;
    void setBcc(const QString &bcc);
    QString cc() const;
    void setCc(const QString &cc);
    bool isConnected() const;
    void setConnected(bool connected);
    QString deliveryNotificationTo() const;
    void setDeliveryNotificationTo(const QString &address);
    QString from() const;
    void setFrom(const QString &from);
    bool isIdle() const;
    Importance importance() const;
    void setImportance(Importance importance);
    QString lastReply() const;
    QString localHost() const;
    void setLocalHost(const QString &localHost);
    int mailPort() const;
    void setMailPort(int port);
    QString mailServer() const;
    void setMailServer(const QString &server);
    QByteArray message() const;
    void setMessage(const QByteArray &rawMessage);
    QString messageDate() const;
    void setMessageDate(const QString &date);
    QList<SsmtpHeader> messageHeaders() const;
    QString messageHeadersString() const;
    QString messageId() const;
    void setMessageId(const QString &messageId);
    QList<SsmtpRecipient> messageRecipients() const;
    void setMessageRecipients(const QList<SsmtpRecipient> &recipients);
    Q_INVOKABLE void addMessageRecipient(const SsmtpRecipient &recipient);
    Q_INVOKABLE void clearMessageRecipients();
    QString messageText() const;
    void setMessageText(const QString &text);
    // An HTML body; messageText becomes its plain-text alternative (multipart/alternative).
    QString messageHtml() const;
    void setMessageHtml(const QString &html);
    QList<SsmtpAttachment> attachments() const;
    void setAttachments(const QList<SsmtpAttachment> &attachments);
    Q_INVOKABLE void addAttachment(const QString &fileName);
    Q_INVOKABLE void addAttachment(const SsmtpAttachment &attachment);
    Q_INVOKABLE void clearAttachments();

    // S/MIME (the spec's Certificate, IncludeCertificate, IncludeChain, SigningAlgorithm,
    // EncryptingAlgorithm). signingAlgorithm reads back as the OID, as the spec says.
    SsmtpCertificate certificate() const;
    void setCertificate(const SsmtpCertificate &certificate);
    // The firewall (proxy) to connect through (the spec's Firewall); from the next connection.
    SsmtpFirewall firewall() const;
    void setFirewall(const SsmtpFirewall &firewall);
    bool includeCertificate() const;
    void setIncludeCertificate(bool include);
    bool includeChain() const;
    void setIncludeChain(bool include);
    QString signingAlgorithm() const;
    void setSigningAlgorithm(const QString &algorithm);
    QString encryptingAlgorithm() const;
    void setEncryptingAlgorithm(const QString &algorithm);
    QList<SsmtpCertificate> recipientCertificates() const;
    QString otherHeaders() const;
    void setOtherHeaders(const QString &headers);
    QString password() const;
    void setPassword(const QString &password);
    Priority priority() const;
    void setPriority(Priority priority);
    QString readReceiptTo() const;
    void setReadReceiptTo(const QString &address);
    QString replyTo() const;
    void setReplyTo(const QString &address);
    QString returnPath() const;
    void setReturnPath(const QString &address);
    QString sendTo() const;
    void setSendTo(const QString &addresses);
    Sensitivity sensitivity() const;
    void setSensitivity(Sensitivity sensitivity);
    QString subject() const;
    void setSubject(const QString &subject);
    int timeout() const;
    void setTimeout(int seconds);
    QString user() const;
    void setUser(const QString &user);

    // TLS (the spec's SSL* properties).
    bool isSslEnabled() const;
    void setSslEnabled(bool enabled);
    SslStartMode sslStartMode() const;
    void setSslStartMode(SslStartMode mode);
    SslProvider sslProvider() const;
    void setSslProvider(SslProvider provider);
    SsmtpCertificate sslCert() const;
    void setSslCert(const SsmtpCertificate &certificate);
    SsmtpCertificate sslAcceptServerCert() const;
    void setSslAcceptServerCert(const SsmtpCertificate &certificate);
    SsmtpCertificate sslServerCert() const;
    // Called from a slot connected to sslServerAuthentication(): continue with a certificate
    // that failed verification (like QSslSocket::ignoreSslErrors()). No effect elsewhere.
    Q_INVOKABLE void acceptServerCertificate();

    Error error() const;
    QString errorString() const;

    // Synchronous methods.
    Q_INVOKABLE QString config(const QString &configurationString);
    Q_INVOKABLE void reset();
    Q_INVOKABLE void resetHeaders();
    Q_INVOKABLE QString queue(const QString &queueDir);
    // S/MIME, synchronous: after a successful call messageText holds the new body and the
    // content headers of the message describe it (messageHeaders shows them); send()
    // transmits it unchanged. False with errorOccurred() on failure; nothing is changed then.
    Q_INVOKABLE bool addRecipientCert(const QByteArray &certificate);
    Q_INVOKABLE void clearRecipientCerts();
    Q_INVOKABLE bool sign();
    Q_INVOKABLE bool encrypt();
    Q_INVOKABLE bool signAndEncrypt();
    // The stream is read from its current position to its end when the next message is sent;
    // the component does not take ownership (CloseStreamAfterTransfer closes it afterwards).
    void setMessageStream(QIODevice *stream);
    Q_INVOKABLE void doEvents();
    // Runs a local event loop until the component is idle or msecs pass (-1: no limit).
    Q_INVOKABLE bool waitForIdle(int msecs = 30000);

    // Loads the translation of the library's messages for locale into the application
    // (call after QCoreApplication exists). Returns false if none is available.
    static bool installTranslator(const QLocale &locale);

public Q_SLOTS:
    void connectToServer();
    void disconnectFromServer();
    void send();
    void sendCommand(const QString &command);
    void expand(const QString &emailAddress);
    void verify(const QString &emailAddress);
    void sendToTerminalAndEmail();
    void sendToTerminalOnly();
    void sendToTerminalOrEmail();
    void processQueue(const QString &queueDir);
    void interrupt();

Q_SIGNALS:
    // Terminal success signals, one per operation.
    void connectedToServer();
    void disconnectedFromServer();
    void messageSent();
    void commandReplied(int replyCode, const QString &reply);
    void verified(int replyCode, const QString &reply);
    void expanded(const QStringList &addresses);
    void queueProcessed(int messagesSent);
    // The terminal failure signal (the spec's Error event).
    void errorOccurred(Ssmtp::Error error, const QString &description);

    // The spec's events.
    void connectionStatus(const QString &connectionEvent, int statusCode,
                          const QString &description);
    void startTransfer(int direction);
    void transfer(int direction, qint64 bytesTransferred, int percentDone, const QByteArray &text);
    void endTransfer(int direction);
    void piTrail(int direction, const QString &message);
    void addressExpanded(const QString &address);
    void sslStatus(const QString &message);
    // certEncoded: the server's certificate (DER), or with the config setting
    // SSLIncludeCertChain the whole chain it sent (PEM). status: "OK" or why verification
    // failed; accept: the verdict. Call acceptServerCertificate() to override a failure.
    void sslServerAuthentication(const QByteArray &certEncoded, const QString &certSubject,
                                 const QString &certIssuer, const QString &status, bool accept);

    // NOTIFY signals.
    void allowExtensionsChanged(bool allowExtensions);
    void authMechanismChanged(Ssmtp::AuthMechanism authMechanism);
    void bccChanged(const QString &bcc);
    void ccChanged(const QString &cc);
    void connectedChanged(bool connected);
    void deliveryNotificationToChanged(const QString &deliveryNotificationTo);
    void fromChanged(const QString &from);
    void idleChanged(bool idle);
    void importanceChanged(Ssmtp::Importance importance);
    void lastReplyChanged(const QString &lastReply);
    void localHostChanged(const QString &localHost);
    void mailPortChanged(int mailPort);
    void mailServerChanged(const QString &mailServer);
    void messageChanged(const QByteArray &message);
    void messageDateChanged(const QString &messageDate);
    void messageHeadersChanged();
    void messageIdChanged(const QString &messageId);
    void messageRecipientsChanged();
    void messageTextChanged(const QString &messageText);
    void messageHtmlChanged(const QString &messageHtml);
    void attachmentsChanged();
    void certificateChanged();
    void firewallChanged(); // no argument: the value holds a password
    void includeCertificateChanged(bool includeCertificate);
    void includeChainChanged(bool includeChain);
    void signingAlgorithmChanged(const QString &signingAlgorithm);
    void encryptingAlgorithmChanged(const QString &encryptingAlgorithm);
    void recipientCertificatesChanged();
    void otherHeadersChanged(const QString &otherHeaders);
    void passwordChanged();
    void priorityChanged(Ssmtp::Priority priority);
    void readReceiptToChanged(const QString &readReceiptTo);
    void replyToChanged(const QString &replyTo);
    void returnPathChanged(const QString &returnPath);
    void sendToChanged(const QString &sendTo);
    void sensitivityChanged(Ssmtp::Sensitivity sensitivity);
    void subjectChanged(const QString &subject);
    void timeoutChanged(int timeout);
    void userChanged(const QString &user);
    void sslEnabledChanged(bool sslEnabled);
    void sslStartModeChanged(Ssmtp::SslStartMode sslStartMode);
    void sslProviderChanged(Ssmtp::SslProvider sslProvider);
    void sslCertChanged();
    void sslAcceptServerCertChanged();
    void sslServerCertChanged();

private:
    Q_DISABLE_COPY_MOVE(Ssmtp)
    std::unique_ptr<SsmtpPrivate> d;
    friend class SsmtpPrivate;
};
