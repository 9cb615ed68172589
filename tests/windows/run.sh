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
  "$out/libosupgrade.dll.a" -ladvapi32 -lshell32 -o "$bin/test_windows.exe"
cp "$out/libosupgrade.dll" "$out/e_sqlite3.dll" "$bin/"
"$repo/tests/fixtures/make-source.sh" "$scratch/source" --small-files 20 >/dev/null

"$(wine_program)" "$bin/test_windows.exe" "$(windows_path "$scratch/work")" "$(windows_path "$scratch/source")"

# Wine keeps no DACLs: it maps the default site's (SYSTEM and Administrators only) to Unix
# permissions, where nobody else may enter; a plain folder beside it is open to all.
private=$(stat -c %a "$scratch/work/programdata/OSUpgrade")
plain=$(stat -c %a "$scratch/work/points")
if [ "${private: -1}" = 0 ] && [ "${plain: -1}" != 0 ]; then
  echo "windows c: the default site's folder is closed to others (mode $private, a plain folder $plain): 1 passed, 0 failed"
else
  echo "windows c: the default site's folder has mode $private, a plain folder $plain: 0 passed, 1 failed"
  exit 1
fi
