//! One servicing run, from the lease to the recorded content version.

use std::fs;
use std::path::{Path, PathBuf};

use super::engine::{Engine, Step, Workplace};
use crate::content::{copy_verified, SourceEntry};
use crate::error::{Error, ErrorKind, IoContext, Result};
use crate::kill_point;
use crate::model::{
    AppliedUpdate, Package, RunState, Schedule, ServicingRun, Update, UpdateClassification,
    UpdateResult,
};
use crate::progress::{Operation, Phase, Progress, ProgressFn};
use crate::schedule::civil::now;
use crate::site::Site;
use crate::{image, package, schedule, updates};

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
    let engine = super::engine(site)?;
    engine.check_available()?;
    let package = site.db().require_package(&schedule.package_id)?;
    updates::read_held_updates(site, &package)?;
    let Some(run_id) = take_lease(site, schedule, claim, &engine, &package)? else {
        return Ok(None);
    };
    kill_point::reached("servicing: leased");
    clear_dead_runs_work(site, &engine)?;
    let work = site_folder(site)
        .join("servicing")
        .join(format!("run-{run_id}"));
    let log = site_folder(site)
        .join("Logs")
        .join(format!("servicing-run-{run_id}.log"));
    let mut run = Run {
        site,
        engine: &engine,
        schedule,
        package: &package,
        id: run_id,
        work: &work,
        log: &log,
        results: Vec::new(),
        progress,
    };
    let outcome = run.perform();
    if engine == Engine::Dism && work.join("mount").is_dir() {
        run.discard_mount();
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
    super::get_run(site, run_id).map(Some)
}

/// Removes what runs that are no longer running left in the servicing folder (a killed run's
/// image copy; a DISM mount of one is discarded first, as DISM needs).
fn clear_dead_runs_work(site: &Site, engine: &Engine) -> Result<()> {
    let folder = site_folder(site).join("servicing");
    let Ok(entries) = fs::read_dir(&folder) else {
        return Ok(());
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
            .run(id)?
            .is_some_and(|run| run.state == RunState::Running);
        if running {
            continue;
        }
        let work = entry.path();
        let mount = work.join("mount");
        if *engine == Engine::Dism && mount.is_dir() {
            let log = work.join("discard.log");
            let place = Workplace {
                image: "install",
                image_file: &mount,
                index: 0,
                mount: &mount,
                log: &log,
                work: &work,
            };
            let _ = engine.run(&Step::Discard, &place);
        }
        fs::remove_dir_all(&work).at(&work)?;
    }
    Ok(())
}

