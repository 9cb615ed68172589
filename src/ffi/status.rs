//! The status every `osu_` function returns: the one table of codes, and their names.

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
    /// The system refused access to a file or folder (EACCES, EPERM, a read-only file system,
    /// Windows' access denied and write protection); the message names the path.
    OSU_ACCESS_DENIED = 14,
    /// The disk or the quota is full; the message names the path. Nothing half-written is kept.
    OSU_DISK_FULL = 15,
}

// ALL and name(), generated from the enum above by build.rs.
include!(concat!(env!("OUT_DIR"), "/status_table.rs"));

impl osu_status {
    pub(crate) fn of(error: &Error) -> osu_status {
        osu_status::of_kind(error.kind())
    }

    /// The status named after the kind (`NotFound` is `OSU_NOT_FOUND`).
    pub(crate) fn of_kind(kind: ErrorKind) -> osu_status {
        osu_status::ALL
            .into_iter()
            .find(|status| status.is_named_for(kind))
            .unwrap_or(osu_status::OSU_INTERNAL)
    }

    fn is_named_for(self, kind: ErrorKind) -> bool {
        self.name()[b"OSU_".len()..]
            .iter()
            .filter(|&&b| b != b'_' && b != 0)
            .map(u8::to_ascii_lowercase)
            .eq(kind.name().bytes().map(|b| b.to_ascii_lowercase()))
    }

    fn from_code(code: i32) -> Option<osu_status> {
        osu_status::ALL.into_iter().find(|s| *s as i32 == code)
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::CStr;

    #[test]
    fn every_status_has_its_name_and_its_code_comes_back() {
        for status in osu_status::ALL {
            let name = unsafe { CStr::from_ptr(osu_status_name(status as i32)) };
            assert_eq!(name.to_str().unwrap(), format!("{status:?}"));
            assert_eq!(osu_status::from_code(status as i32), Some(status));
        }
        let past_the_last = osu_status::ALL.into_iter().map(|s| s as i32).max().unwrap() + 1;
        let unknown = unsafe { CStr::from_ptr(osu_status_name(past_the_last)) };
        assert_eq!(unknown.to_str().unwrap(), "OSU_UNKNOWN");
    }

    #[test]
    fn every_error_kind_has_the_status_of_its_name() {
        for &kind in ErrorKind::ALL {
            let status = osu_status::of_kind(kind);
            let words: String = format!("{status:?}")["OSU_".len()..].replace('_', "");
            assert!(
                words.eq_ignore_ascii_case(kind.name()),
                "{kind:?} is {status:?}"
            );
        }
    }
}
