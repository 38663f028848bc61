#include "fakesmtpserver.h"

#include <QEventLoop>
#include <QHostAddress>
#include <QSslSocket>
#include <QTcpServer>
#include <QTimer>

#include <algorithm>
#include <functional>

namespace {

constexpr char kEncryptedProperty[] = "fakeSmtpEncrypted";

// Hands out QSslSocket connections (plain until a handshake starts), prepared by the owner
// before they are queued so that implicit TLS starts its handshake at once.
class SslCapableServer : public QTcpServer
{
public:
    SslCapableServer(std::function<void(QSslSocket *)> prepare, QObject *parent)
        : QTcpServer(parent)
        , m_prepare(std::move(prepare))
    {}

protected:
    void incomingConnection(qintptr descriptor) override
    {
        auto *socket = new QSslSocket(this);
        if (!socket->setSocketDescriptor(descriptor)) {
            delete socket;
            return;
        }
        m_prepare(socket);
        addPendingConnection(socket);
    }

private:
    std::function<void(QSslSocket *)> m_prepare;
};

// Client bytes quoted in failure messages: control and non-ASCII octets escaped so that the
// message stays on one line and shows exactly what was on the wire.
QString printable(const QByteArray &bytes, qsizetype limit = 300)
{
    QString out;
    const QByteArray shown = bytes.left(limit);
    for (const char ch : shown) {
        const auto c = static_cast<unsigned char>(ch);
        if (c == '\r') {
            out += QStringLiteral("\\r");
        } else if (c == '\n') {
            out += QStringLiteral("\\n");
        } else if (c == '\t') {
            out += QStringLiteral("\\t");
        } else if (c == '\\') {
            out += QStringLiteral("\\\\");
        } else if (c < 0x20 || c >= 0x7f) {
            out += QStringLiteral("\\x%1").arg(static_cast<uint>(c), 2, 16, QLatin1Char('0'));
        } else {
            out += QLatin1Char(ch);
        }
    }
    if (bytes.size() > limit)
        out += QStringLiteral("...");
    return out;
}

// FAKESMTP_TRACE=1 logs the dialogue, for finding out why a test's script did not match.
bool traceEnabled()
{
    static const bool enabled = qEnvironmentVariableIsSet("FAKESMTP_TRACE");
    return enabled;
}

void trace(quint16 port, const QString &text)
{
    if (traceEnabled())
        qDebug("FakeSmtpServer:%u %s", unsigned(port), qPrintable(text));
}

int hexValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

// S-RAW: text -> octets. Unknown escapes are kept verbatim; returns false on a bad \x.
bool decodeEscapes(const QByteArray &in, QByteArray *out)
{
    out->clear();
    for (qsizetype i = 0; i < in.size(); ++i) {
        const char c = in.at(i);
        if (c != '\\' || i + 1 >= in.size()) {
            out->append(c);
            continue;
        }
        const char e = in.at(++i);
        switch (e) {
        case 'r':
            out->append('\r');
            break;
        case 'n':
            out->append('\n');
            break;
        case 't':
            out->append('\t');
            break;
        case '\\':
            out->append('\\');
            break;
        case 'x': {
            const int hi = i + 1 < in.size() ? hexValue(in.at(i + 1)) : -1;
            const int lo = i + 2 < in.size() ? hexValue(in.at(i + 2)) : -1;
            if (hi < 0 || lo < 0)
                return false;
            out->append(static_cast<char>(hi * 16 + lo));
            i += 2;
            break;
        }
        default:
            out->append('\\');
            out->append(e);
        }
    }
    return true;
}

// Glob match on octets: '*' matches any run, "\*" and "\\" are literal.
bool globMatch(const QByteArray &pattern, const QByteArray &text)
{
    struct Token
    {
        char c;
        bool star;
    };
    QList<Token> tokens;
    for (qsizetype i = 0; i < pattern.size(); ++i) {
        const char c = pattern.at(i);
        if (c == '\\' && i + 1 < pattern.size() &&
            (pattern.at(i + 1) == '*' || pattern.at(i + 1) == '\\')) {
            tokens.append({pattern.at(++i), false});
        } else {
            tokens.append({c, c == '*'});
        }
    }
    // Classic backtracking wildcard match; only the last star needs to be revisited.
    qsizetype p = 0;
    qsizetype t = 0;
    qsizetype starP = -1;
    qsizetype starT = 0;
    while (t < text.size()) {
        if (p < tokens.size() && !tokens.at(p).star && tokens.at(p).c == text.at(t)) {
            ++p;
            ++t;
        } else if (p < tokens.size() && tokens.at(p).star) {
            starP = p++;
            starT = t;
        } else if (starP >= 0) {
            p = starP + 1;
            t = ++starT;
        } else {
            return false;
        }
    }
    while (p < tokens.size() && tokens.at(p).star)
        ++p;
    return p == tokens.size();
}

// "BDAT <n>" / "BDAT <n> LAST" -> chunk size, or -1 when the line is no BDAT command.
qint64 parseBdat(const QByteArray &line, bool *last)
{
    const QList<QByteArray> parts = line.split(' ');
    if (parts.size() < 2 || parts.size() > 3 || parts.at(0).toUpper() != "BDAT")
        return -1;
    const QByteArray &size = parts.at(1);
    if (size.isEmpty() ||
        !std::all_of(size.begin(), size.end(), [](char c) { return c >= '0' && c <= '9'; }))
        return -1;
    *last = parts.size() == 3;
    if (*last && parts.at(2).toUpper() != "LAST")
        return -1;
    bool ok = false;
    const qint64 n = size.toLongLong(&ok);
    return ok ? n : -1;
}

// Removes the transparency dot that the client added in front of lines starting with '.'.
QByteArray unstuff(const QByteArray &raw)
{
    QByteArray out;
    out.reserve(raw.size());
    bool lineStart = true;
    char previous = 0;
    for (const char c : raw) {
        if (lineStart && c == '.') {
            lineStart = false;
            previous = c;
            continue;
        }
        out.append(c);
        lineStart = c == '\n' && previous == '\r';
        previous = c;
    }
    return out;
}

} // namespace

