// ssmtp-send: sends mail with the Ssmtp component from the command line.
//
//   ssmtp-send --set mailServer=127.0.0.1 --set mailPort=2525 --set from=me@example.test
//              --set sendTo=you@example.test --set subject=Hello --set messageText=@body.txt
//
// Exit status 0 on success; on failure 1 and one line "error CODE: TEXT" on stderr.
#include "certificatefile.h"
#include "propertysetter.h"

#include "ssmtp.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFile>
#include <QLocale>
#include <QTextStream>
#include <QTranslator>

#include <cstdio>
#include <functional>

namespace {

QTextStream &err()
{
    static QTextStream stream(stderr);
    return stream;
}

QTextStream &out()
{
    static QTextStream stream(stdout);
    return stream;
}

int fail(int code, const QString &text)
{
    err() << "error " << code << ": " << QString(text).replace(QLatin1Char('\n'), QLatin1Char(' '))
          << Qt::endl;
    return 1;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("ssmtp-send"));
    QCoreApplication::setApplicationVersion(QStringLiteral("0.1"));
    Ssmtp::installTranslator(QLocale());
    QTranslator cliTranslator; // :/i18n/ssmtp-send_<lang>.qm, embedded by CMake
    if (cliTranslator.load(QLocale(), QStringLiteral("ssmtp-send"), QStringLiteral("_"),
                           QStringLiteral(":/i18n")))
        QCoreApplication::installTranslator(&cliTranslator);

