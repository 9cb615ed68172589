//! Operations that span areas, in the one place that calls them: an area never calls the area
//! above it. Removing a package takes it off every distribution point before its records and
//! content go; a servicing run updates the distribution points that hold the package after it.

use crate::distribution::{self, DistributeOptions};
use crate::error::Result;
use crate::model::{RunState, ServicingRun};
use crate::progress::ProgressFn;
use crate::site::Site;
use crate::{package, schedule, servicing};

/// Removes a package: first its content from every distribution point that holds it (so no
/// point keeps orphaned content), then its records, then the blobs no other package uses.
pub fn remove_package(site: &Site, id: &str) -> Result<()> {
    package::get(site, id)?;
    distribution::remove_package_everywhere(site, id)?;
    package::remove(site, id)
}

/// Runs a schedule now, whether it is due or not (its next run stays as it is), then updates
/// the distribution points that hold the package where the schedule asks for it.
pub fn run_schedule(site: &Site, id: i64, progress: &mut ProgressFn<'_>) -> Result<ServicingRun> {
    let schedule = schedule::get(site, id)?;
    let run = servicing::service(site, &schedule, false, progress)?
        .expect("a run that is not claimed always runs");
    after_run(site, &schedule, run, progress)
}

/// Runs every enabled schedule that is due (what the OS scheduler calls every few minutes),
/// one after another; each moves on to its next run as it is taken. A schedule another runner
/// took meanwhile is left to it. Returns the runs made.
pub fn run_due_schedules(site: &Site, progress: &mut ProgressFn<'_>) -> Result<Vec<ServicingRun>> {
    let now = schedule::civil::utc_text(schedule::civil::now());
    let mut runs = Vec::new();
    for due in site.db().schedules(None, Some(&now))? {
        match servicing::service(site, &due, true, progress) {
            Ok(Some(run)) => runs.push(after_run(site, &due, run, progress)?),
            Ok(None) => {}
            Err(error) if error.is_busy() => {}
            Err(error) => return Err(error),
        }
    }
    Ok(runs)
}

fn after_run(
    site: &Site,
    schedule: &schedule::Schedule,
    run: ServicingRun,
    progress: &mut ProgressFn<'_>,
) -> Result<ServicingRun> {
    let made_version = run.content_version_to.is_some()
        && matches!(
            run.state,
            RunState::Succeeded | RunState::PartiallySucceeded
        );
    if !(made_version && schedule.update_distribution_points) {
        return Ok(run);
    }
    if let Err(error) = distribution::redistribute(
        site,
        &run.package_id,
        &DistributeOptions::default(),
        progress,
    ) {
        site.db().write(|db| {
            db.note_run_error(
                run.id,
                &format!("updating distribution points failed: {error}"),
            )
        })?;
    }
    servicing::get_run(site, run.id)
}
