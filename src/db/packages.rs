//! The statements of packages: their IDs, records, files and images.

use rusqlite::{params, OptionalExtension, Row};

use super::Db;
use crate::error::{Error, Result};
use crate::model::{FileRecord, ImageInfo, Package, PackageChanges};

const PACKAGE_COLUMNS: &str = "id, name, version, comment, source_path, content_version, size,
     file_count, created_at, modified_at";

impl Db {
    /// Takes the next package number of the site; call inside `write` so that two processes
    /// never take the same one.
    pub(crate) fn take_package_number(&self) -> Result<u32> {
        let next = match self.setting("next_package_number")? {
            Some(value) => value.parse::<u32>().map_err(|_| {
                Error::invalid_argument(
                    "path",
                    format!(
                        "{}: setting next_package_number is damaged ('{value}')",
                        self.path().display()
                    ),
                )
            })?,
            None => 1,
        };
        self.set_setting("next_package_number", &(next + 1).to_string())?;
        Ok(next)
    }

    pub(crate) fn insert_importing_package(
        &self,
        id: &str,
        name: &str,
        version: &str,
        comment: &str,
        source_path: &str,
    ) -> Result<()> {
        self.conn
            .execute(
                "INSERT INTO packages (id, name, version, comment, source_path, content_version, state)
                 VALUES (?1, ?2, ?3, ?4, ?5, 1, 'importing')",
                params![id, name, version, comment, source_path],
            )
            .map(drop)
            .map_err(|e| self.error(e))
    }

    pub(crate) fn insert_files(
        &self,
        package_id: &str,
        content_version: i64,
        files: &[FileRecord],
    ) -> Result<()> {
        let mut blob = self
            .conn
            .prepare_cached("INSERT OR IGNORE INTO blobs (sha256, size) VALUES (?1, ?2)")
            .map_err(|e| self.error(e))?;
        let mut file = self
            .conn
            .prepare_cached(
                "INSERT INTO package_files (package_id, content_version, path, sha256, size)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
            )
            .map_err(|e| self.error(e))?;
        for record in files {
            if let Some(sha256) = &record.sha256 {
                blob.execute(params![sha256, record.size])
                    .map_err(|e| self.error(e))?;
            }
            file.execute(params![
                package_id,
                content_version,
                record.path,
                record.sha256,
                record.size
            ])
            .map_err(|e| self.error(e))?;
        }
        Ok(())
    }

