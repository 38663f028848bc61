// The ssmtp-send command line (demo-app/ssmtp-send) run as a process against an ssmtp-inbox
// process: exit status, the "error CODE: TEXT" line, the protocol trace, property and config
// parsing, several messages per connection, the queue, VRFY/EXPN/raw commands, per-recipient
// options and streamed bodies. The inbox stores what arrives; the tests read its files.
#include "testfiles.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#ifndef SSMTP_SEND_PATH
#error "SSMTP_SEND_PATH must be the path of the ssmtp-send executable"
#endif
#ifndef SSMTP_INBOX_PATH
#error "SSMTP_INBOX_PATH must be the path of the ssmtp-inbox executable"
#endif

using namespace Qt::StringLiterals;
using namespace testfiles;

namespace {

constexpr int Timeout = 15000;

struct Run
{
    int exitCode = -1;
    QProcess::ExitStatus exitStatus = QProcess::CrashExit;
    bool finished = false;
    QByteArray out;
    QByteArray err;

    QList<QByteArray> errLines() const { return lines(err); }
    QList<QByteArray> outLines() const { return lines(out); }
    static QList<QByteArray> lines(QByteArray text)
    {
        text.replace("\r\n", "\n");
        QList<QByteArray> l = text.split('\n');
        if (!l.isEmpty() && l.last().isEmpty())
            l.removeLast();
        return l;
    }
    QByteArray describe() const
    {
        return "exit " + QByteArray::number(exitCode) + (finished ? "" : " (not finished)") +
               "\n--- stdout:\n" + out + "--- stderr:\n" + err;
    }
};

QProcessEnvironment childEnvironment()
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    // English texts and no locale warning from Qt.
    env.insert(u"LC_ALL"_s, u"C.UTF-8"_s);
    env.insert(u"LANG"_s, u"C.UTF-8"_s);
    env.remove(u"LANGUAGE"_s);
    return env;
}

QByteArray headerValue(const QByteArray &message, const QByteArray &field)
{
    const qsizetype end = message.indexOf("\r\n\r\n");
    const QByteArray head = message.left(end < 0 ? message.size() : end);
    const QByteArray prefix = field + ':';
    for (const QByteArray &line : head.split('\n')) {
        const QByteArray l = line.trimmed();
        if (l.startsWith(prefix))
            return l.mid(field.size() + 1).trimmed();
    }
    return QByteArray();
}

QByteArray bodyOf(const QByteArray &message)
{
    const qsizetype end = message.indexOf("\r\n\r\n");
    return end < 0 ? QByteArray() : message.mid(end + 4);
}

} // namespace

class tst_Cli : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanupTestCase();

    void sendSucceeds();
    void trace();
    void setEnum_data();
    void setEnum();
    void setBooleanFalseUsesHelo();
    void setFromFile();
    void errors_data();
    void errors();
    void countSendsOverOneConnection();
    void queueThenProcess();
    void queueStar();
    void verify();
    void expand();
    void command();
    void bccRecipient();
    void bodyFile();

private:
    // Runs ssmtp-send; maxMails > 0 kills it once its trace shows more MAIL commands.
    Run send(const QStringList &args, int maxMails = 0);
    QStringList server() const;
    QStringList message() const;
    // Stored messages: (.eml path) in name order; the .json is next to each.
    QStringList stored() const;
    QJsonObject envelopeOf(const QString &emlPath) const;

    QTemporaryDir m_dir;
    QString m_mailDir;
    QProcess m_inbox;
    quint16 m_port = 0;
};

void tst_Cli::initTestCase()
{
    QVERIFY(QFileInfo(QStringLiteral(SSMTP_SEND_PATH)).isExecutable());
    QVERIFY(QFileInfo(QStringLiteral(SSMTP_INBOX_PATH)).isExecutable());
    QVERIFY(m_dir.isValid());
    m_mailDir = m_dir.filePath(u"mail"_s);
    const QString portFile = m_dir.filePath(u"port"_s);
    m_inbox.setProcessEnvironment(childEnvironment());
    m_inbox.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    m_inbox.setStandardOutputFile(QProcess::nullDevice());
    m_inbox.start(
        QStringLiteral(SSMTP_INBOX_PATH),
        {u"--port"_s, u"0"_s, u"--port-file"_s, portFile, u"--dir"_s, m_mailDir, u"--quiet"_s});
    QVERIFY2(m_inbox.waitForStarted(Timeout), qPrintable(m_inbox.errorString()));
    QTRY_VERIFY_WITH_TIMEOUT(QFile::exists(portFile) || m_inbox.state() == QProcess::NotRunning,
                             Timeout);
    QCOMPARE(m_inbox.state(), QProcess::Running);
    bool ok = false;
    m_port = readFile(portFile).trimmed().toUShort(&ok);
    QVERIFY(ok && m_port != 0);
}

