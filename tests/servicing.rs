//! Software updates and scheduled servicing, end to end on real WIM images (made by wimlib) and
//! real cabinets (made by gcab), serviced by the test engine, which changes the images with
//! wimlib.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::*;
use osupgrade::distribution::{self, DistributionState};
use osupgrade::model::{Recurrence, RunState, UpdateClassification};
use osupgrade::progress::ignore_progress;
use osupgrade::schedule::{self, ScheduleSettings};
use osupgrade::servicing::{self, Engine};
use osupgrade::{lifecycle, updates, ErrorKind, Site};

const CATALOG: &str = r#"{ "updates": [
  { "fileName": "windows10.0-kb5034000-x64_11aa.cab", "classification": "ServicingStack",
    "title": "2024-01 Servicing Stack Update for Windows 10 Version 22H2 for x64-based Systems",
    "builds": [19044, 19045], "releaseDate": "2024-01-09" },
  { "fileName": "windows10.0-kb5034441-x64_22bb.msu", "classification": "Cumulative",
    "title": "2024-01 Cumulative Update for Windows 10 Version 22H2 for x64-based Systems",
    "builds": [19044, 19045], "releaseDate": "2024-01-09", "supersedes": ["KB5032189", "KB5026361"] },
  { "fileName": "windows10.0-kb5032189-x64_33cc.msu", "classification": "Cumulative",
    "builds": [19045], "releaseDate": "2023-11-14", "supersedes": ["KB5026361"] },
  { "fileName": "windows10.0-kb5026361-x64_44dd.msu", "classification": "Cumulative",
    "builds": [19045], "releaseDate": "2023-05-09" },
  { "fileName": "windows10.0-kb5035000-x86_55ee.msu", "builds": [19045] },
  { "fileName": "windows11.0-kb5036893-x64_66ff.msu", "classification": "Cumulative" },
  { "fileName": "windows10.0-kb5035001-x64_77aa.msu", "classification": "Other",
    "builds": [19045], "releaseDate": "2024-02-13" }
] }"#;

/// A package (build 19045, x64, two indexes, holding KB5026361 and KB5031539), two points
/// holding it, the updates of CATALOG in the catalog (KB5035001 broken), and the test engine.
struct Lab {
    s: Setup,
    updates: PathBuf,
}

fn lab(label: &str) -> Lab {
    let s = setup(label, &["--image-mib", "4"]);
    s.point("DP1");
    s.point("DP2");
    distribute(&s.site, &s.package.id, &["DP1", "DP2"]);
    let updates = s.scratch.join("updates");
    for (name, kb, build, flags) in [
        (
            "windows10.0-kb5034000-x64_11aa.cab",
            "KB5034000",
            "19041.3920",
            &["--servicing-stack"][..],
        ),
        (
            "windows10.0-kb5034441-x64_22bb.msu",
            "KB5034441",
            "19041.3930",
            &[],
        ),
        (
            "windows10.0-kb5032189-x64_33cc.msu",
            "KB5032189",
            "19041.3693",
            &[],
        ),
        (
            "windows10.0-kb5026361-x64_44dd.msu",
            "KB5026361",
            "19041.2965",
            &[],
        ),
        (
            "windows10.0-kb5035000-x86_55ee.msu",
            "KB5035000",
            "19041.4000",
            &[],
        ),
        (
            "windows11.0-kb5036893-x64_66ff.msu",
            "KB5036893",
            "22631.3447",
            &[],
        ),
        (
            "windows10.0-kb5035001-x64_77aa.msu",
            "KB5035001",
            "19041.4046",
            &["--broken"],
        ),
    ] {
        make_update(&updates, name, kb, build, flags);
    }
    let catalog = s.scratch.join("catalog.json");
    fs::write(&catalog, CATALOG).unwrap();
    updates::import(
        &s.site,
        &[updates.as_path()],
        Some(&catalog),
        &mut ignore_progress,
    )
    .unwrap();
    servicing::set_engine(&s.site, &Engine::Command(test_engine())).unwrap();
    Lab { s, updates }
}

fn ids(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

fn schedule_of(l: &Lab, updates: &[&str], continue_on_error: bool) -> osupgrade::model::Schedule {
    let settings = ScheduleSettings {
        update_ids: Some(ids(updates)),
        continue_on_error: Some(continue_on_error),
        utc: Some(true),
        start: Some("2026-01-01T00:00".into()),
        ..Default::default()
    };
    schedule::create(&l.s.site, &l.s.package.id, &settings).unwrap()
}

#[test]
fn the_catalog_takes_cabinets_and_msus_and_reads_what_they_are() {
    let l = lab("catalog");
    let all = updates::list(&l.s.site, None).unwrap();
    assert_eq!(all.len(), 7);
    let lcu = updates::get(&l.s.site, "kb5034441-X64").unwrap();
    assert_eq!(lcu.id, "KB5034441-x64");
    assert_eq!(lcu.classification, UpdateClassification::Cumulative);
    assert_eq!(lcu.builds, vec![19044, 19045]);
    assert_eq!(lcu.supersedes, ids(&["KB5032189", "KB5026361"]));
    assert_eq!(lcu.product, "Windows 10");
    assert!(
        Site::open(Some(&l.s.scratch.join("site")), None)
            .unwrap()
            .info()
            .unwrap()
            .blob_count
            > 0
    );
    // Known from the file name and its manifest alone.
    let other = l.s.scratch.join("other");
    make_update(
        &other,
        "windows11.0-kb5040442-arm64_9f.msu",
        "KB5040442",
        "22631.3880",
        &[],
    );
    let found = updates::import(&l.s.site, &[other.as_path()], None, &mut ignore_progress).unwrap();
    assert_eq!(
        (found[0].id.as_str(), found[0].product.as_str()),
        ("KB5040442-arm64", "Windows 11")
    );
    // Its manifest is a Package_for_RollupFix: a cumulative update.
    assert_eq!(found[0].classification, UpdateClassification::Cumulative);
    // A file named twice in one call is one update; the same file again is the same update;
    // other content under its name is a conflict.
    let file = other.join("windows11.0-kb5040442-arm64_9f.msu");
    let twice = updates::import(
        &l.s.site,
        &[file.as_path(), other.as_path()],
        None,
        &mut ignore_progress,
    )
    .unwrap();
    assert_eq!(twice, found);
    assert_eq!(
        updates::import(&l.s.site, &[other.as_path()], None, &mut ignore_progress).unwrap(),
        found
    );
    let twin = l.s.scratch.join("twin");
    make_update(
        &twin,
        "windows11.0-kb5040442-arm64_9f.msu",
        "KB5040442",
        "22631.3880",
        &[],
    );
    let error =
        updates::import(&l.s.site, &[twin.as_path()], None, &mut ignore_progress).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Conflict, "{error}");
    assert_eq!(updates::list(&l.s.site, Some("KB50*")).unwrap().len(), 8);
    assert_eq!(updates::list(&l.s.site, Some("*arm64")).unwrap().len(), 1);
}

