// Unit tests for the message composer (message/composer.h): the exact header block built from
// the facade's properties (order, encoding, folding), the envelope (reverse path, recipients
// with their kind and options), the text body and its transfer encoding, and every validation
// error with its code and the property it names.
#include "message/composer.h"

#include <QRegularExpression>
#include <QStringDecoder>
#include <QTest>

using namespace ssmtp::message;
using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(ssmtp::message::ComposerInput)

namespace {

const QString FixedDate = u"Sun, 22 Nov 2026 10:00:00 +0000"_s;

// A valid, deterministic input: fixed Date and Message-ID so header blocks compare exactly.
ComposerInput baseInput()
{
    ComposerInput in;
    in.from = u"a@x.org"_s;
    in.sendTo = u"b@y.org"_s;
    in.messageDate = FixedDate;
    in.messageId = u"<id@test>"_s;
    return in;
}

// The header lines of the fixed input, CRLF-terminated, without the empty line.
const QByteArray FromTo = "From: a@x.org\r\nTo: b@y.org\r\n";
const QByteArray DateId = "Date: Sun, 22 Nov 2026 10:00:00 +0000\r\nMessage-ID: <id@test>\r\n";

ComposerRecipient recipient(const QString &address, ComposerRecipient::Kind kind,
                            const QString &options = QString(), const QString &name = QString())
{
    ComposerRecipient r;
    r.address = address;
    r.name = name;
    r.options = options;
    r.kind = kind;
    return r;
}

// Removes the folds (CRLF followed by WSP) of a header block or value.
QByteArray unfold(QByteArray text)
{
    text.replace("\r\n ", " ");
    text.replace("\r\n\t", "\t");
    return text;
}

// The physical lines of a header block (without the final empty line and CRLFs).
QList<QByteArray> physicalLines(const QByteArray &block)
{
    QList<QByteArray> lines = block.split('\n');
    for (QByteArray &line : lines) {
        if (line.endsWith('\r'))
            line.chop(1);
    }
    while (!lines.isEmpty() && lines.last().isEmpty())
        lines.removeLast();
    return lines;
}

// The unfolded value of the first header `field` (case-insensitive), null when absent.
QByteArray headerValue(const QByteArray &block, const QByteArray &field)
{
    const QByteArray unfolded = unfold(block);
    for (const QByteArray &line : unfolded.split('\n')) {
        const QByteArray l = line.endsWith('\r') ? line.chopped(1) : line;
        const qsizetype colon = l.indexOf(':');
        if (colon > 0 && qstricmp(l.left(colon).constData(), field.constData()) == 0)
            return l.mid(colon + 1).trimmed();
    }
    return QByteArray();
}

QList<QByteArray> fieldNames(const QByteArray &block)
{
    QList<QByteArray> names;
    for (const QByteArray &line : physicalLines(unfold(block)))
        names.append(line.left(line.indexOf(':')));
    return names;
}

bool allAscii(const QByteArray &bytes)
{
    for (const char c : bytes) {
        if (static_cast<uchar>(c) >= 0x80 || c == 0)
            return false;
    }
    return true;
}

int hexValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

// Decodes the RFC 2047 encoded words of one unfolded header value (any charset Qt knows);
// whitespace between two adjacent encoded words is dropped (RFC 2047 6.2). Returns a null
// string on a malformed encoded word.
QString decodeRfc2047(const QByteArray &value)
{
    static const QRegularExpression word(u"=\\?([^?]+)\\?([BbQq])\\?([^?]*)\\?="_s);
    QString out;
    qsizetype pos = 0;
    bool previousWasWord = false;
    const QString text = QString::fromLatin1(value);
    QRegularExpressionMatchIterator it = word.globalMatch(text);
    while (it.hasNext()) {
        const QRegularExpressionMatch m = it.next();
        const QString between = text.mid(pos, m.capturedStart() - pos);
        if (!(previousWasWord && between.trimmed().isEmpty()))
            out += between;
        const QByteArray encoded = m.captured(3).toLatin1();
        QByteArray bytes;
        if (m.captured(2).compare(u"B"_s, Qt::CaseInsensitive) == 0) {
            const auto decoded =
                QByteArray::fromBase64Encoding(encoded, QByteArray::AbortOnBase64DecodingErrors);
            if (!decoded)
                return QString();
            bytes = *decoded;
        } else {
            for (qsizetype i = 0; i < encoded.size(); ++i) {
                const char c = encoded.at(i);
                if (c == '_') {
                    bytes.append(' ');
                } else if (c == '=') {
                    if (i + 2 >= encoded.size() || hexValue(encoded.at(i + 1)) < 0 ||
                        hexValue(encoded.at(i + 2)) < 0) {
                        return QString();
                    }
                    bytes.append(
                        char(hexValue(encoded.at(i + 1)) * 16 + hexValue(encoded.at(i + 2))));
                    i += 2;
                } else {
                    bytes.append(c);
                }
            }
        }
        QStringDecoder decoder(m.captured(1).toLatin1().constData());
        if (!decoder.isValid())
            return QString();
        const QString decoded = decoder.decode(bytes);
        if (decoder.hasError())
            return QString();
        out += decoded;
        pos = m.capturedEnd();
        previousWasWord = true;
    }
    out += text.mid(pos);
    return out;
}

// Decodes quoted-printable (soft breaks removed, =XX decoded); null on a malformed escape.
QByteArray decodeQuotedPrintable(const QByteArray &qp)
{
    QByteArray out;
    for (qsizetype i = 0; i < qp.size(); ++i) {
        const char c = qp.at(i);
        if (c != '=') {
            out.append(c);
            continue;
        }
        if (qp.mid(i + 1, 2) == "\r\n") {
            i += 2;
            continue;
        }
        if (i + 2 >= qp.size() || hexValue(qp.at(i + 1)) < 0 || hexValue(qp.at(i + 2)) < 0)
            return QByteArray();
        out.append(char(hexValue(qp.at(i + 1)) * 16 + hexValue(qp.at(i + 2))));
        i += 2;
    }
    return out;
}

QByteArray toCrlf(QByteArray text)
{
    text.replace("\r\n", "\n");
    text.replace('\r', '\n');
    text.replace("\n", "\r\n");
    return text;
}

// "kind address options" for each envelope recipient, for readable comparisons.
QStringList describe(const QList<EnvelopeAddress> &recipients)
{
    static const char *const kinds[] = {"to", "cc", "bcc"};
    QStringList out;
    for (const EnvelopeAddress &r : recipients)
        out.append(QLatin1String(kinds[r.kind]) + u' ' + r.address + u' ' + r.options);
    return out;
}

QString describeError(const ComposedMessage &m)
{
    return QString::number(m.error) + u": "_s + m.errorString;
}

} // namespace

