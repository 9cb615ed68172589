mod common;

use std::fs;
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use common::*;
use osupgrade::distribution::{self, DistributeOptions, DistributionState, DistributionStatus};
use osupgrade::lifecycle;
use osupgrade::progress::ignore_progress;
use osupgrade::{Error, ErrorKind, Site};

#[test]
fn a_point_needs_an_absolute_writable_folder_and_a_unique_name() {
    let s = setup("points", &["--small-files", "3"]);
    let error = distribution::add_point(&s.site, "DP1", "relative/dp1", "").unwrap_err();
    assert!(
        matches!(
            error,
            Error::InvalidArgument {
                argument: "path",
                ..
            }
        ),
        "{error}"
    );
    assert!(error.to_string().contains("relative/dp1"), "{error}");
    let file = s.scratch.join("a-file");
    fs::write(&file, b"x").unwrap();
    let error = distribution::add_point(&s.site, "DP1", file.to_str().unwrap(), "").unwrap_err();
    assert!(error.to_string().contains("is a file"), "{error}");
    let under_file = file.join("dp");
    let error =
        distribution::add_point(&s.site, "DP1", under_file.to_str().unwrap(), "").unwrap_err();
    assert!(matches!(error, Error::Io { .. }), "{error}");
    assert!(distribution::list_points(&s.site).unwrap().is_empty());

    let path = s.point("DP1");
    assert!(path.join(".osupgrade").is_dir());
    for overlapping in [
        path.clone(),
        path.join("inner"),
        path.parent().unwrap().to_path_buf(),
    ] {
        let error =
            distribution::add_point(&s.site, "DP2", overlapping.to_str().unwrap(), "").unwrap_err();
        assert!(
            matches!(error, Error::Conflict(_)) && error.to_string().contains("'DP1'"),
            "{error}"
        );
    }
    let elsewhere = s.scratch.join("elsewhere");
    let error =
        distribution::add_point(&s.site, "dp1", elsewhere.to_str().unwrap(), "").unwrap_err();
    assert!(matches!(error, Error::Conflict(_)), "{error}");
    assert!(
        !elsewhere.exists(),
        "a refused point left its folder behind"
    );
    for inside_the_site in ["site/files/dp", "site/files", "site"] {
        let path = s.scratch.join(inside_the_site);
        let error =
            distribution::add_point(&s.site, "Inside", path.to_str().unwrap(), "").unwrap_err();
        assert!(
            matches!(error, Error::InvalidArgument { .. }) && error.to_string().contains("site's"),
            "{inside_the_site}: {error}"
        );
    }
    assert!(!s.scratch.join("site/files/dp").exists());
    let renamed =
        distribution::set_point(&s.site, "DP1", Some("Branch-01"), Some("Branch office")).unwrap();
    assert_eq!(
        (renamed.name.as_str(), renamed.description.as_str()),
        ("Branch-01", "Branch office")
    );
    assert!(matches!(
        distribution::get_point(&s.site, "DP1"),
        Err(Error::NotFound { .. })
    ));
    assert!(matches!(
        distribution::get_point(&s.site, ""),
        Err(Error::InvalidArgument { .. })
    ));
}

#[test]
fn distributing_lands_a_plain_tree_with_the_manifest_written_last() {
    let s = setup("plain", &[]);
    let point = s.point("DP1");
    let statuses = distribute(&s.site, &s.package.id, &["DP1"]);

    assert_eq!(statuses.len(), 1);
    let status = &statuses[0];
    assert_eq!(status.state, DistributionState::Installed);
    assert_eq!(status.installed_content_version, Some(1));
    assert_eq!(status.bytes_copied, site_library_size(&s.site));
    assert_tree_matches(&s.tree(&point), &s.source);
    let manifest: serde_json::Value = serde_json::from_slice(
        &fs::read(point.join(format!(".osupgrade/{}.json", s.package.id))).unwrap(),
    )
    .unwrap();
    assert_eq!(manifest["contentVersion"], 1);
    assert_staging_holds_only_the_seed(&point, &s.package.id);
}

fn site_library_size(site: &Site) -> u64 {
    site.info().unwrap().library_size
}

