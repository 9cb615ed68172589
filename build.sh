#!/usr/bin/env bash
# OSUpgrade's build and test commands.
#   ./build.sh demo    build, then on the embedded default site from PowerShell (examples/quickstart.ps1):
#                      add a sample package, distribute it, import updates, schedule and run them
#                      (test engine), and show the new version on the point and the history
#   ./build.sh test    every test: Rust (with the header check), C, C# (xunit), PowerShell (Pester),
#                      and the Windows DLL's C, C# and Pester tests under wine
#   ./build.sh module  build the PowerShell module (powershell/OSUpgrade) with its assemblies
#   ./build.sh pack    the NuGet package (Release), with the native library, into artifacts/
#   ./build.sh module-package  the PowerShell module (Release) as a package in the local repository
#                      artifacts/psrepo, which Install-PSResource / Install-Module install from
#   ./build.sh windows build the Windows library into target/windows (libosupgrade.dll, e_sqlite3.dll)
#   ./build.sh header  regenerate include/osupgrade.h
#   ./build.sh install PREFIX  install the C library (cargo-c, release): PREFIX/include/osupgrade.h,
#                      PREFIX/lib/libosupgrade.so.0 (with its soname, stripped; its symbols in
#                      PREFIX/lib/.debug/), libosupgrade.a, and PREFIX/lib/pkgconfig/osupgrade.pc
#   ./build.sh bench   the benchmarks, on the disk and on tmpfs (needs ~9 GiB free under target/
#                      and as much memory for /dev/shm)
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cd "$repo"
cargo=scripts/cargo

demo() {
  module
  # Kept between runs, so that adding it again shows single-instance storage at work.
  local source=target/demo-source/Win10_22H2_x64
  [ -f "$source/setup.exe" ] || tests/fixtures/make-source.sh "$source" --small-files 300
  local updates=target/demo-updates
  if [ ! -f "$updates/catalog.json" ]; then
    mkdir -p "$updates"
    tests/fixtures/make-update.sh "$updates/windows10.0-kb5034000-x64_5a1f.cab" KB5034000 19041.3920 --servicing-stack
    tests/fixtures/make-update.sh "$updates/windows10.0-kb5034441-x64_9c2e.msu" KB5034441 19041.3930
    cp examples/demo-catalog.json "$updates/catalog.json"
  fi
  dotnet pwsh -NoProfile -File examples/quickstart.ps1 -SourcePath "$repo/$source" \
    -UpdatePath "$repo/$updates" -CatalogPath "$repo/$updates/catalog.json" \
    -TestEngine "$repo/tests/fixtures/test-engine.sh"
}

# The C#, PowerShell and C layers run over the debug build of the native library.
module() {
  $cargo build
  local framework
  for framework in net8.0 netstandard2.0; do
    dotnet publish csharp-bindings/src/OSUpgrade -c Debug -f "$framework" \
      -o "powershell/OSUpgrade/bin/$framework" --nologo -v quiet
  done
}

# A release build of the library, stripped, its symbols kept apart (libosupgrade.so.debug).
release_library() {
  $cargo build --release
  scripts/split-debug.sh target/release/libosupgrade.so
}

module_package() {
  release_library
  local module=artifacts/module/OSUpgrade framework
  rm -rf artifacts/module
  mkdir -p artifacts/module
  cp -r powershell/OSUpgrade "$module"
  rm -rf "$module/bin"
  for framework in net8.0 netstandard2.0; do
    dotnet publish csharp-bindings/src/OSUpgrade -c Release -f "$framework" \
      -o "$module/bin/$framework" --nologo -v quiet
  done
  dotnet pwsh -NoProfile -File scripts/publish-module.ps1 -ModulePath "$module" -RepositoryPath artifacts/psrepo
  ls artifacts/psrepo
}

pack() {
  release_library
  windows_library
  dotnet pack csharp-bindings/src/OSUpgrade -c Release -o artifacts --nologo
}

# The package must carry the native library where NuGet clients look for it.
check_pack_layout() {
  local out
  out=$(mktemp -d)
  dotnet pack csharp-bindings/src/OSUpgrade -c Debug -o "$out" --nologo -v quiet
  local listing symbols
  listing=$(python3 -c 'import sys, zipfile; print("\n".join(zipfile.ZipFile(sys.argv[1]).namelist()))' "$out"/OSUpgrade.*[0-9].nupkg)
  symbols=$(ls "$out"/OSUpgrade.*.snupkg 2>/dev/null || true)
  [ -n "$symbols" ] || { echo "no symbols package (.snupkg)"; return 1; }
  local expected count=0
  for expected in lib/net8.0/OSUpgrade.dll lib/netstandard2.0/OSUpgrade.dll README.md LICENSE \
                  "runtimes/$(dotnet --info | awk '/RID:/ {print $2; exit}')/native/libosupgrade.so" \
                  runtimes/win-x64/native/libosupgrade.dll runtimes/win-x64/native/e_sqlite3.dll \
                  buildTransitive/OSUpgrade.targets; do
    grep -qx "$expected" <<<"$listing" || { echo "nupkg lacks $expected"; return 1; }
    count=$((count + 1))
  done
  check_unsupported_runtime "$out"
  check_linux_library_needs "$out"
  rm -rf "$out"
  echo "nupkg: $((count + 6)) passed, 0 failed"
}

# A file of the package in FEED, to stdout.
packed_file() {
  python3 -c 'import sys, zipfile; sys.stdout.buffer.write(zipfile.ZipFile(sys.argv[1]).read(sys.argv[2]))' \
    "$1"/OSUpgrade.*[0-9].nupkg "$2"
}