class tst_Composer : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void headerBlock_data();
    void headerBlock();
    void mimeHeadersBeforeOtherHeaders();
    void importancePrioritySensitivity_data();
    void importancePrioritySensitivity();
    void envelope_data();
    void envelope();
    void errors_data();
    void errors();
    void composeHeadersSkipsEnvelopeChecks();
    void generatedDate();
    void generatedMessageId_data();
    void generatedMessageId();
    void nonAsciiHeaders_data();
    void nonAsciiHeaders();
    void folding_data();
    void folding();
    void body_data();
    void body();
    void noBodyForRawOrStream_data();
    void noBodyForRawOrStream();
};

void tst_Composer::headerBlock_data()
{
    QTest::addColumn<ComposerInput>("input");
    QTest::addColumn<QByteArray>("expected");

    QTest::newRow("minimal") << baseInput() << FromTo + DateId + "\r\n";

    {
        // Every computed header, in the documented order, then otherHeaders.
        ComposerInput in = baseInput();
        in.from = u"Alice <a@x.org>"_s;
        in.sendTo = u"b@y.org, Carol <c@y.org>"_s;
        in.cc = u"d@y.org"_s;
        in.bcc = u"hidden@z.org"_s;
        in.subject = u"Hello there"_s;
        in.replyTo = u"reply@x.org"_s;
        in.returnPath = u"bounce@x.org"_s;
        in.deliveryNotificationTo = u"dsn@x.org"_s;
        in.readReceiptTo = u"mdn@x.org"_s;
        in.importance = 1;
        in.priority = 2;
        in.sensitivity = 3;
        in.otherHeaders = u"X-Mailer: tst_composer\r\nX-Second: two"_s;
        QTest::newRow("all fields") << in
                                    << QByteArray("From: Alice <a@x.org>\r\n"
                                                  "To: b@y.org, Carol <c@y.org>\r\n"
                                                  "Cc: d@y.org\r\n"
                                                  "Subject: Hello there\r\n" +
                                                  DateId +
                                                  "Reply-To: reply@x.org\r\n"
                                                  "Return-Receipt-To: dsn@x.org\r\n"
                                                  "Disposition-Notification-To: mdn@x.org\r\n"
                                                  "Importance: high\r\n"
                                                  "Priority: urgent\r\n"
                                                  "Sensitivity: Company-Confidential\r\n"
                                                  "X-Mailer: tst_composer\r\n"
                                                  "X-Second: two\r\n"
                                                  "\r\n");
    }
    {
        // Non-ASCII body: the MIME headers follow the computed ones (otherHeaders empty).
        ComposerInput in = baseInput();
        in.subject = u"Hi"_s;
        in.messageText = u"Greetings from Köln, the cathedral city"_s;
        QTest::newRow("mime headers") << in
                                      << FromTo + "Subject: Hi\r\n" + DateId +
                                             "MIME-Version: 1.0\r\n"
                                             "Content-Type: text/plain; charset=UTF-8\r\n"
                                             "Content-Transfer-Encoding: quoted-printable\r\n"
                                             "\r\n";
    }
    {
        ComposerInput in = baseInput();
        in.bcc = u"secret@z.org, Other <other@z.org>"_s;
        in.recipients = {recipient(u"bcc2@z.org"_s, ComposerRecipient::Bcc)};
        QTest::newRow("bcc never in a header") << in << FromTo + DateId + "\r\n";
    }
    {
        // messageRecipients join the To/Cc headers after the properties' addresses; an entry
        // equal to one already there is shown once; Bcc entries never show.
        ComposerInput in = baseInput();
        in.cc = u"c@y.org"_s;
        in.recipients = {recipient(u"d@y.org"_s, ComposerRecipient::To, QString(), u"Dee"_s),
                         recipient(u"b@y.org"_s, ComposerRecipient::To, u"NOTIFY=NEVER"_s),
                         recipient(u"e@y.org"_s, ComposerRecipient::Cc),
                         recipient(u"c@y.org"_s, ComposerRecipient::Cc),
                         recipient(u"f@y.org"_s, ComposerRecipient::Bcc)};
        QTest::newRow("messageRecipients merged")
            << in
            << "From: a@x.org\r\nTo: b@y.org, Dee <d@y.org>\r\nCc: c@y.org, e@y.org\r\n" + DateId +
                   "\r\n";
    }
    {
        ComposerInput in = baseInput();
        in.sendTo.clear();
        in.recipients = {recipient(u"t@y.org"_s, ComposerRecipient::To)};
        QTest::newRow("only messageRecipients")
            << in << "From: a@x.org\r\nTo: t@y.org\r\n" + DateId + "\r\n";
    }
    {
        ComposerInput in = baseInput();
        in.messageDate.clear();
        in.messageId.clear();
        QTest::newRow("no date, no id") << in << FromTo + "\r\n";
    }
    {
        ComposerInput in = baseInput();
        in.messageDate = u"   "_s;
        in.messageId = u"  "_s;
        QTest::newRow("blank date, blank id") << in << FromTo + "\r\n";
    }
    {
        ComposerInput in = baseInput();
        in.messageDate = u"  Mon, 1 Jan 2024 00:00:00 +0100 "_s;
        in.messageId = u"abc.def@host.example"_s;
        QTest::newRow("explicit date and id")
            << in
            << FromTo + "Date: Mon, 1 Jan 2024 00:00:00 +0100\r\nMessage-ID: "
                        "<abc.def@host.example>\r\n\r\n";
    }
    {
        ComposerInput in = baseInput();
        in.messageId = u"<already@bracketed>"_s;
        QTest::newRow("bracketed id kept")
            << in
            << FromTo + "Date: Sun, 22 Nov 2026 10:00:00 +0000\r\nMessage-ID: "
                        "<already@bracketed>\r\n\r\n";
    }
    {
        ComposerInput in = baseInput();
        in.otherHeaders = u"X-Long: part one\r\n\tpart two\r\n   part three\r\nX-Next: 3\r\n"_s;
        QTest::newRow("otherHeaders continuation joined")
            << in << FromTo + DateId + "X-Long: part one part two part three\r\nX-Next: 3\r\n\r\n";
    }
    {
        ComposerInput in = baseInput();
        in.otherHeaders = u"X-A: 1\nX-B: 2\n\nX-C: 3"_s;
        QTest::newRow("otherHeaders LF and blank lines")
            << in << FromTo + DateId + "X-A: 1\r\nX-B: 2\r\nX-C: 3\r\n\r\n";
    }
    {
        ComposerInput in = baseInput();
        in.subject = u"Ignored"_s;
        in.otherHeaders = u"\r\nFrom: other@x.org\r\nX-Only: 1"_s;
        QTest::newRow("leading CRLF replaces computed")
            << in << QByteArray("From: other@x.org\r\nX-Only: 1\r\n\r\n");
    }
    {
        ComposerInput in = baseInput();
        in.otherHeaders = u"\nX-Only: 1\nX-Two: 2"_s;
        QTest::newRow("leading LF replaces computed")
            << in << QByteArray("X-Only: 1\r\nX-Two: 2\r\n\r\n");
    }
    {
        ComposerInput in = baseInput();
        in.sendTo = u"\"Doe, John\" <j@y.org>, Plain Name <p@y.org>, \"A. B.\" <ab@y.org>"_s;
        in.from = u"\"Say \\\"Hi\\\"\" <a@x.org>"_s;
        QTest::newRow("display names quoted when needed")
            << in
            << "From: \"Say \\\"Hi\\\"\" <a@x.org>\r\n"
               "To: \"Doe, John\" <j@y.org>, Plain Name <p@y.org>, \"A. B.\" <ab@y.org>\r\n" +
                   DateId + "\r\n";
    }
    {
        ComposerInput in = baseInput();
        in.sendTo = u"Team: t1@y.org, t2@y.org;"_s;
        QTest::newRow("group expands")
            << in << "From: a@x.org\r\nTo: t1@y.org, t2@y.org\r\n" + DateId + "\r\n";
    }
}

