//! The records every floor shares: what the site database stores and the areas hand out. The
//! bottom floor: it knows no area and no SQL, and nothing here knows how a front end spells it
//! (the C interface's JSON shapes live in `ffi`).

use crate::error::ErrorKind;

/// One image (index) of a WIM or ESD file, as its XML metadata describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageInfo {
    pub index: u32,
    pub name: String,
    pub description: String,
    pub edition_id: String,
    /// `x86`, `x64`, `arm`, `arm64`, `ia64`, or `unknown(N)`.
    pub architecture: String,
    /// major.minor.build.spbuild, e.g. `10.0.19045.2965`.
    pub version: String,
    pub languages: Vec<String>,
    pub default_language: String,
    /// Bytes of the expanded image.
    pub size: u64,
}

/// An upgrade package as the site records it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Package {
    pub id: String,
    pub name: String,
    pub version: String,
    pub comment: String,
    pub source_path: String,
    pub content_version: i64,
    /// Bytes of the package's content.
    pub size: u64,
    pub file_count: u64,
    pub created_at: String,
    pub modified_at: String,
    pub images: Vec<ImageInfo>,
}

/// Fields to change; `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct PackageChanges {
    pub name: Option<String>,
    pub version: Option<String>,
    pub comment: Option<String>,
}

/// A distribution point: a folder that holds packages for clients to run setup from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DistributionPoint {
    pub name: String,
    pub path: String,
    pub description: String,
    pub created_at: String,
    pub modified_at: String,
}

/// The state of a package on a distribution point, in Configuration Manager's words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DistributionState {
    Waiting,
    InProgress,
    Installed,
    Failed,
    Retrying,
}

impl DistributionState {
    /// Waiting, in progress or retrying: a distribution under way.
    pub fn is_running(self) -> bool {
        matches!(
            self,
            DistributionState::Waiting
                | DistributionState::InProgress
                | DistributionState::Retrying
        )
    }

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
#[derive(Debug, Clone, PartialEq, Eq)]
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
    pub last_error_kind: Option<ErrorKind>,
}

/// Where a package stands across all distribution points.
#[derive(Debug, Clone, PartialEq, Eq)]
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

/// What validating a package on a distribution point found.
#[derive(Debug, Clone, PartialEq, Eq)]
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

/// One entry of a content version's manifest; folders have no blob.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileRecord {
    pub path: String,
    pub sha256: Option<String>,
    pub size: u64,
}
