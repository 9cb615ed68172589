//! The statements of the site's settings and of its summary figures.

use rusqlite::{params, OptionalExtension};

use super::Db;
use crate::error::Result;

/// What the site's content library holds, for the site summary.
pub(crate) struct LibraryTotals {
    pub package_count: u64,
    pub blob_count: u64,
    pub library_bytes: u64,
    pub package_bytes: u64,
}

impl Db {
    pub(crate) fn setting(&self, name: &str) -> Result<Option<String>> {
        self.conn
            .query_row(
                "SELECT value FROM settings WHERE name = ?1",
                [name],
                |row| row.get(0),
            )
            .optional()
            .map_err(|e| self.error(e))
    }

    pub(crate) fn set_setting(&self, name: &str, value: &str) -> Result<()> {
        self.conn
            .execute(
                "INSERT INTO settings (name, value) VALUES (?1, ?2)
                 ON CONFLICT (name) DO UPDATE SET value = excluded.value",
                params![name, value],
            )
            .map(drop)
            .map_err(|e| self.error(e))
    }

    pub(crate) fn schema_version(&self) -> Result<i64> {
        super::schema::schema_version(self)
    }

    pub(crate) fn library_totals(&self) -> Result<LibraryTotals> {
        self.conn
            .query_row(
                "SELECT (SELECT count(*) FROM packages WHERE state = 'ready'),
                        (SELECT count(*) FROM blobs),
                        (SELECT coalesce(sum(size), 0) FROM blobs WHERE NOT EXISTS
                             (SELECT 1 FROM blob_chunks WHERE blob = blobs.sha256))
                          + (SELECT coalesce(sum(size), 0) FROM chunks),
                        (SELECT coalesce(sum(size), 0) FROM packages WHERE state = 'ready')",
                [],
                |row| {
                    Ok(LibraryTotals {
                        package_count: row.get(0)?,
                        blob_count: row.get(1)?,
                        library_bytes: row.get(2)?,
                        package_bytes: row.get(3)?,
                    })
                },
            )
            .map_err(|e| self.error(e))
    }
}
