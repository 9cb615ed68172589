#!/usr/bin/env bash
# Builds the Windows library (x86_64-pc-windows-gnu, linked by MinGW) into target/windows/:
#   libosupgrade.dll  the library, stripped (libosupgrade.dll.debug beside it keeps the symbols)
#   e_sqlite3.dll     the SQLite it links against (SQLitePCLRaw.lib.e_sqlite3, what
#                     Microsoft.Data.Sqlite ships: a version of ours, on every Windows)
#   libosupgrade.dll.a  the import library a MinGW C program links with
# The DLL is named libosupgrade.dll, not osupgrade.dll: Windows file names ignore case, and
# osupgrade.dll would be the namesake of the .NET assembly OSUpgrade.dll in one folder.
# On Windows itself, `cargo build --release --target x86_64-pc-windows-msvc` is the plain way
# (README, Windows).
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
target=x86_64-pc-windows-gnu
out="$repo/target/windows"
mkdir -p "$out"

# The names in the export table of `objdump -p` output (read whole: an early exit would fail
# the pipe).
exports() {
  awk '/\[Ordinal\/Name Pointer\] Table/ { table = 1; next } table && NF == 0 { table = 0 } table { print $NF }'
}

sqlite_import_library() {
  cp "$("$repo/scripts/sqlite-build.sh" win-x64)/e_sqlite3.dll" "$out/e_sqlite3.dll"
  # The import library names e_sqlite3.dll and lists its exports, so that libsqlite3-sys's
  # `-lsqlite3` binds to it.
  mkdir -p "$out/sqlite"
  { echo "LIBRARY e_sqlite3.dll"; echo "EXPORTS"
    x86_64-w64-mingw32-objdump -p "$out/e_sqlite3.dll" |
      exports
  } > "$out/sqlite/e_sqlite3.def"
  x86_64-w64-mingw32-dlltool -d "$out/sqlite/e_sqlite3.def" -l "$out/sqlite/libsqlite3.a"
}

# Where the toolchain has no Windows standard library (rustup cannot fetch one offline), Debian's
# rustc-web builds it from its own library sources with cargo's -Zbuild-std. Both switches are
# unstable, so they stay here: RUSTC_BOOTSTRAP lets a stable compiler take -Z flags, and
# __CARGO_TESTS_ONLY_SRC_ROOT points cargo at those sources (they must be the compiler's own
# version). The library's vendored crates join the offline registry beside Debian's, since
# build-std resolves them through the same source replacement.
build_std_arguments() {
  local sysroot
  sysroot=$(rustc --print sysroot)
  if [ -d "$sysroot/lib/rustlib/$target/lib" ]; then
    return
  fi
  local version library
  version=$(/usr/bin/rustc --version | awk '{print $2}')
  library="/usr/src/rustc-$version/library"
  [ -d "$library/vendor" ] || { echo "build-library.sh: no Windows standard library: install rustc-web and rust-web-src" >&2; exit 1; }
  local registry="$out/registry"
  rm -rf "$registry"; mkdir -p "$registry"
  if [ -d "$repo/target/debian-registry" ]; then
    ln -s "$repo"/target/debian-registry/* "$registry/"
  fi
  ln -sf "$library"/vendor/* "$registry/"
  export RUSTC=/usr/bin/rustc RUSTC_BOOTSTRAP=1 __CARGO_TESTS_ONLY_SRC_ROOT="$library"
  extra=(-Zbuild-std=std,panic_unwind --config "source.debian-shadow.directory=\"$registry\"")
}

sqlite_import_library
extra=()
"$repo/scripts/cargo" metadata --format-version 1 --offline >/dev/null 2>&1 || true  # lays the offline registry
build_std_arguments
export CARGO_TARGET_X86_64_PC_WINDOWS_GNU_LINKER=x86_64-w64-mingw32-gcc
export SQLITE3_NO_PKG_CONFIG=1 SQLITE3_INCLUDE_DIR=/usr/include SQLITE3_LIB_DIR="$out/sqlite"
"$repo/scripts/cargo" build --release --lib --target "$target" --target-dir "$out/cargo" "${extra[@]}"

cp "$out/cargo/$target/release/osupgrade.dll" "$out/libosupgrade.dll"
"$repo/scripts/split-debug.sh" "$out/libosupgrade.dll"
# The import library names the DLL it was linked as; C programs link the renamed one.
{ echo "LIBRARY libosupgrade.dll"; echo "EXPORTS"
  x86_64-w64-mingw32-objdump -p "$out/libosupgrade.dll" | exports
} > "$out/libosupgrade.def"
x86_64-w64-mingw32-dlltool -d "$out/libosupgrade.def" -l "$out/libosupgrade.dll.a"
ls -l "$out"/*.dll
