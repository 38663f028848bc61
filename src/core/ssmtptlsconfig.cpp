// The spec's SSL config settings (docs/tls.md lists them with their meaning here).
#include "ssmtp_p.h"
#include "transport/tlsnames.h"

namespace transport = ssmtp::transport;

#include <QCoreApplication>
#include <QFileInfo>
#include <QRegularExpression>
#include <QSslCertificate>
#include <QSslCipher>
#include <QSslKey>

namespace {

QString yesNo(bool b)
{
    return b ? QStringLiteral("True") : QStringLiteral("False");
}

} // namespace

bool SsmtpPrivate::tlsConfig(const QString &name, bool write, const QString &value, QString *result)
{
    auto is = [&](const char *n) {
        return name.compare(QLatin1String(n), Qt::CaseInsensitive) == 0;
    };
    auto invalid = [&](const QString &why) {
        setError(
            Ssmtp::InvalidConfigValueError,
            QCoreApplication::translate("Ssmtp", "Invalid value \"%1\" for config setting %2: %3")
                .arg(value, name, why));
        *result = QString();
        return true;
    };
    auto readOnly = [&]() {
        setError(
            Ssmtp::InvalidConfigValueError,
            QCoreApplication::translate("Ssmtp", "The config setting %1 is read-only.").arg(name));
        *result = QString();
        return true;
    };
    auto done = [&](const QString &r = QString()) {
        *result = r;
        return true;
    };
    auto boolSetting = [&](bool &field) {
        if (!write)
            return done(yesNo(field));
        bool ok = false;
        const bool b = parseConfigBool(value, ok);
        if (!ok)
            return invalid(
                QCoreApplication::translate("Ssmtp", "expected True, False, 1, 0, Yes or No"));
        field = b;
        return done();
    };
    auto intSetting = [&](int &field, int min, int max) {
        if (!write)
            return done(QString::number(field));
        bool ok = false;
        const int n = value.trimmed().toInt(&ok);
        if (!ok || n < min || n > max)
            return invalid(QCoreApplication::translate("Ssmtp", "expected a number from %1 to %2")
                               .arg(min)
                               .arg(max));
        field = n;
        return done();
    };
    auto stringSetting = [&](QString &field) {
        if (!write)
            return done(field);
        field = value.trimmed();
        return done();
    };
    // PEM certificates, one or more (the spec separates them with CRLF).
    auto pemSetting = [&](QString &field) {
        if (!write)
            return done(field);
        const QString v = value.trimmed();
        if (!v.isEmpty() && QSslCertificate::fromData(v.toLatin1(), QSsl::Pem).isEmpty())
            return invalid(
                QCoreApplication::translate("Ssmtp", "expected PEM-encoded certificates"));
        field = v;
        return done();
    };

    if (is("SSLServerCACerts"))
        return pemSetting(tls.serverCaCerts);
    if (is("SSLCACerts"))
        return pemSetting(tls.caCerts);
    if (is("SSLEnabledProtocols")) {
        if (!write)
            return done(QString::number(tls.enabledProtocols));
        bool ok = false;
        const int bits = value.trimmed().toInt(&ok, 0);
        if (!ok || bits < 0)
            return invalid(QCoreApplication::translate("Ssmtp", "expected a whole number"));
        if ((bits & 0x3C00) == 0)
            return invalid(QCoreApplication::translate(
                "Ssmtp", "TLS 1.2 (3072) or TLS 1.3 (12288) must be enabled; older protocols "
                         "are not supported"));
        tls.enabledProtocols = bits;
        return done();
    }
    if (is("SSLEnabledCipherSuites")) {
        if (!write)
            return done(tls.enabledCipherSuites);
        const QString v = value.trimmed();
        if (v.isEmpty() || v == QLatin1String("*")) {
            tls.enabledCipherSuites = QStringLiteral("*");
            return done();
        }
        const QStringList names =
            v.split(QRegularExpression(QStringLiteral("[;:,\\s]+")), Qt::SkipEmptyParts);
        for (const QString &n : names) {
            if (QSslCipher(n).isNull())
                return invalid(
                    QCoreApplication::translate("Ssmtp", "unknown cipher suite %1").arg(n));
        }
        tls.enabledCipherSuites = v;
        return done();
    }
    if (is("OpenSSLCipherList"))
        return stringSetting(tls.openSslCipherList);
    if (is("OpenSSLCAFile") || is("OpenSSLCADir")) {
        QString &field = is("OpenSSLCAFile") ? tls.openSslCaFile : tls.openSslCaDir;
        if (!write)
            return done(field);
        const QString v = value.trimmed();
        const QFileInfo info(v);
        const bool wantDir = is("OpenSSLCADir");
        if (!v.isEmpty() && (!info.exists() || info.isDir() != wantDir))
            return invalid(wantDir ? QCoreApplication::translate("Ssmtp", "no such directory")
                                   : QCoreApplication::translate("Ssmtp", "no such file"));
        field = v;
        return done();
    }
    if (is("TLS12SupportedGroups") || is("TLS13SupportedGroups") ||
        is("TLS12SignatureAlgorithms") || is("TLS13SignatureAlgorithms")) {
        const bool groups = name.endsWith(QLatin1String("Groups"), Qt::CaseInsensitive);
        const bool v13 = name.startsWith(QLatin1String("TLS13"), Qt::CaseInsensitive);
        QString &field = groups
                             ? (v13 ? tls.tls13Groups : tls.tls12Groups)
                             : (v13 ? tls.tls13SignatureAlgorithms : tls.tls12SignatureAlgorithms);
        if (!write)
            return done(field);
        QString unknown;
        const QString v = value.trimmed();
        const QByteArray mapped = groups ? transport::opensslGroups(v, &unknown)
                                         : transport::opensslSignatureAlgorithms(v, &unknown);
        if (mapped.isEmpty() && !unknown.isEmpty())
            return invalid(QCoreApplication::translate("Ssmtp", "unknown name %1").arg(unknown));
        field = v;
        return done();
    }
    if (is("SSLIncludeCertChain"))
        return boolSetting(tls.includeCertChain);
    if (is("ReuseSSLSession"))
        return boolSetting(tls.reuseSession);
    if (is("SSLCheckOCSP"))
        return intSetting(tls.checkOcsp, 0, 2);
    if (is("SSLSecurityFlags")) {
        if (!write)
            return done(QStringLiteral("0x%1").arg(tls.securityFlags, 8, 16, QLatin1Char('0')));
        bool ok = false;
        const uint flags = value.trimmed().toUInt(&ok, 0);
        if (!ok)
            return invalid(QCoreApplication::translate(
                "Ssmtp", "expected a number, hexadecimal with 0x (e.g. 0x80000000)"));
        tls.securityFlags = flags;
        return done();
    }
    // Accepted for compatibility; Qt's TLS backend gives them no meaning (docs/tls.md).
    if (is("SSLCheckCRL"))
        return intSetting(tls.checkCrl, 0, 2);
    if (is("SSLCipherStrength"))
        return intSetting(tls.cipherStrength, 0, 1 << 16);
    if (is("SSLEnableRenegotiation"))
        return boolSetting(tls.enableRenegotiation);
    if (is("SSLKeyLogFile"))
        return stringSetting(tls.keyLogFile);
    if (is("LogSSLPackets"))
        return boolSetting(tls.logSslPackets);
    if (is("CACertFilePaths"))
        return stringSetting(tls.caCertFilePaths);
    if (is("TLS13KeyShareGroups"))
        return stringSetting(tls.tls13KeyShareGroups);
    if (is("UseInternalSecurityAPI"))
        return boolSetting(tls.useInternalSecurityApi);

    // The negotiated parameters of the current or last TLS connection (read-only).
    const bool negotiated = name.startsWith(QLatin1String("SSLNegotiated"), Qt::CaseInsensitive);
    if (!negotiated)
        return false;
    const QSslCipher cipher = session->sessionCipher();
    QString answer;
    if (is("SSLNegotiatedCipher"))
        answer = cipher.encryptionMethod();
    else if (is("SSLNegotiatedCipherStrength"))
        answer = cipher.isNull() ? QString() : QString::number(cipher.usedBits());
    else if (is("SSLNegotiatedCipherSuite"))
        answer = cipher.name();
    else if (is("SSLNegotiatedKeyExchange"))
        answer = cipher.keyExchangeMethod();
    else if (is("SSLNegotiatedKeyExchangeStrength"))
        answer = session->ephemeralKeyBits() > 0 ? QString::number(session->ephemeralKeyBits())
                                                 : QString();
    else if (is("SSLNegotiatedVersion"))
        answer = cipher.protocolString();
    else
        return false;
    if (write)
        return readOnly();
    return done(answer);
}
