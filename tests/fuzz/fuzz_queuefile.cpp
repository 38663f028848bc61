// Queue file envelope reader: readEnvelope() on arbitrary bytes in a QBuffer never crashes;
// on success the device is positioned inside the data and the envelope has a sane shape.
#include "fuzzcheck.h"

#include "queue/queuefile.h"

#include <QBuffer>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 256 * 1024)
        return 0;
    QByteArray bytes(reinterpret_cast<const char *>(data), qsizetype(size));
    QBuffer buffer(&bytes);
    FUZZ_CHECK(buffer.open(QIODevice::ReadOnly), "cannot open QBuffer");
    ssmtp::protocol::Envelope envelope;
    const QString error = ssmtp::queue::readEnvelope(&buffer, envelope);
    if (error.isEmpty()) {
        FUZZ_CHECK(buffer.pos() <= bytes.size(), "device positioned past the data");
        for (const auto &r : envelope.recipients)
            FUZZ_CHECK(!r.address.isEmpty(), "recipient without address accepted");
    }
    return 0;
}
