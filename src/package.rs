//! Operating-system upgrade packages: add from a Windows setup source folder, get, list, set,
//! remove.

use std::fs;
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::content::{SourceEntry, StageEvent, StagedBlob};
use crate::error::{Error, IoContext, Result};
use crate::image::{self, ImageInfo};
use crate::model::FileRecord;
pub use crate::model::{Package, PackageChanges};
use crate::progress::{Phase, Progress, ProgressFn};
use crate::site::Site;

/// Package numbers are five hex digits after the site code, as in ConfigMgr package IDs.
const LAST_PACKAGE_NUMBER: u32 = 0xF_FFFF;
/// Manifest rows are committed in batches of this many files, or after this long.
const BATCH_FILES: usize = 256;
const BATCH_AGE: Duration = Duration::from_millis(250);
/// Byte progress is reported at most this often.
const PROGRESS_INTERVAL: Duration = Duration::from_millis(100);

/// What `add` needs: the setup source folder and the General page's fields.
#[derive(Debug, Clone, Copy)]
pub struct NewPackage<'a> {
    pub source_path: &'a Path,
    pub name: &'a str,
    pub version: &'a str,
    pub comment: &'a str,
}

/// How many retired content versions a package keeps beside its current one, for points to be
/// validated against or rolled back to, unless the site's `retained_content_versions` says.
const RETAINED_CONTENT_VERSIONS: i64 = 1;

/// Adds an upgrade package: checks the source folder, reads its image metadata, hashes every
/// file into the content library and records the package as content version 1. The package
/// gets its ID when it is recorded; a failed or cancelled add records nothing, uses up no ID
/// and leaves no content behind.
pub fn add(site: &Site, new: &NewPackage<'_>, progress: &mut ProgressFn<'_>) -> Result<Package> {
    validate_fields(Some(new.name), Some(new.version), Some(new.comment))?;
    let source_folder = absolute_source(new.source_path)?;
    let source = read_source(&source_folder, progress)?;
    refuse_taken_name(site.db(), new.name, new.version, None)?;

    let importer = site.library().importer()?;
    let temporary = format!("~{importer}-{}", next_import_number());
    site.db().write(|db| {
        let source = source_folder.display().to_string();
        db.insert_importing_package(&temporary, new.name, new.version, new.comment, &source)?;
        db.insert_importing_version(&temporary, 1, "added", &importer)
    })?;
    let recorded = import_and_record(
        site,
        &temporary,
        1,
        &source.entries,
        progress,
        |db, totals| {
            refuse_taken_name(db, new.name, new.version, None)?;
            let id = take_package_id(db, site.code())?;
            db.give_package_id(&temporary, &id)?;
            db.insert_images(&id, 1, &source.images)?;
            db.mark_package_ready(&id, totals.0, totals.1)?;
            db.make_current(&id, 1, totals.0, totals.1, 0)?;
            Ok(id)
        },
    );
    match recorded {
        Ok(id) => get(site, &id),
        Err(error) => {
            abandon_import(site, &temporary, 1);
            Err(error)
        }
    }
}

