//! The kill harness: each operation is killed again and again, at moments chosen by the bytes
//! it has copied and at its named kill points, the way a power cut or `kill -9` would. After
//! each kill: the database passes `PRAGMA integrity_check`, every blob it references is in the
//! library under its hash, each distribution point holds one whole content version (or, between
//! the two renames of a switch, none), and then the next run completes with nothing left over.
//! Each operation prints how many kills it survived (the test command shows them).

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use common::*;
use osupgrade::distribution::{self, DistributeOptions, DistributionState};
use osupgrade::model::RunState;
use osupgrade::package::{self, NewPackage};
use osupgrade::progress::ignore_progress;
use osupgrade::schedule::{self, ScheduleSettings};
use osupgrade::servicing::{self, Engine};
use osupgrade::{lifecycle, updates, Site};

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
        "distribute" => {
            let package = env("OSU_CHILD_PACKAGE");
            let _ = distribution::distribute(
                &site,
                &[&package],
                &["DP1"],
                &DistributeOptions::default(),
                &mut ignore_progress,
            );
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
        "group distribution" => {
            let package = env("OSU_CHILD_PACKAGE");
            let _ = distribution::distribute_to_group(
                &site,
                &[&package],
                GROUP,
                &DistributeOptions::default(),
                &mut ignore_progress,
            );
        }
        "servicing runner" => {
            let _ = lifecycle::run_due_schedules(&site, &mut ignore_progress);
        }
        other => panic!("no operation {other}"),
    }
}

fn env(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| panic!("{name} is not set"))
}

/// How the child is killed: once it has written so many bytes (of one kind of copy: `library`,
/// `work-folder` or `point`), or at a named kill point.
enum Kill<'a> {
    AfterBytes(&'a str, u64),
    At(&'a str),
}

impl Kill<'_> {
    fn when(&self, operation: &str) -> String {
        match self {
            Kill::AfterBytes(copy, bytes) => {
                format!("after {bytes} bytes ({copy}) of the {operation}")
            }
            Kill::At(point) => format!("at '{point}' of the {operation}"),
        }
    }
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
        Kill::AfterBytes(copy, bytes) => {
            command.env("OSUPGRADE_TEST_KILL_AFTER_BYTES", format!("{copy}:{bytes}"))
        }
        Kill::At(point) => command.env("OSUPGRADE_TEST_KILL_AT", point),
    };
    !command.status().unwrap().success()
}

