//! Copying blobs out of the library with every byte hashed as it is written: nothing leaves
//! the library without proving it is what its name says.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Write};
use std::path::Path;
use std::sync::atomic::Ordering;
use std::sync::mpsc;
use std::thread;

use sha2::{Digest, Sha256};

use super::stage::{Cancel, CHUNK, SMALL_FILE};
use super::{hex, start_writeback, ContentLibrary};
use crate::error::{Error, IoContext, Result};

/// Buffers in flight between the reading and the writing thread.
const BUFFERS_IN_FLIGHT: usize = 4;

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
    let copied = if size <= SMALL_FILE {
        copy_small(input, &output, source, target, report)
    } else {
        copy_pipelined(input, &output, source, target, report, cancel)
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
    } else if size <= SMALL_FILE {
        start_writeback(&output, 0, size);
    }
    verdict
}

fn copy_small(
    mut input: File,
    mut output: &File,
    source: &Path,
    target: &Path,
    report: &(dyn Fn(u64) + Sync),
) -> Result<(String, u64)> {
    let mut content = Vec::new();
    input.read_to_end(&mut content).at(source)?;
    let hash = hex(&Sha256::digest(&content));
    output.write_all(&content).at(target)?;
    report(content.len() as u64);
    Ok((hash, content.len() as u64))
}

/// This thread reads and hashes; another writes the same buffers, which then come back to be
/// filled again: memory stays at a few chunks whatever the file size.
fn copy_pipelined(
    mut input: File,
    mut output: &File,
    source: &Path,
    target: &Path,
    report: &(dyn Fn(u64) + Sync),
    cancel: &Cancel,
) -> Result<(String, u64)> {
    let (to_writer, filled) = mpsc::sync_channel::<Vec<u8>>(BUFFERS_IN_FLIGHT);
    let (to_reader, emptied) = mpsc::channel::<Vec<u8>>();
    thread::scope(|scope| {
        let writer = scope.spawn(move || -> io::Result<()> {
            let mut written = 0u64;
            for buffer in filled {
                output.write_all(&buffer)?;
                // The disk starts on each chunk while the next ones are hashed.
                start_writeback(output, written, buffer.len() as u64);
                written += buffer.len() as u64;
                let _ = to_reader.send(buffer);
            }
            Ok(())
        });
        let mut hasher = Sha256::new();
        let mut total = 0u64;
        let read = loop {
            if cancel.load(Ordering::Relaxed) {
                break Err(Error::Cancelled);
            }
            let mut buffer = emptied.try_recv().unwrap_or_default();
            buffer.resize(CHUNK, 0);
            match input.read(&mut buffer) {
                Ok(0) => break Ok(()),
                Ok(n) => {
                    buffer.truncate(n);
                    hasher.update(&buffer);
                    total += n as u64;
                    report(n as u64);
                    if to_writer.send(buffer).is_err() {
                        break Ok(()); // the writer failed; its error is reported below
                    }
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => break Err(Error::io(source, e)),
            }
        };
        drop(to_writer);
        let written = writer
            .join()
            .unwrap_or_else(|_| Err(io::Error::other("the writing thread panicked")));
        read?;
        written.at(target)?;
        Ok((hex(&hasher.finalize()), total))
    })
}
