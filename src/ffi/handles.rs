//! Site handles. A handle is a number the library hands out, never reused, looked up in a
//! registry on every call: a closed or made-up handle is refused with a status, never
//! dereferenced.

use std::collections::HashMap;
use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::thread::{self, ThreadId};

use once_cell::sync::Lazy;

use super::boundary::CallError;
use crate::{Error, Site};

/// An open site. Opaque: only ever passed back to `osu_` functions.
pub struct osu_site {
    _private: [u8; 0],
}

/// An open site and the thread whose call is using it: a call on the handle made from inside
/// one of that call's callbacks (same thread) would wait for itself.
struct OpenSite {
    /// The site's database path, stamped on every record the handle returns.
    path: String,
    site: Mutex<Site>,
    user: Mutex<Option<ThreadId>>,
}

type SharedSite = Arc<OpenSite>;

static SITES: Lazy<Mutex<HashMap<usize, SharedSite>>> = Lazy::new(Default::default);
/// Handles are multiples of 16 so they look like the pointers C callers expect.
static NEXT_HANDLE: AtomicUsize = AtomicUsize::new(1);

fn registry() -> MutexGuard<'static, HashMap<usize, SharedSite>> {
    SITES.lock().unwrap_or_else(PoisonError::into_inner)
}

pub(crate) fn register(site: Site) -> *mut osu_site {
    let handle = NEXT_HANDLE.fetch_add(1, Ordering::Relaxed) << 4;
    registry().insert(
        handle,
        Arc::new(OpenSite {
            path: site.database_path().display().to_string(),
            site: Mutex::new(site),
            user: Mutex::new(None),
        }),
    );
    handle as *mut osu_site
}

/// Runs `work` on the open site; calls on one handle from several threads take turns. A call
/// made on the handle from inside a callback of a call still running on it (the same thread)
/// is refused as busy rather than left waiting for itself.
pub(crate) fn with_site<T>(
    handle: *mut osu_site,
    work: impl FnOnce(&Site) -> Result<T, CallError>,
) -> Result<T, CallError> {
    let site = open_site(handle)?;
    let this_thread = thread::current().id();
    if *lock(&site.user) == Some(this_thread) {
        return Err(busy_from_callback());
    }
    let guard = lock(&site.site);
    *lock(&site.user) = Some(this_thread);
    let result = panic::catch_unwind(AssertUnwindSafe(|| work(&guard)));
    *lock(&site.user) = None;
    result.unwrap_or_else(|payload| panic::resume_unwind(payload))
}

/// The database path of the open site, which records carry as `sitePath`.
pub(crate) fn site_path(handle: *mut osu_site) -> Result<String, CallError> {
    Ok(open_site(handle)?.path.clone())
}

fn open_site(handle: *mut osu_site) -> Result<SharedSite, CallError> {
    if handle.is_null() {
        return Err(CallError::NullArgument("site"));
    }
    registry()
        .get(&(handle as usize))
        .cloned()
        .ok_or(CallError::InvalidHandle)
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Forgets a handle; the site closes once no call is using it. Closing it from inside a
/// callback of a call still running on it is refused as busy.
pub(crate) fn release(handle: *mut osu_site) -> Result<(), CallError> {
    let site = open_site(handle)?;
    if *lock(&site.user) == Some(thread::current().id()) {
        return Err(busy_from_callback());
    }
    registry()
        .remove(&(handle as usize))
        .map(drop)
        .ok_or(CallError::InvalidHandle)
}

fn busy_from_callback() -> CallError {
    CallError::Core(Error::Busy(
        "site: the handle is busy with the call whose callback made this one; \
         open a second handle to the same site to use it from a callback"
            .into(),
    ))
}
