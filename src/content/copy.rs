//! The one hashed copy of the library, used by adds (source to library) and by distribution
//! (library to point): every chunk is hashed, then written from the same buffer, so what a
//! copy writes is exactly what its hash covers, and what it writes is never read back.

use std::fs::File;
use std::io::{self, Read, Write};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::thread;

use sha2::{Digest, Sha256};

use super::chunker::Chunker;
use super::{hex, start_writeback};
use crate::error::{Error, IoContext, Result};

/// Reads of this size keep the memory of a copy or a hash flat whatever the file size. Small
/// enough that the first copy of a process does not pay for megabytes of fresh pages (a VM
/// whose balloon hands freed pages back charges 3 to 12 µs for each page first touched: 1 MiB
/// blocks made a redistribution of one changed 10 MiB file 20 % slower), large enough that
/// the calls per GiB cost nothing to speak of.
pub(super) const CHUNK: usize = 1 << 18;
/// A stream's blocks start at this size and grow to `CHUNK` once it has passed `GROW_AFTER`:
/// the stream of a file of a few MiB (what a redistribution rebuilds) then touches a quarter of
/// the fresh pages, 2 to 3 ms less on this VM, while a long one still makes few calls per GiB.
const FIRST_BLOCK: usize = 1 << 16;
const GROW_AFTER: u64 = 16 << 20;
/// Files up to this size are read into memory once, hashed, then written.
pub(super) const SMALL_FILE: u64 = 4 << 20;
/// Chunks in flight between the copying thread and the hashing one: enough that neither waits
/// on the other's passing stalls.
const CHUNKS_IN_FLIGHT: usize = 4;
/// The copying thread asks the kernel to start writing back this often, so that the flush
/// before a commit does not find a whole file of dirty pages.
const WRITEBACK_STEP: u64 = 8 << 20;

/// Set by whoever stops a copy (a cancelled operation, a failed worker); copies look at it
/// between chunks.
pub(super) type Cancel = AtomicBool;

/// Ends of a copy, each named in the errors that happen there.
pub(crate) struct CopyEnds<'a> {
    pub source: &'a Path,
    pub input: &'a File,
    pub target: &'a Path,
    pub output: &'a File,
}

/// Where the hashed blocks of a stream go, in order.
pub(crate) trait Sink: Send {
    /// `cuts` are the offsets in `block` where chunks end, when the stream is being cut.
    fn put(&mut self, block: &[u8], cuts: &[usize]) -> Result<()>;
    /// Called once after the last block.
    fn finish(&mut self) -> Result<()> {
        Ok(())
    }
}

/// Writes to a file, asking the kernel to start writing back as it goes.
pub(super) struct FileSink<'a> {
    target: &'a Path,
    output: &'a File,
    written: u64,
    unflushed: u64,
}

impl<'a> FileSink<'a> {
    pub(super) fn new(target: &'a Path, output: &'a File) -> Self {
        FileSink {
            target,
            output,
            written: 0,
            unflushed: 0,
        }
    }
}

impl Sink for FileSink<'_> {
    fn put(&mut self, block: &[u8], _cuts: &[usize]) -> Result<()> {
        let mut output = self.output;
        output.write_all(block).at(self.target)?;
        self.written += block.len() as u64;
        self.unflushed += block.len() as u64;
        if self.unflushed >= WRITEBACK_STEP {
            self.finish()?;
        }
        Ok(())
    }

    fn finish(&mut self) -> Result<()> {
        start_writeback(self.output, self.written - self.unflushed, self.unflushed);
        self.unflushed = 0;
        Ok(())
    }
}

/// Bytes written to target `usize` of several.
pub(crate) type WrittenFn<'a> = &'a (dyn Fn(usize, u64) + Sync);

/// Writes one stream to several files, telling `written` what each got. A file whose write
/// fails drops out, keeping its error, while the others go on; once none is left, the stream
/// stops as a cancel stops it.
pub(super) struct EachSink<'a> {
    sinks: Vec<Option<FileSink<'a>>>,
    errors: Vec<Option<Error>>,
    written: WrittenFn<'a>,
}

impl<'a> EachSink<'a> {
    /// `None` for a target that is out from the start.
    pub(super) fn new(sinks: Vec<Option<FileSink<'a>>>, written: WrittenFn<'a>) -> Self {
        let errors = sinks.iter().map(|_| None).collect();
        EachSink {
            sinks,
            errors,
            written,
        }
    }

