//! Operating-system upgrade packages: add from a Windows setup source folder, reload, get, list,
//! set, remove. What a setup source must hold is `source`'s; how any tree becomes a content
//! version (add, reload, and servicing next) is `import`'s.

mod import;
mod source;

use std::path::Path;

use crate::error::{Error, Result};
pub use crate::model::{ContentVersion, ContentVersionState, Package, PackageChanges};
use crate::progress::{Operation, ProgressFn};
use crate::site::Site;
use import::{abandon_import, begin_import, import_and_record, Reporter};
use source::{absolute_source, read_source};

/// Package numbers are five hex digits after the site code, as in ConfigMgr package IDs.
const LAST_PACKAGE_NUMBER: u32 = 0xF_FFFF;

/// What `add` needs: the setup source folder and the General page's fields.
#[derive(Debug, Clone, Copy)]
pub struct NewPackage<'a> {
    pub source_path: &'a Path,
    pub name: &'a str,
    pub version: &'a str,
    pub comment: &'a str,
}

/// Adds an upgrade package: checks the source folder, reads its image metadata, hashes every
/// file into the content library and records the package as content version 1. The package
/// gets its ID when it is recorded; a failed or cancelled add records nothing, uses up no ID
/// and leaves no content behind.
pub fn add(site: &Site, new: &NewPackage<'_>, progress: &mut ProgressFn<'_>) -> Result<Package> {
    let _log = site.log_scope();
    log::info!(target: "package", "adding '{}' version '{}' from {}", new.name, new.version, new.source_path.display());
    let added = add_logged(site, new, progress);
    let added = crate::logging::failure("package", "adding the package", added)?;
    log::info!(
        target: "package",
        "added {} '{}' version '{}': content version 1, {} files, {} bytes, {} image(s)",
        added.id, added.name, added.version, added.file_count, added.size, added.images.len()
    );
    Ok(added)
}

