#include "tlsconfiguration.h"

#include "protocol/errorcodes.h"

#include <QStringList>

namespace ssmtp::transport {

QSslConfiguration makeSslConfiguration(const TlsSettings &settings)
{
    // The default configuration carries the system's trusted CAs; ours are added to them.
    QSslConfiguration config = QSslConfiguration::defaultConfiguration();
    config.setProtocol(settings.protocol);
    config.setPeerVerifyMode(QSslSocket::VerifyPeer);
    if (!settings.extraCaCertificates.isEmpty())
        config.addCaCertificates(settings.extraCaCertificates);
    if (!settings.localCertificate.isNull()) {
        QList<QSslCertificate> chain{settings.localCertificate};
        chain += settings.localChain;
        config.setLocalCertificateChain(chain);
        config.setPrivateKey(settings.privateKey);
    }
    if (!settings.ciphers.isEmpty())
        config.setCiphers(settings.ciphers);
    if (!settings.cipherString.isEmpty()) {
        // Passed to OpenSSL's SSL_CONF_cmd: a full cipher string such as "HIGH:!aNULL".
        config.setBackendConfigurationOption(QByteArrayLiteral("CipherString"),
                                             settings.cipherString);
    }
    if (!settings.groups.isEmpty())
        config.setBackendConfigurationOption(QByteArrayLiteral("Groups"), settings.groups);
    if (!settings.signatureAlgorithms.isEmpty()) {
        config.setBackendConfigurationOption(QByteArrayLiteral("SignatureAlgorithms"),
                                             settings.signatureAlgorithms);
    }
    if (settings.checkOcsp > 0)
        config.setOcspStaplingEnabled(true);
    if (settings.reuseSession) {
        config.setSslOption(QSsl::SslOptionDisableSessionTickets, false);
        config.setSslOption(QSsl::SslOptionDisableSessionPersistence, false);
        if (!settings.sessionTicket.isEmpty())
            config.setSessionTicket(settings.sessionTicket);
    }
    return config;
}

namespace {

// The chain cannot be built to a trusted root: an unknown or untrusted issuer, self-signed.
bool isChainError(QSslError::SslError error)
{
    switch (error) {
    case QSslError::UnableToGetLocalIssuerCertificate:
    case QSslError::UnableToVerifyFirstCertificate:
    case QSslError::SelfSignedCertificate:
    case QSslError::SelfSignedCertificateInChain:
    case QSslError::CertificateUntrusted:
    case QSslError::UnableToGetIssuerCertificate:
        return true;
    default:
        return false;
    }
}

} // namespace

bool isIgnoredError(const QSslError &error, const TlsSettings &settings)
{
    const quint32 flags = settings.securityFlags;
    if (isChainError(error.error()))
        return flags & 0x00000010u; // allow unknown CA
    switch (error.error()) {
    case QSslError::CertificateExpired:
    case QSslError::CertificateNotYetValid:
        return flags & 0x00000001u; // ignore time validity
    case QSslError::InvalidPurpose:
        return flags & 0x00000020u; // ignore wrong usage
    case QSslError::HostNameMismatch:
        return flags & 0x80000000u; // ignore non-matching CN
    case QSslError::OcspNoResponseFound:
        return settings.checkOcsp == 1;
    default:
        return false;
    }
}

int verificationErrorCode(const QList<QSslError> &errors)
{
    for (const QSslError &e : errors) {
        if (isChainError(e.error()))
            return protocol::errc::CertificateChainVerification;
    }
    return protocol::errc::CertificateVerification;
}

QString describeErrors(const QList<QSslError> &errors)
{
    QStringList texts;
    for (const QSslError &e : errors)
        texts.append(e.errorString());
    return texts.join(QStringLiteral("; "));
}

} // namespace ssmtp::transport
