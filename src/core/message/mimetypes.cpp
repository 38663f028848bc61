#include "mimetypes.h"

#include <QFileInfo>
#include <QMimeDatabase>
#include <QMimeType>

namespace ssmtp::message {

QByteArray guessMimeType(const QString &name, const QByteArray &data)
{
    const QMimeDatabase db;
    if (!name.isEmpty()) {
        const QMimeType byName = db.mimeTypeForFile(name, QMimeDatabase::MatchExtension);
        if (byName.isValid() && !byName.isDefault())
            return byName.name().toLatin1().toLower();
    }
    // The content decides only when the name has no extension: "x.bin" with unknown
    // extension stays opaque whatever its bytes look like.
    if (!data.isEmpty() && QFileInfo(name).suffix().isEmpty()) {
        const QMimeType byContent = db.mimeTypeForData(data);
        if (byContent.isValid() && !byContent.isDefault())
            return byContent.name().toLatin1().toLower();
    }
    return QByteArrayLiteral("application/octet-stream");
}

} // namespace ssmtp::message