/// Runs the operation once per kill; after each kill that landed, checks that the site is
/// whole and calls `after_each` with what the kill was. Returns how many landed: an operation
/// that copies fewer bytes than a kill waits for finishes instead.
fn kill_each(
    site_folder: &Path,
    operation: &str,
    extra: &[(&str, &Path)],
    kills: &[Kill<'_>],
    mut after_each: impl FnMut(&str),
) -> u64 {
    let mut landed = 0;
    for kill in kills {
        let when = kill.when(operation);
        if killed(site_folder, operation, extra, kill) {
            landed += 1;
            assert_site_whole(site_folder, &when);
            after_each(&when);
        }
    }
    landed
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

/// `count` byte counts spread over `total`, from the first 64 KiB to the last.
fn byte_kills(count: u64, total: u64) -> Vec<u64> {
    (0..count)
        .map(|n| 64 * 1024 + n * total.saturating_sub(128 * 1024) / (count - 1))
        .collect()
}

/// The content version of the package whose files `tree` holds, exactly: no file more, none
/// less, each with its hash.
fn version_held(site_folder: &Path, package_id: &str, tree: &Path) -> Option<i64> {
    let held: BTreeMap<String, String> = files_below(tree)
        .into_iter()
        .map(|(relative, path)| (relative, sha256_of(&path)))
        .collect();
    let db = rusqlite::Connection::open(site_folder.join("site.db")).unwrap();
    let mut versions = db
        .prepare("SELECT number FROM content_versions WHERE package_id = ?1")
        .unwrap();
    let numbers: Vec<i64> = versions
        .query_map([package_id], |row| row.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let mut files = db
        .prepare(
            "SELECT path, sha256 FROM package_files
             WHERE package_id = ?1 AND content_version = ?2 AND sha256 IS NOT NULL",
        )
        .unwrap();
    numbers.into_iter().find(|number| {
        let manifest: BTreeMap<String, String> = files
            .query_map(rusqlite::params![package_id, number], |row| {
                Ok((row.get(0)?, row.get(1)?))
            })
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        manifest == held
    })
}

/// Each point holds one whole content version of the package, or none (between the two
/// renames of a switch); returns the versions held.
fn assert_points_whole(s: &Setup, points: &[&str], when: &str) -> Vec<Option<i64>> {
    let site_folder = s.scratch.join("site");
    points
        .iter()
        .map(|name| {
            let tree = s.tree(&s.scratch.join("points").join(name));
            if !tree.exists() {
                return None;
            }
            let version = version_held(&site_folder, &s.package.id, &tree);
            assert!(version.is_some(), "{when}: {name} holds a mix of versions");
            version
        })
        .collect()
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
    let kills = library_kills(bytes_below(&source));
    let landed = kill_each(
        &site_folder,
        "add",
        &[("OSU_CHILD_SOURCE", &source)],
        &kills,
        |when| {
            let site = Site::open(Some(&site_folder), None).unwrap();
            let recorded = package::list(&site, None).unwrap();
            assert!(recorded.is_empty(), "{when}: a package was recorded");
        },
    );
    assert_eq!(landed, KILLS_BY_BYTES, "an add finished before its kill");
    let site = Site::open(Some(&site_folder), None).unwrap();
    let added = add(&site, &source, "After the kills");
    assert_eq!(added.id, "OSU00001", "a killed add used up an ID");
    assert_site_whole(&site_folder, "then a whole add");
    drop(site);
    assert!(
        staging_is_empty(&site_folder),
        "the kills left staged files"
    );
    println!("kill add: {landed} kills by bytes, each left the site whole; the next add completed");
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
    let kills = library_kills(bytes_below(&s.source));
    let landed = kill_each(
        &site_folder,
        "reload",
        &[("OSU_CHILD_PACKAGE", &package)],
        &kills,
        |when| assert_eq!(content_version(&s), 1, "{when}: a version was made"),
    );
    assert!(
        landed >= KILLS_BY_BYTES - 2,
        "only {landed} reloads were killed"
    );
    let reloaded = reload(&s.site, &s.package.id);
    assert_eq!(reloaded.content_version, 2);
    assert_site_whole(&site_folder, "then a whole reload");
    println!("kill reload: {landed} kills by bytes, each kept version 1 whole; the next reload made version 2");
}

#[test]
fn kill_harness_distribute() {
    let s = setup(
        "kill-distribute",
        &["--small-files", "200", "--image-mib", "6"],
    );
    let point = s.point("DP1");
    let site_folder = s.scratch.join("site");
    let package = PathBuf::from(&s.package.id);
    let count = kill_each(
        &site_folder,
        "distribute",
        &[("OSU_CHILD_PACKAGE", &package)],
        &point_kills(bytes_below(&s.source)),
        |when| {
            assert_points_whole(&s, &["DP1"], when);
            // Finished, then taken off the point, for the next kill to copy it all again.
            distribute(&s.site, &s.package.id, &["DP1"]);
            distribution::remove_content(&s.site, &s.package.id, "DP1").unwrap();
        },
    );
    assert!(
        count >= KILLS_BY_BYTES,
        "only {count} distributions were killed"
    );
    let status = &distribute(&s.site, &s.package.id, &["DP1"])[0];
    assert_eq!(status.state, DistributionState::Installed, "{status:?}");
    assert_tree_matches(&s.tree(&point), &s.source);
    assert_point_valid(&s, "DP1");
    assert_staging_holds_only_the_seed(&point, &s.package.id);
    println!("kill distribute: {count} kills of a first distribution to a point, each left the point the whole package or none; the next run completed");
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
    let package = PathBuf::from(&s.package.id);
    let count = kill_each(
        &site_folder,
        "redistribute",
        &[("OSU_CHILD_PACKAGE", &package)],
        &point_kills(6 << 20),
        |when| {
            assert!(
                !tree.exists() || same_files(&tree, &v1) || same_files(&tree, &v2),
                "{when}: the point holds a mix of the two versions"
            );
            // Finished, then version 1 again on the point, for the next kill to copy it all.
            distribute(&s.site, &s.package.id, &["DP1"]);
            put_back(&s, &["DP1"], &v1);
        },
    );
    let status = &distribute(&s.site, &s.package.id, &["DP1"])[0];
    assert_eq!(status.state, DistributionState::Installed, "{status:?}");
    assert_tree_matches(&tree, &v2);
    assert_point_valid(&s, "DP1");
    assert_staging_holds_only_the_seed(&point, &s.package.id);
    println!(
        "kill redistribute: {count} kills ({} by bytes, {} at named steps), each left one whole version; the next run completed",
        KILLS_BY_BYTES,
        SWITCH_STEPS.len()
    );
}

/// A point that holds version 1 of a large image gets version 2 built from its unchanged
/// ranges: killed while it reads them from the live file, while it copies the changed chunks,
/// at each step of the build and of the switch, and while it mends a live file that was
/// altered, the point holds one whole version each time, and the next run completes.
#[test]
fn kill_harness_block_built_update() {
    let s = setup(
        "kill-block-build",
        &["--small-files", "20", "--image-mib", "24"],
    );
    let point = s.point("DP1");
    distribute(&s.site, &s.package.id, &["DP1"]);
    // The point as version 1 left it, times and manifest included: each kill starts from it.
    let held_v1 = s.scratch.join("point-v1");
    copy_keeping_times(&point, &held_v1);
    let image = service_image(&s);
    reload(&s.site, &s.package.id);
    let site_folder = s.scratch.join("site");
    let package = PathBuf::from(&s.package.id);
    let restore = || {
        fs::remove_dir_all(&point).unwrap();
        copy_keeping_times(&held_v1, &point);
    };
    let kills: Vec<Kill<'_>> = byte_kills(20, fs::metadata(&image).unwrap().len())
        .into_iter()
        .map(|bytes| Kill::AfterBytes("point", bytes))
        .chain(BLOCK_BUILD_STEPS.iter().map(|step| Kill::At(step)))
        .chain(SWITCH_STEPS.iter().map(|step| Kill::At(step)))
        .collect();
    let check = |when: &str| {
        // One whole version, or none between the two renames of the switch.
        assert_points_whole(&s, &["DP1"], when);
        // The next run builds again from the point, or takes what the killed one staged.
        let done = distribute(&s.site, &s.package.id, &["DP1"]);
        assert_eq!(done[0].state, DistributionState::Installed, "{when}");
        assert!(done[0].bytes_copied < 4 << 20, "{when}: {:?}", done[0]);
        assert_tree_matches(&s.tree(&point), &s.source);
        restore();
    };
    let count = kill_each(
        &site_folder,
        "redistribute",
        &[("OSU_CHILD_PACKAGE", &package)],
        &kills,
        check,
    );
    assert_eq!(
        count,
        kills.len() as u64,
        "a block build finished before its kill"
    );
    // The same with the live image altered behind the manifest's back: killed as it mends.
    let live = s.tree(&point).join("sources/install.wim");
    alter_keeping_time(&live);
    let altered = sha256_of(&live);
    assert!(killed(
        &site_folder,
        "redistribute",
        &[("OSU_CHILD_PACKAGE", &package)],
        &Kill::At("block build: mending")
    ));
    assert_eq!(
        sha256_of(&live),
        altered,
        "the killed run touched the live file"
    );
    let done = distribute(&s.site, &s.package.id, &["DP1"]);
    assert_eq!(done[0].state, DistributionState::Installed, "{:?}", done[0]);
    assert_tree_matches(&s.tree(&point), &s.source);
    assert_point_valid(&s, "DP1");
    assert_staging_holds_only_the_seed(&point, &s.package.id);
    println!(
        "kill block-built update: {} kills (20 by bytes, mostly while ranges were read from the live file; {} at named steps), each left the point one whole version; the next run completed",
        count + 1,
        BLOCK_BUILD_STEPS.len() + SWITCH_STEPS.len() + 1
    );
}

/// Changes the source's install.wim as servicing does (a file's resource appended, the lookup
/// table, XML and header rewritten), and returns its path.
fn service_image(s: &Setup) -> PathBuf {
    let image = s.source.join("sources/install.wim");
    let status = Command::new("wimlib-imagex")
        .args(["update", image.to_str().unwrap(), "1"])
        .arg(format!(
            "--command=add {} /Windows/servicing/Packages/update.bin",
            s.source.join("setup.exe").display()
        ))
        .stdout(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success());
    image
}

/// The steps of cutting an image kept whole into chunks, once a new version of it arrives.
const CUT_STEPS: &[&str] = &[
    "cut: chunks staged",
    "cut: chunks placed",
    "cut: chunks recorded",
];

#[test]
fn kill_harness_cut_of_a_whole_image() {
    let s = setup("kill-cut", &["--small-files", "10", "--image-mib", "24"]);
    let point = s.point("DP1");
    distribute(&s.site, &s.package.id, &["DP1"]);
    let site_folder = s.scratch.join("site");
    let first: String = rusqlite::Connection::open(site_folder.join("site.db"))
        .unwrap()
        .query_row(
            "SELECT sha256 FROM package_files WHERE path = 'sources/install.wim'",
            [],
            |row| row.get(0),
        )
        .unwrap();
    let whole = site_folder.join("files").join(&first[..2]).join(&first);
    assert!(whole.is_file(), "a first add keeps the image whole");
    service_image(&s);
    let package = PathBuf::from(&s.package.id);
    let kills: Vec<Kill<'_>> = CUT_STEPS.iter().map(|step| Kill::At(step)).collect();
    let mut fresh = 0;
    let count = kill_each(
        &site_folder,
        "reload",
        &[("OSU_CHILD_PACKAGE", &package)],
        &kills,
        |when| {
            // The image reads whole (checked above), from its whole file or its chunks: a new
            // point gets version 1 from the library.
            assert_eq!(content_version(&s), 1, "{when}");
            fresh += 1;
            let name = format!("NEW{fresh}");
            let new_point = s.point(&name);
            let done = redistribute_to(&s, &name);
            assert_eq!(done.state, DistributionState::Installed, "{when}");
            assert_tree_matches(&s.tree(&new_point), &s.tree(&point));
        },
    );
    assert_eq!(
        count,
        CUT_STEPS.len() as u64,
        "a cut finished before its kill"
    );
    let reloaded = reload(&s.site, &s.package.id);
    assert_eq!(reloaded.content_version, 2);
    assert!(!whole.exists(), "the whole image stayed beside its chunks");
    assert_site_whole(&site_folder, "then a whole reload");
    // What the killed cuts placed was collected: every chunk file is one the site records.
    let recorded: usize = rusqlite::Connection::open(site_folder.join("site.db"))
        .unwrap()
        .query_row("SELECT count(*) FROM chunks", [], |row| row.get(0))
        .unwrap();
    assert_eq!(
        files_below(&site_folder.join("files/chunks")).len(),
        recorded
    );
    let done = redistribute_to(&s, "DP1");
    assert!(done.bytes_reused > 0, "{done:?}");
    assert_tree_matches(&s.tree(&point), &s.source);
    println!(
        "kill cut: {count} kills at each step of cutting the whole image, each left it readable and version 1 current; the next reload cut it and made version 2"
    );
}

/// Distributes the package's current version to `point` again.
fn redistribute_to(s: &Setup, point: &str) -> distribution::DistributionStatus {
    distribute(&s.site, &s.package.id, &[point]).remove(0)
}

/// Copies a point's folder with its files' times, as `cp -a` does.
fn copy_keeping_times(from: &Path, to: &Path) {
    let status = Command::new("cp")
        .arg("-a")
        .arg(from)
        .arg(to)
        .status()
        .unwrap();
    assert!(status.success());
}

/// Changes bytes in the middle of a file and puts its time back.
fn alter_keeping_time(file: &Path) {
    let modified = fs::metadata(file).unwrap().modified().unwrap();
    let mut bytes = fs::read(file).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle..middle + 4096].fill(0xa5);
    fs::write(file, &bytes).unwrap();
    fs::File::options()
        .write(true)
        .open(file)
        .unwrap()
        .set_modified(modified)
        .unwrap();
}

/// Kills of a copy into the library, by the bytes read, spread over `total`.
fn library_kills(total: u64) -> Vec<Kill<'static>> {
    byte_kills(KILLS_BY_BYTES, total)
        .into_iter()
        .map(|bytes| Kill::AfterBytes("library", bytes))
        .collect()
}

/// Puts the files of `version` on the points by hand, as if they had never been updated.
fn put_back(s: &Setup, points: &[&str], version: &Path) {
    for name in points {
        let tree = s.tree(&s.scratch.join("points").join(name));
        fs::remove_dir_all(&tree).unwrap();
        copy_tree(version, &tree);
    }
}

/// Kills of a distribution: by the bytes written to a point, spread over `changed`, and at
/// each step of the switch.
fn point_kills(changed: u64) -> Vec<Kill<'static>> {
    byte_kills(KILLS_BY_BYTES, changed)
        .into_iter()
        .map(|bytes| Kill::AfterBytes("point", bytes))
        .chain(SWITCH_STEPS.iter().map(|step| Kill::At(step)))
        .collect()
}

