//! What a distribution point is promised whatever happens to it: a crash at any step of a
//! switch leaves one whole version (or none, which the next run restores), links planted in a
//! point are never followed, and what validation found wrong is repaired.

mod common;

use std::fs;
use std::os::unix::fs::symlink;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use common::*;
use osupgrade::distribution::{self, DistributionState};
use osupgrade::progress::ignore_progress;
use osupgrade::Site;

/// Run as a child process by the crash tests: redistributes the package named in the
/// environment, and is killed on the way.
#[test]
#[ignore = "run as a child process by another test"]
fn child_process_redistributes() {
    let site = Site::open(
        Some(Path::new(&std::env::var("OSU_CHILD_SITE").unwrap())),
        None,
    )
    .unwrap();
    let package = std::env::var("OSU_CHILD_PACKAGE").unwrap();
    let _ = distribution::redistribute(&site, &package, &Default::default(), &mut ignore_progress);
}

/// How a child is killed: at a named step, after a delay, or once it has copied some bytes.
enum Kill<'a> {
    At(&'a str),
    After(Duration),
    AfterBytes(u64),
}

fn redistribute_in_child(s: &Setup, kill: Kill<'_>) {
    let mut command = Command::new(std::env::current_exe().unwrap());
    command
        .args(["--exact", "child_process_redistributes", "--ignored"])
        .stdout(Stdio::null())
        .env("OSU_CHILD_SITE", s.scratch.join("site"))
        .env("OSU_CHILD_PACKAGE", &s.package.id);
    match kill {
        Kill::At(point) => command.env("OSUPGRADE_TEST_KILL_AT", point),
        Kill::AfterBytes(bytes) => {
            command.env("OSUPGRADE_TEST_KILL_AFTER_BYTES", bytes.to_string())
        }
        Kill::After(_) => &mut command,
    };
    let mut child = command.spawn().unwrap();
    if let Kill::After(delay) = kill {
        std::thread::sleep(delay);
        let _ = child.kill();
    }
    let status = child.wait().unwrap();
    if !matches!(kill, Kill::After(_)) {
        assert!(!status.success(), "the child was not killed");
    }
}

/// A package distributed as version 1, then changed (files altered, added, removed) and
/// reloaded as version 2; copies of both sources to compare the point with.
fn two_versions(label: &str) -> (Setup, std::path::PathBuf, std::path::PathBuf) {
    let s = setup(label, &["--small-files", "400", "--image-mib", "8"]);
    s.point("DP1");
    distribute(&s.site, &s.package.id, &["DP1"]);
    let v1 = s.scratch.join("v1");
    copy_tree(&s.source, &v1);
    fs::write(s.source.join("sources/ei.cfg"), b"[EditionID]\nEducation\n").unwrap();
    fs::write(s.source.join("sources/new-update.cab"), vec![3u8; 300_000]).unwrap();
    let removed = files_below(&s.source.join("sources/en-us"));
    fs::remove_file(&removed[0].1).unwrap();
    reload(&s.site, &s.package.id);
    let v2 = s.scratch.join("v2");
    copy_tree(&s.source, &v2);
    (s, v1, v2)
}

/// The package folder is absent, or exactly one version: never a mix.
fn assert_one_version_or_none(tree: &Path, v1: &Path, v2: &Path, when: &str) {
    if !tree.exists() {
        return;
    }
    assert!(
        same_files(tree, v1) || same_files(tree, v2),
        "killed at {when}: the point holds a mix of the two versions"
    );
}

fn assert_finished_at_version_2(s: &Setup, v2: &Path) {
    let point = s.scratch.join("points/DP1");
    let status = &distribute(&s.site, &s.package.id, &["DP1"])[0];
    assert_eq!(status.state, DistributionState::Installed, "{status:?}");
    assert_eq!(status.installed_content_version, Some(2));
    assert_tree_matches(&s.tree(&point), v2);
    let report =
        distribution::validate(&s.site, &s.package.id, "DP1", &mut ignore_progress).unwrap();
    assert!(report.valid, "{report:?}");
    assert_staging_holds_only_the_seed(&point, &s.package.id);
}

