//! Running jobs (package x point) on a bounded number of threads while the calling thread
//! reports progress, records status in the site database and hears cancellation.

use std::collections::HashMap;
use std::fs::File;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::layout::PointPackage;
use super::transfer::{apply_distribution_plan, plan_distribution, Job, JobEvent};
use super::{DistributeOptions, DistributionStatus};
use crate::error::{Error, ErrorKind, Result};
use crate::jobs::{self, FirstFailure, Heard};
use crate::logging;
use crate::model::{Chunk, DistributionState, FileRecord, Transferred};
use crate::progress::{Operation, Phase, Progress, ProgressFn, Throttle};
use crate::site::Site;

/// How often a running distribution renews its jobs' lease and records how far they got, for
/// readers in other processes.
const LEASE_RENEWAL: Duration = Duration::from_secs(1);
/// A distribution not heard of for this long belongs to a process that died.
const LEASE_EXPIRY: Duration = Duration::from_secs(120);
const MOST_WORKERS: usize = 64;

/// Distributes each package to each distribution point, `options.workers` jobs at a time, and
/// returns their status. A job that fails is recorded as Failed with its error and leaves its
/// point at the previous version; the others go on. Cancelling stops every job that has not
/// begun its commit the same way, and returns `Cancelled`.
pub fn distribute(
    site: &Site,
    package_ids: &[&str],
    points: &[&str],
    options: &DistributeOptions,
    progress: &mut ProgressFn<'_>,
) -> Result<Vec<DistributionStatus>> {
    let _log = site.log_scope();
    log::info!(
        target: "distribution",
        "distributing {} to {}",
        package_ids.join(", "),
        points.join(", ")
    );
    let statuses = distribute_logged(site, package_ids, points, options, progress);
    let statuses = crate::logging::failure("distribution", "the distribution", statuses)?;
    for status in &statuses {
        match status.state {
            DistributionState::Installed => log::info!(
                target: "distribution",
                "{} on {}: content version {} installed; {} files, {} bytes copied, {} bytes reused from what the point held",
                status.package_id,
                status.distribution_point,
                status.installed_content_version.unwrap_or(0),
                status.files_copied,
                status.bytes_copied,
                status.bytes_reused
            ),
            _ => log::error!(
                target: "distribution",
                "{} on {}: {:?}: {}",
                status.package_id,
                status.distribution_point,
                status.state,
                status.last_error
            ),
        }
    }
    Ok(statuses)
}

fn distribute_logged(
    site: &Site,
    package_ids: &[&str],
    points: &[&str],
    options: &DistributeOptions,
    progress: &mut ProgressFn<'_>,
) -> Result<Vec<DistributionStatus>> {
    check_arguments(package_ids, points, options)?;
    let targets = resolve_targets(site, package_ids, points)?;
    let (held, runnable) = lock_and_queue(site, &targets)?;
    let jobs: Vec<Job<'_>> = runnable.iter().map(|t| t.job(site)).collect();
    let outcome = run_jobs(
        site,
        &jobs,
        options.workers,
        progress,
        |job, events, cancel| {
            let plan = plan_distribution(job, cancel)?;
            events(JobEvent::Planned {
                bytes: plan.bytes_to_copy(),
                files: plan.files_to_copy(),
            });
            apply_distribution_plan(job, plan, events, cancel)
        },
    );
    drop(held);
    let statuses = targets
        .iter()
        .map(|t| statuses(site, Some(&t.package_id), Some(&t.point_name)))
        .collect::<Result<Vec<_>>>()?
        .into_iter()
        .flatten()
        .collect();
    outcome.map(|_| statuses)
}

fn check_arguments(
    package_ids: &[&str],
    points: &[&str],
    options: &DistributeOptions,
) -> Result<()> {
    if options.workers == 0 || options.workers > MOST_WORKERS {
        return Err(Error::invalid_argument(
            "options.workers",
            format!("{} is not between 1 and {MOST_WORKERS}", options.workers),
        ));
    }
    if package_ids.is_empty() || points.is_empty() {
        return Err(Error::invalid_argument(
            if package_ids.is_empty() {
                "package_ids"
            } else {
                "distribution_points"
            },
            "name at least one",
        ));
    }
    Ok(())
}

/// Takes every target's lock, then queues every target in one transaction: those whose lock
/// could not be had (other than busy) are recorded as failed, the others are returned with the
/// locks they hold. Every lock is taken before any status changes: a point another process is
/// changing refuses the whole call, and that process's status stays as it records it.
fn lock_and_queue<'t>(site: &Site, targets: &'t [Target]) -> Result<(Vec<File>, Vec<&'t Target>)> {
    let locks = targets
        .iter()
        .map(|t| t.place().lock(&t.point_name))
        .map(|lock| match lock {
            Err(error) if error.is_busy() => Err(error),
            other => Ok(other),
        })
        .collect::<Result<Vec<_>>>()?;
    let mut held = Vec::new();
    let mut runnable = Vec::new();
    site.db().write(|db| {
        for (target, lock) in targets.iter().zip(locks) {
            db.queue_distribution(
                &target.package_id,
                &target.point_name,
                target.content_version,
            )?;
            match lock {
                Ok(file) => {
                    held.push(file);
                    runnable.push(target);
                }
                Err(error) => db.fail_distribution(
                    &target.package_id,
                    &target.point_name,
                    &error.to_string(),
                    error.kind(),
                    None,
                )?,
            }
        }
        Ok(())
    })?;
    Ok((held, runnable))
}

