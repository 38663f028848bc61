#include "realserver.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDebug>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QProcess>
#include <QProcessEnvironment>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTemporaryFile>
#include <QTest>

#include <algorithm>

#include <unistd.h>

#ifndef SSMTP_INTEGRATION_DIR
#error "SSMTP_INTEGRATION_DIR must be defined (tests/integration/CMakeLists.txt)"
#endif

namespace {

QString integrationDir()
{
    return QStringLiteral(SSMTP_INTEGRATION_DIR);
}

QString pythonPath()
{
    // Debian's interpreter: a python3 earlier in PATH (pyenv) may lack Debian's modules.
    return QStringLiteral("/usr/bin/python3");
}

QString readFile(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return QString();
    return QString::fromUtf8(f.readAll());
}

QString tail(const QString &text, int lines)
{
    QStringList all = text.split(QLatin1Char('\n'));
    if (all.size() > lines)
        all = all.mid(all.size() - lines);
    return all.join(QLatin1Char('\n'));
}

bool keepDirs()
{
    return qEnvironmentVariableIntValue("SSMTP_KEEP_SERVER_DIRS") != 0;
}

// The port of the line "<key> <port>" in a script's output, 0 if there is none.
quint16 portFromOutput(const QByteArray &output, const QByteArray &key)
{
    const QList<QByteArray> lines = output.split('\n');
    for (const QByteArray &line : lines) {
        const QByteArray l = line.trimmed();
        if (l.startsWith(QByteArray(key).append(' '))) {
            bool ok = false;
            const uint p = l.mid(key.size() + 1).trimmed().toUInt(&ok);
            if (ok && p > 0 && p < 65536)
                return static_cast<quint16>(p);
        }
    }
    return 0;
}

// Waits for "READY <port>" on the process's stdout, processing events meanwhile.
quint16 waitForReady(QProcess &process, QByteArray &output, int msecs)
{
    quint16 port = 0;
    auto scan = [&]() {
        output += process.readAllStandardOutput();
        port = portFromOutput(output, "READY");
        return port != 0;
    };
    (void)QTest::qWaitFor(
        [&]() {
            if (scan())
                return true;
            return process.state() == QProcess::NotRunning;
        },
        msecs);
    if (!port)
        scan();
    return port;
}

} // namespace

struct RealSmtpServer::Private
{
    Kind kind = Kind::None;
    quint16 port = 0;
    quint16 securePort = 0;
    QString skipReason;
    QString errorString;
    std::unique_ptr<QTemporaryDir> tempDir;
    QString runDir;
    QString mailDir;
    QString logFile;
    std::unique_ptr<QProcess> process; // the sink; Postfix runs detached from its script
    bool running = false;

    QString scriptPath(const QString &name) const
    {
        return integrationDir() + QStringLiteral("/servers/") + name;
    }

    bool makeTempDir(const QString &pattern)
    {
        tempDir = std::make_unique<QTemporaryDir>(QDir::tempPath() + QLatin1Char('/') + pattern);
        if (!tempDir->isValid()) {
            errorString =
                QStringLiteral("cannot create a temporary folder: ") + tempDir->errorString();
            return false;
        }
        if (keepDirs()) {
            tempDir->setAutoRemove(false);
            qInfo().noquote() << "RealSmtpServer: keeping" << tempDir->path();
        }
        runDir = tempDir->path();
        return true;
    }

    void stopSink()
    {
        if (!process)
            return;
        if (process->state() != QProcess::NotRunning) {
            process->closeWriteChannel(); // --watch-stdin: the sink exits on EOF
            if (!process->waitForFinished(3000)) {
                process->terminate(); // SIGTERM to its PID
                if (!process->waitForFinished(3000)) {
                    process->kill();
                    process->waitForFinished(3000);
                }
            }
        }
        process.reset();
    }

    void stopPostfix()
    {
        QProcess p;
        p.setProcessChannelMode(QProcess::MergedChannels);
        p.start(QStringLiteral("/bin/bash"), {scriptPath(QStringLiteral("postfix-instance.sh")),
                                              QStringLiteral("stop"), runDir});
        if (!p.waitForFinished(30000)) {
            p.kill();
            p.waitForFinished(3000);
            qWarning().noquote() << "RealSmtpServer: postfix-instance.sh stop timed out for"
                                 << runDir;
        } else if (p.exitCode() != 0) {
            qWarning().noquote() << "RealSmtpServer: postfix-instance.sh stop failed:"
                                 << QString::fromUtf8(p.readAll());
        }
    }
};