void tst_Composer::headerBlock()
{
    QFETCH(ComposerInput, input);
    QFETCH(QByteArray, expected);
    const ComposedMessage m = compose(input);
    QVERIFY2(m.ok(), qPrintable(describeError(m)));
    QCOMPARE(m.headerBlock, expected);
    QVERIFY(allAscii(m.headerBlock));
    // The header list matches the block (unfolded values, same order).
    QByteArray rebuilt;
    for (const auto &h : m.headers)
        rebuilt += h.first + ": " + h.second + "\r\n";
    QCOMPARE(unfold(m.headerBlock), rebuilt + "\r\n");
    // composeHeaders() gives the same header block.
    QCOMPARE(composeHeaders(input).headerBlock, expected);
}

// The documented order is: computed headers, MIME headers, then otherHeaders.
void tst_Composer::mimeHeadersBeforeOtherHeaders()
{
    ComposerInput in = baseInput();
    in.messageText = u"Greetings from Köln, the cathedral city"_s;
    in.otherHeaders = u"X-Custom: 1"_s;
    const ComposedMessage m = compose(in);
    QVERIFY2(m.ok(), qPrintable(describeError(m)));
    QCOMPARE(fieldNames(m.headerBlock),
             (QList<QByteArray>{"From", "To", "Date", "Message-ID", "MIME-Version", "Content-Type",
                                "Content-Transfer-Encoding", "X-Custom"}));
    // Either way each MIME header is there exactly once.
    QCOMPARE(fieldNames(m.headerBlock).count("MIME-Version"), 1);
    QCOMPARE(fieldNames(m.headerBlock).count("Content-Type"), 1);
}

