//! Named points where crash tests kill the process, the way a power cut or `kill -9` would:
//! `OSUPGRADE_TEST_KILL_AT=<name>` makes the process abort the moment it reaches that point
//! (git's `GIT_TEST_*` variables are the model). Unset, a point costs one comparison.

use once_cell::sync::Lazy;

static KILL_AT: Lazy<Option<String>> = Lazy::new(|| std::env::var("OSUPGRADE_TEST_KILL_AT").ok());

/// Aborts the process, without unwinding or running destructors, when the test asked to be
/// killed at `name`.
pub(crate) fn reached(name: &str) {
    if KILL_AT.as_deref() == Some(name) {
        std::process::abort();
    }
}