FakeSmtpServer::FakeSmtpServer(QObject *parent)
    : QObject(parent)
    , m_server(new SslCapableServer([this](QSslSocket *socket) { prepareSocket(socket); }, this))
    , m_timer(new QTimer(this))
{
    m_tlsConfig = QSslConfiguration::defaultConfiguration();
    m_tlsConfig.setPeerVerifyMode(QSslSocket::VerifyNone);
    m_timer->setSingleShot(true);
    m_timer->setTimerType(Qt::PreciseTimer);
    connect(m_server, &QTcpServer::newConnection, this, &FakeSmtpServer::onNewConnection);
    connect(m_timer, &QTimer::timeout, this, [this] {
        if (!m_pieces.isEmpty()) {
            sendNextPiece();
            if (m_busy)
                return;
        } else {
            m_busy = false; // a WAIT ended
        }
        advance();
    });
}

FakeSmtpServer::~FakeSmtpServer()
{
    // Sockets emit disconnected() while they are destroyed; nothing should react to that.
    m_timer->stop();
    const auto sockets = m_server->findChildren<QSslSocket *>();
    for (QSslSocket *socket : sockets)
        socket->disconnect(this);
}

void FakeSmtpServer::setScript(const QString &script)
{
    m_steps.clear();
    m_index = 0;
    m_failure.clear();
    const QStringList lines = script.split(QLatin1Char('\n'));
    for (qsizetype i = 0; i < lines.size(); ++i) {
        const QString line = lines.at(i).trimmed();
        const int lineNo = static_cast<int>(i) + 1;
        if (line.isEmpty() || line.startsWith(QLatin1Char('#')))
            continue;
        Step step{Step::Send, {}, 0, lineNo};
        if (line.startsWith(QLatin1String("S-RAW:"))) {
            QString text = line.mid(6);
            if (text.startsWith(QLatin1Char(' ')))
                text.remove(0, 1);
            if (!decodeEscapes(text.toUtf8(), &step.bytes)) {
                m_failure = QStringLiteral("script line %1: bad \\x escape").arg(lineNo);
                break;
            }
        } else if (line.startsWith(QLatin1String("S:"))) {
            step.bytes = line.mid(2).trimmed().toUtf8() + "\r\n";
        } else if (line.startsWith(QLatin1String("C:"))) {
            step.kind = Step::Expect;
            step.bytes = line.mid(2).trimmed().toUtf8();
        } else if (line == QLatin1String("DATA")) {
            step.kind = Step::Data;
        } else if (line == QLatin1String("CLOSE")) {
            step.kind = Step::Close;
        } else if (line == QLatin1String("ABORT")) {
            step.kind = Step::Abort;
        } else if (line == QLatin1String("HANG")) {
            step.kind = Step::Hang;
        } else if (line == QLatin1String("EXPECT-CLOSE")) {
            step.kind = Step::ExpectClose;
        } else if (line == QLatin1String("ACCEPT")) {
            step.kind = Step::Accept;
        } else if (line == QLatin1String("STARTTLS")) {
            step.kind = Step::StartTls;
        } else if (line.startsWith(QLatin1String("STARTTLS-INJECT:"))) {
            step.kind = Step::StartTls;
            step.inject = true;
            if (!decodeEscapes(line.mid(16).trimmed().toUtf8(), &step.bytes)) {
                m_failure = QStringLiteral("script line %1: bad \\x escape").arg(lineNo);
                break;
            }
        } else if (line == QLatin1String("EXPECT-TLS-FAIL")) {
            step.kind = Step::ExpectTlsFail;
        } else if (line.startsWith(QLatin1String("WAIT "))) {
            bool ok = false;
            step.kind = Step::Wait;
            step.msecs = line.mid(5).trimmed().toInt(&ok);
            if (!ok || step.msecs < 0) {
                m_failure = QStringLiteral("script line %1: bad WAIT '%2'").arg(lineNo).arg(line);
                break;
            }
        } else {
            m_failure =
                QStringLiteral("script line %1: unknown directive '%2'").arg(lineNo).arg(line);
            break;
        }
        m_steps.append(step);
    }
    if (!m_failure.isEmpty())
        qWarning("FakeSmtpServer: %s", qPrintable(m_failure));
}

