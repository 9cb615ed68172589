//! The update catalog and the updates packages' images hold.

use rusqlite::{params, OptionalExtension, Row};

use super::Db;
use crate::error::Result;
use crate::model::{AppliedUpdate, Update, UpdateClassification};

const UPDATE_COLUMNS: &str = "id, kb, title, classification, architecture, product, builds,
     release_date, supersedes, file_name, sha256, size, imported_at";

fn update_from(row: &Row<'_>) -> rusqlite::Result<Update> {
    let classification: String = row.get(3)?;
    let builds: String = row.get(6)?;
    let supersedes: String = row.get(8)?;
    Ok(Update {
        id: row.get(0)?,
        kb: row.get(1)?,
        title: row.get(2)?,
        classification: UpdateClassification::parse(&classification)
            .unwrap_or(UpdateClassification::Other),
        architecture: row.get(4)?,
        product: row.get(5)?,
        builds: serde_json::from_str(&builds).unwrap_or_default(),
        release_date: row.get(7)?,
        supersedes: serde_json::from_str(&supersedes).unwrap_or_default(),
        file_name: row.get(9)?,
        sha256: row.get(10)?,
        size: row.get(11)?,
        imported_at: row.get(12)?,
    })
}

fn applied_from(row: &Row<'_>) -> rusqlite::Result<AppliedUpdate> {
    Ok(AppliedUpdate {
        package_id: row.get(0)?,
        image: row.get(1)?,
        image_index: row.get(2)?,
        kb: row.get(3)?,
        build: row.get(4)?,
        update_id: row.get(5)?,
        origin: row.get(6)?,
        run_id: row.get(7)?,
        content_version: row.get(8)?,
        applied_at: row.get(9)?,
    })
}

