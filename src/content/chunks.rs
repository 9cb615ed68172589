//! Large blobs kept as content-defined chunks (`chunks/ab/abcdef…`, each named by its SHA-256):
//! a serviced image shares all but its changed regions with the version before it, in the
//! library and on the points. A chunked blob's identity stays the SHA-256 of its whole bytes,
//! and every read of it is checked against that.

use std::collections::HashMap;
use std::fs::{self, File};
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use sha2::{Digest, Sha256};

use super::chunker::Chunker;
use super::copy::Cancel;
use super::{hex, ContentLibrary};
use crate::error::{Error, IoContext, Result};
use crate::model::Chunk;

/// Files from this size on are kept as chunks: setup's large images and update packages. Below
/// it a file is one blob, as a chunk of its own would be.
pub(crate) const CHUNKED_FILE: u64 = 8 << 20;

impl ContentLibrary {
    /// Where the chunk of this hash lives.
    pub fn chunk_path(&self, sha256: &str) -> PathBuf {
        self.root.join("chunks").join(&sha256[..2]).join(sha256)
    }

    pub(super) fn holds_chunk(&self, sha256: &str, size: u64) -> bool {
        fs::metadata(self.chunk_path(sha256)).is_ok_and(|m| m.is_file() && m.len() == size)
    }

    /// Deletes a chunk file, and its shard folder once empty; a chunk already gone is not an
    /// error.
    pub fn delete_chunk(&self, sha256: &str) -> Result<()> {
        let path = self.chunk_path(sha256);
        match fs::remove_file(&path) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            other => other.at(&path)?,
        }
        let _ = path.parent().map(fs::remove_dir);
        Ok(())
    }

    /// The first chunk of `chunks` that is missing or does not hash to its name, and why: what
    /// a read of a chunked blob that failed its hash names.
    pub(crate) fn damaged_chunk(&self, chunks: &[Chunk], cancel: &Cancel) -> Option<String> {
        chunks.iter().find_map(|chunk| {
            let path = self.chunk_path(&chunk.sha256);
            match super::hash_file(&path, &|_| {}, cancel) {
                Err(_) => Some(format!("chunk {} is missing or unreadable", path.display())),
                Ok((actual, length)) if actual != chunk.sha256 || length != chunk.size => {
                    Some(format!(
                        "chunk {} does not match its hash ({length} bytes hashing to {actual})",
                        path.display()
                    ))
                }
                Ok(_) => None,
            }
        })
    }
}

/// What a point already holds of a blob being built there: a file and where each of its chunks
/// starts in it.
pub(crate) struct Base<'a> {
    pub path: &'a Path,
    pub file: &'a File,
    pub offsets: HashMap<String, u64>,
    /// Whether each range is hashed before it is used: needed when the file may have been
    /// altered since its chunks were known.
    pub verify: bool,
}

/// Bytes a read of a blob took from the library and from the base.
#[derive(Default)]
pub(crate) struct ReadTally {
    pub copied: AtomicU64,
    pub reused: AtomicU64,
}

/// Reads a chunked blob's bytes in order, each chunk from the base where it holds the chunk,
/// else from the library. The caller hashes the whole stream against the blob's name.
pub(crate) struct ChunkedReader<'a, 'b> {
    library: &'a ContentLibrary,
    chunks: &'a [Chunk],
    base: Option<Base<'b>>,
    tally: &'a ReadTally,
    next: usize,
    /// The library's file of the chunk being read, and how much of it is still to read: read
    /// straight into the caller's buffer.
    current: Option<(File, u64)>,
    /// A chunk read from the base, and how much of it was handed out.
    buffer: Vec<u8>,
    position: usize,
    /// Set when a chunk of the library could not be read as it should.
    failed: bool,
}

impl<'a, 'b> ChunkedReader<'a, 'b> {
    pub(crate) fn new(
        library: &'a ContentLibrary,
        chunks: &'a [Chunk],
        base: Option<Base<'b>>,
        tally: &'a ReadTally,
    ) -> Self {
        ChunkedReader {
            library,
            chunks,
            base,
            tally,
            next: 0,
            current: None,
            buffer: Vec::new(),
            position: 0,
            failed: false,
        }
    }

    /// The base handed back, and whether reading the library failed.
    pub(crate) fn finish(self) -> (Option<Base<'b>>, bool) {
        (self.base, self.failed)
    }

