// S/MIME canonicalisation: no crash; when it succeeds the result is stable
// (canonicalize(canonicalize(x)) == canonicalize(x)), has CRLF line ends only, and is 7-bit
// apart from lines copied verbatim from the input (header fields are never re-encoded and
// declared quoted-printable/base64 bodies are kept, by design).
#include "fuzzcheck.h"

#include "smime/smimecanonical.h"

#include <QSet>

using ssmtp::smime::canonicalize;

namespace {

QSet<QByteArray> inputLines(const QByteArray &in)
{
    QSet<QByteArray> lines;
    qsizetype start = 0;
    for (qsizetype i = 0; i <= in.size(); ++i) {
        if (i == in.size() || in.at(i) == '\r' || in.at(i) == '\n') {
            lines.insert(in.mid(start, i - start));
            start = i + 1;
        }
    }
    return lines;
}

bool is7bitLine(const QByteArray &line)
{
    for (const char c : line)
        if (static_cast<unsigned char>(c) >= 0x80 || c == '\0')
            return false;
    return true;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 64 * 1024)
        return 0;
    const QByteArray input(reinterpret_cast<const char *>(data), qsizetype(size));
    const auto first = canonicalize(input);
    if (!first.ok) {
        FUZZ_CHECK(!first.errorString.isEmpty(), "failure without errorString");
        return 0;
    }
    const QByteArray &out = first.entity;
    for (qsizetype i = 0; i < out.size(); ++i) {
        if (out.at(i) == '\r')
            FUZZ_CHECK(i + 1 < out.size() && out.at(i + 1) == '\n', "bare CR in canonical form");
        if (out.at(i) == '\n')
            FUZZ_CHECK(i > 0 && out.at(i - 1) == '\r', "bare LF in canonical form");
    }
    const QSet<QByteArray> original = inputLines(input);
    qsizetype start = 0;
    while (start < out.size()) {
        qsizetype eol = out.indexOf("\r\n", start);
        if (eol < 0)
            eol = out.size();
        const QByteArray line = out.mid(start, eol - start);
        if (!is7bitLine(line) && !original.contains(line)) {
            std::fprintf(stderr, "8-bit line: %s\n", line.toHex().constData());
            FUZZ_CHECK(false, "8-bit line not taken verbatim from the input");
        }
        start = eol + 2;
    }

    const auto second = canonicalize(out);
    FUZZ_CHECK(second.ok, "canonical form is rejected");
    if (second.entity != out)
        std::fprintf(stderr, "first:\n%s\nsecond:\n%s\n", out.toHex().constData(),
                     second.entity.toHex().constData());
    FUZZ_CHECK(second.entity == out, "canonicalize is not idempotent");
    return 0;
}
