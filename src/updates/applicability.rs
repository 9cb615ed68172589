//! Which catalog updates apply to a package: its architecture and build, not in its images
//! yet, not superseded by an update they hold or one selected with it; in the order servicing
//! installs them (servicing stack, then cumulative, then the rest; by release date within each).
//! Each classification has its images, as Microsoft documents for updating installation media:
//! a servicing stack goes into install.wim, its WinRE and boot.wim; a cumulative update into
//! install.wim and boot.wim; a Safe OS update into WinRE; the rest into install.wim.

use std::collections::{HashMap, HashSet};

use super::{read_held_updates, require_all, Update};
use crate::error::{Error, Result};
use crate::model::{ApplicableUpdate, NotApplicableUpdate, Package, UpdateClassification};
use crate::site::Site;

/// The images an update of a classification goes into.
pub(crate) fn targets(classification: UpdateClassification) -> &'static [&'static str] {
    match classification {
        UpdateClassification::ServicingStack => &["install", "winre", "boot"],
        UpdateClassification::Cumulative => &["install", "boot"],
        UpdateClassification::SafeOs => &["winre"],
        UpdateClassification::Setup => &[],
        UpdateClassification::Other => &["install"],
    }
}

/// What an update is judged against.
pub(crate) struct Target {
    package: Package,
    /// KBs each (image, index) holds.
    held: HashMap<(String, u32), HashSet<String>>,
    /// KB superseded → the held or selected KB that supersedes it.
    superseded_by: HashMap<String, String>,
    /// Whether what the images hold has been read (else nothing is known to be held).
    read: bool,
}

impl Target {
    pub(crate) fn holds(&self, image: &str, index: u32, kb: &str) -> bool {
        self.held
            .get(&(image.to_string(), index))
            .is_some_and(|kbs| kbs.contains(kb))
    }
}

/// The install image indexes an update applies to (for a Safe OS update: whose WinRE), or why
/// it applies to none.
pub(crate) type Verdict = std::result::Result<Vec<u32>, String>;

/// The catalog's updates that apply to the package, in installation order.
pub fn applicable(site: &Site, package_id: &str) -> Result<Vec<ApplicableUpdate>> {
    let target = target(site, package_id)?;
    let mut found: Vec<ApplicableUpdate> = site
        .db()
        .updates(None)?
        .into_iter()
        .filter_map(|update| match judge(&update, &target) {
            Ok(image_indexes) => Some(ApplicableUpdate {
                targets: targets(update.classification)
                    .iter()
                    .map(|t| t.to_string())
                    .collect(),
                update,
                package_id: package_id.to_string(),
                image_indexes,
            }),
            Err(_) => None,
        })
        .collect();
    // The newest of a line of updates is what to apply: one another applicable update
    // supersedes is left out, as it would be refused beside it.
    let superseded: HashSet<String> = found
        .iter()
        .flat_map(|a| a.update.supersedes.iter().cloned())
        .collect();
    found.retain(|a| !superseded.contains(&a.update.kb));
    found.sort_by(|a, b| install_order(&a.update, &b.update));
    Ok(found)
}

/// The catalog's updates that the applicable list leaves out, each with why, in installation
/// order: what an admin asks when an update they expected is not offered.
pub fn not_applicable(site: &Site, package_id: &str) -> Result<Vec<NotApplicableUpdate>> {
    let offered: HashSet<String> = applicable(site, package_id)?
        .into_iter()
        .map(|a| a.update.id)
        .collect();
    let target = target(site, package_id)?;
    let updates = site.db().updates(None)?;
    let mut left_out: Vec<NotApplicableUpdate> = updates
        .iter()
        .filter(|update| !offered.contains(&update.id))
        .map(|update| {
            let reason = judge(update, &target).err().unwrap_or_else(|| {
                // It applies, but a newer applicable update supersedes it.
                let by: Vec<&str> = updates
                    .iter()
                    .filter(|other| {
                        other.supersedes.contains(&update.kb) && judge(other, &target).is_ok()
                    })
                    .map(|other| other.id.as_str())
                    .collect();
                format!("{} supersedes it and applies too", by.join(", "))
            });
            NotApplicableUpdate {
                update: update.clone(),
                package_id: package_id.to_string(),
                reason,
            }
        })
        .collect();
    left_out.sort_by(|a, b| install_order(&a.update, &b.update));
    Ok(left_out)
}

/// Checks that every update of a selection applies to the package (none superseded by another
/// of the selection; a Safe OS update only where WinRE is serviced) and returns them in
/// installation order; the first that does not is refused, saying which and why.
pub fn check_selection(
    site: &Site,
    package_id: &str,
    update_ids: &[String],
    service_winre: bool,
) -> Result<Vec<Update>> {
    if update_ids.is_empty() {
        return Err(Error::invalid_argument(
            "update_ids",
            "select at least one update",
        ));
    }
    let mut target = target(site, package_id)?;
    let mut selected = require_all(site, update_ids)?;
    for update in &selected {
        for superseded in &update.supersedes {
            target
                .superseded_by
                .entry(superseded.clone())
                .or_insert_with(|| format!("{} (selected)", update.kb));
        }
    }
    // As the applicable list leaves it out, so a selection refuses an update that another
    // applicable one supersedes.
    let applicable_superseders: Vec<Update> = site
        .db()
        .updates(None)?
        .into_iter()
        .filter(|update| !update.supersedes.is_empty() && judge(update, &target).is_ok())
        .collect();
    let held: HashSet<String> = target.held.values().flatten().cloned().collect();
    for update in &applicable_superseders {
        // One the package holds is refused as held, which says more.
        for superseded in update.supersedes.iter().filter(|kb| !held.contains(*kb)) {
            target
                .superseded_by
                .entry(superseded.clone())
                .or_insert_with(|| {
                    format!("{}, which applies too (schedule it instead),", update.id)
                });
        }
    }
    for update in &selected {
        let refusal = if update.classification == UpdateClassification::SafeOs && !service_winre {
            Err(
                "it is a Safe OS dynamic update, for WinRE: let the schedule service WinRE"
                    .to_string(),
            )
        } else {
            judge(update, &target)
        };
        if let Err(reason) = refusal {
            return Err(Error::invalid_argument(
                "update_ids",
                format!(
                    "{} does not apply to package {package_id}: {reason}",
                    update.id
                ),
            ));
        }
    }
    selected.sort_by(install_order);
    Ok(selected)
}

