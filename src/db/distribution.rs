//! The statements of distribution points and of each package's distribution to them (state,
//! figures, lease, last error).

use rusqlite::{params, OptionalExtension, Row};

use super::Db;
use crate::error::{ErrorKind, Result};
use crate::model::{
    DistributionPoint, DistributionState, DistributionStatus, FileRecord, Transferred,
};

const STATUS_COLUMNS: &str = "package_id, distribution_point, target_content_version,
     installed_content_version, state, bytes_total, bytes_copied, files_copied, last_error,
     started_at, finished_at, modified_at, last_error_kind, bytes_reused";

impl Db {
    pub(crate) fn insert_distribution_point(
        &self,
        name: &str,
        path: &str,
        description: &str,
        mount_point: Option<bool>,
    ) -> Result<()> {
        self.conn
            .execute(
                "INSERT INTO distribution_points (name, path, description, mount_point)
                 VALUES (?1, ?2, ?3, ?4)",
                params![name, path, description, mount_point],
            )
            .map(drop)
            .map_err(|e| {
                self.conflict_or_error(e, || {
                    format!("a distribution point named '{name}' already exists")
                })
            })
    }

    pub(crate) fn distribution_point(&self, name: &str) -> Result<Option<DistributionPoint>> {
        self.conn
            .query_row(
                "SELECT name, path, description, created_at, modified_at, mount_point
                 FROM distribution_points WHERE name = ?1",
                [name],
                point_from_row,
            )
            .optional()
            .map_err(|e| self.error(e))
    }

    pub(crate) fn record_mount_point(&self, name: &str, mount_point: bool) -> Result<()> {
        self.conn
            .execute(
                "UPDATE distribution_points SET mount_point = ?2 WHERE name = ?1",
                params![name, mount_point],
            )
            .map(drop)
            .map_err(|e| self.error(e))
    }

    pub(crate) fn distribution_points(&self) -> Result<Vec<DistributionPoint>> {
        let mut statement = self
            .conn
            .prepare(
                "SELECT name, path, description, created_at, modified_at, mount_point
                 FROM distribution_points ORDER BY name",
            )
            .map_err(|e| self.error(e))?;
        let points = statement
            .query_map([], point_from_row)
            .and_then(|rows| rows.collect())
            .map_err(|e| self.error(e))?;
        Ok(points)
    }

    pub(crate) fn update_distribution_point(
        &self,
        name: &str,
        new_name: Option<&str>,
        description: Option<&str>,
    ) -> Result<()> {
        self.conn
            .execute(
                "UPDATE distribution_points SET name = coalesce(?2, name),
                     description = coalesce(?3, description),
                     modified_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
                 WHERE name = ?1",
                params![name, new_name, description],
            )
            .map(drop)
            .map_err(|e| {
                self.conflict_or_error(e, || {
                    format!(
                        "a distribution point named '{}' already exists",
                        new_name.unwrap_or(name)
                    )
                })
            })
    }

    pub(crate) fn delete_distribution_point(&self, name: &str) -> Result<()> {
        self.conn
            .execute("DELETE FROM distribution_points WHERE name = ?1", [name])
            .map(drop)
            .map_err(|e| self.error(e))
    }

    /// Marks a package as targeted at a distribution point: Waiting, or Retrying after a failure.
    pub(crate) fn queue_distribution(
        &self,
        package_id: &str,
        point: &str,
        content_version: i64,
    ) -> Result<()> {
        self.conn
            .execute(
                "INSERT INTO distributions (package_id, distribution_point, target_content_version, state)
                 VALUES (?1, ?2, ?3, 'Waiting')
                 ON CONFLICT (package_id, distribution_point) DO UPDATE SET
                     target_content_version = excluded.target_content_version,
                     state = CASE WHEN state = 'Failed' THEN 'Retrying' ELSE 'Waiting' END,
                     modified_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')",
                params![package_id, point, content_version],
            )
            .map(drop)
            .map_err(|e| self.error(e))
    }

