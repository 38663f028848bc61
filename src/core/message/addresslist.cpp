#include "addresslist.h"

#include <QCoreApplication>

namespace ssmtp::message {

namespace {

bool isWsp(QChar c)
{
    return c == QLatin1Char(' ') || c == QLatin1Char('\t');
}

// atext (RFC 5322 3.2.3) plus UTF8-non-ascii (RFC 6532 3.2).
bool isAtext(QChar c)
{
    const char16_t u = c.unicode();
    if (u >= 0x80)
        return true;
    if ((u >= u'a' && u <= u'z') || (u >= u'A' && u <= u'Z') || (u >= u'0' && u <= u'9'))
        return true;
    return QLatin1String("!#$%&'*+-/=?^_`{|}~").contains(c);
}

bool isForbiddenControl(QChar c)
{
    // C0/C1 controls and DEL, plus the Unicode line/paragraph separators which some
    // software treats as line breaks.
    const auto category = c.category();
    return (category == QChar::Other_Control && c != QLatin1Char('\t')) ||
           category == QChar::Separator_Line || category == QChar::Separator_Paragraph;
}

bool isDotAtom(QStringView text)
{
    if (text.isEmpty() || text.startsWith(QLatin1Char('.')) || text.endsWith(QLatin1Char('.')))
        return false;
    QChar previous;
    for (const QChar c : text) {
        if (c == QLatin1Char('.') ? previous == QLatin1Char('.') : !isAtext(c))
            return false;
        previous = c;
    }
    return true;
}

QString quoteLocalPart(const QString &text)
{
    QString quoted;
    quoted.reserve(text.size() + 2);
    quoted.append(QLatin1Char('"'));
    for (const QChar c : text) {
        if (c == QLatin1Char('"') || c == QLatin1Char('\\'))
            quoted.append(QLatin1Char('\\'));
        quoted.append(c);
    }
    quoted.append(QLatin1Char('"'));
    return quoted;
}

// The input as shown inside an error message: control characters made visible.
QString displayText(QStringView text)
{
    QString shown;
    shown.reserve(text.size());
    for (const QChar c : text) {
        if (c == QLatin1Char('\r'))
            shown.append(QLatin1String("\\r"));
        else if (c == QLatin1Char('\n'))
            shown.append(QLatin1String("\\n"));
        else if (isForbiddenControl(c))
            shown.append(QLatin1String("\\u") +
                         QString::number(c.unicode(), 16).rightJustified(4, QLatin1Char('0')));
        else
            shown.append(c);
    }
    return shown;
}

enum class TokenType {
    Atom,          // run of atext
    Quoted,        // quoted-string; text holds the unescaped content
    DomainLiteral, // "[...]" including the brackets
    Special,       // one of < > : ; @ , .
    End
};

struct Token
{
    TokenType type = TokenType::End;
    QString text;
    qsizetype begin = 0; // position in the input
    qsizetype end = 0;
    bool spaceBefore = false; // whitespace or a comment precedes the token

    bool is(char16_t special) const
    {
        return type == TokenType::Special && text.front().unicode() == special;
    }
};

class Parser
{
public:
    explicit Parser(const QString &text)
        : m_text(text)
    {}

    AddressListResult parse()
    {
        AddressListResult result;
        if (tokenize())
            parseList();
        if (m_error.isEmpty())
            result.mailboxes = std::move(m_mailboxes);
        else
            result.error = std::move(m_error);
        return result;
    }

private:
    // ---- Lexer -------------------------------------------------------------------------

