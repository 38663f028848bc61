// DATA/BDAT body encoder: encoding in one piece equals encoding in pieces (sizes 0..17 from a
// generator seeded by the input, and one octet at a time); output has CRLF line ends only;
// bytesOut() counts the output; Data mode ends with exactly one "\r\n.\r\n" terminator, every
// other line starting with '.' is stuffed, and un-stuffing gives back the normalised input;
// Bdat mode equals the normalised input; the one-shot helpers agree.
#include "fuzzcheck.h"

#include "message/dataencoder.h"

#include <QList>

using ssmtp::message::DataEncoder;

namespace {

QByteArray encodeInPieces(DataEncoder::Mode mode, QByteArrayView content,
                          const QList<qsizetype> &sizes)
{
    DataEncoder encoder(mode);
    QByteArray out;
    qsizetype pos = 0;
    qsizetype i = 0;
    while (pos < content.size()) {
        const qsizetype n = qMin(sizes.at(i++ % sizes.size()), content.size() - pos);
        encoder.encode(content.sliced(pos, n), out);
        pos += n;
    }
    encoder.finish(out);
    FUZZ_CHECK(encoder.bytesOut() == out.size(), "bytesOut() differs from the output size");
    QByteArray more;
    encoder.finish(more);
    FUZZ_CHECK(more.isEmpty(), "second finish() emitted data");
    return out;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > 64 * 1024)
        return 0;
    const DataEncoder::Mode mode =
        (data[0] & 1) ? DataEncoder::Mode::Bdat : DataEncoder::Mode::Data;
    const QByteArrayView content(reinterpret_cast<const char *>(data + 1), qsizetype(size - 1));

    DataEncoder whole(mode);
    QByteArray expected = whole.encode(content);
    expected += whole.finish();
    FUZZ_CHECK(whole.bytesOut() == expected.size(), "bytesOut() differs from the output size");

    quint32 state = 2166136261u ^ data[0];
    QList<qsizetype> sizes;
    for (int i = 0; i < 32; ++i) {
        state = state * 1664525u + 1013904223u;
        sizes.append(qsizetype((state >> 16) % 18)); // 0..17, empty chunks included
    }
    FUZZ_CHECK(encodeInPieces(mode, content, sizes) == expected, "output depends on chunking");
    FUZZ_CHECK(encodeInPieces(mode, content, {1}) == expected, "output depends on chunking (1)");

    // Only CRLF line ends.
    for (qsizetype i = 0; i < expected.size(); ++i) {
        if (expected.at(i) == '\r')
            FUZZ_CHECK(i + 1 < expected.size() && expected.at(i + 1) == '\n', "bare CR");
        if (expected.at(i) == '\n')
            FUZZ_CHECK(i > 0 && expected.at(i - 1) == '\r', "bare LF");
    }

    QByteArray normalized = ssmtp::message::normalizeLineEndings(content);
    if (!normalized.isEmpty() && !normalized.endsWith("\r\n"))
        normalized += "\r\n";

    if (mode == DataEncoder::Mode::Bdat) {
        FUZZ_CHECK(expected == normalized, "BDAT output is not the normalised input");
        return 0;
    }

    FUZZ_CHECK(ssmtp::message::dotStuff(content) == expected, "dotStuff() differs from encoder");
    if (content.isEmpty()) {
        FUZZ_CHECK(expected == ".\r\n", "empty message is not just the terminator");
        return 0;
    }
    FUZZ_CHECK(expected.endsWith("\r\n.\r\n"), "missing terminator");
    FUZZ_CHECK(expected.count("\r\n.\r\n") == 1, "more than one terminator");
    FUZZ_CHECK(!expected.startsWith(".\r\n"), "terminator at the start of a non-empty message");

    // Every line but the terminator: a leading '.' is doubled; un-stuffing restores the input.
    const QByteArray body = expected.first(expected.size() - 3); // without ".\r\n"
    QByteArray unstuffed;
    qsizetype start = 0;
    while (start < body.size()) {
        const qsizetype eol = body.indexOf("\r\n", start);
        FUZZ_CHECK(eol >= 0, "body does not end with CRLF");
        const QByteArray line = body.mid(start, eol - start);
        if (line.startsWith('.')) {
            FUZZ_CHECK(line.startsWith(".."), "unstuffed line starting with '.'");
            unstuffed += line.mid(1);
        } else {
            unstuffed += line;
        }
        unstuffed += "\r\n";
        start = eol + 2;
    }
    FUZZ_CHECK(unstuffed == normalized, "un-stuffed output differs from the normalised input");
    return 0;
}
