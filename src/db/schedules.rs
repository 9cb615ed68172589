//! Servicing schedules and their runs.

use rusqlite::{params, OptionalExtension, Row};

use super::Db;
use crate::error::{ErrorKind, Result};
use crate::model::{Recurrence, RunState, Schedule, ServicingRun, UpdateResult, UpdateState};

const SCHEDULE_COLUMNS: &str = "id, package_id, recurrence, start, utc, continue_on_error,
     update_distribution_points, remove_superseded, service_winre, service_boot_image, enabled,
     next_run_at, created_at, modified_at";

const RUN_COLUMNS: &str = "id, schedule_id, package_id, state, engine, content_version_from,
     content_version_to, error, error_kind, log_path, started_at, finished_at, points_pending,
     points_error";

fn schedule_from(row: &Row<'_>) -> rusqlite::Result<Schedule> {
    let recurrence: String = row.get(2)?;
    Ok(Schedule {
        id: row.get(0)?,
        package_id: row.get(1)?,
        update_ids: Vec::new(),
        recurrence: recurrence.parse().unwrap_or(Recurrence::Once),
        start: row.get(3)?,
        utc: row.get(4)?,
        continue_on_error: row.get(5)?,
        update_distribution_points: row.get(6)?,
        remove_superseded: row.get(7)?,
        service_winre: row.get(8)?,
        service_boot_image: row.get(9)?,
        enabled: row.get(10)?,
        next_run_at: row.get(11)?,
        created_at: row.get(12)?,
        modified_at: row.get(13)?,
    })
}

fn run_from(row: &Row<'_>) -> rusqlite::Result<ServicingRun> {
    let state: String = row.get(3)?;
    let kind: Option<String> = row.get(8)?;
    Ok(ServicingRun {
        id: row.get(0)?,
        schedule_id: row.get(1)?,
        package_id: row.get(2)?,
        state: RunState::parse(&state).unwrap_or(RunState::Failed),
        engine: row.get(4)?,
        content_version_from: row.get(5)?,
        content_version_to: row.get(6)?,
        error: row.get(7)?,
        error_kind: kind.as_deref().and_then(ErrorKind::parse),
        log_path: row.get(9)?,
        started_at: row.get(10)?,
        finished_at: row.get(11)?,
        points_pending: row.get(12)?,
        points_error: row.get(13)?,
        results: Vec::new(),
    })
}

/// A run under way, and the content library instance that owns it.
pub(crate) struct RunningRun {
    pub id: i64,
    pub owner: String,
}

