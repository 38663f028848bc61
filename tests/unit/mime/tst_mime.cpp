// Unit tests for rich MIME composition: SsmtpAttachment, parameter encoding, the MIME tree
// shapes, transfer encodings, the streaming body device (piece sizes, seeking, bounded memory
// with a large file) and a check of the output by an independent parser (Python's email).
#include "message/headerencoding.h"
#include "message/mimebodydevice.h"
#include "message/mimeheaders.h"
#include "message/mimetypes.h"
#include "message/mimewriter.h"
#include "ssmtpattachment.h"

#include <QCryptographicHash>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRandomGenerator>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

#include <cctype>
#include <cstring>
#include <memory>

#if defined(__SANITIZE_ADDRESS__)
#define SSMTP_TEST_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SSMTP_TEST_ASAN 1
#endif
#endif

using namespace ssmtp::message;

namespace {

// Boundaries "=_b1", "=_b2", ... in the order the writer asks (outermost first).
MimeOptions fixedBoundaries(MimeOptions options = MimeOptions())
{
    auto counter = std::make_shared<int>(0);
    options.boundaryGenerator = [counter] {
        return QByteArray("=_b" + QByteArray::number(++*counter));
    };
    return options;
}

QByteArray headerValue(const MimeWriter &w, const char *field)
{
    for (const auto &h : w.headers()) {
        if (h.first == field)
            return h.second;
    }
    return QByteArray();
}

QByteArray readInPieces(QIODevice *device, qint64 piece)
{
    QByteArray out;
    QByteArray buffer(piece, Qt::Uninitialized);
    for (;;) {
        const qint64 n = device->read(buffer.data(), piece);
        if (n < 0)
            return "READ ERROR: " + device->errorString().toUtf8();
        if (n == 0)
            break;
        out.append(buffer.constData(), n);
    }
    return out;
}

// Every line ends with CRLF (no bare CR or LF) and has at most maxLine octets.
bool checkLines(const QByteArray &data, QString *why, int maxLine = 998)
{
    qsizetype lineStart = 0;
    for (qsizetype i = 0; i < data.size(); ++i) {
        const char c = data.at(i);
        if (c == '\r') {
            if (i + 1 >= data.size() || data.at(i + 1) != '\n') {
                *why = QStringLiteral("bare CR at %1").arg(i);
                return false;
            }
            if (i - lineStart > maxLine) {
                *why = QStringLiteral("line of %1 octets at %2").arg(i - lineStart).arg(lineStart);
                return false;
            }
            ++i;
            lineStart = i + 1;
        } else if (c == '\n') {
            *why = QStringLiteral("bare LF at %1").arg(i);
            return false;
        }
    }
    if (data.size() - lineStart > maxLine) {
        *why = QStringLiteral("last line too long");
        return false;
    }
    return true;
}

QByteArray randomBytes(qsizetype n, quint32 seed)
{
    QRandomGenerator gen(seed);
    QByteArray out(n, Qt::Uninitialized);
    qsizetype i = 0;
    for (; i + 4 <= n; i += 4) {
        const quint32 v = gen.generate();
        std::memcpy(out.data() + i, &v, 4);
    }
    for (; i < n; ++i)
        out[i] = char(gen.bounded(256));
    return out;
}

bool writeFile(const QString &path, const QByteArray &data)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(data) == data.size();
}

QByteArray fullMessage(const MimeWriter &w)
{
    HeaderEncoding enc;
    QByteArray out = "From: a@example.org\r\nTo: b@example.org\r\nSubject: test\r\n";
    for (const auto &h : w.headers())
        out += foldHeader(h.first, h.second, enc) + "\r\n";
    return out + "\r\n" + w.renderBody();
}

qint64 residentKiB()
{
    QFile f(QStringLiteral("/proc/self/status"));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    const QList<QByteArray> lines = f.readAll().split('\n');
    for (const QByteArray &line : lines) {
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').first().toLongLong();
    }
    return -1;
}

// Python's email package (policy.default) as the independent parser: prints a JSON list
// of the leaf parts with their defects (part and header level) and decoded content.
const char kPythonChecker[] = R"PY(
import email, email.policy, hashlib, json, sys
from email.parser import BytesParser
with open(sys.argv[1], 'rb') as f:
    msg = BytesParser(policy=email.policy.default).parse(f)
def shape(p):
    if p.is_multipart():
        return p.get_content_type() + '(' + ','.join(shape(c) for c in p.iter_parts()) + ')'
    return p.get_content_type()
parts = []
defects = [type(d).__name__ + ': ' + str(d) for d in msg.defects]
for part in msg.walk():
    for d in part.defects:
        defects.append(part.get_content_type() + ' ' + type(d).__name__ + ': ' + str(d))
    for k, v in part.items():
        for d in getattr(v, 'defects', ()):
            defects.append(part.get_content_type() + ' header ' + k + ': ' + str(d))
    payload = (None if part.is_multipart() else part.get_payload(decode=True)) or b''
    entry = {
        'type': part.get_content_type(),
        'filename': part.get_filename(),
        'disposition': part.get_content_disposition(),
        'cid': part.get('Content-ID'),
        'cte': part.get('Content-Transfer-Encoding'),
        'sha256': hashlib.sha256(payload).hexdigest(),
        'size': len(payload),
    }
    if part.get_content_maintype() == 'text' and part.get_param('charset'):
        entry['text'] = part.get_content()
    parts.append(entry)
print(json.dumps({'shape': shape(msg), 'defects': defects, 'parts': parts}))
)PY";

} // namespace

class tst_Mime : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();

    void attachmentValue();
    void parameterEncoding_data();
    void parameterEncoding();
    void longNameContinuations();
    void parseMediaType_data();
    void parseMediaType();
    void foldParameters();
    void boundaries();
    void contentTypeGuessing_data();
    void contentTypeGuessing();

    void textOnly();
    void emptyMessage();
    void htmlOnly();
    void textAndHtml();
    void fullStructure();
    void attachmentsOnly();
    void inlineWithoutHtml();
    void textEncodings_data();
    void textEncodings();
    void longSingleLine();
    void boundaryCollision();
    void attachmentHeaders();
    void messageRfc822();

    void errors();
    void streamMatchesRender_data();
    void streamMatchesRender();
    void seeking();
    void independentDevices();
    void fileChangedWhileSending();
    void largeFileBoundedMemory();
    void pythonParser();

private:
    QTemporaryDir m_dir;
    QString m_python;
};

void tst_Mime::initTestCase()
{
    QVERIFY(m_dir.isValid());
    if (QFileInfo::exists(QStringLiteral("/usr/bin/python3")))
        m_python = QStringLiteral("/usr/bin/python3");
}

