//! The C face of distribution: points, distributing content to them, its status, validation,
//! redistribution and removal.

use std::ffi::{c_char, c_void};

use super::arguments::{optional_str, required_str, string_array, string_list};
use super::boundary::CallError;
use super::entry::{answer_record, answer_records, on_site};
use super::handles::osu_site;
use super::json::{json_shape, ToJson};
use super::progress::{forward_progress, osu_progress_callback};
use super::status::osu_status;
use crate::distribution::{self, DistributeOptions};
use crate::model::{DistributionPoint, DistributionStatus, DistributionSummary, ValidationReport};
use crate::{Error, Progress, Site};
use serde::{Deserialize, Serialize};

/// Adds a distribution point: `name` (unique in the site in any letter case, no space at either
/// end, none of `* ? [ ] \``) and `path`, an absolute folder (local, a mounted share, a UNC path
/// on Windows), created if needed and proved writable. Only adding makes the folder: where it is
/// gone later (a share not mounted; on Unix also a folder that was a mount point and no longer
/// is), a distribution records the point Failed with
/// `lastErrorStatus` `OSU_NOT_FOUND`, and validating or removing content from it returns
/// `OSU_NOT_FOUND`, rather than put content on the local disk or forget content that is there;
/// removing the point with `force` forgets what it held.
/// `description` may be NULL. On success `*out_point_json` receives
/// `{"name", "path", "description", "createdAt", "modifiedAt"}`.
///
/// Errors: `OSU_INVALID_ARGUMENT` (relative path, a file), `OSU_ACCESS_DENIED`, `OSU_IO` (cannot
/// create or write), `OSU_CONFLICT` (the name is taken).
///
/// # Safety
/// Strings are NULL or NUL-terminated UTF-8; `out_point_json` points to writable storage.
#[no_mangle]
pub unsafe extern "C" fn osu_distribution_point_add(
    site: *mut osu_site,
    name: *const c_char,
    path: *const c_char,
    description: *const c_char,
    out_point_json: *mut *mut c_char,
) -> osu_status {
    answer_record(site, out_point_json, "out_point_json", |site| {
        let name = required_str(name, "name")?;
        let path = required_str(path, "path")?;
        let description = optional_str(description, "description")?.unwrap_or("");
        Ok(distribution::add_point(site, name, path, description)?)
    })
}

/// Writes the distribution point with this name to `*out_point_json`; `OSU_NOT_FOUND` if none.
///
/// # Safety
/// `name` is NUL-terminated UTF-8; `out_point_json` points to writable storage.
#[no_mangle]
pub unsafe extern "C" fn osu_distribution_point_get(
    site: *mut osu_site,
    name: *const c_char,
    out_point_json: *mut *mut c_char,
) -> osu_status {
    answer_record(site, out_point_json, "out_point_json", |site| {
        let name = required_str(name, "name")?;
        Ok(distribution::get_point(site, name)?)
    })
}

/// Writes a JSON array of every distribution point, by name, to `*out_points_json`.
///
/// # Safety
/// `out_points_json` points to writable storage.
#[no_mangle]
pub unsafe extern "C" fn osu_distribution_point_list(
    site: *mut osu_site,
    out_points_json: *mut *mut c_char,
) -> osu_status {
    answer_records(site, out_points_json, "out_points_json", |site| {
        Ok(distribution::list_points(site)?)
    })
}

/// Renames a distribution point or changes its description; NULL leaves a field as it is.
///
/// # Safety
/// Strings are NULL or NUL-terminated UTF-8; `out_point_json` points to writable storage.
#[no_mangle]
pub unsafe extern "C" fn osu_distribution_point_set(
    site: *mut osu_site,
    name: *const c_char,
    new_name: *const c_char,
    description: *const c_char,
    out_point_json: *mut *mut c_char,
) -> osu_status {
    answer_record(site, out_point_json, "out_point_json", |site| {
        let name = required_str(name, "name")?;
        let new_name = optional_str(new_name, "new_name")?;
        let description = optional_str(description, "description")?;
        Ok(distribution::set_point(site, name, new_name, description)?)
    })
}

/// Removes a distribution point. One that holds packages gives `OSU_CONFLICT` unless `force`,
/// which first removes their content from it.
///
/// # Safety
/// `name` is NUL-terminated UTF-8.
#[no_mangle]
pub unsafe extern "C" fn osu_distribution_point_remove(
    site: *mut osu_site,
    name: *const c_char,
    force: bool,
) -> osu_status {
    on_site(site, |site| {
        let name = required_str(name, "name")?;
        Ok(distribution::remove_point(site, name, force)?)
    })
}