#[test]
fn distributing_again_copies_nothing() {
    let s = setup("again", &[]);
    s.point("DP1");
    distribute(&s.site, &s.package.id, &["DP1"]);
    let again = distribute(&s.site, &s.package.id, &["DP1"]);
    assert_eq!(again[0].state, DistributionState::Installed);
    assert_eq!((again[0].files_copied, again[0].bytes_copied), (0, 0));
}

#[test]
fn redistribution_after_a_change_copies_only_what_changed() {
    let s = setup("incremental", &[]);
    let point = s.point("DP1");
    distribute(&s.site, &s.package.id, &["DP1"]);
    fs::write(
        s.source.join("sources/ei.cfg"),
        b"[EditionID]\nEnterprise\n",
    )
    .unwrap();
    fs::remove_file(s.source.join("support/logging/wsplog.dll")).unwrap();
    fs::write(
        s.source.join("sources/new-in-v2.txt"),
        b"added in version 2",
    )
    .unwrap();

    let reloaded = reload(&s.site, &s.package.id);
    assert_eq!(reloaded.content_version, 2);
    let statuses = distribution::redistribute(
        &s.site,
        &s.package.id,
        &DistributeOptions::default(),
        &mut ignore_progress,
    )
    .unwrap();

    assert_eq!(statuses[0].installed_content_version, Some(2));
    assert_eq!(
        statuses[0].files_copied, 2,
        "only the changed and the added file are copied"
    );
    assert_tree_matches(&s.tree(&point), &s.source);
    assert!(!s.tree(&point).join("support/logging/wsplog.dll").exists());
    let summary = &distribution::summaries(&s.site, Some(&s.package.id)).unwrap()[0];
    assert_eq!(
        (summary.targeted, summary.installed, summary.failed),
        (1, 1, 0)
    );
}

#[test]
fn reloading_an_unchanged_source_keeps_the_content_version() {
    let s = setup("unchanged", &["--small-files", "5"]);
    assert_eq!(reload(&s.site, &s.package.id).content_version, 1);
    assert_library_intact(&s.scratch.join("site"));
}

#[test]
fn a_damaged_blob_fails_naming_the_file_and_the_point_keeps_its_version() {
    let s = setup("damaged", &[]);
    let point = s.point("DP1");
    distribute(&s.site, &s.package.id, &["DP1"]);
    let v1 = s.scratch.join("v1");
    copy_tree(&s.source, &v1);
    fs::write(s.source.join("sources/ei.cfg"), b"[EditionID]\nEducation\n").unwrap();
    reload(&s.site, &s.package.id);
    // Tamper with the new blob in the library.
    let hash = sha256_of(&s.source.join("sources/ei.cfg"));
    let blob = s.scratch.join("site/files").join(&hash[..2]).join(&hash);
    fs::write(&blob, b"[EditionID]\nTampered!\n").unwrap();

    let statuses = distribution::redistribute(
        &s.site,
        &s.package.id,
        &DistributeOptions::default(),
        &mut ignore_progress,
    )
    .unwrap();
    let status = &statuses[0];
    assert_eq!(status.state, DistributionState::Failed);
    assert!(
        status.last_error.contains("sources/ei.cfg"),
        "{}",
        status.last_error
    );
    assert!(
        status.last_error.contains("does not match its hash"),
        "{}",
        status.last_error
    );
    assert_eq!(status.last_error_kind, Some(ErrorKind::DamagedContent));
    assert_eq!(status.installed_content_version, Some(1));
    assert_tree_matches(&s.tree(&point), &v1);
    let report =
        distribution::validate(&s.site, &s.package.id, "DP1", &mut ignore_progress).unwrap();
    assert!(report.valid && report.content_version == 1, "{report:?}");
}