void tst_Cli::init()
{
    // Each test sees only its own messages.
    QDir mail(m_mailDir);
    for (const QString &name : mail.entryList(QDir::Files | QDir::Hidden))
        QVERIFY(mail.remove(name));
}

void tst_Cli::cleanupTestCase()
{
    if (m_inbox.state() == QProcess::NotRunning)
        return;
    m_inbox.terminate(); // SIGTERM: the inbox quits cleanly
    if (!m_inbox.waitForFinished(Timeout)) {
        m_inbox.kill();
        m_inbox.waitForFinished(Timeout);
    }
    QCOMPARE(m_inbox.exitStatus(), QProcess::NormalExit);
    QCOMPARE(m_inbox.exitCode(), 0);
}

// The inbox is a separate process, so blocking here does not stop it from answering.
Run tst_Cli::send(const QStringList &args, int maxMails)
{
    QProcess p;
    p.setProcessEnvironment(childEnvironment());
    p.start(QStringLiteral(SSMTP_SEND_PATH), args);
    Run r;
    if (!p.waitForStarted(Timeout))
        return r;
    p.closeWriteChannel();
    QDeadlineTimer deadline(Timeout);
    while (!r.finished && !deadline.hasExpired()) {
        r.finished = p.waitForFinished(50);
        r.err += p.readAllStandardError();
        if (maxMails > 0 && r.err.count("\nC: MAIL FROM:") > maxMails)
            break; // a runaway client: stop it rather than filling the inbox
    }
    if (!r.finished) {
        p.kill();
        p.waitForFinished(Timeout);
    }
    r.exitCode = p.exitCode();
    r.exitStatus = p.exitStatus();
    r.out = p.readAllStandardOutput();
    r.err += p.readAllStandardError();
    return r;
}

QStringList tst_Cli::server() const
{
    return {u"--set"_s, u"mailServer=127.0.0.1"_s, u"--set"_s,    u"mailPort=%1"_s.arg(m_port),
            u"--set"_s, u"timeout=10"_s,           u"--config"_s, u"Hello=cli.test"_s};
}

QStringList tst_Cli::message() const
{
    return {u"--set"_s, u"from=Alice <a@x.org>"_s, u"--set"_s, u"sendTo=b@y.org"_s,
            u"--set"_s, u"subject=Hello CLI"_s,    u"--set"_s, u"messageDate="_s,
            u"--set"_s, u"messageId=cli@test"_s,   u"--set"_s, u"messageText=Body line"_s};
}

QStringList tst_Cli::stored() const
{
    QStringList out;
    const QDir mail(m_mailDir);
    for (const QString &name : mail.entryList({u"*.eml"_s}, QDir::Files, QDir::Name))
        out.append(mail.filePath(name));
    return out;
}

QJsonObject tst_Cli::envelopeOf(const QString &emlPath) const
{
    QString json = emlPath;
    json.replace(json.size() - 4, 4, u".json"_s);
    return QJsonDocument::fromJson(readFile(json)).object();
}

void tst_Cli::sendSucceeds()
{
    const Run r = send(server() + message());
    QVERIFY2(r.finished && r.exitStatus == QProcess::NormalExit, r.describe().constData());
    QVERIFY2(r.exitCode == 0, r.describe().constData());
    QVERIFY2(r.err.isEmpty(), r.describe().constData());
    QVERIFY2(r.out.isEmpty(), r.describe().constData());

    const QStringList files = stored();
    QCOMPARE(files.size(), 1);
    QCOMPARE(readFile(files.first()), QByteArray("From: Alice <a@x.org>\r\n"
                                                 "To: b@y.org\r\n"
                                                 "Subject: Hello CLI\r\n"
                                                 "Message-ID: <cli@test>\r\n"
                                                 "\r\n"
                                                 "Body line\r\n"));
    const QJsonObject envelope = envelopeOf(files.first());
    QCOMPARE(envelope.value(u"mailFrom"_s).toString(), u"a@x.org"_s);
    QCOMPARE(envelope.value(u"helo"_s).toString(), u"cli.test"_s);
    QCOMPARE(envelope.value(u"rcptTo"_s).toArray().size(), 1);
}

