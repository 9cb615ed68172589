//! Distributing a package, against `cp -r` (and `cp -r && sync`: a distribution flushes what it
//! wrote before its switch) and `rsync -a` of the same tree to a fresh folder;
//! redistribution after one 10 MiB file changed, against `rsync -a` of the changed tree; four
//! points at once; validation against `openssl dgst -sha256` of the tree.
//! Run with `./build.sh bench`; figures go into BENCHMARKS.md.

mod bench_support;

use std::path::Path;
use std::process::Command;

use bench_support::*;
use osupgrade::distribution::{self, DistributeOptions};
use osupgrade::package::{self, NewPackage};
use osupgrade::Site;

// Even, so that each side of a pair goes first as often (`in_turn`).
const ROUNDS: usize = 4;
const CHANGED_FILE: &str = "sources/changing-10m.bin";

fn main() {
    let arguments: Vec<String> = std::env::args().collect();
    if arguments.get(1).map(String::as_str) == Some("--child") {
        return child(&arguments[2..]);
    }
    let source = bench_source();
    rewrite_changed_file(&source, 0);
    let (bytes, files) = tree_bytes_and_files(&source);
    println!(
        "source: {:.0} MiB in {files} files ({})",
        mib(bytes),
        source.display()
    );

    // Each round writes to fresh folders, all deleted at the end: this disk is mounted with
    // `discard`, so deleting a written tree trims it in the background of the next measurement.
    let work = scratch("distribute-rounds");
    let site_path = work.join("site");
    let run_child = |arguments: &[&str]| {
        measure(
            Command::new(std::env::current_exe().expect("own path"))
                .arg("--child")
                .arg(&site_path)
                .args(arguments),
        )
    };
    let (mut cp, mut cp_sync, mut rsync, mut full) = Default::default();
    let (mut rsync_changed, mut rsync_changed_sync, mut redistribution) = Default::default();
    let (mut four, mut cp_four, mut openssl, mut validation) = Default::default();
    let rounds = rounds(ROUNDS);
    for round in 0..rounds {
        let folder = work.join(format!("round-{round}"));
        std::fs::create_dir_all(&folder).expect("round folder");
        let copy =
            |tool: &str, to: &Path| format!("{tool} '{}/' '{}'", source.display(), to.display());
        // A package per round: redistribution goes to every point that holds the package, so a
        // package shared by the rounds would be redistributed to every earlier round's points.
        let package_id = add_package(&site_path, &source, round);
        let full_point = add_point(&site_path, &format!("full-{round}"), &folder.join("full"));
        let copy_and_sync = format!("{} && sync", copy("cp -r", &folder.join("cp-sync")));
        in_turn(
            round,
            || {
                Series::push(
                    &mut full,
                    settled(|| run_child(&["distribute", &package_id, &full_point])),
                )
            },
            || Series::push(&mut cp_sync, settled(|| measure_shell(&copy_and_sync))),
        );
        // Validation of the point just written, and the copies by other tools after it: on
        // this VM the fresh gigabytes that cp -r and rsync write make the next writer's memory
        // slow for a while, which would fall on the distribution.
        let tree = folder.join("full").join(&package_id);
        let hash_tree = format!(
            "find '{}' -type f -print0 | xargs -0 openssl dgst -sha256 > /dev/null",
            tree.display()
        );
        Series::push(&mut openssl, settled(|| measure_shell(&hash_tree)));
        Series::push(
            &mut validation,
            settled(|| run_child(&["validate", &package_id, &full_point])),
        );

        Series::push(
            &mut cp,
            settled(|| measure_shell(&copy("cp -r", &folder.join("cp")))),
        );
        let rsync_target = folder.join("rsync");
        Series::push(
            &mut rsync,
            settled(|| measure_shell(&copy("rsync -a", &rsync_target))),
        );

        // A second copy for rsync followed by sync, which makes what it wrote durable as a
        // redistribution does before its switch.
        let durable_target = folder.join("rsync-durable");
        run(Command::new("cp")
            .arg("-a")
            .arg(&rsync_target)
            .arg(&durable_target));
        rewrite_changed_file(&source, round + 1);
        run_child(&["reload", &package_id]);
        let rsync_and_sync = format!("{} && sync", copy("rsync -a", &durable_target));
        in_turn(
            round,
            || {
                Series::push(
                    &mut redistribution,
                    settled(|| run_child(&["redistribute", &package_id])),
                )
            },
            || {
                let changed = settled(|| measure_shell(&copy("rsync -a", &rsync_target)));
                Series::push(&mut rsync_changed, changed);
                let durable = settled(|| measure_shell(&rsync_and_sync));
                Series::push(&mut rsync_changed_sync, durable);
            },
        );

        let points: Vec<String> = (1..=4)
            .map(|i| {
                add_point(
                    &site_path,
                    &format!("four-{round}-{i}"),
                    &folder.join(format!("four-{i}")),
                )
            })
            .collect();
        let mut arguments = vec!["distribute", package_id.as_str()];
        arguments.extend(points.iter().map(String::as_str));
        Series::push(
            &mut four,
            settled_writing(4 * bytes + (1 << 29), || run_child(&arguments)),
        );
        // Four fresh gigabytes cost what they cost on this machine whoever writes them (a VM
        // first touching memory makes a tmpfs slow past a few GiB): cp -r to four folders is
        // the yardstick.
        let cp_to_four = (1..=4)
            .map(|i| copy("cp -r", &folder.join(format!("cp-four-{i}"))))
            .collect::<Vec<_>>()
            .join(" && ");
        Series::push(
            &mut cp_four,
            settled_writing(4 * bytes + (1 << 29), || measure_shell(&cp_to_four)),
        );

        // A round's copies go before the next round: on a tmpfs they would fill the memory.
        let _ = std::fs::remove_dir_all(&folder);
    }
    let _ = std::fs::remove_dir_all(&work);

    println!("{rounds} rounds; each measurement starts after sync, on a warm page cache\n");
    print_header();
    print_row("cp -r", &cp, bytes, None, "");
    print_row("cp -r && sync", &cp_sync, bytes, None, "");
    print_row("rsync -a", &rsync, bytes, None, "");
    print_row(
        "distribute to 1 point",
        &full,
        bytes,
        Some(("cp -r && sync", &cp_sync)),
        "<= 1.20x cp -r && sync",
    );
    print_row(
        "  the same against cp -r",
        &full,
        bytes,
        Some(("cp -r", &cp)),
        "",
    );
    print_row(
        "  the same against validation of it",
        &full,
        bytes,
        Some(("validate", &validation)),
        "<= 1.20x validate",
    );
    print_row(
        "  the same against rsync -a",
        &full,
        bytes,
        Some(("rsync -a", &rsync)),
        "",
    );
    print_row(
        "rsync -a of the changed tree (10 MiB)",
        &rsync_changed,
        bytes,
        None,
        "",
    );
    print_row(
        "rsync -a && sync of the changed tree",
        &rsync_changed_sync,
        bytes,
        None,
        "",
    );
    print_row(
        "redistribute after 10 MiB changed",
        &redistribution,
        bytes,
        Some(("distribute", &full)),
        "<= 0.03x distribute",
    );
    print_row(
        "  the same against rsync -a",
        &redistribution,
        bytes,
        Some(("rsync -a changed", &rsync_changed)),
        "<= 0.50x rsync -a",
    );
    print_row(
        "  the same against rsync -a && sync",
        &redistribution,
        bytes,
        Some(("rsync && sync", &rsync_changed_sync)),
        "",
    );
    print_row("cp -r to 4 folders", &cp_four, 4 * bytes, None, "");
    print_row(
        "distribute to 4 points at once",
        &four,
        4 * bytes,
        Some(("1 point", &full)),
        "<= 2.00x 1 point",
    );
    print_row(
        "  the same against cp -r to 4 folders",
        &four,
        4 * bytes,
        Some(("cp -r x4", &cp_four)),
        "",
    );
    print_row(
        "openssl dgst -sha256 (the point's tree)",
        &openssl,
        bytes,
        None,
        "",
    );
    print_row(
        "validate on 1 point",
        &validation,
        bytes,
        Some(("openssl", &openssl)),
        "<= 1.10x openssl",
    );
    println!(
        "\npeak memory: distribute {:.1} MiB, 4 points {:.1} MiB, validate {:.1} MiB",
        mib(full.peak_memory()),
        mib(four.peak_memory()),
        mib(validation.peak_memory())
    );
}

