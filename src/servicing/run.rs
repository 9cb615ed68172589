//! One servicing run, from the lease to the recorded content version.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;

use super::engine::{Engine, StepFailure};
use super::lease::{clear_dead_runs_work, take_lease};
use super::plan::{plan, IndexPlan};
use crate::content::SourceEntry;
use crate::error::{Error, ErrorKind, IoContext, Result};
use crate::kill_point;
use crate::model::{
    AppliedUpdate, Package, RunState, Schedule, ServicingRun, Update, UpdateResult, UpdateState,
};
use crate::progress::{Operation, Phase, Progress, ProgressFn};
use crate::site::Site;
use crate::{image, package, updates};

/// Runs a schedule: takes the package's lease, services, records. With `claim`, the run
/// happens only if the schedule is still due (another runner may have taken it), and the
/// schedule moves on to its next run in the same transaction; `Ok(None)` when it was not due.
/// A failure during the run is recorded in the returned run; cancelling records the run as
/// failed and returns `Cancelled`.
pub(crate) fn service(
    site: &Site,
    schedule: &Schedule,
    claim: bool,
    progress: &mut ProgressFn<'_>,
) -> Result<Option<ServicingRun>> {
    let _log = site.log_scope();
    let run = service_logged(site, schedule, claim, progress);
    let run = crate::logging::failure(
        "servicing",
        &format!(
            "schedule {} of package {}",
            schedule.id, schedule.package_id
        ),
        run,
    )?;
    if let Some(run) = &run {
        log_outcome(run);
    }
    Ok(run)
}

/// The run's outcome in the servicing log: its state and versions, then each failed update.
fn log_outcome(run: &ServicingRun) {
    let versions = format!(
        "content version {} -> {}",
        run.content_version_from,
        run.content_version_to
            .map_or("none".to_string(), |v| v.to_string())
    );
    match run.state {
        RunState::Failed => {
            log::error!(target: "servicing", "run {} of package {}: failed, {versions}: {}", run.id, run.package_id, run.error)
        }
        RunState::PartiallySucceeded => {
            log::warn!(target: "servicing", "run {} of package {}: partially succeeded, {versions}: {}", run.id, run.package_id, run.error)
        }
        _ => {
            log::info!(target: "servicing", "run {} of package {}: {:?}, {versions}; log {}", run.id, run.package_id, run.state, run.log_path)
        }
    }
    for result in run
        .results
        .iter()
        .filter(|r| r.state == UpdateState::Failed)
    {
        log::warn!(target: "servicing", "run {}: {} on {}:{}: {}", run.id, result.update_id, result.image, result.image_index, result.message);
    }
}

fn service_logged(
    site: &Site,
    schedule: &Schedule,
    claim: bool,
    progress: &mut ProgressFn<'_>,
) -> Result<Option<ServicingRun>> {
    let engine = super::get_engine(site)?;
    engine.check_available()?;
    let package = site.db().require_package(&schedule.package_id)?;
    updates::read_held_updates(site, &package)?;
    let Some(run_id) = take_lease(site, schedule, claim, &engine, &package)? else {
        return Ok(None);
    };
    kill_point::reached("servicing: leased");
    clear_dead_runs_work(site);
    let work = site
        .folder()
        .join("servicing")
        .join(format!("run-{run_id}"));
    let log = site
        .folder()
        .join("Logs")
        .join(format!("servicing-run-{run_id}.log"));
    let mut run = Run {
        site,
        engine: &engine,
        max_run_time: super::get_max_run_time(site)?,
        schedule,
        package: &package,
        id: run_id,
        work: &work,
        log: &log,
        results: Vec::new(),
        progress,
        read_when_mounted: Vec::new(),
    };
    let outcome = run.perform();
    if engine == Engine::Dism {
        run.discard_mounts();
    }
    let _ = fs::remove_dir_all(&work);
    if let Err(error) = outcome {
        let message = error.to_string();
        let results = run.results.clone();
        site.db().write(|db| {
            db.insert_results(run_id, &results)?;
            db.finish_run(
                run_id,
                RunState::Failed,
                None,
                Some((&message, error.kind())),
            )
        })?;
        if error.kind() == ErrorKind::Cancelled {
            return Err(error);
        }
    }
    let run = super::get_run(site, run_id)?;
    log_summary(&log, &run);
    Ok(Some(run))
}

