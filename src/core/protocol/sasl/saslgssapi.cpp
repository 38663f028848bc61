#include "saslgssapi.h"

#ifdef SSMTP_HAVE_GSSAPI

#include "saslgssapisecuritylayer.h"

#include <QCoreApplication>
#include <QStringList>

#include <gssapi/gssapi.h>
#include <gssapi/gssapi_ext.h>
#include <gssapi/gssapi_krb5.h>
#include <krb5/krb5.h>

namespace ssmtp::protocol::sasl {

namespace {

// gss_display_status() gives one or more messages per code.
QStringList statusMessages(OM_uint32 code, int type)
{
    QStringList messages;
    OM_uint32 messageContext = 0;
    do {
        OM_uint32 minor = 0;
        gss_buffer_desc text = GSS_C_EMPTY_BUFFER;
        if (GSS_ERROR(
                gss_display_status(&minor, code, type, gss_mech_krb5, &messageContext, &text)))
            break;
        messages << QString::fromUtf8(static_cast<const char *>(text.value),
                                      static_cast<qsizetype>(text.length));
        gss_release_buffer(&minor, &text);
    } while (messageContext != 0);
    return messages;
}

// The Kerberos (minor) text when there is one, as it says what is wrong ("No Kerberos
// credentials available (default cache: FILE:/tmp/krb5cc_1000)"), else the generic GSSAPI one.
QString statusText(OM_uint32 major, OM_uint32 minor)
{
    QStringList parts;
    if (minor != 0)
        parts = statusMessages(minor, GSS_C_MECH_CODE);
    parts.removeAll(QString());
    if (parts.isEmpty())
        parts = statusMessages(major, GSS_C_GSS_CODE);
    return parts.join(QStringLiteral("; "));
}

gss_buffer_desc bufferOf(const QByteArray &data)
{
    // GSSAPI's input buffers are not const-qualified but are only read.
    return {static_cast<size_t>(data.size()), const_cast<char *>(data.constData())};
}

// Moves a buffer the library allocated into a QByteArray.
QByteArray takeBuffer(gss_buffer_desc *buffer)
{
    QByteArray data(static_cast<const char *>(buffer->value),
                    static_cast<qsizetype>(buffer->length));
    OM_uint32 minor = 0;
    gss_release_buffer(&minor, buffer);
    return data;
}

// No ticket cache, no ticket in it, or only an expired one: kinit (or the password) helps.
bool isMissingCredentials(OM_uint32 major, OM_uint32 minor)
{
    const OM_uint32 routine = GSS_ROUTINE_ERROR(major);
    if (routine == GSS_S_NO_CRED || routine == GSS_S_CREDENTIALS_EXPIRED)
        return true;
    for (const krb5_error_code code :
         {KRB5_FCC_NOFILE, KRB5_CC_NOTFOUND, KRB5KRB_AP_ERR_TKT_EXPIRED})
        if (minor == static_cast<OM_uint32>(code))
            return true;
    return false;
}

} // namespace

struct GssapiMechanism::Private
{
    enum class State {
        Start,       // nothing sent yet
        Negotiating, // gss_init_sec_context() wants the server's next token
        Established, // context complete: waiting for the security-layer offer
        Done,        // answer sent: the server's 235 is next
        Failed,
    };

    Credentials credentials;
    State state = State::Start;
    gss_name_t target = GSS_C_NO_NAME;
    gss_cred_id_t credential = GSS_C_NO_CREDENTIAL; // default cache unless got with a password
    gss_ctx_id_t context = GSS_C_NO_CONTEXT;
    int emptyChallenges = 0;
    QString error;

    ~Private()
    {
        OM_uint32 minor = 0;
        if (context != GSS_C_NO_CONTEXT)
            gss_delete_sec_context(&minor, &context, GSS_C_NO_BUFFER);
        if (credential != GSS_C_NO_CREDENTIAL)
            gss_release_cred(&minor, &credential);
        if (target != GSS_C_NO_NAME)
            gss_release_name(&minor, &target);
    }

