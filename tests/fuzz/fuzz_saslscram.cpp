// SCRAM-SHA-256 (protocol/sasl/saslscram.h) against arbitrary server-first and server-final
// messages: the exchange checks of saslexchange.h (client-first, client-final, then only the
// empty acknowledgement of a correct v=; isComplete() only then), and the client-final
// message is "c=<base64 gs2-header>,r=<the server's nonce>,p=<base64 of 32 octets>" with a
// server nonce that extends ours. Byte 0: bit 0 skips initialResponse(), bits 1-2 pick the
// credentials (0: RFC 7677's user/pencil); the rest: challenges separated by "\n--\n".
// Challenges asking for more than kMaxFuzzIterations PBKDF2 rounds (but no more than the
// mechanism's MaxIterations, which it refuses) are skipped: each costs milliseconds and the
// count is bounded by design, not a parsing question. For the same reason the determinism
// check runs again only for exchanges of up to 64 rounds.
#include "saslexchange.h"

#include "protocol/sasl/saslscram.h"

using namespace ssmtp::protocol::sasl;

namespace {

const QByteArray ClientNonce = "rOprNGfwEbeRWgbNEkqO";
constexpr int kMaxFuzzIterations = 4096; // RFC 7677's example

// The PBKDF2 rounds a server-first message would cost (0: it is refused before).
int roundsAskedFor(const QByteArray &challenge)
{
    const QList<QByteArray> attributes = challenge.split(',');
    if (attributes.size() < 3 || !attributes.at(2).startsWith("i="))
        return 0;
    bool ok = false;
    const int count = attributes.at(2).mid(2).toInt(&ok);
    return ok && count <= ScramSha256Mechanism::MaxIterations ? count : 0;
}

void checkClientFinal(const QByteArray &serverFirst, const QByteArray &response)
{
    const QList<QByteArray> sent = response.split(',');
    FUZZ_CHECK(sent.size() == 3, "client-final is not c=,r=,p=");
    FUZZ_CHECK(sent.at(0).startsWith("c=") && sent.at(1).startsWith("r=") &&
                   sent.at(2).startsWith("p="),
               "client-final attributes");
    const auto gs2 =
        QByteArray::fromBase64Encoding(sent.at(0).mid(2), QByteArray::AbortOnBase64DecodingErrors);
    FUZZ_CHECK(gs2 && gs2.decoded.startsWith("n,") && gs2.decoded.endsWith(','),
               "channel binding is not the gs2-header");
    const QByteArray serverNonce = serverFirst.split(',').first().mid(2);
    FUZZ_CHECK(sent.at(1).mid(2) == serverNonce, "client-final nonce is not the server's");
    FUZZ_CHECK(serverNonce.startsWith(ClientNonce) && serverNonce.size() > ClientNonce.size(),
               "accepted a server nonce that does not extend ours");
    const auto proof =
        QByteArray::fromBase64Encoding(sent.at(2).mid(2), QByteArray::AbortOnBase64DecodingErrors);
    FUZZ_CHECK(proof && proof.decoded.size() == 32, "proof is not 32 octets");
}

fuzz::SaslTranscript run(const Credentials &credentials, bool initial,
                         const QList<QByteArray> &challenges, QByteArrayView input)
{
    ScramSha256Mechanism mechanism(credentials);
    mechanism.setClientNonce(ClientNonce);
    fuzz::SaslLimits limits;
    limits.maxResponses = 3;
    limits.mutual = true;
    limits.stickyRefusal = true; // every refusal is final, also before the first message
    limits.password = credentials.password;
    return fuzz::runSaslExchange(mechanism, initial, challenges, limits, input);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    Credentials rfc7677;
    rfc7677.user = QStringLiteral("user");
    rfc7677.password = QStringLiteral("pencil");
    const std::optional<fuzz::SaslInput> in = fuzz::decodeSaslInput(data, size, rfc7677);
    if (!in)
        return 0;
    const Credentials &credentials = in->credentials;
    const bool initial = in->initial;
    const QByteArrayView input = in->bytes;
    const QList<QByteArray> &challenges = in->challenges;
    int rounds = 0;
    for (const QByteArray &challenge : challenges)
        rounds = qMax(rounds, roundsAskedFor(challenge));
    if (rounds > kMaxFuzzIterations)
        return 0;

    const fuzz::SaslTranscript t = run(credentials, initial, challenges, input);
    // Expected order of what it sends: client-first, client-final, the empty acknowledgement.
    int next = 0;
    if (t.initial) {
        FUZZ_CHECK(t.initial->startsWith("n,") &&
                       t.initial->endsWith(QByteArray(",r=" + ClientNonce)),
                   "client-first");
        next = 1;
    }
    for (const fuzz::SaslStep &s : t.steps) {
        if (!s.response) {
            FUZZ_CHECK(!s.error.isEmpty() || next == 3 || (next == 0 && !s.challenge.isEmpty()),
                       "refused without a reason");
            continue;
        }
        if (next == 0) {
            FUZZ_CHECK(s.challenge.isEmpty() && s.response->startsWith("n,") &&
                           s.response->endsWith(QByteArray(",r=" + ClientNonce)),
                       "client-first after an empty challenge");
        } else if (next == 1) {
            checkClientFinal(s.challenge, *s.response);
            FUZZ_CHECK(!s.complete, "complete before the server's proof");
        } else {
            FUZZ_CHECK(next == 2 && s.response->isEmpty() && s.complete, "more than the ack");
        }
        ++next;
    }
    if (rounds <= 64) // the second run's key derivation would dominate the time otherwise
        FUZZ_CHECK(run(credentials, initial, challenges, input) == t, "not deterministic");
    return 0;
}