void tst_Cli::trace()
{
    const Run r = send(server() + message() + QStringList{u"--trace"_s});
    QVERIFY2(r.exitCode == 0, r.describe().constData());
    const QList<QByteArray> lines = r.errLines();
    QVERIFY2(!lines.isEmpty(), r.describe().constData());
    int counts[3] = {0, 0, 0};
    for (const QByteArray &line : lines) {
        if (line.startsWith("C: "))
            ++counts[0];
        else if (line.startsWith("S: "))
            ++counts[1];
        else if (line.startsWith("I: "))
            ++counts[2];
        else
            QFAIL(qPrintable(u"Unexpected stderr line: "_s + QString::fromUtf8(line)));
    }
    QVERIFY2(counts[0] > 0 && counts[1] > 0 && counts[2] > 0, r.describe().constData());
    QVERIFY(lines.contains("C: EHLO cli.test"));
    QVERIFY(lines.contains("C: QUIT"));
    QVERIFY(lines.first().startsWith("I: ") || lines.first().startsWith("S: 220"));
    QVERIFY(lines.contains("S: 250-PIPELINING"));
    QCOMPARE(stored().size(), 1);
}

void tst_Cli::setEnum_data()
{
    QTest::addColumn<QString>("assignment");
    QTest::addColumn<QByteArray>("field");
    QTest::addColumn<QByteArray>("value");

    QTest::newRow("priority by key")
        << u"priority=Urgent"_s << QByteArray("Priority") << QByteArray("urgent");
    QTest::newRow("priority by number")
        << u"priority=2"_s << QByteArray("Priority") << QByteArray("urgent");
    QTest::newRow("priority NonUrgent")
        << u"priority=NonUrgent"_s << QByteArray("Priority") << QByteArray("non-urgent");
    QTest::newRow("importance by key")
        << u"importance=Low"_s << QByteArray("Importance") << QByteArray("low");
    QTest::newRow("importance by number")
        << u"importance=1"_s << QByteArray("Importance") << QByteArray("high");
    QTest::newRow("sensitivity by number")
        << u"sensitivity=3"_s << QByteArray("Sensitivity") << QByteArray("Company-Confidential");
    QTest::newRow("sensitivity by key, any case name")
        << u"Sensitivity= Private "_s << QByteArray("Sensitivity") << QByteArray("Private");
    QTest::newRow("unspecified") << u"priority=Unspecified"_s << QByteArray("Priority")
                                 << QByteArray();
}

void tst_Cli::setEnum()
{
    QFETCH(QString, assignment);
    QFETCH(QByteArray, field);
    QFETCH(QByteArray, value);
    const Run r = send(server() + message() + QStringList{u"--set"_s, assignment});
    QVERIFY2(r.exitCode == 0 && r.err.isEmpty(), r.describe().constData());
    const QStringList files = stored();
    QCOMPARE(files.size(), 1);
    QCOMPARE(headerValue(readFile(files.first()), field), value);
}

void tst_Cli::setBooleanFalseUsesHelo()
{
    const Run r = send(server() + message() +
                       QStringList{u"--set"_s, u"allowExtensions=false"_s, u"--trace"_s});
    QVERIFY2(r.exitCode == 0, r.describe().constData());
    const QList<QByteArray> lines = r.errLines();
    QVERIFY2(lines.contains("C: HELO cli.test"), r.describe().constData());
    for (const QByteArray &line : lines)
        QVERIFY2(!line.startsWith("C: EHLO") && !line.startsWith("C: BDAT"), line.constData());
    QVERIFY(lines.contains("C: DATA"));
    QCOMPARE(stored().size(), 1);
    QCOMPARE(envelopeOf(stored().first()).value(u"transport"_s).toString(), u"DATA"_s);

    // "TRUE" in any case is accepted as well.
    const Run again = send(server() + message() +
                           QStringList{u"--set"_s, u"allowExtensions=TRUE"_s, u"--trace"_s});
    QVERIFY2(again.exitCode == 0, again.describe().constData());
    QVERIFY(again.errLines().contains("C: EHLO cli.test"));
}