void tst_Composer::importancePrioritySensitivity_data()
{
    QTest::addColumn<int>("importance");
    QTest::addColumn<int>("priority");
    QTest::addColumn<int>("sensitivity");
    QTest::addColumn<QByteArray>("expected"); // the lines after Message-ID

    QTest::newRow("unspecified") << 0 << 0 << 0 << QByteArray();
    QTest::newRow("1 1 1")
        << 1 << 1 << 1
        << QByteArray("Importance: high\r\nPriority: normal\r\nSensitivity: Personal\r\n");
    QTest::newRow("2 2 2")
        << 2 << 2 << 2
        << QByteArray("Importance: normal\r\nPriority: urgent\r\nSensitivity: Private\r\n");
    QTest::newRow("3 3 3") << 3 << 3 << 3
                           << QByteArray("Importance: low\r\nPriority: non-urgent\r\n"
                                         "Sensitivity: Company-Confidential\r\n");
    QTest::newRow("importance only") << 3 << 0 << 0 << QByteArray("Importance: low\r\n");
    QTest::newRow("priority only") << 0 << 3 << 0 << QByteArray("Priority: non-urgent\r\n");
    QTest::newRow("sensitivity only") << 0 << 0 << 1 << QByteArray("Sensitivity: Personal\r\n");
    QTest::newRow("out of range") << 4 << -1 << 99 << QByteArray();
}

void tst_Composer::importancePrioritySensitivity()
{
    QFETCH(int, importance);
    QFETCH(int, priority);
    QFETCH(int, sensitivity);
    QFETCH(QByteArray, expected);
    ComposerInput in = baseInput();
    in.importance = importance;
    in.priority = priority;
    in.sensitivity = sensitivity;
    const ComposedMessage m = compose(in);
    QVERIFY2(m.ok(), qPrintable(describeError(m)));
    QCOMPARE(m.headerBlock, FromTo + DateId + expected + "\r\n");
}

void tst_Composer::envelope_data()
{
    QTest::addColumn<ComposerInput>("input");
    QTest::addColumn<QString>("reversePath");
    QTest::addColumn<QStringList>("recipients");

    QTest::newRow("plain") << baseInput() << u"a@x.org"_s << QStringList{u"to b@y.org "_s};
    {
        ComposerInput in = baseInput();
        in.from = u"Alice <a@x.org>"_s;
        in.sendTo = u"Bob <b@y.org>, c@y.org"_s;
        in.cc = u"Dee <d@y.org>"_s;
        in.bcc = u"Eve <e@z.org>, f@z.org"_s;
        QTest::newRow("to cc bcc")
            << in << u"a@x.org"_s
            << QStringList{u"to b@y.org "_s, u"to c@y.org "_s, u"cc d@y.org "_s, u"bcc e@z.org "_s,
                           u"bcc f@z.org "_s};
    }
    {
        ComposerInput in = baseInput();
        in.returnPath = u"Bounces <bounce@x.org>"_s;
        QTest::newRow("returnPath overrides")
            << in << u"bounce@x.org"_s << QStringList{u"to b@y.org "_s};
    }
    {
        ComposerInput in = baseInput();
        in.sendTo = u"b@y.org, B@Y.ORG"_s;
        in.cc = u"b@y.org, c@y.org"_s;
        in.bcc = u"c@y.org, b@y.org"_s;
        QTest::newRow("duplicates once")
            << in << u"a@x.org"_s << QStringList{u"to b@y.org "_s, u"cc c@y.org "_s};
    }
    {
        // An address in both sendTo and messageRecipients is sent once, with the options of
        // the messageRecipients entry.
        ComposerInput in = baseInput();
        in.sendTo = u"b@y.org, c@y.org"_s;
        in.cc = u"d@y.org"_s;
        in.recipients = {
            recipient(u"b@y.org"_s, ComposerRecipient::To, u"NOTIFY=SUCCESS,FAILURE"_s),
            recipient(u"d@y.org"_s, ComposerRecipient::Cc, u"NOTIFY=NEVER"_s),
            recipient(u"g@y.org"_s, ComposerRecipient::To, u"ORCPT=rfc822;g@y.org"_s),
            recipient(u"h@y.org"_s, ComposerRecipient::Cc),
            recipient(u"Hidden <i@z.org>"_s, ComposerRecipient::Bcc, u"NOTIFY=DELAY"_s),
            recipient(u"c@y.org"_s, ComposerRecipient::To)};
        QTest::newRow("messageRecipients merged")
            << in << u"a@x.org"_s << QStringList{u"to b@y.org NOTIFY=SUCCESS,FAILURE"_s,
                                                 u"to c@y.org "_s,
                                                 u"to g@y.org ORCPT=rfc822;g@y.org"_s,
                                                 u"cc d@y.org NOTIFY=NEVER"_s,
                                                 u"cc h@y.org "_s,
                                                 u"bcc i@z.org NOTIFY=DELAY"_s};
    }
    {
        ComposerInput in = baseInput();
        in.sendTo.clear();
        in.cc = u"c@y.org"_s;
        in.allowEmptyTo = true;
        QTest::newRow("only cc with allowEmptyTo")
            << in << u"a@x.org"_s << QStringList{u"cc c@y.org "_s};
    }
    {
        ComposerInput in = baseInput();
        in.sendTo.clear();
        in.bcc = u"z@z.org"_s;
        in.allowEmptyTo = true;
        QTest::newRow("only bcc with allowEmptyTo")
            << in << u"a@x.org"_s << QStringList{u"bcc z@z.org "_s};
    }
    {
        // A raw message needs no From when returnPath gives the reverse path.
        ComposerInput in = baseInput();
        in.from.clear();
        in.returnPath = u"r@x.org"_s;
        in.rawMessage = true;
        QTest::newRow("raw message with returnPath")
            << in << u"r@x.org"_s << QStringList{u"to b@y.org "_s};
    }
}

