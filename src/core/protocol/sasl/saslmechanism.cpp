#include "saslmechanism.h"

#include "saslcrammd5.h"
#include "sasldigestmd5.h"
#include "saslgssapi.h"
#include "sasllogin.h"
#include "saslntlm.h"
#include "sasloauthbearer.h"
#include "saslplain.h"
#include "saslscram.h"
#include "saslxoauth2.h"

namespace ssmtp::protocol::sasl {

std::unique_ptr<Mechanism> createMechanism(const QByteArray &name, const Credentials &credentials)
{
    if (name == "PLAIN")
        return std::make_unique<PlainMechanism>(credentials);
    if (name == "LOGIN")
        return std::make_unique<LoginMechanism>(credentials);
    if (name == "CRAM-MD5")
        return std::make_unique<CramMd5Mechanism>(credentials);
    if (name == "DIGEST-MD5")
        return std::make_unique<DigestMd5Mechanism>(credentials);
    if (name == "NTLM")
        return std::make_unique<NtlmMechanism>(credentials);
    if (name == "XOAUTH2")
        return std::make_unique<XOAuth2Mechanism>(credentials);
    if (name == "OAUTHBEARER")
        return std::make_unique<OAuthBearerMechanism>(credentials);
    if (name == "SCRAM-SHA-256")
        return std::make_unique<ScramSha256Mechanism>(credentials);
    if (name == "GSSAPI")
        return createGssapiMechanism(credentials);
    return nullptr;
}

} // namespace ssmtp::protocol::sasl
