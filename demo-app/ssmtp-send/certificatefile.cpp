#include "certificatefile.h"

#include <QCoreApplication>
#include <QFile>

bool readWholeFile(const QString &path, QByteArray *contents, int *errorCode, QString *errorText)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *errorCode = Ssmtp::CannotOpenFileError;
        *errorText = QCoreApplication::translate("ssmtp-send", "Cannot open %1: %2")
                         .arg(file.fileName(), file.errorString());
        return false;
    }
    *contents = file.readAll();
    return true;
}

SsmtpCertificate loadCertificateSpec(const QString &spec, int *errorCode, QString *errorText)
{
    // FILE[:PASSWORD]: the password is what follows the last ':' when FILE exists without it.
    QString path = spec;
    QString password;
    const qsizetype colon = path.lastIndexOf(QLatin1Char(':'));
    if (colon > 0 && !QFile::exists(path)) {
        password = path.mid(colon + 1);
        path.truncate(colon);
    }
    QByteArray data;
    if (!readWholeFile(path, &data, errorCode, errorText))
        return {};
    QString error;
    SsmtpCertificate certificate = SsmtpCertificate::load(SsmtpCertificate::Auto, data, password,
                                                          QStringLiteral("*"), QString(), &error);
    if (certificate.isNull()) {
        *errorCode = Ssmtp::CertificateNotFoundError;
        *errorText = error;
    }
    return certificate;
}
