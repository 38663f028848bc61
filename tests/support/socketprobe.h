// Reads what the kernel holds for a TCP connection of this process (Linux), so that tests can
// check that socket settings took effect: socket options, TCP_INFO, the descriptor of a
// connection found by its ports, its timer in /proc/net/tcp, and how the peer ended it. Also
// the loopback addresses and a free port to bind to.
#pragma once

#include <QByteArray>
#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QHostAddress>
#include <QList>
#include <QTcpServer>
#include <QTest>

#include <cerrno>
#include <fcntl.h>
#include <functional>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <optional>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>
#include <utility>

namespace socketprobe {

inline const QHostAddress V4(QStringLiteral("127.0.0.1"));
inline const QHostAddress V6(QStringLiteral("::1"));

inline bool hasIPv6Loopback()
{
    QTcpServer probe;
    return probe.listen(V6, 0);
}

// A port that is free on 127.0.0.2 right now, 0 if none could be found.
// A port free on every address (the wildcard of both families), so a test may bind it to
// 127.0.0.2, to 0.0.0.0 or to ::.
inline quint16 freePort()
{
    QTcpServer probe;
    return probe.listen(QHostAddress(QHostAddress::Any), 0) ? probe.serverPort() : 0;
}

inline int intOption(int fd, int level, int name)
{
    int value = -1;
    socklen_t size = sizeof value;
    return ::getsockopt(fd, level, name, &value, &size) == 0 ? value : -1;
}

inline linger lingerOption(int fd)
{
    linger l{-1, -1};
    socklen_t size = sizeof l;
    ::getsockopt(fd, SOL_SOCKET, SO_LINGER, &l, &size);
    return l;
}

inline tcp_info tcpInfo(int fd)
{
    tcp_info info{};
    socklen_t size = sizeof info;
    ::getsockopt(fd, IPPROTO_TCP, TCP_INFO, &info, &size);
    return info;
}

// An integer from /proc/sys (e.g. "net/ipv4/tcp_keepalive_time"), -1 if unreadable.
inline int sysctl(const char *name)
{
    QFile file(QLatin1String("/proc/sys/") + QLatin1String(name));
    if (!file.open(QIODevice::ReadOnly))
        return -1;
    bool ok = false;
    const int value = file.readAll().trimmed().toInt(&ok);
    return ok ? value : -1;
}

inline quint16 portOf(const sockaddr_storage &address)
{
    if (address.ss_family == AF_INET)
        return ntohs(reinterpret_cast<const sockaddr_in &>(address).sin_port);
    if (address.ss_family == AF_INET6)
        return ntohs(reinterpret_cast<const sockaddr_in6 &>(address).sin6_port);
    return 0;
}

// The address and port at the other end of fd.
inline QHostAddress peerAddress(int fd, quint16 *port = nullptr)
{
    sockaddr_storage peer{};
    socklen_t size = sizeof peer;
    if (::getpeername(fd, reinterpret_cast<sockaddr *>(&peer), &size) != 0)
        return {};
    if (port)
        *port = portOf(peer);
    return QHostAddress(reinterpret_cast<const sockaddr *>(&peer));
}

// The descriptor this process holds for the TCP connection from localPort to peerPort, or
// -1: the way to reach a socket that the code under test keeps private.
inline int findConnection(quint16 localPort, quint16 peerPort)
{
    const QStringList entries =
        QDir(QStringLiteral("/proc/self/fd")).entryList(QDir::AllEntries | QDir::System);
    for (const QString &entry : entries) {
        bool ok = false;
        const int fd = entry.toInt(&ok);
        struct stat st
        {
        };
        if (!ok || ::fstat(fd, &st) != 0 || !S_ISSOCK(st.st_mode))
            continue;
        sockaddr_storage local{}, peer{};
        socklen_t localSize = sizeof local, peerSize = sizeof peer;
        if (::getsockname(fd, reinterpret_cast<sockaddr *>(&local), &localSize) != 0 ||
            ::getpeername(fd, reinterpret_cast<sockaddr *>(&peer), &peerSize) != 0)
            continue;
        if (portOf(local) == localPort && portOf(peer) == peerPort)
            return fd;
    }
    return -1;
}

// The connection's timer as /proc/net/tcp(6) shows it (what `ss -o` prints): kind 0 none,
// 1 retransmit, 2 keep-alive, 4 zero-window probe; seconds until it fires.
struct Timer
{
    int kind = -1;
    double seconds = 0;
};

inline std::optional<Timer> connectionTimer(quint16 localPort, quint16 peerPort)
{
    const QByteArray local =
        ':' + QByteArray::number(localPort, 16).toUpper().rightJustified(4, '0');
    const QByteArray peer = ':' + QByteArray::number(peerPort, 16).toUpper().rightJustified(4, '0');
    for (const char *table : {"/proc/net/tcp", "/proc/net/tcp6"}) {
        QFile file{QLatin1String(table)};
        if (!file.open(QIODevice::ReadOnly))
            continue;
        const QList<QByteArray> lines = file.readAll().split('\n');
        for (const QByteArray &line : lines) {
            // sl local rem st tx:rx tr:when ...
            const QList<QByteArray> f = line.simplified().split(' ');
            if (f.size() < 6 || !f.at(1).endsWith(local) || !f.at(2).endsWith(peer))
                continue;
            const QList<QByteArray> timer = f.at(5).split(':');
            if (timer.size() != 2)
                continue;
            Timer t;
            t.kind = timer.at(0).toInt(nullptr, 16);
            t.seconds =
                double(timer.at(1).toLongLong(nullptr, 16)) / double(::sysconf(_SC_CLK_TCK));
            return t;
        }
    }
    return std::nullopt;
}

// How the peer of `fd` (non-blocking) has ended the connection so far; reads and drops data.
enum class PeerEnd { Open, Fin, Reset, Error };

inline PeerEnd peerEnd(int fd)
{
    char buffer[4096];
    for (;;) {
        const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
        if (n > 0)
            continue;
        if (n == 0)
            return PeerEnd::Fin;
        if (errno == EINTR)
            continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK)
            return PeerEnd::Open;
        return errno == ECONNRESET ? PeerEnd::Reset : PeerEnd::Error;
    }
}

