#!/usr/bin/env node
// A real SMTP peer for Ssmtp for Qt's integration tests: npm smtp-server on loopback, storing
// every accepted message.
//
//   node smtp-server-sink.js --outdir DIR [options]
//
// For every accepted message n (1, 2, ... over the server's lifetime) it writes DIR/<n>.eml
// (the message exactly as received, dot-unstuffed, CRLF line ends as sent) and then DIR/<n>.json
// (the envelope). Both are written to a temporary name and renamed, so a reader that sees
// <n>.json can read <n>.eml completely.
//
// Prints "READY <port>" on stdout once it listens. Exits 0 on SIGTERM/SIGINT, and with
// --watch-stdin when its standard input closes (so a crashed test leaves no server behind).
//
// Options (each also from the environment variable given in brackets):
//   --host ADDR              listen address, default 127.0.0.1 [SINK_HOST]
//   --port N                 default 0: a free port chosen by the system [SINK_PORT]
//   --outdir DIR             where messages are stored (created) [SINK_OUTDIR] (required)
//   --auth USER:PASSWORD     offer AUTH and accept only this user/password [SINK_AUTH];
//                            AUTH is then required before MAIL unless --auth-optional
//   --auth-methods LIST      default PLAIN,LOGIN (CRAM-MD5 and XOAUTH2 also possible; XOAUTH2
//                            accepts PASSWORD as the access token) [SINK_AUTH_METHODS]
//   --auth-optional          MAIL without AUTH is accepted even when --auth is given
//   --no-insecure-auth       refuse AUTH before TLS (538), smtp-server's own default;
//                            without it AUTH is allowed over plain TCP (allowInsecureAuth)
//   --size N                 SIZE limit in bytes, bigger messages get 552 [SINK_SIZE]
//   --reject-pattern RE      RCPT TO addresses matching this regular expression (case-
//                            insensitive) get 550 5.1.1, default ^reject [SINK_REJECT_PATTERN]
//   --tempfail-pattern RE    RCPT TO addresses matching it get 450 4.2.1 [SINK_TEMPFAIL_PATTERN]
//   --reject-sender RE       MAIL FROM addresses matching it get 550 5.7.1
//   --close-after N          after the N-th accepted message on one connection, close that
//                            connection right after the 250 reply (no 221) [SINK_CLOSE_AFTER]
//   --starttls               offer STARTTLS (hidden by default so plain tests stay plain)
//   --secure                 implicit TLS from the first byte
//   --key FILE --cert FILE   TLS key and certificate (else smtp-server's built-in test pair)
//   --request-cert           ask the client for a certificate in the TLS handshake; with --ca
//                            the session is refused unless the client presents one that
//                            verifies against FILE (unless --cert-optional)
//   --ca FILE                CA certificate(s) (PEM) that client certificates must chain to
//   --cert-optional          with --request-cert --ca: record, but do not refuse, a missing
//                            or unverified client certificate
//                            Every <n>.json has "secure" (true when the message came over TLS)
//                            and "tls": null for plain SMTP, else { protocol ("TLSv1.3"),
//                            cipher, peerSubject ("CN=..." or "none"), peerIssuer, sessionReused,
//                            peerFingerprint256, authorized (the client certificate verified
//                            against --ca), authorizationError }
//   --hide-dsn --hide-enhancedstatuscodes --hide-pipelining --hide-8bitmime --hide-smtputf8
//                            hide that extension (DSN and ENHANCEDSTATUSCODES shown by default)
//   --banner TEXT             greeting text
//   --watch-stdin            exit when stdin reaches end of file
//   --verbose                log the SMTP dialogue on stderr
'use strict';

const fs = require('fs');
const path = require('path');
const { SMTPServer } = require('smtp-server');

