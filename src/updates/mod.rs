//! The software-update catalog: update files (`.msu`, `.cab`) in the content library with what
//! servicing needs to know of them; what each package's images hold; and which updates apply.

mod applicability;
mod describe;
pub(crate) mod image;
mod manifest;

use std::collections::{HashMap, HashSet};
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};

use crate::content::{BlobFile, SourceEntry, StageEvent, StagedBlob};
use crate::error::{Error, Result};
pub use crate::model::{
    ApplicableUpdate, AppliedUpdate, NotApplicableUpdate, Update, UpdateClassification,
};
use crate::progress::{Operation, Phase, Progress, ProgressFn, Throttle};
use crate::site::Site;
pub use applicability::{applicable, check_selection, not_applicable};
pub(crate) use applicability::{
    build_number, fits_build, still_applicable, targets, Target, Verdict,
};
use describe::{check_cabinet, describe, read_catalog, Description};
use manifest::{check_against_manifest, read_package_manifest};

/// Imports update files into the catalog: each path is an `.msu` or `.cab` file, or a folder
/// whose `.msu` and `.cab` files (at any depth) are taken. What each update is comes from its
/// entry in `catalog_path` (a JSON catalog file, see the README) or else from its file name.
/// All or nothing: a file that is no cabinet, or whose KB, architecture or Windows version
/// cannot be told, refuses the whole call and nothing is kept. An update already in the catalog
/// with the same content is returned as it is; with other content it is a conflict.
pub fn import(
    site: &Site,
    paths: &[&Path],
    catalog_path: Option<&Path>,
    progress: &mut ProgressFn<'_>,
) -> Result<Vec<Update>> {
    let _log = site.log_scope();
    let imported = import_logged(site, paths, catalog_path, progress);
    let imported = crate::logging::failure("updates", "importing updates", imported)?;
    for update in &imported {
        log::info!(
            target: "updates",
            "{}: {} ({}, {}, {} bytes)",
            update.id,
            update.title,
            update.classification.name(),
            update.file_name,
            update.size
        );
    }
    Ok(imported)
}

fn import_logged(
    site: &Site,
    paths: &[&Path],
    catalog_path: Option<&Path>,
    progress: &mut ProgressFn<'_>,
) -> Result<Vec<Update>> {
    if paths.is_empty() {
        return Err(Error::invalid_argument(
            "paths",
            "name at least one update file or folder",
        ));
    }
    let catalog = catalog_path
        .map(read_catalog)
        .transpose()?
        .unwrap_or_default();
    let files = update_files(paths)?;
    // Of this call alone: two imports may run at once, in one process or several.
    static CALLS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let call = CALLS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let scratch = site
        .folder()
        .join(format!("import-{}-{call}", std::process::id()));
    let mut described = Vec::new();
    for file in &files {
        check_cabinet(&file.path)?;
        let entry = catalog.get(&file.relative.to_lowercase());
        let mut description = describe(&file.path, entry)?;
        let manifest = read_package_manifest(&file.path, &scratch)?;
        let classified = entry.is_some_and(|e| e.classification.is_some());
        check_against_manifest(&file.path, &mut description, &manifest, classified)?;
        described.push(description);
    }
    refuse_twins(&files, &described)?;
    let staged = stage(site, &files, progress)?;
    record(site, &files, described, staged)
}

/// The update files the paths name; `relative` is each file's name.
fn update_files(paths: &[&Path]) -> Result<Vec<SourceEntry>> {
    let mut files = Vec::new();
    for path in paths {
        let metadata = std::fs::metadata(path).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => {
                Error::not_found("update file", path.display().to_string())
            }
            _ => Error::io(path, e),
        })?;
        if metadata.is_file() {
            files.push(SourceEntry {
                size: metadata.len(),
                modified: metadata.modified().ok(),
                ..entry_for(path)
            });
            continue;
        }
        let before = files.len();
        for entry in crate::content::scan_tree(path)? {
            let lower = entry.relative.to_lowercase();
            if !entry.is_folder && (lower.ends_with(".msu") || lower.ends_with(".cab")) {
                files.push(SourceEntry {
                    relative: entry_for(&entry.path).relative,
                    ..entry
                });
            }
        }
        if files.len() == before {
            return Err(Error::invalid_argument(
                "paths",
                format!("{}: the folder holds no .msu or .cab files", path.display()),
            ));
        }
    }
    Ok(files)
}

