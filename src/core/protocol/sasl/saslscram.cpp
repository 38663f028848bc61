#include "saslscram.h"

#include "transport/printabletext.h"

#include "sasltools.h"

#include <QCoreApplication>
#include <QMessageAuthenticationCode>
#include <QPasswordDigestor>

namespace ssmtp::protocol::sasl {

namespace {

constexpr auto Hash = QCryptographicHash::Sha256;

QByteArray hmac(const QByteArray &key, const QByteArray &message)
{
    return QMessageAuthenticationCode::hash(message, key, Hash);
}

// RFC 5802 uses SASLprep (RFC 4013); its core for passwords typed by people is Unicode NFKC,
// which Qt provides. Plain ASCII is unchanged.
QString prepared(const QString &text)
{
    return text.normalized(QString::NormalizationForm_KC);
}

// The value of attribute `name` ("r", "s", ...) in "a=v" at the front of `attributes`.
std::optional<QByteArray> takeAttribute(QList<QByteArray> &attributes, char name)
{
    if (attributes.isEmpty())
        return std::nullopt;
    const QByteArray first = attributes.takeFirst();
    if (first.size() < 2 || first.at(0) != name || first.at(1) != '=')
        return std::nullopt;
    return first.mid(2);
}

} // namespace

ScramSha256Mechanism::ScramSha256Mechanism(const Credentials &credentials)
    : m_credentials(credentials)
    , m_clientNonce(randomNonce())
{}

std::nullopt_t ScramSha256Mechanism::refuse(const QString &why)
{
    m_error = why;
    m_step = Step::Done;
    return std::nullopt;
}

std::optional<QByteArray> ScramSha256Mechanism::initialResponse()
{
    // gs2-header: no channel binding ("n"), optional authorization identity.
    m_gs2Header = "n,";
    if (!m_credentials.authorizationIdentity.isEmpty())
        m_gs2Header += "a=" + saslName(prepared(m_credentials.authorizationIdentity));
    m_gs2Header += ',';
    m_clientFirstBare = "n=" + saslName(prepared(m_credentials.user)) + ",r=" + m_clientNonce;
    m_step = Step::ClientFirstSent;
    return m_gs2Header + m_clientFirstBare;
}

std::optional<QByteArray> ScramSha256Mechanism::respond(const QByteArray &challenge)
{
    switch (m_step) {
    case Step::Start:
        // A server that ignored the initial response asks with an empty challenge.
        if (!challenge.isEmpty())
            return refuse(QCoreApplication::translate(
                "Ssmtp", "SCRAM-SHA-256: the server sent a challenge before the client's first "
                         "message."));
        return initialResponse();
    case Step::ClientFirstSent:
        return clientFinal(challenge);
    case Step::ClientFinalSent:
        return verifyServerFinal(challenge);
    case Step::Done:
        break;
    }
    return std::nullopt;
}

std::optional<QByteArray> ScramSha256Mechanism::clientFinal(const QByteArray &serverFirst)
{
    const QString malformed =
        QCoreApplication::translate("Ssmtp", "The server sent a malformed SCRAM-SHA-256 message.");
    // server-first-message = [reserved-mext ","] nonce "," salt "," iteration-count ["," ext]
    QList<QByteArray> attributes = serverFirst.split(',');
    if (!attributes.isEmpty() && attributes.first().startsWith("m="))
        return refuse(QCoreApplication::translate(
            "Ssmtp", "The server requires a SCRAM extension this client does not support."));
    const auto nonce = takeAttribute(attributes, 'r');
    const auto salt64 = takeAttribute(attributes, 's');
    const auto count = takeAttribute(attributes, 'i');
    if (!nonce || !salt64 || !count)
        return refuse(malformed);
    // The server's nonce must extend ours (RFC 5802 5.1), else this is a replay or a stranger.
    if (!nonce->startsWith(m_clientNonce) || nonce->size() <= m_clientNonce.size() ||
        nonce->contains('\0'))
        return refuse(QCoreApplication::translate(
            "Ssmtp", "The server's SCRAM nonce does not extend the client's nonce."));
    const auto salt =
        QByteArray::fromBase64Encoding(*salt64, QByteArray::AbortOnBase64DecodingErrors);
    if (!salt || salt.decoded.isEmpty())
        return refuse(malformed);
    bool ok = false;
    const int iterations = count->toInt(&ok);
    // RFC 7677 asks servers for at least 4096 rounds; fewer is weak but still accepted (old
    // servers and their stored keys exist), absurdly many would stall the client.
    if (!ok || iterations < 1 || iterations > MaxIterations)
        return refuse(QCoreApplication::translate(
                          "Ssmtp", "The server asked for an unacceptable SCRAM iteration "
                                   "count (%1).")
                          .arg(transport::printableText(*count, 20)));

    const QByteArray saltedPassword = QPasswordDigestor::deriveKeyPbkdf2(
        Hash, prepared(m_credentials.password).toUtf8(), salt.decoded, iterations, 32);
    const QByteArray clientKey = hmac(saltedPassword, "Client Key");
    const QByteArray storedKey = QCryptographicHash::hash(clientKey, Hash);
    const QByteArray withoutProof = "c=" + m_gs2Header.toBase64() + ",r=" + *nonce;
    const QByteArray authMessage = m_clientFirstBare + ',' + serverFirst + ',' + withoutProof;
    const QByteArray clientSignature = hmac(storedKey, authMessage);
    QByteArray proof = clientKey;
    for (qsizetype i = 0; i < proof.size(); ++i)
        proof[i] = static_cast<char>(proof.at(i) ^ clientSignature.at(i));
    m_expectedServerSignature = hmac(hmac(saltedPassword, "Server Key"), authMessage);
    m_step = Step::ClientFinalSent;
    return withoutProof + ",p=" + proof.toBase64();
}

std::optional<QByteArray> ScramSha256Mechanism::verifyServerFinal(const QByteArray &serverFinal)
{
    m_step = Step::Done;
    if (serverFinal.startsWith("e="))
        return refuse(QCoreApplication::translate("Ssmtp", "The server refused the login: %1")
                          .arg(transport::printableText(serverFinal.mid(2), 200)));
    QList<QByteArray> attributes = serverFinal.split(',');
    const auto signature64 = takeAttribute(attributes, 'v');
    const auto signature = QByteArray::fromBase64Encoding(signature64.value_or(QByteArray()),
                                                          QByteArray::AbortOnBase64DecodingErrors);
    if (!signature64 || !signature || !equalDigests(signature.decoded, m_expectedServerSignature))
        return refuse(QCoreApplication::translate(
            "Ssmtp", "The server's SCRAM signature is wrong: it does not know the password "
                     "(possibly an impostor). Not continuing."));
    // Verified: the empty response lets the server send its final 235.
    m_serverVerified = true;
    return QByteArray();
}

} // namespace ssmtp::protocol::sasl
