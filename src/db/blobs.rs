//! The statements of the content library's index of blobs.

use std::collections::HashSet;

use rusqlite::params;

use super::Db;
use crate::error::Result;

impl Db {
    /// Sizes of every blob in the library: a source file of such a size is likely present
    /// already, so it is worth hashing before copying.
    pub(crate) fn blob_sizes(&self) -> Result<HashSet<u64>> {
        let mut statement = self
            .conn
            .prepare("SELECT DISTINCT size FROM blobs")
            .map_err(|e| self.error(e))?;
        let sizes = statement
            .query_map([], |row| row.get(0))
            .and_then(|rows| rows.collect())
            .map_err(|e| self.error(e))?;
        Ok(sizes)
    }

    /// Blobs that no content version of any package (ready or importing) and no update references.
    pub(crate) fn unreferenced_blobs(&self) -> Result<Vec<String>> {
        let mut statement = self
            .conn
            .prepare(
                "SELECT sha256 FROM blobs
                 WHERE NOT EXISTS (SELECT 1 FROM package_files f WHERE f.sha256 = blobs.sha256)
                   AND NOT EXISTS (SELECT 1 FROM updates u WHERE u.sha256 = blobs.sha256)",
            )
            .map_err(|e| self.error(e))?;
        let hashes = statement
            .query_map([], |row| row.get(0))
            .and_then(|rows| rows.collect())
            .map_err(|e| self.error(e))?;
        Ok(hashes)
    }

    pub(crate) fn delete_blob_record(&self, sha256: &str) -> Result<()> {
        self.conn
            .execute("DELETE FROM blobs WHERE sha256 = ?1", params![sha256])
            .map(drop)
            .map_err(|e| self.error(e))
    }
}