fn add_logged(site: &Site, new: &NewPackage<'_>, progress: &mut ProgressFn<'_>) -> Result<Package> {
    validate_fields(Some(new.name), Some(new.version), Some(new.comment))?;
    let source_folder = absolute_source(new.source_path)?;
    let mut reporter = Reporter::new(progress, Operation::Add, "");
    let source = read_source(&source_folder, &mut reporter)?;
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
        &mut reporter,
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
/// retired (as many as `Site::retained_content_versions` says); older ones go, and with them the
/// blobs only they used. An unchanged source changes nothing.
pub fn reload_content(site: &Site, id: &str, progress: &mut ProgressFn<'_>) -> Result<Package> {
    let _log = site.log_scope();
    log::info!(target: "package", "reloading {id} from its source");
    let reloaded = crate::logging::failure(
        "package",
        "reloading the package",
        reload_logged(site, id, progress),
    )?;
    log::info!(
        target: "package",
        "{id} is at content version {}: {} files, {} bytes",
        reloaded.content_version, reloaded.file_count, reloaded.size
    );
    Ok(reloaded)
}

fn reload_logged(site: &Site, id: &str, progress: &mut ProgressFn<'_>) -> Result<Package> {
    let current = get(site, id)?;
    site.refuse_while_serviced(id, "reload")?;
    let mut reporter = Reporter::new(progress, Operation::Reload, id);
    let source = read_source(Path::new(&current.source_path), &mut reporter)?;
    let next = begin_import(site, id, "reloaded")?;
    let retained = i64::from(site.retained_content_versions()?);
    let imported = import_and_record(
        site,
        id,
        next,
        &source.entries,
        &mut reporter,
        |db, totals| {
            if db.package_files(id, next)? == db.package_files(id, current.content_version)? {
                db.delete_content_version(id, next)?;
                return Ok(false);
            }
            db.insert_images(id, next, &source.images)?;
            // The new image's updates are read afresh; what servicing applied went with the old.
            db.delete_applied_updates(id)?;
            db.make_current(id, next, totals.0, totals.1, retained)?;
            Ok(true)
        },
    );
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

pub fn get(site: &Site, id: &str) -> Result<Package> {
    site.db().require_package(id)
}

/// A package's content versions, newest first: the current one, those the library keeps, and
/// the earlier ones it collected; each with the distribution points that hold it.
pub fn content_versions(site: &Site, id: &str) -> Result<Vec<ContentVersion>> {
    let package = site.db().require_package(id)?;
    let statuses = site.db().distributions(Some(&package.id), None)?;
    let holding = |number: i64| -> Vec<String> {
        statuses
            .iter()
            .filter(|s| s.installed_content_version == Some(number))
            .map(|s| s.distribution_point.clone())
            .collect()
    };
    let kept = site.db().kept_content_versions(&package.id)?;
    let mut versions: Vec<ContentVersion> = kept
        .into_iter()
        .map(|kept| ContentVersion {
            package_id: package.id.clone(),
            number: kept.number,
            state: if kept.current {
                ContentVersionState::Current
            } else {
                ContentVersionState::Retained
            },
            origin: kept.origin,
            created_at: kept.created_at,
            size: kept.size,
            distribution_points: holding(kept.number),
        })
        .collect();
    // Numbers are given in order and a collected version's record goes with its files: the
    // numbers below the current one that no record holds were collected.
    let collected: Vec<ContentVersion> = (1..package.content_version)
        .rev()
        .filter(|number| versions.iter().all(|v| v.number != *number))
        .map(|number| ContentVersion {
            package_id: package.id.clone(),
            number,
            state: ContentVersionState::Collected,
            origin: String::new(),
            created_at: String::new(),
            size: 0,
            distribution_points: holding(number),
        })
        .collect();
    versions.extend(collected);
    versions.sort_by_key(|v| std::cmp::Reverse(v.number));
    Ok(versions)
}

/// Lists packages whose name matches `name_pattern` (`*` and `?` wildcards, any letter case),
/// or all packages.
pub fn list(site: &Site, name_pattern: Option<&str>) -> Result<Vec<Package>> {
    let like = name_pattern.map(crate::db::wildcard_to_like);
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
pub(crate) fn remove_records(site: &Site, id: &str) -> Result<()> {
    site.db()
        .write(|db| db.require_package(id).and_then(|_| db.delete_package(id)))?;
    site.collect_garbage().map(drop)
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

/// Records what servicing made as the package's next content version (origin `serviced`): the
/// manifest of `base_version` with the files in `replaced` (relative paths of the package, e.g.
/// `sources/install.wim`) exchanged for the serviced ones, which are hashed into the library
/// (only what changed becomes new blobs). `record` writes what goes with the version in the
/// same transaction that makes it current; a failure or a kill before that changes nothing.
pub(crate) fn record_serviced_version<T>(
    site: &Site,
    id: &str,
    base_version: i64,
    replaced: &[crate::content::SourceEntry],
    progress: &mut ProgressFn<'_>,
    record: impl FnOnce(&crate::db::Db, i64) -> Result<T>,
) -> Result<T> {
    let mut reporter = Reporter::new(progress, Operation::Service, id);
    let next = begin_import(site, id, "serviced")?;
    let retained = i64::from(site.retained_content_versions()?);
    let paths: Vec<&str> = replaced.iter().map(|e| e.relative.as_str()).collect();
    let recorded = site
        .db()
        .write(|db| db.copy_manifest_except(id, base_version, next, &paths))
        .and_then(|()| {
            import_and_record(site, id, next, replaced, &mut reporter, |db, _| {
                // The version serviced must still be the current one (a reload or a removal
                // meanwhile would be undone by this one).
                let current = db.require_package(id)?.content_version;
                if current != base_version {
                    return Err(Error::Conflict(format!(
                        "package {id} went from content version {base_version} to {current} while it was serviced; the serviced image is discarded: run the schedule again"
                    )));
                }
                let value = record(db, next)?;
                let (size, files) = db.content_version_totals(id, next)?;
                db.make_current(id, next, size, files, retained)?;
                Ok(value)
            })
        });
    match recorded {
        Ok(value) => {
            site.collect_garbage()?;
            Ok(value)
        }
        Err(error) => {
            abandon_import(site, id, next);
            Err(error)
        }
    }
}