    QString servicePrincipal() const { return QStringLiteral("smtp@") + credentials.serverHost; }

    std::optional<QByteArray> fail(const QString &why)
    {
        state = State::Failed;
        error = why;
        return std::nullopt;
    }

    bool importTarget()
    {
        if (credentials.serverHost.isEmpty()) {
            fail(QCoreApplication::translate(
                "Ssmtp", "Kerberos (GSSAPI) authentication needs the mail server's host name for "
                         "the service principal smtp@<host>, but none is set."));
            return false;
        }
        const QByteArray name = servicePrincipal().toUtf8();
        gss_buffer_desc buffer = bufferOf(name);
        OM_uint32 minor = 0;
        const OM_uint32 major =
            gss_import_name(&minor, &buffer, GSS_C_NT_HOSTBASED_SERVICE, &target);
        if (GSS_ERROR(major)) {
            fail(QCoreApplication::translate(
                     "Ssmtp", "Kerberos (GSSAPI): the service name %1 is not valid: %2")
                     .arg(servicePrincipal(), statusText(major, minor)));
            return false;
        }
        return true;
    }

    // A ticket for User got with Password, kept in a memory cache of the library's own.
    bool acquireWithPassword(const QString &cacheProblem)
    {
        const QByteArray user = credentials.user.toUtf8();
        const QByteArray password = credentials.password.toUtf8();
        gss_buffer_desc userBuffer = bufferOf(user);
        gss_buffer_desc passwordBuffer = bufferOf(password);
        gss_name_t userName = GSS_C_NO_NAME;
        OM_uint32 minor = 0;
        OM_uint32 major = gss_import_name(&minor, &userBuffer, GSS_C_NT_USER_NAME, &userName);
        if (!GSS_ERROR(major)) {
            gss_OID_set_desc mechanisms = {1, gss_mech_krb5};
            major = gss_acquire_cred_with_password(&minor, userName, &passwordBuffer,
                                                   GSS_C_INDEFINITE, &mechanisms, GSS_C_INITIATE,
                                                   &credential, nullptr, nullptr);
            OM_uint32 ignored = 0;
            gss_release_name(&ignored, &userName);
        }
        if (GSS_ERROR(major)) {
            fail(QCoreApplication::translate(
                     "Ssmtp",
                     "Kerberos (GSSAPI): there is no usable ticket (%1), and getting one for %2 "
                     "with the password failed: %3")
                     .arg(cacheProblem, credentials.user, statusText(major, minor)));
            return false;
        }
        return true;
    }

    // One gss_init_sec_context() round: the token to send, or nullopt on failure.
    std::optional<QByteArray> step(const QByteArray &serverToken)
    {
        gss_buffer_desc input = bufferOf(serverToken);
        gss_buffer_desc output = GSS_C_EMPTY_BUFFER;
        OM_uint32 minor = 0;
        // Mutual authentication: RFC 4752 3.1 requires it. Integrity: gss_wrap() below.
        const OM_uint32 major = gss_init_sec_context(
            &minor, credential, &context, target, gss_mech_krb5,
            GSS_C_MUTUAL_FLAG | GSS_C_SEQUENCE_FLAG | GSS_C_INTEG_FLAG, 0,
            GSS_C_NO_CHANNEL_BINDINGS, state == State::Start ? GSS_C_NO_BUFFER : &input, nullptr,
            &output, nullptr, nullptr);
        const QByteArray token = takeBuffer(&output);
        if (GSS_ERROR(major)) {
            const QString details = statusText(major, minor);
            if (state == State::Start && isMissingCredentials(major, minor)) {
                if (context != GSS_C_NO_CONTEXT) {
                    OM_uint32 ignored = 0;
                    gss_delete_sec_context(&ignored, &context, GSS_C_NO_BUFFER);
                }
                if (credential == GSS_C_NO_CREDENTIAL && !credentials.user.isEmpty() &&
                    !credentials.password.isEmpty()) {
                    if (!acquireWithPassword(details))
                        return std::nullopt;
                    return step(serverToken);
                }
                return fail(QCoreApplication::translate(
                                "Ssmtp",
                                "Kerberos (GSSAPI): there is no usable Kerberos ticket. Get one "
                                "with kinit (or set User and Password to get one here): %1")
                                .arg(details));
            }
            return fail(QCoreApplication::translate(
                            "Ssmtp", "Kerberos (GSSAPI) authentication to %1 failed: %2")
                            .arg(servicePrincipal(), details));
        }
        state = (major & GSS_S_CONTINUE_NEEDED) ? State::Negotiating : State::Established;
        return token;
    }

