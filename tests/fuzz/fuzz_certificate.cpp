// Certificate loading: SsmtpCertificate::load(Auto, bytes, "pw", "*") never crashes and
// leaves no OpenSSL error on the thread's error queue, whether it succeeds or fails.
#include "fuzzcheck.h"

#include "ssmtpcertificate.h"

#include <openssl/err.h>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 64 * 1024)
        return 0;
    const QByteArray store(reinterpret_cast<const char *>(data), qsizetype(size));
    ERR_clear_error();
    QString error;
    const SsmtpCertificate cert =
        SsmtpCertificate::load(SsmtpCertificate::Auto, store, QStringLiteral("pw"),
                               QStringLiteral("*"), QString(), &error);
    const unsigned long queued = ERR_peek_error();
    if (queued != 0) {
        char text[256];
        ERR_error_string_n(queued, text, sizeof text);
        std::fprintf(stderr, "OpenSSL error left queued: %s\n", text);
    }
    FUZZ_CHECK(queued == 0, "OpenSSL error left on the queue");
    FUZZ_CHECK(!cert.isNull() || !error.isEmpty(), "null certificate without a reason");
    if (!cert.isNull()) {
        // Exercise the accessors on whatever was loaded.
        (void)cert.subject();
        (void)cert.thumbprintSHA256();
        (void)cert.encoded();
        FUZZ_CHECK(ERR_peek_error() == 0, "OpenSSL error left by an accessor");
    }
    return 0;
}
