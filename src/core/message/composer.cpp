#include "composer.h"

#include "messageid.h"
#include "mimewriter.h"
#include "transferencoding.h"

#include <QCoreApplication>

#include <QDateTime>
#include <QSet>
#include <algorithm>

namespace ssmtp::message {

namespace {

// Values of Ssmtp::Error used here (kept numeric: this layer does not see the facade).
constexpr int NoSenderError = 164;
constexpr int NoRecipientError = 165;
constexpr int InvalidAddressError = 169;
constexpr int InvalidHeaderError = 170;

bool isAscii(const QString &s)
{
    for (QChar c : s) {
        if (c.unicode() >= 0x80)
            return false;
    }
    return true;
}

bool validFieldName(const QString &name)
{
    if (name.isEmpty())
        return false;
    for (QChar c : name) {
        const ushort u = c.unicode();
        if (u <= 32 || u >= 127 || u == ':')
            return false;
    }
    return true;
}

class Builder
{
public:
    explicit Builder(const ComposerInput &in, ComposedMessage &out)
        : m_in(in)
        , m_out(out)
    {}

    bool fail(int code, const QString &text)
    {
        if (m_out.error == 0) {
            m_out.error = code;
            m_out.errorString = text;
        }
        return false;
    }

    // Rejects CR/LF in a single-line property (header injection).
    bool checkLine(const QString &value, const char *property)
    {
        if (!containsLineBreak(value))
            return true;
        return fail(
            InvalidHeaderError,
            QCoreApplication::translate(
                "Ssmtp", "The %1 property contains a line break; header values must be one line.")
                .arg(QLatin1String(property)));
    }

    bool parseList(const QString &text, const char *property, QList<Mailbox> &out)
    {
        if (!checkLine(text, property))
            return false;
        if (text.trimmed().isEmpty())
            return true;
        const AddressListResult r = parseAddressList(text);
        if (!r.ok()) {
            return fail(InvalidAddressError,
                        QCoreApplication::translate(
                            "Ssmtp", "The %1 property is not a valid address list: %2")
                            .arg(QLatin1String(property), r.error));
        }
        out = r.mailboxes;
        return true;
    }

    void add(const char *field, const QByteArray &value)
    {
        m_out.headers.append({QByteArray(field), value});
    }

