// Shared by the fuzz_sasl* targets: runs a SASL mechanism through one AUTH exchange the way
// SmtpSession does (initialResponse(), then respond() to each 334 challenge until it gives
// up), with the challenges taken from the fuzz input, and checks what every mechanism owes
// a hostile server:
// - it answers at most `maxResponses` times in one exchange, and a server that keeps
//   challenging after the input's challenges (the last one again, or empty ones) gets a
//   refusal (nullopt) within that many rounds: no endless exchange;
// - each response is bounded by the challenge it answers (2 * size + 4096 octets);
// - errorString() is bounded and never contains the password (unless the server itself sent
//   those characters);
// - with mutual authentication, isComplete() is false until the round that returns the empty
//   acknowledgement of the server's proof, and stays true; without, it is always true;
// - once it refused, it stays refused (when `stickyRefusal`);
// - the same input gives the same transcript (nonces, timestamps are fixed by the targets).
//
// Input: challenges separated by "\n--\n" (at most 8, SmtpSession's MaxRounds) after the
// target's option octet(s).
#pragma once

#include "fuzzcheck.h"

#include "protocol/sasl/saslmechanism.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <optional>

namespace fuzz {

constexpr int MaxSaslRounds = 8; // SmtpSession cancels after this many challenges

struct SaslLimits
{
    int maxResponses = 1;      // initial response included
    bool stickyRefusal = true; // a refusal is final
    bool mutual = false;       // the server proves it knows the password (isComplete())
    QString password;          // must not show up in errorString()
};

struct SaslStep
{
    QByteArray challenge;
    std::optional<QByteArray> response;
    QString error;
    bool complete = false;

    bool operator==(const SaslStep &o) const
    {
        return challenge == o.challenge && response == o.response && error == o.error &&
               complete == o.complete;
    }
};

struct SaslTranscript
{
    std::optional<QByteArray> initial;
    QList<SaslStep> steps; // the input's challenges first, then the extra ones

    bool operator==(const SaslTranscript &o) const
    {
        return initial == o.initial && steps == o.steps;
    }
};

// Credentials picked by two bits of the option octet: 0 the published vector's (given by the
// target), 1 user@domain with an authorization identity, 2 characters outside Latin-1 and
// the GS2/DIGEST specials, 3 empty user and password.
inline ssmtp::protocol::sasl::Credentials
saslCredentials(int index, const ssmtp::protocol::sasl::Credentials &vector)
{
    ssmtp::protocol::sasl::Credentials c;
    switch (index & 3) {
    case 0:
        return vector;
    case 1:
        c.user = QStringLiteral("u@corp.test");
        c.password = QStringLiteral("p4ss-W0rd");
        c.authorizationIdentity = QStringLiteral("boss");
        c.serverHost = QStringLiteral("mail.example.test");
        break;
    case 2:
        c.user = QString::fromUtf8("CORP\\\xce\xa9mega,=\"x");
        c.password = QString::fromUtf8("p\xc3\xa4ssw\xc3\xb6rd-\xe2\x82\xac");
        c.authorizationIdentity = QStringLiteral("ad,min");
        c.serverHost = QString::fromUtf8("b\xc3\xbc"
                                         "cher.example");
        break;
    default:
        break;
    }
    return c;
}

inline QList<QByteArray> splitChallenges(QByteArrayView input)
{
    QList<QByteArray> out;
    const QByteArrayView separator("\n--\n");
    while (out.size() < MaxSaslRounds) {
        const qsizetype at = input.indexOf(separator);
        if (at < 0) {
            out.append(input.toByteArray());
            break;
        }
        out.append(input.first(at).toByteArray());
        input = input.sliced(at + separator.size());
    }
    return out;
}

// One fuzz input: an option octet (bit 0 set: skip initialResponse(); bits 1-2: the
// credentials of saslCredentials(); higher bits: the target's own), then up to MaxSaslRounds
// challenges separated by "\n--\n". nullopt for inputs the targets ignore.
struct SaslInput
{
    int options = 0;
    ssmtp::protocol::sasl::Credentials credentials;
    bool initial = true;
    QByteArrayView bytes;
    QList<QByteArray> challenges;
};

inline std::optional<SaslInput> decodeSaslInput(const uint8_t *data, size_t size,
                                                const ssmtp::protocol::sasl::Credentials &vector)
{
    if (size < 1 || size > 64 * 1024)
        return std::nullopt;
    SaslInput in;
    in.options = data[0];
    in.credentials = saslCredentials(data[0] >> 1, vector);
    in.initial = !(data[0] & 1);
    in.bytes = QByteArrayView(reinterpret_cast<const char *>(data + 1), qsizetype(size - 1));
    in.challenges = splitChallenges(in.bytes);
    return in;
}

inline void checkSaslError(const QString &error, const SaslLimits &limits, QByteArrayView input)
{
    // Server text quoted in it (a qop value, an iteration count, SCRAM's e=) is cut short but
    // kept as sent, like SMTP reply text in other errors: no check on its characters.
    FUZZ_CHECK(error.size() <= 1000, "errorString unbounded");
    if (!limits.password.isEmpty() && !input.contains(limits.password.toUtf8()))
        FUZZ_CHECK(!error.contains(limits.password), "errorString contains the password");
}

inline SaslTranscript runSaslExchange(ssmtp::protocol::sasl::Mechanism &mechanism,
                                      bool callInitialResponse, const QList<QByteArray> &challenges,
                                      const SaslLimits &limits, QByteArrayView input)
{
    SaslTranscript t;
    int responses = 0;
    if (callInitialResponse) {
        t.initial = mechanism.initialResponse();
        if (t.initial) {
            ++responses;
            FUZZ_CHECK(t.initial->size() <= 4096, "initial response unbounded");
        }
        checkSaslError(mechanism.errorString(), limits, input);
    }
    FUZZ_CHECK(mechanism.isComplete() != limits.mutual, "isComplete() wrong before any challenge");
    bool refused = false;
    bool complete = mechanism.isComplete();
    const auto step = [&](const QByteArray &challenge) {
        SaslStep s;
        s.challenge = challenge;
        s.response = mechanism.respond(challenge);
        s.error = mechanism.errorString();
        s.complete = mechanism.isComplete();
        checkSaslError(s.error, limits, input);
        if (s.response) {
            FUZZ_CHECK(!refused || !limits.stickyRefusal, "answered after a refusal");
            refused = false; // not final here: the extra rounds below must end it again
            ++responses;
            FUZZ_CHECK(responses <= limits.maxResponses, "more responses than the mechanism has");
            FUZZ_CHECK(s.response->size() <= 2 * challenge.size() + 4096, "response unbounded");
        } else {
            refused = true;
        }
        if (!limits.mutual)
            FUZZ_CHECK(s.complete, "no mutual authentication, yet not complete");
        FUZZ_CHECK(s.complete || !complete, "complete turned false again");
        if (s.complete && !complete)
            FUZZ_CHECK(s.response && s.response->isEmpty(),
                       "complete without the empty acknowledgement");
        complete = s.complete;
        t.steps.append(s);
    };
    for (const QByteArray &challenge : challenges)
        step(challenge);
    // A server that does not stop: the mechanism must.
    const QByteArray last = challenges.isEmpty() ? QByteArray() : challenges.last();
    for (int i = 0; i <= limits.maxResponses && !refused; ++i)
        step(i % 2 ? QByteArray() : last);
    FUZZ_CHECK(refused, "the mechanism never ends the exchange");
    return t;
}

} // namespace fuzz