/// An update file's entry, named by its file name.
fn entry_for(path: &Path) -> SourceEntry {
    SourceEntry {
        relative: path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        path: path.to_path_buf(),
        is_folder: false,
        size: 0,
        modified: None,
    }
}

/// Two files of one call that claim the same update.
fn refuse_twins(files: &[SourceEntry], described: &[Description]) -> Result<()> {
    let mut seen: HashMap<String, &Path> = HashMap::new();
    for (file, description) in files.iter().zip(described) {
        let id = update_id(description);
        if let Some(first) = seen.insert(id.clone(), &file.path) {
            if first != file.path {
                return Err(Error::invalid_argument(
                    "paths",
                    format!(
                        "{} and {} are both {id}",
                        first.display(),
                        file.path.display()
                    ),
                ));
            }
        }
    }
    Ok(())
}

fn update_id(description: &Description) -> String {
    format!("{}-{}", description.kb, description.architecture)
}

/// Hashes the files into the library's staging area, in the order given.
fn stage(
    site: &Site,
    files: &[SourceEntry],
    progress: &mut ProgressFn<'_>,
) -> Result<Vec<StagedBlob>> {
    let refs: Vec<&SourceEntry> = files.iter().collect();
    let bytes_total: u64 = files.iter().map(|f| f.size).sum();
    let mut staged: Vec<Option<StagedBlob>> = files.iter().map(|_| None).collect();
    let (mut bytes_done, mut files_done) = (0u64, 0u64);
    let mut throttle = Throttle::default();
    let present = site.present_blobs()?;
    // An update has no earlier version to share chunks with: each is kept whole.
    site.library()
        .stage_files(&refs, &[], &present, &mut |event| {
            let mut current = "";
            match event {
                StageEvent::Bytes(bytes) => bytes_done = (bytes_done + bytes).min(bytes_total),
                StageEvent::Staged(index, blob) => {
                    files_done += 1;
                    current = &files[index].relative;
                    staged[index] = Some(blob);
                }
            }
            if throttle.due(files_done == files.len() as u64) {
                let report = Progress {
                    current_file: current,
                    bytes_done,
                    bytes_total,
                    files_done,
                    files_total: files.len() as u64,
                    ..Progress::new(Operation::ImportUpdates, Phase::Importing)
                };
                if progress(&report).is_break() {
                    return Err(Error::Cancelled);
                }
            }
            Ok(ControlFlow::Continue(()))
        })?;
    Ok(staged.into_iter().flatten().collect())
}

