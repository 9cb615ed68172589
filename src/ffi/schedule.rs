//! The C face of servicing schedules: create, get, list, set and remove, and running them (one
//! now, or those due).

use std::ffi::{c_char, c_void};
use std::ops::RangeInclusive;

use super::arguments::{optional_str, required_str};
use super::boundary::CallError;
use super::entry::{answer_record, answer_records, on_site};
use super::handles::osu_site;
use super::json::{json_shape, ToJson};
use super::progress::{forward_progress, osu_progress_callback};
use super::status::osu_status;
use crate::model::{NextRun, Recurrence, Schedule};
use crate::schedule::{self, ScheduleSettings};
use crate::time::{DAYS, DAYS_OF_MONTH, HOURS, OFFSET_DAYS, WEEKS};
use crate::{lifecycle, Error, Progress};
use serde::{Deserialize, Serialize};

/// Creates a servicing schedule for a package. `settings_json` (may be NULL for all defaults
/// but the updates, which are required) is `{"updateIds": ["KB5034441-x64", …], "recurrence":
/// {…}, "start": "2026-12-08T22:00", "utc": false, "continueOnError": true,
/// "updateDistributionPoints": true, "removeSuperseded": false, "serviceWinRe": false,
/// "serviceBootImage": false, "enabled": true}`; fields not given take these defaults, and
/// `start` defaults to now. `serviceWinRe` services the WinRE image inside each install.wim
/// index first (servicing stack and Safe OS updates; a Safe OS update needs it),
/// `serviceBootImage` each boot.wim index last (servicing stack and cumulative updates).
/// `recurrence` is `{"kind": "once"}` (the default), `{"kind": "hours", "interval": 6}`,
/// `{"kind": "days", "interval": 1}`, `{"kind": "weekly", "days": ["Tuesday", "Thursday"]}`,
/// `{"kind": "monthlyOnDay", "day": 31}` (a shorter month runs on its last day) or
/// `{"kind": "monthlyOnWeekday", "week": 2, "weekday": "Tuesday", "offsetDays": 7}` (week 1–4,
/// 5 = the last; "second Tuesday + 7 days" follows Patch Tuesday by a week). Times are the
/// runner's local time unless `utc`; a local time the clocks skip runs as late as the skip, one
/// they pass twice runs the first time. A once schedule whose start has passed runs at the next
/// runner call; a recurring one starts with its next occurrence.
///
/// Every update must apply to the package: `OSU_INVALID_ARGUMENT` says which does not and why
/// (architecture, build, already in the image, superseded by another or by a selected one).
/// On success `*out_schedule_json` receives the schedule: the settings as above with `"id"`,
/// `"packageId"`, `"nextRunAt"` (UTC, null once there is no next run), `"createdAt"`,
/// `"modifiedAt"`.
///
/// # Safety
/// Strings are NULL or NUL-terminated UTF-8; `out_schedule_json` points to writable storage.
#[no_mangle]
pub unsafe extern "C" fn osu_schedule_create(
    site: *mut osu_site,
    package_id: *const c_char,
    settings_json: *const c_char,
    out_schedule_json: *mut *mut c_char,
) -> osu_status {
    answer_record(site, out_schedule_json, "out_schedule_json", |site| {
        let id = required_str(package_id, "package_id")?;
        let settings = schedule_settings(settings_json)?;
        Ok(schedule::create(site, id, &settings)?)
    })
}

/// Writes the schedule with this ID to `*out_schedule_json` (see `osu_schedule_create`);
/// `OSU_NOT_FOUND` when there is none.
///
/// # Safety
/// `out_schedule_json` points to writable storage.
#[no_mangle]
pub unsafe extern "C" fn osu_schedule_get(
    site: *mut osu_site,
    schedule_id: i64,
    out_schedule_json: *mut *mut c_char,
) -> osu_status {
    answer_record(site, out_schedule_json, "out_schedule_json", |site| {
        Ok(schedule::get(site, schedule_id)?)
    })
}