    pub(crate) fn start_distribution(
        &self,
        package_id: &str,
        point: &str,
        bytes_total: u64,
    ) -> Result<()> {
        self.conn
            .execute(
                "UPDATE distributions SET
                     state = CASE WHEN state = 'Retrying' THEN 'Retrying' ELSE 'InProgress' END,
                     bytes_total = ?3, bytes_copied = 0, bytes_reused = 0, files_copied = 0, last_error = '',
                     last_error_kind = '',
                     started_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), finished_at = NULL,
                     modified_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
                 WHERE package_id = ?1 AND distribution_point = ?2",
                params![package_id, point, bytes_total],
            )
            .map(drop)
            .map_err(|e| self.error(e))
    }

    /// Records the package installed at the point. `transferred` is what the run moved;
    /// validation, which moves nothing, gives `None` and keeps the run's figures.
    pub(crate) fn finish_distribution(
        &self,
        package_id: &str,
        point: &str,
        installed_content_version: i64,
        transferred: Option<&Transferred>,
    ) -> Result<()> {
        let (bytes, reused, files) = figures(transferred);
        self.conn
            .execute(
                "UPDATE distributions SET state = 'Installed', installed_content_version = ?3,
                     bytes_copied = COALESCE(?4, bytes_copied),
                     bytes_reused = COALESCE(?5, bytes_reused),
                     files_copied = COALESCE(?6, files_copied), last_error = '', last_error_kind = '',
                     finished_at = CASE WHEN ?4 IS NULL THEN finished_at
                                   ELSE strftime('%Y-%m-%dT%H:%M:%fZ', 'now') END,
                     modified_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
                 WHERE package_id = ?1 AND distribution_point = ?2",
                params![package_id, point, installed_content_version, bytes, reused, files],
            )
            .map(drop)
            .map_err(|e| self.error(e))
    }

    /// Records the distribution failed. `transferred` is what the run had moved when it failed;
    /// `None` (validation, a run refused before it began) keeps the figures.
    pub(crate) fn fail_distribution(
        &self,
        package_id: &str,
        point: &str,
        error: &str,
        kind: ErrorKind,
        transferred: Option<&Transferred>,
    ) -> Result<()> {
        let (bytes, reused, files) = figures(transferred);
        self.conn
            .execute(
                "UPDATE distributions SET state = 'Failed', last_error = ?3, last_error_kind = ?4,
                     bytes_copied = COALESCE(?5, bytes_copied),
                     bytes_reused = COALESCE(?7, bytes_reused),
                     files_copied = COALESCE(?6, files_copied),
                     finished_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now'),
                     modified_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
                 WHERE package_id = ?1 AND distribution_point = ?2",
                params![package_id, point, error, kind.name(), bytes, files, reused],
            )
            .map(drop)
            .map_err(|e| self.error(e))
    }

    /// Renews the lease of a distribution that is still queued or running, with how far it got.
    pub(crate) fn renew_distribution(
        &self,
        package_id: &str,
        point: &str,
        so_far: &Transferred,
    ) -> Result<()> {
        self.conn
            .execute(
                "UPDATE distributions SET bytes_copied = ?3, bytes_reused = ?4, files_copied = ?5,
                     modified_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
                 WHERE package_id = ?1 AND distribution_point = ?2
                   AND state IN ('Waiting', 'InProgress', 'Retrying')",
                params![
                    package_id,
                    point,
                    so_far.bytes_copied,
                    so_far.bytes_reused,
                    so_far.files_copied
                ],
            )
            .map(drop)
            .map_err(|e| self.error(e))
    }

    pub(crate) fn delete_distribution(&self, package_id: &str, point: &str) -> Result<()> {
        self.conn
            .execute(
                "DELETE FROM distributions WHERE package_id = ?1 AND distribution_point = ?2",
                params![package_id, point],
            )
            .map(drop)
            .map_err(|e| self.error(e))
    }

    /// Status rows as recorded (a distribution whose process died still reads as running: the
    /// distribution area decides that), narrowed to a package and/or a distribution point when given.
    pub(crate) fn distributions(
        &self,
        package_id: Option<&str>,
        point: Option<&str>,
    ) -> Result<Vec<DistributionStatus>> {
        let sql = format!(
            "SELECT {STATUS_COLUMNS} FROM distributions
             WHERE (?1 IS NULL OR package_id = ?1) AND (?2 IS NULL OR distribution_point = ?2)
             ORDER BY package_id, distribution_point"
        );
        let mut statement = self.conn.prepare(&sql).map_err(|e| self.error(e))?;
        let rows = statement
            .query_map(params![package_id, point], status_from_row)
            .and_then(|rows| rows.collect())
            .map_err(|e| self.error(e))?;
        Ok(rows)
    }

    /// The time `seconds` ago on the database's clock, in the form the records store, so that
    /// it compares with their times as text.
    pub(crate) fn time_ago(&self, seconds: u64) -> Result<String> {
        self.conn
            .query_row(
                "SELECT strftime('%Y-%m-%dT%H:%M:%fZ', 'now', ?1)",
                [format!("-{seconds} seconds")],
                |row| row.get(0),
            )
            .map_err(|e| self.error(e))
    }

    /// The manifest of a package's content version: folders (no hash) and files.
    pub(crate) fn package_files(
        &self,
        package_id: &str,
        content_version: i64,
    ) -> Result<Vec<FileRecord>> {
        let mut statement = self
            .conn
            .prepare_cached(
                "SELECT path, sha256, size FROM package_files
                 WHERE package_id = ?1 AND content_version = ?2 ORDER BY path",
            )
            .map_err(|e| self.error(e))?;
        let files = statement
            .query_map(params![package_id, content_version], |row| {
                Ok(FileRecord {
                    path: row.get(0)?,
                    sha256: row.get(1)?,
                    size: row.get(2)?,
                })
            })
            .and_then(|rows| rows.collect())
            .map_err(|e| self.error(e))?;
        Ok(files)
    }
}

fn point_from_row(row: &Row<'_>) -> rusqlite::Result<DistributionPoint> {
    Ok(DistributionPoint {
        name: row.get(0)?,
        path: row.get(1)?,
        description: row.get(2)?,
        created_at: row.get(3)?,
        modified_at: row.get(4)?,
        mount_point: row.get(5)?,
    })
}

/// A run's figures as statement parameters; none where a call keeps the recorded ones.
fn figures(transferred: Option<&Transferred>) -> (Option<u64>, Option<u64>, Option<u64>) {
    match transferred {
        Some(t) => (
            Some(t.bytes_copied),
            Some(t.bytes_reused),
            Some(t.files_copied),
        ),
        None => (None, None, None),
    }
}

fn status_from_row(row: &Row<'_>) -> rusqlite::Result<DistributionStatus> {
    let state: String = row.get(4)?;
    Ok(DistributionStatus {
        package_id: row.get(0)?,
        distribution_point: row.get(1)?,
        target_content_version: row.get(2)?,
        installed_content_version: row.get(3)?,
        state: DistributionState::parse(&state).unwrap_or(DistributionState::Failed),
        bytes_total: row.get(5)?,
        bytes_copied: row.get(6)?,
        files_copied: row.get(7)?,
        last_error: row.get(8)?,
        started_at: row.get(9)?,
        finished_at: row.get(10)?,
        modified_at: row.get(11)?,
        last_error_kind: ErrorKind::parse(&row.get::<_, String>(12)?),
        bytes_reused: row.get(13)?,
    })
}
