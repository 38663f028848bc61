// Uses the public API only, through the installed headers and CMake package.
#include <Ssmtp/ssmtp.h>

#include <QCoreApplication>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    Ssmtp smtp;
    smtp.setMailServer(QStringLiteral("127.0.0.1"));
    smtp.setSendTo(QStringLiteral("someone@example.test"));
    // A property, an enum, a config setting and a value type, all from the installed tree.
    smtp.setPriority(Ssmtp::Priority::Urgent);
    smtp.addMessageRecipient(
        SsmtpRecipient(QStringLiteral("other@example.test"), SsmtpRecipient::Cc));
    const bool ok = smtp.mailPort() == 25 &&
                    smtp.config(QStringLiteral("StopOnToErrors")) == QStringLiteral("True") &&
                    smtp.messageRecipients().size() == 1;
    return ok ? 0 : 1;
}
