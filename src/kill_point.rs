//! Named points where crash tests kill the process, the way a power cut or `kill -9` would:
//! `OSUPGRADE_TEST_KILL_AT=<name>` makes the process abort the moment it reaches that point
//! (git's `GIT_TEST_*` variables are the model). `OSUPGRADE_TEST_KILL_AFTER_BYTES=<n>` aborts
//! once a copy (an add or a reload into the library, a distribution into a point) has handled n
//! bytes, to land in the middle of a file. Unset, a point costs one comparison.

use once_cell::sync::Lazy;

static KILL_AT: Lazy<Option<String>> = Lazy::new(|| std::env::var("OSUPGRADE_TEST_KILL_AT").ok());
static KILL_AFTER_BYTES: Lazy<Option<u64>> = Lazy::new(|| {
    std::env::var("OSUPGRADE_TEST_KILL_AFTER_BYTES")
        .ok()
        .and_then(|n| n.parse().ok())
});

/// Aborts the process, without unwinding or running destructors, when the test asked to be
/// killed at `name`.
pub(crate) fn reached(name: &str) {
    if KILL_AT.as_deref() == Some(name) {
        std::process::abort();
    }
}

/// Aborts the process once the copy under way has written `total` bytes or more, when the test
/// asked for that.
pub(crate) fn wrote(total: u64) {
    if KILL_AFTER_BYTES.is_some_and(|limit| total >= limit) {
        std::process::abort();
    }
}