/// The group of the group distribution's kills, and its points.
const GROUP: &str = "Branches";
const BRANCHES: [&str; 3] = ["BR1", "BR2", "BR3"];

fn distribute_to_branches(s: &Setup) -> Vec<distribution::DistributionStatus> {
    distribution::distribute_to_group(
        &s.site,
        &[&s.package.id],
        GROUP,
        &DistributeOptions::default(),
        &mut ignore_progress,
    )
    .unwrap()
}

#[test]
fn kill_harness_group_distribution() {
    let s = setup("kill-group", &["--small-files", "100", "--image-mib", "2"]);
    distribution::create_group(&s.site, GROUP, "").unwrap();
    for name in BRANCHES {
        s.point(name);
    }
    distribution::add_points_to_group(
        &s.site,
        GROUP,
        &BRANCHES,
        &DistributeOptions::default(),
        &mut ignore_progress,
    )
    .unwrap();
    distribute_to_branches(&s);
    let v1 = s.scratch.join("v1");
    copy_tree(&s.source, &v1);
    fs::write(
        s.source.join("sources/big-update.cab"),
        vec![0x3cu8; 4 << 20],
    )
    .unwrap();
    reload(&s.site, &s.package.id);
    let site_folder = s.scratch.join("site");
    let package = PathBuf::from(&s.package.id);
    let count = kill_each(
        &site_folder,
        "group distribution",
        &[("OSU_CHILD_PACKAGE", &package)],
        &point_kills(4 << 20),
        |when| {
            assert_points_whole(&s, &BRANCHES, when);
            // Finished, then version 1 again on every point, for the next kill to copy it all.
            distribute_to_branches(&s);
            put_back(&s, &BRANCHES, &v1);
        },
    );
    assert!(
        count >= KILLS_BY_BYTES,
        "only {count} group distributions were killed"
    );
    for status in distribute_to_branches(&s) {
        assert_eq!(status.state, DistributionState::Installed, "{status:?}");
    }
    assert_eq!(
        assert_points_whole(&s, &BRANCHES, "then a whole group distribution"),
        [Some(2); 3]
    );
    for name in BRANCHES {
        assert_point_valid(&s, name);
        let point = s.scratch.join("points").join(name);
        assert_staging_holds_only_the_seed(&point, &s.package.id);
    }
    println!("kill group distribution: {count} kills of a distribution to a group of three points, each left every point one whole version; the next run completed");
}