    QCommandLineParser parser;
    parser.setApplicationDescription(QCoreApplication::translate(
        "ssmtp-send",
        "Sends a message with the Ssmtp component. Every writable property is reachable "
        "with --set, every config setting with --config."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption setOpt(
        QStringLiteral("set"),
        QCoreApplication::translate(
            "ssmtp-send", "Set a property by its Qt name (VALUE \"@path\" reads a file)."),
        QStringLiteral("NAME=VALUE"));
    const QCommandLineOption configOpt(
        QStringLiteral("config"),
        QCoreApplication::translate("ssmtp-send", "Call config(\"NAME=VALUE\")."),
        QStringLiteral("NAME=VALUE"));
    const QCommandLineOption recipientOpt(
        QStringLiteral("recipient"),
        QCoreApplication::translate(
            "ssmtp-send",
            "Add a messageRecipients entry: TYPE:ADDRESS[:OPTIONS], TYPE to, cc or bcc "
            "(OPTIONS e.g. NOTIFY=SUCCESS,FAILURE)."),
        QStringLiteral("SPEC"));
    const QCommandLineOption bodyFileOpt(
        QStringLiteral("body-file"),
        QCoreApplication::translate("ssmtp-send",
                                    "Stream the message body from FILE (setMessageStream)."),
        QStringLiteral("FILE"));
    const QCommandLineOption traceOpt(
        QStringLiteral("trace"),
        QCoreApplication::translate(
            "ssmtp-send",
            "Print the protocol trace to stderr (C: client, S: server, I: info, T: TLS)."));
    const QCommandLineOption countOpt(
        QStringLiteral("count"),
        QCoreApplication::translate("ssmtp-send", "Send the message N times over one connection."),
        QStringLiteral("N"), QStringLiteral("1"));
    const QCommandLineOption queueOpt(
        QStringLiteral("queue"),
        QCoreApplication::translate(
            "ssmtp-send", "Queue the message into DIR instead of sending it (\"*\" prints it)."),
        QStringLiteral("DIR"));
    const QCommandLineOption processQueueOpt(
        QStringLiteral("process-queue"),
        QCoreApplication::translate("ssmtp-send", "Send every message queued in DIR."),
        QStringLiteral("DIR"));
    const QCommandLineOption verifyOpt(
        QStringLiteral("verify"),
        QCoreApplication::translate("ssmtp-send", "Ask the server to verify ADDR (VRFY)."),
        QStringLiteral("ADDR"));
    const QCommandLineOption expandOpt(
        QStringLiteral("expand"),
        QCoreApplication::translate("ssmtp-send",
                                    "Ask the server to expand ADDR (EXPN); prints each address."),
        QStringLiteral("ADDR"));
    const QCommandLineOption commandOpt(
        QStringLiteral("command"),
        QCoreApplication::translate("ssmtp-send",
                                    "Send LINE as a raw command and print the reply."),
        QStringLiteral("LINE"));
    const QCommandLineOption attachOpt(
        QStringLiteral("attach"),
        QCoreApplication::translate("ssmtp-send", "Attach FILE (repeatable)."),
        QStringLiteral("FILE"));
    const QCommandLineOption htmlOpt(
        QStringLiteral("html"),
        QCoreApplication::translate("ssmtp-send",
                                    "Use the UTF-8 HTML in FILE as the body (messageText "
                                    "becomes its plain-text alternative)."),
        QStringLiteral("FILE"));
    const QCommandLineOption signOpt(
        QStringLiteral("sign"),
        QCoreApplication::translate("ssmtp-send", "Sign the message (S/MIME) with --signer."));
    const QCommandLineOption encryptOpt(
        QStringLiteral("encrypt"),
        QCoreApplication::translate("ssmtp-send",
                                    "Encrypt the message (S/MIME) for every --recipient-cert."));
    const QCommandLineOption signAndEncryptOpt(
        QStringLiteral("sign-and-encrypt"),
        QCoreApplication::translate("ssmtp-send", "Sign, then encrypt the message (S/MIME)."));
    const QCommandLineOption signerOpt(
        QStringLiteral("signer"),
        QCoreApplication::translate("ssmtp-send",
                                    "The signing certificate with its private key: a PKCS#12 or "
                                    "PEM file, optionally followed by :PASSWORD."),
        QStringLiteral("FILE[:PASSWORD]"));
    const QCommandLineOption recipientCertOpt(
        QStringLiteral("recipient-cert"),
        QCoreApplication::translate("ssmtp-send",
                                    "A recipient's certificate (PEM or DER) to encrypt for "
                                    "(repeatable)."),
        QStringLiteral("FILE"));
    const QCommandLineOption caCertsOpt(
        QStringLiteral("ca-certs"),
        QCoreApplication::translate("ssmtp-send",
                                    "PEM file of CA certificates trusted for the server's TLS "
                                    "certificate in addition to the system's (SSLServerCACerts)."),
        QStringLiteral("FILE"));
    const QCommandLineOption acceptServerCertOpt(
        QStringLiteral("accept-server-cert"),
        QCoreApplication::translate("ssmtp-send",
                                    "Accept the server's TLS certificate when it is exactly the "
                                    "one in FILE (PEM or DER; sslAcceptServerCert)."),
        QStringLiteral("FILE"));
    const QCommandLineOption clientCertOpt(
        QStringLiteral("client-cert"),
        QCoreApplication::translate("ssmtp-send",
                                    "TLS client certificate with its private key: a PKCS#12 or "
                                    "PEM file, optionally followed by :PASSWORD (sslCert)."),
        QStringLiteral("FILE[:PASSWORD]"));
    parser.addOptions({setOpt,       configOpt,        recipientOpt, bodyFileOpt,
                       traceOpt,     countOpt,         queueOpt,     processQueueOpt,
                       verifyOpt,    expandOpt,        commandOpt,   attachOpt,
                       htmlOpt,      signOpt,          encryptOpt,   signAndEncryptOpt,
                       signerOpt,    recipientCertOpt, caCertsOpt,   acceptServerCertOpt,
                       clientCertOpt});
    parser.process(app);

    Ssmtp smtp;
    int exitCode = 0;
    bool finished = false;
    auto done = [&](int code) {
        if (finished)
            return;
        finished = true;
        exitCode = code;
        QCoreApplication::exit(code);
    };

    // Errors from setters and config() are reported synchronously; stop at the first one.
    int setupError = 0;
    QString setupText;
    auto setupConnection =
        QObject::connect(&smtp, &Ssmtp::errorOccurred, [&](Ssmtp::Error code, const QString &text) {
            if (!setupError) {
                setupError = code;
                setupText = text;
            }
        });
    for (const QString &assignment : parser.values(setOpt)) {
        const QString problem = setPropertyFromText(&smtp, assignment);
        if (!problem.isEmpty())
            return fail(Ssmtp::InvalidConfigValueError, problem);
        if (setupError)
            return fail(setupError, setupText);
    }
    for (const QString &setting : parser.values(configOpt)) {
        smtp.config(setting);
        if (setupError)
            return fail(setupError, setupText);
    }
    for (const QString &spec : parser.values(recipientOpt)) {
        const QStringList parts = spec.split(QLatin1Char(':'));
        const QString type = parts.value(0).toLower();
        const SsmtpRecipient::RecipientType kind = type == QLatin1String("cc") ? SsmtpRecipient::Cc
                                                   : type == QLatin1String("bcc")
                                                       ? SsmtpRecipient::Bcc
                                                       : SsmtpRecipient::To;
        if (parts.size() < 2 || (type != QLatin1String("to") && kind == SsmtpRecipient::To))
            return fail(Ssmtp::InvalidAddressError,
                        QCoreApplication::translate(
                            "ssmtp-send", "--recipient expects TYPE:ADDRESS[:OPTIONS], got \"%1\"")
                            .arg(spec));
        smtp.addMessageRecipient(
            SsmtpRecipient(parts.at(1), QString(), kind, parts.mid(2).join(QLatin1Char(':'))));
    }
    for (const QString &file : parser.values(attachOpt))
        smtp.addAttachment(file);
    if (parser.isSet(htmlOpt)) {
        QFile html(parser.value(htmlOpt));
        if (!html.open(QIODevice::ReadOnly)) {
            return fail(Ssmtp::CannotOpenFileError,
                        QCoreApplication::translate("ssmtp-send", "Cannot open %1: %2")
                            .arg(html.fileName(), html.errorString()));
        }
        smtp.setMessageHtml(QString::fromUtf8(html.readAll()));
    }
    if (parser.isSet(signerOpt)) {
        int code = 0;
        QString text;
        const SsmtpCertificate signer = loadCertificateSpec(parser.value(signerOpt), &code, &text);
        if (signer.isNull())
            return fail(code == Ssmtp::CertificateNotFoundError ? Ssmtp::SmimeError : code, text);
        smtp.setCertificate(signer);
    }
    // TLS: trusted CAs, a pinned server certificate, a client certificate.
    if (parser.isSet(caCertsOpt)) {
        QByteArray pem;
        int code = 0;
        QString text;
        if (!readWholeFile(parser.value(caCertsOpt), &pem, &code, &text))
            return fail(code, text);
        smtp.config(QStringLiteral("SSLServerCACerts=") + QString::fromLatin1(pem));
        if (setupError)
            return fail(setupError, setupText);
    }
    if (parser.isSet(acceptServerCertOpt)) {
        QByteArray encoded;
        int code = 0;
        QString text;
        if (!readWholeFile(parser.value(acceptServerCertOpt), &encoded, &code, &text))
            return fail(code, text);
        const SsmtpCertificate accepted(encoded);
        if (accepted.isNull())
            return fail(Ssmtp::CertificateNotFoundError, accepted.errorString());
        smtp.setSslAcceptServerCert(accepted);
    }
    if (parser.isSet(clientCertOpt)) {
        int code = 0;
        QString text;
        const SsmtpCertificate client =
            loadCertificateSpec(parser.value(clientCertOpt), &code, &text);
        if (client.isNull())
            return fail(code, text);
        smtp.setSslCert(client);
    }
    for (const QString &path : parser.values(recipientCertOpt)) {
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly)) {
            return fail(Ssmtp::CannotOpenFileError,
                        QCoreApplication::translate("ssmtp-send", "Cannot open %1: %2")
                            .arg(file.fileName(), file.errorString()));
        }
        if (!smtp.addRecipientCert(file.readAll()))
            return fail(setupError, setupText);
    }
    // The body file: streamed while sending, or read into messageText when S/MIME has to
    // wrap it (a stream cannot be signed or encrypted).
    QFile bodyFile;
    if (parser.isSet(bodyFileOpt)) {
        bodyFile.setFileName(parser.value(bodyFileOpt));
        if (!bodyFile.open(QIODevice::ReadOnly))
            return fail(Ssmtp::CannotOpenFileError,
                        QCoreApplication::translate("ssmtp-send", "Cannot open %1: %2")
                            .arg(bodyFile.fileName(), bodyFile.errorString()));
        if (parser.isSet(signOpt) || parser.isSet(encryptOpt) || parser.isSet(signAndEncryptOpt))
            smtp.setMessageText(QString::fromUtf8(bodyFile.readAll()));
        else
            smtp.setMessageStream(&bodyFile);
    }
    // S/MIME after everything that makes up the content.
    const bool smimeOk = parser.isSet(signAndEncryptOpt)                     ? smtp.signAndEncrypt()
                         : parser.isSet(signOpt) && parser.isSet(encryptOpt) ? smtp.signAndEncrypt()
                         : parser.isSet(signOpt)                             ? smtp.sign()
                         : parser.isSet(encryptOpt)                          ? smtp.encrypt()
                                                                             : true;
    if (!smimeOk)
        return fail(setupError, setupText);
    QObject::disconnect(setupConnection);

