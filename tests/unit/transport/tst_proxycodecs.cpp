// The proxy handshake codecs as pure functions over bytes: SOCKS4/4A, SOCKS5 (RFC 1928/1929)
// and HTTP CONNECT. Requests are compared octet by octet; replies are parsed whole, cut at
// every length, and with the mail server's greeting glued behind them.
#include "transport/httpconnect.h"
#include "transport/socks4.h"
#include "transport/socks5.h"

#include <QHostAddress>
#include <QTest>

using namespace ssmtp::transport;

Q_DECLARE_METATYPE(ProxyReply::Status)

namespace {

QByteArray hex(const char *text)
{
    return QByteArray::fromHex(QByteArray(text).replace(' ', ""));
}

const QByteArray kGreeting = "220 mail.example ESMTP\r\n";

} // namespace

class tst_ProxyCodecs : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void socks4Request_data();
    void socks4Request();
    void socks4Reply_data();
    void socks4Reply();
    void socks4ReplyTexts();

    void socks5Greeting();
    void socks5MethodReply_data();
    void socks5MethodReply();
    void socks5PasswordRequest_data();
    void socks5PasswordRequest();
    void socks5PasswordReply_data();
    void socks5PasswordReply();
    void socks5ConnectRequest_data();
    void socks5ConnectRequest();
    void socks5ConnectReply_data();
    void socks5ConnectReply();
    void socks5ReplyTexts();

    void httpRequest_data();
    void httpRequest();
    void httpResponse_data();
    void httpResponse();
    void httpResponseSizeLimit();
    void extraHeaders_data();
    void extraHeaders();
};

// ---- SOCKS4 -------------------------------------------------------------------------------

void tst_ProxyCodecs::socks4Request_data()
{
    QTest::addColumn<QString>("target"); // an IPv4 address, or "name:<host>" for 4A
    QTest::addColumn<int>("port");
    QTest::addColumn<QByteArray>("userId");
    QTest::addColumn<QByteArray>("expected");

    QTest::newRow("ip, no user") << QStringLiteral("127.0.0.1") << 25 << QByteArray()
                                 << hex("04 01 0019 7f000001 00");
    QTest::newRow("ip, user") << QStringLiteral("192.0.2.7") << 2525 << QByteArray("bob")
                              << hex("04 01 09dd c0000207 626f62 00");
    QTest::newRow("ip, NUL in user")
        << QStringLiteral("192.0.2.7") << 25 << QByteArray("a\0b", 3) << QByteArray();
    QTest::newRow("4A name") << QStringLiteral("name:mail.example") << 587 << QByteArray("u")
                             << hex("04 01 024b 00000001 75 00 6d61696c2e6578616d706c65 00");
    QTest::newRow("4A empty name") << QStringLiteral("name:") << 25 << QByteArray() << QByteArray();
    QTest::newRow("4A 255 octets")
        << QStringLiteral("name:") + QString(255, QLatin1Char('a')) << 25 << QByteArray()
        << hex("04 01 0019 00000001 00") + QByteArray(255, 'a') + '\0';
    QTest::newRow("4A 256 octets") << QStringLiteral("name:") + QString(256, QLatin1Char('a')) << 25
                                   << QByteArray() << QByteArray();
}

void tst_ProxyCodecs::socks4Request()
{
    QFETCH(QString, target);
    QFETCH(int, port);
    QFETCH(QByteArray, userId);
    QFETCH(QByteArray, expected);
    const QByteArray actual =
        target.startsWith(QLatin1String("name:"))
            ? socks4::connectRequestByName(target.mid(5).toLatin1(), quint16(port), userId)
            : socks4::connectRequest(QHostAddress(target).toIPv4Address(), quint16(port), userId);
    QCOMPARE(actual.toHex(' '), expected.toHex(' '));
}

void tst_ProxyCodecs::socks4Reply_data()
{
    QTest::addColumn<QByteArray>("reply");
    QTest::addColumn<ProxyReply::Status>("status");
    QTest::addColumn<int>("code");

    QTest::newRow("granted") << hex("00 5a 0000 00000000") << ProxyReply::Success << 90;
    QTest::newRow("granted, version 4") << hex("04 5a 1234 7f000001") << ProxyReply::Success << 90;
    QTest::newRow("91") << hex("00 5b 0000 00000000") << ProxyReply::Refused << 91;
    QTest::newRow("92") << hex("00 5c 0000 00000000") << ProxyReply::Refused << 92;
    QTest::newRow("93") << hex("00 5d 0000 00000000") << ProxyReply::Refused << 93;
    QTest::newRow("unknown code") << hex("00 01 0000 00000000") << ProxyReply::Refused << 1;
    QTest::newRow("version 5") << hex("05 5a 0000 00000000") << ProxyReply::Malformed << 0;
    QTest::newRow("HTTP answer") << QByteArray("HTTP/1.1 400 Bad Request\r\n")
                                 << ProxyReply::Malformed << 0;
}

