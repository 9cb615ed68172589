//! Hashing source files into the library's staging area on worker threads. Each file is read
//! once, each chunk hashed then written; a file whose size matches a blob already present is
//! hashed first, and not written at all when the library holds its hash.

use std::collections::HashSet;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Write};
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use sha2::{Digest, Sha256};

use super::chunker::{Chunker, MAX_CHUNK};
use super::chunks::CHUNKED_FILE;
use super::copy::{copy_hashing, stream_hashing, Cancel, CopyEnds, Sink, CHUNK};
use super::{hex, ContentLibrary, SourceEntry};
use crate::error::{Error, IoContext, Result};
use crate::jobs::{self, ByteTally, FirstFailure, Heard};
use crate::kill_point;
use crate::logging;
use crate::model::Chunk;

static STAGING_COUNTER: AtomicU64 = AtomicU64::new(0);
static CHUNK_COUNTER: AtomicU64 = AtomicU64::new(0);

/// A chunk of a staged blob: new (`temp` holds it in the staging area) or present already.
/// Dropped uncommitted, its staging file is deleted.
#[derive(Debug)]
pub(super) struct StagedChunk {
    pub chunk: Chunk,
    /// Where the chunk starts in the blob: it is read again from the source there should a
    /// collection remove it before the blob is referenced.
    pub offset: u64,
    pub temp: Option<PathBuf>,
}

impl Drop for StagedChunk {
    fn drop(&mut self) {
        if let Some(temp) = self.temp.take() {
            let _ = fs::remove_file(temp);
        }
    }
}

/// A hashed file: either already in the library (`temp` is `None`) or waiting in the staging
/// area to be committed. A staged file that is dropped uncommitted is deleted.
#[derive(Debug)]
pub struct StagedBlob {
    pub sha256: String,
    pub size: u64,
    pub(super) temp: Option<PathBuf>,
    /// A large file's chunks, in order; empty for a file kept whole.
    pub(super) chunks: Vec<StagedChunk>,
}

impl StagedBlob {
    pub fn is_chunked(&self) -> bool {
        !self.chunks.is_empty()
    }

    /// The chunks to record for the blob, in order, when the library is to keep it as chunks:
    /// not when it is small, nor when the library holds it whole already (added before chunks).
    pub fn chunks_to_record(&self, library: &ContentLibrary) -> Option<Vec<Chunk>> {
        (self.is_chunked() && !library.holds(&self.sha256, self.size)).then(|| self.chunk_list())
    }

    /// Its chunks, in order.
    pub fn chunk_list(&self) -> Vec<Chunk> {
        self.chunks.iter().map(|c| c.chunk.clone()).collect()
    }
}

impl Drop for StagedBlob {
    fn drop(&mut self) {
        if let Some(temp) = self.temp.take() {
            let _ = fs::remove_file(temp);
        }
    }
}

/// What the site database knows the library holds: a file of such a size, or of such a hash, is
/// worth hashing before it is copied.
#[derive(Default)]
pub struct Present {
    pub sizes: HashSet<u64>,
    /// The blobs kept as chunks.
    pub chunked: HashSet<String>,
}

/// What the workers tell the calling thread.
pub enum StageEvent {
    /// More bytes of source were read.
    Bytes(u64),
    /// The file at this index of the list was hashed.
    Staged(usize, StagedBlob),
}

