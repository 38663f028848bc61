#!/usr/bin/env bash
# Installs everything Ssmtp for Qt needs on Debian 12 (bookworm): the build toolchain, Qt 6.4,
# OpenSSL, and the real servers the integration tests start on loopback (Postfix, Dovecot,
# npm smtp-server). Idempotent and non-interactive: runs `apt-get update` + `apt-get install`
# only when a package is missing, and `npm ci` only when tests/integration/node_modules is
# missing or does not match package-lock.json. Starts no system service.
#
# Usage: scripts/setup-deps.sh [--no-apt] [--no-npm]
# Runs as root, or as a user with password-less sudo (sudo -n; CI has no terminal).
set -euo pipefail

ROOT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
INTEGRATION_DIR="$ROOT_DIR/tests/integration"

DO_APT=1
DO_NPM=1
for arg in "$@"; do
    case "$arg" in
        --no-apt) DO_APT=0 ;;
        --no-npm) DO_NPM=0 ;;
        -h|--help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "setup-deps: unknown argument '$arg' (try --help)" >&2; exit 2 ;;
    esac
done

log() { printf '[setup-deps] %s\n' "$*"; }
die() { printf '[setup-deps] ERROR: %s\n' "$*" >&2; exit 1; }
trap 'rc=$?; printf "[setup-deps] ERROR: command failed (exit %s) at line %s: %s\n" "$rc" "$LINENO" "$BASH_COMMAND" >&2' ERR

# --- privileges ----------------------------------------------------------------------------
SUDO=()
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then
        SUDO=(sudo -n)   # -n: never prompt (CI has no terminal); fails clearly instead
    fi
fi
as_root() {
    if [ "$(id -u)" -eq 0 ]; then
        "$@"
    elif [ "${#SUDO[@]}" -gt 0 ]; then
        "${SUDO[@]}" "$@"
    else
        die "root privileges needed for '$*' (run as root or install sudo)"
    fi
}

# --- apt packages --------------------------------------------------------------------------
BUILD_PKGS=(
    cmake ninja-build g++ pkg-config
    qt6-base-dev qt6-base-dev-tools qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools
    qt6-declarative-dev libgl-dev libssl-dev clang-format libkrb5-dev
)
TEST_PKGS=(postfix dovecot-core python3 openssl dante-server tinyproxy krb5-kdc krb5-admin-server krb5-user dovecot-gssapi libnss-wrapper winbind)

is_installed() {
    # "ii" = desired install, status installed; anything else (rc, un, half-configured) is missing.
    [ "$(dpkg-query -W -f='${db:Status-Abbrev}' "$1" 2>/dev/null | cut -c1-2)" = "ii" ]
}

SUMMARY=()