void tst_ProxyCodecs::socks4Reply()
{
    QFETCH(QByteArray, reply);
    QFETCH(ProxyReply::Status, status);
    QFETCH(int, code);
    // Any cut before the 8th octet waits for more.
    for (qsizetype n = 0; n < socks4::ReplyLength; ++n)
        QCOMPARE(socks4::parseReply(reply.left(n)).status, ProxyReply::Incomplete);
    // The greeting behind it is not part of the reply.
    const ProxyReply r = socks4::parseReply(QByteArray(reply + kGreeting));
    QCOMPARE(r.status, status);
    if (status == ProxyReply::Malformed) {
        QVERIFY(!r.text.isEmpty());
        return;
    }
    QCOMPARE(r.code, code);
    if (status == ProxyReply::Success)
        QCOMPARE(r.length, socks4::ReplyLength);
    else
        QCOMPARE(r.text, socks4::replyCodeText(code));
}

void tst_ProxyCodecs::socks4ReplyTexts()
{
    // Each rejection says something of its own.
    const QStringList texts{socks4::replyCodeText(91), socks4::replyCodeText(92),
                            socks4::replyCodeText(93), socks4::replyCodeText(1)};
    for (const QString &t : texts)
        QVERIFY(!t.isEmpty());
    QCOMPARE(QSet<QString>(texts.begin(), texts.end()).size(), texts.size());
    QVERIFY(texts.at(1).contains(QLatin1String("identd")));
}

// ---- SOCKS5 -------------------------------------------------------------------------------

void tst_ProxyCodecs::socks5Greeting()
{
    QCOMPARE(socks5::greeting(false).toHex(), QByteArray("050100"));
    QCOMPARE(socks5::greeting(true).toHex(), QByteArray("05020002"));
}

void tst_ProxyCodecs::socks5MethodReply_data()
{
    QTest::addColumn<QByteArray>("reply");
    QTest::addColumn<bool>("offeredPassword");
    QTest::addColumn<ProxyReply::Status>("status");
    QTest::addColumn<int>("method");

    QTest::newRow("no auth") << hex("0500") << false << ProxyReply::Success << 0;
    QTest::newRow("no auth, password offered") << hex("0500") << true << ProxyReply::Success << 0;
    QTest::newRow("password") << hex("0502") << true << ProxyReply::Success << 2;
    QTest::newRow("password not offered") << hex("0502") << false << ProxyReply::Malformed << 0;
    QTest::newRow("GSSAPI not offered") << hex("0501") << true << ProxyReply::Malformed << 0;
    QTest::newRow("none acceptable") << hex("05ff") << false << ProxyReply::Refused << 255;
    QTest::newRow("none acceptable with password")
        << hex("05ff") << true << ProxyReply::Refused << 255;
    QTest::newRow("version 4") << hex("0400") << false << ProxyReply::Malformed << 0;
}

void tst_ProxyCodecs::socks5MethodReply()
{
    QFETCH(QByteArray, reply);
    QFETCH(bool, offeredPassword);
    QFETCH(ProxyReply::Status, status);
    QFETCH(int, method);
    QCOMPARE(socks5::parseMethodReply(reply.left(1), offeredPassword).status,
             ProxyReply::Incomplete);
    const ProxyReply r = socks5::parseMethodReply(QByteArray(reply + "\x01"), offeredPassword);
    QCOMPARE(r.status, status);
    if (status == ProxyReply::Success) {
        QCOMPARE(r.length, 2);
        QCOMPARE(r.code, method);
    } else {
        QVERIFY(!r.text.isEmpty());
        if (status == ProxyReply::Refused)
            QCOMPARE(r.code, method);
    }
}

