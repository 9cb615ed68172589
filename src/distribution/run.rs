//! Running jobs (package x point) on a bounded number of threads while the calling thread
//! reports progress, records status in the site database and hears cancellation.

use std::collections::HashSet;
use std::fs::{self, File};
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::fanout::{copy_to_each, shared_copies};
use super::layout::{is_mount_point, is_real_folder, PointPackage};
use super::transfer::{clear_staging, finish_distribution, plan_distribution};
use super::transfer::{DistributionPlan, Job, JobEvent, JobFailure, Shared};
use super::{DistributeOptions, DistributionPoint, DistributionStatus};
use crate::content::CHUNKED_FILE;
use crate::error::{Error, ErrorKind, Result};
use crate::jobs::{self, FirstFailure, Heard};
use crate::logging;
use crate::model::{DistributionState, FileRecord, Transferred};
use crate::progress::{Operation, Phase, Progress, ProgressFn, Throttle};
use crate::site::Site;

/// How often a running distribution renews its jobs' lease and records how far they got, for
/// readers in other processes.
const LEASE_RENEWAL: Duration = Duration::from_secs(1);
/// A distribution not heard of for this long belongs to a process that died, where its lock on
/// the point cannot be looked at.
const LEASE_EXPIRY: Duration = Duration::from_secs(120);
/// A free lock proves a run gone only once it has also missed this many renewals: a share
/// whose locks are not enforced (Samba's `locking = no`) shows a live run's lock as free.
const MISSED_RENEWALS: u32 = 3;
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
    let outcome = run_jobs(site, &jobs, options.workers, progress);
    drop(held);
    let statuses = targets
        .iter()
        .map(|t| statuses(site, Some(&t.package_id), Some(&t.point.name)))
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
        .map(|t| t.place().lock(&t.point.name))
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
                &target.point.name,
                target.content_version,
            )?;
            match lock {
                Ok(file) => {
                    held.push(file);
                    runnable.push(target);
                }
                Err(error) => db.fail_distribution(
                    &target.package_id,
                    &target.point.name,
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

/// The status rows, with the distributions whose process died read as Failed, interrupted. The
/// package's lock on the point decides: held, the run is alive however long it has been quiet;
/// free, it is gone once it has missed a few renewals (seconds, not minutes). Where the lock
/// cannot be looked at (the point out of reach), a lease unrenewed for `LEASE_EXPIRY` does.
pub(super) fn statuses(
    site: &Site,
    package_id: Option<&str>,
    point_name: Option<&str>,
) -> Result<Vec<DistributionStatus>> {
    let expired_before = site.db().time_ago(LEASE_EXPIRY.as_secs())?;
    let quiet_before = site
        .db()
        .time_ago((LEASE_RENEWAL * MISSED_RENEWALS).as_secs())?;
    let mut rows = site.db().distributions(package_id, point_name)?;
    for row in rows.iter_mut().filter(|r| r.state.is_running()) {
        let gone = match lock_of(site, row)? {
            Some(true) => false,
            Some(false) => row.modified_at < quiet_before && unchanged(site, row)?,
            None => row.modified_at < expired_before,
        };
        if !gone {
            continue;
        }
        row.state = DistributionState::Failed;
        row.last_error = format!(
            "interrupted: the distributing process stopped without finishing (last heard of at {}); distribute again",
            row.modified_at
        );
        row.last_error_kind = Some(ErrorKind::Cancelled);
    }
    Ok(rows)
}

/// Whether a process holds the package's lock on the row's point (`None`: cannot be told).
fn lock_of(site: &Site, row: &DistributionStatus) -> Result<Option<bool>> {
    let point = super::point::find_point(site.db(), &row.distribution_point)?;
    Ok(point
        .and_then(|point| PointPackage::new(Path::new(&point.path), &row.package_id).is_locked()))
}

/// Whether the row is still as it was read: a run that ended in between, and released its
/// lock, has recorded how.
fn unchanged(site: &Site, row: &DistributionStatus) -> Result<bool> {
    let now = site
        .db()
        .distributions(Some(&row.package_id), Some(&row.distribution_point))?;
    Ok(now
        .first()
        .is_some_and(|r| r.state == row.state && r.modified_at == row.modified_at))
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
    let place = PointPackage::on_point(&point, package_id);
    let _lock = place.lock(&point.name)?;
    place.prepare_folders(false)?;
    place.remove_all()?;
    // The lock file stays: a process that opened it before a delete could lock it once this
    // one lets go, while the next run made a new one and locked that too.
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
    point: Arc<DistributionPoint>,
    content_version: i64,
    manifest: Arc<Vec<FileRecord>>,
    chunked: Arc<HashSet<String>>,
}

impl Target {
    fn place(&self) -> PointPackage {
        PointPackage::on_point(&self.point, &self.package_id)
    }

    fn job<'a>(&'a self, site: &'a Site) -> Job<'a> {
        Job {
            library: site.library(),
            point_name: &self.point.name,
            place: self.place(),
            content_version: self.content_version,
            manifest: &self.manifest,
            chunked: &self.chunked,
        }
    }
}

/// Every package on every point; one named twice is served once.
fn resolve_targets(site: &Site, package_ids: &[&str], points: &[&str]) -> Result<Vec<Target>> {
    let mut points = points
        .iter()
        .map(|name| super::get_point(site, name))
        .collect::<Result<Vec<_>>>()?;
    let mut named = HashSet::new();
    points.retain(|point| named.insert(point.name.clone()));
    let points: Vec<Arc<DistributionPoint>> = points
        .into_iter()
        .map(|point| learn_mount_point(site, point).map(Arc::new))
        .collect::<Result<_>>()?;
    let mut targets = Vec::new();
    let mut packages = HashSet::new();
    for id in package_ids {
        let package = site.db().require_package(id)?;
        if !packages.insert(package.id.clone()) {
            continue;
        }
        let manifest = Arc::new(
            site.db()
                .package_files(&package.id, package.content_version)?,
        );
        let chunked = Arc::new(site.db().chunked_blobs(
            &package.id,
            package.content_version,
            CHUNKED_FILE,
        )?);
        for point in &points {
            targets.push(Target {
                package_id: package.id.clone(),
                point: point.clone(),
                content_version: package.content_version,
                manifest: manifest.clone(),
                chunked: chunked.clone(),
            });
        }
    }
    Ok(targets)
}

/// Records whether the folder of a point added before that was known is a mount point, once its
/// control folder shows it as OSUpgrade left it (a share not mounted shows none).
fn learn_mount_point(site: &Site, mut point: DistributionPoint) -> Result<DistributionPoint> {
    let control = PointPackage::new(Path::new(&point.path), "").control_folder();
    if point.mount_point.is_some()
        || !fs::symlink_metadata(&control).is_ok_and(|m| is_real_folder(&m))
    {
        return Ok(point);
    }
    point.mount_point = is_mount_point(Path::new(&point.path));
    if let Some(mount_point) = point.mount_point {
        site.db()
            .write(|db| db.record_mount_point(&point.name, mount_point))?;
    }
    Ok(point)
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

/// Runs the jobs in waves of `workers`. A wave plans its jobs side by side; then reads each blob
/// they lack once from the library, hashing it once, and writes it into the staging folder of
/// every job of the wave that lacks it; then each job builds what its point's earlier files
/// give most of, and commits. Status and progress happen here, on the calling thread; the
/// workers only touch files.
fn run_jobs(
    site: &Site,
    jobs: &[Job<'_>],
    workers: usize,
    progress: &mut ProgressFn<'_>,
) -> Result<()> {
    let cancel = AtomicBool::new(false);
    let mut watch = Watch {
        site,
        jobs,
        tallies: jobs.iter().map(|_| Tally::default()).collect(),
        jobs_done: 0,
        throttle: Throttle::default(),
        last_renewal: Instant::now(),
        failure: FirstFailure::new(&cancel),
        progress,
    };
    let indexes: Vec<usize> = (0..jobs.len()).collect();
    for wave in indexes.chunks(workers) {
        run_wave(&mut watch, wave, &cancel);
    }
    watch.failure.into_result()
}

fn run_wave(watch: &mut Watch<'_, '_>, wave: &[usize], cancel: &AtomicBool) {
    let jobs = watch.jobs;
    let mut plans = Vec::new();
    watch.run(
        wave,
        wave.len(),
        |&index, tell| {
            if cancel.load(Ordering::Relaxed) {
                return (index, Err(Error::Cancelled));
            }
            let plan = plan_distribution(&jobs[index], cancel);
            if let Ok(plan) = &plan {
                let (bytes, files) = (plan.bytes_to_copy(), plan.files_to_copy());
                tell((index, JobEvent::Planned { bytes, files }));
            }
            (index, plan)
        },
        |watch, (index, plan)| match plan {
            Ok(plan) => plans.push((index, plan)),
            Err(error) => watch.finish(index, Err(error.into())),
        },
    );
    let wanted: HashSet<&str> = plans
        .iter()
        .flat_map(|(index, plan)| plan.chunk_lists_wanted(&jobs[*index]))
        .collect();
    let lists = match watch.site.db().blob_chunks(wanted) {
        Ok(lists) => lists,
        Err(error) => {
            for (index, _) in plans {
                watch.finish(index, Err(JobFailure::from(&error)));
            }
            return;
        }
    };
    let (copies, shares) = shared_copies(jobs, &plans, &lists);
    let written = AtomicU64::new(0);
    let mut full = Vec::new();
    watch.run(
        &copies,
        jobs::cores(),
        |copy, tell| copy_to_each(jobs, copy, &shares, tell, &written, cancel),
        |watch, failures| {
            for (index, failure) in failures {
                if failure.kind == ErrorKind::DiskFull {
                    full.push(index);
                }
                watch.finish(index, Err(failure));
            }
        },
    );
    for index in full {
        clear_staging(&jobs[index]);
    }
    let shared: Vec<Option<Shared>> = shares
        .into_iter()
        .enumerate()
        .map(|(index, share)| {
            let shared = (!share.failed()).then(|| share.done());
            share.tell_rest(|bytes| watch.event(index, JobEvent::Bytes(bytes)));
            shared
        })
        .collect();
    let finishing: Vec<(usize, &DistributionPlan, Shared)> = plans
        .iter()
        .filter_map(|(index, plan)| shared[*index].map(|done| (*index, plan, done)))
        .collect();
    watch.run(
        &finishing,
        finishing.len(),
        |&(index, plan, done), tell| {
            let events = |event| tell((index, event));
            let finished = finish_distribution(&jobs[index], plan, done, &lists, &events, cancel);
            (index, finished)
        },
        |watch, (index, finished)| watch.finish(index, finished.map_err(JobFailure::from)),
    );
}

/// The calling thread's view of a distribution: each job's tally, its status in the site
/// database, progress, and the first failure of the whole (a cancel, a status not recorded).
struct Watch<'a, 'p> {
    site: &'a Site,
    jobs: &'a [Job<'a>],
    tallies: Vec<Tally>,
    jobs_done: u64,
    throttle: Throttle,
    last_renewal: Instant,
    failure: FirstFailure<'a, Error>,
    progress: &'a mut ProgressFn<'p>,
}

impl Watch<'_, '_> {
    /// Runs `work` on each item on up to `threads` workers; the events they tell, each for
    /// a job, are recorded here, and each item's result goes to `done`.
    fn run<T: Sync, R: Send>(
        &mut self,
        items: &[T],
        threads: usize,
        work: impl Fn(&T, &(dyn Fn((usize, JobEvent)) + Sync)) -> R + Sync,
        mut done: impl FnMut(&mut Self, R),
    ) {
        jobs::run(
            items,
            threads,
            LEASE_RENEWAL,
            &logging::for_workers(),
            work,
            |heard| {
                self.renew_leases_when_due();
                match heard {
                    Heard::Quiet => {}
                    Heard::Event((index, event)) => self.event(index, event),
                    Heard::Finished(result) => done(self, result),
                }
            },
        );
    }

    /// Renews the lease of every unfinished job, with how far it got, so that readers in
    /// other processes see its progress and do not take it for interrupted.
    fn renew_leases_when_due(&mut self) {
        if self.last_renewal.elapsed() < LEASE_RENEWAL {
            return;
        }
        self.last_renewal = Instant::now();
        let renewed = self.site.db().write(|db| {
            for (job, tally) in self.jobs.iter().zip(&self.tallies) {
                if !tally.finished {
                    db.renew_distribution(&job.place.package_id, job.point_name, &tally.so_far())?;
                }
            }
            Ok(())
        });
        if let Err(error) = renewed {
            self.failure.record(error);
        }
    }

    fn event(&mut self, index: usize, event: JobEvent) {
        let recorded = record_event(
            self.site,
            &self.jobs[index],
            &mut self.tallies[index],
            event,
        );
        self.recorded(recorded, index);
    }

    fn finish(&mut self, index: usize, result: std::result::Result<Transferred, JobFailure>) {
        let tally = &mut self.tallies[index];
        if tally.finished {
            return;
        }
        tally.finished = true;
        self.jobs_done += 1;
        let recorded = record_finish(self.site, &self.jobs[index], tally, result);
        self.recorded(recorded, index);
    }

    /// Keeps the first failure to record a job's status, and tells progress.
    fn recorded(&mut self, recorded: Result<()>, index: usize) {
        if let Err(error) = recorded {
            self.failure.record(error);
        }
        let (job, tally) = (&self.jobs[index], &self.tallies[index]);
        // A finished job is always reported.
        if !self.throttle.due(tally.finished) {
            return;
        }
        let flow = (self.progress)(&Progress {
            package_id: &job.place.package_id,
            distribution_point: job.point_name,
            current_file: &tally.current_file,
            bytes_done: tally.bytes_done,
            bytes_total: tally.bytes_total,
            bytes_reused: tally.bytes_reused,
            files_done: tally.files_done,
            files_total: tally.files_total,
            jobs_done: self.jobs_done,
            jobs_total: self.jobs.len() as u64,
            ..Progress::new(Operation::Distribute, Phase::Copying)
        });
        if flow.is_break() && !self.failure.failed() {
            self.failure.record(Error::Cancelled);
        }
    }
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
    result: std::result::Result<Transferred, JobFailure>,
) -> Result<()> {
    site.db().write(|db| match &result {
        Ok(done) => db.finish_distribution(
            &job.place.package_id,
            job.point_name,
            job.content_version,
            Some(done),
        ),
        Err(failure) => db.fail_distribution(
            &job.place.package_id,
            job.point_name,
            &failure.message,
            failure.kind,
            Some(&tally.so_far()),
        ),
    })
}