impl Db {
    /// Records a schedule (its `id` is ignored) and returns its ID: a row for it, then its
    /// settings as `update_schedule` writes them, in the caller's transaction.
    pub(crate) fn insert_schedule(&self, schedule: &Schedule) -> Result<i64> {
        self.conn
            .execute(
                "INSERT INTO schedules (package_id, recurrence, start, utc, continue_on_error,
                     update_distribution_points, remove_superseded, enabled)
                 VALUES (?1, '', '', 0, 0, 0, 0, 0)",
                [&schedule.package_id],
            )
            .map_err(|e| self.error(e))?;
        let id = self.conn.last_insert_rowid();
        self.update_schedule(&Schedule {
            id,
            ..schedule.clone()
        })?;
        Ok(id)
    }

    pub(crate) fn update_schedule(&self, schedule: &Schedule) -> Result<()> {
        self.conn
            .execute(
                "UPDATE schedules SET recurrence = ?2, start = ?3, utc = ?4, continue_on_error = ?5,
                     update_distribution_points = ?6, remove_superseded = ?7,
                     service_boot_image = ?8, enabled = ?9, next_run_at = ?10, service_winre = ?11,
                     modified_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
                 WHERE id = ?1",
                params![
                    schedule.id,
                    schedule.recurrence.to_string(),
                    schedule.start,
                    schedule.utc,
                    schedule.continue_on_error,
                    schedule.update_distribution_points,
                    schedule.remove_superseded,
                    schedule.service_boot_image,
                    schedule.enabled,
                    schedule.next_run_at,
                    schedule.service_winre
                ],
            )
            .map_err(|e| self.error(e))?;
        self.replace_schedule_updates(schedule.id, &schedule.update_ids)
    }

    fn replace_schedule_updates(&self, id: i64, update_ids: &[String]) -> Result<()> {
        self.conn
            .execute("DELETE FROM schedule_updates WHERE schedule_id = ?1", [id])
            .map_err(|e| self.error(e))?;
        for update in update_ids {
            self.conn
                .execute(
                    "INSERT OR IGNORE INTO schedule_updates (schedule_id, update_id) VALUES (?1, ?2)",
                    params![id, update],
                )
                .map_err(|e| self.error(e))?;
        }
        Ok(())
    }

    pub(crate) fn set_next_run(&self, id: i64, next_run_at: Option<&str>) -> Result<()> {
        self.conn
            .execute(
                "UPDATE schedules SET next_run_at = ?2 WHERE id = ?1",
                params![id, next_run_at],
            )
            .map(drop)
            .map_err(|e| self.error(e))
    }

    pub(crate) fn schedule(&self, id: i64) -> Result<Option<Schedule>> {
        let found = self
            .conn
            .query_row(
                &format!("SELECT {SCHEDULE_COLUMNS} FROM schedules WHERE id = ?1"),
                [id],
                schedule_from,
            )
            .optional()
            .map_err(|e| self.error(e))?;
        found.map(|s| self.with_update_ids(s)).transpose()
    }

    /// Schedules of one package or of all, by ID; `due_before` narrows to enabled schedules
    /// due at that UTC time.
    pub(crate) fn schedules(
        &self,
        package_id: Option<&str>,
        due_before: Option<&str>,
    ) -> Result<Vec<Schedule>> {
        let mut statement = self
            .conn
            .prepare(&format!(
                "SELECT {SCHEDULE_COLUMNS} FROM schedules
                 WHERE (?1 IS NULL OR package_id = ?1)
                   AND (?2 IS NULL OR (enabled = 1 AND next_run_at <= ?2))
                 ORDER BY id"
            ))
            .map_err(|e| self.error(e))?;
        let rows: Vec<Schedule> = statement
            .query_map(params![package_id, due_before], schedule_from)
            .and_then(|rows| rows.collect())
            .map_err(|e| self.error(e))?;
        rows.into_iter().map(|s| self.with_update_ids(s)).collect()
    }

    fn with_update_ids(&self, mut schedule: Schedule) -> Result<Schedule> {
        let mut statement = self
            .conn
            .prepare_cached(
                "SELECT update_id FROM schedule_updates WHERE schedule_id = ?1 ORDER BY update_id",
            )
            .map_err(|e| self.error(e))?;
        schedule.update_ids = statement
            .query_map([schedule.id], |row| row.get(0))
            .and_then(|rows| rows.collect())
            .map_err(|e| self.error(e))?;
        Ok(schedule)
    }

    pub(crate) fn delete_schedule(&self, id: i64) -> Result<()> {
        self.conn
            .execute("DELETE FROM schedules WHERE id = ?1", [id])
            .map(drop)
            .map_err(|e| self.error(e))
    }

    /// The runs of a package recorded as running, with their owners.
    pub(crate) fn running_runs(&self, package_id: &str) -> Result<Vec<RunningRun>> {
        let mut statement = self
            .conn
            .prepare(
                "SELECT id, owner FROM servicing_runs WHERE package_id = ?1 AND state = 'Running'",
            )
            .map_err(|e| self.error(e))?;
        let rows = statement
            .query_map([package_id], |row| {
                Ok(RunningRun {
                    id: row.get(0)?,
                    owner: row.get(1)?,
                })
            })
            .and_then(|rows| rows.collect())
            .map_err(|e| self.error(e))?;
        Ok(rows)
    }

    pub(crate) fn insert_run(
        &self,
        schedule_id: Option<i64>,
        package_id: &str,
        owner: &str,
        engine: &str,
        content_version_from: i64,
    ) -> Result<i64> {
        self.conn
            .execute(
                "INSERT INTO servicing_runs (schedule_id, package_id, state, owner, engine,
                     content_version_from)
                 VALUES (?1, ?2, 'Running', ?3, ?4, ?5)",
                params![schedule_id, package_id, owner, engine, content_version_from],
            )
            .map_err(|e| self.error(e))?;
        Ok(self.conn.last_insert_rowid())
    }

    pub(crate) fn set_run_log(&self, id: i64, log_path: &str) -> Result<()> {
        self.conn
            .execute(
                "UPDATE servicing_runs SET log_path = ?2 WHERE id = ?1",
                params![id, log_path],
            )
            .map(drop)
            .map_err(|e| self.error(e))
    }

    pub(crate) fn finish_run(
        &self,
        id: i64,
        state: RunState,
        content_version_to: Option<i64>,
        error: Option<(&str, ErrorKind)>,
    ) -> Result<()> {
        self.conn
            .execute(
                "UPDATE servicing_runs SET state = ?2, content_version_to = ?3, error = ?4,
                     error_kind = ?5, owner = '',
                     finished_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
                 WHERE id = ?1",
                params![
                    id,
                    format!("{state:?}"),
                    content_version_to,
                    error.map_or("", |e| e.0),
                    error.map(|e| e.1.name())
                ],
            )
            .map(drop)
            .map_err(|e| self.error(e))
    }

    pub(crate) fn insert_results(&self, run_id: i64, results: &[UpdateResult]) -> Result<()> {
        let mut statement = self
            .conn
            .prepare_cached(
                "INSERT OR REPLACE INTO servicing_results (run_id, update_id, image, image_index,
                     state, exit_code, message)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )
            .map_err(|e| self.error(e))?;
        for result in results {
            statement
                .execute(params![
                    run_id,
                    result.update_id,
                    result.image,
                    result.image_index,
                    result.state.name(),
                    result.exit_code,
                    result.message
                ])
                .map_err(|e| self.error(e))?;
        }
        Ok(())
    }

    /// Runs, newest first, of a schedule and/or a package.
    pub(crate) fn runs(
        &self,
        schedule_id: Option<i64>,
        package_id: Option<&str>,
    ) -> Result<Vec<ServicingRun>> {
        let mut statement = self
            .conn
            .prepare(&format!(
                "SELECT {RUN_COLUMNS} FROM servicing_runs
                 WHERE (?1 IS NULL OR schedule_id = ?1) AND (?2 IS NULL OR package_id = ?2)
                 ORDER BY id DESC"
            ))
            .map_err(|e| self.error(e))?;
        let runs: Vec<ServicingRun> = statement
            .query_map(params![schedule_id, package_id], run_from)
            .and_then(|rows| rows.collect())
            .map_err(|e| self.error(e))?;
        runs.into_iter().map(|run| self.with_results(run)).collect()
    }

    pub(crate) fn run(&self, id: i64) -> Result<Option<ServicingRun>> {
        let found = self
            .conn
            .query_row(
                &format!("SELECT {RUN_COLUMNS} FROM servicing_runs WHERE id = ?1"),
                [id],
                run_from,
            )
            .optional()
            .map_err(|e| self.error(e))?;
        found.map(|run| self.with_results(run)).transpose()
    }

    fn with_results(&self, mut run: ServicingRun) -> Result<ServicingRun> {
        let mut statement = self
            .conn
            .prepare_cached(
                "SELECT update_id, image, image_index, state, exit_code, message
                 FROM servicing_results WHERE run_id = ?1 ORDER BY rowid",
            )
            .map_err(|e| self.error(e))?;
        run.results = statement
            .query_map([run.id], |row| {
                Ok(UpdateResult {
                    update_id: row.get(0)?,
                    image: row.get(1)?,
                    image_index: row.get(2)?,
                    state: UpdateState::parse(&row.get::<_, String>(3)?)
                        .unwrap_or(UpdateState::Failed),
                    exit_code: row.get(4)?,
                    message: row.get(5)?,
                })
            })
            .and_then(|rows| rows.collect())
            .map_err(|e| self.error(e))?;
        Ok(run)
    }
}