#[test]
fn validation_and_a_failed_run_keep_the_figures_of_what_was_copied() {
    let s = setup("figures", &[]);
    let point = s.point("DP1");
    let copied = distribute(&s.site, &s.package.id, &["DP1"]).remove(0);
    assert!(
        copied.bytes_copied > 0 && copied.files_copied > 0,
        "{copied:?}"
    );
    let status = || {
        distribution::status(&s.site, Some(&s.package.id), Some("DP1"))
            .unwrap()
            .remove(0)
    };
    let figures = |status: &DistributionStatus| {
        (
            status.bytes_copied,
            status.files_copied,
            status.finished_at.clone(),
        )
    };
    distribution::validate(&s.site, &s.package.id, "DP1", &mut ignore_progress).unwrap();
    assert_eq!(figures(&status()), figures(&copied), "after a validation");
    fs::write(s.tree(&point).join("setup.exe"), b"altered").unwrap();
    distribution::validate(&s.site, &s.package.id, "DP1", &mut ignore_progress).unwrap();
    let failed = status();
    assert_eq!(failed.state, DistributionState::Failed);
    assert_eq!(
        (failed.bytes_copied, failed.files_copied),
        (copied.bytes_copied, copied.files_copied),
        "after a failed validation"
    );

    // A run that fails on a damaged blob, after writing all of it, shows what it wrote.
    let big = s.source.join("sources/big-update.cab");
    fs::write(&big, vec![7u8; 3 << 20]).unwrap();
    reload(&s.site, &s.package.id);
    let hash = sha256_of(&big);
    let blob = s.scratch.join("site/files").join(&hash[..2]).join(&hash);
    fs::write(&blob, vec![8u8; 3 << 20]).unwrap();
    let run = distribute(&s.site, &s.package.id, &["DP1"]).remove(0);
    assert_eq!(run.state, DistributionState::Failed, "{run:?}");
    assert!(run.bytes_copied >= 3 << 20, "{run:?}");
    assert_eq!(figures(&status()), figures(&run));
}

#[test]
fn validation_reports_exactly_what_was_altered_missing_or_added() {
    let s = setup("validate", &[]);
    let point = s.point("DP1");
    distribute(&s.site, &s.package.id, &["DP1"]);
    let tree = s.tree(&point);
    let clean =
        distribution::validate(&s.site, &s.package.id, "DP1", &mut ignore_progress).unwrap();
    assert!(clean.valid);
    assert_eq!(clean.files_checked as usize, files_below(&s.source).len());

    let mut altered = fs::read(tree.join("sources/install.wim")).unwrap();
    altered[5000] ^= 0xff;
    fs::write(tree.join("sources/install.wim"), altered).unwrap();
    let report =
        distribution::validate(&s.site, &s.package.id, "DP1", &mut ignore_progress).unwrap();
    assert_eq!(report.altered, ["sources/install.wim"]);
    assert!(report.missing.is_empty() && report.unexpected.is_empty());
    assert!(!report.valid);
    let status = &distribution::status(&s.site, Some(&s.package.id), Some("DP1")).unwrap()[0];
    assert_eq!(status.state, DistributionState::Failed);
    assert!(
        status
            .last_error
            .contains("1 altered (sources/install.wim)"),
        "{}",
        status.last_error
    );

    fs::remove_file(tree.join("setup.exe")).unwrap();
    fs::write(tree.join("sources/dropped-by-hand.txt"), b"?").unwrap();
    let report =
        distribution::validate(&s.site, &s.package.id, "DP1", &mut ignore_progress).unwrap();
    assert_eq!(report.missing, ["setup.exe"]);
    assert_eq!(report.unexpected, ["sources/dropped-by-hand.txt"]);

    // Distributing again repairs it, copying only what is wrong.
    let repaired = distribute(&s.site, &s.package.id, &["DP1"]);
    assert_eq!(repaired[0].files_copied, 2);
    assert_tree_matches(&tree, &s.source);
    assert_point_valid(&s, "DP1");
}

#[test]
fn a_point_another_process_is_changing_refuses_the_call_and_its_status_is_left_alone() {
    let s = setup("busy", &["--small-files", "5"]);
    let point = s.point("DP1");
    let before = distribute(&s.site, &s.package.id, &["DP1"]).remove(0);
    fs::write(s.source.join("sources/new.cab"), b"changed").unwrap();
    reload(&s.site, &s.package.id);
    let lock = fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(point.join(format!(".osupgrade/{}.lock", s.package.id)))
        .unwrap();
    lock.lock().unwrap();
    let refused = distribute_refused(&s.site, &s.package.id, &["DP1"]);
    assert!(matches!(refused, Error::Busy(_)), "{refused}");
    assert!(refused.to_string().contains("another process"), "{refused}");
    let after = distribution::status(&s.site, Some(&s.package.id), Some("DP1")).unwrap();
    assert_eq!(
        after,
        vec![before],
        "the refused call changed the running job's status"
    );
    drop(lock);
    let status = &distribute(&s.site, &s.package.id, &["DP1"])[0];
    assert_eq!(status.state, DistributionState::Installed);
    assert_eq!(status.installed_content_version, Some(2));
}