void tst_Mime::attachmentValue()
{
    SsmtpAttachment a(QStringLiteral("/tmp/some dir/Grüße & Co.pdf"));
    QVERIFY(a.isFile());
    QCOMPARE(a.effectiveName(), QStringLiteral("Grüße & Co.pdf"));
    QCOMPARE(a.effectiveDisposition(), SsmtpAttachment::AttachmentDisposition);
    a.setName(QStringLiteral("shown.pdf"));
    QCOMPARE(a.effectiveName(), QStringLiteral("shown.pdf"));
    a.setContentId(QStringLiteral(" <logo@example.org> "));
    QCOMPARE(a.contentId(), QStringLiteral("logo@example.org"));
    QCOMPARE(a.effectiveDisposition(), SsmtpAttachment::InlineDisposition);
    a.setDisposition(SsmtpAttachment::AttachmentDisposition);
    QCOMPARE(a.effectiveDisposition(), SsmtpAttachment::AttachmentDisposition);

    const SsmtpAttachment d =
        SsmtpAttachment::fromData("abc", QStringLiteral("x.txt"), QStringLiteral("text/plain"));
    QVERIFY(!d.isFile());
    QCOMPARE(d.data(), QByteArray("abc"));
    QCOMPARE(d.effectiveName(), QStringLiteral("x.txt"));
    QCOMPARE(SsmtpAttachment::fromData("abc", QString()).effectiveName(), QString());

    // Value type: copies compare equal, QVariant round trip, gadget properties.
    const QVariant v = QVariant::fromValue(d);
    QCOMPARE(v.value<SsmtpAttachment>(), d);
    QVERIFY(v.value<SsmtpAttachment>() != a);
    const QMetaObject &mo = SsmtpAttachment::staticMetaObject;
    QVERIFY(mo.indexOfProperty("fileName") >= 0);
    QVERIFY(mo.indexOfProperty("contentId") >= 0);
    QVERIFY(mo.indexOfEnumerator("Disposition") >= 0);
}

void tst_Mime::parameterEncoding_data()
{
    QTest::addColumn<QString>("value");
    QTest::addColumn<QByteArray>("expected");
    QTest::newRow("ascii") << QStringLiteral("report.pdf") << QByteArray("filename=\"report.pdf\"");
    QTest::newRow("spaces") << QStringLiteral("my report.pdf")
                            << QByteArray("filename=\"my report.pdf\"");
    QTest::newRow("quotes, semicolons, backslash")
        << QStringLiteral("a \"b\"; c\\d.txt")
        << QByteArray("filename=\"a \\\"b\\\"; c\\\\d.txt\"");
    QTest::newRow("umlauts") << QStringLiteral("Grüße & Co.pdf")
                             << QByteArray("filename*=UTF-8''Gr%C3%BC%C3%9Fe%20&%20Co.pdf");
    QTest::newRow("encoded-word lookalike")
        << QStringLiteral("=?UTF-8?Q?x?=.txt")
        << QByteArray("filename*=UTF-8''%3D%3FUTF-8%3FQ%3Fx%3F%3D.txt");
    QTest::newRow("tab") << QStringLiteral("a\tb") << QByteArray("filename*=UTF-8''a%09b");
    QTest::newRow("percent and star")
        << QStringLiteral("100%*ü") << QByteArray("filename*=UTF-8''100%25%2A%C3%BC");
    QTest::newRow("empty") << QString() << QByteArray("filename=\"\"");
}

void tst_Mime::parameterEncoding()
{
    QFETCH(QString, value);
    QFETCH(QByteArray, expected);
    const QList<QByteArray> p = encodeMimeParameter("filename", value);
    QCOMPARE(p.size(), 1);
    QCOMPARE(p.first(), expected);
}

void tst_Mime::longNameContinuations()
{
    // 120 CJK characters: 1080 octets percent-encoded, far over one line.
    QString name;
    for (int i = 0; i < 120; ++i)
        name += QChar(0x4E00 + i);
    name += QStringLiteral(".txt");
    const QList<QByteArray> p = encodeMimeParameter("filename", name);
    QVERIFY(p.size() > 10);
    QByteArray joined;
    for (int i = 0; i < p.size(); ++i) {
        const QByteArray prefix = "filename*" + QByteArray::number(i) + "*=";
        QVERIFY2(p.at(i).startsWith(prefix), p.at(i).constData());
        QVERIFY(1 + p.at(i).size() + 1 <= 78);
        QByteArray seg = p.at(i).mid(prefix.size());
        if (i == 0) {
            QVERIFY(seg.startsWith("UTF-8''"));
            seg = seg.mid(7);
        }
        // Segments end on whole characters: each decodes to valid UTF-8 on its own.
        const QByteArray bytes = QByteArray::fromPercentEncoding(seg);
        QCOMPARE(QString::fromUtf8(bytes).toUtf8(), bytes);
        joined += bytes;
    }
    QCOMPARE(QString::fromUtf8(joined), name);

    // A long ASCII name stays one quoted string (up to 900 characters).
    const QString ascii(300, QLatin1Char('a'));
    QCOMPARE(encodeMimeParameter("filename", ascii).size(), 1);
    const QString tooLong(1000, QLatin1Char('a'));
    QVERIFY(encodeMimeParameter("filename", tooLong).size() > 1);
}

void tst_Mime::parseMediaType_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<QByteArray>("type");
    QTest::addColumn<QByteArrayList>("params");
    QTest::newRow("simple") << QStringLiteral("Image/PNG") << true << QByteArray("image/png")
                            << QByteArrayList();
    QTest::newRow("params") << QStringLiteral("text/calendar; method=REQUEST ; charset=\"UTF-8\";")
                            << true << QByteArray("text/calendar")
                            << QByteArrayList{"method=REQUEST", "charset=\"UTF-8\""};
    QTest::newRow("quoted semicolon") << QStringLiteral("a/b; x=\"1;2\"") << true
                                      << QByteArray("a/b") << QByteArrayList{"x=\"1;2\""};
    QTest::newRow("no subtype") << QStringLiteral("image") << false << QByteArray()
                                << QByteArrayList();
    QTest::newRow("space in type")
        << QStringLiteral("image/p ng") << false << QByteArray() << QByteArrayList();
    QTest::newRow("line break") << QStringLiteral("text/plain\r\nBcc: x") << false << QByteArray()
                                << QByteArrayList();
    QTest::newRow("non-ascii") << QStringLiteral("text/plä") << false << QByteArray()
                               << QByteArrayList();
    QTest::newRow("bad param") << QStringLiteral("text/plain; =x") << false << QByteArray()
                               << QByteArrayList();
    QTest::newRow("unterminated quote")
        << QStringLiteral("text/plain; a=\"x") << false << QByteArray() << QByteArrayList();
}

