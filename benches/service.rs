//! A servicing run on the ≥ 1 GiB package with 3 updates (servicing stack, cumulative, other),
//! through the test engine (which changes install.wim with wimlib): the time split into taking
//! the image out of the library, the engine, and re-importing the result, then the update of a
//! distribution point; the bytes sent to the point and the library's growth against what a
//! block-level transfer sends (`rsync --no-whole-file` of the serviced image onto the old one,
//! its literal data), against what the engine changed inside install.wim and against the
//! package's size.
//! Run with `./build.sh bench`; figures go into BENCHMARKS.md.

mod bench_support;

use std::collections::HashMap;
use std::fs::File;
use std::io::Read;
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use bench_support::*;
use osupgrade::distribution::{self, DistributeOptions};
use osupgrade::package::{self, NewPackage};
use osupgrade::progress::{ignore_progress, Operation, Phase, Progress};
use osupgrade::schedule::{self, ScheduleSettings};
use osupgrade::servicing::{self, Engine};
use osupgrade::{lifecycle, updates, Site};

/// Blocks of this size are compared to tell what the engine changed inside install.wim.
const BLOCK: usize = 1 << 20;

fn main() {
    let source = bench_source();
    let (package_bytes, files) = tree_bytes_and_files(&source);
    println!(
        "package: {:.0} MiB in {files} files ({})",
        mib(package_bytes),
        source.display()
    );
    let work = scratch("service");
    let site = Site::create(&work.join("site"), None).expect("site");
    let new = NewPackage {
        source_path: &source,
        name: "Windows 10 22H2 (bench)",
        version: "1",
        comment: "",
    };
    let package = package::add(&site, &new, &mut ignore_progress).expect("add");
    distribution::add_point(&site, "DP1", work.join("dp1").to_str().expect("path"), "")
        .expect("point");
    distribution::distribute(
        &site,
        &[&package.id],
        &["DP1"],
        &DistributeOptions::default(),
        &mut ignore_progress,
    )
    .expect("distribute");
    let old_image = install_image(&work, &package.id);
    let old_copy = work.join("install-v1.wim");
    std::fs::copy(&old_image, &old_copy).expect("keep the old image");

    let library_before = site.info().expect("site summary").library_size;
    let schedule_id = schedule_three_updates(&site, &package.id, &work);
    servicing::set_engine(&site, &Engine::Command(fixture("test-engine.sh"))).expect("engine");
    let mut first_seen: HashMap<(String, String), Instant> = HashMap::new();
    let started = Instant::now();
    let mut progress = |report: &Progress<'_>| {
        let key = (
            format!("{:?}", report.operation),
            format!("{:?}", report.phase),
        );
        first_seen.entry(key).or_insert_with(Instant::now);
        ControlFlow::Continue(())
    };
    let run = lifecycle::run_schedule(&site, schedule_id, &mut progress).expect("run");
    let finished = Instant::now();
    assert_eq!(run.content_version_to, Some(2), "{run:?}");
    let at = |operation: Operation, phase: Phase| {
        first_seen[&(format!("{operation:?}"), format!("{phase:?}"))]
    };
    let taking_out = at(Operation::Service, Phase::TakingOut);
    let servicing = at(Operation::Service, Phase::Servicing);
    let importing = at(Operation::Service, Phase::Importing);
    let copying = at(Operation::Distribute, Phase::Copying);
    let new_image = install_image(&work, &package.id);
    let image_bytes = std::fs::metadata(&new_image).expect("image").len();

    println!(
        "\nservicing run, 3 updates x 2 indexes ({:.0} MiB install.wim)",
        mib(image_bytes)
    );
    row("lease, catalog checks", taking_out - started, None);
    row(
        "take-out (verified copy of install.wim)",
        servicing - taking_out,
        Some(image_bytes),
    );
    row(
        "engine (test engine: wimlib update)",
        importing - servicing,
        None,
    );
    row(
        "re-import as content version 2",
        copying - importing,
        Some(image_bytes),
    );
    row("update the point (incremental)", finished - copying, None);
    row("whole run", finished - started, None);
    let cp = measure_shell(&format!(
        "cp '{}' '{}'",
        new_image.display(),
        work.join("cp.wim").display()
    ))
    .0;
    row("cp of the serviced install.wim", cp, Some(image_bytes));
    let openssl = measure_shell(&format!(
        "openssl dgst -sha256 '{}' >/dev/null",
        new_image.display()
    ))
    .0;
    row(
        "openssl dgst -sha256 of it (hashing floor)",
        openssl,
        Some(image_bytes),
    );

    let status = &distribution::status(&site, Some(&package.id), Some("DP1")).expect("status")[0];
    let changed_blocks = changed_bytes(&old_copy, &new_image);
    let appended = image_bytes.saturating_sub(std::fs::metadata(&old_copy).expect("old").len());
    let rsync_literal = rsync_literal_bytes(&new_image, &old_copy);
    println!("\nbytes                                           MiB  of package  of install.wim");
    let share = |bytes: u64| {
        println!(
            "{:>8.1} {:>10.2}% {:>14.2}%",
            mib(bytes),
            100.0 * bytes as f64 / package_bytes as f64,
            100.0 * bytes as f64 / image_bytes as f64
        )
    };
    let library_growth = site
        .info()
        .expect("site summary")
        .library_size
        .saturating_sub(library_before);
    print!("{:<40}", "sent to the point (changed chunks)");
    share(status.bytes_copied);
    print!("{:<40}", "reused from the point's version 1");
    share(status.bytes_reused);
    print!("{:<40}", "the library's growth");
    share(library_growth);
    print!("{:<40}", "install.wim: 1 MiB blocks that changed");
    share(changed_blocks);
    print!("{:<40}", "install.wim: bytes added to its end");
    share(appended);
    print!("{:<40}", "block-level transfer (rsync literal)");
    share(rsync_literal);
    print!("{:<40}", "Configuration Manager (whole package)");
    share(package_bytes);
    // The goal: within 1.2 times what a block-level transfer sends, and 1 MiB.
    let bound = 1.2 * rsync_literal as f64 + (1 << 20) as f64;
    for (what, bytes) in [
        ("sent to the point", status.bytes_copied),
        ("the library's growth", library_growth),
    ] {
        println!(
            "{what:<40} {:>8.2}x (1.2x rsync literal + 1 MiB)   <= 1.00x",
            bytes as f64 / bound
        );
    }
}

