// NTLM (protocol/sasl/saslntlm.h) against arbitrary CHALLENGE (type 2) messages: the exchange
// checks of saslexchange.h (NEGOTIATE, once more after an empty challenge, then one
// AUTHENTICATE), and the AUTHENTICATE message is well formed: six security buffers inside
// the message, laid out back to back after the 64-octet header, exactly one of Unicode/OEM
// (Unicode when the server offered it), only flags we offer, LM 24 octets, NT 24 octets
// (v1) or 48 + target info (v2), no session key; it answers only challenges with the
// signature and type 2. Byte 0: bit 0 skips initialResponse(), bits 1-2 pick the
// credentials (0: MS-NLMP 4.2's Domain\User/Password on COMPUTER), bit 3 NTLMv2, bit 7
// appends 64 Ki zero octets to each challenge (so that offsets can point at target info big
// enough for the 16-bit length limits); the rest: challenges separated by "\n--\n".
#include "saslexchange.h"

#include "protocol/sasl/saslntlm.h"

#include <QtEndian>

using namespace ssmtp::protocol::sasl;

namespace {

const QByteArray Signature("NTLMSSP\0", 8);
constexpr quint32 OfferedFlags = ntlm::NegotiateUnicode | ntlm::NegotiateOem | ntlm::RequestTarget |
                                 ntlm::NegotiateNtlm | ntlm::NegotiateAlwaysSign |
                                 ntlm::NegotiateExtendedSessionSecurity;

quint16 u16(const QByteArray &m, qsizetype at)
{
    return qFromLittleEndian<quint16>(m.constData() + at);
}

quint32 u32(const QByteArray &m, qsizetype at)
{
    return qFromLittleEndian<quint32>(m.constData() + at);
}

bool isType(const QByteArray &m, quint32 type)
{
    return m.size() >= 12 && m.startsWith(Signature) && u32(m, 8) == type;
}

void checkAuthenticate(const QByteArray &challenge, const QByteArray &m, bool v2)
{
    FUZZ_CHECK(challenge.size() >= 32 && isType(challenge, 2), "answered a non-CHALLENGE");
    const auto parsed = ntlm::parseChallenge(challenge);
    FUZZ_CHECK(parsed.has_value(), "answered a challenge that does not parse");
    FUZZ_CHECK(m.size() >= 64, "AUTHENTICATE shorter than its header");
    // LM, NT, domain, user, workstation, session key; laid out domain, user, workstation,
    // LM, NT, session key.
    QByteArray fields[6];
    quint32 expectedOffset = 64;
    for (const int i : {2, 3, 4, 0, 1, 5}) {
        const qsizetype at = 12 + 8 * i;
        const quint16 length = u16(m, at);
        FUZZ_CHECK(u16(m, at + 2) == length, "security buffer MaxLen differs from Len");
        FUZZ_CHECK(u32(m, at + 4) == expectedOffset, "security buffers not back to back");
        FUZZ_CHECK(quint64(expectedOffset) + length <= quint64(m.size()),
                   "security buffer outside the message");
        fields[i] = m.mid(expectedOffset, length);
        expectedOffset += length;
    }
    FUZZ_CHECK(expectedOffset == quint64(m.size()), "octets after the payload");
    const quint32 flags = u32(m, 60);
    const bool unicode = flags & ntlm::NegotiateUnicode;
    FUZZ_CHECK(unicode != bool(flags & ntlm::NegotiateOem), "not exactly one of Unicode/OEM");
    FUZZ_CHECK(unicode == bool(parsed->flags & ntlm::NegotiateUnicode),
               "Unicode does not follow the server");
    FUZZ_CHECK(!(flags & ~OfferedFlags), "a flag we never offered");
    FUZZ_CHECK(fields[0].size() == 24, "LM response length");
    const qsizetype nt = v2 ? 16 + 28 + parsed->targetInfo.size() + 4 : 24;
    FUZZ_CHECK(fields[1].size() == nt, "NT response length");
    FUZZ_CHECK(fields[5].isEmpty(), "session key sent");
}

fuzz::SaslTranscript run(const Credentials &credentials, bool vector, bool initial,
                         const QList<QByteArray> &challenges, QByteArrayView input)
{
    NtlmMechanism mechanism(credentials);
    mechanism.setClientChallenge(QByteArray(8, '\xaa'));
    mechanism.setTimestamp(0);
    if (vector)
        mechanism.setWorkstation(QStringLiteral("COMPUTER"));
    fuzz::SaslLimits limits;
    limits.maxResponses = 3;
    limits.password = credentials.password;
    return fuzz::runSaslExchange(mechanism, initial, challenges, limits, input);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    Credentials msNlmp;
    msNlmp.user = QStringLiteral("Domain\\User");
    msNlmp.password = QStringLiteral("Password");
    std::optional<fuzz::SaslInput> in = fuzz::decodeSaslInput(data, size, msNlmp);
    if (!in)
        return 0;
    const int which = (in->options >> 1) & 3;
    Credentials credentials = in->credentials;
    credentials.useNtlmV2 = in->options & 8;
    const bool initial = in->initial;
    const QByteArrayView input = in->bytes;
    QList<QByteArray> challenges = in->challenges;
    if (in->options & 0x80) {
        for (QByteArray &challenge : challenges)
            challenge.append(0x10000, '\0');
    }

    const fuzz::SaslTranscript t = run(credentials, which == 0, initial, challenges, input);
    std::optional<QByteArray> negotiate = t.initial;
    if (negotiate)
        FUZZ_CHECK(negotiate->size() == 32 && isType(*negotiate, 1), "NEGOTIATE");
    bool authenticated = false;
    for (const fuzz::SaslStep &s : t.steps) {
        if (!s.response) {
            FUZZ_CHECK(!s.error.isEmpty() || authenticated, "refused without a reason");
            continue;
        }
        FUZZ_CHECK(!authenticated, "answered after AUTHENTICATE");
        if (s.challenge.isEmpty()) {
            FUZZ_CHECK(isType(*s.response, 1), "an empty challenge not answered with NEGOTIATE");
            FUZZ_CHECK(!negotiate || *negotiate == *s.response, "NEGOTIATE changed");
            negotiate = s.response;
        } else {
            checkAuthenticate(s.challenge, *s.response, credentials.useNtlmV2);
            authenticated = true;
        }
    }
    FUZZ_CHECK(run(credentials, which == 0, initial, challenges, input) == t, "not deterministic");
    return 0;
}