/// Writes a JSON array of the schedules of a package (NULL: of every package), by ID.
///
/// # Safety
/// `package_id` is NULL or NUL-terminated UTF-8; `out_schedules_json` points to writable
/// storage.
#[no_mangle]
pub unsafe extern "C" fn osu_schedule_list(
    site: *mut osu_site,
    package_id: *const c_char,
    out_schedules_json: *mut *mut c_char,
) -> osu_status {
    answer_records(site, out_schedules_json, "out_schedules_json", |site| {
        let id = optional_str(package_id, "package_id")?;
        Ok(schedule::list(site, id)?)
    })
}

/// Changes a schedule: `settings_json` as for `osu_schedule_create`, where a field not given
/// stays as it is. The next run is computed anew. On success `*out_schedule_json` receives the
/// schedule.
///
/// # Safety
/// `settings_json` is NUL-terminated UTF-8; `out_schedule_json` points to writable storage.
#[no_mangle]
pub unsafe extern "C" fn osu_schedule_set(
    site: *mut osu_site,
    schedule_id: i64,
    settings_json: *const c_char,
    out_schedule_json: *mut *mut c_char,
) -> osu_status {
    answer_record(site, out_schedule_json, "out_schedule_json", |site| {
        required_str(settings_json, "settings_json")?;
        let settings = schedule_settings(settings_json)?;
        Ok(schedule::set(site, schedule_id, &settings)?)
    })
}

/// Writes a JSON array of the schedule's next `count` runs (1 to 1000), the first being the one
/// it is due for: `[{"scheduleId": 1, "packageId": "OSU00001", "runAt":
/// "2027-01-19T22:00:00.000Z"}, …]` (UTC); an overdue run is listed once and the rest follow
/// from now. Fewer when the schedule ends (a once schedule has one), none when it has run or is
/// disabled; `OSU_NOT_FOUND` when there is no such schedule.
///
/// # Safety
/// `out_next_runs_json` points to writable storage.
#[no_mangle]
pub unsafe extern "C" fn osu_schedule_next_runs(
    site: *mut osu_site,
    schedule_id: i64,
    count: i32,
    out_next_runs_json: *mut *mut c_char,
) -> osu_status {
    answer_records(site, out_next_runs_json, "out_next_runs_json", |site| {
        // A negative count is out of range as 0 is, and next_runs refuses it the same way.
        let count = usize::try_from(count).unwrap_or(usize::MAX);
        Ok(schedule::next_runs(site, schedule_id, count)?)
    })
}

/// Removes a schedule; its run history stays with the package.
#[no_mangle]
pub extern "C" fn osu_schedule_remove(site: *mut osu_site, schedule_id: i64) -> osu_status {
    on_site(site, |site| Ok(schedule::remove(site, schedule_id)?))
}

