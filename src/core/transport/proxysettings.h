// The firewall (proxy) to connect through: the spec's Firewall type and Firewall* settings,
// copied into the session settings when an operation starts.
#pragma once

#include <QByteArray>
#include <QString>

namespace ssmtp::transport {

struct ProxySettings
{
    // The spec's FirewallTypes values.
    enum Type { None = 0, Tunnel = 1, Socks4 = 2, Socks5 = 3, Socks4A = 10 };

    bool autoDetect = false; // use the system proxy settings (QNetworkProxyFactory)
    int type = None;
    QString host;
    quint16 port = 0; // 0: the type's default (80 tunnel, 1080 SOCKS)
    QString user;
    QString password;
    QByteArray extraHeaders; // FirewallData: extra HTTP CONNECT header lines, each ending CRLF
    // MailServer was given as "*name": a SOCKS firewall gets the name unresolved and resolves
    // it itself (SOCKS4 then uses the 4A form). Without it SOCKS4 and SOCKS5 resolve locally.
    bool remoteResolve = false;

    bool isActive() const { return autoDetect || (type != None && !host.isEmpty()); }
    quint16 effectivePort() const
    {
        if (port != 0)
            return port;
        return type == Tunnel ? 80 : 1080;
    }
};

} // namespace ssmtp::transport
