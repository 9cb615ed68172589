//! Adding a package, against `cp -r` of the same tree and against hashing it with
//! `openssl dgst -sha256` (the SHA-NI limit of this CPU) and `sha256sum`.
//! Run with `./build.sh bench`; figures go into BENCHMARKS.md.

mod bench_support;

use std::path::Path;
use std::process::Command;

use bench_support::*;

const ROUNDS: usize = 5;

fn main() {
    // Cargo runs bench targets with --bench; the add itself runs as a child of this binary so
    // that its peak memory is its own.
    let arguments: Vec<String> = std::env::args().collect();
    if arguments.get(1).map(String::as_str) == Some("--child-add") {
        return child_add(&arguments[2], &arguments[3], &arguments[4]);
    }
    let source = bench_source();
    let (bytes, files) = tree_bytes_and_files(&source);
    println!(
        "source: {:.0} MiB in {files} files ({})",
        mib(bytes),
        source.display()
    );
    // Every tool starts from a warm page cache: the figures compare work, not the disk.
    measure_shell(&format!(
        "find '{}' -type f -print0 | xargs -0 cat > /dev/null",
        source.display()
    ));

    // Each round writes to fresh folders, all deleted at the end: this disk is mounted with
    // `discard`, so deleting a written tree trims it in the background of the next measurement.
    let work = scratch("add-rounds");
    let hash_all = |tool: &str| {
        format!(
            "find '{}' -type f -print0 | xargs -0 {tool} > /dev/null",
            source.display()
        )
    };
    let add_child = |site: &Path, version: &str| {
        measure(
            Command::new(std::env::current_exe().expect("own path")).args([
                "--child-add",
                &site.display().to_string(),
                &source.display().to_string(),
                version,
            ]),
        )
    };
    let copy = |to: &Path| format!("cp -r '{}' '{}'", source.display(), to.display());
    let (mut cp, mut cp_sync, mut openssl, mut sha256sum, mut first, mut again) =
        Default::default();
    let rounds = rounds(ROUNDS);
    for round in 0..rounds {
        let folder = work.join(round.to_string());
        std::fs::create_dir_all(&folder).expect("round folder");
        Series::push(
            &mut cp,
            settled(|| measure_shell(&copy(&folder.join("cp")))),
        );
        let durable = format!("{} && sync", copy(&folder.join("cp-sync")));
        Series::push(&mut cp_sync, settled(|| measure_shell(&durable)));
        let site = folder.join("site");
        Series::push(&mut first, settled(|| add_child(&site, "first")));
        Series::push(
            &mut openssl,
            settled(|| measure_shell(&hash_all("openssl dgst -sha256"))),
        );
        Series::push(&mut again, settled(|| add_child(&site, "again")));
        Series::push(
            &mut sha256sum,
            settled(|| measure_shell(&hash_all("sha256sum"))),
        );
    }
    let _ = std::fs::remove_dir_all(&work);

    println!("{rounds} rounds; each measurement starts after sync, on a warm page cache\n");
    print_header();
    print_row("cp -r", &cp, bytes, None, "");
    print_row("cp -r && sync", &cp_sync, bytes, None, "");
    print_row(
        "openssl dgst -sha256 (all files)",
        &openssl,
        bytes,
        None,
        "",
    );
    print_row(
        "sha256sum (all files)",
        &sha256sum,
        bytes,
        Some(("openssl", &openssl)),
        "",
    );
    print_row(
        "add (first, into an empty site)",
        &first,
        bytes,
        Some(("cp -r", &cp)),
        "<= 1.20x cp -r",
    );
    print_row(
        "  the same against a durable copy",
        &first,
        bytes,
        Some(("cp -r && sync", &cp_sync)),
        "",
    );
    print_row(
        "  the same against the hash floor",
        &first,
        bytes,
        Some(("openssl", &openssl)),
        "",
    );
    print_row(
        "add (identical copy, all deduplicated)",
        &again,
        bytes,
        Some(("openssl", &openssl)),
        "<= 1.10x openssl",
    );
    println!(
        "\npeak memory of add: first {:.1} MiB, identical copy {:.1} MiB (goal < 100 MiB)",
        mib(first.peak_memory()),
        mib(again.peak_memory())
    );
}

fn child_add(site: &str, source: &str, version: &str) {
    let site = osupgrade::Site::open(Some(Path::new(site)), None)
        .or_else(|_| osupgrade::Site::create(Path::new(site), None))
        .expect("open site");
    let new = osupgrade::NewPackage {
        source_path: Path::new(source),
        name: "Benchmark",
        version,
        comment: "",
    };
    osupgrade::package::add(&site, &new, &mut osupgrade::progress::ignore_progress).expect("add");
}