/// The killed run's status says so within seconds (its lock free, a few renewals missed), not
/// once its lease has gone unrenewed for two minutes: `wait_until` gives up after one.
fn wait_until_read_as_interrupted(s: &Setup, when: &str) {
    wait_until(
        &format!("the run killed at {when} to read as interrupted"),
        || {
            let status =
                &distribution::status(&s.site, Some(&s.package.id), Some("DP1")).unwrap()[0];
            status.state == DistributionState::Failed
                && status.last_error.starts_with("interrupted")
        },
    );
}

#[test]
fn a_switch_killed_at_any_step_leaves_one_version_and_the_next_run_finishes_it() {
    // After each kill, either validation or the next distribution comes first.
    for validate_first in [true, false] {
        for step in SWITCH_STEPS {
            let (s, v1, v2) = two_versions("killstep");
            let tree = s.tree(&s.scratch.join("points/DP1"));
            redistribute_in_child(&s, Kill::At(step));
            assert_one_version_or_none(&tree, &v1, &v2, step);
            if !validate_first {
                wait_until_read_as_interrupted(&s, step);
            }
            if validate_first {
                // Validation finishes a journalled switch and reports one version.
                if let Ok(report) =
                    distribution::validate(&s.site, &s.package.id, "DP1", &mut ignore_progress)
                {
                    assert!(report.valid, "killed at {step}: {report:?}");
                    assert_one_version_or_none(&tree, &v1, &v2, step);
                }
            }
            assert_finished_at_version_2(&s, &v2);
            let log = fs::read_to_string(s.scratch.join("site/Logs/distribution.log")).unwrap();
            assert_eq!(
                log.contains("finished the switch a stopped distribution had journalled"),
                LEFT_A_JOURNAL.contains(&step),
                "killed at {step}: what the log says of the switch left"
            );
        }
    }
}

/// The steps after which a killed switch leaves its journal for the next run to finish.
const LEFT_A_JOURNAL: [&str; 3] = [
    "switch: journalled",
    "switch: live tree moved aside",
    "switch: next tree moved in",
];

#[test]
fn a_redistribution_killed_at_random_moments_never_leaves_a_mix() {
    let (s, v1, v2) = two_versions("killrandom");
    let tree = s.tree(&s.scratch.join("points/DP1"));
    for delay_ms in [5, 20, 40, 60, 90, 130, 180, 250] {
        redistribute_in_child(&s, Kill::After(Duration::from_millis(delay_ms)));
        assert_one_version_or_none(&tree, &v1, &v2, &format!("{delay_ms} ms"));
    }
    assert_finished_at_version_2(&s, &v2);
}

#[test]
fn a_copy_killed_again_and_again_never_holds_more_than_one_copy_in_staging() {
    let (s, _, _) = two_versions("killbytes");
    let big = vec![0x5au8; 16 << 20];
    let changed = big.len() as u64 + 400_000;
    fs::write(s.source.join("sources/big-update.cab"), &big).unwrap();
    reload(&s.site, &s.package.id);
    let v3 = s.scratch.join("v3");
    copy_tree(&s.source, &v3);
    let staging = s
        .scratch
        .join("points/DP1/.osupgrade/staging")
        .join(&s.package.id);
    // Each kill lands in the middle of the big file, at another byte.
    for kill in 0..5u64 {
        redistribute_in_child(&s, Kill::AfterBytes((4 << 20) + kill * (2 << 20)));
        // The seed holds the live files as links, no bytes of its own.
        let held: u64 = files_below(&staging)
            .iter()
            .filter(|(relative, _)| !relative.starts_with("seed/"))
            .map(|(_, path)| fs::metadata(path).unwrap().len())
            .sum();
        assert!(
            held <= changed,
            "after kill {kill}, staging holds {held} bytes for {changed} bytes of changed files"
        );
    }
    let status = &distribute(&s.site, &s.package.id, &["DP1"])[0];
    assert_eq!(status.state, DistributionState::Installed, "{status:?}");
    let point = s.scratch.join("points/DP1");
    assert_tree_matches(&s.tree(&point), &v3);
    assert_staging_holds_only_the_seed(&point, &s.package.id);
    let control = fs::read_dir(s.scratch.join("points/DP1/.osupgrade")).unwrap();
    let temps: Vec<_> = control
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|name| name.ends_with(".tmp"))
        .collect();
    assert!(temps.is_empty(), "left on the point: {temps:?}");
}