fn next_import_number() -> u64 {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

fn take_package_id(db: &crate::db::Db, code: &str) -> Result<String> {
    let number = db.take_package_number()?;
    if number > LAST_PACKAGE_NUMBER {
        return Err(Error::Conflict(format!(
            "site {code} has used all its package IDs"
        )));
    }
    Ok(format!("{code}{number:05X}"))
}

/// Reads the package's source folder again (Configuration Manager's "reload from the original
/// source location") and, when its content changed, records it as the next content version,
/// which distribution points then get by redistribution. The version it replaces is kept as
/// retired (one, or the site's `retained_content_versions`); older ones go, and with them the
/// blobs only they used. An unchanged source changes nothing.
pub fn reload_content(site: &Site, id: &str, progress: &mut ProgressFn<'_>) -> Result<Package> {
    let current = get(site, id)?;
    let source = read_source(Path::new(&current.source_path), progress)?;
    let next = begin_import(site, id, "reloaded")?;
    let retained = retained_content_versions(site)?;
    let imported = import_and_record(site, id, next, &source.entries, progress, |db, totals| {
        if db.package_files(id, next)? == db.package_files(id, current.content_version)? {
            db.delete_content_version(id, next)?;
            return Ok(false);
        }
        db.insert_images(id, next, &source.images)?;
        db.make_current(id, next, totals.0, totals.1, retained)?;
        Ok(true)
    });
    match imported {
        Ok(changed) => {
            if changed {
                site.collect_garbage()?;
            }
            get(site, id)
        }
        Err(error) => {
            abandon_import(site, id, next);
            Err(error)
        }
    }
}

/// Records the next content version of a package as importing, owned by this library
/// instance. An import of the same package that another process is running refuses it
/// (busy); one whose process died is dropped first.
fn begin_import(site: &Site, id: &str, origin: &str) -> Result<i64> {
    let importer = site.library().importer()?;
    site.db().write(|db| {
        for running in db.importing_versions(Some(id))? {
            if site.library().importer_is_alive(&running.importer) {
                return Err(Error::Busy(format!(
                    "package {id} is being imported by another process (content version {})",
                    running.number
                )));
            }
            db.delete_content_version(id, running.number)?;
        }
        let next = db.last_content_version(id)? + 1;
        db.insert_importing_version(id, next, origin, &importer)?;
        Ok(next)
    })
}

fn retained_content_versions(site: &Site) -> Result<i64> {
    let setting = site.db().setting("retained_content_versions")?;
    Ok(setting
        .and_then(|value| value.parse::<i64>().ok())
        .filter(|count| *count >= 0)
        .unwrap_or(RETAINED_CONTENT_VERSIONS))
}

/// A source path as the package records it: absolute, so that a reload from another working
/// directory finds it.
fn absolute_source(path: &Path) -> Result<PathBuf> {
    if path.as_os_str().is_empty() {
        return Err(Error::invalid_argument(
            "source_path",
            "is empty: name a Windows setup source folder",
        ));
    }
    std::path::absolute(path).at(path)
}

pub fn get(site: &Site, id: &str) -> Result<Package> {
    site.db().require_package(id)
}

/// Lists packages whose name matches `name_pattern` (`*` and `?` wildcards, any letter case),
/// or all packages.
pub fn list(site: &Site, name_pattern: Option<&str>) -> Result<Vec<Package>> {
    let like = name_pattern.map(wildcard_to_like);
    site.db().packages(like.as_deref())
}

pub fn set(site: &Site, id: &str, changes: &PackageChanges) -> Result<Package> {
    validate_fields(
        changes.name.as_deref(),
        changes.version.as_deref(),
        changes.comment.as_deref(),
    )?;
    site.db().write(|db| {
        let current = db.require_package(id)?;
        let name = changes.name.as_deref().unwrap_or(&current.name);
        let version = changes.version.as_deref().unwrap_or(&current.version);
        refuse_taken_name(db, name, version, Some(id))?;
        db.update_package(id, changes)
    })?;
    get(site, id)
}

/// Removes a package's records, then the blobs no other package uses. Its content on
/// distribution points goes first: `lifecycle::remove_package` is the whole operation.
pub(crate) fn remove(site: &Site, id: &str) -> Result<()> {
    site.db()
        .write(|db| db.require_package(id).and_then(|_| db.delete_package(id)))?;
    site.collect_garbage().map(drop)
}

/// A setup source folder, checked, walked, and its images read.
struct SourceContent {
    entries: Vec<SourceEntry>,
    images: Vec<ImageInfo>,
}

fn read_source(folder: &Path, progress: &mut ProgressFn<'_>) -> Result<SourceContent> {
    let image_path = check_source_folder(folder)?;
    report(progress, Phase::Scanning, "", (0, 0), (0, 0))?;
    let entries = crate::content::scan_tree(folder)?;
    refuse_names_differing_in_case(folder, &entries)?;
    let image_name = display_relative(folder, &image_path);
    report(progress, Phase::ReadingImage, &image_name, (0, 0), (0, 0))?;
    let images = image::read_images(&image_path)?;
    Ok(SourceContent { entries, images })
}

/// Windows sees `Readme.txt` and `README.TXT` as one file: a package with both could not land
/// on a Windows distribution point (and a Windows setup source never has them).
fn refuse_names_differing_in_case(folder: &Path, entries: &[SourceEntry]) -> Result<()> {
    let mut seen = std::collections::HashMap::new();
    for entry in entries {
        if let Some(first) = seen.insert(entry.relative.to_lowercase(), &entry.relative) {
            return Err(Error::invalid_argument(
                "source_path",
                format!(
                    "{}: '{first}' and '{}' differ only in letter case, which Windows sees as one name",
                    folder.display(),
                    entry.relative
                ),
            ));
        }
    }
    Ok(())
}

/// Imports the files as `content_version`, then records what `record` writes in the same
/// transaction; `record` gets the (bytes, files) imported.
fn import_and_record<T>(
    site: &Site,
    id: &str,
    content_version: i64,
    entries: &[SourceEntry],
    progress: &mut ProgressFn<'_>,
    record: impl FnOnce(&crate::db::Db, (u64, u64)) -> Result<T>,
) -> Result<T> {
    let totals = import_content(site, id, content_version, entries, progress)?;
    let (bytes, files) = totals;
    report(
        progress,
        Phase::Recording,
        "",
        (bytes, bytes),
        (files, files),
    )?;
    site.db().write(|db| record(db, totals))
}

/// Checks the folder the way setup needs it and returns its install image.
fn check_source_folder(folder: &Path) -> Result<PathBuf> {
    let metadata = fs::metadata(folder).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => {
            Error::not_found("source folder", folder.display().to_string())
        }
        _ => Error::io(folder, e),
    })?;
    let reject = |reason: &str| {
        Err(Error::invalid_argument(
            "source_path",
            format!("{}: {reason}", folder.display()),
        ))
    };
    if !metadata.is_dir() {
        return reject("is a file, not a Windows setup source folder");
    }
    if find_child(folder, "setup.exe", false)?.is_none() {
        return reject("no setup.exe at the root of the folder");
    }
    let Some(sources) = find_child(folder, "sources", true)? else {
        return reject("no sources folder (with install.wim or install.esd) in it");
    };
    for image in ["install.wim", "install.esd"] {
        if let Some(path) = find_child(&sources, image, false)? {
            return Ok(path);
        }
    }
    reject("no sources/install.wim or sources/install.esd in it")
}

