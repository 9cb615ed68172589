use rusqlite::{params, OptionalExtension, Row};

use super::{Db, FileRecord};
use crate::distribution::{
    DistributionPoint, DistributionState, DistributionStatus, DistributionSummary,
};
use crate::error::{Error, ErrorKind, Result};

const STATUS_COLUMNS: &str = "package_id, distribution_point, target_content_version,
     installed_content_version, state, bytes_total, bytes_copied, files_copied, last_error,
     started_at, finished_at, modified_at, last_error_kind";

/// The distributions as readers see them. A running distribution renews its unfinished rows
/// (`renew_distributions`); one whose lease ran out belongs to a process that died, and reads
/// as Failed, interrupted, until it is distributed again.
const STATUSES: &str = "(SELECT package_id, distribution_point, target_content_version,
        installed_content_version,
        CASE WHEN expired THEN 'Failed' ELSE state END AS state,
        bytes_total, bytes_copied, files_copied,
        CASE WHEN expired
             THEN 'interrupted: the distributing process stopped without finishing (last heard of at '
                  || modified_at || '); distribute again'
             ELSE last_error END AS last_error,
        started_at, finished_at, modified_at,
        CASE WHEN expired THEN 'Cancelled' ELSE last_error_kind END AS last_error_kind
     FROM (SELECT *, state IN ('Waiting', 'InProgress', 'Retrying')
                     AND modified_at < strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-120 seconds') AS expired
           FROM distributions))";

impl Db {
    pub(crate) fn insert_distribution_point(
        &self,
        name: &str,
        path: &str,
        description: &str,
    ) -> Result<()> {
        self.conn
            .execute(
                "INSERT INTO distribution_points (name, path, description) VALUES (?1, ?2, ?3)",
                params![name, path, description],
            )
            .map(drop)
            .map_err(|e| match &e {
                rusqlite::Error::SqliteFailure(f, _)
                    if f.code == rusqlite::ErrorCode::ConstraintViolation =>
                {
                    Error::Conflict(format!(
                        "a distribution point named '{name}' already exists"
                    ))
                }
                _ => self.error(e),
            })
    }

    pub(crate) fn distribution_point(&self, name: &str) -> Result<Option<DistributionPoint>> {
        self.conn
            .query_row(
                "SELECT name, path, description, created_at, modified_at
                 FROM distribution_points WHERE name = ?1",
                [name],
                point_from_row,
            )
            .optional()
            .map_err(|e| self.error(e))
    }

    pub(crate) fn distribution_points(&self) -> Result<Vec<DistributionPoint>> {
        let mut statement = self
            .conn
            .prepare(
                "SELECT name, path, description, created_at, modified_at
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
            .map_err(|e| match &e {
                rusqlite::Error::SqliteFailure(f, _)
                    if f.code == rusqlite::ErrorCode::ConstraintViolation =>
                {
                    Error::Conflict(format!(
                        "a distribution point named '{}' already exists",
                        new_name.unwrap_or(name)
                    ))
                }
                _ => self.error(e),
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
                     bytes_total = ?3, bytes_copied = 0, files_copied = 0, last_error = '',
                     last_error_kind = '',
                     started_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), finished_at = NULL,
                     modified_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
                 WHERE package_id = ?1 AND distribution_point = ?2",
                params![package_id, point, bytes_total],
            )
            .map(drop)
            .map_err(|e| self.error(e))
    }

    pub(crate) fn finish_distribution(
        &self,
        package_id: &str,
        point: &str,
        installed_content_version: i64,
        bytes_copied: u64,
        files_copied: u64,
    ) -> Result<()> {
        self.conn
            .execute(
                "UPDATE distributions SET state = 'Installed', installed_content_version = ?3,
                     bytes_copied = ?4, files_copied = ?5, last_error = '', last_error_kind = '',
                     finished_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now'),
                     modified_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
                 WHERE package_id = ?1 AND distribution_point = ?2",
                params![
                    package_id,
                    point,
                    installed_content_version,
                    bytes_copied,
                    files_copied
                ],
            )
            .map(drop)
            .map_err(|e| self.error(e))
    }

    pub(crate) fn fail_distribution(
        &self,
        package_id: &str,
        point: &str,
        error: &str,
        kind: ErrorKind,
    ) -> Result<()> {
        self.conn
            .execute(
                "UPDATE distributions SET state = 'Failed', last_error = ?3, last_error_kind = ?4,
                     finished_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now'),
                     modified_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
                 WHERE package_id = ?1 AND distribution_point = ?2",
                params![package_id, point, error, kind.name()],
            )
            .map(drop)
            .map_err(|e| self.error(e))
    }

    /// Renews the lease of a distribution that is still queued or running, with how far it got.
    pub(crate) fn renew_distribution(
        &self,
        package_id: &str,
        point: &str,
        bytes_copied: u64,
        files_copied: u64,
    ) -> Result<()> {
        self.conn
            .execute(
                "UPDATE distributions SET bytes_copied = ?3, files_copied = ?4,
                     modified_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
                 WHERE package_id = ?1 AND distribution_point = ?2
                   AND state IN ('Waiting', 'InProgress', 'Retrying')",
                params![package_id, point, bytes_copied, files_copied],
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

    /// Status rows, narrowed to a package and/or a distribution point when given.
    pub(crate) fn distributions(
        &self,
        package_id: Option<&str>,
        point: Option<&str>,
    ) -> Result<Vec<DistributionStatus>> {
        let sql = format!(
            "SELECT {STATUS_COLUMNS} FROM {STATUSES}
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

    pub(crate) fn distribution_summaries(
        &self,
        package_id: Option<&str>,
    ) -> Result<Vec<DistributionSummary>> {
        let mut statement = self
            .conn
            .prepare(&format!(
                "SELECT p.id, p.name, p.content_version, count(d.distribution_point),
                        count(*) FILTER (WHERE d.state = 'Installed'
                                         AND d.installed_content_version = p.content_version),
                        count(*) FILTER (WHERE d.state IN ('Waiting', 'InProgress', 'Retrying')),
                        count(*) FILTER (WHERE d.state = 'Failed')
                 FROM packages p LEFT JOIN {STATUSES} d ON d.package_id = p.id
                 WHERE p.state = 'ready' AND (?1 IS NULL OR p.id = ?1)
                 GROUP BY p.id ORDER BY p.id"
            ))
            .map_err(|e| self.error(e))?;
        let rows = statement
            .query_map([package_id], |row| {
                Ok(DistributionSummary {
                    package_id: row.get(0)?,
                    package_name: row.get(1)?,
                    content_version: row.get(2)?,
                    targeted: row.get(3)?,
                    installed: row.get(4)?,
                    in_progress: row.get(5)?,
                    failed: row.get(6)?,
                })
            })
            .and_then(|rows| rows.collect())
            .map_err(|e| self.error(e))?;
        Ok(rows)
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
    })
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
    })
}