/// Brings every distribution point that holds a package to its current content version
/// (Configuration Manager's Update Distribution Points).
pub fn redistribute(
    site: &Site,
    package_id: &str,
    options: &DistributeOptions,
    progress: &mut ProgressFn<'_>,
) -> Result<Vec<DistributionStatus>> {
    site.db().require_package(package_id)?;
    let points: Vec<String> = site
        .db()
        .distributions(Some(package_id), None)?
        .into_iter()
        .map(|d| d.distribution_point)
        .collect();
    if points.is_empty() {
        return Ok(Vec::new());
    }
    let points: Vec<&str> = points.iter().map(String::as_str).collect();
    distribute(site, &[package_id], &points, options, progress)
}

/// The status rows, with the distributions whose process died (no renewal for `LEASE_EXPIRY`)
/// read as Failed, interrupted.
pub(super) fn statuses(
    site: &Site,
    package_id: Option<&str>,
    point_name: Option<&str>,
) -> Result<Vec<DistributionStatus>> {
    let expired_before = site.db().time_ago(LEASE_EXPIRY.as_secs())?;
    let mut rows = site.db().distributions(package_id, point_name)?;
    for row in rows
        .iter_mut()
        .filter(|r| r.state.is_running() && r.modified_at < expired_before)
    {
        row.state = DistributionState::Failed;
        row.last_error = format!(
            "interrupted: the distributing process stopped without finishing (last heard of at {}); distribute again",
            row.modified_at
        );
        row.last_error_kind = Some(ErrorKind::Cancelled);
    }
    Ok(rows)
}

/// Removes a package's content from a distribution point and forgets it was there.
pub fn remove_content(site: &Site, package_id: &str, point_name: &str) -> Result<()> {
    let point = super::get_point(site, point_name)?;
    if site
        .db()
        .distributions(Some(package_id), Some(&point.name))?
        .is_empty()
    {
        return Err(Error::not_found_on(
            "package",
            package_id,
            format!("distribution point '{}'", point.name),
        ));
    }
    let place = PointPackage::new(Path::new(&point.path), package_id);
    {
        let _lock = place.lock(&point.name)?;
        place.prepare_folders(false)?;
        place.remove_all()?;
    }
    let _ = std::fs::remove_file(place.lock_path());
    site.db()
        .write(|db| db.delete_distribution(package_id, &point.name))
}

/// Removes a package's content from every distribution point that holds it.
pub fn remove_package_everywhere(site: &Site, package_id: &str) -> Result<()> {
    for distribution in site.db().distributions(Some(package_id), None)? {
        remove_content(site, package_id, &distribution.distribution_point)?;
    }
    Ok(())
}

/// A package and a point, resolved and checked before anything starts.
struct Target {
    package_id: String,
    point_name: String,
    point_path: String,
    content_version: i64,
    manifest: Arc<Vec<FileRecord>>,
    chunks: Arc<HashMap<String, Vec<Chunk>>>,
}

impl Target {
    fn place(&self) -> PointPackage {
        PointPackage::new(Path::new(&self.point_path), &self.package_id)
    }

    fn job<'a>(&'a self, site: &'a Site) -> Job<'a> {
        Job {
            library: site.library(),
            point_name: &self.point_name,
            place: self.place(),
            content_version: self.content_version,
            manifest: &self.manifest,
            chunks: &self.chunks,
        }
    }
}

fn resolve_targets(site: &Site, package_ids: &[&str], points: &[&str]) -> Result<Vec<Target>> {
    let points = points
        .iter()
        .map(|name| super::get_point(site, name))
        .collect::<Result<Vec<_>>>()?;
    let mut targets = Vec::new();
    for id in package_ids {
        let package = site.db().require_package(id)?;
        let manifest = Arc::new(
            site.db()
                .package_files(&package.id, package.content_version)?,
        );
        let chunks = Arc::new(site.db().package_chunks(&package.id)?);
        for point in &points {
            targets.push(Target {
                package_id: package.id.clone(),
                point_name: point.name.clone(),
                point_path: point.path.clone(),
                content_version: package.content_version,
                manifest: manifest.clone(),
                chunks: chunks.clone(),
            });
        }
    }
    Ok(targets)
}

