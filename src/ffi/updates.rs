//! The C face of the update catalog: importing update files, the catalog's records, and which
//! updates apply to a package or were applied to it.

use std::ffi::{c_char, c_void};
use std::path::Path;

use super::arguments::{optional_name, optional_str, required_str, string_array, string_list};
use super::boundary::CallError;
use super::entry::{answer_record, answer_records, on_site};
use super::handles::osu_site;
use super::json::{json_shape, ToJson};
use super::progress::{forward_progress, osu_progress_callback};
use super::status::osu_status;
use crate::model::{ApplicableUpdate, AppliedUpdate, NotApplicableUpdate, Update};
use crate::updates;
use crate::{Progress, Site};
use serde::Serialize;

/// Imports update files into the site's catalog. `paths_json` is a JSON array of paths, each an
/// `.msu` or `.cab` file or a folder whose `.msu` and `.cab` files (at any depth) are taken.
/// What each update is (KB, title, classification, architecture, builds, release date, the KBs
/// it supersedes) comes from its entry in `catalog_path`, a JSON catalog file (may be NULL; see
/// the README), or else from its file name (`windows10.0-kb5034441-x64_<hash>.msu`). All or
/// nothing: a file that is no cabinet, or whose KB, architecture or Windows version cannot be
/// told, refuses the call (`OSU_INVALID_ARGUMENT`, naming the file) and nothing is kept. An
/// update already in the catalog with the same content is returned as it is; with other
/// content it is `OSU_CONFLICT`.
///
/// `progress` (may be NULL) reports `OSU_OPERATION_IMPORT_UPDATES` on this thread; a non-zero
/// return cancels. On success `*out_updates_json` receives a JSON array of the updates, each
/// `{"id", "kb", "title", "classification", "architecture", "product", "builds",
/// "releaseDate", "supersedes", "fileName", "sha256", "size", "importedAt"}`; `id` is the KB
/// and architecture (`KB5034441-x64`), `classification` one of `ServicingStack`, `Cumulative`,
/// `SafeOs`, `Setup`, `Other`.
///
/// # Safety
/// Strings are NULL or NUL-terminated UTF-8; `out_updates_json` points to writable storage.
#[no_mangle]
pub unsafe extern "C" fn osu_update_import(
    site: *mut osu_site,
    paths_json: *const c_char,
    catalog_path: *const c_char,
    progress: osu_progress_callback,
    user_data: *mut c_void,
    out_updates_json: *mut *mut c_char,
) -> osu_status {
    answer_records(site, out_updates_json, "out_updates_json", |site| {
        let paths = string_list(paths_json, "paths_json")?;
        import_paths(site, &paths, catalog_path, progress, user_data)
    })
}

/// `osu_update_import` for a C caller's array: `paths` holds `path_count` file or folder paths.
///
/// # Safety
/// `paths` points to `path_count` NUL-terminated UTF-8 strings; `catalog_path` is NULL or
/// NUL-terminated UTF-8; `out_updates_json` points to writable storage.
#[no_mangle]
pub unsafe extern "C" fn osu_update_import_array(
    site: *mut osu_site,
    paths: *const *const c_char,
    path_count: usize,
    catalog_path: *const c_char,
    progress: osu_progress_callback,
    user_data: *mut c_void,
    out_updates_json: *mut *mut c_char,
) -> osu_status {
    answer_records(site, out_updates_json, "out_updates_json", |site| {
        let paths = string_array(paths, path_count, "paths")?;
        import_paths(site, &paths, catalog_path, progress, user_data)
    })
}

/// What both import calls do once they have their paths.
///
/// # Safety
/// As for `osu_update_import`.
unsafe fn import_paths(
    site: &Site,
    paths: &[String],
    catalog_path: *const c_char,
    progress: osu_progress_callback,
    user_data: *mut c_void,
) -> Result<Vec<Update>, CallError> {
    let paths: Vec<&Path> = paths.iter().map(Path::new).collect();
    let catalog = optional_name(catalog_path, "catalog_path")?.map(Path::new);
    let mut report = |p: &Progress<'_>| forward_progress(progress, user_data, p);
    Ok(updates::import(site, &paths, catalog, &mut report)?)
}

