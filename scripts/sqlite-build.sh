#!/usr/bin/env bash
# Prints the folder that holds SQLitePCLRaw.lib.e_sqlite3's build of SQLite for a runtime
# (linux-x64: libe_sqlite3.a; win-x64: e_sqlite3.dll), restoring the package first where it is
# missing.  usage: sqlite-build.sh RID
set -euo pipefail
rid=${1:?usage: sqlite-build.sh RID}
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
project="$repo/scripts/NativeDependencies.csproj"
version=$(sed -n 's/.*Include="SQLitePCLRaw.lib.e_sqlite3" Version="\([^"]*\)".*/\1/p' "$project")
folder="${NUGET_PACKAGES:-$HOME/.nuget/packages}/sqlitepclraw.lib.e_sqlite3/$version/runtimes/$rid/native"
if [ ! -d "$folder" ]; then
  command -v dotnet >/dev/null || { echo "sqlite-build.sh: dotnet is needed to fetch SQLitePCLRaw.lib.e_sqlite3 $version" >&2; exit 1; }
  dotnet restore "$project" --nologo -v quiet >&2
fi
[ -d "$folder" ] || { echo "sqlite-build.sh: $folder is missing after the restore" >&2; exit 1; }
echo "$folder"