void FakeSmtpServer::setDelivery(Delivery delivery)
{
    m_delivery = delivery;
}

void FakeSmtpServer::setStrictEnd(bool strict)
{
    m_strictEnd = strict;
}

void FakeSmtpServer::setTls(const QSslCertificate &certificate, const QSslKey &key,
                            const QList<QSslCertificate> &chain)
{
    m_tlsConfig.setLocalCertificateChain(QList<QSslCertificate>{certificate} + chain);
    m_tlsConfig.setPrivateKey(key);
}

void FakeSmtpServer::setImplicitTls(bool implicit)
{
    m_implicitTls = implicit;
}

void FakeSmtpServer::setRequestClientCertificate(bool request,
                                                 const QList<QSslCertificate> &caCertificates)
{
    if (!request) {
        m_tlsConfig.setPeerVerifyMode(QSslSocket::VerifyNone);
    } else if (caCertificates.isEmpty()) {
        m_tlsConfig.setPeerVerifyMode(QSslSocket::QueryPeer);
    } else {
        m_tlsConfig.setPeerVerifyMode(QSslSocket::VerifyPeer);
        m_tlsConfig.setCaCertificates(caCertificates);
    }
}

void FakeSmtpServer::setTlsConfiguration(const QSslConfiguration &configuration)
{
    m_tlsConfig = configuration;
}

quint16 FakeSmtpServer::listen()
{
    if (!m_server->isListening() && !m_server->listen(QHostAddress::LocalHost, 0)) {
        if (m_failure.isEmpty())
            m_failure = QStringLiteral("listen failed: %1").arg(m_server->errorString());
        return 0;
    }
    return m_server->serverPort();
}

quint16 FakeSmtpServer::port() const
{
    return m_server->serverPort();
}

bool FakeSmtpServer::waitForFinished(int msecs)
{
    if (m_finished || !m_failure.isEmpty())
        return m_finished && m_failure.isEmpty();
    m_timeoutNote.clear();
    QEventLoop loop;
    connect(this, &FakeSmtpServer::finished, &loop, &QEventLoop::quit);
    connect(this, &FakeSmtpServer::failed, &loop, &QEventLoop::quit);
    QTimer timeout;
    timeout.setSingleShot(true);
    connect(&timeout, &QTimer::timeout, &loop, &QEventLoop::quit);
    timeout.start(msecs);
    loop.exec();
    if (!m_finished && m_failure.isEmpty())
        m_timeoutNote = describeWaitState();
    return m_finished && m_failure.isEmpty();
}

