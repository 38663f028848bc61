#!/usr/bin/env bash
# A private Postfix instance on loopback for Ssmtp for Qt's integration tests.
#
#   postfix-instance.sh start RUNDIR [PORT]   write RUNDIR/etc/main.cf + master.cf, start Postfix,
#                                             print "READY <port>" once port accepts SMTP
#                                             (after "SECURE_PORT <port>" with POSTFIX_TLS_WRAPPER)
#   postfix-instance.sh stop RUNDIR           stop it and wait until its master has exited
#   postfix-instance.sh wait RUNDIR N [SECS]  wait until N messages were delivered to the
#                                             Maildir (default 30 s); print their paths
#   postfix-instance.sh status RUNDIR         exit 0 if the instance's master is running
#
# Everything lives under RUNDIR: config (RUNDIR/etc, so `postfix -c RUNDIR/etc ...` works by
# hand too), queue, data, log (RUNDIR/maillog) and the Maildir
# RUNDIR/mail/sink/ that receives every accepted message, whatever its domain. Nothing can
# leave the machine (default_transport and relay_transport are error:). Listens on 127.0.0.1
# only. An empty PORT picks a free one.
#
# Behaviour the tests rely on:
#   - RCPT TO addresses starting with "reject" (case-insensitive) get 550 5.1.1.
#   - message_size_limit = $POSTFIX_MESSAGE_SIZE_LIMIT (default 10485760 bytes).
#   - PIPELINING, CHUNKING (BDAT), DSN, 8BITMIME, SMTPUTF8, ENHANCEDSTATUSCODES, SIZE offered.
#   - DSN reports (e.g. NOTIFY=SUCCESS) and bounces are delivered into the same Maildir.
#   - With POSTFIX_SASL=USER:PASSWORD a private Dovecot serves SASL (PLAIN, LOGIN, CRAM-MD5,
#     DIGEST-MD5, SCRAM-SHA-256, XOAUTH2 and OAUTHBEARER with the password as token, and NTLM
#     through Samba's ntlm_auth when installed) and AUTH is offered over plain TCP (AUTH stays
#     optional).
#   - TLS with POSTFIX_TLS_CERT=FILE and POSTFIX_TLS_KEY=FILE (PEM, any key type): STARTTLS on
#     PORT (smtpd_tls_security_level = $POSTFIX_TLS_LEVEL, default "may"; "encrypt" refuses
#     mail before STARTTLS), the maillog shows "TLS connection established", and the Received
#     header names protocol and cipher ("(using TLSv1.3 with cipher ...)").
#     POSTFIX_TLS_WRAPPER=1 adds a second listener with implicit TLS (smtpd_tls_wrappermode,
#     SMTPS/port 465 style) on a free port, printed as "SECURE_PORT <port>" before READY.
#     POSTFIX_TLS_CA=FILE asks clients for a certificate (smtpd_tls_ask_ccert) and verifies it
#     against FILE; the Received header then shows it: (Client CN "...", Issuer "..."
#     (verified OK)) or (No client certificate requested/presented ...).
#   - With POSTFIX_WATCH_PID=PID a detached watcher stops the instance once process PID has
#     gone (a test that crashed or was killed by a time-out leaves no Postfix behind).
#
# Must run as root (Postfix's and Dovecot's master processes start as root).
set -euo pipefail

POSTFIX=/usr/sbin/postfix
DOVECOT=/usr/sbin/dovecot

die() { printf 'postfix-instance: %s\n' "$*" >&2; exit 1; }

usage() { sed -n '2,/^set /{/^#/p}' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }

[ $# -ge 2 ] || usage
CMD="$1"
RUNDIR="$2"
PORT="${3:-}"

[ -n "$RUNDIR" ] || die "RUNDIR must not be empty"
case "$RUNDIR" in /*) ;; *) RUNDIR="$(pwd)/$RUNDIR" ;; esac
RUNDIR="${RUNDIR%/}"
CONF="$RUNDIR/etc"

master_pid() {
    local f="$RUNDIR/queue/pid/master.pid"
    [ -r "$f" ] || return 1
    local pid
    pid="$(tr -dc '0-9' < "$f")"
    [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 1
    echo "$pid"
}

dovecot_pid() {
    local f="$RUNDIR/dovecot-run/master.pid"
    [ -r "$f" ] || return 1
    local pid
    pid="$(tr -dc '0-9' < "$f")"
    [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 1
    echo "$pid"
}

free_port() {
    /usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# Waits until 127.0.0.1:$1 answers with a 220 greeting (max ~$2 tenths of a second).
wait_for_greeting() {
    local port="$1" tries="$2" line
    for _ in $(seq 1 "$tries"); do
        line="$( (exec 3<>"/dev/tcp/127.0.0.1/$port" || exit 1
                  IFS= read -r -t 2 l <&3 || true
                  printf 'QUIT\r\n' >&3 || true
                  printf '%s' "$l") 2>/dev/null || true)"
        case "$line" in 220*) return 0 ;; esac
        sleep 0.1
    done
    return 1
}

show_log() {
    if [ -s "$RUNDIR/maillog" ]; then
        echo "--- tail of $RUNDIR/maillog ---" >&2
        tail -n 30 "$RUNDIR/maillog" >&2
    fi
    if [ -s "$RUNDIR/dovecot.log" ]; then
        echo "--- tail of $RUNDIR/dovecot.log ---" >&2
        tail -n 15 "$RUNDIR/dovecot.log" >&2
    fi
}

write_dovecot_conf() {
    local user="$1" pass="$2"
    mkdir -p "$RUNDIR/dovecot-run"
    chmod 0755 "$RUNDIR/dovecot-run"
    # passwd-file: {PLAIN} so that CRAM-MD5 works too.
    printf '%s:{PLAIN}%s\n' "$user" "$pass" > "$RUNDIR/dovecot-users"
    chown root:dovecot "$RUNDIR/dovecot-users" 2>/dev/null || true
    chmod 0640 "$RUNDIR/dovecot-users"
    cat > "$RUNDIR/dovecot.conf" <<EOF
# Generated by postfix-instance.sh: Dovecot as SASL server for the private Postfix only.
protocols =
ssl = no
base_dir = $RUNDIR/dovecot-run
state_dir = $RUNDIR/dovecot-run/state
log_path = $RUNDIR/dovecot.log
info_log_path = $RUNDIR/dovecot.log
disable_plaintext_auth = no
auth_mechanisms = plain login cram-md5 digest-md5 scram-sha-256 xoauth2 oauthbearer
auth_failure_delay = 0
passdb {
  driver = passwd-file
  args = scheme=PLAIN $RUNDIR/dovecot-users
}
userdb {
  driver = static
  args = uid=65534 gid=65534 home=$RUNDIR/mail
}
service auth {
  unix_listener $RUNDIR/queue/private/auth {
    user = postfix
    group = postfix
    mode = 0660
  }
}
# No growing delay after failed logins (Dovecot's auth penalty): tests fail logins on purpose.
service anvil {
  chroot =
  unix_listener anvil-auth-penalty {
    mode = 0
  }
}
EOF
    # NTLM: Dovecot 2.3 on Debian has it only through Samba's ntlm_auth helper (package
    # winbind), which here checks NTLMv1 and NTLMv2 answers against the one password given on
    # its command line: no winbindd, no domain.
    if [ -x /usr/bin/ntlm_auth ]; then
        mkdir -p "$RUNDIR/samba"
        cat > "$RUNDIR/samba/smb.conf" <<EOF
[global]
workgroup = TESTDOM
netbios name = TESTHOST
security = user
ntlm auth = yes
private dir = $RUNDIR/samba
lock directory = $RUNDIR/samba
state directory = $RUNDIR/samba
cache directory = $RUNDIR/samba
pid directory = $RUNDIR/samba
EOF
        {
            printf '#!/bin/sh\n'
            printf 'exec /usr/bin/ntlm_auth --configfile=%q --password=%q "$@" 2>>%q\n' \
                "$RUNDIR/samba/smb.conf" "$pass" "$RUNDIR/samba/ntlm_auth.log"
        } > "$RUNDIR/ntlm-helper"
        chmod 0755 "$RUNDIR/ntlm-helper"
        # The helper runs as Dovecot's auth user and keeps its lock files there.
        chown -R dovecot "$RUNDIR/samba"
        cat >> "$RUNDIR/dovecot.conf" <<EOF
auth_mechanisms = \$auth_mechanisms ntlm
auth_use_winbind = yes
auth_winbind_helper_path = $RUNDIR/ntlm-helper
EOF
    fi
    # POSTFIX_GSSAPI=KEYTAB: Dovecot also offers GSSAPI (Kerberos) for smtp@localhost with the
    # keys in KEYTAB, reading $KRB5_CONFIG if set. Both are copied here: the auth process runs
    # as dovecot and cannot enter the test's private folders.
    if [ -n "${POSTFIX_GSSAPI:-}" ]; then
        [ -r "$POSTFIX_GSSAPI" ] || die "POSTFIX_GSSAPI: keytab '$POSTFIX_GSSAPI' not readable"
        install -m 0640 -g dovecot "$POSTFIX_GSSAPI" "$RUNDIR/dovecot.keytab"
        local krb5_env=""
        if [ -n "${KRB5_CONFIG:-}" ]; then
            install -m 0644 "$KRB5_CONFIG" "$RUNDIR/krb5.conf"
            krb5_env="KRB5_CONFIG=$RUNDIR/krb5.conf"
        fi
        cat >> "$RUNDIR/dovecot.conf" <<EOF
auth_mechanisms = \$auth_mechanisms gssapi
auth_gssapi_hostname = localhost
auth_krb5_keytab = $RUNDIR/dovecot.keytab
import_environment = \$import_environment $krb5_env
EOF
    fi
    mkdir -p "$RUNDIR/dovecot-run/state"
}

write_postfix_conf() {
    local port="$1" sasl="$2" secure_port="${3:-}"
    local size="${POSTFIX_MESSAGE_SIZE_LIMIT:-10485760}"
    cat > "$CONF/main.cf" <<EOF
# Generated by postfix-instance.sh (config in RUNDIR/etc): a private loopback-only Postfix for integration tests.
compatibility_level = 3.6
config_directory = $RUNDIR/etc
queue_directory = $RUNDIR/queue
data_directory = $RUNDIR/data
meta_directory = /etc/postfix
command_directory = /usr/sbin
daemon_directory = /usr/lib/postfix/sbin
shlib_directory = /usr/lib/postfix
mail_owner = postfix
setgid_group = postdrop
syslog_name = postfix-ssmtp-test
maillog_file = $RUNDIR/maillog
maillog_file_prefixes = $RUNDIR
import_environment = MAIL_CONFIG MAIL_DEBUG MAIL_LOGTAG TZ LANG=C

myhostname = postfix.localhost
mydomain = localhost
myorigin = \$myhostname
mynetworks = 127.0.0.0/8
inet_interfaces = loopback-only
inet_protocols = ipv4
biff = no
append_dot_mydomain = no
smtpd_banner = \$myhostname ESMTP ssmtp-test
smtpd_peername_lookup = no
smtpd_error_sleep_time = 0s
smtpd_soft_error_limit = 100
smtpd_hard_error_limit = 1000
smtpd_junk_command_limit = 1000
in_flow_delay = 0s
smtputf8_enable = yes
message_size_limit = $size
virtual_mailbox_limit = 0
mailbox_size_limit = 0
delay_warning_time = 0
maximal_queue_lifetime = 1h
bounce_queue_lifetime = 1h

# Every domain is delivered into one Maildir; nothing is ever relayed.
mydestination =
local_recipient_maps =
relay_domains =
alias_maps =
alias_database =
virtual_alias_maps =
virtual_mailbox_domains = static:all
virtual_mailbox_maps = static:sink/
virtual_mailbox_base = $RUNDIR/mail
virtual_uid_maps = static:65534
virtual_gid_maps = static:65534
virtual_minimum_uid = 100
local_transport = error:local delivery disabled in the test instance
default_transport = error:outbound mail disabled in the test instance
relay_transport = error:outbound mail disabled in the test instance

smtpd_relay_restrictions = permit_mynetworks, reject_unauth_destination
smtpd_recipient_restrictions = check_recipient_access regexp:$CONF/recipient_access, permit
EOF
    if [ "$sasl" = 1 ]; then
        cat >> "$CONF/main.cf" <<EOF

smtpd_sasl_auth_enable = yes
smtpd_sasl_type = dovecot
smtpd_sasl_path = private/auth
smtpd_sasl_security_options = noanonymous
smtpd_tls_auth_only = no
broken_sasl_auth_clients = no
EOF
    fi
    if [ -n "${POSTFIX_TLS_CERT:-}" ]; then
        cat >> "$CONF/main.cf" <<EOF

smtpd_tls_security_level = ${POSTFIX_TLS_LEVEL:-may}
smtpd_tls_chain_files = $POSTFIX_TLS_KEY, $POSTFIX_TLS_CERT
smtpd_tls_loglevel = 1
smtpd_tls_received_header = yes
EOF
        if [ -n "${POSTFIX_TLS_CA:-}" ]; then
            cat >> "$CONF/main.cf" <<EOF
smtpd_tls_ask_ccert = yes
smtpd_tls_CAfile = $POSTFIX_TLS_CA
EOF
        fi
    fi
    printf '/^reject/  550 5.1.1 User unknown (test instance)\n' \
        > "$CONF/recipient_access"

    cat > "$CONF/master.cf" <<EOF
# Generated by postfix-instance.sh. chroot = n everywhere.
# service type  private unpriv  chroot  wakeup  maxproc command + args
127.0.0.1:$port inet n - n - - smtpd
${secure_port:+127.0.0.1:$secure_port inet n - n - - smtpd -o smtpd_tls_wrappermode=yes -o smtpd_tls_security_level=encrypt}
pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       1       1       qmgr
tlsmgr    unix  -       -       n       1000?   1       tlsmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
proxywrite unix -       -       n       -       1       proxymap
smtp      unix  -       -       n       -       -       smtp
relay     unix  -       -       n       -       -       smtp
showq     unix  n       -       n       -       -       showq
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
local     unix  -       n       n       -       -       local
virtual   unix  -       n       n       -       -       virtual
lmtp      unix  -       -       n       -       -       lmtp
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd
EOF
}

do_start() {
    [ "$(id -u)" -eq 0 ] || die "must run as root (Postfix's master starts as root)"
    [ -x "$POSTFIX" ] || die "$POSTFIX not installed (run scripts/setup-deps.sh)"
    if master_pid >/dev/null; then
        die "an instance is already running in $RUNDIR (pid $(master_pid))"
    fi

    if [ -n "${POSTFIX_TLS_CERT:-}${POSTFIX_TLS_KEY:-}" ]; then
        [ -r "${POSTFIX_TLS_CERT:-}" ] && [ -r "${POSTFIX_TLS_KEY:-}" ] \
            || die "POSTFIX_TLS_CERT and POSTFIX_TLS_KEY must both name readable PEM files"
        [ -z "${POSTFIX_TLS_CA:-}" ] || [ -r "$POSTFIX_TLS_CA" ] || die "cannot read POSTFIX_TLS_CA"
    elif [ -n "${POSTFIX_TLS_WRAPPER:-}${POSTFIX_TLS_CA:-}" ]; then
        die "POSTFIX_TLS_WRAPPER and POSTFIX_TLS_CA need POSTFIX_TLS_CERT and POSTFIX_TLS_KEY"
    fi
    local secure_port=""
    [ "${POSTFIX_TLS_WRAPPER:-0}" != 1 ] || secure_port="$(free_port)"

    local sasl=0 sasl_user="" sasl_pass=""
    if [ -n "${POSTFIX_SASL:-}" ]; then
        [ -x "$DOVECOT" ] || die "POSTFIX_SASL given but $DOVECOT not installed (run scripts/setup-deps.sh)"
        case "$POSTFIX_SASL" in *:*) ;; *) die "POSTFIX_SASL wants USER:PASSWORD" ;; esac
        sasl=1
        sasl_user="${POSTFIX_SASL%%:*}"
        sasl_pass="${POSTFIX_SASL#*:}"
    fi

    mkdir -p "$RUNDIR"
    # The virtual delivery agent (uid 65534) must reach RUNDIR/mail.
    chmod 0755 "$RUNDIR"
    mkdir -p "$RUNDIR/etc" "$RUNDIR/queue" "$RUNDIR/data" "$RUNDIR/mail"
    chmod 0755 "$RUNDIR/etc"
    chown root:root "$RUNDIR/queue"
    chmod 0755 "$RUNDIR/queue"
    chown postfix:postfix "$RUNDIR/data"
    chown 65534:65534 "$RUNDIR/mail"
    chmod 0755 "$RUNDIR/mail"
    : > "$RUNDIR/maillog"

    local auto_port=0
    if [ -z "$PORT" ]; then
        PORT="$(free_port)"
        auto_port=1
    fi
    case "$PORT" in ''|*[!0-9]*) die "bad port '$PORT'" ;; esac

    write_postfix_conf "$PORT" "$sasl" "$secure_port"
    # Creates the queue's subdirectories with the right owners and checks the configuration.
    if ! "$POSTFIX" -c "$CONF" check >"$RUNDIR/check.out" 2>&1; then
        cat "$RUNDIR/check.out" >&2
        show_log
        die "postfix check failed for $RUNDIR"
    fi
    if [ "$sasl" = 1 ]; then
        write_dovecot_conf "$sasl_user" "$sasl_pass"
        if ! "$DOVECOT" -c "$RUNDIR/dovecot.conf" >"$RUNDIR/dovecot.out" 2>&1; then
            cat "$RUNDIR/dovecot.out" >&2
            show_log
            die "dovecot failed to start"
        fi
        for _ in $(seq 1 50); do
            [ -S "$RUNDIR/queue/private/auth" ] && break
            sleep 0.1
        done
        [ -S "$RUNDIR/queue/private/auth" ] || { show_log; die "dovecot auth socket did not appear"; }
    fi
    local attempt
    for attempt in 1 2 3; do
        if "$POSTFIX" -c "$CONF" start >"$RUNDIR/start.out" 2>&1; then
            break
        fi
        # A port picked here may have been taken in the meantime: try another one.
        if [ "$auto_port" = 1 ] && [ "$attempt" -lt 3 ] \
            && grep -qE "bind 127.0.0.1 port ($PORT|${secure_port:-$PORT}): Address already in use" \
                "$RUNDIR/maillog"; then
            PORT="$(free_port)"
            [ -z "$secure_port" ] || secure_port="$(free_port)"
            write_postfix_conf "$PORT" "$sasl" "$secure_port"
            continue
        fi
        cat "$RUNDIR/start.out" >&2
        show_log
        do_stop >/dev/null 2>&1 || true
        die "postfix -c $CONF start failed"
    done
    if ! wait_for_greeting "$PORT" 100; then
        show_log
        do_stop >/dev/null 2>&1 || true
        die "postfix started but 127.0.0.1:$PORT gives no 220 greeting"
    fi
    if [ -n "$secure_port" ] && ! (exec 3<>"/dev/tcp/127.0.0.1/$secure_port") 2>/dev/null; then
        show_log
        do_stop >/dev/null 2>&1 || true
        die "postfix started but its implicit TLS port 127.0.0.1:$secure_port is closed"
    fi
    if [ -n "${POSTFIX_WATCH_PID:-}" ]; then
        case "$POSTFIX_WATCH_PID" in *[!0-9]*) die "bad POSTFIX_WATCH_PID" ;; esac
        local self
        self="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/$(basename "${BASH_SOURCE[0]}")"
        # Detached, with no inherited descriptors, so whoever waits for this script's output
        # does not wait for the watcher too.
        setsid bash -c 'while kill -0 "$1" 2>/dev/null && [ -d "$3" ]; do sleep 1; done
                        [ -d "$3" ] && exec bash "$2" stop "$3"' \
            watcher "$POSTFIX_WATCH_PID" "$self" "$RUNDIR" </dev/null >/dev/null 2>&1 &
    fi
    [ -z "$secure_port" ] || echo "SECURE_PORT $secure_port"
    echo "READY $PORT"
}

wait_pid_gone() {
    local pid="$1" tenths="$2"
    for _ in $(seq 1 "$tenths"); do
        kill -0 "$pid" 2>/dev/null || return 0
        sleep 0.1
    done
    return 1
}

do_stop() {
    local pid rc=0
    if pid="$(master_pid)"; then
        "$POSTFIX" -c "$CONF" stop >/dev/null 2>&1 || true
        if ! wait_pid_gone "$pid" 100; then
            echo "postfix-instance: master $pid did not stop, killing it" >&2
            "$POSTFIX" -c "$CONF" abort >/dev/null 2>&1 || kill -KILL "$pid" 2>/dev/null || true
            wait_pid_gone "$pid" 50 || rc=1
        fi
    fi
    if pid="$(dovecot_pid)"; then
        kill -TERM "$pid" 2>/dev/null || true
        if ! wait_pid_gone "$pid" 100; then
            kill -KILL "$pid" 2>/dev/null || true
            wait_pid_gone "$pid" 50 || rc=1
        fi
    fi
    [ "$rc" -eq 0 ] || die "could not stop the instance in $RUNDIR"
    echo "STOPPED"
}

maildir_files() {
    local d
    for d in "$RUNDIR/mail/sink/new" "$RUNDIR/mail/sink/cur"; do
        [ -d "$d" ] && find "$d" -maxdepth 1 -type f
    done | sort
}

do_wait() {
    local n="${PORT:-1}" secs="${4:-30}" count
    case "$n" in ''|*[!0-9]*) die "bad message count '$n'" ;; esac
    for _ in $(seq 1 $((secs * 10))); do
        count="$(maildir_files | wc -l)"
        if [ "$count" -ge "$n" ]; then
            maildir_files
            return 0
        fi
        sleep 0.1
    done
    show_log
    die "only $(maildir_files | wc -l) of $n message(s) in $RUNDIR/mail/sink after ${secs}s"
}

case "$CMD" in
    start) do_start ;;
    stop) do_stop ;;
    wait) do_wait "$@" ;;
    status) if pid="$(master_pid)"; then echo "RUNNING $pid"; else echo "NOT RUNNING"; exit 1; fi ;;
    *) usage ;;
esac
