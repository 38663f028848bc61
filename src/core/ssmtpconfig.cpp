// config("Name=Value") / config("Name"): the spec's Config method over SsmtpSettings.
#include "ssmtp_p.h"
#include "ssmtperrors_p.h"

#include "transport/httpconnect.h"

#include <QCoreApplication>

#include <variant>

bool parseConfigBool(const QString &text, bool &ok)
{
    const QString t = text.trimmed().toLower();
    ok = true;
    if (t == QLatin1String("true") || t == QLatin1String("1") || t == QLatin1String("yes"))
        return true;
    if (t == QLatin1String("false") || t == QLatin1String("0") || t == QLatin1String("no"))
        return false;
    ok = false;
    return false;
}

namespace {

using Field = std::variant<bool SsmtpSettings::*, int SsmtpSettings::*, qint64 SsmtpSettings::*,
                           QString SsmtpSettings::*>;

struct Entry
{
    const char *name;
    Field field;
    qint64 min = 0;
    qint64 max = 0; // for numbers; 0/0 = any non-negative value
    bool lockedWhileConnected = false;
    Ssmtp::Error lockedError = Ssmtp::NoError;
};

const Entry *findEntry(const QString &name)
{
    static const Entry entries[] = {
        {"AllowEmptyTo", &SsmtpSettings::allowEmptyTo},
        {"AuthorizationIdentity", &SsmtpSettings::authorizationIdentity},
        {"Charset", &SsmtpSettings::charset},
        {"FoldHeaders", &SsmtpSettings::foldHeaders},
        {"Hello", &SsmtpSettings::hello},
        {"KeepQueue", &SsmtpSettings::keepQueue},
        {"MaxHeaderLength", &SsmtpSettings::maxHeaderLength, 20, 998},
        {"MessageIdAlgorithm", &SsmtpSettings::messageIdAlgorithm},
        {"SendRSET", &SsmtpSettings::sendRset},
        {"StopOnBccErrors", &SsmtpSettings::stopOnBccErrors},
        {"StopOnCcErrors", &SsmtpSettings::stopOnCcErrors},
        {"StopOnToErrors", &SsmtpSettings::stopOnToErrors},
        {"DSNRet", &SsmtpSettings::dsnRet},
        {"DSNEnvelopeId", &SsmtpSettings::dsnEnvelopeId},
        {"AllowInsecureAuth", &SsmtpSettings::allowInsecureAuth},
        {"DetachedSignature", &SsmtpSettings::detachedSignature},
        {"UsePSS", &SsmtpSettings::usePss},
        {"UseOAEP", &SsmtpSettings::useOaep},
        {"EncryptToSelf", &SsmtpSettings::encryptToSelf},
        {"AbsoluteTimeout", &SsmtpSettings::absoluteTimeout},
        {"CloseStreamAfterTransfer", &SsmtpSettings::closeStreamAfterTransfer},
        {"ConnectionTimeout", &SsmtpSettings::connectionTimeout, 0, 86400},
        {"InBufferSize", &SsmtpSettings::inBufferSize, 0, 1 << 30},
        {"KeepAliveInterval", &SsmtpSettings::keepAliveInterval, 0, 1 << 30},
        {"KeepAliveTime", &SsmtpSettings::keepAliveTime, 0, 1 << 30},
        {"Linger", &SsmtpSettings::linger},
        {"LingerTime", &SsmtpSettings::lingerTime, 0, 65535},
        {"LocalPort", &SsmtpSettings::localPort, 0, 65535, true,
         Ssmtp::LocalPortChangeWhileConnectedError},
        {"MaskSensitive", &SsmtpSettings::maskSensitive},
        {"MaskSensitiveData", &SsmtpSettings::maskSensitive}, // the C++ edition's name
        {"MaxLineLength", &SsmtpSettings::maxLineLength, 256, 1 << 24, true,
         Ssmtp::MaxLineLengthChangeWhileConnectedError},
        {"MaxTransferRate", &SsmtpSettings::maxTransferRate, 0, qint64(1) << 40},
        {"OutBufferSize", &SsmtpSettings::outBufferSize, 0, 1 << 30},
        {"TCPKeepAlive", &SsmtpSettings::tcpKeepAlive},
        {"TcpNoDelay", &SsmtpSettings::tcpNoDelay},
        {"UseIPv6", &SsmtpSettings::useIPv6, 0, 2},
        {"UseNTLMv2", &SsmtpSettings::useNtlmV2},
        {"ProxyExceptionsList", &SsmtpSettings::proxyExceptionsList},
        {"GUIAvailable", &SsmtpSettings::guiAvailable},
        {"FirewallListener", &SsmtpSettings::firewallListener}, // no effect: never listens
    };
    for (const Entry &e : entries) {
        if (name.compare(QLatin1String(e.name), Qt::CaseInsensitive) == 0)
            return &e;
    }
    return nullptr;
}

// The Firewall* settings that are fields of the firewall property, and FirewallData. Returns
// false when `name` is none of them; otherwise *result is the value read, or *why says why a
// value to write is invalid.
bool firewallSetting(SsmtpPrivate &d, const QString &name, const QString *value, QString *result,
                     QString *why)
{
    auto is = [&](const char *n) {
        return name.compare(QLatin1String(n), Qt::CaseInsensitive) == 0;
    };
    SsmtpFirewall fw = d.firewall;
    if (is("FirewallData")) {
        if (!value) {
            *result = d.settings.firewallData;
            return true;
        }
        ssmtp::transport::httpconnect::normaliseExtraHeaders(*value, why); // only to check it
        if (why->isEmpty())
            d.settings.firewallData = *value;
        return true;
    }
    if (is("FirewallAutoDetect")) {
        if (!value) {
            *result = fw.autoDetect() ? QStringLiteral("True") : QStringLiteral("False");
            return true;
        }
        bool ok = false;
        fw.setAutoDetect(parseConfigBool(*value, ok));
        if (!ok)
            *why = QCoreApplication::translate("Ssmtp", "expected True, False, 1, 0, Yes or No");
    } else if (is("FirewallType")) {
        if (!value) {
            *result = QString::number(int(fw.firewallType()));
            return true;
        }
        bool ok = false;
        const int type = value->trimmed().toInt(&ok);
        ok = ok && (type == 0 || type == 1 || type == 2 || type == 3 || type == 10);
        if (!ok)
            *why = QCoreApplication::translate("Ssmtp", "expected 0, 1, 2, 3 or 10");
        else
            fw.setFirewallType(SsmtpFirewall::FirewallType(type)); // sets the default port too
    } else if (is("FirewallPort")) {
        if (!value) {
            *result = QString::number(fw.port());
            return true;
        }
        bool ok = false;
        const int port = value->trimmed().toInt(&ok);
        if (!ok || port < 0 || port > 65535)
            *why = QCoreApplication::translate("Ssmtp", "expected a number from 0 to 65535");
        else
            fw.setPort(port);
    } else if (is("FirewallHost") || is("FirewallUser") || is("FirewallPassword")) {
        const bool host = is("FirewallHost");
        const bool user = is("FirewallUser");
        if (!value) {
            *result = host ? fw.host() : user ? fw.user() : fw.password();
            return true;
        }
        if (value->contains(QLatin1Char('\r')) || value->contains(QLatin1Char('\n'))) {
            *why = QCoreApplication::translate("Ssmtp", "line breaks are not allowed");
        } else if (host) {
            fw.setHost(value->trimmed());
        } else if (user) {
            fw.setUser(*value);
        } else {
            fw.setPassword(*value); // verbatim: blanks may belong to it
        }
    } else {
        return false;
    }
    if (why->isEmpty())
        d.q->setFirewall(fw);
    return true;
}

} // namespace

