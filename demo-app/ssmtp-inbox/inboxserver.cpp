#include "inboxserver.h"

#include "inboxsession.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSslServer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>

namespace {

bool writeAtomically(const QString &dir, const QString &name, const QByteArray &bytes,
                     QString *error)
{
    // Written under a hidden temporary name and renamed into place, so a watcher of the
    // folder never sees a torn file. No fsync (unlike QSaveFile): a test inbox values speed
    // over surviving a power cut.
    const QString path = dir + QLatin1Char('/') + name;
    QFile file(dir + QStringLiteral("/.") + name + QStringLiteral(".tmp"));
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) ||
        file.write(bytes) != bytes.size()) {
        *error = file.fileName() + QStringLiteral(": ") + file.errorString();
        file.remove();
        return false;
    }
    file.close();
    if (!file.rename(path)) {
        *error = path + QStringLiteral(": ") + file.errorString();
        file.remove();
        return false;
    }
    return true;
}

} // namespace

InboxServer::InboxServer(const InboxOptions &options, QObject *parent)
    : QObject(parent)
    , m_options(options)
    , m_tcpServer(options.useTls() ? new QSslServer(this) : new QTcpServer(this))
{
    if (!m_options.discard)
        m_options.directory = QDir(m_options.directory).absolutePath();
    if (auto *sslServer = qobject_cast<QSslServer *>(m_tcpServer)) {
        sslServer->setSslConfiguration(m_options.tls);
        // A TLS connection becomes pending once its handshake is done.
        connect(sslServer, &QTcpServer::pendingConnectionAvailable, this,
                &InboxServer::onNewConnection);
    } else {
        connect(m_tcpServer, &QTcpServer::newConnection, this, &InboxServer::onNewConnection);
    }
}

InboxServer::~InboxServer()
{
    // Sessions are children; they must not call back into a half-destroyed server.
    for (InboxSession *session : std::as_const(m_sessions))
        session->disconnect(this);
}

bool InboxServer::listen(const QHostAddress &address, quint16 port)
{
    return m_tcpServer->listen(address, port);
}

quint16 InboxServer::serverPort() const
{
    return m_tcpServer->serverPort();
}

QHostAddress InboxServer::serverAddress() const
{
    return m_tcpServer->serverAddress();
}

QString InboxServer::errorString() const
{
    return m_tcpServer->errorString();
}

void InboxServer::beginShutdown()
{
    if (m_shuttingDown)
        return;
    m_shuttingDown = true;
    m_tcpServer->close();
    if (m_sessions.isEmpty())
        QTimer::singleShot(0, this, &InboxServer::drained);
}

void InboxServer::closeAllSessions()
{
    const QList<InboxSession *> sessions = m_sessions;
    for (InboxSession *session : sessions)
        session->shutdown();
}

void InboxServer::onNewConnection()
{
    while (QTcpSocket *socket = m_tcpServer->nextPendingConnection()) {
        auto *session = new InboxSession(socket, this);
        m_sessions.append(session);
        connect(session, &InboxSession::closed, this, &InboxServer::onSessionClosed);
    }
}

void InboxServer::onSessionClosed(InboxSession *session)
{
    if (!m_sessions.removeOne(session))
        return;
    session->deleteLater();
    if (m_shuttingDown && m_sessions.isEmpty())
        Q_EMIT drained();
}

bool InboxServer::deliver(InboxMessage &message, QString *error)
{
    if (!m_options.discard && !store(message, error)) {
        Q_EMIT storeFailed(*error);
        return false;
    }
    ++m_messageCount;
    m_byteCount += static_cast<quint64>(message.size);
    Q_EMIT messageReceived(message);
    return true;
}

bool InboxServer::store(InboxMessage &message, QString *error)
{
    const QDir dir(m_options.directory);
    if (!dir.exists() && !QDir().mkpath(m_options.directory)) {
        *error = QStringLiteral("cannot create %1").arg(m_options.directory);
        return false;
    }
    const QString stamp = message.receivedAt.toString(QStringLiteral("yyyyMMdd-hhmmss-zzz"));
    QString base;
    do {
        // The counter keeps names unique within one millisecond; skip names that another
        // inbox process writing into the same folder may already have taken.
        base = stamp + QStringLiteral("-%1").arg(++m_fileCounter, 6, 10, QLatin1Char('0'));
    } while (QFileInfo::exists(dir.filePath(base + QStringLiteral(".eml"))) ||
             QFileInfo::exists(dir.filePath(base + QStringLiteral(".json"))));
    message.emlPath = dir.filePath(base + QStringLiteral(".eml"));
    message.jsonPath = dir.filePath(base + QStringLiteral(".json"));

    QJsonArray recipients;
    for (const InboxRecipient &r : std::as_const(message.recipients)) {
        recipients.append(QJsonObject{{QStringLiteral("address"), QString::fromUtf8(r.address)},
                                      {QStringLiteral("params"), QString::fromUtf8(r.params)}});
    }
    QJsonObject envelope{
        {QStringLiteral("mailFrom"), QString::fromUtf8(message.mailFrom)},
        {QStringLiteral("mailParams"), QString::fromUtf8(message.mailParams)},
        {QStringLiteral("rcptTo"), recipients},
        {QStringLiteral("receivedAt"), message.receivedAt.toString(Qt::ISODateWithMs)},
        {QStringLiteral("size"), message.size},
        {QStringLiteral("transport"), message.transport},
        {QStringLiteral("helo"), QString::fromUtf8(message.helo)},
    };
    if (!message.authUser.isEmpty())
        envelope.insert(QStringLiteral("authUser"), QString::fromUtf8(message.authUser));

    // The envelope goes first: whoever sees the .eml appear can read its .json right away.
    if (!writeAtomically(dir.path(), base + QStringLiteral(".json"),
                         QJsonDocument(envelope).toJson(), error) ||
        !writeAtomically(dir.path(), base + QStringLiteral(".eml"), message.data, error)) {
        QFile::remove(message.jsonPath);
        message.emlPath.clear();
        message.jsonPath.clear();
        return false;
    }
    return true;
}