/// Measures a pair in turn on the disk: `ours` first in even rounds, last in odd ones. On this
/// VM's disk the second writer of a pair pays for what the first wrote still settling below the
/// guest (a distribution took 1.75-2.7 s first and 2.6 s second, `cp -r && sync` 1.7-1.9 s
/// first and 3.4-3.8 s second), so a fixed order favours one side. On a tmpfs the second writer
/// of a gigabyte pays for the memory the VM has not touched yet (a distribution 0.67 s first,
/// 1.1-1.4 s second), which no order evens out: there `ours` goes first, as it always did.
fn in_turn(round: usize, ours: impl FnOnce(), theirs: impl FnOnce()) {
    if round.is_multiple_of(2) || on_tmpfs(&bench_root()) {
        ours();
        theirs();
    } else {
        theirs();
        ours();
    }
}

fn add_package(site_path: &Path, source: &Path, round: usize) -> String {
    let site = Site::open(Some(site_path), None)
        .or_else(|_| Site::create(site_path, None))
        .expect("open site");
    let version = round.to_string();
    let new = NewPackage {
        source_path: source,
        name: "Benchmark",
        version: &version,
        comment: "",
    };
    package::add(&site, &new, &mut osupgrade::progress::ignore_progress)
        .expect("add")
        .id
}