// Runs the event loop until the peer of fd ends the connection (Open after msecs). The first
// answer is the one that counts: after ECONNRESET, recv() returns 0.
inline PeerEnd waitForPeerEnd(int fd, int msecs = 5000)
{
    const QDeadlineTimer deadline(msecs);
    for (;;) {
        const PeerEnd end = peerEnd(fd);
        if (end != PeerEnd::Open || deadline.hasExpired())
            return end;
        QTest::qWait(5);
    }
}

// A QTcpServer that hands out the accepted descriptors themselves (non-blocking), so a test
// sees the raw end of a connection: FIN (recv 0) and RST (ECONNRESET) look alike to
// QTcpSocket.
class RawAcceptServer : public QTcpServer
{
public:
    using QTcpServer::QTcpServer;
    ~RawAcceptServer() override
    {
        for (const int fd : std::as_const(m_descriptors))
            ::close(fd);
    }
    // Called for each accepted descriptor (it stays in descriptors()).
    std::function<void(int)> onAccepted;
    // Accepted descriptors not taken yet; the caller owns (and closes) a taken one.
    QList<int> descriptors() const { return m_descriptors; }
    int take() { return m_descriptors.isEmpty() ? -1 : m_descriptors.takeFirst(); }

protected:
    void incomingConnection(qintptr descriptor) override
    {
        const int fd = int(descriptor);
        ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
        m_descriptors.append(fd);
        if (onAccepted)
            onAccepted(fd);
    }

private:
    QList<int> m_descriptors;
};

} // namespace socketprobe
