// DIGEST-MD5 (protocol/sasl/sasldigestmd5.h) against arbitrary challenges: the exchange
// checks of saslexchange.h (two responses at most, isComplete() only after the server's
// rspauth), and the digest-response parses back with parseDigestDirectives() into exactly
// the directives it must carry, each once: the server's nonce and one of its realms
// unchanged, our cnonce, nc=00000001, qop=auth, a 32-digit response, charset=utf-8 only
// when offered. Byte 0: bit 0 skips initialResponse(), bits 1-2 pick the credentials (0:
// RFC 2831's chris/secret for imap/elwood.innosoft.com); the rest: challenges separated by
// "\n--\n".
#include "saslexchange.h"

#include "protocol/sasl/sasldigestmd5.h"

using namespace ssmtp::protocol::sasl;

namespace {

const QByteArray ClientNonce = "OA6MHXh6VqTrRk";

bool isLowerHex(const QByteArray &text)
{
    for (const char c : text) {
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
            return false;
    }
    return true;
}

void checkDigestResponse(const QByteArray &challenge, const QByteArray &response,
                         const Credentials &credentials, const QByteArray &service)
{
    const auto offered = parseDigestDirectives(challenge);
    FUZZ_CHECK(offered.has_value(), "answered a challenge that does not parse");
    QList<QByteArray> realms;
    QByteArray nonce;
    bool charset = false;
    for (const DigestDirective &d : *offered) {
        if (d.first == "realm")
            realms.append(d.second);
        else if (d.first == "nonce")
            nonce = d.second;
        else if (d.first == "charset")
            charset = true;
    }
    const auto sent = parseDigestDirectives(response);
    FUZZ_CHECK(sent.has_value(), "digest-response does not parse");
    QList<QByteArray> names;
    for (const DigestDirective &d : *sent) {
        FUZZ_CHECK(!names.contains(d.first), "directive sent twice");
        names.append(d.first);
        const QByteArray &v = d.second;
        if (d.first == "realm")
            FUZZ_CHECK(realms.contains(v), "realm the server did not offer");
        else if (d.first == "nonce")
            FUZZ_CHECK(v == nonce, "nonce changed");
        else if (d.first == "cnonce")
            FUZZ_CHECK(v == ClientNonce, "cnonce changed");
        else if (d.first == "nc")
            FUZZ_CHECK(v == "00000001", "nc");
        else if (d.first == "qop")
            FUZZ_CHECK(v == "auth", "qop other than auth");
        else if (d.first == "response")
            FUZZ_CHECK(v.size() == 32 && isLowerHex(v), "response not 32 hex digits");
        else if (d.first == "charset")
            FUZZ_CHECK(charset && v == "utf-8", "charset not offered");
        else if (d.first == "username")
            FUZZ_CHECK(v == (charset ? credentials.user.toUtf8() : credentials.user.toLatin1()),
                       "username");
        else if (d.first == "digest-uri")
            FUZZ_CHECK(v == service + '/' + credentials.serverHost.toUtf8(), "digest-uri");
        else
            FUZZ_CHECK(d.first == "authzid" && !credentials.authorizationIdentity.isEmpty() &&
                           credentials.authorizationIdentity != credentials.user,
                       "unexpected directive");
    }
    for (const char *required :
         {"username", "nonce", "cnonce", "nc", "qop", "response", "digest-uri"})
        FUZZ_CHECK(names.contains(required), "required directive missing");
    FUZZ_CHECK(names.contains("realm") == !realms.isEmpty(), "realm sent without offer or lost");
    FUZZ_CHECK(names.contains("charset") == charset, "charset not echoed");
}

fuzz::SaslTranscript run(const Credentials &credentials, bool vector, bool initial,
                         const QList<QByteArray> &challenges, QByteArrayView input)
{
    DigestMd5Mechanism mechanism(credentials);
    mechanism.setClientNonce(ClientNonce);
    if (vector)
        mechanism.setServiceType("imap");
    fuzz::SaslLimits limits;
    limits.maxResponses = 2;
    limits.mutual = true;
    limits.password = credentials.password;
    return fuzz::runSaslExchange(mechanism, initial, challenges, limits, input);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    Credentials rfc2831;
    rfc2831.user = QStringLiteral("chris");
    rfc2831.password = QStringLiteral("secret");
    rfc2831.serverHost = QStringLiteral("elwood.innosoft.com");
    const std::optional<fuzz::SaslInput> in = fuzz::decodeSaslInput(data, size, rfc2831);
    if (!in)
        return 0;
    const int which = (in->options >> 1) & 3;
    const Credentials &credentials = in->credentials;
    const bool initial = in->initial;
    const QByteArrayView input = in->bytes;
    const QList<QByteArray> &challenges = in->challenges;

    const fuzz::SaslTranscript t = run(credentials, which == 0, initial, challenges, input);
    FUZZ_CHECK(!t.initial, "DIGEST-MD5 has no initial response");
    for (qsizetype i = 0; i < t.steps.size(); ++i) {
        const fuzz::SaslStep &s = t.steps.at(i);
        if (!s.response) {
            // Only the end of a finished exchange may be refused without a reason.
            FUZZ_CHECK(!s.error.isEmpty() || (i >= 2 && t.steps.at(1).complete),
                       "refused without a reason");
            continue;
        }
        if (i == 0)
            checkDigestResponse(s.challenge, *s.response, credentials,
                                which == 0 ? QByteArray("imap") : QByteArray("smtp"));
        else
            FUZZ_CHECK(i == 1 && s.response->isEmpty() && s.complete, "more than the ack");
    }
    FUZZ_CHECK(run(credentials, which == 0, initial, challenges, input) == t, "not deterministic");
    return 0;
}
