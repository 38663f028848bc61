#include "connector.h"

#include "httpconnect.h"
#include "protocol/errorcodes.h"
#include "socks4.h"
#include "socks5.h"
#include "systemproxy.h"

#include <QHostInfo>
#include <QNetworkProxy>
#include <QUrl>

namespace ssmtp::transport {

namespace errc = protocol::errc;

namespace {

// The longest SOCKS reply: VER REP RSV ATYP, a 255-octet domain name with its length, PORT.
constexpr qsizetype MaxSocksReply = 4 + 1 + 255 + 2;

QString hostPort(const QString &host, quint16 port)
{
    const bool ipv6 = host.contains(QLatin1Char(':'));
    return (ipv6 ? QLatin1Char('[') + host + QLatin1Char(']') : host) + QLatin1Char(':') +
           QString::number(port);
}

// A name as the proxy should see it: IDN names as A-labels.
QByteArray asciiName(const QString &host)
{
    const QByteArray ace = QUrl::toAce(host);
    return ace.isEmpty() ? host.toUtf8() : ace;
}

} // namespace

Connector::Connector(QObject *parent)
    : QObject(parent)
{}

Connector::~Connector()
{
    cancel();
}

void Connector::connectToHost(QAbstractSocket *socket, const QString &host, quint16 port,
                              const ProxySettings &proxy,
                              QAbstractSocket::NetworkLayerProtocol protocol)
{
    cancel();
    m_socket = socket;
    m_host = host;
    m_port = port;
    m_protocol = protocol;
    m_target = QHostAddress();
    m_proxy = applySystemProxy(proxy, host, port);
    // Our own handshakes run over a plain connection to the proxy; and without a firewall an
    // application-wide QNetworkProxy must not apply either.
    socket->setProxy(QNetworkProxy::NoProxy);
    connect(socket, &QAbstractSocket::connected, this, &Connector::onConnected);
    if (!m_proxy.isActive()) {
        m_stage = Stage::Direct;
        socket->connectToHost(host, port, QIODevice::ReadWrite, protocol);
        return;
    }
    startFirewall();
}

void Connector::cancel()
{
    detach();
    m_socket = nullptr;
    m_stage = Stage::Idle;
    m_step = Step::None;
    ++m_attempt;
}

bool Connector::isFirewallPhase() const
{
    return m_stage == Stage::Resolving || m_stage == Stage::ConnectingToProxy ||
           m_stage == Stage::Handshake;
}

void Connector::startFirewall()
{
    const int type = m_proxy.type;
    const bool socks4 = type == ProxySettings::Socks4 || type == ProxySettings::Socks4A;
    m_stage = Stage::Resolving; // a firewall phase from here on, also for the failures below
    // Failures found before any I/O are reported from the event loop, like every other
    // outcome of connectToHost().
    auto failLater = [this](int error, const QString &text) {
        const quint64 attempt = m_attempt;
        QMetaObject::invokeMethod(
            this,
            [this, attempt, error, text] {
                if (attempt == m_attempt)
                    fail(error, text);
            },
            Qt::QueuedConnection);
    };
    if (type != ProxySettings::Tunnel && type != ProxySettings::Socks5 && !socks4) {
        failLater(errc::Firewall, tr("Unknown firewall type %1.").arg(type));
        return;
    }
    if (type == ProxySettings::Tunnel) {
        connectToProxy(); // the proxy always gets the name
        return;
    }
    QHostAddress literal;
    if (literal.setAddress(m_host)) {
        bool isIPv4 = false;
        literal.toIPv4Address(&isIPv4);
        if (socks4 && !isIPv4) {
            failLater(errc::Firewall,
                      tr("A SOCKS4 firewall can only reach IPv4 addresses, not %1; use SOCKS5.")
                          .arg(m_host));
            return;
        }
        m_target = literal;
        connectToProxy();
        return;
    }
    // SOCKS4A sends the name; SOCKS5 and SOCKS4 resolve here unless the mail server was given
    // as "*name" (then SOCKS4 uses the 4A form).
    if (type == ProxySettings::Socks4A || m_proxy.remoteResolve) {
        connectToProxy();
        return;
    }
    const quint64 attempt = m_attempt;
    m_lookupId = QHostInfo::lookupHost(m_host, this, [this, attempt](const QHostInfo &info) {
        if (attempt == m_attempt && m_stage == Stage::Resolving)
            onLookupDone(info);
    });
}

void Connector::onLookupDone(const QHostInfo &info)
{
    m_lookupId = -1;
    if (info.error() != QHostInfo::NoError || info.addresses().isEmpty()) {
        fail(errc::HostNotFound,
             tr("The mail server %1 was not found: %2").arg(m_host, info.errorString()));
        return;
    }
    const bool socks4 = m_proxy.type != ProxySettings::Socks5;
    const QAbstractSocket::NetworkLayerProtocol wanted =
        socks4 ? QAbstractSocket::IPv4Protocol : m_protocol;
    for (const QHostAddress &address : info.addresses()) {
        if (wanted == QAbstractSocket::AnyIPProtocol || address.protocol() == wanted) {
            m_target = address;
            break;
        }
    }
    if (m_target.isNull()) {
        if (socks4) {
            fail(errc::Firewall,
                 tr("The mail server %1 has no IPv4 address, and a SOCKS4 firewall can only "
                    "reach IPv4 addresses; use SOCKS4A or SOCKS5, or write the mail server as "
                    "\"*%1\" to let the firewall resolve the name.")
                     .arg(m_host));
        } else {
            fail(errc::HostNotFound,
                 tr("The mail server %1 has no address of the IP version the UseIPv6 setting "
                    "asks for.")
                     .arg(m_host));
        }
        return;
    }
    connectToProxy();
}

void Connector::connectToProxy()
{
    m_stage = Stage::ConnectingToProxy;
    connect(m_socket, &QAbstractSocket::errorOccurred, this, &Connector::onSocketError);
    connect(m_socket, &QAbstractSocket::disconnected, this, &Connector::onDisconnected);
    // A literal proxy address has its own IP version; a name follows the UseIPv6 setting.
    QHostAddress literal;
    const QAbstractSocket::NetworkLayerProtocol protocol =
        literal.setAddress(m_proxy.host) ? QAbstractSocket::AnyIPProtocol : m_protocol;
    m_socket->connectToHost(m_proxy.host, m_proxy.effectivePort(), QIODevice::ReadWrite, protocol);
}

void Connector::onConnected()
{
    if (m_stage == Stage::Direct) {
        detach();
        m_stage = Stage::Idle;
        Q_EMIT established();
        return;
    }
    if (m_stage != Stage::ConnectingToProxy)
        return;
    m_stage = Stage::Handshake;
    connect(m_socket, &QIODevice::readyRead, this, &Connector::onReadyRead);
    QByteArray request;
    const QByteArray user = m_proxy.user.toUtf8();
    switch (m_proxy.type) {
    case ProxySettings::Tunnel:
        m_step = Step::HttpResponse;
        request = httpconnect::request(m_host, m_port, m_proxy.user, m_proxy.password,
                                       m_proxy.extraHeaders);
        break;
    case ProxySettings::Socks4:
    case ProxySettings::Socks4A:
        m_step = Step::Socks4Reply;
        request = m_target.isNull()
                      ? socks4::connectRequestByName(asciiName(m_host), m_port, user)
                      : socks4::connectRequest(m_target.toIPv4Address(), m_port, user);
        break;
    default:
        m_step = Step::Socks5Method;
        request = socks5::greeting(!m_proxy.user.isEmpty());
        break;
    }
    if (request.isEmpty()) {
        fail(errc::Firewall,
             tr("The mail server's name or the firewall's user cannot be sent to a %1 "
                "firewall (empty, too long, or containing blanks or control characters).")
                 .arg(protocolName()));
        return;
    }
    m_socket->write(request);
    if (m_socket->bytesAvailable() > 0)
        onReadyRead();
}

void Connector::onReadyRead()
{
    // Replies are read by peeking and consumed exactly, so the SMTP greeting that may follow
    // in the same segment stays in the socket for the session.
    while (m_stage == Stage::Handshake && m_socket && m_socket->bytesAvailable() > 0) {
        const bool http = m_step == Step::HttpResponse;
        const QByteArray data =
            m_socket->peek(http ? httpconnect::MaxResponseHeader : MaxSocksReply);
        ProxyReply reply;
        switch (m_step) {
        case Step::Socks4Reply:
            reply = socks4::parseReply(data);
            break;
        case Step::Socks5Method:
            reply = socks5::parseMethodReply(data, !m_proxy.user.isEmpty());
            break;
        case Step::Socks5Auth:
            reply = socks5::parsePasswordReply(data);
            break;
        case Step::Socks5Connect:
            reply = socks5::parseConnectReply(data);
            break;
        case Step::HttpResponse:
            reply = httpconnect::parseResponse(data);
            break;
        case Step::None:
            return;
        }
        if (reply.status == ProxyReply::Incomplete || !handleReply(reply))
            return;
    }
}

bool Connector::handleReply(const ProxyReply &reply)
{
    if (reply.status == ProxyReply::Malformed) {
        fail(errc::Firewall, tr("The firewall %1 broke the %2 protocol: %3.")
                                 .arg(firewallName(), protocolName(), reply.text));
        return false;
    }
    if (reply.status == ProxyReply::Refused) {
        QString text;
        switch (m_step) {
        case Step::Socks4Reply:
            text = tr("The SOCKS4 firewall %1 refused the connection to %2: %3 (code %4).")
                       .arg(firewallName(), targetName(), reply.text)
                       .arg(reply.code);
            break;
        case Step::Socks5Connect:
            text = tr("The SOCKS5 firewall %1 could not connect to %2: %3 (code %4).")
                       .arg(firewallName(), targetName(), reply.text)
                       .arg(reply.code);
            break;
        case Step::HttpResponse:
            text = tr("The HTTP proxy %1 refused the tunnel to %2: %3.")
                       .arg(firewallName(), targetName(), reply.text);
            if (reply.code == 407 || reply.code == 401) { // tinyproxy: 401 for bad credentials
                text += QLatin1Char(' ') +
                        (m_proxy.user.isEmpty()
                             ? tr("It requires authentication: set the firewall's user and "
                                  "password.")
                             : tr("It did not accept the firewall's user name and password."));
            }
            break;
        default:
            text = tr("The SOCKS5 firewall %1 refused the connection: %2.")
                       .arg(firewallName(), reply.text);
            break;
        }
        fail(errc::Firewall, text);
        return false;
    }
    m_socket->skip(reply.length);
    switch (m_step) {
    case Step::Socks5Method:
        if (reply.code == socks5::MethodPassword) {
            const QByteArray request =
                socks5::passwordRequest(m_proxy.user.toUtf8(), m_proxy.password.toUtf8());
            if (request.isEmpty()) {
                fail(errc::Firewall, tr("The firewall's user name and password must each be at "
                                        "most 255 bytes long for SOCKS5."));
                return false;
            }
            m_step = Step::Socks5Auth;
            m_socket->write(request);
            return true;
        }
        sendSocks5Connect();
        return m_stage == Stage::Handshake;
    case Step::Socks5Auth:
        sendSocks5Connect();
        return m_stage == Stage::Handshake;
    default:
        complete();
        return false;
    }
}

void Connector::sendSocks5Connect()
{
    const QByteArray request = m_target.isNull()
                                   ? socks5::connectRequestByName(asciiName(m_host), m_port)
                                   : socks5::connectRequest(m_target, m_port);
    if (request.isEmpty()) {
        fail(errc::Firewall, tr("The mail server's name %1 is too long for SOCKS5.").arg(m_host));
        return;
    }
    m_step = Step::Socks5Connect;
    m_socket->write(request);
}

void Connector::onSocketError(QAbstractSocket::SocketError error)
{
    if (!isFirewallPhase() || !m_socket)
        return;
    // The proxy's last words may have come with the close: a refusal says more than the close.
    if (m_stage == Stage::Handshake && m_socket->bytesAvailable() > 0) {
        onReadyRead();
        if (!isFirewallPhase())
            return;
    }
    QString text;
    if (m_stage == Stage::ConnectingToProxy) {
        text = tr("Cannot connect to the firewall %1: %2")
                   .arg(firewallName(), m_socket->errorString());
    } else if (error == QAbstractSocket::RemoteHostClosedError) {
        text = tr("The firewall %1 closed the connection during the %2 handshake.")
                   .arg(firewallName(), protocolName());
        // The spec's ConnectionStatus event for it; the failure follows.
        const quint64 attempt = m_attempt;
        Q_EMIT connectionStatus(QStringLiteral("Firewall host disconnected"), errc::Firewall, text);
        if (attempt != m_attempt || !isFirewallPhase())
            return; // a slot cancelled
    } else {
        text = tr("The connection to the firewall %1 failed during the %2 handshake: %3")
                   .arg(firewallName(), protocolName(), m_socket->errorString());
    }
    fail(errc::Firewall, text);
}

void Connector::onDisconnected()
{
    onSocketError(QAbstractSocket::RemoteHostClosedError);
}

void Connector::complete()
{
    detach();
    m_stage = Stage::Idle;
    m_step = Step::None;
    const quint64 attempt = m_attempt;
    Q_EMIT connectionStatus(QStringLiteral("Firewall connection complete"), 0,
                            QStringLiteral("OK"));
    if (attempt != m_attempt)
        return; // a slot cancelled
    Q_EMIT established();
}

void Connector::fail(int error, const QString &description)
{
    detach();
    m_stage = Stage::Idle;
    m_step = Step::None;
    ++m_attempt;
    Q_EMIT failed(error, description);
}

void Connector::detach()
{
    if (m_lookupId >= 0) {
        QHostInfo::abortHostLookup(m_lookupId);
        m_lookupId = -1;
    }
    if (m_socket)
        disconnect(m_socket, nullptr, this, nullptr);
}

QString Connector::firewallName() const
{
    return hostPort(m_proxy.host, m_proxy.effectivePort());
}

QString Connector::protocolName() const
{
    switch (m_proxy.type) {
    case ProxySettings::Tunnel:
        return QStringLiteral("HTTP CONNECT");
    case ProxySettings::Socks4:
        return m_target.isNull() ? QStringLiteral("SOCKS4A") : QStringLiteral("SOCKS4");
    case ProxySettings::Socks4A:
        return QStringLiteral("SOCKS4A");
    default:
        return QStringLiteral("SOCKS5");
    }
}

QString Connector::targetName() const
{
    return hostPort(m_host, m_port);
}

} // namespace ssmtp::transport
