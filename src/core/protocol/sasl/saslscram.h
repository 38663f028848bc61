// SCRAM-SHA-256 (RFC 5802, RFC 7677) without channel binding ("n" GS2 flag): the client proves
// it knows the password and the server proves it knows the salted password (v=); a wrong or
// missing server proof ends the exchange.
#pragma once

#include "saslmechanism.h"

namespace ssmtp::protocol::sasl {

class ScramSha256Mechanism final : public Mechanism
{
public:
    // More PBKDF2 rounds than this is taken for a hostile server (seconds of CPU per login).
    static constexpr int MaxIterations = 1000000;

    explicit ScramSha256Mechanism(const Credentials &credentials);
    QByteArray name() const override { return QByteArrayLiteral("SCRAM-SHA-256"); }
    std::optional<QByteArray> initialResponse() override;
    std::optional<QByteArray> respond(const QByteArray &challenge) override;
    QString errorString() const override { return m_error; }
    bool isComplete() const override { return m_serverVerified; }

    // For tests: the client nonce (otherwise random). Call before initialResponse().
    void setClientNonce(const QByteArray &nonce) { m_clientNonce = nonce; }

private:
    std::optional<QByteArray> clientFinal(const QByteArray &serverFirst);
    std::optional<QByteArray> verifyServerFinal(const QByteArray &serverFinal);
    std::nullopt_t refuse(const QString &why);

    Credentials m_credentials;
    QByteArray m_clientNonce;
    QByteArray m_gs2Header;
    QByteArray m_clientFirstBare;
    QByteArray m_expectedServerSignature;
    QString m_error;
    bool m_serverVerified = false;
    enum class Step { Start, ClientFirstSent, ClientFinalSent, Done } m_step = Step::Start;
};

} // namespace ssmtp::protocol::sasl