unsafe fn schedule_settings(value: *const c_char) -> Result<ScheduleSettings, CallError> {
    let Some(text) = optional_str(value, "settings_json")? else {
        return Ok(ScheduleSettings::default());
    };
    serde_json::from_str::<ScheduleSettingsJson>(text)
        .map_err(|e| e.to_string())
        .and_then(ScheduleSettingsJson::into_settings)
        .map_err(|reason| {
            CallError::Core(Error::invalid_argument(
                "settings_json",
                format!("not schedule settings: {reason}"),
            ))
        })
}

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
/// yet to get the version the run made (`pointsError` says why; `osu_schedule_run_due` tries
/// again at each call), and
/// `state` is `Succeeded`, `PartiallySucceeded` (continue-on-error let some fail) or `Failed`,
/// `errorStatus` the `osu_status` of its error (0 when none), and each result's `state`
/// `Installed`, `Failed`, `NotRun` or `Discarded` (added, then thrown away with a run that
/// stopped on a failure). Errors: `OSU_NOT_FOUND` (no such schedule),
/// `OSU_INVALID_ARGUMENT` (no servicing engine here: nothing is touched), `OSU_BUSY`,
/// `OSU_CANCELLED` (the progress callback stopped it; recorded as failed).
///
/// # Safety
/// `out_run_json` points to writable storage.
#[no_mangle]
pub unsafe extern "C" fn osu_schedule_run(
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

/// Runs every enabled schedule that is due, one after another, as `osu_schedule_run`
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
pub unsafe extern "C" fn osu_schedule_run_due(
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

const WEEKDAYS: [&str; 7] = [
    "Sunday",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
];

/// A recurrence as the C interface spells it: `{"kind": "once"}`, `{"kind": "hours",
/// "interval": 6}`, `{"kind": "days", "interval": 1}`, `{"kind": "weekly", "days":
/// ["Tuesday"]}`, `{"kind": "monthlyOnDay", "day": 31}`, `{"kind": "monthlyOnWeekday",
/// "week": 2, "weekday": "Tuesday", "offsetDays": 7}` (week 5 = the last); kinds and days in
/// any letter case.
#[derive(Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct RecurrenceJson {
    kind: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    interval: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    days: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    day: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    week: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    weekday: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    offset_days: Option<i64>,
}

impl From<&Recurrence> for RecurrenceJson {
    fn from(r: &Recurrence) -> Self {
        let name = |d: u8| {
            WEEKDAYS
                .get(usize::from(d))
                .copied()
                .unwrap_or("?")
                .to_string()
        };
        let kind = |k: &str| RecurrenceJson {
            kind: k.into(),
            ..Default::default()
        };
        match r {
            Recurrence::Once => kind("once"),
            Recurrence::Hours(n) => RecurrenceJson {
                interval: Some(i64::from(*n)),
                ..kind("hours")
            },
            Recurrence::Days(n) => RecurrenceJson {
                interval: Some(i64::from(*n)),
                ..kind("days")
            },
            Recurrence::Weekly(days) => RecurrenceJson {
                days: Some(days.iter().map(|d| name(*d)).collect()),
                ..kind("weekly")
            },
            Recurrence::MonthlyOnDay(day) => RecurrenceJson {
                day: Some(i64::from(*day)),
                ..kind("monthlyOnDay")
            },
            Recurrence::MonthlyOnWeekday {
                week,
                weekday,
                offset_days,
            } => RecurrenceJson {
                week: Some(i64::from(*week)),
                weekday: Some(name(*weekday)),
                offset_days: Some(i64::from(*offset_days)),
                ..kind("monthlyOnWeekday")
            },
        }
    }
}

/// A number field of a recurrence, when given: within `range`, or the reason, naming the field
/// and its bounds.
fn within<T>(
    value: Option<i64>,
    field: &str,
    range: &RangeInclusive<T>,
) -> Option<Result<T, String>>
where
    T: TryFrom<i64> + Into<i64> + PartialOrd + Copy,
{
    value.map(|value| {
        T::try_from(value)
            .ok()
            .filter(|v| range.contains(v))
            .ok_or_else(|| {
                let (low, high): (i64, i64) = ((*range.start()).into(), (*range.end()).into());
                format!("{field}: {value} is not between {low} and {high}")
            })
    })
}

impl RecurrenceJson {
    pub(crate) fn into_recurrence(self) -> Result<Recurrence, String> {
        let day_number = |name: &str| {
            WEEKDAYS
                .iter()
                .position(|d| d.eq_ignore_ascii_case(name))
                .map(|d| d as u8)
                .ok_or_else(|| format!("'{name}' is not a day of the week (Sunday … Saturday)"))
        };
        let need = |what: &str| format!("a {} recurrence needs \"{what}\"", self.kind);
        Ok(match self.kind.to_ascii_lowercase().as_str() {
            "once" => Recurrence::Once,
            "hours" => Recurrence::Hours(within(self.interval, "interval", &HOURS).ok_or_else(|| need("interval"))??),
            "days" => Recurrence::Days(within(self.interval, "interval", &DAYS).ok_or_else(|| need("interval"))??),
            "weekly" => Recurrence::Weekly(
                self.days
                    .as_deref()
                    .ok_or_else(|| need("days"))?
                    .iter()
                    .map(|d| day_number(d))
                    .collect::<Result<_, _>>()?,
            ),
            "monthlyonday" => Recurrence::MonthlyOnDay(
                within(self.day, "day", &DAYS_OF_MONTH).ok_or_else(|| need("day"))??,
            ),
            "monthlyonweekday" => Recurrence::MonthlyOnWeekday {
                week: within(self.week, "week", &WEEKS).ok_or_else(|| need("week"))??,
                weekday: day_number(self.weekday.as_deref().ok_or_else(|| need("weekday"))?)?,
                offset_days: within(self.offset_days, "offsetDays", &OFFSET_DAYS).unwrap_or(Ok(0))?,
            },
            other => {
                return Err(format!(
                    "'{other}' is not a recurrence kind (once, hours, days, weekly, monthlyOnDay, monthlyOnWeekday)"
                ))
            }
        })
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ScheduleJson<'a> {
    id: i64,
    package_id: &'a str,
    update_ids: &'a [String],
    recurrence: RecurrenceJson,
    start: &'a str,
    utc: bool,
    continue_on_error: bool,
    update_distribution_points: bool,
    remove_superseded: bool,
    service_win_re: bool,
    service_boot_image: bool,
    enabled: bool,
    next_run_at: Option<&'a str>,
    created_at: &'a str,
    modified_at: &'a str,
}

impl<'a> From<&'a Schedule> for ScheduleJson<'a> {
    fn from(s: &'a Schedule) -> Self {
        ScheduleJson {
            id: s.id,
            package_id: &s.package_id,
            update_ids: &s.update_ids,
            recurrence: (&s.recurrence).into(),
            start: &s.start,
            utc: s.utc,
            continue_on_error: s.continue_on_error,
            update_distribution_points: s.update_distribution_points,
            remove_superseded: s.remove_superseded,
            service_win_re: s.service_winre,
            service_boot_image: s.service_boot_image,
            enabled: s.enabled,
            next_run_at: s.next_run_at.as_deref(),
            created_at: &s.created_at,
            modified_at: &s.modified_at,
        }
    }
}

/// A schedule's settings as `osu_schedule_create` and `osu_schedule_set` take them; a field
/// not given takes its default (create) or stays as it is (set).
#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct ScheduleSettingsJson {
    update_ids: Option<Vec<String>>,
    recurrence: Option<RecurrenceJson>,
    start: Option<String>,
    utc: Option<bool>,
    continue_on_error: Option<bool>,
    update_distribution_points: Option<bool>,
    remove_superseded: Option<bool>,
    service_win_re: Option<bool>,
    service_boot_image: Option<bool>,
    enabled: Option<bool>,
}

