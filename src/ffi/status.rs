use std::ffi::c_char;

use crate::error::ErrorKind;
use crate::Error;

/// What every `osu_` function returns. The numbers are stable: a code is never renumbered
/// or reused.
#[repr(i32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum osu_status {
    /// The call succeeded.
    OSU_OK = 0,
    /// A pointer argument that may not be NULL was NULL.
    OSU_NULL_ARGUMENT = 1,
    /// An argument is malformed: not UTF-8, empty, too long, or refused (a source folder
    /// without setup.exe, a symbolic link in it, a bad site code, …).
    OSU_INVALID_ARGUMENT = 2,
    /// The handle is not open: closed already, or never returned by `osu_site_open`.
    OSU_INVALID_HANDLE = 3,
    /// The package, folder or other object named does not exist.
    OSU_NOT_FOUND = 4,
    /// The change conflicts with what the site holds (same Name and Version, other site code).
    OSU_CONFLICT = 5,
    /// Reading or writing a file or folder failed.
    OSU_IO = 6,
    /// install.wim / install.esd is not a WIM file, is truncated, or has no Windows metadata.
    OSU_INVALID_IMAGE = 7,
    /// The progress callback asked to stop; nothing was recorded.
    OSU_CANCELLED = 8,
    /// Another process held the site database for longer than the busy timeout, or is
    /// changing the same package on the same distribution point.
    OSU_BUSY = 9,
    /// The site database failed or is damaged.
    OSU_DATABASE = 10,
    /// A bug in OSUpgrade (a caught panic); the message says where.
    OSU_INTERNAL = 11,
    /// Content in the site's library does not match its hash (damaged or tampered with); the
    /// message names the file. Nothing was changed on the distribution point.
    OSU_DAMAGED_CONTENT = 12,
    /// The servicing engine failed a step of a run (an update it could not add, an image it
    /// could not mount or commit); the run's results and log say which and why.
    OSU_SERVICING_FAILED = 13,
}

impl osu_status {
    pub(crate) fn of(error: &Error) -> osu_status {
        osu_status::of_kind(error.kind())
    }

    pub(crate) fn of_kind(kind: ErrorKind) -> osu_status {
        match kind {
            ErrorKind::InvalidArgument => osu_status::OSU_INVALID_ARGUMENT,
            ErrorKind::NotFound => osu_status::OSU_NOT_FOUND,
            ErrorKind::Conflict => osu_status::OSU_CONFLICT,
            ErrorKind::Io => osu_status::OSU_IO,
            ErrorKind::InvalidImage => osu_status::OSU_INVALID_IMAGE,
            ErrorKind::Cancelled => osu_status::OSU_CANCELLED,
            ErrorKind::Busy => osu_status::OSU_BUSY,
            ErrorKind::DamagedContent => osu_status::OSU_DAMAGED_CONTENT,
            ErrorKind::Database => osu_status::OSU_DATABASE,
            ErrorKind::ServicingFailed => osu_status::OSU_SERVICING_FAILED,
        }
    }

    /// The name, NUL-terminated.
    fn name(self) -> &'static [u8] {
        match self {
            osu_status::OSU_OK => b"OSU_OK\0",
            osu_status::OSU_NULL_ARGUMENT => b"OSU_NULL_ARGUMENT\0",
            osu_status::OSU_INVALID_ARGUMENT => b"OSU_INVALID_ARGUMENT\0",
            osu_status::OSU_INVALID_HANDLE => b"OSU_INVALID_HANDLE\0",
            osu_status::OSU_NOT_FOUND => b"OSU_NOT_FOUND\0",
            osu_status::OSU_CONFLICT => b"OSU_CONFLICT\0",
            osu_status::OSU_IO => b"OSU_IO\0",
            osu_status::OSU_INVALID_IMAGE => b"OSU_INVALID_IMAGE\0",
            osu_status::OSU_CANCELLED => b"OSU_CANCELLED\0",
            osu_status::OSU_SERVICING_FAILED => b"OSU_SERVICING_FAILED\0",
            osu_status::OSU_BUSY => b"OSU_BUSY\0",
            osu_status::OSU_DATABASE => b"OSU_DATABASE\0",
            osu_status::OSU_INTERNAL => b"OSU_INTERNAL\0",
            osu_status::OSU_DAMAGED_CONTENT => b"OSU_DAMAGED_CONTENT\0",
        }
    }

    fn from_code(code: i32) -> Option<osu_status> {
        use osu_status::*;
        [
            OSU_OK,
            OSU_NULL_ARGUMENT,
            OSU_INVALID_ARGUMENT,
            OSU_INVALID_HANDLE,
            OSU_NOT_FOUND,
            OSU_CONFLICT,
            OSU_IO,
            OSU_INVALID_IMAGE,
            OSU_CANCELLED,
            OSU_BUSY,
            OSU_DATABASE,
            OSU_INTERNAL,
            OSU_DAMAGED_CONTENT,
        ]
        .into_iter()
        .find(|s| *s as i32 == code)
    }
}

/// The name of a status code (`"OSU_NOT_FOUND"`), or `"OSU_UNKNOWN"` for a number that is not
/// one. The string is static: never free it. Thread-safe.
#[no_mangle]
pub extern "C" fn osu_status_name(status: i32) -> *const c_char {
    osu_status::from_code(status)
        .map_or(b"OSU_UNKNOWN\0".as_slice(), osu_status::name)
        .as_ptr()
        .cast()
}