/// Distributes packages to distribution points. `package_ids_json` and
/// `distribution_points_json` are JSON arrays of strings (`["OSU00001"]`, `["DP1","DP2"]`);
/// `options_json` is NULL or `{"workers": 4}` (jobs served at once, 1 to 64; the jobs served
/// together read each file they lack from the library once and write it to each of them).
/// Each package lands at `<point>/<package id>/`; only files that differ are copied, every
/// byte verified against the library's hash; a job that fails leaves its point at the previous
/// version and is recorded as Failed while the others go on. `*out_statuses_json` receives the status of every
/// job (see `osu_distribution_status_list`): the call returns `OSU_OK` even when jobs failed.
///
/// `progress` may be NULL; it is called on this thread only, and a non-zero return cancels
/// (`OSU_CANCELLED`): every job that has not begun its commit leaves its point at the previous
/// version.
///
/// # Safety
/// Strings are NULL or NUL-terminated UTF-8; `out_statuses_json` points to writable storage.
#[no_mangle]
pub unsafe extern "C" fn osu_content_distribute(
    site: *mut osu_site,
    package_ids_json: *const c_char,
    distribution_points_json: *const c_char,
    options_json: *const c_char,
    progress: osu_progress_callback,
    user_data: *mut c_void,
    out_statuses_json: *mut *mut c_char,
) -> osu_status {
    answer_records(site, out_statuses_json, "out_statuses_json", |site| {
        let packages = string_list(package_ids_json, "package_ids_json")?;
        let points = string_list(distribution_points_json, "distribution_points_json")?;
        distribute_to(site, &packages, &points, options_json, progress, user_data)
    })
}

/// `osu_content_distribute` for a C caller's arrays: `package_ids` holds `package_count`
/// package IDs and `distribution_points` `point_count` point names (a NULL array with a count of
/// 0 is an empty list, refused as `osu_content_distribute` refuses one). The rest is as there.
///
/// # Safety
/// Each array is NULL with a count of 0, or points to that many NUL-terminated UTF-8 strings;
/// `options_json` is NULL or NUL-terminated UTF-8; `out_statuses_json` points to writable
/// storage.
#[no_mangle]
pub unsafe extern "C" fn osu_content_distribute_array(
    site: *mut osu_site,
    package_ids: *const *const c_char,
    package_count: usize,
    distribution_points: *const *const c_char,
    point_count: usize,
    options_json: *const c_char,
    progress: osu_progress_callback,
    user_data: *mut c_void,
    out_statuses_json: *mut *mut c_char,
) -> osu_status {
    answer_records(site, out_statuses_json, "out_statuses_json", |site| {
        let packages = string_array(package_ids, package_count, "package_ids")?;
        let points = string_array(distribution_points, point_count, "distribution_points")?;
        distribute_to(site, &packages, &points, options_json, progress, user_data)
    })
}

/// What both distribute calls do once they have their lists.
///
/// # Safety
/// As for `osu_content_distribute`.
unsafe fn distribute_to(
    site: &Site,
    packages: &[String],
    points: &[String],
    options_json: *const c_char,
    progress: osu_progress_callback,
    user_data: *mut c_void,
) -> Result<Vec<DistributionStatus>, CallError> {
    let options = distribute_options(options_json)?;
    let packages: Vec<&str> = packages.iter().map(String::as_str).collect();
    let points: Vec<&str> = points.iter().map(String::as_str).collect();
    let mut report = |p: &Progress<'_>| forward_progress(progress, user_data, p);
    Ok(distribution::distribute(
        site,
        &packages,
        &points,
        &options,
        &mut report,
    )?)
}

/// Brings every distribution point that holds the package to its current content version
/// (Configuration Manager's Update Distribution Points), as `osu_content_distribute` does.
///
/// # Safety
/// As for `osu_content_distribute`.
#[no_mangle]
pub unsafe extern "C" fn osu_content_redistribute(
    site: *mut osu_site,
    package_id: *const c_char,
    options_json: *const c_char,
    progress: osu_progress_callback,
    user_data: *mut c_void,
    out_statuses_json: *mut *mut c_char,
) -> osu_status {
    answer_records(site, out_statuses_json, "out_statuses_json", |site| {
        let id = required_str(package_id, "package_id")?;
        let options = distribute_options(options_json)?;
        let mut report = |p: &Progress<'_>| forward_progress(progress, user_data, p);
        Ok(distribution::redistribute(site, id, &options, &mut report)?)
    })
}

