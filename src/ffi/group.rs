//! The C face of distribution point groups: their records, their members, and content
//! distributed to, validated on and removed from every point of a group.

use std::ffi::{c_char, c_void};

use super::arguments::{optional_str, required_str, string_list};
use super::distribution::distribute_options;
use super::entry::{answer_record, answer_records, on_site};
use super::handles::osu_site;
use super::json::{json_shape, ToJson};
use super::progress::{forward_progress, osu_progress_callback};
use super::status::osu_status;
use crate::distribution;
use crate::model::DistributionPointGroup;
use crate::Progress;
use serde::Serialize;

/// Creates a distribution point group (Configuration Manager's): `name` (unique in the site, any
/// letter case, no space at either end, none of `* ? [ ] \``), `description` NULL or text. On success `*out_group_json`
/// receives `{"id", "name", "description", "members", "packageIds", "createdAt", "modifiedAt"}`:
/// `id` its GUID in braces (Configuration Manager's GroupID, kept through renames), `members` the
/// names of its points, `packageIds` the packages it carries.
///
/// Errors: `OSU_INVALID_ARGUMENT` (an empty or unusable name), `OSU_CONFLICT` (the name is taken).
///
/// # Safety
/// Strings are NULL or NUL-terminated UTF-8; `out_group_json` points to writable storage.
#[no_mangle]
pub unsafe extern "C" fn osu_distribution_point_group_create(
    site: *mut osu_site,
    name: *const c_char,
    description: *const c_char,
    out_group_json: *mut *mut c_char,
) -> osu_status {
    answer_record(site, out_group_json, "out_group_json", |site| {
        let name = required_str(name, "name")?;
        let description = optional_str(description, "description")?.unwrap_or("");
        Ok(distribution::create_group(site, name, description)?)
    })
}

/// Writes the group with this name (any letter case) to `*out_group_json`; `OSU_NOT_FOUND` if
/// none.
///
/// # Safety
/// `name` is NUL-terminated UTF-8; `out_group_json` points to writable storage.
#[no_mangle]
pub unsafe extern "C" fn osu_distribution_point_group_get(
    site: *mut osu_site,
    name: *const c_char,
    out_group_json: *mut *mut c_char,
) -> osu_status {
    answer_record(site, out_group_json, "out_group_json", |site| {
        let name = required_str(name, "name")?;
        Ok(distribution::get_group(site, name)?)
    })
}

/// Writes a JSON array of every distribution point group, by name, to `*out_groups_json`.
///
/// # Safety
/// `out_groups_json` points to writable storage.
#[no_mangle]
pub unsafe extern "C" fn osu_distribution_point_group_list(
    site: *mut osu_site,
    out_groups_json: *mut *mut c_char,
) -> osu_status {
    answer_records(site, out_groups_json, "out_groups_json", |site| {
        Ok(distribution::list_groups(site)?)
    })
}

/// Renames a group or changes its description; NULL leaves a field as it is.
///
/// # Safety
/// Strings are NULL or NUL-terminated UTF-8; `out_group_json` points to writable storage.
#[no_mangle]
pub unsafe extern "C" fn osu_distribution_point_group_set(
    site: *mut osu_site,
    name: *const c_char,
    new_name: *const c_char,
    description: *const c_char,
    out_group_json: *mut *mut c_char,
) -> osu_status {
    answer_record(site, out_group_json, "out_group_json", |site| {
        let name = required_str(name, "name")?;
        let new_name = optional_str(new_name, "new_name")?;
        let description = optional_str(description, "description")?;
        Ok(distribution::set_group(site, name, new_name, description)?)
    })
}

/// Removes a group. Its points keep the content they hold.
///
/// # Safety
/// `name` is NUL-terminated UTF-8.
#[no_mangle]
pub unsafe extern "C" fn osu_distribution_point_group_remove(
    site: *mut osu_site,
    name: *const c_char,
) -> osu_status {
    on_site(site, |site| {
        let name = required_str(name, "name")?;
        Ok(distribution::remove_group(site, name)?)
    })
}

/// Makes distribution points members of a group (`distribution_points_json`, a JSON array of
/// names; a member named again stays one), then distributes to them the packages the group
/// carries, as `osu_content_distribute` does (`options_json`, `progress`, `user_data` as there).
/// `*out_statuses_json` receives the status of each of those jobs: `[]` when the group carries
/// no package. `OSU_NOT_FOUND` names a group or point that does not exist; then no point joins.
///
/// # Safety
/// Strings are NULL or NUL-terminated UTF-8; `out_statuses_json` points to writable storage.
#[no_mangle]
pub unsafe extern "C" fn osu_distribution_point_group_add_points(
    site: *mut osu_site,
    name: *const c_char,
    distribution_points_json: *const c_char,
    options_json: *const c_char,
    progress: osu_progress_callback,
    user_data: *mut c_void,
    out_statuses_json: *mut *mut c_char,
) -> osu_status {
    answer_records(site, out_statuses_json, "out_statuses_json", |site| {
        let name = required_str(name, "name")?;
        let points = string_list(distribution_points_json, "distribution_points_json")?;
        let points: Vec<&str> = points.iter().map(String::as_str).collect();
        let options = distribute_options(options_json)?;
        let mut report = |p: &Progress<'_>| forward_progress(progress, user_data, p);
        Ok(distribution::add_points_to_group(
            site,
            name,
            &points,
            &options,
            &mut report,
        )?)
    })
}

