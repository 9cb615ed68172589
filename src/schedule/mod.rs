//! Servicing schedules: which updates go into which package, when (a recurrence, in UTC or the
//! runner's local time), and how a run behaves (continue on error, update distribution points,
//! remove superseded components). Configuration Manager's
//! `New-CMOperatingSystemUpgradeUpdateSchedule` is the model.

use crate::error::{Error, Result};
pub use crate::model::{NextRun, Recurrence, Schedule};
use crate::site::Site;
use crate::time::civil::{now, parse_utc_text, utc_text, WallTime};
use crate::time::zone::{Local, Utc, Zone};
use crate::time::{next_run, validate};
use crate::updates;

/// A schedule's settings; `None` takes the default on `create` and leaves the field as it is
/// on `set`.
#[derive(Debug, Clone, Default)]
pub struct ScheduleSettings {
    /// The catalog updates to apply (IDs like `KB5034441-x64`); each must apply to the package.
    pub update_ids: Option<Vec<String>>,
    /// Default: once.
    pub recurrence: Option<Recurrence>,
    /// `YYYY-MM-DDTHH:MM[:SS]`; default: now.
    pub start: Option<String>,
    /// The start and the recurrence are in UTC rather than the runner's local time (default).
    pub utc: Option<bool>,
    /// A failed update is recorded and the others still go in (default: true).
    pub continue_on_error: Option<bool>,
    /// Update every distribution point that holds the package after a run (default: true).
    pub update_distribution_points: Option<bool>,
    /// Remove superseded components from the image after the updates (DISM's
    /// `/StartComponentCleanup /ResetBase`; default: false).
    pub remove_superseded: Option<bool>,
    /// Service the WinRE image inside each install image index too, with the servicing stack
    /// and Safe OS updates (default: false).
    pub service_winre: Option<bool>,
    /// Service sources/boot.wim too, with the servicing stack and cumulative updates (default:
    /// false).
    pub service_boot_image: Option<bool>,
    /// Default: true.
    pub enabled: Option<bool>,
}

/// Creates a servicing schedule for a package. Every update must apply to it (refused with the
/// reason otherwise). A once schedule whose start has passed runs at the next runner call; a
/// recurring one starts with its next occurrence.
pub fn create(site: &Site, package_id: &str, settings: &ScheduleSettings) -> Result<Schedule> {
    let update_ids = settings.update_ids.clone().unwrap_or_default();
    let service_winre = settings.service_winre.unwrap_or(false);
    let mut schedule = Schedule {
        id: 0,
        package_id: package_id.to_string(),
        update_ids: selected_ids(site, package_id, &update_ids, service_winre)?,
        recurrence: settings.recurrence.clone().unwrap_or(Recurrence::Once),
        start: String::new(),
        utc: settings.utc.unwrap_or(false),
        continue_on_error: settings.continue_on_error.unwrap_or(true),
        update_distribution_points: settings.update_distribution_points.unwrap_or(true),
        remove_superseded: settings.remove_superseded.unwrap_or(false),
        service_winre,
        service_boot_image: settings.service_boot_image.unwrap_or(false),
        enabled: settings.enabled.unwrap_or(true),
        next_run_at: None,
        created_at: String::new(),
        modified_at: String::new(),
    };
    schedule.start = match &settings.start {
        Some(text) => WallTime::parse(text, "start")?.text(),
        None => zone_of(&schedule).wall_time(now()).text(),
    };
    settle(&mut schedule, true)?;
    let id = site.db().write(|db| {
        db.require_package(package_id)?;
        db.insert_schedule(&schedule)
    })?;
    get(site, id)
}

pub fn get(site: &Site, id: i64) -> Result<Schedule> {
    site.db()
        .schedule(id)?
        .ok_or_else(|| Error::not_found("schedule", id.to_string()))
}

/// The most runs `next_runs` lists at once.
pub const MOST_NEXT_RUNS: usize = 1000;