/// Writes the update with this ID (`KB5034441-x64`, any letter case) to `*out_update_json`
/// (see `osu_update_import`); `OSU_NOT_FOUND` when the catalog has none.
///
/// # Safety
/// `update_id` is NUL-terminated UTF-8; `out_update_json` points to writable storage.
#[no_mangle]
pub unsafe extern "C" fn osu_update_get(
    site: *mut osu_site,
    update_id: *const c_char,
    out_update_json: *mut *mut c_char,
) -> osu_status {
    answer_record(site, out_update_json, "out_update_json", |site| {
        let id = required_str(update_id, "update_id")?;
        Ok(updates::get(site, id)?)
    })
}

/// Writes a JSON array of the catalog's updates whose ID, KB or title matches `pattern` (`*`
/// and `?` wildcards, any letter case; NULL lists all), ordered by KB.
///
/// # Safety
/// `pattern` is NULL or NUL-terminated UTF-8; `out_updates_json` points to writable storage.
#[no_mangle]
pub unsafe extern "C" fn osu_update_list(
    site: *mut osu_site,
    pattern: *const c_char,
    out_updates_json: *mut *mut c_char,
) -> osu_status {
    answer_records(site, out_updates_json, "out_updates_json", |site| {
        let pattern = optional_str(pattern, "pattern")?;
        Ok(updates::list(site, pattern)?)
    })
}

/// Removes an update from the catalog, and its file from the content library unless something
/// else uses it. An update a schedule names is not removed: `OSU_CONFLICT`, naming the
/// schedules.
///
/// # Safety
/// `update_id` is NUL-terminated UTF-8.
#[no_mangle]
pub unsafe extern "C" fn osu_update_remove(
    site: *mut osu_site,
    update_id: *const c_char,
) -> osu_status {
    on_site(site, |site| {
        let id = required_str(update_id, "update_id")?;
        Ok(updates::remove(site, id)?)
    })
}

/// Writes a JSON array of the catalog's updates that apply to the package to
/// `*out_updates_json`: its architecture and build, not in its images yet, not superseded by an
/// update they hold; in installation order (servicing stack, cumulative, the rest; by release
/// date within each). Each is an update record (see `osu_update_import`) with `"packageId"`,
/// `"imageIndexes"`, the install.wim indexes it applies to (for a Safe OS update: whose WinRE),
/// and `"targets"`, the images its classification is for (`install`, `winre`, `boot`).
///
/// # Safety
/// `package_id` is NUL-terminated UTF-8; `out_updates_json` points to writable storage.
#[no_mangle]
pub unsafe extern "C" fn osu_update_list_applicable(
    site: *mut osu_site,
    package_id: *const c_char,
    out_updates_json: *mut *mut c_char,
) -> osu_status {
    package_records(site, package_id, out_updates_json, updates::applicable)
}

/// Writes a JSON array of the catalog's updates that `osu_update_list_applicable` leaves out for
/// the package to `*out_updates_json`, each with why: an update record with `"packageId"` and
/// `"reason"` (another architecture or build, in the image already, superseded and by which, a
/// Setup dynamic update, no WinRE for a Safe OS update); in installation order.
///
/// # Safety
/// `package_id` is NUL-terminated UTF-8; `out_updates_json` points to writable storage.
#[no_mangle]
pub unsafe extern "C" fn osu_update_list_not_applicable(
    site: *mut osu_site,
    package_id: *const c_char,
    out_updates_json: *mut *mut c_char,
) -> osu_status {
    package_records(site, package_id, out_updates_json, updates::not_applicable)
}

