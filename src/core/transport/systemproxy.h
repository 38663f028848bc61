// FirewallAutoDetect: the proxy the system settings name for a connection (environment
// variables such as http_proxy / all_proxy, or libproxy's sources, through Qt).
#pragma once

#include "proxysettings.h"

#include <QString>

namespace ssmtp::transport {

// `configured` with auto-detection applied: when autoDetect is set and the system names an
// HTTP or SOCKS5 proxy for an SMTP connection to host:port, that proxy (the configured user
// and password when the system gives none, the configured extra headers); otherwise the
// configured firewall as it is. autoDetect is false in the result.
ProxySettings applySystemProxy(const ProxySettings &configured, const QString &host, quint16 port);

} // namespace ssmtp::transport
