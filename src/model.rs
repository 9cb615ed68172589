//! The records every floor shares: what the site database stores and the areas hand out. The
//! bottom floor: it knows no area and no SQL, and nothing here knows how a front end spells it
//! (the C interface's JSON shapes live in `ffi`).

use crate::error::ErrorKind;
pub use crate::time::Recurrence;

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
    /// Whether its folder was a mount point when last found as OSUpgrade left it; `None` until
    /// known (and on Windows, where the standard library gives no volume to compare).
    pub mount_point: Option<bool>,
}

/// A distribution point group (Configuration Manager's): points that are given the same
/// packages. A point that joins the group is given the packages it carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DistributionPointGroup {
    /// A GUID in braces, as Configuration Manager's GroupID; it stays when the group is renamed.
    pub id: String,
    pub name: String,
    pub description: String,
    /// The points of the group, by name.
    pub members: Vec<String>,
    /// The packages distributed to the group, by ID.
    pub package_ids: Vec<String>,
    pub created_at: String,
    pub modified_at: String,
}

stored_enum! {
    /// The state of a package on a distribution point, in Configuration Manager's words.
    pub enum DistributionState {
        Waiting,
        InProgress,
        Installed,
        Failed,
        Retrying,
    }
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
    pub bytes_reused: u64,
    pub files_copied: u64,
    pub last_error: String,
    pub started_at: Option<String>,
    pub finished_at: Option<String>,
    pub modified_at: String,
    /// The class of `last_error`; the C face sends it as a status code.
    pub last_error_kind: Option<ErrorKind>,
}

/// What a distribution moved to a point: the bytes it copied from the library, the bytes it
/// took from what the point already held (the unchanged ranges of a large file's earlier
/// version), and the files it wrote.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Transferred {
    pub bytes_copied: u64,
    pub bytes_reused: u64,
    pub files_copied: u64,
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

/// A piece of a large blob, kept once in the content library under its own SHA-256; a blob's
/// chunks, in order, make its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chunk {
    pub sha256: String,
    pub size: u64,
}

/// What kind of update a file is; servicing installs them in this order. Not a `stored_enum!`:
/// it is ordered, and catalogs and front ends name it in any letter case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum UpdateClassification {
    /// A servicing stack update (SSU): goes first, the others need it.
    ServicingStack,
    /// A latest cumulative update (LCU).
    Cumulative,
    /// A Safe OS dynamic update, for WinRE.
    SafeOs,
    /// A Setup dynamic update, for boot.wim and the setup files of the medium.
    Setup,
    Other,
}

impl UpdateClassification {
    pub const ALL: [UpdateClassification; 5] = [
        UpdateClassification::ServicingStack,
        UpdateClassification::Cumulative,
        UpdateClassification::SafeOs,
        UpdateClassification::Setup,
        UpdateClassification::Other,
    ];

    /// The name the site database and every front end use.
    pub fn name(self) -> String {
        format!("{self:?}")
    }

    pub fn parse(name: &str) -> Option<UpdateClassification> {
        Self::ALL
            .into_iter()
            .find(|c| c.name().eq_ignore_ascii_case(name))
    }
}

/// An update file in the site's catalog.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Update {
    /// The KB number and architecture, `KB5034441-x64`.
    pub id: String,
    pub kb: String,
    pub title: String,
    pub classification: UpdateClassification,
    pub architecture: String,
    /// `Windows 10` or `Windows 11`, as the file name tells, or "".
    pub product: String,
    /// The OS builds (e.g. 19045) it applies to; empty: every build of `product`.
    pub builds: Vec<u32>,
    /// YYYY-MM-DD, or "" when unknown.
    pub release_date: String,
    /// KB numbers it replaces.
    pub supersedes: Vec<String>,
    pub file_name: String,
    pub sha256: String,
    pub size: u64,
    pub imported_at: String,
}

/// An update an image of a package holds: found in it when it was imported, or applied by
/// servicing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppliedUpdate {
    pub package_id: String,
    /// `install` (sources/install.wim or .esd), `winre` (the WinRE image inside install's
    /// index `image_index`) or `boot` (sources/boot.wim).
    pub image: String,
    pub image_index: u32,
    pub kb: String,
    /// The build the update brings (`19041.1415`), where the image says so.
    pub build: String,
    /// The catalog update servicing applied; `None` for what the image held.
    pub update_id: Option<String>,
    /// `image` or `serviced`.
    pub origin: String,
    pub run_id: Option<i64>,
    /// The content version the update first appeared in.
    pub content_version: i64,
    pub applied_at: String,
}

/// An update that applies to a package, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApplicableUpdate {
    pub update: Update,
    pub package_id: String,
    /// The indexes of install.wim it applies to (for a Safe OS update: whose WinRE).
    pub image_indexes: Vec<u32>,
    /// The images it is for: `install`, `winre`, `boot`, by its classification.
    pub targets: Vec<String>,
}

stored_enum! {
    /// Where a content version of a package stands.
    pub enum ContentVersionState {
        /// The version the package is at: what distribution sends.
        Current,
        /// An earlier version the library keeps (the site's retained content versions), to
        /// validate points against or go back to.
        Retained,
        /// An earlier version no longer kept: its files went once no version used them.
        Collected,
    }
}

/// A content version of a package, as `package::content_versions` lists them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContentVersion {
    pub package_id: String,
    pub number: i64,
    pub state: ContentVersionState,
    /// How it came: `added`, `reloaded` or `serviced`; empty for a collected version.
    pub origin: String,
    /// UTC; empty for a collected version.
    pub created_at: String,
    /// The bytes of its files; 0 for a collected version.
    pub size: u64,
    /// The distribution points that hold it, by name.
    pub distribution_points: Vec<String>,
}

