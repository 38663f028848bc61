// A SASL mechanism (RFC 4422) as used by SMTP AUTH (RFC 4954): pure, no I/O. The engine
// base64-codes the exchange; a mechanism sees raw challenge and response octets.
#pragma once

#include <QByteArray>
#include <QString>

#include <memory>
#include <optional>

namespace ssmtp::protocol::sasl {

struct Credentials
{
    QString user;
    QString password;
    QString authorizationIdentity; // AuthorizationIdentity config setting (XOAUTH2: the token)
    QString serverHost;            // the mail server's name (DIGEST-MD5 digest-uri, GSSAPI)
    bool useNtlmV2 = false;        // UseNTLMv2
};

class Mechanism
{
public:
    virtual ~Mechanism() = default;
    // The name sent after AUTH ("PLAIN", "LOGIN", ...).
    virtual QByteArray name() const = 0;
    // The initial response sent with the AUTH command (RFC 4954 4), if the mechanism has one.
    virtual std::optional<QByteArray> initialResponse() { return std::nullopt; }
    // The response to a server challenge; nullopt means the mechanism cannot continue and the
    // exchange is cancelled with "*".
    virtual std::optional<QByteArray> respond(const QByteArray &challenge) = 0;
    // Why the mechanism gave up (translated; empty if it did not or has nothing to add): a
    // missing token, a server that failed to prove it knows the password, a malformed
    // challenge. Never contains credentials.
    virtual QString errorString() const { return {}; }
    // False while a mechanism with mutual authentication (DIGEST-MD5's rspauth, SCRAM's v=)
    // has not verified the server's proof: a 235 before that comes from a server that has not
    // shown it knows the password, and must not count as success.
    virtual bool isComplete() const { return true; }
};

// Creates the mechanism of that name, or nullptr when this library has none by that name.
std::unique_ptr<Mechanism> createMechanism(const QByteArray &name, const Credentials &credentials);

} // namespace ssmtp::protocol::sasl
