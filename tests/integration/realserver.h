// RealSmtpServer: a real SMTP server on 127.0.0.1, started and stopped by a Qt Test.
//
// Two kinds:
//   - startSmtpServerSink(): npm smtp-server (servers/smtp-server-sink.js) storing every
//     accepted message as <n>.eml plus its envelope as <n>.json in mailDir();
//   - startPostfix(): a private Postfix instance (servers/postfix-instance.sh) delivering every
//     accepted message into the Maildir mailDir() (asynchronously; Postfix adds headers and
//     stores LF line ends).
//
// When the server software is not installed (or Postfix cannot run because we are not root),
// skipReason() says why and the test should skip through REALSERVER_REQUIRE(), which turns the
// skip into a failure when CI=true or SSMTP_REQUIRE_REAL_SERVERS=1: scripts/setup-deps.sh
// installs everything, so there a missing server is a bug, not a reason to skip.
#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include <memory>

class RealSmtpServer
{
public:
    enum class Kind { None, SmtpServerSink, Postfix };

    RealSmtpServer();
    RealSmtpServer(RealSmtpServer &&other) noexcept;
    RealSmtpServer &operator=(RealSmtpServer &&other) noexcept;
    ~RealSmtpServer(); // stops the server

    // Extra arguments for smtp-server-sink.js, e.g. {"--auth", "alice:secret", "--size", "1000"}
    // (see the option list at the top of the script). --outdir and --watch-stdin are added.
    // TLS: {"--starttls", "--key", K, "--cert", C} or {"--secure", ...} (implicit TLS on
    // port()), plus {"--request-cert", "--ca", CA} to ask for a client certificate; each
    // envelope then tells "secure" and "tls" (protocol, cipher, peerSubject, authorized).
    static RealSmtpServer startSmtpServerSink(const QStringList &args = {});
    // Extra environment for postfix-instance.sh, e.g. {"POSTFIX_SASL=alice:secret",
    // "POSTFIX_MESSAGE_SIZE_LIMIT=1000000"}. TLS: "POSTFIX_TLS_CERT=F", "POSTFIX_TLS_KEY=F"
    // (STARTTLS on port()), "POSTFIX_TLS_WRAPPER=1" (implicit TLS on securePort()),
    // "POSTFIX_TLS_CA=F" (ask for a client certificate), "POSTFIX_TLS_LEVEL=encrypt".
    static RealSmtpServer startPostfix(const QStringList &environment = {});

    Kind kind() const;
    QString host() const; // always 127.0.0.1
    quint16 port() const;
    // The implicit-TLS port: Postfix's POSTFIX_TLS_WRAPPER listener, the sink's port() when it
    // was started with --secure; else 0.
    quint16 securePort() const;
    // Where delivered messages appear: the sink's output folder, or Postfix's Maildir
    // (RUNDIR/mail/sink).
    QString mailDir() const;
    // The server's private folder (the sink's output folder, Postfix's RUNDIR).
    QString runDir() const;
    bool isRunning() const;
    // Non-empty when the server software is not available here: the test should skip.
    QString skipReason() const;
    // Why start failed although the software is there, or what went wrong since.
    QString errorString() const;
    // The server's log: the sink's stderr, Postfix's maillog (for failure messages).
    QString log() const;

    // Files of the messages stored so far, oldest first (sink: <n>.eml by n; Postfix: Maildir
    // files by delivery time).
    QStringList messageFiles() const;
    int messageCount() const;
    // Polls (processing events, so the client under test keeps running) until at least n
    // messages are stored or msecs pass; returns the contents of all stored messages, oldest
    // first (fewer than n on time-out).
    QList<QByteArray> waitForMessages(int n, int msecs = 30000);
    // The sink's envelope records (<n>.json), in the order of messageFiles(); empty for Postfix.
    QList<QJsonObject> envelopes() const;
    // Removes the stored messages (numbering of the sink goes on).
    void clearMessages();

    void stop();

    // Runs check_message.py (/usr/bin/python3, email package, policy.default) on the message and
    // returns its JSON report: "defects", "defect_list", "headers", "addresses", "body",
    // "body_sha256", "raw_body_sha256", "raw_body_crlf_sha256", "line_endings", ... On failure
    // the object has "error".
    static QJsonObject checkMessage(const QByteArray &eml);

    // True when a missing server must fail the test instead of skipping it.
    static bool realServersRequired();

private:
    struct Private;
    std::unique_ptr<Private> d;
};

// Skips (or, in CI, fails) the current test when the server is not available, and fails it when
// the server is installed but did not start.
#define REALSERVER_REQUIRE(server)                                                                 \
    do {                                                                                           \
        if (!(server).skipReason().isEmpty()) {                                                    \
            const QByteArray reason_ =                                                             \
                "REAL SERVER NOT AVAILABLE: " + (server).skipReason().toUtf8();                    \
            qWarning("%s", reason_.constData());                                                   \
            if (RealSmtpServer::realServersRequired())                                             \
                QFAIL(reason_.constData());                                                        \
            QSKIP(reason_.constData());                                                            \
        }                                                                                          \
        QVERIFY2((server).isRunning(), qPrintable((server).errorString()));                        \
    } while (false)