void tst_Cli::setFromFile()
{
    const QString textFile = m_dir.filePath(u"text.txt"_s);
    QVERIFY(writeFile(textFile, "First line\n.starts with a dot\nGr\xc3\xbc\xc3\x9f"
                                "e\n"));
    const QString subjectFile = m_dir.filePath(u"subject.txt"_s);
    QVERIFY(writeFile(subjectFile, "Subject from a file"));
    const Run r = send(server() + message() +
                       QStringList{u"--set"_s, u"messageText=@"_s + textFile, u"--set"_s,
                                   u"subject=@"_s + subjectFile});
    QVERIFY2(r.exitCode == 0 && r.err.isEmpty(), r.describe().constData());
    const QStringList files = stored();
    QCOMPARE(files.size(), 1);
    const QByteArray eml = readFile(files.first());
    QCOMPARE(headerValue(eml, "Subject"), QByteArray("Subject from a file"));
    // Non-ASCII text: quoted-printable (the leading dot is escaped as =2E).
    QCOMPARE(headerValue(eml, "Content-Transfer-Encoding"), QByteArray("quoted-printable"));
    QCOMPARE(bodyOf(eml), QByteArray("First line\r\n=2Estarts with a dot\r\nGr=C3=BC=C3=9Fe\r\n"));
}

void tst_Cli::errors_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("text"); // a part of the error text

    const QStringList s = server();
    const QStringList m = message();
    QTest::newRow("unknown property") << s + m + QStringList{u"--set"_s, u"noSuchProperty=1"_s}
                                      << 172 << u"Unknown property \"noSuchProperty\""_s;
    QTest::newRow("set without =")
        << s + m + QStringList{u"--set"_s, u"subject"_s} << 172 << u"NAME=VALUE"_s;
    QTest::newRow("read-only property")
        << s + m + QStringList{u"--set"_s, u"lastReply=x"_s} << 172 << u"read-only"_s;
    QTest::newRow("bad enum key") << s + m + QStringList{u"--set"_s, u"priority=Soon"_s} << 172
                                  << u"Unspecified, Normal, Urgent, NonUrgent"_s;
    QTest::newRow("bad enum number")
        << s + m + QStringList{u"--set"_s, u"priority=7"_s} << 172 << u"priority"_s;
    QTest::newRow("bad boolean") << s + m + QStringList{u"--set"_s, u"allowExtensions=yes"_s} << 172
                                 << u"true or false"_s;
    QTest::newRow("bad number") << s + m + QStringList{u"--set"_s, u"timeout=soon"_s} << 172
                                << u"expected a number"_s;
    QTest::newRow("missing @file")
        << s + m + QStringList{u"--set"_s, u"messageText=@/nonexistent/file"_s} << 172
        << u"/nonexistent/file"_s;
    QTest::newRow("missing mailServer") << m << 163 << u"MailServer"_s;
    QTest::newRow("unknown config")
        << s + m + QStringList{u"--config"_s, u"Unknown=1"_s} << 171 << u"Unknown"_s;
    QTest::newRow("bad config value")
        << s + m + QStringList{u"--config"_s, u"MaxHeaderLength=abc"_s} << 172
        << u"MaxHeaderLength"_s;
    QTest::newRow("bad port") << s + m + QStringList{u"--set"_s, u"mailPort=0"_s} << 116
                              << QString();
    QTest::newRow("bad recipient spec")
        << s + m + QStringList{u"--recipient"_s, u"xx:a@b.org"_s} << 169 << u"xx:a@b.org"_s;
    QTest::newRow("bad count") << s + m + QStringList{u"--count"_s, u"0"_s} << 172 << u"--count"_s;
    QTest::newRow("missing body file")
        << s + m + QStringList{u"--body-file"_s, u"/nonexistent/body"_s} << 302
        << u"/nonexistent/body"_s;
    QTest::newRow("invalid sendTo")
        << s + m + QStringList{u"--set"_s, u"sendTo=not an address"_s} << 169 << u"sendTo"_s;
    QTest::newRow("line break in subject")
        << s + m + QStringList{u"--set"_s, u"subject=a\nBcc: x@y.org"_s} << 170 << u"subject"_s;
    QTest::newRow("no sender") << s + QStringList{u"--set"_s, u"sendTo=b@y.org"_s} << 164
                               << QString();
    QTest::newRow("no recipient") << s + QStringList{u"--set"_s, u"from=a@x.org"_s} << 165
                                  << QString();
    QTest::newRow("queue into a file")
        << m + QStringList{u"--queue"_s, QStringLiteral(SSMTP_SEND_PATH)} << 303 << QString();
}