    bool tokenize()
    {
        // Lexing stops at the first forbidden character, wherever it is (inside quotes and
        // comments too); running into that limit reports the character, not "unterminated".
        qsizetype n = 0;
        while (n < m_text.size() && !isForbiddenControl(m_text.at(n)))
            ++n;
        const bool stoppedEarly = n < m_text.size();
        qsizetype elementStart = 0; // after the latest ',' (for error messages)
        auto failLex = [&](const QString &reason) {
            setError(elementStart, m_text.size(), reason);
            return false;
        };
        auto failAtLimit = [&](const QString &reason) {
            if (!stoppedEarly)
                return failLex(reason);
            const QChar c = m_text.at(n);
            return failLex(
                c == QLatin1Char('\r') || c == QLatin1Char('\n')
                    ? QCoreApplication::translate("Ssmtp", "line breaks are not allowed")
                    : QCoreApplication::translate("Ssmtp", "control characters are not allowed"));
        };
        bool space = false;
        qsizetype i = 0;
        while (i < n) {
            const QChar c = m_text.at(i);
            if (isWsp(c)) {
                space = true;
                ++i;
                continue;
            }
            Token token;
            token.begin = i;
            token.spaceBefore = space;
            space = false;
            switch (c.unicode()) {
            case u'(': {
                // Comments nest and may contain quoted-pairs; they only separate tokens.
                int depth = 0;
                for (; i < n; ++i) {
                    const QChar d = m_text.at(i);
                    if (d == QLatin1Char('\\'))
                        ++i;
                    else if (d == QLatin1Char('('))
                        ++depth;
                    else if (d == QLatin1Char(')') && --depth == 0)
                        break;
                }
                if (i >= n)
                    return failAtLimit(
                        QCoreApplication::translate("Ssmtp", "unbalanced '(': comment not closed"));
                ++i;
                space = true;
                continue;
            }
            case u')':
                return failLex(QCoreApplication::translate("Ssmtp", "unbalanced ')'"));
            case u'"': {
                token.type = TokenType::Quoted;
                for (++i; i < n && m_text.at(i) != QLatin1Char('"'); ++i) {
                    if (m_text.at(i) == QLatin1Char('\\') && ++i == n)
                        break;
                    token.text.append(m_text.at(i));
                }
                if (i >= n)
                    return failAtLimit(
                        QCoreApplication::translate("Ssmtp", "unterminated quoted string"));
                ++i;
                break;
            }
            case u'[': {
                token.type = TokenType::DomainLiteral;
                const qsizetype close = m_text.indexOf(QLatin1Char(']'), i);
                if (close < 0 || close >= n)
                    return failAtLimit(QCoreApplication::translate("Ssmtp", "unbalanced '['"));
                token.text = m_text.mid(i, close + 1 - i);
                if (token.text.indexOf(QLatin1Char('['), 1) >= 0 ||
                    token.text.contains(QLatin1Char('\\')) ||
                    token.text.contains(QLatin1Char(' ')) || token.text.contains(QLatin1Char('\t')))
                    return failLex(QCoreApplication::translate("Ssmtp", "invalid domain literal"));
                i = close + 1;
                break;
            }
            case u']':
                return failLex(QCoreApplication::translate("Ssmtp", "unbalanced ']'"));
            case u'<':
            case u'>':
            case u':':
            case u';':
            case u'@':
            case u',':
            case u'.':
                token.type = TokenType::Special;
                token.text = c;
                ++i;
                if (c == QLatin1Char(','))
                    elementStart = i;
                break;
            default:
                if (!isAtext(c))
                    return failLex(QCoreApplication::translate("Ssmtp", "unexpected '%1'").arg(c));
                token.type = TokenType::Atom;
                while (i < n && isAtext(m_text.at(i)))
                    ++i;
                token.text = m_text.mid(token.begin, i - token.begin);
                break;
            }
            token.end = i;
            m_tokens.append(std::move(token));
        }
        if (stoppedEarly)
            return failAtLimit(QString());
        Token end;
        end.begin = end.end = n;
        end.spaceBefore = space;
        m_tokens.append(std::move(end));
        return true;
    }

    // ---- Parser ------------------------------------------------------------------------

    // Tokens that may make up a display name or an addr-spec; which one they are is only
    // known from what follows ('<', ':' or a separator).
    static bool isWordToken(const Token &t)
    {
        return t.type == TokenType::Atom || t.type == TokenType::Quoted ||
               t.type == TokenType::DomainLiteral || t.is(u'.') || t.is(u'@');
    }

    const Token &tok() const { return m_tokens.at(m_index); }
    bool atEnd() const { return tok().type == TokenType::End; }

    void parseList()
    {
        while (!atEnd()) {
            if (tok().is(u',')) { // empty element
                ++m_index;
                continue;
            }
            if (!parseAddress(false))
                return;
            if (atEnd())
                return;
            if (!tok().is(u',')) {
                failUnexpected();
                return;
            }
            ++m_index;
        }
    }

