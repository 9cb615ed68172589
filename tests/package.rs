mod common;

use std::fs;
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::*;
use osupgrade::lifecycle;
use osupgrade::package::{self, NewPackage, PackageChanges};
use osupgrade::progress::ignore_progress;
use osupgrade::{Error, Phase, Site};

fn new_package<'a>(source: &'a Path, name: &'a str, version: &'a str) -> NewPackage<'a> {
    NewPackage {
        source_path: source,
        name,
        version,
        comment: "",
    }
}

fn add(site: &Site, source: &Path, name: &str, version: &str) -> Result<osupgrade::Package, Error> {
    package::add(
        site,
        &new_package(source, name, version),
        &mut ignore_progress,
    )
}

/// A scratch folder with a small source (five small files) and a site.
fn small_source_and_site(label: &str) -> (Scratch, PathBuf, Site) {
    let scratch = Scratch::new(label);
    let source = make_source(&scratch.join("src"), &["--small-files", "5"]);
    let site = open_site(&scratch);
    (scratch, source, site)
}

fn assert_nothing_recorded(site: &Site, scratch: &Scratch) {
    assert!(
        package::list(site, None).unwrap().is_empty(),
        "a package was recorded"
    );
    assert!(
        library_blobs(&scratch.join("site")).is_empty(),
        "content was left in the library"
    );
    assert!(
        staging_is_empty(&scratch.join("site")),
        "staging files were left behind"
    );
}

#[test]
fn adding_a_source_records_the_package_with_its_image_metadata() {
    let scratch = Scratch::new("add");
    let source = make_source(&scratch.join("src"), &[]);
    let site = open_site(&scratch);

    let added = package::add(
        &site,
        &NewPackage {
            source_path: &source,
            name: "Windows 10 22H2",
            version: "19045.2965",
            comment: "Pro and Enterprise",
        },
        &mut ignore_progress,
    )
    .unwrap();

    assert_eq!(added.id, "OSU00001");
    assert_eq!(added.name, "Windows 10 22H2");
    assert_eq!(added.version, "19045.2965");
    assert_eq!(added.comment, "Pro and Enterprise");
    assert_eq!(added.content_version, 1);
    let files = files_below(&source);
    assert_eq!(added.file_count, files.len() as u64);
    let size: u64 = files
        .iter()
        .map(|(_, p)| fs::metadata(p).unwrap().len())
        .sum();
    assert_eq!(added.size, size);
    assert_eq!(added.images.len(), 2);
    let (pro, enterprise) = (&added.images[0], &added.images[1]);
    assert_eq!((pro.index, pro.name.as_str()), (1, "Windows 10 Pro"));
    assert_eq!(pro.edition_id, "Professional");
    assert_eq!(pro.architecture, "x64");
    assert_eq!(pro.version, "10.0.19045.2965");
    assert_eq!(pro.languages, vec!["en-US", "de-DE"]);
    assert_eq!(pro.default_language, "en-US");
    assert!(pro.size >= 1 << 20, "image size comes from TOTALBYTES");
    assert_eq!(
        (enterprise.index, enterprise.edition_id.as_str()),
        (2, "Enterprise")
    );
    assert_eq!(package::get(&site, "OSU00001").unwrap(), added);
}

#[test]
fn every_source_file_is_in_the_library_under_its_hash() {
    let scratch = Scratch::new("library");
    let source = make_source(&scratch.join("src"), &[]);
    let site = open_site(&scratch);
    add(&site, &source, "Windows 10", "1").unwrap();

    for (relative, path) in files_below(&source) {
        let hash = sha256_of(&path);
        let blob = scratch.join("site/files").join(&hash[..2]).join(&hash);
        assert_eq!(
            fs::read(&blob).unwrap(),
            fs::read(&path).unwrap(),
            "{relative}"
        );
    }
    assert!(assert_library_intact(&scratch.join("site")) > 300);
    assert!(staging_is_empty(&scratch.join("site")));
}

#[test]
fn the_manifest_records_every_file_and_folder_of_the_source() {
    let scratch = Scratch::new("manifest");
    let source = make_source(&scratch.join("src"), &[]);
    fs::create_dir_all(source.join("support/empty")).unwrap();
    let site = open_site(&scratch);
    add(&site, &source, "Windows 10", "1").unwrap();

    let db = rusqlite::Connection::open(scratch.join("site/site.db")).unwrap();
    let count = |sql: &str| -> i64 { db.query_row(sql, [], |r| r.get(0)).unwrap() };
    assert_eq!(
        count("SELECT count(*) FROM package_files WHERE sha256 IS NOT NULL") as usize,
        files_below(&source).len()
    );
    assert_eq!(
        count("SELECT count(*) FROM package_files WHERE path = 'support/empty' AND sha256 IS NULL"),
        1
    );
    assert_eq!(
        count("SELECT count(*) FROM package_files WHERE path = 'sources/install.wim'"),
        1
    );
}

#[test]
fn identical_content_is_stored_once() {
    let scratch = Scratch::new("dedup");
    let source = make_source(&scratch.join("src"), &[]);
    let site = open_site(&scratch);
    let first = add(&site, &source, "Windows 10", "1").unwrap();
    let blobs_after_first = library_blobs(&scratch.join("site")).len();
    let second = add(&site, &source, "Windows 10", "2").unwrap();

    assert_eq!(second.id, "OSU00002");
    assert_eq!(
        library_blobs(&scratch.join("site")).len(),
        blobs_after_first
    );
    let info = site.info().unwrap();
    assert_eq!(info.package_count, 2);
    assert_eq!(info.content_size, first.size + second.size);
    // ei.cfg and pid.txt share a blob too, so the library is a little smaller than one copy.
    assert!(info.library_size < first.size);
    assert_eq!(info.bytes_saved, info.content_size - info.library_size);
}

#[test]
fn the_same_name_and_version_is_a_conflict_in_any_letter_case() {
    let scratch = Scratch::new("conflict");
    let source = make_source(&scratch.join("src"), &[]);
    let site = open_site(&scratch);
    add(&site, &source, "Windows 10", "22H2").unwrap();

    let error = add(&site, &source, "WINDOWS 10", "22h2").unwrap_err();
    assert!(matches!(error, Error::Conflict(_)), "{error}");
    assert!(error.to_string().contains("OSU00001"), "{error}");
    assert_eq!(package::list(&site, None).unwrap().len(), 1);
    add(&site, &source, "Windows 10", "22H2 refresh").unwrap();
}