    /// Per target, the error that made it drop out.
    pub(super) fn into_errors(self) -> Vec<Option<Error>> {
        self.errors
    }

    /// Writes `bytes` of the stream to each target still in, with `write`.
    fn each(
        &mut self,
        bytes: u64,
        mut write: impl FnMut(&mut FileSink<'a>) -> Result<()>,
    ) -> Result<()> {
        let targets = self.sinks.iter_mut().zip(&mut self.errors).enumerate();
        for (index, (slot, error)) in targets {
            match slot.as_mut().map(&mut write) {
                Some(Ok(())) if bytes > 0 => (self.written)(index, bytes),
                Some(Err(failure)) => {
                    *error = Some(failure);
                    *slot = None;
                }
                _ => {}
            }
        }
        if self.sinks.iter().any(Option::is_some) {
            Ok(())
        } else {
            Err(Error::Cancelled)
        }
    }
}

impl Sink for EachSink<'_> {
    fn put(&mut self, block: &[u8], cuts: &[usize]) -> Result<()> {
        self.each(block.len() as u64, |sink| sink.put(block, cuts))
    }

    fn finish(&mut self) -> Result<()> {
        self.each(0, |sink| sink.finish())
    }
}

/// Copies `ends.input`, expected to hold `size` bytes, to `ends.output`, hashing every chunk
/// before it is written. Returns the hash and the length of what was written.
pub(crate) fn copy_hashing(
    ends: &CopyEnds<'_>,
    size: u64,
    report: &(dyn Fn(u64) + Sync),
    cancel: &Cancel,
) -> Result<(String, u64)> {
    let mut sink = FileSink::new(ends.target, ends.output);
    read_hashing(ends.source, ends.input, size, &mut sink, report, cancel)
}

/// Reads `input` (opened from `source`), expected to hold `size` bytes, into `sink`, hashing
/// every chunk before the sink gets it. A file of up to `SMALL_FILE` bytes is read, hashed and
/// written whole on this thread; for a larger one another thread reads and writes while this
/// one hashes. At most one byte past `size` is read, so that a file longer than expected shows
/// as such without being copied whole. Returns the hash and the length of what was read.
pub(super) fn read_hashing(
    source: &Path,
    input: &File,
    size: u64,
    sink: &mut dyn Sink,
    report: &(dyn Fn(u64) + Sync),
    cancel: &Cancel,
) -> Result<(String, u64)> {
    let input = input.take(size + 1);
    if size <= SMALL_FILE {
        copy_whole(source, input, sink, size, report)
    } else {
        stream_hashing(source, input, sink, None, report, cancel)
    }
}

fn copy_whole(
    source: &Path,
    mut input: impl Read,
    sink: &mut dyn Sink,
    size: u64,
    report: &(dyn Fn(u64) + Sync),
) -> Result<(String, u64)> {
    let mut content = Vec::with_capacity(size as usize + 1);
    input.read_to_end(&mut content).at(source)?;
    let sha256 = hex(&Sha256::digest(&content));
    sink.put(&content, &[])?;
    sink.finish()?;
    report(content.len() as u64);
    Ok((sha256, content.len() as u64))
}

/// A buffer, how much of it holds file content, and where chunks end in it.
struct Chunk {
    buffer: Vec<u8>,
    length: usize,
    cuts: Vec<usize>,
}

/// Streams `input` (read from `source`) into `sink`, hashing every block before the sink gets
/// it. A second thread reads blocks ahead and hands each to the sink once this one has hashed
/// it: this thread only hashes (and with a `cutter`, finds where chunks end, which balances a
/// sink that hashes each chunk), so that the longest chain of work in a large copy is its
/// hashing, as it is in validation, and the two cores share the rest. Returns the hash and the
/// length of the stream.
pub(crate) fn stream_hashing(
    source: &Path,
    input: impl Read + Send,
    sink: &mut dyn Sink,
    cutter: Option<&mut Chunker>,
    report: &(dyn Fn(u64) + Sync),
    cancel: &Cancel,
) -> Result<(String, u64)> {
    let (to_hash_sender, to_hash) = mpsc::sync_channel::<Chunk>(CHUNKS_IN_FLIGHT);
    let (hashed_sender, hashed) = mpsc::channel::<Chunk>();
    thread::scope(|scope| {
        let copier =
            scope.spawn(move || read_and_write(source, input, sink, to_hash_sender, hashed));
        let hashing = hash_chunks(&to_hash, hashed_sender, cutter, report, cancel);
        // A hasher that stopped early stops the copier too.
        drop(to_hash);
        let written = copier.join().unwrap_or_else(|_| {
            Err(Error::io(
                source,
                io::Error::other("the copying thread panicked"),
            ))
        });
        // Asked to stop, the caller hears that, not what stopping did to the copier.
        if matches!(hashing, Err(Error::Cancelled)) {
            return Err(Error::Cancelled);
        }
        let written = written?;
        let (sha256, hashed) = hashing?;
        debug_assert_eq!(hashed, written, "every chunk hashed is written");
        Ok((sha256, written))
    })
}

