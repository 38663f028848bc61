#include "replyparser.h"

#include <QCoreApplication>

namespace ssmtp::protocol {

QString Reply::toString() const
{
    QByteArray joined = raw.join('\n');
    return QString::fromUtf8(joined);
}

QByteArray Reply::text() const
{
    return lines.join('\n');
}

static bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

// "2.1.5 " at the start of text, whose class matches the reply's first digit.
static QByteArray enhancedCodeOf(const QByteArray &text, int code)
{
    qsizetype i = 0;
    const qsizetype n = text.size();
    if (n < 5 || text.at(0) != char('0' + code / 100) || text.at(1) != '.')
        return {};
    i = 2;
    auto digits = [&](int maxDigits) {
        int count = 0;
        while (i < n && isDigit(text.at(i)) && count < maxDigits) {
            ++i;
            ++count;
        }
        return count > 0;
    };
    if (!digits(3) || i >= n || text.at(i) != '.')
        return {};
    ++i;
    if (!digits(3) || (i < n && text.at(i) != ' '))
        return {};
    return text.left(i);
}

ReplyParser::Status ReplyParser::fail(const QString &error)
{
    m_error = error;
    return Status::Error;
}

ReplyParser::Status ReplyParser::next(Reply &reply)
{
    if (!m_error.isEmpty())
        return Status::Error;

    for (;;) {
        const qsizetype eol = m_buffer.indexOf('\n', m_pos);
        if (eol < 0) {
            // A CR at the end may be the first half of a CRLF split across reads: it is not
            // part of the line's length.
            qsizetype pending = m_buffer.size() - m_pos;
            if (pending > 0 && m_buffer.endsWith('\r'))
                --pending;
            if (pending > m_maxLineLength) {
                return fail(QCoreApplication::translate(
                                "Ssmtp", "The server sent a line longer than %1 octets.")
                                .arg(m_maxLineLength));
            }
            // Compact so a long-lived connection does not grow the buffer.
            if (m_pos > 0 && m_pos == m_buffer.size()) {
                m_buffer.clear();
                m_pos = 0;
            }
            return Status::NeedMore;
        }
        qsizetype end = eol;
        if (end > m_pos && m_buffer.at(end - 1) == '\r')
            --end;
        const QByteArray line = m_buffer.mid(m_pos, end - m_pos);
        m_pos = eol + 1;
        if (m_pos == m_buffer.size()) {
            m_buffer.clear();
            m_pos = 0;
        }
        if (line.size() > m_maxLineLength) {
            return fail(QCoreApplication::translate("Ssmtp",
                                                    "The server sent a line longer than %1 octets.")
                            .arg(m_maxLineLength));
        }

        // "DDD", "DDD text" or "DDD-text"; the first digit 2..5 (RFC 5321 4.2).
        const bool shapeOk = line.size() >= 3 && line.at(0) >= '2' && line.at(0) <= '5' &&
                             isDigit(line.at(1)) && isDigit(line.at(2)) &&
                             (line.size() == 3 || line.at(3) == ' ' || line.at(3) == '-');
        if (!shapeOk) {
            return fail(
                QCoreApplication::translate("Ssmtp", "The server sent a malformed reply: %1")
                    .arg(QString::fromLatin1(line.left(80))));
        }
        const int code = (line.at(0) - '0') * 100 + (line.at(1) - '0') * 10 + (line.at(2) - '0');
        const bool more = line.size() > 3 && line.at(3) == '-';
        const QByteArray text = line.size() > 4 ? line.mid(4) : QByteArray();

        if (m_partial.code != 0 && m_partial.code != code) {
            return fail(QCoreApplication::translate(
                            "Ssmtp", "The server mixed reply codes %1 and %2 in one reply.")
                            .arg(m_partial.code)
                            .arg(code));
        }
        m_partial.code = code;
        m_partial.lines.append(text);
        m_partial.raw.append(line);
        m_partialSize += line.size();
        if (m_partialSize > m_maxReplySize || m_partial.lines.size() > m_maxReplyLines) {
            return fail(QCoreApplication::translate(
                            "Ssmtp", "The server sent a reply larger than %1 octets.")
                            .arg(m_maxReplySize));
        }
        if (more)
            continue;

        m_partial.enhancedCode = enhancedCodeOf(m_partial.lines.first(), code);
        reply = std::move(m_partial);
        m_partial = Reply();
        m_partialSize = 0;
        return Status::Reply;
    }
}

void ReplyParser::clear()
{
    m_buffer.clear();
    m_pos = 0;
    m_partial = Reply();
    m_partialSize = 0;
    m_error.clear();
}

} // namespace ssmtp::protocol
