#!/usr/bin/env bash
# OSUpgrade's build and test commands.
#   ./build.sh demo    build, then add a sample package to the embedded default site and print it
#   ./build.sh test    every test: Rust, header freshness, C
#   ./build.sh header  regenerate include/osupgrade.h
#   ./build.sh bench   the benchmarks (needs ~3 GiB of free disk under target/)
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cd "$repo"
cargo=scripts/cargo

demo() {
  $cargo build --release --example add_package
  # Kept between runs, so that adding it again shows single-instance storage at work.
  local source=target/demo-source/Win10_22H2_x64
  [ -f "$source/setup.exe" ] || tests/fixtures/make-source.sh "$source" --small-files 300
  target/release/examples/add_package "$repo/$source" "Windows 10 22H2 x64 (sample)" \
    "$(date -u +%Y%m%d.%H%M%S)" "Sample made by ./build.sh demo"
}

run_tests() {
  echo "== Rust"
  $cargo test
  echo "== C"
  $cargo build  # cargo test leaves no cdylib behind
  tests/c/run.sh
}

header() {
  cbindgen --quiet --config cbindgen.toml --output include/osupgrade.h src/lib.rs
}

bench() {
  $cargo bench --bench add
}

case "${1:-}" in
  demo) demo ;;
  test) run_tests ;;
  header) header ;;
  bench) bench ;;
  *) sed -n '2,7p' "$0"; exit 2 ;;
esac