#[test]
fn a_missing_source_folder_is_not_found_and_named() {
    let scratch = Scratch::new("missing");
    let site = open_site(&scratch);
    let missing = scratch.join("no-such-folder");
    let error = add(&site, &missing, "Windows 10", "1").unwrap_err();
    assert!(matches!(error, Error::NotFound { .. }), "{error}");
    assert!(error.to_string().contains("no-such-folder"), "{error}");
}

#[test]
fn a_file_instead_of_a_folder_is_refused() {
    let scratch = Scratch::new("file");
    let site = open_site(&scratch);
    let file = scratch.join("setup.iso");
    fs::write(&file, b"not a folder").unwrap();
    let error = add(&site, &file, "Windows 10", "1").unwrap_err();
    assert!(
        matches!(
            error,
            Error::InvalidArgument {
                argument: "source_path",
                ..
            }
        ),
        "{error}"
    );
    assert!(error.to_string().contains("setup.iso"), "{error}");
    assert!(error.to_string().contains("is a file"), "{error}");
}

#[test]
fn a_source_without_setup_exe_is_refused_naming_the_folder() {
    let scratch = Scratch::new("nosetup");
    let source = make_source(&scratch.join("src"), &[]);
    fs::remove_file(source.join("setup.exe")).unwrap();
    let site = open_site(&scratch);
    let error = add(&site, &source, "Windows 10", "1").unwrap_err();
    assert!(error.to_string().contains("no setup.exe"), "{error}");
    assert!(
        error.to_string().contains(&source.display().to_string()),
        "{error}"
    );
    assert_nothing_recorded(&site, &scratch);
}

#[test]
fn a_source_without_an_install_image_is_refused() {
    let scratch = Scratch::new("nowim");
    let source = make_source(&scratch.join("src"), &[]);
    fs::remove_file(source.join("sources/install.wim")).unwrap();
    let site = open_site(&scratch);
    let error = add(&site, &source, "Windows 10", "1").unwrap_err();
    assert!(matches!(error, Error::InvalidArgument { .. }), "{error}");
    assert!(
        error
            .to_string()
            .contains("install.wim or sources/install.esd"),
        "{error}"
    );
    assert_nothing_recorded(&site, &scratch);
}

#[test]
fn names_are_matched_in_any_letter_case_as_on_windows() {
    let scratch = Scratch::new("case");
    let source = make_source(&scratch.join("src"), &[]);
    fs::rename(source.join("setup.exe"), source.join("SETUP.EXE")).unwrap();
    fs::rename(source.join("sources"), source.join("Sources")).unwrap();
    fs::rename(
        source.join("Sources/install.wim"),
        source.join("Sources/INSTALL.WIM"),
    )
    .unwrap();
    let site = open_site(&scratch);
    assert_eq!(
        add(&site, &source, "Windows 10", "1").unwrap().images.len(),
        2
    );
}

#[test]
fn an_install_esd_is_read_like_a_wim() {
    let scratch = Scratch::new("esd");
    let source = make_source(&scratch.join("src"), &["--esd"]);
    assert!(source.join("sources/install.esd").is_file());
    let site = open_site(&scratch);
    let added = add(&site, &source, "Windows 10", "esd").unwrap();
    let editions: Vec<_> = added.images.iter().map(|i| i.edition_id.as_str()).collect();
    assert_eq!(editions, ["Professional", "Enterprise"]);
}

#[test]
fn a_corrupt_install_wim_is_an_invalid_image_and_nothing_is_recorded() {
    let scratch = Scratch::new("corrupt");
    let source = make_source(&scratch.join("src"), &[]);
    fs::write(source.join("sources/install.wim"), vec![0x5a; 4096]).unwrap();
    let site = open_site(&scratch);
    let error = add(&site, &source, "Windows 10", "1").unwrap_err();
    assert!(matches!(error, Error::InvalidImage { .. }), "{error}");
    assert!(error.to_string().contains("install.wim"), "{error}");
    assert!(error.to_string().contains("no WIM signature"), "{error}");
    assert_nothing_recorded(&site, &scratch);
}

#[test]
fn a_truncated_install_wim_is_an_invalid_image() {
    let scratch = Scratch::new("truncated");
    let source = make_source(&scratch.join("src"), &[]);
    let wim = source.join("sources/install.wim");
    let length = fs::metadata(&wim).unwrap().len();
    fs::OpenOptions::new()
        .write(true)
        .open(&wim)
        .unwrap()
        .set_len(length / 2)
        .unwrap();
    let site = open_site(&scratch);
    let error = add(&site, &source, "Windows 10", "1").unwrap_err();
    assert!(matches!(error, Error::InvalidImage { .. }), "{error}");
    assert!(error.to_string().contains("truncated"), "{error}");
    assert_nothing_recorded(&site, &scratch);
}

#[cfg(unix)]
#[test]
fn a_symbolic_link_in_the_source_is_refused_naming_it() {
    let scratch = Scratch::new("symlink");
    let source = make_source(&scratch.join("src"), &[]);
    fs::write(scratch.join("outside.txt"), b"outside the source").unwrap();
    std::os::unix::fs::symlink(
        scratch.join("outside.txt"),
        source.join("sources/escape.txt"),
    )
    .unwrap();
    let site = open_site(&scratch);
    let error = add(&site, &source, "Windows 10", "1").unwrap_err();
    assert!(matches!(error, Error::InvalidArgument { .. }), "{error}");
    assert!(error.to_string().contains("escape.txt"), "{error}");
    assert!(error.to_string().contains("symbolic link"), "{error}");
    assert_nothing_recorded(&site, &scratch);
}

#[test]
fn cancelling_from_the_progress_callback_records_nothing() {
    let scratch = Scratch::new("cancel");
    let source = make_source(&scratch.join("src"), &[]);
    let site = open_site(&scratch);
    let mut files_seen = 0;
    let error = package::add(
        &site,
        &new_package(&source, "Windows 10", "1"),
        &mut |p: &osupgrade::Progress<'_>| {
            files_seen = files_seen.max(p.files_done);
            if p.phase == Phase::Importing && p.files_done >= 50 {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        },
    )
    .unwrap_err();
    assert!(matches!(error, Error::Cancelled), "{error}");
    assert!(files_seen >= 50);
    assert_nothing_recorded(&site, &scratch);
    // IDs are given when a package is recorded: a cancelled add spends none.
    assert_eq!(
        add(&site, &source, "Windows 10", "1").unwrap().id,
        "OSU00001"
    );
}

