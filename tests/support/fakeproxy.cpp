#include "fakeproxy.h"

#include <QHostAddress>
#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>
#include <QtEndian>

// One client connection: the handshake, then the relay to the target.
class FakeProxyConnection : public QObject
{
public:
    FakeProxyConnection(FakeProxy *proxy, QTcpSocket *client)
        : QObject(proxy)
        , m_proxy(proxy)
        , m_client(client)
        , m_index(int(proxy->m_handshakes.size()))
    {
        proxy->m_handshakes.append(QByteArray());
        client->setParent(this);
        connect(client, &QTcpSocket::readyRead, this, [this] { onClientData(); });
        connect(client, &QTcpSocket::disconnected, this, [this] { finish(); });
    }

private:
    enum class Stage { Request, Socks5Auth, Socks5Connect, Connecting, Relay, Done };

    const FakeProxy::Options &options() const { return m_proxy->m_options; }

    void onClientData()
    {
        if (m_stage == Stage::Relay) {
            const QByteArray data = m_client->readAll();
            m_proxy->m_relayedUp += data.size();
            if (m_target)
                m_target->write(data);
            return;
        }
        if (m_stage == Stage::Connecting || m_stage == Stage::Done)
            return; // the handshake is over; a client must not send before the reply
        const QByteArray data = m_client->readAll();
        m_buffer += data;
        m_proxy->m_handshakes[m_index] += data;
        if (options().closeMidHandshake) {
            close();
            return;
        }
        switch (options().protocol) {
        case FakeProxy::Socks4:
            socks4();
            break;
        case FakeProxy::Socks5:
            socks5();
            break;
        case FakeProxy::Http:
            http();
            break;
        }
    }

    void socks4()
    {
        // VN CD DSTPORT DSTIP USERID NUL [HOST NUL]
        const qsizetype userEnd = m_buffer.indexOf('\0', 8);
        if (m_buffer.size() < 9 || userEnd < 0)
            return;
        const auto ip = qFromBigEndian<quint32>(m_buffer.constData() + 4);
        QByteArray host;
        if (ip > 0 && ip < 256) { // 0.0.0.x: SOCKS4A, the name follows
            const qsizetype hostEnd = m_buffer.indexOf('\0', userEnd + 1);
            if (hostEnd < 0)
                return;
            host = m_buffer.mid(userEnd + 1, hostEnd - userEnd - 1);
        } else {
            host = QHostAddress(ip).toString().toLatin1();
        }
        m_proxy->m_requestedUser = m_buffer.mid(8, userEnd - 8);
        record(host, qFromBigEndian<quint16>(m_buffer.constData() + 2));
        QByteArray reply(8, '\0');
        reply[1] = char(options().socks4Code);
        if (options().socks4Code != 90) {
            m_client->write(reply);
            close();
            return;
        }
        openTarget(reply);
    }

    void socks5()
    {
        if (m_stage == Stage::Request) {
            if (m_buffer.size() < 2 || m_buffer.size() < 2 + quint8(m_buffer.at(1)))
                return;
            const QByteArray methods = m_buffer.mid(2, quint8(m_buffer.at(1)));
            m_buffer.remove(0, 2 + methods.size());
            const char wanted = options().user.isEmpty() ? '\x00' : '\x02';
            if (!methods.contains(wanted)) {
                m_client->write(QByteArray::fromHex("05ff"));
                close();
                return;
            }
            m_client->write(QByteArray("\x05", 1) + wanted);
            m_stage = wanted == '\x02' ? Stage::Socks5Auth : Stage::Socks5Connect;
        }
        if (m_stage == Stage::Socks5Auth) {
            if (m_buffer.size() < 2 || m_buffer.size() < 3 + quint8(m_buffer.at(1)))
                return;
            const int ulen = quint8(m_buffer.at(1));
            const int plen = quint8(m_buffer.at(2 + ulen));
            if (m_buffer.size() < 3 + ulen + plen)
                return;
            const QByteArray user = m_buffer.mid(2, ulen);
            const QByteArray password = m_buffer.mid(3 + ulen, plen);
            m_buffer.remove(0, 3 + ulen + plen);
            m_proxy->m_requestedUser = user;
            if (user != options().user || password != options().password) {
                m_client->write(QByteArray::fromHex("0101"));
                close();
                return;
            }
            m_client->write(QByteArray::fromHex("0100"));
            m_stage = Stage::Socks5Connect;
        }
        if (m_stage == Stage::Socks5Connect) {
            if (m_buffer.size() < 5)
                return;
            const int atyp = quint8(m_buffer.at(3));
            const int addressLength = atyp == 1 ? 4 : atyp == 4 ? 16 : 1 + quint8(m_buffer.at(4));
            if (m_buffer.size() < 4 + addressLength + 2)
                return;
            QByteArray host;
            if (atyp == 1)
                host = QHostAddress(qFromBigEndian<quint32>(m_buffer.constData() + 4))
                           .toString()
                           .toLatin1();
            else if (atyp == 4)
                host = QHostAddress(reinterpret_cast<const quint8 *>(m_buffer.constData() + 4))
                           .toString()
                           .toLatin1();
            else
                host = m_buffer.mid(5, addressLength - 1);
            record(host, qFromBigEndian<quint16>(m_buffer.constData() + 4 + addressLength));
            QByteArray reply;
            reply += '\x05'; // VER
            reply += char(options().socks5Rep);
            reply += '\0'; // RSV
            reply += char(options().socks5BoundType);
            if (options().socks5BoundType == 4) {
                reply += QByteArray::fromHex("20010db8000000000000000000000001");
            } else if (options().socks5BoundType == 3) {
                reply += char(17);
                reply += "bound.example.org";
            } else {
                reply += QByteArray::fromHex("0a000001");
            }
            reply += QByteArray::fromHex("1092"); // bound port 4242
            if (options().socks5Rep != 0) {
                m_client->write(reply);
                close();
                return;
            }
            openTarget(reply);
        }
    }