    if (parser.isSet(traceOpt)) {
        QObject::connect(&smtp, &Ssmtp::piTrail, [](int direction, const QString &line) {
            static const char *const prefix[] = {"C: ", "S: ", "I: "};
            err() << prefix[qBound(0, direction, 2)] << line << Qt::endl;
        });
        QObject::connect(&smtp, &Ssmtp::sslStatus,
                         [](const QString &message) { err() << "T: " << message << Qt::endl; });
    }
    // RecipientRejectedError never ends an operation: report it and go on.
    QObject::connect(&smtp, &Ssmtp::errorOccurred, [&](Ssmtp::Error code, const QString &text) {
        if (code == Ssmtp::RecipientRejectedError) {
            err() << "warning " << int(code) << ": " << text << Qt::endl;
            return;
        }
        fail(code, text);
        done(1);
    });

    bool countOk = false;
    const int count = parser.value(countOpt).toInt(&countOk);
    if (!countOk || count < 1)
        return fail(
            Ssmtp::InvalidConfigValueError,
            QCoreApplication::translate("ssmtp-send", "--count expects a positive number."));

    if (parser.isSet(queueOpt)) {
        const QString result = smtp.queue(parser.value(queueOpt));
        if (result.isEmpty())
            return 1; // the error line was printed by the errorOccurred handler
        out() << result << Qt::endl;
        return 0;
    }