impl Db {
    /// Records an update being imported by `importer`, and its blob, in one step: the blob is
    /// referenced from the start.
    pub(crate) fn insert_importing_update(&self, update: &Update, importer: &str) -> Result<()> {
        self.conn
            .execute(
                "INSERT OR IGNORE INTO blobs (sha256, size) VALUES (?1, ?2)",
                params![update.sha256, update.size],
            )
            .map_err(|e| self.error(e))?;
        self.conn
            .execute(
                "INSERT INTO updates (id, kb, title, classification, architecture, product, builds,
                     release_date, supersedes, file_name, sha256, size, state, importer)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, 'importing', ?13)",
                params![
                    update.id,
                    update.kb,
                    update.title,
                    update.classification.name(),
                    update.architecture,
                    update.product,
                    serde_json::to_string(&update.builds).unwrap_or_default(),
                    update.release_date,
                    serde_json::to_string(&update.supersedes).unwrap_or_default(),
                    update.file_name,
                    update.sha256,
                    update.size,
                    importer
                ],
            )
            .map(drop)
            .map_err(|e| self.error(e))
    }

    /// Makes imported updates visible once their blobs are in place.
    pub(crate) fn mark_updates_ready(&self, ids: &[String]) -> Result<()> {
        for id in ids {
            self.conn
                .execute(
                    "UPDATE updates SET state = 'ready', importer = '' WHERE id = ?1",
                    [id],
                )
                .map_err(|e| self.error(e))?;
        }
        Ok(())
    }

    /// Update imports under way: (update ID, importer).
    pub(crate) fn importing_updates(&self) -> Result<Vec<(String, String)>> {
        let mut statement = self
            .conn
            .prepare("SELECT id, importer FROM updates WHERE state = 'importing'")
            .map_err(|e| self.error(e))?;
        let rows = statement
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
            .and_then(|rows| rows.collect())
            .map_err(|e| self.error(e))?;
        Ok(rows)
    }

    /// Any update with this ID, ready or being imported: (sha256, state).
    pub(crate) fn update_record(&self, id: &str) -> Result<Option<(String, String)>> {
        self.conn
            .query_row(
                "SELECT sha256, state FROM updates WHERE id = ?1 COLLATE NOCASE",
                [id],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )
            .optional()
            .map_err(|e| self.error(e))
    }

    pub(crate) fn update(&self, id: &str) -> Result<Option<Update>> {
        self.conn
            .query_row(
                &format!("SELECT {UPDATE_COLUMNS} FROM updates WHERE id = ?1 COLLATE NOCASE AND state = 'ready'"),
                [id],
                update_from,
            )
            .optional()
            .map_err(|e| self.error(e))
    }

    /// The updates whose ID or KB matches `like` (LIKE pattern), or all; by KB.
    pub(crate) fn updates(&self, like: Option<&str>) -> Result<Vec<Update>> {
        let mut statement = self
            .conn
            .prepare(&format!(
                "SELECT {UPDATE_COLUMNS} FROM updates
                 WHERE state = 'ready' AND (?1 IS NULL OR id LIKE ?1 ESCAPE '\\'
                       OR kb LIKE ?1 ESCAPE '\\' OR title LIKE ?1 ESCAPE '\\')
                 ORDER BY kb, id"
            ))
            .map_err(|e| self.error(e))?;
        let rows = statement
            .query_map([like], update_from)
            .and_then(|rows| rows.collect())
            .map_err(|e| self.error(e))?;
        Ok(rows)
    }

    pub(crate) fn delete_update(&self, id: &str) -> Result<()> {
        self.conn
            .execute("DELETE FROM updates WHERE id = ?1", [id])
            .map(drop)
            .map_err(|e| self.error(e))
    }

    /// The schedules that name an update.
    pub(crate) fn schedules_using_update(&self, id: &str) -> Result<Vec<i64>> {
        let mut statement = self
            .conn
            .prepare("SELECT schedule_id FROM schedule_updates WHERE update_id = ?1 ORDER BY 1")
            .map_err(|e| self.error(e))?;
        let ids = statement
            .query_map([id], |row| row.get(0))
            .and_then(|rows| rows.collect())
            .map_err(|e| self.error(e))?;
        Ok(ids)
    }

    /// Whether the updates inside this content version's images have been read.
    pub(crate) fn image_updates_state(&self, package_id: &str, number: i64) -> Result<String> {
        self.conn
            .query_row(
                "SELECT image_updates FROM content_versions WHERE package_id = ?1 AND number = ?2",
                params![package_id, number],
                |row| row.get(0),
            )
            .optional()
            .map(Option::unwrap_or_default)
            .map_err(|e| self.error(e))
    }

    pub(crate) fn set_image_updates_state(
        &self,
        package_id: &str,
        number: i64,
        state: &str,
    ) -> Result<()> {
        self.conn
            .execute(
                "UPDATE content_versions SET image_updates = ?3 WHERE package_id = ?1 AND number = ?2",
                params![package_id, number, state],
            )
            .map(drop)
            .map_err(|e| self.error(e))
    }

    /// Forgets what a package's images held: its content was replaced by a reload.
    pub(crate) fn delete_applied_updates(&self, package_id: &str) -> Result<()> {
        self.conn
            .execute(
                "DELETE FROM applied_updates WHERE package_id = ?1",
                [package_id],
            )
            .map(drop)
            .map_err(|e| self.error(e))
    }

    /// Records updates an image holds; one already recorded for that image keeps its row, and
    /// gets the build when it had none (servicing records a KB before its image is read).
    pub(crate) fn insert_applied_updates(&self, rows: &[AppliedUpdate]) -> Result<()> {
        let mut statement = self
            .conn
            .prepare_cached(
                "INSERT INTO applied_updates (package_id, image, image_index, kb, build,
                     update_id, origin, run_id, content_version)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
                 ON CONFLICT (package_id, image, image_index, kb) DO UPDATE
                     SET build = excluded.build WHERE applied_updates.build = ''",
            )
            .map_err(|e| self.error(e))?;
        for row in rows {
            statement
                .execute(params![
                    row.package_id,
                    row.image,
                    row.image_index,
                    row.kb,
                    row.build,
                    row.update_id,
                    row.origin,
                    row.run_id,
                    row.content_version
                ])
                .map_err(|e| self.error(e))?;
        }
        Ok(())
    }

    pub(crate) fn applied_updates(&self, package_id: &str) -> Result<Vec<AppliedUpdate>> {
        let mut statement = self
            .conn
            .prepare(
                "SELECT package_id, image, image_index, kb, build, update_id, origin, run_id,
                        content_version, applied_at
                 FROM applied_updates WHERE package_id = ?1
                 ORDER BY image DESC, image_index, content_version, applied_at, kb",
            )
            .map_err(|e| self.error(e))?;
        let rows = statement
            .query_map([package_id], applied_from)
            .and_then(|rows| rows.collect())
            .map_err(|e| self.error(e))?;
        Ok(rows)
    }
}
