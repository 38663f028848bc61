#!/usr/bin/env bash
# The main job on a fresh Debian 12 machine: installs what is needed, builds, starts the local
# test inbox on loopback, sends a sample message to it with ssmtp-send, and shows where it
# landed.
#
# Usage: scripts/demo.sh [INBOX_DIR]   (default: ./inbox)
set -euo pipefail
ROOT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
INBOX_DIR="$(realpath -m "${1:-$ROOT_DIR/inbox}")"
BUILD_DIR="$ROOT_DIR/build"

"$ROOT_DIR/scripts/setup-deps.sh" --no-npm
"$ROOT_DIR/scripts/build.sh" "$BUILD_DIR" -DSSMTP_BUILD_TESTS=OFF

mkdir -p "$INBOX_DIR"
PORT_FILE="$(mktemp)"
"$BUILD_DIR/demo-app/ssmtp-inbox/ssmtp-inbox" --dir "$INBOX_DIR" --port 0 --port-file "$PORT_FILE" --quiet &
INBOX_PID=$!
trap 'kill "$INBOX_PID" 2>/dev/null; wait "$INBOX_PID" 2>/dev/null; rm -f "$PORT_FILE"' EXIT
for _ in $(seq 1 100); do
    [ -s "$PORT_FILE" ] && break
    sleep 0.05
done
PORT="$(cat "$PORT_FILE")"
[ -n "$PORT" ] || { echo "demo: the test inbox did not start" >&2; exit 1; }
echo "demo: local test inbox listening on 127.0.0.1:$PORT, storing into $INBOX_DIR"

BODY="$(mktemp)"
cat > "$BODY" <<'TEXT'
Hello from Ssmtp for Qt!

This message went through the local test inbox on loopback.
Grüße — non-ASCII text arrives readable (quoted-printable, UTF-8).
.A line that starts with a dot survives dot-stuffing.
TEXT
count_messages() { find "$INBOX_DIR" -maxdepth 1 -name '*.eml' | wc -l; }
before="$(count_messages)"
"$BUILD_DIR/demo-app/ssmtp-send/ssmtp-send" --trace \
    --set mailServer=127.0.0.1 --set mailPort="$PORT" \
    --set 'from="Ssmtp Demo" <demo@example.test>' \
    --set 'sendTo="Doe, Jane" <jane@example.test>' \
    --set 'bcc=audit@example.test' \
    --set 'subject=Grüße from Ssmtp for Qt' \
    --set messageText="@$BODY"
rm -f "$BODY"
for _ in $(seq 1 100); do
    [ "$(count_messages)" -gt "$before" ] && break
    sleep 0.05
done
latest="$(find "$INBOX_DIR" -maxdepth 1 -name '*.eml' -printf '%T@ %p\n' | sort -n | tail -n 1 | cut -d' ' -f2-)"
echo
echo "demo: the message landed in $latest"
echo "demo: its envelope is in ${latest%.eml}.json"
echo "----------------------------------------------------------------------"
cat "$latest"
echo "----------------------------------------------------------------------"
cat "${latest%.eml}.json"
echo