    bool buildComputed()
    {
        const HeaderEncoding &enc = m_in.encoding;
        QList<Mailbox> from;
        QList<Mailbox> to;
        QList<Mailbox> cc;
        QList<Mailbox> replyTo;
        QList<Mailbox> returnReceipt;
        QList<Mailbox> dispositionTo;
        if (!parseList(m_in.from, "from", from) || !parseList(m_in.sendTo, "sendTo", to) ||
            !parseList(m_in.cc, "cc", cc) || !parseList(m_in.replyTo, "replyTo", replyTo) ||
            !parseList(m_in.deliveryNotificationTo, "deliveryNotificationTo", returnReceipt) ||
            !parseList(m_in.readReceiptTo, "readReceiptTo", dispositionTo)) {
            return false;
        }
        // messageRecipients add to the header lists (Bcc never appears in a header). Each
        // entry must be exactly one valid address: it goes into RCPT TO as it is.
        for (const ComposerRecipient &r : m_in.recipients) {
            if (!checkLine(r.address, "messageRecipients") ||
                !checkLine(r.name, "messageRecipients") ||
                !checkLine(r.options, "messageRecipients"))
                return false;
            const AddressListResult parsed = parseAddressList(r.address);
            if (!parsed.ok() || parsed.mailboxes.size() != 1) {
                return fail(InvalidAddressError,
                            QCoreApplication::translate(
                                "Ssmtp", "The recipient \"%1\" is not a valid address.")
                                .arg(r.address));
            }
            // "Name <addr>" in the address field is accepted; the name field wins when set.
            ComposerRecipient valid = r;
            valid.address = parsed.mailboxes.first().address;
            if (valid.name.isEmpty())
                valid.name = parsed.mailboxes.first().name;
            m_recipients.append(valid);
            const Mailbox mb{valid.name, valid.address};
            if (r.kind == ComposerRecipient::To && !to.contains(mb))
                to.append(mb);
            else if (r.kind == ComposerRecipient::Cc && !cc.contains(mb))
                cc.append(mb);
        }
        for (const char *p : {"subject", "messageDate", "messageId"}) {
            const QString &v = qstrcmp(p, "subject") == 0       ? m_in.subject
                               : qstrcmp(p, "messageDate") == 0 ? m_in.messageDate
                                                                : m_in.messageId;
            if (!checkLine(v, p))
                return false;
        }

        // Addresses cannot be RFC 2047 encoded: a non-ASCII one needs SMTPUTF8 (RFC 6532).
        for (const QList<Mailbox> *list :
             {&from, &to, &cc, &replyTo, &returnReceipt, &dispositionTo}) {
            for (const Mailbox &m : *list)
                m_out.needsSmtpUtf8 = m_out.needsSmtpUtf8 || addressNeedsSmtpUtf8(m.address);
        }
        if (!from.isEmpty())
            add("From", formatAddressList(from, enc));
        if (!to.isEmpty())
            add("To", formatAddressList(to, enc));
        if (!cc.isEmpty())
            add("Cc", formatAddressList(cc, enc));
        if (!m_in.subject.isEmpty())
            add("Subject", encodeUnstructured(m_in.subject, enc, int(sizeof("Subject: ")) - 1));
        if (m_in.messageDate == QLatin1String("*"))
            add("Date", formatRfc5322Date(QDateTime::currentDateTime()));
        else if (!m_in.messageDate.trimmed().isEmpty())
            add("Date", encodeUnstructured(m_in.messageDate.trimmed(), enc));
        if (m_in.messageId == QLatin1String("*")) {
            QString domain =
                from.isEmpty() ? QString() : from.first().address.section(QLatin1Char('@'), -1);
            if (domain.isEmpty() || !isAscii(domain))
                domain = m_in.hostName.isEmpty() ? QStringLiteral("localhost") : m_in.hostName;
            const QByteArray id = generateMessageId(m_in.messageIdAlgorithm, domain);
            if (id.isEmpty()) {
                return fail(
                    InvalidHeaderError,
                    QCoreApplication::translate(
                        "Ssmtp", "MessageIdAlgorithm \"%1\" is not one of MD5, SHA1, SHA256.")
                        .arg(m_in.messageIdAlgorithm));
            }
            add("Message-ID", id);
        } else if (!m_in.messageId.trimmed().isEmpty()) {
            QString id = m_in.messageId.trimmed();
            if (id.startsWith(QLatin1Char('<')) && id.endsWith(QLatin1Char('>')))
                id = id.mid(1, id.size() - 2);
            if (!isAscii(id) || id.contains(QLatin1Char(' ')) || id.contains(QLatin1Char('<')) ||
                id.contains(QLatin1Char('>')) || id.isEmpty()) {
                return fail(InvalidHeaderError,
                            QCoreApplication::translate(
                                "Ssmtp", "The messageId \"%1\" must be ASCII without spaces.")
                                .arg(id));
            }
            add("Message-ID", '<' + id.toLatin1() + '>');
        }
        if (!replyTo.isEmpty())
            add("Reply-To", formatAddressList(replyTo, enc));
        if (!returnReceipt.isEmpty())
            add("Return-Receipt-To", formatAddressList(returnReceipt, enc));
        if (!dispositionTo.isEmpty())
            add("Disposition-Notification-To", formatAddressList(dispositionTo, enc));
        static const char *const importance[] = {nullptr, "high", "normal", "low"};
        static const char *const priority[] = {nullptr, "normal", "urgent", "non-urgent"};
        static const char *const sensitivity[] = {nullptr, "Personal", "Private",
                                                  "Company-Confidential"};
        if (m_in.importance > 0 && m_in.importance < 4)
            add("Importance", importance[m_in.importance]);
        if (m_in.priority > 0 && m_in.priority < 4)
            add("Priority", priority[m_in.priority]);
        if (m_in.sensitivity > 0 && m_in.sensitivity < 4)
            add("Sensitivity", sensitivity[m_in.sensitivity]);
        m_from = from;
        m_to = to;
        m_cc = cc;
        return true;
    }

