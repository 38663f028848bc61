// A scriptable fake SMTP server for tests.
//
// The script is a list of directives, one per line (see setScript()). The server walks the
// script strictly in order: it sends the S: replies, checks every client line against the
// C: patterns and collects DATA/BDAT bodies, so a test can assert both the exact bytes the
// client put on the wire and the number of round trips it needed.
// Set FAKESMTP_TRACE=1 in the environment to log the dialogue with qDebug().
//
// TLS: after setTls() the server can speak TLS as a server (QSslSocket), either from the first
// byte of every connection (setImplicitTls(true)) or from a STARTTLS directive on. Everything
// the script matches after the handshake is the decrypted dialogue. Typical STARTTLS script:
//   S: 220 fake ESMTP
//   C: EHLO *
//   S: 250-fake
//   S: 250 STARTTLS
//   C: STARTTLS
//   S: 220 2.0.0 go ahead
//   STARTTLS
//   C: EHLO *                      (now inside TLS)
// A client that must refuse the server's certificate:  ... S: 220 go ahead / STARTTLS /
// EXPECT-TLS-FAIL (with implicit TLS the script just starts with EXPECT-TLS-FAIL).
// Hostile servers: "S-RAW: 220 go ahead\r\n250 forged\r\n" + STARTTLS sends the injected
// reply in the same write as the 220 (Block delivery: one write per reply block);
// "S-RAW: 220 go ahead\r\n25" + STARTTLS leaves a fragment without line end; and
// STARTTLS-INJECT: text writes text after the client's ClientHello arrived and before the
// server's handshake reply.
#pragma once

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QSslCertificate>
#include <QSslCipher>
#include <QSslConfiguration>
#include <QSslError>
#include <QSslKey>
#include <QString>

class QSslSocket;
class QTcpServer;
class QTimer;

class FakeSmtpServer : public QObject
{
    Q_OBJECT
public:
    // How the bytes of one reply block are handed to the socket.
    enum Delivery {
        Block,   // the whole block in one write
        PerLine, // one write (and flush) per line, 1 ms apart
        PerByte, // one byte per write (and flush), each from its own timer tick
    };
    Q_ENUM(Delivery)

    explicit FakeSmtpServer(QObject *parent = nullptr);
    ~FakeSmtpServer() override;

    // Directives (leading/trailing blanks ignored; empty lines and '#' comments skipped):
    //   S: text        send "text\r\n"; consecutive S:/S-RAW: lines form one reply block
    //   S-RAW: text    send text with \r \n \t \\ \xHH decoded and no CRLF appended
    //   C: pattern     the next client line (without CRLF) must match; '*' matches any run,
    //                  '\*' a literal star, '\\' a backslash. A line that ends in a bare
    //                  LF fails. A matched "BDAT <n> [LAST]" line makes the server read
    //                  the n chunk octets that follow.
    //   DATA           read dot-terminated data up to and including CRLF.CRLF
    //   CLOSE          flush and close the connection;  ABORT: abort it
    //   WAIT ms        pause before the next directive
    //   HANG           never answer again but keep the socket open; the script counts as
    //                  finished (for client timeout tests)
    //   EXPECT-CLOSE   wait until the client closes the connection
    //   ACCEPT         take the next client connection (the first one is taken implicitly)
    //   STARTTLS       start the server side of the TLS handshake on this connection (after
    //                  the script's "S: 220 ..." for the client's STARTTLS); the next directive
    //                  runs once the connection is encrypted. Client bytes that came before
    //                  the handshake (pipelined after the STARTTLS command) fail the script.
    //                  A failed handshake fails the script unless EXPECT-TLS-FAIL follows.
    //                  Needs setTls().
    //   STARTTLS-INJECT: text
    //                  like STARTTLS, but first waits for the client's first handshake bytes
    //                  and writes text (escapes as in S-RAW:) in its own write before the
    //                  server's handshake reply (ServerHello) goes out
    //   EXPECT-TLS-FAIL
    //                  the client must abort the handshake just started (by STARTTLS or, as
    //                  the first directive of a connection, by implicit TLS), e.g. because it
    //                  rejects the certificate: satisfied when the handshake fails or when
    //                  the client closes right after it without sending a byte inside TLS.
    //                  The connection is then dropped and the script goes on (usually it
    //                  ends here; ACCEPT may follow). Fails when the client sends data.
    // Script errors are reported through failure(). "line N" in messages counts the lines
    // of the script text from 1.
    void setScript(const QString &script);
    void setDelivery(Delivery delivery);
    Delivery delivery() const { return m_delivery; }
    // Fail when the client sends anything after the script has finished, or when bytes are
    // left unread as a connection ends (CLOSE, ABORT, EXPECT-CLOSE, ACCEPT). Off by default:
    // then such bytes only show up in received() (and as lines in clientLines()).
    void setStrictEnd(bool strict);

    // TLS as a server: certificate, key and the chain certificates sent after the certificate
    // (intermediates). Peer verification is off until setRequestClientCertificate().
    void setTls(const QSslCertificate &certificate, const QSslKey &key,
                const QList<QSslCertificate> &chain = {});
    // Every accepted connection starts the TLS handshake at once (SMTPS, port 465 style); the
    // first directive runs once it is encrypted. Needs setTls().
    void setImplicitTls(bool implicit);
    // Ask the client for a certificate during the handshake. With an empty caCertificates any
    // certificate (or none) is accepted (QueryPeer); otherwise the client must present one
    // that verifies against caCertificates (VerifyPeer), else the handshake fails.
    void setRequestClientCertificate(bool request,
                                     const QList<QSslCertificate> &caCertificates = {});
    // The server-side QSslConfiguration built by the setters above, for further tweaks (e.g.
    // setProtocol()); set it back with setTlsConfiguration().
    QSslConfiguration tlsConfiguration() const { return m_tlsConfig; }
    void setTlsConfiguration(const QSslConfiguration &configuration);

