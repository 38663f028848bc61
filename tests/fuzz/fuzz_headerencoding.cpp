// Header encoding: foldHeader(encodeUnstructured(text)) is ASCII only, has CR and LF only as
// CRLF followed by a continuation whitespace, and no physical line longer than 998 octets.
// The first bytes choose the encoding parameters; the rest is the text (UTF-8 decoded).
#include "fuzzcheck.h"

#include "message/headerencoding.h"

using namespace ssmtp::message;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2 || size > 16 * 1024)
        return 0;
    static const QByteArray charsets[] = {QByteArray(), QByteArrayLiteral("UTF-8"),
                                          QByteArrayLiteral("ISO-8859-1"),
                                          QByteArrayLiteral("US-ASCII")};
    static const QByteArray fields[] = {QByteArrayLiteral("Subject"),
                                        QByteArrayLiteral("X-A-Rather-Long-Header-Field-Name"),
                                        QByteArrayLiteral("C")};
    HeaderEncoding enc;
    enc.charset = charsets[data[0] & 3];
    enc.fold = (data[0] & 4) == 0;
    const QByteArray &field = fields[((data[0] >> 3) & 3) % 3];
    static const int lengths[] = {80, 78, 0, -5, 998, 999, 2000, 30, 10, 1, 76, 200};
    const int sel = data[1] % 16;
    enc.maxLineLength = sel < 12 ? lengths[sel] : 1 + data[1] * 4;

    const QString text =
        QString::fromUtf8(reinterpret_cast<const char *>(data + 2), qsizetype(size - 2));
    const QByteArray value = encodeUnstructured(text, enc, int(field.size()) + 2);
    const QByteArray header = foldHeader(field, value, enc);

    FUZZ_CHECK(header.startsWith(QByteArray(field + ':')),
               "header does not start with the field name");
    qsizetype lineStart = 0;
    for (qsizetype i = 0; i < header.size(); ++i) {
        const char c = header.at(i);
        FUZZ_CHECK(static_cast<unsigned char>(c) < 0x80, "non-ASCII octet in header");
        if (c == '\n')
            FUZZ_CHECK(i > 0 && header.at(i - 1) == '\r', "bare LF in header");
        if (c == '\r') {
            FUZZ_CHECK(i + 1 < header.size() && header.at(i + 1) == '\n', "bare CR in header");
            FUZZ_CHECK(i + 2 < header.size() &&
                           (header.at(i + 2) == ' ' || header.at(i + 2) == '\t'),
                       "fold not followed by whitespace");
            FUZZ_CHECK(i - lineStart <= 998, "header line longer than 998 octets");
            lineStart = i + 2;
        }
    }
    FUZZ_CHECK(header.size() - lineStart <= 998, "last header line longer than 998 octets");
    return 0;
}