void tst_Mime::parseMediaType()
{
    QFETCH(QString, text);
    QFETCH(bool, valid);
    QFETCH(QByteArray, type);
    QFETCH(QByteArrayList, params);
    const MediaType m = ssmtp::message::parseMediaType(text);
    QCOMPARE(m.valid, valid);
    if (valid) {
        QCOMPARE(m.type, type);
        QCOMPARE(m.parameters, params);
    }
}

void tst_Mime::foldParameters()
{
    HeaderEncoding enc;
    enc.maxLineLength = 78;
    const QByteArray short1 =
        foldParameterHeader("Content-Disposition", "attachment", {"filename=\"a b.pdf\""}, enc);
    QCOMPARE(short1, QByteArray("Content-Disposition: attachment; filename=\"a b.pdf\""));
    const QByteArray longName = "filename=\"" + QByteArray(70, 'x') + " y\"";
    const QByteArray folded =
        foldParameterHeader("Content-Disposition", "attachment", {longName, "size=3"}, enc);
    QCOMPARE(folded, "Content-Disposition: attachment;\r\n " + longName + ";\r\n size=3");
}

void tst_Mime::boundaries()
{
    QSet<QByteArray> seen;
    for (int i = 0; i < 50; ++i) {
        const QByteArray b = generateBoundary();
        QVERIFY(b.startsWith("=_"));
        QCOMPARE(b.size(), 34);
        for (const char c : b.mid(2))
            QVERIFY(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_');
        QVERIFY(!seen.contains(b));
        seen.insert(b);
    }
}

void tst_Mime::contentTypeGuessing_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QByteArray>("data");
    QTest::addColumn<QByteArray>("expected");
    const QByteArray png = QByteArray::fromHex("89504E470D0A1A0A0000000D49484452");
    QTest::newRow("pdf") << QStringLiteral("Grüße & Co.pdf") << QByteArray()
                         << QByteArray("application/pdf");
    QTest::newRow("png") << QStringLiteral("x.PNG") << QByteArray() << QByteArray("image/png");
    QTest::newRow("jpeg") << QStringLiteral("photo.jpg") << QByteArray()
                          << QByteArray("image/jpeg");
    QTest::newRow("txt") << QStringLiteral("notes.txt") << QByteArray() << QByteArray("text/plain");
    QTest::newRow("html") << QStringLiteral("page.html") << QByteArray() << QByteArray("text/html");
    QTest::newRow("unknown") << QStringLiteral("data.zzqqxx") << QByteArray()
                             << QByteArray("application/octet-stream");
    QTest::newRow("no name") << QString() << QByteArray() << QByteArray("application/octet-stream");
    QTest::newRow("sniffed png") << QString() << png << QByteArray("image/png");
    QTest::newRow("name wins") << QStringLiteral("a.pdf") << png << QByteArray("application/pdf");
    QTest::newRow("bin is octet-stream")
        << QStringLiteral("a.bin") << QByteArray("text") << QByteArray("application/octet-stream");
    QTest::newRow("no extension, text")
        << QStringLiteral("notes") << QByteArray("hello") << QByteArray("text/plain");
    QTest::newRow("binary noise") << QStringLiteral("blob")
                                  << QByteArray::fromHex("00FF00FE01020304")
                                  << QByteArray("application/octet-stream");
}

void tst_Mime::contentTypeGuessing()
{
    QFETCH(QString, name);
    QFETCH(QByteArray, data);
    QFETCH(QByteArray, expected);
    QCOMPARE(guessMimeType(name, data), expected);
}

void tst_Mime::textOnly()
{
    MimeWriter w({QStringLiteral("Hello\nWorld"), QString(), {}}, fixedBoundaries());
    QVERIFY2(w.prepare(), qPrintable(w.errorString()));
    const QList<QPair<QByteArray, QByteArray>> expectedHeaders{
        {"MIME-Version", "1.0"},
        {"Content-Type", "text/plain; charset=UTF-8"},
        {"Content-Transfer-Encoding", "7bit"}};
    QCOMPARE(w.headers(), expectedHeaders);
    QCOMPARE(w.contentHeaders().size(), 2);
    QCOMPARE(w.renderBody(), QByteArray("Hello\r\nWorld\r\n"));
    QCOMPARE(w.size(), 14);
    QVERIFY(!w.hasEightBit());
    QVERIFY(!w.hasFileSources());
    QCOMPARE(w.renderEntity(),
             QByteArray("Content-Type: text/plain; charset=UTF-8\r\n"
                        "Content-Transfer-Encoding: 7bit\r\n\r\nHello\r\nWorld\r\n"));
}

void tst_Mime::emptyMessage()
{
    MimeWriter w(MimeContent{}, fixedBoundaries());
    QVERIFY(w.prepare());
    QCOMPARE(headerValue(w, "Content-Type"), QByteArray("text/plain; charset=UTF-8"));
    QCOMPARE(w.size(), 0);
    QCOMPARE(w.renderBody(), QByteArray());
    std::unique_ptr<QIODevice> d(w.createBodyDevice());
    QVERIFY(d->isOpen());
    QVERIFY(d->atEnd());
    QCOMPARE(d->readAll(), QByteArray());
}

void tst_Mime::htmlOnly()
{
    MimeWriter w({QString(), QStringLiteral("<p>Hi</p>\n"), {}}, fixedBoundaries());
    QVERIFY(w.prepare());
    QCOMPARE(headerValue(w, "Content-Type"), QByteArray("text/html; charset=UTF-8"));
    QCOMPARE(w.renderBody(), QByteArray("<p>Hi</p>\r\n"));
}

void tst_Mime::textAndHtml()
{
    MimeWriter w({QStringLiteral("Hello"), QStringLiteral("<p>Hello</p>"), {}}, fixedBoundaries());
    QVERIFY(w.prepare());
    QCOMPARE(headerValue(w, "Content-Type"),
             QByteArray("multipart/alternative; boundary=\"=_b1\""));
    QCOMPARE(headerValue(w, "Content-Transfer-Encoding"), QByteArray());
    QCOMPARE(w.renderBody(), QByteArray("--=_b1\r\n"
                                        "Content-Type: text/plain; charset=UTF-8\r\n"
                                        "Content-Transfer-Encoding: 7bit\r\n"
                                        "\r\n"
                                        "Hello\r\n"
                                        "--=_b1\r\n"
                                        "Content-Type: text/html; charset=UTF-8\r\n"
                                        "Content-Transfer-Encoding: 7bit\r\n"
                                        "\r\n"
                                        "<p>Hello</p>\r\n"
                                        "--=_b1--\r\n"));
}

