// Unit tests for the RFC 5322 address-list parser.
#include "message/addresslist.h"

#include <QTest>

using namespace ssmtp::message;

namespace {

Mailbox mb(const char *name, const char *address)
{
    return {QString::fromUtf8(name), QString::fromUtf8(address)};
}

} // namespace

namespace QTest {
// Readable failure output for the mailbox lists.
template<> char *toString(const QList<Mailbox> &list)
{
    QStringList parts;
    for (const Mailbox &m : list)
        parts.append(QLatin1Char('[') + m.name + QLatin1String("] <") + m.address +
                     QLatin1Char('>'));
    return qstrdup(parts.join(QLatin1String(", ")).toUtf8().constData());
}
} // namespace QTest

class tst_AddressList : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void valid_data();
    void valid();
    void invalid_data();
    void invalid();
    void errorIsTranslatableSentence();
    void needsSmtpUtf8_data();
    void needsSmtpUtf8();
};

void tst_AddressList::valid_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QList<Mailbox>>("expected");

    auto row = [](const char *name, const char *input, const QList<Mailbox> &expected) {
        QTest::newRow(name) << QString::fromUtf8(input) << expected;
    };
    row("empty", "", {});
    row("whitespace only", "  \t ", {});
    row("commas only", " , ,, ", {});
    row("addr-spec", "john@x.org", {mb("", "john@x.org")});
    row("addr-spec padded", "  john@x.org\t", {mb("", "john@x.org")});
    row("angle only", "<j@x>", {mb("", "j@x")});
    row("angle with spaces", "< j@x >", {mb("", "j@x")});
    row("name-addr", "John Doe <john@x.org>", {mb("John Doe", "john@x.org")});
    row("name spacing collapsed", "  John \t  Doe<john@x.org>", {mb("John Doe", "john@x.org")});
    row("quoted comma", "\"Doe, John\" <john@x.org>, jane@y.org",
        {mb("Doe, John", "john@x.org"), mb("", "jane@y.org")});
    row("comment in name", "John (comment) <j@x>", {mb("John", "j@x")});
    row("nested comment", "John (a (b) \\) c) <j@x>", {mb("John", "j@x")});
    row("comment after addr-spec", "j@x (John Doe), k@y", {mb("", "j@x"), mb("", "k@y")});
    row("comment before address", "(note) j@x", {mb("", "j@x")});
    row("escaped quote", "\"a\\\"b\" <c@d>", {mb("a\"b", "c@d")});
    row("escaped backslash", "\"a\\\\b\" <c@d>", {mb("a\\b", "c@d")});
    row("quoted specials", "\"<x@y>, (z); \" <c@d>", {mb("<x@y>, (z); ", "c@d")});
    row("empty quoted name", "\"\" <c@d>", {mb("", "c@d")});
    row("quoted and atom words", "\"Dr.\" John <j@x>", {mb("Dr. John", "j@x")});
    row("obsolete dot in name", "J. R. Doe <j@x>", {mb("J. R. Doe", "j@x")});
    row("empty elements skipped", "a@b,,c@d,", {mb("", "a@b"), mb("", "c@d")});
    row("leading comma", ",a@b", {mb("", "a@b")});
    row("three mixed", "a@b, \"B\" <b@c>, C <c@d>",
        {mb("", "a@b"), mb("B", "b@c"), mb("C", "c@d")});
    row("group", "Team: a@x, b@y;", {mb("", "a@x"), mb("", "b@y")});
    row("group with names and more", "x@z, Team: Ann <a@x>, \"B, b\" <b@y>; , c@z",
        {mb("", "x@z"), mb("Ann", "a@x"), mb("B, b", "b@y"), mb("", "c@z")});
    row("empty group", "undisclosed-recipients:;", {});
    row("empty group with spaces", "undisclosed-recipients: ; ", {});
    row("group trailing comma", "T: a@x,;", {mb("", "a@x")});
    row("quoted group name", "\"My: Team\": a@x;", {mb("", "a@x")});
    row("quoted local part kept", "\"john doe\"@x.org", {mb("", "\"john doe\"@x.org")});
    row("needless quotes dropped", "\"john.doe\"@x.org", {mb("", "john.doe@x.org")});
    row("quoted local part escapes", "\"a\\\"b\\\\c\"@x", {mb("", "\"a\\\"b\\\\c\"@x")});
    row("quoted local with at", "<\"a@b\"@x>", {mb("", "\"a@b\"@x")});
    row("dotted local", "first.last+tag@sub.example.org",
        {mb("", "first.last+tag@sub.example.org")});
    row("atext specials", "!#$%&'*+-/=?^_`{|}~@x", {mb("", "!#$%&'*+-/=?^_`{|}~@x")});
    row("domain literal", "a@[192.0.2.1]", {mb("", "a@[192.0.2.1]")});
    row("ipv6 literal", "<a@[IPv6:2001:db8::1]>", {mb("", "a@[IPv6:2001:db8::1]")});
    row("utf8 name and address", "Jürgen Müller <jürgen@müller.de>",
        {mb("Jürgen Müller", "jürgen@müller.de")});
    row("utf8 quoted name", "\"Müller, Jürgen\" <j@x>", {mb("Müller, Jürgen", "j@x")});
    row("cjk", "山田太郎 <山田@例え.jp>", {mb("山田太郎", "山田@例え.jp")});
    row("tab separated", "John\t<j@x>,\tk@y", {mb("John", "j@x"), mb("", "k@y")});
    row("no space before angle", "John<j@x>", {mb("John", "j@x")});
    row("no space after comma", "a@b,c@d", {mb("", "a@b"), mb("", "c@d")});
}