#[test]
fn a_folder_of_the_package_replaced_by_a_link_is_reported_and_never_written_through() {
    let (s, _, v2) = two_versions("linkfolder");
    let point = s.scratch.join("points/DP1");
    let outside = s.scratch.join("outside");
    fs::create_dir_all(&outside).unwrap();
    fs::write(outside.join("keep.txt"), b"not OSUpgrade's").unwrap();
    let linked = s.tree(&point).join("sources/en-us");
    fs::remove_dir_all(&linked).unwrap();
    symlink(&outside, &linked).unwrap();

    let report =
        distribution::validate(&s.site, &s.package.id, "DP1", &mut ignore_progress).unwrap();
    assert!(!report.valid);
    assert_eq!(report.links, vec!["sources/en-us".to_string()]);
    assert!(
        !report.missing.is_empty(),
        "files behind the link count as missing"
    );

    assert_finished_at_version_2(&s, &v2);
    assert_eq!(
        files_below(&outside).len(),
        1,
        "something was written outside the point"
    );
    assert!(!fs::symlink_metadata(&linked)
        .unwrap()
        .file_type()
        .is_symlink());
}

#[test]
fn a_package_folder_or_control_folder_that_is_a_link_is_replaced_not_followed() {
    let (s, _, v2) = two_versions("linkroot");
    let point = s.scratch.join("points/DP1");
    let outside = s.scratch.join("outside");
    let tree = s.tree(&point);
    fs::rename(&tree, &outside).unwrap();
    symlink(&outside, &tree).unwrap();
    let outside_before = files_below(&outside);

    let report =
        distribution::validate(&s.site, &s.package.id, "DP1", &mut ignore_progress).unwrap();
    assert!(!report.valid, "a linked package folder validated");
    assert_eq!(report.links, vec![".".to_string()]);

    let control_outside = s.scratch.join("control-outside");
    fs::create_dir_all(&control_outside).unwrap();
    let control = point.join(".osupgrade");
    fs::rename(&control, s.scratch.join("control-moved")).unwrap();
    symlink(&control_outside, &control).unwrap();

    assert_finished_at_version_2(&s, &v2);
    assert_eq!(
        files_below(&outside),
        outside_before,
        "the linked folder was written"
    );
    assert!(
        files_below(&control_outside).is_empty(),
        "control files went outside"
    );
    assert!(!fs::symlink_metadata(&tree)
        .unwrap()
        .file_type()
        .is_symlink());
}

#[test]
fn a_file_altered_in_place_with_its_size_and_time_kept_is_copied_again() {
    let s = setup("altered", &["--small-files", "20"]);
    let point = s.point("DP1");
    distribute(&s.site, &s.package.id, &["DP1"]);
    let target = s.tree(&point).join("sources/ei.cfg");
    let before = fs::metadata(&target).unwrap();
    let mut bytes = fs::read(&target).unwrap();
    bytes[0] ^= 0xFF;
    fs::write(&target, &bytes).unwrap();
    let file = fs::File::options().write(true).open(&target).unwrap();
    file.set_modified(before.modified().unwrap()).unwrap();
    drop(file);

    let report =
        distribution::validate(&s.site, &s.package.id, "DP1", &mut ignore_progress).unwrap();
    assert_eq!(report.altered, vec!["sources/ei.cfg".to_string()]);
    let status = &distribute(&s.site, &s.package.id, &["DP1"])[0];
    assert_eq!(status.state, DistributionState::Installed);
    assert_eq!(status.files_copied, 1, "{status:?}");
    assert_tree_matches(&s.tree(&point), &s.source);
    assert_point_valid(&s, "DP1");
}

#[test]
fn a_hostile_file_planted_in_staging_is_not_used() {
    let (s, _, v2) = two_versions("plantstaged");
    let point = s.scratch.join("points/DP1");
    let staging = point.join(".osupgrade/staging").join(&s.package.id);
    fs::create_dir_all(&staging).unwrap();
    let wanted = sha256_of(&v2.join("sources/ei.cfg"));
    let size = fs::metadata(v2.join("sources/ei.cfg")).unwrap().len() as usize;
    fs::write(staging.join(&wanted), vec![b'X'; size]).unwrap();
    assert_finished_at_version_2(&s, &v2);
}

/// The seed a distribution keeps in staging: links to the live files.
fn seed_of(s: &Setup) -> std::path::PathBuf {
    let staging = s.scratch.join("points/DP1/.osupgrade/staging");
    staging.join(&s.package.id).join("seed")
}