void tst_Composer::envelope()
{
    QFETCH(ComposerInput, input);
    QFETCH(QString, reversePath);
    QFETCH(QStringList, recipients);
    const ComposedMessage m = compose(input);
    QVERIFY2(m.ok(), qPrintable(describeError(m)));
    QCOMPARE(m.reversePath, reversePath);
    QCOMPARE(describe(m.recipients), recipients);
    // Neither Bcc addresses nor the return path ever reach the header block.
    QVERIFY(!m.headerBlock.contains("Bcc"));
    QVERIFY(!m.headerBlock.contains("Return-Path"));
    QVERIFY(!m.headerBlock.contains("@z.org"));
}

void tst_Composer::errors_data()
{
    QTest::addColumn<ComposerInput>("input");
    QTest::addColumn<int>("error");
    QTest::addColumn<QString>("mentions"); // a text the error string contains

    // CR or LF in any single-line property: 170 naming the property.
    const struct
    {
        const char *property;
        QString ComposerInput::*member;
    } lineProperties[] = {
        {"from", &ComposerInput::from},
        {"sendTo", &ComposerInput::sendTo},
        {"cc", &ComposerInput::cc},
        {"bcc", &ComposerInput::bcc},
        {"replyTo", &ComposerInput::replyTo},
        {"returnPath", &ComposerInput::returnPath},
        {"subject", &ComposerInput::subject},
        {"messageDate", &ComposerInput::messageDate},
        {"messageId", &ComposerInput::messageId},
        {"deliveryNotificationTo", &ComposerInput::deliveryNotificationTo},
        {"readReceiptTo", &ComposerInput::readReceiptTo},
    };
    const struct
    {
        const char *name;
        const char *text;
    } breaks[] = {{"CRLF", "\r\n"}, {"LF", "\n"}, {"CR", "\r"}};
    for (const auto &p : lineProperties) {
        for (const auto &b : breaks) {
            ComposerInput in = baseInput();
            const QString value = in.*(p.member);
            // A valid value plus an injected header line.
            const QString valid = value.isEmpty() ? u"c@y.org"_s : value;
            in.*(p.member) = valid + QLatin1String(b.text) + u"Bcc: victim@evil.example"_s;
            QTest::addRow("%s %s", p.property, b.name)
                << in << 170 << QString::fromLatin1(p.property);
        }
    }
    for (const auto &b : breaks) {
        ComposerInput in = baseInput();
        in.recipients = {
            recipient(u"t@y.org"_s + QLatin1String(b.text) + u"x"_s, ComposerRecipient::To)};
        QTest::addRow("messageRecipients address %s", b.name)
            << in << 170 << u"messageRecipients"_s;
        in.recipients = {recipient(u"t@y.org"_s, ComposerRecipient::Cc, QString(),
                                   u"Name"_s + QLatin1String(b.text) + u"Bcc: x@y.org"_s)};
        QTest::addRow("messageRecipients name %s", b.name) << in << 170 << u"messageRecipients"_s;
        in.recipients = {recipient(u"t@y.org"_s, ComposerRecipient::Bcc,
                                   u"NOTIFY=NEVER"_s + QLatin1String(b.text) + u"DATA"_s)};
        QTest::addRow("messageRecipients options %s", b.name)
            << in << 170 << u"messageRecipients"_s;
    }

    // Malformed otherHeaders lines: 170 quoting the line.
    const QString badHeaders[] = {u"no colon here"_s,
                                  u"Bad Field: x"_s,
                                  u": no name"_s,
                                  u" starts with continuation"_s,
                                  u"X-Ok: 1\r\nbroken line"_s,
                                  u"X-Umlaut-\u00e4: v"_s,
                                  u"Field : spaced"_s};
    for (const QString &h : badHeaders) {
        ComposerInput in = baseInput();
        in.otherHeaders = h;
        QTest::addRow("otherHeaders \"%s\"", qPrintable(h.simplified()))
            << in << 170 << u"otherHeaders"_s;
    }

    // Invalid address lists: 169 naming the property.
    const struct
    {
        const char *property;
        QString ComposerInput::*member;
        QString value;
    } badLists[] = {
        {"from", &ComposerInput::from, u"not an address"_s},
        {"sendTo", &ComposerInput::sendTo, u"b@y.org, broken"_s},
        {"cc", &ComposerInput::cc, u"c@"_s},
        {"bcc", &ComposerInput::bcc, u"<z@z.org"_s},
        {"replyTo", &ComposerInput::replyTo, u"\"unbalanced <r@x.org>"_s},
        {"returnPath", &ComposerInput::returnPath, u"a@@x.org"_s},
        {"deliveryNotificationTo", &ComposerInput::deliveryNotificationTo, u"@x.org"_s},
        {"readReceiptTo", &ComposerInput::readReceiptTo, u"a b@x.org"_s},
    };
    for (const auto &p : badLists) {
        ComposerInput in = baseInput();
        in.*(p.member) = p.value;
        QTest::addRow("invalid %s", p.property) << in << 169 << QString::fromLatin1(p.property);
    }
    {
        ComposerInput in = baseInput();
        in.recipients = {recipient(u"not an address"_s, ComposerRecipient::Bcc)};
        QTest::newRow("invalid bcc recipient") << in << 169 << u"not an address"_s;
    }
    {
        // Bcc entries are checked (row above); To and Cc entries go into RCPT TO and the
        // headers as they are, so they must be checked too.
        ComposerInput in = baseInput();
        in.recipients = {recipient(u"not an address"_s, ComposerRecipient::To)};
        QTest::newRow("invalid to recipient") << in << 169 << u"not an address"_s;
        in.recipients = {recipient(u"c@y.org> NOTIFY=NEVER"_s, ComposerRecipient::Cc)};
        QTest::newRow("invalid cc recipient") << in << 169 << u"c@y.org"_s;
    }

    // Missing sender and recipients.
    {
        ComposerInput in = baseInput();
        in.from.clear();
        QTest::newRow("no from") << in << 164 << QString();
        in.from = u"  "_s;
        QTest::newRow("blank from") << in << 164 << QString();
        // A returnPath gives a reverse path, but the message still has no From header
        // (RFC 5322 3.6: From is required; docs/errors.md: 164 "no from (and no returnPath for
        // a raw message)").
        in.from.clear();
        in.returnPath = u"r@x.org"_s;
        QTest::newRow("no from, returnPath, not raw") << in << 164 << QString();
    }
    {
        ComposerInput in = baseInput();
        in.sendTo.clear();
        QTest::newRow("no recipients") << in << 165 << QString();
        in.cc = u"c@y.org"_s;
        QTest::newRow("only cc") << in << 165 << QString();
        in.cc.clear();
        in.bcc = u"z@z.org"_s;
        QTest::newRow("only bcc") << in << 165 << QString();
        in.bcc.clear();
        in.recipients = {recipient(u"c@y.org"_s, ComposerRecipient::Cc),
                         recipient(u"z@z.org"_s, ComposerRecipient::Bcc)};
        QTest::newRow("only cc/bcc recipients") << in << 165 << QString();
        in.recipients.clear();
        in.allowEmptyTo = true;
        QTest::newRow("allowEmptyTo, no recipients") << in << 165 << QString();
    }
    {
        ComposerInput in = baseInput();
        in.messageId = u"has space@x"_s;
        QTest::newRow("messageId with space") << in << 170 << u"has space@x"_s;
        in.messageId = u"\u00fc@x"_s;
        QTest::newRow("messageId non-ASCII") << in << 170 << u"messageId"_s;
        in.messageId = u"*"_s;
        in.messageIdAlgorithm = u"CRC32"_s;
        QTest::newRow("unknown MessageIdAlgorithm") << in << 170 << u"CRC32"_s;
    }
}