#[test]
fn four_points_are_served_at_once_with_progress_on_the_calling_thread() {
    let s = setup("four", &[]);
    let points: Vec<PathBuf> = (1..=4).map(|i| s.point(&format!("DP{i}"))).collect();
    let caller = std::thread::current().id();
    let mut reports = 0;
    let mut last_of_point = std::collections::HashMap::new();
    let statuses = distribution::distribute(
        &s.site,
        &[&s.package.id],
        &["DP1", "DP2", "DP3", "DP4"],
        &DistributeOptions { workers: 4 },
        &mut |p: &osupgrade::Progress<'_>| {
            assert_eq!(std::thread::current().id(), caller);
            reports += 1;
            let counts = (p.files_done, p.files_total, p.bytes_done, p.bytes_total);
            last_of_point.insert(p.distribution_point.to_string(), counts);
            ControlFlow::Continue(())
        },
    )
    .unwrap();
    assert!(statuses
        .iter()
        .all(|d| d.state == DistributionState::Installed));
    assert!(reports >= 4 && last_of_point.len() == 4);
    // Counts go out in steps, but each point's last report is whole.
    for (files_done, files_total, bytes_done, bytes_total) in last_of_point.values() {
        assert!(*files_total > 0 && files_done == files_total);
        assert!(*bytes_total > 0 && bytes_done == bytes_total);
    }
    for point in &points {
        assert_tree_matches(&s.tree(point), &s.source);
    }
}

#[test]
fn cancelling_leaves_every_point_at_its_previous_version() {
    let s = setup("cancel", &["--image-mib", "64"]);
    let point = s.point("DP1");
    let error = distribution::distribute(
        &s.site,
        &[&s.package.id],
        &["DP1"],
        &DistributeOptions::default(),
        &mut |_: &osupgrade::Progress<'_>| ControlFlow::Break(()),
    )
    .unwrap_err();
    assert!(matches!(error, Error::Cancelled), "{error}");
    assert!(!s.tree(&point).exists());
    let status = &distribution::status(&s.site, None, Some("DP1")).unwrap()[0];
    assert_eq!(status.state, DistributionState::Failed);
}

#[test]
fn unknown_packages_and_points_are_refused_before_anything_starts() {
    let s = setup("unknown", &["--small-files", "3"]);
    s.point("DP1");
    let refused = |packages: &[&str], points: &[&str], workers: usize| -> Error {
        let options = DistributeOptions { workers };
        distribution::distribute(&s.site, packages, points, &options, &mut ignore_progress)
            .unwrap_err()
    };
    let error = refused(&["OSU000FF"], &["DP1"], 4);
    assert!(
        matches!(error, Error::NotFound { .. }) && error.to_string().contains("OSU000FF"),
        "{error}"
    );
    let error = refused(&[&s.package.id], &["DP9"], 4);
    assert!(
        matches!(error, Error::NotFound { .. }) && error.to_string().contains("DP9"),
        "{error}"
    );
    let error = refused(&[&s.package.id], &["DP1"], 0);
    assert!(
        matches!(
            error,
            Error::InvalidArgument {
                argument: "options.workers",
                ..
            }
        ),
        "{error}"
    );
    assert!(distribution::status(&s.site, None, None)
        .unwrap()
        .is_empty());
}