impl Db {
    /// Whether the points holding the run's package still have to get the version it made, and
    /// what went wrong the last time they were updated.
    pub(crate) fn set_points_pending(&self, id: i64, pending: bool, error: &str) -> Result<()> {
        self.conn
            .execute(
                "UPDATE servicing_runs SET points_pending = ?2, points_error = ?3 WHERE id = ?1",
                params![id, pending, error],
            )
            .map(drop)
            .map_err(|e| self.error(e))
    }

    /// Runs whose points still have to get the version they made: (run, package).
    pub(crate) fn runs_with_points_pending(&self) -> Result<Vec<(i64, String)>> {
        let mut statement = self
            .conn
            .prepare(
                "SELECT id, package_id FROM servicing_runs WHERE points_pending = 1 ORDER BY id",
            )
            .map_err(|e| self.error(e))?;
        let rows = statement
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
            .and_then(|rows| rows.collect())
            .map_err(|e| self.error(e))?;
        Ok(rows)
    }

    /// Every run recorded as running, of any package, with its owner and schedule.
    pub(crate) fn all_running_runs(&self) -> Result<Vec<(RunningRun, Option<i64>)>> {
        let mut statement = self
            .conn
            .prepare("SELECT id, owner, schedule_id FROM servicing_runs WHERE state = 'Running'")
            .map_err(|e| self.error(e))?;
        let rows = statement
            .query_map([], |row| {
                Ok((
                    RunningRun {
                        id: row.get(0)?,
                        owner: row.get(1)?,
                    },
                    row.get(2)?,
                ))
            })
            .and_then(|rows| rows.collect())
            .map_err(|e| self.error(e))?;
        Ok(rows)
    }
}
