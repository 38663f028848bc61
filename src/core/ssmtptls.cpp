// Ssmtp's TLS properties (the spec's SSL* properties) and the glue to the session's TLS.
#include "ssmtp_p.h"
#include "ssmtperrors_p.h"
#include "transport/tlsnames.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QRegularExpression>
#include <QSslKey>

namespace protocol = ssmtp::protocol;
namespace transport = ssmtp::transport;

/*!
    \property Ssmtp::sslEnabled
    \brief Whether TLS is used (the spec's SSLEnabled). Default false.

    Kept consistent with sslStartMode: enabling it selects SslAutomatic when the start mode
    was SslNone, disabling it selects SslNone; setting sslStartMode updates it.
*/
bool Ssmtp::isSslEnabled() const
{
    return d->sslStartMode != SslStartMode::SslNone;
}
void Ssmtp::setSslEnabled(bool enabled)
{
    if (enabled == isSslEnabled())
        return;
    setSslStartMode(enabled ? SslStartMode::SslAutomatic : SslStartMode::SslNone);
}

/*!
    \property Ssmtp::sslStartMode
    \brief How TLS starts (the spec's SSLStartMode). Default SslNone.

    SslImplicit: TLS from the first byte (port 465). SslExplicit: plaintext greeting, then
    STARTTLS; the connection never continues in plaintext when the server does not offer or
    refuses it. SslAutomatic: SslExplicit on ports 25 and 587, SslImplicit on any other port.
*/
Ssmtp::SslStartMode Ssmtp::sslStartMode() const
{
    return d->sslStartMode;
}
void Ssmtp::setSslStartMode(SslStartMode mode)
{
    if (d->sslStartMode == mode)
        return;
    const bool wasEnabled = isSslEnabled();
    d->sslStartMode = mode;
    Q_EMIT sslStartModeChanged(mode);
    if (wasEnabled != isSslEnabled())
        Q_EMIT sslEnabledChanged(isSslEnabled());
}

/*!
    \property Ssmtp::sslProvider
    \brief The spec's SSLProvider. Default SslProviderAutomatic.

    Stored for compatibility only: Qt's TLS backend (OpenSSL 3 on Linux) is always used.
*/
Ssmtp::SslProvider Ssmtp::sslProvider() const
{
    return d->sslProvider;
}
void Ssmtp::setSslProvider(SslProvider provider)
{
    if (d->sslProvider == provider)
        return;
    d->sslProvider = provider;
    Q_EMIT sslProviderChanged(provider);
}

/*!
    \property Ssmtp::sslCert
    \brief The client certificate with its private key for TLS client authentication (the
    spec's SSLCert). Default null: no client certificate.

    The config setting SSLCACerts adds intermediate certificates to send with it.
*/
SsmtpCertificate Ssmtp::sslCert() const
{
    return d->sslCert;
}
void Ssmtp::setSslCert(const SsmtpCertificate &certificate)
{
    if (d->sslCert == certificate)
        return;
    d->sslCert = certificate;
    Q_EMIT sslCertChanged();
}

/*!
    \property Ssmtp::sslAcceptServerCert
    \brief A server certificate accepted unconditionally when the server presents exactly
    this one (the spec's SSLAcceptServerCert). Default null.

    For servers you know by their certificate (self-signed, private CA). Any other
    certificate is still verified normally.
*/
SsmtpCertificate Ssmtp::sslAcceptServerCert() const
{
    return d->sslAcceptServerCert;
}
void Ssmtp::setSslAcceptServerCert(const SsmtpCertificate &certificate)
{
    if (d->sslAcceptServerCert == certificate)
        return;
    d->sslAcceptServerCert = certificate;
    Q_EMIT sslAcceptServerCertChanged();
}

/*!
    \property Ssmtp::sslServerCert
    \brief The certificate the server presented on the last TLS connection (the spec's
    SSLServerCert); reset when a new TLS connection starts. Read-only.
*/
SsmtpCertificate Ssmtp::sslServerCert() const
{
    return d->sslServerCert;
}

/*!
    Accepts the server certificate although it failed verification. Only has an effect when
    called from a slot connected to sslServerAuthentication(), during that emission (in the
    manner of QSslSocket::ignoreSslErrors()).
*/
void Ssmtp::acceptServerCertificate()
{
    d->session->acceptServerCertificate();
}

/*!
    \fn void Ssmtp::sslStatus(const QString &message)

    The spec's SSLStatus event: progress of the TLS handshake, for logging.
*/

/*!
    \fn void Ssmtp::sslServerAuthentication(const QByteArray &certEncoded, \
        const QString &certSubject, const QString &certIssuer, const QString &status, \
        bool accept)

    The spec's SSLServerAuthentication event, emitted when the server has presented its
    certificate. \a certEncoded is its DER encoding (with the config setting
    SSLIncludeCertChain: every certificate the server sent, as PEM, leaf first),
    \a certSubject and \a certIssuer are its names, \a status is "OK" or why verification
    failed, \a accept whether the connection continues. A slot may call
    acceptServerCertificate() to continue despite a failure; otherwise a failed verification
    ends the operation with CertificateChainVerificationError or CertificateVerificationError
    and nothing further is sent.
*/

