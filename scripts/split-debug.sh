#!/usr/bin/env bash
# Strips a released library in place and keeps its symbols apart, in LIBRARY.debug beside it
# (or in DEBUG_FILE), linked by .gnu_debuglink so that gdb and crash tools find them. Release
# builds keep line tables (Cargo.toml: debug = 1) for exactly that; shipped, they would be most of
# the file.  usage: split-debug.sh LIBRARY [DEBUG_FILE]
set -euo pipefail
library=${1:?usage: split-debug.sh LIBRARY [DEBUG_FILE]}
debug=${2:-$library.debug}
case "$library" in
  *.dll) objcopy=x86_64-w64-mingw32-objcopy ;;
  *) objcopy=objcopy ;;
esac
"$objcopy" --only-keep-debug "$library" "$debug"
"$objcopy" --strip-debug --strip-unneeded --remove-section=.gnu_debuglink "$library"
"$objcopy" --add-gnu-debuglink="$debug" "$library"
