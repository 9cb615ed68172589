//! A run's lease on its package, and what runs whose runner died leave behind: their records,
//! closed as interrupted, and their work folders, engines and mounts.

use std::fs;

use super::engine::{Engine, Step, Workplace};
use crate::error::{Error, ErrorKind, IoContext, Result};
use crate::model::{Package, RunState, Schedule};
use crate::schedule;
use crate::site::Site;
use crate::time::civil::{self, now};

/// What a runner takes up before it runs anything: runs whose runner died are closed, and what
/// runs no longer running left in their work folders is removed.
pub(crate) fn recover_before_running(site: &Site) -> Result<()> {
    recover_dead_runs(site)?;
    clear_dead_runs_work(site);
    Ok(())
}

/// Removes what runs that are no longer running left in the servicing folder (a killed run's
/// image copy, also when the kill came after the run was recorded; a DISM mount of one is
/// discarded first, as DISM needs). A leftover costs only disk space: one that cannot be
/// removed now (a mount still locked, a run that ends and removes its own folder meanwhile) is
/// logged and tried again by the next runner call, and stops nothing.
pub(super) fn clear_dead_runs_work(site: &Site) {
    let folder = site.folder().join("servicing");
    let Ok(entries) = fs::read_dir(&folder) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(id) = name
            .strip_prefix("run-")
            .and_then(|n| n.parse::<i64>().ok())
        else {
            continue;
        };
        let running = site
            .db()
            .run(id)
            .map(|run| run.is_some_and(|run| run.state == RunState::Running));
        if !matches!(running, Ok(false)) {
            continue;
        }
        let work = entry.path();
        if let Err(error) = clear_work(site, &work) {
            let _log = site.log_scope();
            log::warn!(target: "servicing", "the work folder of run {id} is left for the next runner call: {error}");
        }
    }
}

/// Ends what a finished run's engine left running in its work folder, discards its DISM mount
/// (whatever engine the site has now), and removes the folder.
fn clear_work(site: &Site, work: &std::path::Path) -> Result<()> {
    super::engine::end_engine_of(work);
    let mount = work.join("mount");
    if cfg!(windows) && mount.is_dir() {
        let log = work.join("discard.log");
        let place = Workplace {
            image: "install",
            image_file: &mount,
            index: 0,
            mount: &mount,
            log: &log,
            work,
            max_run_time: super::get_max_run_time(site)?,
        };
        let _ = Engine::Dism.run(&Step::Discard, &place);
    }
    match fs::remove_dir_all(work) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e).at(work),
        _ => Ok(()),
    }
}

/// Closes the runs whose runner died (its owner lock is free) as interrupted, and makes their
/// schedules due again: the next runner call services the package after all.
pub(crate) fn recover_dead_runs(site: &Site) -> Result<()> {
    let running = site.db().all_running_runs()?;
    let dead: Vec<_> = running
        .into_iter()
        .filter(|(run, _)| !site.library().importer_is_alive(&run.owner))
        .collect();
    if dead.is_empty() {
        return Ok(());
    }
    site.db().write(|db| {
        for (run, schedule) in &dead {
            close_interrupted(db, run.id, *schedule)?;
        }
        Ok(())
    })
}

/// Closes a run whose runner died; with its schedule, that schedule is due again if enabled.
fn close_interrupted(db: &crate::db::Db, id: i64, schedule: Option<i64>) -> Result<()> {
    db.finish_run(
        id,
        RunState::Failed,
        None,
        Some((
            "interrupted: the runner stopped before it finished; the package kept its content",
            ErrorKind::Cancelled,
        )),
    )?;
    if let Some(schedule) = schedule.map(|s| db.schedule(s)).transpose()?.flatten() {
        if schedule.enabled {
            db.set_next_run(schedule.id, Some(&civil::utc_text(now())))?;
        }
    }
    Ok(())
}

/// Records the run as running, owned by this library instance; refused (busy) while another
/// live runner services the package. A dead runner's run is closed as interrupted.
pub(super) fn take_lease(
    site: &Site,
    schedule: &Schedule,
    claim: bool,
    engine: &Engine,
    package: &Package,
) -> Result<Option<i64>> {
    let owner = site.library().importer()?;
    site.db().write(|db| {
        if claim {
            let current = db.schedule(schedule.id)?;
            let due = current.as_ref().is_some_and(|s| {
                s.enabled
                    && s.next_run_at
                        .as_deref()
                        .and_then(civil::parse_utc_text)
                        .is_some_and(|at| at <= now())
            });
            if !due {
                return Ok(None);
            }
        }
        for running in db.running_runs(&package.id)? {
            if site.library().importer_is_alive(&running.owner) {
                return Err(Error::Busy(format!(
                    "package {} is being serviced by another runner (run {})",
                    package.id, running.id
                )));
            }
            close_interrupted(db, running.id, None)?;
        }
        if claim {
            let next = schedule::next_run_after(schedule, now()).map(civil::utc_text);
            db.set_next_run(schedule.id, next.as_deref())?;
        } else if schedule.recurrence == crate::model::Recurrence::Once {
            // Run now, a once schedule has had its run.
            db.set_next_run(schedule.id, None)?;
        }
        db.insert_run(
            Some(schedule.id),
            &package.id,
            &owner,
            engine.name(),
            package.content_version,
        )
        .map(Some)
    })
}