#[test]
fn progress_goes_through_every_phase_and_ends_complete() {
    let scratch = Scratch::new("progress");
    let source = make_source(&scratch.join("src"), &[]);
    let site = open_site(&scratch);
    let caller = std::thread::current().id();
    let mut phases = Vec::new();
    let mut last = (0, 0, 0, 0);
    package::add(
        &site,
        &new_package(&source, "Windows 10", "1"),
        &mut |p: &osupgrade::Progress<'_>| {
            assert_eq!(
                std::thread::current().id(),
                caller,
                "progress came from another thread"
            );
            if phases.last() != Some(&p.phase) {
                phases.push(p.phase);
            }
            last = (p.bytes_done, p.bytes_total, p.files_done, p.files_total);
            ControlFlow::Continue(())
        },
    )
    .unwrap();
    assert_eq!(
        phases,
        [
            Phase::Scanning,
            Phase::ReadingImage,
            Phase::Importing,
            Phase::Recording
        ]
    );
    let files = files_below(&source).len() as u64;
    assert_eq!((last.2, last.3), (files, files));
    assert_eq!(last.0, last.1);
}

#[test]
fn packages_are_listed_by_name_with_wildcards() {
    let scratch = Scratch::new("list");
    let source = make_source(&scratch.join("src"), &["--small-files", "3"]);
    let site = open_site(&scratch);
    for (name, version) in [
        ("Windows 10 22H2", "1"),
        ("Windows 11 23H2", "1"),
        ("Windows 11 24H2", "1"),
        ("Win_11", "x"),
    ] {
        add(&site, &source, name, version).unwrap();
    }
    let names = |pattern: Option<&str>| -> Vec<String> {
        package::list(&site, pattern)
            .unwrap()
            .into_iter()
            .map(|p| p.name)
            .collect()
    };
    assert_eq!(names(None).len(), 4);
    assert_eq!(
        names(Some("windows 11*")),
        ["Windows 11 23H2", "Windows 11 24H2"]
    );
    assert_eq!(names(Some("Windows 1? 22H2")), ["Windows 10 22H2"]);
    assert_eq!(names(Some("Win_*")), ["Win_11"], "_ is matched literally");
    assert!(names(Some("Server*")).is_empty());
    assert_eq!(
        package::list(&site, Some("*11*")).unwrap()[0].images.len(),
        2
    );
}

#[test]
fn getting_an_unknown_package_is_not_found() {
    let scratch = Scratch::new("unknown");
    let site = open_site(&scratch);
    let error = package::get(&site, "OSU000FF").unwrap_err();
    assert!(matches!(error, Error::NotFound { .. }));
    assert!(error.to_string().contains("OSU000FF"));
    assert!(matches!(
        lifecycle::remove_package(&site, "OSU000FF"),
        Err(Error::NotFound { .. })
    ));
    let changes = PackageChanges {
        name: Some("x".into()),
        ..Default::default()
    };
    assert!(matches!(
        package::set(&site, "OSU000FF", &changes),
        Err(Error::NotFound { .. })
    ));
}

#[test]
fn setting_fields_changes_only_those_given() {
    let scratch = Scratch::new("set");
    let source = make_source(&scratch.join("src"), &["--small-files", "3"]);
    let site = open_site(&scratch);
    let added = add(&site, &source, "Windows 10", "1").unwrap();
    let changes = PackageChanges {
        comment: Some("Pilot ring".into()),
        ..Default::default()
    };
    let updated = package::set(&site, &added.id, &changes).unwrap();
    assert_eq!(
        (updated.name.as_str(), updated.version.as_str()),
        ("Windows 10", "1")
    );
    assert_eq!(updated.comment, "Pilot ring");
    assert_eq!(updated.images, added.images);

    let changes = PackageChanges {
        name: Some("Windows 10 Enterprise".into()),
        version: Some("2".into()),
        comment: None,
    };
    let updated = package::set(&site, &added.id, &changes).unwrap();
    assert_eq!(
        (updated.name.as_str(), updated.version.as_str()),
        ("Windows 10 Enterprise", "2")
    );
    assert_eq!(updated.comment, "Pilot ring");
}

#[test]
fn setting_a_taken_name_and_version_is_a_conflict() {
    let scratch = Scratch::new("setconflict");
    let source = make_source(&scratch.join("src"), &["--small-files", "3"]);
    let site = open_site(&scratch);
    add(&site, &source, "Windows 10", "1").unwrap();
    let second = add(&site, &source, "Windows 10", "2").unwrap();
    let changes = PackageChanges {
        version: Some("1".into()),
        ..Default::default()
    };
    let error = package::set(&site, &second.id, &changes).unwrap_err();
    assert!(matches!(error, Error::Conflict(_)), "{error}");
    assert_eq!(package::get(&site, &second.id).unwrap().version, "2");
}

#[test]
fn bad_field_values_are_refused_naming_the_field() {
    let scratch = Scratch::new("fields");
    let source = make_source(&scratch.join("src"), &["--small-files", "3"]);
    let site = open_site(&scratch);
    let error = add(&site, &source, "  ", "1").unwrap_err();
    assert!(
        matches!(
            error,
            Error::InvalidArgument {
                argument: "name",
                ..
            }
        ),
        "{error}"
    );
    let long = "v".repeat(65);
    let error = add(&site, &source, "Windows", &long).unwrap_err();
    assert!(
        matches!(
            error,
            Error::InvalidArgument {
                argument: "version",
                ..
            }
        ),
        "{error}"
    );
    let error = add(&site, &source, "Win\u{7}dows", "1").unwrap_err();
    assert!(error.to_string().contains("control characters"), "{error}");
}