#[test]
fn content_is_removed_from_points_before_a_point_or_package_goes() {
    let s = setup("removal", &["--small-files", "5"]);
    let dp1 = s.point("DP1");
    let dp2 = s.point("DP2");
    distribute(&s.site, &s.package.id, &["DP1", "DP2"]);

    let error = distribution::remove_point(&s.site, "DP1", false).unwrap_err();
    assert!(
        matches!(error, Error::Conflict(_)) && error.to_string().contains(&s.package.id),
        "{error}"
    );
    distribution::remove_point(&s.site, "DP1", true).unwrap();
    assert!(!s.tree(&dp1).exists());
    assert!(!dp1.join(".osupgrade").exists());

    distribution::remove_content(&s.site, &s.package.id, "DP2").unwrap();
    assert!(!s.tree(&dp2).exists());
    assert!(distribution::status(&s.site, None, None)
        .unwrap()
        .is_empty());
    let error = distribution::remove_content(&s.site, &s.package.id, "DP2").unwrap_err();
    assert!(matches!(error, Error::NotFound { .. }), "{error}");

    distribute(&s.site, &s.package.id, &["DP2"]);
    lifecycle::remove_package(&s.site, &s.package.id).unwrap();
    assert!(
        !s.tree(&dp2).exists(),
        "removing the package removed it from the point"
    );
    assert!(!dp2
        .join(format!(".osupgrade/{}.json", s.package.id))
        .exists());
}

/// A process that opened the package's lock file before its content was removed holds the very
/// lock the next distribution asks for.
#[test]
fn a_lock_opened_before_content_was_removed_still_excludes_the_next_distribution() {
    let s = setup("removal-lock", &["--small-files", "3"]);
    let lock_path = s
        .point("DP1")
        .join(format!(".osupgrade/{}.lock", s.package.id));
    distribute(&s.site, &s.package.id, &["DP1"]);
    let opened_before = fs::OpenOptions::new().write(true).open(&lock_path).unwrap();
    distribution::remove_content(&s.site, &s.package.id, "DP1").unwrap();
    opened_before.try_lock().unwrap();
    let refused = distribute_refused(&s.site, &s.package.id, &["DP1"]);
    assert!(matches!(refused, Error::Busy(_)), "{refused}");
    drop(opened_before);
    distribute(&s.site, &s.package.id, &["DP1"]);
}

/// The full point is served in one wave with two that have room: each blob is written to all
/// three from one read, and the full one drops out alone.
#[test]
fn a_full_disk_fails_the_job_and_the_point_keeps_its_version() {
    let s = setup("diskfull", &["--small-files", "20"]);
    let mount = s.scratch.join("small-disk");
    let Some(_unmount) = mount_tmpfs(&mount, "24m") else {
        eprintln!("skipped: mounting a tmpfs needs root");
        return;
    };
    let point = mount.join("dp");
    distribution::add_point(&s.site, "Small", point.to_str().unwrap(), "").unwrap();
    let roomy = [s.point("DP1"), s.point("DP2")];
    distribute(&s.site, &s.package.id, &["DP1", "Small", "DP2"]);
    let v1 = s.scratch.join("v1");
    copy_tree(&s.source, &v1);
    let big = s.source.join("sources/big-update.cab");
    fs::write(&big, vec![7u8; 40 << 20]).unwrap();
    reload(&s.site, &s.package.id);

    let statuses = distribution::redistribute(
        &s.site,
        &s.package.id,
        &DistributeOptions::default(),
        &mut ignore_progress,
    )
    .unwrap();
    for (name, folder) in ["DP1", "DP2"].iter().zip(&roomy) {
        let status = statuses
            .iter()
            .find(|d| d.distribution_point == *name)
            .unwrap();
        assert_eq!(status.state, DistributionState::Installed, "{status:?}");
        assert_tree_matches(&s.tree(folder), &s.source);
        assert_point_valid(&s, name);
    }
    let status = statuses
        .iter()
        .find(|d| d.distribution_point == "Small")
        .unwrap();
    assert_eq!(status.state, DistributionState::Failed);
    assert!(
        status.last_error.contains("No space left"),
        "{}",
        status.last_error
    );
    assert_eq!(status.last_error_kind, Some(ErrorKind::DiskFull));
    assert!(
        !point
            .join(".osupgrade/staging")
            .join(&s.package.id)
            .exists(),
        "copies staged before the disk filled up were kept"
    );
    assert_tree_matches(&s.tree(&point), &v1);
    assert_point_valid(&s, "Small");
    // Once the point has room, the next run brings it to version 2.
    let grown = std::process::Command::new("mount")
        .args(["-o", "remount,size=96m"])
        .arg(&mount)
        .status()
        .unwrap();
    assert!(grown.success());
    let status = &distribute(&s.site, &s.package.id, &["Small"])[0];
    assert_eq!(status.state, DistributionState::Installed, "{status:?}");
    assert_eq!(status.installed_content_version, Some(2));
    assert_tree_matches(&s.tree(&point), &s.source);
    assert_point_valid(&s, "Small");
}

