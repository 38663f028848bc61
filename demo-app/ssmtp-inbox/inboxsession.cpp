#include "inboxsession.h"

#include <QFileInfo>
#include <QTcpSocket>
#include <QTimer>

#include <algorithm>

namespace {

// Longest command line (and DATA line) accepted, without CRLF. Generous on purpose: RFC 5321
// says 512/1000, but a test inbox should only catch clients that clearly lost control.
constexpr qsizetype MaxLine = 4096;
constexpr int MaxRecipients = 1000;

bool equalsCi(QByteArrayView a, QByteArrayView b)
{
    return a.size() == b.size() && a.compare(b, Qt::CaseInsensitive) == 0;
}

bool startsWithCi(QByteArrayView text, QByteArrayView prefix)
{
    return text.size() >= prefix.size() && equalsCi(text.first(prefix.size()), prefix);
}

bool isDigits(QByteArrayView text)
{
    return !text.isEmpty() &&
           std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool isAscii(QByteArrayView text)
{
    return std::all_of(text.begin(), text.end(),
                       [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

// Splits on runs of spaces.
QList<QByteArrayView> words(QByteArrayView text)
{
    QList<QByteArrayView> out;
    qsizetype i = 0;
    while (i < text.size()) {
        while (i < text.size() && text.at(i) == ' ')
            ++i;
        const qsizetype start = i;
        while (i < text.size() && text.at(i) != ' ')
            ++i;
        if (i > start)
            out.append(text.sliced(start, i - start));
    }
    return out;
}

// "<address> params" (after FROM:/TO:). Handles quoted local parts that contain '>' and
// drops an obsolete source route ("<@a,@b:user@c>").
bool parsePath(QByteArrayView text, QByteArray *address, QByteArray *params)
{
    text = text.trimmed();
    if (!text.startsWith('<'))
        return false;
    bool quoted = false;
    qsizetype end = -1;
    for (qsizetype i = 1; i < text.size(); ++i) {
        const char c = text.at(i);
        if (quoted && c == '\\') {
            ++i;
        } else if (c == '"') {
            quoted = !quoted;
        } else if (!quoted && c == '>') {
            end = i;
            break;
        }
    }
    if (end < 0)
        return false;
    QByteArrayView addr = text.sliced(1, end - 1);
    const QByteArrayView rest = text.sliced(end + 1);
    if (!rest.isEmpty() && rest.at(0) != ' ')
        return false;
    if (addr.startsWith('@')) {
        const qsizetype colon = addr.indexOf(':');
        if (colon < 0)
            return false;
        addr = addr.sliced(colon + 1);
    }
    const bool control = std::any_of(addr.begin(), addr.end(), [](char c) {
        return static_cast<unsigned char>(c) < 0x20 || c == 0x7f;
    });
    if (control)
        return false;
    *address = addr.toByteArray();
    *params = rest.trimmed().toByteArray();
    return true;
}

// One "KEY=VALUE" / "KEY" parameter.
struct Param
{
    QByteArray key; // upper case
    QByteArrayView value;
    bool hasValue;
};

QList<Param> parseParams(QByteArrayView text)
{
    QList<Param> out;
    for (const QByteArrayView word : words(text)) {
        const qsizetype eq = word.indexOf('=');
        if (eq < 0)
            out.append({word.toByteArray().toUpper(), {}, false});
        else
            out.append({word.first(eq).toByteArray().toUpper(), word.sliced(eq + 1), true});
    }
    return out;
}

bool hasDuplicateKeys(const QList<Param> &params)
{
    for (qsizetype i = 0; i < params.size(); ++i) {
        for (qsizetype j = i + 1; j < params.size(); ++j) {
            if (params.at(i).key == params.at(j).key)
                return true;
        }
    }
    return false;
}

} // namespace

InboxSession::InboxSession(QTcpSocket *socket, InboxServer *server)
    : QObject(server)
    , m_socket(socket)
    , m_server(server)
    , m_idleTimer(new QTimer(this))
{
    socket->setParent(this);
    // Replies are small and already batched; Nagle would only add latency to each turn.
    socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    connect(socket, &QTcpSocket::readyRead, this, &InboxSession::onReadyRead);
    connect(socket, &QTcpSocket::disconnected, this, [this] { Q_EMIT closed(this); });

    m_idleTimer->setSingleShot(true);
    m_idleTimer->setInterval(server->options().idleTimeoutMsecs);
    connect(m_idleTimer, &QTimer::timeout, this, [this] {
        reply("421 4.4.2 " + m_server->options().hostName + " Idle timeout, closing connection");
        closeAfterReplies();
    });
    m_idleTimer->start();

    reply("220 " + m_server->options().hostName +
          " ESMTP ssmtp-inbox (catch-all test inbox: nothing is delivered)");
    flushReplies();
}

void InboxSession::shutdown()
{
    if (m_closing)
        return;
    reply("421 4.3.2 " + m_server->options().hostName + " Service shutting down");
    closeAfterReplies();
}

void InboxSession::onReadyRead()
{
    m_in.append(m_socket->readAll());
    if (m_closing) {
        m_in.clear();
        return;
    }
    m_idleTimer->start();
    process();
    // A reply written in answer to client bytes is one round trip as the server sees it.
    if (!m_out.isEmpty())
        m_server->countTurn();
    flushReplies();
    if (m_closing)
        closeAfterReplies();
}

// Handles everything buffered; pipelined commands are answered in order and all replies
// of one read leave in a single write.
void InboxSession::process()
{
    qsizetype pos = 0;
    bool needMore = false;
    while (pos < m_in.size() && !needMore && !m_closing) {
        switch (m_mode) {
        case Mode::Data:
            pos = consumeData(pos, &needMore);
            break;
        case Mode::Chunk:
            pos = consumeChunk(pos);
            break;
        default: {
            const qsizetype nl = m_in.indexOf('\n', pos);
            if (nl < 0) {
                if (m_in.size() - pos > MaxLine) {
                    m_overlongLine = true; // drop it now, complain at its end
                    pos = m_in.size();
                }
                needMore = true;
                break;
            }
            QByteArrayView line(m_in.constData() + pos, nl - pos);
            pos = nl + 1;
            if (line.endsWith('\r'))
                line.chop(1);
            if (m_overlongLine || line.size() > MaxLine) {
                m_overlongLine = false;
                m_mode = Mode::Command;
                reply("500 5.5.2 Line too long (limit is 4096 octets)");
            } else if (m_mode == Mode::Command) {
                handleCommand(line);
            } else {
                handleAuthResponse(line);
            }
        }
        }
    }
    m_in.remove(0, pos);
}

void InboxSession::handleCommand(QByteArrayView line)
{
    const qsizetype space = line.indexOf(' ');
    const QByteArray verb = (space < 0 ? line : line.first(space)).toByteArray().toUpper();
    const QByteArrayView arg = space < 0 ? QByteArrayView() : line.sliced(space + 1).trimmed();

    if (verb == "EHLO") {
        cmdHelo(arg, true);
    } else if (verb == "HELO") {
        cmdHelo(arg, false);
    } else if (verb == "MAIL") {
        cmdMail(arg);
    } else if (verb == "RCPT") {
        cmdRcpt(arg);
    } else if (verb == "DATA") {
        cmdData(arg);
    } else if (verb == "BDAT") {
        cmdBdat(arg);
    } else if (verb == "RSET") {
        if (!arg.isEmpty()) {
            reply("501 5.5.4 Syntax: RSET");
            return;
        }
        resetTransaction();
        reply("250 2.0.0 Ok");
    } else if (verb == "NOOP") {
        reply("250 2.0.0 Ok");
    } else if (verb == "QUIT") {
        reply("221 2.0.0 " + m_server->options().hostName + " Bye");
        m_closing = true;
    } else if (verb == "VRFY") {
        if (arg.isEmpty())
            reply("501 5.5.4 Syntax: VRFY <address>");
        else
            reply("252 2.5.0 Cannot VRFY user, but will accept message for any recipient");
    } else if (verb == "EXPN") {
        if (arg.isEmpty()) {
            reply("501 5.5.4 Syntax: EXPN <list>");
        } else if (equalsCi(arg, "list")) {
            reply("250-2.1.5 Member One <member1@example.invalid>");
            reply("250 2.1.5 Member Two <member2@example.invalid>");
        } else {
            reply("250 2.1.5 " + arg.toByteArray());
        }
    } else if (verb == "AUTH") {
        cmdAuth(arg);
    } else if (verb == "HELP") {
        cmdHelp();
    } else if (verb == "STARTTLS") {
        reply("502 5.5.1 STARTTLS is not available (plain-text test inbox)");
    } else if (verb.isEmpty()) {
        reply("500 5.5.2 Empty command");
    } else {
        reply("500 5.5.2 Command not recognized");
    }
}

void InboxSession::cmdHelo(QByteArrayView arg, bool extended)
{
    if (arg.isEmpty()) {
        reply(extended ? "501 5.5.4 Syntax: EHLO <domain>" : "501 5.5.4 Syntax: HELO <domain>");
        return;
    }
    // A new greeting resets the session like RSET (RFC 5321 4.1.4).
    resetTransaction();
    m_helo = arg.toByteArray();
    m_esmtp = extended;
    const InboxOptions &o = m_server->options();
    if (!extended) {
        reply("250 " + o.hostName + " greets " + m_helo);
        return;
    }
    reply("250-" + o.hostName + " greets " + m_helo);
    if (o.pipelining)
        reply("250-PIPELINING");
    reply("250-8BITMIME");
    reply("250-SMTPUTF8");
    reply("250-SIZE " + QByteArray::number(o.maxSize));
    if (o.chunking)
        reply("250-CHUNKING");
    reply("250-ENHANCEDSTATUSCODES");
    reply("250-DSN");
    reply("250-AUTH PLAIN LOGIN");
    reply("250 HELP");
}

void InboxSession::cmdMail(QByteArrayView arg)
{
    if (m_helo.isEmpty()) {
        reply("503 5.5.1 Send EHLO or HELO first");
        return;
    }
    if (m_server->isShuttingDown()) {
        reply("421 4.3.2 " + m_server->options().hostName + " Service shutting down");
        m_closing = true;
        return;
    }
    if (m_hasMail) {
        reply("503 5.5.1 Nested MAIL command");
        return;
    }
    if (!startsWithCi(arg, "FROM:")) {
        reply("501 5.5.4 Syntax: MAIL FROM:<address> [parameters]");
        return;
    }
    QByteArray address;
    QByteArray params;
    if (!parsePath(arg.sliced(5), &address, &params)) {
        reply("501 5.1.7 Bad sender address syntax");
        return;
    }
    if (!params.isEmpty() && !m_esmtp) {
        reply("555 5.5.4 MAIL parameters need EHLO");
        return;
    }
    const QList<Param> list = parseParams(params);
    if (hasDuplicateKeys(list)) {
        reply("501 5.5.4 Duplicate MAIL parameter");
        return;
    }
    bool smtpUtf8 = false;
    const qint64 maxSize = m_server->options().maxSize;
    for (const Param &p : list) {
        if (p.key == "SIZE") {
            if (!p.hasValue || !isDigits(p.value) || p.value.size() > 18) {
                reply("501 5.5.4 Bad SIZE parameter");
                return;
            }
            if (maxSize > 0 && p.value.toLongLong() > maxSize) {
                reply("552 5.3.4 Message size exceeds fixed limit of " +
                      QByteArray::number(maxSize) + " octets");
                return;
            }
        } else if (p.key == "BODY") {
            if (!equalsCi(p.value, "7BIT") && !equalsCi(p.value, "8BITMIME")) {
                reply("555 5.5.4 Unsupported BODY type");
                return;
            }
        } else if (p.key == "SMTPUTF8") {
            if (p.hasValue) {
                reply("501 5.5.4 SMTPUTF8 takes no value");
                return;
            }
            smtpUtf8 = true;
        } else if (p.key == "RET") {
            if (!equalsCi(p.value, "FULL") && !equalsCi(p.value, "HDRS")) {
                reply("501 5.5.4 Bad RET parameter");
                return;
            }
        } else if (p.key == "ENVID" || p.key == "AUTH") {
            if (p.value.isEmpty()) {
                reply("501 5.5.4 Bad " + p.key + " parameter");
                return;
            }
        } else {
            reply("555 5.5.4 Unsupported MAIL parameter " + p.key);
            return;
        }
    }
    if (!smtpUtf8 && !isAscii(address)) {
        reply("553 5.6.7 Non-ASCII sender address needs SMTPUTF8");
        return;
    }
    m_hasMail = true;
    m_smtpUtf8 = smtpUtf8;
    m_mailFrom = address;
    m_mailParams = params;
    reply("250 2.1.0 Sender <" + address + "> ok");
}

void InboxSession::cmdRcpt(QByteArrayView arg)
{
    if (!m_hasMail) {
        reply("503 5.5.1 Need MAIL before RCPT");
        return;
    }
    if (!startsWithCi(arg, "TO:")) {
        reply("501 5.5.4 Syntax: RCPT TO:<address> [parameters]");
        return;
    }
    QByteArray address;
    QByteArray params;
    if (!parsePath(arg.sliced(3), &address, &params) || address.isEmpty()) {
        reply("501 5.1.3 Bad recipient address syntax");
        return;
    }
    if (!params.isEmpty() && !m_esmtp) {
        reply("555 5.5.4 RCPT parameters need EHLO");
        return;
    }
    const QList<Param> list = parseParams(params);
    if (hasDuplicateKeys(list)) {
        reply("501 5.5.4 Duplicate RCPT parameter");
        return;
    }
    for (const Param &p : list) {
        if (p.key == "NOTIFY") {
            const QList<QByteArray> values = p.value.toByteArray().toUpper().split(',');
            const bool never = values.size() == 1 && values.first() == "NEVER";
            const bool valid = never || std::all_of(values.begin(), values.end(), [](auto &v) {
                                   return v == "SUCCESS" || v == "FAILURE" || v == "DELAY";
                               });
            if (!valid) {
                reply("501 5.5.4 Bad NOTIFY parameter");
                return;
            }
        } else if (p.key == "ORCPT") {
            if (p.value.indexOf(';') <= 0) {
                reply("501 5.5.4 Bad ORCPT parameter");
                return;
            }
        } else {
            reply("555 5.5.4 Unsupported RCPT parameter " + p.key);
            return;
        }
    }
    if (!m_smtpUtf8 && !isAscii(address)) {
        reply("553 5.6.7 Non-ASCII recipient address needs SMTPUTF8");
        return;
    }
    if (m_recipients.size() >= MaxRecipients) {
        reply("452 4.5.3 Too many recipients");
        return;
    }
    m_recipients.append({address, params});
    reply("250 2.1.5 Recipient <" + address + "> ok");
}

void InboxSession::cmdData(QByteArrayView arg)
{
    if (!arg.isEmpty()) {
        reply("501 5.5.4 Syntax: DATA");
    } else if (!m_hasMail) {
        reply("503 5.5.1 Need MAIL before DATA");
    } else if (m_recipients.isEmpty()) {
        reply("554 5.5.1 No valid recipients");
    } else if (m_bdatStarted) {
        reply("503 5.5.1 DATA cannot follow BDAT");
    } else {
        startBody();
        m_dataPrevCrlf = true;
        m_dataMidLine = false;
        m_dataLastByte = '\n';
        m_mode = Mode::Data;
        reply("354 2.0.0 End data with <CR><LF>.<CR><LF>");
    }
}

void InboxSession::cmdBdat(QByteArrayView arg)
{
    const QList<QByteArrayView> parts = words(arg);
    const bool last = parts.size() == 2 && equalsCi(parts.at(1), "LAST");
    if (parts.isEmpty() || parts.size() > 2 || (parts.size() == 2 && !last) ||
        !isDigits(parts.at(0)) || parts.at(0).size() > 18) {
        // Without a size the chunk cannot be skipped; what follows is read as commands.
        reply("501 5.5.4 Syntax: BDAT <size> [LAST]");
        return;
    }
    m_chunkRemaining = parts.at(0).toLongLong();
    m_chunkLast = last;
    m_chunkError.clear();
    // A refused chunk is still read so that the connection stays in step (RFC 3030 §2).
    if (!m_server->options().chunking)
        m_chunkError = "502 5.5.1 BDAT is not available (CHUNKING disabled)";
    else if (!m_esmtp)
        m_chunkError = "503 5.5.1 BDAT needs EHLO";
    else if (!m_hasMail)
        m_chunkError = "503 5.5.1 Need MAIL before BDAT";
    else if (m_recipients.isEmpty())
        m_chunkError = "554 5.5.1 No valid recipients";
    if (m_chunkError.isEmpty() && !m_bdatStarted) {
        m_bdatStarted = true;
        startBody();
    }
    m_mode = Mode::Chunk;
    if (m_chunkRemaining == 0)
        finishChunk();
}

void InboxSession::cmdAuth(QByteArrayView arg)
{
    if (!m_esmtp) {
        reply("503 5.5.1 Send EHLO first");
        return;
    }
    if (!m_authUser.isEmpty()) {
        reply("503 5.5.1 Already authenticated");
        return;
    }
    if (m_hasMail) {
        reply("503 5.5.1 AUTH is not allowed during a mail transaction");
        return;
    }
    const QList<QByteArrayView> parts = words(arg);
    if (parts.isEmpty() || parts.size() > 2) {
        reply("501 5.5.4 Syntax: AUTH <mechanism> [initial-response]");
        return;
    }
    const bool initial = parts.size() == 2;
    if (equalsCi(parts.at(0), "PLAIN")) {
        m_mode = Mode::AuthPlain;
        if (initial)
            handleAuthResponse(parts.at(1)); // same as a continuation line
        else
            reply("334 ");
    } else if (equalsCi(parts.at(0), "LOGIN")) {
        m_mode = Mode::AuthLoginUser;
        if (initial)
            handleAuthResponse(parts.at(1));
        else
            reply("334 VXNlcm5hbWU6"); // "Username:"
    } else {
        reply("504 5.5.4 Unrecognized authentication type");
    }
}

// Any credentials are accepted: this is a catch-all inbox, not a gate.
void InboxSession::handleAuthResponse(QByteArrayView line)
{
    const Mode mode = m_mode;
    m_mode = Mode::Command;
    if (line == "*") {
        reply("501 5.0.0 Authentication cancelled");
        return;
    }
    const auto decoded =
        QByteArray::fromBase64Encoding(line.toByteArray(), QByteArray::AbortOnBase64DecodingErrors);
    const bool isEqualsSign = line == "="; // RFC 4954: an empty initial response
    if (!decoded && !isEqualsSign) {
        reply("501 5.5.2 Cannot decode base64 response");
        return;
    }
    const QByteArray value = isEqualsSign ? QByteArray() : *decoded;
    switch (mode) {
    case Mode::AuthPlain: {
        // authzid NUL authcid NUL passwd
        const QList<QByteArray> fields = value.split('\0');
        if (fields.size() != 3 || fields.at(1).isEmpty()) {
            reply("501 5.5.2 Malformed AUTH PLAIN response");
            return;
        }
        authenticated(fields.at(1));
        break;
    }
    case Mode::AuthLoginUser:
        if (value.isEmpty()) {
            reply("501 5.5.2 Empty user name");
            return;
        }
        m_loginUser = value;
        m_mode = Mode::AuthLoginPassword;
        reply("334 UGFzc3dvcmQ6"); // "Password:"
        break;
    case Mode::AuthLoginPassword:
        authenticated(m_loginUser);
        break;
    default:
        break;
    }
}

void InboxSession::authenticated(const QByteArray &user)
{
    m_authUser = user;
    m_loginUser.clear();
    reply("235 2.7.0 Authentication successful (any credentials are accepted)");
}

void InboxSession::cmdHelp()
{
    reply("214-2.0.0 ssmtp-inbox: a catch-all test inbox; every message is stored, none is "
          "delivered");
    reply("214-2.0.0 Commands: EHLO HELO MAIL RCPT DATA BDAT RSET NOOP VRFY EXPN AUTH HELP "
          "QUIT");
    reply("214 2.0.0 End of HELP info");
}

void InboxSession::startBody()
{
    m_body.clear();
    m_bodySize = 0;
    m_tooBig = false;
    m_dataLineTooLong = false;
}

void InboxSession::appendBody(QByteArrayView bytes)
{
    m_bodySize += bytes.size();
    const qint64 maxSize = m_server->options().maxSize;
    if (maxSize > 0 && m_bodySize > maxSize && !m_tooBig) {
        m_tooBig = true;
        m_body = QByteArray(); // keep reading, but stop keeping
    }
    if (!m_tooBig && !m_server->options().discard)
        m_body.append(bytes);
}

// DATA: line by line, removing the transparency dot. Only CRLF "." CRLF ends the message
// (a "." after a bare LF does not), so a client cannot smuggle a second message past us.
qsizetype InboxSession::consumeData(qsizetype pos, bool *needMore)
{
    while (pos < m_in.size()) {
        const qsizetype nl = m_in.indexOf('\n', pos);
        if (nl < 0) {
            // Keep a partial line until it is complete, unless it is already too long to be
            // valid: then take it now so that the buffer stays bounded.
            if (m_in.size() - pos > MaxLine) {
                QByteArrayView part(m_in.constData() + pos, m_in.size() - pos);
                if (!m_dataMidLine && m_dataPrevCrlf && part.startsWith('.'))
                    part = part.sliced(1);
                appendBody(part);
                m_dataLastByte = part.isEmpty() ? m_dataLastByte : part.back();
                m_dataLineTooLong = true;
                m_dataMidLine = true;
                pos = m_in.size();
            }
            *needMore = true;
            return pos;
        }
        QByteArrayView line(m_in.constData() + pos, nl + 1 - pos);
        pos = nl + 1;
        if (!m_dataMidLine) {
            if (m_dataPrevCrlf && line == ".\r\n") {
                finishData();
                return pos;
            }
            // After a bare LF we are not at the start of a line (RFC 5321 2.3.8).
            if (m_dataPrevCrlf && line.startsWith('.'))
                line = line.sliced(1);
            if (line.size() > MaxLine + 2)
                m_dataLineTooLong = true;
        }
        const char beforeLf = line.size() >= 2 ? line.at(line.size() - 2) : m_dataLastByte;
        m_dataPrevCrlf = beforeLf == '\r';
        appendBody(line);
        m_dataLastByte = '\n';
        m_dataMidLine = false;
    }
    return pos;
}

void InboxSession::finishData()
{
    m_mode = Mode::Command;
    if (m_tooBig) {
        reply("552 5.3.4 Message size exceeds fixed limit of " +
              QByteArray::number(m_server->options().maxSize) + " octets");
        resetTransaction();
    } else if (m_dataLineTooLong) {
        reply("500 5.5.2 Message has a line longer than 4096 octets");
        resetTransaction();
    } else {
        deliverMessage("DATA");
    }
}

qsizetype InboxSession::consumeChunk(qsizetype pos)
{
    const qint64 take = std::min<qint64>(m_chunkRemaining, m_in.size() - pos);
    if (m_chunkError.isEmpty())
        appendBody(QByteArrayView(m_in.constData() + pos, take));
    m_chunkRemaining -= take;
    pos += take;
    if (m_chunkRemaining == 0)
        finishChunk();
    return pos;
}

void InboxSession::finishChunk()
{
    m_mode = Mode::Command;
    if (!m_chunkError.isEmpty()) {
        reply(m_chunkError);
        // A failed BDAT fails the whole transaction (RFC 3030 §2).
        if (m_hasMail)
            resetTransaction();
    } else if (m_tooBig) {
        reply("552 5.3.4 Message size exceeds fixed limit of " +
              QByteArray::number(m_server->options().maxSize) + " octets");
        resetTransaction();
    } else if (m_chunkLast) {
        deliverMessage("BDAT");
    } else {
        reply("250 2.0.0 " + QByteArray::number(m_bodySize) + " octets received so far");
    }
}

void InboxSession::deliverMessage(const char *transport)
{
    InboxMessage message;
    message.mailFrom = m_mailFrom;
    message.mailParams = m_mailParams;
    message.recipients = m_recipients;
    message.helo = m_helo;
    message.authUser = m_authUser;
    message.receivedAt = QDateTime::currentDateTimeUtc();
    message.size = m_bodySize;
    message.transport = QString::fromLatin1(transport);
    message.data = m_body;
    resetTransaction();

    QString error;
    if (!m_server->deliver(message, &error)) {
        reply("451 4.3.0 Could not store the message: " + error.toUtf8());
    } else if (message.emlPath.isEmpty()) {
        reply("250 2.0.0 Ok: " + QByteArray::number(message.size) +
              " octets accepted and discarded");
    } else {
        reply("250 2.0.0 Ok: stored as " + QFileInfo(message.emlPath).fileName().toUtf8());
    }
}

void InboxSession::resetTransaction()
{
    m_hasMail = false;
    m_smtpUtf8 = false;
    m_bdatStarted = false;
    m_mailFrom.clear();
    m_mailParams.clear();
    m_recipients.clear();
    m_body = QByteArray();
    m_bodySize = 0;
    m_tooBig = false;
    m_dataLineTooLong = false;
}

void InboxSession::reply(const char *line)
{
    m_out.append(line);
    m_out.append("\r\n");
}

void InboxSession::reply(const QByteArray &line)
{
    m_out.append(line);
    m_out.append("\r\n");
}

void InboxSession::flushReplies()
{
    if (m_out.isEmpty())
        return;
    m_socket->write(m_out);
    m_out.clear();
    m_socket->flush();
}

void InboxSession::closeAfterReplies()
{
    m_closing = true;
    m_idleTimer->stop();
    flushReplies();
    // disconnectFromHost() lets queued replies (221, 421) go out before the FIN.
    if (m_socket->state() != QAbstractSocket::UnconnectedState)
        m_socket->disconnectFromHost();
}
