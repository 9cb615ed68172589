//! Distribution points and content distribution: a package lands at `<dp>/<package id>/` as a
//! plain tree setup can run from, with `<dp>/.osupgrade/<package id>.json`, the manifest of the
//! version installed there, written last as the commit point.
//!
//! Distributing one package to one point (a job) plans against what the point holds, copies
//! only what differs into a staging folder on the point (every byte hashed as written and checked
//! against the library's hash), and only then commits: staged files are renamed into place,
//! files the new version lacks are deleted, the manifest is written. A job that fails or dies
//! before the commit leaves the previous version untouched; one that dies during the commit is
//! finished by the next run, which adopts what is already in place by its hash.

mod fanout;
mod group;
mod layout;
mod names;
mod point;
mod run;
mod seed;
mod transfer;
mod validate;

pub use crate::model::{
    DistributionPoint, DistributionPointGroup, DistributionState, DistributionStatus,
    DistributionSummary, ValidationReport,
};

pub use group::{
    add_points_to_group, create_group, distribute_to_group, get_group, list_groups,
    remove_from_group, remove_group, remove_points_from_group, set_group, validate_on_group,
};

pub use point::{add_point, get_point, list_points, remove_point, set_point};
pub use run::{distribute, redistribute, remove_content, remove_package_everywhere};
pub use validate::validate;

/// How a distribution runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DistributeOptions {
    /// Jobs (package x point) served at once.
    pub workers: usize,
}

impl Default for DistributeOptions {
    fn default() -> Self {
        DistributeOptions { workers: 4 }
    }
}

/// Status of packages on distribution points, narrowed to a package and/or a point. A
/// distribution whose process died (its lock on the point free, or where that cannot be looked
/// at its lease unrenewed for two minutes) reads as Failed, interrupted, until it is distributed
/// again.
pub fn status(
    site: &crate::Site,
    package_id: Option<&str>,
    point_name: Option<&str>,
) -> crate::Result<Vec<DistributionStatus>> {
    if let Some(id) = package_id {
        site.db().require_package(id)?;
    }
    let point = point_name.map(|name| get_point(site, name)).transpose()?;
    run::statuses(site, package_id, point.as_ref().map(|p| p.name.as_str()))
}

/// Per package: how many points it targets, holds its current version, are busy or failed.
pub fn summaries(
    site: &crate::Site,
    package_id: Option<&str>,
) -> crate::Result<Vec<DistributionSummary>> {
    let packages = match package_id {
        Some(id) => vec![site.db().require_package(id)?],
        None => site.db().packages(None)?,
    };
    let statuses = run::statuses(site, package_id, None)?;
    Ok(packages
        .into_iter()
        .map(|package| {
            let mine: Vec<&DistributionStatus> = statuses
                .iter()
                .filter(|s| s.package_id == package.id)
                .collect();
            let count = |wanted: &dyn Fn(&DistributionStatus) -> bool| {
                mine.iter().filter(|s| wanted(s)).count() as u64
            };
            DistributionSummary {
                targeted: mine.len() as u64,
                installed: count(&|s| {
                    s.state == DistributionState::Installed
                        && s.installed_content_version == Some(package.content_version)
                }),
                in_progress: count(&|s| s.state.is_running()),
                failed: count(&|s| s.state == DistributionState::Failed),
                package_id: package.id,
                package_name: package.name,
                content_version: package.content_version,
            }
        })
        .collect())
}
