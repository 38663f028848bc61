// GSSAPI (Kerberos V5) as a SASL mechanism (RFC 4752), through the system's GSSAPI library.
#pragma once

#include "saslmechanism.h"

namespace ssmtp::protocol::sasl {

// nullptr when this build has no GSSAPI library.
std::unique_ptr<Mechanism> createGssapiMechanism(const Credentials &credentials);

} // namespace ssmtp::protocol::sasl
