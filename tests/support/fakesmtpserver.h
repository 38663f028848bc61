// A scriptable fake SMTP server for tests.
//
// The script is a list of directives, one per line (see setScript()). The server walks the
// script strictly in order: it sends the S: replies, checks every client line against the
// C: patterns and collects DATA/BDAT bodies, so a test can assert both the exact bytes the
// client put on the wire and the number of round trips it needed.
// Set FAKESMTP_TRACE=1 in the environment to log the dialogue with qDebug().
#pragma once

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QString>

class QTcpServer;
class QTcpSocket;
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
    // Script errors are reported through failure(). "line N" in messages counts the lines
    // of the script text from 1.
    void setScript(const QString &script);
    void setDelivery(Delivery delivery);
    Delivery delivery() const { return m_delivery; }
    // Fail when the client sends anything after the script has finished, or when bytes are
    // left unread as a connection ends (CLOSE, ABORT, EXPECT-CLOSE, ACCEPT). Off by default:
    // then such bytes only show up in received() (and as lines in clientLines()).
    void setStrictEnd(bool strict);

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
    // Every byte any client connection sent, in arrival order.
    QByteArray received() const { return m_received; }
    // Complete command lines the client sent (outside DATA/BDAT payloads), without CRLF.
    QList<QByteArray> clientLines() const { return m_clientLines; }
    // Reply blocks sent after client bytes had arrived since the previous reply, i.e. the
    // round trips the client needed. The greeting does not count.
    int turns() const { return m_turns; }
    int connectionCount() const { return m_connectionCount; }

Q_SIGNALS:
    void clientLine(const QByteArray &line);
    void finished();
    void failed(const QString &reason);

private:
    struct Step
    {
        enum Kind { Send, Expect, Data, Close, Abort, Wait, Hang, ExpectClose, Accept };
        Kind kind;
        QByteArray bytes; // Send: octets to write; Expect: the pattern (UTF-8)
        int msecs = 0;
        int line = 0;
    };

    void onNewConnection();
    void onReadyRead();
    void onDisconnected();
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
    QPointer<QTcpSocket> m_socket;
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
};