QString SsmtpPrivate::config(const QString &setting)
{
    const qsizetype eq = setting.indexOf(QLatin1Char('='));
    const QString name = (eq < 0 ? setting : setting.left(eq)).trimmed();
    const bool write = eq >= 0;
    const QString value = write ? setting.mid(eq + 1) : QString();
    auto invalid = [&](const QString &why) {
        setError(
            Ssmtp::InvalidConfigValueError,
            QCoreApplication::translate("Ssmtp", "Invalid value \"%1\" for config setting %2: %3")
                .arg(value, name, why));
        return QString();
    };
    auto is = [&](const char *n) {
        return name.compare(QLatin1String(n), Qt::CaseInsensitive) == 0;
    };

    // Settings that are properties or read-only state rather than fields of SsmtpSettings.
    if (is("MessageHeadersString") || is("TransferText") || is("BuildInfo") || is("LicenseInfo")) {
        if (write) {
            setError(Ssmtp::InvalidConfigValueError,
                     QCoreApplication::translate("Ssmtp", "The config setting %1 is read-only.")
                         .arg(name));
            return QString();
        }
        if (is("LicenseInfo"))
            return QStringLiteral("Ssmtp for Qt needs no license key.");
        if (is("BuildInfo")) {
            return QStringLiteral("Ssmtp for Qt %1 (Qt %2, built with Qt %3)")
                .arg(QLatin1String(SSMTP_VERSION_STRING), QLatin1String(qVersion()),
                     QLatin1String(QT_VERSION_STR));
        }
        return QString::fromUtf8(is("TransferText") ? lastTransferText : lastHeaders);
    }
    if (is("OtherHeaders")) {
        if (write)
            q->setOtherHeaders(value);
        return write ? QString() : otherHeaders;
    }
    if (is("ReturnPath")) {
        if (write)
            q->setReturnPath(value);
        return write ? QString() : returnPath;
    }
    if (is("LocalHost")) {
        if (write)
            q->setLocalHost(value);
        return write ? QString() : q->localHost();
    }

    QString tlsResult;
    if (tlsConfig(name, write, value, &tlsResult))
        return tlsResult;

    {
        QString result;
        QString why;
        if (firewallSetting(*this, name, write ? &value : nullptr, &result, &why))
            return why.isEmpty() ? result : invalid(why);
    }

    const Entry *entry = findEntry(name);
    if (!entry) {
        setError(Ssmtp::UnknownConfigError,
                 QCoreApplication::translate("Ssmtp", "Unknown config setting \"%1\".").arg(name));
        return QString();
    }
    if (!write) {
        // Once connected LocalPort shows the port actually used (the spec).
        if (is("LocalPort") && session && session->isConnected())
            return QString::number(session->localPort());
        return std::visit(
            [this](auto member) -> QString {
                const auto &v = settings.*member;
                using T = std::decay_t<decltype(v)>;
                if constexpr (std::is_same_v<T, bool>)
                    return v ? QStringLiteral("True") : QStringLiteral("False");
                else if constexpr (std::is_same_v<T, QString>)
                    return v;
                else
                    return QString::number(v);
            },
            entry->field);
    }
    if (entry->lockedWhileConnected && session && session->isConnected()) {
        setError(entry->lockedError, ssmtpErrorText(entry->lockedError));
        return QString();
    }

    if (auto member = std::get_if<bool SsmtpSettings::*>(&entry->field)) {
        bool ok = false;
        const bool b = parseConfigBool(value, ok);
        if (!ok)
            return invalid(
                QCoreApplication::translate("Ssmtp", "expected True, False, 1, 0, Yes or No"));
        settings.**member = b;
        if (is("FoldHeaders"))
            notifyHeadersChanged();
        return QString();
    }
    if (auto member = std::get_if<QString SsmtpSettings::*>(&entry->field)) {
        const QString v = value.trimmed();
        if (v.contains(QLatin1Char('\r')) || v.contains(QLatin1Char('\n')))
            return invalid(QCoreApplication::translate("Ssmtp", "line breaks are not allowed"));
        if (is("MessageIdAlgorithm")) {
            const QString up = v.toUpper();
            if (up != QLatin1String("MD5") && up != QLatin1String("SHA1") &&
                up != QLatin1String("SHA256"))
                return invalid(
                    QCoreApplication::translate("Ssmtp", "expected MD5, SHA1 or SHA256"));
        }
        if (is("DSNRet")) {
            const QString up = v.toUpper();
            if (!v.isEmpty() && up != QLatin1String("FULL") && up != QLatin1String("HDRS"))
                return invalid(QCoreApplication::translate("Ssmtp", "expected FULL or HDRS"));
            settings.dsnRet = up;
            return QString();
        }
        settings.**member = v;
        if (is("Charset") || is("MessageIdAlgorithm"))
            notifyHeadersChanged();
        return QString();
    }
    bool ok = false;
    const qint64 n = value.trimmed().toLongLong(&ok);
    if (!ok)
        return invalid(QCoreApplication::translate("Ssmtp", "expected a whole number"));
    if (n < entry->min || (entry->max > 0 && n > entry->max))
        return invalid(QCoreApplication::translate("Ssmtp", "expected a number from %1 to %2")
                           .arg(entry->min)
                           .arg(entry->max));
    if (auto member = std::get_if<int SsmtpSettings::*>(&entry->field))
        settings.**member = int(n);
    else if (auto member64 = std::get_if<qint64 SsmtpSettings::*>(&entry->field))
        settings.**member64 = n;
    if (is("MaxHeaderLength"))
        notifyHeadersChanged();
    // The spec: setting either keep-alive timing turns TCPKeepAlive on.
    if ((is("KeepAliveTime") || is("KeepAliveInterval")) && n > 0)
        settings.tcpKeepAlive = true;
    return QString();
}
