// Proxy handshake reply parsers (SOCKS4, SOCKS5 method/password/CONNECT, HTTP CONNECT). The
// connector peeks at what has arrived and re-parses it on every read, so the input is parsed
// as every prefix a read could end at: each prefix gives Incomplete or exactly the result of
// the whole input; a Success covers exactly `length` octets (the octets before it are
// Incomplete, the octets after it change nothing); texts are non-empty, printable, bounded.
// Byte 0 picks the parser (low 3 bits; 6 and 7: HTTP with a header padded to around
// MaxResponseHeader, byte 1 adjusting the padding); the rest is the reply.
#include "fuzzcheck.h"

#include "transport/httpconnect.h"
#include "transport/socks4.h"
#include "transport/socks5.h"

#include <QByteArray>

#include <algorithm>
#include <vector>

using ssmtp::transport::ProxyReply;
namespace httpconnect = ssmtp::transport::httpconnect;
namespace socks4 = ssmtp::transport::socks4;
namespace socks5 = ssmtp::transport::socks5;

namespace {

enum Kind { Socks4, Socks5Method, Socks5MethodPassword, Socks5Password, Socks5Connect, Http };

ProxyReply parse(Kind kind, QByteArrayView data)
{
    switch (kind) {
    case Socks4:
        return socks4::parseReply(data);
    case Socks5Method:
        return socks5::parseMethodReply(data, false);
    case Socks5MethodPassword:
        return socks5::parseMethodReply(data, true);
    case Socks5Password:
        return socks5::parsePasswordReply(data);
    case Socks5Connect:
        return socks5::parseConnectReply(data);
    case Http:
        break;
    }
    return httpconnect::parseResponse(data);
}

bool same(const ProxyReply &a, const ProxyReply &b)
{
    return a.status == b.status && a.length == b.length && a.code == b.code && a.text == b.text &&
           a.bound == b.bound && a.boundPort == b.boundPort;
}

// Texts end up in error messages: no control characters, nothing unbounded.
void checkText(const QString &text)
{
    FUZZ_CHECK(!text.isEmpty(), "Refused/Malformed without text");
    FUZZ_CHECK(text.size() <= 400, "reply text unbounded");
    for (const QChar c : text)
        FUZZ_CHECK(c.unicode() >= 0x20 && c.unicode() != 0x7f, "control character in reply text");
}

quint16 bigEndian16(QByteArrayView data, qsizetype at)
{
    return quint16((quint8(data.at(at)) << 8) | quint8(data.at(at + 1)));
}

void checkResult(Kind kind, QByteArrayView data, const ProxyReply &r)
{
    switch (r.status) {
    case ProxyReply::Incomplete:
        FUZZ_CHECK(r.length == 0 && r.code == 0 && r.text.isEmpty() && r.bound.isEmpty(),
                   "Incomplete with data");
        if (kind == Http)
            FUZZ_CHECK(data.size() < httpconnect::MaxResponseHeader, "HTTP header not capped");
        return;
    case ProxyReply::Refused:
    case ProxyReply::Malformed:
        checkText(r.text);
        FUZZ_CHECK(r.length == 0, "failure with a length");
        if (kind == Http && r.status == ProxyReply::Refused)
            FUZZ_CHECK(r.code >= 0 && r.code <= 999 && (r.code < 200 || r.code > 299),
                       "HTTP refusal code");
        return;
    case ProxyReply::Success:
        break;
    }
    FUZZ_CHECK(r.length > 0 && r.length <= data.size(), "Success length outside the data");
    FUZZ_CHECK(r.text.isEmpty(), "Success with text");
    const QByteArrayView reply = data.first(r.length);
    switch (kind) {
    case Socks4:
        FUZZ_CHECK(r.length == socks4::ReplyLength && r.code == socks4::Granted, "SOCKS4 success");
        break;
    case Socks5Method:
    case Socks5MethodPassword:
        FUZZ_CHECK(r.length == 2, "method reply length");
        FUZZ_CHECK(r.code == socks5::MethodNone ||
                       (kind == Socks5MethodPassword && r.code == socks5::MethodPassword),
                   "method not offered accepted");
        break;
    case Socks5Password:
        FUZZ_CHECK(r.length == 2 && reply.at(1) == 0, "password reply");
        break;
    case Socks5Connect: {
        FUZZ_CHECK(reply.at(0) == 5 && reply.at(1) == 0, "CONNECT success header");
        const int atyp = reply.at(3);
        const qsizetype expected = atyp == 1   ? 10
                                   : atyp == 4 ? 22
                                   : atyp == 3 ? 7 + quint8(reply.at(4))
                                               : -1;
        FUZZ_CHECK(r.length == expected, "CONNECT reply length");
        FUZZ_CHECK(r.boundPort == bigEndian16(reply, r.length - 2), "bound port");
        if (atyp == 3)
            FUZZ_CHECK(r.bound == reply.sliced(5, r.length - 7), "bound name");
        else
            FUZZ_CHECK(!r.bound.isEmpty() && r.bound.size() <= 45, "bound address");
        break;
    }
    case Http:
        FUZZ_CHECK(r.code >= 200 && r.code <= 299, "HTTP success code");
        FUZZ_CHECK(r.length <= httpconnect::MaxResponseHeader, "HTTP header over the cap");
        FUZZ_CHECK(reply.startsWith("HTTP/") &&
                       (reply.endsWith("\n\n") || reply.endsWith("\r\n\r\n")),
                   "HTTP header does not end with an empty line");
        break;
    }
}

// A small deterministic generator for split positions (the input stays the only source).
quint32 nextRandom(quint32 &state)
{
    state = state * 1664525u + 1013904223u;
    return state >> 8;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2 || size > 64 * 1024)
        return 0;
    const int selector = data[0] & 7;
    const Kind kind = selector >= Http ? Http : Kind(selector);
    QByteArray input(reinterpret_cast<const char *>(data + 2), qsizetype(size - 2));
    if (selector >= 6) {
        // Pad after the status line so the header ends near the cap (before, at, after).
        const qsizetype padding = httpconnect::MaxResponseHeader - 160 + data[1] - input.size();
        if (padding > 10) {
            const qsizetype lineEnd = input.indexOf('\n');
            const qsizetype at = lineEnd < 0 ? input.size() : lineEnd + 1;
            input.insert(at, "X-Pad: " + QByteArray(padding - 9, 'p') + "\r\n");
        }
    }
    const QByteArrayView all(input);
    const qsizetype n = all.size();