    /// Makes the next chunk the one to read; false at the end of the blob.
    fn start_next(&mut self) -> io::Result<bool> {
        let Some(chunk) = self.chunks.get(self.next) else {
            return Ok(false);
        };
        self.next += 1;
        if self.load_from_base(chunk) {
            self.tally.reused.fetch_add(chunk.size, Ordering::Relaxed);
        } else {
            let file = File::open(self.library.chunk_path(&chunk.sha256))?;
            self.current = Some((file, chunk.size));
            self.tally.copied.fetch_add(chunk.size, Ordering::Relaxed);
        }
        Ok(true)
    }

    fn load_from_base(&mut self, chunk: &Chunk) -> bool {
        let Some(base) = &self.base else {
            return false;
        };
        let Some(&offset) = base.offsets.get(chunk.sha256.as_str()) else {
            return false;
        };
        self.buffer.resize(chunk.size as usize, 0);
        self.position = 0;
        let usable = read_at(base.file, &mut self.buffer, offset).is_ok()
            && (!base.verify || hex(&Sha256::digest(&self.buffer)) == chunk.sha256);
        if !usable {
            self.buffer.clear();
        }
        usable
    }

    fn read_some(&mut self, out: &mut [u8]) -> io::Result<usize> {
        loop {
            if self.position < self.buffer.len() {
                let length = out.len().min(self.buffer.len() - self.position);
                out[..length].copy_from_slice(&self.buffer[self.position..self.position + length]);
                self.position += length;
                return Ok(length);
            }
            if let Some((file, left)) = self.current.as_mut().filter(|(_, left)| *left > 0) {
                let wanted = out.len().min(*left as usize);
                let read = file.read(&mut out[..wanted])?;
                if read == 0 {
                    return Err(io::Error::new(
                        io::ErrorKind::UnexpectedEof,
                        "a chunk of the library is shorter than its size",
                    ));
                }
                *left -= read as u64;
                return Ok(read);
            }
            self.current = None;
            if !self.start_next()? {
                return Ok(0);
            }
        }
    }
}

impl Read for ChunkedReader<'_, '_> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        self.read_some(out).inspect_err(|_| self.failed = true)
    }
}

#[cfg(unix)]
fn read_at(file: &File, buffer: &mut [u8], offset: u64) -> io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, buffer, offset)
}

#[cfg(windows)]
fn read_at(file: &File, mut buffer: &mut [u8], mut offset: u64) -> io::Result<()> {
    use std::os::windows::fs::FileExt;
    while !buffer.is_empty() {
        match file.seek_read(buffer, offset)? {
            0 => return Err(io::ErrorKind::UnexpectedEof.into()),
            read => {
                buffer = &mut buffer[read..];
                offset += read as u64;
            }
        }
    }
    Ok(())
}

/// Cuts a file into chunks and hashes each: what a point holds of a blob whose chunks the
/// library no longer knows. Returns each chunk's hash, size and offset.
pub(crate) fn chunk_file(path: &Path, cancel: &Cancel) -> Result<Vec<(Chunk, u64)>> {
    let mut input = File::open(path).at(path)?;
    let mut chunker = Chunker::default();
    let mut block = vec![0u8; super::copy::CHUNK];
    let mut pending = Sha256::new();
    let (mut found, mut offset, mut length) = (Vec::new(), 0u64, 0u64);
    let mut end = |hasher: &mut Sha256, length: &mut u64, offset: &mut u64| {
        let sha256 = hex(&std::mem::take(hasher).finalize());
        found.push((
            Chunk {
                sha256,
                size: *length,
            },
            *offset,
        ));
        *offset += *length;
        *length = 0;
    };
    loop {
        if cancel.load(Ordering::Relaxed) {
            return Err(Error::Cancelled);
        }
        let read = match input.read(&mut block) {
            Ok(0) => break,
            Ok(read) => read,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(Error::io(path, e)),
        };
        let mut rest = &block[..read];
        while let Some(cut) = chunker.find_cut(rest) {
            pending.update(&rest[..cut]);
            length += cut as u64;
            end(&mut pending, &mut length, &mut offset);
            rest = &rest[cut..];
        }
        pending.update(rest);
        length += rest.len() as u64;
    }
    if length > 0 {
        end(&mut pending, &mut length, &mut offset);
    }
    Ok(found)
}
