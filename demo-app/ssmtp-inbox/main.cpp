// ssmtp-inbox: a local catch-all SMTP inbox for development, demos and tests.
#include "inboxserver.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QLocale>
#include <QSaveFile>
#include <QSslCertificate>
#include <QSslKey>
#include <QSslSocket>
#include <QStringList>
#include <QTimer>
#include <QTranslator>

#include <csignal>
#include <cstdio>

#ifdef Q_OS_UNIX
#include <QSocketNotifier>

#include <cerrno>
#include <fcntl.h>
#include <unistd.h>
#endif

namespace {

void printLine(std::FILE *stream, const QString &text)
{
    std::fputs(text.toLocal8Bit().constData(), stream);
    std::fputc('\n', stream);
    std::fflush(stream); // scripts read our stdout through a pipe, line by line
}

// Translation context of the user-visible texts (QCoreApplication::translate("SsmtpInbox")).
struct SsmtpInbox
{
    Q_DECLARE_TR_FUNCTIONS(SsmtpInbox)
};

#ifdef Q_OS_UNIX
// Self-pipe: the handler only write()s (async-signal-safe); the event loop does the rest.
int g_signalPipe[2] = {-1, -1};

extern "C" void onTerminationSignal(int)
{
    const int savedErrno = errno;
    const char byte = 1;
    [[maybe_unused]] const auto written = ::write(g_signalPipe[1], &byte, 1);
    errno = savedErrno;
}

bool installSignalHandlers(QCoreApplication *app)
{
    if (::pipe(g_signalPipe) != 0)
        return false;
    for (const int fd : g_signalPipe) {
        ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
        ::fcntl(fd, F_SETFD, FD_CLOEXEC);
    }
    auto *notifier = new QSocketNotifier(g_signalPipe[0], QSocketNotifier::Read, app);
    QObject::connect(notifier, &QSocketNotifier::activated, app, [] {
        char buffer[16];
        while (::read(g_signalPipe[0], buffer, sizeof buffer) > 0) {
        }
        QCoreApplication::quit();
    });
    struct sigaction action = {};
    action.sa_handler = onTerminationSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    return ::sigaction(SIGINT, &action, nullptr) == 0 &&
           ::sigaction(SIGTERM, &action, nullptr) == 0;
}
#else
volatile std::sig_atomic_t g_quitRequested = 0;

extern "C" void onTerminationSignal(int)
{
    g_quitRequested = 1;
}

bool installSignalHandlers(QCoreApplication *app)
{
    std::signal(SIGINT, onTerminationSignal);
    std::signal(SIGTERM, onTerminationSignal);
    auto *poll = new QTimer(app);
    QObject::connect(poll, &QTimer::timeout, app, [] {
        if (g_quitRequested)
            QCoreApplication::quit();
    });
    poll->start(200);
    return true;
}
#endif

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("ssmtp-inbox"));
    QCoreApplication::setApplicationVersion(QStringLiteral(SSMTP_INBOX_VERSION));
    QTranslator translator; // :/i18n/ssmtp-inbox_<lang>.qm, embedded by CMake
    if (translator.load(QLocale(), QStringLiteral("ssmtp-inbox"), QStringLiteral("_"),
                        QStringLiteral(":/i18n")))
        QCoreApplication::installTranslator(&translator);

    QCommandLineParser parser;
    parser.setApplicationDescription(SsmtpInbox::tr(
        "A local catch-all SMTP inbox for development and tests.\n"
        "Accepts every message for any recipient and stores it, with its envelope, in a "
        "folder: DIR/<time>-<n>.eml holds the message octets and the .json next to it the "
        "envelope. Nothing is ever relayed or delivered. AUTH PLAIN and LOGIN are offered "
        "and any credentials are accepted."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption dirOption(
        {QStringLiteral("d"), QStringLiteral("dir")},
        SsmtpInbox::tr("Store messages in <dir> (created if missing)."), SsmtpInbox::tr("dir"));
    const QCommandLineOption portOption(
        {QStringLiteral("p"), QStringLiteral("port")},
        SsmtpInbox::tr("Listen on <port>; 0 picks a free port (default: 2525)."),
        SsmtpInbox::tr("port"), QStringLiteral("2525"));
    const QCommandLineOption hostOption(QStringLiteral("host"),
                                        SsmtpInbox::tr("Listen on <address> (default: 127.0.0.1)."),
                                        SsmtpInbox::tr("address"), QStringLiteral("127.0.0.1"));
    const QCommandLineOption portFileOption(
        QStringLiteral("port-file"),
        SsmtpInbox::tr("Write the port to <file> once listening (for scripts)."),
        SsmtpInbox::tr("file"));
    const QCommandLineOption discardOption(
        QStringLiteral("discard"),
        SsmtpInbox::tr("Do not store messages, only count them (for benchmarks)."));
    const QCommandLineOption maxSizeOption(
        QStringLiteral("max-size"),
        SsmtpInbox::tr("Advertise and enforce SIZE <bytes>; 0 means no limit (default: 52428800)."),
        SsmtpInbox::tr("bytes"), QStringLiteral("52428800"));
    const QCommandLineOption noChunkingOption(QStringLiteral("no-chunking"),
                                              SsmtpInbox::tr("Do not offer CHUNKING (BDAT)."));
    const QCommandLineOption noPipeliningOption(QStringLiteral("no-pipelining"),
                                                SsmtpInbox::tr("Do not advertise PIPELINING."));
    const QCommandLineOption onceOption(
        QStringLiteral("once"), SsmtpInbox::tr("Exit after the first message has been stored."));
    const QCommandLineOption quietOption({QStringLiteral("q"), QStringLiteral("quiet")},
                                         SsmtpInbox::tr("Print nothing but errors."));
    const QCommandLineOption statsFileOption(
        QStringLiteral("stats-file"),
        SsmtpInbox::tr("On exit, write {\"messages\", \"bytes\", \"turns\"} as JSON to FILE "
                       "(turns: reply batches sent in answer to client data, i.e. round trips)."),
        QStringLiteral("FILE"));
    parser.addOption(statsFileOption);
    const QCommandLineOption tlsCertOption(
        QStringLiteral("tls-cert"),
        SsmtpInbox::tr("Speak implicit TLS (SMTPS) with the PEM certificate in FILE."),
        QStringLiteral("FILE"));
    const QCommandLineOption tlsKeyOption(QStringLiteral("tls-key"),
                                          SsmtpInbox::tr("The PEM private key of --tls-cert."),
                                          QStringLiteral("FILE"));
    parser.addOptions({tlsCertOption, tlsKeyOption});
    parser.addOptions({dirOption, portOption, hostOption, portFileOption, discardOption,
                       maxSizeOption, noChunkingOption, noPipeliningOption, onceOption,
                       quietOption});
    parser.process(app);

    auto fail = [](const QString &message) {
        printLine(stderr, QStringLiteral("ssmtp-inbox: ") + message);
        return 1;
    };
    if (!parser.positionalArguments().isEmpty())
        return fail(
            SsmtpInbox::tr("unexpected argument: %1").arg(parser.positionalArguments().first()));

    InboxOptions options;
    options.discard = parser.isSet(discardOption);
    options.chunking = !parser.isSet(noChunkingOption);
    options.pipelining = !parser.isSet(noPipeliningOption);
    const bool quiet = parser.isSet(quietOption);
    const bool once = parser.isSet(onceOption);

    bool ok = false;
    const uint port = parser.value(portOption).toUInt(&ok);
    if (!ok || port > 65535)
        return fail(SsmtpInbox::tr("invalid port: %1").arg(parser.value(portOption)));
    options.maxSize = parser.value(maxSizeOption).toLongLong(&ok);
    if (!ok || options.maxSize < 0)
        return fail(SsmtpInbox::tr("invalid size: %1").arg(parser.value(maxSizeOption)));
    const QString host = parser.value(hostOption);
    QHostAddress address;
    if (host == QLatin1String("localhost"))
        address = QHostAddress(QHostAddress::LocalHost);
    else if (!address.setAddress(host))
        return fail(SsmtpInbox::tr("invalid address: %1").arg(host));

    if (!options.discard) {
        if (!parser.isSet(dirOption))
            return fail(SsmtpInbox::tr("--dir is required (or --discard); see --help"));
        options.directory = parser.value(dirOption);
        if (!QDir().mkpath(options.directory))
            return fail(SsmtpInbox::tr("cannot create directory %1").arg(options.directory));
    }

    if (parser.isSet(tlsCertOption)) {
        QFile certFile(parser.value(tlsCertOption));
        QFile keyFile(parser.value(tlsKeyOption));
        if (!certFile.open(QIODevice::ReadOnly) || !keyFile.open(QIODevice::ReadOnly))
            return fail(SsmtpInbox::tr("cannot read --tls-cert and --tls-key"));
        const QList<QSslCertificate> chain = QSslCertificate::fromData(certFile.readAll());
        const QByteArray keyPem = keyFile.readAll();
        QSslKey key(keyPem, QSsl::Rsa);
        if (key.isNull())
            key = QSslKey(keyPem, QSsl::Ec);
        if (chain.isEmpty() || key.isNull())
            return fail(SsmtpInbox::tr("--tls-cert/--tls-key: no certificate or key found"));
        options.tls = QSslConfiguration::defaultConfiguration();
        options.tls.setLocalCertificateChain(chain);
        options.tls.setPrivateKey(key);
        options.tls.setPeerVerifyMode(QSslSocket::VerifyNone);
    }

    if (!installSignalHandlers(&app))
        return fail(SsmtpInbox::tr("cannot install signal handlers"));

    InboxServer server(options);
    if (!server.listen(address, static_cast<quint16>(port)))
        return fail(SsmtpInbox::tr("cannot listen on %1:%2: %3")
                        .arg(host)
                        .arg(port)
                        .arg(server.errorString()));

    if (parser.isSet(portFileOption)) {
        // Written atomically: a script polling for the file never reads it half-written.
        QSaveFile portFile(parser.value(portFileOption));
        if (!portFile.open(QIODevice::WriteOnly) ||
            portFile.write(QByteArray::number(server.serverPort()) + '\n') < 0 ||
            !portFile.commit())
            return fail(SsmtpInbox::tr("cannot write %1: %2")
                            .arg(parser.value(portFileOption), portFile.errorString()));
    }

    if (!quiet) {
        if (!address.isLoopback())
            printLine(stderr,
                      SsmtpInbox::tr("ssmtp-inbox: warning: %1 is not a loopback address; anyone "
                                     "who can reach it can drop mail here")
                          .arg(host));
        printLine(stderr,
                  options.discard
                      ? SsmtpInbox::tr("ssmtp-inbox: listening on %1:%2, discarding messages")
                            .arg(host)
                            .arg(server.serverPort())
                      : SsmtpInbox::tr("ssmtp-inbox: listening on %1:%2, storing messages in %3")
                            .arg(host)
                            .arg(server.serverPort())
                            .arg(QDir::toNativeSeparators(server.options().directory)));
    }

    QObject::connect(&server, &InboxServer::messageReceived, &app,
                     [&](const InboxMessage &message) {
                         if (!quiet && !message.emlPath.isEmpty()) {
                             QStringList rcpts;
                             for (const InboxRecipient &r : message.recipients)
                                 rcpts.append(QString::fromUtf8(r.address));
                             const QString from = message.mailFrom.isEmpty()
                                                      ? QStringLiteral("<>")
                                                      : QString::fromUtf8(message.mailFrom);
                             printLine(stdout, QStringLiteral("stored %1 from %2 to %3")
                                                   .arg(QDir::toNativeSeparators(message.emlPath),
                                                        from, rcpts.join(QStringLiteral(", "))));
                         }
                         if (once && !server.isShuttingDown()) {
                             // Let the client finish (250, QUIT/221) before exiting, but do
                             // not wait forever for a client that keeps the line open.
                             server.beginShutdown();
                             QTimer::singleShot(5000, &app, &QCoreApplication::quit);
                         }
                     });
    QObject::connect(&server, &InboxServer::storeFailed, &app, [&](const QString &error) {
        printLine(stderr, SsmtpInbox::tr("ssmtp-inbox: cannot store a message: %1").arg(error));
    });
    QObject::connect(&server, &InboxServer::drained, &app, &QCoreApplication::quit);

    const int rc = QCoreApplication::exec();
    server.closeAllSessions();
    if (parser.isSet(statsFileOption)) {
        QFile stats(parser.value(statsFileOption));
        if (stats.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
            stats.write(QByteArray("{\"messages\": ") + QByteArray::number(server.messageCount()) +
                        ", \"bytes\": " + QByteArray::number(server.byteCount()) +
                        ", \"turns\": " + QByteArray::number(server.turnCount()) + "}\n");
        }
    }
    if (!quiet)
        printLine(stderr, SsmtpInbox::tr("ssmtp-inbox: %n message(s) received, %1 bytes", nullptr,
                                         static_cast<int>(server.messageCount()))
                              .arg(server.byteCount()));
    return rc;
}
