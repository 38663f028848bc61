// Whole-file reads and writes for tests. A failure is not fatal here: readFile() gives an empty
// array and writeFile() false, which the test's own check then reports.
#pragma once

#include <QByteArray>
#include <QFile>
#include <QString>

namespace testfiles {

inline QByteArray readFile(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

// Creates or replaces the file; true only if all of data was written.
inline bool writeFile(const QString &path, const QByteArray &data)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly | QIODevice::Truncate) && file.write(data) == data.size();
}

} // namespace testfiles
