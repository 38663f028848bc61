// A catch-all SMTP server for development and tests: it accepts every message for any
// recipient and stores it, with its envelope, as files in a folder (or only counts it).
// Single-threaded: one InboxSession per connection, all on the caller's event loop.
#pragma once

#include <QSslConfiguration>

#include <QByteArray>
#include <QDateTime>
#include <QHostAddress>
#include <QList>
#include <QObject>
#include <QString>

class QTcpServer;
class InboxSession;

struct InboxOptions
{
    QString directory;         // where messages are stored; unused with discard
    bool discard = false;      // count messages instead of storing them
    qint64 maxSize = 52428800; // advertised and enforced SIZE; 0 = no limit
    bool chunking = true;      // offer CHUNKING (BDAT)
    bool pipelining = true;    // advertise PIPELINING (pipelined input is always handled)
    QByteArray hostName = QByteArrayLiteral("localhost");
    int idleTimeoutMsecs = 300000; // a silent client is dropped with 421 after this
    // Implicit TLS (SMTPS) on every connection when a certificate is set.
    QSslConfiguration tls;
    bool useTls() const { return !tls.localCertificate().isNull(); }
};

struct InboxRecipient
{
    QByteArray address; // without angle brackets
    QByteArray params;  // the RCPT parameters as sent, e.g. "NOTIFY=NEVER"
};

struct InboxMessage
{
    QString emlPath;  // absolute; empty when discarded
    QString jsonPath; // absolute; empty when discarded
    QByteArray mailFrom;
    QByteArray mailParams;
    QList<InboxRecipient> recipients;
    QByteArray helo;
    QByteArray authUser; // empty unless the client authenticated
    QDateTime receivedAt;
    qint64 size = 0;
    QString transport; // "DATA" or "BDAT"
    QByteArray data;   // the message octets (after dot-unstuffing); empty when discarded
};

class InboxServer : public QObject
{
    Q_OBJECT
public:
    explicit InboxServer(const InboxOptions &options, QObject *parent = nullptr);
    ~InboxServer() override;

    bool listen(const QHostAddress &address = QHostAddress(QHostAddress::LocalHost),
                quint16 port = 0);
    quint16 serverPort() const;
    QHostAddress serverAddress() const;
    QString errorString() const;
    const InboxOptions &options() const { return m_options; }

    // Stops listening and refuses new transactions (421); drained() follows once every
    // open session has ended.
    void beginShutdown();
    bool isShuttingDown() const { return m_shuttingDown; }
    // Says 421 to every open session and closes it.
    void closeAllSessions();

    int sessionCount() const { return static_cast<int>(m_sessions.size()); }
    quint64 messageCount() const { return m_messageCount; }
    quint64 byteCount() const { return m_byteCount; }
    // Reply batches written in answer to client data: the round trips clients needed.
    quint64 turnCount() const { return m_turnCount; }
    void countTurn() { ++m_turnCount; }

    // Called by sessions: stores (unless discarding) and announces one message. On failure
    // returns false with a reason for the client.
    bool deliver(InboxMessage &message, QString *error);

Q_SIGNALS:
    void messageReceived(const InboxMessage &message);
    void storeFailed(const QString &error);
    void drained();

private:
    void onNewConnection();
    void onSessionClosed(InboxSession *session);
    bool store(InboxMessage &message, QString *error);

    InboxOptions m_options;
    quint64 m_turnCount = 0;
    QTcpServer *m_tcpServer;
    QList<InboxSession *> m_sessions;
    quint64 m_messageCount = 0;
    quint64 m_byteCount = 0;
    quint64 m_fileCounter = 0;
    bool m_shuttingDown = false;
};