if [ "$DO_APT" -eq 1 ]; then
    command -v dpkg-query >/dev/null 2>&1 || die "dpkg-query not found: this script supports Debian 12 only"
    if [ -r /etc/os-release ]; then
        # shellcheck disable=SC1091
        . /etc/os-release
        if [ "${ID:-}" != "debian" ] || [ "${VERSION_ID:-}" != "12" ]; then
            log "warning: written for Debian 12, this is ${PRETTY_NAME:-unknown}; trying anyway"
        fi
    fi

    missing=()
    for p in "${BUILD_PKGS[@]}" "${TEST_PKGS[@]}"; do
        is_installed "$p" || missing+=("$p")
    done
    # Node.js: any node >= 18 will do (the machine image may ship NodeSource's nodejs, which
    # bundles npm and conflicts with Debian's npm package), so test for the commands.
    if ! command -v node >/dev/null 2>&1; then
        missing+=(nodejs)
    fi
    if ! command -v npm >/dev/null 2>&1; then
        missing+=(npm)
    fi

    if [ "${#missing[@]}" -eq 0 ]; then
        log "apt: all ${#BUILD_PKGS[@]} build and ${#TEST_PKGS[@]} test packages already installed (node $(node --version), npm $(npm --version 2>/dev/null))"
        SUMMARY+=("apt: nothing to install")
    else
        log "apt: missing: ${missing[*]}"
        # Postfix asks which configuration to write: preseed "No configuration" (the tests
        # write their own main.cf under a private run folder).
        echo "postfix postfix/main_mailer_type select No configuration" | as_root debconf-set-selections
        echo "postfix postfix/mailname string localhost" | as_root debconf-set-selections

        # Keep the packages' maintainer scripts from starting system services.
        created_policy=0
        if [ ! -e /usr/sbin/policy-rc.d ]; then
            as_root sh -c 'printf "#!/bin/sh\n# temporary, scripts/setup-deps.sh\nexit 101\n" > /usr/sbin/policy-rc.d && chmod 0755 /usr/sbin/policy-rc.d'
            created_policy=1
            log "apt: created temporary /usr/sbin/policy-rc.d (exit 101)"
        fi
        remove_policy() {
            if [ "$created_policy" -eq 1 ]; then
                as_root rm -f /usr/sbin/policy-rc.d
                log "apt: removed temporary /usr/sbin/policy-rc.d"
                created_policy=0
            fi
        }
        trap 'remove_policy' EXIT

        APT_ENV=(env DEBIAN_FRONTEND=noninteractive DEBCONF_NONINTERACTIVE_SEEN=true NEEDRESTART_MODE=a)
        log "apt: apt-get update"
        as_root "${APT_ENV[@]}" apt-get update -q \
            || die "apt-get update failed (no network to the Debian mirrors?)"
        log "apt: apt-get install ${missing[*]}"
        as_root "${APT_ENV[@]}" apt-get install -y -q --no-install-recommends \
            -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
            "${missing[@]}" \
            || die "apt-get install failed for: ${missing[*]}"
        remove_policy
        trap - EXIT

        still=()
        for p in "${BUILD_PKGS[@]}" "${TEST_PKGS[@]}"; do
            is_installed "$p" || still+=("$p")
        done
        command -v node >/dev/null 2>&1 || still+=(nodejs)
        command -v npm >/dev/null 2>&1 || still+=(npm)
        [ "${#still[@]}" -eq 0 ] || die "still missing after apt-get install: ${still[*]}"
        SUMMARY+=("apt: installed ${missing[*]}")
    fi

    # The servers the integration tests use must be there now.
    [ -x /usr/sbin/postfix ] || die "/usr/sbin/postfix missing after installation"
    [ -x /usr/sbin/dovecot ] || die "/usr/sbin/dovecot missing after installation"
    [ -x /usr/bin/python3 ] || die "/usr/bin/python3 missing after installation"
    [ -x /usr/sbin/danted ] || die "/usr/sbin/danted missing after installation (dante-server)"
    [ -x /usr/bin/tinyproxy ] || die "/usr/bin/tinyproxy missing after installation"
    log "postfix $(/usr/sbin/postconf -d -h mail_version 2>/dev/null), dovecot $(/usr/sbin/dovecot --version 2>/dev/null | cut -d' ' -f1), $(/usr/bin/python3 --version)"
else
    log "apt: skipped (--no-apt)"
    SUMMARY+=("apt: skipped")
fi

# --- npm test tools ------------------------------------------------------------------------
if [ "$DO_NPM" -eq 1 ]; then
    command -v npm >/dev/null 2>&1 || die "npm not found (run without --no-apt, or install Node.js 20 + npm)"
    [ -f "$INTEGRATION_DIR/package.json" ] || die "$INTEGRATION_DIR/package.json missing"
    [ -f "$INTEGRATION_DIR/package-lock.json" ] || die "$INTEGRATION_DIR/package-lock.json missing"

    lock_sum="$(sha256sum "$INTEGRATION_DIR/package-lock.json" | cut -d' ' -f1)"
    stamp="$INTEGRATION_DIR/node_modules/.ssmtp-setup-stamp"
    need_ci=0
    if [ ! -d "$INTEGRATION_DIR/node_modules" ]; then
        need_ci=1; why="node_modules missing"
    elif [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$lock_sum" ]; then
        need_ci=1; why="node_modules does not match package-lock.json"
    elif ! (cd "$INTEGRATION_DIR" && node -e "require('smtp-server'); require('nodemailer')" >/dev/null 2>&1); then
        need_ci=1; why="node_modules incomplete"
    fi
    if [ "$need_ci" -eq 1 ]; then
        log "npm: $why: npm ci in tests/integration"
        (cd "$INTEGRATION_DIR" && npm ci --no-audit --no-fund --loglevel=error) \
            || die "npm ci failed in $INTEGRATION_DIR (is the npm registry reachable?)"
        echo "$lock_sum" > "$stamp"
        SUMMARY+=("npm: npm ci in tests/integration")
    else
        log "npm: tests/integration/node_modules up to date"
        SUMMARY+=("npm: nothing to do")
    fi
    versions="$(cd "$INTEGRATION_DIR" && node -e "process.stdout.write('smtp-server ' + require('smtp-server/package.json').version + ', nodemailer ' + require('nodemailer/package.json').version)")" \
        || die "smtp-server/nodemailer cannot be loaded from $INTEGRATION_DIR/node_modules"
    log "npm: $versions (node $(node --version))"
else
    log "npm: skipped (--no-npm)"
    SUMMARY+=("npm: skipped")
fi

trap - ERR
log "done: ${SUMMARY[*]}"