/// Per-job counters the calling thread keeps for progress reports.
#[derive(Default)]
struct Tally {
    bytes_done: u64,
    bytes_reused: u64,
    bytes_total: u64,
    files_done: u64,
    files_total: u64,
    current_file: String,
    finished: bool,
}

impl Tally {
    /// What the job has moved so far: the bytes it went through, less those it took from the
    /// point itself.
    fn so_far(&self) -> Transferred {
        Transferred {
            bytes_copied: self.bytes_done.saturating_sub(self.bytes_reused),
            bytes_reused: self.bytes_reused,
            files_copied: self.files_done,
        }
    }
}

/// Renews the lease of every unfinished job, with how far it got, so that readers in other
/// processes see its progress and do not take it for interrupted.
fn renew_leases(site: &Site, jobs: &[Job<'_>], tallies: &[Tally]) -> Result<()> {
    site.db().write(|db| {
        for (job, tally) in jobs.iter().zip(tallies).filter(|(_, t)| !t.finished) {
            db.renew_distribution(&job.place.package_id, job.point_name, &tally.so_far())?;
        }
        Ok(())
    })
}

/// Runs `work` on each job with up to `workers` threads. Status and progress happen here, on
/// the calling thread; the workers only touch files.
fn run_jobs(
    site: &Site,
    jobs: &[Job<'_>],
    workers: usize,
    progress: &mut ProgressFn<'_>,
    work: impl Fn(&Job<'_>, &(dyn Fn(JobEvent) + Sync), &AtomicBool) -> Result<Transferred> + Sync,
) -> Result<()> {
    let cancel = AtomicBool::new(false);
    let mut tallies: Vec<Tally> = jobs.iter().map(|_| Tally::default()).collect();
    let mut jobs_done = 0u64;
    let mut throttle = Throttle::default();
    let mut last_renewal = Instant::now();
    let mut failure = FirstFailure::new(&cancel);
    jobs::run(
        jobs,
        workers,
        LEASE_RENEWAL,
        &logging::for_workers(),
        |_, job, tell| {
            if cancel.load(Ordering::Relaxed) {
                return Err(Error::Cancelled);
            }
            work(job, tell, &cancel)
        },
        |heard| {
            if last_renewal.elapsed() >= LEASE_RENEWAL {
                last_renewal = Instant::now();
                if let Err(error) = renew_leases(site, jobs, &tallies) {
                    failure.record(error);
                }
            }
            let (index, recorded) = match heard {
                Heard::Quiet => return,
                Heard::Event(index, event) => (
                    index,
                    record_event(site, &jobs[index], &mut tallies[index], event),
                ),
                Heard::Finished(index, result) => {
                    jobs_done += 1;
                    tallies[index].finished = true;
                    (
                        index,
                        record_finish(site, &jobs[index], &tallies[index], result),
                    )
                }
            };
            if let Err(error) = recorded {
                failure.record(error);
            }
            // A finished job is always reported.
            if !throttle.due(tallies[index].finished) {
                return;
            }
            let (job, tally) = (&jobs[index], &tallies[index]);
            let flow = progress(&Progress {
                package_id: &job.place.package_id,
                distribution_point: job.point_name,
                current_file: &tally.current_file,
                bytes_done: tally.bytes_done,
                bytes_total: tally.bytes_total,
                bytes_reused: tally.bytes_reused,
                files_done: tally.files_done,
                files_total: tally.files_total,
                jobs_done,
                jobs_total: jobs.len() as u64,
                ..Progress::new(Operation::Distribute, Phase::Copying)
            });
            if flow.is_break() && !cancel.load(Ordering::Relaxed) {
                failure.record(Error::Cancelled);
            }
        },
    );
    failure.into_result()
}

fn record_event(site: &Site, job: &Job<'_>, tally: &mut Tally, event: JobEvent) -> Result<()> {
    match event {
        JobEvent::Planned { bytes, files } => {
            tally.bytes_total = bytes;
            tally.files_total = files;
            site.db()
                .write(|db| db.start_distribution(&job.place.package_id, job.point_name, bytes))
        }
        JobEvent::Bytes(bytes) => {
            tally.bytes_done += bytes;
            Ok(())
        }
        JobEvent::Reused(bytes) => {
            tally.bytes_reused += bytes;
            Ok(())
        }
        JobEvent::Files { done, current } => {
            // Two copies that end together may tell their counts out of order.
            tally.files_done = tally.files_done.max(done);
            tally.current_file = current;
            Ok(())
        }
    }
}

fn record_finish(
    site: &Site,
    job: &Job<'_>,
    tally: &Tally,
    result: Result<Transferred>,
) -> Result<()> {
    site.db().write(|db| match &result {
        Ok(done) => db.finish_distribution(
            &job.place.package_id,
            job.point_name,
            job.content_version,
            Some(done),
        ),
        Err(error) => db.fail_distribution(
            &job.place.package_id,
            job.point_name,
            &error.to_string(),
            error.kind(),
            Some(&tally.so_far()),
        ),
    })
}
