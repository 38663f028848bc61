#include "systemproxy.h"

#include <QNetworkProxyFactory>

namespace ssmtp::transport {

ProxySettings applySystemProxy(const ProxySettings &configured, const QString &host, quint16 port)
{
    ProxySettings result = configured;
    result.autoDetect = false;
    if (!configured.autoDetect)
        return result;
    // Qt's lookup is what QNetworkAccessManager uses; it is quick for environment settings.
    const QList<QNetworkProxy> proxies = QNetworkProxyFactory::systemProxyForQuery(
        QNetworkProxyQuery(host, port, QStringLiteral("smtp"), QNetworkProxyQuery::TcpSocket));
    for (const QNetworkProxy &proxy : proxies) {
        int type = ProxySettings::None;
        if (proxy.type() == QNetworkProxy::HttpProxy)
            type = ProxySettings::Tunnel;
        else if (proxy.type() == QNetworkProxy::Socks5Proxy)
            type = ProxySettings::Socks5;
        else if (proxy.type() == QNetworkProxy::NoProxy)
            return result; // the system says: connect directly
        else
            continue; // caching-only proxies cannot tunnel SMTP
        // The configured credentials and headers belong to the configured firewall: they go to
        // the detected proxy only when that is the same one (or none was configured by host).
        const bool sameProxy =
            configured.host.isEmpty() ||
            (configured.host.compare(proxy.hostName(), Qt::CaseInsensitive) == 0 &&
             configured.type == type && (configured.port == 0 || configured.port == proxy.port()));
        if (!sameProxy) {
            result.user.clear();
            result.password.clear();
            result.extraHeaders.clear();
        }
        result.type = type;
        result.host = proxy.hostName();
        result.port = proxy.port();
        if (!proxy.user().isEmpty()) {
            result.user = proxy.user();
            result.password = proxy.password();
        }
        // Qt marks the SOCKS5 proxies it would hand names to; do the same.
        result.remoteResolve =
            configured.remoteResolve ||
            proxy.capabilities().testFlag(QNetworkProxy::HostNameLookupCapability);
        return result;
    }
    return result;
}

} // namespace ssmtp::transport