QString FakeSmtpServer::failure() const
{
    return m_failure.isEmpty() ? m_timeoutNote : m_failure;
}

void FakeSmtpServer::onNewConnection()
{
    advance();
}

void FakeSmtpServer::onReadyRead()
{
    auto *socket = qobject_cast<QSslSocket *>(sender());
    if (!socket)
        return;
    if (socket == m_socket && holdingReads()) {
        advance(); // STARTTLS-INJECT waits for the ClientHello to arrive
        return;
    }
    readFrom(socket);
}

void FakeSmtpServer::readFrom(QSslSocket *socket)
{
    const QByteArray data = socket->readAll();
    if (data.isEmpty())
        return;
    m_received += data;
    if (socket != m_socket)
        return; // a connection the script is done with: recorded only
    m_buffer += data;
    if (m_finished) {
        handleExtraData();
        return;
    }
    m_readSinceReply = true;
    advance();
}

void FakeSmtpServer::onDisconnected()
{
    auto *socket = qobject_cast<QSslSocket *>(sender());
    if (!socket)
        return;
    if (socket != m_socket) {
        socket->deleteLater();
        return;
    }
    m_peerClosed = true;
    if (m_tlsState == Handshaking) {
        handshakeFailed(QStringLiteral("client aborted during the TLS handshake"));
        return;
    }
    trace(port(), QStringLiteral("client closed the connection"));
    if (!m_finished)
        advance(); // either EXPECT-CLOSE goes on or the directive waiting for input fails
}

void FakeSmtpServer::advance()
{
    // Signals emitted from step() may run code that feeds us again; just loop once more.
    if (m_inAdvance) {
        m_advanceAgain = true;
        return;
    }
    m_inAdvance = true;
    do {
        m_advanceAgain = false;
        while (m_failure.isEmpty() && !m_finished && !m_busy && step()) {
        }
    } while (m_advanceAgain && m_failure.isEmpty() && !m_finished && !m_busy);
    m_inAdvance = false;
}

// Runs (part of) one directive. Returns true if it completed and the next one may run now.
bool FakeSmtpServer::step()
{
    if (m_chunkRemaining >= 0)
        return readChunk();
    if (m_needConnection)
        return takeConnection();
    if (m_tlsState == Handshaking)
        return false; // onEncrypted() or handshakeFailed() goes on
    if (m_index >= m_steps.size()) {
        finish();
        return false;
    }
    const Step s = m_steps.at(m_index);
    switch (s.kind) {
    case Step::Accept:
        ++m_index;
        // An ACCEPT before anything else stands for the implicit first connection.
        if (m_connectionCount > 0) {
            detachSocket();
            m_needConnection = true;
        }
        return true;
    case Step::Wait:
        ++m_index;
        m_busy = true;
        m_timer->start(s.msecs);
        return false;
    case Step::Hang:
        m_hung = true;
        finish();
        return false;
    default:
        break;
    }

    if (!m_socket) {
        fail(QStringLiteral("line %1: no client connection (closed before; missing ACCEPT?)")
                 .arg(s.line));
        return false;
    }
    switch (s.kind) {
    case Step::Send:
        if (m_peerClosed) {
            fail(QStringLiteral("client closed the connection at line %1").arg(s.line));
            return false;
        }
        startSend();
        return !m_busy && m_failure.isEmpty();
    case Step::Expect:
        return expectLine(s);
    case Step::Data:
        return readData(s);
    case Step::Close:
        ++m_index;
        if (QSslSocket *socket = m_socket) {
            detachSocket();
            socket->flush();
            socket->disconnectFromHost();
        }
        return true;
    case Step::Abort:
        ++m_index;
        if (QSslSocket *socket = m_socket) {
            detachSocket();
            socket->abort();
        }
        return true;
    case Step::ExpectClose:
        if (!m_peerClosed)
            return false;
        ++m_index;
        detachSocket();
        return true;
    case Step::StartTls:
        return startTls(s);
    case Step::ExpectTlsFail:
        return expectTlsFail(s);
    default:
        return false;
    }
}