void tst_Mime::fullStructure()
{
    MimeContent c;
    c.text = QStringLiteral("Hello");
    c.html = QStringLiteral("<img src=\"cid:logo@x\">");
    SsmtpAttachment logo = SsmtpAttachment::fromData("PNGDATA", QStringLiteral("logo.png"));
    logo.setContentId(QStringLiteral("logo@x"));
    c.attachments = {logo, SsmtpAttachment::fromData("%PDF", QStringLiteral("r.pdf"))};
    MimeWriter w(c, fixedBoundaries());
    QVERIFY(w.prepare());
    QCOMPARE(headerValue(w, "Content-Type"), QByteArray("multipart/mixed; boundary=\"=_b1\""));
    const QByteArray expected =
        "--=_b1\r\n"
        "Content-Type: multipart/alternative; boundary=\"=_b2\"\r\n"
        "\r\n"
        "--=_b2\r\n"
        "Content-Type: text/plain; charset=UTF-8\r\n"
        "Content-Transfer-Encoding: 7bit\r\n"
        "\r\n"
        "Hello\r\n"
        "--=_b2\r\n"
        "Content-Type: multipart/related; type=\"text/html\"; boundary=\"=_b3\"\r\n"
        "\r\n"
        "--=_b3\r\n"
        "Content-Type: text/html; charset=UTF-8\r\n"
        "Content-Transfer-Encoding: 7bit\r\n"
        "\r\n"
        "<img src=\"cid:logo@x\">\r\n"
        "--=_b3\r\n"
        "Content-Type: image/png; name=\"logo.png\"\r\n"
        "Content-Transfer-Encoding: base64\r\n"
        "Content-Disposition: inline; filename=\"logo.png\"\r\n"
        "Content-ID: <logo@x>\r\n"
        "\r\n"
        "UE5HREFUQQ==\r\n"
        "--=_b3--\r\n"
        "--=_b2--\r\n"
        "--=_b1\r\n"
        "Content-Type: application/pdf; name=\"r.pdf\"\r\n"
        "Content-Transfer-Encoding: base64\r\n"
        "Content-Disposition: attachment; filename=\"r.pdf\"\r\n"
        "\r\n"
        "JVBERg==\r\n"
        "--=_b1--\r\n";
    QCOMPARE(w.renderBody(), expected);
    QCOMPARE(w.size(), expected.size());

    // HTML with an inline image but no plain text: related at the top.
    c.text.clear();
    c.attachments.removeLast();
    MimeWriter r(c, fixedBoundaries());
    QVERIFY(r.prepare());
    QCOMPARE(headerValue(r, "Content-Type"),
             QByteArray("multipart/related; type=\"text/html\"; boundary=\"=_b1\""));
}

void tst_Mime::attachmentsOnly()
{
    MimeContent c;
    c.attachments = {SsmtpAttachment::fromData("a", QStringLiteral("a.bin"))};
    MimeWriter w(c, fixedBoundaries());
    QVERIFY(w.prepare());
    QCOMPARE(headerValue(w, "Content-Type"), QByteArray("multipart/mixed; boundary=\"=_b1\""));
    const QByteArray body = w.renderBody();
    QVERIFY(
        body.startsWith("--=_b1\r\nContent-Type: application/octet-stream; name=\"a.bin\"\r\n"));
    QCOMPARE(body.count("--=_b1"), 2); // one part, then the close delimiter
    QVERIFY(!body.contains("text/plain"));
}

void tst_Mime::inlineWithoutHtml()
{
    MimeContent c;
    c.text = QStringLiteral("see picture");
    SsmtpAttachment img = SsmtpAttachment::fromData("x", QStringLiteral("p.png"));
    img.setContentId(QStringLiteral("p1"));
    c.attachments = {img};
    MimeWriter w(c, fixedBoundaries());
    QVERIFY(w.prepare());
    QCOMPARE(headerValue(w, "Content-Type"), QByteArray("multipart/mixed; boundary=\"=_b1\""));
    const QByteArray body = w.renderBody();
    QVERIFY(
        body.contains("Content-Disposition: inline; filename=\"p.png\"\r\nContent-ID: <p1>\r\n"));
    QVERIFY(!body.contains("multipart/related"));
}

void tst_Mime::textEncodings_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("allow8bit");
    QTest::addColumn<QByteArray>("cte");
    QTest::addColumn<QByteArray>("body");
    QTest::newRow("ascii") << QStringLiteral("a=b\r\n.dot") << false << QByteArray("7bit")
                           << QByteArray("a=b\r\n.dot\r\n");
    QTest::newRow("umlaut qp") << QStringLiteral("Grüße from the team") << false
                               << QByteArray("quoted-printable")
                               << QByteArray("Gr=C3=BC=C3=9Fe from the team\r\n");
    QTest::newRow("mostly non-ascii base64")
        << QStringLiteral("Grüße") << false << QByteArray("base64")
        << QByteArray("R3LDvMOfZQ==\r\n");
    QTest::newRow("umlaut 8bit") << QStringLiteral("Grüße") << true << QByteArray("8bit")
                                 << QStringLiteral("Grüße\r\n").toUtf8();
    QTest::newRow("cyrillic base64") << QStringLiteral("Привет") << false << QByteArray("base64")
                                     << QByteArray("0J/RgNC40LLQtdGC\r\n");
    QTest::newRow("bare CR normalised")
        << QStringLiteral("a\rb") << false << QByteArray("7bit") << QByteArray("a\r\nb\r\n");
    QTest::newRow("NUL forces qp")
        << QString(QStringLiteral("a") + QChar(0) + QStringLiteral("b")) << true
        << QByteArray("quoted-printable") << QByteArray("a=00b\r\n");
}

void tst_Mime::textEncodings()
{
    QFETCH(QString, text);
    QFETCH(bool, allow8bit);
    QFETCH(QByteArray, cte);
    QFETCH(QByteArray, body);
    MimeOptions o;
    o.allow8bit = allow8bit;
    MimeWriter w({text, QString(), {}}, o);
    QVERIFY(w.prepare());
    QCOMPARE(headerValue(w, "Content-Transfer-Encoding"), cte);
    QCOMPARE(w.renderBody(), body);
    QCOMPARE(w.hasEightBit(), cte == "8bit");
}