/// Run as a child process by other tests: distributes `OSU_CHILD_PACKAGE` to the points
/// `OSU_CHILD_POINTS` names (DP1 when it is not set), and prints the bytes the process read.
#[test]
#[ignore = "run as a child process by another test"]
fn child_process_distributes() {
    let site = Site::open(
        Some(Path::new(&std::env::var("OSU_CHILD_SITE").unwrap())),
        None,
    )
    .unwrap();
    let package = std::env::var("OSU_CHILD_PACKAGE").unwrap();
    let points = std::env::var("OSU_CHILD_POINTS").unwrap_or_else(|_| "DP1".to_string());
    let points: Vec<&str> = points.split(',').collect();
    let before = bytes_read();
    distribute(&site, &package, &points);
    println!("bytes read: {}", bytes_read() - before);
}

/// What this process has read so far (`rchar`: every read, from any file).
fn bytes_read() -> u64 {
    fs::read_to_string("/proc/self/io")
        .ok()
        .and_then(|io| {
            io.lines()
                .find_map(|l| l.strip_prefix("rchar: ")?.parse().ok())
        })
        .unwrap_or(0)
}

#[test]
fn a_point_or_a_package_named_twice_is_served_once() {
    let s = setup("twice", &[]);
    let point = s.point("DP1");
    let statuses = distribution::distribute(
        &s.site,
        &[&s.package.id, &s.package.id],
        &["DP1", "DP1"],
        &DistributeOptions::default(),
        &mut ignore_progress,
    )
    .unwrap();
    assert_eq!(statuses.len(), 1, "{statuses:?}");
    assert_eq!(statuses[0].state, DistributionState::Installed);
    assert_tree_matches(&s.tree(&point), &s.source);
}

/// The jobs of one distribution to four points read each file from the library once and
/// write it to every point: the process reads about one copy of the package, not four.
#[cfg(target_os = "linux")]
#[test]
fn four_points_served_together_read_the_library_once() {
    let s = setup("read-once", &["--image-mib", "24"]);
    let points: Vec<PathBuf> = (1..=4).map(|i| s.point(&format!("DP{i}"))).collect();
    let output = Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "child_process_distributes",
            "--ignored",
            "--nocapture",
        ])
        .env("OSU_CHILD_SITE", s.scratch.join("site"))
        .env("OSU_CHILD_PACKAGE", &s.package.id)
        .env("OSU_CHILD_POINTS", "DP1,DP2,DP3,DP4")
        .output()
        .unwrap();
    let printed = String::from_utf8_lossy(&output.stdout);
    let read: u64 = printed
        .lines()
        .find_map(|l| l.strip_prefix("bytes read: ")?.trim().parse().ok())
        .unwrap_or_else(|| panic!("the child said: {printed}"));
    let package = bytes_below(&s.source);
    assert!(
        read < package + package / 2,
        "{read} bytes read to give four points a package of {package} bytes"
    );
    for point in &points {
        assert_tree_matches(&s.tree(point), &s.source);
    }
    for name in ["DP1", "DP2", "DP3", "DP4"] {
        assert_point_valid(&s, name);
    }
}