RealSmtpServer::RealSmtpServer()
    : d(std::make_unique<Private>())
{}

RealSmtpServer::RealSmtpServer(RealSmtpServer &&other) noexcept = default;

RealSmtpServer &RealSmtpServer::operator=(RealSmtpServer &&other) noexcept
{
    if (this != &other) {
        stop();
        d = std::move(other.d);
    }
    return *this;
}

RealSmtpServer::~RealSmtpServer()
{
    stop();
}

bool RealSmtpServer::realServersRequired()
{
    const QByteArray ci = qgetenv("CI").toLower();
    return qEnvironmentVariableIntValue("SSMTP_REQUIRE_REAL_SERVERS") != 0 || ci == "true" ||
           ci == "1";
}

RealSmtpServer RealSmtpServer::startSmtpServerSink(const QStringList &args)
{
    RealSmtpServer s;
    s.d->kind = Kind::SmtpServerSink;
    const QString node = QStandardPaths::findExecutable(QStringLiteral("node"));
    if (node.isEmpty()) {
        s.d->skipReason =
            QStringLiteral("node (Node.js) is not installed: run scripts/setup-deps.sh");
        return s;
    }
    if (!QFileInfo::exists(integrationDir() +
                           QStringLiteral("/node_modules/smtp-server/package.json"))) {
        s.d->skipReason =
            QStringLiteral("npm smtp-server is not installed in tests/integration/node_modules:"
                           " run scripts/setup-deps.sh");
        return s;
    }
    if (!s.d->makeTempDir(QStringLiteral("ssmtp-sink-XXXXXX")))
        return s;
    s.d->mailDir = s.d->runDir + QStringLiteral("/messages");
    s.d->logFile = s.d->runDir + QStringLiteral("/sink.log");

    s.d->process = std::make_unique<QProcess>();
    QProcess &p = *s.d->process;
    p.setProgram(node);
    p.setArguments(QStringList{s.d->scriptPath(QStringLiteral("smtp-server-sink.js")),
                               QStringLiteral("--outdir"), s.d->mailDir,
                               QStringLiteral("--watch-stdin"), QStringLiteral("--verbose")} +
                   args);
    p.setWorkingDirectory(integrationDir());
    p.setStandardErrorFile(s.d->logFile);
    p.start();
    if (!p.waitForStarted(10000)) {
        s.d->errorString = QStringLiteral("cannot start node: ") + p.errorString();
        s.d->process.reset();
        return s;
    }
    QByteArray output;
    const quint16 port = waitForReady(p, output, 20000);
    if (!port) {
        s.d->errorString = QStringLiteral("smtp-server-sink.js did not print READY <port>: ") +
                           QString::fromUtf8(output) + QLatin1Char('\n') +
                           tail(readFile(s.d->logFile), 20);
        s.d->stopSink();
        return s;
    }
    s.d->port = port;
    if (args.contains(QLatin1String("--secure")))
        s.d->securePort = port;
    s.d->running = true;
    return s;
}

