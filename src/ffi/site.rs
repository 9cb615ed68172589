use std::ffi::{c_char, CString};
use std::path::Path;

use super::arguments::{optional_str, out_param, required_str, write_record};
use super::boundary::ffi_boundary;
use super::handles::{self, osu_site};
use super::status::osu_status;
use crate::Site;

/// Opens the site whose database is at `path` (a `site.db` file, or a folder that holds one).
/// Opening never creates: a path that holds no site is `OSU_NOT_FOUND` (create one with
/// `osu_site_create`). `path` NULL opens the embedded default, which is created on first use:
/// `$OSUPGRADE_SITE`, else `%ProgramData%\OSUpgrade\site.db` on Windows,
/// `$XDG_DATA_HOME/osupgrade/site.db` (or `~/.local/share/osupgrade/site.db`) elsewhere.
/// `site_code`, when given, must match the site's (else `OSU_CONFLICT`); it is the code of the
/// embedded default when that is made.
///
/// On success `*out_site` receives a handle the caller closes with `osu_site_close`; on
/// failure it is set to NULL. Several handles, in one process or many, may open one site.
///
/// # Safety
/// `path` and `site_code` are NULL or NUL-terminated UTF-8; `out_site` points to writable
/// storage.
#[no_mangle]
pub unsafe extern "C" fn osu_site_open(
    path: *const c_char,
    site_code: *const c_char,
    out_site: *mut *mut osu_site,
) -> osu_status {
    ffi_boundary(|| {
        let out_site = out_param(out_site, "out_site")?;
        let path = optional_str(path, "path")?;
        let site_code = optional_str(site_code, "site_code")?;
        let site = Site::open(path.map(Path::new), site_code)?;
        *out_site = handles::register(site);
        Ok(())
    })
}

/// Creates a site at `path` (a folder, made if needed, that will hold `site.db` and the content
/// library `files/`; or a database file name such as `lab.db`) and opens it. `site_code` (NULL:
/// `OSU`) is its three-character code, which prefixes its package IDs. A path that holds a site
/// already is `OSU_CONFLICT`; a bad code is `OSU_INVALID_ARGUMENT`.
///
/// On success `*out_site` receives a handle the caller closes with `osu_site_close`.
///
/// # Safety
/// `path` is NUL-terminated UTF-8, `site_code` NULL or NUL-terminated UTF-8; `out_site` points
/// to writable storage.
#[no_mangle]
pub unsafe extern "C" fn osu_site_create(
    path: *const c_char,
    site_code: *const c_char,
    out_site: *mut *mut osu_site,
) -> osu_status {
    ffi_boundary(|| {
        let out_site = out_param(out_site, "out_site")?;
        let path = required_str(path, "path")?;
        let site_code = optional_str(site_code, "site_code")?;
        let site = Site::create(Path::new(path), site_code)?;
        *out_site = handles::register(site);
        Ok(())
    })
}

/// Closes a site handle. NULL is accepted and does nothing; a handle that is not open gives
/// `OSU_INVALID_HANDLE`. A call still running on the handle in another thread finishes first;
/// closing it from inside a callback of a call running on it gives `OSU_BUSY` and leaves it open.
///
/// # Safety
/// None beyond passing a value `osu_site_open` returned, or NULL; any other value is refused.
#[no_mangle]
pub unsafe extern "C" fn osu_site_close(site: *mut osu_site) -> osu_status {
    ffi_boundary(|| {
        if site.is_null() {
            return Ok(());
        }
        handles::release(site)
    })
}

/// Writes the site's summary to `*out_json`: `{"databasePath", "libraryPath", "siteCode",
/// "schemaVersion", "packageCount", "blobCount", "librarySize", "contentSize", "bytesSaved",
/// "retainedContentVersions"}`.
/// Free it with `osu_string_free`.
///
/// # Safety
/// `out_json` points to writable storage.
#[no_mangle]
pub unsafe extern "C" fn osu_site_info(
    site: *mut osu_site,
    out_json: *mut *mut c_char,
) -> osu_status {
    ffi_boundary(|| {
        let out_json = out_param(out_json, "out_json")?;
        let site_path = handles::site_path(site)?;
        let info = handles::with_site(site, |site| Ok(site.info()?))?;
        write_record(out_json, &site_path, &info);
        Ok(())
    })
}

/// Sets how many retired content versions each package of the site keeps beside its current
/// one (0 to 100; default 1), so that a distribution point still holding one can be validated
/// against it. It takes effect when a package next gets a new content version, which also
/// collects the content only the dropped versions used. `OSU_INVALID_ARGUMENT` above 100.
///
/// # Safety
/// `site` is a handle `osu_site_open` or `osu_site_create` returned, or NULL.
#[no_mangle]
pub unsafe extern "C" fn osu_site_set_retained_content_versions(
    site: *mut osu_site,
    count: u32,
) -> osu_status {
    ffi_boundary(|| handles::with_site(site, |site| Ok(site.set_retained_content_versions(count)?)))
}

/// Frees a string the library returned. NULL is accepted and does nothing.
///
/// # Safety
/// `value` is NULL or a string returned by an `osu_` function and not freed yet.
#[no_mangle]
pub unsafe extern "C" fn osu_string_free(value: *mut c_char) {
    if !value.is_null() {
        drop(CString::from_raw(value));
    }
}

/// The library's version, e.g. `"0.1.0"`. The string is static: never free it.
#[no_mangle]
pub extern "C" fn osu_version() -> *const c_char {
    concat!(env!("CARGO_PKG_VERSION"), "\0").as_ptr().cast()
}