#[test]
fn removing_a_package_deletes_only_the_blobs_no_other_package_uses() {
    let scratch = Scratch::new("remove");
    let site_folder = scratch.join("site");
    let shared = make_source(&scratch.join("a"), &["--small-files", "20"]);
    let site = open_site(&scratch);
    let first = add(&site, &shared, "Windows 10", "1").unwrap();
    // The second source has the first's files plus one of its own.
    let other = scratch.join("b");
    fs::create_dir_all(&other).unwrap();
    for (relative, path) in files_below(&shared) {
        let target = other.join(&relative);
        fs::create_dir_all(target.parent().unwrap()).unwrap();
        fs::copy(path, target).unwrap();
    }
    fs::write(
        other.join("sources/only-in-b.dll"),
        b"unique to the second package",
    )
    .unwrap();
    let second = add(&site, &other, "Windows 10", "2").unwrap();
    let unique_hash = sha256_of(&other.join("sources/only-in-b.dll"));
    let blobs_with_both = library_blobs(&site_folder).len();

    lifecycle::remove_package(&site, &second.id).unwrap();
    assert_eq!(library_blobs(&site_folder).len(), blobs_with_both - 1);
    assert!(!site_folder
        .join("files")
        .join(&unique_hash[..2])
        .join(&unique_hash)
        .exists());
    assert_library_intact(&site_folder);
    assert!(matches!(
        package::get(&site, &second.id),
        Err(Error::NotFound { .. })
    ));

    lifecycle::remove_package(&site, &first.id).unwrap();
    assert!(library_blobs(&site_folder).is_empty());
    assert_eq!(site.info().unwrap().blob_count, 0);
}

#[test]
fn a_blob_lost_by_a_crash_during_collection_is_written_again_by_the_next_add() {
    let scratch = Scratch::new("crashgc");
    let site_folder = scratch.join("site");
    let source = make_source(&scratch.join("src"), &["--small-files", "5"]);
    let site = open_site(&scratch);
    let added = add(&site, &source, "Windows 10", "1").unwrap();
    lifecycle::remove_package(&site, &added.id).unwrap();
    // A collection that died after deleting files but before deleting their rows leaves
    // rows of unreferenced blobs with no files; put such a row back.
    let db = rusqlite::Connection::open(site_folder.join("site.db")).unwrap();
    let hash = sha256_of(&source.join("setup.exe"));
    db.execute("INSERT INTO blobs (sha256, size) VALUES (?1, 1)", [&hash])
        .unwrap();

    add(&site, &source, "Windows 10", "1").unwrap();
    assert!(site_folder
        .join("files")
        .join(&hash[..2])
        .join(&hash)
        .is_file());
    assert_library_intact(&site_folder);
}

#[test]
fn a_site_summary_reports_path_code_and_schema() {
    let scratch = Scratch::new("info");
    let site = Site::create(&scratch.join("site/site.db"), Some("lab")).unwrap();
    let info = site.info().unwrap();
    assert_eq!(info.site_code, "LAB");
    assert_eq!(info.schema_version, 10);
    assert_eq!(info.package_count, 0);
    assert!(info.database_path.ends_with("site.db"));
    assert!(Path::new(&info.library_path).is_dir());
    drop(site);
    // Opening the folder finds site.db in it; a different code for an existing site is refused.
    assert_eq!(
        Site::open(Some(&scratch.join("site")), None)
            .unwrap()
            .code(),
        "LAB"
    );
    let error = Site::open(Some(&scratch.join("site")), Some("OSU"))
        .err()
        .unwrap();
    assert!(matches!(error, Error::Conflict(_)), "{error}");
    let error = Site::create(&scratch.join("other"), Some("L-1"))
        .err()
        .unwrap();
    assert!(
        matches!(
            error,
            Error::InvalidArgument {
                argument: "site_code",
                ..
            }
        ),
        "{error}"
    );
    // The refused create left no site behind: the same folder takes a good code next.
    assert!(!scratch.join("other/site.db").exists());
    let site = Site::create(&scratch.join("other"), Some("LAB")).unwrap();
    assert_eq!(site.code(), "LAB");
}

#[test]
fn opening_a_path_without_a_site_is_not_found_and_creates_nothing() {
    let scratch = Scratch::new("typo");
    let typo = scratch.join("Lba");
    let error = Site::open(Some(&typo), None).err().unwrap();
    assert!(
        matches!(error, Error::NotFound { what: "site", .. }),
        "{error}"
    );
    assert!(error.to_string().contains("Lba"), "{error}");
    assert!(!typo.exists(), "opening created {}", typo.display());
    let site = Site::create(&typo, None).unwrap();
    drop(site);
    let error = Site::create(&typo, None).err().unwrap();
    assert!(matches!(error, Error::Conflict(_)), "{error}");
    assert!(Site::open(Some(&typo), None).is_ok());
}

#[test]
fn the_embedded_default_site_follows_osupgrade_site() {
    // Only this test touches the environment variable.
    let scratch = Scratch::new("default");
    std::env::set_var("OSUPGRADE_SITE", scratch.join("default-site.db"));
    let site = Site::open(None, None).unwrap();
    std::env::remove_var("OSUPGRADE_SITE");
    assert_eq!(site.database_path(), scratch.join("default-site.db"));
    assert!(scratch.join("default-site.db").is_file());
}

/// Run as a child process by `two_processes_adding_at_once_both_succeed`.
#[test]
#[ignore = "run as a child process by another test"]
fn child_process_adds_a_package() {
    let site_path = std::env::var("OSU_CHILD_SITE").unwrap();
    let source = std::env::var("OSU_CHILD_SOURCE").unwrap();
    let name = std::env::var("OSU_CHILD_NAME").unwrap();
    // Both children create the site, as two admins' first commands would; one of them finds
    // that the other made it first.
    let site = match Site::create(Path::new(&site_path), None) {
        Err(Error::Conflict(_)) => Site::open(Some(Path::new(&site_path)), None),
        created => created,
    };
    match site.and_then(|site| add(&site, Path::new(&source), &name, "1")) {
        Ok(added) => println!("ADDED {}", added.id),
        Err(error) => {
            println!("REFUSED {:?}: {error}", error.kind());
            std::process::exit(1);
        }
    }
}

/// `command` (this test program, or what runs it) made to add `source` as `name` in a child
/// process, through `child_process_adds_a_package`.
fn adding_in_child<'c>(
    command: &'c mut Command,
    site_folder: &Path,
    source: &Path,
    name: &str,
) -> &'c mut Command {
    command
        .args([
            "--exact",
            "child_process_adds_a_package",
            "--ignored",
            "--nocapture",
        ])
        .env("OSU_CHILD_SITE", site_folder)
        .env("OSU_CHILD_SOURCE", source)
        .env("OSU_CHILD_NAME", name)
}

