// One SMTP server session of the ssmtp-inbox (internal to InboxServer).
#pragma once

#include "inboxserver.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QObject>

class QTcpSocket;
class QTimer;

class InboxSession : public QObject
{
    Q_OBJECT
public:
    // Takes ownership of the connected socket and sends the greeting.
    InboxSession(QTcpSocket *socket, InboxServer *server);

    // 421 and close, for server shutdown.
    void shutdown();

Q_SIGNALS:
    void closed(InboxSession *session);

private:
    enum class Mode { Command, Data, Chunk, AuthPlain, AuthLoginUser, AuthLoginPassword };

    void onReadyRead();
    void process();
    void handleCommand(QByteArrayView line);
    void handleAuthResponse(QByteArrayView line);
    qsizetype consumeData(qsizetype pos, bool *needMore);
    qsizetype consumeChunk(qsizetype pos);

    void cmdHelo(QByteArrayView arg, bool extended);
    void cmdMail(QByteArrayView arg);
    void cmdRcpt(QByteArrayView arg);
    void cmdData(QByteArrayView arg);
    void cmdBdat(QByteArrayView arg);
    void cmdAuth(QByteArrayView arg);
    void cmdHelp();

    void appendBody(QByteArrayView bytes);
    void startBody();
    void finishData();
    void finishChunk();
    void deliverMessage(const char *transport);
    void resetTransaction();
    void authenticated(const QByteArray &user);
    void reply(const char *line);
    void reply(const QByteArray &line);
    void flushReplies();
    void closeAfterReplies();

    QTcpSocket *m_socket;
    InboxServer *m_server;
    QTimer *m_idleTimer;
    QByteArray m_in;
    QByteArray m_out; // replies collected while processing one read, written at once
    Mode m_mode = Mode::Command;
    bool m_overlongLine = false; // discarding a command line longer than the limit
    bool m_closing = false;

    QByteArray m_helo;
    bool m_esmtp = false;
    QByteArray m_authUser;
    QByteArray m_loginUser; // AUTH LOGIN: user name until the password arrives

    // The mail transaction.
    bool m_hasMail = false;
    bool m_smtpUtf8 = false;
    bool m_bdatStarted = false;
    QByteArray m_mailFrom;
    QByteArray m_mailParams;
    QList<InboxRecipient> m_recipients;
    QByteArray m_body;
    qint64 m_bodySize = 0;
    bool m_tooBig = false;
    bool m_dataLineTooLong = false;
    bool m_dataPrevCrlf = true; // the previous DATA line ended in CRLF
    bool m_dataMidLine = false; // inside an overlong DATA line consumed in pieces
    char m_dataLastByte = '\n';
    qint64 m_chunkRemaining = 0;
    bool m_chunkLast = false;
    QByteArray m_chunkError; // reply for a BDAT that is read but refused
};