fn site_folder(site: &Site) -> PathBuf {
    site.database_path()
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

/// Records the run as running, owned by this library instance; refused (busy) while another
/// live runner services the package. A dead runner's run is closed as interrupted.
fn take_lease(
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
                        .and_then(schedule::civil::parse_utc_text)
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
            db.finish_run(
                running.id,
                RunState::Failed,
                None,
                Some((
                    "interrupted: the runner stopped before it finished; the package kept its content",
                    ErrorKind::Cancelled,
                )),
            )?;
        }
        if claim {
            let next = schedule::next_run_after(schedule, now()).map(schedule::civil::utc_text);
            db.set_next_run(schedule.id, next.as_deref())?;
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

/// An image file of the package to service: install.wim, or boot.wim.
struct Target {
    image: &'static str,
    /// Its path in the package, as the manifest spells it.
    relative: String,
    sha256: String,
    size: u64,
    /// Where it is serviced.
    work_file: PathBuf,
}

struct Run<'a, 'p> {
    site: &'a Site,
    engine: &'a Engine,
    schedule: &'a Schedule,
    package: &'a Package,
    id: i64,
    work: &'a Path,
    log: &'a Path,
    results: Vec<UpdateResult>,
    progress: &'a mut ProgressFn<'p>,
}

/// What the steps of one image index are to do.
struct IndexPlan<'u> {
    target: usize,
    index: u32,
    updates: Vec<&'u Update>,
}

impl Run<'_, '_> {
    fn perform(&mut self) -> Result<()> {
        fs::create_dir_all(self.work.join("updates")).at(self.work)?;
        if let Some(folder) = self.log.parent() {
            fs::create_dir_all(folder).at(folder)?;
        }
        let log = self.log.display().to_string();
        self.site.db().write(|db| db.set_run_log(self.id, &log))?;
        let verdicts =
            updates::still_applicable(self.site, &self.package.id, &self.schedule.update_ids)?;
        let targets = self.targets()?;
        let mut plans = Vec::new();
        for (update, verdict) in &verdicts {
            match verdict {
                Ok(indexes) => plans.extend(indexes.iter().map(|&index| (0, index, update))),
                Err(reason) => self.results.push(UpdateResult {
                    update_id: update.id.clone(),
                    image: "install".into(),
                    image_index: 0,
                    state: "NotRun".into(),
                    exit_code: None,
                    message: format!("not applied: {reason}"),
                }),
            }
        }
        if targets.len() > 1 {
            plans.extend(self.boot_plans(&targets[1], &verdicts)?);
        }
        let plans = group_by_index(plans);
        if plans.is_empty() {
            return self.finish_without_version();
        }
        self.take_out(&targets, &plans)?;
        kill_point::reached("servicing: taken out");
        let failed = self.apply(&targets, &plans)?;
        kill_point::reached("servicing: engine done");
        if failed && !self.schedule.continue_on_error {
            return self.finish_without_version();
        }
        if !self.results.iter().any(|r| r.state == "Installed") {
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

    /// boot.wim gets the servicing stack and cumulative updates of its architecture and build
    /// that it does not hold yet.
    fn boot_plans<'u>(
        &self,
        boot: &Target,
        verdicts: &'u [(Update, updates::Verdict)],
    ) -> Result<Vec<(usize, u32, &'u Update)>> {
        let blob = self.site.library().blob_path(&boot.sha256);
        let images = image::read_images(&blob)?;
        let held: Vec<AppliedUpdate> = self.site.db().applied_updates(&self.package.id)?;
        let mut plans = Vec::new();
        for (update, verdict) in verdicts {
            let fits_class = matches!(
                update.classification,
                UpdateClassification::ServicingStack | UpdateClassification::Cumulative
            );
            if verdict.is_err() || !fits_class {
                continue;
            }
            for image in &images {
                let holds = held.iter().any(|h| {
                    h.image == "boot" && h.image_index == image.index && h.kb == update.kb
                });
                let fits = image
                    .architecture
                    .eq_ignore_ascii_case(&update.architecture)
                    && (update.builds.is_empty()
                        || update
                            .builds
                            .contains(&updates::build_number(&image.version)));
                if fits && !holds {
                    plans.push((1, image.index, update));
                }
            }
        }
        Ok(plans)
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
        for update in plans.iter().flat_map(|p| &p.updates) {
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
        for (sha256, size, target, name) in files {
            self.report(Phase::TakingOut, &name, (done, total), (0, 0))?;
            let source = self.site.library().blob_path(&sha256);
            copy_verified(&source, &sha256, size, &target, &|_| {}, &cancel)?;
            done += size;
        }
        self.report(Phase::TakingOut, "", (total, total), (0, 0))
    }

    fn update_file(&self, update: &Update) -> PathBuf {
        self.work.join("updates").join(&update.file_name)
    }

    /// Applies every plan; true when a step failed. Without continue-on-error the first
    /// failure discards that index and stops.
    fn apply(&mut self, targets: &[Target], plans: &[IndexPlan<'_>]) -> Result<bool> {
        let steps_total: u64 = plans.iter().map(|p| p.updates.len() as u64).sum();
        let mut steps_done = 0;
        let mut failed = false;
        for (number, plan) in plans.iter().enumerate() {
            let target = &targets[plan.target];
            let mount = self.work.join("mount");
            let place = Workplace {
                image: target.image,
                image_file: &target.work_file,
                index: plan.index,
                mount: &mount,
                log: self.log,
                work: self.work,
            };
            fs::create_dir_all(&mount).at(&mount)?;
            let mut installed_here = false;
            let mounting = format!("mount {}:{}", target.image, plan.index);
            self.report(
                Phase::Servicing,
                &mounting,
                (0, 0),
                (steps_done, steps_total),
            )?;
            let mounted = self.engine.run(&Step::Mount, &place)?;
            for update in &plan.updates {
                let name = format!("{} on {}:{}", update.kb, target.image, plan.index);
                self.report(Phase::Servicing, &name, (0, 0), (steps_done, steps_total))?;
                let outcome = match mounted {
                    Err(code) => Err((code, "the engine could not mount the image".to_string())),
                    Ok(()) => {
                        let file = self.update_file(update);
                        let step = Step::AddPackage {
                            file: &file,
                            kb: &update.kb,
                            update_id: &update.id,
                        };
                        self.engine.run(&step, &place)?.map_err(|code| {
                            (code, "the engine could not add the update".to_string())
                        })
                    }
                };
                steps_done += 1;
                installed_here |= outcome.is_ok();
                failed |= outcome.is_err();
                self.record_result(update, target.image, plan.index, outcome);
                if failed && !self.schedule.continue_on_error {
                    break;
                }
            }
            if mounted.is_ok() {
                let keep = installed_here && (!failed || self.schedule.continue_on_error);
                if keep && self.schedule.remove_superseded {
                    if let Err(code) = self.engine.run(&Step::Cleanup, &place)? {
                        return Err(engine_failure("cleanup", code, self.log));
                    }
                }
                let close = if keep { Step::Commit } else { Step::Discard };
                if let Err(code) = self.engine.run(&close, &place)? {
                    return Err(engine_failure(close.name(), code, self.log));
                }
            }
            let _ = fs::remove_dir_all(&mount);
            if failed && !self.schedule.continue_on_error {
                self.mark_not_run(&plans[number..], targets);
                break;
            }
        }
        self.report(Phase::Servicing, "", (0, 0), (steps_total, steps_total))?;
        Ok(failed)
    }

    fn record_result(
        &mut self,
        update: &Update,
        image: &str,
        index: u32,
        outcome: std::result::Result<(), (i64, String)>,
    ) {
        let (state, exit_code, message) = match outcome {
            Ok(()) => ("Installed", None, String::new()),
            Err((code, message)) => (
                "Failed",
                Some(code),
                format!("{message} (exit code {code}; see the run's log)"),
            ),
        };
        self.results.push(UpdateResult {
            update_id: update.id.clone(),
            image: image.to_string(),
            image_index: index,
            state: state.into(),
            exit_code,
            message,
        });
    }

    /// The updates a stopped run did not reach.
    fn mark_not_run(&mut self, rest: &[IndexPlan<'_>], targets: &[Target]) {
        for plan in rest {
            for update in &plan.updates {
                let image = targets[plan.target].image;
                let recorded = self.results.iter().any(|r| {
                    r.update_id == update.id && r.image == image && r.image_index == plan.index
                });
                if !recorded {
                    self.results.push(UpdateResult {
                        update_id: update.id.clone(),
                        image: image.into(),
                        image_index: plan.index,
                        state: "NotRun".into(),
                        exit_code: None,
                        message: "not run: an earlier update failed and the schedule does not continue on error".into(),
                    });
                }
            }
        }
    }

    fn discard_mount(&self) {
        let mount = self.work.join("mount");
        let place = Workplace {
            image: "install",
            image_file: &mount,
            index: 0,
            mount: &mount,
            log: self.log,
            work: self.work,
        };
        let _ = self.engine.run(&Step::Discard, &place);
    }

    /// Closes a run that made no content version: failed if an update failed, else succeeded
    /// (there was nothing left to apply).
    fn finish_without_version(&mut self) -> Result<()> {
        let failure = self.results.iter().find(|r| r.state == "Failed").map(|r| {
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
                    .any(|r| r.image == t.image && r.state == "Installed")
            })
            .collect();
        let mut replaced = Vec::new();
        for target in &serviced {
            let metadata = fs::metadata(&target.work_file).at(&target.work_file)?;
            replaced.push(SourceEntry {
                relative: target.relative.clone(),
                path: target.work_file.clone(),
                is_folder: false,
                size: metadata.len(),
                modified: metadata.modified().ok(),
            });
        }
        let install_images = match serviced.iter().find(|t| t.image == "install") {
            Some(install) => image::read_images(&install.work_file)?,
            None => self.package.images.clone(),
        };
        let failed = self.updates_in_state(&["Failed"]);
        let state = if failed.is_empty() {
            RunState::Succeeded
        } else {
            RunState::PartiallySucceeded
        };
        let error = (!failed.is_empty()).then(|| {
            let tried = self.updates_in_state(&["Installed", "Failed"]).len();
            format!(
                "{} of {tried} updates failed ({}); the others were applied",
                failed.len(),
                failed.join(", ")
            )
        });
        let results = self.results.clone();
        let base = self.package.content_version;
        let (id, run_id) = (self.package.id.clone(), self.id);
        let applied: Vec<AppliedUpdate> = results
            .iter()
            .filter(|r| r.state == "Installed")
            .map(|r| AppliedUpdate {
                package_id: id.clone(),
                image: r.image.clone(),
                image_index: r.image_index,
                kb: r
                    .update_id
                    .split('-')
                    .next()
                    .unwrap_or_default()
                    .to_string(),
                build: String::new(),
                update_id: Some(r.update_id.clone()),
                origin: "serviced".into(),
                run_id: Some(run_id),
                content_version: 0,
                applied_at: String::new(),
            })
            .collect();
        let mut progress = |p: &Progress<'_>| (self.progress)(p);
        package::record_serviced_version(
            self.site,
            &id,
            base,
            &replaced,
            &mut progress,
            |db, next| {
                // Read again when next asked for: the serviced image's packages give the
                // builds the updates brought.
                db.set_image_updates_state(&id, next, "unread")?;
                db.insert_images(&id, next, &install_images)?;
                let applied: Vec<AppliedUpdate> = applied
                    .iter()
                    .cloned()
                    .map(|a| AppliedUpdate {
                        content_version: next,
                        ..a
                    })
                    .collect();
                db.insert_applied_updates(&applied)?;
                db.insert_results(run_id, &results)?;
                db.finish_run(
                    run_id,
                    state,
                    Some(next),
                    error.as_deref().map(|e| (e, ErrorKind::ServicingFailed)),
                )
            },
        )?;
        kill_point::reached("servicing: recorded");
        Ok(())
    }

    /// The updates with a result in one of `states` on some image, each once, in run order.
    fn updates_in_state(&self, states: &[&str]) -> Vec<String> {
        let mut found: Vec<String> = Vec::new();
        for result in self
            .results
            .iter()
            .filter(|r| states.contains(&r.state.as_str()))
        {
            if !found.contains(&result.update_id) {
                found.push(result.update_id.clone());
            }
        }
        found
    }

    fn report(
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

fn engine_failure(step: &str, code: i64, log: &Path) -> Error {
    Error::ServicingFailed(format!(
        "the servicing engine's {step} step failed with exit code {code} (see {}); the package keeps its content",
        log.display()
    ))
}

/// Groups (target, index, update) by image index, in the order first seen, keeping the
/// updates' installation order within each.
fn group_by_index<'u>(plans: Vec<(usize, u32, &'u Update)>) -> Vec<IndexPlan<'u>> {
    let mut grouped: Vec<IndexPlan<'u>> = Vec::new();
    for (target, index, update) in plans {
        match grouped
            .iter_mut()
            .find(|p| p.target == target && p.index == index)
        {
            Some(plan) => plan.updates.push(update),
            None => grouped.push(IndexPlan {
                target,
                index,
                updates: vec![update],
            }),
        }
    }
    grouped.sort_by_key(|p| (p.target, p.index));
    grouped
}