pub(crate) fn install_order(a: &Update, b: &Update) -> std::cmp::Ordering {
    (a.classification, &a.release_date, &a.kb).cmp(&(b.classification, &b.release_date, &b.kb))
}

pub(crate) fn target(site: &Site, package_id: &str) -> Result<Target> {
    let package = site.db().require_package(package_id)?;
    read_held_updates(site, &package)?;
    let mut held: HashMap<(String, u32), HashSet<String>> = HashMap::new();
    for applied in site.db().applied_updates(package_id)? {
        held.entry((applied.image, applied.image_index))
            .or_default()
            .insert(applied.kb);
    }
    let held_kbs: HashSet<&String> = held.values().flatten().collect();
    let mut superseded_by = HashMap::new();
    for update in site.db().updates(None)? {
        if held_kbs.contains(&update.kb) {
            for superseded in update.supersedes {
                superseded_by.insert(superseded, update.kb.clone());
            }
        }
    }
    let read = site
        .db()
        .image_updates_state(package_id, package.content_version)?
        == "read";
    Ok(Target {
        package,
        held,
        superseded_by,
        read,
    })
}

/// The install image indexes the update applies to, or why it applies to none. A Safe OS
/// update is judged against the WinRE of each index; the others against the index itself.
pub(crate) fn judge(update: &Update, target: &Target) -> Verdict {
    if update.classification == UpdateClassification::Setup {
        return Err(
            "it is a Setup dynamic update, for the setup medium's sources folder, which servicing does not update".into(),
        );
    }
    if let Some(by) = target.superseded_by.get(&update.kb) {
        return Err(format!("{by} supersedes it"));
    }
    let image = if update.classification == UpdateClassification::SafeOs {
        "winre"
    } else {
        "install"
    };
    let mut reasons = Vec::new();
    let mut indexes = Vec::new();
    for info in &target.package.images {
        let build = build_number(&info.version);
        if !info.architecture.eq_ignore_ascii_case(&update.architecture) {
            reasons.push(format!(
                "image {} is {}, the update {}",
                info.index, info.architecture, update.architecture
            ));
        } else if !fits_build(update, build) {
            reasons.push(format!(
                "image {} is build {build}, the update is for {}",
                info.index,
                builds_text(update)
            ));
        } else if image == "winre"
            && target.read
            && !target.held.contains_key(&("winre".to_string(), info.index))
        {
            reasons.push(format!("image {} has no WinRE", info.index));
        } else if target.holds(image, info.index, &update.kb) {
            let which = if image == "winre" {
                "the WinRE of image"
            } else {
                "image"
            };
            reasons.push(format!(
                "{which} {} holds {} already",
                info.index, update.kb
            ));
        } else {
            indexes.push(info.index);
        }
    }
    if indexes.is_empty() {
        return Err(if reasons.is_empty() {
            "the package has no install image".into()
        } else {
            reasons.join("; ")
        });
    }
    Ok(indexes)
}

/// The build of `10.0.19045.2965`: 19045.
pub(crate) fn build_number(version: &str) -> u32 {
    version
        .split('.')
        .nth(2)
        .and_then(|b| b.parse().ok())
        .unwrap_or(0)
}

/// Windows 11 builds start at 22000.
const FIRST_WINDOWS_11_BUILD: u32 = 22000;

pub(crate) fn fits_build(update: &Update, build: u32) -> bool {
    if !update.builds.is_empty() {
        return update.builds.contains(&build);
    }
    match update.product.as_str() {
        "Windows 10" => build > 0 && build < FIRST_WINDOWS_11_BUILD,
        "Windows 11" => build >= FIRST_WINDOWS_11_BUILD,
        _ => false,
    }
}

fn builds_text(update: &Update) -> String {
    if update.builds.is_empty() {
        return update.product.clone();
    }
    let builds: Vec<String> = update.builds.iter().map(u32::to_string).collect();
    format!("build {}", builds.join(", "))
}

/// For a run: each selected update (in installation order) with its verdict, and what it is
/// judged against (what each image holds), to plan WinRE and boot.wim by.
pub(crate) fn still_applicable(
    site: &Site,
    package_id: &str,
    update_ids: &[String],
) -> Result<(Vec<(Update, Verdict)>, Target)> {
    let target = target(site, package_id)?;
    let mut selected = require_all(site, update_ids)?;
    selected.sort_by(install_order);
    let verdicts = selected
        .into_iter()
        .map(|update| {
            let verdict = judge(&update, &target);
            (update, verdict)
        })
        .collect();
    Ok((verdicts, target))
}