#[test]
fn a_distribution_killed_halfway_is_finished_by_the_next_run_without_recopying() {
    let s = setup(
        "killed",
        &[
            "--small-files",
            "600",
            "--small-kib",
            "256",
            "--image-mib",
            "300",
        ],
    );
    let point = s.point("DP1");
    let staging = point.join(".osupgrade/staging").join(&s.package.id);
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "child_process_distributes", "--ignored"])
        .stdout(std::process::Stdio::null())
        .env("OSU_CHILD_SITE", s.scratch.join("site"))
        .env("OSU_CHILD_PACKAGE", &s.package.id)
        .spawn()
        .unwrap();
    let staged = || -> usize {
        fs::read_dir(&staging)
            .map(|entries| {
                entries
                    .flatten()
                    .filter(|e| !e.file_name().to_string_lossy().ends_with(".tmp"))
                    .count()
            })
            .unwrap_or(0)
    };
    let started = Instant::now();
    while staged() < 50 && started.elapsed() < Duration::from_secs(60) {
        std::thread::sleep(Duration::from_millis(5));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let staged_before_rerun = staged();
    assert!(
        staged_before_rerun >= 50,
        "the child staged {staged_before_rerun} files before it was killed"
    );
    assert!(
        !s.tree(&point).exists()
            || !point
                .join(format!(".osupgrade/{}.json", s.package.id))
                .exists()
    );

    let status = &distribute(&s.site, &s.package.id, &["DP1"])[0];
    assert_eq!(status.state, DistributionState::Installed);
    let distinct_blobs = s.site.info().unwrap().blob_count;
    assert!(
        status.files_copied + staged_before_rerun as u64 <= distinct_blobs,
        "the rerun copied {} files again although {staged_before_rerun} of {distinct_blobs} were staged",
        status.files_copied
    );
    assert_tree_matches(&s.tree(&point), &s.source);
    assert_point_valid(&s, "DP1");
}

#[test]
fn validation_reports_bytes_on_the_calling_thread_and_can_be_cancelled() {
    let s = setup("validate-progress", &["--image-mib", "32"]);
    s.point("DP1");
    distribute(&s.site, &s.package.id, &["DP1"]);
    let caller = std::thread::current().id();
    let mut last = (0, 0);
    distribution::validate(
        &s.site,
        &s.package.id,
        "DP1",
        &mut |p: &osupgrade::Progress<'_>| {
            assert_eq!(std::thread::current().id(), caller);
            last = (p.bytes_done, p.bytes_total);
            ControlFlow::Continue(())
        },
    )
    .unwrap();
    assert_eq!(last.0, last.1);
    assert_eq!(last.1, s.package.size);

    let error = distribution::validate(
        &s.site,
        &s.package.id,
        "DP1",
        &mut |p: &osupgrade::Progress<'_>| {
            if p.bytes_done > 0 {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        },
    )
    .unwrap_err();
    assert!(matches!(error, Error::Cancelled), "{error}");
}

#[test]
fn a_distribution_whose_process_died_reads_as_interrupted() {
    let s = setup("interrupted", &["--small-files", "3"]);
    s.point("DP1");
    distribute(&s.site, &s.package.id, &["DP1"]);
    // What a process killed in the middle of a distribution leaves behind, three minutes on.
    let db = rusqlite::Connection::open(s.scratch.join("site/site.db")).unwrap();
    db.execute(
        "UPDATE distributions SET state = 'InProgress',
             modified_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-3 minutes')",
        [],
    )
    .unwrap();

    let status = &distribution::status(&s.site, None, None).unwrap()[0];
    assert_eq!(status.state, DistributionState::Failed);
    assert!(
        status.last_error.starts_with("interrupted"),
        "{}",
        status.last_error
    );
    let summary = &distribution::summaries(&s.site, None).unwrap()[0];
    assert_eq!((summary.in_progress, summary.failed), (0, 1));

    // A process that holds the package's lock on the point is alive, however long it has been
    // quiet (a progress callback stalled, say).
    let lock_path = s
        .scratch
        .join(&format!("points/DP1/.osupgrade/{}.lock", s.package.id));
    let lock = fs::File::open(&lock_path).unwrap();
    lock.lock().unwrap();
    assert_eq!(
        distribution::status(&s.site, None, None).unwrap()[0].state,
        DistributionState::InProgress
    );
    // With the lock free, a few missed renewals are enough, not the lease's two minutes.
    drop(lock);
    let set_quiet_for = |age: &str| {
        let sql = format!(
            "UPDATE distributions SET modified_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '{age}')"
        );
        db.execute(&sql, []).unwrap();
    };
    set_quiet_for("-10 seconds");
    let status = &distribution::status(&s.site, None, None).unwrap()[0];
    assert_eq!(status.state, DistributionState::Failed);
    assert!(status.last_error.starts_with("interrupted"), "{status:?}");
    // A run renewed a moment ago is not taken for dead by its free lock alone: a share that does
    // not enforce locks shows every lock free.
    set_quiet_for("-0 seconds");
    assert_eq!(
        distribution::status(&s.site, None, None).unwrap()[0].state,
        DistributionState::InProgress
    );
    assert_eq!(
        distribute(&s.site, &s.package.id, &["DP1"])[0].state,
        DistributionState::Installed
    );
}