void tst_ProxyCodecs::socks5PasswordRequest_data()
{
    QTest::addColumn<QByteArray>("user");
    QTest::addColumn<QByteArray>("password");
    QTest::addColumn<QByteArray>("expected");

    QTest::newRow("alice") << QByteArray("alice") << QByteArray("s3cret")
                           << hex("01 05 616c696365 06 733363726574");
    QTest::newRow("empty password") << QByteArray("a") << QByteArray() << hex("01 01 61 00");
    QTest::newRow("UTF-8") << QString::fromUtf8("Jörg").toUtf8() << QByteArray("x")
                           << hex("01 05 4ac3b67267 01 78");
    QTest::newRow("255") << QByteArray(255, 'u') << QByteArray(255, 'p')
                         << hex("01 ff") + QByteArray(255, 'u') + hex("ff") + QByteArray(255, 'p');
    QTest::newRow("user too long") << QByteArray(256, 'u') << QByteArray("p") << QByteArray();
    QTest::newRow("password too long") << QByteArray("u") << QByteArray(256, 'p') << QByteArray();
    QTest::newRow("no user") << QByteArray() << QByteArray("p") << QByteArray();
}

void tst_ProxyCodecs::socks5PasswordRequest()
{
    QFETCH(QByteArray, user);
    QFETCH(QByteArray, password);
    QFETCH(QByteArray, expected);
    QCOMPARE(socks5::passwordRequest(user, password).toHex(' '), expected.toHex(' '));
}

void tst_ProxyCodecs::socks5PasswordReply_data()
{
    QTest::addColumn<QByteArray>("reply");
    QTest::addColumn<ProxyReply::Status>("status");

    QTest::newRow("accepted") << hex("0100") << ProxyReply::Success;
    QTest::newRow("accepted, version 5") << hex("0500") << ProxyReply::Success;
    QTest::newRow("refused") << hex("0101") << ProxyReply::Refused;
    QTest::newRow("refused 0xff") << hex("01ff") << ProxyReply::Refused;
}

void tst_ProxyCodecs::socks5PasswordReply()
{
    QFETCH(QByteArray, reply);
    QFETCH(ProxyReply::Status, status);
    QCOMPARE(socks5::parsePasswordReply(reply.left(1)).status, ProxyReply::Incomplete);
    const ProxyReply r = socks5::parsePasswordReply(QByteArray(reply + hex("0500")));
    QCOMPARE(r.status, status);
    if (status == ProxyReply::Success)
        QCOMPARE(r.length, 2);
    else
        QVERIFY(r.text.contains(QLatin1String("password")));
}

void tst_ProxyCodecs::socks5ConnectRequest_data()
{
    QTest::addColumn<QString>("target"); // an address, or "name:<host>"
    QTest::addColumn<int>("port");
    QTest::addColumn<QByteArray>("expected");

    QTest::newRow("IPv4") << QStringLiteral("127.0.0.1") << 25 << hex("05010001 7f000001 0019");
    QTest::newRow("IPv6") << QStringLiteral("2001:db8::25") << 465
                          << hex("05010004 20010db8000000000000000000000025 01d1");
    QTest::newRow("IPv4-mapped IPv6")
        << QStringLiteral("::ffff:192.0.2.1") << 25 << hex("05010001 c0000201 0019");
    QTest::newRow("name") << QStringLiteral("name:mail.example") << 587
                          << hex("05010003 0c 6d61696c2e6578616d706c65 024b");
    QTest::newRow("name 255") << QStringLiteral("name:") + QString(255, QLatin1Char('n')) << 25
                              << hex("05010003 ff") + QByteArray(255, 'n') + hex("0019");
    QTest::newRow("name 256") << QStringLiteral("name:") + QString(256, QLatin1Char('n')) << 25
                              << QByteArray();
    QTest::newRow("empty name") << QStringLiteral("name:") << 25 << QByteArray();
}

void tst_ProxyCodecs::socks5ConnectRequest()
{
    QFETCH(QString, target);
    QFETCH(int, port);
    QFETCH(QByteArray, expected);
    const QByteArray actual =
        target.startsWith(QLatin1String("name:"))
            ? socks5::connectRequestByName(target.mid(5).toLatin1(), quint16(port))
            : socks5::connectRequest(QHostAddress(target), quint16(port));
    QCOMPARE(actual.toHex(' '), expected.toHex(' '));
}