/// A cabinet made by gcab of the files `(name, content)` in `folder`.
fn cabinet(path: &Path, files: &[(&str, &[u8])]) -> PathBuf {
    let work = path.with_extension("parts");
    fs::create_dir_all(&work).unwrap();
    for (name, content) in files {
        fs::write(work.join(name), content).unwrap();
    }
    let names: Vec<&str> = files.iter().map(|(name, _)| *name).collect();
    let status = Command::new("gcab")
        .arg("-c")
        .arg("-z")
        .arg(path)
        .args(&names)
        .current_dir(&work)
        .status()
        .unwrap();
    assert!(status.success());
    path.to_path_buf()
}

#[test]
fn update_files_are_read_inside_and_refused_when_their_manifest_says_otherwise() {
    let s = setup("manifests", &[]);
    let folder = s.scratch.join("updates");
    let refused = |file: &Path, catalog: Option<&Path>| {
        let error = updates::import(&s.site, &[file], catalog, &mut ignore_progress).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidArgument, "{error}");
        assert!(updates::list(&s.site, None).unwrap().is_empty());
        error.to_string()
    };
    let none = cabinet(
        &folder.join("windows10.0-kb5099001-x64_1.cab"),
        &[("payload.dll", b"MZ")],
    );
    let said = refused(&none, None);
    assert!(
        said.contains("it holds no package manifest (.mum)"),
        "{said}"
    );
    let corrupt = cabinet(
        &folder.join("windows10.0-kb5099002-x64_1.cab"),
        &[("update.mum", b"<assembly><package")],
    );
    let said = refused(&corrupt, None);
    assert!(
        said.contains("its package manifest update.mum cannot be read"),
        "{said}"
    );
    let other_kb = make_update(
        &s.scratch.join("other-kb"),
        "windows10.0-kb5099004-x64_1.msu",
        "KB5034123",
        "19041.3930",
        &[],
    );
    let said = refused(&other_kb, None);
    assert!(
        said.contains("says KB5099004, but its package manifest says KB5034123"),
        "{said}"
    );
    // A servicing stack by its manifest, a cumulative update by the catalog.
    let stack = make_update(
        &s.scratch.join("stack"),
        "windows10.0-kb5034000-x64_1.cab",
        "KB5034000",
        "19041.3920",
        &["--servicing-stack"],
    );
    let catalog = s.scratch.join("catalog.json");
    fs::write(
        &catalog,
        r#"{ "updates": [ { "fileName": "windows10.0-kb5034000-x64_1.cab", "classification": "Cumulative" } ] }"#,
    )
    .unwrap();
    let said = refused(&stack, Some(&catalog));
    assert!(
        said.contains("its catalog entry says Cumulative, but its package manifest is a Package_for_ServicingStack_3920"),
        "{said}"
    );
    // Without a catalog the manifest classifies it.
    let imported =
        updates::import(&s.site, &[stack.as_path()], None, &mut ignore_progress).unwrap();
    assert_eq!(
        imported[0].classification,
        UpdateClassification::ServicingStack
    );
    // An .msu as Microsoft makes them: the package's cabinet inside, beside WSUSSCAN.cab.
    let inner = make_update(
        &s.scratch.join("inner"),
        "Windows10.0-KB5034441-x64.cab",
        "KB5034441",
        "19041.3930",
        &[],
    );
    let scan = cabinet(
        &s.scratch.join("scan/WSUSSCAN.cab"),
        &[("scan.xml", b"<x/>")],
    );
    let msu = cabinet(
        &s.scratch.join("msu/windows10.0-kb5034441-x64_2.msu"),
        &[
            ("Windows10.0-KB5034441-x64.cab", &fs::read(&inner).unwrap()),
            ("WSUSSCAN.cab", &fs::read(&scan).unwrap()),
            (
                "Windows10.0-KB5034441-x64-pkgProperties.txt",
                b"KB Article Number=\"5034441\"",
            ),
        ],
    );
    let imported = updates::import(&s.site, &[msu.as_path()], None, &mut ignore_progress).unwrap();
    assert_eq!(
        (imported[0].id.as_str(), imported[0].classification),
        ("KB5034441-x64", UpdateClassification::Cumulative)
    );
}

#[test]
fn a_catalog_naming_a_path_instead_of_a_file_name_is_refused_and_nothing_is_kept() {
    let s = setup("catalog-paths", &[]);
    let folder = s.scratch.join("updates");
    make_cumulative_update(&folder);
    for name in [
        "../../etc/windows10.0-kb5034441-x64_22bb.msu",
        "/windows10.0-kb5034441-x64_22bb.msu",
        "C:windows10.0-kb5034441-x64_22bb.msu",
        "..\\\\windows10.0-kb5034441-x64_22bb.msu",
        "..",
        "",
    ] {
        let catalog = s.scratch.join("catalog.json");
        let entry = serde_json::json!({ "updates": [ { "fileName": name, "classification": "Cumulative" } ] });
        fs::write(&catalog, entry.to_string()).unwrap();
        let error = updates::import(
            &s.site,
            &[folder.as_path()],
            Some(&catalog),
            &mut ignore_progress,
        )
        .unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidArgument, "{name}: {error}");
        assert!(
            error.to_string().contains("names a path"),
            "{name}: {error}"
        );
        assert!(updates::list(&s.site, None).unwrap().is_empty());
    }
}

#[test]
fn a_file_that_is_no_update_refuses_the_whole_import_and_nothing_is_kept() {
    let s = setup("not-an-update", &[]);
    let folder = s.scratch.join("mixed");
    make_cumulative_update(&folder);
    fs::write(
        folder.join("windows10.0-kb5034442-x64_1.msu"),
        b"<html>404 Not Found</html>",
    )
    .unwrap();
    let before = assert_library_intact(&s.scratch.join("site"));
    let error =
        updates::import(&s.site, &[folder.as_path()], None, &mut ignore_progress).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidArgument);
    assert!(
        error
            .to_string()
            .contains("windows10.0-kb5034442-x64_1.msu"),
        "{error}"
    );
    assert!(error.to_string().contains("not an update file"), "{error}");
    assert!(updates::list(&s.site, None).unwrap().is_empty());
    assert_eq!(assert_library_intact(&s.scratch.join("site")), before);
    // A cabinet cut short is no whole cabinet either.
    let cut = s.scratch.join("cut");
    let file = make_cumulative_update(&cut);
    let bytes = fs::read(&file).unwrap();
    fs::write(&file, &bytes[..bytes.len() / 2]).unwrap();
    assert!(updates::import(&s.site, &[file.as_path()], None, &mut ignore_progress).is_err());
    // Nor is one whose data was damaged, though its header is whole: the block checksums say so.
    let damaged = make_cumulative_update(&s.scratch.join("damaged"));
    let mut bytes = fs::read(&damaged).unwrap();
    bytes[2000..2008].copy_from_slice(b"DAMAGED!");
    fs::write(&damaged, &bytes).unwrap();
    let error =
        updates::import(&s.site, &[damaged.as_path()], None, &mut ignore_progress).unwrap_err();
    assert!(
        error.to_string().contains("does not match its checksums"),
        "{error}"
    );
    // No KB, no architecture, no Windows version: refused, saying which file and why.
    for name in [
        "windows10.0-x64_1.msu",
        "windows10.0-kb5034441_1.msu",
        "kb5034441-x64.msu",
    ] {
        let file = make_update(
            &s.scratch.join("names"),
            name,
            "KB5034441",
            "19041.3930",
            &[],
        );
        let error =
            updates::import(&s.site, &[file.as_path()], None, &mut ignore_progress).unwrap_err();
        assert!(error.to_string().contains(name), "{error}");
    }
    let missing = s.scratch.join("nowhere.msu");
    let error =
        updates::import(&s.site, &[missing.as_path()], None, &mut ignore_progress).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::NotFound);
}

