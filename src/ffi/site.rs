//! The C face of a site: opening, creating and closing it, what it holds, its settings, its log
//! callback, and the strings the library hands out.

use std::ffi::{c_char, c_void, CString};
use std::path::Path;

use super::arguments::{optional_str, required_str};
use super::boundary::ffi_boundary;
use super::entry::{answer_handle, answer_record, on_site};
use super::handles::{self, osu_site};
use super::json::{json_shape, ToJson};
use super::status::osu_status;
use crate::site::SiteInfo;
use crate::Site;
use serde::Serialize;

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
    answer_handle(out_site, || {
        let path = optional_str(path, "path")?;
        let site_code = optional_str(site_code, "site_code")?;
        Ok(Site::open(path.map(Path::new), site_code)?)
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
    answer_handle(out_site, || {
        let path = required_str(path, "path")?;
        let site_code = optional_str(site_code, "site_code")?;
        Ok(Site::create(Path::new(path), site_code)?)
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
    answer_record(site, out_json, "out_json", |site| Ok(site.info()?))
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
    on_site(site, |site| Ok(site.set_retained_content_versions(count)?))
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

/// The severity of a log record, as CMTrace numbers it.
#[repr(i32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum osu_log_level {
    OSU_LOG_INFORMATION = 1,
    OSU_LOG_WARNING = 2,
    OSU_LOG_ERROR = 3,
}

/// Receives a log record of an operation on the site: its severity, component (`package`,
/// `distribution`, `updates`, `servicing`) and message, UTF-8, valid during the call. Called on
/// the thread that made the `osu_` call, never on another (what worker threads log is handed
/// over there before the call returns); the same records go to the site's Logs folder.
pub type osu_log_callback = Option<
    unsafe extern "C" fn(
        level: osu_log_level,
        component: *const c_char,
        message: *const c_char,
        user_data: *mut c_void,
    ),
>;

/// The caller's pointer, handed back as it is on the caller's thread.
struct CallerData(*mut c_void);
// SAFETY: the library only hands the pointer back to the caller's callback, on the caller's
// thread; it never dereferences it.
unsafe impl Send for CallerData {}
unsafe impl Sync for CallerData {}

impl CallerData {
    fn pointer(&self) -> *mut c_void {
        self.0
    }
}

/// Sets the callback that gets the log records of this site handle's operations (NULL stops
/// it), with `user_data` handed back to it. Log records go to the site's `Logs` folder in
/// CMTrace format whatever this says.
///
/// # Safety
/// `callback` stays callable with `user_data` until it is replaced or the handle is closed.
#[no_mangle]
pub unsafe extern "C" fn osu_site_set_log_callback(
    site: *mut osu_site,
    callback: osu_log_callback,
    user_data: *mut c_void,
) -> osu_status {
    on_site(site, |site| {
        let data = CallerData(user_data);
        let forwarded: Option<crate::logging::LogCallback> = callback.map(|callback| {
            let forward = move |entry: &crate::logging::LogEntry| {
                let level = match entry.severity {
                    crate::logging::Severity::Information => osu_log_level::OSU_LOG_INFORMATION,
                    crate::logging::Severity::Warning => osu_log_level::OSU_LOG_WARNING,
                    crate::logging::Severity::Error => osu_log_level::OSU_LOG_ERROR,
                };
                let text = |s: &str| CString::new(s.replace('\0', " ")).unwrap_or_default();
                let (component, message) = (text(&entry.component), text(&entry.message));
                // SAFETY: the caller keeps the callback valid while it is set; this runs on the
                // caller's thread.
                unsafe { callback(level, component.as_ptr(), message.as_ptr(), data.pointer()) };
            };
            std::sync::Arc::new(forward) as crate::logging::LogCallback
        });
        site.set_log_callback(forwarded);
        Ok(())
    })
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct SiteInfoJson<'a> {
    database_path: &'a str,
    library_path: &'a str,
    site_code: &'a str,
    schema_version: i64,
    package_count: u64,
    blob_count: u64,
    library_size: u64,
    content_size: u64,
    bytes_saved: u64,
    retained_content_versions: u32,
}

impl<'a> From<&'a SiteInfo> for SiteInfoJson<'a> {
    fn from(i: &'a SiteInfo) -> Self {
        SiteInfoJson {
            database_path: &i.database_path,
            library_path: &i.library_path,
            site_code: &i.site_code,
            schema_version: i.schema_version,
            package_count: i.package_count,
            blob_count: i.blob_count,
            library_size: i.library_size,
            content_size: i.content_size,
            bytes_saved: i.bytes_saved,
            retained_content_versions: i.retained_content_versions,
        }
    }
}

json_shape! {
    SiteInfo => SiteInfoJson,
}
