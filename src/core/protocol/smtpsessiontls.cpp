// SmtpSession, TLS part: STARTTLS (RFC 3207) with its downgrade and injection defences,
// implicit TLS, and the judgement of the server's certificate.
#include "smtpsession.h"

#include "errorcodes.h"
#include "transport/tlsconfiguration.h"

#include <QPointer>
#include <QSslSocket>

namespace ssmtp::protocol {

bool SmtpSession::isEncrypted() const
{
    return m_socket && m_socket->isEncrypted();
}

void SmtpSession::startTlsCommand()
{
    // RFC 3207 and DESIGN.md: explicit TLS never falls back to plaintext.
    if (!m_caps.startTls) {
        fail(errc::Handshake,
             tr("The server does not offer STARTTLS; refusing to continue without TLS "
                "(sslStartMode is explicit)."),
             true);
        return;
    }
    m_pipeline.queueCommand("STARTTLS", [this](const Reply &reply) {
        Q_EMIT replyReceived(reply.toString());
        if (m_op == Op::None)
            return;
        if (reply.code != 220) {
            fail(errc::Handshake,
                 tr("The server refused STARTTLS (%1); refusing to continue without TLS.")
                     .arg(reply.toString()),
                 true);
            return;
        }
        // Anything after the 220 was sent before the handshake, i.e. in plaintext that
        // would be read as if it came over TLS (STARTTLS response injection, CVE-2011-0411
        // and its kin): end the connection instead.
        const qint64 injected = m_pipeline.bufferedInput();
        if (injected > 0) {
            fail(errc::Handshake,
                 tr("The server sent %n byte(s) after its STARTTLS reply, before the TLS "
                    "handshake (possible response injection); the connection was closed.",
                    nullptr, int(qMin<qint64>(injected, std::numeric_limits<int>::max()))),
                 true);
            return;
        }
        startTls();
    });
    m_pipeline.flush();
}

void SmtpSession::startTls()
{
    m_certificateAccepted = false;
    m_certificateJudged = false;
    m_tlsFailure = 0;
    m_tlsFailureText.clear();
    // Certificates are checked against the mail server's name, never a proxy's. A leading
    // "*" (unresolved name for a SOCKS proxy) is not part of the name.
    QString peerName = m_settings.host;
    if (peerName.startsWith(QLatin1Char('*')))
        peerName.remove(0, 1);
    m_socket->setSslConfiguration(transport::makeSslConfiguration(m_settings.tls));
    m_socket->setPeerVerifyName(peerName);
    m_handshaking = true;
    Q_EMIT sslStatus(tr("Starting the TLS handshake with %1.").arg(peerName));
    m_socket->startClientEncryption();
}

bool SmtpSession::judgeCertificate(const QList<QSslError> &errors)
{
    m_certificateJudged = true;
    QSslSocket *const judged = m_socket;
    const QList<QSslCertificate> chain = judged->peerCertificateChain();
    const QSslCertificate presented = judged->peerCertificate();
    bool accept = errors.isEmpty();
    const QString status = accept ? QStringLiteral("OK") : transport::describeErrors(errors);
    // Only a certificate that verified on its own may seed a reused TLS session: a resumed
    // session is not verified again (Qt's backend skips it), so an override must not stick.
    m_verifiedWithoutOverride = accept;
    if (!accept && !m_settings.tls.acceptedServerCertificate.isEmpty() &&
        presented.toDer() == m_settings.tls.acceptedServerCertificate) {
        accept = true;
        Q_EMIT sslStatus(tr("The server certificate is the one set in sslAcceptServerCert; "
                            "accepted despite: %1")
                             .arg(status));
    }
    m_certificateAccepted = accept;
    // The user's thinking time (a dialog in the slot) is not the server's silence.
    m_timer.stop();
    m_judging = true;
    QPointer<QSslSocket> alive(judged);
    Q_EMIT sslServerAuthentication(chain.isEmpty() ? QList<QSslCertificate>{presented} : chain,
                                   status, accept);
    m_judging = false;
    releaseDeferredSockets();
    // A slot that interrupted, or even opened a new connection, owns what happens next: this
    // verdict belongs to a connection that is gone.
    if (!alive || m_socket != judged || m_op == Op::None)
        return false;
    restartTimer();
    if (m_certificateAccepted && !accept)
        Q_EMIT sslStatus(tr("The server certificate was accepted by the application."));
    if (!m_certificateAccepted) {
        m_tlsFailure = transport::verificationErrorCode(errors);
        m_tlsFailureText = tr("The server certificate was not accepted: %1").arg(status);
        Q_EMIT sslStatus(m_tlsFailureText);
    }
    return m_certificateAccepted;
}

void SmtpSession::acceptServerCertificate()
{
    if (m_judging)
        m_certificateAccepted = true;
}

void SmtpSession::onSslErrors(const QList<QSslError> &errors)
{
    auto *emitter = qobject_cast<QSslSocket *>(sender());
    if (!emitter || emitter != m_socket)
        return;
    QList<QSslError> remaining;
    for (const QSslError &e : errors) {
        if (!transport::isIgnoredError(e, m_settings.tls))
            remaining.append(e);
    }
    // The verdict applies to the socket that asked, and only while it is still ours.
    if (judgeCertificate(remaining) && emitter == m_socket)
        emitter->ignoreSslErrors(errors);
    // Otherwise the handshake fails and onSocketError() reports m_tlsFailure.
}

void SmtpSession::onEncrypted()
{
    m_handshaking = false;
    if (!m_socket || m_op == Op::None)
        return;
    if (!m_certificateJudged && !judgeCertificate({})) {
        if (m_socket && m_op != Op::None)
            fail(m_tlsFailure, m_tlsFailureText, true);
        return;
    }
    if (!m_certificateAccepted) {
        // Refused, yet the handshake completed: never go on over it.
        fail(m_tlsFailure ? m_tlsFailure : errc::CertificateVerification, m_tlsFailureText, true);
        return;
    }
    if (!m_socket || m_op == Op::None)
        return;
    m_sessionCipher = m_socket->sessionCipher();
    m_ephemeralKeyBits = m_socket->sslConfiguration().ephemeralServerKey().length();
    if (m_sessionTicket.isEmpty())
        m_sessionTicket = m_socket->sslConfiguration().sessionTicket();
    restartTimer();
    Q_EMIT sslStatus(tr("TLS established: %1, cipher %2 (%3 bits).")
                         .arg(m_sessionCipher.protocolString(), m_sessionCipher.name())
                         .arg(m_sessionCipher.usedBits()));
    Q_EMIT connectionStatus(QStringLiteral("SSL handshake complete"), 0, QStringLiteral("OK"));
    if (m_op == Op::None)
        return;
    if (m_tlsMode == transport::TlsSettings::Implicit) {
        m_pipeline.expectReply([this](const Reply &r) { onGreeting(r); });
        return;
    }
    // RFC 3207 4.2: forget everything learnt before TLS and ask again.
    m_caps = Capabilities();
    sayHello(true);
}

} // namespace ssmtp::protocol