/// Hashes the chunks as they come and hands each back to be written.
fn hash_chunks(
    to_hash: &mpsc::Receiver<Chunk>,
    hashed: mpsc::Sender<Chunk>,
    mut cutter: Option<&mut Chunker>,
    report: &(dyn Fn(u64) + Sync),
    cancel: &Cancel,
) -> Result<(String, u64)> {
    let mut hasher = Sha256::new();
    let mut total = 0u64;
    for mut chunk in to_hash.iter() {
        if cancel.load(Ordering::Relaxed) {
            return Err(Error::Cancelled);
        }
        let content = &chunk.buffer[..chunk.length];
        hasher.update(content);
        chunk.cuts.clear();
        if let Some(cutter) = cutter.as_deref_mut() {
            let mut at = 0;
            while let Some(cut) = cutter.find_cut(&content[at..]) {
                at += cut;
                chunk.cuts.push(at);
            }
        }
        total += chunk.length as u64;
        report(chunk.length as u64);
        // A closed channel means the copier stopped on an error, which the caller reports.
        if hashed.send(chunk).is_err() {
            break;
        }
    }
    Ok((hex(&hasher.finalize()), total))
}

/// Keeps `CHUNKS_IN_FLIGHT` chunks read ahead and hands each to the sink as it comes back
/// hashed.
fn read_and_write(
    source: &Path,
    mut input: impl Read,
    sink: &mut dyn Sink,
    to_hash: mpsc::SyncSender<Chunk>,
    hashed: mpsc::Receiver<Chunk>,
) -> Result<u64> {
    let mut to_hash = Some(to_hash);
    let mut in_flight = 0;
    for _ in 0..CHUNKS_IN_FLIGHT {
        let empty = Chunk {
            buffer: vec![0u8; FIRST_BLOCK],
            length: 0,
            cuts: Vec::new(),
        };
        if !send_next(source, &mut input, empty, &mut to_hash)? {
            break;
        }
        in_flight += 1;
    }
    let mut written = 0u64;
    while in_flight > 0 {
        // A closed channel means the hasher stopped (cancelled), which the caller reports.
        let Ok(mut chunk) = hashed.recv() else {
            break;
        };
        in_flight -= 1;
        sink.put(&chunk.buffer[..chunk.length], &chunk.cuts)?;
        written += chunk.length as u64;
        if written >= GROW_AFTER && chunk.buffer.len() < CHUNK {
            chunk.buffer.resize(CHUNK, 0);
        }
        if send_next(source, &mut input, chunk, &mut to_hash)? {
            in_flight += 1;
        }
    }
    sink.finish()?;
    Ok(written)
}

/// Reads the next chunk into `buffer` and sends it to be hashed. At the end of the file it
/// closes the channel, which ends the hashing; false then, or when the hasher has stopped.
fn send_next(
    source: &Path,
    input: &mut impl Read,
    mut chunk: Chunk,
    to_hash: &mut Option<mpsc::SyncSender<Chunk>>,
) -> Result<bool> {
    let Some(sender) = to_hash else {
        return Ok(false);
    };
    chunk.length = read_chunk(input, &mut chunk.buffer).at(source)?;
    if chunk.length == 0 {
        *to_hash = None;
        return Ok(false);
    }
    Ok(sender.send(chunk).is_ok())
}

