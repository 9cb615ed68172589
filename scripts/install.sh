#!/usr/bin/env bash
# Installs the C library under PREFIX with cargo-c: include/osupgrade.h, lib/libosupgrade.so.0
# (with its soname), lib/libosupgrade.a and lib/pkgconfig/osupgrade.pc. The shared library is
# stripped and its symbols go to lib/.debug/, one of the places gdb looks for the file a debug
# link names (beside the library, its .debug/ folder, then the global debug directory under the
# library's full path).  usage: install.sh PREFIX [CARGO_PROFILE, release by default]
set -euo pipefail
prefix=${1:?usage: install.sh PREFIX [CARGO_PROFILE]}
profile=${2:-release}
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
"$repo/scripts/cargo" cinstall --quiet --profile "$profile" --prefix "$prefix" --libdir "$prefix/lib"
library=$(readlink -f "$prefix/lib/libosupgrade.so.0")  # the file this install's soname names
mkdir -p "$prefix/lib/.debug"
"$repo/scripts/split-debug.sh" "$library" "$prefix/lib/.debug/$(basename "$library").debug"