/// A package on two points, one cumulative update for it, the test engine, and a schedule due
/// now that applies the update (updating the points after, if asked).
fn servicing_lab(label: &str, update_points: bool) -> Setup {
    let s = setup(label, &["--small-files", "20", "--image-mib", "3"]);
    s.point("DP1");
    s.point("DP2");
    distribute(&s.site, &s.package.id, &["DP1", "DP2"]);
    let folder = s.scratch.join("updates");
    make_cumulative_update(&folder);
    updates::import(&s.site, &[folder.as_path()], None, &mut ignore_progress).unwrap();
    servicing::set_engine(&s.site, &Engine::Command(test_engine())).unwrap();
    let settings = ScheduleSettings {
        update_ids: Some(vec!["KB5034441-x64".into()]),
        utc: Some(true),
        start: Some("2026-01-01T00:00".into()),
        update_distribution_points: Some(update_points),
        ..Default::default()
    };
    schedule::create(&s.site, &s.package.id, &settings).unwrap();
    s
}

fn content_version(s: &Setup) -> i64 {
    package::get(&s.site, &s.package.id)
        .unwrap()
        .content_version
}

/// What the last runner left: no work folder, no staging, no run still running.
fn assert_nothing_left_by_runs(s: &Setup) {
    let site_folder = s.scratch.join("site");
    let work: Vec<_> = fs::read_dir(site_folder.join("servicing"))
        .unwrap()
        .collect();
    assert!(work.is_empty(), "work folders left: {work:?}");
    assert!(
        staging_is_empty(&site_folder),
        "the kills left staged files"
    );
    let runs = servicing::list_runs(&s.site, None, Some(&s.package.id)).unwrap();
    assert!(
        runs.iter().all(|r| r.state != RunState::Running),
        "{runs:?}"
    );
}

