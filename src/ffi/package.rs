//! The C face of packages: add, get, list, set, reload and remove.

use std::ffi::{c_char, c_void};
use std::path::Path;

use super::arguments::{optional_str, required_str};
use super::entry::{answer_record, answer_records, on_site};
use super::handles::osu_site;
use super::json::{json_shape, ToJson};
use super::progress::{forward_progress, osu_progress_callback};
use super::status::osu_status;
use crate::lifecycle;
use crate::model::{ContentVersion, ImageInfo, Package};
use crate::package::{self, NewPackage, PackageChanges};
use crate::Progress;
use serde::Serialize;

/// Adds an upgrade package from a Windows setup source folder (`setup.exe` at its root,
/// `sources/install.wim` or `sources/install.esd`): every file goes into the site's content
/// library, the image metadata of every index is read, and the package is recorded as content
/// version 1 with a new ID (site code + 5 hex digits), given when it is recorded. `name` is
/// required; `version` and `comment` may be NULL (empty). Name + Version must be unique in the
/// site in any letter case (`OSU_CONFLICT`, naming them as stored). A relative `source_path` is
/// recorded absolute (against the current directory).
///
/// `progress` may be NULL; it is called on this thread only, and a non-zero return cancels
/// (`OSU_CANCELLED`). A failed, cancelled or killed add records nothing, uses up no ID and
/// leaves no content behind (what a killed one staged goes with the next add, reload or
/// remove on the site).
/// On success `*out_package_json` receives the package record (see `osu_package_get`).
///
/// Errors: `OSU_NOT_FOUND` (no such folder), `OSU_INVALID_ARGUMENT` (an empty path, a file, no
/// setup.exe, no install image, a link inside, two names that differ only in letter case),
/// `OSU_INVALID_IMAGE`, `OSU_ACCESS_DENIED`, `OSU_DISK_FULL`, `OSU_IO`, `OSU_CONFLICT`,
/// `OSU_CANCELLED`.
///
/// # Safety
/// Strings are NULL or NUL-terminated UTF-8; `out_package_json` points to writable storage.
#[no_mangle]
pub unsafe extern "C" fn osu_package_add(
    site: *mut osu_site,
    source_path: *const c_char,
    name: *const c_char,
    version: *const c_char,
    comment: *const c_char,
    progress: osu_progress_callback,
    user_data: *mut c_void,
    out_package_json: *mut *mut c_char,
) -> osu_status {
    answer_record(site, out_package_json, "out_package_json", |site| {
        let new = NewPackage {
            source_path: Path::new(required_str(source_path, "source_path")?),
            name: required_str(name, "name")?,
            version: optional_str(version, "version")?.unwrap_or(""),
            comment: optional_str(comment, "comment")?.unwrap_or(""),
        };
        let mut report = |p: &Progress<'_>| forward_progress(progress, user_data, p);
        Ok(package::add(site, &new, &mut report)?)
    })
}

/// Writes the package with this ID to `*out_package_json`: `{"id", "name", "version",
/// "comment", "sourcePath", "contentVersion", "size", "fileCount", "createdAt", "modifiedAt",
/// "images": [{"index", "name", "description", "editionId", "architecture", "version",
/// "languages", "defaultLanguage", "size"}]}`. `OSU_NOT_FOUND` when there is none;
/// `OSU_INVALID_ARGUMENT` for an empty ID.
///
/// # Safety
/// `package_id` is NUL-terminated UTF-8; `out_package_json` points to writable storage.
#[no_mangle]
pub unsafe extern "C" fn osu_package_get(
    site: *mut osu_site,
    package_id: *const c_char,
    out_package_json: *mut *mut c_char,
) -> osu_status {
    answer_record(site, out_package_json, "out_package_json", |site| {
        let id = required_str(package_id, "package_id")?;
        Ok(package::get(site, id)?)
    })
}

/// Writes a JSON array of the packages whose name matches `name_pattern` (`*` and `?`
/// wildcards, any letter case; NULL lists all), ordered by ID, to `*out_packages_json`.
///
/// # Safety
/// `name_pattern` is NULL or NUL-terminated UTF-8; `out_packages_json` points to writable
/// storage.
#[no_mangle]
pub unsafe extern "C" fn osu_package_list(
    site: *mut osu_site,
    name_pattern: *const c_char,
    out_packages_json: *mut *mut c_char,
) -> osu_status {
    answer_records(site, out_packages_json, "out_packages_json", |site| {
        let pattern = optional_str(name_pattern, "name_pattern")?;
        Ok(package::list(site, pattern)?)
    })
}

/// Writes a JSON array of a package's content versions, newest first, to
/// `*out_versions_json`: `{"packageId", "number", "state", "origin", "createdAt", "size",
/// "distributionPoints"}`. `state` is `Current`, `Retained` (an earlier version the library
/// keeps, see `osu_site_set_retained_content_versions`) or `Collected` (no longer kept; its
/// `origin` and `createdAt` are null, its size 0); `origin` is `added`, `reloaded` or `serviced`;
/// `distributionPoints` names the points that hold that version. `OSU_NOT_FOUND` when there is
/// no such package.
///
/// # Safety
/// `package_id` is NUL-terminated UTF-8; `out_versions_json` points to writable storage.
#[no_mangle]
pub unsafe extern "C" fn osu_content_version_list(
    site: *mut osu_site,
    package_id: *const c_char,
    out_versions_json: *mut *mut c_char,
) -> osu_status {
    answer_records(site, out_versions_json, "out_versions_json", |site| {
        let id = required_str(package_id, "package_id")?;
        Ok(package::content_versions(site, id)?)
    })
}

