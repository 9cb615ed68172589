//! Copying blobs out of the library with every byte written hashed: nothing leaves the library
//! without proving, as it is written, that it is what its name says.

use std::fs::{self, File, OpenOptions};
use std::io;
use std::path::Path;

use super::copy::{copy_hashing, Cancel, CopyEnds};
use super::ContentLibrary;
use crate::error::{Error, IoContext, Result};

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
