// NTLM (MS-NLMP) as a SASL-style SMTP mechanism: NEGOTIATE (type 1) as the initial response,
// the server's CHALLENGE (type 2) as the one challenge, AUTHENTICATE (type 3) as the answer.
// Credentials.useNtlmV2 picks NTLMv2 responses; otherwise NTLMv1 (with the extended session
// security variant when the server agrees to it). No signing or sealing: SMTP has no use for
// the session key. User names: "DOMAIN\user" (domain and user) or anything else as the user
// name with no domain ("user@domain" is a UPN, which the server resolves itself).
#pragma once

#include "saslmechanism.h"

namespace ssmtp::protocol::sasl {

namespace ntlm {

// Negotiate flags (MS-NLMP 2.2.2.5) this client uses.
enum Flag : quint32 {
    NegotiateUnicode = 0x00000001,
    NegotiateOem = 0x00000002,
    RequestTarget = 0x00000004,
    NegotiateNtlm = 0x00000200,
    NegotiateAlwaysSign = 0x00008000,
    NegotiateExtendedSessionSecurity = 0x00080000,
    NegotiateTargetInfo = 0x00800000,
};

struct Challenge
{
    quint32 flags = 0;
    QByteArray serverChallenge; // 8 octets
    QByteArray targetInfo;      // AV pairs, when the server sent them
};

// Parses a CHALLENGE_MESSAGE; nullopt when it is not one or any field points outside it.
std::optional<Challenge> parseChallenge(const QByteArray &message);

// NTOWFv1: MD4 of the UTF-16LE password.
QByteArray ntowfV1(const QString &password);
// NTOWFv2: HMAC-MD5(NTOWFv1, UTF-16LE(upper(user) + domain)).
QByteArray ntowfV2(const QString &password, const QString &user, const QString &domain);
// DESL (MS-NLMP 6): three single-DES encryptions of data (8 octets) under the 16-octet key
// split in 7-octet pieces. Empty when single DES is unavailable (OpenSSL legacy provider).
QByteArray desl(const QByteArray &key, const QByteArray &data);

} // namespace ntlm

class NtlmMechanism final : public Mechanism
{
public:
    explicit NtlmMechanism(const Credentials &credentials);
    QByteArray name() const override { return QByteArrayLiteral("NTLM"); }
    std::optional<QByteArray> initialResponse() override;
    std::optional<QByteArray> respond(const QByteArray &challenge) override;
    QString errorString() const override { return m_error; }

    // For tests (MS-NLMP 4.2 vectors): the 8-octet client challenge (otherwise random), the
    // FILETIME timestamp for NTLMv2 (otherwise now) and the workstation name (otherwise none).
    void setClientChallenge(const QByteArray &challenge) { m_clientChallenge = challenge; }
    void setTimestamp(quint64 fileTime) { m_timestamp = fileTime; }
    void setWorkstation(const QString &workstation) { m_workstation = workstation; }

private:
    std::optional<QByteArray> authenticate(const QByteArray &challenge);
    std::nullopt_t refuse(const QString &why);

    Credentials m_credentials;
    QByteArray m_clientChallenge;
    std::optional<quint64> m_timestamp;
    QString m_workstation;
    QString m_error;
    enum class Step { Start, NegotiateSent, NegotiateResent, Done } m_step = Step::Start;
};

} // namespace ssmtp::protocol::sasl
