// GSSAPI (Kerberos V5) as a SASL mechanism (RFC 4752), through the system's GSSAPI library.
//
// Credentials: the Kerberos ticket in the default credential cache (the user ran kinit). When
// there is no usable ticket and both User and Password are set, a ticket for User is got with
// that password (gss_acquire_cred_with_password) and kept in memory only, never written to the
// user's cache. The service principal is "smtp@<serverHost>" (GSS_C_NT_HOSTBASED_SERVICE).
// No GSSAPI security layer is negotiated (TLS protects the session); AuthorizationIdentity,
// when set, is sent as the SASL authorization identity.
#pragma once

#include "saslmechanism.h"

namespace ssmtp::protocol::sasl {

// nullptr when this build has no GSSAPI library (SSMTP_HAVE_GSSAPI undefined).
std::unique_ptr<Mechanism> createGssapiMechanism(const Credentials &credentials);

#ifdef SSMTP_HAVE_GSSAPI
class GssapiMechanism final : public Mechanism
{
public:
    explicit GssapiMechanism(const Credentials &credentials);
    ~GssapiMechanism() override;
    GssapiMechanism(const GssapiMechanism &) = delete;
    GssapiMechanism &operator=(const GssapiMechanism &) = delete;

    QByteArray name() const override { return QByteArrayLiteral("GSSAPI"); }
    // The first Kerberos token (AP-REQ); nullopt when it cannot be made (see errorString()).
    std::optional<QByteArray> initialResponse() override;
    std::optional<QByteArray> respond(const QByteArray &challenge) override;

    // Why the exchange cannot go on (translated, followed by the GSSAPI library's own text):
    // set whenever initialResponse() or respond() returned nullopt, empty otherwise.
    QString errorString() const override;
    // Mutual authentication: complete only once the security layer was negotiated.
    bool isComplete() const override;

private:
    struct Private;
    std::unique_ptr<Private> d;
};
#endif

} // namespace ssmtp::protocol::sasl
