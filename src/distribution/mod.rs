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

mod layout;
mod parallel;
mod point;
mod run;
mod transfer;
mod validate;

use serde::{Deserialize, Serialize};

pub use point::{add_point, get_point, list_points, remove_point, set_point};
pub use run::{distribute, redistribute, remove_content, remove_package_everywhere};
pub use validate::validate;

/// A distribution point: a folder that holds packages for clients to run setup from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DistributionPoint {
    pub name: String,
    pub path: String,
    pub description: String,
    pub created_at: String,
    pub modified_at: String,
}

/// The state of a package on a distribution point, in Configuration Manager's words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum DistributionState {
    Waiting,
    InProgress,
    Installed,
    Failed,
    Retrying,
}

impl DistributionState {
    pub(crate) fn parse(text: &str) -> Option<DistributionState> {
        [
            DistributionState::Waiting,
            DistributionState::InProgress,
            DistributionState::Installed,
            DistributionState::Failed,
            DistributionState::Retrying,
        ]
        .into_iter()
        .find(|state| format!("{state:?}") == text)
    }
}

/// A package on a distribution point.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DistributionStatus {
    pub package_id: String,
    pub distribution_point: String,
    pub target_content_version: i64,
    pub installed_content_version: Option<i64>,
    pub state: DistributionState,
    pub bytes_total: u64,
    pub bytes_copied: u64,
    pub files_copied: u64,
    pub last_error: String,
    pub started_at: Option<String>,
    pub finished_at: Option<String>,
    pub modified_at: String,
    /// The class of `last_error`; the C face sends it as a status code.
    #[serde(skip)]
    pub last_error_kind: Option<crate::ErrorKind>,
}

/// Where a package stands across all distribution points.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DistributionSummary {
    pub package_id: String,
    pub package_name: String,
    pub content_version: i64,
    pub targeted: u64,
    /// Points that hold the package's current content version.
    pub installed: u64,
    pub in_progress: u64,
    pub failed: u64,
}

/// How a distribution runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct DistributeOptions {
    /// Jobs (package x point) served at once.
    pub workers: usize,
}

impl Default for DistributeOptions {
    fn default() -> Self {
        DistributeOptions { workers: 4 }
    }
}

/// One progress report of a distribution or validation job, made on the calling thread.
#[derive(Debug, Clone, Copy)]
pub struct DistributionProgress<'a> {
    pub package_id: &'a str,
    pub distribution_point: &'a str,
    pub current_file: &'a str,
    pub bytes_done: u64,
    pub bytes_total: u64,
    pub files_done: u64,
    pub files_total: u64,
    pub jobs_done: u64,
    pub jobs_total: u64,
}

/// Receives progress; `ControlFlow::Break` cancels.
pub type DistributionProgressFn<'a> =
    dyn FnMut(&DistributionProgress<'_>) -> std::ops::ControlFlow<()> + 'a;

/// What validating a package on a distribution point found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ValidationReport {
    pub package_id: String,
    pub distribution_point: String,
    pub content_version: i64,
    pub files_checked: u64,
    pub missing: Vec<String>,
    pub altered: Vec<String>,
    pub unexpected: Vec<String>,
    /// Symbolic links, junctions and other non-files in the package folder, never followed;
    /// "." is the package folder itself.
    pub links: Vec<String>,
    pub valid: bool,
}

/// A progress receiver for callers that do not want reports.
pub fn ignore_progress(_: &DistributionProgress<'_>) -> std::ops::ControlFlow<()> {
    std::ops::ControlFlow::Continue(())
}

/// Status of packages on distribution points, narrowed to a package and/or a point.
pub fn status(
    site: &crate::Site,
    package_id: Option<&str>,
    point_name: Option<&str>,
) -> crate::Result<Vec<DistributionStatus>> {
    if let Some(id) = package_id {
        crate::package::get(site, id)?;
    }
    if let Some(name) = point_name {
        get_point(site, name)?;
    }
    site.db().distributions(package_id, point_name)
}

/// Per package: how many points it targets, holds its current version, are busy or failed.
pub fn summaries(
    site: &crate::Site,
    package_id: Option<&str>,
) -> crate::Result<Vec<DistributionSummary>> {
    if let Some(id) = package_id {
        crate::package::get(site, id)?;
    }
    site.db().distribution_summaries(package_id)
}
