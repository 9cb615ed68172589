//! Named points where crash tests kill the process, the way a power cut or `kill -9` would:
//! `OSUPGRADE_TEST_KILL_AT=<name>` makes the process abort the moment it reaches that point
//! (git's `GIT_TEST_*` variables are the model). `OSUPGRADE_TEST_KILL_AFTER_BYTES=[<copy>:]<n>`
//! aborts once a copy has handled n bytes, to land in the middle of a file; `<copy>` narrows it
//! to one kind of copy (a servicing run copies into its work folder, then into the library,
//! then to the points). Unset, a point costs one comparison.

use once_cell::sync::Lazy;

static KILL_AT: Lazy<Option<String>> = Lazy::new(|| std::env::var("OSUPGRADE_TEST_KILL_AT").ok());
static KILL_AFTER_BYTES: Lazy<Option<(Option<String>, u64)>> = Lazy::new(|| {
    let value = std::env::var("OSUPGRADE_TEST_KILL_AFTER_BYTES").ok()?;
    match value.split_once(':') {
        Some((copy, bytes)) => Some((Some(copy.to_owned()), bytes.parse().ok()?)),
        None => Some((None, value.parse().ok()?)),
    }
});

/// The kinds of copy a byte count can be narrowed to.
#[derive(Clone, Copy)]
pub(crate) enum CopyKind {
    /// Into the content library: an add, a reload, a serviced image.
    Library,
    /// From the library into a servicing run's work folder.
    WorkFolder,
    /// From the library into a distribution point.
    Point,
}

impl CopyKind {
    fn name(self) -> &'static str {
        match self {
            CopyKind::Library => "library",
            CopyKind::WorkFolder => "work-folder",
            CopyKind::Point => "point",
        }
    }
}

/// Aborts the process, without unwinding or running destructors, when the test asked to be
/// killed at `name`.
pub(crate) fn reached(name: &str) {
    if KILL_AT.as_deref() == Some(name) {
        std::process::abort();
    }
}

/// Aborts the process once the copy under way has written `total` bytes or more, when the test
/// asked for that (of this kind of copy, or of any).
pub(crate) fn wrote(copy: CopyKind, total: u64) {
    if let Some((only, limit)) = KILL_AFTER_BYTES.as_ref() {
        if total >= *limit && only.as_deref().is_none_or(|only| only == copy.name()) {
            std::process::abort();
        }
    }
}
