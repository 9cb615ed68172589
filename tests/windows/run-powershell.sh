#!/usr/bin/env bash
# Runs the module's Pester tests under wine, in PowerShell 7.6.9 hosted by a self-contained
# win-x64 program (tests/windows/PowerShellHost), against the module's bin/ with the Windows
# library under runtimes/win-x64/native/ (./build.sh module first). Setup sources are made here
# beforehand (wine cannot start bash); tests tagged Posix (bash, systemd, cron) are left out.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
host="$repo/target/windows/pwsh"
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
source "$repo/tests/windows/wine-env.sh"

dotnet publish "$repo/tests/windows/PowerShellHost" -c Release -r win-x64 --self-contained -o "$host" --nologo -v quiet
for options in "--small-files 3" "--small-files 20" "--small-files 3 --image-mib 24"; do
  template=$(echo "$options" | sed 's/--//g; s/ /-/g')
  # shellcheck disable=SC2086 # the options are words
  "$repo/tests/fixtures/make-source.sh" "$scratch/templates/$template" $options >/dev/null
done

packages=${NUGET_PACKAGES:-$HOME/.nuget/packages}
export OSUPGRADE_TEST_SOURCE_TEMPLATES NUGET_PACKAGES PSModulePath
OSUPGRADE_TEST_SOURCE_TEMPLATES=$(windows_path "$scratch/templates")
NUGET_PACKAGES=$(windows_path "$packages")
# The modules pwsh 7.6.9 ships on Windows (PSResourceGet among them), from the pinned tool.
PSModulePath=$(windows_path "$packages/powershell/7.6.9/tools/net10.0/any/win/Modules")
timeout 900 "$(wine_program)" "$host/PowerShellHost.exe" \
  "$(windows_path "$repo/powershell/tests/Invoke-Tests.ps1")" -ExcludeTag Posix
