// Benchmark: S/MIME signing of a large message entity with ssmtp::smime::sign(), side by side
// with `openssl cms -sign` on the same input in the same run. Prints figures, never fails.
//
//   bench_smime [--size-mb 10] [--runs 7] [--digest sha-256] [--opaque] [--openssl PATH]
//
// ssmtp: in-process sign() of the entity in memory (canonical-form check, CMS signature,
// multipart/signed assembly), the result kept in memory.
// openssl: `openssl cms -sign -in entity -signer cert -inkey key -md sha256 -outform SMIME
// -out out.eml` as a process (start-up, file I/O and its own canonicalisation included).
// Each side runs --runs times; the median is compared. Use a Release build: a sanitizer build
// measures the sanitizer.
#include "openssl/openssl_p.h"
#include "smime/smime.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QRandomGenerator>
#include <QStandardPaths>
#include <QStringList>
#include <QTemporaryDir>

#include <openssl/pem.h>

#include <algorithm>
#include <cstdio>
#include <vector>

namespace {

double median(std::vector<double> values)
{
    std::sort(values.begin(), values.end());
    const size_t n = values.size();
    return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

QByteArray readFile(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

bool runOpenssl(const QString &openssl, const QStringList &arguments, const QString &directory)
{
    QProcess process;
    process.setWorkingDirectory(directory);
    process.start(openssl, arguments);
    if (!process.waitForFinished(300000) || process.exitStatus() != QProcess::NormalExit ||
        process.exitCode() != 0) {
        std::fprintf(stderr, "openssl %s failed: %s\n", qPrintable(arguments.join(u' ')),
                     process.readAllStandardError().constData());
        return false;
    }
    return true;
}

// A message entity of about `size` bytes: a base64 attachment in 76-character lines, the
// common shape of a large message body.
QByteArray makeEntity(qsizetype size)
{
    QByteArray raw(size * 3 / 4 * 76 / 78, Qt::Uninitialized);
    QRandomGenerator generator(42);
    for (qsizetype i = 0; i + 4 <= raw.size(); i += 4) {
        const quint32 value = generator.generate();
        raw[i] = static_cast<char>(value);
        raw[i + 1] = static_cast<char>(value >> 8);
        raw[i + 2] = static_cast<char>(value >> 16);
        raw[i + 3] = static_cast<char>(value >> 24);
    }
    const QByteArray encoded = raw.toBase64();
    QByteArray entity = "Content-Type: application/octet-stream; name=data.bin\r\n"
                        "Content-Transfer-Encoding: base64\r\n"
                        "Content-Disposition: attachment; filename=data.bin\r\n"
                        "\r\n";
    entity.reserve(entity.size() + encoded.size() + encoded.size() / 38 + 2);
    for (qsizetype pos = 0; pos < encoded.size(); pos += 76) {
        entity.append(encoded.constData() + pos, qMin<qsizetype>(76, encoded.size() - pos));
        entity.append("\r\n", 2);
    }
    return entity;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    qsizetype sizeMb = 10;
    int runs = 7;
    QString digest = QStringLiteral("sha-256");
    bool opaque = false;
    QString openssl = QStandardPaths::findExecutable(QStringLiteral("openssl"));
    const QStringList arguments = app.arguments();
    for (qsizetype i = 1; i < arguments.size(); ++i) {
        const QString &argument = arguments.at(i);
        const bool hasValue = i + 1 < arguments.size();
        if (argument == QLatin1String("--size-mb") && hasValue)
            sizeMb = arguments.at(++i).toLongLong();
        else if (argument == QLatin1String("--runs") && hasValue)
            runs = arguments.at(++i).toInt();
        else if (argument == QLatin1String("--digest") && hasValue)
            digest = arguments.at(++i);
        else if (argument == QLatin1String("--openssl") && hasValue)
            openssl = arguments.at(++i);
        else if (argument == QLatin1String("--opaque"))
            opaque = true;
        else {
            std::fprintf(stderr, "usage: bench_smime [--size-mb N] [--runs N] [--digest NAME] "
                                 "[--opaque] [--openssl PATH]\n");
            return 2;
        }
    }
    if (openssl.isEmpty() || sizeMb <= 0 || runs <= 0) {
        std::fprintf(stderr, "bench_smime: needs the openssl command line tool\n");
        return 2;
    }
    const QByteArray opensslDigest = ssmtp::smime::micalg(digest).replace("-", "");
    if (opensslDigest.isEmpty()) {
        std::fprintf(stderr, "bench_smime: unknown digest %s\n", qPrintable(digest));
        return 2;
    }

    QTemporaryDir dir;
    if (!dir.isValid())
        return 1;
    const QString directory = dir.path();
    if (!runOpenssl(openssl,
                    {QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"),
                     QStringLiteral("rsa:2048"), QStringLiteral("-nodes"),
                     QStringLiteral("-keyout"), QStringLiteral("signer.key"),
                     QStringLiteral("-out"), QStringLiteral("signer.pem"), QStringLiteral("-days"),
                     QStringLiteral("2"), QStringLiteral("-subj"),
                     QStringLiteral("/CN=Bench Signer/emailAddress=bench@example.test"),
                     QStringLiteral("-addext"), QStringLiteral("extendedKeyUsage=emailProtection")},
                    directory))
        return 1;

    const QByteArray certPem = readFile(dir.filePath(QStringLiteral("signer.pem")));
    const QByteArray keyPem = readFile(dir.filePath(QStringLiteral("signer.key")));
    const ssmtp::openssl::BioPtr certBio = ssmtp::openssl::memoryReader(certPem);
    const ssmtp::openssl::BioPtr keyBio = ssmtp::openssl::memoryReader(keyPem);
    const ssmtp::openssl::X509Ptr cert(PEM_read_bio_X509(certBio.get(), nullptr, nullptr, nullptr));
    const ssmtp::openssl::PKeyPtr key(
        PEM_read_bio_PrivateKey(keyBio.get(), nullptr, nullptr, nullptr));
    if (!cert || !key) {
        std::fprintf(stderr, "bench_smime: cannot load the test certificate\n");
        return 1;
    }

    const QByteArray entity = makeEntity(sizeMb * 1024 * 1024);
    {
        QFile file(dir.filePath(QStringLiteral("entity.txt")));
        if (!file.open(QIODevice::WriteOnly) || file.write(entity) != entity.size())
            return 1;
    }

    ssmtp::smime::SignOptions options;
    options.algorithm = digest;
    options.opaque = opaque;
    // Warm-up (page faults of the first large allocation, OpenSSL initialisation).
    qsizetype outputSize = 0;
    {
        const ssmtp::smime::Result result =
            ssmtp::smime::sign(entity, cert.get(), key.get(), nullptr, options);
        if (!result.ok) {
            std::fprintf(stderr, "bench_smime: sign failed: %s\n", qPrintable(result.errorString));
            return 1;
        }
        outputSize = result.body.size();
    }

    std::vector<double> ours;
    for (int run = 0; run < runs; ++run) {
        QElapsedTimer timer;
        timer.start();
        const ssmtp::smime::Result result =
            ssmtp::smime::sign(entity, cert.get(), key.get(), nullptr, options);
        ours.push_back(timer.nsecsElapsed() / 1e6);
        if (!result.ok)
            return 1;
    }

    QStringList opensslArguments = {QStringLiteral("cms"),      QStringLiteral("-sign"),
                                    QStringLiteral("-in"),      QStringLiteral("entity.txt"),
                                    QStringLiteral("-signer"),  QStringLiteral("signer.pem"),
                                    QStringLiteral("-inkey"),   QStringLiteral("signer.key"),
                                    QStringLiteral("-md"),      QString::fromLatin1(opensslDigest),
                                    QStringLiteral("-outform"), QStringLiteral("SMIME"),
                                    QStringLiteral("-out"),     QStringLiteral("out.eml")};
    if (opaque)
        opensslArguments.append(QStringLiteral("-nodetach"));
    if (!runOpenssl(openssl, opensslArguments, directory)) // warm-up (file cache)
        return 1;
    std::vector<double> theirs;
    for (int run = 0; run < runs; ++run) {
        QElapsedTimer timer;
        timer.start();
        if (!runOpenssl(openssl, opensslArguments, directory))
            return 1;
        theirs.push_back(timer.nsecsElapsed() / 1e6);
    }

    const double oursMedian = median(ours);
    const double theirsMedian = median(theirs);
    const double megabytes = entity.size() / (1024.0 * 1024.0);
    std::printf("S/MIME %s signing of a %.1f MB entity (%s), %d runs each, median:\n",
                opaque ? "opaque" : "clear", megabytes, qPrintable(digest), runs);
    std::printf("  ssmtp::smime::sign()  %8.1f ms  (%6.0f MB/s, output %.1f MB)\n", oursMedian,
                megabytes / (oursMedian / 1000), outputSize / (1024.0 * 1024.0));
    std::printf("  openssl cms -sign     %8.1f ms  (%6.0f MB/s)  [%s %s]\n", theirsMedian,
                megabytes / (theirsMedian / 1000), qPrintable(openssl),
                qPrintable(opensslArguments.join(u' ')));
    std::printf("  ratio ssmtp/openssl   %8.2f  (target <= 1.20)\n", oursMedian / theirsMedian);
    std::printf("{\"benchmark\": \"smime-sign\", \"sizeBytes\": %lld, \"runs\": %d, "
                "\"ssmtpMs\": %.2f, \"opensslMs\": %.2f, \"ratio\": %.3f}\n",
                static_cast<long long>(entity.size()), runs, oursMedian, theirsMedian,
                oursMedian / theirsMedian);
    return 0;
}