#[test]
fn two_processes_adding_at_once_both_succeed_with_distinct_ids() {
    let scratch = Scratch::new("twoprocs");
    let site_folder = scratch.join("site");
    let a = make_source(&scratch.join("a"), &["--small-files", "200"]);
    let b = make_source(&scratch.join("b"), &["--small-files", "200"]);
    // Neither finds the site: both create it, as two admins' first commands would.
    let spawn = |source: &Path, name: &str| {
        adding_in_child(
            &mut Command::new(std::env::current_exe().unwrap()),
            &site_folder,
            source,
            name,
        )
        .output()
        .unwrap()
    };
    let (first, second) = std::thread::scope(|s| {
        let first = s.spawn(|| spawn(&a, "Windows 10 A"));
        let second = s.spawn(|| spawn(&b, "Windows 10 B"));
        (first.join().unwrap(), second.join().unwrap())
    });
    let id_of = |output: &std::process::Output| -> String {
        let text = String::from_utf8_lossy(&output.stdout);
        assert!(
            output.status.success(),
            "{text}{}",
            String::from_utf8_lossy(&output.stderr)
        );
        text.lines()
            .find_map(|l| l.strip_prefix("ADDED "))
            .unwrap()
            .to_string()
    };
    let (first_id, second_id) = (id_of(&first), id_of(&second));
    assert_ne!(first_id, second_id);
    let site = Site::open(Some(&site_folder), None).unwrap();
    assert_eq!(package::list(&site, None).unwrap().len(), 2);
    assert!(assert_library_intact(&site_folder) > 400);
}

/// Run as a child process by the kill tests: adds (or, with OSU_CHILD_RELOAD, reloads) and is
/// killed on the way.
#[test]
#[ignore = "run as a child process by another test"]
fn child_process_imports_until_killed() {
    let site = Site::open(
        Some(Path::new(&std::env::var("OSU_CHILD_SITE").unwrap())),
        None,
    )
    .unwrap();
    let source = std::env::var("OSU_CHILD_SOURCE").unwrap();
    let _ = match std::env::var("OSU_CHILD_RELOAD") {
        Ok(id) => package::reload_content(&site, &id, &mut ignore_progress),
        Err(_) => add(&site, Path::new(&source), "Killed", "1"),
    };
}