bool FakeSmtpServer::takeConnection()
{
    if (!m_server->hasPendingConnections())
        return false;
    auto *socket = static_cast<QSslSocket *>(m_server->nextPendingConnection());
    trace(port(), QStringLiteral("connection #%1 accepted").arg(m_connectionCount + 1));
    m_socket = socket;
    m_needConnection = false;
    ++m_connectionCount;
    m_buffer.clear();
    m_peerClosed = false;
    m_readSinceReply = false;
    m_chunkRemaining = -1;
    m_chunkMessage.clear();
    m_tlsState = Plain;
    m_peerCertificate = QSslCertificate();
    m_sessionProtocol = QSsl::UnknownProtocol;
    m_sessionCipher = QSslCipher();
    // Without Nagle every paced write leaves in its own segment.
    socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    connect(socket, &QSslSocket::readyRead, this, &FakeSmtpServer::onReadyRead);
    connect(socket, &QSslSocket::disconnected, this, &FakeSmtpServer::onDisconnected);
    connect(socket, &QSslSocket::errorOccurred, this, &FakeSmtpServer::onSocketError);
    connect(socket, &QSslSocket::encrypted, this, &FakeSmtpServer::onEncrypted);
    if (m_implicitTls) {
        // prepareSocket() started the handshake; it may be over already.
        m_tlsLine = 0;
        if (socket->property(kEncryptedProperty).toBool()) {
            recordSession(socket);
        } else if (socket->state() == QAbstractSocket::UnconnectedState) {
            m_tlsState = Handshaking;
            m_peerClosed = true;
            handshakeFailed(socket->error() == QAbstractSocket::SslHandshakeFailedError
                                ? socket->errorString()
                                : QStringLiteral("client aborted during the TLS handshake"));
            return m_failure.isEmpty();
        } else {
            m_tlsState = Handshaking;
            return true;
        }
    }
    // Bytes (or even the close) may have arrived before we took the socket from the queue.
    const QByteArray early = holdingReads() ? QByteArray() : socket->readAll();
    if (!early.isEmpty()) {
        m_received += early;
        m_buffer += early;
        m_readSinceReply = true;
    }
    if (socket->state() == QAbstractSocket::UnconnectedState)
        m_peerClosed = true;
    return true;
}

void FakeSmtpServer::prepareSocket(QSslSocket *socket)
{
    socket->setSslConfiguration(m_tlsConfig);
    if (m_implicitTls && !m_tlsConfig.localCertificate().isNull()) {
        // Remembered on the socket: the handshake may be over (and the client gone, which
        // clears isEncrypted()) before the script takes the connection.
        connect(socket, &QSslSocket::encrypted, socket,
                [socket] { socket->setProperty(kEncryptedProperty, true); });
        socket->startServerEncryption();
    }
}

// Bytes that arrive while the script heads for a STARTTLS (only sending or waiting before
// it) are the client's handshake: they stay in the socket for QSslSocket to read.
bool FakeSmtpServer::holdingReads() const
{
    if (m_tlsState == Handshaking)
        return true;
    for (qsizetype i = m_index; i < m_steps.size(); ++i) {
        const Step::Kind kind = m_steps.at(i).kind;
        if (kind != Step::Send && kind != Step::Wait)
            return kind == Step::StartTls;
    }
    return false;
}

bool FakeSmtpServer::startTls(const Step &s)
{
    if (m_tlsConfig.localCertificate().isNull()) {
        fail(QStringLiteral("line %1: STARTTLS without a certificate (setTls())").arg(s.line));
        return false;
    }
    if (m_tlsState != Plain) {
        fail(QStringLiteral("line %1: STARTTLS on a connection that already did TLS").arg(s.line));
        return false;
    }
    if (!m_buffer.isEmpty()) {
        fail(QStringLiteral("line %1: client sent '%2' after STARTTLS before the TLS handshake")
                 .arg(s.line)
                 .arg(printable(m_buffer)));
        return false;
    }
    if (s.inject) {
        if (m_socket->bytesAvailable() == 0) {
            if (m_peerClosed)
                fail(QStringLiteral("client closed the connection at line %1").arg(s.line));
            return false; // onReadyRead() calls again once the ClientHello is there
        }
        trace(port(), QStringLiteral("S (before ServerHello): ") + printable(s.bytes));
        m_socket->write(s.bytes);
        m_socket->flush();
    }
    ++m_index;
    startHandshake(s.line);
    return m_tlsState == Encrypted;
}

