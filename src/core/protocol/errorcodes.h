// Error codes the protocol layer reports. They are the values of Ssmtp::Error; the facade
// checks with static_assert that both agree, so this layer need not include the facade.
#pragma once

namespace ssmtp::protocol::errc {
constexpr int Firewall = 118;
constexpr int Protocol = 161;
constexpr int Communication = 162;
constexpr int NoRecipient = 165;
constexpr int MessageTooLarge = 167;
constexpr int ExtensionNotSupported = 168;
constexpr int Authentication = 173;
constexpr int RecipientRejected = 174;
constexpr int Timeout = 201;
constexpr int NotConnected = 212;
// TLS (the spec's 27x/28x)
constexpr int SecurityLibrary = 270;
constexpr int CertificateNotFound = 272;
constexpr int CannotAcquireCredentials = 273;
constexpr int CertificateChainVerification = 275;
constexpr int Handshake = 276;
constexpr int CertificateVerification = 280;
constexpr int ClientCertificateNotFound = 281;
constexpr int ServerCertificateNotFound = 282;
constexpr int Interrupted = 301;
constexpr int ConnectionDropped = 1120;
constexpr int ConnectionRefused = 10061;
constexpr int HostUnreachable = 10065;
constexpr int HostNotFound = 11001;
} // namespace ssmtp::protocol::errc