#[test]
fn the_updates_in_an_image_are_read_from_its_servicing_packages() {
    let s = setup("held", &[]);
    let applied = updates::applied(&s.site, &s.package.id).unwrap();
    let seen: Vec<(&str, u32, &str, &str)> = applied
        .iter()
        .map(|a| {
            (
                a.image.as_str(),
                a.image_index,
                a.kb.as_str(),
                a.build.as_str(),
            )
        })
        .collect();
    // Each install index, the WinRE inside it, and each boot.wim index.
    assert_eq!(
        seen,
        [
            ("winre", 1, "KB5021043", "19041.2962"),
            ("winre", 1, "KB5031539", "19041.2780"),
            ("winre", 2, "KB5021043", "19041.2962"),
            ("winre", 2, "KB5031539", "19041.2780"),
            ("install", 1, "KB5026361", "19041.2965"),
            ("install", 1, "KB5031539", "19041.2780"),
            ("install", 2, "KB5026361", "19041.2965"),
            ("install", 2, "KB5031539", "19041.2780"),
            ("boot", 1, "KB5031539", "19041.2780"),
            ("boot", 2, "KB5031539", "19041.2780"),
        ]
    );
    assert!(applied.iter().all(|a| a.origin == "image"));
    assert!(applied
        .iter()
        .all(|a| a.content_version == 1 && a.update_id.is_none()));
}

#[test]
fn applicable_updates_match_architecture_and_build_skip_held_and_superseded_in_install_order() {
    let l = lab("applicable");
    let found = updates::applicable(&l.s.site, &l.s.package.id).unwrap();
    let names: Vec<&str> = found.iter().map(|a| a.update.id.as_str()).collect();
    // KB5026361 is in the image; x86 and Windows 11 ones do not fit; KB5032189 is left out as
    // KB5034441, applicable too, supersedes it; the servicing stack goes first.
    assert_eq!(names, ["KB5034000-x64", "KB5034441-x64", "KB5035001-x64"]);
    assert!(found.iter().all(|a| a.image_indexes == [1, 2]));
    // Asked, the others say why they are not offered.
    let left_out: Vec<(String, String)> = updates::not_applicable(&l.s.site, &l.s.package.id)
        .unwrap()
        .into_iter()
        .map(|n| (n.update.id, n.reason))
        .collect();
    let reason = |id: &str| {
        let found = left_out.iter().find(|(left, _)| left == id);
        found
            .map_or("offered", |(_, reason)| reason.as_str())
            .to_string()
    };
    assert_eq!(left_out.len(), 4, "{left_out:?}");
    assert_eq!(
        reason("KB5032189-x64"),
        "KB5034441-x64 supersedes it and applies too"
    );
    assert!(reason("KB5026361-x64").contains("image 1 holds KB5026361 already"));
    assert!(reason("KB5035000-x86").contains("image 1 is x64, the update x86"));
    assert!(reason("KB5036893-x64").contains("the update is for Windows 11"));
    let refused = |selection: &[&str]| {
        schedule::create(
            &l.s.site,
            &l.s.package.id,
            &ScheduleSettings {
                update_ids: Some(ids(selection)),
                ..Default::default()
            },
        )
        .unwrap_err()
        .to_string()
    };
    let error = refused(&["KB5034441-x64", "KB5032189-x64"]);
    assert!(
        error.contains("KB5032189-x64 does not apply")
            && error.contains("KB5034441 (selected) supersedes it"),
        "{error}"
    );
    // Alone it is refused too, as the applicable list leaves it out.
    let error = refused(&["KB5032189-x64"]);
    assert!(
        error.contains("KB5034441-x64, which applies too (schedule it instead), supersedes it"),
        "{error}"
    );
    let error = refused(&["KB5035000-x86"]);
    assert!(error.contains("image 1 is x64, the update x86"), "{error}");
    let error = refused(&["KB5036893-x64"]);
    assert!(
        error.contains("build 19045, the update is for Windows 11"),
        "{error}"
    );
    let error = refused(&["KB5026361-x64"]);
    assert!(error.contains("holds KB5026361 already"), "{error}");
    assert!(refused(&["KB9999999-x64"]).contains("does not exist"));
}

#[test]
fn a_scheduled_run_services_the_image_records_every_update_and_updates_the_points() {
    let l = lab("end-to-end");
    let site = &l.s.site;
    let id = &l.s.package.id;
    let schedule = schedule_of(&l, &["KB5034441-x64", "KB5034000-x64"], true);
    assert!(schedule.next_run_at.is_some());
    let runs = lifecycle::run_due_schedules(site, &mut ignore_progress).unwrap();
    assert_eq!(runs.len(), 1);
    let run = &runs[0];
    assert_eq!(run.state, RunState::Succeeded, "{run:?}");
    assert_eq!(
        (run.content_version_from, run.content_version_to),
        (1, Some(2))
    );
    assert_eq!(
        results(run),
        [
            "install:1 KB5034000-x64 Installed",
            "install:1 KB5034441-x64 Installed",
            "install:2 KB5034000-x64 Installed",
            "install:2 KB5034441-x64 Installed",
        ]
    );
    assert!(Path::new(&run.log_path).is_file());
    // Version 2 holds the serviced image: the image says so, and so does the site.
    let package = osupgrade::package::get(site, id).unwrap();
    assert_eq!(package.content_version, 2);
    assert_eq!(package.images[0].version, "10.0.19045.3930");
    let applied = updates::applied(site, id).unwrap();
    let serviced: Vec<(&str, u32, i64)> = applied
        .iter()
        .filter(|a| a.origin == "serviced")
        .map(|a| {
            (
                a.update_id.as_deref().unwrap(),
                a.image_index,
                a.content_version,
            )
        })
        .collect();
    assert_eq!(serviced.len(), 4);
    // The serviced image, read back, gives the build each update brought.
    let lcu: Vec<&str> = applied
        .iter()
        .filter(|a| a.kb == "KB5034441")
        .map(|a| a.build.as_str())
        .collect();
    assert_eq!(lcu, ["19041.3930", "19041.3930"]);
    assert!(serviced.iter().all(|(_, _, version)| *version == 2));
    assert!(applied
        .iter()
        .all(|a| a.run_id.is_none() || a.run_id == Some(run.id)));
    // Nothing else to apply but the broken KB5035001.
    let left: Vec<String> = updates::applicable(site, id)
        .unwrap()
        .into_iter()
        .map(|a| a.update.id)
        .collect();
    assert_eq!(left, ["KB5035001-x64"]);
    // Both points hold version 2, validate clean, and got only the new install.wim.
    for point in ["DP1", "DP2"] {
        let status = &distribution::status(site, Some(id), Some(point)).unwrap()[0];
        assert_eq!(
            (status.state, status.installed_content_version),
            (DistributionState::Installed, Some(2))
        );
        assert_eq!(status.files_copied, 1, "{status:?}");
        assert_point_valid(&l.s, point);
    }
    // A Once schedule is done, and changing something else does not make it run again; history
    // is kept per schedule and package.
    assert_eq!(schedule::get(site, schedule.id).unwrap().next_run_at, None);
    let paused = ScheduleSettings {
        enabled: Some(false),
        ..Default::default()
    };
    assert_eq!(
        schedule::set(site, schedule.id, &paused)
            .unwrap()
            .next_run_at,
        None
    );
    assert!(lifecycle::run_due_schedules(site, &mut ignore_progress)
        .unwrap()
        .is_empty());
    assert_eq!(
        servicing::list_runs(site, Some(schedule.id), None).unwrap(),
        runs
    );
    assert_eq!(servicing::list_runs(site, None, Some(id)).unwrap().len(), 1);
    // An update a schedule uses is not removed.
    let error = updates::remove(site, "KB5034441-x64").unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Conflict, "{error}");
    schedule::remove(site, schedule.id).unwrap();
    updates::remove(site, "KB5034441-x64").unwrap();
    assert!(updates::get(site, "KB5034441-x64").is_err());
    assert_library_intact(&l.s.scratch.join("site"));
    drop(l.updates);
}

