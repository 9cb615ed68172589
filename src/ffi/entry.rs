//! The one shape of an entry point on an open site (as hyper's `ffi_fn!` gives its functions
//! theirs): inside the boundary, the out-parameter cleared, the body's one core call on the
//! site, and the answer handed back stamped with the site's path.

use std::ffi::c_char;

use super::arguments::{out_param, write_record, write_records};
use super::boundary::{ffi_boundary, CallError};
use super::handles::{self, osu_site};
use super::json::ToJson;
use super::status::osu_status;
use crate::Site;

/// The shape of an entry point that answers with a record: inside the boundary, the
/// out-parameter is cleared, `call` reads the arguments and makes its one core call on the open
/// site, and the record goes back stamped with the site's path.
///
/// # Safety
/// `out` is NULL or points to writable storage for a pointer.
pub(crate) unsafe fn answer_record<T: ToJson>(
    site: *mut osu_site,
    out: *mut *mut c_char,
    out_name: &'static str,
    call: impl FnOnce(&Site) -> Result<T, CallError>,
) -> osu_status {
    answer(site, out, out_name, call, |out, site_path, record| {
        write_record(out, site_path, record)
    })
}

/// As `answer_record`, for an entry point that answers with a JSON array of records.
///
/// # Safety
/// As for `answer_record`.
pub(crate) unsafe fn answer_records<T: ToJson>(
    site: *mut osu_site,
    out: *mut *mut c_char,
    out_name: &'static str,
    call: impl FnOnce(&Site) -> Result<Vec<T>, CallError>,
) -> osu_status {
    answer(site, out, out_name, call, |out, site_path, records| {
        write_records(out, site_path, records)
    })
}

/// The shape of an entry point that opens a site: inside the boundary, the out-parameter is
/// cleared, `open` reads the arguments and opens the site, and the caller gets its handle.
///
/// # Safety
/// `out_site` is NULL or points to writable storage for a pointer.
pub(crate) unsafe fn answer_handle(
    out_site: *mut *mut osu_site,
    open: impl FnOnce() -> Result<Site, CallError>,
) -> osu_status {
    ffi_boundary(|| {
        let out_site = out_param(out_site, "out_site")?;
        *out_site = handles::register(open()?);
        Ok(())
    })
}

/// The shape of an entry point that answers with its status alone: inside the boundary, `call`
/// reads the arguments and makes its one core call on the open site.
pub(crate) fn on_site(
    site: *mut osu_site,
    call: impl FnOnce(&Site) -> Result<(), CallError>,
) -> osu_status {
    ffi_boundary(|| handles::with_site(site, call))
}

unsafe fn answer<T>(
    site: *mut osu_site,
    out: *mut *mut c_char,
    out_name: &'static str,
    call: impl FnOnce(&Site) -> Result<T, CallError>,
    write: impl FnOnce(&mut *mut c_char, &str, &T),
) -> osu_status {
    ffi_boundary(|| {
        let out = out_param(out, out_name)?;
        let site_path = handles::site_path(site)?;
        let answer = handles::with_site(site, call)?;
        write(out, &site_path, &answer);
        Ok(())
    })
}
