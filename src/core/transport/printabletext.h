// Text a peer sent (a proxy's reason phrase, a SASL challenge's value), made safe to show in
// an error message: printable ASCII only, bounded, so a hostile peer cannot inject line breaks
// or control sequences into logs and dialogs.
#pragma once

#include <QByteArrayView>
#include <QString>

namespace ssmtp::transport {

inline QString printableText(QByteArrayView text, qsizetype maxLength = 200)
{
    QByteArray out;
    for (char c : text) {
        if (c >= 0x20 && c < 0x7f)
            out += c;
        if (out.size() >= maxLength)
            break;
    }
    return QString::fromLatin1(out.trimmed());
}

} // namespace ssmtp::transport
