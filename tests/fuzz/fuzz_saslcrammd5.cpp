// CRAM-MD5 (protocol/sasl/saslcrammd5.h) against arbitrary challenges: the exchange checks of
// saslexchange.h (one response at most), and the response is "user SP 32 lower-case hex
// digits". Byte 0: bit 0 skips initialResponse(), bits 1-2 pick the credentials (0: RFC 2195's
// tim/tanstaaftanstaaf); the rest: challenges separated by "\n--\n".
#include "saslexchange.h"

#include "protocol/sasl/saslcrammd5.h"

using namespace ssmtp::protocol::sasl;

namespace {

void checkResponse(const QByteArray &response, const Credentials &credentials)
{
    const QByteArray user = credentials.user.toUtf8();
    FUZZ_CHECK(response.size() == user.size() + 1 + 32, "CRAM-MD5 response length");
    FUZZ_CHECK(response.startsWith(QByteArray(user + ' ')),
               "CRAM-MD5 response does not start with the user");
    for (const char c : response.sliced(user.size() + 1))
        FUZZ_CHECK((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'), "CRAM-MD5 digest not hex");
}

fuzz::SaslTranscript run(const Credentials &credentials, bool initial,
                         const QList<QByteArray> &challenges, QByteArrayView input)
{
    CramMd5Mechanism mechanism(credentials);
    fuzz::SaslLimits limits;
    limits.maxResponses = 1;
    // A refused empty challenge leaves it ready for a real one; SmtpSession cancels after any
    // refusal, so this is not relied on.
    limits.stickyRefusal = false;
    limits.password = credentials.password;
    return fuzz::runSaslExchange(mechanism, initial, challenges, limits, input);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    Credentials vector;
    vector.user = QStringLiteral("tim");
    vector.password = QStringLiteral("tanstaaftanstaaf");
    const std::optional<fuzz::SaslInput> in = fuzz::decodeSaslInput(data, size, vector);
    if (!in)
        return 0;
    const Credentials &credentials = in->credentials;
    const bool initial = in->initial;
    const QByteArrayView input = in->bytes;
    const QList<QByteArray> &challenges = in->challenges;

    const fuzz::SaslTranscript t = run(credentials, initial, challenges, input);
    FUZZ_CHECK(!t.initial, "CRAM-MD5 has no initial response");
    for (const fuzz::SaslStep &s : t.steps) {
        if (s.response)
            checkResponse(*s.response, credentials);
        else
            FUZZ_CHECK(!s.error.isEmpty(), "refused without a reason");
    }
    FUZZ_CHECK(run(credentials, initial, challenges, input) == t, "not deterministic");
    return 0;
}
