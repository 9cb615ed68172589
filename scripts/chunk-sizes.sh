#!/usr/bin/env bash
# Services a copy of an install.wim the way servicing changes one (tests/fixtures/test-engine.sh:
# per update and index a package manifest and a replaced system file, the build revision in the
# XML), then prints what the serviced image shares with the one before it at several chunk sizes,
# and rsync's literal data for the same pair.
# usage: scripts/chunk-sizes.sh INSTALL.WIM [WORK_FOLDER]
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
image=${1:?usage: scripts/chunk-sizes.sh INSTALL.WIM [WORK_FOLDER]}
work=${2:-$(mktemp -d)}
mkdir -p "$work"
trap 'rm -rf "$work/before.wim" "$work/after.wim" "$work/rsync" "$work/update"' EXIT
cp "$image" "$work/before.wim"
cp "$image" "$work/after.wim"
mkdir -p "$work/update"
images=$(wimlib-imagex info "$work/after.wim" | sed -n 's/^Image Count: *//p')
for kb in 5034441 5035001 5036892; do
  head -c 65536 /dev/urandom > "$work/update/ntdll.dll"
  printf '<assembly><assemblyIdentity name="Package_for_KB%s" version="19041.%s"/></assembly>\n' \
    "$kb" "${kb: -4}" > "$work/update/update.mum"
  for index in $(seq 1 "$images"); do
    printf 'add "%s" "/Windows/servicing/Packages/Package_for_KB%s.mum"\nadd "%s" /Windows/System32/ntdll.dll\n' \
      "$work/update/update.mum" "$kb" "$work/update/ntdll.dll" | wimlib-imagex update "$work/after.wim" "$index" >/dev/null
    wimlib-imagex info "$work/after.wim" "$index" --image-property "WINDOWS/VERSION/SPBUILD=${kb: -4}" >/dev/null
  done
done
echo "install.wim: $(stat -c %s "$work/before.wim") bytes before, $(stat -c %s "$work/after.wim") after servicing"
mkdir -p "$work/rsync"
cp "$work/before.wim" "$work/rsync/install.wim"
rsync --no-whole-file --stats "$work/after.wim" "$work/rsync/install.wim" | sed -n 's/^Literal data: /rsync --no-whole-file, literal data: /p'
OSU_CHUNK_BEFORE="$work/before.wim" OSU_CHUNK_AFTER="$work/after.wim" \
  "$repo/scripts/cargo" test --release --lib chunk_sizes_on_a_serviced_image -- --ignored --nocapture 2>/dev/null |
  sed -n '/^average/,/^test /p' | grep -v '^test '