/// Records the new updates as importing, puts their blobs in place, then makes them ready.
fn record(
    site: &Site,
    files: &[SourceEntry],
    described: Vec<Description>,
    staged: Vec<StagedBlob>,
) -> Result<Vec<Update>> {
    let importer = site.library().importer()?;
    site.collect_garbage()?;
    let mut fresh = Vec::new();
    let mut ids = Vec::new();
    let mut to_place = Vec::new();
    site.db().write(|db| {
        for ((file, description), blob) in files.iter().zip(described).zip(staged) {
            let id = update_id(&description);
            if ids.contains(&id) {
                // The same file named twice (a folder and a file in it): one update.
                continue;
            }
            ids.push(id.clone());
            match db.update_record(&id)? {
                Some((sha256, _)) if sha256 == blob.sha256 => continue,
                Some(_) => {
                    return Err(Error::Conflict(format!(
                    "{}: update {id} is in the catalog already with other content; remove it first",
                    file.path.display()
                )))
                }
                None => {}
            }
            let update = new_update(id.clone(), description, file, &blob);
            db.insert_importing_update(&update, &importer)?;
            let chunks = blob.chunks_to_record(site.library());
            if let Some(chunks) = &chunks {
                db.insert_blob_chunks(&blob.sha256, chunks)?;
            }
            fresh.push(id);
            to_place.push((blob, file.path.clone(), chunks.is_some()));
        }
        Ok(())
    })?;
    let placed = place_blobs(site, to_place);
    let made_ready = placed.and_then(|placed| {
        site.library().make_durable(&placed)?;
        site.db().write(|db| db.mark_updates_ready(&fresh))
    });
    if let Err(error) = made_ready {
        let _ = site
            .db()
            .write(|db| fresh.iter().try_for_each(|id| db.delete_update(id)));
        let _ = site.collect_garbage();
        return Err(error);
    }
    ids.iter().map(|id| get(site, id)).collect()
}

/// Puts each staged blob in place: (blob, its source, whether its chunks were recorded).
fn place_blobs(site: &Site, blobs: Vec<(StagedBlob, PathBuf, bool)>) -> Result<Vec<PathBuf>> {
    let mut placed = Vec::new();
    for (blob, source, chunks_recorded) in blobs {
        placed.extend(site.library().commit_blob(blob, &source, chunks_recorded)?);
    }
    Ok(placed)
}

fn new_update(id: String, d: Description, file: &SourceEntry, blob: &StagedBlob) -> Update {
    Update {
        id,
        kb: d.kb,
        title: d.title,
        classification: d.classification,
        architecture: d.architecture,
        product: d.product,
        builds: d.builds,
        release_date: d.release_date,
        supersedes: d.supersedes,
        file_name: file.relative.clone(),
        sha256: blob.sha256.clone(),
        size: blob.size,
        imported_at: String::new(),
    }
}

/// An update by its ID (`KB5034441-x64`, any letter case).
pub fn get(site: &Site, id: &str) -> Result<Update> {
    if id.trim().is_empty() {
        return Err(Error::invalid_argument("update_id", "is empty"));
    }
    site.db()
        .update(id)?
        .ok_or_else(|| Error::not_found("update", id))
}

/// The updates whose ID, KB or title matches `pattern` (`*` and `?` wildcards), or all.
pub fn list(site: &Site, pattern: Option<&str>) -> Result<Vec<Update>> {
    let like = pattern.map(crate::db::wildcard_to_like);
    site.db().updates(like.as_deref())
}

/// Removes an update from the catalog, and its file from the library unless something else
/// uses it. An update a schedule names is not removed (`Conflict`, naming the schedules).
pub fn remove(site: &Site, id: &str) -> Result<()> {
    let update = get(site, id)?;
    site.db().write(|db| {
        let schedules = db.schedules_using_update(&update.id)?;
        if !schedules.is_empty() {
            let names: Vec<String> = schedules.iter().map(i64::to_string).collect();
            return Err(Error::Conflict(format!(
                "update {} is used by schedule {}; remove it from them first",
                update.id,
                names.join(", ")
            )));
        }
        db.delete_update(&update.id)
    })?;
    site.collect_garbage().map(drop)
}

/// The updates each image of a package holds: what was in it when it was imported (read from
/// the image where wimlib is at hand) and what servicing applied, with the content version
/// each first appeared in.
pub fn applied(site: &Site, package_id: &str) -> Result<Vec<AppliedUpdate>> {
    let package = site.db().require_package(package_id)?;
    read_held_updates(site, &package)?;
    site.db().applied_updates(package_id)
}