/// Changes a package's Name, Version and Comment; a NULL argument leaves that field as it is.
/// Name + Version must stay unique (`OSU_CONFLICT`). On success `*out_package_json` receives
/// the updated record.
///
/// # Safety
/// Strings are NULL or NUL-terminated UTF-8; `out_package_json` points to writable storage.
#[no_mangle]
pub unsafe extern "C" fn osu_package_set(
    site: *mut osu_site,
    package_id: *const c_char,
    name: *const c_char,
    version: *const c_char,
    comment: *const c_char,
    out_package_json: *mut *mut c_char,
) -> osu_status {
    answer_record(site, out_package_json, "out_package_json", |site| {
        let id = required_str(package_id, "package_id")?;
        let changes = PackageChanges {
            name: optional_str(name, "name")?.map(str::to_owned),
            version: optional_str(version, "version")?.map(str::to_owned),
            comment: optional_str(comment, "comment")?.map(str::to_owned),
        };
        Ok(package::set(site, id, &changes)?)
    })
}

/// Removes a package: first its content from every distribution point that holds it, then its
/// records, then every blob of the content library no other package uses. `OSU_NOT_FOUND` when
/// there is no such package; a distribution point that cannot be cleaned fails the call and the
/// package stays.
///
/// # Safety
/// `package_id` is NUL-terminated UTF-8.
#[no_mangle]
pub unsafe extern "C" fn osu_package_remove(
    site: *mut osu_site,
    package_id: *const c_char,
) -> osu_status {
    on_site(site, |site| {
        let id = required_str(package_id, "package_id")?;
        Ok(lifecycle::remove_package(site, id)?)
    })
}

/// Reads the package's source folder again and, when its content changed, records it as the
/// next content version (Configuration Manager's "reload from the original source location");
/// distribution points get it by `osu_content_redistribute`. An unchanged source changes
/// nothing. The version it replaces is kept as retired (one, or as many as the site's
/// `retained_content_versions` setting says) and older ones go with the content only they used.
/// On success `*out_package_json` receives the package record. Progress and cancellation as for
/// `osu_package_add`; a failed, cancelled or killed reload leaves the package as it was.
/// `OSU_BUSY` while another process reloads the same package.
///
/// # Safety
/// `package_id` is NUL-terminated UTF-8; `out_package_json` points to writable storage.
#[no_mangle]
pub unsafe extern "C" fn osu_package_reload_content(
    site: *mut osu_site,
    package_id: *const c_char,
    progress: osu_progress_callback,
    user_data: *mut c_void,
    out_package_json: *mut *mut c_char,
) -> osu_status {
    answer_record(site, out_package_json, "out_package_json", |site| {
        let id = required_str(package_id, "package_id")?;
        let mut report = |p: &Progress<'_>| forward_progress(progress, user_data, p);
        Ok(package::reload_content(site, id, &mut report)?)
    })
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct PackageJson<'a> {
    id: &'a str,
    name: &'a str,
    version: &'a str,
    comment: &'a str,
    source_path: &'a str,
    content_version: i64,
    size: u64,
    file_count: u64,
    created_at: &'a str,
    modified_at: &'a str,
    images: Vec<ImageJson<'a>>,
}

impl<'a> From<&'a Package> for PackageJson<'a> {
    fn from(p: &'a Package) -> Self {
        PackageJson {
            id: &p.id,
            name: &p.name,
            version: &p.version,
            comment: &p.comment,
            source_path: &p.source_path,
            content_version: p.content_version,
            size: p.size,
            file_count: p.file_count,
            created_at: &p.created_at,
            modified_at: &p.modified_at,
            images: p.images.iter().map(ImageJson::from).collect(),
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ImageJson<'a> {
    index: u32,
    name: &'a str,
    description: &'a str,
    edition_id: &'a str,
    architecture: &'a str,
    version: &'a str,
    languages: &'a [String],
    default_language: &'a str,
    size: u64,
}

impl<'a> From<&'a ImageInfo> for ImageJson<'a> {
    fn from(i: &'a ImageInfo) -> Self {
        ImageJson {
            index: i.index,
            name: &i.name,
            description: &i.description,
            edition_id: &i.edition_id,
            architecture: &i.architecture,
            version: &i.version,
            languages: &i.languages,
            default_language: &i.default_language,
            size: i.size,
        }
    }
}

json_shape! {
    Package => PackageJson,
    ContentVersion => ContentVersionJson,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ContentVersionJson<'a> {
    package_id: &'a str,
    number: i64,
    state: &'static str,
    origin: Option<&'a str>,
    created_at: Option<&'a str>,
    size: u64,
    distribution_points: &'a [String],
}

impl<'a> From<&'a ContentVersion> for ContentVersionJson<'a> {
    fn from(v: &'a ContentVersion) -> Self {
        let known = |text: &'a str| (!text.is_empty()).then_some(text);
        ContentVersionJson {
            package_id: &v.package_id,
            number: v.number,
            state: v.state.name(),
            origin: known(&v.origin),
            created_at: known(&v.created_at),
            size: v.size,
            distribution_points: &v.distribution_points,
        }
    }
}
