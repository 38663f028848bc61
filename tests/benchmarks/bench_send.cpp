// Benchmark client: sends with Ssmtp to a server already running on loopback and prints
// figures as JSON on stdout. Driven by run_benchmarks.py, which starts the sink and the peers.
//
//   bench_send throughput PORT COUNT SIZE   messages per second over one connection
//   bench_send stream PORT FILE             peak RSS growth while streaming FILE as the body
//   bench_send attach PORT FILE             peak RSS growth while sending FILE as an attachment
//                                           (base64-encoded while it is sent)
#include "ssmtp.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QTextStream>

#include <sys/resource.h>

namespace {

long peakRssKiB()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_maxrss; // KiB on Linux
}

long currentRssKiB()
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').value(0).toLong();
    }
    return -1;
}

void setUp(Ssmtp &smtp, quint16 port)
{
    smtp.setMailServer(QStringLiteral("127.0.0.1"));
    smtp.setMailPort(port);
    smtp.setFrom(QStringLiteral("bench@example.test"));
    smtp.setSendTo(QStringLiteral("sink@example.test"));
    smtp.setSubject(QStringLiteral("benchmark"));
    smtp.setMessageId(QStringLiteral("<bench@example.test>"));
    smtp.setTimeout(120);
    // TLS for the TLS throughput section: SSMTP_BENCH_TLS=implicit|explicit, with the CA that
    // signed the server's certificate in SSMTP_BENCH_CA.
    const QByteArray tls = qgetenv("SSMTP_BENCH_TLS");
    if (!tls.isEmpty()) {
        smtp.setMailServer(QStringLiteral("localhost"));
        smtp.setSslStartMode(tls == "explicit" ? Ssmtp::SslStartMode::SslExplicit
                                               : Ssmtp::SslStartMode::SslImplicit);
        QFile ca(QString::fromLocal8Bit(qgetenv("SSMTP_BENCH_CA")));
        if (ca.open(QIODevice::ReadOnly))
            smtp.config(QStringLiteral("SSLServerCACerts=") + QString::fromLatin1(ca.readAll()));
    }
}

int fail(Ssmtp::Error error, const QString &text)
{
    QTextStream(stderr) << "error " << int(error) << ": " << text << Qt::endl;
    return 1;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    if (args.size() < 4) {
        QTextStream(stderr) << "usage: bench_send throughput PORT COUNT SIZE | stream PORT FILE"
                               " | attach PORT FILE\n";
        return 2;
    }
    const QString mode = args.at(1);
    const auto port = quint16(args.at(2).toUInt());
    Ssmtp smtp;
    setUp(smtp, port);
    int rc = 0;
    QObject::connect(&smtp, &Ssmtp::errorOccurred, &app, [&](Ssmtp::Error e, const QString &t) {
        rc = fail(e, t);
        QCoreApplication::exit(1);
    });

    if (mode == QLatin1String("throughput")) {
        const int count = args.at(3).toInt();
        const int size = args.value(4).toInt();
        QString body;
        while (body.size() < size)
            body += QStringLiteral("The quick brown fox jumps over the lazy dog 0123456789.\r\n");
        body.truncate(size);
        smtp.setMessageText(body);
        QElapsedTimer clock;
        int sent = 0;
        QObject::connect(&smtp, &Ssmtp::connectedToServer, &app, [&] {
            clock.start();
            smtp.send();
        });
        QObject::connect(&smtp, &Ssmtp::messageSent, &app, [&] {
            if (++sent < count) {
                smtp.send();
                return;
            }
            const double seconds = double(clock.nsecsElapsed()) / 1e9;
            QTextStream(stdout) << "{\"messages\": " << sent << ", \"seconds\": " << seconds
                                << ", \"messagesPerSecond\": " << sent / seconds << "}" << Qt::endl;
            smtp.disconnectFromServer();
        });
        QObject::connect(&smtp, &Ssmtp::disconnectedFromServer, &app, &QCoreApplication::quit);
        smtp.connectToServer();
        QCoreApplication::exec();
        return rc;
    }

    if (mode == QLatin1String("stream")) {
        QFile file(args.at(3));
        if (!file.open(QIODevice::ReadOnly))
            return fail(Ssmtp::CannotOpenFileError, file.errorString());
        QElapsedTimer clock;
        long idle = 0;
        QObject::connect(&smtp, &Ssmtp::connectedToServer, &app, [&] {
            // Idle: connected, everything loaded, nothing sent yet.
            idle = currentRssKiB();
            smtp.setMessageStream(&file);
            clock.start();
            smtp.send();
        });
        QObject::connect(&smtp, &Ssmtp::messageSent, &app, [&] {
            const double seconds = double(clock.nsecsElapsed()) / 1e9;
            const long peak = peakRssKiB();
            QTextStream(stdout) << "{\"bytes\": " << file.size() << ", \"seconds\": " << seconds
                                << ", \"idleRssKiB\": " << idle << ", \"peakRssKiB\": " << peak
                                << ", \"growthKiB\": " << (peak - idle) << "}" << Qt::endl;
            smtp.disconnectFromServer();
        });
        QObject::connect(&smtp, &Ssmtp::disconnectedFromServer, &app, &QCoreApplication::quit);
        smtp.connectToServer();
        QCoreApplication::exec();
        return rc;
    }

    if (mode == QLatin1String("attach")) {
        const QFileInfo info(args.at(3));
        if (!info.isFile() || !info.isReadable())
            return fail(Ssmtp::CannotOpenFileError, info.absoluteFilePath());
        smtp.setMessageText(QStringLiteral("One large attachment."));
        // A file attachment is only a name until the send reads and encodes it.
        smtp.addAttachment(info.absoluteFilePath());
        QElapsedTimer clock;
        long idle = 0;
        QObject::connect(&smtp, &Ssmtp::connectedToServer, &app, [&] {
            idle = currentRssKiB();
            clock.start();
            smtp.send();
        });
        QObject::connect(&smtp, &Ssmtp::messageSent, &app, [&] {
            const double seconds = double(clock.nsecsElapsed()) / 1e9;
            const long peak = peakRssKiB();
            QTextStream(stdout) << "{\"bytes\": " << info.size() << ", \"seconds\": " << seconds
                                << ", \"idleRssKiB\": " << idle << ", \"peakRssKiB\": " << peak
                                << ", \"growthKiB\": " << (peak - idle) << "}" << Qt::endl;
            smtp.disconnectFromServer();
        });
        QObject::connect(&smtp, &Ssmtp::disconnectedFromServer, &app, &QCoreApplication::quit);
        smtp.connectToServer();
        QCoreApplication::exec();
        return rc;
    }
    return 2;
}
