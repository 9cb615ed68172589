//! Copying blobs out of the library with every byte written hashed: nothing leaves the library
//! without proving, as it is written, that it is what its name says.

use std::fs::{self, File, OpenOptions};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;

use super::chunks::{Base, ChunkedReader, ReadTally};
use super::copy::{copy_hashing, stream_hashing, Cancel, CopyEnds, FileSink};
use super::ContentLibrary;
use crate::error::{Error, IoContext, Result};
use crate::kill_point;
use crate::model::Chunk;

/// A blob of the library as the site database knows it.
#[derive(Clone, Copy)]
pub struct BlobRef<'a> {
    pub sha256: &'a str,
    pub size: u64,
    /// Its chunks in order; none for a blob kept whole.
    pub chunks: &'a [Chunk],
}

/// Where the bytes of an exported blob came from.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Taken {
    /// Read from the library.
    pub copied: u64,
    /// Read from the base the target already held.
    pub reused: u64,
}

impl ContentLibrary {
    /// Copies `blob` to `target`, a new file, hashing what is written; fails with
    /// `DamagedContent` (and removes `target`) when the bytes do not match the hash. The chunks
    /// of a chunked blob that `base` holds are read from it, not from the library; should the
    /// result not match because the base was altered, the base's ranges are hashed one by one
    /// and those that differ are taken from the library.
    pub(crate) fn export_blob(
        &self,
        blob: &BlobRef<'_>,
        base: Option<Base<'_>>,
        target: &Path,
        report: &(dyn Fn(u64) + Sync),
        cancel: &Cancel,
    ) -> Result<Taken> {
        if blob.chunks.is_empty() {
            let source = self.blob_path(blob.sha256);
            copy_verified(&source, blob.sha256, blob.size, target, report, cancel)?;
            return Ok(Taken {
                copied: blob.size,
                reused: 0,
            });
        }
        let trusted_base = base.as_ref().is_some_and(|b| !b.verify);
        match self.export_chunked(blob, base, target, report, cancel) {
            Err(Mismatch::Base(base)) if trusted_base => {
                log::warn!(
                    target: "distribution",
                    "{} was altered: its ranges are checked one by one",
                    base.path.display()
                );
                kill_point::reached("block build: mending");
                let checked = Base {
                    verify: true,
                    ..base
                };
                // The first attempt told its bytes already.
                self.export_chunked(blob, Some(checked), target, &|_| {}, cancel)
                    .map_err(|m| self.damage(blob, m, cancel))
            }
            other => other.map_err(|m| self.damage(blob, m, cancel)),
        }
    }

    /// The blob as a file to read (a WIM's header and XML, wimlib's listing): its own file
    /// in the library, or for a chunked blob a verified copy in this instance's scratch folder,
    /// deleted when the `BlobFile` goes.
    pub(crate) fn blob_file(&self, blob: &BlobRef<'_>) -> Result<BlobFile> {
        if blob.chunks.is_empty() {
            return Ok(BlobFile {
                path: self.blob_path(blob.sha256),
                temporary: false,
            });
        }
        let path = self.scratch_folder()?.join(format!("{}.blob", blob.sha256));
        self.export_blob(blob, None, &path, &|_| {}, &Cancel::new(false))?;
        Ok(BlobFile {
            path,
            temporary: true,
        })
    }

