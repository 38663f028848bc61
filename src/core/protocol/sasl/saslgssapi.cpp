#include "saslgssapi.h"

namespace ssmtp::protocol::sasl {

std::unique_ptr<Mechanism> createGssapiMechanism(const Credentials &credentials)
{
    Q_UNUSED(credentials);
    return nullptr;
}

} // namespace ssmtp::protocol::sasl