fn row(what: &str, time: Duration, bytes: Option<u64>) {
    let rate = bytes.map_or(String::new(), |b| {
        format!("{:>6.0} MiB/s", mib(b) / time.as_secs_f64())
    });
    println!("{what:<44} {:>8.3} s {rate}", time.as_secs_f64());
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// install.wim as the distribution point holds it: the package's current version there.
fn install_image(work: &Path, id: &str) -> PathBuf {
    work.join("dp1").join(id).join("sources/install.wim")
}

/// Imports a servicing stack, a cumulative and an other update, and schedules them once.
fn schedule_three_updates(site: &Site, id: &str, work: &Path) -> i64 {
    let folder = work.join("updates");
    std::fs::create_dir_all(&folder).expect("updates folder");
    for (name, kb, build, flags) in [
        (
            "windows10.0-kb5034000-x64_1.cab",
            "KB5034000",
            "19041.3920",
            &["--servicing-stack"][..],
        ),
        (
            "windows10.0-kb5034441-x64_2.msu",
            "KB5034441",
            "19041.3930",
            &[],
        ),
        (
            "windows10.0-kb5035001-x64_3.msu",
            "KB5035001",
            "19041.3931",
            &[],
        ),
    ] {
        run(Command::new("bash")
            .arg(fixture("make-update.sh"))
            .arg(folder.join(name))
            .args([kb, build])
            .args(flags));
    }
    let catalog = work.join("catalog.json");
    std::fs::write(
        &catalog,
        r#"{ "updates": [
          { "fileName": "windows10.0-kb5034000-x64_1.cab", "classification": "ServicingStack", "builds": [19045] },
          { "fileName": "windows10.0-kb5034441-x64_2.msu", "classification": "Cumulative", "builds": [19045] },
          { "fileName": "windows10.0-kb5035001-x64_3.msu", "classification": "Other", "builds": [19045] } ] }"#,
    )
    .expect("catalog");
    let imported = updates::import(
        site,
        &[folder.as_path()],
        Some(&catalog),
        &mut ignore_progress,
    )
    .expect("import");
    let settings = ScheduleSettings {
        update_ids: Some(imported.into_iter().map(|u| u.id).collect()),
        ..Default::default()
    };
    schedule::create(site, id, &settings).expect("schedule").id
}

/// Bytes of the blocks of `new` that differ from `old` at the same offset (blocks past `old`'s
/// end included).
fn changed_bytes(old: &Path, new: &Path) -> u64 {
    let (mut a, mut b) = (File::open(old).expect("old"), File::open(new).expect("new"));
    let (mut left, mut right) = (vec![0u8; BLOCK], vec![0u8; BLOCK]);
    let mut changed = 0u64;
    loop {
        let got_b = read_full(&mut b, &mut right);
        if got_b == 0 {
            return changed;
        }
        let got_a = read_full(&mut a, &mut left);
        if got_a != got_b || left[..got_a] != right[..got_b] {
            changed += got_b as u64;
        }
    }
}

fn read_full(file: &mut File, buffer: &mut [u8]) -> usize {
    let mut got = 0;
    while got < buffer.len() {
        match file.read(&mut buffer[got..]).expect("read") {
            0 => break,
            n => got += n,
        }
    }
    got
}

/// What rsync's delta transfer sends to bring `old` (a copy) to `new`: its "Literal data".
fn rsync_literal_bytes(new: &Path, old: &Path) -> u64 {
    let output = Command::new("rsync")
        .args(["--no-whole-file", "--inplace", "--stats"])
        .arg(new)
        .arg(old)
        .output()
        .expect("rsync");
    let text = String::from_utf8_lossy(&output.stdout);
    text.lines()
        .find_map(|line| line.strip_prefix("Literal data: "))
        .and_then(|rest| rest.split_whitespace().next())
        .map(|n| n.replace(',', "").parse().unwrap_or(0))
        .unwrap_or(0)
}