#[test]
fn continue_on_error_records_the_broken_update_and_applies_the_rest() {
    let l = lab("continue");
    let schedule = schedule_of(&l, &["KB5034441-x64", "KB5035001-x64"], true);
    let run = lifecycle::run_schedule(&l.s.site, schedule.id, &mut ignore_progress).unwrap();
    assert_eq!(run.state, RunState::PartiallySucceeded, "{run:?}");
    assert_eq!(run.content_version_to, Some(2));
    let broken: Vec<_> = run
        .results
        .iter()
        .filter(|r| r.update_id == "KB5035001-x64")
        .collect();
    assert_eq!(broken.len(), 2);
    assert!(
        broken
            .iter()
            .all(|r| r.state.name() == "Failed" && r.exit_code == Some(87)),
        "{broken:?}"
    );
    // The engine's own words are in the result, not only in the log.
    assert!(
        broken
            .iter()
            .all(|r| r.message.contains("KB5035001 is damaged")),
        "{broken:?}"
    );
    let applied = updates::applied(&l.s.site, &l.s.package.id).unwrap();
    assert!(applied
        .iter()
        .any(|a| a.kb == "KB5034441" && a.content_version == 2));
    assert!(!applied.iter().any(|a| a.kb == "KB5035001"));
    let log = fs::read_to_string(&run.log_path).unwrap();
    assert!(log.contains("KB5035001 is damaged"), "{log}");
    assert!(
        log.contains("PartiallySucceeded, content version 1 -> 2"),
        "{log}"
    );
    assert!(log.contains("KB5035001-x64 on install:2: Failed"), "{log}");
    // Run now, a once schedule is done; a recurring one keeps its next run.
    assert_eq!(
        schedule::get(&l.s.site, schedule.id).unwrap().next_run_at,
        None
    );
    let daily = ScheduleSettings {
        update_ids: Some(ids(&["KB5034000-x64"])),
        recurrence: Some(Recurrence::Days(1)),
        start: Some("2030-01-01T22:00".into()),
        ..Default::default()
    };
    let daily = schedule::create(&l.s.site, &l.s.package.id, &daily).unwrap();
    lifecycle::run_schedule(&l.s.site, daily.id, &mut ignore_progress).unwrap();
    assert_eq!(
        schedule::get(&l.s.site, daily.id).unwrap().next_run_at,
        daily.next_run_at
    );
}

#[test]
fn without_continue_on_error_the_first_failure_keeps_the_package_as_it_was() {
    let l = lab("abort");
    let before = osupgrade::package::get(&l.s.site, &l.s.package.id).unwrap();
    let schedule = schedule_of(&l, &["KB5035001-x64", "KB5034441-x64"], false);
    let run = lifecycle::run_schedule(&l.s.site, schedule.id, &mut ignore_progress).unwrap();
    assert_eq!(run.state, RunState::Failed);
    assert_eq!(run.content_version_to, None);
    assert!(
        run.error.contains("KB5035001-x64 failed on install:1"),
        "{}",
        run.error
    );
    assert_eq!(
        results(&run),
        [
            "install:1 KB5034441-x64 Discarded",
            "install:1 KB5035001-x64 Failed",
            "install:2 KB5034441-x64 NotRun",
            "install:2 KB5035001-x64 NotRun",
        ]
    );
    assert_eq!(
        osupgrade::package::get(&l.s.site, &l.s.package.id).unwrap(),
        before
    );
    assert!(updates::applied(&l.s.site, &l.s.package.id)
        .unwrap()
        .iter()
        .all(|a| a.origin == "image"));
    assert!(!l
        .s
        .scratch
        .join("site/servicing")
        .read_dir()
        .unwrap()
        .any(|_| true));
}

#[test]
fn an_engine_that_exits_0_and_changes_nothing_is_not_believed() {
    let l = lab("liar");
    let liar = l.s.scratch.join("liar-engine.sh");
    fs::write(&liar, "#!/bin/sh\necho \"liar: $1\"\nexit 0\n").unwrap();
    Command::new("chmod").arg("+x").arg(&liar).status().unwrap();
    servicing::set_engine(&l.s.site, &Engine::Command(liar)).unwrap();
    let before = osupgrade::package::get(&l.s.site, &l.s.package.id).unwrap();
    let schedule = schedule_of(&l, &["KB5034441-x64"], true);
    let run = lifecycle::run_schedule(&l.s.site, schedule.id, &mut ignore_progress).unwrap();
    assert_eq!(run.state, RunState::Failed, "{run:?}");
    assert_eq!(run.content_version_to, None);
    assert_eq!(
        results(&run),
        [
            "install:1 KB5034441-x64 Failed",
            "install:2 KB5034441-x64 Failed"
        ]
    );
    assert!(
        run.results.iter().all(|r| r
            .message
            .contains("does not hold it (no package manifest of KB5034441")),
        "{run:?}"
    );
    assert_eq!(
        osupgrade::package::get(&l.s.site, &l.s.package.id).unwrap(),
        before
    );
}

/// True while `pid` names a process that has not ended (a zombie has ended).
fn alive(pid: &str) -> bool {
    fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|stat| {
        stat.rsplit_once(')')
            .is_some_and(|(_, rest)| !rest.trim_start().starts_with('Z'))
    })
}