    std::function<void()> start;
    int sent = 0; // --count: lives as long as the event loop that counts
    if (parser.isSet(processQueueOpt)) {
        QObject::connect(&smtp, &Ssmtp::queueProcessed, [&](int processed) {
            out() << QCoreApplication::translate("ssmtp-send", "%n queued message(s) sent", nullptr,
                                                 processed)
                  << Qt::endl;
            done(0);
        });
        start = [&] { smtp.processQueue(parser.value(processQueueOpt)); };
    } else if (parser.isSet(verifyOpt)) {
        QObject::connect(&smtp, &Ssmtp::verified, [&](int, const QString &reply) {
            out() << reply << Qt::endl;
            done(0);
        });
        start = [&] { smtp.verify(parser.value(verifyOpt)); };
    } else if (parser.isSet(expandOpt)) {
        QObject::connect(&smtp, &Ssmtp::addressExpanded,
                         [](const QString &address) { out() << address << Qt::endl; });
        QObject::connect(&smtp, &Ssmtp::expanded, [&](const QStringList &) { done(0); });
        start = [&] { smtp.expand(parser.value(expandOpt)); };
    } else if (parser.isSet(commandOpt)) {
        // A raw command needs a connection of its own: connect, command, quit.
        QObject::connect(&smtp, &Ssmtp::connectedToServer,
                         [&] { smtp.sendCommand(parser.value(commandOpt)); });
        QObject::connect(&smtp, &Ssmtp::commandReplied, [&](int, const QString &reply) {
            out() << reply << Qt::endl;
            smtp.disconnectFromServer();
        });
        QObject::connect(&smtp, &Ssmtp::disconnectedFromServer, [&] { done(0); });
        start = [&] { smtp.connectToServer(); };
    } else if (count == 1) {
        QObject::connect(&smtp, &Ssmtp::messageSent, [&] { done(0); });
        start = [&] { smtp.send(); };
    } else {
        QObject::connect(&smtp, &Ssmtp::connectedToServer, [&] { smtp.send(); });
        QObject::connect(&smtp, &Ssmtp::messageSent, [&] {
            if (++sent < count)
                smtp.send();
            else
                smtp.disconnectFromServer();
        });
        QObject::connect(&smtp, &Ssmtp::disconnectedFromServer, [&] {
            out() << QCoreApplication::translate("ssmtp-send", "%n message(s) sent", nullptr, sent)
                  << Qt::endl;
            done(0);
        });
        start = [&] { smtp.connectToServer(); };
    }
    QMetaObject::invokeMethod(&app, start, Qt::QueuedConnection);
    const int code = QCoreApplication::exec();
    return finished ? exitCode : code;
}
