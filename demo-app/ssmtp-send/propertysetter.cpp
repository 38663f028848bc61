#include "propertysetter.h"

#include <QCoreApplication>
#include <QFile>
#include <QMetaEnum>
#include <QMetaProperty>
#include <QObject>

QString setPropertyFromText(QObject *object, const QString &assignment)
{
    const qsizetype eq = assignment.indexOf(QLatin1Char('='));
    if (eq <= 0)
        return QCoreApplication::translate("ssmtp-send", "--set expects NAME=VALUE, got \"%1\"")
            .arg(assignment);
    const QString name = assignment.left(eq).trimmed();
    QString text = assignment.mid(eq + 1);
    QByteArray bytes = text.toUtf8();
    if (text.startsWith(QLatin1Char('@'))) {
        QFile file(text.mid(1));
        if (!file.open(QIODevice::ReadOnly))
            return QCoreApplication::translate("ssmtp-send", "Cannot read %1: %2")
                .arg(file.fileName(), file.errorString());
        bytes = file.readAll();
        text = QString::fromUtf8(bytes);
    }

    const QMetaObject *meta = object->metaObject();
    int index = meta->indexOfProperty(name.toLatin1().constData());
    if (index < 0) {
        // Accept any letter case ("mailserver" for "mailServer").
        for (int i = 0; i < meta->propertyCount(); ++i) {
            if (QLatin1String(meta->property(i).name()).compare(name, Qt::CaseInsensitive) == 0) {
                index = i;
                break;
            }
        }
    }
    if (index < 0)
        return QCoreApplication::translate("ssmtp-send", "Unknown property \"%1\".").arg(name);
    const QMetaProperty property = meta->property(index);
    if (!property.isWritable())
        return QCoreApplication::translate("ssmtp-send", "The property \"%1\" is read-only.")
            .arg(QLatin1String(property.name()));

    QVariant value;
    if (property.isEnumType()) {
        const QMetaEnum e = property.enumerator();
        bool isNumber = false;
        const int n = text.trimmed().toInt(&isNumber);
        bool ok = isNumber && e.valueToKey(n) != nullptr;
        int v = n;
        if (!isNumber) {
            // Any letter case, and without the enum's prefix: "explicit" for SslExplicit.
            const QString wanted = text.trimmed();
            int matches = 0;
            for (int i = 0; i < e.keyCount(); ++i) {
                const QLatin1String key(e.key(i));
                if (key.compare(wanted, Qt::CaseInsensitive) == 0) {
                    v = e.value(i);
                    matches = 1;
                    break;
                }
                if (!wanted.isEmpty() && key.endsWith(wanted, Qt::CaseInsensitive)) {
                    v = e.value(i);
                    ++matches;
                }
            }
            ok = matches == 1;
        }
        if (!ok) {
            QStringList keys;
            for (int i = 0; i < e.keyCount(); ++i)
                keys.append(QLatin1String(e.key(i)));
            return QCoreApplication::translate("ssmtp-send",
                                               "Invalid value \"%1\" for %2; expected one of: %3")
                .arg(text, QLatin1String(property.name()), keys.join(QLatin1String(", ")));
        }
        value = QVariant(property.metaType(), &v);
    } else {
        switch (property.metaType().id()) {
        case QMetaType::Bool: {
            const QString t = text.trimmed().toLower();
            if (t != QLatin1String("true") && t != QLatin1String("false"))
                return QCoreApplication::translate(
                           "ssmtp-send", "Invalid value \"%1\" for %2; expected true or false")
                    .arg(text, QLatin1String(property.name()));
            value = t == QLatin1String("true");
            break;
        }
        case QMetaType::Int: {
            bool ok = false;
            value = text.trimmed().toInt(&ok);
            if (!ok)
                return QCoreApplication::translate("ssmtp-send",
                                                   "Invalid value \"%1\" for %2; expected a number")
                    .arg(text, QLatin1String(property.name()));
            break;
        }
        case QMetaType::QByteArray:
            value = bytes;
            break;
        case QMetaType::QString:
            value = text;
            break;
        default:
            return QCoreApplication::translate(
                       "ssmtp-send", "The property \"%1\" cannot be set from the command line.")
                .arg(QLatin1String(property.name()));
        }
    }
    if (!property.write(object, value))
        return QCoreApplication::translate("ssmtp-send", "Cannot set %1 to \"%2\".")
            .arg(QLatin1String(property.name()), text);
    return QString();
}