void tst_AddressList::valid()
{
    QFETCH(QString, input);
    QFETCH(QList<Mailbox>, expected);

    const AddressListResult result = parseAddressList(input);
    QVERIFY2(result.ok(), qPrintable(result.error));
    QCOMPARE(result.error, QString());
    QCOMPARE(result.mailboxes, expected);
}

void tst_AddressList::invalid_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("expectedError");

    auto row = [](const char *name, const char *input, const char *error) {
        QTest::newRow(name) << QString::fromUtf8(input) << QString::fromUtf8(error);
    };
    // Ambiguous lists: a missing comma must not silently merge or drop recipients.
    row("missing comma", "a@b c@d",
        "Invalid address \"a@b c@d\": unexpected space (missing ',' between addresses?)");
    row("two angle addrs", "<a@b> <c@d>",
        "Invalid address \"<a@b> <c@d>\": more than one angle address");
    row("name then two angle addrs", "John <a@b> <c@d>, e@f",
        "Invalid address \"John <a@b> <c@d>\": more than one angle address");
    row("text after angle", "<a@b> c@d",
        "Invalid address \"<a@b> c@d\": unexpected text after the address (missing ',' "
        "between addresses?)");
    row("unclosed angle", "John <a@b", "Invalid address \"John <a@b\": missing '>'");
    row("unclosed angle then comma", "John <a@b, c@d",
        "Invalid address \"John <a@b\": missing '>'");
    row("stray >", "a@b>", "Invalid address \"a@b>\": unbalanced '>'");
    row("unterminated quote", "\"unterminated <a@b>",
        "Invalid address \"\"unterminated <a@b>\": unterminated quoted string");
    row("unterminated quote later", "x@y, \"Doe, J <a@b>",
        "Invalid address \"\"Doe, J <a@b>\": unterminated quoted string");
    row("quote ends in backslash", "\"abc\\",
        "Invalid address \"\"abc\\\": unterminated quoted string");
    row("unclosed comment", "(note a@b",
        "Invalid address \"(note a@b\": unbalanced '(': comment not closed");
    row("stray )", "a@b)", "Invalid address \"a@b)\": unbalanced ')'");
    row("unclosed literal", "a@[1.2.3.4", "Invalid address \"a@[1.2.3.4\": unbalanced '['");
    row("crlf injection", "a@b\r\nBcc: evil@x",
        "Invalid address \"a@b\\r\\nBcc: evil@x\": line breaks are not allowed");
    row("lf", "a@b,\nc@d", "Invalid address \"\\nc@d\": line breaks are not allowed");
    row("cr in quotes", "\"a\rb\" <c@d>",
        "Invalid address \"\"a\\rb\" <c@d>\": line breaks are not allowed");
    row("control char", "a\x01@b",
        "Invalid address \"a\\u0001@b\": control characters are not allowed");
    row("del", "a\x7f@b", "Invalid address \"a\\u007f@b\": control characters are not allowed");
    row("missing at", "John Doe", "Invalid address \"John Doe\": missing '@'");
    row("missing at in angle", "John <doe>", "Invalid address \"John <doe>\": missing '@'");
    row("two at", "a@b@c", "Invalid address \"a@b@c\": more than one '@'");
    row("empty local", "@x.org", "Invalid address \"@x.org\": empty local part");
    row("empty quoted local", "\"\"@x.org", "Invalid address \"\"\"@x.org\": empty local part");
    row("empty domain", "a@", "Invalid address \"a@\": empty domain");
    row("empty angle", "John <>", "Invalid address \"John <>\": empty address '<>'");
    row("space in angle", "<a @b>",
        "Invalid address \"<a @b>\": unexpected space inside the address");
    row("space in addr-spec", "a @b",
        "Invalid address \"a @b\": unexpected space (missing ',' "
        "between addresses?)");
    row("leading dot", ".a@b", "Invalid address \".a@b\": misplaced '.' in the local part");
    row("double dot", "a..b@c", "Invalid address \"a..b@c\": misplaced '.' in the local part");
    row("trailing domain dot", "a@b.", "Invalid address \"a@b.\": misplaced '.' in the domain");
    row("quoted domain", "a@\"b\"", "Invalid address \"a@\"b\"\": invalid domain");
    row("mixed local", "\"a\".b@c", "Invalid address \"\"a\".b@c\": invalid local part");
    row("unquoted at in name", "john@x <john@x>",
        "Invalid address \"john@x <john@x>\": unquoted '@' in the display name");
    row("semicolon outside group", "a@b; c@d", "Invalid address \"a@b; c@d\": unexpected ';'");
    row("unterminated group", "Team: a@x, b@y",
        "Invalid address \"Team: a@x, b@y\": group not terminated by ';'");
    row("nested group", "A: B: x@y;;", "Invalid address \"B: x@y\": groups cannot be nested");
    row("group without name", ": a@x;", "Invalid address \": a@x\": group has no name");
    row("error in group member", "T: a@x, b c@d;",
        "Invalid address \"b c@d\": unexpected space (missing ',' between addresses?)");
    row("text after group", "T: a@x; b@y",
        "Invalid address \"T: a@x; b@y\": unexpected text after the address (missing ',' "
        "between addresses?)");
    row("backslash outside quotes", "a\\b@c", "Invalid address \"a\\b@c\": unexpected '\\'");
    row("second element wrong", "good@x, bad", "Invalid address \"bad\": missing '@'");
    row("lone angle close", ">", "Invalid address \">\": unbalanced '>'");
    row("lone colon", "a@b, :", "Invalid address \":\": group has no name");
}