void tst_Mime::longSingleLine()
{
    // 10 KB on one line: never sent as is, not even with 8BITMIME.
    const QString line(10 * 1024, QLatin1Char('x'));
    for (const bool allow8bit : {false, true}) {
        MimeOptions o = fixedBoundaries();
        o.allow8bit = allow8bit;
        MimeWriter w({line, QStringLiteral("<p>") + line + QStringLiteral("ü</p>"), {}}, o);
        QVERIFY(w.prepare());
        const QByteArray body = w.renderBody();
        QString why;
        QVERIFY2(checkLines(body, &why, 76), qPrintable(why));
        QVERIFY(!body.contains("Content-Transfer-Encoding: 7bit"));
        QVERIFY(!body.contains("Content-Transfer-Encoding: 8bit"));
    }
    // A lower limit: 100-octet lines need quoted-printable when maxLineLength is 78.
    MimeOptions o;
    o.maxLineLength = 78;
    MimeWriter w({QString(100, QLatin1Char('y')), QString(), {}}, o);
    QVERIFY(w.prepare());
    QCOMPARE(headerValue(w, "Content-Transfer-Encoding"), QByteArray("quoted-printable"));
    o.maxLineLength = 998;
    MimeWriter w2({QString(998, QLatin1Char('y')), QString(), {}}, o);
    QVERIFY(w2.prepare());
    QCOMPARE(headerValue(w2, "Content-Transfer-Encoding"), QByteArray("7bit"));
    MimeWriter w3({QString(999, QLatin1Char('y')), QString(), {}}, o);
    QVERIFY(w3.prepare());
    QCOMPARE(headerValue(w3, "Content-Transfer-Encoding"), QByteArray("quoted-printable"));
}

void tst_Mime::boundaryCollision()
{
    MimeOptions o;
    int calls = 0;
    o.boundaryGenerator = [&calls] {
        ++calls;
        return calls <= 2 ? QByteArray("=_fixed") : "=_other" + QByteArray::number(calls);
    };
    MimeWriter w({QStringLiteral("line\n--=_fixed\nmore"), QStringLiteral("<p>x</p>"), {}}, o);
    QVERIFY(w.prepare());
    QCOMPARE(headerValue(w, "Content-Type"),
             QByteArray("multipart/alternative; boundary=\"=_other3\""));
    QCOMPARE(calls, 3);

    // Nested boundaries are distinct and not prefixes of each other.
    MimeOptions same;
    same.boundaryGenerator = [] { return QByteArray("=_same"); };
    MimeContent c{QStringLiteral("t"),
                  QStringLiteral("h"),
                  {SsmtpAttachment::fromData("d", QStringLiteral("d.bin"))}};
    MimeWriter n(c, same);
    QVERIFY(n.prepare()); // falls back to random boundaries after 16 rejections
    QCOMPARE(n.root().boundary, QByteArray("=_same"));
    const QByteArray inner = n.root().children.first().boundary;
    QVERIFY(inner.startsWith("=_") && inner.size() == 34);
}

void tst_Mime::attachmentHeaders()
{
    MimeContent c;
    SsmtpAttachment umlaut = SsmtpAttachment::fromData("x", QStringLiteral("Grüße & Co.pdf"));
    SsmtpAttachment quoted = SsmtpAttachment::fromData("x", QStringLiteral("a \"b\"; c.txt"),
                                                       QStringLiteral("Text/Plain; charset=UTF-8"));
    SsmtpAttachment calendar =
        SsmtpAttachment::fromData("x", QStringLiteral("invite.ics"),
                                  QStringLiteral("text/calendar; method=REQUEST; name=\"x.ics\""));
    SsmtpAttachment noName = SsmtpAttachment::fromData(QByteArray::fromHex("0001FF"), QString());
    SsmtpAttachment forcedAttachment = SsmtpAttachment::fromData("x", QStringLiteral("i.gif"));
    forcedAttachment.setContentId(QStringLiteral("<gif1>"));
    forcedAttachment.setDisposition(SsmtpAttachment::AttachmentDisposition);
    c.attachments = {umlaut, quoted, calendar, noName, forcedAttachment};
    MimeWriter w(c, fixedBoundaries());
    QVERIFY(w.prepare());
    const QByteArray body = w.renderBody();
    QVERIFY2(
        body.contains("Content-Type: application/pdf; name*=UTF-8''Gr%C3%BC%C3%9Fe%20&%20Co.pdf\r\n"
                      "Content-Transfer-Encoding: base64\r\n"
                      "Content-Disposition: attachment;\r\n"
                      " filename*=UTF-8''Gr%C3%BC%C3%9Fe%20&%20Co.pdf\r\n"),
        body.constData());
    QVERIFY(body.contains("Content-Type: text/plain; charset=UTF-8; name=\"a \\\"b\\\"; c.txt\"\r\n"
                          "Content-Transfer-Encoding: base64\r\n"
                          "Content-Disposition: attachment; filename=\"a \\\"b\\\"; c.txt\"\r\n"));
    // An application's name parameter is kept, not duplicated.
    QVERIFY(body.contains("Content-Type: text/calendar; method=REQUEST; name=\"x.ics\"\r\n"));
    QVERIFY(body.contains("Content-Type: application/octet-stream\r\n"
                          "Content-Transfer-Encoding: base64\r\n"
                          "Content-Disposition: attachment\r\n\r\nAAH/\r\n"));
    QVERIFY(body.contains("Content-Disposition: attachment; filename=\"i.gif\"\r\n"
                          "Content-ID: <gif1>\r\n"));
    QString why;
    QVERIFY2(checkLines(body, &why, 78), qPrintable(why));
}

void tst_Mime::messageRfc822()
{
    const QByteArray forwarded = "From: x@example.org\nSubject: hi\n\nbody line\n";
    const QString path = m_dir.filePath(QStringLiteral("fwd.eml"));
    QVERIFY(writeFile(path, forwarded));
    MimeContent c;
    c.text = QStringLiteral("see attached");
    c.attachments = {SsmtpAttachment::fromData(forwarded, QStringLiteral("mem.eml"),
                                               QStringLiteral("message/rfc822")),
                     SsmtpAttachment(path, QStringLiteral("message/rfc822")),
                     SsmtpAttachment::fromData("Subject: \xC3\xBC\n\nx", QStringLiteral("8bit.eml"),
                                               QStringLiteral("message/rfc822"))};
    MimeWriter w(c, fixedBoundaries());
    QVERIFY(w.prepare());
    QVERIFY(w.hasFileSources());
    const QByteArray body = w.renderBody();
    const QByteArray normalised = "From: x@example.org\r\nSubject: hi\r\n\r\nbody line\r\n";
    QVERIFY(
        body.contains(QByteArray("Content-Type: message/rfc822; name=\"mem.eml\"\r\n"
                                 "Content-Transfer-Encoding: 7bit\r\n"
                                 "Content-Disposition: attachment; filename=\"mem.eml\"\r\n\r\n" +
                                 normalised + "\r\n--=_b1\r\n")));
    QVERIFY(
        body.contains(QByteArray("Content-Type: message/rfc822; name=\"fwd.eml\"\r\n"
                                 "Content-Transfer-Encoding: 7bit\r\n"
                                 "Content-Disposition: attachment; filename=\"fwd.eml\"\r\n\r\n" +
                                 normalised + "\r\n--=_b1\r\n")));
    // 8-bit content without 8BITMIME cannot be message/rfc822: opaque base64 instead.
    QVERIFY(body.contains("Content-Type: application/octet-stream; name=\"8bit.eml\"\r\n"
                          "Content-Transfer-Encoding: base64\r\n"));
    QCOMPARE(body.size(), w.size());
    std::unique_ptr<QIODevice> d(w.createBodyDevice());
    QCOMPARE(readInPieces(d.get(), 7), body);

    MimeOptions eight = fixedBoundaries();
    eight.allow8bit = true;
    MimeWriter w8(c, eight);
    QVERIFY(w8.prepare());
    QVERIFY(w8.hasEightBit());
    QCOMPARE(headerValue(w8, "Content-Transfer-Encoding"), QByteArray("8bit"));
    QVERIFY(w8.renderBody().contains("Content-Type: message/rfc822; name=\"8bit.eml\"\r\n"
                                     "Content-Transfer-Encoding: 8bit\r\n"));
}