// Any failure: exit status 1, nothing on stdout and exactly one line "error CODE: TEXT".
void tst_Cli::errors()
{
    QFETCH(QStringList, args);
    QFETCH(int, code);
    QFETCH(QString, text);
    const Run r = send(args);
    QVERIFY2(r.finished && r.exitStatus == QProcess::NormalExit, r.describe().constData());
    QVERIFY2(r.exitCode == 1, r.describe().constData());
    QVERIFY2(r.out.isEmpty(), r.describe().constData());
    const QList<QByteArray> lines = r.errLines();
    QVERIFY2(lines.size() == 1, r.describe().constData());
    const QString line = QString::fromUtf8(lines.first());
    const QRegularExpression form(u"^error (\\d+): (.+)$"_s);
    const QRegularExpressionMatch match = form.match(line);
    QVERIFY2(match.hasMatch(), qPrintable(line));
    QCOMPARE(match.captured(1).toInt(), code);
    if (!text.isEmpty())
        QVERIFY2(match.captured(2).contains(text), qPrintable(line));
    QVERIFY(stored().isEmpty());
}

void tst_Cli::countSendsOverOneConnection()
{
    const Run r = send(server() + message() + QStringList{u"--count"_s, u"3"_s, u"--trace"_s}, 3);
    const QList<QByteArray> lines = r.errLines();
    qsizetype mails = 0;
    for (const QByteArray &line : lines)
        mails += line.startsWith("C: MAIL FROM:<a@x.org>") ? 1 : 0;
    QVERIFY2(r.exitCode == 0, r.describe().constData());
    QCOMPARE(r.outLines(), QList<QByteArray>{"3 message(s) sent"});
    QCOMPARE(lines.count("C: EHLO cli.test"), 1);
    QCOMPARE(lines.count("C: QUIT"), 1);
    QCOMPARE(mails, qsizetype(3));
    const QStringList files = stored();
    QCOMPARE(files.size(), 3);
    for (const QString &file : files)
        QCOMPARE(headerValue(readFile(file), "Subject"), QByteArray("Hello CLI"));
}

void tst_Cli::queueThenProcess()
{
    const QString queueDir = m_dir.filePath(u"queue"_s);
    QVERIFY(QDir().mkpath(queueDir));
    const QStringList before = QDir(queueDir).entryList(QDir::Files);
    QVERIFY(before.isEmpty());

    // Queueing needs no server.
    const Run queued = send(message() + QStringList{u"--queue"_s, queueDir});
    QVERIFY2(queued.exitCode == 0 && queued.err.isEmpty(), queued.describe().constData());
    const QList<QByteArray> printed = queued.outLines();
    QCOMPARE(printed.size(), 1);
    const QString queueFile = QString::fromUtf8(printed.first());
    QVERIFY2(queueFile.endsWith(u".queued"_s), qPrintable(queueFile));
    QVERIFY(QFile::exists(queueFile));
    QCOMPARE(QFileInfo(queueFile).absolutePath(), QFileInfo(queueDir).absoluteFilePath());
    QVERIFY(readFile(queueFile).startsWith("Ssmtp-Queue: 1\r\n"));
    QVERIFY(stored().isEmpty());

    const Run processed = send(server() + QStringList{u"--process-queue"_s, queueDir});
    QVERIFY2(processed.exitCode == 0 && processed.err.isEmpty(), processed.describe().constData());
    QCOMPARE(processed.outLines(), QList<QByteArray>{"1 queued message(s) sent"});
    QVERIFY(!QFile::exists(queueFile));
    const QStringList files = stored();
    QCOMPARE(files.size(), 1);
    QCOMPARE(readFile(files.first()), QByteArray("From: Alice <a@x.org>\r\n"
                                                 "To: b@y.org\r\n"
                                                 "Subject: Hello CLI\r\n"
                                                 "Message-ID: <cli@test>\r\n"
                                                 "\r\n"
                                                 "Body line\r\n"));

    // An empty queue: nothing to send, still success.
    const Run empty = send(server() + QStringList{u"--process-queue"_s, queueDir});
    QVERIFY2(empty.exitCode == 0, empty.describe().constData());
    QCOMPARE(empty.outLines(), QList<QByteArray>{"0 queued message(s) sent"});
    QCOMPARE(stored().size(), 1);
}

