// Reply parser: the input fed in one piece and fed in two pieces (split at a position taken
// from the first byte) gives the same replies and the same final status/error; replies
// respect the configured caps; what stays buffered is bounded by the line-length cap.
#include "fuzzcheck.h"

#include "protocol/replyparser.h"

#include <QList>

using ssmtp::protocol::Reply;
using ssmtp::protocol::ReplyParser;

namespace {

constexpr int kMaxLine = 100; // small caps so the fuzzer reaches them
constexpr int kMaxReplySize = 600;
constexpr int kMaxReplyLines = 12;

struct Outcome
{
    QList<Reply> replies;
    ReplyParser::Status status = ReplyParser::Status::NeedMore;
    QString error;
};

void drain(ReplyParser &parser, Outcome &out)
{
    for (;;) {
        Reply reply;
        const ReplyParser::Status s = parser.next(reply);
        out.status = s;
        if (s == ReplyParser::Status::Reply) {
            FUZZ_CHECK(reply.code >= 200 && reply.code <= 599, "reply code out of range");
            FUZZ_CHECK(!reply.lines.isEmpty(), "reply without lines");
            FUZZ_CHECK(reply.lines.size() == reply.raw.size(), "lines/raw mismatch");
            FUZZ_CHECK(reply.lines.size() <= kMaxReplyLines, "reply line cap exceeded");
            qsizetype total = 0;
            for (const QByteArray &raw : reply.raw) {
                FUZZ_CHECK(raw.size() <= kMaxLine, "line cap exceeded");
                FUZZ_CHECK(!raw.contains('\n'), "raw line contains LF");
                total += raw.size();
            }
            FUZZ_CHECK(total <= kMaxReplySize, "reply size cap exceeded");
            out.replies.append(reply);
            continue;
        }
        if (s == ReplyParser::Status::Error) {
            out.error = parser.errorString();
            FUZZ_CHECK(!out.error.isEmpty(), "Error without errorString");
            Reply again;
            FUZZ_CHECK(parser.next(again) == ReplyParser::Status::Error, "error state not sticky");
        } else {
            // Bounded buffering: only the unfinished line stays in the parser (plus a CR that
            // may be the first half of its CRLF).
            FUZZ_CHECK(parser.bufferedBytes() <= kMaxLine + 1, "unbounded buffering");
        }
        return;
    }
}

Outcome run(const QByteArrayView input, qsizetype split)
{
    ReplyParser parser;
    parser.setMaxLineLength(kMaxLine);
    parser.setMaxReplySize(kMaxReplySize);
    parser.setMaxReplyLines(kMaxReplyLines);
    Outcome out;
    const QByteArrayView parts[2] = {input.first(split), input.sliced(split)};
    for (const QByteArrayView part : parts) {
        if (out.status == ReplyParser::Status::Error)
            break;
        parser.feed(part);
        drain(parser, out);
    }
    return out;
}

bool sameReply(const Reply &a, const Reply &b)
{
    return a.code == b.code && a.enhancedCode == b.enhancedCode && a.lines == b.lines &&
           a.raw == b.raw;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > 64 * 1024)
        return 0;
    const QByteArrayView input(reinterpret_cast<const char *>(data + 1), qsizetype(size - 1));
    const qsizetype split = qsizetype(data[0]) * input.size() / 255;

    const Outcome whole = run(input, input.size());
    const Outcome pieces = run(input, split);
    FUZZ_CHECK(whole.replies.size() == pieces.replies.size(), "reply count depends on split");
    for (qsizetype i = 0; i < whole.replies.size(); ++i)
        FUZZ_CHECK(sameReply(whole.replies.at(i), pieces.replies.at(i)), "reply depends on split");
    FUZZ_CHECK(whole.status == pieces.status, "final status depends on split");
    FUZZ_CHECK(whole.error == pieces.error, "error text depends on split");
    return 0;
}