void tst_Composer::errors()
{
    QFETCH(ComposerInput, input);
    QFETCH(int, error);
    QFETCH(QString, mentions);
    const ComposedMessage m = compose(input);
    QCOMPARE(m.error, error);
    QVERIFY(!m.ok());
    QVERIFY(!m.errorString.isEmpty());
    if (!mentions.isEmpty())
        QVERIFY2(m.errorString.contains(mentions), qPrintable(m.errorString));
    // A failed composition carries nothing to send.
    QVERIFY(m.headerBlock.isEmpty());
}

// composeHeaders() is for the messageHeaders property: no sender/recipient checks.
void tst_Composer::composeHeadersSkipsEnvelopeChecks()
{
    ComposerInput in = baseInput();
    in.from.clear();
    in.sendTo.clear();
    in.subject = u"Draft"_s;
    const ComposedMessage m = composeHeaders(in);
    QVERIFY2(m.ok(), qPrintable(describeError(m)));
    QCOMPARE(m.headerBlock, "Subject: Draft\r\n" + DateId + "\r\n");
    QVERIFY(m.recipients.isEmpty());
    QVERIFY(m.reversePath.isEmpty());
    QCOMPARE(compose(in).error, 164);

    // Header errors are still reported.
    in.subject = u"a\r\nb"_s;
    QCOMPARE(composeHeaders(in).error, 170);
}

void tst_Composer::generatedDate()
{
    ComposerInput in = baseInput();
    in.messageDate = u"*"_s;
    const ComposedMessage m = compose(in);
    QVERIFY2(m.ok(), qPrintable(describeError(m)));
    const QByteArray date = headerValue(m.headerBlock, "Date");
    static const QRegularExpression rfc5322(
        u"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), [0-3][0-9] "
        u"(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) "
        "[0-9]{4} [0-2][0-9]:[0-5][0-9]:[0-6][0-9] [+-][0-9]{4}$"_s);
    QVERIFY2(rfc5322.match(QString::fromLatin1(date)).hasMatch(), date.constData());
    // And it is now (within a day, whatever the local zone).
    const QDateTime parsed = QDateTime::fromString(QString::fromLatin1(date), Qt::RFC2822Date);
    QVERIFY2(parsed.isValid(), date.constData());
    QVERIFY(qAbs(parsed.secsTo(QDateTime::currentDateTimeUtc())) < 120);
    QCOMPARE(fieldNames(m.headerBlock), (QList<QByteArray>{"From", "To", "Date", "Message-ID"}));
}

void tst_Composer::generatedMessageId_data()
{
    QTest::addColumn<QString>("from");
    QTest::addColumn<QString>("algorithm");
    QTest::addColumn<QString>("hostName");
    QTest::addColumn<QString>("pattern");

    QTest::newRow("sha1 default") << u"a@x.org"_s << u"SHA1"_s << QString()
                                  << u"^<[0-9a-f]{40}@x\\.org>$"_s;
    QTest::newRow("md5") << u"Alice <alice@mail.example.com>"_s << u"MD5"_s << QString()
                         << u"^<[0-9a-f]{32}@mail\\.example\\.com>$"_s;
    QTest::newRow("sha256 lower case")
        << u"a@x.org"_s << u"sha256"_s << QString() << u"^<[0-9a-f]{64}@x\\.org>$"_s;
    QTest::newRow("first from") << u"a@first.org, b@second.org"_s << u"SHA1"_s << QString()
                                << u"^<[0-9a-f]{40}@first\\.org>$"_s;
    QTest::newRow("non-ASCII domain uses hostName")
        << u"a@b\u00fccher.example"_s << u"SHA1"_s << u"client.test"_s
        << u"^<[0-9a-f]{40}@client\\.test>$"_s;
}

