// Turns TlsSettings into a QSslConfiguration and judges certificate verification errors.
#pragma once

#include "tlssettings.h"

#include <QList>
#include <QSslConfiguration>
#include <QSslError>

namespace ssmtp::transport {

QSslConfiguration makeSslConfiguration(const TlsSettings &settings);

// Errors the user told us to ignore: SSLSecurityFlags bits, and a missing OCSP response when
// SSLCheckOCSP is 1 ("check if the server staples one").
bool isIgnoredError(const QSslError &error, const TlsSettings &settings);

// The spec's code for a failed verification: 275 when the chain cannot be verified (unknown
// issuer, self-signed, untrusted), else 280 (expired, wrong host name, revoked, ...).
int verificationErrorCode(const QList<QSslError> &errors);

// The errors as one human-readable text (the Status of SSLServerAuthentication).
QString describeErrors(const QList<QSslError> &errors);

} // namespace ssmtp::transport