    // address = mailbox / group; a group only at the top level.
    bool parseAddress(bool inGroup)
    {
        m_elementStart = tok().begin;
        const qsizetype first = m_index;
        while (isWordToken(tok()))
            ++m_index;
        const qsizetype last = m_index; // one past the collected words

        if (tok().is(u'<')) {
            QString name;
            if (!displayName(first, last, &name))
                return false;
            ++m_index;
            const qsizetype specFirst = m_index;
            while (isWordToken(tok()))
                ++m_index;
            if (!tok().is(u'>')) {
                if (atEnd() || tok().is(u',') || tok().is(u';'))
                    return fail(m_index, QCoreApplication::translate("Ssmtp", "missing '>'"));
                return failUnexpected();
            }
            if (specFirst == m_index)
                return fail(m_index, QCoreApplication::translate("Ssmtp", "empty address '<>'"));
            QString address;
            if (!addrSpec(specFirst, m_index, true, &address))
                return false;
            ++m_index;
            m_mailboxes.append({name, address});
            return checkAfterAddress(inGroup);
        }

        if (tok().is(u':')) {
            if (inGroup)
                return fail(m_index,
                            QCoreApplication::translate("Ssmtp", "groups cannot be nested"));
            if (first == last)
                return fail(m_index, QCoreApplication::translate("Ssmtp", "group has no name"));
            QString ignored;
            if (!displayName(first, last, &ignored))
                return false;
            ++m_index;
            return parseGroupMembers();
        }

        if (first == last)
            return failUnexpected();
        QString address;
        if (!addrSpec(first, last, false, &address))
            return false;
        m_mailboxes.append({QString(), address});
        return checkAfterAddress(inGroup);
    }

    // After "Name:" up to and including the closing ';'.
    bool parseGroupMembers()
    {
        const qsizetype groupStart = m_elementStart;
        for (;;) {
            if (tok().is(u',')) {
                ++m_index;
                continue;
            }
            if (tok().is(u';')) {
                ++m_index;
                m_elementStart = groupStart; // errors after the group quote all of it
                return true;
            }
            if (atEnd()) {
                m_elementStart = groupStart;
                return fail(m_index,
                            QCoreApplication::translate("Ssmtp", "group not terminated by ';'"));
            }
            if (!parseAddress(true))
                return false;
        }
    }

    // Only a separator (or the end) may follow a complete mailbox.
    bool checkAfterAddress(bool inGroup)
    {
        if (atEnd() || tok().is(u',') || (inGroup && tok().is(u';')))
            return true;
        return failUnexpected();
    }

    bool displayName(qsizetype first, qsizetype last, QString *name)
    {
        name->clear();
        for (qsizetype i = first; i < last; ++i) {
            const Token &t = m_tokens.at(i);
            if (t.is(u'@'))
                return fail(
                    i, QCoreApplication::translate("Ssmtp", "unquoted '@' in the display name"));
            if (t.type == TokenType::DomainLiteral)
                return fail(
                    i, QCoreApplication::translate("Ssmtp", "unquoted '[' in the display name"));
            // Words separated by whitespace or comments are joined by one space.
            if (i > first && t.spaceBefore)
                name->append(QLatin1Char(' '));
            name->append(t.text);
        }
        return true;
    }

    bool addrSpec(qsizetype first, qsizetype last, bool inAngle, QString *address)
    {
        qsizetype at = -1;
        int atCount = 0;
        for (qsizetype i = first; i < last; ++i) {
            if (m_tokens.at(i).is(u'@')) {
                ++atCount;
                if (at < 0)
                    at = i;
            }
        }
        if (atCount == 0)
            return fail(last - 1, QCoreApplication::translate("Ssmtp", "missing '@'"));
        for (qsizetype i = first + 1; i < last; ++i) {
            if (m_tokens.at(i).spaceBefore) {
                return fail(i, inAngle ? QCoreApplication::translate(
                                             "Ssmtp", "unexpected space inside the address")
                                       : QCoreApplication::translate(
                                             "Ssmtp", "unexpected space (missing ',' between "
                                                      "addresses?)"));
            }
        }
        if (atCount > 1)
            return fail(last - 1, QCoreApplication::translate("Ssmtp", "more than one '@'"));

        QString local;
        if (!localPart(first, at, &local))
            return false;
        QString domain;
        if (!domainPart(at + 1, last, &domain))
            return false;
        *address = local + QLatin1Char('@') + domain;
        return true;
    }