impl ContentLibrary {
    /// Stages `files` on worker threads and hands every event to `on_event` on the calling
    /// thread, in the order they happen. A large file whose `as_chunks` is set (an earlier
    /// version of it is in the library) is kept as chunks; any other is kept whole, as a first
    /// add is, unless the library keeps its content as chunks already. `on_event` breaks to
    /// cancel; the first error stops the workers, and every staging file not handed over is
    /// deleted.
    pub fn stage_files(
        &self,
        files: &[&SourceEntry],
        as_chunks: &[bool],
        present: &Present,
        on_event: &mut dyn FnMut(StageEvent) -> Result<ControlFlow<()>>,
    ) -> Result<()> {
        // Largest first: the install image starts at once on one worker while the others take
        // the small files, instead of running alone at the end.
        let mut order: Vec<usize> = (0..files.len()).collect();
        order.sort_by_key(|&i| std::cmp::Reverse(files[i].size));
        let cancel = Cancel::new(false);
        let mut outcome = FirstFailure::new(&cancel);
        let untold = ByteTally::new();
        let read = std::sync::atomic::AtomicU64::new(0);
        let mut deliver = |event: Result<StageEvent>, outcome: &mut FirstFailure<Error>| match event
            .and_then(&mut *on_event)
        {
            Ok(ControlFlow::Continue(())) => {}
            Ok(ControlFlow::Break(())) => outcome.record(Error::Cancelled),
            Err(error) => outcome.record(error),
        };
        jobs::run(
            &order,
            jobs::cores(),
            jobs::NO_QUIET,
            &logging::for_workers(),
            |&index, tell| {
                if cancel.load(Ordering::Relaxed) {
                    return Err(Error::Cancelled);
                }
                let file = files[index];
                let report = |bytes| {
                    kill_point::wrote(
                        kill_point::CopyKind::Library,
                        read.fetch_add(bytes, Ordering::Relaxed) + bytes,
                    );
                    untold.add(bytes, tell);
                };
                let as_chunks = as_chunks.get(index).copied().unwrap_or(false);
                self.stage_file(file, as_chunks, present, &report, &cancel)
                    .map(|blob| StageEvent::Staged(index, blob))
            },
            |heard| {
                if outcome.failed() {
                    return; // drain: dropping the staged blobs deletes their staging files
                }
                let event = match heard {
                    Heard::Event(bytes) => Ok(StageEvent::Bytes(bytes)),
                    Heard::Finished(staged) => staged,
                    Heard::Quiet => return,
                };
                deliver(event, &mut outcome);
            },
        );
        if !outcome.failed() {
            untold.tell_rest(|rest| deliver(Ok(StageEvent::Bytes(rest)), &mut outcome));
        }
        outcome.into_result()
    }

    fn stage_file(
        &self,
        file: &SourceEntry,
        as_chunks: bool,
        present: &Present,
        report: &(dyn Fn(u64) + Sync),
        cancel: &Cancel,
    ) -> Result<StagedBlob> {
        let large = file.size >= CHUNKED_FILE;
        // Cut, a file's chunks show what the library holds of it as they are found.
        let mut as_chunks = large && as_chunks;
        // A size the library holds is hashed first: most often the same content, which then
        // costs one pass where cutting costs three.
        if present.sizes.contains(&file.size) {
            let (sha256, _) = hash_file(&file.path, report, cancel)?;
            if self.holds(&sha256, file.size) {
                return Ok(StagedBlob {
                    sha256,
                    size: file.size,
                    temp: None,
                    chunks: Vec::new(),
                });
            }
            // Other content of the same size (a file rewritten in place), or content the library
            // keeps as chunks (another package's image): cut, to share what it has.
            as_chunks = large && (as_chunks || present.chunked.contains(&sha256));
        }
        let staged = if as_chunks {
            self.stage_chunked(&file.path, report, cancel)?
        } else {
            self.copy_into_staging(&file.path, report, cancel)?
        };
        ensure_unchanged(file)?;
        Ok(staged)
    }