    pub(crate) fn insert_images(
        &self,
        package_id: &str,
        content_version: i64,
        images: &[ImageInfo],
    ) -> Result<()> {
        let mut statement = self
            .conn
            .prepare_cached(
                "INSERT INTO package_images (package_id, content_version, image_index, name,
                     description, edition_id, architecture, version, languages, default_language, size)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            )
            .map_err(|e| self.error(e))?;
        for image in images {
            let languages = serde_json::to_string(&image.languages).unwrap_or_default();
            statement
                .execute(params![
                    package_id,
                    content_version,
                    image.index,
                    image.name,
                    image.description,
                    image.edition_id,
                    image.architecture,
                    image.version,
                    languages,
                    image.default_language,
                    image.size
                ])
                .map_err(|e| self.error(e))?;
        }
        Ok(())
    }

    /// Makes an imported package visible; refused when a ready package has its Name and Version.
    pub(crate) fn mark_package_ready(&self, id: &str, size: u64, file_count: u64) -> Result<()> {
        self.conn
            .execute(
                "UPDATE packages SET state = 'ready', size = ?2, file_count = ?3,
                     modified_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
                 WHERE id = ?1",
                params![id, size, file_count],
            )
            .map(drop)
            .map_err(|e| {
                self.conflict_or_error(e, || {
                    "a package with this Name and Version already exists in the site".into()
                })
            })
    }

    /// The ready package, other than `except_id`, that has this Name and Version in any letter
    /// case: its ID, Name and Version as stored.
    pub(crate) fn name_and_version_taken(
        &self,
        name: &str,
        version: &str,
        except_id: Option<&str>,
    ) -> Result<Option<(String, String, String)>> {
        self.conn
            .query_row(
                "SELECT id, name, version FROM packages
                 WHERE state = 'ready' AND name = ?1 COLLATE NOCASE AND version = ?2 COLLATE NOCASE
                   AND id IS NOT ?3",
                params![name, version, except_id],
                |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
            )
            .optional()
            .map_err(|e| self.error(e))
    }

    /// Deletes a package (ready or importing) with its manifests and image records.
    pub(crate) fn delete_package(&self, id: &str) -> Result<bool> {
        self.conn
            .execute("DELETE FROM packages WHERE id = ?1", [id])
            .map(|deleted| deleted > 0)
            .map_err(|e| self.error(e))
    }

    /// The ready package with this ID: `InvalidArgument` for an empty ID, `NotFound` when there
    /// is none.
    pub(crate) fn require_package(&self, id: &str) -> Result<Package> {
        if id.is_empty() {
            return Err(Error::invalid_argument("id", "is empty: name a package ID"));
        }
        self.package(id)?
            .ok_or_else(|| Error::not_found("package", id))
    }

    pub(crate) fn package(&self, id: &str) -> Result<Option<Package>> {
        let sql =
            format!("SELECT {PACKAGE_COLUMNS} FROM packages WHERE id = ?1 AND state = 'ready'");
        let package = self
            .conn
            .query_row(&sql, [id], package_from_row)
            .optional()
            .map_err(|e| self.error(e))?;
        package.map(|p| self.with_images(p)).transpose()
    }

    /// Ready packages whose name matches a SQL LIKE pattern (all of them when `None`), by ID.
    pub(crate) fn packages(&self, name_like: Option<&str>) -> Result<Vec<Package>> {
        let sql = format!(
            "SELECT {PACKAGE_COLUMNS} FROM packages
             WHERE state = 'ready' AND (?1 IS NULL OR name LIKE ?1 ESCAPE '\\')
             ORDER BY id"
        );
        let mut statement = self.conn.prepare(&sql).map_err(|e| self.error(e))?;
        let packages: Vec<Package> = statement
            .query_map([name_like], package_from_row)
            .and_then(|rows| rows.collect())
            .map_err(|e| self.error(e))?;
        packages.into_iter().map(|p| self.with_images(p)).collect()
    }

    pub(crate) fn update_package(&self, id: &str, changes: &PackageChanges) -> Result<()> {
        self.conn
            .execute(
                "UPDATE packages SET name = coalesce(?2, name), version = coalesce(?3, version),
                     comment = coalesce(?4, comment),
                     modified_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
                 WHERE id = ?1 AND state = 'ready'",
                params![id, changes.name, changes.version, changes.comment],
            )
            .map(drop)
            .map_err(|e| {
                self.conflict_or_error(e, || {
                    "a package with this Name and Version already exists in the site".into()
                })
            })
    }

    fn with_images(&self, mut package: Package) -> Result<Package> {
        let mut statement = self
            .conn
            .prepare_cached(
                "SELECT image_index, name, description, edition_id, architecture, version,
                        languages, default_language, size
                 FROM package_images WHERE package_id = ?1 AND content_version = ?2
                 ORDER BY image_index",
            )
            .map_err(|e| self.error(e))?;
        package.images = statement
            .query_map(params![package.id, package.content_version], image_from_row)
            .and_then(|rows| rows.collect())
            .map_err(|e| self.error(e))?;
        Ok(package)
    }
}

fn package_from_row(row: &Row<'_>) -> rusqlite::Result<Package> {
    Ok(Package {
        id: row.get(0)?,
        name: row.get(1)?,
        version: row.get(2)?,
        comment: row.get(3)?,
        source_path: row.get(4)?,
        content_version: row.get(5)?,
        size: row.get(6)?,
        file_count: row.get(7)?,
        created_at: row.get(8)?,
        modified_at: row.get(9)?,
        images: Vec::new(),
    })
}

fn image_from_row(row: &Row<'_>) -> rusqlite::Result<ImageInfo> {
    let languages: String = row.get(6)?;
    Ok(ImageInfo {
        index: row.get(0)?,
        name: row.get(1)?,
        description: row.get(2)?,
        edition_id: row.get(3)?,
        architecture: row.get(4)?,
        version: row.get(5)?,
        languages: serde_json::from_str(&languages).unwrap_or_default(),
        default_language: row.get(7)?,
        size: row.get(8)?,
    })
}
