//! The single-instance content library: every file content once, at `files/ab/abcdef…`,
//! named by its SHA-256. A blob exists whole or not at all: it is written to a staging file,
//! flushed, and renamed into place.

mod chunker;
mod chunks;
mod copy;
mod export;
mod scan;
mod stage;
mod unicode;

#[cfg(not(target_os = "linux"))]
use std::collections::BTreeSet;
use std::fs::{self, File};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, SystemTime};

pub(crate) use chunks::{chunk_file, Base, CHUNKED_FILE};
pub(crate) use copy::WrittenFn;
pub(crate) use export::{copy_verified, BlobFile};
pub use export::{BlobRef, Taken};
pub(crate) use scan::is_link;
pub use scan::{scan_tree, SourceEntry};
pub(crate) use stage::hash_file;
pub use stage::{Present, StageEvent, StagedBlob};
pub(crate) use unicode::windows_identity;

use crate::error::{IoContext, Result};

/// Loose staging files (as builds before per-process staging folders left them) older than
/// this belong to a process that died.
const ABANDONED_STAGING_AGE: Duration = Duration::from_secs(24 * 3600);
/// The file in a staging folder that its owner holds locked while it lives.
const OWNER_LOCK: &str = "owner.lock";

pub struct ContentLibrary {
    root: PathBuf,
    /// The site database, where a read that finds a blob's whole file gone (cut into chunks
    /// since its caller looked the blob up) finds its chunks.
    database: PathBuf,
    /// This instance's own staging folder, made on first use and held by a lock on
    /// `owner.lock` for as long as the instance lives: a process that dies releases it, so the
    /// next operation on the library knows at once that its files are garbage.
    own_staging: Mutex<Option<(PathBuf, File)>>,
}

