//! Applying a run's plans through the engine: per image index, mount, the WinRE inside it
//! (mounted from the mounted index), the updates, cleanup where asked, then commit or discard.

use std::fs;
use std::path::Path;

use super::engine::{Step, StepFailure, Workplace};
use super::plan::IndexPlan;
use super::run::{engine_failure, kb_of, Run, Target};
use crate::error::{IoContext, Result};
use crate::model::{AppliedUpdate, Update, UpdateResult, UpdateState};
use crate::progress::Phase;
use crate::updates::held_in_image;
use crate::updates::image::{
    find_winre, read_held_updates, read_package_manifests, wimlib_imagex, PACKAGES_FOLDER,
    WINRE_FOLDER,
};

/// Steps done and to do, for progress.
struct Steps {
    done: u64,
    total: u64,
}

/// What servicing one image did: whether it changed and whether a step failed.
#[derive(Default)]
struct Outcome {
    changed: bool,
    failed: bool,
}

impl Run<'_, '_> {
    /// Applies every plan; true when a step failed. Without continue-on-error the first
    /// failure discards that index and stops.
    pub(super) fn apply(&mut self, targets: &[Target], plans: &[IndexPlan<'_>]) -> Result<bool> {
        let mut steps = Steps {
            done: 0,
            total: plans.iter().map(IndexPlan::steps).sum(),
        };
        let mut failed = false;
        for (number, plan) in plans.iter().enumerate() {
            failed |= self.service_index(&targets[plan.target], plan, &mut steps)?;
            if failed && !self.schedule.continue_on_error {
                self.mark_not_run(&plans[number..], targets);
                break;
            }
        }
        self.report(Phase::Servicing, "", (0, 0), (steps.total, steps.total))?;
        Ok(failed)
    }

    /// One image index: mounted, its WinRE serviced, its updates added, committed or discarded.
    fn service_index(
        &mut self,
        target: &Target,
        plan: &IndexPlan<'_>,
        steps: &mut Steps,
    ) -> Result<bool> {
        let mount = self.work.join("mount");
        let place = Workplace {
            image: target.image,
            image_file: &target.work_file,
            index: plan.index,
            mount: &mount,
            log: self.log,
            work: self.work,
            max_run_time: self.max_run_time,
        };
        let mounted = self.mount(&place, steps)?;
        if let Err(failure) = mounted {
            for update in plan.winre.iter().chain(&plan.updates) {
                let image = if plan.winre.contains(update) {
                    "winre"
                } else {
                    target.image
                };
                self.record_result(
                    update,
                    image,
                    plan.index,
                    Err((
                        failure.clone(),
                        "the engine could not mount the image".into(),
                    )),
                );
            }
            return Ok(true);
        }
        if target.image == "install" {
            self.read_mounted_packages(plan.index, &mount)?;
        }
        let mut outcome = Outcome::default();
        if !plan.winre.is_empty() {
            outcome = self.service_winre(plan, &mount, steps)?;
        }
        if !outcome.failed || self.schedule.continue_on_error {
            let added = self.add_updates(&plan.updates, &place, plan.index, steps)?;
            outcome.changed |= added.changed;
            outcome.failed |= added.failed;
        }
        outcome.failed |= self.close_verified(&place, plan.index, &outcome)?;
        let _ = fs::remove_dir_all(&mount);
        Ok(outcome.failed)
    }

    /// The WinRE image inside the mounted install index, mounted and serviced in turn.
    fn service_winre(
        &mut self,
        plan: &IndexPlan<'_>,
        install_mount: &Path,
        steps: &mut Steps,
    ) -> Result<Outcome> {
        let Some(winre) = find_winre(&install_mount.join(WINRE_FOLDER))? else {
            for update in &plan.winre {
                self.results.push(UpdateResult {
                    update_id: update.id.clone(),
                    image: "winre".into(),
                    image_index: plan.index,
                    state: UpdateState::NotRun,
                    exit_code: None,
                    message: format!("image {} has no {WINRE_FOLDER}/Winre.wim", plan.index),
                });
                steps.done += 1;
            }
            return Ok(Outcome::default());
        };
        let mount = self.work.join("mount-winre");
        let place = Workplace {
            image: "winre",
            image_file: &winre,
            index: 1,
            mount: &mount,
            log: self.log,
            work: self.work,
            max_run_time: self.max_run_time,
        };
        if let Err(failure) = self.mount(&place, steps)? {
            for update in &plan.winre {
                self.record_result(
                    update,
                    "winre",
                    plan.index,
                    Err((failure.clone(), "the engine could not mount WinRE".into())),
                );
            }
            return Ok(Outcome {
                changed: false,
                failed: true,
            });
        }
        let mut outcome = self.add_updates(&plan.winre, &place, plan.index, steps)?;
        outcome.failed |= self.close_verified(&place, plan.index, &outcome)?;
        let _ = fs::remove_dir_all(&mount);
        Ok(outcome)
    }

    fn mount(
        &mut self,
        place: &Workplace<'_>,
        steps: &Steps,
    ) -> Result<std::result::Result<(), StepFailure>> {
        fs::create_dir_all(place.mount).at(place.mount)?;
        let mounting = format!("mount {}:{}", place.image, place.index);
        self.report(
            Phase::Servicing,
            &mounting,
            (0, 0),
            (steps.done, steps.total),
        )?;
        self.engine.run(&Step::Mount, place)
    }

    /// Adds updates to a mounted image; results are recorded against `result_index` (a WinRE
    /// image's results against the install index it is in).
    fn add_updates(
        &mut self,
        updates: &[&Update],
        place: &Workplace<'_>,
        result_index: u32,
        steps: &mut Steps,
    ) -> Result<Outcome> {
        let mut outcome = Outcome::default();
        for update in updates {
            let name = format!("{} on {}:{}", update.kb, place.image, result_index);
            self.report(Phase::Servicing, &name, (0, 0), (steps.done, steps.total))?;
            let file = self.update_file(update);
            let step = Step::AddPackage {
                file: &file,
                kb: &update.kb,
                update_id: &update.id,
            };
            let added = self
                .engine
                .run(&step, place)?
                .map_err(|failure| (failure, "the engine could not add the update".to_string()));
            steps.done += 1;
            outcome.changed |= added.is_ok();
            outcome.failed |= added.is_err();
            self.record_result(update, place.image, result_index, added);
            if outcome.failed && !self.schedule.continue_on_error {
                break;
            }
        }
        Ok(outcome)
    }

    /// Closes the image, then checks that what it committed holds every update the engine
    /// said it added: an engine that exits 0 and changes nothing must not make them Installed.
    /// True when an update is missing, now Failed with that reason. Where wimlib is absent,
    /// what the mount showed before the commit is read instead.
    fn close_verified(
        &mut self,
        place: &Workplace<'_>,
        result_index: u32,
        outcome: &Outcome,
    ) -> Result<bool> {
        let packages = place.mount.join(PACKAGES_FOLDER);
        let mounted_view = match wimlib_imagex() {
            None if packages.is_dir() => Some(read_package_manifests(&packages)?),
            _ => None,
        };
        if !self.close(place, outcome)? {
            return Ok(false);
        }
        let held = match read_held_updates(place.image_file, place.index, self.work)? {
            Some(held) => held,
            None => match mounted_view {
                Some(held) => held,
                None => return Ok(false),
            },
        };
        let mut missing = false;
        for result in self.results.iter_mut().filter(|r| {
            r.image == place.image
                && r.image_index == result_index
                && r.state == UpdateState::Installed
        }) {
            let kb = kb_of(&result.update_id);
            if !held.iter().any(|h| h.kb.eq_ignore_ascii_case(kb)) {
                result.state = UpdateState::Failed;
                result.message = format!(
                    "the engine reported it added, but image {}:{} does not hold it (no package manifest of {kb} under {PACKAGES_FOLDER})",
                    place.image, place.index
                );
                missing = true;
            }
        }
        Ok(missing)
    }

    /// Cleans up where asked and commits what changed (and may be kept), else discards; true
    /// when it committed.
    fn close(&self, place: &Workplace<'_>, outcome: &Outcome) -> Result<bool> {
        let keep = outcome.changed && (!outcome.failed || self.schedule.continue_on_error);
        if keep && self.schedule.remove_superseded {
            if let Err(failure) = self.engine.run(&Step::Cleanup, place)? {
                return Err(engine_failure("cleanup", &failure, self.log));
            }
        }
        let close = if keep { Step::Commit } else { Step::Discard };
        match self.engine.run(&close, place)? {
            Ok(()) => Ok(keep),
            Err(failure) => Err(engine_failure(close.name(), &failure, self.log)),
        }
    }

    /// Discards what a failed run left mounted (WinRE first, as it lives in the install image's
    /// mount), so that DISM keeps no mount of a run that is over.
    pub(super) fn discard_mounts(&self) {
        for (image, folder) in [("winre", "mount-winre"), ("install", "mount")] {
            let mount = self.work.join(folder);
            if !mount.is_dir() {
                continue;
            }
            let place = Workplace {
                image,
                image_file: &mount,
                index: 0,
                mount: &mount,
                log: self.log,
                work: self.work,
                max_run_time: self.max_run_time,
            };
            let _ = self.engine.run(&Step::Discard, &place);
        }
    }

    /// Where wimlib could not read what the image holds, an engine that really mounts (DISM)
    /// shows it: the servicing packages of the mounted index are read once.
    fn read_mounted_packages(&mut self, index: u32, mount: &Path) -> Result<()> {
        let packages = mount.join(PACKAGES_FOLDER);
        let version = self.package.content_version;
        let unread = self
            .site
            .db()
            .image_updates_state(&self.package.id, version)?
            == "unread";
        if !unread || !packages.is_dir() {
            return Ok(());
        }
        let rows: Vec<AppliedUpdate> = read_package_manifests(&packages)?
            .into_iter()
            .map(|held| held_in_image(self.package, "install", index, held))
            .collect();
        self.site
            .db()
            .write(|db| db.insert_applied_updates(&rows))?;
        self.read_when_mounted.push(index);
        let all_read = self
            .package
            .images
            .iter()
            .all(|i| self.read_when_mounted.contains(&i.index));
        if all_read {
            let id = &self.package.id;
            self.site
                .db()
                .write(|db| db.set_image_updates_state(id, version, "read"))?;
        }
        Ok(())
    }

    fn record_result(
        &mut self,
        update: &Update,
        image: &str,
        index: u32,
        outcome: std::result::Result<(), (StepFailure, String)>,
    ) {
        let (state, exit_code, message) = match outcome {
            Ok(()) => (UpdateState::Installed, None, String::new()),
            Err((failure, message)) => (
                UpdateState::Failed,
                failure.exit_code,
                format!("{message} ({failure})"),
            ),
        };
        self.results.push(UpdateResult {
            update_id: update.id.clone(),
            image: image.to_string(),
            image_index: index,
            state,
            exit_code,
            message,
        });
    }

    /// The updates a stopped run did not reach.
    fn mark_not_run(&mut self, rest: &[IndexPlan<'_>], targets: &[Target]) {
        for plan in rest {
            let image = targets[plan.target].image;
            let planned = plan
                .winre
                .iter()
                .map(|u| (u, "winre"))
                .chain(plan.updates.iter().map(|u| (u, image)));
            let missing: Vec<(&&Update, &str)> = planned
                .filter(|(update, image)| {
                    !self.results.iter().any(|r| {
                        r.update_id == update.id && r.image == *image && r.image_index == plan.index
                    })
                })
                .collect();
            for (update, image) in missing {
                self.results.push(UpdateResult {
                    update_id: update.id.clone(),
                    image: image.into(),
                    image_index: plan.index,
                    state: UpdateState::NotRun,
                    exit_code: None,
                    message: "not run: an earlier update failed and the schedule does not continue on error".into(),
                });
            }
        }
    }
}
