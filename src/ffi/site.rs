use std::ffi::{c_char, CString};
use std::path::Path;

use super::arguments::{optional_str, out_param, write_json};
use super::boundary::ffi_boundary;
use super::handles::{self, osu_site};
use super::status::osu_status;
use crate::Site;

/// Opens the site whose database is at `path` (a `site.db` file, or a folder that holds one),
/// creating the database and its content library if they do not exist. `path` NULL opens the
/// embedded default: `$OSUPGRADE_SITE`, else `%ProgramData%\OSUpgrade\site.db` on Windows,
/// `$XDG_DATA_HOME/osupgrade/site.db` (or `~/.local/share/osupgrade/site.db`) elsewhere.
/// `site_code` (NULL: `OSU`) is the three-character code of a new site, which prefixes its
/// package IDs; for an existing site it must match when given (else `OSU_CONFLICT`).
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

/// Closes a site handle. NULL is accepted and does nothing; a handle that is not open gives
/// `OSU_INVALID_HANDLE`. A call still running on the handle in another thread finishes first.
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
/// "schemaVersion", "packageCount", "blobCount", "librarySize", "contentSize", "bytesSaved"}`.
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
        let info = handles::with_site(site, |site| Ok(site.info()?))?;
        write_json(out_json, &info);
        Ok(())
    })
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