/// Finds a file or folder by name in any letter case, as Windows would.
fn find_child(folder: &Path, name: &str, want_folder: bool) -> Result<Option<PathBuf>> {
    for entry in fs::read_dir(folder).at(folder)? {
        let entry = entry.at(folder)?;
        let file_type = entry.file_type().at(entry.path())?;
        let fits = if want_folder {
            file_type.is_dir()
        } else {
            file_type.is_file()
        };
        if fits
            && entry
                .file_name()
                .to_string_lossy()
                .eq_ignore_ascii_case(name)
        {
            return Ok(Some(entry.path()));
        }
    }
    Ok(None)
}

/// Hashes the files into the library and records them as the manifest of `content_version`;
/// returns (bytes, files).
fn import_content(
    site: &Site,
    id: &str,
    content_version: i64,
    entries: &[SourceEntry],
    progress: &mut ProgressFn<'_>,
) -> Result<(u64, u64)> {
    // Whatever a killed import left behind goes before this one adds to the library.
    site.library().remove_abandoned_staging()?;
    let folders: Vec<FileRecord> = entries
        .iter()
        .filter(|e| e.is_folder)
        .map(|e| FileRecord {
            path: e.relative.clone(),
            sha256: None,
            size: 0,
        })
        .collect();
    site.db()
        .write(|db| db.insert_files(id, content_version, &folders))?;

    let files: Vec<&SourceEntry> = entries.iter().filter(|e| !e.is_folder).collect();
    let mut import = Import {
        site,
        id,
        content_version,
        files: &files,
        batch: Vec::new(),
        batch_started: Instant::now(),
        placed: Vec::new(),
    };
    let bytes_total: u64 = files.iter().map(|f| f.size).sum();
    let files_total = files.len() as u64;
    let (mut bytes_done, mut files_done) = (0u64, 0u64);
    let mut current = String::new();
    let mut last_report = Instant::now();
    let present_sizes = site.db().blob_sizes()?;
    site.library()
        .stage_files(&files, &present_sizes, &mut |event| {
            match event {
                StageEvent::Bytes(bytes) => {
                    bytes_done = (bytes_done + bytes).min(bytes_total);
                    if last_report.elapsed() < PROGRESS_INTERVAL {
                        return Ok(ControlFlow::Continue(()));
                    }
                }
                StageEvent::Staged(index, blob) => {
                    files_done += 1;
                    current.clone_from(&files[index].relative);
                    import.add(index, blob)?;
                }
            }
            last_report = Instant::now();
            Ok(progress(&Progress {
                phase: Phase::Importing,
                current_file: &current,
                bytes_done,
                bytes_total,
                files_done,
                files_total,
            }))
        })?;
    import.flush()?;
    site.library().make_durable(&import.placed)?;
    Ok((bytes_total, files_total))
}