/// Appends the run's outcome to its log, for whoever reads the log rather than the site: the
/// state, the versions, and each update's result. A log that cannot be written loses only this.
fn log_summary(log: &Path, run: &ServicingRun) {
    let mut text = format!(
        "==> run {} of package {}: {:?}, content version {} -> {}{}\n",
        run.id,
        run.package_id,
        run.state,
        run.content_version_from,
        run.content_version_to
            .map_or("none".to_string(), |v| v.to_string()),
        if run.error.is_empty() {
            String::new()
        } else {
            format!(": {}", run.error)
        },
    );
    for result in &run.results {
        text.push_str(&format!(
            "    {} on {}:{}: {} {}\n",
            result.update_id,
            result.image,
            result.image_index,
            result.state.name(),
            result.message
        ));
    }
    let appended = fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(log)
        .and_then(|mut file| std::io::Write::write_all(&mut file, text.as_bytes()));
    drop(appended);
}

/// An image file of the package to service: install.wim, or boot.wim.
pub(super) struct Target {
    pub image: &'static str,
    /// Its path in the package, as the manifest spells it.
    pub relative: String,
    pub sha256: String,
    pub size: u64,
    /// Where it is serviced.
    pub work_file: PathBuf,
}

impl Target {
    /// The serviced image as a file to import in place of the package's.
    fn source_entry(&self) -> Result<SourceEntry> {
        let metadata = fs::metadata(&self.work_file).at(&self.work_file)?;
        Ok(SourceEntry {
            relative: self.relative.clone(),
            path: self.work_file.clone(),
            is_folder: false,
            size: metadata.len(),
            modified: metadata.modified().ok(),
        })
    }
}

/// The applied updates as first held by content version `version`.
fn in_version(applied: &[AppliedUpdate], version: i64) -> Vec<AppliedUpdate> {
    applied
        .iter()
        .map(|a| AppliedUpdate {
            content_version: version,
            ..a.clone()
        })
        .collect()
}

pub(super) struct Run<'a, 'p> {
    pub site: &'a Site,
    pub engine: &'a Engine,
    pub max_run_time: Duration,
    pub schedule: &'a Schedule,
    pub package: &'a Package,
    pub id: i64,
    pub work: &'a Path,
    pub log: &'a Path,
    pub results: Vec<UpdateResult>,
    pub progress: &'a mut ProgressFn<'p>,
    /// Install image indexes whose servicing packages were read from a mounted image.
    pub read_when_mounted: Vec<u32>,
}

impl Run<'_, '_> {
    fn perform(&mut self) -> Result<()> {
        fs::create_dir_all(self.work.join("updates")).at(self.work)?;
        if let Some(folder) = self.log.parent() {
            fs::create_dir_all(folder).at(folder)?;
        }
        let log = self.log.display().to_string();
        self.site.db().write(|db| db.set_run_log(self.id, &log))?;
        let started = format!(
            "==> run {} of schedule {} on package {} (content version {}), engine {}: {}\n",
            self.id,
            self.schedule.id,
            self.package.id,
            self.package.content_version,
            self.engine.name(),
            self.schedule.update_ids.join(", ")
        );
        fs::write(self.log, started).at(self.log)?;
        let (verdicts, held) =
            updates::still_applicable(self.site, &self.package.id, &self.schedule.update_ids)?;
        let targets = self.targets()?;
        let boot_images = match targets.get(1) {
            Some(boot) => image::read_images(&self.site.blob_file(&boot.sha256, boot.size)?)?,
            None => Vec::new(),
        };
        let (plans, not_run) = plan(&verdicts, &held, &boot_images, self.schedule.service_winre);
        self.results.extend(not_run);
        if plans.is_empty() {
            return self.finish_without_version();
        }
        self.take_out(&targets, &plans)?;
        kill_point::reached("servicing: taken out");
        let failed = self.apply(&targets, &plans)?;
        kill_point::reached("servicing: engine done");
        if failed && !self.schedule.continue_on_error {
            self.discard_installed();
            return self.finish_without_version();
        }
        if !self
            .results
            .iter()
            .any(|r| r.state == UpdateState::Installed)
        {
            return self.finish_without_version();
        }
        self.record_version(&targets)
    }