    bool localPart(qsizetype first, qsizetype last, QString *local)
    {
        if (first == last)
            return fail(first, QCoreApplication::translate("Ssmtp", "empty local part"));
        if (last - first == 1 && m_tokens.at(first).type == TokenType::Quoted) {
            const QString &content = m_tokens.at(first).text;
            if (content.isEmpty())
                return fail(first, QCoreApplication::translate("Ssmtp", "empty local part"));
            // Quotes only where needed (RFC 5321 4.1.2: dot-string preferred).
            *local = isDotAtom(content) ? content : quoteLocalPart(content);
            return true;
        }
        for (qsizetype i = first; i < last; ++i) {
            const Token &t = m_tokens.at(i);
            if (t.type != TokenType::Atom && !t.is(u'.'))
                return fail(i, QCoreApplication::translate("Ssmtp", "invalid local part"));
            local->append(t.text);
        }
        if (!isDotAtom(*local))
            return fail(first,
                        QCoreApplication::translate("Ssmtp", "misplaced '.' in the local part"));
        return true;
    }

    bool domainPart(qsizetype first, qsizetype last, QString *domain)
    {
        if (first == last)
            return fail(first, QCoreApplication::translate("Ssmtp", "empty domain"));
        if (last - first == 1 && m_tokens.at(first).type == TokenType::DomainLiteral) {
            *domain = m_tokens.at(first).text;
            return true;
        }
        for (qsizetype i = first; i < last; ++i) {
            const Token &t = m_tokens.at(i);
            if (t.type != TokenType::Atom && !t.is(u'.'))
                return fail(i, QCoreApplication::translate("Ssmtp", "invalid domain"));
            domain->append(t.text);
        }
        if (!isDotAtom(*domain))
            return fail(first, QCoreApplication::translate("Ssmtp", "misplaced '.' in the domain"));
        return true;
    }

    bool failUnexpected()
    {
        const Token &t = tok();
        QString reason;
        if (t.is(u'<'))
            reason = QCoreApplication::translate("Ssmtp", "more than one angle address");
        else if (t.is(u'>'))
            reason = QCoreApplication::translate("Ssmtp", "unbalanced '>'");
        else if (t.type == TokenType::Special)
            reason = QCoreApplication::translate("Ssmtp", "unexpected '%1'").arg(t.text);
        else if (t.type == TokenType::End)
            reason = QCoreApplication::translate("Ssmtp", "unexpected end of input");
        else
            reason =
                QCoreApplication::translate("Ssmtp", "unexpected text after the address (missing "
                                                     "',' between addresses?)");
        return fail(m_index, reason);
    }

    // The offending element runs from the start of the current address to the next ',' or
    // ';' after the token that failed (or the end of the input).
    bool fail(qsizetype tokenIndex, const QString &reason)
    {
        qsizetype end = m_text.size();
        // A failing ',' (as in "John <a@b, c@d") ends the element itself.
        const qsizetype from = m_tokens.at(tokenIndex).is(u',') ? tokenIndex : tokenIndex + 1;
        for (qsizetype i = from; i < m_tokens.size(); ++i) {
            if (m_tokens.at(i).is(u',') || m_tokens.at(i).is(u';')) {
                end = m_tokens.at(i).begin;
                break;
            }
        }
        setError(m_elementStart, end, reason);
        return false;
    }

    void setError(qsizetype begin, qsizetype end, const QString &reason)
    {
        // Trim blanks only: a leading or trailing line break is part of what went wrong.
        QStringView element = QStringView(m_text).mid(begin, end - begin);
        while (!element.isEmpty() && isWsp(element.front()))
            element = element.sliced(1);
        while (!element.isEmpty() && isWsp(element.back()))
            element.chop(1);
        m_error = QCoreApplication::translate("Ssmtp", "Invalid address \"%1\": %2")
                      .arg(displayText(element), reason);
    }

    const QString &m_text;
    QList<Token> m_tokens;
    qsizetype m_index = 0;
    qsizetype m_elementStart = 0;
    QList<Mailbox> m_mailboxes;
    QString m_error;
};

} // namespace

AddressListResult parseAddressList(const QString &text)
{
    return Parser(text).parse();
}

bool addressNeedsSmtpUtf8(const QString &address)
{
    for (const QChar c : address) {
        if (c.unicode() >= 0x80)
            return true;
    }
    return false;
}

} // namespace ssmtp::message