    const ProxyReply whole = parse(kind, all);
    checkResult(kind, all, whole);

    // Prefixes a read could end at: all of the short ones, those near the end, near the HTTP
    // cap and some pseudo-random ones. Before the decision they must wait; after it, a few
    // (parsing a decided reply formats its text, the slow part) must agree.
    std::vector<qsizetype> cuts;
    for (qsizetype k = 0; k <= qMin(n, qsizetype(300)); ++k)
        cuts.push_back(k);
    for (qsizetype k = qMax(qsizetype(301), n - 16); k <= n; ++k)
        cuts.push_back(k);
    if (kind == Http && n > 300) {
        for (qsizetype k = httpconnect::MaxResponseHeader - 4;
             k <= qMin(n, httpconnect::MaxResponseHeader + 4); ++k)
            cuts.push_back(k);
        quint32 state = data[1];
        for (int i = 0; i < 16; ++i)
            cuts.push_back(qsizetype(nextRandom(state) % quint32(n)));
    }
    std::sort(cuts.begin(), cuts.end());
    cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
    int afterDecision = 0;
    for (const qsizetype k : cuts) {
        if (afterDecision > 0 && ++afterDecision > 6 && k < n - 2)
            continue;
        const ProxyReply r = parse(kind, all.first(k));
        checkResult(kind, all.first(k), r);
        FUZZ_CHECK(r.status == ProxyReply::Incomplete || same(r, whole),
                   "a prefix decides differently than the whole input");
        if (r.status != ProxyReply::Incomplete && afterDecision == 0)
            afterDecision = 1;
    }
    if (whole.status == ProxyReply::Success) {
        // The reply alone decides (nothing after it needed), and one octet less does not.
        const ProxyReply exact = parse(kind, all.first(whole.length));
        FUZZ_CHECK(same(exact, whole), "the reply alone is not the same Success");
        FUZZ_CHECK(parse(kind, all.first(whole.length - 1)).status == ProxyReply::Incomplete,
                   "Success before the reply's last octet");
    }
    return 0;
}
