//! Site handles. A handle is a number the library hands out, never reused, looked up in a
//! registry on every call: a closed or made-up handle is refused with a status, never
//! dereferenced.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use once_cell::sync::Lazy;

use super::boundary::CallError;
use crate::Site;

/// An open site. Opaque: only ever passed back to `osu_` functions.
pub struct osu_site {
    _private: [u8; 0],
}

type SharedSite = Arc<Mutex<Site>>;

static SITES: Lazy<Mutex<HashMap<usize, SharedSite>>> = Lazy::new(Default::default);
/// Handles are multiples of 16 so they look like the pointers C callers expect.
static NEXT_HANDLE: AtomicUsize = AtomicUsize::new(1);

fn registry() -> MutexGuard<'static, HashMap<usize, SharedSite>> {
    SITES.lock().unwrap_or_else(PoisonError::into_inner)
}

pub(crate) fn register(site: Site) -> *mut osu_site {
    let handle = NEXT_HANDLE.fetch_add(1, Ordering::Relaxed) << 4;
    registry().insert(handle, Arc::new(Mutex::new(site)));
    handle as *mut osu_site
}

/// Runs `work` on the open site; calls on one handle from several threads take turns.
pub(crate) fn with_site<T>(
    handle: *mut osu_site,
    work: impl FnOnce(&Site) -> Result<T, CallError>,
) -> Result<T, CallError> {
    if handle.is_null() {
        return Err(CallError::NullArgument("site"));
    }
    let site = registry()
        .get(&(handle as usize))
        .cloned()
        .ok_or(CallError::InvalidHandle)?;
    let site = site.lock().unwrap_or_else(PoisonError::into_inner);
    work(&site)
}

/// Forgets a handle; the site closes once no call is using it.
pub(crate) fn release(handle: *mut osu_site) -> Result<(), CallError> {
    registry()
        .remove(&(handle as usize))
        .map(drop)
        .ok_or(CallError::InvalidHandle)
}