/// Gives the 10 MiB file new content, different for every round.
fn rewrite_changed_file(source: &Path, round: usize) {
    let content: Vec<u8> = (0..10u32 << 20)
        .map(|i| (i as usize).wrapping_mul(31 + round) as u8 ^ (i >> 13) as u8)
        .collect();
    std::fs::write(source.join(CHANGED_FILE), content).expect("write the changing file");
}

fn add_point(site_path: &Path, name: &str, folder: &Path) -> String {
    let site = Site::open(Some(site_path), None).expect("open site");
    distribution::add_point(&site, name, folder.to_str().expect("UTF-8 path"), "")
        .expect("add point");
    name.to_string()
}

/// The measured operations, each in a process of its own so that its peak memory is its own.
fn child(arguments: &[String]) {
    let site = Site::open(Some(Path::new(&arguments[0])), None).expect("open site");
    let (operation, package_id) = (arguments[1].as_str(), arguments[2].as_str());
    let options = DistributeOptions::default();
    let ignore = &mut osupgrade::progress::ignore_progress;
    match operation {
        "distribute" => {
            let points: Vec<&str> = arguments[3..].iter().map(String::as_str).collect();
            let statuses =
                distribution::distribute(&site, &[package_id], &points, &options, ignore)
                    .expect("distribute");
            assert!(
                statuses.iter().all(|s| s.last_error.is_empty()),
                "{statuses:?}"
            );
        }
        "redistribute" => {
            let statuses = distribution::redistribute(&site, package_id, &options, ignore)
                .expect("redistribute");
            assert!(
                statuses.iter().all(|s| s.last_error.is_empty()),
                "{statuses:?}"
            );
        }
        "reload" => {
            package::reload_content(&site, package_id, &mut osupgrade::progress::ignore_progress)
                .expect("reload");
        }
        "validate" => {
            let report =
                distribution::validate(&site, package_id, &arguments[3], ignore).expect("validate");
            assert!(report.valid, "{report:?}");
        }
        other => panic!("unknown child operation {other}"),
    }
}