void tst_AddressList::invalid()
{
    QFETCH(QString, input);
    QFETCH(QString, expectedError);

    const AddressListResult result = parseAddressList(input);
    QVERIFY(!result.ok());
    QCOMPARE(result.error, expectedError);
    QVERIFY(result.mailboxes.isEmpty()); // no partial list on error
}

void tst_AddressList::errorIsTranslatableSentence()
{
    // The message names the offending element only, not the whole list.
    const AddressListResult result =
        parseAddressList(QStringLiteral("ok@x.org, Jane <jane@y.org> <evil@z.org>, ok2@x.org"));
    QVERIFY(!result.ok());
    QVERIFY2(result.error.contains(QLatin1String("Jane <jane@y.org> <evil@z.org>")),
             qPrintable(result.error));
    QVERIFY(!result.error.contains(QLatin1String("ok2@x.org")));
    QVERIFY(!result.error.contains(QLatin1String("ok@x.org")));
}

void tst_AddressList::needsSmtpUtf8_data()
{
    QTest::addColumn<QString>("address");
    QTest::addColumn<bool>("expected");
    QTest::newRow("ascii") << QStringLiteral("john@x.org") << false;
    QTest::newRow("empty") << QString() << false;
    QTest::newRow("quoted ascii") << QStringLiteral("\"a b\"@x.org") << false;
    QTest::newRow("utf8 local") << QStringLiteral("jürgen@x.org") << true;
    QTest::newRow("utf8 domain") << QStringLiteral("j@müller.de") << true;
    QTest::newRow("cjk") << QStringLiteral("山田@例え.jp") << true;
}

void tst_AddressList::needsSmtpUtf8()
{
    QFETCH(QString, address);
    QFETCH(bool, expected);
    QCOMPARE(addressNeedsSmtpUtf8(address), expected);
}

QTEST_APPLESS_MAIN(tst_AddressList)

#include "tst_addresslist.moc"
