//! The single-instance content library: every file content once, at `files/ab/abcdef…`,
//! named by its SHA-256. A blob exists whole or not at all: it is written to a staging file,
//! flushed, and renamed into place.

mod export;
mod scan;
mod stage;

#[cfg(not(target_os = "linux"))]
use std::collections::BTreeSet;
use std::fs::{self, File};
use std::io;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

pub(crate) use export::copy_verified;
pub(crate) use scan::is_link;
pub use scan::{scan_tree, SourceEntry};
pub(crate) use stage::hash_file;
pub use stage::{StageEvent, StagedBlob};

use crate::error::{IoContext, Result};

/// Staging files older than this belong to a process that died; younger ones may be in use.
const ABANDONED_STAGING_AGE: Duration = Duration::from_secs(24 * 3600);

pub struct ContentLibrary {
    root: PathBuf,
}

impl ContentLibrary {
    /// Opens (creating if needed) the library rooted at `root`.
    pub fn open(root: &Path) -> Result<ContentLibrary> {
        let library = ContentLibrary {
            root: root.to_path_buf(),
        };
        fs::create_dir_all(library.staging_dir()).at(library.staging_dir())?;
        Ok(library)
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Where the blob of this hash lives.
    pub fn blob_path(&self, sha256: &str) -> PathBuf {
        self.root.join(&sha256[..2]).join(sha256)
    }

    fn staging_dir(&self) -> PathBuf {
        self.root.join(".staging")
    }

    /// True when the blob is present with the expected size.
    pub fn holds(&self, sha256: &str, size: u64) -> bool {
        fs::metadata(self.blob_path(sha256)).is_ok_and(|m| m.is_file() && m.len() == size)
    }

    /// Puts a staged blob in place. Call it only once the blob's reference is committed to the
    /// site database: from then on no collection can delete it. Returns the path of a blob it
    /// placed, which `make_durable` must flush before a package relies on it.
    pub fn commit_blob(&self, mut staged: StagedBlob, source: &Path) -> Result<Option<PathBuf>> {
        let target = self.blob_path(&staged.sha256);
        let folder = self.root.join(&staged.sha256[..2]);
        if self.holds(&staged.sha256, staged.size) {
            return Ok(None);
        }
        if staged.temp.is_none() {
            // Collected between the worker's look and our reference: stage it again.
            staged = self.restage(&staged, source)?;
        }
        fs::create_dir_all(&folder).at(&folder)?;
        let temp = staged
            .temp
            .take()
            .expect("restaged blobs have a staging file");
        fs::rename(&temp, &target).at(&target)?;
        Ok(Some(target))
    }

    fn restage(&self, expected: &StagedBlob, source: &Path) -> Result<StagedBlob> {
        let again = self.copy_into_staging(source, &|_| {}, &Default::default())?;
        if again.sha256 != expected.sha256 {
            return Err(stage::changed_while_imported(source));
        }
        Ok(again)
    }

    /// Flushes newly placed blobs, their content and their names, to stable storage. One flush
    /// for all of them costs one journal commit where a flush per file would cost one each.
    pub fn make_durable(&self, blobs: &[PathBuf]) -> Result<()> {
        flush_files(&self.root, blobs)
    }

    /// Deletes a blob file; a blob already gone is not an error.
    pub fn delete_blob(&self, sha256: &str) -> Result<()> {
        let path = self.blob_path(sha256);
        match fs::remove_file(&path) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
            other => other.at(path),
        }
    }

    /// Removes staging files that a dead process left behind.
    pub fn remove_abandoned_staging(&self) -> Result<()> {
        let dir = self.staging_dir();
        for entry in fs::read_dir(&dir).at(&dir)? {
            let entry = entry.at(&dir)?;
            let age = entry
                .metadata()
                .and_then(|m| m.modified())
                .ok()
                .and_then(|modified| SystemTime::now().duration_since(modified).ok());
            if age.is_some_and(|age| age > ABANDONED_STAGING_AGE) {
                let _ = fs::remove_file(entry.path());
            }
        }
        Ok(())
    }
}

/// Flushes files written below `root` (their content, names and folders) to stable storage. On
/// Linux syncfs does it for the whole file system in one go: one journal commit, not one a file.
#[cfg(target_os = "linux")]
pub(crate) fn flush_files(root: &Path, files: &[PathBuf]) -> Result<()> {
    use std::os::unix::io::AsRawFd;
    if files.is_empty() {
        return Ok(());
    }
    let folder = File::open(root).at(root)?;
    // SAFETY: syncfs only reads the descriptor, which `folder` keeps open.
    if unsafe { libc::syncfs(folder.as_raw_fd()) } != 0 {
        return Err(crate::Error::io(root, io::Error::last_os_error()));
    }
    Ok(())
}

#[cfg(not(target_os = "linux"))]
pub(crate) fn flush_files(root: &Path, files: &[PathBuf]) -> Result<()> {
    let mut folders = BTreeSet::new();
    for file in files {
        File::open(file).and_then(|f| f.sync_all()).at(file)?;
        folders.extend(file.parent().map(Path::to_path_buf));
    }
    for folder in folders.iter().map(PathBuf::as_path).chain([root]) {
        flush_folder(folder)?;
    }
    Ok(())
}

/// Flushes a folder's entries, so that a rename into it survives a power loss.
#[cfg(unix)]
pub(crate) fn flush_folder(folder: &Path) -> Result<()> {
    File::open(folder).and_then(|f| f.sync_all()).at(folder)
}

#[cfg(windows)]
pub(crate) fn flush_folder(_folder: &Path) -> Result<()> {
    // NTFS journals renames itself; a folder cannot be opened for flushing there.
    Ok(())
}

/// Starts writing a range to disk without waiting for it, so the disk works while the CPU
/// hashes; the final flush then waits for little.
#[cfg(target_os = "linux")]
pub(crate) fn start_writeback(file: &File, offset: u64, length: u64) {
    use std::os::unix::io::AsRawFd;
    // SAFETY: only reads the descriptor, which `file` keeps open. A failure only means the
    // final flush does all the work.
    unsafe {
        libc::sync_file_range(
            file.as_raw_fd(),
            offset as libc::off64_t,
            length as libc::off64_t,
            libc::SYNC_FILE_RANGE_WRITE,
        );
    }
}

#[cfg(not(target_os = "linux"))]
pub(crate) fn start_writeback(_file: &File, _offset: u64, _length: u64) {}

/// Lower-case hex of a digest.
pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
