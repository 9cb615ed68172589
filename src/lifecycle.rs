//! Operations that span areas, in the one place that calls them: an area never calls the area
//! above it. Removing a package takes it off every distribution point before its records and
//! content go; a servicing run updates the distribution points that hold the package after it.

use crate::distribution::{self, DistributeOptions, DistributionState};
use crate::error::Result;
use crate::model::ServicingRun;
use crate::progress::ProgressFn;
use crate::site::Site;
use crate::time::civil;
use crate::{package, schedule, servicing};

/// Removes a package: first its content from every distribution point that holds it (so no
/// point keeps orphaned content), then its records, then the blobs no other package uses.
pub fn remove_package(site: &Site, id: &str) -> Result<()> {
    let _log = site.log_scope();
    let removed = package::get(site, id)
        .and_then(|_| site.refuse_while_serviced(id, "remove"))
        .and_then(|()| distribution::remove_package_everywhere(site, id))
        .and_then(|()| package::remove_records(site, id));
    crate::logging::failure("package", &format!("removing {id}"), removed)?;
    log::info!(target: "package", "removed {id}, its content on every point, and the content only it used");
    Ok(())
}

/// Runs a schedule now, whether it is due or not (a recurring schedule's next run stays as it
/// is; a once schedule is done), then updates the distribution points that hold the package
/// where the schedule asks for it.
pub fn run_schedule(site: &Site, id: i64, progress: &mut ProgressFn<'_>) -> Result<ServicingRun> {
    servicing::recover_before_running(site)?;
    let schedule = schedule::get(site, id)?;
    let run = servicing::service(site, &schedule, false, progress)?
        .expect("a run that is not claimed always runs");
    update_points(site, run, progress)
}

/// Runs every enabled schedule that is due (what the OS scheduler calls every few minutes),
/// one after another; each moves on to its next run as it is taken. A schedule another runner
/// took meanwhile is left to it. First, what earlier runs left undone is taken up: a run whose
/// runner died is closed and its schedule run again; points that did not get a serviced
/// version are updated again. Returns the runs made and the runs whose points were updated.
pub fn run_due_schedules(site: &Site, progress: &mut ProgressFn<'_>) -> Result<Vec<ServicingRun>> {
    servicing::recover_before_running(site)?;
    let mut runs = Vec::new();
    for (run_id, _) in site.db().runs_with_points_pending()? {
        runs.push(update_points(
            site,
            servicing::get_run(site, run_id)?,
            progress,
        )?);
    }
    let now = civil::utc_text(civil::now());
    for due in site.db().schedules(None, Some(&now))? {
        match servicing::service(site, &due, true, progress) {
            Ok(Some(run)) => runs.push(update_points(site, run, progress)?),
            Ok(None) => {}
            Err(error) if error.is_busy() => {}
            Err(error) => return Err(error),
        }
    }
    Ok(runs)
}

/// Brings every point that holds the run's package to the version the run made, when the run
/// left that pending; what fails stays pending, with its reason, for the next runner call.
fn update_points(
    site: &Site,
    run: ServicingRun,
    progress: &mut ProgressFn<'_>,
) -> Result<ServicingRun> {
    if !run.points_pending {
        return Ok(run);
    }
    let outcome = distribution::redistribute(
        site,
        &run.package_id,
        &DistributeOptions::default(),
        progress,
    );
    let problem = match &outcome {
        Ok(statuses) => statuses
            .iter()
            .filter(|s| s.state != DistributionState::Installed)
            .map(|s| format!("{}: {}", s.distribution_point, s.last_error))
            .collect::<Vec<_>>()
            .join("; "),
        Err(error) => error.to_string(),
    };
    site.db()
        .write(|db| db.set_points_pending(run.id, !problem.is_empty(), &problem))?;
    let _log = site.log_scope();
    if problem.is_empty() {
        log::info!(target: "servicing", "run {}: the points holding {} have its content version", run.id, run.package_id);
    } else {
        log::warn!(target: "servicing", "run {}: the points holding {} are not all updated, to be tried again: {problem}", run.id, run.package_id);
    }
    if let Err(error) = outcome.as_ref().map_err(|e| e.kind()) {
        if error == crate::ErrorKind::Cancelled {
            return Err(crate::Error::Cancelled);
        }
    }
    servicing::get_run(site, run.id)
}