void tst_Composer::generatedMessageId()
{
    QFETCH(QString, from);
    QFETCH(QString, algorithm);
    QFETCH(QString, hostName);
    QFETCH(QString, pattern);
    ComposerInput in = baseInput();
    in.from = from;
    in.messageId = u"*"_s;
    in.messageIdAlgorithm = algorithm;
    in.hostName = hostName;
    const ComposedMessage first = compose(in);
    QVERIFY2(first.ok(), qPrintable(describeError(first)));
    const QByteArray id = headerValue(first.headerBlock, "Message-ID");
    QVERIFY2(QRegularExpression(pattern).match(QString::fromLatin1(id)).hasMatch(), id.constData());
    // Each composition gets a new id.
    const ComposedMessage second = compose(in);
    QVERIFY(second.ok());
    QVERIFY(headerValue(second.headerBlock, "Message-ID") != id);
}

void tst_Composer::nonAsciiHeaders_data()
{
    QTest::addColumn<QString>("subject");
    QTest::addColumn<QString>("fromName");

    QTest::newRow("latin") << u"Grüße aus Köln"_s << u"Jürgen Müller"_s;
    QTest::newRow("word") << u"Café"_s << u"José"_s;
    QTest::newRow("cyrillic") << u"Привет, мир"_s << u"Иван Петров"_s;
    QTest::newRow("cjk") << u"日本語の件名"_s << u"山田 太郎"_s;
    QTest::newRow("emoji") << u"Party 🎉 time 🎈🎈"_s << u"Smiley 😀"_s;
    QTest::newRow("looks encoded") << u"=?UTF-8?Q?not_encoded?= really"_s << u"=?x?"_s;
    QTest::newRow("long")
        << (u"Eine sehr lange Betreffzeile mit Umlauten äöü ÄÖÜ ß, die über "
            "mehrere Zeilen gefaltet werden muss, weil sie so lang ist – "
            "wirklich sehr lang, länger als achtzig Zeichen ganz bestimmt."_s)
        << (u"Ein ziemlich langer Anzeigename mit Ümläuten und noch mehr Wörtern"_s);
    QTest::newRow("mixed spacing") << u"  two  spaces\tand tab é  "_s << u"Dr. Jörg"_s;
}

// Non-ASCII text never goes raw into the header block: RFC 2047 encoded words that decode
// back to the original, with every line within MaxHeaderLength.
void tst_Composer::nonAsciiHeaders()
{
    QFETCH(QString, subject);
    QFETCH(QString, fromName);
    ComposerInput in = baseInput();
    in.subject = subject;
    in.from = u"\""_s + fromName + u"\" <a@x.org>"_s;
    in.otherHeaders = u"X-Comment: "_s + subject;
    const ComposedMessage m = compose(in);
    QVERIFY2(m.ok(), qPrintable(describeError(m)));
    QVERIFY2(allAscii(m.headerBlock), m.headerBlock.constData());
    for (const QByteArray &line : physicalLines(m.headerBlock))
        QVERIFY2(line.size() <= 80, line.constData());

    const QByteArray encodedSubject = headerValue(m.headerBlock, "Subject");
    QCOMPARE(decodeRfc2047(encodedSubject), subject.trimmed());
    // otherHeaders values are sent as given when ASCII (they may hold the user's own encoded
    // words) and encoded otherwise.
    if (allAscii(subject.toUtf8()))
        QCOMPARE(headerValue(m.headerBlock, "X-Comment"), subject.trimmed().toLatin1());
    else
        QCOMPARE(decodeRfc2047(headerValue(m.headerBlock, "X-Comment")), subject.trimmed());

    QByteArray fromValue = headerValue(m.headerBlock, "From");
    QVERIFY2(fromValue.endsWith(" <a@x.org>"), fromValue.constData());
    fromValue.chop(int(sizeof(" <a@x.org>")) - 1);
    QString name = decodeRfc2047(fromValue);
    if (name.startsWith(u'"') && name.endsWith(u'"'))
        name = name.mid(1, name.size() - 2);
    QCOMPARE(name, fromName);
}

void tst_Composer::folding_data()
{
    QTest::addColumn<bool>("fold");
    QTest::addColumn<int>("maxLineLength");
    QTest::newRow("fold 80") << true << 80;
    QTest::newRow("fold 40") << true << 40;
    QTest::newRow("no fold") << false << 80;
}

void tst_Composer::folding()
{
    QFETCH(bool, fold);
    QFETCH(int, maxLineLength);
    QStringList addresses;
    for (int i = 1; i <= 10; ++i)
        addresses.append(u"Recipient %1 <recipient%1@example.org>"_s.arg(i));
    ComposerInput in = baseInput();
    in.sendTo = addresses.join(u", "_s);
    in.subject = u"A subject that is long enough to need folding at eighty columns, for sure, "
                 "yes indeed it is."_s;
    in.encoding.fold = fold;
    in.encoding.maxLineLength = maxLineLength;
    const ComposedMessage m = compose(in);
    QVERIFY2(m.ok(), qPrintable(describeError(m)));

    const QByteArray unfolded = unfold(m.headerBlock);
    QCOMPARE(headerValue(m.headerBlock, "To"), in.sendTo.toLatin1());
    QCOMPARE(headerValue(m.headerBlock, "Subject"), in.subject.toLatin1());
    const QByteArray toLine = "\r\nTo: " + in.sendTo.toLatin1() + "\r\n";
    QVERIFY(unfolded.contains(toLine));

    const QList<QByteArray> lines = physicalLines(m.headerBlock);
    if (fold) {
        for (const QByteArray &line : lines)
            QVERIFY2(line.size() <= maxLineLength, line.constData());
        QVERIFY(lines.size() > 6); // To and Subject took several lines
    } else {
        QCOMPARE(lines.size(), 5); // From, To, Subject, Date, Message-ID
        QCOMPARE(lines.at(1), "To: " + in.sendTo.toLatin1());
    }
}