/// Fills in what the current content version's images hold, if it has not been read yet
/// (packages added before this was recorded, or where wimlib was absent): each install image
/// index, the WinRE image inside it, and each boot.wim index. Leaves it unread where wimlib is
/// absent.
pub(crate) fn read_held_updates(site: &Site, package: &crate::Package) -> Result<()> {
    let version = package.content_version;
    if site.db().image_updates_state(&package.id, version)? != "unread" {
        return Ok(());
    }
    // Without wimlib nothing is read: a chunked image is not even put together for it.
    if image::wimlib_imagex().is_none() {
        return Ok(());
    }
    let Some(install) = image_blob(site, &package.id, version, INSTALL_IMAGES)? else {
        return Ok(());
    };
    let scratch = site.library().scratch_folder()?;
    let mut rows = Vec::new();
    let held_row = |image: &str, index: u32, held| held_in_image(package, image, index, held);
    for info in &package.images {
        let Some(held) = image::read_held_updates(&install, info.index, &scratch)? else {
            return Ok(());
        };
        rows.extend(held.into_iter().map(|h| held_row("install", info.index, h)));
        if let Some(winre) = image::extract_winre(&install, info.index, &scratch)? {
            let held = image::read_held_updates(&winre, 1, &scratch)?.unwrap_or_default();
            rows.extend(held.into_iter().map(|h| held_row("winre", info.index, h)));
            let _ = std::fs::remove_file(&winre);
        }
    }
    if let Some(boot) = image_blob(site, &package.id, version, BOOT_IMAGES)? {
        // A boot.wim that is no WIM (some media carry a stub) holds nothing to read.
        for info in crate::image::read_images(&boot).unwrap_or_default() {
            let held = image::read_held_updates(&boot, info.index, &scratch)?.unwrap_or_default();
            rows.extend(held.into_iter().map(|h| held_row("boot", info.index, h)));
        }
    }
    site.db().write(|db| {
        // Another process may have read it meanwhile.
        if db.image_updates_state(&package.id, version)? != "unread" {
            return Ok(());
        }
        db.insert_applied_updates(&rows)?;
        db.set_image_updates_state(&package.id, version, "read")
    })
}

/// The record of an update an image of the package's current content version holds.
pub(crate) fn held_in_image(
    package: &crate::Package,
    image: &str,
    index: u32,
    held: image::HeldUpdate,
) -> AppliedUpdate {
    AppliedUpdate {
        package_id: package.id.clone(),
        image: image.into(),
        image_index: index,
        kb: held.kb,
        build: held.build,
        update_id: None,
        origin: "image".into(),
        run_id: None,
        content_version: package.content_version,
        applied_at: String::new(),
    }
}

/// The install image's names in a package, as setup looks for them.
pub(crate) const INSTALL_IMAGES: &[&str] = &["sources/install.wim", "sources/install.esd"];
/// The boot image's name.
pub(crate) const BOOT_IMAGES: &[&str] = &["sources/boot.wim"];

/// The library blob of a content version's image file named by one of `names` (any case), as a
/// file to read.
pub(crate) fn image_blob(
    site: &Site,
    package_id: &str,
    version: i64,
    names: &[&str],
) -> Result<Option<BlobFile>> {
    let files = site.db().package_files(package_id, version)?;
    let Some((sha256, size)) = files
        .iter()
        .find(|f| names.iter().any(|n| f.path.eq_ignore_ascii_case(n)))
        .and_then(|f| f.sha256.as_deref().map(|sha256| (sha256, f.size)))
    else {
        return Ok(None);
    };
    site.blob_file(sha256, size).map(Some)
}

/// KB numbers named by `ids` that the catalog lacks are refused by name.
pub(crate) fn require_all(site: &Site, ids: &[String]) -> Result<Vec<Update>> {
    let mut seen = HashSet::new();
    let mut updates = Vec::new();
    for id in ids {
        let update = get(site, id)?;
        if seen.insert(update.id.clone()) {
            updates.push(update);
        }
    }
    Ok(updates)
}
