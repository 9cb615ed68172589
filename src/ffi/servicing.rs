//! The C face of servicing: running schedules (now, or those due), the runs they recorded, and
//! the site's servicing engine.

use std::ffi::{c_char, c_void};
use std::path::PathBuf;

use super::arguments::{optional_str, required_str};
use super::boundary::{answer_record, answer_records, on_site};
use super::handles::osu_site;
use super::progress::{forward_progress, osu_progress_callback};
use super::status::osu_status;
use crate::servicing::{self, Engine};
use crate::{lifecycle, Error, Progress};

/// Runs a schedule now, whether it is due or not (its next run stays as it is): takes the
/// package's lease (`OSU_BUSY` while another runner services it), copies its image out of the
/// content library, applies each update to each image index through the site's servicing
/// engine, and records the serviced image as the package's next content version with every
/// applied update; then, where the schedule says so, updates every distribution point that
/// holds the package. With continue-on-error a failed update is recorded and the rest go on;
/// without it the first failure discards the serviced image and the package keeps its content
/// version. A run killed at any point leaves the package as it was; the next run closes it as
/// interrupted.
///
/// A run that fails is recorded and returned, not an error: `*out_run_json` receives the run,
/// `{"id", "scheduleId", "packageId", "state", "engine", "contentVersionFrom",
/// "contentVersionTo", "error", "errorStatus", "logPath", "startedAt", "finishedAt",
/// "pointsPending", "pointsError", "results": [{"updateId", "image", "imageIndex", "state",
/// "exitCode", "message"}]}`, where `pointsPending` says the points holding the package have
/// yet to get the version the run made (`pointsError` says why; `osu_servicing_run_due` tries
/// again at each call), and
/// `state` is `Succeeded`, `PartiallySucceeded` (continue-on-error let some fail) or `Failed`,
/// `errorStatus` the `osu_status` of its error (0 when none), and each result's `state`
/// `Installed`, `Failed` or `NotRun`. Errors: `OSU_NOT_FOUND` (no such schedule),
/// `OSU_INVALID_ARGUMENT` (no servicing engine here: nothing is touched), `OSU_BUSY`,
/// `OSU_CANCELLED` (the progress callback stopped it; recorded as failed).
///
/// # Safety
/// `out_run_json` points to writable storage.
#[no_mangle]
pub unsafe extern "C" fn osu_servicing_run_schedule(
    site: *mut osu_site,
    schedule_id: i64,
    progress: osu_progress_callback,
    user_data: *mut c_void,
    out_run_json: *mut *mut c_char,
) -> osu_status {
    answer_record(site, out_run_json, "out_run_json", |site| {
        let mut report = |p: &Progress<'_>| forward_progress(progress, user_data, p);
        Ok(lifecycle::run_schedule(site, schedule_id, &mut report)?)
    })
}

/// Runs every enabled schedule that is due, one after another, as `osu_servicing_run_schedule`
/// does; each moves on to its next run as it is taken, and a schedule another runner took
/// meanwhile is left to it. First it takes up what earlier runs left undone: a run whose runner
/// died is closed as interrupted and its schedule runs again; points that did not get a
/// serviced version are updated again (those runs are in the array too). This is what Task Scheduler, cron or a systemd timer calls every
/// few minutes. `*out_runs_json` receives a JSON array of the runs made (empty when none was
/// due).
///
/// # Safety
/// `out_runs_json` points to writable storage.
#[no_mangle]
pub unsafe extern "C" fn osu_servicing_run_due(
    site: *mut osu_site,
    progress: osu_progress_callback,
    user_data: *mut c_void,
    out_runs_json: *mut *mut c_char,
) -> osu_status {
    answer_records(site, out_runs_json, "out_runs_json", |site| {
        let mut report = |p: &Progress<'_>| forward_progress(progress, user_data, p);
        Ok(lifecycle::run_due_schedules(site, &mut report)?)
    })
}

/// Writes a JSON array of servicing runs, newest first, to `*out_runs_json`: of the schedule
/// `schedule_id` (0: of any) and of the package `package_id` (NULL: of any). See
/// `osu_servicing_run_schedule` for a run's fields.
///
/// # Safety
/// `package_id` is NULL or NUL-terminated UTF-8; `out_runs_json` points to writable storage.
#[no_mangle]
pub unsafe extern "C" fn osu_servicing_list_runs(
    site: *mut osu_site,
    schedule_id: i64,
    package_id: *const c_char,
    out_runs_json: *mut *mut c_char,
) -> osu_status {
    answer_records(site, out_runs_json, "out_runs_json", |site| {
        let package = optional_str(package_id, "package_id")?;
        let schedule = (schedule_id != 0).then_some(schedule_id);
        Ok(servicing::runs(site, schedule, package)?)
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
pub unsafe extern "C" fn osu_servicing_set_engine(
    site: *mut osu_site,
    engine: *const c_char,
    command_path: *const c_char,
) -> osu_status {
    on_site(site, |site| {
        let name = required_str(engine, "engine")?;
        let command = optional_str(command_path, "command_path")?;
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

/// Writes the site's servicing engine to `*out_engine_json`: `{"engine": "dism" | "command",
/// "commandPath": "…" | null, "available": true | false, "reason": "…"}`, where `reason` says
/// why an engine is not available on this machine.
///
/// # Safety
/// `out_engine_json` points to writable storage.
#[no_mangle]
pub unsafe extern "C" fn osu_servicing_get_engine(
    site: *mut osu_site,
    out_engine_json: *mut *mut c_char,
) -> osu_status {
    answer_record(site, out_engine_json, "out_engine_json", |site| {
        Ok(servicing::engine(site)?)
    })
}
