#!/usr/bin/env bash
# The whole test suite on a fresh Debian 12 machine: installs what is needed (build tools, Qt,
# Postfix, Dovecot, npm smtp-server), builds once with AddressSanitizer + UndefinedBehavior-
# Sanitizer and warnings as errors, and runs every test with ctest, two at a time.
#
# Usage: scripts/test.sh [ctest args...]   e.g. scripts/test.sh -L unit
set -euo pipefail
ROOT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD_DIR="${SSMTP_TEST_BUILD_DIR:-$ROOT_DIR/build-test}"

"$ROOT_DIR/scripts/setup-deps.sh"
CMAKE_BUILD_TYPE=Debug "$ROOT_DIR/scripts/build.sh" "$BUILD_DIR" \
    -DSSMTP_SANITIZE=ON -DSSMTP_WARNINGS_AS_ERRORS=ON -DSSMTP_BUILD_BENCHMARKS=ON

export QT_QPA_PLATFORM=offscreen
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
ctest --test-dir "$BUILD_DIR" --output-on-failure --parallel 2 --timeout 600 "$@"
