#include "saslntlm.h"

#include "openssl/openssl_p.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QMessageAuthenticationCode>
#include <QRandomGenerator>
#include <QtEndian>

#include <array>

namespace ssmtp::protocol::sasl {

namespace ntlm {

namespace {

const QByteArray Signature("NTLMSSP\0", 8);
constexpr quint32 OurFlags = NegotiateUnicode | NegotiateOem | RequestTarget | NegotiateNtlm |
                             NegotiateAlwaysSign | NegotiateExtendedSessionSecurity;
constexpr quint16 MsvAvEol = 0;
constexpr quint16 MsvAvTimestamp = 7;
// AUTHENTICATE_MESSAGE header without Version and MIC: the payload starts here.
constexpr int AuthenticateHeaderSize = 64;

quint16 u16(const QByteArray &data, qsizetype at)
{
    return qFromLittleEndian<quint16>(data.constData() + at);
}

quint32 u32(const QByteArray &data, qsizetype at)
{
    return qFromLittleEndian<quint32>(data.constData() + at);
}

void put16(QByteArray &out, quint16 value)
{
    char bytes[2];
    qToLittleEndian(value, bytes);
    out.append(bytes, 2);
}

void put32(QByteArray &out, quint32 value)
{
    char bytes[4];
    qToLittleEndian(value, bytes);
    out.append(bytes, 4);
}

void put64(QByteArray &out, quint64 value)
{
    char bytes[8];
    qToLittleEndian(value, bytes);
    out.append(bytes, 8);
}

QByteArray utf16le(const QString &text)
{
    QByteArray out;
    out.reserve(text.size() * 2);
    for (const QChar c : text)
        put16(out, c.unicode());
    return out;
}

// A security buffer (MS-NLMP 2.2.1): its bytes, or nullopt when it points outside message.
std::optional<QByteArray> field(const QByteArray &message, qsizetype at)
{
    const quint64 length = u16(message, at);
    const quint64 offset = u32(message, at + 4);
    if (offset + length > quint64(message.size()))
        return std::nullopt;
    return message.mid(qsizetype(offset), qsizetype(length));
}

// Walks the AV pairs: false when they are malformed (overrun, no MsvAvEOL). Sets *timestamp
// when an MsvAvTimestamp is present.
bool scanTargetInfo(const QByteArray &info, std::optional<quint64> *timestamp)
{
    qsizetype at = 0;
    while (at + 4 <= info.size()) {
        const quint16 id = u16(info, at);
        const quint16 length = u16(info, at + 2);
        at += 4;
        if (at + length > info.size())
            return false;
        if (id == MsvAvEol)
            return true;
        if (id == MsvAvTimestamp) {
            if (length != 8)
                return false;
            *timestamp = qFromLittleEndian<quint64>(info.constData() + at);
        }
        at += length;
    }
    return false;
}

// Expands 7 key octets to a DES key (the 8th bit of each octet is parity, ignored by DES).
QByteArray desKey(const char *seven)
{
    const auto b = [seven](int i) { return static_cast<unsigned char>(seven[i]); };
    QByteArray key(8, '\0');
    key[0] = char(b(0));
    for (int i = 1; i < 7; ++i)
        key[i] = char(((b(i - 1) << (8 - i)) | (b(i) >> i)) & 0xff);
    key[7] = char((b(6) << 1) & 0xff);
    return key;
}

QByteArray desEncrypt(const QByteArray &key8, const QByteArray &block8)
{
    openssl::ErrorQueueGuard guard;
    OSSL_LIB_CTX *context = openssl::legacyLibraryContext();
    if (!context)
        return {};
    const openssl::CipherPtr cipher(EVP_CIPHER_fetch(context, "DES-ECB", nullptr));
    const openssl::CipherContextPtr ctx(EVP_CIPHER_CTX_new());
    if (!cipher || !ctx)
        return {};
    std::array<unsigned char, 16> out{};
    int written = 0;
    if (EVP_EncryptInit_ex2(ctx.get(), cipher.get(),
                            reinterpret_cast<const unsigned char *>(key8.constData()), nullptr,
                            nullptr) != 1 ||
        EVP_CIPHER_CTX_set_padding(ctx.get(), 0) != 1 ||
        EVP_EncryptUpdate(ctx.get(), out.data(), &written,
                          reinterpret_cast<const unsigned char *>(block8.constData()), 8) != 1 ||
        written != 8)
        return {};
    return QByteArray(reinterpret_cast<const char *>(out.data()), 8);
}

} // namespace

std::optional<Challenge> parseChallenge(const QByteArray &message)
{
    // Signature, MessageType, TargetNameFields, NegotiateFlags, ServerChallenge.
    if (message.size() < 32 || !message.startsWith(Signature) || u32(message, 8) != 2)
        return std::nullopt;
    Challenge challenge;
    challenge.flags = u32(message, 20);
    challenge.serverChallenge = message.mid(24, 8);
    if (!field(message, 12))
        return std::nullopt;
    if (challenge.flags & NegotiateTargetInfo) {
        // Reserved (8) then TargetInfoFields (8).
        if (message.size() < 48)
            return std::nullopt;
        const auto info = field(message, 40);
        if (!info)
            return std::nullopt;
        challenge.targetInfo = *info;
    }
    return challenge;
}

QByteArray ntowfV1(const QString &password)
{
    return QCryptographicHash::hash(utf16le(password), QCryptographicHash::Md4);
}

QByteArray ntowfV2(const QString &password, const QString &user, const QString &domain)
{
    return QMessageAuthenticationCode::hash(utf16le(user.toUpper() + domain), ntowfV1(password),
                                            QCryptographicHash::Md5);
}

QByteArray desl(const QByteArray &key, const QByteArray &data)
{
    if (key.size() != 16 || data.size() != 8)
        return {};
    const QByteArray padded = key + QByteArray(5, '\0');
    QByteArray out;
    for (int i = 0; i < 3; ++i) {
        const QByteArray part = desEncrypt(desKey(padded.constData() + 7 * i), data);
        if (part.isEmpty())
            return {};
        out += part;
    }
    return out;
}

} // namespace ntlm

using namespace ntlm;

NtlmMechanism::NtlmMechanism(const Credentials &credentials)
    : m_credentials(credentials)
{
    std::array<quint32, 2> random{};
    QRandomGenerator::system()->fillRange(random.data(), random.size());
    m_clientChallenge = QByteArray(reinterpret_cast<const char *>(random.data()), 8);
}

std::nullopt_t NtlmMechanism::refuse(const QString &why)
{
    m_error = why;
    m_step = Step::Done;
    return std::nullopt;
}

std::optional<QByteArray> NtlmMechanism::initialResponse()
{
    // NEGOTIATE_MESSAGE without domain, workstation or version.
    QByteArray negotiate = Signature;
    put32(negotiate, 1);
    put32(negotiate, OurFlags);
    negotiate.append(16, '\0');
    m_step = Step::NegotiateSent;
    return negotiate;
}

std::optional<QByteArray> NtlmMechanism::respond(const QByteArray &challenge)
{
    switch (m_step) {
    case Step::Start:
    case Step::NegotiateSent:
        // A server that did not take the initial response asks with an empty challenge.
        if (challenge.isEmpty()) {
            const Step next = m_step == Step::Start ? Step::NegotiateSent : Step::NegotiateResent;
            const QByteArray negotiate = *initialResponse();
            m_step = next;
            return negotiate;
        }
        return authenticate(challenge);
    case Step::NegotiateResent:
        return authenticate(challenge);
    case Step::Done:
        break;
    }
    return std::nullopt;
}

std::optional<QByteArray> NtlmMechanism::authenticate(const QByteArray &message)
{
    m_step = Step::Done;
    const auto challenge = parseChallenge(message);
    std::optional<quint64> serverTime;
    if (!challenge ||
        (!challenge->targetInfo.isEmpty() && !scanTargetInfo(challenge->targetInfo, &serverTime)))
        return refuse(QCoreApplication::translate(
            "Ssmtp", "The server sent a malformed NTLM challenge message."));

    // "DOMAIN\user": domain and user; anything else is the user name.
    QString user = m_credentials.user;
    QString domain;
    if (const qsizetype backslash = user.indexOf(QLatin1Char('\\')); backslash >= 0) {
        domain = user.left(backslash);
        user = user.mid(backslash + 1);
    }

    const QByteArray &serverChallenge = challenge->serverChallenge;
    QByteArray lm, nt;
    if (m_credentials.useNtlmV2) {
        // NTLMv2 (MS-NLMP 3.3.2). A server timestamp replaces ours and the LMv2 response.
        const quint64 timestamp = serverTime.value_or(m_timestamp.value_or(
            quint64((QDateTime::currentMSecsSinceEpoch() + Q_INT64_C(11644473600000)) * 10000)));
        const QByteArray key = ntowfV2(m_credentials.password, user, domain);
        QByteArray temp("\x01\x01", 2);
        temp.append(6, '\0');
        put64(temp, timestamp);
        temp += m_clientChallenge;
        temp.append(4, '\0');
        temp += challenge->targetInfo;
        temp.append(4, '\0');
        const QByteArray proof =
            QMessageAuthenticationCode::hash(serverChallenge + temp, key, QCryptographicHash::Md5);
        nt = proof + temp;
        lm = serverTime ? QByteArray(24, '\0')
                        : QMessageAuthenticationCode::hash(serverChallenge + m_clientChallenge, key,
                                                           QCryptographicHash::Md5) +
                              m_clientChallenge;
    } else if (challenge->flags & NegotiateExtendedSessionSecurity) {
        // NTLMv1 with extended session security ("NTLM2 session response").
        const QByteArray mixed =
            QCryptographicHash::hash(QByteArray(serverChallenge + m_clientChallenge),
                                     QCryptographicHash::Md5)
                .left(8);
        nt = desl(ntowfV1(m_credentials.password), mixed);
        lm = m_clientChallenge + QByteArray(16, '\0');
    } else {
        // Plain NTLMv1. The LM response repeats the NT one (never the LM hash, which gives the
        // password away), as Windows does since Vista.
        nt = desl(ntowfV1(m_credentials.password), serverChallenge);
        lm = nt;
    }
    if (nt.isEmpty())
        return refuse(QCoreApplication::translate("Ssmtp",
                                                  "NTLMv1 needs single DES, which OpenSSL's "
                                                  "legacy provider does not provide here (%1). "
                                                  "Use NTLMv2 (config setting UseNTLMv2=true).")
                          .arg(openssl::legacyLibraryContextError()));

    const bool unicode = challenge->flags & NegotiateUnicode;
    const auto text = [unicode](const QString &s) { return unicode ? utf16le(s) : s.toLatin1(); };
    const quint32 flags = (challenge->flags & OurFlags & ~(NegotiateUnicode | NegotiateOem)) |
                          (unicode ? NegotiateUnicode : NegotiateOem);

    // AUTHENTICATE_MESSAGE: header with six security buffers, then the payload.
    const QList<QByteArray> payload = {
        lm, nt, text(domain), text(user), text(m_workstation), QByteArray()};
    for (const QByteArray &part : payload) {
        if (part.size() > 0xffff)
            return refuse(QCoreApplication::translate(
                "Ssmtp", "The NTLM user name, domain or server data is too long."));
    }
    // Payload order as Windows writes it: domain, user, workstation, LM, NT, session key.
    const int order[] = {2, 3, 4, 0, 1, 5};
    std::array<quint32, 6> offsets{};
    quint32 offset = AuthenticateHeaderSize;
    for (const int index : order) {
        offsets[size_t(index)] = offset;
        offset += quint32(payload.at(index).size());
    }
    QByteArray out = Signature;
    put32(out, 3);
    for (int i = 0; i < 6; ++i) {
        const auto length = quint16(payload.at(i).size());
        put16(out, length);
        put16(out, length);
        put32(out, offsets[size_t(i)]);
    }
    put32(out, flags);
    for (const int index : order)
        out += payload.at(index);
    return out;
}

} // namespace ssmtp::protocol::sasl
