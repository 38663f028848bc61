// Loads "FILE[:PASSWORD]" command-line values (PKCS#12 or PEM with key) as SsmtpCertificate.
#pragma once

#include "ssmtp.h"

#include <QString>

// On failure returns a null certificate with *errorCode and *errorText set.
SsmtpCertificate loadCertificateSpec(const QString &spec, int *errorCode, QString *errorText);

// Reads a whole file; on failure *errorCode/*errorText describe why.
bool readWholeFile(const QString &path, QByteArray *contents, int *errorCode, QString *errorText);