#[test]
fn kill_harness_servicing_run() {
    let s = servicing_lab("kill-servicing", false);
    let site_folder = s.scratch.join("site");
    let image = fs::metadata(s.source.join("sources/install.wim"))
        .unwrap()
        .len();
    let kills: Vec<Kill<'_>> = byte_kills(KILLS_BY_BYTES / 2, image)
        .into_iter()
        .map(|bytes| Kill::AfterBytes("work-folder", bytes))
        .chain(
            byte_kills(KILLS_BY_BYTES / 2, image)
                .into_iter()
                .map(|bytes| Kill::AfterBytes("library", bytes)),
        )
        .chain(
            [
                "servicing: leased",
                "servicing: taken out",
                "servicing: engine done",
            ]
            .map(Kill::At),
        )
        .collect();
    // Each runner closes the run the kill before left running and takes its schedule again.
    let landed = kill_each(&site_folder, "servicing runner", &[], &kills, |when| {
        assert_eq!(content_version(&s), 1, "{when}: a version was recorded");
        let held = assert_points_whole(&s, &["DP1", "DP2"], when);
        assert_eq!(held, [Some(1); 2], "{when}");
    });
    assert_eq!(landed, kills.len() as u64, "a run finished before its kill");
    let runs = lifecycle::run_due_schedules(&s.site, &mut ignore_progress).unwrap();
    assert_eq!(runs.len(), 1);
    assert_eq!(runs[0].state, RunState::Succeeded, "{:?}", runs[0]);
    assert_eq!(content_version(&s), 2);
    assert_site_whole(&site_folder, "then a whole servicing run");
    assert_nothing_left_by_runs(&s);
    let interrupted = servicing::list_runs(&s.site, None, Some(&s.package.id))
        .unwrap()
        .iter()
        .filter(|r| r.error.starts_with("interrupted"))
        .count();
    assert_eq!(
        interrupted,
        kills.len(),
        "each killed run is closed as interrupted"
    );
    println!(
        "kill servicing run: {} kills ({} copying the image out, {} storing the serviced image, 3 at named steps), each kept version 1 whole; the next run serviced the package",
        kills.len(),
        KILLS_BY_BYTES / 2,
        KILLS_BY_BYTES / 2
    );
}