#[test]
fn a_redistribution_builds_on_the_seed_the_last_one_kept() {
    use std::os::unix::fs::MetadataExt;
    let (s, _, v2) = two_versions("seedused");
    let point = s.scratch.join("points/DP1");
    let seed = seed_of(&s);
    assert_staging_holds_only_the_seed(&point, &s.package.id);
    let seed_folder = fs::metadata(&seed).unwrap().ino();
    let unchanged = s.tree(&point).join("setup.exe");
    let before = fs::metadata(&unchanged).unwrap().ino();
    assert_finished_at_version_2(&s, &v2);
    // The seed became the live tree, and the files that stayed are the same files.
    assert_eq!(fs::metadata(s.tree(&point)).unwrap().ino(), seed_folder);
    assert_eq!(fs::metadata(&unchanged).unwrap().ino(), before);
}

#[test]
fn what_is_planted_in_the_seed_is_dropped_and_no_link_there_is_followed() {
    let (s, _, v2) = two_versions("plantseed");
    let seed = seed_of(&s);
    let outside = s.scratch.join("outside");
    fs::create_dir_all(&outside).unwrap();
    let secret = outside.join("secret.txt");
    fs::write(&secret, b"not the point's").unwrap();
    // Other bytes of the same size in place of a file the new version keeps.
    let replaced = seed.join("setup.exe");
    let size = fs::metadata(&replaced).unwrap().len() as usize;
    fs::remove_file(&replaced).unwrap();
    fs::write(&replaced, vec![b'X'; size]).unwrap();
    // A link to a file outside in place of another, a link to outside in place of a folder.
    fs::remove_file(seed.join("sources/ei.cfg")).unwrap();
    symlink(&secret, seed.join("sources/ei.cfg")).unwrap();
    fs::remove_dir_all(seed.join("sources/en-us")).unwrap();
    symlink(&outside, seed.join("sources/en-us")).unwrap();
    // A link to another file of the live tree in place of a file.
    fs::remove_file(seed.join("autorun.inf")).unwrap();
    let point = s.scratch.join("points/DP1");
    fs::hard_link(s.tree(&point).join("setup.exe"), seed.join("autorun.inf")).unwrap();
    // What the package does not have.
    fs::write(seed.join("planted.exe"), b"MZ").unwrap();
    fs::create_dir_all(seed.join("planted/deeper")).unwrap();
    fs::write(seed.join("planted/deeper/payload.dll"), b"MZ").unwrap();
    assert_finished_at_version_2(&s, &v2);
    let left: Vec<String> = files_below(&outside).into_iter().map(|f| f.0).collect();
    assert_eq!(left, ["secret.txt"], "a file was made through a link");
    assert_eq!(fs::read(&secret).unwrap(), b"not the point's");
    // The admin is told what was found, link by link.
    let log = fs::read_to_string(s.scratch.join("site/Logs/distribution.log")).unwrap();
    for link in ["sources/ei.cfg", "sources/en-us"] {
        let told =
            |line: &str| line.contains(link) && line.contains("a link or special file planted");
        assert!(log.lines().any(told), "no word of the link at {link}");
    }
}

#[test]
fn a_seed_that_is_a_link_is_removed_not_followed() {
    let (s, _, v2) = two_versions("linkseed");
    let seed = seed_of(&s);
    let outside = s.scratch.join("outside");
    copy_tree(&seed, &outside);
    fs::remove_dir_all(&seed).unwrap();
    symlink(&outside, &seed).unwrap();
    let before = files_below(&outside).len();
    assert_finished_at_version_2(&s, &v2);
    assert_eq!(files_below(&outside).len(), before, "the link was followed");
}

#[test]
fn a_point_whose_folder_is_gone_is_refused_never_made_again_on_the_local_disk() {
    // What a share not mounted looks like: the point's folder is not there.
    let (s, _, v2) = two_versions("pointgone");
    let point = s.scratch.join("points/DP1");
    fs::remove_dir_all(&point).unwrap();
    let status = &distribute(&s.site, &s.package.id, &["DP1"])[0];
    assert_eq!(status.state, DistributionState::Failed, "{status:?}");
    let told = format!(
        "folder '{}' of distribution point 'DP1' does not exist: mount its share",
        point.display()
    );
    assert!(status.last_error.contains(&told), "{status:?}");
    assert!(!point.exists(), "the distribution made the point's folder");

    // Validation says the same, and records it.
    let error =
        distribution::validate(&s.site, &s.package.id, "DP1", &mut ignore_progress).unwrap_err();
    assert!(error.to_string().contains(&told), "{error}");
    assert!(!point.exists(), "validation made the point's folder");

    // Once the folder is back (the share mounted, the folder made), the next run completes.
    fs::create_dir_all(&point).unwrap();
    assert_finished_at_version_2(&s, &v2);
}

