#!/usr/bin/env bash
# Runs the C# tests (xunit.v3, a program of their own) as a self-contained .NET 10 win-x64 build
# under wine, against the Windows library (target/windows) that the OSUpgrade project carries under
# runtimes/win-x64/native/. Their setup sources are made here beforehand (wine cannot start
# bash); the tests that need bash (servicing's update files and engine) or real reparse points
# (symbolic links) carry the trait Requires=Posix and run on Linux only.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
out="$repo/target/windows/dotnet-tests"
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
source "$repo/tests/windows/wine-env.sh"

dotnet publish "$repo/csharp-bindings/tests/OSUpgrade.Tests" -c Debug -f net10.0 -r win-x64 --self-contained \
  -o "$out" --nologo -v quiet
for options in "--small-files 5" "--small-files 120" "--small-files 5 --image-mib 24"; do
  template=$(echo "$options" | sed 's/--//g; s/ /-/g')
  # shellcheck disable=SC2086 # the options are words
  "$repo/tests/fixtures/make-source.sh" "$scratch/templates/$template" $options >/dev/null
done

# Under wine a failed test can leave the runner waiting after it reports (seen with wine 8.0):
# the timeout turns that into a failure rather than a stalled test command.
log="$scratch/xunit.log"
status=0
OSUPGRADE_TEST_SOURCE_TEMPLATES=$(windows_path "$scratch/templates") timeout 600 \
  "$(wine_program)" "$out/OSUpgrade.Tests.exe" -trait- Requires=Posix -parallelMode none 2>&1 | tee "$log" || status=$?
summary=$(grep -E 'Total: [0-9]+, Errors: [0-9]+, Failed: [0-9]+' "$log" | tail -1 || true)
[ -n "$summary" ] || { echo "windows dotnet: the runner ended without a summary (exit $status)"; exit 1; }
read -r total errors failed < <(sed -E 's/.*Total: ([0-9]+), Errors: ([0-9]+), Failed: ([0-9]+).*/\1 \2 \3/' <<<"$summary")
echo "windows dotnet: $((total - errors - failed)) passed, $((errors + failed)) failed"
[ "$status" -eq 0 ] && [ $((errors + failed)) -eq 0 ] || exit 1

# .NET 8 (the oldest .NET the package supports) as a consumer uses it. Under wine 8.0 .NET 8's
# exception dispatch (the system's unwinder, until .NET 9 dispatched its own) fails with or
# without OSUpgrade: List's index check and Console.KeyAvailable hang or end the process, one
# that caught a throw in a thread-pool task never ends, and xunit's runner does both. So the tests run on
# .NET 8 on Linux (./build.sh test), and here a program that throws nothing checks that the
# callbacks work.
consumer="$repo/target/windows/net8-consumer"
dotnet publish "$repo/tests/windows/Net8Consumer" -c Debug -r win-x64 --self-contained -o "$consumer" --nologo -v quiet
"$repo/tests/fixtures/make-source.sh" "$scratch/net8-source" --small-files 3 >/dev/null
timeout 300 "$(wine_program)" "$consumer/Net8Consumer.exe" "$(windows_path "$scratch/net8-consumer")" \
  "$(windows_path "$scratch/net8-source")" < /dev/null
echo "windows dotnet (net8.0): a consumer's log callback and add with progress work"
