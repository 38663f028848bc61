#include "httpconnect.h"

#include "printabletext.h"

#include <QCoreApplication>
#include <QHostAddress>
#include <QUrl>

#include <algorithm>

namespace ssmtp::transport::httpconnect {

namespace {

// RFC 9110 5.6.2 token characters.
bool isTokenChar(char c)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return true;
    return QByteArrayView("!#$%&'*+-.^_`|~").contains(c);
}

QByteArray authority(const QString &host, quint16 port)
{
    QHostAddress address;
    QByteArray name;
    if (address.setAddress(host) && address.protocol() == QAbstractSocket::IPv6Protocol)
        name = '[' + address.toString().toLatin1() + ']';
    else
        name = QUrl::toAce(host); // IDN names as A-labels; plain names unchanged
    if (name.isEmpty())
        name = host.toUtf8();
    return name + ':' + QByteArray::number(port);
}

} // namespace

QByteArray request(const QString &host, quint16 port, const QString &user, const QString &password,
                   const QByteArray &extraHeaders)
{
    // A host name with blanks or control characters would split the request (header
    // injection on the proxy connection): refuse to build one.
    for (const QChar c : host) {
        if (c.unicode() <= 0x20 || c.unicode() == 0x7f)
            return {};
    }
    const QByteArray target = authority(host, port);
    QByteArray out = "CONNECT " + target + " HTTP/1.1\r\nHost: " + target + "\r\n";
    const bool ownAuthorization = extraHeaders.toLower().startsWith("proxy-authorization:") ||
                                  extraHeaders.toLower().contains("\nproxy-authorization:");
    if (!user.isEmpty() && !ownAuthorization) {
        // RFC 7617: Basic credentials in UTF-8.
        out += "Proxy-Authorization: Basic " +
               (user + QLatin1Char(':') + password).toUtf8().toBase64() + "\r\n";
    }
    out += extraHeaders;
    out += "\r\n";
    return out;
}

ProxyReply parseResponse(QByteArrayView data)
{
    const QByteArrayView prefix("HTTP/");
    const qsizetype n = qMin(data.size(), prefix.size());
    if (data.first(n) != prefix.first(n)) {
        return ProxyReply::malformed(
            QCoreApplication::translate("Ssmtp", "its answer is not an HTTP response"));
    }
    // The header ends with an empty line; bare LF line ends are tolerated.
    qsizetype end = -1;
    qsizetype length = 0;
    const qsizetype crlf = data.indexOf(QByteArrayView("\r\n\r\n"));
    const qsizetype lf = data.indexOf(QByteArrayView("\n\n"));
    if (crlf >= 0 && (lf < 0 || crlf + 2 <= lf)) {
        end = crlf;
        length = crlf + 4;
    } else if (lf >= 0) {
        end = lf;
        length = lf + 2;
    }
    if (end < 0 && data.size() < MaxResponseHeader)
        return ProxyReply::incomplete();
    if (end < 0 || length > MaxResponseHeader) {
        return ProxyReply::malformed(
            QCoreApplication::translate("Ssmtp", "its response header is longer than %1 bytes")
                .arg(MaxResponseHeader));
    }
    const qsizetype lineEnd = data.indexOf('\n');
    QByteArrayView statusLine = data.first(lineEnd);
    if (statusLine.endsWith('\r'))
        statusLine.chop(1);
    // HTTP-version SP 3DIGIT [SP reason-phrase]
    const qsizetype sp = statusLine.indexOf(' ');
    const QByteArrayView rest = sp < 0 ? QByteArrayView() : statusLine.sliced(sp + 1);
    bool ok = rest.size() >= 3;
    int code = 0;
    for (qsizetype i = 0; ok && i < 3; ++i) {
        const char c = rest.at(i);
        ok = c >= '0' && c <= '9';
        code = code * 10 + (c - '0');
    }
    if (!ok || (rest.size() > 3 && rest.at(3) != ' ')) {
        return ProxyReply::malformed(
            QCoreApplication::translate("Ssmtp", "malformed status line \"%1\"")
                .arg(printableText(statusLine)));
    }
    if (code >= 200 && code < 300)
        return ProxyReply::success(length, code);
    const QString reason = printableText(rest.sliced(3));
    return ProxyReply::refused(code, reason.isEmpty()
                                         ? QString::number(code)
                                         : QString::number(code) + QLatin1Char(' ') + reason);
}

QByteArray normaliseExtraHeaders(const QString &data, QString *error)
{
    QByteArray out;
    const QList<QByteArray> lines = data.toUtf8().replace('\r', '\n').split('\n');
    for (const QByteArray &raw : lines) {
        const QByteArray line = raw.trimmed();
        if (line.isEmpty())
            continue;
        const qsizetype colon = line.indexOf(':');
        const QByteArray name = colon > 0 ? line.left(colon) : QByteArray();
        const bool validName =
            !name.isEmpty() && std::all_of(name.begin(), name.end(), isTokenChar);
        if (!validName) {
            if (error) {
                *error = QCoreApplication::translate(
                             "Ssmtp", "\"%1\" is not a header line of the form \"Name: value\"")
                             .arg(QString::fromUtf8(line));
            }
            return {};
        }
        out += line + "\r\n";
    }
    return out;
}

} // namespace ssmtp::transport::httpconnect