void SsmtpPrivate::onServerAuthentication(const QList<QSslCertificate> &chain,
                                          const QString &status, bool accept)
{
    const QSslCertificate leaf = chain.value(0);
    const SsmtpCertificate presented(leaf.toDer());
    if (!(sslServerCert == presented)) {
        sslServerCert = presented;
        Q_EMIT q->sslServerCertChanged();
    }
    QByteArray encoded = leaf.toDer();
    if (tls.includeCertChain) {
        encoded.clear();
        for (const QSslCertificate &c : chain)
            encoded += c.toPem();
    }
    Q_EMIT q->sslServerAuthentication(encoded, presented.subject(), presented.issuer(), status,
                                      accept);
}

namespace {

QSsl::SslProtocol protocolFor(int bits)
{
    const bool tls13 = bits & 0x3000;
    const bool tls12 = bits & 0x0C00;
    if (tls12 && tls13)
        return QSsl::TlsV1_2OrLater;
    if (tls13)
        return QSsl::TlsV1_3OrLater;
    return QSsl::TlsV1_2;
}

} // namespace

// ReuseSSLSession: a ticket is only offered to the same server, port and start mode under
// the same trust settings it was verified with.
QString SsmtpPrivate::sessionTicketKey() const
{
    QCryptographicHash trust(QCryptographicHash::Sha256);
    trust.addData(tls.serverCaCerts.toUtf8());
    trust.addData(tls.openSslCaFile.toUtf8());
    trust.addData(tls.openSslCaDir.toUtf8());
    trust.addData(QByteArray::number(tls.securityFlags));
    trust.addData(QByteArray::number(tls.checkOcsp));
    return mailServer.toLower() + QLatin1Char(':') + QString::number(mailPort) + QLatin1Char(':') +
           QString::number(int(sslStartMode)) + QLatin1Char(':') +
           QString::fromLatin1(trust.result().toHex());
}

bool SsmtpPrivate::tlsSessionSettings(protocol::SessionSettings &connection)
{
    transport::TlsSettings &t = connection.tls;
    t.startMode = int(sslStartMode);
    if (sslStartMode == Ssmtp::SslStartMode::SslNone)
        return true;
    auto failWith = [this](Ssmtp::Error code, const QString &text) {
        setError(code, text);
        return false;
    };
    t.extraCaCertificates = QSslCertificate::fromData(tls.serverCaCerts.toLatin1(), QSsl::Pem);
    if (!tls.openSslCaFile.isEmpty()) {
        const QList<QSslCertificate> certs = QSslCertificate::fromPath(tls.openSslCaFile);
        if (certs.isEmpty()) {
            return failWith(Ssmtp::CertificateStoreError,
                            QCoreApplication::translate(
                                "Ssmtp", "OpenSSLCAFile: no certificate could be read from %1.")
                                .arg(tls.openSslCaFile));
        }
        t.extraCaCertificates += certs;
    }
    if (!tls.openSslCaDir.isEmpty()) {
        const QList<QSslCertificate> certs =
            QSslCertificate::fromPath(tls.openSslCaDir + QStringLiteral("/*"), QSsl::Pem,
                                      QSslCertificate::PatternSyntax::Wildcard);
        if (certs.isEmpty()) {
            return failWith(Ssmtp::CertificateStoreError,
                            QCoreApplication::translate(
                                "Ssmtp", "OpenSSLCADir: no certificate could be read from %1.")
                                .arg(tls.openSslCaDir));
        }
        t.extraCaCertificates += certs;
    }
    if (!sslCert.isNull()) {
        t.localCertificate = sslCert.toSslCertificate();
        if (t.localCertificate.isNull()) {
            return failWith(Ssmtp::ClientCertificateNotFoundError,
                            QCoreApplication::translate(
                                "Ssmtp", "The TLS client certificate cannot be used: %1")
                                .arg(sslCert.errorString()));
        }
        t.privateKey = sslCert.toSslKey();
        if (t.privateKey.isNull()) {
            return failWith(
                Ssmtp::CredentialsError,
                QCoreApplication::translate(
                    "Ssmtp", "The TLS client certificate (sslCert) has no private key."));
        }
        t.localChain = sslCert.sslChain();
        t.localChain += QSslCertificate::fromData(tls.caCerts.toLatin1(), QSsl::Pem);
    }
    if (!sslAcceptServerCert.isNull())
        t.acceptedServerCertificate = sslAcceptServerCert.toDer();
    t.protocol = protocolFor(tls.enabledProtocols);
    if (tls.enabledCipherSuites.trimmed() != QLatin1String("*")) {
        const QStringList names = tls.enabledCipherSuites.split(
            QRegularExpression(QStringLiteral("[;:,\\s]+")), Qt::SkipEmptyParts);
        for (const QString &name : names)
            t.ciphers.append(QSslCipher(name));
    }
    t.cipherString = tls.openSslCipherList.toLatin1();
    // Validated by config(); TLS 1.3's preferences first, then TLS 1.2's.
    QString unknown;
    t.groups =
        transport::opensslGroups(tls.tls13Groups + QLatin1Char(',') + tls.tls12Groups, &unknown);
    t.signatureAlgorithms = transport::opensslSignatureAlgorithms(
        tls.tls13SignatureAlgorithms + QLatin1Char(',') + tls.tls12SignatureAlgorithms, &unknown);
    t.includeCertChain = tls.includeCertChain;
    t.reuseSession = tls.reuseSession;
    if (t.reuseSession)
        t.sessionTicket = sessionTickets.value(sessionTicketKey());
    t.checkOcsp = tls.checkOcsp;
    t.securityFlags = tls.securityFlags;
    return true;
}