#[test]
fn a_step_past_the_maximum_run_time_is_ended_with_what_it_started() {
    let l = lab("hung");
    assert_eq!(
        servicing::get_max_run_time(&l.s.site).unwrap(),
        servicing::DEFAULT_MAX_RUN_TIME
    );
    let refused = servicing::set_max_run_time(&l.s.site, Duration::ZERO).unwrap_err();
    assert!(refused.to_string().starts_with("maxRunTime: "), "{refused}");
    // An engine whose add-package hangs, in a process it started.
    let pids = l.s.scratch.join("hung-pids");
    let hung = l.s.scratch.join("hung-engine.sh");
    fs::write(
        &hung,
        format!(
            "#!/bin/sh\nif [ \"$1\" = add-package ]; then\n  sleep 600 &\n  echo $! >> '{}'\n  wait\nfi\nexec bash '{}' \"$@\"\n",
            pids.display(),
            test_engine().display()
        ),
    )
    .unwrap();
    Command::new("chmod").arg("+x").arg(&hung).status().unwrap();
    servicing::set_engine(&l.s.site, &Engine::Command(hung)).unwrap();
    servicing::set_max_run_time(&l.s.site, Duration::from_secs(2)).unwrap();
    let before = osupgrade::package::get(&l.s.site, &l.s.package.id).unwrap();
    let schedule = schedule_of(&l, &["KB5034441-x64"], true);
    let started = Instant::now();
    let run = lifecycle::run_schedule(&l.s.site, schedule.id, &mut ignore_progress).unwrap();
    assert!(
        started.elapsed() < Duration::from_secs(300),
        "the run waited for the hung step"
    );
    assert_eq!(run.state, RunState::Failed, "{run:?}");
    assert_eq!(run.results.len(), 2, "{run:?}");
    assert!(
        run.results.iter().all(|r| r.state.name() == "Failed"
            && r.message.contains(
                "timed out: still running after the site's maximum run time of 2 seconds"
            )),
        "{run:?}"
    );
    let started_processes = fs::read_to_string(&pids).unwrap();
    assert_eq!(started_processes.lines().count(), 2);
    for pid in started_processes.lines() {
        assert!(!alive(pid), "process {pid} the hung step started lives on");
    }
    assert_eq!(
        osupgrade::package::get(&l.s.site, &l.s.package.id).unwrap(),
        before
    );
}

#[test]
fn with_no_engine_a_run_fails_before_anything_is_touched() {
    let l = lab("no-engine");
    servicing::set_engine(&l.s.site, &Engine::Dism).unwrap();
    let schedule = schedule_of(&l, &["KB5034441-x64"], true);
    let error = lifecycle::run_schedule(&l.s.site, schedule.id, &mut ignore_progress).unwrap_err();
    assert!(error.to_string().contains("only Windows has"), "{error}");
    assert!(servicing::list_runs(&l.s.site, Some(schedule.id), None)
        .unwrap()
        .is_empty());
    let error = servicing::set_engine(&l.s.site, &Engine::Command("engine.sh".into())).unwrap_err();
    assert!(error.to_string().starts_with("command: "), "{error}");
}

/// KB5034441 a week after each Patch Tuesday (second Tuesday + 7), from 2030-01-01 22:00 UTC.
fn week_after_patch_tuesday() -> ScheduleSettings {
    ScheduleSettings {
        update_ids: Some(ids(&["KB5034441-x64"])),
        recurrence: Some(Recurrence::MonthlyOnWeekday {
            week: 2,
            weekday: 2,
            offset_days: 7,
        }),
        start: Some("2030-01-01T22:00".into()),
        utc: Some(true),
        ..Default::default()
    }
}

