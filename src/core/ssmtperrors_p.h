// Default descriptions of Ssmtp::Error codes, for errors that carry no server reply.
#pragma once

#include "ssmtp.h"

QString ssmtpErrorText(Ssmtp::Error error);
