// Address list parser: no crash on any UTF-8 decoded input; when the input parses, every
// mailbox has an address without CR/LF, and formatAddressList() of the result parses back to
// the same mailboxes (display names compared when they were written without RFC 2047
// encoded words, which parseAddressList deliberately does not decode).
#include "fuzzcheck.h"

#include "message/addresslist.h"
#include "message/headerencoding.h"

using namespace ssmtp::message;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 16 * 1024)
        return 0;
    const QString text = QString::fromUtf8(reinterpret_cast<const char *>(data), qsizetype(size));
    const AddressListResult first = parseAddressList(text);
    if (!first.ok()) {
        FUZZ_CHECK(first.mailboxes.isEmpty(), "mailboxes returned with an error");
        return 0;
    }
    for (const Mailbox &m : first.mailboxes) {
        FUZZ_CHECK(!m.address.isEmpty(), "empty address accepted");
        FUZZ_CHECK(!containsLineBreak(m.address) && !containsLineBreak(m.name),
                   "line break in a parsed mailbox");
    }

    HeaderEncoding enc;
    const QByteArray formatted = formatAddressList(first.mailboxes, enc);
    const AddressListResult second = parseAddressList(QString::fromUtf8(formatted));
    if (!second.ok())
        std::fprintf(stderr, "formatted: %s\nerror: %s\n", formatted.constData(),
                     second.error.toUtf8().constData());
    FUZZ_CHECK(second.ok(), "formatted address list does not parse");
    FUZZ_CHECK(second.mailboxes.size() == first.mailboxes.size(),
               "re-parse gives a different number of mailboxes");
    for (qsizetype i = 0; i < first.mailboxes.size(); ++i) {
        const Mailbox &a = first.mailboxes.at(i);
        const Mailbox &b = second.mailboxes.at(i);
        if (a.address != b.address)
            std::fprintf(stderr, "formatted: %s\n", formatted.constData());
        FUZZ_CHECK(a.address == b.address, "address changed by format + parse");
        if (!encodePhrase(a.name, enc).contains("=?")) {
            if (a.name != b.name)
                std::fprintf(stderr, "formatted: %s\n", formatted.constData());
            FUZZ_CHECK(a.name == b.name, "display name changed by format + parse");
        }
    }
    return 0;
}
