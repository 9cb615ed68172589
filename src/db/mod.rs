//! The site database: schema, migrations and every SQL statement, one named function each.

mod blobs;
pub(crate) use blobs::EarlierFile;
mod distribution;
mod groups;
mod packages;
mod schedules;
mod schema;
mod settings;
mod updates;
mod versions;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rusqlite::{Connection, OpenFlags};

use crate::error::{Error, Result};

/// How long a statement waits for another process's write lock before failing as busy; tests
/// shorten it with `OSUPGRADE_TEST_BUSY_TIMEOUT_MS`, as they set kill points.
static BUSY_TIMEOUT: once_cell::sync::Lazy<Duration> = once_cell::sync::Lazy::new(|| {
    std::env::var("OSUPGRADE_TEST_BUSY_TIMEOUT_MS")
        .ok()
        .and_then(|ms| ms.parse().ok())
        .map_or(Duration::from_secs(60), Duration::from_millis)
});

pub(crate) struct Db {
    conn: Connection,
    path: PathBuf,
}

impl Db {
    pub(crate) fn open(path: &Path) -> Result<Db> {
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(path, flags).map_err(|source| Error::Database {
            path: path.to_path_buf(),
            source,
        })?;
        let db = Db {
            conn,
            path: path.to_path_buf(),
        };
        db.configure()?;
        schema::migrate(&db)?;
        Ok(db)
    }

    fn configure(&self) -> Result<()> {
        self.conn
            .busy_timeout(*BUSY_TIMEOUT)
            .map_err(|e| self.error(e))?;
        // WAL lets readers run beside a writer from another process; NORMAL sync keeps every
        // commit atomic and ordered, which is what the content library's reference-before-rename
        // rule relies on.
        self.enter_wal_mode()?;
        self.conn
            .execute_batch("PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;")
            .map_err(|e| self.error(e))
    }

    /// Switching a new database to WAL needs it alone for a moment, and SQLite answers "busy"
    /// at once instead of waiting while another process creates the same site; so wait here.
    fn enter_wal_mode(&self) -> Result<()> {
        let started = Instant::now();
        loop {
            let result = self
                .conn
                .query_row("PRAGMA journal_mode = WAL", [], |row| {
                    row.get::<_, String>(0)
                })
                .map_err(|e| self.error(e));
            match result {
                Err(e) if e.is_busy() && started.elapsed() < *BUSY_TIMEOUT => {
                    std::thread::sleep(Duration::from_millis(20))
                }
                other => return other.map(drop),
            }
        }
    }

    pub(crate) fn path(&self) -> &Path {
        &self.path
    }

    /// A failure of the database; one because another process holds it is Busy, and says so.
    pub(crate) fn error(&self, source: rusqlite::Error) -> Error {
        let error = Error::Database {
            path: self.path.clone(),
            source,
        };
        if error.is_busy() {
            return Error::Busy(format!(
                "{error}: another process holds the site database (waited up to {:?}); try \
                 again once it is done",
                *BUSY_TIMEOUT
            ));
        }
        error
    }

    /// A broken uniqueness rule as a Conflict that says which (`conflict`), any other failure
    /// as a database error.
    pub(crate) fn conflict_or_error(
        &self,
        source: rusqlite::Error,
        conflict: impl FnOnce() -> String,
    ) -> Error {
        match &source {
            rusqlite::Error::SqliteFailure(e, _)
                if e.code == rusqlite::ErrorCode::ConstraintViolation =>
            {
                Error::Conflict(conflict())
            }
            _ => self.error(source),
        }
    }

    /// Runs `work` inside one write transaction (taken at once, so two processes never
    /// deadlock upgrading a read lock); everything it changed is rolled back if it fails.
    /// Flushes every commit made so far, by any process, to stable storage. WAL with NORMAL
    /// sync commits without a flush, which keeps commits atomic and ordered; a file deleted on
    /// the strength of a commit needs the commit to outlive a power loss first.
    pub(crate) fn flush_commits(&self) -> Result<()> {
        let wal = PathBuf::from(format!("{}-wal", self.path.display()));
        // Windows flushes a file only through a handle that may write to it.
        match std::fs::OpenOptions::new().write(true).open(&wal) {
            Ok(file) => file.sync_all().map_err(|e| Error::io(&wal, e)),
            // No log: every commit is in the database file, flushed by the checkpoint.
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(Error::io(&wal, e)),
        }
    }

    pub(crate) fn write<T>(&self, work: impl FnOnce(&Db) -> Result<T>) -> Result<T> {
        self.conn
            .execute_batch("BEGIN IMMEDIATE")
            .map_err(|e| self.error(e))?;
        let guard = RollbackGuard(&self.conn);
        let value = work(self)?;
        self.conn
            .execute_batch("COMMIT")
            .map_err(|e| self.error(e))?;
        std::mem::forget(guard);
        Ok(value)
    }
}

/// Rolls back an open transaction when the work inside it fails or panics.
struct RollbackGuard<'a>(&'a Connection);

impl Drop for RollbackGuard<'_> {
    fn drop(&mut self) {
        let _ = self.0.execute_batch("ROLLBACK");
    }
}

/// `*` and `?` become LIKE's `%` and `_`; LIKE's own wildcards are matched literally.
pub(crate) fn wildcard_to_like(pattern: &str) -> String {
    let mut like = String::with_capacity(pattern.len());
    for c in pattern.chars() {
        match c {
            '*' => like.push('%'),
            '?' => like.push('_'),
            '%' | '_' | '\\' => {
                like.push('\\');
                like.push(c);
            }
            c => like.push(c),
        }
    }
    like
}
