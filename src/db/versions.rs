//! Content version records: an import's version while it runs, the current one, retired ones.

use rusqlite::{params, OptionalExtension};

use super::Db;
use crate::error::Result;

/// An import under way: its package and version number, and the staging folder that owns it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ImportingVersion {
    pub package_id: String,
    pub number: i64,
    pub importer: String,
    /// True when the package itself is being added (and is not visible yet).
    pub adding: bool,
}

/// A content version the library keeps (the current one or a retained one).
pub(crate) struct KeptVersion {
    pub number: i64,
    pub current: bool,
    pub origin: String,
    pub created_at: String,
    pub size: u64,
}

impl Db {
    pub(crate) fn insert_importing_version(
        &self,
        package_id: &str,
        number: i64,
        origin: &str,
        importer: &str,
    ) -> Result<()> {
        self.conn
            .execute(
                "INSERT INTO content_versions (package_id, number, state, origin, importer)
                 VALUES (?1, ?2, 'importing', ?3, ?4)",
                params![package_id, number, origin, importer],
            )
            .map(drop)
            .map_err(|e| self.error(e))
    }

    /// The highest version number a package has used, in any state.
    pub(crate) fn last_content_version(&self, package_id: &str) -> Result<i64> {
        self.conn
            .query_row(
                "SELECT coalesce(max(number), 0) FROM content_versions WHERE package_id = ?1",
                [package_id],
                |row| row.get(0),
            )
            .map_err(|e| self.error(e))
    }

    /// Imports under way, of one package or of all.
    pub(crate) fn importing_versions(
        &self,
        package_id: Option<&str>,
    ) -> Result<Vec<ImportingVersion>> {
        let mut statement = self
            .conn
            .prepare(
                "SELECT v.package_id, v.number, v.importer, p.state = 'importing'
                 FROM content_versions v JOIN packages p ON p.id = v.package_id
                 WHERE v.state = 'importing' AND (?1 IS NULL OR v.package_id = ?1)",
            )
            .map_err(|e| self.error(e))?;
        let rows = statement
            .query_map([package_id], |row| {
                Ok(ImportingVersion {
                    package_id: row.get(0)?,
                    number: row.get(1)?,
                    importer: row.get(2)?,
                    adding: row.get(3)?,
                })
            })
            .and_then(|rows| rows.collect())
            .map_err(|e| self.error(e))?;
        Ok(rows)
    }

    /// Packages being added by builds before content version records: no record owns them.
    pub(crate) fn unowned_importing_packages(&self) -> Result<Vec<String>> {
        let mut statement = self
            .conn
            .prepare(
                "SELECT id FROM packages p WHERE state = 'importing'
                   AND NOT EXISTS (SELECT 1 FROM content_versions v WHERE v.package_id = p.id)
                   AND created_at < strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-1 day')",
            )
            .map_err(|e| self.error(e))?;
        let ids = statement
            .query_map([], |row| row.get(0))
            .and_then(|rows| rows.collect())
            .map_err(|e| self.error(e))?;
        Ok(ids)
    }

    /// Drops a content version with its manifest and image records.
    pub(crate) fn delete_content_version(&self, package_id: &str, number: i64) -> Result<()> {
        for table in ["package_files", "package_images"] {
            self.conn
                .execute(
                    &format!("DELETE FROM {table} WHERE package_id = ?1 AND content_version = ?2"),
                    params![package_id, number],
                )
                .map_err(|e| self.error(e))?;
        }
        self.conn
            .execute(
                "DELETE FROM content_versions WHERE package_id = ?1 AND number = ?2",
                params![package_id, number],
            )
            .map(drop)
            .map_err(|e| self.error(e))
    }

    /// The versions the library keeps of a package, newest first.
    pub(crate) fn kept_content_versions(&self, package_id: &str) -> Result<Vec<KeptVersion>> {
        let mut statement = self
            .conn
            .prepare(
                "SELECT v.number, v.state, v.origin, v.created_at,
                     coalesce((SELECT sum(f.size) FROM package_files f
                               WHERE f.package_id = v.package_id AND f.content_version = v.number), 0)
                 FROM content_versions v
                 WHERE v.package_id = ?1 AND v.state IN ('ready', 'retired')
                 ORDER BY v.number DESC",
            )
            .map_err(|e| self.error(e))?;
        let rows = statement
            .query_map([package_id], |row| {
                Ok(KeptVersion {
                    number: row.get(0)?,
                    current: row.get::<_, String>(1)? == "ready",
                    origin: row.get(2)?,
                    created_at: row.get(3)?,
                    size: row.get(4)?,
                })
            })
            .and_then(|rows| rows.collect())
            .map_err(|e| self.error(e))?;
        Ok(rows)
    }

