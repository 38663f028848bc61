#include "sasldigestmd5.h"

#include "transport/printabletext.h"

#include "sasltools.h"

#include <QCoreApplication>
#include <QCryptographicHash>

namespace ssmtp::protocol::sasl {

namespace {

// RFC 2831 2.1: a digest-challenge is smaller than 2048 octets.
constexpr qsizetype MaxChallenge = 2048;

bool isLws(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

// RFC 2616 token characters: CHAR except CTLs and separators.
bool isTokenChar(char c)
{
    const auto u = static_cast<unsigned char>(c);
    if (u <= 31 || u >= 127)
        return false;
    return !QByteArrayView("()<>@,;:\\\"/[]?={} \t").contains(c);
}

QByteArray md5(const QByteArray &data)
{
    return QCryptographicHash::hash(data, QCryptographicHash::Md5);
}

QByteArray quoted(const QByteArray &value)
{
    QByteArray out = "\"";
    for (const char c : value) {
        if (c == '"' || c == '\\')
            out += '\\';
        out += c;
    }
    return out + '"';
}

// RFC 2831 2.1.2.1: with charset=utf-8, a string that fits in ISO 8859-1 is hashed in ISO
// 8859-1, others in UTF-8; without it, only ISO 8859-1 is possible.
std::optional<QByteArray> hashForm(const QString &text, bool utf8)
{
    bool latin1 = true;
    for (const QChar c : text) {
        if (c.unicode() > 0xff) {
            latin1 = false;
            break;
        }
    }
    if (latin1)
        return text.toLatin1();
    if (utf8)
        return text.toUtf8();
    return std::nullopt;
}

} // namespace

std::optional<QList<DigestDirective>> parseDigestDirectives(const QByteArray &text)
{
    QList<DigestDirective> out;
    const qsizetype n = text.size();
    qsizetype i = 0;
    const auto skipLws = [&] {
        while (i < n && isLws(text.at(i)))
            ++i;
    };
    for (;;) {
        // Empty list elements (",,") are allowed.
        skipLws();
        while (i < n && text.at(i) == ',') {
            ++i;
            skipLws();
        }
        if (i >= n)
            return out;
        const qsizetype nameStart = i;
        while (i < n && isTokenChar(text.at(i)))
            ++i;
        if (i == nameStart)
            return std::nullopt;
        const QByteArray name = text.mid(nameStart, i - nameStart).toLower();
        skipLws();
        if (i >= n || text.at(i) != '=')
            return std::nullopt;
        ++i;
        skipLws();
        QByteArray value;
        if (i < n && text.at(i) == '"') {
            ++i;
            bool closed = false;
            while (i < n) {
                const char c = text.at(i++);
                if (c == '"') {
                    closed = true;
                    break;
                }
                if (c == '\\') {
                    if (i >= n)
                        return std::nullopt;
                    value += text.at(i++);
                } else {
                    value += c;
                }
            }
            if (!closed)
                return std::nullopt;
        } else {
            const qsizetype valueStart = i;
            while (i < n && isTokenChar(text.at(i)))
                ++i;
            if (i == valueStart)
                return std::nullopt;
            value = text.mid(valueStart, i - valueStart);
        }
        out.append({name, value});
        skipLws();
        if (i < n && text.at(i) != ',')
            return std::nullopt;
    }
}

DigestMd5Mechanism::DigestMd5Mechanism(const Credentials &credentials)
    : m_credentials(credentials)
    , m_clientNonce(randomNonce())
{}

std::nullopt_t DigestMd5Mechanism::refuse(const QString &why)
{
    m_error = why;
    m_step = Step::Done;
    return std::nullopt;
}

std::optional<QByteArray> DigestMd5Mechanism::respond(const QByteArray &challenge)
{
    switch (m_step) {
    case Step::Challenge:
        return digestResponse(challenge);
    case Step::ServerProof:
        return checkServerProof(challenge);
    case Step::Done:
        break;
    }
    return std::nullopt;
}

std::optional<QByteArray> DigestMd5Mechanism::digestResponse(const QByteArray &challenge)
{
    const QString malformed =
        QCoreApplication::translate("Ssmtp", "The server sent a malformed DIGEST-MD5 challenge.");
    if (challenge.size() >= MaxChallenge)
        return refuse(malformed);
    const auto directives = parseDigestDirectives(challenge);
    if (!directives)
        return refuse(malformed);

    QList<QByteArray> realms;
    QByteArray nonce, qop, charset, algorithm;
    for (const DigestDirective &d : *directives) {
        if (d.first == "realm") {
            realms.append(d.second);
            continue;
        }
        QByteArray *single = d.first == "nonce"       ? &nonce
                             : d.first == "qop"       ? &qop
                             : d.first == "charset"   ? &charset
                             : d.first == "algorithm" ? &algorithm
                                                      : nullptr;
        if (!single)
            continue; // stale, maxbuf, cipher, unknown auth-params: nothing to do for qop=auth
        // RFC 2831: these directives must not appear more than once.
        if (!single->isNull() || d.second.isEmpty())
            return refuse(malformed);
        *single = d.second;
    }
    if (nonce.isEmpty() || algorithm.compare("md5-sess", Qt::CaseInsensitive) != 0)
        return refuse(malformed);
    const bool utf8 = !charset.isNull();
    if (utf8 && charset.compare("utf-8", Qt::CaseInsensitive) != 0)
        return refuse(malformed);
    if (!qop.isNull()) {
        bool authOffered = false;
        for (const QByteArray &option : qop.split(','))
            authOffered = authOffered || option.trimmed().compare("auth", Qt::CaseInsensitive) == 0;
        if (!authOffered)
            return refuse(QCoreApplication::translate(
                              "Ssmtp",
                              "The server's DIGEST-MD5 requires a security layer (qop=%1), which "
                              "this client does not support.")
                              .arg(transport::printableText(qop, 100)));
    }

    // The realm: the one of the user's domain if offered, else the server's name if offered,
    // else the first one; none offered means the empty realm (and no realm directive).
    QByteArray realm;
    if (!realms.isEmpty()) {
        realm = realms.first();
        const QString user = m_credentials.user;
        const QString domain = user.contains(QLatin1Char('@'))
                                   ? user.mid(user.lastIndexOf(QLatin1Char('@')) + 1)
                                   : QString();
        // In rising priority: a later match wins.
        for (const QString &preferred : {m_credentials.serverHost, domain}) {
            for (const QByteArray &r : std::as_const(realms)) {
                if (!preferred.isEmpty() &&
                    QString::fromUtf8(r).compare(preferred, Qt::CaseInsensitive) == 0)
                    realm = r;
            }
        }
    }
    const QString realmText = utf8 ? QString::fromUtf8(realm) : QString::fromLatin1(realm);

    const auto user = hashForm(m_credentials.user, utf8);
    const auto realmHashed = hashForm(realmText, utf8);
    const auto password = hashForm(m_credentials.password, utf8);
    const QString authzidText = m_credentials.authorizationIdentity == m_credentials.user
                                    ? QString()
                                    : m_credentials.authorizationIdentity;
    if (!user || !realmHashed || !password)
        return refuse(QCoreApplication::translate(
            "Ssmtp", "The user name or password has characters the server's DIGEST-MD5 "
                     "cannot take (it does not offer UTF-8)."));
    const QByteArray userOnWire = utf8 ? m_credentials.user.toUtf8() : *user;
    const QByteArray authzid = utf8 ? authzidText.toUtf8() : authzidText.toLatin1();

    const QByteArray digestUri = m_service + '/' + m_credentials.serverHost.toUtf8();
    const QByteArray nc = "00000001";
    QByteArray a1 =
        md5(*user + ':' + *realmHashed + ':' + *password) + ':' + nonce + ':' + m_clientNonce;
    if (!authzid.isEmpty())
        a1 += ':' + authzid;
    const QByteArray ha1 = md5(a1).toHex();
    const auto kd = [&](const QByteArray &a2) {
        return md5(ha1 + ':' + nonce + ':' + nc + ':' + m_clientNonce + ":auth:" + md5(a2).toHex())
            .toHex();
    };
    m_expectedRspAuth = kd(':' + digestUri);

    QByteArray response;
    if (utf8)
        response += "charset=utf-8,";
    response += "username=" + quoted(userOnWire);
    if (!realms.isEmpty())
        response += ",realm=" + quoted(realm);
    response += ",nonce=" + quoted(nonce) + ",nc=" + nc + ",cnonce=" + quoted(m_clientNonce) +
                ",digest-uri=" + quoted(digestUri) +
                ",response=" + kd("AUTHENTICATE:" + digestUri) + ",qop=auth";
    if (!authzid.isEmpty())
        response += ",authzid=" + quoted(authzid);
    m_step = Step::ServerProof;
    return response;
}

std::optional<QByteArray> DigestMd5Mechanism::checkServerProof(const QByteArray &challenge)
{
    m_step = Step::Done;
    const auto directives = parseDigestDirectives(challenge);
    QByteArray rspauth;
    int count = 0;
    if (directives) {
        for (const DigestDirective &d : *directives) {
            if (d.first == "rspauth") {
                rspauth = d.second.toLower();
                ++count;
            }
        }
    }
    if (count != 1 || !equalDigests(rspauth, m_expectedRspAuth))
        return refuse(QCoreApplication::translate(
            "Ssmtp", "The server's DIGEST-MD5 proof (rspauth) is wrong: it does not know the "
                     "password (possibly an impostor). Not continuing."));
    // Verified: the empty response lets the server send its final 235.
    m_serverVerified = true;
    return QByteArray();
}

} // namespace ssmtp::protocol::sasl