void tst_ProxyCodecs::socks5ConnectReply_data()
{
    QTest::addColumn<QByteArray>("reply");
    QTest::addColumn<ProxyReply::Status>("status");
    QTest::addColumn<int>("code");
    QTest::addColumn<QByteArray>("bound");
    QTest::addColumn<int>("boundPort");

    QTest::newRow("IPv4 bound") << hex("05000001 0a000001 1092") << ProxyReply::Success << 0
                                << QByteArray("10.0.0.1") << 4242;
    QTest::newRow("IPv6 bound") << hex("05000004 20010db8000000000000000000000001 0019")
                                << ProxyReply::Success << 0 << QByteArray("2001:db8::1") << 25;
    QTest::newRow("domain bound") << hex("05000003 0b") + "example.org" + hex("1f90")
                                  << ProxyReply::Success << 0 << QByteArray("example.org") << 8080;
    QTest::newRow("empty domain bound")
        << hex("05000003 00 0000") << ProxyReply::Success << 0 << QByteArray() << 0;
    for (int rep = 1; rep <= 9; ++rep) {
        QTest::addRow("REP %d", rep) << hex("05") + char(rep) + hex("0001 00000000 0000")
                                     << ProxyReply::Refused << rep << QByteArray() << 0;
    }
    QTest::newRow("unknown ATYP") << hex("05000002 00000000 0000") << ProxyReply::Malformed << 0
                                  << QByteArray() << 0;
    QTest::newRow("version 4") << hex("04000001 00000000 0000") << ProxyReply::Malformed << 0
                               << QByteArray() << 0;
}

void tst_ProxyCodecs::socks5ConnectReply()
{
    QFETCH(QByteArray, reply);
    QFETCH(ProxyReply::Status, status);
    QFETCH(int, code);
    QFETCH(QByteArray, bound);
    QFETCH(int, boundPort);
    const ProxyReply r = socks5::parseConnectReply(QByteArray(reply + kGreeting));
    QCOMPARE(r.status, status);
    switch (status) {
    case ProxyReply::Success:
        // Exactly the reply, whatever its address form: the greeting stays for the session.
        QCOMPARE(r.length, reply.size());
        QCOMPARE(r.bound, bound);
        QCOMPARE(int(r.boundPort), boundPort);
        for (qsizetype n = 0; n < reply.size(); ++n)
            QCOMPARE(socks5::parseConnectReply(reply.left(n)).status, ProxyReply::Incomplete);
        break;
    case ProxyReply::Refused:
        QCOMPARE(r.code, code);
        QCOMPARE(r.text, socks5::replyCodeText(code));
        break;
    default:
        QVERIFY(!r.text.isEmpty());
        break;
    }
}

void tst_ProxyCodecs::socks5ReplyTexts()
{
    QSet<QString> texts;
    for (int rep = 1; rep <= 9; ++rep)
        texts.insert(socks5::replyCodeText(rep));
    QCOMPARE(texts.size(), 9);
    QCOMPARE(socks5::replyCodeText(2), QStringLiteral("connection not allowed by ruleset"));
    QCOMPARE(socks5::replyCodeText(5), QStringLiteral("connection refused"));
}

// ---- HTTP CONNECT -------------------------------------------------------------------------