#[test]
fn a_package_not_on_a_point_is_named_plainly() {
    let s = setup("notthere", &["--small-files", "5"]);
    s.point("C1");
    let error =
        distribution::validate(&s.site, &s.package.id, "C1", &mut ignore_progress).unwrap_err();
    assert_eq!(
        error.to_string(),
        format!(
            "package '{}' is not on distribution point 'C1'",
            s.package.id
        )
    );
}

#[test]
fn a_running_distribution_shows_its_bytes_to_other_processes() {
    let s = setup(
        "liveprogress",
        &["--small-files", "200", "--image-mib", "64"],
    );
    s.point("DP1");
    let observer = open_site(&s.scratch);
    let started = Instant::now();
    let mut seen = 0u64;
    distribution::distribute(
        &s.site,
        &[&s.package.id],
        &["DP1"],
        &DistributeOptions { workers: 1 },
        &mut |progress| {
            // Slow the run down so that the status is renewed while it runs.
            if seen == 0 && progress.jobs_done == 0 {
                std::thread::sleep(Duration::from_millis(300));
            }
            if started.elapsed() > Duration::from_millis(1200) && seen == 0 {
                let status = distribution::status(&observer, None, Some("DP1")).unwrap();
                assert_ne!(status[0].state, DistributionState::Installed);
                seen = status[0].bytes_copied;
                assert!(seen <= progress.bytes_total);
            }
            ControlFlow::Continue(())
        },
    )
    .unwrap();
    assert!(
        seen > 0,
        "another reader saw no bytes copied while the job ran"
    );
}

#[test]
fn a_read_only_point_can_be_validated() {
    let s = setup("readonly", &["--small-files", "10"]);
    let mount = s.scratch.join("ro-disk");
    let Some(_unmount) = mount_tmpfs(&mount, "64m") else {
        eprintln!("skipped: mounting a tmpfs needs root");
        return;
    };
    let point = mount.join("dp");
    distribution::add_point(&s.site, "RO", point.to_str().unwrap(), "").unwrap();
    distribute(&s.site, &s.package.id, &["RO"]);
    // An altered file too: validation must report it without writing to the point.
    let altered = s.tree(&point).join("sources/ei.cfg");
    fs::write(&altered, b"altered").unwrap();
    let remounted = Command::new("mount")
        .args(["-o", "remount,ro"])
        .arg(&mount)
        .status()
        .unwrap();
    assert!(remounted.success());
    let report =
        distribution::validate(&s.site, &s.package.id, "RO", &mut ignore_progress).unwrap();
    assert_eq!(
        report.altered,
        vec!["sources/ei.cfg".to_string()],
        "{report:?}"
    );
    let remount = |mode: &str| {
        let done = Command::new("mount")
            .args(["-o", &format!("remount,{mode}")])
            .arg(&mount)
            .status()
            .unwrap();
        assert!(done.success());
    };
    remount("rw");
    fs::remove_file(point.join(format!(".osupgrade/{}.lock", s.package.id))).unwrap();
    remount("ro");
    let report =
        distribution::validate(&s.site, &s.package.id, "RO", &mut ignore_progress).unwrap();
    assert_eq!(
        report.altered.len(),
        1,
        "without a lock file too: {report:?}"
    );
}

#[test]
fn a_point_still_at_the_retired_version_validates_against_it() {
    let s = setup("retiredpoint", &["--small-files", "5"]);
    s.point("DP1");
    distribute(&s.site, &s.package.id, &["DP1"]);
    fs::write(s.source.join("sources/ei.cfg"), b"[EditionID]\nEducation\n").unwrap();
    assert_eq!(reload(&s.site, &s.package.id).content_version, 2);

    let report =
        distribution::validate(&s.site, &s.package.id, "DP1", &mut ignore_progress).unwrap();
    assert!(report.valid && report.content_version == 1, "{report:?}");
    let status = &distribute(&s.site, &s.package.id, &["DP1"])[0];
    assert_eq!(status.installed_content_version, Some(2));
    assert_point_valid(&s, "DP1");
}