/// A catalog update that does not apply to a package, and why (as
/// `updates::not_applicable` lists them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotApplicableUpdate {
    pub update: Update,
    pub package_id: String,
    /// Why it is not offered: another architecture or build, in the image already, superseded
    /// (and by which), a Setup dynamic update, no WinRE for a Safe OS update.
    pub reason: String,
}

/// A run a schedule will make, as `schedule::next_runs` lists them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NextRun {
    pub schedule_id: i64,
    pub package_id: String,
    /// UTC, `YYYY-MM-DDTHH:MM:SS.000Z`.
    pub run_at: String,
}

/// A servicing schedule of a package.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Schedule {
    pub id: i64,
    pub package_id: String,
    pub update_ids: Vec<String>,
    pub recurrence: Recurrence,
    /// YYYY-MM-DDTHH:MM:SS, in UTC when `utc`, else in the runner's local time.
    pub start: String,
    pub utc: bool,
    pub continue_on_error: bool,
    pub update_distribution_points: bool,
    pub remove_superseded: bool,
    /// Service the WinRE image inside each install image index too (servicing stack and Safe OS
    /// updates), before the index itself, as Microsoft documents for installation media.
    pub service_winre: bool,
    /// Service sources/boot.wim too (servicing stack and cumulative updates).
    pub service_boot_image: bool,
    pub enabled: bool,
    /// UTC; `None` once the schedule has no more runs.
    pub next_run_at: Option<String>,
    pub created_at: String,
    pub modified_at: String,
}

stored_enum! {
    /// A servicing run's outcome.
    pub enum RunState {
        Running,
        Succeeded,
        /// Continue-on-error let some updates fail; the rest were applied.
        PartiallySucceeded,
        Failed,
    }
}

stored_enum! {
    /// What became of one update on one image in a run.
    pub enum UpdateState {
        Installed,
        Failed,
        /// The run stopped before it, or it applied nowhere any more.
        NotRun,
        /// Added, then thrown away with the rest of a run that stopped on a failure.
        Discarded,
    }
}

/// One update's result on one image of a run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpdateResult {
    pub update_id: String,
    pub image: String,
    pub image_index: u32,
    pub state: UpdateState,
    pub exit_code: Option<i64>,
    pub message: String,
}

/// A servicing run of a package (ConfigMgr's SMS_ImageServicingProgress).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServicingRun {
    pub id: i64,
    pub schedule_id: Option<i64>,
    pub package_id: String,
    pub state: RunState,
    pub engine: String,
    pub content_version_from: i64,
    /// The content version the run made; `None` when it made none.
    pub content_version_to: Option<i64>,
    pub error: String,
    pub error_kind: Option<ErrorKind>,
    /// The engine's log of the run.
    pub log_path: String,
    pub started_at: String,
    pub finished_at: Option<String>,
    /// The distribution points that hold the package have yet to get the version the run made
    /// (the runner retries at each call until they have it).
    pub points_pending: bool,
    /// What went wrong the last time the points were updated, or "".
    pub points_error: String,
    pub results: Vec<UpdateResult>,
}

impl std::fmt::Display for Recurrence {
    /// The compact form the site database stores: `once`, `hours:6`, `days:1`, `weekly:2,4`,
    /// `monthlyOnDay:31`, `monthlyOnWeekday:2,2,7` (week, weekday, offset days).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Recurrence::Once => write!(f, "once"),
            Recurrence::Hours(n) => write!(f, "hours:{n}"),
            Recurrence::Days(n) => write!(f, "days:{n}"),
            Recurrence::Weekly(days) => {
                let days: Vec<String> = days.iter().map(u8::to_string).collect();
                write!(f, "weekly:{}", days.join(","))
            }
            Recurrence::MonthlyOnDay(day) => write!(f, "monthlyOnDay:{day}"),
            Recurrence::MonthlyOnWeekday {
                week,
                weekday,
                offset_days,
            } => write!(f, "monthlyOnWeekday:{week},{weekday},{offset_days}"),
        }
    }
}

impl std::str::FromStr for Recurrence {
    type Err = String;

    fn from_str(text: &str) -> std::result::Result<Recurrence, String> {
        let (kind, values) = text.split_once(':').unwrap_or((text, ""));
        let numbers: Vec<u32> = values
            .split(',')
            .filter(|v| !v.is_empty())
            .map(|v| {
                v.trim()
                    .parse()
                    .map_err(|_| format!("'{v}' is not a number"))
            })
            .collect::<std::result::Result<_, _>>()?;
        let small = |n: u32| u8::try_from(n).map_err(|_| format!("{n} is out of range"));
        let recurrence = match (kind, numbers.as_slice()) {
            ("once", []) => Recurrence::Once,
            ("hours", [n]) => Recurrence::Hours(*n),
            ("days", [n]) => Recurrence::Days(*n),
            ("weekly", days) if !days.is_empty() => Recurrence::Weekly(
                days.iter()
                    .map(|d| small(*d))
                    .collect::<std::result::Result<_, _>>()?,
            ),
            ("monthlyOnDay", [day]) => Recurrence::MonthlyOnDay(small(*day)?),
            ("monthlyOnWeekday", [week, weekday, offset]) => Recurrence::MonthlyOnWeekday {
                week: small(*week)?,
                weekday: small(*weekday)?,
                offset_days: small(*offset)?,
            },
            _ => return Err(format!("'{text}' is not a recurrence")),
        };
        Ok(recurrence)
    }
}
