// Everything the SMTP session needs to know, copied from the facade's properties and config
// settings when an operation starts (so changing a property mid-operation has no effect).
#pragma once

#include "transport/proxysettings.h"
#include "transport/socketoptions.h"
#include "transport/tlssettings.h"

#include <QString>

namespace ssmtp::protocol {

struct SessionSettings
{
    QString host;
    quint16 port = 25;
    QString hello;               // EHLO/HELO argument
    bool allowExtensions = true; // EHLO, else HELO only
    QString user;
    QString password;
    QString authorizationIdentity;
    int authMechanism = 0; // Ssmtp::AuthMechanism
    bool allowInsecureAuth = false;
    bool useNtlmV2 = false;           // UseNTLMv2
    int timeoutSeconds = 60;          // 0: none
    int connectionTimeoutSeconds = 0; // 0: use timeoutSeconds
    bool absoluteTimeout = false;
    int maxLineLength = 2048;
    bool maskSensitive = true;
    bool sendRset = true;
    bool stopOnToErrors = true;
    bool stopOnCcErrors = true;
    bool stopOnBccErrors = false;
    qint64 maxTransferRate = 0;
    transport::SocketOptions socket;
    transport::ProxySettings proxy;
    transport::TlsSettings tls;
};

} // namespace ssmtp::protocol