void tst_ProxyCodecs::httpRequest_data()
{
    QTest::addColumn<QString>("host");
    QTest::addColumn<int>("port");
    QTest::addColumn<QString>("user");
    QTest::addColumn<QString>("password");
    QTest::addColumn<QByteArray>("extra");
    QTest::addColumn<QByteArray>("expected");

    QTest::newRow("plain") << QStringLiteral("mail.example") << 25 << QString() << QString()
                           << QByteArray()
                           << QByteArray("CONNECT mail.example:25 HTTP/1.1\r\n"
                                         "Host: mail.example:25\r\n\r\n");
    QTest::newRow("basic auth")
        << QStringLiteral("mail.example") << 587 << QStringLiteral("alice")
        << QStringLiteral("s3cret") << QByteArray()
        << QByteArray("CONNECT mail.example:587 HTTP/1.1\r\nHost: mail.example:587\r\n"
                      "Proxy-Authorization: Basic YWxpY2U6czNjcmV0\r\n\r\n");
    QTest::newRow("UTF-8 credentials")
        << QStringLiteral("m.example") << 25 << QString::fromUtf8("Jörg") << QStringLiteral("pw")
        << QByteArray()
        << QByteArray("CONNECT m.example:25 HTTP/1.1\r\nHost: m.example:25\r\n"
                      "Proxy-Authorization: Basic SsO2cmc6cHc=\r\n\r\n");
    QTest::newRow("extra headers")
        << QStringLiteral("mail.example") << 25 << QStringLiteral("a") << QStringLiteral("b")
        << QByteArray("X-Token: 42\r\nUser-Agent: ssmtp\r\n")
        << QByteArray(
               "CONNECT mail.example:25 HTTP/1.1\r\nHost: mail.example:25\r\n"
               "Proxy-Authorization: Basic YTpi\r\nX-Token: 42\r\nUser-Agent: ssmtp\r\n\r\n");
    QTest::newRow("own Proxy-Authorization wins")
        << QStringLiteral("mail.example") << 25 << QStringLiteral("a") << QStringLiteral("b")
        << QByteArray("X-A: 1\r\nProxy-Authorization: Bearer t0k\r\n")
        << QByteArray("CONNECT mail.example:25 HTTP/1.1\r\nHost: mail.example:25\r\n"
                      "X-A: 1\r\nProxy-Authorization: Bearer t0k\r\n\r\n");
    QTest::newRow("IPv6 literal") << QStringLiteral("2001:db8::1") << 25 << QString() << QString()
                                  << QByteArray()
                                  << QByteArray("CONNECT [2001:db8::1]:25 HTTP/1.1\r\n"
                                                "Host: [2001:db8::1]:25\r\n\r\n");
    // A host with CR/LF or blanks would split the request: none is built (the connector then
    // reports error 118 and sends nothing).
    QTest::newRow("CRLF in host refused")
        << QStringLiteral("mail.example\r\nX-Injected: 1") << 25 << QStringLiteral("a")
        << QStringLiteral("b") << QByteArray() << QByteArray();
    QTest::newRow("blank in host refused") << QStringLiteral("mail example") << 25 << QString()
                                           << QString() << QByteArray() << QByteArray();
    QTest::newRow("IDN") << QString::fromUtf8("bücher.example") << 25 << QString() << QString()
                         << QByteArray()
                         << QByteArray("CONNECT xn--bcher-kva.example:25 HTTP/1.1\r\n"
                                       "Host: xn--bcher-kva.example:25\r\n\r\n");
}

void tst_ProxyCodecs::httpRequest()
{
    QFETCH(QString, host);
    QFETCH(int, port);
    QFETCH(QString, user);
    QFETCH(QString, password);
    QFETCH(QByteArray, extra);
    QFETCH(QByteArray, expected);
    QCOMPARE(httpconnect::request(host, quint16(port), user, password, extra), expected);
}

void tst_ProxyCodecs::httpResponse_data()
{
    QTest::addColumn<QByteArray>("response");
    QTest::addColumn<ProxyReply::Status>("status");
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("text"); // Refused: exact; Malformed: a part of it

    QTest::newRow("200") << QByteArray("HTTP/1.1 200 Connection established\r\n\r\n")
                         << ProxyReply::Success << 200 << QString();
    QTest::newRow("200 with headers, HTTP/1.0")
        << QByteArray("HTTP/1.0 200 OK\r\nProxy-Agent: x\r\nVia: 1.1 p\r\n\r\n")
        << ProxyReply::Success << 200 << QString();
    QTest::newRow("204 no reason")
        << QByteArray("HTTP/1.1 204\r\n\r\n") << ProxyReply::Success << 204 << QString();
    QTest::newRow("bare LF") << QByteArray("HTTP/1.1 200 OK\nX: y\n\n") << ProxyReply::Success
                             << 200 << QString();
    QTest::newRow("407") << QByteArray("HTTP/1.1 407 Proxy Authentication Required\r\n"
                                       "Proxy-Authenticate: Basic realm=\"x\"\r\n\r\n")
                         << ProxyReply::Refused << 407
                         << QStringLiteral("407 Proxy Authentication Required");
    QTest::newRow("403") << QByteArray("HTTP/1.1 403 Access violation\r\n\r\n")
                         << ProxyReply::Refused << 403 << QStringLiteral("403 Access violation");
    QTest::newRow("502 no reason") << QByteArray("HTTP/1.1 502\r\n\r\n") << ProxyReply::Refused
                                   << 502 << QStringLiteral("502");
    QTest::newRow("control characters in reason")
        << QByteArray("HTTP/1.1 503 Bad\x01\x1b[31m red\r\n\r\n") << ProxyReply::Refused << 503
        << QStringLiteral("503 Bad[31m red");
    QTest::newRow("not HTTP") << QByteArray("SSH-2.0-OpenSSH_9.2\r\n") << ProxyReply::Malformed << 0
                              << QStringLiteral("not an HTTP response");
    QTest::newRow("SMTP greeting") << QByteArray("220 mail ESMTP\r\n") << ProxyReply::Malformed << 0
                                   << QStringLiteral("not an HTTP response");
    QTest::newRow("bad status") << QByteArray("HTTP/1.1 2x0 OK\r\n\r\n") << ProxyReply::Malformed
                                << 0 << QStringLiteral("status line");
    QTest::newRow("four-digit status")
        << QByteArray("HTTP/1.1 2000 OK\r\n\r\n") << ProxyReply::Malformed << 0
        << QStringLiteral("status line");
}

