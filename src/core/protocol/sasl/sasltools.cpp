#include "sasltools.h"

#include <QRandomGenerator>

#include <array>

namespace ssmtp::protocol::sasl {

QByteArray saslName(const QString &name)
{
    QByteArray out;
    const QByteArray utf8 = name.toUtf8();
    out.reserve(utf8.size());
    for (const char c : utf8) {
        if (c == '=')
            out += "=3D";
        else if (c == ',')
            out += "=2C";
        else
            out += c;
    }
    return out;
}

QByteArray randomNonce()
{
    std::array<quint32, 5> words{};
    QRandomGenerator::system()->fillRange(words.data(), words.size());
    // 18 of the 20 octets: base64 without padding.
    return QByteArray(reinterpret_cast<const char *>(words.data()), 18).toBase64();
}

QByteArray bearerToken(const Credentials &credentials)
{
    QString token = credentials.authorizationIdentity.trimmed();
    if (token.isEmpty())
        token = credentials.password.trimmed();
    const QLatin1String bearer("Bearer ");
    if (token.startsWith(bearer, Qt::CaseInsensitive))
        token = token.mid(bearer.size()).trimmed();
    return token.toUtf8();
}

bool equalDigests(const QByteArray &a, const QByteArray &b)
{
    if (a.size() != b.size())
        return false;
    unsigned char diff = 0;
    for (qsizetype i = 0; i < a.size(); ++i)
        diff |= static_cast<unsigned char>(a.at(i) ^ b.at(i));
    return diff == 0;
}

} // namespace ssmtp::protocol::sasl
