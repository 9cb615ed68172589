//! The one progress report of the C interface, for every long operation: add, reload,
//! distribute (and redistribute), validate, update import, servicing.

use std::ffi::{c_char, c_void, CString};
use std::ops::ControlFlow;

use crate::progress::{Operation, Phase, Progress};

/// The long operation a progress report is about.
#[repr(i32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum osu_operation {
    /// `osu_package_add`.
    OSU_OPERATION_ADD = 0,
    /// `osu_package_reload_content`.
    OSU_OPERATION_RELOAD = 1,
    /// `osu_content_distribute`, `osu_content_redistribute`.
    OSU_OPERATION_DISTRIBUTE = 2,
    /// `osu_content_validate`.
    OSU_OPERATION_VALIDATE = 3,
    /// `osu_update_import`.
    OSU_OPERATION_IMPORT_UPDATES = 4,
    /// `osu_schedule_run`, `osu_schedule_run_due`.
    OSU_OPERATION_SERVICE = 5,
}

/// What the operation is doing.
#[repr(i32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum osu_phase {
    /// Walking the source folder.
    OSU_PHASE_SCANNING = 0,
    /// Reading install.wim / install.esd metadata.
    OSU_PHASE_READING_IMAGE = 1,
    /// Hashing files into the content library.
    OSU_PHASE_IMPORTING = 2,
    /// Writing the site database.
    OSU_PHASE_RECORDING = 3,
    /// Copying verified content to a distribution point.
    OSU_PHASE_COPYING = 4,
    /// Re-hashing what a distribution point holds.
    OSU_PHASE_VALIDATING = 5,
    /// Copying the image to service out of the content library.
    OSU_PHASE_TAKING_OUT = 6,
    /// The servicing engine applying an update (`current_file` names it: `KB… on install:2`).
    OSU_PHASE_SERVICING = 7,
}

/// One progress report, the same for every long operation. Strings are UTF-8 and valid only
/// during the callback; `package_id` is "" while an add has no ID yet, `distribution_point` ""
/// for an add or reload. Byte and file counts are those of the current job (the whole import,
/// or one package on one point); `jobs_done` of `jobs_total` counts finished jobs. Of
/// `bytes_done`, `bytes_reused` are those a distribution took from what the point already held
/// (the unchanged ranges of a large file's earlier version there) instead of copying them from
/// the library. Fields are only ever added at the end.
#[repr(C)]
pub struct osu_progress {
    pub phase: osu_phase,
    pub current_file: *const c_char,
    pub bytes_done: u64,
    pub bytes_total: u64,
    pub files_done: u64,
    pub files_total: u64,
    pub operation: osu_operation,
    pub package_id: *const c_char,
    pub distribution_point: *const c_char,
    pub jobs_done: u64,
    pub jobs_total: u64,
    pub bytes_reused: u64,
}

/// Called with progress on the thread that made the call, never on another, at most about ten
/// times a second (and always for a finished job); returning non-zero cancels the operation.
///
/// The call's site handle is busy while the callback runs: an `osu_` call on the same handle
/// from inside the callback returns `OSU_BUSY` at once (it would otherwise wait for itself).
/// Open a second handle to the same site to read it from a callback.
pub type osu_progress_callback =
    Option<unsafe extern "C" fn(progress: *const osu_progress, user_data: *mut c_void) -> i32>;

/// Hands a report to the caller's callback, if it gave one; its non-zero answer cancels.
pub(crate) fn forward_progress(
    callback: osu_progress_callback,
    user_data: *mut c_void,
    progress: &Progress<'_>,
) -> ControlFlow<()> {
    let Some(callback) = callback else {
        return ControlFlow::Continue(());
    };
    let text = |s: &str| CString::new(s).unwrap_or_default();
    let (package_id, point, file) = (
        text(progress.package_id),
        text(progress.distribution_point),
        text(progress.current_file),
    );
    let report = osu_progress {
        phase: match progress.phase {
            Phase::Scanning => osu_phase::OSU_PHASE_SCANNING,
            Phase::ReadingImage => osu_phase::OSU_PHASE_READING_IMAGE,
            Phase::Importing => osu_phase::OSU_PHASE_IMPORTING,
            Phase::Recording => osu_phase::OSU_PHASE_RECORDING,
            Phase::Copying => osu_phase::OSU_PHASE_COPYING,
            Phase::Validating => osu_phase::OSU_PHASE_VALIDATING,
            Phase::TakingOut => osu_phase::OSU_PHASE_TAKING_OUT,
            Phase::Servicing => osu_phase::OSU_PHASE_SERVICING,
        },
        current_file: file.as_ptr(),
        bytes_done: progress.bytes_done,
        bytes_total: progress.bytes_total,
        files_done: progress.files_done,
        files_total: progress.files_total,
        operation: match progress.operation {
            Operation::Add => osu_operation::OSU_OPERATION_ADD,
            Operation::Reload => osu_operation::OSU_OPERATION_RELOAD,
            Operation::Distribute => osu_operation::OSU_OPERATION_DISTRIBUTE,
            Operation::Validate => osu_operation::OSU_OPERATION_VALIDATE,
            Operation::ImportUpdates => osu_operation::OSU_OPERATION_IMPORT_UPDATES,
            Operation::Service => osu_operation::OSU_OPERATION_SERVICE,
        },
        package_id: package_id.as_ptr(),
        distribution_point: point.as_ptr(),
        jobs_done: progress.jobs_done,
        jobs_total: progress.jobs_total,
        bytes_reused: progress.bytes_reused,
    };
    // SAFETY: the caller gave this callback for this call; the report outlives the call.
    match unsafe { callback(&report, user_data) } {
        0 => ControlFlow::Continue(()),
        _ => ControlFlow::Break(()),
    }
}