#[test]
fn schedules_are_made_read_changed_and_removed() {
    let l = lab("schedules");
    let settings = week_after_patch_tuesday();
    let made = schedule::create(&l.s.site, &l.s.package.id, &settings).unwrap();
    assert_eq!(
        made.next_run_at.as_deref(),
        Some("2030-01-15T22:00:00.000Z")
    );
    assert!(
        made.continue_on_error
            && made.update_distribution_points
            && made.enabled
            && !made.remove_superseded
    );
    let changed = schedule::set(
        &l.s.site,
        made.id,
        &ScheduleSettings {
            recurrence: Some(Recurrence::MonthlyOnDay(31)),
            enabled: Some(false),
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(
        changed.next_run_at.as_deref(),
        Some("2030-01-31T22:00:00.000Z")
    );
    assert!(!changed.enabled);
    assert_eq!(
        schedule::list(&l.s.site, Some(&l.s.package.id)).unwrap(),
        vec![changed.clone()]
    );
    let bad = ScheduleSettings {
        start: Some("2030-02-30T22:00".into()),
        ..Default::default()
    };
    assert!(schedule::set(&l.s.site, made.id, &bad)
        .unwrap_err()
        .to_string()
        .starts_with("start: "));
    schedule::remove(&l.s.site, made.id).unwrap();
    assert_eq!(
        schedule::get(&l.s.site, made.id).unwrap_err().kind(),
        ErrorKind::NotFound
    );
    // A package's removal takes its schedules with it.
    let again = schedule::create(&l.s.site, &l.s.package.id, &settings).unwrap();
    lifecycle::remove_package(&l.s.site, &l.s.package.id).unwrap();
    assert!(schedule::get(&l.s.site, again.id).is_err());
}

#[test]
fn a_schedule_lists_its_next_runs_as_an_admin_counts_them() {
    let l = lab("next-runs");
    let settings = week_after_patch_tuesday();
    let made = schedule::create(&l.s.site, &l.s.package.id, &settings).unwrap();
    let runs = schedule::next_runs(&l.s.site, made.id, 24).unwrap();
    // Counted by hand: the second Tuesday of each month (the first Tuesday falls on day 1 to
    // 7; Tuesday is weekday 2 from Sunday), a week later.
    let expected: Vec<String> = (0..24)
        .map(|n| {
            let (year, month) = (2030 + n / 12, 1 + n % 12);
            let first_day = weekday_of(year, month, 1);
            let first_tuesday = 1 + (2 + 7 - first_day) % 7;
            format!(
                "{year}-{month:02}-{:02}T22:00:00.000Z",
                first_tuesday + 7 + 7
            )
        })
        .collect();
    let listed: Vec<&str> = runs.iter().map(|r| r.run_at.as_str()).collect();
    assert_eq!(listed, expected);
    assert!(runs
        .iter()
        .all(|r| r.schedule_id == made.id && r.package_id == l.s.package.id));
    // A once schedule has its one run, a disabled one none; counts out of range are refused.
    let once = schedule::create(
        &l.s.site,
        &l.s.package.id,
        &ScheduleSettings {
            recurrence: Some(Recurrence::Once),
            ..settings.clone()
        },
    )
    .unwrap();
    assert_eq!(schedule::next_runs(&l.s.site, once.id, 5).unwrap().len(), 1);
    let disabled = ScheduleSettings {
        enabled: Some(false),
        ..Default::default()
    };
    schedule::set(&l.s.site, once.id, &disabled).unwrap();
    assert!(schedule::next_runs(&l.s.site, once.id, 5)
        .unwrap()
        .is_empty());
    for count in [0, 1001] {
        let error = schedule::next_runs(&l.s.site, made.id, count).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidArgument);
        assert!(error.to_string().starts_with("count: "), "{error}");
    }
    assert_eq!(
        schedule::next_runs(&l.s.site, 999, 1).unwrap_err().kind(),
        ErrorKind::NotFound
    );
}

/// Day of the week, 0 = Sunday (Sakamoto's method).
fn weekday_of(year: u32, month: u32, day: u32) -> u32 {
    const T: [u32; 12] = [0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4];
    let y = if month < 3 { year - 1 } else { year };
    (y + y / 4 - y / 100 + y / 400 + T[month as usize - 1] + day) % 7
}

/// Run as a child process by the tests below: runs every due schedule of the site named in
/// the environment.
#[test]
#[ignore = "run as a child process by another test"]
fn child_process_runs_due_schedules() {
    let site = Site::open(
        Some(Path::new(&std::env::var("OSU_CHILD_SITE").unwrap())),
        None,
    )
    .unwrap();
    let runs = lifecycle::run_due_schedules(&site, &mut ignore_progress).unwrap();
    println!("RUNS {}", runs.len());
}

fn runner(l: &Lab, kill_at: Option<&str>) -> std::process::Child {
    let mut command = Command::new(std::env::current_exe().unwrap());
    command
        .args([
            "--exact",
            "child_process_runs_due_schedules",
            "--ignored",
            "--nocapture",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .env("OSU_CHILD_SITE", l.s.scratch.join("site"));
    if let Some(point) = kill_at {
        command.env("OSUPGRADE_TEST_KILL_AT", point);
    }
    command.spawn().unwrap()
}

#[test]
fn two_runners_at_once_service_a_package_once() {
    let l = lab("two-runners");
    // A slow engine, so that the runners overlap.
    slow_engine(&l);
    schedule_of(&l, &["KB5034441-x64"], true);
    let children = [runner(&l, None), runner(&l, None)];
    let mut made = 0;
    for child in children {
        let output = child.wait_with_output().unwrap();
        assert!(output.status.success());
        let text = String::from_utf8_lossy(&output.stdout);
        made += text
            .lines()
            .filter_map(|l| l.strip_prefix("RUNS "))
            .map(|n| n.trim().parse::<usize>().unwrap())
            .sum::<usize>();
    }
    assert_eq!(made, 1);
    let runs = servicing::list_runs(&l.s.site, None, Some(&l.s.package.id)).unwrap();
    assert_eq!(runs.len(), 1);
    assert_eq!(runs[0].state, RunState::Succeeded);
    assert_eq!(
        osupgrade::package::get(&l.s.site, &l.s.package.id)
            .unwrap()
            .content_version,
        2
    );
}

/// Services with the test engine, each update taking a second longer.
fn slow_engine(l: &Lab) {
    let slow = l.s.scratch.join("slow-engine.sh");
    fs::write(
        &slow,
        format!(
            "#!/bin/sh\nOSUPGRADE_TEST_ENGINE_SLEEP=1 exec bash '{}' \"$@\"\n",
            test_engine().display()
        ),
    )
    .unwrap();
    Command::new("chmod").arg("+x").arg(&slow).status().unwrap();
    servicing::set_engine(&l.s.site, &Engine::Command(slow)).unwrap();
}

/// A run's results as `image:index update state`, in the order of the run.
fn results(run: &osupgrade::model::ServicingRun) -> Vec<String> {
    run.results
        .iter()
        .map(|r| {
            format!(
                "{}:{} {} {}",
                r.image,
                r.image_index,
                r.update_id,
                r.state.name()
            )
        })
        .collect()
}

/// Makes a Once schedule due again.
fn rearm(l: &Lab, id: i64) {
    let start = ScheduleSettings {
        start: Some("2026-01-01T00:00".into()),
        ..Default::default()
    };
    schedule::set(&l.s.site, id, &start).unwrap();
}

#[test]
fn a_run_killed_at_any_point_leaves_the_package_as_it_was() {
    let l = lab("killed");
    let id = l.s.package.id.clone();
    let before = osupgrade::package::get(&l.s.site, &id).unwrap();
    let schedule = schedule_of(&l, &["KB5034441-x64"], true);
    for point in [
        "servicing: leased",
        "servicing: taken out",
        "servicing: engine done",
    ] {
        // Each kill leaves the run behind as running, owned by a dead runner; the next runner
        // closes it and takes the schedule again, unasked.
        let status = runner(&l, Some(point)).wait().unwrap();
        assert!(!status.success(), "the runner was not killed at {point}");
        assert_eq!(
            osupgrade::package::get(&l.s.site, &id).unwrap(),
            before,
            "after a kill at {point}"
        );
        assert_point_valid(&l.s, "DP1");
    }
    // The next runner closes the dead run, clears the work and services the package.
    let runs = lifecycle::run_due_schedules(&l.s.site, &mut ignore_progress).unwrap();
    assert_eq!(runs[0].state, RunState::Succeeded, "{:?}", runs[0]);
    let history = servicing::list_runs(&l.s.site, Some(schedule.id), None).unwrap();
    assert_eq!(history.len(), 4);
    assert!(
        history[1..]
            .iter()
            .all(|r| r.state == RunState::Failed && r.error.starts_with("interrupted")),
        "{history:?}"
    );
    let work: Vec<_> = fs::read_dir(l.s.scratch.join("site/servicing"))
        .unwrap()
        .collect();
    assert!(work.is_empty(), "{work:?}");
    assert_eq!(
        osupgrade::package::get(&l.s.site, &id)
            .unwrap()
            .content_version,
        2
    );
    assert_library_intact(&l.s.scratch.join("site"));
}

/// Adds a Safe OS dynamic update (for WinRE) to the lab's catalog.
fn add_safe_os_update(l: &Lab) {
    let folder = l.s.scratch.join("safe-os");
    make_update(
        &folder,
        "windows10.0-kb5034232-x64_88bb.cab",
        "KB5034232",
        "19041.3920",
        &[],
    );
    let catalog = l.s.scratch.join("safe-os.json");
    fs::write(
        &catalog,
        r#"{ "updates": [ { "fileName": "windows10.0-kb5034232-x64_88bb.cab", "classification": "SafeOs",
            "builds": [19045], "releaseDate": "2024-01-09", "title": "Safe OS Dynamic Update" } ] }"#,
    )
    .unwrap();
    updates::import(
        &l.s.site,
        &[folder.as_path()],
        Some(&catalog),
        &mut ignore_progress,
    )
    .unwrap();
}

#[test]
fn the_whole_medium_is_serviced_winre_first_then_each_index_then_boot_wim() {
    let l = lab("medium");
    add_safe_os_update(&l);
    let selection = ids(&["KB5034232-x64", "KB5034441-x64", "KB5034000-x64"]);
    let without_winre = ScheduleSettings {
        update_ids: Some(selection.clone()),
        ..Default::default()
    };
    let error = schedule::create(&l.s.site, &l.s.package.id, &without_winre)
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("KB5034232-x64 does not apply") && error.contains("service WinRE"),
        "{error}"
    );
    let applicable = updates::applicable(&l.s.site, &l.s.package.id).unwrap();
    let safe_os = applicable
        .iter()
        .find(|a| a.update.id == "KB5034232-x64")
        .unwrap();
    assert_eq!(safe_os.targets, ["winre"]);

    let settings = ScheduleSettings {
        update_ids: Some(selection),
        service_winre: Some(true),
        service_boot_image: Some(true),
        ..Default::default()
    };
    let schedule = schedule::create(&l.s.site, &l.s.package.id, &settings).unwrap();
    let run = lifecycle::run_schedule(&l.s.site, schedule.id, &mut ignore_progress).unwrap();
    assert_eq!(run.state, RunState::Succeeded, "{run:?}");
    // WinRE already holds the servicing stack KB5031539 but not KB5034000.
    assert_eq!(
        results(&run),
        [
            "winre:1 KB5034000-x64 Installed",
            "winre:1 KB5034232-x64 Installed",
            "install:1 KB5034000-x64 Installed",
            "install:1 KB5034441-x64 Installed",
            "winre:2 KB5034000-x64 Installed",
            "winre:2 KB5034232-x64 Installed",
            "install:2 KB5034000-x64 Installed",
            "install:2 KB5034441-x64 Installed",
            "boot:1 KB5034000-x64 Installed",
            "boot:1 KB5034441-x64 Installed",
            "boot:2 KB5034000-x64 Installed",
            "boot:2 KB5034441-x64 Installed",
        ]
    );
    assert!(run.results.iter().all(|r| r.state.name() == "Installed"));
    // The serviced WinRE went back into install.wim: read from version 2, it holds the Safe OS
    // update, with the build it brought.
    let applied = updates::applied(&l.s.site, &l.s.package.id).unwrap();
    let winre: Vec<(u32, &str, i64)> = applied
        .iter()
        .filter(|a| a.image == "winre" && a.kb == "KB5034232")
        .map(|a| (a.image_index, a.build.as_str(), a.content_version))
        .collect();
    assert_eq!(winre, [(1, "19041.3920", 2), (2, "19041.3920", 2)]);
    assert_eq!(
        applied
            .iter()
            .filter(|a| a.image == "boot" && a.origin == "serviced")
            .count(),
        4
    );
    // The point got the two changed images, and nothing else.
    let status = &distribution::status(&l.s.site, Some(&l.s.package.id), Some("DP1")).unwrap()[0];
    assert_eq!(
        (status.installed_content_version, status.files_copied),
        (Some(2), 2)
    );
    assert_point_valid(&l.s, "DP1");
    let tree = l.s.tree(&l.s.scratch.join("points/DP1"));
    let listing = Command::new("wimlib-imagex")
        .arg("info")
        .arg(tree.join("sources/boot.wim"))
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&listing.stdout).contains("Service Pack Build:     3930"));
}