void tst_Cli::queueStar()
{
    const Run r =
        send(message() + QStringList{u"--set"_s, u"bcc=hidden@z.org"_s, u"--queue"_s, u"*"_s});
    QVERIFY2(r.exitCode == 0 && r.err.isEmpty(), r.describe().constData());
    QCOMPARE(r.out, QByteArray("Ssmtp-Queue: 1\r\n"
                               "Mail-From: <a@x.org>\r\n"
                               "Rcpt-To: to <b@y.org>\r\n"
                               "Rcpt-To: bcc <hidden@z.org>\r\n"
                               "\r\n"
                               "From: Alice <a@x.org>\r\n"
                               "To: b@y.org\r\n"
                               "Subject: Hello CLI\r\n"
                               "Message-ID: <cli@test>\r\n"
                               "\r\n"
                               "Body line\n"));
    QVERIFY(stored().isEmpty());
}

void tst_Cli::verify()
{
    const Run r = send(server() + QStringList{u"--verify"_s, u"someone@y.org"_s});
    QVERIFY2(r.exitCode == 0 && r.err.isEmpty(), r.describe().constData());
    QCOMPARE(
        r.outLines(),
        QList<QByteArray>{"252 2.5.0 Cannot VRFY user, but will accept message for any recipient"});
}

void tst_Cli::expand()
{
    const Run r = send(server() + QStringList{u"--expand"_s, u"list"_s, u"--trace"_s});
    QVERIFY2(r.exitCode == 0, r.describe().constData());
    QVERIFY2(r.errLines().contains("C: EXPN list"), r.describe().constData());
    QCOMPARE(r.outLines(), (QList<QByteArray>{"Member One <member1@example.invalid>",
                                              "Member Two <member2@example.invalid>"}));
    const Run one = send(server() + QStringList{u"--expand"_s, u"solo@y.org"_s});
    QVERIFY2(one.exitCode == 0 && one.err.isEmpty(), one.describe().constData());
    QCOMPARE(one.outLines(), QList<QByteArray>{"solo@y.org"});
}

void tst_Cli::command()
{
    const Run r = send(server() + QStringList{u"--command"_s, u"NOOP"_s});
    QVERIFY2(r.exitCode == 0 && r.err.isEmpty(), r.describe().constData());
    QCOMPARE(r.outLines(), QList<QByteArray>{"250 2.0.0 Ok"});

    const Run help = send(server() + QStringList{u"--command"_s, u"HELP"_s});
    QVERIFY2(help.exitCode == 0 && help.err.isEmpty(), help.describe().constData());
    QVERIFY2(help.out.contains("End of HELP info"), help.describe().constData());
    QVERIFY(stored().isEmpty());
}

void tst_Cli::bccRecipient()
{
    const Run r = send(server() + message() +
                       QStringList{u"--recipient"_s, u"bcc:x@y.example"_s, u"--recipient"_s,
                                   u"cc:c@y.example:NOTIFY=SUCCESS,FAILURE"_s});
    QVERIFY2(r.exitCode == 0 && r.err.isEmpty(), r.describe().constData());
    const QStringList files = stored();
    QCOMPARE(files.size(), 1);
    const QByteArray eml = readFile(files.first());
    QVERIFY(!eml.contains("x@y.example"));
    QCOMPARE(headerValue(eml, "Cc"), QByteArray("c@y.example"));
    const QJsonArray rcpt = envelopeOf(files.first()).value(u"rcptTo"_s).toArray();
    QStringList got;
    for (const QJsonValue &v : rcpt)
        got.append(v.toObject().value(u"address"_s).toString() + u' ' +
                   v.toObject().value(u"params"_s).toString());
    QCOMPARE(got, (QStringList{u"b@y.org "_s, u"c@y.example NOTIFY=SUCCESS,FAILURE"_s,
                               u"x@y.example "_s}));
}

void tst_Cli::bodyFile()
{
    const QString path = m_dir.filePath(u"body.txt"_s);
    QByteArray content = "Streamed body\n.leading dot\n\nlast line without newline";
    for (int i = 0; i < 2000; ++i)
        content += "\nfiller line " + QByteArray::number(i);
    QVERIFY(writeFile(path, content));
    const Run r = send(server() + message() + QStringList{u"--body-file"_s, path});
    QVERIFY2(r.exitCode == 0 && r.err.isEmpty(), r.describe().constData());
    const QStringList files = stored();
    QCOMPARE(files.size(), 1);
    const QByteArray eml = readFile(files.first());
    // The stream replaces messageText; line ends become CRLF and the last line is ended.
    QByteArray expected = content;
    expected.replace("\n", "\r\n");
    expected += "\r\n";
    QCOMPARE(bodyOf(eml), expected);
    QVERIFY(!eml.contains("Body line"));
}

QTEST_GUILESS_MAIN(tst_Cli)
#include "tst_cli.moc"
