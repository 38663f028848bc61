#include "saslmechanism.h"

#include "sasllogin.h"
#include "saslplain.h"

namespace ssmtp::protocol::sasl {

std::unique_ptr<Mechanism> createMechanism(const QByteArray &name, const Credentials &credentials)
{
    if (name == "PLAIN")
        return std::make_unique<PlainMechanism>(credentials);
    if (name == "LOGIN")
        return std::make_unique<LoginMechanism>(credentials);
    return nullptr;
}

} // namespace ssmtp::protocol::sasl