/// Validates a package on a distribution point: re-hashes every file there against the manifest
/// installed with it. `*out_report_json` receives `{"packageId", "distributionPoint",
/// "contentVersion", "filesChecked", "missing", "altered", "unexpected", "links", "valid"}` (the
/// four lists hold paths relative to the package folder; `links` names symbolic links, junctions
/// and other non-files, which are never followed, "." being the package folder itself). A point
/// that does not match is recorded as Failed (`OSU_DAMAGED_CONTENT`), and the files found
/// altered are copied again by the next distribution. A switch to a new version that a crash cut
/// short is finished first. On a point this process cannot write to, validation reads only.
/// `OSU_NOT_FOUND` when the package is not installed there; `OSU_BUSY` while another process
/// changes it.
///
/// # Safety
/// Strings are NUL-terminated UTF-8; `out_report_json` points to writable storage.
#[no_mangle]
pub unsafe extern "C" fn osu_content_validate(
    site: *mut osu_site,
    package_id: *const c_char,
    distribution_point: *const c_char,
    progress: osu_progress_callback,
    user_data: *mut c_void,
    out_report_json: *mut *mut c_char,
) -> osu_status {
    answer_record(site, out_report_json, "out_report_json", |site| {
        let id = required_str(package_id, "package_id")?;
        let point = required_str(distribution_point, "distribution_point")?;
        let mut report = |p: &Progress<'_>| forward_progress(progress, user_data, p);
        Ok(distribution::validate(site, id, point, &mut report)?)
    })
}

/// Removes a package's content from a distribution point and its status there.
/// `OSU_NOT_FOUND` when the package is not on that point.
///
/// # Safety
/// Strings are NUL-terminated UTF-8.
#[no_mangle]
pub unsafe extern "C" fn osu_content_remove(
    site: *mut osu_site,
    package_id: *const c_char,
    distribution_point: *const c_char,
) -> osu_status {
    on_site(site, |site| {
        let id = required_str(package_id, "package_id")?;
        let point = required_str(distribution_point, "distribution_point")?;
        Ok(distribution::remove_content(site, id, point)?)
    })
}

/// Writes a JSON array of distribution statuses, narrowed to a package and/or a distribution
/// point when given (NULL: all): `{"packageId", "distributionPoint", "targetContentVersion",
/// "installedContentVersion", "state" ("Waiting", "InProgress", "Installed", "Failed",
/// "Retrying"), "bytesTotal", "bytesCopied", "bytesReused", "filesCopied", "lastError",
/// "lastErrorStatus", "startedAt", "finishedAt", "modifiedAt"}`. `bytesCopied` is what the
/// last run copied from the site's library, `bytesReused` what it took from the point itself
/// (the unchanged ranges of a large file's earlier version there). `lastErrorStatus` is the `osu_status` of the
/// failure `lastError` describes (0 when there is none): `OSU_BUSY`, `OSU_ACCESS_DENIED`,
/// `OSU_DISK_FULL`, `OSU_IO`, `OSU_DAMAGED_CONTENT` (also a validation that found the point
/// altered), … A running
/// distribution updates `bytesCopied` and `filesCopied` about once a second. A distribution
/// whose process died reads as "Failed" with a `lastError` that starts with "interrupted" and
/// `OSU_CANCELLED`: within seconds where the point's lock file shows it (a run holds its lock
/// until it ends), else once it has sent no word for two minutes (a point out of reach).
///
/// # Safety
/// Strings are NULL or NUL-terminated UTF-8; `out_statuses_json` points to writable storage.
#[no_mangle]
pub unsafe extern "C" fn osu_distribution_status_list(
    site: *mut osu_site,
    package_id: *const c_char,
    distribution_point: *const c_char,
    out_statuses_json: *mut *mut c_char,
) -> osu_status {
    answer_records(site, out_statuses_json, "out_statuses_json", |site| {
        let id = optional_str(package_id, "package_id")?;
        let point = optional_str(distribution_point, "distribution_point")?;
        Ok(distribution::status(site, id, point)?)
    })
}

/// Writes a JSON array with, per package (or the one given), how many distribution points it
/// targets and how many hold its current version, are in progress or failed: `{"packageId",
/// "packageName", "contentVersion", "targeted", "installed", "inProgress", "failed"}`.
///
/// # Safety
/// `package_id` is NULL or NUL-terminated UTF-8; `out_summaries_json` points to writable storage.
#[no_mangle]
pub unsafe extern "C" fn osu_distribution_summary_list(
    site: *mut osu_site,
    package_id: *const c_char,
    out_summaries_json: *mut *mut c_char,
) -> osu_status {
    answer_records(site, out_summaries_json, "out_summaries_json", |site| {
        let id = optional_str(package_id, "package_id")?;
        Ok(distribution::summaries(site, id)?)
    })
}

