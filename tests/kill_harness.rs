//! The kill harness: each operation is killed again and again, at moments chosen by the bytes
//! it has copied and at its named kill points, the way a power cut or `kill -9` would. After
//! each kill: the database passes `PRAGMA integrity_check`, every blob it references is in the
//! library under its hash, the distribution point holds one whole version (or, between the two
//! renames of a switch, none), and then the next run completes with nothing left over. Each
//! operation prints how many kills it survived (the test command shows them).

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use common::*;
use osupgrade::distribution::{self, DistributeOptions, DistributionState};
use osupgrade::package::{self, NewPackage};
use osupgrade::progress::ignore_progress;
use osupgrade::Site;

/// Kills per operation chosen by bytes, spread over what it copies.
const KILLS_BY_BYTES: u64 = 30;

/// Run as a child process by the harness: the operation named in the environment, killed on
/// the way by the kill point the environment names.
#[test]
#[ignore = "run as a child process by the harness"]
fn child_process_of_the_kill_harness() {
    let site = Site::open(Some(Path::new(&env("OSU_CHILD_SITE"))), None).unwrap();
    match env("OSU_CHILD_OPERATION").as_str() {
        "add" => {
            let source = PathBuf::from(env("OSU_CHILD_SOURCE"));
            let new = NewPackage {
                source_path: &source,
                name: "Killed",
                version: "1",
                comment: "",
            };
            let _ = package::add(&site, &new, &mut ignore_progress);
        }
        "reload" => {
            let _ = package::reload_content(&site, &env("OSU_CHILD_PACKAGE"), &mut ignore_progress);
        }
        "redistribute" => {
            let package = env("OSU_CHILD_PACKAGE");
            let _ = distribution::redistribute(
                &site,
                &package,
                &DistributeOptions::default(),
                &mut ignore_progress,
            );
        }
        other => panic!("no operation {other}"),
    }
}

fn env(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| panic!("{name} is not set"))
}

/// How the child is killed.
enum Kill<'a> {
    AfterBytes(u64),
    At(&'a str),
}

