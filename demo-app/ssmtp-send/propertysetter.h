// Sets a Q_PROPERTY of a QObject from command-line text: enums by key or number, booleans
// true/false, numbers, strings; "@path" reads the value from a file.
#pragma once

#include <QString>

QT_BEGIN_NAMESPACE
class QObject;
QT_END_NAMESPACE

// Returns an empty string on success, otherwise a translated reason.
QString setPropertyFromText(QObject *object, const QString &assignment);
