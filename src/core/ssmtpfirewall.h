// SsmtpFirewall: the firewall (proxy) to connect through (the spec's Firewall type), a plain
// value type for C++ and QML.
#pragma once

#include "ssmtpglobal.h"

#include <QMetaType>
#include <QString>

QT_BEGIN_NAMESPACE
class QDebug;
QT_END_NAMESPACE

class SSMTP_CORE_EXPORT SsmtpFirewall
{
    Q_GADGET
    Q_PROPERTY(bool autoDetect READ autoDetect WRITE setAutoDetect)
    Q_PROPERTY(FirewallType firewallType READ firewallType WRITE setFirewallType)
    Q_PROPERTY(QString host READ host WRITE setHost)
    Q_PROPERTY(QString password READ password WRITE setPassword)
    Q_PROPERTY(int port READ port WRITE setPort)
    Q_PROPERTY(QString user READ user WRITE setUser)

public:
    // The spec's FirewallTypes, same values.
    enum FirewallType { NoFirewall = 0, Tunnel = 1, Socks4 = 2, Socks5 = 3, Socks4A = 10 };
    Q_ENUM(FirewallType)

    SsmtpFirewall() = default;
    // A firewall of `type` at host; port 0 means the type's default port (80 or 1080).
    SsmtpFirewall(FirewallType type, const QString &host, int port = 0,
                  const QString &user = QString(), const QString &password = QString());

    bool autoDetect() const { return m_autoDetect; }
    void setAutoDetect(bool autoDetect) { m_autoDetect = autoDetect; }
    FirewallType firewallType() const { return m_type; }
    // Also sets port to the type's default, as the spec says.
    void setFirewallType(FirewallType type);
    QString host() const { return m_host; }
    void setHost(const QString &host) { m_host = host; }
    QString password() const { return m_password; }
    void setPassword(const QString &password) { m_password = password; }
    int port() const { return m_port; }
    void setPort(int port) { m_port = port; }
    QString user() const { return m_user; }
    void setUser(const QString &user) { m_user = user; }

    // The port a FirewallType implies: 80 for Tunnel, 1080 for the SOCKS types, else 0.
    static int defaultPort(FirewallType type);

    friend bool operator==(const SsmtpFirewall &a, const SsmtpFirewall &b)
    {
        return a.m_autoDetect == b.m_autoDetect && a.m_type == b.m_type && a.m_host == b.m_host &&
               a.m_password == b.m_password && a.m_port == b.m_port && a.m_user == b.m_user;
    }
    friend bool operator!=(const SsmtpFirewall &a, const SsmtpFirewall &b) { return !(a == b); }

private:
    bool m_autoDetect = false;
    FirewallType m_type = NoFirewall;
    QString m_host;
    QString m_password;
    int m_port = 0;
    QString m_user;
};

// Prints the fields, the password masked.
SSMTP_CORE_EXPORT QDebug operator<<(QDebug debug, const SsmtpFirewall &firewall);

Q_DECLARE_METATYPE(SsmtpFirewall)