    bool appendOtherHeaders(const QList<QPair<QString, QString>> &other)
    {
        for (const auto &h : other) {
            // Non-ASCII text is never sent raw: encode the value as unstructured text.
            const QByteArray value = isAscii(h.second)
                                         ? h.second.toLatin1()
                                         : encodeUnstructured(h.second, m_in.encoding);
            m_out.headers.append({h.first.toLatin1(), value});
        }
        return true;
    }

    bool hasHeader(const char *field) const
    {
        for (const auto &h : m_out.headers) {
            if (qstricmp(h.first.constData(), field) == 0)
                return true;
        }
        return false;
    }

    // Runs before otherHeaders are appended; userContentHeaders says whether they describe
    // the body themselves.
    bool buildBody(bool userContentHeaders, bool userMimeVersion)
    {
        if (m_in.rawMessage || m_in.streamBody)
            return true;
        if (!m_in.entityHeaders.isEmpty()) {
            // An S/MIME entity: its headers and its body exactly as sign()/encrypt() made them.
            // (A user MIME-Version was filtered out with the other content headers.)
            add("MIME-Version", "1.0");
            for (const auto &h : m_in.entityHeaders)
                m_out.headers.append(h);
            m_out.body = m_in.messageText.toUtf8();
            return true;
        }
        if (!m_in.messageHtml.isEmpty() || !m_in.attachments.isEmpty()) {
            if (userContentHeaders) {
                return fail(InvalidHeaderError,
                            QCoreApplication::translate(
                                "Ssmtp", "otherHeaders sets Content-Type or "
                                         "Content-Transfer-Encoding, but the message has HTML "
                                         "text or attachments, whose structure sets them."));
            }
            MimeOptions options;
            options.headerEncoding = m_in.encoding;
            auto writer = std::make_shared<MimeWriter>(
                MimeContent{m_in.messageText, m_in.messageHtml, m_in.attachments}, options);
            if (!writer->prepare())
                return fail(writer->error(), writer->errorString());
            for (const auto &h : writer->headers()) {
                if (!(userMimeVersion && h.first == "MIME-Version"))
                    m_out.headers.append(h);
            }
            m_out.mime = writer;
            return true;
        }
        const QByteArray utf8 = m_in.messageText.toUtf8();
        if (userContentHeaders) {
            m_out.body = utf8; // the user describes the body; send it as given
            return true;
        }
        switch (chooseTextEncoding(utf8)) {
        case TransferEncoding::SevenBit:
        case TransferEncoding::EightBit:
            m_out.body = utf8;
            return true;
        case TransferEncoding::QuotedPrintable:
            m_out.body = encodeQuotedPrintable(utf8);
            addMimeHeaders("quoted-printable", userMimeVersion);
            return true;
        case TransferEncoding::Base64:
            m_out.body = encodeBase64Lines(utf8);
            addMimeHeaders("base64", userMimeVersion);
            return true;
        }
        return true;
    }

    void addMimeHeaders(const char *encoding, bool userMimeVersion)
    {
        if (!userMimeVersion && !hasHeader("MIME-Version"))
            add("MIME-Version", "1.0");
        add("Content-Type", "text/plain; charset=UTF-8");
        add("Content-Transfer-Encoding", encoding);
    }