void FakeSmtpServer::startHandshake(int line)
{
    trace(port(), QStringLiteral("starting the TLS handshake (line %1)").arg(line));
    m_tlsLine = line;
    m_tlsState = Handshaking;
    m_socket->startServerEncryption();
}

void FakeSmtpServer::onEncrypted()
{
    auto *socket = qobject_cast<QSslSocket *>(sender());
    if (!socket || socket != m_socket || m_tlsState != Handshaking)
        return;
    recordSession(socket);
    readFrom(socket); // in case the first bytes inside TLS were decrypted before encrypted()
    advance();
}

void FakeSmtpServer::recordSession(QSslSocket *socket)
{
    m_tlsState = Encrypted;
    ++m_tlsHandshakes;
    m_peerCertificate = socket->peerCertificate();
    m_sessionProtocol = socket->sessionProtocol();
    m_sessionCipher = socket->sessionCipher();
    trace(port(), QStringLiteral("TLS established: %1, client certificate: %2")
                      .arg(m_sessionCipher.name(), m_peerCertificate.isNull()
                                                       ? QStringLiteral("none")
                                                       : m_peerCertificate.subjectDisplayName()));
}

void FakeSmtpServer::onSocketError()
{
    auto *socket = qobject_cast<QSslSocket *>(sender());
    if (!socket || socket != m_socket || m_tlsState != Handshaking)
        return;
    if (socket->error() == QAbstractSocket::RemoteHostClosedError)
        return; // onDisconnected() reports the abort
    handshakeFailed(socket->errorString());
}

void FakeSmtpServer::handshakeFailed(const QString &reason)
{
    QSslSocket *socket = m_socket;
    m_tlsState = Failed;
    m_tlsFailed = true;
    m_tlsError = m_tlsLine > 0 ? QStringLiteral("%1 (line %2)").arg(reason).arg(m_tlsLine)
                               : QStringLiteral("%1 (implicit TLS)").arg(reason);
    m_sslErrors = socket ? socket->sslHandshakeErrors() : QList<QSslError>();
    if (socket)
        m_peerCertificate = socket->peerCertificate();
    for (const QSslError &e : std::as_const(m_sslErrors))
        m_tlsError += QStringLiteral("; ") + e.errorString();
    trace(port(), QStringLiteral("TLS handshake failed: ") + m_tlsError);
    if (m_index < m_steps.size() && m_steps.at(m_index).kind == Step::ExpectTlsFail) {
        ++m_index;
        detachSocket();
        if (socket && socket->state() != QAbstractSocket::UnconnectedState)
            socket->abort();
        advance();
        return;
    }
    fail(QStringLiteral("TLS handshake failed: ") + m_tlsError);
}

bool FakeSmtpServer::expectTlsFail(const Step &s)
{
    if (m_tlsState != Encrypted) {
        fail(QStringLiteral("line %1: EXPECT-TLS-FAIL without a TLS handshake before it")
                 .arg(s.line));
        return false;
    }
    if (!m_buffer.isEmpty()) {
        fail(QStringLiteral("line %1: the client completed the TLS handshake and sent '%2'")
                 .arg(s.line)
                 .arg(printable(m_buffer)));
        return false;
    }
    if (!m_peerClosed)
        return false;
    // The handshake completed (TLS 1.3: the client checks the certificate after its
    // Finished), but the client hung up without using the session: that is a refusal too.
    m_tlsFailed = true;
    m_tlsError = QStringLiteral("client closed the connection right after the TLS handshake"
                                " without sending data (line %1)")
                     .arg(m_tlsLine);
    ++m_index;
    detachSocket();
    return true;
}