    /// install.wim, and boot.wim where the schedule asks for it and the package has one.
    fn targets(&self) -> Result<Vec<Target>> {
        let files = self
            .site
            .db()
            .package_files(&self.package.id, self.package.content_version)?;
        let find = |names: &[&str]| {
            files
                .iter()
                .find(|f| names.iter().any(|n| f.path.eq_ignore_ascii_case(n)))
        };
        let install = find(updates::INSTALL_IMAGES).ok_or_else(|| Error::InvalidImage {
            path: PathBuf::from(&self.package.source_path),
            reason: "the package has no sources/install.wim to service".into(),
        })?;
        if install.path.to_lowercase().ends_with(".esd") {
            return Err(Error::InvalidImage {
                path: PathBuf::from(&install.path),
                reason: "an install.esd cannot be serviced (DISM mounts WIM files only): export it to install.wim and reload the package".into(),
            });
        }
        let mut targets = vec![self.target("install", install)];
        if self.schedule.service_boot_image {
            if let Some(boot) = find(updates::BOOT_IMAGES) {
                targets.push(self.target("boot", boot));
            }
        }
        Ok(targets)
    }

    fn target(&self, image: &'static str, file: &crate::model::FileRecord) -> Target {
        Target {
            image,
            relative: file.path.clone(),
            sha256: file.sha256.clone().unwrap_or_default(),
            size: file.size,
            work_file: self.work.join(format!("{image}.wim")),
        }
    }

