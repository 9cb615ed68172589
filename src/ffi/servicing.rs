//! The C face of servicing: the runs schedules recorded, and the site's servicing engine.

use std::ffi::c_char;
use std::path::PathBuf;

use super::arguments::{optional_name, required_str};
use super::entry::{answer_record, answer_records, on_site};
use super::handles::osu_site;
use super::json::{json_shape, ToJson};
use super::status::osu_status;
use crate::model::{ServicingRun, UpdateResult};
use crate::servicing::{self, Engine, EngineSettings};
use crate::Error;
use serde::Serialize;

/// Writes a JSON array of servicing runs, newest first, to `*out_runs_json`: of the schedule
/// `schedule_id` (0: of any) and of the package `package_id` (NULL: of any). See
/// `osu_schedule_run` for a run's fields.
///
/// # Safety
/// `package_id` is NULL or NUL-terminated UTF-8; `out_runs_json` points to writable storage.
#[no_mangle]
pub unsafe extern "C" fn osu_servicing_run_list(
    site: *mut osu_site,
    schedule_id: i64,
    package_id: *const c_char,
    out_runs_json: *mut *mut c_char,
) -> osu_status {
    answer_records(site, out_runs_json, "out_runs_json", |site| {
        let package = optional_name(package_id, "package_id")?;
        let schedule = (schedule_id != 0).then_some(schedule_id);
        Ok(servicing::list_runs(site, schedule, package)?)
    })
}

/// Sets the engine the site services with: `engine` is `dism` (Windows' DISM; the default) or
/// `command`, with `command_path` the absolute path of the admin's program, called once per
/// step as the README's "The command engine" documents. `OSU_INVALID_ARGUMENT` for another
/// engine name or a command engine without an absolute program path.
///
/// # Safety
/// Strings are NULL or NUL-terminated UTF-8.
#[no_mangle]
pub unsafe extern "C" fn osu_servicing_engine_set(
    site: *mut osu_site,
    engine: *const c_char,
    command_path: *const c_char,
) -> osu_status {
    on_site(site, |site| {
        let name = required_str(engine, "engine")?;
        let command = optional_name(command_path, "command_path")?;
        let engine = match (name.to_ascii_lowercase().as_str(), command) {
            ("dism", None) => Engine::Dism,
            ("command", Some(program)) => Engine::Command(PathBuf::from(program)),
            ("dism", Some(_)) => {
                return Err(Error::invalid_argument(
                    "command_path",
                    "the dism engine takes no program",
                )
                .into())
            }
            ("command", None) => {
                return Err(Error::invalid_argument(
                    "command_path",
                    "the command engine needs its program's path",
                )
                .into())
            }
            _ => {
                return Err(Error::invalid_argument(
                    "engine",
                    format!("'{name}' is not an engine: dism or command"),
                )
                .into())
            }
        };
        Ok(servicing::set_engine(site, &engine)?)
    })
}

/// Sets how long one step of the servicing engine may run, in seconds (1 to 604800, a week;
/// the default is 7200, two hours). A step still running at the limit is ended with every
/// process it started (its process group on Linux) and its updates are recorded as failed,
/// "timed out". `OSU_INVALID_ARGUMENT` outside those bounds.
///
/// # Safety
/// `site` is a handle from `osu_site_open` or `osu_site_create`.
#[no_mangle]
pub unsafe extern "C" fn osu_servicing_max_run_time_set(
    site: *mut osu_site,
    seconds: u32,
) -> osu_status {
    on_site(site, |site| {
        let limit = std::time::Duration::from_secs(u64::from(seconds));
        Ok(servicing::set_max_run_time(site, limit)?)
    })
}

/// Writes the site's servicing engine to `*out_engine_json`: `{"engine": "dism" | "command",
/// "commandPath": "…" | null, "available": true | false, "reason": "…", "maxRunSeconds": n}`,
/// where `reason` says why an engine is not available on this machine and `maxRunSeconds` is
/// how long one step may run (`osu_servicing_max_run_time_set`).
///
/// # Safety
/// `out_engine_json` points to writable storage.
#[no_mangle]
pub unsafe extern "C" fn osu_servicing_engine_get(
    site: *mut osu_site,
    out_engine_json: *mut *mut c_char,
) -> osu_status {
    answer_record(site, out_engine_json, "out_engine_json", |site| {
        Ok(servicing::get_engine_settings(site)?)
    })
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ResultJson<'a> {
    update_id: &'a str,
    image: &'a str,
    image_index: u32,
    state: &'a str,
    exit_code: Option<i64>,
    message: &'a str,
}

impl<'a> From<&'a UpdateResult> for ResultJson<'a> {
    fn from(r: &'a UpdateResult) -> Self {
        ResultJson {
            update_id: &r.update_id,
            image: &r.image,
            image_index: r.image_index,
            state: r.state.name(),
            exit_code: r.exit_code,
            message: &r.message,
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct RunJson<'a> {
    id: i64,
    schedule_id: Option<i64>,
    package_id: &'a str,
    state: &'static str,
    engine: &'a str,
    content_version_from: i64,
    content_version_to: Option<i64>,
    error: &'a str,
    error_status: i32,
    log_path: &'a str,
    started_at: &'a str,
    finished_at: Option<&'a str>,
    points_pending: bool,
    points_error: &'a str,
    results: Vec<ResultJson<'a>>,
}

impl<'a> From<&'a ServicingRun> for RunJson<'a> {
    fn from(r: &'a ServicingRun) -> Self {
        RunJson {
            id: r.id,
            schedule_id: r.schedule_id,
            package_id: &r.package_id,
            state: r.state.name(),
            engine: &r.engine,
            content_version_from: r.content_version_from,
            content_version_to: r.content_version_to,
            error: &r.error,
            error_status: r
                .error_kind
                .map_or(0, |kind| osu_status::of_kind(kind) as i32),
            log_path: &r.log_path,
            started_at: &r.started_at,
            finished_at: r.finished_at.as_deref(),
            points_pending: r.points_pending,
            points_error: &r.points_error,
            results: r.results.iter().map(ResultJson::from).collect(),
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct EngineJson<'a> {
    engine: &'a str,
    command_path: Option<String>,
    available: bool,
    reason: String,
    max_run_seconds: u64,
}

impl<'a> From<&'a EngineSettings> for EngineJson<'a> {
    fn from(settings: &'a EngineSettings) -> Self {
        let e = &settings.engine;
        let check = e.check_available();
        EngineJson {
            engine: e.name(),
            command_path: match e {
                Engine::Command(program) => Some(program.display().to_string()),
                Engine::Dism => None,
            },
            available: check.is_ok(),
            reason: check.err().map(|e| e.to_string()).unwrap_or_default(),
            max_run_seconds: settings.max_run_time.as_secs(),
        }
    }
}

json_shape! {
    ServicingRun => RunJson,
    EngineSettings => EngineJson,
}