impl ScheduleSettingsJson {
    pub(crate) fn into_settings(self) -> Result<ScheduleSettings, String> {
        Ok(ScheduleSettings {
            update_ids: self.update_ids,
            recurrence: self
                .recurrence
                .map(RecurrenceJson::into_recurrence)
                .transpose()?,
            start: self.start,
            utc: self.utc,
            continue_on_error: self.continue_on_error,
            update_distribution_points: self.update_distribution_points,
            remove_superseded: self.remove_superseded,
            service_winre: self.service_win_re,
            service_boot_image: self.service_boot_image,
            enabled: self.enabled,
        })
    }
}

json_shape! {
    Schedule => ScheduleJson,
    NextRun => NextRunJson,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct NextRunJson<'a> {
    schedule_id: i64,
    package_id: &'a str,
    run_at: &'a str,
}

impl<'a> From<&'a NextRun> for NextRunJson<'a> {
    fn from(run: &'a NextRun) -> Self {
        NextRunJson {
            schedule_id: run.schedule_id,
            package_id: &run.package_id,
            run_at: &run.run_at,
        }
    }
}

#[cfg(test)]
mod tests {
    use std::ffi::CString;

    use super::super::boundary::osu_last_error_message;
    use super::*;
    use crate::ffi::{
        osu_content_distribute, osu_package_add, osu_site_close, osu_site_create, osu_string_free,
    };

