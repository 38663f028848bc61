// TLS settings of one connection: the spec's SSL* properties and config settings in the form
// Qt understands, copied into the session settings when an operation starts.
#pragma once

#include <QByteArray>
#include <QList>
#include <QSslCertificate>
#include <QSslCipher>
#include <QSslConfiguration>
#include <QSslKey>
#include <QString>

namespace ssmtp::transport {

struct TlsSettings
{
    // The spec's SSLStartMode values.
    enum StartMode { Automatic = 0, Implicit = 1, Explicit = 2, None = 3 };

    int startMode = None;
    // SSLServerCACerts, OpenSSLCAFile, OpenSSLCADir: trusted in addition to the system store.
    QList<QSslCertificate> extraCaCertificates;
    // sslCert: the client certificate with its key, and SSLCACerts: the chain sent with it.
    QSslCertificate localCertificate;
    QSslKey privateKey;
    QList<QSslCertificate> localChain;
    // sslAcceptServerCert: accepted unconditionally when exactly this certificate is presented.
    QByteArray acceptedServerCertificate; // DER
    // SSLEnabledProtocols mapped to Qt's protocol selection.
    QSsl::SslProtocol protocol = QSsl::TlsV1_2OrLater;
    // SSLEnabledCipherSuites ("*": OpenSSL's defaults) and OpenSSLCipherList (a cipher string).
    QList<QSslCipher> ciphers;
    QByteArray cipherString;
    // OpenSSL SSL_CONF "Groups" and "SignatureAlgorithms" lists (TLS1xSupportedGroups, ...).
    QByteArray groups;
    QByteArray signatureAlgorithms;
    bool includeCertChain = false; // SSLIncludeCertChain
    bool reuseSession = false;     // ReuseSSLSession
    QByteArray sessionTicket;      // the previous session's ticket, when reused
    int checkOcsp = 0;             // SSLCheckOCSP: 0 off, 1 if stapled, 2 required
    quint32 securityFlags = 0;     // SSLSecurityFlags

    // Automatic resolves by port: the plaintext SMTP ports 25 and 587 mean STARTTLS.
    int effectiveMode(quint16 port) const
    {
        if (startMode != Automatic)
            return startMode;
        return port == 25 || port == 587 ? Explicit : Implicit;
    }
};

} // namespace ssmtp::transport
