//! The statements of the content library's index of blobs.

use std::collections::{HashMap, HashSet};

use rusqlite::params;
use rusqlite::types::FromSql;

use super::Db;
use crate::error::Result;
use crate::model::Chunk;

/// A file of a package's current content version, as a new version of it meets it.
pub(crate) struct EarlierFile {
    pub sha256: String,
    pub size: u64,
    /// Whether the library keeps it as chunks.
    pub chunked: bool,
}

impl Db {
    /// Sizes of every blob in the library: a source file of such a size is likely present
    /// already, so it is worth hashing before copying.
    pub(crate) fn blob_sizes(&self) -> Result<HashSet<u64>> {
        self.first_column("SELECT DISTINCT size FROM blobs")
    }

    /// The blobs kept as chunks.
    pub(crate) fn chunked_blob_hashes(&self) -> Result<HashSet<String>> {
        self.first_column("SELECT DISTINCT blob FROM blob_chunks")
    }

    /// Blobs that no content version of any package (ready or importing) and no update references.
    pub(crate) fn unreferenced_blobs(&self) -> Result<Vec<String>> {
        self.first_column(
            "SELECT sha256 FROM blobs
             WHERE NOT EXISTS (SELECT 1 FROM package_files f WHERE f.sha256 = blobs.sha256)
               AND NOT EXISTS (SELECT 1 FROM updates u WHERE u.sha256 = blobs.sha256)",
        )
    }

    /// The first column of every row `query` gives.
    fn first_column<T: FromSql, C: FromIterator<T>>(&self, query: &str) -> Result<C> {
        let mut statement = self.conn.prepare(query).map_err(|e| self.error(e))?;
        let values = statement
            .query_map([], |row| row.get(0))
            .and_then(|rows| rows.collect())
            .map_err(|e| self.error(e))?;
        Ok(values)
    }

    pub(crate) fn delete_blob_record(&self, sha256: &str) -> Result<()> {
        self.conn
            .execute("DELETE FROM blobs WHERE sha256 = ?1", params![sha256])
            .map(drop)
            .map_err(|e| self.error(e))
    }

    /// Records that the blob `sha256` is kept as `chunks`, in that order. A blob recorded
    /// already keeps its rows: the same bytes always cut into the same chunks.
    pub(crate) fn insert_blob_chunks(&self, sha256: &str, chunks: &[Chunk]) -> Result<()> {
        self.insert_chunks(chunks)?;
        let mut part = self
            .conn
            .prepare_cached(
                "INSERT OR IGNORE INTO blob_chunks (blob, ordinal, chunk) VALUES (?1, ?2, ?3)",
            )
            .map_err(|e| self.error(e))?;
        for (ordinal, record) in chunks.iter().enumerate() {
            part.execute(params![sha256, ordinal as i64, record.sha256])
                .map_err(|e| self.error(e))?;
        }
        Ok(())
    }

    /// Records chunks, unreferenced until a blob's list names them: collection deletes the
    /// files of those no blob names.
    pub(crate) fn insert_chunks(&self, chunks: &[Chunk]) -> Result<()> {
        let mut chunk = self
            .conn
            .prepare_cached("INSERT OR IGNORE INTO chunks (sha256, size) VALUES (?1, ?2)")
            .map_err(|e| self.error(e))?;
        for record in chunks {
            chunk
                .execute(params![record.sha256, record.size])
                .map_err(|e| self.error(e))?;
        }
        Ok(())
    }

    /// The chunks of each chunked blob among `blobs`, in order; a whole blob is not in the map.
    pub(crate) fn blob_chunks<'a>(
        &self,
        blobs: impl IntoIterator<Item = &'a str>,
    ) -> Result<HashMap<String, Vec<Chunk>>> {
        let mut statement = self
            .conn
            .prepare_cached(
                "SELECT c.sha256, c.size FROM blob_chunks b JOIN chunks c ON c.sha256 = b.chunk
                 WHERE b.blob = ?1 ORDER BY b.ordinal",
            )
            .map_err(|e| self.error(e))?;
        let mut found = HashMap::new();
        for blob in blobs {
            let chunks: Vec<Chunk> = statement
                .query_map(params![blob], |row| {
                    Ok(Chunk {
                        sha256: row.get(0)?,
                        size: row.get(1)?,
                    })
                })
                .and_then(|rows| rows.collect())
                .map_err(|e| self.error(e))?;
            if !chunks.is_empty() {
                found.insert(blob.to_string(), chunks);
            }
        }
        Ok(found)
    }

    /// The blobs of a content version of the package that are kept as chunks. Only files of
    /// `smallest` bytes and more are looked up: the library cuts no smaller file.
    pub(crate) fn chunked_blobs(
        &self,
        package_id: &str,
        content_version: i64,
        smallest: u64,
    ) -> Result<HashSet<String>> {
        let mut statement = self
            .conn
            .prepare_cached(
                "SELECT DISTINCT f.sha256 FROM package_files f
                 WHERE f.package_id = ?1 AND f.content_version = ?2 AND f.size >= ?3
                   AND EXISTS (SELECT 1 FROM blob_chunks b WHERE b.blob = f.sha256)",
            )
            .map_err(|e| self.error(e))?;
        let found = statement
            .query_map(
                params![package_id, content_version, smallest as i64],
                |row| row.get(0),
            )
            .and_then(|rows| rows.collect())
            .map_err(|e| self.error(e))?;
        Ok(found)
    }

    /// The files of `smallest` bytes and more in the package's current content version, by path:
    /// the earlier versions of what a reload or servicing brings. None while it is being added.
    pub(crate) fn current_large_files(
        &self,
        package_id: &str,
        smallest: u64,
    ) -> Result<HashMap<String, EarlierFile>> {
        let mut statement = self
            .conn
            .prepare_cached(
                "SELECT f.path, f.sha256, f.size,
                        EXISTS (SELECT 1 FROM blob_chunks b WHERE b.blob = f.sha256)
                 FROM package_files f JOIN packages p
                   ON p.id = f.package_id AND p.content_version = f.content_version
                 WHERE p.id = ?1 AND p.state = 'ready' AND f.size >= ?2
                   AND f.sha256 IS NOT NULL",
            )
            .map_err(|e| self.error(e))?;
        let found = statement
            .query_map(params![package_id, smallest as i64], |row| {
                let earlier = EarlierFile {
                    sha256: row.get(1)?,
                    size: row.get(2)?,
                    chunked: row.get(3)?,
                };
                Ok((row.get(0)?, earlier))
            })
            .and_then(|rows| rows.collect())
            .map_err(|e| self.error(e))?;
        Ok(found)
    }

    /// Up to `most` chunks that no blob uses any more.
    pub(crate) fn unreferenced_chunks(&self, most: usize) -> Result<Vec<String>> {
        self.first_column(&format!(
            "SELECT sha256 FROM chunks
             WHERE NOT EXISTS (SELECT 1 FROM blob_chunks b WHERE b.chunk = chunks.sha256)
             LIMIT {most}"
        ))
    }

    pub(crate) fn delete_chunk_record(&self, sha256: &str) -> Result<()> {
        self.conn
            .execute("DELETE FROM chunks WHERE sha256 = ?1", params![sha256])
            .map(drop)
            .map_err(|e| self.error(e))
    }
}