void tst_ProxyCodecs::httpResponse()
{
    QFETCH(QByteArray, response);
    QFETCH(ProxyReply::Status, status);
    QFETCH(int, code);
    QFETCH(QString, text);
    const ProxyReply r = httpconnect::parseResponse(QByteArray(response + kGreeting));
    QCOMPARE(r.status, status);
    switch (status) {
    case ProxyReply::Success:
        QCOMPARE(r.length, response.size());
        QCOMPARE(r.code, code);
        // Every cut before the blank line waits for more.
        for (qsizetype n = 0; n < response.size() - 1; ++n)
            QCOMPARE(httpconnect::parseResponse(response.left(n)).status, ProxyReply::Incomplete);
        break;
    case ProxyReply::Refused:
        QCOMPARE(r.code, code);
        QCOMPARE(r.text, text);
        break;
    default:
        QVERIFY2(r.text.contains(text), qPrintable(r.text));
        break;
    }
}

void tst_ProxyCodecs::httpResponseSizeLimit()
{
    const qsizetype max = httpconnect::MaxResponseHeader;
    const QByteArray status = "HTTP/1.1 200 OK\r\n";
    // A header of exactly the limit (blank line included) is fine ...
    QByteArray exact = status + "X: ";
    exact += QByteArray(max - exact.size() - 4, 'a') + "\r\n\r\n";
    QCOMPARE(exact.size(), max);
    ProxyReply r = httpconnect::parseResponse(exact);
    QCOMPARE(r.status, ProxyReply::Success);
    QCOMPARE(r.length, max);
    // ... one octet more is not, and neither is an unfinished header at the limit.
    QByteArray over = status + "X: a";
    over += QByteArray(max - over.size() - 3, 'a') + "\r\n\r\n";
    QCOMPARE(over.size(), max + 1);
    r = httpconnect::parseResponse(over);
    QCOMPARE(r.status, ProxyReply::Malformed);
    QVERIFY(r.text.contains(QString::number(max)));
    const QByteArray unfinished = status + QByteArray(max, 'h');
    QCOMPARE(httpconnect::parseResponse(unfinished.left(max - 1)).status, ProxyReply::Incomplete);
    QCOMPARE(httpconnect::parseResponse(unfinished.left(max)).status, ProxyReply::Malformed);
}

void tst_ProxyCodecs::extraHeaders_data()
{
    QTest::addColumn<QString>("data");
    QTest::addColumn<QByteArray>("expected");
    QTest::addColumn<bool>("valid");

    QTest::newRow("empty") << QString() << QByteArray() << true;
    QTest::newRow("one") << QStringLiteral("X-A: 1") << QByteArray("X-A: 1\r\n") << true;
    QTest::newRow("LF separated") << QStringLiteral("X-A: 1\nX-B:2")
                                  << QByteArray("X-A: 1\r\nX-B:2\r\n") << true;
    QTest::newRow("CRLF, blank lines, blanks") << QStringLiteral("\r\n  X-A: 1  \r\n\r\nX-B: 2\r\n")
                                               << QByteArray("X-A: 1\r\nX-B: 2\r\n") << true;
    QTest::newRow("no colon") << QStringLiteral("X-A 1") << QByteArray() << false;
    QTest::newRow("no name") << QStringLiteral(": 1") << QByteArray() << false;
    QTest::newRow("space in name") << QStringLiteral("X A: 1") << QByteArray() << false;
    QTest::newRow("second line bad") << QStringLiteral("X-A: 1\r\nbad") << QByteArray() << false;
}

void tst_ProxyCodecs::extraHeaders()
{
    QFETCH(QString, data);
    QFETCH(QByteArray, expected);
    QFETCH(bool, valid);
    QString error;
    QCOMPARE(httpconnect::normaliseExtraHeaders(data, &error), expected);
    QCOMPARE(error.isEmpty(), valid);
}

QTEST_GUILESS_MAIN(tst_ProxyCodecs)
#include "tst_proxycodecs.moc"