/// Writes a JSON array of the updates each image of the package holds to `*out_updates_json`:
/// `{"packageId", "image", "imageIndex", "kb", "build", "updateId", "origin", "runId",
/// "contentVersion", "appliedAt"}`. `image` is `install`, `winre` (the WinRE image inside the
/// install.wim index `imageIndex`) or `boot`. `origin` is `image` for what was in the image when it was
/// imported (read from its `Windows/servicing/Packages`, where wimlib is at hand) and
/// `serviced` for what a servicing run applied (with `updateId` and `runId`); `contentVersion`
/// is the content version the update first appeared in.
///
/// # Safety
/// `package_id` is NUL-terminated UTF-8; `out_updates_json` points to writable storage.
#[no_mangle]
pub unsafe extern "C" fn osu_update_list_applied(
    site: *mut osu_site,
    package_id: *const c_char,
    out_updates_json: *mut *mut c_char,
) -> osu_status {
    package_records(site, package_id, out_updates_json, updates::applied)
}

/// Writes the records `fetch` finds for a package as a JSON array.
///
/// # Safety
/// As for the functions that call it.
unsafe fn package_records<T: ToJson>(
    site: *mut osu_site,
    package_id: *const c_char,
    out_json: *mut *mut c_char,
    fetch: impl FnOnce(&Site, &str) -> crate::Result<Vec<T>>,
) -> osu_status {
    answer_records(site, out_json, "out_updates_json", |site| {
        let id = required_str(package_id, "package_id")?;
        Ok(fetch(site, id)?)
    })
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct UpdateJson<'a> {
    id: &'a str,
    kb: &'a str,
    title: &'a str,
    classification: String,
    architecture: &'a str,
    product: &'a str,
    builds: &'a [u32],
    release_date: &'a str,
    supersedes: &'a [String],
    file_name: &'a str,
    sha256: &'a str,
    size: u64,
    imported_at: &'a str,
}

impl<'a> From<&'a Update> for UpdateJson<'a> {
    fn from(u: &'a Update) -> Self {
        UpdateJson {
            id: &u.id,
            kb: &u.kb,
            title: &u.title,
            classification: u.classification.name(),
            architecture: &u.architecture,
            product: &u.product,
            builds: &u.builds,
            release_date: &u.release_date,
            supersedes: &u.supersedes,
            file_name: &u.file_name,
            sha256: &u.sha256,
            size: u.size,
            imported_at: &u.imported_at,
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ApplicableJson<'a> {
    #[serde(flatten)]
    update: UpdateJson<'a>,
    package_id: &'a str,
    image_indexes: &'a [u32],
    targets: &'a [String],
}

impl<'a> From<&'a ApplicableUpdate> for ApplicableJson<'a> {
    fn from(a: &'a ApplicableUpdate) -> Self {
        ApplicableJson {
            update: (&a.update).into(),
            package_id: &a.package_id,
            image_indexes: &a.image_indexes,
            targets: &a.targets,
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct AppliedJson<'a> {
    package_id: &'a str,
    image: &'a str,
    image_index: u32,
    kb: &'a str,
    build: &'a str,
    update_id: Option<&'a str>,
    origin: &'a str,
    run_id: Option<i64>,
    content_version: i64,
    applied_at: &'a str,
}

impl<'a> From<&'a AppliedUpdate> for AppliedJson<'a> {
    fn from(a: &'a AppliedUpdate) -> Self {
        AppliedJson {
            package_id: &a.package_id,
            image: &a.image,
            image_index: a.image_index,
            kb: &a.kb,
            build: &a.build,
            update_id: a.update_id.as_deref(),
            origin: &a.origin,
            run_id: a.run_id,
            content_version: a.content_version,
            applied_at: &a.applied_at,
        }
    }
}

json_shape! {
    Update => UpdateJson,
    ApplicableUpdate => ApplicableJson,
    NotApplicableUpdate => NotApplicableJson,
    AppliedUpdate => AppliedJson,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct NotApplicableJson<'a> {
    #[serde(flatten)]
    update: UpdateJson<'a>,
    package_id: &'a str,
    reason: &'a str,
}

impl<'a> From<&'a NotApplicableUpdate> for NotApplicableJson<'a> {
    fn from(n: &'a NotApplicableUpdate) -> Self {
        NotApplicableJson {
            update: (&n.update).into(),
            package_id: &n.package_id,
            reason: &n.reason,
        }
    }
}