    bool buildEnvelope()
    {
        QList<Mailbox> bcc;
        QList<Mailbox> returnPath;
        if (!parseList(m_in.bcc, "bcc", bcc) ||
            !parseList(m_in.returnPath, "returnPath", returnPath))
            return false;
        if (!returnPath.isEmpty())
            m_out.reversePath = returnPath.first().address;
        else if (!m_from.isEmpty())
            m_out.reversePath = m_from.first().address;
        // RFC 5322 requires From in a composed message; a raw message brings its own headers
        // and needs only a reverse path.
        if (m_in.rawMessage ? m_out.reversePath.isEmpty() : m_from.isEmpty())
            return fail(NoSenderError,
                        QCoreApplication::translate("Ssmtp", "Please specify a sender (From)."));

        // Options of a messageRecipients entry apply to the same address from sendTo/cc.
        auto optionsFor = [this](const QString &address) {
            for (const ComposerRecipient &r : std::as_const(m_recipients)) {
                if (r.address.compare(address, Qt::CaseInsensitive) == 0 && !r.options.isEmpty())
                    return r.options;
            }
            return QString();
        };
        QSet<QString> seen;
        auto addRcpt = [&](const QString &address, ComposerRecipient::Kind kind) {
            const QString key = address.toLower();
            if (seen.contains(key))
                return;
            seen.insert(key);
            m_out.recipients.append({address, optionsFor(address), kind});
        };
        for (const Mailbox &m : std::as_const(m_to))
            addRcpt(m.address, ComposerRecipient::To);
        for (const Mailbox &m : std::as_const(m_cc))
            addRcpt(m.address, ComposerRecipient::Cc);
        for (const Mailbox &m : std::as_const(bcc))
            addRcpt(m.address, ComposerRecipient::Bcc);
        for (const ComposerRecipient &r : std::as_const(m_recipients)) {
            if (r.kind == ComposerRecipient::Bcc)
                addRcpt(r.address, r.kind);
        }
        const bool anyTo = !m_to.isEmpty();
        if (m_out.recipients.isEmpty() || (!anyTo && !m_in.allowEmptyTo))
            return fail(NoRecipientError,
                        QCoreApplication::translate("Ssmtp", "Please specify a recipient."));
        return true;
    }