#[test]
fn a_point_whose_folder_is_a_mount_point_is_refused_while_its_share_is_not_mounted() {
    // Unmounted, the point's folder is an empty folder of the disk below, not a folder gone.
    let s = setup("pointmount", &["--small-files", "3"]);
    let folder = s.scratch.join("mounted-dp");
    let Some(mounted) = mount_tmpfs(&folder, "64m") else {
        eprintln!("skipped: mounting a tmpfs needs root");
        return;
    };
    distribution::add_point(&s.site, "DPM", folder.to_str().unwrap(), "").unwrap();
    // As a point added before mount points were recorded: the first run learns it.
    let db = rusqlite::Connection::open(s.scratch.join("site/site.db")).unwrap();
    db.execute("UPDATE distribution_points SET mount_point = NULL", [])
        .unwrap();
    let status = &distribute(&s.site, &s.package.id, &["DPM"])[0];
    assert_eq!(status.state, DistributionState::Installed, "{status:?}");
    drop(mounted);

    let told = format!(
        "folder '{}' of distribution point 'DPM' is not mounted",
        folder.display()
    );
    let status = &distribute(&s.site, &s.package.id, &["DPM"])[0];
    assert_eq!(status.state, DistributionState::Failed, "{status:?}");
    assert!(status.last_error.contains(&told), "{status:?}");
    let error =
        distribution::validate(&s.site, &s.package.id, "DPM", &mut ignore_progress).unwrap_err();
    assert!(error.to_string().contains(&told), "{error}");
    let error = distribution::remove_content(&s.site, &s.package.id, "DPM").unwrap_err();
    assert!(error.to_string().contains(&told), "{error}");
    assert_eq!(
        fs::read_dir(&folder).unwrap().count(),
        0,
        "the disk below the mount point was written"
    );

    // Mounted again, the point takes the content; removed with force while unmounted, it
    // forgets what the share holds and writes nothing below.
    let mounted = mount_tmpfs(&folder, "64m").unwrap();
    let status = &distribute(&s.site, &s.package.id, &["DPM"])[0];
    assert_eq!(status.state, DistributionState::Installed, "{status:?}");
    drop(mounted);
    distribution::remove_point(&s.site, "DPM", true).unwrap();
    assert_eq!(fs::read_dir(&folder).unwrap().count(), 0);
}

#[test]
fn a_package_removed_from_a_point_by_hand_is_recorded_failed_by_validation() {
    let (s, _, _) = two_versions("validategone");
    let point = s.scratch.join("points/DP1");
    fs::remove_dir_all(s.tree(&point)).unwrap();
    fs::remove_dir_all(point.join(".osupgrade")).unwrap();
    // A run under way, as another session would see it, is left to say how it ends.
    let db = rusqlite::Connection::open(s.scratch.join("site/site.db")).unwrap();
    let set_state = |state: &str| {
        let sql = format!("UPDATE distributions SET state = '{state}'");
        db.execute(&sql, []).unwrap();
    };
    set_state("InProgress");
    distribution::validate(&s.site, &s.package.id, "DP1", &mut ignore_progress).unwrap_err();
    let row = &distribution::status(&s.site, Some(&s.package.id), Some("DP1")).unwrap()[0];
    assert_ne!(row.last_error.get(..11), Some("validation:"), "{row:?}");
    set_state("Installed");
    let error =
        distribution::validate(&s.site, &s.package.id, "DP1", &mut ignore_progress).unwrap_err();
    assert!(
        error
            .to_string()
            .contains("is not on distribution point 'DP1'"),
        "{error}"
    );
    let status = &distribution::status(&s.site, Some(&s.package.id), Some("DP1")).unwrap()[0];
    assert_eq!(status.state, DistributionState::Failed, "{status:?}");
    assert!(
        status.last_error.starts_with("validation: package"),
        "{status:?}"
    );
}

