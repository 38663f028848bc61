// Content type guessing for attachments (QMimeDatabase, i.e. the freedesktop.org shared MIME
// database), with application/octet-stream as the fallback.
#pragma once

#include <QByteArray>
#include <QString>

namespace ssmtp::message {

// The media type ("type/subtype", lower case) for an attachment:
//  1. from the file name (name is what the recipient sees; it may differ from the file on
//     disk) when it matches a known pattern (extension or whole name such as "README"),
//  2. when there is no name or the name has no extension at all, and data is non-empty:
//     from the content (magic numbers; printable text gives text/plain). A name with an
//     unknown extension ("x.bin") is not sniffed: it stays opaque,
//  3. otherwise application/octet-stream.
// Files on disk are not sniffed here: the caller passes a first piece of the file as data
// when it wants content sniffing.
QByteArray guessMimeType(const QString &name, const QByteArray &data = QByteArray());

} // namespace ssmtp::message
