// DIGEST-MD5 (RFC 2831), authentication only (qop=auth, no security layer). Historic (RFC
// 6331) but still offered by servers; SCRAM-SHA-256 is its successor. The server must prove
// that it knows the password too (rspauth); a wrong proof ends the exchange.
#pragma once

#include "saslmechanism.h"

#include <QList>
#include <QPair>

namespace ssmtp::protocol::sasl {

// One "name=value" directive of a DIGEST-MD5 challenge, name in lower case, value with the
// quoting removed.
using DigestDirective = QPair<QByteArray, QByteArray>;

// Parses an RFC 2831 directive list (tokens, quoted strings with backslash escapes, commas
// and linear white space, empty list elements). nullopt when it is malformed.
std::optional<QList<DigestDirective>> parseDigestDirectives(const QByteArray &text);

class DigestMd5Mechanism final : public Mechanism
{
public:
    explicit DigestMd5Mechanism(const Credentials &credentials);
    QByteArray name() const override { return QByteArrayLiteral("DIGEST-MD5"); }
    std::optional<QByteArray> respond(const QByteArray &challenge) override;
    QString errorString() const override { return m_error; }
    bool isComplete() const override { return m_serverVerified; }

    // For tests: the client nonce (otherwise random).
    void setClientNonce(const QByteArray &nonce) { m_clientNonce = nonce; }
    // For tests (RFC 2831's example is IMAP): the digest-uri service, otherwise "smtp".
    void setServiceType(const QByteArray &service) { m_service = service; }

private:
    std::optional<QByteArray> digestResponse(const QByteArray &challenge);
    std::optional<QByteArray> checkServerProof(const QByteArray &challenge);
    std::nullopt_t refuse(const QString &why);

    Credentials m_credentials;
    QByteArray m_clientNonce;
    QByteArray m_service = QByteArrayLiteral("smtp");
    QByteArray m_expectedRspAuth;
    QString m_error;
    bool m_serverVerified = false;
    enum class Step { Challenge, ServerProof, Done } m_step = Step::Challenge;
};

} // namespace ssmtp::protocol::sasl