    // The server's wrapped security-layer offer -> our wrapped answer.
    std::optional<QByteArray> answerOffer(const QByteArray &wrapped)
    {
        gss_buffer_desc input = bufferOf(wrapped);
        gss_buffer_desc output = GSS_C_EMPTY_BUFFER;
        OM_uint32 minor = 0;
        OM_uint32 major = gss_unwrap(&minor, context, &input, &output, nullptr, nullptr);
        if (GSS_ERROR(major))
            return fail(QCoreApplication::translate(
                            "Ssmtp",
                            "Kerberos (GSSAPI): the server's security layer message cannot be "
                            "verified: %1")
                            .arg(statusText(major, minor)));
        QString why;
        const std::optional<QByteArray> answer = gssapi::answerSecurityLayerOffer(
            takeBuffer(&output), credentials.authorizationIdentity, &why);
        if (!answer)
            return fail(why);
        input = bufferOf(*answer);
        major = gss_wrap(&minor, context, 0, GSS_C_QOP_DEFAULT, &input, nullptr, &output);
        if (GSS_ERROR(major))
            return fail(QCoreApplication::translate(
                            "Ssmtp", "Kerberos (GSSAPI): the answer to the server's security layer "
                                     "message cannot be made: %1")
                            .arg(statusText(major, minor)));
        state = State::Done;
        return takeBuffer(&output);
    }
};

GssapiMechanism::GssapiMechanism(const Credentials &credentials)
    : d(std::make_unique<Private>())
{
    d->credentials = credentials;
}

GssapiMechanism::~GssapiMechanism() = default;

std::optional<QByteArray> GssapiMechanism::initialResponse()
{
    if (d->state != Private::State::Start || !d->importTarget())
        return std::nullopt;
    return d->step({});
}

std::optional<QByteArray> GssapiMechanism::respond(const QByteArray &challenge)
{
    using State = Private::State;
    switch (d->state) {
    case State::Start:
        // The engine sent AUTH without an initial response: the server's first challenge is
        // empty (RFC 4954 4).
        if (!challenge.isEmpty())
            return d->fail(QCoreApplication::translate(
                "Ssmtp", "Kerberos (GSSAPI): the server sent a challenge before the "
                         "client's first token."));
        return initialResponse();
    case State::Negotiating:
        return d->step(challenge);
    case State::Established:
        // Some servers send an empty challenge after the context is complete (RFC 4752 3.1):
        // answer it with an empty response, a few times at most.
        if (challenge.isEmpty() && ++d->emptyChallenges <= 2)
            return QByteArray();
        return d->answerOffer(challenge);
    case State::Done:
        return d->fail(QCoreApplication::translate(
            "Ssmtp", "Kerberos (GSSAPI): the server sent another challenge after the "
                     "authentication was complete."));
    case State::Failed:
        break;
    }
    return std::nullopt;
}

bool GssapiMechanism::isComplete() const
{
    return d->state == Private::State::Done;
}

QString GssapiMechanism::errorString() const
{
    return d->error;
}

std::unique_ptr<Mechanism> createGssapiMechanism(const Credentials &credentials)
{
    return std::make_unique<GssapiMechanism>(credentials);
}

} // namespace ssmtp::protocol::sasl

#else // !SSMTP_HAVE_GSSAPI

namespace ssmtp::protocol::sasl {

std::unique_ptr<Mechanism> createGssapiMechanism(const Credentials &credentials)
{
    Q_UNUSED(credentials);
    return nullptr;
}

} // namespace ssmtp::protocol::sasl

#endif
