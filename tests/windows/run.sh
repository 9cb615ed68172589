#!/usr/bin/env bash
# Runs the Windows library (target/windows, from scripts/windows/build-library.sh) under wine:
# tests/windows/test_windows.c, built with MinGW against its import library, adds, distributes,
# validates and redistributes with Windows paths. One wine prefix under target/ is made once
# (~15 s) and reused.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
out="$repo/target/windows"
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
export WINEPREFIX="$repo/target/wine-prefix" WINEDEBUG=-all

bin="$scratch/bin"
mkdir -p "$bin"
x86_64-w64-mingw32-gcc -std=c11 -Wall -Wextra -Werror -I"$repo/include" "$repo/tests/windows/test_windows.c" \
  "$out/libosupgrade.dll.a" -o "$bin/test_windows.exe"
# Wine 8.0 lacks bcryptprimitives.dll, which Rust's standard library imports; a stand-in for
# these runs only (tests/windows/bcryptprimitives.c).
x86_64-w64-mingw32-gcc -shared -O2 "$repo/tests/windows/bcryptprimitives.c" -ladvapi32 -o "$bin/bcryptprimitives.dll"
cp "$out/libosupgrade.dll" "$out/e_sqlite3.dll" "$bin/"
"$repo/tests/fixtures/make-source.sh" "$scratch/source" --small-files 20 >/dev/null

# Debian's wine64 package leaves wine64 out of PATH.
wine_program() { command -v wine64 || echo /usr/lib/wine/wine64; }

# The Linux root is wine's drive Z:.
windows_path() { printf 'Z:%s' "${1//\//\\}"; }
"$(wine_program)" "$bin/test_windows.exe" "$(windows_path "$scratch/work")" "$(windows_path "$scratch/source")"