    /// Copies a file into the staging area while hashing it. The copy is not flushed here:
    /// `make_durable` flushes every new blob at once before a package relies on them.
    pub(super) fn copy_into_staging(
        &self,
        source: &Path,
        report: &(dyn Fn(u64) + Sync),
        cancel: &Cancel,
    ) -> Result<StagedBlob> {
        let temp = self.own_staging_dir()?.join(format!(
            "{}.tmp",
            STAGING_COUNTER.fetch_add(1, Ordering::Relaxed)
        ));
        let input = File::open(source).at(source)?;
        let size = input.metadata().at(source)?.len();
        let output = OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temp)
            .at(&temp)?;
        // From here on the staging file is owned, and deleted on any failure.
        let mut staged = StagedBlob {
            sha256: String::new(),
            size,
            temp: Some(temp.clone()),
            chunks: Vec::new(),
        };
        let ends = CopyEnds {
            source,
            input: &input,
            target: &temp,
            output: &output,
        };
        let (sha256, copied) = copy_hashing(&ends, size, report, cancel)?;
        if copied != size {
            return Err(changed_while_imported(source));
        }
        staged.sha256 = sha256;
        Ok(staged)
    }

    /// Cuts `source` into chunks while hashing it whole, and stages the chunks the library
    /// lacks. A chunk that repeats within the file is staged once.
    pub(super) fn stage_chunked(
        &self,
        source: &Path,
        report: &(dyn Fn(u64) + Sync),
        cancel: &Cancel,
    ) -> Result<StagedBlob> {
        let input = File::open(source).at(source)?;
        let size = input.metadata().at(source)?.len();
        let mut sink = ChunkSink {
            library: self,
            folder: self.own_staging_dir()?,
            pending: Vec::with_capacity(MAX_CHUNK),
            offset: 0,
            staged: Vec::new(),
            seen: HashSet::new(),
        };
        let (sha256, length) = stream_hashing(
            source,
            input.take(size + 1),
            &mut sink,
            Some(&mut Chunker::default()),
            report,
            cancel,
        )?;
        if length != size {
            return Err(changed_while_imported(source));
        }
        Ok(StagedBlob {
            sha256,
            size,
            temp: None,
            chunks: sink.staged,
        })
    }

    /// Puts a staged blob's new chunks in place, and stages again from `source` any chunk that
    /// was present when it was staged but has been collected since. Returns the chunks it
    /// placed, for `make_durable`.
    pub(super) fn commit_chunks(
        &self,
        chunks: &mut [StagedChunk],
        source: &Path,
    ) -> Result<Vec<PathBuf>> {
        let mut placed = Vec::new();
        for staged in chunks {
            let Chunk { sha256, size } = &staged.chunk;
            if self.holds_chunk(sha256, *size) {
                continue;
            }
            let temp = match staged.temp.take() {
                Some(temp) => temp,
                None => self.restage_chunk(staged, source)?,
            };
            let target = self.chunk_path(sha256);
            self.place(&temp, &target, &|| self.holds_chunk(sha256, *size))?;
            placed.push(target);
        }
        Ok(placed)
    }

    /// Cuts a blob the library holds whole into chunks and stages those the library lacks: an
    /// image is kept whole until a new version of it arrives, and then both are kept as chunks.
    /// Fails with `DamagedContent` when the blob does not hash to its name.
    pub(crate) fn stage_cut(&self, sha256: &str, size: u64, cancel: &Cancel) -> Result<StagedBlob> {
        let staged = self.stage_chunked(&self.blob_path(sha256), &|_| {}, cancel)?;
        if staged.sha256 != sha256 || staged.size != size {
            return Err(Error::DamagedContent {
                what: format!("blob {sha256}"),
                reason: format!(
                    "its {} bytes hash to {}, not to its name",
                    staged.size, staged.sha256
                ),
            });
        }
        Ok(staged)
    }

    /// Puts the new chunks of a cut blob in place, cutting again from the whole blob any chunk
    /// that was present when it was cut and has been collected since. Returns the chunk files
    /// placed, for `make_durable`.
    pub(crate) fn commit_cut(&self, staged: &mut StagedBlob) -> Result<Vec<PathBuf>> {
        let whole = self.blob_path(&staged.sha256);
        self.commit_chunks(&mut staged.chunks, &whole)
    }

    fn restage_chunk(&self, staged: &StagedChunk, source: &Path) -> Result<PathBuf> {
        let mut bytes = vec![0u8; staged.chunk.size as usize];
        let mut input = File::open(source).at(source)?;
        io::Seek::seek(&mut input, io::SeekFrom::Start(staged.offset)).at(source)?;
        input.read_exact(&mut bytes).at(source)?;
        if hex(&Sha256::digest(&bytes)) != staged.chunk.sha256 {
            return Err(changed_while_imported(source));
        }
        write_new_chunk(&self.own_staging_dir()?, &bytes)
    }
}

