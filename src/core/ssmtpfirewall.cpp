#include "ssmtpfirewall.h"

#include <QDebug>

/*!
    \class SsmtpFirewall
    \brief The firewall (proxy) through which Ssmtp connects to the mail server: its type,
    host, port and credentials (the spec's Firewall type).

    Assign it to Ssmtp::firewall; it applies from the next connection on. With a firewall the
    component first opens the proxy connection, emits connectionStatus("Firewall connection
    complete", 0, "OK"), and then greets the mail server (and starts TLS) through it; TLS
    checks the mail server's name, never the proxy's. A proxy that refuses or fails ends the
    operation with Ssmtp::FirewallError (118) and the proxy's reason.
*/

/*!
    \enum SsmtpFirewall::FirewallType
    \brief The kind of firewall (the spec's FirewallTypes, same values).

    \value NoFirewall 0, the default: connect directly.
    \value Tunnel     1, an HTTP proxy, through a CONNECT tunnel (optionally with Basic
                      authentication from user and password, and extra header lines from the
                      config setting FirewallData). Default port 80.
    \value Socks4     2, a SOCKS4 proxy. The mail server's name is resolved locally to an IPv4
                      address, unless Ssmtp::mailServer starts with "*" (then it is sent as in
                      SOCKS4A). user is sent as the SOCKS user id. Default port 1080.
    \value Socks5     3, a SOCKS5 proxy (RFC 1928), with user name/password authentication
                      (RFC 1929) when user is set. The name is resolved locally unless
                      Ssmtp::mailServer starts with "*". Default port 1080.
    \value Socks4A    10, a SOCKS4A proxy: the proxy resolves the mail server's name.
                      Default port 1080.
*/

/*!
    \property SsmtpFirewall::autoDetect
    \brief Whether to use the system's proxy settings (the spec's AutoDetect). Default false.

    The settings come from Qt's QNetworkProxyFactory::systemProxyForQuery() (on Linux the
    http_proxy / all_proxy environment variables and libproxy's sources). An HTTP proxy found
    there is used as a Tunnel, a SOCKS5 proxy as Socks5. When the system names no proxy, the
    other fields apply as they are.
*/

/*!
    \property SsmtpFirewall::firewallType
    \brief The kind of firewall (the spec's FirewallType). Default NoFirewall.

    Setting it also sets \l port to the type's default (80 for Tunnel, 1080 for the SOCKS
    types, 0 for NoFirewall); set \l port afterwards for another port.
*/

/*!
    \property SsmtpFirewall::host
    \brief The firewall's name or IP address (the spec's Host). Default empty: without a
    host (and without autoDetect) no firewall is used.

    A name is resolved when connecting.
*/

/*!
    \property SsmtpFirewall::password
    \brief The password for the firewall (the spec's Password), used with \l user. Default
    empty.
*/

/*!
    \property SsmtpFirewall::port
    \brief The firewall's TCP port (the spec's Port). Default 0, which means the type's
    default port when connecting.
*/

/*!
    \property SsmtpFirewall::user
    \brief The user name for the firewall (the spec's User). Default empty.

    For Tunnel it goes with \l password as Basic credentials, for Socks5 as user
    name/password authentication; SOCKS4 and SOCKS4A send it as the user id.
*/

/*!
    \fn bool operator==(const SsmtpFirewall &a, const SsmtpFirewall &b)
    \relates SsmtpFirewall

    Returns true when every field of \a a and \a b is equal.
*/

/*!
    \fn bool operator!=(const SsmtpFirewall &a, const SsmtpFirewall &b)
    \relates SsmtpFirewall

    Returns true when a field of \a a and \a b differs.
*/

/*!
    \fn SsmtpFirewall::SsmtpFirewall()

    Constructs "no firewall": type NoFirewall, no host, port 0, autoDetect false.
*/

/*!
    Constructs a firewall of \a type at \a host and \a port (0: the type's default port),
    with \a user and \a password.
*/
SsmtpFirewall::SsmtpFirewall(FirewallType type, const QString &host, int port, const QString &user,
                             const QString &password)
    : m_type(type)
    , m_host(host)
    , m_password(password)
    , m_port(port > 0 ? port : defaultPort(type))
    , m_user(user)
{}

void SsmtpFirewall::setFirewallType(FirewallType type)
{
    m_type = type;
    m_port = defaultPort(type);
}

/*!
    Returns the port \a type implies: 80 for Tunnel, 1080 for the SOCKS types, else 0.
*/
int SsmtpFirewall::defaultPort(FirewallType type)
{
    switch (type) {
    case Tunnel:
        return 80;
    case Socks4:
    case Socks5:
    case Socks4A:
        return 1080;
    default:
        return 0;
    }
}

/*!
    \relates SsmtpFirewall

    Writes \a firewall to \a debug, with the password masked.
*/
QDebug operator<<(QDebug debug, const SsmtpFirewall &firewall)
{
    const QDebugStateSaver saver(debug);
    debug.nospace() << "SsmtpFirewall(" << firewall.firewallType() << ", ";
    debug.noquote() << firewall.host() << ':' << firewall.port();
    debug.quote() << ", user " << firewall.user()
                  << (firewall.password().isEmpty() ? ", no password" : ", password ***")
                  << (firewall.autoDetect() ? ", autoDetect" : "") << ')';
    return debug;
}