void FakeSmtpServer::startSend()
{
    QList<QByteArray> block;
    m_sendLine = m_steps.at(m_index).line;
    while (m_index < m_steps.size() && m_steps.at(m_index).kind == Step::Send)
        block.append(m_steps.at(m_index++).bytes);
    if (m_readSinceReply) {
        ++m_turns;
        m_readSinceReply = false;
    }
    for (const QByteArray &piece : std::as_const(block))
        trace(port(), QStringLiteral("S: ") + printable(piece));
    if (m_delivery == Block) {
        m_socket->write(block.join());
        m_socket->flush();
        return;
    }
    m_pieces.clear();
    for (const QByteArray &piece : std::as_const(block)) {
        if (m_delivery == PerLine) {
            if (!piece.isEmpty())
                m_pieces.append(piece);
        } else {
            for (const char c : piece)
                m_pieces.append(QByteArray(1, c));
        }
    }
    if (m_pieces.isEmpty())
        return;
    m_busy = true;
    sendNextPiece();
}

void FakeSmtpServer::sendNextPiece()
{
    if (!m_socket || m_peerClosed) {
        m_pieces.clear();
        m_busy = false;
        fail(QStringLiteral("client closed the connection at line %1").arg(m_sendLine));
        return;
    }
    m_socket->write(m_pieces.takeFirst());
    m_socket->flush();
    if (m_pieces.isEmpty()) {
        m_busy = false;
        return;
    }
    // PerByte: a zero timer still gives the event loop (and a client in this thread) a turn
    // between bytes; see tst_fakesmtpserver::perByteDelivery for the effect on the client.
    m_timer->start(m_delivery == PerLine ? 1 : 0);
}

bool FakeSmtpServer::expectLine(const Step &s)
{
    const qsizetype nl = m_buffer.indexOf('\n');
    if (nl < 0) {
        if (m_peerClosed)
            fail(QStringLiteral("client closed the connection at line %1").arg(s.line));
        return false;
    }
    QByteArray line = m_buffer.left(nl + 1);
    m_buffer.remove(0, nl + 1);
    const bool crlf = line.endsWith("\r\n");
    line.chop(crlf ? 2 : 1);
    trace(port(), QStringLiteral("C: ") + printable(line));
    m_clientLines.append(line);
    Q_EMIT clientLine(line);
    if (!crlf) {
        fail(QStringLiteral("line %1: client line not terminated by CRLF: '%2'")
                 .arg(s.line)
                 .arg(printable(line)));
        return false;
    }
    if (!globMatch(s.bytes, line)) {
        fail(QStringLiteral("line %1: expected '%2' got '%3'")
                 .arg(s.line)
                 .arg(QString::fromUtf8(s.bytes), printable(line)));
        return false;
    }
    ++m_index;
    bool last = false;
    const qint64 chunk = parseBdat(line, &last);
    if (chunk >= 0) {
        m_chunkRemaining = chunk;
        m_chunkLast = last;
        m_sendLine = s.line;
    }
    return true;
}

bool FakeSmtpServer::readData(const Step &s)
{
    qsizetype end = -1;
    qsizetype consumed = 0;
    // The terminator's CRLF may be the one that ended the DATA command (empty message).
    if (m_buffer.startsWith(".\r\n")) {
        end = 0;
        consumed = 3;
    } else {
        const qsizetype at = m_buffer.indexOf("\r\n.\r\n");
        if (at >= 0) {
            end = at + 2;
            consumed = at + 5;
        }
    }
    if (end < 0) {
        if (m_peerClosed)
            fail(QStringLiteral("client closed the connection at line %1").arg(s.line));
        return false;
    }
    const QByteArray raw = m_buffer.left(end);
    m_buffer.remove(0, consumed);
    trace(port(), QStringLiteral("C: <%1 octets of DATA>").arg(raw.size()));
    m_messages.append(raw);
    m_contents.append(unstuff(raw));
    ++m_index;
    return true;
}

bool FakeSmtpServer::readChunk()
{
    const qint64 take = std::min<qint64>(m_chunkRemaining, m_buffer.size());
    m_chunkMessage += m_buffer.left(take);
    m_buffer.remove(0, take);
    m_chunkRemaining -= take;
    if (m_chunkRemaining > 0) {
        if (m_peerClosed)
            fail(QStringLiteral("client closed the connection at line %1 (%2 BDAT octets missing)")
                     .arg(m_sendLine)
                     .arg(m_chunkRemaining));
        return false;
    }
    m_chunkRemaining = -1;
    trace(port(), QStringLiteral("C: <BDAT chunk read>"));
    if (m_chunkLast) {
        m_messages.append(m_chunkMessage);
        m_contents.append(m_chunkMessage);
        m_chunkMessage.clear();
    }
    return true;
}