/// Stages the chunks of the stream as the hashing thread cuts it.
struct ChunkSink<'a> {
    library: &'a ContentLibrary,
    folder: PathBuf,
    /// The start of a chunk that the last block ended in.
    pending: Vec<u8>,
    offset: u64,
    staged: Vec<StagedChunk>,
    seen: HashSet<String>,
}

impl Sink for ChunkSink<'_> {
    fn put(&mut self, block: &[u8], cuts: &[usize]) -> Result<()> {
        let mut start = 0;
        for &cut in cuts {
            self.end_chunk(&block[start..cut])?;
            start = cut;
        }
        self.pending.extend_from_slice(&block[start..]);
        Ok(())
    }

    fn finish(&mut self) -> Result<()> {
        if !self.pending.is_empty() {
            self.end_chunk(&[])?;
        }
        Ok(())
    }
}

impl ChunkSink<'_> {
    /// Ends the chunk that `pending` begins and `tail` ends; one that lies whole in a block
    /// is hashed and written from there.
    fn end_chunk(&mut self, tail: &[u8]) -> Result<()> {
        let bytes = if self.pending.is_empty() {
            tail
        } else {
            self.pending.extend_from_slice(tail);
            &self.pending
        };
        let sha256 = hex(&Sha256::digest(bytes));
        let size = bytes.len() as u64;
        let new = self.seen.insert(sha256.clone()) && !self.library.holds_chunk(&sha256, size);
        let temp = if new {
            Some(write_new_chunk(&self.folder, bytes)?)
        } else {
            None
        };
        self.staged.push(StagedChunk {
            chunk: Chunk { sha256, size },
            offset: self.offset,
            temp,
        });
        self.offset += size;
        self.pending.clear();
        Ok(())
    }
}

/// Writes a chunk to a new file of the staging folder `folder`, unflushed: `make_durable`
/// flushes what a commit placed.
fn write_new_chunk(folder: &Path, bytes: &[u8]) -> Result<PathBuf> {
    let temp = folder.join(format!(
        "c{}.tmp",
        CHUNK_COUNTER.fetch_add(1, Ordering::Relaxed)
    ));
    let mut file = OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&temp)
        .at(&temp)?;
    file.write_all(bytes).at(&temp)?;
    Ok(temp)
}

/// Hashes a file in fixed chunks, reporting bytes as they are read; returns the hash and the
/// number of bytes hashed.
pub(crate) fn hash_file(
    path: &Path,
    report: &(dyn Fn(u64) + Sync),
    cancel: &Cancel,
) -> Result<(String, u64)> {
    let mut file = File::open(path).at(path)?;
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; CHUNK];
    let mut total = 0u64;
    loop {
        if cancel.load(Ordering::Relaxed) {
            return Err(Error::Cancelled);
        }
        let read = match file.read(&mut buffer) {
            Ok(0) => return Ok((hex(&hasher.finalize()), total)),
            Ok(read) => read,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(Error::io(path, e)),
        };
        hasher.update(&buffer[..read]);
        total += read as u64;
        report(read as u64);
    }
}

/// A file edited while it was imported would be stored under the wrong hash.
fn ensure_unchanged(file: &SourceEntry) -> Result<()> {
    let now = fs::metadata(&file.path).at(&file.path)?;
    if now.len() != file.size || now.modified().ok() != file.modified {
        return Err(changed_while_imported(&file.path));
    }
    Ok(())
}

pub(super) fn changed_while_imported(path: &Path) -> Error {
    Error::io(
        path,
        io::Error::other("the file changed while it was imported"),
    )
}
