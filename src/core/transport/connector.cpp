#include "connector.h"

namespace ssmtp::transport {

Connector::Connector(QObject *parent)
    : QObject(parent)
{}

Connector::~Connector() = default;

void Connector::connectToHost(QAbstractSocket *socket, const QString &host, quint16 port,
                              const ProxySettings &proxy,
                              QAbstractSocket::NetworkLayerProtocol protocol)
{
    cancel();
    m_socket = socket;
    m_proxy = proxy;
    m_host = host;
    m_port = port;
    m_connecting = true;
    connect(socket, &QAbstractSocket::connected, this, &Connector::onConnected);
    socket->connectToHost(host, port, QIODevice::ReadWrite, protocol);
}

void Connector::cancel()
{
    if (m_socket)
        disconnect(m_socket, nullptr, this, nullptr);
    m_socket = nullptr;
    m_connecting = false;
}

void Connector::onConnected()
{
    if (!m_connecting)
        return;
    m_connecting = false;
    disconnect(m_socket, nullptr, this, nullptr);
    Q_EMIT established();
}

} // namespace ssmtp::transport