/// Fills `buffer` as far as the file goes, so that only the last chunk is short.
fn read_chunk(input: &mut impl Read, buffer: &mut [u8]) -> io::Result<usize> {
    let mut filled = 0;
    while filled < buffer.len() {
        match input.read(&mut buffer[filled..]) {
            Ok(0) => break,
            Ok(read) => filled += read,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs::{self, OpenOptions};
    use std::path::PathBuf;
    use std::sync::atomic::AtomicU64;

    fn folder(name: &str) -> PathBuf {
        let folder = std::env::temp_dir().join(format!("osu-copy-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&folder);
        fs::create_dir_all(&folder).unwrap();
        folder
    }

    /// Bytes that differ from chunk to chunk, so that a chunk written twice or out of order shows.
    fn content(length: usize) -> Vec<u8> {
        (0..length).map(|i| (i * 7 + i / 4093) as u8).collect()
    }

    /// Copies `source` to `target` and returns the hash, the length written and the bytes reported.
    fn copy(
        source: &Path,
        target: &Path,
        size: u64,
        cancel: &Cancel,
    ) -> Result<(String, u64, u64)> {
        let input = File::open(source).unwrap();
        let output = OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .open(target)
            .unwrap();
        let ends = CopyEnds {
            source,
            input: &input,
            target,
            output: &output,
        };
        let reported = AtomicU64::new(0);
        let report = |n| {
            reported.fetch_add(n, Ordering::Relaxed);
        };
        let (sha256, copied) = copy_hashing(&ends, size, &report, cancel)?;
        Ok((sha256, copied, reported.into_inner()))
    }

    #[test]
    fn writes_exactly_what_it_hashed_whatever_the_size() {
        let folder = folder("sizes");
        let (source, target) = (folder.join("source"), folder.join("target"));
        for length in [0, 1, CHUNK + 1, SMALL_FILE as usize + 1, 3 * CHUNK + 4095] {
            let bytes = content(length);
            fs::write(&source, &bytes).unwrap();
            let (sha256, copied, reported) =
                copy(&source, &target, length as u64, &Cancel::new(false)).unwrap();
            assert_eq!(sha256, hex(&Sha256::digest(&bytes)), "{length} bytes");
            assert_eq!((copied, reported), (length as u64, length as u64));
            assert!(fs::read(&target).unwrap() == bytes, "{length} bytes");
        }
        fs::remove_dir_all(folder).unwrap();
    }

    #[test]
    fn a_file_longer_than_expected_is_read_one_byte_past_its_size() {
        let folder = folder("longer");
        let source = folder.join("source");
        fs::write(&source, content(SMALL_FILE as usize + 3 * CHUNK)).unwrap();
        for size in [10, SMALL_FILE + 10] {
            let (_, copied, _) =
                copy(&source, &folder.join("target"), size, &Cancel::new(false)).unwrap();
            assert_eq!(copied, size + 1);
        }
        fs::remove_dir_all(folder).unwrap();
    }

    #[test]
    fn a_file_shorter_than_expected_is_copied_as_it_is() {
        let folder = folder("shorter");
        let (source, target) = (folder.join("source"), folder.join("target"));
        let bytes = content(SMALL_FILE as usize + CHUNK / 2);
        fs::write(&source, &bytes).unwrap();
        let (sha256, copied, _) =
            copy(&source, &target, 2 * SMALL_FILE, &Cancel::new(false)).unwrap();
        assert_eq!(sha256, hex(&Sha256::digest(&bytes)));
        assert_eq!(copied, bytes.len() as u64);
        fs::remove_dir_all(folder).unwrap();
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_failed_read_ends_the_copy_with_an_error_at_the_source() {
        let folder = folder("unreadable");
        // A folder opens like a file on Linux, and fails at the first read.
        for size in [10, SMALL_FILE + 1] {
            let error = copy(&folder, &folder.join("target"), size, &Cancel::new(false))
                .unwrap_err()
                .to_string();
            assert!(error.contains(&*folder.to_string_lossy()), "{error}");
        }
        fs::remove_dir_all(folder).unwrap();
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_failed_write_ends_the_copy_with_an_error_at_the_target() {
        let folder = folder("full");
        let source = folder.join("source");
        fs::write(&source, content(SMALL_FILE as usize + 3 * CHUNK)).unwrap();
        for size in [10, SMALL_FILE + 3 * CHUNK as u64] {
            let error = copy(&source, Path::new("/dev/full"), size, &Cancel::new(false))
                .unwrap_err()
                .to_string();
            assert!(error.contains("/dev/full"), "{error}");
        }
        fs::remove_dir_all(folder).unwrap();
    }

    #[test]
    fn a_cancel_stops_a_large_copy() {
        let folder = folder("cancel");
        let source = folder.join("source");
        fs::write(&source, content(SMALL_FILE as usize + 1)).unwrap();
        let error = copy(
            &source,
            &folder.join("target"),
            SMALL_FILE + 1,
            &Cancel::new(true),
        )
        .unwrap_err();
        assert!(matches!(error, Error::Cancelled), "{error}");
        fs::remove_dir_all(folder).unwrap();
    }
}
