#!/usr/bin/env python3
"""Lays a cargo directory registry over Debian's packaged crates that states the crates.io
checksums pinned in Cargo.lock, where Debian recorded none.

usage: shadow-registry.py DEBIAN_REGISTRY CARGO_LOCK SHADOW_DIR
"""
import json
import os
import re
import shutil
import sys

HEX64 = re.compile(r"^[0-9a-f]{64}$")


def pinned_checksums(lock_path):
    text = open(lock_path, encoding="utf-8").read()
    pins = {}
    for block in text.split("[[package]]")[1:]:
        name = re.search(r'^name = "(.+)"$', block, re.M)
        version = re.search(r'^version = "(.+)"$', block, re.M)
        checksum = re.search(r'^checksum = "(.+)"$', block, re.M)
        if name and version and checksum:
            if not HEX64.match(checksum.group(1)):
                sys.exit(f"Cargo.lock pins no real checksum for {name.group(1)} {version.group(1)}: "
                         "add the crates.io checksum by hand (see README, Building offline)")
            pins[f"{name.group(1)}-{version.group(1)}"] = checksum.group(1)
    return pins


def lay_crate(source, target, checksum):
    os.mkdir(target)
    for entry in os.listdir(source):
        if entry != ".cargo-checksum.json":
            os.symlink(os.path.join(source, entry), os.path.join(target, entry))
    recorded = json.load(open(os.path.join(source, ".cargo-checksum.json"), encoding="utf-8"))
    recorded["package"] = checksum
    with open(os.path.join(target, ".cargo-checksum.json"), "w", encoding="utf-8") as out:
        json.dump(recorded, out)


def main(debian_registry, lock_path, shadow):
    pins = pinned_checksums(lock_path)
    shutil.rmtree(shadow, ignore_errors=True)
    os.makedirs(shadow)
    for crate in sorted(os.listdir(debian_registry)):
        source = os.path.join(debian_registry, crate)
        recorded = os.path.join(source, ".cargo-checksum.json")
        if not os.path.isfile(recorded):
            continue
        package = json.load(open(recorded, encoding="utf-8")).get("package", "")
        if crate in pins and not HEX64.match(package or ""):
            lay_crate(source, os.path.join(shadow, crate), pins[crate])
        else:
            os.symlink(source, os.path.join(shadow, crate))


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    main(*sys.argv[1:])
