//! The core's errors: one enum of failures, each naming what failed and why, and their classes.

use std::io;
use std::path::{Path, PathBuf};

/// Every failure of the core, by class. The C face maps each class to one `osu_status`.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{argument}: {reason}")]
    InvalidArgument {
        argument: &'static str,
        reason: String,
    },

    /// `missing` says how it is missing when that is narrower than the site ("is not on
    /// distribution point 'DP1'"); else it does not exist.
    #[error("{what} '{id}' {}", missing.as_deref().unwrap_or("does not exist"))]
    NotFound {
        what: &'static str,
        id: String,
        missing: Option<String>,
    },

    #[error("{0}")]
    Conflict(String),

    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: io::Error,
    },

    #[error("{}: not a usable Windows image: {reason}", path.display())]
    InvalidImage { path: PathBuf, reason: String },

    #[error("the operation was cancelled")]
    Cancelled,

    /// Another process holds what this operation needs.
    #[error("{0}")]
    Busy(String),

    /// Content in the library does not match its hash: damaged or tampered with.
    #[error("{what}: {reason}")]
    DamagedContent { what: String, reason: String },

    /// The servicing engine failed a step (its exit code and log say why).
    #[error("{0}")]
    ServicingFailed(String),

    /// A privileged process refuses a site that others could have changed; says how to fix it.
    #[error("{}: {reason}", path.display())]
    Untrusted { path: PathBuf, reason: String },

    #[error("site database {}: {source}", path.display())]
    Database {
        path: PathBuf,
        #[source]
        source: rusqlite::Error,
    },
}

pub type Result<T> = std::result::Result<T, Error>;

stored_enum! {
    /// The class of an error, kept beside a failure's message where the site database records
    /// one (a failed distribution), so that every floor above can tell a busy point from a
    /// damaged blob from a full disk. The C face gives each the status of its name.
    pub enum ErrorKind {
        InvalidArgument,
        NotFound,
        Conflict,
        Io,
        InvalidImage,
        Cancelled,
        Busy,
        DamagedContent,
        Database,
        ServicingFailed,
        /// The system refused access to a file or folder (EACCES, EPERM, a read-only file
        /// system, Windows' access denied), whatever the language of its message.
        AccessDenied,
        /// The disk or the quota is full (ENOSPC, EDQUOT, Windows' disk full).
        DiskFull,
    }
}

/// The class of an I/O failure, from the system's error code, not its message.
fn io_kind(kind: io::ErrorKind) -> ErrorKind {
    match kind {
        io::ErrorKind::PermissionDenied | io::ErrorKind::ReadOnlyFilesystem => {
            ErrorKind::AccessDenied
        }
        io::ErrorKind::StorageFull | io::ErrorKind::QuotaExceeded => ErrorKind::DiskFull,
        _ => ErrorKind::Io,
    }
}

impl Error {
    pub(crate) fn invalid_argument(argument: &'static str, reason: impl Into<String>) -> Self {
        Error::InvalidArgument {
            argument,
            reason: reason.into(),
        }
    }

    pub(crate) fn not_found(what: &'static str, id: impl Into<String>) -> Self {
        Error::NotFound {
            what,
            id: id.into(),
            missing: None,
        }
    }

    /// A package missing from one distribution point, say.
    pub(crate) fn not_found_on(
        what: &'static str,
        id: impl Into<String>,
        place: impl std::fmt::Display,
    ) -> Self {
        Error::not_found_as(what, id, format!("is not on {place}"))
    }

    /// Missing in the way `missing` says ("is not a member of …").
    pub(crate) fn not_found_as(
        what: &'static str,
        id: impl Into<String>,
        missing: impl Into<String>,
    ) -> Self {
        Error::NotFound {
            what,
            id: id.into(),
            missing: Some(missing.into()),
        }
    }

    pub(crate) fn io(path: impl AsRef<Path>, source: io::Error) -> Self {
        Error::Io {
            path: path.as_ref().to_path_buf(),
            source,
        }
    }

    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::InvalidArgument { .. } => ErrorKind::InvalidArgument,
            Error::NotFound { .. } => ErrorKind::NotFound,
            Error::Conflict(_) => ErrorKind::Conflict,
            Error::Io { source, .. } => io_kind(source.kind()),
            Error::InvalidImage { .. } => ErrorKind::InvalidImage,
            Error::Cancelled => ErrorKind::Cancelled,
            Error::Busy(_) => ErrorKind::Busy,
            Error::Untrusted { .. } => ErrorKind::AccessDenied,
            Error::DamagedContent { .. } => ErrorKind::DamagedContent,
            Error::ServicingFailed(_) => ErrorKind::ServicingFailed,
            Error::Database { .. } if self.is_busy() => ErrorKind::Busy,
            Error::Database {
                source: rusqlite::Error::SqliteFailure(e, _),
                ..
            } => match e.code {
                rusqlite::ErrorCode::DiskFull => ErrorKind::DiskFull,
                rusqlite::ErrorCode::ReadOnly | rusqlite::ErrorCode::PermissionDenied => {
                    ErrorKind::AccessDenied
                }
                _ => ErrorKind::Database,
            },
            Error::Database { .. } => ErrorKind::Database,
        }
    }

    /// True when another process held what was needed: SQLite's lock, or a distribution point's.
    pub fn is_busy(&self) -> bool {
        match self {
            Error::Busy(_) => true,
            Error::Database {
                source: rusqlite::Error::SqliteFailure(e, _),
                ..
            } => matches!(
                e.code,
                rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked
            ),
            _ => false,
        }
    }
}

/// Attaches the path an I/O error happened at.
pub(crate) trait IoContext<T> {
    fn at(self, path: impl AsRef<Path>) -> Result<T>;
}

impl<T> IoContext<T> for io::Result<T> {
    fn at(self, path: impl AsRef<Path>) -> Result<T> {
        self.map_err(|source| Error::io(path, source))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[cfg(unix)]
    fn a_write_to_a_read_only_file_system_is_access_denied_as_a_refused_permission_is() {
        for code in [libc::EACCES, libc::EPERM, libc::EROFS] {
            let error = Error::io("/point", io::Error::from_raw_os_error(code));
            assert_eq!(error.kind(), ErrorKind::AccessDenied, "os error {code}");
        }
        let full = Error::io("/point", io::Error::from_raw_os_error(libc::ENOSPC));
        assert_eq!(full.kind(), ErrorKind::DiskFull);
    }
}