/// Takes distribution points (`distribution_points_json`, a JSON array of names) out of a group;
/// they keep the content they hold. `OSU_NOT_FOUND` names a point that is not a member; then
/// none leaves. On success `*out_group_json` receives the group as it is now.
///
/// # Safety
/// Strings are NULL or NUL-terminated UTF-8; `out_group_json` points to writable storage.
#[no_mangle]
pub unsafe extern "C" fn osu_distribution_point_group_remove_points(
    site: *mut osu_site,
    name: *const c_char,
    distribution_points_json: *const c_char,
    out_group_json: *mut *mut c_char,
) -> osu_status {
    answer_record(site, out_group_json, "out_group_json", |site| {
        let name = required_str(name, "name")?;
        let points = string_list(distribution_points_json, "distribution_points_json")?;
        let points: Vec<&str> = points.iter().map(String::as_str).collect();
        Ok(distribution::remove_points_from_group(site, name, &points)?)
    })
}

/// Distributes packages (`package_ids_json`, a JSON array of IDs) to every point of a group, as
/// `osu_content_distribute` does, and records that the group carries them: a point that joins
/// the group later is given them. A group without points records them and copies nothing
/// (`[]`). `*out_statuses_json` receives the status of every job.
///
/// # Safety
/// Strings are NULL or NUL-terminated UTF-8; `out_statuses_json` points to writable storage.
#[no_mangle]
pub unsafe extern "C" fn osu_content_distribute_to_group(
    site: *mut osu_site,
    package_ids_json: *const c_char,
    group: *const c_char,
    options_json: *const c_char,
    progress: osu_progress_callback,
    user_data: *mut c_void,
    out_statuses_json: *mut *mut c_char,
) -> osu_status {
    answer_records(site, out_statuses_json, "out_statuses_json", |site| {
        let packages = string_list(package_ids_json, "package_ids_json")?;
        let packages: Vec<&str> = packages.iter().map(String::as_str).collect();
        let group = required_str(group, "group")?;
        let options = distribute_options(options_json)?;
        let mut report = |p: &Progress<'_>| forward_progress(progress, user_data, p);
        Ok(distribution::distribute_to_group(
            site,
            &packages,
            group,
            &options,
            &mut report,
        )?)
    })
}

/// Validates the packages a group carries (or only `package_id`, when not NULL, which the group
/// must carry: else `OSU_NOT_FOUND`) on each point of the group that holds them, as
/// `osu_content_validate` does. `*out_reports_json` receives a
/// JSON array of its reports, by package and point; the first call that cannot validate (a
/// point busy, say) ends the call with its status.
///
/// # Safety
/// Strings are NULL or NUL-terminated UTF-8; `out_reports_json` points to writable storage.
#[no_mangle]
pub unsafe extern "C" fn osu_content_validate_on_group(
    site: *mut osu_site,
    group: *const c_char,
    package_id: *const c_char,
    progress: osu_progress_callback,
    user_data: *mut c_void,
    out_reports_json: *mut *mut c_char,
) -> osu_status {
    answer_records(site, out_reports_json, "out_reports_json", |site| {
        let group = required_str(group, "group")?;
        let id = optional_str(package_id, "package_id")?;
        let mut report = |p: &Progress<'_>| forward_progress(progress, user_data, p);
        Ok(distribution::validate_on_group(
            site,
            group,
            id,
            &mut report,
        )?)
    })
}

/// Removes a package's content from the points of a group, and the group no longer carries it;
/// a point keeps it where another group of that point still carries it. `OSU_NOT_FOUND` when
/// the group does not carry the package.
///
/// # Safety
/// Strings are NUL-terminated UTF-8.
#[no_mangle]
pub unsafe extern "C" fn osu_content_remove_from_group(
    site: *mut osu_site,
    package_id: *const c_char,
    group: *const c_char,
) -> osu_status {
    on_site(site, |site| {
        let id = required_str(package_id, "package_id")?;
        let group = required_str(group, "group")?;
        Ok(distribution::remove_from_group(site, id, group)?)
    })
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct GroupJson<'a> {
    id: &'a str,
    name: &'a str,
    description: &'a str,
    members: &'a [String],
    package_ids: &'a [String],
    created_at: &'a str,
    modified_at: &'a str,
}

impl<'a> From<&'a DistributionPointGroup> for GroupJson<'a> {
    fn from(g: &'a DistributionPointGroup) -> Self {
        GroupJson {
            id: &g.id,
            name: &g.name,
            description: &g.description,
            members: &g.members,
            package_ids: &g.package_ids,
            created_at: &g.created_at,
            modified_at: &g.modified_at,
        }
    }
}

json_shape! {
    DistributionPointGroup => GroupJson,
}
