// Which SASL mechanism to use: the user's AuthMechanism choice against what the server's EHLO
// offers. Pure, so every combination is unit-tested.
#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

namespace ssmtp::protocol::sasl {

struct Selection
{
    QByteArray name; // the mechanism to send after AUTH; empty on failure
    QString error;   // why none can be used (translated), naming what the server offers
};

// authMechanism: a Ssmtp::AuthMechanism value. offered: the EHLO AUTH list (upper case).
Selection selectMechanism(int authMechanism, const QList<QByteArray> &offered);

} // namespace ssmtp::protocol::sasl