#[test]
fn kill_harness_point_update_after_servicing() {
    let s = servicing_lab("kill-after-servicing", true);
    let site_folder = s.scratch.join("site");
    let points = ["DP1", "DP2"];
    // The run is recorded, then killed before it reaches the points: they are left pending.
    assert!(killed(
        &site_folder,
        "servicing runner",
        &[],
        &Kill::At("servicing: recorded")
    ));
    assert_eq!(content_version(&s), 2);
    let image = fs::metadata(s.source.join("sources/install.wim"))
        .unwrap()
        .len();
    // Each runner call takes up the points the run left pending.
    let count = kill_each(
        &site_folder,
        "servicing runner",
        &[],
        &point_kills(image),
        |when| {
            assert_points_whole(&s, &points, when);
            // Finished by hand (which leaves the run's points pending), then version 1 again.
            distribution::redistribute(
                &s.site,
                &s.package.id,
                &DistributeOptions::default(),
                &mut ignore_progress,
            )
            .unwrap();
            put_back(&s, &points, &s.source);
        },
    );
    assert!(
        count >= KILLS_BY_BYTES,
        "only {count} point updates were killed"
    );
    let runs = lifecycle::run_due_schedules(&s.site, &mut ignore_progress).unwrap();
    assert_eq!(runs.len(), 1);
    assert!(!runs[0].points_pending, "{:?}", runs[0]);
    assert_eq!(
        assert_points_whole(&s, &points, "then a whole update"),
        [Some(2); 2]
    );
    for name in points {
        assert_point_valid(&s, name);
    }
    assert_nothing_left_by_runs(&s);
    println!("kill point update after servicing: {count} kills of the runner updating two points to the serviced version, each left every point one whole version; the next runner call completed");
}