pub(super) unsafe fn distribute_options(
    value: *const c_char,
) -> Result<DistributeOptions, CallError> {
    match optional_str(value, "options_json")? {
        None => Ok(DistributeOptions::default()),
        Some(text) => serde_json::from_str::<DistributeOptionsJson>(text)
            .map(Into::into)
            .map_err(|e| {
                CallError::Core(Error::invalid_argument(
                    "options_json",
                    format!("not distribution options ({e}); expected {{\"workers\": 4}}"),
                ))
            }),
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct PointJson<'a> {
    name: &'a str,
    path: &'a str,
    description: &'a str,
    created_at: &'a str,
    modified_at: &'a str,
}

impl<'a> From<&'a DistributionPoint> for PointJson<'a> {
    fn from(p: &'a DistributionPoint) -> Self {
        PointJson {
            name: &p.name,
            path: &p.path,
            description: &p.description,
            created_at: &p.created_at,
            modified_at: &p.modified_at,
        }
    }
}

/// A status with its failure's class as an `osu_status` (0 when there is none).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct StatusJson<'a> {
    package_id: &'a str,
    distribution_point: &'a str,
    target_content_version: i64,
    installed_content_version: Option<i64>,
    /// Configuration Manager's word: "Waiting", "InProgress", "Installed", "Failed", "Retrying".
    state: &'static str,
    bytes_total: u64,
    bytes_copied: u64,
    bytes_reused: u64,
    files_copied: u64,
    last_error: &'a str,
    last_error_status: i32,
    started_at: Option<&'a str>,
    finished_at: Option<&'a str>,
    modified_at: &'a str,
}

impl<'a> From<&'a DistributionStatus> for StatusJson<'a> {
    fn from(s: &'a DistributionStatus) -> Self {
        StatusJson {
            package_id: &s.package_id,
            distribution_point: &s.distribution_point,
            target_content_version: s.target_content_version,
            installed_content_version: s.installed_content_version,
            state: s.state.name(),
            bytes_total: s.bytes_total,
            bytes_copied: s.bytes_copied,
            bytes_reused: s.bytes_reused,
            files_copied: s.files_copied,
            last_error: &s.last_error,
            last_error_status: s
                .last_error_kind
                .map_or(osu_status::OSU_OK, osu_status::of_kind)
                as i32,
            started_at: s.started_at.as_deref(),
            finished_at: s.finished_at.as_deref(),
            modified_at: &s.modified_at,
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct SummaryJson<'a> {
    package_id: &'a str,
    package_name: &'a str,
    content_version: i64,
    targeted: u64,
    installed: u64,
    in_progress: u64,
    failed: u64,
}

impl<'a> From<&'a DistributionSummary> for SummaryJson<'a> {
    fn from(s: &'a DistributionSummary) -> Self {
        SummaryJson {
            package_id: &s.package_id,
            package_name: &s.package_name,
            content_version: s.content_version,
            targeted: s.targeted,
            installed: s.installed,
            in_progress: s.in_progress,
            failed: s.failed,
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ReportJson<'a> {
    package_id: &'a str,
    distribution_point: &'a str,
    content_version: i64,
    files_checked: u64,
    missing: &'a [String],
    altered: &'a [String],
    unexpected: &'a [String],
    links: &'a [String],
    valid: bool,
}

impl<'a> From<&'a ValidationReport> for ReportJson<'a> {
    fn from(r: &'a ValidationReport) -> Self {
        ReportJson {
            package_id: &r.package_id,
            distribution_point: &r.distribution_point,
            content_version: r.content_version,
            files_checked: r.files_checked,
            missing: &r.missing,
            altered: &r.altered,
            unexpected: &r.unexpected,
            links: &r.links,
            valid: r.valid,
        }
    }
}

/// `{"workers": N}`: how a distribution runs; a field not given keeps its default.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct DistributeOptionsJson {
    workers: Option<usize>,
}

impl From<DistributeOptionsJson> for DistributeOptions {
    fn from(json: DistributeOptionsJson) -> Self {
        let defaults = DistributeOptions::default();
        DistributeOptions {
            workers: json.workers.unwrap_or(defaults.workers),
        }
    }
}

json_shape! {
    DistributionPoint => PointJson,
    DistributionStatus => StatusJson,
    DistributionSummary => SummaryJson,
    ValidationReport => ReportJson,
}