/// Starts an import in a child process and kills it (SIGKILL) once it has staged content.
fn kill_an_import(scratch: &Scratch, source: &Path, reload: Option<&str>) {
    let mut command = Command::new(std::env::current_exe().unwrap());
    command
        .args(["--exact", "child_process_imports_until_killed", "--ignored"])
        .stdout(std::process::Stdio::null())
        .env("OSU_CHILD_SITE", scratch.join("site"))
        .env("OSU_CHILD_SOURCE", source);
    if let Some(id) = reload {
        command.env("OSU_CHILD_RELOAD", id);
    }
    let mut child = command.spawn().unwrap();
    let staging = scratch.join("site/files/.staging");
    let started = std::time::Instant::now();
    while files_below_or_none(&staging) < 20 && started.elapsed().as_secs() < 60 {
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
    child.kill().unwrap();
    child.wait().unwrap();
}

/// How many files are below `folder` now (none if it is not there): the walk passes over a
/// folder that goes while it is walked, as the staging folders of a live import do.
fn files_below_or_none(folder: &Path) -> usize {
    let mut count = 0;
    let mut folders = vec![folder.to_path_buf()];
    while let Some(next) = folders.pop() {
        let Ok(entries) = fs::read_dir(&next) else {
            continue;
        };
        for entry in entries.flatten() {
            if entry.file_type().is_ok_and(|kind| kind.is_dir()) {
                folders.push(entry.path());
            } else {
                count += 1;
            }
        }
    }
    count
}

#[test]
fn a_killed_add_leaves_nothing_once_the_library_is_next_written() {
    let scratch = Scratch::new("killedadd");
    let big = make_source(
        &scratch.join("big"),
        &["--small-files", "800", "--small-kib", "64"],
    );
    let small = make_source(&scratch.join("small"), &["--small-files", "5"]);
    drop(open_site(&scratch));
    kill_an_import(&scratch, &big, None);
    assert!(
        files_below_or_none(&scratch.join("site/files/.staging")) > 1,
        "the child was killed before it staged anything"
    );
    let site = open_site(&scratch);
    let added = add(&site, &small, "Windows 10", "1").unwrap();
    assert_eq!(added.id, "OSU00001", "the killed add used up an ID");
    let db = rusqlite::Connection::open(scratch.join("site/site.db")).unwrap();
    let importing: i64 = db
        .query_row(
            "SELECT count(*) FROM packages WHERE state <> 'ready'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(
        importing, 0,
        "the killed add's records are still in the site"
    );
    assert!(
        staging_is_empty(&scratch.join("site")),
        "the killed add's files are still staged"
    );
    assert_eq!(package::list(&site, None).unwrap().len(), 1);
    assert_library_intact(&scratch.join("site"));
    // No shard folder is left empty.
    for (_, path) in files_below(&scratch.join("site/files")) {
        assert!(path.is_file());
    }
    let shards = fs::read_dir(scratch.join("site/files")).unwrap();
    for shard in shards.flatten().filter(|s| s.file_name() != ".staging") {
        assert!(
            fs::read_dir(shard.path()).unwrap().next().is_some(),
            "{:?} is empty",
            shard.path()
        );
    }
}

#[test]
fn a_killed_reload_leaves_no_rows_and_the_next_reload_works() {
    let scratch = Scratch::new("killedreload");
    let source = make_source(
        &scratch.join("src"),
        &["--small-files", "800", "--small-kib", "64"],
    );
    let site = open_site(&scratch);
    let added = add(&site, &source, "Windows 10", "1").unwrap();
    fs::write(source.join("sources/new.cab"), vec![9u8; 1 << 20]).unwrap();
    for (_, path) in files_below(&source.join("sources")).iter().take(300) {
        fs::write(path, b"changed").unwrap();
    }
    kill_an_import(&scratch, &source, Some(&added.id));
    let reloaded = package::reload_content(&site, &added.id, &mut ignore_progress).unwrap();
    assert_eq!(reloaded.content_version, 2);
    assert!(staging_is_empty(&scratch.join("site")));
    assert_library_intact(&scratch.join("site"));
}

#[test]
fn the_previous_content_version_is_kept_and_older_ones_go() {
    let (scratch, source, site) = small_source_and_site("retained");
    let id = add(&site, &source, "Windows 10", "1").unwrap().id;
    let versions = |site_folder: &Path| -> Vec<(i64, String)> {
        let db = rusqlite::Connection::open(site_folder.join("site.db")).unwrap();
        let mut statement = db
            .prepare("SELECT number, state FROM content_versions ORDER BY number")
            .unwrap();
        let rows = statement
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        rows
    };
    for change in 1..=3 {
        fs::write(source.join("sources/ei.cfg"), format!("change {change}")).unwrap();
        package::reload_content(&site, &id, &mut ignore_progress).unwrap();
    }
    assert_eq!(
        versions(&scratch.join("site")),
        vec![(3, "retired".to_string()), (4, "ready".to_string())]
    );
    // The retired version's content stays in the library; the older ones' is collected.
    let retired_blob = sha256_of_text("change 2");
    let dropped_blob = sha256_of_text("change 1");
    let blob = |hash: &str| scratch.join("site/files").join(&hash[..2]).join(hash);
    assert!(blob(&retired_blob).is_file());
    assert!(!blob(&dropped_blob).exists());

    // The count is the site's to set.
    assert_eq!(site.info().unwrap().retained_content_versions, 1);
    site.set_retained_content_versions(2).unwrap();
    assert!(matches!(
        site.set_retained_content_versions(101),
        Err(Error::InvalidArgument { .. })
    ));
    for change in 4..=6 {
        fs::write(source.join("sources/ei.cfg"), format!("change {change}")).unwrap();
        package::reload_content(&site, &id, &mut ignore_progress).unwrap();
    }
    assert_eq!(
        versions(&scratch.join("site")),
        vec![
            (5, "retired".to_string()),
            (6, "retired".to_string()),
            (7, "ready".to_string())
        ]
    );
    // As an admin lists them: every version, newest first, with what holds each.
    let point = scratch.join("points/DP1");
    osupgrade::distribution::add_point(&site, "DP1", point.to_str().unwrap(), "").unwrap();
    distribute(&site, &id, &["DP1"]);
    let listed: Vec<(i64, &str, String, Vec<String>)> = package::content_versions(&site, &id)
        .unwrap()
        .into_iter()
        .map(|v| (v.number, v.state.name(), v.origin, v.distribution_points))
        .collect();
    let reloaded = || "reloaded".to_string();
    assert_eq!(
        listed,
        vec![
            (7, "Current", reloaded(), vec!["DP1".to_string()]),
            (6, "Retained", reloaded(), vec![]),
            (5, "Retained", reloaded(), vec![]),
            (4, "Collected", String::new(), vec![]),
            (3, "Collected", String::new(), vec![]),
            (2, "Collected", String::new(), vec![]),
            (1, "Collected", String::new(), vec![]),
        ]
    );
    let current = &package::content_versions(&site, &id).unwrap()[0];
    assert_eq!(current.size, package::get(&site, &id).unwrap().size);
    assert_eq!(
        package::content_versions(&site, "OSU99999")
            .unwrap_err()
            .kind(),
        osupgrade::ErrorKind::NotFound
    );
}

fn sha256_of_text(text: &str) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[test]
fn a_relative_source_path_is_recorded_absolute() {
    let scratch = Scratch::new("relative");
    make_source(&scratch.join("src"), &["--small-files", "3"]);
    let site = open_site(&scratch);
    std::env::set_current_dir(&scratch.0).unwrap();
    let added = add(&site, Path::new("src"), "Windows 10", "1").unwrap();
    assert_eq!(Path::new(&added.source_path), scratch.join("src"));
}

#[test]
fn empty_ids_and_source_paths_are_invalid_arguments() {
    let scratch = Scratch::new("empty");
    let site = open_site(&scratch);
    for result in [
        package::get(&site, "").map(drop),
        add(&site, Path::new(""), "Windows 10", "1").map(drop),
        package::set(&site, "", &Default::default()).map(drop),
        lifecycle::remove_package(&site, ""),
    ] {
        let error = result.unwrap_err();
        assert!(matches!(error, Error::InvalidArgument { .. }), "{error}");
    }
}

#[test]
fn names_that_differ_only_in_letter_case_are_refused_naming_both() {
    let scratch = Scratch::new("casenames");
    let source = make_source(&scratch.join("src"), &["--small-files", "3"]);
    fs::write(source.join("sources/Readme.txt"), b"a").unwrap();
    fs::write(source.join("sources/README.TXT"), b"b").unwrap();
    let site = open_site(&scratch);
    let error = add(&site, &source, "Windows 10", "1").unwrap_err();
    let message = error.to_string();
    assert!(matches!(error, Error::InvalidArgument { .. }), "{message}");
    assert!(
        message.contains("sources/Readme.txt") && message.contains("sources/README.TXT"),
        "{message}"
    );
    assert_nothing_recorded(&site, &scratch);
}

#[test]
fn a_conflict_names_the_stored_name_and_version() {
    let scratch = Scratch::new("conflictspelling");
    let source = make_source(&scratch.join("src"), &["--small-files", "3"]);
    let site = open_site(&scratch);
    add(&site, &source, "Windows 10 Enterprise", "22H2").unwrap();
    let error = add(&site, &source, "WINDOWS 10 enterprise", "22h2").unwrap_err();
    assert!(
        error
            .to_string()
            .contains("Name 'Windows 10 Enterprise' and Version '22H2'"),
        "{error}"
    );
}

#[test]
fn a_live_sites_staging_survives_another_sites_cleanup_however_old() {
    let scratch = Scratch::new("livestaging");
    let a = make_source(&scratch.join("a"), &["--small-files", "3"]);
    let b = make_source(&scratch.join("b"), &["--small-files", "3"]);
    let first = open_site(&scratch);
    add(&first, &a, "First", "1").unwrap();
    let staging = scratch.join("site/files/.staging");
    let owned: Vec<_> = fs::read_dir(&staging)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    assert_eq!(owned.len(), 1, "{owned:?}");
    let two_days_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(2 * 86400);
    fs::File::open(&owned[0])
        .unwrap()
        .set_modified(two_days_ago)
        .unwrap();

    let second = open_site(&scratch);
    add(&second, &b, "Second", "1").unwrap();
    assert!(
        owned[0].is_dir(),
        "another site's cleanup removed a live staging folder"
    );
    fs::write(a.join("sources/new.cab"), b"more").unwrap();
    add(&first, &a, "First again", "1").unwrap();
}

#[test]
fn root_refuses_a_site_that_others_may_change() {
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } != 0 {
        eprintln!("skipped: only a process run as root checks who may change its site");
        return;
    }
    use std::os::unix::fs::{chown, PermissionsExt};
    let scratch = Scratch::new("untrusted");
    let folder = scratch.join("site");
    drop(Site::create(&folder, None).unwrap());
    let database = folder.join("site.db");
    let refused = |what: &str| {
        let error = Site::open(Some(&folder), None)
            .err()
            .unwrap_or_else(|| panic!("{what}: opened"));
        assert_eq!(
            error.kind(),
            osupgrade::ErrorKind::AccessDenied,
            "{what}: {error}"
        );
        error.to_string()
    };
    fs::set_permissions(&folder, fs::Permissions::from_mode(0o777)).unwrap();
    let said = refused("a folder anyone may write");
    assert!(
        said.contains("with mode 777") && said.contains("chmod go-w"),
        "{said}"
    );
    fs::set_permissions(&folder, fs::Permissions::from_mode(0o755)).unwrap();
    fs::set_permissions(&database, fs::Permissions::from_mode(0o664)).unwrap();
    refused("a database its group may write");
    fs::set_permissions(&database, fs::Permissions::from_mode(0o644)).unwrap();
    chown(&database, Some(1000), None).unwrap();
    let said = refused("a database another user owns");
    assert!(said.contains("owned by uid 1000"), "{said}");
    chown(&database, Some(0), None).unwrap();
    Site::open(Some(&folder), None).unwrap();
    // Nor is a site created in a folder anyone may write.
    let shared = scratch.join("shared");
    fs::create_dir(&shared).unwrap();
    fs::set_permissions(&shared, fs::Permissions::from_mode(0o777)).unwrap();
    let error = Site::create(&shared, None).err().unwrap();
    assert_eq!(error.kind(), osupgrade::ErrorKind::AccessDenied, "{error}");
    assert!(!shared.join("site.db").exists());
}