RealSmtpServer RealSmtpServer::startPostfix(const QStringList &environment)
{
    RealSmtpServer s;
    s.d->kind = Kind::Postfix;
    if (!QFileInfo(QStringLiteral("/usr/sbin/postfix")).isExecutable()) {
        s.d->skipReason = QStringLiteral("Postfix is not installed: run scripts/setup-deps.sh");
        return s;
    }
    if (::geteuid() != 0) {
        s.d->skipReason = QStringLiteral("a private Postfix instance needs root (its master process"
                                         " starts as root)");
        return s;
    }
    for (const QString &e : environment) {
        if (e.startsWith(QLatin1String("POSTFIX_SASL=")) &&
            !QFileInfo(QStringLiteral("/usr/sbin/dovecot")).isExecutable()) {
            s.d->skipReason = QStringLiteral(
                "Dovecot (dovecot-core) is not installed: run scripts/setup-deps.sh");
            return s;
        }
    }
    if (!s.d->makeTempDir(QStringLiteral("ssmtp-postfix-XXXXXX")))
        return s;
    s.d->mailDir = s.d->runDir + QStringLiteral("/mail/sink");
    s.d->logFile = s.d->runDir + QStringLiteral("/maillog");

    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    // If this test process dies without stopping the instance, a watcher stops it.
    env.insert(QStringLiteral("POSTFIX_WATCH_PID"),
               QString::number(QCoreApplication::applicationPid()));
    for (const QString &e : environment) {
        const qsizetype eq = e.indexOf(QLatin1Char('='));
        if (eq > 0)
            env.insert(e.left(eq), e.mid(eq + 1));
    }
    p.setProcessEnvironment(env);
    p.setStandardErrorFile(s.d->runDir + QStringLiteral("/instance.err"));
    p.start(QStringLiteral("/bin/bash"), {s.d->scriptPath(QStringLiteral("postfix-instance.sh")),
                                          QStringLiteral("start"), s.d->runDir});
    if (!p.waitForStarted(10000)) {
        s.d->errorString = QStringLiteral("cannot run postfix-instance.sh: ") + p.errorString();
        return s;
    }
    QByteArray output;
    const quint16 port = waitForReady(p, output, 60000);
    // The script exits right after READY (Postfix's master runs on by itself).
    (void)QTest::qWaitFor([&]() { return p.state() == QProcess::NotRunning; }, 10000);
    if (!port || p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0) {
        s.d->errorString = QStringLiteral("postfix-instance.sh start failed: ") +
                           QString::fromUtf8(output) + QLatin1Char('\n') +
                           readFile(s.d->runDir + QStringLiteral("/instance.err"));
        if (p.state() != QProcess::NotRunning) {
            p.kill();
            p.waitForFinished(3000);
        }
        s.d->stopPostfix();
        return s;
    }
    s.d->port = port;
    s.d->securePort = portFromOutput(output, "SECURE_PORT");
    s.d->running = true;
    return s;
}

RealSmtpServer::Kind RealSmtpServer::kind() const
{
    return d ? d->kind : Kind::None;
}

QString RealSmtpServer::host() const
{
    return QStringLiteral("127.0.0.1");
}

quint16 RealSmtpServer::port() const
{
    return d ? d->port : 0;
}

quint16 RealSmtpServer::securePort() const
{
    return d ? d->securePort : 0;
}

QString RealSmtpServer::mailDir() const
{
    return d ? d->mailDir : QString();
}

QString RealSmtpServer::runDir() const
{
    return d ? d->runDir : QString();
}

bool RealSmtpServer::isRunning() const
{
    if (!d || !d->running)
        return false;
    if (d->kind == Kind::SmtpServerSink)
        return d->process && d->process->state() == QProcess::Running;
    if (d->kind == Kind::Postfix) {
        QFile pidFile(d->runDir + QStringLiteral("/queue/pid/master.pid"));
        if (!pidFile.open(QIODevice::ReadOnly))
            return false;
        const pid_t pid = static_cast<pid_t>(pidFile.readAll().trimmed().toLong());
        return pid > 0 && QFileInfo::exists(QStringLiteral("/proc/%1").arg(pid));
    }
    return false;
}

QString RealSmtpServer::skipReason() const
{
    return d ? d->skipReason : QStringLiteral("no server");
}

QString RealSmtpServer::errorString() const
{
    if (!d)
        return QStringLiteral("no server");
    if (!d->errorString.isEmpty())
        return d->errorString;
    if (d->running && !isRunning())
        return QStringLiteral("the server has exited; its log ends with:\n") + tail(log(), 20);
    return QString();
}

QString RealSmtpServer::log() const
{
    return d && !d->logFile.isEmpty() ? readFile(d->logFile) : QString();
}

