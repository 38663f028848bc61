#!/usr/bin/env bash
# Configures and builds Ssmtp for Qt into a build folder (default: build/, Release with debug
# info). Extra arguments go to cmake's configure step, e.g. -DSSMTP_SANITIZE=ON.
#
# Usage: scripts/build.sh [BUILD_DIR] [cmake args...]
set -euo pipefail
ROOT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD_DIR="${1:-$ROOT_DIR/build}"
shift || true
cmake -S "$ROOT_DIR" -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE="${CMAKE_BUILD_TYPE:-RelWithDebInfo}" "$@"
cmake --build "$BUILD_DIR" --parallel "$(nproc)"
