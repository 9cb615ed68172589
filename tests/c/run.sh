#!/usr/bin/env bash
# Installs the library into a scratch prefix with cargo-c, builds tests/c/test_osupgrade.c and
# examples/c/quickstart.c against it through pkg-config, makes their fixture sources, update
# files and the test servicing engine, and runs them.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

make_source="$repo/tests/fixtures/make-source.sh"
"$make_source" "$scratch/good" --small-files 300
"$make_source" "$scratch/other" --small-files 300
"$make_source" "$scratch/large" --small-files 5 --image-mib 24
for variant in no-setup no-wim corrupt-wim with-link; do
  "$make_source" "$scratch/$variant" --small-files 5
done
rm "$scratch/no-setup/setup.exe"
rm "$scratch/no-wim/sources/install.wim"
head -c 4096 /dev/zero > "$scratch/corrupt-wim/sources/install.wim"
ln -s /etc/hostname "$scratch/with-link/sources/escape.txt"
echo "not a folder" > "$scratch/setup.iso"
make_update="$repo/tests/fixtures/make-update.sh"
mkdir -p "$scratch/updates" "$scratch/junk"
"$make_update" "$scratch/updates/windows10.0-kb5034441-x64_22bb.msu" KB5034441 19041.3930
"$make_update" "$scratch/updates/windows10.0-kb5035001-x64_77aa.msu" KB5035001 19041.4046 --broken
echo "<html>not an update</html>" > "$scratch/junk/windows10.0-kb5034442-x64_1.msu"
cat > "$scratch/catalog.json" <<'CATALOG'
{ "updates": [
  { "fileName": "windows10.0-kb5034441-x64_22bb.msu", "classification": "Cumulative",
    "builds": [19045], "releaseDate": "2024-01-09", "supersedes": ["KB5026361"] } ] }
CATALOG
cp "$repo/tests/fixtures/test-engine.sh" "$scratch/test-engine.sh"

# The header compiles as C89 (where 64-bit integers and bool are the compilers' extensions, so
# without -pedantic, and the `// __cplusplus` that cbindgen ends its C++ guards with is only
# warned about), C99, C11 and C++.
printf '#include "osupgrade.h"\nint main(void) { return OSU_VERSION_MAJOR * (int)sizeof(osu_progress); }\n' > "$scratch/header.c"
for std in c89 c99 c11; do
  relaxed=(-pedantic); [ "$std" = c89 ] && relaxed=(-Wno-endif-labels -Wno-comment)
  cc -std="$std" "${relaxed[@]}" -Wall -Wextra -Werror -fsyntax-only -I"$repo/include" "$scratch/header.c"
done
c++ -std=c++11 -pedantic -Wall -Wextra -Werror -fsyntax-only -x c++ -I"$repo/include" "$scratch/header.c"
echo "c: the header compiles as C99, C11 and C++11, and as C89 with warnings only"

# The C client builds as a C programmer's would: against the installed library (cargo-c puts
# libosupgrade.so.0, libosupgrade.a, osupgrade.pc and the header under a prefix), through
# pkg-config.
prefix="$scratch/prefix"
"$repo/scripts/install.sh" "$prefix" dev > "$scratch/install.log" 2>&1 || { cat "$scratch/install.log" >&2; exit 1; }
# Installed stripped, with its symbols where gdb finds them by the debug link.
if ! gdb -nx -batch -ex 'info line osu_site_open' "$prefix/lib/libosupgrade.so.0" 2>&1 | grep -q '^Line [0-9]* of "src/'; then
  echo "c: gdb finds no line table for the installed library (lib/.debug/)" >&2; exit 1
fi
echo "c: the installed library is stripped and gdb finds its symbols in lib/.debug/"
export PKG_CONFIG_PATH="$prefix/lib/pkgconfig"
read -r -a osupgrade_flags <<< "$(pkg-config --cflags --libs osupgrade)"
cc -std=c11 -Wall -Wextra -Werror -pedantic "$repo/tests/c/test_osupgrade.c" "${osupgrade_flags[@]}" \
  -lpthread -Wl,-rpath,"$prefix/lib" -o "$scratch/test_osupgrade"
"$scratch/test_osupgrade" "$scratch"

# The example, linked statically (libosupgrade.a and what pkg-config --static says it needs),
# runs on its own.
read -r -a static_flags <<< "$(pkg-config --static --libs-only-l osupgrade | sed 's/-losupgrade//')"
cc -std=c99 -Wall -Wextra -Werror "$repo/examples/c/quickstart.c" $(pkg-config --cflags osupgrade) \
  "$prefix/lib/libosupgrade.a" "${static_flags[@]}" -o "$scratch/quickstart"
if ldd "$scratch/quickstart" | grep -q libosupgrade; then echo "c: the example links the shared library" >&2; exit 1; fi
"$scratch/quickstart" "$scratch/example-site" "$scratch/good" "$scratch/example-dp" > "$scratch/quickstart.out" 2>/dev/null
grep -q '"state":"Installed"' "$scratch/quickstart.out"
grep -q 'OSUFFFFF: OSU_NOT_FOUND' "$scratch/quickstart.out"
echo "c: examples/c/quickstart.c, linked statically, adds and distributes"
