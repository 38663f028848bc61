// Message-ID and Date header values.
#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QString>

namespace ssmtp::message {

// "<hex@domain>": hex = hash (MD5, SHA1 default, SHA256 per the MessageIdAlgorithm config
// setting) of 32 random bytes from QRandomGenerator::system() and the current time.
// Returns an empty array when algorithm is not one of MD5, SHA1, SHA256 (case-insensitive).
// domain: an empty one becomes "localhost", an internationalised one its ACE ("xn--") form;
// one that is not a valid id-right (RFC 5322 3.6.4: dot-atom or [literal]) gives an empty array.
QByteArray generateMessageId(const QString &algorithm, const QString &domain);

// RFC 5322 date-time in English whatever the locale: "Sun, 22 Nov 2026 11:36:00 +0100".
// Uses the dateTime's own UTC offset (local time, UTC or fixed offset alike); day of month
// zero-padded to two digits. Empty for an invalid dateTime or a year outside 1900..9999.
QByteArray formatRfc5322Date(const QDateTime &dateTime);

} // namespace ssmtp::message