QStringList RealSmtpServer::messageFiles() const
{
    QStringList files;
    if (!d || d->mailDir.isEmpty())
        return files;
    if (d->kind == Kind::SmtpServerSink) {
        // <n>.json is written after <n>.eml is complete.
        const QDir dir(d->mailDir);
        QList<int> numbers;
        const QStringList jsons = dir.entryList({QStringLiteral("*.json")}, QDir::Files);
        for (const QString &j : jsons) {
            bool ok = false;
            const int n = j.chopped(5).toInt(&ok);
            if (ok)
                numbers.append(n);
        }
        std::sort(numbers.begin(), numbers.end());
        for (int n : numbers)
            files.append(dir.filePath(QString::number(n) + QStringLiteral(".eml")));
    } else if (d->kind == Kind::Postfix) {
        // Maildir: complete files appear in new/ (a reader may move them to cur/).
        QFileInfoList infos;
        for (const QString &sub : {QStringLiteral("/new"), QStringLiteral("/cur")}) {
            infos += QDir(d->mailDir + sub).entryInfoList(QDir::Files);
        }
        std::sort(infos.begin(), infos.end(), [](const QFileInfo &a, const QFileInfo &b) {
            const QDateTime ta = a.lastModified();
            const QDateTime tb = b.lastModified();
            return ta != tb ? ta < tb : a.fileName() < b.fileName();
        });
        for (const QFileInfo &i : infos)
            files.append(i.filePath());
    }
    return files;
}

int RealSmtpServer::messageCount() const
{
    return int(messageFiles().size());
}

QList<QByteArray> RealSmtpServer::waitForMessages(int n, int msecs)
{
    (void)QTest::qWaitFor([&]() { return messageCount() >= n; }, msecs);
    QList<QByteArray> messages;
    const QStringList files = messageFiles();
    for (const QString &file : files) {
        QFile f(file);
        if (f.open(QIODevice::ReadOnly))
            messages.append(f.readAll());
    }
    return messages;
}

QList<QJsonObject> RealSmtpServer::envelopes() const
{
    QList<QJsonObject> result;
    if (!d || d->kind != Kind::SmtpServerSink)
        return result;
    const QStringList files = messageFiles();
    for (QString file : files) {
        file.chop(4);
        QFile f(file + QStringLiteral(".json"));
        if (f.open(QIODevice::ReadOnly))
            result.append(QJsonDocument::fromJson(f.readAll()).object());
        else
            result.append(QJsonObject());
    }
    return result;
}

void RealSmtpServer::clearMessages()
{
    if (!d || d->mailDir.isEmpty())
        return;
    if (d->kind == Kind::SmtpServerSink) {
        QDir dir(d->mailDir);
        const QStringList all =
            dir.entryList({QStringLiteral("*.eml"), QStringLiteral("*.json")}, QDir::Files);
        for (const QString &f : all)
            dir.remove(f);
    } else {
        for (const QString &file : messageFiles())
            QFile::remove(file);
    }
}

void RealSmtpServer::stop()
{
    if (!d)
        return;
    if (d->kind == Kind::SmtpServerSink)
        d->stopSink();
    else if (d->kind == Kind::Postfix && d->running)
        d->stopPostfix();
    d->running = false;
}

QJsonObject RealSmtpServer::checkMessage(const QByteArray &eml)
{
    QJsonObject failure;
    QTemporaryFile file(QDir::tempPath() + QStringLiteral("/ssmtp-check-XXXXXX.eml"));
    if (!file.open() || file.write(eml) != eml.size() || !file.flush()) {
        failure.insert(QStringLiteral("error"), QStringLiteral("cannot write a temporary file"));
        return failure;
    }
    file.close();

    QProcess p;
    p.start(pythonPath(),
            {integrationDir() + QStringLiteral("/check_message.py"), file.fileName()});
    if (!p.waitForStarted(10000)) {
        failure.insert(
            QStringLiteral("error"),
            QString(QStringLiteral("cannot start /usr/bin/python3: ") + p.errorString()));
        return failure;
    }
    // Keep the event loop running (the client under test may still be talking to the server).
    (void)QTest::qWaitFor([&]() { return p.state() == QProcess::NotRunning; }, 120000);
    if (p.state() != QProcess::NotRunning) {
        p.kill();
        p.waitForFinished(3000);
        failure.insert(QStringLiteral("error"), QStringLiteral("check_message.py timed out"));
        return failure;
    }
    const QByteArray out = p.readAllStandardOutput();
    QJsonParseError err;
    const QJsonDocument doc = QJsonDocument::fromJson(out, &err);
    if (p.exitCode() != 0 || !doc.isObject()) {
        failure.insert(QStringLiteral("error"),
                       QStringLiteral("check_message.py failed (exit %1): %2 %3")
                           .arg(p.exitCode())
                           .arg(QString::fromUtf8(p.readAllStandardError()), err.errorString()));
        return failure;
    }
    return doc.object();
}