/// Staged blobs waiting for their manifest rows to be committed.
struct Import<'a> {
    site: &'a Site,
    id: &'a str,
    content_version: i64,
    files: &'a [&'a SourceEntry],
    batch: Vec<(usize, StagedBlob)>,
    batch_started: Instant,
    placed: Vec<PathBuf>,
}

impl Import<'_> {
    fn add(&mut self, index: usize, blob: StagedBlob) -> Result<()> {
        if self.batch.is_empty() {
            self.batch_started = Instant::now();
        }
        self.batch.push((index, blob));
        if self.batch.len() >= BATCH_FILES || self.batch_started.elapsed() >= BATCH_AGE {
            self.flush()?;
        }
        Ok(())
    }

    /// Commits the references first, then moves the blobs into place: a blob is never in the
    /// library unreferenced while an import relies on it.
    fn flush(&mut self) -> Result<()> {
        let records: Vec<FileRecord> = self
            .batch
            .iter()
            .map(|(index, blob)| FileRecord {
                path: self.files[*index].relative.clone(),
                sha256: Some(blob.sha256.clone()),
                size: blob.size,
            })
            .collect();
        self.site
            .db()
            .write(|db| db.insert_files(self.id, self.content_version, &records))?;
        for (index, blob) in self.batch.drain(..) {
            let source = &self.files[index].path;
            if let Some(placed) = self.site.library().commit_blob(blob, source)? {
                self.placed.push(placed);
            }
        }
        Ok(())
    }
}

/// Deletes what a failed import recorded (the whole package when it was being added); the
/// blobs it brought are then unreferenced and go. The original failure is what the caller
/// reports, so failures here are left to the next collection.
fn abandon_import(site: &Site, id: &str, number: i64) {
    let dropped = site.db().write(|db| {
        if db.package_state(id)?.as_deref() == Some("importing") {
            db.delete_package(id).map(drop)
        } else {
            db.delete_content_version(id, number)
        }
    });
    if dropped.is_ok() {
        let _ = site.collect_garbage();
    }
}

fn refuse_taken_name(
    db: &crate::db::Db,
    name: &str,
    version: &str,
    except: Option<&str>,
) -> Result<()> {
    match db.name_and_version_taken(name, version, except)? {
        Some((other, name, version)) => Err(Error::Conflict(format!(
            "package {other} already has Name '{name}' and Version '{version}'"
        ))),
        None => Ok(()),
    }
}

fn validate_fields(name: Option<&str>, version: Option<&str>, comment: Option<&str>) -> Result<()> {
    if let Some(name) = name {
        if name.trim().is_empty() {
            return Err(Error::invalid_argument("name", "a package needs a name"));
        }
    }
    let limits = [
        ("name", name, 255),
        ("version", version, 64),
        ("comment", comment, 4096),
    ];
    for (argument, value, limit) in limits {
        let Some(value) = value else { continue };
        if value.chars().count() > limit {
            return Err(Error::invalid_argument(
                argument,
                format!("longer than {limit} characters"),
            ));
        }
        if value
            .chars()
            .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
        {
            return Err(Error::invalid_argument(
                argument,
                "contains control characters",
            ));
        }
    }
    Ok(())
}

/// `*` and `?` become LIKE's `%` and `_`; LIKE's own wildcards are matched literally.
fn wildcard_to_like(pattern: &str) -> String {
    let mut like = String::with_capacity(pattern.len());
    for c in pattern.chars() {
        match c {
            '*' => like.push('%'),
            '?' => like.push('_'),
            '%' | '_' | '\\' => {
                like.push('\\');
                like.push(c);
            }
            c => like.push(c),
        }
    }
    like
}

fn display_relative(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/")
}

fn report(
    progress: &mut ProgressFn<'_>,
    phase: Phase,
    current_file: &str,
    bytes: (u64, u64),
    files: (u64, u64),
) -> Result<()> {
    let flow = progress(&Progress {
        phase,
        current_file,
        bytes_done: bytes.0,
        bytes_total: bytes.1,
        files_done: files.0,
        files_total: files.1,
    });
    match flow {
        ControlFlow::Continue(()) => Ok(()),
        ControlFlow::Break(()) => Err(Error::Cancelled),
    }
}