#[test]
fn names_windows_cannot_hold_are_refused_naming_the_file_and_nothing_is_kept() {
    use std::os::unix::ffi::OsStrExt;
    let scratch = Scratch::new("hostile-names");
    let clean = make_source(&scratch.join("clean"), &["--small-files", "3"]);
    let site = open_site(&scratch);
    let twins = "differ only in letter case or Unicode form";
    let hostile: [(&std::ffi::OsStr, &str); 13] = [
        ("CON".as_ref(), "reserves it for a device"),
        ("nul.txt".as_ref(), "reserves it for a device"),
        ("COM1".as_ref(), "reserves it for a device"),
        ("trailing.".as_ref(), "ends with a dot or a space"),
        ("trailing ".as_ref(), "ends with a dot or a space"),
        ("a:b".as_ref(), "one of < > :"),
        ("what?".as_ref(), "one of < > :"),
        ("tab\there".as_ref(), "a control character"),
        ("LPT9.log".as_ref(), "reserves it for a device"),
        (
            std::ffi::OsStr::from_bytes(b"not-utf8-\xff"),
            "not valid Unicode",
        ),
        // Beside sources/install.wim and sources/Caf\u{e9}.txt.
        ("INSTALL.wim".as_ref(), twins),
        ("Cafe\u{301}.txt".as_ref(), twins),
        ("CAF\u{c9}.TXT".as_ref(), twins),
    ];
    for (number, (name, reason)) in hostile.iter().enumerate() {
        let source = scratch.join(&format!("hostile-{number}"));
        copy_tree(&clean, &source);
        fs::write(source.join("sources/Caf\u{e9}.txt"), b"one name").unwrap();
        fs::write(source.join("sources").join(name), b"hostile").unwrap();
        let new = NewPackage {
            source_path: &source,
            name: "Hostile",
            version: &number.to_string(),
            comment: "",
        };
        let error = package::add(&site, &new, &mut ignore_progress).unwrap_err();
        let said = error.to_string();
        assert_eq!(
            error.kind(),
            osupgrade::ErrorKind::InvalidArgument,
            "{said}"
        );
        assert!(said.contains(reason), "{name:?}: {said}");
        assert!(
            said.contains("sources/"),
            "{name:?}: the message names the file: {said}"
        );
    }
    assert!(package::list(&site, None).unwrap().is_empty());
    assert_eq!(
        library_blobs(&scratch.join("site")).len(),
        0,
        "a refused add kept content"
    );
}

#[test]
fn a_full_library_refuses_the_add_as_disk_full_keeps_the_site_whole_and_the_next_add_succeeds() {
    let scratch = Scratch::new("full-library");
    let small = make_source(&scratch.join("small"), &["--small-files", "5"]);
    let big = make_source(
        &scratch.join("big"),
        &["--small-files", "5", "--image-mib", "48"],
    );
    let disk = scratch.join("disk");
    let Some(_unmount) = mount_tmpfs(&disk, "32m") else {
        eprintln!("skipped: mounting a tmpfs needs root");
        return;
    };
    let folder = disk.join("site");
    let site = Site::create(&folder, None).unwrap();
    let first = add(&site, &small, "Small", "1").unwrap();
    let error = add(&site, &big, "Too big", "1").unwrap_err();
    assert_eq!(error.kind(), osupgrade::ErrorKind::DiskFull, "{error}");
    let db = rusqlite::Connection::open(folder.join("site.db")).unwrap();
    let check: String = db
        .query_row("PRAGMA integrity_check", [], |row| row.get(0))
        .unwrap();
    assert_eq!(check, "ok");
    assert_library_intact(&folder);
    assert_eq!(
        package::list(&site, None).unwrap(),
        std::slice::from_ref(&first)
    );
    // Once there is room again (the first package goes), the add succeeds.
    lifecycle::remove_package(&site, &first.id).unwrap();
    let added = add(&site, &small, "Small again", "1").unwrap();
    assert_eq!(added.content_version, 1);
    assert_library_intact(&folder);
}

