//! One progress record for every long operation (add, reload, distribute, validate), made on the
//! thread that started the operation, throttled in one place.

use std::ops::ControlFlow;
use std::time::{Duration, Instant};

/// The long operation a report is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operation {
    /// Adding a package from a setup source.
    Add,
    /// Reloading a package's content from its source.
    Reload,
    /// Distributing packages to distribution points (also redistribution).
    Distribute,
    /// Validating a package on a distribution point.
    Validate,
    /// Importing update files into the catalog.
    ImportUpdates,
    /// Servicing a package's image with software updates.
    Service,
}

/// What the operation is doing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Walking the source folder and checking it.
    Scanning,
    /// Reading the image metadata of install.wim / install.esd.
    ReadingImage,
    /// Hashing files into the content library.
    Importing,
    /// Writing the records into the site database.
    Recording,
    /// Copying verified content to a distribution point.
    Copying,
    /// Re-hashing what a distribution point holds.
    Validating,
    /// Copying the image to service out of the content library.
    TakingOut,
    /// The servicing engine applying an update (`current_file` names it).
    Servicing,
}

/// One progress report. Byte and file counts are those of the current job (the whole import,
/// or one package on one point); `jobs_done` of `jobs_total` counts finished jobs.
#[derive(Debug, Clone, Copy)]
pub struct Progress<'a> {
    pub operation: Operation,
    pub phase: Phase,
    /// The package, once it has an ID ("" while an add is under way).
    pub package_id: &'a str,
    /// The distribution point of the job ("" for an add or reload).
    pub distribution_point: &'a str,
    /// The file last handled, relative to the package's root.
    pub current_file: &'a str,
    pub bytes_done: u64,
    pub bytes_total: u64,
    /// Of `bytes_done`, those a distribution took from what the point already held rather
    /// than from the library.
    pub bytes_reused: u64,
    pub files_done: u64,
    pub files_total: u64,
    pub jobs_done: u64,
    pub jobs_total: u64,
}

impl<'a> Progress<'a> {
    /// A report of `operation` in `phase` with nothing counted yet.
    pub fn new(operation: Operation, phase: Phase) -> Progress<'a> {
        Progress {
            operation,
            phase,
            package_id: "",
            distribution_point: "",
            current_file: "",
            bytes_done: 0,
            bytes_total: 0,
            bytes_reused: 0,
            files_done: 0,
            files_total: 0,
            jobs_done: 0,
            jobs_total: 1,
        }
    }
}

/// Receives progress; `ControlFlow::Break` cancels the operation.
pub type ProgressFn<'a> = dyn FnMut(&Progress<'_>) -> ControlFlow<()> + 'a;

/// A progress receiver for callers that do not want reports.
pub fn ignore_progress(_: &Progress<'_>) -> ControlFlow<()> {
    ControlFlow::Continue(())
}

/// Reports are passed on at most this often, so that a front end that draws them (PowerShell's
/// Write-Progress) does not slow the work down.
pub(crate) const REPORT_INTERVAL: Duration = Duration::from_millis(100);

/// Decides which reports go out: the first, then one per interval; a caller forces the ones
/// that must not be lost (a finished job, the last bytes).
#[derive(Debug, Default)]
pub(crate) struct Throttle {
    last: Option<Instant>,
}

impl Throttle {
    pub(crate) fn due(&mut self, forced: bool) -> bool {
        if !forced && self.last.is_some_and(|t| t.elapsed() < REPORT_INTERVAL) {
            return false;
        }
        self.last = Some(Instant::now());
        true
    }
}