void tst_Mime::errors()
{
    const QString missing = m_dir.filePath(QStringLiteral("does-not-exist.pdf"));
    MimeWriter w({QStringLiteral("x"), QString(), {SsmtpAttachment(missing)}});
    QVERIFY(!w.prepare());
    QCOMPARE(w.error(), 302);
    QVERIFY2(w.errorString().contains(missing), qPrintable(w.errorString()));
    QCOMPARE(w.size(), -1);
    QVERIFY(w.headers().isEmpty());
    QVERIFY(w.createBodyDevice() == nullptr);

    MimeWriter dir({QString(), QString(), {SsmtpAttachment(m_dir.path())}});
    QVERIFY(!dir.prepare());
    QCOMPARE(dir.error(), 302);
    QVERIFY(dir.errorString().contains(m_dir.path()));

    const QString locked = m_dir.filePath(QStringLiteral("locked.bin"));
    QVERIFY(writeFile(locked, "secret"));
    QFile::setPermissions(locked, QFileDevice::Permissions());
    QFile probe(locked);
    if (!probe.open(QIODevice::ReadOnly)) { // root can read anyway
        MimeWriter u({QString(), QString(), {SsmtpAttachment(locked)}});
        QVERIFY(!u.prepare());
        QCOMPARE(u.error(), 302);
        QVERIFY(u.errorString().contains(locked));
    }
    probe.close();
    QFile::setPermissions(locked, QFileDevice::ReadOwner | QFileDevice::WriteOwner);

    SsmtpAttachment badType =
        SsmtpAttachment::fromData("x", QStringLiteral("x.bin"), QStringLiteral("not a type"));
    MimeWriter t({QString(), QString(), {badType}});
    QVERIFY(!t.prepare());
    QCOMPARE(t.error(), 170);
    QVERIFY(t.errorString().contains(QStringLiteral("x.bin")));

    SsmtpAttachment injected = SsmtpAttachment::fromData(
        "x", QStringLiteral("x.bin"), QStringLiteral("text/plain\r\nBcc: victim@example.org"));
    MimeWriter i({QString(), QString(), {injected}});
    QVERIFY(!i.prepare());
    QCOMPARE(i.error(), 170);

    SsmtpAttachment badId = SsmtpAttachment::fromData("x", QStringLiteral("x.png"));
    badId.setContentId(QStringLiteral("a b"));
    MimeWriter id({QString(), QStringLiteral("<p>"), {badId}});
    QVERIFY(!id.prepare());
    QCOMPARE(id.error(), 170);
    QVERIFY(id.errorString().contains(QStringLiteral("a b")));

    // A multipart/* attachment must bring its boundary.
    SsmtpAttachment mp =
        SsmtpAttachment::fromData("x", QStringLiteral("x"), QStringLiteral("multipart/mixed"));
    MimeWriter m({QString(), QString(), {mp}});
    QVERIFY(!m.prepare());
    QCOMPARE(m.error(), 170);

    // The writer recovers once the problem is fixed.
    QVERIFY(writeFile(missing, "now here"));
    QVERIFY(w.prepare());
    QCOMPARE(w.error(), 0);
    QVERIFY(w.errorString().isEmpty());
}

void tst_Mime::streamMatchesRender_data()
{
    QTest::addColumn<qint64>("piece");
    for (const qint64 piece : {1, 7, 4096, 65536, 1000000})
        QTest::addRow("%lld", piece) << piece;
}

void tst_Mime::streamMatchesRender()
{
    QFETCH(qint64, piece);
    const QString path = m_dir.filePath(QStringLiteral("stream.bin"));
    const QByteArray fileData = randomBytes(piece == 1 ? 70001 : 300007, 42);
    QVERIFY(writeFile(path, fileData));
    const QString emptyPath = m_dir.filePath(QStringLiteral("empty.bin"));
    QVERIFY(writeFile(emptyPath, QByteArray()));
    MimeContent c;
    c.text = QStringLiteral("Grüße\nline two");
    c.html = QStringLiteral("<p>Grüße <img src=\"cid:i\"></p>");
    SsmtpAttachment img = SsmtpAttachment::fromData(randomBytes(5000, 1), QStringLiteral("i.png"));
    img.setContentId(QStringLiteral("i"));
    c.attachments = {
        img, SsmtpAttachment(path), SsmtpAttachment(emptyPath),
        SsmtpAttachment::fromData(randomBytes(57 * 3, 2), QStringLiteral("exact.bin"))};
    MimeWriter w(c);
    QVERIFY(w.prepare());
    const QByteArray rendered = w.renderBody();
    QCOMPARE(rendered.size(), w.size());
    std::unique_ptr<QIODevice> d(w.createBodyDevice());
    QCOMPARE(d->size(), w.size());
    QVERIFY(!d->isSequential());
    const QByteArray streamed = readInPieces(d.get(), piece);
    QCOMPARE(streamed.size(), rendered.size());
    QVERIFY(streamed == rendered);
    QVERIFY(d->atEnd());
    QCOMPARE(d->read(1), QByteArray());
    QString why;
    QVERIFY2(checkLines(rendered, &why), qPrintable(why));
    // The file's base64 is the reference encoding.
    const QByteArray b64 = fileData.toBase64();
    QByteArray lines;
    for (qsizetype i = 0; i < b64.size(); i += 76)
        lines += b64.mid(i, 76) + "\r\n";
    QVERIFY(rendered.contains(QByteArray("filename=\"stream.bin\"\r\n\r\n" + lines + "--")));
    QVERIFY(rendered.contains("filename=\"empty.bin\"\r\n\r\n\r\n--"));
}