#[test]
fn content_on_a_point_whose_folder_is_gone_can_still_be_forgotten() {
    // A branch server taken down for good: its point must be removable.
    let (s, _, _) = two_versions("pointretired");
    fs::remove_dir_all(s.scratch.join("points/DP1")).unwrap();
    // Without force the content is not forgotten: the share may only be unmounted.
    let error = distribution::remove_content(&s.site, &s.package.id, "DP1").unwrap_err();
    assert!(error.to_string().contains("mount its share"), "{error}");
    assert_eq!(distribution::status(&s.site, None, None).unwrap().len(), 1);
    distribution::remove_point(&s.site, "DP1", true).unwrap();
    assert!(distribution::status(&s.site, None, None)
        .unwrap()
        .is_empty());
    assert!(!s.scratch.join("points/DP1").exists());
}

#[test]
fn removing_a_point_whose_control_folder_is_a_planted_link_deletes_nothing_behind_it() {
    let s = setup("linkcontrol", &["--small-files", "3"]);
    let point = s.point("DP1");
    let outside = s.scratch.join("outside");
    fs::create_dir_all(&outside).unwrap();
    fs::write(outside.join("other.lock"), b"").unwrap();
    fs::create_dir(outside.join("staging")).unwrap();
    fs::remove_dir_all(point.join(".osupgrade")).unwrap();
    symlink(&outside, point.join(".osupgrade")).unwrap();
    distribution::remove_point(&s.site, "DP1", false).unwrap();
    assert!(
        outside.join("other.lock").exists(),
        "a lock file behind the link was deleted"
    );
    assert!(
        outside.join("staging").exists(),
        "a folder behind the link was removed"
    );
}

#[test]
fn a_link_planted_as_the_lock_file_is_replaced_not_opened() {
    let (s, _, v2) = two_versions("linklock");
    let point = s.scratch.join("points/DP1");
    let outside = s.scratch.join("outside");
    fs::create_dir_all(&outside).unwrap();
    let lock = point.join(format!(".osupgrade/{}.lock", s.package.id));
    let _ = fs::remove_file(&lock);
    symlink(outside.join("created-by-osupgrade"), &lock).unwrap();
    distribution::validate(&s.site, &s.package.id, "DP1", &mut ignore_progress).unwrap();
    assert_finished_at_version_2(&s, &v2);
    assert!(
        files_below(&outside).is_empty(),
        "a file was made through the link"
    );
    assert!(!fs::symlink_metadata(&lock)
        .unwrap()
        .file_type()
        .is_symlink());
}

#[test]
fn a_planted_manifest_naming_paths_outside_the_point_reaches_nothing_there() {
    let (s, _, v2) = two_versions("plantmanifest");
    let point = s.scratch.join("points/DP1");
    let outside = s.scratch.join("outside");
    fs::create_dir_all(&outside).unwrap();
    let secret = outside.join("secret.txt");
    fs::write(&secret, b"not the point's").unwrap();
    let hash = sha256_of(&secret);
    // The installed manifest names, with their right hash and size, files outside the point.
    let manifest_path = point.join(format!(".osupgrade/{}.json", s.package.id));
    let mut manifest: serde_json::Value =
        serde_json::from_slice(&fs::read(&manifest_path).unwrap()).unwrap();
    let escapes = [
        "../../outside/secret.txt".to_string(),
        "sources/../../../outside/secret.txt".to_string(),
        secret.to_str().unwrap().to_string(),
    ];
    for path in &escapes {
        let entry =
            serde_json::json!({ "path": path, "sha256": hash, "size": 15, "modifiedNs": 0 });
        manifest["files"].as_array_mut().unwrap().push(entry);
        manifest["folders"]
            .as_array_mut()
            .unwrap()
            .push(serde_json::json!("../../outside"));
    }
    fs::write(&manifest_path, manifest.to_string()).unwrap();
    let report =
        distribution::validate(&s.site, &s.package.id, "DP1", &mut ignore_progress).unwrap();
    assert!(!report.valid, "{report:?}");
    let mut missing = report.missing.clone();
    missing.sort();
    let mut expected = escapes.to_vec();
    expected.sort();
    assert_eq!(missing, expected, "{report:?}");
    // Redistributed over it, then removed from the point: what is outside stays as it was.
    assert_finished_at_version_2(&s, &v2);
    distribution::remove_content(&s.site, &s.package.id, "DP1").unwrap();
    assert_eq!(fs::read(&secret).unwrap(), b"not the point's");
    assert_eq!(files_below(&outside).len(), 1);
}
