#!/usr/bin/env bash
# Runs the Windows library (target/windows, from scripts/windows/build-library.sh) under wine:
# tests/windows/test_windows.c, built with MinGW against its import library, adds, distributes,
# validates and redistributes with Windows paths. One wine prefix under target/ is made once
# (tests/windows/wine-env.sh).
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
out="$repo/target/windows"
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
source "$repo/tests/windows/wine-env.sh"

bin="$scratch/bin"
mkdir -p "$bin"
x86_64-w64-mingw32-gcc -std=c11 -Wall -Wextra -Werror -I"$repo/include" "$repo/tests/windows/test_windows.c" \
  "$out/libosupgrade.dll.a" -o "$bin/test_windows.exe"
cp "$out/libosupgrade.dll" "$out/e_sqlite3.dll" "$bin/"
"$repo/tests/fixtures/make-source.sh" "$scratch/source" --small-files 20 >/dev/null

"$(wine_program)" "$bin/test_windows.exe" "$(windows_path "$scratch/work")" "$(windows_path "$scratch/source")"
