//! Copying blobs out of the library with every byte written hashed: nothing leaves the library
//! without proving, as it is written, that it is what its name says.

use std::fs::{self, File, OpenOptions};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;

use super::chunks::{Base, ChunkedReader, ReadTally};
use super::copy::{read_hashing, stream_hashing, Cancel, EachSink, FileSink, Sink, WrittenFn};
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
        // A blob kept whole has no ranges to take from a base.
        let Some(base) = base.filter(|_| !blob.chunks.is_empty()) else {
            let written = |_, bytes| report(bytes);
            only(self.export_blob_to_each(blob, &[target], &written, cancel)?)?;
            return Ok(Taken {
                copied: blob.size,
                reused: 0,
            });
        };
        let trusted_base = !base.verify;
        match self.export_chunked(blob, Some(base), target, report, cancel) {
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

    /// Copies `blob` from the library to each of `targets`, new files, reading and hashing its
    /// bytes once; `written` hears what each target got. A target whose write fails drops out
    /// with its error while the others go on; a blob that does not match its hash fails the
    /// call with `DamagedContent`, and a failed read or a cancel fails it too, with no target
    /// left behind.
    pub(crate) fn export_blob_to_each(
        &self,
        blob: &BlobRef<'_>,
        targets: &[&Path],
        written: WrittenFn<'_>,
        cancel: &Cancel,
    ) -> Result<Vec<Result<()>>> {
        let relisted;
        let blob = if blob.chunks.is_empty() {
            let source = self.blob_path(blob.sha256);
            let copied =
                copy_verified_to_each(&source, blob.sha256, blob.size, targets, written, cancel);
            if copied.is_ok() || source.exists() {
                return copied;
            }
            // Gone: cut into chunks since the caller looked the blob up.
            match self.chunks_listed_now(blob.sha256) {
                Some(chunks) if !chunks.is_empty() => relisted = chunks,
                _ => return copied,
            }
            BlobRef {
                chunks: &relisted,
                ..*blob
            }
        } else {
            *blob
        };
        write_each(targets, written, |sink| {
            self.read_chunked(&blob, None, sink, &|_| {}, cancel)
                .map(drop)
                .map_err(|m| self.damage(&blob, m, cancel))
        })
    }

    /// The chunks the site database lists for a blob now, if it can be read: a blob looked up
    /// as whole whose whole file has gone since was cut into chunks meanwhile (the cut deletes
    /// the whole file only once the chunks are recorded).
    fn chunks_listed_now(&self, sha256: &str) -> Option<Vec<Chunk>> {
        let db = crate::db::Db::open(&self.database).ok()?;
        db.blob_chunks([sha256]).ok()?.remove(sha256)
    }

    /// The blob as a file to read (a WIM's header and XML, wimlib's listing): its own file
    /// in the library, or for a chunked blob a verified copy in this instance's scratch folder,
    /// deleted when the `BlobFile` goes.
    pub(crate) fn blob_file(&self, blob: &BlobRef<'_>) -> Result<BlobFile> {
        let whole = self.blob_path(blob.sha256);
        if blob.chunks.is_empty() && whole.exists() {
            return Ok(BlobFile {
                path: whole,
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
        let output = create_new(target)?;
        let mut sink = FileSink::new(target, &output);
        let result = self.read_chunked(blob, base, &mut sink, report, cancel);
        if result.is_err() {
            let _ = fs::remove_file(target);
        }
        result
    }

    /// Streams a chunked blob into `sink`, each chunk from `base` where it holds the chunk.
    fn read_chunked<'b>(
        &self,
        blob: &BlobRef<'_>,
        base: Option<Base<'b>>,
        sink: &mut dyn Sink,
        report: &(dyn Fn(u64) + Sync),
        cancel: &Cancel,
    ) -> std::result::Result<Taken, Mismatch<'b>> {
        let tally = ReadTally::default();
        let source = base.as_ref().map_or_else(
            || self.chunk_path(&blob.chunks[0].sha256),
            |b| b.path.to_path_buf(),
        );
        let mut reader = ChunkedReader::new(self, blob.chunks, base, &tally);
        let streamed = stream_hashing(&source, &mut reader, sink, None, report, cancel);
        let (base, library_failed) = reader.finish();
        let taken = Taken {
            copied: tally.copied.load(Ordering::Relaxed),
            reused: tally.reused.load(Ordering::Relaxed),
        };
        match streamed {
            Ok((actual, length)) if actual == blob.sha256 && length == blob.size => Ok(taken),
            Ok(_) if taken.reused > 0 => Err(base.map_or(Mismatch::Library(None), Mismatch::Base)),
            Ok(_) => Err(Mismatch::Library(None)),
            Err(e) if library_failed => Err(Mismatch::Library(Some(e))),
            Err(e) => Err(Mismatch::Failed(e)),
        }
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
    let written = |_, bytes| report(bytes);
    only(copy_verified_to_each(
        source,
        sha256,
        size,
        &[target],
        &written,
        cancel,
    )?)
}

/// `copy_verified` to each of `targets`, with the outcomes of `export_blob_to_each`.
fn copy_verified_to_each(
    source: &Path,
    sha256: &str,
    size: u64,
    targets: &[&Path],
    written: WrittenFn<'_>,
    cancel: &Cancel,
) -> Result<Vec<Result<()>>> {
    let input = File::open(source).map_err(|e| match e.kind() {
        io::ErrorKind::NotFound => Error::DamagedContent {
            what: format!("blob {sha256}"),
            reason: format!("{} is missing", source.display()),
        },
        _ => Error::io(source, e),
    })?;
    write_each(targets, written, |sink| {
        let (actual, length) = read_hashing(source, &input, size, sink, &|_| {}, cancel)?;
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
    })
}

/// Opens each target as a new file and streams into all of them what `read` gives. Returns the
/// outcome per target: a target that could not be opened or written has its own error. When
/// `read` fails while a target is still written, the call fails with that error and removes
/// every target.
fn write_each(
    targets: &[&Path],
    written: WrittenFn<'_>,
    read: impl FnOnce(&mut dyn Sink) -> Result<()>,
) -> Result<Vec<Result<()>>> {
    let opened: Vec<Result<File>> = targets.iter().map(|t| create_new(t)).collect();
    let mut sink = EachSink::new(
        opened
            .iter()
            .zip(targets)
            .map(|(file, target)| file.as_ref().ok().map(|f| FileSink::new(target, f)))
            .collect(),
        written,
    );
    let read = read(&mut sink);
    let write_errors = sink.into_errors();
    let outcomes: Vec<Result<()>> = opened
        .into_iter()
        .zip(write_errors)
        .map(|(opened, write_error)| match (opened, write_error) {
            (Err(error), _) | (Ok(_), Some(error)) => Err(error),
            (Ok(_), None) => Ok(()),
        })
        .collect();
    let any_written = outcomes.iter().any(Result::is_ok);
    let read = read.map_err(|error| (error, any_written));
    for (outcome, target) in outcomes.iter().zip(targets) {
        if outcome.is_err() || read.is_err() {
            let _ = fs::remove_file(target);
        }
    }
    match read {
        // Every target dropped out: each tells its own reason.
        Err((_, false)) | Ok(()) => Ok(outcomes),
        Err((error, true)) => Err(error),
    }
}

/// The one outcome of a call with one target.
fn only(mut outcomes: Vec<Result<()>>) -> Result<()> {
    outcomes.pop().unwrap_or(Ok(()))
}

/// A new file at `target`, whatever a failed attempt left there.
fn create_new(target: &Path) -> Result<File> {
    let _ = fs::remove_file(target);
    OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(target)
        .at(target)
}

#[cfg(test)]
mod tests {
    use super::*;
    use sha2::{Digest, Sha256};

    fn library_with(name: &str, content: &[u8]) -> (ContentLibrary, PathBuf, String) {
        let folder = std::env::temp_dir().join(format!("osu-export-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&folder);
        let library =
            ContentLibrary::open(&folder.join("library"), &folder.join("site.db")).unwrap();
        let sha256 = super::super::hex(&Sha256::digest(content));
        let blob = library.blob_path(&sha256);
        fs::create_dir_all(blob.parent().unwrap()).unwrap();
        fs::write(&blob, content).unwrap();
        (library, folder, sha256)
    }

    #[test]
    fn a_target_that_cannot_be_written_drops_out_and_the_others_get_the_blob() {
        let content: Vec<u8> = (0..super::super::copy::SMALL_FILE as usize + 12345)
            .map(|i| (i % 251) as u8)
            .collect();
        let (library, folder, sha256) = library_with("each", &content);
        let blob = BlobRef {
            sha256: &sha256,
            size: content.len() as u64,
            chunks: &[],
        };
        let (a, b) = (folder.join("a"), folder.join("b"));
        let unreachable = folder.join("missing/c");
        let got = [0, 1, 2].map(|_| std::sync::atomic::AtomicU64::new(0));
        let written = |target: usize, bytes| {
            got[target].fetch_add(bytes, Ordering::Relaxed);
        };
        let outcomes = library
            .export_blob_to_each(
                &blob,
                &[&a, &unreachable, &b],
                &written,
                &Cancel::new(false),
            )
            .unwrap();
        assert!(outcomes[0].is_ok() && outcomes[2].is_ok());
        let got = got.map(|bytes| bytes.into_inner());
        assert_eq!(got, [blob.size, 0, blob.size], "bytes told per target");
        let error = outcomes[1].as_ref().unwrap_err().to_string();
        assert!(error.contains("missing/c"), "{error}");
        assert!(fs::read(&a).unwrap() == content && fs::read(&b).unwrap() == content);
        fs::remove_dir_all(folder).unwrap();
    }

    #[test]
    fn a_damaged_blob_fails_every_target_and_leaves_none() {
        let (library, folder, sha256) = library_with("damaged", b"what was added");
        fs::write(library.blob_path(&sha256), b"what was altered").unwrap();
        let blob = BlobRef {
            sha256: &sha256,
            size: 14,
            chunks: &[],
        };
        let targets = [folder.join("a"), folder.join("b")];
        let error = library
            .export_blob_to_each(
                &blob,
                &[&targets[0], &targets[1]],
                &|_, _| {},
                &Cancel::new(false),
            )
            .unwrap_err();
        assert!(matches!(error, Error::DamagedContent { .. }), "{error}");
        assert!(targets.iter().all(|t| !t.exists()));
        fs::remove_dir_all(folder).unwrap();
    }

    #[test]
    fn a_blob_cut_into_chunks_after_it_was_looked_up_is_read_from_its_chunks() {
        let content: Vec<u8> = (0..super::super::CHUNKED_FILE as usize + 12345)
            .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
            .collect();
        let size = content.len() as u64;
        let (library, folder, sha256) = library_with("cut", &content);
        // Looked up while it was whole.
        let looked_up = BlobRef {
            sha256: &sha256,
            size,
            chunks: &[],
        };
        let mut staged = library
            .stage_cut(&sha256, size, &Cancel::new(false))
            .unwrap();
        assert!(staged.chunk_list().len() > 1);
        library.commit_cut(&mut staged).unwrap();
        let db = crate::db::Db::open(&folder.join("site.db")).unwrap();
        let file = crate::model::FileRecord {
            path: "sources/install.wim".to_string(),
            sha256: Some(sha256.clone()),
            size,
        };
        db.write(|db| {
            db.insert_importing_package("P0000001", "Cut", "1", "", "/source")?;
            db.insert_files("P0000001", 1, &[file])?;
            db.insert_blob_chunks(&sha256, &staged.chunk_list())
        })
        .unwrap();
        library.delete_blob(&sha256).unwrap();

        let target = folder.join("exported");
        library
            .export_blob(&looked_up, None, &target, &|_| {}, &Cancel::new(false))
            .unwrap();
        assert!(fs::read(&target).unwrap() == content);
        let readable = library.blob_file(&looked_up).unwrap();
        assert!(fs::read(&*readable).unwrap() == content);
        drop(readable);
        fs::remove_dir_all(folder).unwrap();
    }
}
