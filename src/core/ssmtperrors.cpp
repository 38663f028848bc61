#include "ssmtperrors_p.h"

#include "protocol/errorcodes.h"

#include <QCoreApplication>

// The protocol layer reports plain numbers; they must be the facade's enum values.
namespace errc = ssmtp::protocol::errc;
static_assert(errc::Firewall == Ssmtp::FirewallError);
static_assert(errc::Protocol == Ssmtp::ProtocolError);
static_assert(errc::Communication == Ssmtp::CommunicationError);
static_assert(errc::NoRecipient == Ssmtp::NoRecipientError);
static_assert(errc::MessageTooLarge == Ssmtp::MessageTooLargeError);
static_assert(errc::ExtensionNotSupported == Ssmtp::ExtensionNotSupportedError);
static_assert(errc::Authentication == Ssmtp::AuthenticationError);
static_assert(errc::RecipientRejected == Ssmtp::RecipientRejectedError);
static_assert(errc::Timeout == Ssmtp::TimeoutError);
static_assert(errc::NotConnected == Ssmtp::NotConnectedError);
static_assert(errc::SecurityLibrary == Ssmtp::SecurityLibraryError);
static_assert(errc::CertificateNotFound == Ssmtp::CertificateNotFoundError);
static_assert(errc::CannotAcquireCredentials == Ssmtp::CredentialsError);
static_assert(errc::CertificateChainVerification == Ssmtp::CertificateChainVerificationError);
static_assert(errc::Handshake == Ssmtp::HandshakeError);
static_assert(errc::CertificateVerification == Ssmtp::CertificateVerificationError);
static_assert(errc::ClientCertificateNotFound == Ssmtp::ClientCertificateNotFoundError);
static_assert(errc::ServerCertificateNotFound == Ssmtp::ServerCertificateNotFoundError);
static_assert(errc::Interrupted == Ssmtp::InterruptedError);
static_assert(errc::ConnectionDropped == Ssmtp::ConnectionDroppedError);
static_assert(errc::ConnectionRefused == Ssmtp::ConnectionRefusedError);
static_assert(errc::HostUnreachable == Ssmtp::HostUnreachableError);
static_assert(errc::HostNotFound == Ssmtp::HostNotFoundError);

QString ssmtpErrorText(Ssmtp::Error error)
{
    switch (error) {
    case Ssmtp::NoError:
        return QString();
    case Ssmtp::PortChangeWhileConnectedError:
        return QCoreApplication::translate(
            "Ssmtp", "You cannot change the MailPort at this time. A connection is in progress.");
    case Ssmtp::ServerChangeWhileConnectedError:
        return QCoreApplication::translate(
            "Ssmtp", "You cannot change the MailServer at this time. A connection is in progress.");
    case Ssmtp::AlreadyConnectedError:
        return QCoreApplication::translate(
            "Ssmtp",
            "Already connected. If you want to reconnect, close the current connection first.");
    case Ssmtp::LocalPortChangeWhileConnectedError:
        return QCoreApplication::translate(
            "Ssmtp", "You cannot change the LocalPort at this time. A connection is in progress.");
    case Ssmtp::LocalHostChangeWhileConnectedError:
        return QCoreApplication::translate(
            "Ssmtp", "You cannot change the LocalHost at this time. A connection is in progress.");
    case Ssmtp::MaxLineLengthChangeWhileConnectedError:
        return QCoreApplication::translate(
            "Ssmtp", "You cannot change MaxLineLength at this time. A connection is in progress.");
    case Ssmtp::InvalidPortError:
        return QCoreApplication::translate("Ssmtp", "MailPort must be between 1 and 65535.");
    case Ssmtp::NoServerError:
        return QCoreApplication::translate("Ssmtp", "Please specify a MailServer.");
    case Ssmtp::NoSenderError:
        return QCoreApplication::translate("Ssmtp", "Please specify a sender (From).");
    case Ssmtp::NoRecipientError:
        return QCoreApplication::translate("Ssmtp", "Please specify a recipient.");
    case Ssmtp::BusyError:
        return QCoreApplication::translate("Ssmtp", "Busy executing current method.");
    case Ssmtp::TimeoutError:
        return QCoreApplication::translate("Ssmtp", "Timeout.");
    case Ssmtp::ActionImpossibleError:
        return QCoreApplication::translate("Ssmtp",
                                           "Action impossible in the component's present state.");
    case Ssmtp::NotConnectedError:
        return QCoreApplication::translate("Ssmtp", "Action impossible while not connected.");
    case Ssmtp::InterruptedError:
        return QCoreApplication::translate("Ssmtp", "Operation interrupted.");
    case Ssmtp::ConnectionDroppedError:
        return QCoreApplication::translate("Ssmtp", "Connection dropped by remote host.");
    default:
        return QCoreApplication::translate("Ssmtp", "Error %1.").arg(int(error));
    }
}