/// Run as a child process with wimlib hidden from the library: adds a package, imports the
/// lab's updates, and services with the test engine, whose mount lays out the image's
/// servicing packages; prints what the site then knows the image held.
#[test]
#[ignore = "run as a child process by another test"]
fn child_process_services_without_wimlib() {
    let site = Site::create(Path::new(&std::env::var("OSU_CHILD_SITE").unwrap()), None).unwrap();
    let source = PathBuf::from(std::env::var("OSU_CHILD_SOURCE").unwrap());
    let package = add(&site, &source, "No wimlib");
    assert!(updates::applied(&site, &package.id).unwrap().is_empty());
    let folder = PathBuf::from(std::env::var("OSU_CHILD_UPDATES").unwrap());
    updates::import(&site, &[folder.as_path()], None, &mut ignore_progress).unwrap();
    servicing::set_engine(&site, &Engine::Command(test_engine())).unwrap();
    let settings = ScheduleSettings {
        update_ids: Some(ids(&["KB5034441-x64"])),
        ..Default::default()
    };
    let schedule = schedule::create(&site, &package.id, &settings).unwrap();
    let run = lifecycle::run_schedule(&site, schedule.id, &mut ignore_progress).unwrap();
    println!("RUN {:?}", run.state);
    for held in updates::applied(&site, &package.id).unwrap() {
        println!(
            "HELD {} {} {} {}",
            held.image, held.image_index, held.kb, held.origin
        );
    }
}

#[test]
fn where_wimlib_is_absent_what_an_image_holds_is_read_when_the_engine_mounts_it() {
    let scratch = Scratch::new("no-wimlib");
    let source = make_source(&scratch.join("src"), &[]);
    let folder = scratch.join("updates");
    make_cumulative_update(&folder);
    let output = Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "child_process_services_without_wimlib",
            "--ignored",
            "--nocapture",
        ])
        .env("OSUPGRADE_WIMLIB_IMAGEX", "/nonexistent/wimlib-imagex")
        .env("OSU_CHILD_SITE", scratch.join("site"))
        .env("OSU_CHILD_SOURCE", &source)
        .env("OSU_CHILD_UPDATES", &folder)
        .stderr(Stdio::inherit())
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{text}");
    assert!(text.contains("RUN Succeeded"), "{text}");
    for line in [
        "HELD install 1 KB5026361 image",
        "HELD install 2 KB5031539 image",
        "HELD install 2 KB5034441 serviced",
    ] {
        assert!(text.contains(line), "{line} missing from:\n{text}");
    }
}

#[test]
fn runs_killed_at_random_moments_leave_the_package_and_its_points_whole() {
    let l = lab("random-kills");
    slow_engine(&l);
    let id = l.s.package.id.clone();
    let schedule = schedule_of(&l, &["KB5034441-x64", "KB5034000-x64"], true);
    let mut seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos() as u64;
    for _ in 0..6 {
        rearm(&l, schedule.id);
        let mut child = runner(&l, None);
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        std::thread::sleep(std::time::Duration::from_millis(50 + (seed >> 33) % 5000));
        let _ = child.kill();
        let _ = child.wait();
        let version = osupgrade::package::get(&l.s.site, &id)
            .unwrap()
            .content_version;
        assert!(version == 1 || version == 2, "content version {version}");
        assert_library_intact(&l.s.scratch.join("site"));
        if version == 2 {
            break;
        }
    }
    // Whatever the kills left, the next run closes the dead ones and the package ends serviced,
    // its point holding the serviced version whole.
    rearm(&l, schedule.id);
    lifecycle::run_due_schedules(&l.s.site, &mut ignore_progress).unwrap();
    assert_eq!(
        osupgrade::package::get(&l.s.site, &id)
            .unwrap()
            .content_version,
        2
    );
    distribution::redistribute(&l.s.site, &id, &Default::default(), &mut ignore_progress).unwrap();
    assert_point_valid(&l.s, "DP1");
    let history = servicing::list_runs(&l.s.site, Some(schedule.id), None).unwrap();
    assert!(
        history.iter().all(|r| r.state != RunState::Running),
        "{history:?}"
    );
    let work: Vec<_> = fs::read_dir(l.s.scratch.join("site/servicing"))
        .unwrap()
        .collect();
    assert!(work.is_empty(), "{work:?}");
}

#[test]
fn points_a_run_could_not_update_are_updated_by_the_next_runner_call() {
    let l = lab("points-pending");
    let id = l.s.package.id.clone();
    let point = l.s.scratch.join("points/DP1");
    let kept = l.s.scratch.join("DP1-kept");
    fs::rename(&point, &kept).unwrap();
    fs::write(&point, b"a file where the point's folder was").unwrap();
    let schedule = schedule_of(&l, &["KB5034441-x64"], true);
    let run = lifecycle::run_schedule(&l.s.site, schedule.id, &mut ignore_progress).unwrap();
    assert_eq!(
        (run.state, run.content_version_to),
        (RunState::Succeeded, Some(2))
    );
    assert!(run.points_pending, "{run:?}");
    assert!(run.points_error.contains("DP1"), "{}", run.points_error);
    // Nothing is due, but the runner takes up the points again once they can be written.
    fs::remove_file(&point).unwrap();
    fs::rename(&kept, &point).unwrap();
    let runs = lifecycle::run_due_schedules(&l.s.site, &mut ignore_progress).unwrap();
    assert_eq!(runs.len(), 1);
    assert!(
        !runs[0].points_pending && runs[0].points_error.is_empty(),
        "{:?}",
        runs[0]
    );
    let status = &distribution::status(&l.s.site, Some(&id), Some("DP1")).unwrap()[0];
    assert_eq!(status.installed_content_version, Some(2));
    assert_point_valid(&l.s, "DP1");
    assert!(
        lifecycle::run_due_schedules(&l.s.site, &mut ignore_progress)
            .unwrap()
            .is_empty()
    );
}

