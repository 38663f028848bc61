// The config settings of the spec's SSMTP component that have a meaning on Qt/Linux, with
// their defaults, and the table config() reads and writes them through.
#pragma once

#include <QString>

struct SsmtpSettings
{
    // SMTP settings
    bool allowEmptyTo = false;
    QString authorizationIdentity;
    QString charset;
    bool foldHeaders = true;
    QString hello;
    bool keepQueue = false;
    int maxHeaderLength = 80;
    QString messageIdAlgorithm = QStringLiteral("SHA1");
    bool sendRset = true;
    bool stopOnBccErrors = false;
    bool stopOnCcErrors = true;
    bool stopOnToErrors = true;
    // Additions: DSN RET/ENVID (RFC 3461) and the security switch of DESIGN.md.
    QString dsnRet;
    QString dsnEnvelopeId;
    bool allowInsecureAuth = false;
    // S/MIME options (no spec names): clear-signed multipart/signed (true) or opaque
    // signed-data; RSASSA-PSS signatures; RSAES-OAEP key transport; encrypt for the signer too.
    bool detachedSignature = true;
    bool usePss = false;
    bool useOaep = false;
    bool encryptToSelf = false;
    // TCPClient / socket settings
    bool absoluteTimeout = false;
    bool closeStreamAfterTransfer = true;
    int connectionTimeout = 0;
    int inBufferSize = 0;
    int keepAliveInterval = 0;
    int keepAliveTime = 0;
    bool linger = true;
    int lingerTime = 0;
    int localPort = 0;
    bool maskSensitive = true;
    int maxLineLength = 2048;
    qint64 maxTransferRate = 0;
    int outBufferSize = 0;
    bool tcpKeepAlive = false;
    bool tcpNoDelay = false;
    int useIPv6 = 0;
    bool useNtlmV2 = false;
    // Firewall settings that are not fields of the Firewall property.
    QString firewallData;          // extra HTTP CONNECT header lines
    QString proxyExceptionsList;   // hosts reached directly although a firewall is set
    bool guiAvailable = true;      // GUIAvailable: no effect (Qt always has an event loop)
    bool firewallListener = false; // accepted, no effect: this client never listens
};

// The SSL config settings as written (parsed when a connection starts).
struct SsmtpTlsSettings
{
    QString serverCaCerts;         // SSLServerCACerts: PEM certificates
    QString caCerts;               // SSLCACerts: PEM chain sent with sslCert
    int enabledProtocols = 0x3C00; // SSLEnabledProtocols: TLS 1.2 + 1.3 (decisions.md)
    QString enabledCipherSuites = QStringLiteral("*");
    QString openSslCipherList;     // OpenSSLCipherList
    QString openSslCaFile;         // OpenSSLCAFile
    QString openSslCaDir;          // OpenSSLCADir
    bool includeCertChain = false; // SSLIncludeCertChain
    bool reuseSession = false;     // ReuseSSLSession
    int checkOcsp = 0;             // SSLCheckOCSP
    quint32 securityFlags = 0;     // SSLSecurityFlags
    // TLS12/TLS13 SupportedGroups and SignatureAlgorithms, the spec's names (OpenSSL has one
    // list of each for both versions: the two are merged, TLS 1.3's first).
    QString tls12Groups;
    QString tls13Groups;
    QString tls12SignatureAlgorithms;
    QString tls13SignatureAlgorithms;
    // Accepted for compatibility, no effect with Qt's TLS backend (docs/tls.md).
    int checkCrl = 0;
    int cipherStrength = 0;
    bool enableRenegotiation = true;
    QString keyLogFile;
    bool logSslPackets = false;
    QString caCertFilePaths;
    QString tls13KeyShareGroups;
    bool useInternalSecurityApi = false;
};

// Parses the spec's boolean forms: True/False, 1/0, Yes/No (any case).
bool parseConfigBool(const QString &text, bool &ok);