/// Runs the operation in a child that is killed as asked; true when it was (an operation that
/// copied fewer bytes than asked finishes instead).
fn killed(site_folder: &Path, operation: &str, extra: &[(&str, &Path)], kill: &Kill<'_>) -> bool {
    let mut command = Command::new(std::env::current_exe().unwrap());
    command
        .args(["--exact", "child_process_of_the_kill_harness", "--ignored"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .env("OSU_CHILD_SITE", site_folder)
        .env("OSU_CHILD_OPERATION", operation);
    for (name, value) in extra {
        command.env(name, value);
    }
    match kill {
        Kill::AfterBytes(bytes) => {
            command.env("OSUPGRADE_TEST_KILL_AFTER_BYTES", bytes.to_string())
        }
        Kill::At(point) => command.env("OSUPGRADE_TEST_KILL_AT", point),
    };
    !command.status().unwrap().success()
}

/// The database is whole and every blob it references is in the library under its hash.
fn assert_site_whole(site_folder: &Path, when: &str) {
    let db = rusqlite::Connection::open(site_folder.join("site.db")).unwrap();
    let check: String = db
        .query_row("PRAGMA integrity_check", [], |row| row.get(0))
        .unwrap();
    assert_eq!(check, "ok", "after a kill {when}");
    assert_library_intact(site_folder);
}

/// Byte counts spread over `total`, from the first 64 KiB to the last.
fn byte_kills(total: u64) -> Vec<u64> {
    (0..KILLS_BY_BYTES)
        .map(|n| 64 * 1024 + n * total.saturating_sub(128 * 1024) / (KILLS_BY_BYTES - 1))
        .collect()
}

fn bytes_below(folder: &Path) -> u64 {
    files_below(folder)
        .iter()
        .map(|(_, path)| fs::metadata(path).map_or(0, |m| m.len()))
        .sum()
}

#[test]
fn kill_harness_add() {
    let scratch = Scratch::new("kill-add");
    let source = make_source(
        &scratch.join("src"),
        &["--small-files", "60", "--image-mib", "6"],
    );
    let site_folder = scratch.join("site");
    drop(Site::create(&site_folder, None).unwrap());
    let mut kills = 0;
    for bytes in byte_kills(bytes_below(&source)) {
        let when = format!("after {bytes} bytes of an add");
        assert!(
            killed(
                &site_folder,
                "add",
                &[("OSU_CHILD_SOURCE", &source)],
                &Kill::AfterBytes(bytes)
            ),
            "the add was not killed {when}"
        );
        kills += 1;
        assert_site_whole(&site_folder, &when);
        let site = Site::open(Some(&site_folder), None).unwrap();
        assert!(
            package::list(&site, None).unwrap().is_empty(),
            "{when}: a package was recorded"
        );
    }
    let site = Site::open(Some(&site_folder), None).unwrap();
    let added = add(&site, &source, "After the kills");
    assert_eq!(added.id, "OSU00001", "a killed add used up an ID");
    assert_site_whole(&site_folder, "then a whole add");
    drop(site);
    assert!(
        staging_is_empty(&site_folder),
        "the kills left staged files"
    );
    println!("kill add: {kills} kills by bytes, each left the site whole; the next add completed");
}

#[test]
fn kill_harness_reload() {
    let s = setup("kill-reload", &["--small-files", "60", "--image-mib", "2"]);
    fs::write(
        s.source.join("sources/big-update.cab"),
        vec![0x5eu8; 6 << 20],
    )
    .unwrap();
    let site_folder = s.scratch.join("site");
    let package = PathBuf::from(&s.package.id);
    let mut kills = 0;
    for bytes in byte_kills(bytes_below(&s.source)) {
        let when = format!("after {bytes} bytes of a reload");
        if !killed(
            &site_folder,
            "reload",
            &[("OSU_CHILD_PACKAGE", &package)],
            &Kill::AfterBytes(bytes),
        ) {
            continue;
        }
        kills += 1;
        assert_site_whole(&site_folder, &when);
        let now = package::get(&s.site, &s.package.id).unwrap();
        assert_eq!(
            now.content_version, 1,
            "{when}: the killed reload made a version"
        );
    }
    assert!(
        kills >= KILLS_BY_BYTES - 2,
        "only {kills} reloads were killed"
    );
    let reloaded = reload(&s.site, &s.package.id);
    assert_eq!(reloaded.content_version, 2);
    assert_site_whole(&site_folder, "then a whole reload");
    println!("kill reload: {kills} kills by bytes, each kept version 1 whole; the next reload made version 2");
}

#[test]
fn kill_harness_redistribute() {
    let s = setup(
        "kill-redistribute",
        &["--small-files", "200", "--image-mib", "4"],
    );
    let point = s.point("DP1");
    distribute(&s.site, &s.package.id, &["DP1"]);
    let v1 = s.scratch.join("v1");
    copy_tree(&s.source, &v1);
    fs::write(
        s.source.join("sources/big-update.cab"),
        vec![0x3cu8; 6 << 20],
    )
    .unwrap();
    fs::write(s.source.join("sources/ei.cfg"), b"[EditionID]\nEducation\n").unwrap();
    reload(&s.site, &s.package.id);
    let v2 = s.scratch.join("v2");
    copy_tree(&s.source, &v2);
    let tree = s.tree(&point);
    let site_folder = s.scratch.join("site");
    let kills: Vec<Kill<'_>> = byte_kills(6 << 20)
        .into_iter()
        .map(Kill::AfterBytes)
        .chain(SWITCH_STEPS.iter().map(|step| Kill::At(step)))
        .collect();
    let mut count = 0;
    for kill in &kills {
        let when = match kill {
            Kill::AfterBytes(bytes) => format!("after {bytes} bytes of a redistribution"),
            Kill::At(step) => format!("at '{step}'"),
        };
        let package = PathBuf::from(&s.package.id);
        if !killed(
            &site_folder,
            "redistribute",
            &[("OSU_CHILD_PACKAGE", &package)],
            kill,
        ) {
            // A switch finished by the kill before: nothing left to copy at this moment.
            continue;
        }
        count += 1;
        assert_site_whole(&site_folder, &when);
        assert!(
            !tree.exists() || same_files(&tree, &v1) || same_files(&tree, &v2),
            "{when}: the point holds a mix of the two versions"
        );
        // Back to version 1 on the point, so that the next kill has all of it to copy again.
        restore_version_1(&s, &point, &v1);
    }
    let status = &distribute(&s.site, &s.package.id, &["DP1"])[0];
    assert_eq!(status.state, DistributionState::Installed, "{status:?}");
    assert_tree_matches(&tree, &v2);
    assert_point_valid(&s, "DP1");
    assert!(!point
        .join(".osupgrade/staging")
        .join(&s.package.id)
        .exists());
    println!(
        "kill redistribute: {count} kills ({} by bytes, {} at named steps), each left one whole version; the next run completed",
        KILLS_BY_BYTES,
        SWITCH_STEPS.len()
    );
}

/// Finishes what the kill left (the next run does), then puts version 1 back on the point by
/// hand, as if it had never got version 2.
fn restore_version_1(s: &Setup, point: &Path, v1: &Path) {
    distribute(&s.site, &s.package.id, &["DP1"]);
    let tree = s.tree(point);
    fs::remove_dir_all(&tree).unwrap();
    copy_tree(v1, &tree);
}