function parseArgs(argv) {
    const o = {
        host: process.env.SINK_HOST || '127.0.0.1',
        port: Number(process.env.SINK_PORT || 0),
        outdir: process.env.SINK_OUTDIR || '',
        auth: process.env.SINK_AUTH || '',
        authMethods: process.env.SINK_AUTH_METHODS || 'PLAIN,LOGIN',
        authOptional: false,
        insecureAuth: true,
        size: Number(process.env.SINK_SIZE || 0),
        rejectPattern: process.env.SINK_REJECT_PATTERN !== undefined ? process.env.SINK_REJECT_PATTERN : '^reject',
        tempfailPattern: process.env.SINK_TEMPFAIL_PATTERN || '',
        rejectSender: '',
        closeAfter: Number(process.env.SINK_CLOSE_AFTER || 0),
        starttls: false,
        secure: false,
        key: '',
        cert: '',
        ca: '',
        requestCert: false,
        certOptional: false,
        hide: new Set(),
        banner: '',
        watchStdin: false,
        verbose: false,
    };
    const need = (i, name) => {
        if (i + 1 >= argv.length) {
            fail(`option ${name} needs a value`);
        }
        return argv[i + 1];
    };
    for (let i = 0; i < argv.length; i++) {
        const a = argv[i];
        switch (a) {
            case '--host': o.host = need(i, a); i++; break;
            case '--port': o.port = Number(need(i, a)); i++; break;
            case '--outdir': o.outdir = need(i, a); i++; break;
            case '--auth': o.auth = need(i, a); i++; break;
            case '--auth-methods': o.authMethods = need(i, a); i++; break;
            case '--auth-optional': o.authOptional = true; break;
            case '--no-insecure-auth': o.insecureAuth = false; break;
            case '--size': o.size = Number(need(i, a)); i++; break;
            case '--reject-pattern': o.rejectPattern = need(i, a); i++; break;
            case '--tempfail-pattern': o.tempfailPattern = need(i, a); i++; break;
            case '--reject-sender': o.rejectSender = need(i, a); i++; break;
            case '--close-after': o.closeAfter = Number(need(i, a)); i++; break;
            case '--starttls': o.starttls = true; break;
            case '--secure': o.secure = true; break;
            case '--key': o.key = need(i, a); i++; break;
            case '--cert': o.cert = need(i, a); i++; break;
            case '--ca': o.ca = need(i, a); i++; break;
            case '--request-cert': o.requestCert = true; break;
            case '--cert-optional': o.certOptional = true; break;
            case '--hide-dsn': o.hide.add('DSN'); break;
            case '--hide-enhancedstatuscodes': o.hide.add('ENHANCEDSTATUSCODES'); break;
            case '--hide-pipelining': o.hide.add('PIPELINING'); break;
            case '--hide-8bitmime': o.hide.add('8BITMIME'); break;
            case '--hide-smtputf8': o.hide.add('SMTPUTF8'); break;
            case '--banner': o.banner = need(i, a); i++; break;
            case '--watch-stdin': o.watchStdin = true; break;
            case '--verbose': o.verbose = true; break;
            case '-h':
            case '--help':
                process.stdout.write(fs.readFileSync(__filename, 'utf8').split('\n')
                    .filter(l => l.startsWith('//')).map(l => l.slice(3)).join('\n') + '\n');
                process.exit(0);
                break;
            default:
                fail(`unknown option ${a} (try --help)`);
        }
    }
    if (!o.outdir) {
        fail('--outdir DIR (or SINK_OUTDIR) is required');
    }
    if (!Number.isInteger(o.port) || o.port < 0 || o.port > 65535) {
        fail(`bad --port ${o.port}`);
    }
    return o;
}

function fail(msg) {
    process.stderr.write(`smtp-server-sink: ${msg}\n`);
    process.exit(2);
}

const opts = parseArgs(process.argv.slice(2));
fs.mkdirSync(opts.outdir, { recursive: true });

let authUser = null;
let authPassword = null;
if (opts.auth) {
    const colon = opts.auth.indexOf(':');
    if (colon < 0) {
        fail('--auth wants USER:PASSWORD');
    }
    authUser = opts.auth.slice(0, colon);
    authPassword = opts.auth.slice(colon + 1);
}
const rejectRe = opts.rejectPattern ? new RegExp(opts.rejectPattern, 'i') : null;
const tempfailRe = opts.tempfailPattern ? new RegExp(opts.tempfailPattern, 'i') : null;
const rejectSenderRe = opts.rejectSender ? new RegExp(opts.rejectSender, 'i') : null;

