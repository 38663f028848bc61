#include "messageid.h"

#include <QCryptographicHash>
#include <QRandomGenerator>
#include <QUrl>

#include <optional>

namespace ssmtp::message {

namespace {

std::optional<QCryptographicHash::Algorithm> hashAlgorithm(const QString &name)
{
    if (name.compare(QLatin1String("SHA1"), Qt::CaseInsensitive) == 0)
        return QCryptographicHash::Sha1;
    if (name.compare(QLatin1String("SHA256"), Qt::CaseInsensitive) == 0)
        return QCryptographicHash::Sha256;
    if (name.compare(QLatin1String("MD5"), Qt::CaseInsensitive) == 0)
        return QCryptographicHash::Md5;
    return std::nullopt;
}

// atext of RFC 5322 3.2.3 (ASCII only: the id goes into a header that must not need
// SMTPUTF8).
bool isAtext(char c)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return true;
    return c != 0 && QByteArrayView("!#$%&'*+-/=?^_`{|}~").contains(c);
}

// id-right = dot-atom-text / no-fold-literal (RFC 5322 3.6.4).
bool isValidIdRight(QByteArrayView domain)
{
    if (domain.isEmpty())
        return false;
    if (domain.startsWith('[') && domain.endsWith(']') && domain.size() > 2) {
        for (const char c : domain.sliced(1, domain.size() - 2)) {
            if (c < 33 || c > 126 || c == '[' || c == ']' || c == '\\')
                return false;
        }
        return true;
    }
    if (domain.startsWith('.') || domain.endsWith('.') || domain.contains(".."))
        return false;
    for (const char c : domain) {
        if (c != '.' && !isAtext(c))
            return false;
    }
    return true;
}

} // namespace

QByteArray generateMessageId(const QString &algorithm, const QString &domain)
{
    const auto algo = hashAlgorithm(algorithm);
    if (!algo)
        return {};

    // An internationalised domain goes in its ACE form; a trailing root dot is dropped.
    QString host = domain.trimmed();
    if (host.endsWith(QLatin1Char('.')))
        host.chop(1);
    QByteArray right = host.isEmpty() ? QByteArrayLiteral("localhost") : QUrl::toAce(host);
    if (right.isEmpty() && !host.isEmpty()) // not a valid IDN: use as is, checked below
        right = host.toUtf8();
    if (!isValidIdRight(right))
        return {};

    // 32 bytes from the system CSPRNG make collisions practically impossible on their own;
    // the time is mixed in so ids stay distinct even with a broken entropy source.
    quint32 random[8];
    QRandomGenerator::system()->fillRange(random);
    const qint64 now = QDateTime::currentMSecsSinceEpoch();

    QCryptographicHash hash(*algo);
    hash.addData(QByteArrayView(reinterpret_cast<const char *>(random), sizeof(random)));
    hash.addData(QByteArrayView(reinterpret_cast<const char *>(&now), sizeof(now)));
    return '<' + hash.result().toHex() + '@' + right + '>';
}

QByteArray formatRfc5322Date(const QDateTime &dateTime)
{
    // RFC 5322 3.3: a four-digit year, 1900 or later.
    if (!dateTime.isValid() || dateTime.date().year() < 1900 || dateTime.date().year() > 9999)
        return {};

    // Fixed English names: the date is protocol syntax, not UI text, so QLocale is avoided.
    static const char *const kDays[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    static const char *const kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

    const QDate date = dateTime.date();
    const QTime time = dateTime.time();
    // Zone offsets are whole minutes in practice; seconds (historic LMT zones) are dropped.
    const int offsetMinutes = dateTime.offsetFromUtc() / 60;
    const int absOffset = offsetMinutes < 0 ? -offsetMinutes : offsetMinutes;

    auto twoDigits = [](int n) { return QByteArray::number(n).rightJustified(2, '0'); };
    return QByteArray(kDays[date.dayOfWeek() - 1]) + ", " + twoDigits(date.day()) + ' ' +
           kMonths[date.month() - 1] + ' ' + QByteArray::number(date.year()) + ' ' +
           twoDigits(time.hour()) + ':' + twoDigits(time.minute()) + ':' +
           twoDigits(time.second()) + ' ' + (offsetMinutes < 0 ? '-' : '+') +
           twoDigits(absOffset / 60) + twoDigits(absOffset % 60);
}

} // namespace ssmtp::message