impl ContentLibrary {
    /// Opens (creating if needed) the library rooted at `root`, indexed by the site database
    /// at `database`.
    pub fn open(root: &Path, database: &Path) -> Result<ContentLibrary> {
        let library = ContentLibrary {
            root: root.to_path_buf(),
            database: database.to_path_buf(),
            own_staging: Mutex::new(None),
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

    /// The name of this instance's staging folder, which owns the imports it runs: while the
    /// instance lives its lock is held, and `importer_is_alive` says so to other processes.
    pub(crate) fn importer(&self) -> Result<String> {
        let folder = self.own_staging_dir()?;
        Ok(folder
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default())
    }

    /// True while the instance that owns the staging folder `importer` lives (in this process or
    /// another). Where the file system has no locks an import is taken to be alive.
    pub(crate) fn importer_is_alive(&self, importer: &str) -> bool {
        let folder = self.staging_dir().join(importer);
        if importer.is_empty() || fs::symlink_metadata(&folder).is_err() {
            return false;
        }
        owner_alive(&folder).unwrap_or(true)
    }

    /// A folder of this instance's for scratch work (what an image's directory lists, a serviced
    /// image): the next collection after this instance ends removes what it leaves.
    pub(crate) fn scratch_folder(&self) -> Result<PathBuf> {
        self.own_staging_dir()
    }

    /// This instance's staging folder, made and locked on first use.
    fn own_staging_dir(&self) -> Result<PathBuf> {
        let mut own = self
            .own_staging
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some((folder, _)) = own.as_ref().filter(|(folder, _)| folder.is_dir()) {
            return Ok(folder.clone());
        }
        static INSTANCE: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        // A name still taken was left by an earlier process with the same ID (IDs are reused,
        // under wine at once): the next collection removes that folder; this one takes another.
        let folder = std::iter::repeat_with(|| {
            self.staging_dir().join(format!(
                "{}-{}",
                std::process::id(),
                INSTANCE.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
            ))
        })
        .find(|candidate| {
            fs::symlink_metadata(candidate).is_err()
                && fs::symlink_metadata(candidate.with_extension("new")).is_err()
        })
        .expect("an endless run of names has a free one");
        // Made under a name that collection judges by age only, locked, then published: another
        // process never sees the folder with its lock not yet taken.
        let unpublished = folder.with_extension("new");
        fs::create_dir_all(&unpublished).at(&unpublished)?;
        let lock_path = unpublished.join(OWNER_LOCK);
        let lock = File::create(&lock_path).at(&lock_path)?;
        // Where the file system has no locks, age decides (see remove_abandoned_staging).
        let _ = lock.try_lock();
        fs::rename(&unpublished, &folder).at(&folder)?;
        *own = Some((folder.clone(), lock));
        Ok(folder)
    }

    /// True when the blob is present with the expected size.
    pub fn holds(&self, sha256: &str, size: u64) -> bool {
        fs::metadata(self.blob_path(sha256)).is_ok_and(|m| m.is_file() && m.len() == size)
    }

    /// Puts a staged blob in place. Call it only once the blob's reference is committed to the
    /// site database, with its chunk list when `chunks_recorded`: from then on no collection
    /// can delete it. Returns the paths of what it placed (the blob, or its new chunks), which
    /// `make_durable` must flush before a package relies on them.
    pub fn commit_blob(
        &self,
        mut staged: StagedBlob,
        source: &Path,
        chunks_recorded: bool,
    ) -> Result<Vec<PathBuf>> {
        // Recorded, its chunks are what readers read, whatever whole file another import
        // placed since.
        if chunks_recorded {
            return self.commit_chunks(&mut staged.chunks, source);
        }
        // Cut without a record: the library held it whole then, or as chunks.
        if self.holds(&staged.sha256, staged.size) || staged.is_chunked() {
            return Ok(Vec::new());
        }
        if staged.temp.is_none() {
            // Collected between the worker's look and our reference: stage it again.
            staged = self.restage(&staged, source)?;
        }
        let temp = staged
            .temp
            .take()
            .expect("restaged blobs have a staging file");
        let target = self.blob_path(&staged.sha256);
        self.place(&temp, &target, &|| self.holds(&staged.sha256, staged.size))?;
        Ok(vec![target])
    }

    /// Renames a staged file into its place in a shard folder; `placed_already` tells whether
    /// another process put the same content there meanwhile, which is as good.
    fn place(&self, temp: &Path, target: &Path, placed_already: &dyn Fn() -> bool) -> Result<()> {
        let folder = target.parent().unwrap_or(&self.root);
        fs::create_dir_all(folder).at(folder)?;
        if let Err(e) = fs::rename(temp, target) {
            // Windows refuses to replace a file another process still has open: the content is
            // there, and the staged copy goes.
            if placed_already() {
                let _ = fs::remove_file(temp);
                return Ok(());
            }
            // A collection in another process may have removed the shard folder as it emptied.
            if e.kind() != io::ErrorKind::NotFound {
                let _ = fs::remove_file(temp);
                return Err(crate::Error::io(target, e));
            }
            fs::create_dir_all(folder).at(folder)?;
            if let Err(e) = fs::rename(temp, target) {
                let _ = fs::remove_file(temp);
                return Err(crate::Error::io(target, e));
            }
        }
        Ok(())
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

    /// Deletes a blob file, and its shard folder once empty; a blob already gone is not an
    /// error.
    pub fn delete_blob(&self, sha256: &str) -> Result<()> {
        let path = self.blob_path(sha256);
        match fs::remove_file(&path) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            other => other.at(&path)?,
        }
        // Fails while the shard holds other blobs, which is the common case.
        let _ = fs::remove_dir(self.root.join(&sha256[..2]));
        Ok(())
    }

    /// Removes what dead processes left in the staging area: a staging folder whose owner's lock
    /// can be taken belongs to a process that is gone, whatever its age; one whose lock is held
    /// stays, however old. Where the lock cannot tell (loose files, a file system without
    /// locks), what is a day old goes.
    pub fn remove_abandoned_staging(&self) -> Result<()> {
        let dir = self.staging_dir();
        let own = self
            .own_staging
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .as_ref()
            .map(|(folder, _)| folder.clone());
        for entry in fs::read_dir(&dir).at(&dir)? {
            let path = entry.at(&dir)?.path();
            if Some(&path) == own.as_ref() {
                continue;
            }
            let unpublished = path.extension().is_some_and(|e| e == "new");
            let abandoned = match owner_alive(&path).filter(|_| !unpublished) {
                Some(alive) => !alive,
                // A loose file, a folder its owner died before locking, or no locks here.
                None => is_old(&path),
            };
            if abandoned {
                let _ = fs::remove_dir_all(&path).or_else(|_| fs::remove_file(&path));
            }
        }
        Ok(())
    }
}

impl Drop for ContentLibrary {
    fn drop(&mut self) {
        let own = self
            .own_staging
            .get_mut()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some((folder, lock)) = own.take() {
            // Closed first: Windows deletes no file that is open, and the folder would stay.
            drop(lock);
            let _ = fs::remove_dir_all(folder);
        }
    }
}

/// Whether the owner of a staging folder lives: its lock is held (true) or can be taken (false);
/// `None` where that cannot be told.
fn owner_alive(folder: &Path) -> Option<bool> {
    let lock = File::open(folder.join(OWNER_LOCK)).ok()?;
    match lock.try_lock() {
        Ok(()) => Some(false),
        Err(fs::TryLockError::WouldBlock) => Some(true),
        Err(fs::TryLockError::Error(_)) => None,
    }
}

fn is_old(path: &Path) -> bool {
    fs::symlink_metadata(path)
        .and_then(|m| m.modified())
        .ok()
        .and_then(|modified| SystemTime::now().duration_since(modified).ok())
        .is_some_and(|age| age > ABANDONED_STAGING_AGE)
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
        match open_for_flush(file) {
            Ok(opened) => opened.sync_all().at(file)?,
            // Read-only: not a file this run wrote (a copy it wrote is never read-only) but an
            // unchanged one linked from the live version, flushed when it was written.
            Err(e) if e.kind() == io::ErrorKind::PermissionDenied && is_read_only(file) => {}
            Err(e) => return Err(crate::Error::io(file, e)),
        }
        folders.extend(file.parent().map(Path::to_path_buf));
    }
    for folder in folders.iter().map(PathBuf::as_path).chain([root]) {
        flush_folder(folder)?;
    }
    Ok(())
}

/// Windows flushes a file (FlushFileBuffers) only through a handle that may write to it; a
/// read-only handle is "Access denied". POSIX flushes through any.
#[cfg(windows)]
fn open_for_flush(file: &Path) -> io::Result<File> {
    fs::OpenOptions::new().write(true).open(file)
}

#[cfg(all(not(windows), not(target_os = "linux")))]
fn open_for_flush(file: &Path) -> io::Result<File> {
    File::open(file)
}

#[cfg(not(target_os = "linux"))]
fn is_read_only(file: &Path) -> bool {
    fs::symlink_metadata(file).is_ok_and(|m| m.permissions().readonly())
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
    // A length of 0 would mean "to the end of the file".
    if length == 0 {
        return;
    }
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