void tst_Mime::seeking()
{
    const QString path = m_dir.filePath(QStringLiteral("seek.bin"));
    QVERIFY(writeFile(path, randomBytes(200000, 7)));
    const QString eml = m_dir.filePath(QStringLiteral("seek.eml"));
    QByteArray emlData;
    for (int i = 0; i < 20000; ++i)
        emlData += "line " + QByteArray::number(i) + '\n';
    QVERIFY(writeFile(eml, emlData));
    MimeContent c{QStringLiteral("text"),
                  QString(),
                  {SsmtpAttachment(path), SsmtpAttachment(eml, QStringLiteral("message/rfc822"))}};
    MimeWriter w(c);
    QVERIFY(w.prepare());
    const QByteArray rendered = w.renderBody();
    std::unique_ptr<QIODevice> d(w.createBodyDevice());
    QRandomGenerator gen(3);
    for (int i = 0; i < 200; ++i) {
        const qint64 pos = gen.bounded(qint64(rendered.size() + 1));
        const qint64 len = gen.bounded(qint64(300));
        QVERIFY(d->seek(pos));
        QCOMPARE(d->pos(), pos);
        QCOMPARE(d->read(len), rendered.mid(pos, len));
    }
    QVERIFY(d->reset());
    QCOMPARE(d->peek(100), rendered.left(100));
    QCOMPARE(d->readAll(), rendered);
    QVERIFY(!d->seek(rendered.size() + 1));
}

void tst_Mime::independentDevices()
{
    const QString path = m_dir.filePath(QStringLiteral("indep.bin"));
    QVERIFY(writeFile(path, randomBytes(100000, 9)));
    QByteArray rendered;
    std::unique_ptr<QIODevice> a;
    std::unique_ptr<QIODevice> b;
    {
        MimeWriter w({QStringLiteral("x"), QString(), {SsmtpAttachment(path)}});
        QVERIFY(w.prepare());
        rendered = w.renderBody();
        a.reset(w.createBodyDevice());
        b.reset(w.createBodyDevice());
    } // the writer is gone; the devices keep working
    QCOMPARE(a->read(1000), rendered.left(1000));
    QCOMPARE(b->readAll(), rendered);
    QCOMPARE(a->readAll(), rendered.mid(1000));
    a->close();
    QVERIFY(!a->isOpen());
    QVERIFY(a->open(QIODevice::ReadOnly));
    QCOMPARE(a->readAll(), rendered);
    QVERIFY(!a->open(QIODevice::WriteOnly));
}

void tst_Mime::fileChangedWhileSending()
{
    const QString path = m_dir.filePath(QStringLiteral("shrinks.bin"));
    QVERIFY(writeFile(path, randomBytes(300000, 5)));
    MimeWriter w({QStringLiteral("x"), QString(), {SsmtpAttachment(path)}});
    QVERIFY(w.prepare());
    const qint64 size = w.size();
    std::unique_ptr<QIODevice> d(w.createBodyDevice());
    QCOMPARE(d->read(100).size(), 100);
    QVERIFY(writeFile(path, randomBytes(1000, 5))); // truncated behind our back
    QByteArray rest;
    qint64 n = 0;
    QByteArray buf(4096, Qt::Uninitialized);
    while ((n = d->read(buf.data(), buf.size())) > 0)
        rest.append(buf.constData(), n);
    QCOMPARE(n, qint64(-1));
    QVERIFY(100 + rest.size() < size);
    QVERIFY2(d->errorString().contains(path), qPrintable(d->errorString()));
    QString error;
    QVERIFY(w.renderBody(&error).isEmpty());
    QVERIFY(error.contains(path));

    // Removed after prepare(): reading fails with the file's name.
    QVERIFY(QFile::remove(path));
    std::unique_ptr<QIODevice> gone(w.createBodyDevice());
    QCOMPARE(readInPieces(gone.get(), 65536).left(11), QByteArray("READ ERROR:"));
    QVERIFY(gone->errorString().contains(path));
}

void tst_Mime::largeFileBoundedMemory()
{
    const qint64 fileSize = 50 * 1024 * 1024 + 13;
    const QString path = m_dir.filePath(QStringLiteral("big.bin"));
    {
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        const QByteArray block = randomBytes(1024 * 1024, 11);
        qint64 written = 0;
        while (written < fileSize) {
            const qint64 n = qMin<qint64>(block.size(), fileSize - written);
            QCOMPARE(f.write(block.constData(), n), n);
            written += n;
        }
    }
    MimeWriter w({QStringLiteral("Hello"), QString(), {SsmtpAttachment(path)}}, fixedBoundaries());
    QVERIFY(w.prepare());
    const QByteArray head = "--=_b1\r\n"
                            "Content-Type: text/plain; charset=UTF-8\r\n"
                            "Content-Transfer-Encoding: 7bit\r\n"
                            "\r\n"
                            "Hello\r\n"
                            "--=_b1\r\n"
                            "Content-Type: application/octet-stream; name=\"big.bin\"\r\n"
                            "Content-Transfer-Encoding: base64\r\n"
                            "Content-Disposition: attachment; filename=\"big.bin\"\r\n"
                            "\r\n";
    const QByteArray tail = "\r\n--=_b1--\r\n";
    QCOMPARE(w.size(), head.size() + base64SegmentSize(fileSize) + tail.size());

    auto *device = qobject_cast<MimeBodyDevice *>(w.createBodyDevice());
    QVERIFY(device);
    std::unique_ptr<QIODevice> owner(device);

    // Expected output, generated independently: head, the file's base64 in 76-character
    // lines, tail; compared piece by piece as the device is read.
    QFile reference(path);
    QVERIFY(reference.open(QIODevice::ReadOnly));
    QByteArray expected = head;
    qint64 referenceRead = 0;
    auto refill = [&] {
        const QByteArray raw = reference.read(57 * 2000);
        referenceRead += raw.size();
        const QByteArray b64 = raw.toBase64();
        for (qsizetype i = 0; i < b64.size(); i += 76) {
            expected += b64.mid(i, 76);
            if (referenceRead < fileSize || i + 76 < b64.size())
                expected += "\r\n";
        }
        if (referenceRead >= fileSize)
            expected += tail;
    };

    const qint64 rssBefore = residentKiB();
    qint64 rssMax = rssBefore;
    qint64 total = 0;
    QByteArray buf(64 * 1024, Qt::Uninitialized);
    QCryptographicHash streamedHash(QCryptographicHash::Sha256);
    for (;;) {
        const qint64 n = device->read(buf.data(), buf.size());
        QVERIFY2(n >= 0, qPrintable(device->errorString()));
        if (n == 0)
            break;
        while (expected.size() < n && referenceRead < fileSize)
            refill();
        QVERIFY(expected.size() >= n);
        if (std::memcmp(expected.constData(), buf.constData(), size_t(n)) != 0)
            QFAIL(qPrintable(QStringLiteral("mismatch in piece at offset %1").arg(total)));
        expected.remove(0, n);
        streamedHash.addData(QByteArrayView(buf.constData(), n));
        total += n;
        if ((total & 0xFFFFF) < n)
            rssMax = qMax(rssMax, residentKiB());
    }
    QCOMPARE(total, w.size());
    QVERIFY(expected.isEmpty());
    QVERIFY(device->atEnd());
    qInfo("max buffered by the device: %lld octets; RSS growth %lld KiB",
          device->maxBufferedBytes(), rssMax - rssBefore);
    QVERIFY(device->maxBufferedBytes() > 0);
    QVERIFY(device->maxBufferedBytes() < 1024 * 1024);
#ifndef SSMTP_TEST_ASAN
    // ASan's quarantine keeps freed blocks resident, so RSS says nothing there.
    if (rssBefore > 0)
        QVERIFY2(rssMax - rssBefore < 40 * 1024, qPrintable(QString::number(rssMax - rssBefore)));
#endif
}