    const ComposerInput &m_in;
    ComposedMessage &m_out;
    QList<Mailbox> m_from;
    QList<Mailbox> m_to;
    QList<Mailbox> m_cc;
    QList<ComposerRecipient> m_recipients; // messageRecipients, validated
};

void writeHeaderBlock(ComposedMessage &out, const HeaderEncoding &enc)
{
    QByteArray block;
    for (const auto &h : std::as_const(out.headers)) {
        block += foldHeader(h.first, h.second, enc);
        block += "\r\n";
    }
    block += "\r\n";
    out.headerBlock = block;
}

ComposedMessage build(const ComposerInput &input, bool withEnvelope)
{
    ComposedMessage out;
    Builder b(input, out);
    QList<QPair<QString, QString>> other;
    QString otherError;
    // A leading empty line: otherHeaders replaces the computed headers (spec).
    const bool replace = input.otherHeaders.startsWith(QLatin1String("\r\n")) ||
                         input.otherHeaders.startsWith(QLatin1Char('\n'));
    if (!parseHeaderLines(input.otherHeaders, other, otherError)) {
        b.fail(InvalidHeaderError, otherError);
        return out;
    }
    if (!b.buildComputed())
        return out;
    if (replace)
        out.headers.clear();
    bool userContentHeaders = false;
    bool userMimeVersion = false;
    for (const auto &h : std::as_const(other)) {
        userMimeVersion = userMimeVersion ||
                          h.first.compare(QLatin1String("MIME-Version"), Qt::CaseInsensitive) == 0;
        userContentHeaders =
            userContentHeaders ||
            h.first.compare(QLatin1String("Content-Type"), Qt::CaseInsensitive) == 0 ||
            h.first.compare(QLatin1String("Content-Transfer-Encoding"), Qt::CaseInsensitive) == 0;
    }
    if (!input.entityHeaders.isEmpty()) {
        // The entity carries the content headers now; the user's would contradict them.
        other.erase(std::remove_if(other.begin(), other.end(),
                                   [](const QPair<QString, QString> &h) {
                                       return h.first.startsWith(QLatin1String("Content-"),
                                                                 Qt::CaseInsensitive) ||
                                              h.first.compare(QLatin1String("MIME-Version"),
                                                              Qt::CaseInsensitive) == 0;
                                   }),
                    other.end());
    }
    if (!b.buildBody(userContentHeaders, userMimeVersion))
        return out;
    b.appendOtherHeaders(other);
    if (withEnvelope && !b.buildEnvelope())
        return out;
    writeHeaderBlock(out, input.encoding);
    return out;
}

} // namespace

bool parseHeaderLines(const QString &text, QList<QPair<QString, QString>> &out, QString &error)
{
    QString normalised = text;
    normalised.replace(QLatin1String("\r\n"), QLatin1String("\n"));
    normalised.replace(QLatin1Char('\r'), QLatin1Char('\n'));
    const QStringList lines = normalised.split(QLatin1Char('\n'));
    for (const QString &line : lines) {
        if (line.trimmed().isEmpty())
            continue;
        if (line.at(0) == QLatin1Char(' ') || line.at(0) == QLatin1Char('\t')) {
            if (out.isEmpty()) {
                error = QCoreApplication::translate(
                            "Ssmtp", "otherHeaders starts with a continuation line: \"%1\"")
                            .arg(line.trimmed());
                return false;
            }
            out.last().second += QLatin1Char(' ') + line.trimmed();
            continue;
        }
        const qsizetype colon = line.indexOf(QLatin1Char(':'));
        const QString field = colon < 0 ? QString() : line.left(colon).trimmed();
        if (colon < 0 || !validFieldName(field) || line.left(colon) != field) {
            error = QCoreApplication::translate(
                        "Ssmtp", "otherHeaders line is not of the form \"Field: value\": \"%1\"")
                        .arg(line);
            return false;
        }
        out.append({field, line.mid(colon + 1).trimmed()});
    }
    return true;
}

ComposedMessage compose(const ComposerInput &input)
{
    return build(input, true);
}

ComposedMessage composeHeaders(const ComposerInput &input)
{
    return build(input, false);
}

ComposedEntity composeEntity(const ComposerInput &input)
{
    ComposedEntity result;
    if (!input.entityHeaders.isEmpty()) {
        // Already an S/MIME entity (signed, now to be encrypted): wrap it as it is.
        HeaderEncoding enc = input.encoding;
        enc.fold = true;
        for (const auto &h : input.entityHeaders)
            result.entity += foldHeader(h.first, h.second, enc) + "\r\n";
        result.entity += "\r\n" + input.messageText.toUtf8();
        return result;
    }
    ComposerInput in = input;
    in.messageDate.clear();
    in.messageId.clear();
    const ComposedMessage m = composeHeaders(in);
    if (!m.ok()) {
        result.error = m.error;
        result.errorString = m.errorString;
        return result;
    }
    QByteArray body;
    QList<QPair<QByteArray, QByteArray>> content;
    if (m.mime) {
        QString error;
        const QByteArray entity = m.mime->renderEntity(&error);
        if (entity.isEmpty() && !error.isEmpty()) {
            result.error = MimeWriter::CannotOpenFileError;
            result.errorString = error;
            return result;
        }
        result.entity = entity;
        return result;
    }
    // A text body: its content headers, or an explicit text/plain for a 7-bit text (a signed
    // entity should not rely on the defaults of RFC 2045).
    for (const auto &h : m.headers) {
        if (h.first.startsWith("Content-") || qstrnicmp(h.first.constData(), "Content-", 8) == 0)
            content.append(h);
    }
    if (content.isEmpty())
        content.append({QByteArray("Content-Type"), QByteArray("text/plain; charset=us-ascii")});
    HeaderEncoding enc = input.encoding;
    enc.fold = true;
    for (const auto &h : std::as_const(content))
        result.entity += foldHeader(h.first, h.second, enc) + "\r\n";
    result.entity += "\r\n" + m.body;
    return result;
}

} // namespace ssmtp::message