#[test]
fn a_runner_killed_while_it_updates_the_points_leaves_them_to_the_next_call() {
    let l = lab("killed-distributing");
    let id = l.s.package.id.clone();
    schedule_of(&l, &["KB5034441-x64"], true);
    let status = runner(&l, Some("switch: next tree built")).wait().unwrap();
    assert!(!status.success(), "the runner was not killed");
    assert_eq!(
        osupgrade::package::get(&l.s.site, &id)
            .unwrap()
            .content_version,
        2
    );
    let runs = lifecycle::run_due_schedules(&l.s.site, &mut ignore_progress).unwrap();
    assert_eq!(runs.len(), 1, "{runs:?}");
    assert!(!runs[0].points_pending, "{:?}", runs[0]);
    let status = &distribution::status(&l.s.site, Some(&id), Some("DP1")).unwrap()[0];
    assert_eq!(status.installed_content_version, Some(2));
    assert_point_valid(&l.s, "DP1");
}

/// Waits until a run of the package is recorded as running (a runner child has its lease).
fn wait_for_running_run(l: &Lab) {
    wait_until("a run to start", || {
        let runs = servicing::list_runs(&l.s.site, None, Some(&l.s.package.id)).unwrap();
        runs.iter().any(|r| r.state == RunState::Running)
    });
}

#[test]
fn a_package_being_serviced_is_neither_reloaded_nor_removed_under_the_run() {
    let l = lab("serviced-meanwhile");
    slow_engine(&l);
    let id = l.s.package.id.clone();
    schedule_of(&l, &["KB5034441-x64"], true);
    let mut child = runner(&l, None);
    wait_for_running_run(&l);
    let reload =
        osupgrade::package::reload_content(&l.s.site, &id, &mut ignore_progress).unwrap_err();
    assert_eq!(reload.kind(), ErrorKind::Busy, "{reload}");
    assert!(reload.to_string().contains("being serviced"), "{reload}");
    let removal = lifecycle::remove_package(&l.s.site, &id).unwrap_err();
    assert_eq!(removal.kind(), ErrorKind::Busy, "{removal}");
    assert!(child.wait().unwrap().success());
    assert_eq!(
        osupgrade::package::get(&l.s.site, &id)
            .unwrap()
            .content_version,
        2
    );
}

#[test]
fn what_a_killed_runners_engine_started_is_ended_before_its_work_is_cleared() {
    let l = lab("orphans");
    let pid_file = l.s.scratch.join("orphan.pid");
    let engine = l.s.scratch.join("orphan-engine.sh");
    fs::write(
        &engine,
        format!(
            "#!/bin/sh\nif [ \"$1\" = add-package ]; then sleep 600 & echo $! > '{}'; sleep 600; fi\nexec bash '{}' \"$@\"\n",
            pid_file.display(),
            test_engine().display()
        ),
    )
    .unwrap();
    Command::new("chmod")
        .arg("+x")
        .arg(&engine)
        .status()
        .unwrap();
    servicing::set_engine(&l.s.site, &Engine::Command(engine)).unwrap();
    schedule_of(&l, &["KB5034441-x64"], true);
    let mut child = runner(&l, None);
    let written_pid = || {
        fs::read_to_string(&pid_file)
            .ok()?
            .trim()
            .parse::<i32>()
            .ok()
    };
    // The runner records the engine's process group just after starting it: a runner killed
    // before that leaves nothing to find the engine's children by.
    let group_recorded = || {
        fs::read_dir(l.s.scratch.join("site/servicing"))
            .into_iter()
            .flatten()
            .flatten()
            .any(|run| run.path().join("engine.pgid").is_file())
    };
    wait_until("the engine to write its child's process ID", || {
        written_pid().is_some() && group_recorded()
    });
    let orphan = written_pid().unwrap();
    child.kill().unwrap();
    child.wait().unwrap();
    let alive = |pid: i32| {
        Path::new(&format!("/proc/{pid}")).exists()
            && !fs::read_to_string(format!("/proc/{pid}/stat"))
                .unwrap_or_default()
                .contains(") Z ")
    };
    assert!(
        alive(orphan),
        "the engine's own child should outlive the runner until the next run"
    );
    servicing::set_engine(&l.s.site, &Engine::Command(test_engine())).unwrap();
    let runs = lifecycle::run_due_schedules(&l.s.site, &mut ignore_progress).unwrap();
    assert_eq!(runs.last().unwrap().state, RunState::Succeeded, "{runs:?}");
    wait_until("the dead run's engine child to end", || !alive(orphan));
}

#[test]
fn every_operation_is_logged_in_cmtrace_format_per_component_and_a_full_log_rotates() {
    let l = lab("logs");
    let logs = l.s.scratch.join("site/Logs");
    let schedule = schedule_of(&l, &["KB5034441-x64"], true);
    lifecycle::run_schedule(&l.s.site, schedule.id, &mut ignore_progress).unwrap();
    let read = |name: &str| fs::read_to_string(logs.join(name)).unwrap();
    let package = read("package.log");
    assert!(
        package.contains(&format!("added {} 'Windows 10 22H2'", l.s.package.id)),
        "{package}"
    );
    let line = package.lines().next().unwrap();
    let shape = line.starts_with("<![LOG[")
        && line.contains("]LOG]!><time=\"")
        && line.contains("\" date=\"")
        && line.contains("component=\"package\"")
        && line.contains("type=\"1\"")
        && line.ends_with("\">");
    assert!(shape, "not a CMTrace line: {line}");
    assert!(read("distribution.log").contains("content version 1 installed"));
    assert!(read("updates.log").contains("KB5034441-x64"));
    let servicing = read("servicing.log");
    assert!(
        servicing.contains("Succeeded, content version 1 -> 2"),
        "{servicing}"
    );
    assert!(servicing.contains("the points holding"), "{servicing}");
    // A failure is an error record at the operation that failed, not at the logger.
    assert!(
        osupgrade::package::reload_content(&l.s.site, "OSU0FFFF", &mut ignore_progress).is_err()
    );
    let failed = read("package.log");
    let record = failed
        .lines()
        .find(|l| l.contains("reloading the package failed"))
        .unwrap();
    assert!(
        record.contains("type=\"3\"") && !record.contains("logging.rs"),
        "{record}"
    );
    // A full log is kept as .lo_ and a new one begun.
    let full = logs.join("package.log");
    let big = vec![b'x'; osupgrade::logging::MAX_LOG_BYTES as usize];
    fs::write(&full, &big).unwrap();
    osupgrade::package::set(&l.s.site, &l.s.package.id, &Default::default()).unwrap();
    osupgrade::package::reload_content(&l.s.site, &l.s.package.id, &mut ignore_progress).unwrap();
    assert_eq!(
        fs::metadata(logs.join("package.lo_")).unwrap().len(),
        big.len() as u64
    );
    assert!(read("package.log").contains("reloading"));
    // A log that cannot be written fails nothing.
    fs::remove_dir_all(&logs).unwrap();
    fs::write(&logs, b"a file where the Logs folder belongs").unwrap();
    osupgrade::package::reload_content(&l.s.site, &l.s.package.id, &mut ignore_progress).unwrap();
    distribution::validate(&l.s.site, &l.s.package.id, "DP1", &mut ignore_progress).unwrap();
}