void tst_Mime::pythonParser()
{
    if (m_python.isEmpty())
        QSKIP("/usr/bin/python3 not found");
    const QString script = m_dir.filePath(QStringLiteral("check.py"));
    QVERIFY(writeFile(script, kPythonChecker));

    const QString pdfName = QStringLiteral("Grüße & Co.pdf");
    const QString pdfPath = m_dir.filePath(pdfName);
    const QByteArray pdfData = randomBytes(2 * 1024 * 1024 + 5, 21);
    QVERIFY(writeFile(pdfPath, pdfData));
    QString longName;
    for (int i = 0; i < 60; ++i)
        longName += QChar(0x65E5 + (i % 3));
    longName += QStringLiteral(" ä \"q\"; x.txt");
    const QByteArray textFile = "line 1\nline 2 with a lone LF\r\nend";
    const QByteArray png = QByteArray::fromHex("89504E470D0A1A0A") + randomBytes(3000, 22);
    const QByteArray eml = "From: x@example.org\nSubject: inner\n\ninner body\n";

    MimeContent c;
    c.text = QStringLiteral("Grüße aus Köln\n") + QString(2000, QLatin1Char('x')) +
             QStringLiteral("\n.\nFrom here\n");
    c.html =
        QStringLiteral("<html><body><p>Привет, <b>мир</b></p><img src=\"cid:logo@example.org\">"
                       "</body></html>");
    SsmtpAttachment logo = SsmtpAttachment::fromData(png, QString());
    logo.setContentId(QStringLiteral("logo@example.org"));
    c.attachments = {logo, SsmtpAttachment(pdfPath), SsmtpAttachment::fromData(textFile, longName),
                     SsmtpAttachment::fromData(QByteArray("a;b"), QStringLiteral("a \"b\"; c.csv")),
                     SsmtpAttachment::fromData(eml, QStringLiteral("fwd.eml"),
                                               QStringLiteral("message/rfc822"))};

    for (const bool allow8bit : {false, true}) {
        MimeOptions o;
        o.allow8bit = allow8bit;
        MimeWriter w(c, o);
        QVERIFY2(w.prepare(), qPrintable(w.errorString()));
        const QByteArray message = fullMessage(w);
        QString why;
        QVERIFY2(checkLines(message, &why), qPrintable(why));
        if (!allow8bit) {
            for (const char ch : message)
                QVERIFY(static_cast<unsigned char>(ch) < 0x80);
        }
        const QString msgPath = m_dir.filePath(QStringLiteral("message.eml"));
        QVERIFY(writeFile(msgPath, message));

        QProcess py;
        py.start(m_python, {script, msgPath});
        QVERIFY(py.waitForFinished(60000));
        QCOMPARE(py.exitCode(), 0);
        const QByteArray out = py.readAllStandardOutput();
        QJsonParseError err;
        const QJsonObject result = QJsonDocument::fromJson(out, &err).object();
        QVERIFY2(err.error == QJsonParseError::NoError,
                 QByteArray(out + py.readAllStandardError()).constData());
        QCOMPARE(result.value(QLatin1String("defects")).toArray(), QJsonArray());
        QCOMPARE(result.value(QLatin1String("shape")).toString(),
                 QStringLiteral("multipart/mixed(multipart/alternative(text/plain,"
                                "multipart/related(text/html,image/png)),application/pdf,"
                                "text/plain,text/csv,message/rfc822(text/plain))"));
        const QJsonArray parts = result.value(QLatin1String("parts")).toArray();
        auto sha = [](const QByteArray &d) {
            return QString::fromLatin1(
                QCryptographicHash::hash(d, QCryptographicHash::Sha256).toHex());
        };
        auto part = [&](int i) { return parts.at(i).toObject(); };
        auto str = [&](int i, const char *key) {
            return part(i).value(QLatin1String(key)).toString();
        };

        // walk() order: 0 mixed, 1 alternative, 2 text, 3 related, 4 html, 5 png, 6 pdf,
        // 7 txt, 8 csv, 9 message/rfc822, 10 its text/plain.
        QCOMPARE(parts.size(), 11);
        auto lf = [](QString s) {
            return s.replace(QStringLiteral("\r\n"), QStringLiteral("\n")).trimmed();
        };
        QCOMPARE(lf(str(2, "text")), lf(c.text));
        // The 2000-octet line needs quoted-printable even with 8BITMIME.
        QCOMPARE(str(2, "cte"), QStringLiteral("quoted-printable"));
        QCOMPARE(lf(str(4, "text")), c.html);
        QCOMPARE(str(4, "cte") == QLatin1String("8bit"), allow8bit);
        QCOMPARE(str(5, "cid"), QStringLiteral("<logo@example.org>"));
        QCOMPARE(str(5, "disposition"), QStringLiteral("inline"));
        QCOMPARE(str(5, "sha256"), sha(png));
        QCOMPARE(str(6, "filename"), pdfName);
        QCOMPARE(str(6, "disposition"), QStringLiteral("attachment"));
        QCOMPARE(part(6).value(QLatin1String("size")).toInteger(), pdfData.size());
        QCOMPARE(str(6, "sha256"), sha(pdfData));
        QCOMPARE(str(7, "filename"), longName);
        QCOMPARE(str(7, "sha256"), sha(textFile)); // octets exact, lone LF included
        QCOMPARE(str(8, "filename"), QStringLiteral("a \"b\"; c.csv"));
        QCOMPARE(str(8, "sha256"), sha("a;b"));
        QCOMPARE(str(9, "type"), QStringLiteral("message/rfc822"));
        QCOMPARE(str(9, "filename"), QStringLiteral("fwd.eml"));
        QCOMPARE(str(9, "cte"), QStringLiteral("7bit"));
        QCOMPARE(str(10, "type"), QStringLiteral("text/plain"));
    }
}

QTEST_GUILESS_MAIN(tst_Mime)
#include "tst_mime.moc"