const log = (...args) => {
    if (opts.verbose) {
        process.stderr.write(args.map(a => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ') + '\n');
    }
};
const logger = {
    trace: log, debug: log, info: log, warn: log, error: log, fatal: log,
    child() { return logger; },
};

let messageCounter = 0;
const perConnection = new Map(); // session id -> accepted messages on that connection

function smtpError(code, message) {
    const err = new Error(message);
    err.responseCode = code;
    return err;
}

function writeAtomic(file, data) {
    const tmp = `${file}.tmp-${process.pid}`;
    fs.writeFileSync(tmp, data);
    fs.renameSync(tmp, file);
}

const serverOptions = {
    name: 'sink.localhost',
    banner: opts.banner || 'ssmtp integration sink (smtp-server)',
    logger,
    disableReverseLookup: true,
    secure: opts.secure,
    hideSTARTTLS: !opts.starttls,
    hideDSN: opts.hide.has('DSN'),
    hideENHANCEDSTATUSCODES: opts.hide.has('ENHANCEDSTATUSCODES'),
    hidePIPELINING: opts.hide.has('PIPELINING'),
    hide8BITMIME: opts.hide.has('8BITMIME'),
    hideSMTPUTF8: opts.hide.has('SMTPUTF8'),
    allowInsecureAuth: opts.insecureAuth,
    authOptional: !opts.auth || opts.authOptional,
    authMethods: opts.auth ? opts.authMethods.split(',').map(s => s.trim().toUpperCase()).filter(Boolean) : [],
    closeTimeout: 1000,
    socketTimeout: 5 * 60 * 1000,
};
if (!opts.auth) {
    serverOptions.disabledCommands = ['AUTH'];
}
if (opts.size > 0) {
    serverOptions.size = opts.size;
}
if (opts.key) {
    serverOptions.key = fs.readFileSync(opts.key);
}
if (opts.cert) {
    serverOptions.cert = fs.readFileSync(opts.cert);
}
if (opts.ca) {
    serverOptions.ca = fs.readFileSync(opts.ca);
}
if (opts.requestCert) {
    serverOptions.requestCert = true;
    serverOptions.rejectUnauthorized = !!opts.ca && !opts.certOptional;
}

// What each TLS session looked like, by session id, for the envelopes.
const tlsInfo = new Map();

function distinguishedName(name) {
    if (!name || typeof name !== 'object' || Object.keys(name).length === 0) {
        return 'none';
    }
    return Object.entries(name)
        .map(([k, v]) => (Array.isArray(v) ? v.map(x => `${k}=${x}`).join(', ') : `${k}=${v}`))
        .join(', ');
}

serverOptions.onSecure = (socket, session, callback) => {
    const peer = socket.getPeerCertificate ? socket.getPeerCertificate() : null;
    const hasPeer = !!(peer && peer.subject);
    const cipher = socket.getCipher ? socket.getCipher() : null;
    const info = {
        protocol: socket.getProtocol ? socket.getProtocol() : null,
        cipher: cipher ? cipher.name : null,
        peerSubject: hasPeer ? distinguishedName(peer.subject) : 'none',
        peerIssuer: hasPeer ? distinguishedName(peer.issuer) : 'none',
        peerFingerprint256: hasPeer ? peer.fingerprint256 : null,
        authorized: !!socket.authorized,
        authorizationError: socket.authorizationError || null,
        sessionReused: socket.isSessionReused ? socket.isSessionReused() : false,
    };
    tlsInfo.set(session.id, info);
    log(`TLS ${info.protocol} ${info.cipher} client certificate: ${info.peerSubject}` +
        (info.authorizationError ? ` (${info.authorizationError})` : ''));
    callback();
};

serverOptions.onAuth = (auth, session, callback) => {
    let ok = false;
    if (auth.method === 'CRAM-MD5') {
        ok = auth.username === authUser && auth.validatePassword(authPassword);
    } else if (auth.method === 'XOAUTH2') {
        ok = auth.username === authUser && auth.accessToken === authPassword;
        if (!ok) {
            return callback(null, { data: { status: '401', schemes: 'bearer', scope: 'mail' } });
        }
    } else {
        ok = auth.username === authUser && auth.password === authPassword;
    }
    log(`AUTH ${auth.method} user=${JSON.stringify(auth.username)} -> ${ok ? 'ok' : 'refused'}`);
    if (!ok) {
        return callback(smtpError(535, 'Authentication credentials invalid'));
    }
    callback(null, { user: auth.username });
};

serverOptions.onMailFrom = (address, session, callback) => {
    if (rejectSenderRe && rejectSenderRe.test(address.address)) {
        return callback(smtpError(550, `Sender <${address.address}> rejected`));
    }
    callback();
};

serverOptions.onRcptTo = (address, session, callback) => {
    if (rejectRe && rejectRe.test(address.address)) {
        return callback(smtpError(550, `<${address.address}>: Recipient address rejected: User unknown`));
    }
    if (tempfailRe && tempfailRe.test(address.address)) {
        return callback(smtpError(450, `<${address.address}>: Recipient temporarily unavailable`));
    }
    callback();
};

serverOptions.onData = (stream, session, callback) => {
    const chunks = [];
    stream.on('data', chunk => chunks.push(chunk));
    stream.on('end', () => {
        if (stream.sizeExceeded) {
            return callback(smtpError(552, 'Error: message exceeds fixed maximum message size'));
        }
        const n = ++messageCounter;
        const body = Buffer.concat(chunks);
        const env = session.envelope;
        const envelope = {
            n,
            mailFrom: env.mailFrom ? { address: env.mailFrom.address, args: env.mailFrom.args || {} } : null,
            rcptTo: env.rcptTo.map(r => ({ address: r.address, args: r.args || {}, dsn: r.dsn || null })),
            dsn: env.dsn || null,
            bodyType: env.bodyType || null,
            smtpUtf8: !!env.smtpUtf8,
            size: body.length,
            byteLength: stream.byteLength,
            transmissionType: session.transmissionType,
            secure: !!session.secure,
            tls: session.secure ? tlsInfo.get(session.id) || null : null,
            user: session.user || null,
            clientHostname: session.clientHostname,
            hostNameAppearsAs: session.hostNameAppearsAs,
            openingCommand: session.openingCommand,
            sessionId: session.id,
            transaction: session.transaction,
            remoteAddress: session.remoteAddress,
        };
        try {
            writeAtomic(path.join(opts.outdir, `${n}.eml`), body);
            writeAtomic(path.join(opts.outdir, `${n}.json`), JSON.stringify(envelope, null, 2) + '\n');
        } catch (e) {
            process.stderr.write(`smtp-server-sink: cannot store message ${n}: ${e.message}\n`);
            return callback(smtpError(451, 'Cannot store message'));
        }
        log(`stored message ${n} (${body.length} bytes) from ${envelope.mailFrom && envelope.mailFrom.address}`);
        const count = (perConnection.get(session.id) || 0) + 1;
        perConnection.set(session.id, count);
        callback(null, `OK: message ${n} stored`);
        if (opts.closeAfter > 0 && count >= opts.closeAfter) {
            // Let the 250 reply go out first, then close without a 221.
            setImmediate(() => {
                for (const conn of server.connections) {
                    if (conn.id === session.id) {
                        log(`closing connection ${session.id} after ${count} message(s)`);
                        conn.close();
                    }
                }
            });
        }
    });
};

serverOptions.onClose = session => {
    perConnection.delete(session.id);
    tlsInfo.delete(session.id);
};

const server = new SMTPServer(serverOptions);
server.on('error', err => {
    process.stderr.write(`smtp-server-sink: server error: ${err.message}\n`);
});

let stopping = false;
function stop(reason) {
    if (stopping) {
        return;
    }
    stopping = true;
    log(`stopping: ${reason}`);
    // Do not wait for clients that keep their connection open.
    setTimeout(() => process.exit(0), 500).unref();
    server.close(() => process.exit(0));
}
process.on('SIGTERM', () => stop('SIGTERM'));
process.on('SIGINT', () => stop('SIGINT'));
if (opts.watchStdin) {
    process.stdin.on('end', () => stop('stdin closed'));
    process.stdin.on('error', () => stop('stdin error'));
    process.stdin.resume();
}

server.listen(opts.port, opts.host, () => {
    const port = server.server.address().port;
    process.stdout.write(`READY ${port}\n`);
});
server.server.on('error', err => {
    process.stderr.write(`smtp-server-sink: cannot listen on ${opts.host}:${opts.port}: ${err.message}\n`);
    process.exit(1);
});