    // Listens on 127.0.0.1 on a free port; returns the port, 0 on failure.
    quint16 listen();
    quint16 port() const;

    // Runs the event loop until the script finished, failed or msecs passed. True only if
    // every directive ran and nothing failed. On timeout failure() describes where it hung.
    bool waitForFinished(int msecs = 5000);
    bool isFinished() const { return m_finished; }
    QString failure() const;

    // Each DATA/BDAT message as it came over the wire (DATA: still dot-stuffed, without the
    // final ".\r\n"), and the same messages after dot-unstuffing (identical for BDAT).
    QList<QByteArray> messages() const { return m_messages; }
    QList<QByteArray> contents() const { return m_contents; }
    // Every byte any client connection sent, in arrival order; inside TLS the decrypted
    // bytes (the handshake itself is not recorded).
    QByteArray received() const { return m_received; }
    // Complete command lines the client sent (outside DATA/BDAT payloads), without CRLF.
    QList<QByteArray> clientLines() const { return m_clientLines; }
    // Reply blocks sent after client bytes had arrived since the previous reply, i.e. the
    // round trips the client needed. The greeting does not count.
    int turns() const { return m_turns; }
    int connectionCount() const { return m_connectionCount; }

    // TLS results. tlsFailed(): some handshake failed (expected by EXPECT-TLS-FAIL or not),
    // or under EXPECT-TLS-FAIL the client closed right after the handshake; tlsError() says
    // what happened (e.g. "client aborted during the TLS handshake (line 7)").
    int tlsHandshakes() const { return m_tlsHandshakes; } // completed handshakes
    bool tlsFailed() const { return m_tlsFailed; }
    QString tlsError() const { return m_tlsError; }
    // Verification errors of the client certificate in the last failed handshake.
    QList<QSslError> sslHandshakeErrors() const { return m_sslErrors; }
    // Of the last connection that did a handshake (null/empty when it had none or the client
    // sent no certificate).
    QSslCertificate peerCertificate() const { return m_peerCertificate; }
    QSsl::SslProtocol sessionProtocol() const { return m_sessionProtocol; }
    QSslCipher sessionCipher() const { return m_sessionCipher; }

Q_SIGNALS:
    void clientLine(const QByteArray &line);
    void finished();
    void failed(const QString &reason);

private:
    struct Step
    {
        enum Kind {
            Send,
            Expect,
            Data,
            Close,
            Abort,
            Wait,
            Hang,
            ExpectClose,
            Accept,
            StartTls,
            ExpectTlsFail
        };
        Kind kind;
        // Send: octets to write; Expect: the pattern (UTF-8); StartTls: what to inject
        QByteArray bytes;
        int msecs = 0;
        int line = 0;
        bool inject = false; // StartTls: STARTTLS-INJECT
    };

    void onNewConnection();
    void onReadyRead();
    void readFrom(QSslSocket *socket);
    void onDisconnected();
    void onSocketError();
    void onEncrypted();
    void prepareSocket(QSslSocket *socket);
    bool startTls(const Step &s);
    void startHandshake(int line);
    void handshakeFailed(const QString &reason);
    void recordSession(QSslSocket *socket);
    bool expectTlsFail(const Step &s);
    bool holdingReads() const;
    void advance();
    bool step();
    bool takeConnection();
    void startSend();
    void sendNextPiece();
    bool expectLine(const Step &s);
    bool readData(const Step &s);
    bool readChunk();
    void detachSocket();
    void handleExtraData();
    void finish();
    void fail(const QString &reason);
    QString describeWaitState() const;

    QTcpServer *m_server;
    QPointer<QSslSocket> m_socket;
    QTimer *m_timer; // WAIT and paced delivery
    QList<Step> m_steps;
    QString m_scriptError;
    Delivery m_delivery = Block;
    bool m_strictEnd = false;

    int m_index = 0;
    bool m_needConnection = true;
    bool m_peerClosed = false;
    bool m_busy = false; // a WAIT or a paced send is in progress
    bool m_inAdvance = false;
    bool m_advanceAgain = false;
    bool m_finished = false;
    bool m_hung = false;
    bool m_readSinceReply = false;
    QList<QByteArray> m_pieces; // paced delivery: what is still to be written
    int m_sendLine = 0;

    qint64 m_chunkRemaining = -1; // >= 0 while reading BDAT chunk octets
    bool m_chunkLast = false;
    QByteArray m_chunkMessage;

    QByteArray m_buffer; // unconsumed bytes of the current connection
    QByteArray m_received;
    QList<QByteArray> m_messages;
    QList<QByteArray> m_contents;
    QList<QByteArray> m_clientLines;
    int m_turns = 0;
    int m_connectionCount = 0;
    QString m_failure;
    QString m_timeoutNote;

    // TLS
    enum TlsState { Plain, Handshaking, Encrypted, Failed };
    QSslConfiguration m_tlsConfig;
    bool m_implicitTls = false;
    TlsState m_tlsState = Plain; // of the current connection
    int m_tlsLine = 0;           // directive line that started the handshake, 0: implicit
    int m_tlsHandshakes = 0;
    bool m_tlsFailed = false;
    QString m_tlsError;
    QList<QSslError> m_sslErrors;
    QSslCertificate m_peerCertificate;
    QSsl::SslProtocol m_sessionProtocol = QSsl::UnknownProtocol;
    QSslCipher m_sessionCipher;
};
