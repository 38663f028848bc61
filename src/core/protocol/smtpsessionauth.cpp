// SmtpSession, authentication part: AUTH (RFC 4954) with a SASL mechanism, never over
// plaintext unless AllowInsecureAuth, bounded challenge rounds, credentials masked in the trail.
#include "smtpsession.h"

#include "errorcodes.h"
#include "sasl/saslmechanism.h"
#include "sasl/saslselection.h"

#include <QSslSocket>

namespace ssmtp::protocol {

void SmtpSession::startAuth()
{
    const bool encrypted = m_socket->isEncrypted();
    if (!encrypted && !m_settings.allowInsecureAuth) {
        fail(errc::Authentication,
             tr("Refusing to send credentials over an unencrypted connection. Use TLS, or set "
                "the config setting AllowInsecureAuth=true to allow it."),
             true);
        return;
    }
    if (m_caps.authMechanisms.isEmpty()) {
        fail(errc::Authentication,
             tr("A user name is set but the server does not offer authentication (AUTH)."), true);
        return;
    }
    const sasl::Selection selection =
        sasl::selectMechanism(m_settings.authMechanism, m_caps.authMechanisms);
    if (selection.name.isEmpty()) {
        fail(errc::Authentication, selection.error, true);
        return;
    }
    const QByteArray chosen = selection.name;
    sasl::Credentials credentials;
    credentials.user = m_settings.user;
    credentials.password = m_settings.password;
    credentials.authorizationIdentity = m_settings.authorizationIdentity;
    credentials.serverHost = m_settings.host;
    credentials.useNtlmV2 = m_settings.useNtlmV2;
    m_auth = sasl::createMechanism(chosen, credentials);
    if (!m_auth) {
        fail(errc::Authentication,
             tr("The authentication mechanism %1 is not available in this build.")
                 .arg(QString::fromLatin1(chosen)),
             true);
        return;
    }
    m_authRounds = 0;
    QByteArray line = "AUTH " + chosen;
    QString masked = QStringLiteral("AUTH ") + QString::fromLatin1(chosen);
    const std::optional<QByteArray> initial = m_auth->initialResponse();
    if (!initial && !m_auth->errorString().isEmpty()) {
        // The mechanism cannot even start (e.g. no Kerberos ticket): say so, send nothing.
        fail(errc::Authentication, tr("Authentication failed: %1").arg(m_auth->errorString()),
             true);
        return;
    }
    if (initial) {
        // RFC 4954 4: an empty initial response is sent as "=".
        line += ' ' + (initial->isEmpty() ? QByteArray("=") : initial->toBase64());
        masked += QStringLiteral(" ****");
    }
    m_pipeline.queueCommand(
        line, [this](const Reply &r) { onAuthReply(r); }, masked);
    m_pipeline.flush();
}

void SmtpSession::onAuthReply(const Reply &reply)
{
    Q_EMIT replyReceived(reply.toString());
    if (m_op == Op::None)
        return;
    if (reply.code == 235) {
        // SCRAM, DIGEST-MD5 and GSSAPI authenticate the server too: a 235 before its proof is
        // a server that does not know the secret (or a man in the middle).
        if (m_auth && !m_auth->isComplete()) {
            fail(errc::Authentication,
                 tr("Authentication failed: the server reported success without proving that "
                    "it knows the credentials (%1).")
                     .arg(QString::fromLatin1(m_auth->name())),
                 true);
            return;
        }
        m_auth.reset();
        succeed();
        return;
    }
    if (reply.code != 334) {
        fail(errc::Authentication, tr("Authentication failed: %1").arg(reply.toString()), true);
        return;
    }
    // A mechanism that needs more rounds than this is broken or hostile: cancel.
    constexpr int MaxRounds = 8;
    const auto decoded = QByteArray::fromBase64Encoding(reply.lines.value(0).trimmed(),
                                                        QByteArray::AbortOnBase64DecodingErrors);
    std::optional<QByteArray> response;
    if (decoded && ++m_authRounds <= MaxRounds && m_auth)
        response = m_auth->respond(decoded.decoded);
    if (!response) {
        // RFC 4954 4: "*" cancels; the server answers 501, which ends the exchange.
        QString why = decoded ? tr("The server sent an unexpected challenge.")
                              : tr("The server sent a challenge that is not base64.");
        if (m_auth && !m_auth->errorString().isEmpty())
            why = m_auth->errorString(); // the mechanism knows better (e.g. no Kerberos ticket)
        m_pipeline.queueCommand("*", [this, why](const Reply &r) {
            Q_EMIT replyReceived(r.toString());
            if (m_op == Op::None)
                return;
            fail(errc::Authentication, tr("Authentication failed: %1").arg(why), true);
        });
        m_pipeline.flush();
        return;
    }
    m_pipeline.queueCommand(
        response->toBase64(), [this](const Reply &r) { onAuthReply(r); }, QStringLiteral("****"));
    m_pipeline.flush();
}

} // namespace ssmtp::protocol