#[test]
fn a_source_file_that_cannot_be_read_fails_the_add_naming_it_and_keeps_nothing() {
    let (scratch, source, site) = small_source_and_site("read-error");
    // A file that opens but answers every read with an error, as a failing disk does: a
    // device attribute bound over a file of the source.
    let unreadable = source.join("sources/unreadable.cab");
    fs::write(&unreadable, b"").unwrap();
    let Some(unmount) = bind_mount(Path::new("/sys/class/net/lo/speed"), &unreadable) else {
        eprintln!("skipped: a bind mount needs root");
        return;
    };
    let error = add(&site, &source, "Unreadable", "1").unwrap_err();
    let said = error.to_string();
    assert_eq!(error.kind(), osupgrade::ErrorKind::Io, "{said}");
    assert!(said.contains("sources/unreadable.cab"), "{said}");
    assert_nothing_recorded(&site, &scratch);
    // Once the file reads again, the add succeeds.
    drop(unmount);
    assert_eq!(
        add(&site, &source, "Unreadable", "1").unwrap().id,
        "OSU00001"
    );
    assert_library_intact(&scratch.join("site"));
}

#[test]
fn a_source_file_that_changes_while_it_is_read_fails_the_add_naming_it_and_keeps_nothing() {
    let scratch = Scratch::new("changing-source");
    let source = make_source(
        &scratch.join("src"),
        &["--small-files", "20", "--image-mib", "24"],
    );
    let site = open_site(&scratch);
    let image = source.join("sources/install.wim");
    // Something keeps writing to the image (a copy still under way) while the add reads it.
    let done = std::sync::atomic::AtomicBool::new(false);
    let outcome = std::thread::scope(|scope| {
        scope.spawn(|| {
            let mut file = fs::OpenOptions::new().append(true).open(&image).unwrap();
            while !done.load(std::sync::atomic::Ordering::Relaxed) {
                std::io::Write::write_all(&mut file, b"still copying").unwrap();
                std::thread::sleep(std::time::Duration::from_millis(1));
            }
        });
        let outcome = add(&site, &source, "Changing", "1");
        done.store(true, std::sync::atomic::Ordering::Relaxed);
        outcome
    });
    let said = outcome.unwrap_err().to_string();
    assert!(
        said.contains("sources/install.wim") && said.contains("changed while"),
        "{said}"
    );
    assert_nothing_recorded(&site, &scratch);
    // Once the copy is over, the add succeeds.
    add(&site, &source, "Changing", "1").unwrap();
    assert_library_intact(&scratch.join("site"));
}

#[test]
fn a_source_file_the_runner_may_not_read_is_access_denied_naming_it_and_keeps_nothing() {
    use std::os::unix::fs::PermissionsExt;
    let (scratch, source, site) = small_source_and_site("access-denied");
    let closed = source.join("sources/closed.cab");
    fs::write(&closed, b"no one may read this").unwrap();
    fs::set_permissions(&closed, fs::Permissions::from_mode(0o000)).unwrap();
    // Root reads any file; a runner without CAP_DAC_OVERRIDE (a confined service) does not.
    let confined = || {
        let mut setpriv = Command::new("setpriv");
        setpriv
            .args(["--bounding-set", "-dac_override,-dac_read_search"])
            .args(["--inh-caps", "-dac_override,-dac_read_search"]);
        setpriv
    };
    let can_confine = confined()
        .arg("true")
        .status()
        .is_ok_and(|status| status.success());
    if !can_confine {
        eprintln!("skipped: setpriv cannot confine a child here (it needs root and setpriv)");
        return;
    }
    let mut setpriv = confined();
    setpriv.arg(std::env::current_exe().unwrap());
    let output = adding_in_child(&mut setpriv, &scratch.join("site"), &source, "Closed")
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(1),
        "the confined add did not fail"
    );
    let said = String::from_utf8_lossy(&output.stdout);
    assert!(said.contains("REFUSED AccessDenied"), "{said}");
    assert!(said.contains("sources/closed.cab"), "{said}");
    assert_nothing_recorded(&site, &scratch);
    fs::set_permissions(&closed, fs::Permissions::from_mode(0o644)).unwrap();
    add(&site, &source, "Closed", "1").unwrap();
}

/// Run as a child process by another test: holds the site database's write lock (a
/// transaction begun, never finished) until its standard input closes.
#[test]
#[ignore = "run as a child process by another test"]
fn child_process_holds_the_site_database() {
    let db = rusqlite::Connection::open(std::env::var("OSU_CHILD_DB").unwrap()).unwrap();
    db.execute_batch("BEGIN EXCLUSIVE; UPDATE settings SET value = value;")
        .unwrap();
    println!("HELD");
    std::io::Write::flush(&mut std::io::stdout()).unwrap();
    let _ = std::io::Read::read_to_end(&mut std::io::stdin(), &mut Vec::new());
    db.execute_batch("COMMIT").unwrap();
}

#[test]
fn a_site_database_another_process_keeps_busy_refuses_the_add_as_busy_and_then_lets_it() {
    use std::io::BufRead;
    use std::process::Stdio;
    let (scratch, source, site) = small_source_and_site("busy-database");
    let mut holder = Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "child_process_holds_the_site_database",
            "--ignored",
            "--nocapture",
        ])
        .env("OSU_CHILD_DB", scratch.join("site/site.db"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = std::io::BufReader::new(holder.stdout.take().unwrap()).lines();
    assert!(
        lines.any(|line| line.is_ok_and(|l| l.contains("HELD"))),
        "the holder did not take the database"
    );
    // A second process's add waits out its (shortened) busy timeout and says why it stopped.
    let output = adding_in_child(
        &mut Command::new(std::env::current_exe().unwrap()),
        &scratch.join("site"),
        &source,
        "Busy",
    )
    .env("OSUPGRADE_TEST_BUSY_TIMEOUT_MS", "500")
    .output()
    .unwrap();
    let said = String::from_utf8_lossy(&output.stdout);
    assert!(said.contains("REFUSED Busy"), "{said}");
    assert!(
        said.contains("another process holds the site database"),
        "{said}"
    );
    drop(holder.stdin.take());
    lines.for_each(drop);
    assert!(holder.wait().unwrap().success());
    assert_nothing_recorded(&site, &scratch);
    let db = rusqlite::Connection::open(scratch.join("site/site.db")).unwrap();
    let check: String = db
        .query_row("PRAGMA integrity_check", [], |row| row.get(0))
        .unwrap();
    assert_eq!(check, "ok");
    assert_eq!(add(&site, &source, "Busy", "1").unwrap().id, "OSU00001");
}