    /// Copies the images and update files out of the library, every byte checked.
    fn take_out(&mut self, targets: &[Target], plans: &[IndexPlan<'_>]) -> Result<()> {
        let mut files: Vec<(String, u64, PathBuf, String)> = Vec::new();
        for (number, target) in targets.iter().enumerate() {
            if plans.iter().any(|p| p.target == number) {
                files.push((
                    target.sha256.clone(),
                    target.size,
                    target.work_file.clone(),
                    target.relative.clone(),
                ));
            }
        }
        let mut seen = std::collections::HashSet::new();
        for update in plans.iter().flat_map(|p| p.winre.iter().chain(&p.updates)) {
            if seen.insert(update.id.clone()) {
                files.push((
                    update.sha256.clone(),
                    update.size,
                    self.update_file(update),
                    update.file_name.clone(),
                ));
            }
        }
        let total: u64 = files.iter().map(|f| f.1).sum();
        let mut done = 0;
        let cancel = std::sync::atomic::AtomicBool::new(false);
        let written = std::sync::atomic::AtomicU64::new(0);
        let report_written = |n| {
            let total = written.fetch_add(n, std::sync::atomic::Ordering::Relaxed) + n;
            kill_point::wrote(kill_point::CopyKind::WorkFolder, total);
        };
        for (sha256, size, target, name) in files {
            self.report(Phase::TakingOut, &name, (done, total), (0, 0))?;
            self.site
                .export_blob(&sha256, size, &target, &report_written, &cancel)?;
            done += size;
        }
        self.report(Phase::TakingOut, "", (total, total), (0, 0))
    }

    pub(super) fn update_file(&self, update: &Update) -> PathBuf {
        self.work.join("updates").join(&update.file_name)
    }

    /// A run that stops on a failure keeps the package as it was: what the engine had added
    /// before is thrown away with the work copy, and its results say so.
    fn discard_installed(&mut self) {
        for result in self
            .results
            .iter_mut()
            .filter(|r| r.state == UpdateState::Installed)
        {
            result.state = UpdateState::Discarded;
            result.message = "discarded: a later update failed and the schedule does not continue on error, so the package keeps its content".into();
        }
    }

    /// Closes a run that made no content version: failed if an update failed, else succeeded
    /// (there was nothing left to apply).
    fn finish_without_version(&mut self) -> Result<()> {
        let failure = self
            .results
            .iter()
            .find(|r| r.state == UpdateState::Failed)
            .map(|r| {
                format!(
                    "{} failed on {}:{}: {}",
                    r.update_id, r.image, r.image_index, r.message
                )
            });
        let state = if failure.is_some() {
            RunState::Failed
        } else {
            RunState::Succeeded
        };
        let results = self.results.clone();
        self.site.db().write(|db| {
            db.insert_results(self.id, &results)?;
            db.finish_run(
                self.id,
                state,
                None,
                failure.as_deref().map(|f| (f, ErrorKind::ServicingFailed)),
            )
        })
    }

    /// Imports the serviced images as the next content version and records the run with it.
    fn record_version(&mut self, targets: &[Target]) -> Result<()> {
        let serviced: Vec<&Target> = targets
            .iter()
            .filter(|t| {
                self.results
                    .iter()
                    .any(|r| r.image == t.image && r.state == UpdateState::Installed)
            })
            .collect();
        let replaced: Vec<SourceEntry> = serviced
            .iter()
            .map(|t| t.source_entry())
            .collect::<Result<_>>()?;
        let install_images = match serviced.iter().find(|t| t.image == "install") {
            Some(install) => image::read_images(&install.work_file)?,
            None => self.package.images.clone(),
        };
        let (state, error) = self.outcome();
        let applied = self.applied_updates();
        let results = self.results.clone();
        let points_pending = self.schedule.update_distribution_points;
        let (id, run_id, base) = (&self.package.id, self.id, self.package.content_version);
        let mut progress = |p: &Progress<'_>| (self.progress)(p);
        package::record_serviced_version(
            self.site,
            id,
            base,
            &replaced,
            &mut progress,
            |db, next| {
                // Read again when next asked for: the serviced image's packages give the
                // builds the updates brought.
                db.set_image_updates_state(id, next, "unread")?;
                db.insert_images(id, next, &install_images)?;
                db.insert_applied_updates(&in_version(&applied, next))?;
                db.insert_results(run_id, &results)?;
                let waiting = if points_pending {
                    "the distribution points have not been updated yet"
                } else {
                    ""
                };
                db.set_points_pending(run_id, points_pending, waiting)?;
                let error = error.as_deref().map(|e| (e, ErrorKind::ServicingFailed));
                db.finish_run(run_id, state, Some(next), error)
            },
        )?;
        kill_point::reached("servicing: recorded");
        Ok(())
    }

    /// Succeeded; or, where continue-on-error let updates fail, partially, with the failed
    /// updates named.
    fn outcome(&self) -> (RunState, Option<String>) {
        let failed = self.updates_in_state(&[UpdateState::Failed]);
        if failed.is_empty() {
            return (RunState::Succeeded, None);
        }
        let tried = self
            .updates_in_state(&[UpdateState::Installed, UpdateState::Failed])
            .len();
        let error = format!(
            "{} of {tried} updates failed ({}); the others were applied",
            failed.len(),
            failed.join(", ")
        );
        (RunState::PartiallySucceeded, Some(error))
    }

    /// What the run installed, image by image, as the package's applied updates.
    fn applied_updates(&self) -> Vec<AppliedUpdate> {
        self.results
            .iter()
            .filter(|r| r.state == UpdateState::Installed)
            .map(|r| AppliedUpdate {
                package_id: self.package.id.clone(),
                image: r.image.clone(),
                image_index: r.image_index,
                kb: kb_of(&r.update_id).to_string(),
                build: String::new(),
                update_id: Some(r.update_id.clone()),
                origin: "serviced".into(),
                run_id: Some(self.id),
                content_version: 0,
                applied_at: String::new(),
            })
            .collect()
    }

    /// The updates with a result in one of `states` on some image, each once, in run order.
    fn updates_in_state(&self, states: &[UpdateState]) -> Vec<String> {
        let mut found: Vec<String> = Vec::new();
        for result in self.results.iter().filter(|r| states.contains(&r.state)) {
            if !found.contains(&result.update_id) {
                found.push(result.update_id.clone());
            }
        }
        found
    }

    pub(super) fn report(
        &mut self,
        phase: Phase,
        current: &str,
        bytes: (u64, u64),
        steps: (u64, u64),
    ) -> Result<()> {
        let report = Progress {
            package_id: &self.package.id,
            current_file: current,
            bytes_done: bytes.0,
            bytes_total: bytes.1,
            files_done: steps.0,
            files_total: steps.1,
            ..Progress::new(Operation::Service, phase)
        };
        match (self.progress)(&report) {
            std::ops::ControlFlow::Continue(()) => Ok(()),
            std::ops::ControlFlow::Break(()) => Err(Error::Cancelled),
        }
    }
}

/// The KB of an update ID: KB5034441 of KB5034441-x64.
pub(super) fn kb_of(update_id: &str) -> &str {
    update_id.split('-').next().unwrap_or_default()
}

pub(super) fn engine_failure(step: &str, failure: &StepFailure, log: &Path) -> Error {
    Error::ServicingFailed(format!(
        "the servicing engine's {step} step failed ({failure}; see {}); the package keeps its content",
        log.display()
    ))
}