/// The schedule's next `count` runs, first the one it is due for: what an admin checks before
/// the first one comes ("second Tuesday + 7 days" lands where they think). An overdue run (the
/// runner was off) is listed once, as the runner takes it, and the rest follow from now. Fewer
/// when the schedule ends (a once schedule has one); none when it has run or is disabled.
pub fn next_runs(site: &Site, id: i64, count: usize) -> Result<Vec<NextRun>> {
    if !(1..=MOST_NEXT_RUNS).contains(&count) {
        return Err(Error::invalid_argument(
            "count",
            format!("takes 1 to {MOST_NEXT_RUNS} runs"),
        ));
    }
    let schedule = get(site, id)?;
    let first = schedule
        .next_run_at
        .as_deref()
        .and_then(parse_utc_text)
        .filter(|_| schedule.enabled);
    let runs = std::iter::successors(first, |&previous| {
        next_run_after(&schedule, previous.max(now()))
    });
    Ok(runs
        .take(count)
        .map(|at| NextRun {
            schedule_id: schedule.id,
            package_id: schedule.package_id.clone(),
            run_at: utc_text(at),
        })
        .collect())
}

/// The schedules of a package, or of every package.
pub fn list(site: &Site, package_id: Option<&str>) -> Result<Vec<Schedule>> {
    if let Some(id) = package_id {
        site.db().require_package(id)?;
    }
    site.db().schedules(package_id, None)
}

/// Changes a schedule; its next run is computed anew (a once schedule whose time has passed
/// runs again only when its start or recurrence is given anew).
pub fn set(site: &Site, id: i64, settings: &ScheduleSettings) -> Result<Schedule> {
    let mut schedule = get(site, id)?;
    let fields = [
        (&mut schedule.utc, settings.utc),
        (&mut schedule.continue_on_error, settings.continue_on_error),
        (
            &mut schedule.update_distribution_points,
            settings.update_distribution_points,
        ),
        (&mut schedule.remove_superseded, settings.remove_superseded),
        (&mut schedule.service_winre, settings.service_winre),
        (
            &mut schedule.service_boot_image,
            settings.service_boot_image,
        ),
        (&mut schedule.enabled, settings.enabled),
    ];
    for (field, value) in fields {
        if let Some(value) = value {
            *field = value;
        }
    }
    // Checked again when WinRE servicing is switched off: a Safe OS update needs it.
    if settings.update_ids.is_some() || settings.service_winre.is_some() {
        let ids = settings.update_ids.as_ref().unwrap_or(&schedule.update_ids);
        schedule.update_ids =
            selected_ids(site, &schedule.package_id, ids, schedule.service_winre)?;
    }
    if let Some(recurrence) = &settings.recurrence {
        schedule.recurrence = recurrence.clone();
    }
    if let Some(start) = &settings.start {
        schedule.start = WallTime::parse(start, "start")?.text();
    }
    let rearm = settings.start.is_some() || settings.recurrence.is_some();
    settle(&mut schedule, rearm)?;
    site.db().write(|db| {
        get_in(db, id)?;
        db.update_schedule(&schedule)
    })?;
    get(site, id)
}

fn get_in(db: &crate::db::Db, id: i64) -> Result<Schedule> {
    db.schedule(id)?
        .ok_or_else(|| Error::not_found("schedule", id.to_string()))
}

pub fn remove(site: &Site, id: i64) -> Result<()> {
    site.db().write(|db| {
        get_in(db, id)?;
        db.delete_schedule(id)
    })
}

/// The update IDs as the catalog spells them, each checked to apply to the package (Safe OS
/// updates only where the schedule services WinRE).
fn selected_ids(
    site: &Site,
    package_id: &str,
    ids: &[String],
    service_winre: bool,
) -> Result<Vec<String>> {
    let updates = updates::check_selection(site, package_id, ids, service_winre)?;
    Ok(updates.into_iter().map(|u| u.id).collect())
}

/// Checks the recurrence and computes the next run; with `rearm`, a once schedule whose start
/// has passed runs at the next runner call.
fn settle(schedule: &mut Schedule, rearm: bool) -> Result<()> {
    validate(&schedule.recurrence)?;
    let next = next_run_after(schedule, now() - 1)
        .or_else(|| (rearm && schedule.recurrence == Recurrence::Once).then(now));
    schedule.next_run_at = next.map(utc_text);
    Ok(())
}

/// The schedule's first run later than `after` (UTC seconds).
pub(crate) fn next_run_after(schedule: &Schedule, after: i64) -> Option<i64> {
    let start = WallTime::parse(&schedule.start, "start").ok()?;
    next_run(&schedule.recurrence, &start, zone_of(schedule), after)
}

fn zone_of(schedule: &Schedule) -> &'static dyn Zone {
    if schedule.utc {
        &Utc
    } else {
        &Local
    }
}
