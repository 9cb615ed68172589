//! The C face of servicing: the runs schedules recorded, and the site's servicing engine.

use std::ffi::c_char;
use std::path::PathBuf;

use super::arguments::{optional_str, required_str};
use super::entry::{answer_record, answer_records, on_site};
use super::handles::osu_site;
use super::status::osu_status;
use crate::servicing::{self, Engine};
use crate::Error;

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
        let package = optional_str(package_id, "package_id")?;
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
pub unsafe extern "C" fn osu_servicing_engine_get(
    site: *mut osu_site,
    out_engine_json: *mut *mut c_char,
) -> osu_status {
    answer_record(site, out_engine_json, "out_engine_json", |site| {
        Ok(servicing::get_engine(site)?)
    })
}