    /// A scratch site for the C face's JSON arguments to be thrown at.
    fn scratch_site(name: &str) -> *mut osu_site {
        let folder =
            std::env::temp_dir().join(format!("osupgrade-fuzz-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&folder);
        let path = CString::new(folder.to_string_lossy().as_bytes()).expect("a path");
        let mut site = std::ptr::null_mut();
        // SAFETY: a NUL-terminated path and a place for the handle.
        let status = unsafe { osu_site_create(path.as_ptr(), std::ptr::null(), &mut site) };
        assert_eq!(status, osu_status::OSU_OK);
        site
    }

    /// Feeds `target`'s JSON through `call`; a caught panic (`OSU_INTERNAL`) fails.
    fn fuzz_json(target: &str, mut call: impl FnMut(*const c_char) -> osu_status) {
        crate::fuzz::fuzz(target, |bytes| {
            let text: Vec<u8> = bytes.iter().copied().filter(|&b| b != 0).collect();
            let json = CString::new(text).expect("no NUL left");
            let status = call(json.as_ptr());
            // SAFETY: the message is the library's own, valid until the next call.
            let message = unsafe { std::ffi::CStr::from_ptr(osu_last_error_message()) };
            assert_ne!(status, osu_status::OSU_INTERNAL, "{message:?}");
        });
    }

    /// Adds OSU00001 from a small source made by tests/fixtures/make-source.sh.
    fn add_package(site: *mut osu_site) {
        let source =
            std::env::temp_dir().join(format!("osupgrade-fuzz-source-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&source);
        let script =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/make-source.sh");
        let made = std::process::Command::new("bash")
            .arg(script)
            .arg(&source)
            .args(["--small-files", "2"])
            .status()
            .expect("bash");
        assert!(made.success(), "make-source.sh failed");
        let path = CString::new(source.to_string_lossy().as_bytes()).expect("a path");
        let name = CString::new("Fuzz").expect("a name");
        let mut out = std::ptr::null_mut();
        // SAFETY: a live handle, NUL-terminated strings, a place for the answer.
        let status = unsafe {
            osu_package_add(
                site,
                path.as_ptr(),
                name.as_ptr(),
                std::ptr::null(),
                std::ptr::null(),
                None,
                std::ptr::null_mut(),
                &mut out,
            )
        };
        assert_eq!(status, osu_status::OSU_OK);
        // SAFETY: the answer is the library's, freed once.
        unsafe { osu_string_free(out) };
        let _ = std::fs::remove_dir_all(&source);
    }

    /// Settings of any shape are refused or kept, and a schedule's next run is computed for
    /// whatever recurrence gets through, never a panic (an overflow in civil time, say).
    #[test]
    fn fuzz_schedule_settings_json() {
        let site = scratch_site("schedule");
        add_package(site);
        let package = CString::new("OSU00001").expect("an ID");
        fuzz_json("schedule-settings", |json| {
            let mut out = std::ptr::null_mut();
            // SAFETY: a live handle, NUL-terminated strings, a place for the answer.
            unsafe {
                let status = osu_schedule_create(site, package.as_ptr(), json, &mut out);
                osu_string_free(out);
                let _ = osu_schedule_set(site, 1, json, &mut out);
                osu_string_free(out);
                status
            }
        });
        // SAFETY: the handle is this test's, closed once.
        unsafe { osu_site_close(site) };
    }

    #[test]
    fn fuzz_distribute_options_json() {
        let site = scratch_site("distribute");
        let packages = CString::new("[\"OSU99999\"]").expect("a list");
        let points = CString::new("[\"DP1\"]").expect("a list");
        fuzz_json("distribute-options", |json| {
            let mut out = std::ptr::null_mut();
            // SAFETY: a live handle, NUL-terminated strings, a place for the answer.
            unsafe {
                let status = osu_content_distribute(
                    site,
                    packages.as_ptr(),
                    points.as_ptr(),
                    json,
                    None,
                    std::ptr::null_mut(),
                    &mut out,
                );
                osu_string_free(out);
                status
            }
        });
        // SAFETY: the handle is this test's, closed once.
        unsafe { osu_site_close(site) };
    }
}