    fn export_chunked<'b>(
        &self,
        blob: &BlobRef<'_>,
        base: Option<Base<'b>>,
        target: &Path,
        report: &(dyn Fn(u64) + Sync),
        cancel: &Cancel,
    ) -> std::result::Result<Taken, Mismatch<'b>> {
        let _ = fs::remove_file(target);
        let output = OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(target)
            .at(target)?;
        let tally = ReadTally::default();
        let source = base.as_ref().map_or_else(
            || self.chunk_path(&blob.chunks[0].sha256),
            |b| b.path.to_path_buf(),
        );
        let mut reader = ChunkedReader::new(self, blob.chunks, base, &tally);
        let mut sink = FileSink::new(target, &output);
        let streamed = stream_hashing(&source, &mut reader, &mut sink, None, report, cancel);
        let (base, library_failed) = reader.finish();
        let taken = Taken {
            copied: tally.copied.load(Ordering::Relaxed),
            reused: tally.reused.load(Ordering::Relaxed),
        };
        let result = match streamed {
            Ok((actual, length)) if actual == blob.sha256 && length == blob.size => Ok(taken),
            Ok(_) if taken.reused > 0 => Err(base.map_or(Mismatch::Library(None), Mismatch::Base)),
            Ok(_) => Err(Mismatch::Library(None)),
            Err(e) if library_failed => Err(Mismatch::Library(Some(e))),
            Err(e) => Err(Mismatch::Failed(e)),
        };
        if result.is_err() {
            let _ = fs::remove_file(target);
        }
        result
    }

    /// What a failed export of a chunked blob reports: the chunk that is damaged, if one is;
    /// else the error a chunk's read met (a file held open elsewhere, a passing I/O error).
    fn damage(&self, blob: &BlobRef<'_>, mismatch: Mismatch<'_>, cancel: &Cancel) -> Error {
        let read_error = match mismatch {
            Mismatch::Failed(error) => return error,
            Mismatch::Library(read_error) => read_error,
            Mismatch::Base(_) => None,
        };
        let damaged = self.damaged_chunk(blob.chunks, cancel);
        if cancel.load(Ordering::Relaxed) {
            return Error::Cancelled;
        }
        match (damaged, read_error) {
            (Some(reason), _) => Error::DamagedContent {
                what: format!("blob {}", blob.sha256),
                reason,
            },
            (None, Some(error)) => error,
            (None, None) => Error::DamagedContent {
                what: format!("blob {}", blob.sha256),
                reason: "its chunks are whole, yet they do not make up its bytes".to_string(),
            },
        }
    }
}

/// A blob as a file to read.
pub(crate) struct BlobFile {
    path: PathBuf,
    temporary: bool,
}

impl std::ops::Deref for BlobFile {
    type Target = Path;

    fn deref(&self) -> &Path {
        &self.path
    }
}

impl Drop for BlobFile {
    fn drop(&mut self) {
        if self.temporary {
            let _ = fs::remove_file(&self.path);
        }
    }
}

/// Why an export of a chunked blob did not give the blob.
enum Mismatch<'b> {
    /// The bytes did not match, and some came from the base, which is handed back.
    Base(Base<'b>),
    /// The bytes did not match, or a chunk could not be read (with the error it met).
    Library(Option<Error>),
    /// Stopped for a reason of the target's or the caller's.
    Failed(Error),
}

impl From<Error> for Mismatch<'_> {
    fn from(error: Error) -> Self {
        Mismatch::Failed(error)
    }
}

/// Copies `source`, which should hold the content `sha256`, to `target`, a new file, hashing
/// every byte as it is written; fails with `DamagedContent` (and removes `target`) when it does
/// not match.
pub(crate) fn copy_verified(
    source: &Path,
    sha256: &str,
    size: u64,
    target: &Path,
    report: &(dyn Fn(u64) + Sync),
    cancel: &Cancel,
) -> Result<()> {
    let input = File::open(source).map_err(|e| match e.kind() {
        io::ErrorKind::NotFound => Error::DamagedContent {
            what: format!("blob {sha256}"),
            reason: format!("{} is missing", source.display()),
        },
        _ => Error::io(source, e),
    })?;
    let output = OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(target)
        .at(target)?;
    let ends = CopyEnds {
        source,
        input: &input,
        target,
        output: &output,
    };
    let verdict = copy_hashing(&ends, size, report, cancel).and_then(|(actual, length)| {
        if actual == sha256 && length == size {
            return Ok(());
        }
        Err(Error::DamagedContent {
            what: format!("blob {sha256}"),
            reason: format!(
                "{} does not match its hash ({length} bytes hashing to {actual})",
                source.display()
            ),
        })
    });
    if verdict.is_err() {
        let _ = fs::remove_file(target);
    }
    verdict
}