void tst_Composer::body_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("otherHeaders");
    QTest::addColumn<QString>("encoding"); // "" = sent as given

    QTest::newRow("ascii") << u"Hello\nWorld\r\n.dot line\nFrom here\n"_s << QString() << QString();
    QTest::newRow("ascii with equals and tabs") << u"a=b\tc \nend"_s << QString() << QString();
    QTest::newRow("empty") << QString() << QString() << QString();
    QTest::newRow("998 octets") << QString(998, u'x') << QString() << QString();
    QTest::newRow("latin") << u"Grüße aus Köln\nZweite Zeile = zwei\n"_s << QString()
                           << u"quoted-printable"_s;
    QTest::newRow("999 octets") << QString(999, u'x') << QString() << u"quoted-printable"_s;
    QTest::newRow("long line") << (u"short\n"_s + QString(1200, u'a') + u"\nend"_s) << QString()
                               << u"quoted-printable"_s;
    QTest::newRow("long line with spaces")
        << QString(u"word "_s.repeated(300)) << QString() << u"quoted-printable"_s;
    QTest::newRow("cyrillic") << u"Привет, мир! Это тестовое сообщение.\nВторая строка."_s
                              << QString() << u"base64"_s;
    QTest::newRow("NUL") << u"a\u0000b"_s << QString() << u"quoted-printable"_s;
    QTest::newRow("short non-ASCII") << u"Grüße"_s << QString() << u"base64"_s;
    QTest::newRow("content-type given")
        << u"Grüße\n"_s << u"Content-Type: text/plain; charset=UTF-8"_s << QString();
    QTest::newRow("transfer-encoding given")
        << u"Grüße\n"_s << u"Content-Transfer-Encoding: 8bit"_s << QString();
    QTest::newRow("mime-version given")
        << u"Greetings from Köln"_s << u"MIME-Version: 1.0"_s << u"quoted-printable"_s;
}

void tst_Composer::body()
{
    QFETCH(QString, text);
    QFETCH(QString, otherHeaders);
    QFETCH(QString, encoding);
    ComposerInput in = baseInput();
    in.messageText = text;
    in.otherHeaders = otherHeaders;
    const ComposedMessage m = compose(in);
    QVERIFY2(m.ok(), qPrintable(describeError(m)));
    const QByteArray utf8 = text.toUtf8();
    const QList<QByteArray> fields = fieldNames(m.headerBlock);

    if (encoding.isEmpty()) {
        // Sent as given: no MIME headers beyond the ones the user wrote.
        QCOMPARE(m.body, utf8);
        QCOMPARE(m.headerBlock,
                 FromTo + DateId +
                     (otherHeaders.isEmpty() ? QByteArray() : otherHeaders.toLatin1() + "\r\n") +
                     "\r\n");
        return;
    }

    QCOMPARE(fields.count("MIME-Version"), 1);
    QCOMPARE(fields.count("Content-Type"), 1);
    QCOMPARE(fields.count("Content-Transfer-Encoding"), 1);
    QCOMPARE(headerValue(m.headerBlock, "MIME-Version"), QByteArray("1.0"));
    QCOMPARE(headerValue(m.headerBlock, "Content-Type"), QByteArray("text/plain; charset=UTF-8"));
    QCOMPARE(headerValue(m.headerBlock, "Content-Transfer-Encoding"), encoding.toLatin1());

    // The encoded body is 7-bit with lines of at most 76 characters.
    QVERIFY(allAscii(m.body));
    for (const QByteArray &line : m.body.split('\n')) {
        QVERIFY2(!line.contains('\r') || line.endsWith('\r'), "bare CR in the encoded body");
        QVERIFY2(line.size() <= 77, line.constData()); // 76 + the CR
    }
    QByteArray decoded;
    if (encoding == u"base64"_s) {
        QVERIFY(m.body.endsWith("\r\n"));
        const auto b = QByteArray::fromBase64Encoding(QByteArray(m.body).replace("\r\n", ""),
                                                      QByteArray::AbortOnBase64DecodingErrors);
        QVERIFY(b);
        decoded = *b;
        QCOMPARE(decoded, utf8);
    } else {
        decoded = decodeQuotedPrintable(m.body);
        // Line breaks become CRLF hard breaks; the text is otherwise unchanged.
        QCOMPARE(decoded, toCrlf(utf8));
    }
}

void tst_Composer::noBodyForRawOrStream_data()
{
    QTest::addColumn<bool>("raw");
    QTest::addColumn<bool>("stream");
    QTest::newRow("rawMessage") << true << false;
    QTest::newRow("streamBody") << false << true;
    QTest::newRow("both") << true << true;
}

void tst_Composer::noBodyForRawOrStream()
{
    QFETCH(bool, raw);
    QFETCH(bool, stream);
    ComposerInput in = baseInput();
    in.messageText = u"Grüße, this text is not sent"_s;
    in.rawMessage = raw;
    in.streamBody = stream;
    const ComposedMessage m = compose(in);
    QVERIFY2(m.ok(), qPrintable(describeError(m)));
    QVERIFY(m.body.isEmpty());
    // No MIME headers for a text that is not sent.
    QCOMPARE(m.headerBlock, FromTo + DateId + "\r\n");
    QCOMPARE(describe(m.recipients), QStringList{u"to b@y.org "_s});
}

QTEST_GUILESS_MAIN(tst_Composer)
#include "tst_composer.moc"