    /// Makes an imported version the package's current one; the current one retires, and retired
    /// versions beyond the newest `retained` are dropped.
    pub(crate) fn make_current(
        &self,
        package_id: &str,
        number: i64,
        size: u64,
        file_count: u64,
        retained: i64,
    ) -> Result<()> {
        self.conn
            .execute(
                "UPDATE content_versions SET state = 'retired'
                 WHERE package_id = ?1 AND state = 'ready'",
                [package_id],
            )
            .map_err(|e| self.error(e))?;
        self.conn
            .execute(
                "UPDATE content_versions SET state = 'ready', importer = ''
                 WHERE package_id = ?1 AND number = ?2",
                params![package_id, number],
            )
            .map_err(|e| self.error(e))?;
        self.conn
            .execute(
                "UPDATE packages SET content_version = ?2, size = ?3, file_count = ?4,
                     modified_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
                 WHERE id = ?1",
                params![package_id, number, size, file_count],
            )
            .map_err(|e| self.error(e))?;
        let expired: Vec<i64> = {
            let mut statement = self
                .conn
                .prepare(
                    "SELECT number FROM content_versions WHERE package_id = ?1 AND state = 'retired'
                     ORDER BY number DESC LIMIT -1 OFFSET ?2",
                )
                .map_err(|e| self.error(e))?;
            let numbers = statement
                .query_map(params![package_id, retained], |row| row.get(0))
                .and_then(|rows| rows.collect())
                .map_err(|e| self.error(e))?;
            numbers
        };
        for old in expired {
            self.delete_content_version(package_id, old)?;
        }
        Ok(())
    }

    /// Gives a package that was being added its real ID, in the transaction that makes it
    /// visible: IDs are given when a package is recorded, so failed adds use none up.
    pub(crate) fn give_package_id(&self, temporary: &str, id: &str) -> Result<()> {
        // The manifest rows follow their package within the transaction.
        self.conn
            .execute_batch("PRAGMA defer_foreign_keys = ON")
            .map_err(|e| self.error(e))?;
        self.conn
            .execute(
                "UPDATE packages SET id = ?2 WHERE id = ?1",
                params![temporary, id],
            )
            .map_err(|e| self.error(e))?;
        for table in ["package_files", "package_images"] {
            self.conn
                .execute(
                    &format!("UPDATE {table} SET package_id = ?2 WHERE package_id = ?1"),
                    params![temporary, id],
                )
                .map_err(|e| self.error(e))?;
        }
        Ok(())
    }

    pub(crate) fn package_state(&self, id: &str) -> Result<Option<String>> {
        self.conn
            .query_row("SELECT state FROM packages WHERE id = ?1", [id], |row| {
                row.get(0)
            })
            .optional()
            .map_err(|e| self.error(e))
    }
}

impl Db {
    /// Copies a content version's manifest rows to another version, but for `except` (paths
    /// matched in any letter case).
    pub(crate) fn copy_manifest_except(
        &self,
        package_id: &str,
        from: i64,
        to: i64,
        except: &[&str],
    ) -> Result<()> {
        let except =
            serde_json::to_string(&except.iter().map(|p| p.to_lowercase()).collect::<Vec<_>>())
                .unwrap_or_default();
        self.conn
            .execute(
                "INSERT INTO package_files (package_id, content_version, path, sha256, size)
                 SELECT package_id, ?3, path, sha256, size FROM package_files
                 WHERE package_id = ?1 AND content_version = ?2
                   AND lower(path) NOT IN (SELECT value FROM json_each(?4))",
                params![package_id, from, to, except],
            )
            .map(drop)
            .map_err(|e| self.error(e))
    }

    /// The bytes and files of a content version's manifest.
    pub(crate) fn content_version_totals(
        &self,
        package_id: &str,
        number: i64,
    ) -> Result<(u64, u64)> {
        self.conn
            .query_row(
                "SELECT coalesce(sum(size), 0), count(sha256) FROM package_files
                 WHERE package_id = ?1 AND content_version = ?2",
                params![package_id, number],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )
            .map_err(|e| self.error(e))
    }
}
