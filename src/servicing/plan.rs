//! What a run does to which image, in the order Microsoft documents for updating installation
//! media: per install.wim index, its WinRE first (servicing stack, Safe OS updates), then the
//! index itself (servicing stack, cumulative, others); then each boot.wim index (servicing
//! stack, cumulative).

use crate::model::{ImageInfo, Update, UpdateResult, UpdateState};
use crate::updates::{self, Verdict};

/// What one image index gets: updates for the WinRE inside it (install.wim only) and for itself.
pub(super) struct IndexPlan<'u> {
    /// The position of its image in the run's targets (install.wim first).
    pub target: usize,
    pub index: u32,
    pub winre: Vec<&'u Update>,
    pub updates: Vec<&'u Update>,
}

impl IndexPlan<'_> {
    pub(super) fn steps(&self) -> u64 {
        (self.winre.len() + self.updates.len()) as u64
    }
}

/// The plans of every image index with something to do, in the order they are serviced, and a
/// not-run result for each update that applies nowhere any more (applied meanwhile,
/// superseded), with the reason. `boot_images` are the indexes of boot.wim, if it is serviced.
pub(super) fn plan<'u>(
    verdicts: &'u [(Update, Verdict)],
    held: &updates::Target,
    boot_images: &[ImageInfo],
    service_winre: bool,
) -> (Vec<IndexPlan<'u>>, Vec<UpdateResult>) {
    let mut plans: Vec<IndexPlan<'u>> = Vec::new();
    let mut not_run = Vec::new();
    for (update, verdict) in verdicts {
        let indexes = match verdict {
            Ok(indexes) => indexes,
            Err(reason) => {
                not_run.push(not_applied(update, reason));
                continue;
            }
        };
        let goes_to = updates::targets(update.classification);
        for &index in indexes {
            let plan = plan_for(&mut plans, 0, index);
            if goes_to.contains(&"install") {
                plan.updates.push(update);
            }
            let into_winre = service_winre
                && goes_to.contains(&"winre")
                && !held.holds("winre", index, &update.kb);
            if into_winre {
                plan.winre.push(update);
            }
        }
        if !goes_to.contains(&"boot") {
            continue;
        }
        for info in boot_images {
            let fits = info.architecture.eq_ignore_ascii_case(&update.architecture)
                && updates::fits_build(update, updates::build_number(&info.version));
            if fits && !held.holds("boot", info.index, &update.kb) {
                plan_for(&mut plans, 1, info.index).updates.push(update);
            }
        }
    }
    plans.retain(|plan| plan.steps() > 0);
    plans.sort_by_key(|plan| (plan.target, plan.index));
    (plans, not_run)
}

fn plan_for<'p, 'u>(
    plans: &'p mut Vec<IndexPlan<'u>>,
    target: usize,
    index: u32,
) -> &'p mut IndexPlan<'u> {
    let position = match plans
        .iter()
        .position(|p| p.target == target && p.index == index)
    {
        Some(position) => position,
        None => {
            plans.push(IndexPlan {
                target,
                index,
                winre: Vec::new(),
                updates: Vec::new(),
            });
            plans.len() - 1
        }
    };
    &mut plans[position]
}

fn not_applied(update: &Update, reason: &str) -> UpdateResult {
    UpdateResult {
        update_id: update.id.clone(),
        image: updates::targets(update.classification)
            .first()
            .copied()
            .unwrap_or("install")
            .into(),
        image_index: 0,
        state: UpdateState::NotRun,
        exit_code: None,
        message: format!("not applied: {reason}"),
    }
}