# The Linux library in the package carries its SQLite and needs exactly the glibc that the README and
# the package's description state (a newer one would break their promise, an older one be undersold).
check_linux_library_needs() {
  local feed=$1 library="$1/libosupgrade.so" stated needed
  packed_file "$feed" runtimes/linux-x64/native/libosupgrade.so > "$library"
  if readelf -d "$library" | grep -q 'NEEDED.*sqlite'; then echo "the packed Linux library needs a system SQLite"; return 1; fi
  stated=$(grep -o 'glibc [0-9.]* or later' README.md | head -1 | awk '{print $2}')
  needed=$(objdump -T "$library" | grep -o 'GLIBC_[0-9.]*' | sed 's/GLIBC_//' | sort -uV | tail -1)
  [ "$needed" = "$stated" ] || { echo "the packed Linux library needs glibc $needed; the README says $stated"; return 1; }
  packed_file "$feed" OSUpgrade.nuspec | grep -q "glibc $stated or later" \
    || { echo "the package's description does not state glibc $stated"; return 1; }
}

# A project that uses the package builds for a runtime the package carries, and fails with
# OSU0001 for one it does not carry, before anything runs.
check_unsupported_runtime() {
  local feed=$1 consumer
  consumer=$(mktemp -d)
  cat > "$consumer/Consumer.csproj" <<'PROJECT'
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup><TargetFramework>net10.0</TargetFramework></PropertyGroup>
  <ItemGroup><PackageReference Include="OSUpgrade" Version="*" /></ItemGroup>
</Project>
PROJECT
  local packages="$consumer/packages" log="$consumer/build.log"
  dotnet build "$consumer" -r win-x64 --source "$feed" --packages "$packages" --nologo -v quiet > "$log" 2>&1 \
    || { cat "$log"; echo "a win-x64 build of a consumer failed"; return 1; }
  if dotnet build "$consumer" -r osx-arm64 --source "$feed" --packages "$packages" --nologo -v quiet > "$log" 2>&1 \
     || ! grep -q "OSU0001" "$log"; then
    cat "$log"; echo "an osx-arm64 build of a consumer did not fail with OSU0001"; return 1
  fi
  rm -rf "$consumer"
}

run_tests() {
  echo "== Rust"
  $cargo test -- --skip fuzz_ --skip kill_harness_
  echo "== The kill harness (tests/kill_harness.rs)"
  $cargo test --test kill_harness -- --nocapture 2>&1 | grep -E '^kill |^test result|panicked'
  echo "== Fuzzing, the short form (OSUPGRADE_FUZZ_SECONDS per target; README, 'Fuzzing')"
  $cargo test --lib fuzz_ -- --nocapture 2>&1 | grep -E '^fuzz |^test result|panicked'
  echo "== C"
  $cargo build  # cargo test leaves no cdylib behind
  tests/c/run.sh
  echo "== The Windows library (for the NuGet package, the module and the runs under wine)"
  windows_library
  echo "== C# (xunit, NuGet package layout)"
  dotnet test csharp-bindings/tests/OSUpgrade.Tests -f net10.0 --nologo
  echo "== C# on .NET 8, the oldest the package supports (self-contained: the SDK has .NET 10's runtime)"
  dotnet publish csharp-bindings/tests/OSUpgrade.Tests -c Debug -f net8.0 -r linux-x64 --self-contained \
    -o target/dotnet8-tests --nologo -v quiet
  target/dotnet8-tests/OSUpgrade.Tests
  check_pack_layout
  echo "== PowerShell (Pester)"
  module
  dotnet pwsh -NoProfile -File powershell/tests/Invoke-Tests.ps1
  windows_tests
}

# The Windows library (x86_64-pc-windows-gnu, built here with MinGW) under wine.
windows_tests() {
  echo "== Windows (the DLL under wine): C"
  tests/windows/run.sh
  echo "== Windows: C# (xunit.v3, self-contained win-x64, .NET 10 and .NET 8)"
  tests/windows/run-dotnet.sh
  echo "== Windows: PowerShell (Pester in a win-x64 PowerShell 7.6.9 host)"
  tests/windows/run-powershell.sh
}

windows_library() {
  scripts/windows/build-library.sh
}

install() {
  scripts/install.sh "${1:?usage: ./build.sh install PREFIX}"
}

header() {
  # The crate root, not the folder: cbindgen then reads the sources without `cargo metadata`,
  # which would need the network.
  cbindgen --quiet --config cbindgen.toml --output include/osupgrade.h src/lib.rs
}

# Each benchmark runs on the disk under target/, then on a tmpfs where the disk's drifting write
# speed is out of the figures and the hashing floor shows (skipped where /dev/shm is missing).
bench() {
  local name tmpfs=/dev/shm/osupgrade-bench
  for name in add distribute service; do
    echo "== $name, on the disk (target/bench-data)"
    $cargo bench --bench "$name"
    if [ -d /dev/shm ]; then
      echo "== $name, on tmpfs ($tmpfs)"
      OSU_BENCH_DIR=$tmpfs $cargo bench --bench "$name"
    fi
  done
  echo "== chunk sizes: what a serviced install.wim shares with the one before it"
  scripts/chunk-sizes.sh target/bench-data/source/sources/install.wim target/bench-data/chunk-sizes
  rm -rf "$tmpfs"
}

case "${1:-}" in
  demo) demo ;;
  test) run_tests ;;
  header) header ;;
  windows) windows_library ;;
  install) shift; install "$@" ;;
  module) module ;;
  pack) pack ;;
  module-package) module_package ;;
  bench) bench ;;
  *) sed -n '2,18p' "$0"; exit 2 ;;
esac