void FakeSmtpServer::detachSocket()
{
    if (!m_socket)
        return;
    QSslSocket *socket = m_socket;
    m_socket = nullptr;
    m_tlsState = Plain;
    if (m_strictEnd && !m_buffer.isEmpty() && m_failure.isEmpty())
        fail(QStringLiteral("unconsumed client data when the connection ended: '%1'")
                 .arg(printable(m_buffer)));
    m_buffer.clear();
    if (socket->state() == QAbstractSocket::UnconnectedState)
        socket->deleteLater();
    // Otherwise onDisconnected() deletes it; until then its bytes still go to received().
}

void FakeSmtpServer::handleExtraData()
{
    if (m_buffer.isEmpty())
        return;
    if (m_strictEnd && m_failure.isEmpty()) {
        fail(QStringLiteral("unexpected client data after the end of the script: '%1'")
                 .arg(printable(m_buffer)));
    }
    qsizetype nl;
    while ((nl = m_buffer.indexOf('\n')) >= 0) {
        QByteArray line = m_buffer.left(nl + 1);
        m_buffer.remove(0, nl + 1);
        line.chop(line.endsWith("\r\n") ? 2 : 1);
        m_clientLines.append(line);
        Q_EMIT clientLine(line);
    }
}

void FakeSmtpServer::finish()
{
    if (m_finished)
        return;
    m_finished = true;
    trace(port(),
          m_hung ? QStringLiteral("HANG: script finished") : QStringLiteral("script finished"));
    Q_EMIT finished();
    handleExtraData();
}

void FakeSmtpServer::fail(const QString &reason)
{
    if (!m_failure.isEmpty())
        return;
    m_failure = reason;
    trace(port(), QStringLiteral("FAILED: ") + reason);
    m_busy = false;
    m_pieces.clear();
    m_timer->stop();
    if (QSslSocket *socket = m_socket) {
        m_socket = nullptr;
        socket->disconnectFromHost();
    }
    Q_EMIT failed(reason);
}

QString FakeSmtpServer::describeWaitState() const
{
    QString where;
    if (m_needConnection) {
        where = m_connectionCount == 0
                    ? QStringLiteral("timed out waiting for a client to connect")
                    : QStringLiteral("timed out waiting for client connection #%1 (ACCEPT)")
                          .arg(m_connectionCount + 1);
    } else if (m_tlsState == Handshaking) {
        where =
            m_tlsLine > 0
                ? QStringLiteral("timed out in the TLS handshake started at line %1").arg(m_tlsLine)
                : QStringLiteral("timed out in the implicit TLS handshake");
    } else if (m_chunkRemaining >= 0) {
        where = QStringLiteral("timed out at line %1 with %2 BDAT chunk octets missing")
                    .arg(m_sendLine)
                    .arg(m_chunkRemaining);
    } else if (m_index < m_steps.size()) {
        const Step &s = m_steps.at(m_index);
        switch (s.kind) {
        case Step::Expect:
            where = QStringLiteral("timed out at line %1 waiting for a client line matching '%2'")
                        .arg(s.line)
                        .arg(QString::fromUtf8(s.bytes));
            break;
        case Step::Data:
            where = QStringLiteral("timed out at line %1 waiting for the end of DATA (CRLF.CRLF)")
                        .arg(s.line);
            break;
        case Step::ExpectClose:
            where =
                QStringLiteral("timed out at line %1 waiting for the client to close").arg(s.line);
            break;
        case Step::StartTls:
            where = QStringLiteral("timed out at line %1 waiting for the client's TLS handshake")
                        .arg(s.line);
            break;
        case Step::ExpectTlsFail:
            where = QStringLiteral("timed out at line %1: the TLS handshake succeeded and the"
                                   " client neither closed nor sent data")
                        .arg(s.line);
            break;
        default:
            where = QStringLiteral("timed out at line %1").arg(s.line);
        }
    } else {
        where = QStringLiteral("timed out after the last directive");
    }
    if (!m_buffer.isEmpty())
        where += QStringLiteral("; unconsumed client data: '%1'").arg(printable(m_buffer));
    return where;
}