    void http()
    {
        const qsizetype end = m_buffer.indexOf("\r\n\r\n");
        if (end < 0)
            return;
        const QByteArray head = m_buffer.left(end);
        const QList<QByteArray> lines = head.split('\n');
        const QList<QByteArray> words = lines.value(0).trimmed().split(' ');
        const QByteArray authority = words.value(1);
        const qsizetype colon = authority.lastIndexOf(':');
        QByteArray host = authority.left(colon);
        if (host.startsWith('[') && host.endsWith(']'))
            host = host.mid(1, host.size() - 2);
        record(host, quint16(authority.mid(colon + 1).toUInt()));
        if (!options().user.isEmpty()) {
            const QByteArray expected =
                "proxy-authorization: basic " +
                QByteArray(options().user + ':' + options().password).toBase64();
            bool authorized = false;
            for (const QByteArray &line : lines)
                authorized = authorized || line.trimmed().toLower() == expected.toLower();
            if (!authorized) {
                m_client->write("HTTP/1.1 407 Proxy Authentication Required\r\n"
                                "Proxy-Authenticate: Basic realm=\"fake\"\r\nContent-Length: 0\r\n"
                                "\r\n");
                close();
                return;
            }
        }
        if (options().httpEndlessHeaders) {
            m_stage = Stage::Done;
            m_client->write(options().httpStatusLine + "\r\n");
            auto *timer = new QTimer(this);
            connect(timer, &QTimer::timeout, this, [this] {
                // Keep about 64 KiB in flight; a client that stopped reading has failed.
                if (m_client->bytesToWrite() > 65536)
                    return;
                const QByteArray line = "X-Endless: " + QByteArray(4000, 'a') + "\r\n";
                m_proxy->m_endlessBytes += line.size();
                m_client->write(line);
            });
            timer->start(0);
            return;
        }
        const QByteArray reply = options().httpStatusLine + "\r\n" + options().httpHeaders + "\r\n";
        const int status = options().httpStatusLine.split(' ').value(1).toInt();
        if (status < 200 || status >= 300) {
            m_client->write(reply);
            close();
            return;
        }
        openTarget(reply);
    }

    void record(const QByteArray &host, quint16 port)
    {
        m_proxy->m_requestedHost = host;
        m_proxy->m_requestedPort = port;
    }

    // Connects to the requested target, then answers with `reply` (and the target's first
    // bytes when coalescing) and relays.
    void openTarget(const QByteArray &reply)
    {
        m_stage = Stage::Connecting;
        m_reply = reply;
        m_target = new QTcpSocket(this);
        connect(m_target, &QTcpSocket::connected, this, [this] {
            // Coalescing waits briefly for the target's first bytes: a server that waits for
            // the client (implicit TLS) gets the reply sent alone.
            QTimer::singleShot(options().coalesceGreeting ? 200 : 0, this, [this] {
                if (m_stage == Stage::Connecting)
                    startRelay(QByteArray());
            });
        });
        connect(m_target, &QTcpSocket::readyRead, this, [this] {
            const QByteArray data = m_target->readAll();
            if (m_stage == Stage::Connecting)
                startRelay(data);
            else
                m_client->write(data);
        });
        connect(m_target, &QTcpSocket::disconnected, this, [this] { close(); });
        connect(m_target, &QTcpSocket::errorOccurred, this, [this] {
            if (m_stage == Stage::Connecting)
                close();
        });
        QString host = QString::fromLatin1(m_proxy->m_requestedHost);
        m_target->connectToHost(host, m_proxy->m_requestedPort);
    }

    void startRelay(const QByteArray &first)
    {
        m_stage = Stage::Relay;
        ++m_proxy->m_tunnels;
        m_client->write(m_reply + first);
        if (m_client->bytesAvailable() > 0)
            onClientData();
    }

    void close()
    {
        m_stage = Stage::Done;
        m_client->disconnectFromHost();
        if (m_target)
            m_target->disconnectFromHost();
    }

    void finish()
    {
        m_stage = Stage::Done;
        if (m_target)
            m_target->disconnectFromHost();
        deleteLater();
    }

    FakeProxy *m_proxy;
    QTcpSocket *m_client;
    QPointer<QTcpSocket> m_target;
    int m_index;
    Stage m_stage = Stage::Request;
    QByteArray m_buffer;
    QByteArray m_reply;
};

FakeProxy::FakeProxy(const Options &options, QObject *parent)
    : QObject(parent)
    , m_options(options)
    , m_server(new QTcpServer(this))
{
    connect(m_server, &QTcpServer::newConnection, this, [this] {
        while (QTcpSocket *client = m_server->nextPendingConnection())
            new FakeProxyConnection(this, client);
    });
}

FakeProxy::~FakeProxy() = default;

quint16 FakeProxy::listen(const QHostAddress &address)
{
    if (!m_server->listen(address, 0))
        return 0;
    return m_server->serverPort();
}

quint16 FakeProxy::port() const
{
    return m_server->serverPort();
}
