//! Copying blobs out of the library with every byte written hashed: nothing leaves the library
//! without proving, where it lands, that it is what its name says.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Read};
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::thread;
use std::time::Duration;

use sha2::{Digest, Sha256};

use super::stage::{kernel_copy, Cancel, CHUNK, SMALL_FILE};
use super::{hex, ContentLibrary};
use crate::error::{Error, IoContext, Result};

/// The kernel copy runs in steps of this size, so that the hashing follows close behind.
const EXPORT_STEP: u64 = 8 << 20;
/// The hashing thread looks again at least this often, should a wake-up be missed.
const PARK_LIMIT: Duration = Duration::from_millis(20);

impl ContentLibrary {
    /// Copies the blob `sha256` to `target`, a new file, hashing what is written; fails with
    /// `DamagedContent` (and removes `target`) when the bytes do not match the hash.
    pub fn export_blob(
        &self,
        sha256: &str,
        size: u64,
        target: &Path,
        report: &(dyn Fn(u64) + Sync),
        cancel: &Cancel,
    ) -> Result<()> {
        copy_verified(
            &self.blob_path(sha256),
            sha256,
            size,
            target,
            report,
            cancel,
        )
    }
}

/// Copies `source`, which should hold the content `sha256`, to `target`, a new file, hashing
/// every byte written to the target; fails with `DamagedContent` (and removes `target`) when it does
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
    let copied = if size <= SMALL_FILE {
        copy_then_hash_target(&input, &output, target, report, cancel)
    } else {
        copy_and_hash_target(&input, &output, source, target, report, cancel)
    };
    let verdict = copied.and_then(|(actual, length)| {
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

/// A small file is copied by the kernel whole, then hashed from the target while it is in the
/// page cache: a thread of its own would cost more than it saves.
fn copy_then_hash_target(
    input: &File,
    output: &File,
    target: &Path,
    report: &(dyn Fn(u64) + Sync),
    cancel: &Cancel,
) -> Result<(String, u64)> {
    kernel_copy(input, output, cancel, u64::MAX, &|_| {}).at(target)?;
    super::hash_file(target, report, cancel)
}

/// The kernel copies the source to the target in steps on one thread while this one hashes what
/// has landed in the target, so that what is verified is what the target holds, and the copy
/// never passes through this process's memory. Returns the hash and length of the target.
fn copy_and_hash_target(
    input: &File,
    output: &File,
    source: &Path,
    target: &Path,
    report: &(dyn Fn(u64) + Sync),
    cancel: &Cancel,
) -> Result<(String, u64)> {
    let copied = AtomicU64::new(0);
    let finished = AtomicBool::new(false);
    let stop = AtomicBool::new(false);
    let hashing_thread = thread::current();
    thread::scope(|scope| {
        let copier = scope.spawn(|| {
            let wake = |total| {
                copied.store(total, Ordering::Release);
                hashing_thread.unpark();
            };
            let result = kernel_copy(input, output, &stop, EXPORT_STEP, &wake);
            finished.store(true, Ordering::Release);
            hashing_thread.unpark();
            result
        });
        let hashed = hash_as_written(target, &copied, &finished, report, cancel);
        if hashed.is_err() {
            stop.store(true, Ordering::Relaxed);
        }
        let written = copier
            .join()
            .unwrap_or_else(|_| Err(io::Error::other("the copying thread panicked")));
        if matches!(hashed, Err(Error::Cancelled)) {
            return Err(Error::Cancelled);
        }
        let total = written.map_err(|e| match e.kind() {
            io::ErrorKind::NotFound => Error::io(source, e),
            _ => Error::io(target, e),
        })?;
        let (sha256, length) = hashed?;
        if length != total {
            return Err(Error::io(
                target,
                io::Error::other("the copy changed while it was hashed"),
            ));
        }
        Ok((sha256, length))
    })
}

/// Hashes `target` up to what the copier has written, waiting for more until it has finished.
fn hash_as_written(
    target: &Path,
    copied: &AtomicU64,
    finished: &AtomicBool,
    report: &(dyn Fn(u64) + Sync),
    cancel: &Cancel,
) -> Result<(String, u64)> {
    let mut written = File::open(target).at(target)?;
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; CHUNK];
    let mut hashed = 0u64;
    loop {
        if cancel.load(Ordering::Relaxed) {
            return Err(Error::Cancelled);
        }
        // Read `finished` before `copied`: once finished, the total it saw is the last one.
        let done = finished.load(Ordering::Acquire);
        let available = copied.load(Ordering::Acquire) - hashed;
        if available == 0 {
            if done {
                return Ok((hex(&hasher.finalize()), hashed));
            }
            thread::park_timeout(PARK_LIMIT);
            continue;
        }
        let want = available.min(CHUNK as u64) as usize;
        written.read_exact(&mut buffer[..want]).at(target)?;
        hasher.update(&buffer[..want]);
        hashed += want as u64;
        report(want as u64);
    }
}
