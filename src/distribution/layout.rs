//! Where things are on a distribution point, and the manifest of what it holds.
//!
//! A new version of a package is built beside the live tree, in the package's staging folder,
//! and switched in by two renames recorded in a journal (`switch.json`, the new manifest): the
//! live tree moves aside, the new one takes its place, the journal becomes the installed
//! manifest. A crash between any two steps leaves either the previous version, or no package
//! folder and a journal that the next operation on the package finishes; never a mix. The tree
//! moved aside is kept as the next one's seed (`seed.rs`).
//!
//! Nothing on a point is trusted to be what it claims: links (symbolic links, junctions) found
//! where OSUpgrade keeps its own folders are removed, never followed, and links inside a
//! package's tree are neither followed nor kept.

use std::collections::HashSet;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use serde::{Deserialize, Serialize};

use crate::content::{flush_folder, is_link};
use crate::error::{Error, IoContext, Result};
use crate::kill_point;
use crate::model::DistributionPoint;

/// The folder on a point where OSUpgrade keeps its own files.
const CONTROL_FOLDER: &str = ".osupgrade";

/// The seed's name in a package's staging folder.
const SEED: &str = "seed";

/// One package on one distribution point.
pub(super) struct PointPackage {
    pub root: PathBuf,
    pub package_id: String,
    /// The point's folder was a mount point when last found as OSUpgrade left it.
    was_mount_point: bool,
}

/// What is at a point's path.
#[derive(PartialEq, Eq)]
enum PointFolder {
    There,
    Gone,
    /// A plain folder where a mount point was: the share is not mounted.
    NotMounted,
}

/// A file as installed on a point: the size and modification time it had when placed, so that
/// a later run sees without reading it that it was not touched (rsync's quick check). A time of
/// 0 means "hash it before trusting it": validation sets it on files it found altered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct InstalledFile {
    pub path: String,
    pub sha256: String,
    pub size: u64,
    pub modified_ns: u128,
}

/// `<dp>/.osupgrade/<package id>.json`: the content version installed, written last.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct InstalledManifest {
    pub package_id: String,
    pub content_version: i64,
    pub folders: Vec<String>,
    pub files: Vec<InstalledFile>,
}

/// A package's lock held for reading it on a point.
pub(super) struct ReadLock {
    _file: Option<File>,
    /// True when this process may write to the point (and so finish a switch, mark files).
    pub writable: bool,
}

/// What a tree on a point holds, found without following links.
#[derive(Debug, Default)]
pub(super) struct TreeListing {
    pub files: Vec<ListedFile>,
    /// Folders that are real folders.
    pub folders: Vec<String>,
    /// Links and anything else that is neither a file nor a folder; "." is the tree itself.
    pub links: Vec<String>,
}

/// A regular file of a tree on a point.
#[derive(Debug)]
pub(super) struct ListedFile {
    /// Relative and `/`-separated.
    pub path: String,
    /// Its inode, where the listing gives it (Unix).
    pub inode: Option<u64>,
}

/// A file's identity on its file system: two entries with one identity are links to one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct FileIdentity {
    pub device: u64,
    pub inode: u64,
}

/// The identity of the file `metadata` describes, where it comes with the metadata. Linux only:
/// the seed that uses it relies on `flush_files` flushing the whole file system there.
#[cfg(target_os = "linux")]
pub(super) fn identity(metadata: &fs::Metadata) -> Option<FileIdentity> {
    use std::os::unix::fs::MetadataExt;
    Some(FileIdentity {
        device: metadata.dev(),
        inode: metadata.ino(),
    })
}

#[cfg(not(target_os = "linux"))]
pub(super) fn identity(_: &fs::Metadata) -> Option<FileIdentity> {
    None
}

impl PointPackage {
    pub fn new(point_root: &Path, package_id: &str) -> PointPackage {
        PointPackage {
            root: point_root.to_path_buf(),
            package_id: package_id.to_string(),
            was_mount_point: false,
        }
    }

    /// The package on `point`, whose folder is refused once it is no longer the mount point
    /// it was.
    pub fn on_point(point: &DistributionPoint, package_id: &str) -> PointPackage {
        PointPackage {
            was_mount_point: point.mount_point == Some(true),
            ..PointPackage::new(Path::new(&point.path), package_id)
        }
    }

    pub fn control_folder(&self) -> PathBuf {
        self.root.join(CONTROL_FOLDER)
    }

    /// The plain tree setup runs from.
    pub fn tree(&self) -> PathBuf {
        self.root.join(&self.package_id)
    }

    pub fn manifest_path(&self) -> PathBuf {
        self.control_folder()
            .join(format!("{}.json", self.package_id))
    }

    /// Verified copies waiting for the commit, named by hash, and the trees of a switch.
    pub fn staging(&self) -> PathBuf {
        self.control_folder().join("staging").join(&self.package_id)
    }

    /// The new version's tree while it is built.
    pub fn next_tree(&self) -> PathBuf {
        self.staging().join("next")
    }

    /// The previous version's tree, moved aside by a switch.
    pub fn previous_tree(&self) -> PathBuf {
        self.staging().join("previous")
    }

    /// The previous tree kept after a switch as links to the live files: the next tree's seed.
    pub fn seed_tree(&self) -> PathBuf {
        self.staging().join(SEED)
    }

    /// The manifest of a switch under way.
    fn switch_journal(&self) -> PathBuf {
        self.staging().join("switch.json")
    }

    pub fn lock_path(&self) -> PathBuf {
        self.control_folder()
            .join(format!("{}.lock", self.package_id))
    }

    /// Makes the control and staging folders real folders of the point, replacing any link
    /// planted there, so that nothing OSUpgrade writes or deletes lands outside the point. The
    /// package's own staging folder is made only when `staging` asks for it.
    pub fn prepare_folders(&self, staging: bool) -> Result<()> {
        let control = self.control_folder();
        ensure_real_folder(&control)?;
        ensure_real_folder(&control.join("staging"))?;
        match fs::symlink_metadata(self.staging()) {
            Ok(m) if is_real_folder(&m) => Ok(()),
            Ok(_) => remove_entry(&self.staging()).and_then(|()| self.make_staging(staging)),
            Err(_) => self.make_staging(staging),
        }
    }

    fn make_staging(&self, wanted: bool) -> Result<()> {
        if wanted {
            fs::create_dir(self.staging()).at(self.staging())?;
        }
        Ok(())
    }

    /// Takes the point's lock on this package: two processes never change it at once. A share
    /// whose file system has no locks is used without one rather than not at all.
    pub fn lock(&self, point_name: &str) -> Result<File> {
        self.require_point_folder(point_name)?;
        ensure_real_folder(&self.control_folder())?;
        let path = self.lock_path();
        // A link planted where the lock file belongs is removed, never opened through.
        if fs::symlink_metadata(&path).is_ok_and(|m| !is_plain_file(&m)) {
            remove_entry(&path)?;
        }
        let file = no_follow(OpenOptions::new().create(true).truncate(false).write(true))
            .open(&path)
            .at(&path)?;
        self.hold(file, point_name, &path)
    }

    /// Whether the point's own folder is there. OSUpgrade makes it when the point is added and
    /// never again: where it is missing because its share is not mounted, making it would put
    /// the content on the local disk, hidden once the share is back. Only a folder not found is
    /// gone: a point refused or out of reach for a moment is an error.
    pub fn has_point_folder(&self) -> Result<bool> {
        Ok(self.point_folder()? == PointFolder::There)
    }

    fn point_folder(&self) -> Result<PointFolder> {
        match fs::metadata(&self.root) {
            Ok(_) if self.was_mount_point && is_mount_point(&self.root) == Some(false) => {
                Ok(PointFolder::NotMounted)
            }
            Ok(_) => Ok(PointFolder::There),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(PointFolder::Gone),
            Err(e) => Err(Error::io(&self.root, e)),
        }
    }

    fn require_point_folder(&self, point_name: &str) -> Result<()> {
        let why = match self.point_folder()? {
            PointFolder::There => return Ok(()),
            PointFolder::Gone => {
                "does not exist: mount its share, or make the folder again if \
                 it was removed, then run again"
            }
            PointFolder::NotMounted => {
                "is not mounted: it was a mount point, and is now a plain \
                 folder of the disk below; mount its share, or, to use the folder as it is, \
                 remove the point with force and add it again"
            }
        };
        Err(Error::not_found_as(
            "folder",
            self.root.display().to_string(),
            format!("of distribution point '{point_name}' {why}"),
        ))
    }

    /// The lock for reading: the package's lock where this process may write to the point;
    /// where it may not, an existing lock file taken shared (a missing one means no one of ours
    /// is changing it from here). `writable` says which.
    pub fn lock_for_reading(&self, point_name: &str) -> Result<ReadLock> {
        match self.lock(point_name) {
            Err(Error::Io { source, .. }) if is_read_only(&source) => {}
            other => {
                return other.map(|file| ReadLock {
                    _file: Some(file),
                    writable: true,
                })
            }
        }
        let path = self.lock_path();
        let shared =
            self.existing_lock()
                .and_then(|file| match briefly(|| file.try_lock_shared()) {
                    Ok(()) => Some(Ok(file)),
                    Err(fs::TryLockError::WouldBlock) => Some(Err(self.busy(point_name, &path))),
                    Err(fs::TryLockError::Error(_)) => None,
                });
        Ok(ReadLock {
            _file: shared.transpose()?,
            writable: false,
        })
    }

    /// Whether a process holds the package's lock now. `Some(false)` proves that no
    /// distribution of the package to this point is running, whatever its status last said:
    /// a run holds the lock from before it queues to after it records how it ended. `None`
    /// where it cannot be told (no lock file, a point out of reach, no locks on its file system).
    pub fn is_locked(&self) -> Option<bool> {
        let file = self.existing_lock()?;
        match file.try_lock_shared() {
            // Released at once: Windows may release a closed handle's lock late, and a run
            // starting meanwhile would find the package busy.
            Ok(()) => file.unlock().ok().map(|()| false),
            Err(fs::TryLockError::WouldBlock) => Some(true),
            Err(fs::TryLockError::Error(_)) => None,
        }
    }

    /// The lock file, opened to be looked at only: never through a link, and never a pipe or
    /// device planted in its place (opened without waiting for a writer, then refused).
    fn existing_lock(&self) -> Option<File> {
        let path = self.lock_path();
        if !fs::symlink_metadata(&path).is_ok_and(|m| is_plain_file(&m)) {
            return None;
        }
        let file = no_follow_nor_wait(OpenOptions::new().read(true))
            .open(&path)
            .ok()?;
        file.metadata().is_ok_and(|m| m.is_file()).then_some(file)
    }

    fn hold(&self, file: File, point_name: &str, path: &Path) -> Result<File> {
        match briefly(|| file.try_lock()) {
            Ok(()) => Ok(file),
            Err(fs::TryLockError::WouldBlock) => Err(self.busy(point_name, path)),
            Err(fs::TryLockError::Error(e)) if e.kind() == io::ErrorKind::Unsupported => Ok(file),
            Err(fs::TryLockError::Error(e)) => Err(Error::io(path, e)),
        }
    }

    fn busy(&self, point_name: &str, lock: &Path) -> Error {
        Error::Busy(format!(
            "package {} on distribution point '{point_name}' is being changed by another process (lock {})",
            self.package_id,
            lock.display()
        ))
    }

    /// The installed manifest, or `None` when the package is not there (or its manifest is
    /// unreadable, which the next distribution then rewrites).
    pub fn installed(&self) -> Option<InstalledManifest> {
        read_manifest(&self.manifest_path())
    }

    /// Rewrites the installed manifest in place (through a temp file); used to mark files that
    /// must be hashed before they are trusted again.
    pub fn rewrite_installed(&self, manifest: &InstalledManifest) -> Result<()> {
        let temp = write_manifest(&self.manifest_path(), manifest)?;
        let path = self.manifest_path();
        fs::rename(&temp, &path).at(&path)
    }

    /// Records a built next tree as a switch to make: from here on the new version wins, and a
    /// crash leaves the switch for `finish_switch` to complete. The journal is flushed with the
    /// tree by the caller's flush.
    pub fn journal_switch(&self, manifest: &InstalledManifest) -> Result<PathBuf> {
        let temp = write_manifest(&self.switch_journal(), manifest)?;
        let journal = self.switch_journal();
        fs::rename(&temp, &journal).at(&journal)?;
        Ok(journal)
    }

    /// Finishes a switch that was journalled, then clears what a run cut short left behind: a
    /// half-built next tree without a journal is dropped (the previous version stays live).
    /// Call it holding the package's lock, before anything reads or changes the tree.
    pub fn finish_switch(&self) -> Result<()> {
        if self.complete_switch()? {
            log::info!(
                target: "distribution",
                "{} on {}: finished the switch a stopped distribution had journalled",
                self.package_id,
                self.root.display()
            );
            // Committed: what staging still holds (the previous tree, where a client keeps one
            // of its files open) is cleared by the next run, and fails nothing now.
            let _ = remove_entry(&self.staging());
            return Ok(());
        }
        remove_entry(&self.next_tree())?;
        remove_entry(&self.previous_tree())?;
        remove_entry(&self.switch_journal())
    }

    /// Completes the switch the journal records, if one is: true when it did. The previous
    /// tree and what else the switch used stay in staging.
    pub fn complete_switch(&self) -> Result<bool> {
        if read_manifest(&self.switch_journal()).is_none() {
            return Ok(false);
        }
        self.switch_journalled()?;
        Ok(true)
    }

    /// Moves the next tree in and commits the journal as the manifest: what `complete_switch`
    /// does once the journal is known whole, as it is to the run that just wrote and flushed
    /// it.
    pub fn switch_journalled(&self) -> Result<()> {
        let (tree, next, previous) = (self.tree(), self.next_tree(), self.previous_tree());
        if exists(&next) {
            if exists(&tree) {
                remove_entry(&previous)?;
                fs::rename(&tree, &previous).at(&tree)?;
                kill_point::reached("switch: live tree moved aside");
            }
            fs::rename(&next, &tree).at(&tree)?;
            flush_folder(&self.root)?;
            kill_point::reached("switch: next tree moved in");
        }
        let (journal, manifest) = (self.switch_journal(), self.manifest_path());
        fs::rename(&journal, &manifest).at(&manifest)?;
        flush_folder(&self.control_folder())?;
        kill_point::reached("switch: manifest committed");
        Ok(())
    }

    /// Removes what runs that died left for this package, but for the staged copies named in
    /// `keep` and the seed: their half-written copies, copies of versions no longer the target,
    /// their manifest temp files. Left there, each kill would add its own, until the point is
    /// full. Call it holding the package's lock, after `finish_switch`.
    pub fn remove_leftovers(&self, keep: &HashSet<&str>) -> Result<()> {
        let staging = self.staging();
        for name in folder_entries(&staging)? {
            if !name
                .to_str()
                .is_some_and(|name| name == SEED || keep.contains(name))
            {
                remove_entry(&staging.join(name))?;
            }
        }
        let control = self.control_folder();
        let manifest_temp = format!("{}.json.", self.package_id);
        for name in folder_entries(&control)? {
            if name
                .to_str()
                .is_some_and(|name| name.starts_with(&manifest_temp) && name.ends_with(".tmp"))
            {
                remove_entry(&control.join(name))?;
            }
        }
        Ok(())
    }

    /// Deletes the package's tree, manifest and staging from the point, following no link.
    pub fn remove_all(&self) -> Result<()> {
        // Staging first: left alone, a seed would hold the removed package's bytes.
        remove_entry(&self.staging())?;
        remove_entry(&self.tree())?;
        remove_entry(&self.manifest_path())
    }
}

fn folder_entries(folder: &Path) -> Result<Vec<std::ffi::OsString>> {
    fs::read_dir(folder)
        .and_then(|entries| entries.map(|entry| entry.map(|e| e.file_name())).collect())
        .at(folder)
}

fn read_manifest(path: &Path) -> Option<InstalledManifest> {
    let text = fs::read(path).ok()?;
    serde_json::from_slice(&text).ok()
}

/// Writes a manifest to a temp file beside `path` and returns the temp file.
fn write_manifest(path: &Path, manifest: &InstalledManifest) -> Result<PathBuf> {
    let temp = path.with_extension(format!("json.{}.tmp", std::process::id()));
    let text = serde_json::to_vec(manifest).map_err(|e| Error::io(path, io::Error::other(e)))?;
    File::create(&temp)
        .and_then(|mut file| file.write_all(&text))
        .at(&temp)?;
    Ok(temp)
}

/// Opening refuses a link at the last component, should one be planted after the look.
#[cfg(unix)]
fn no_follow(options: &mut OpenOptions) -> &mut OpenOptions {
    use std::os::unix::fs::OpenOptionsExt;
    options.custom_flags(libc::O_NOFOLLOW)
}

#[cfg(not(unix))]
fn no_follow(options: &mut OpenOptions) -> &mut OpenOptions {
    options
}

/// `no_follow`, and an opening that does not wait for a writer where a pipe was planted.
#[cfg(unix)]
fn no_follow_nor_wait(options: &mut OpenOptions) -> &mut OpenOptions {
    use std::os::unix::fs::OpenOptionsExt;
    options.custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
}

#[cfg(not(unix))]
fn no_follow_nor_wait(options: &mut OpenOptions) -> &mut OpenOptions {
    options
}

fn is_read_only(error: &io::Error) -> bool {
    matches!(
        error.kind(),
        io::ErrorKind::PermissionDenied | io::ErrorKind::ReadOnlyFilesystem
    )
}

fn exists(path: &Path) -> bool {
    fs::symlink_metadata(path).is_ok()
}

/// A folder, not a link to one (a symbolic link, or a junction on Windows).
pub(super) fn is_real_folder(metadata: &fs::Metadata) -> bool {
    metadata.is_dir() && !is_link(metadata)
}

/// A file, not a link to one.
pub(super) fn is_plain_file(metadata: &fs::Metadata) -> bool {
    metadata.is_file() && !is_link(metadata)
}

/// A folder of OSUpgrade's own on the point: a link or file planted in its place is removed
/// (the link, never what it points at) and a real folder made.
fn ensure_real_folder(folder: &Path) -> Result<()> {
    match fs::symlink_metadata(folder) {
        Ok(metadata) if is_real_folder(&metadata) => return Ok(()),
        Ok(_) => remove_entry(folder)?,
        Err(_) => {}
    }
    // Not `create_dir_all`: a point's folder that went since it was looked at stays gone.
    fs::create_dir(folder).at(folder)
}

/// Removes a file, a link (not its target) or a folder with everything in it; gone already is
/// fine.
pub(super) fn remove_entry(path: &Path) -> Result<()> {
    let removed = match remove_entry_once(path) {
        Err(e) if e.kind() == io::ErrorKind::PermissionDenied && cfg!(windows) => {
            clear_read_only(path);
            remove_entry_once(path)
        }
        other => other,
    };
    match removed {
        Err(e) if e.kind() != io::ErrorKind::NotFound => Err(Error::io(path, e)),
        _ => Ok(()),
    }
}

fn remove_entry_once(path: &Path) -> io::Result<()> {
    let Ok(metadata) = fs::symlink_metadata(path) else {
        return Ok(());
    };
    if is_real_folder(&metadata) {
        fs::remove_dir_all(path)
    } else {
        // A link to a folder is a folder entry on Windows, a file entry elsewhere.
        fs::remove_file(path).or_else(|_| fs::remove_dir(path))
    }
}

/// Windows deletes no read-only file (a copy from a DVD, a file an admin protected on the
/// point): the attribute is cleared first, entry by entry, never through a link.
fn clear_read_only(path: &Path) {
    let Ok(metadata) = fs::symlink_metadata(path) else {
        return;
    };
    if is_link(&metadata) {
        return;
    }
    if metadata.is_dir() {
        for entry in fs::read_dir(path).into_iter().flatten().flatten() {
            clear_read_only(&entry.path());
        }
    }
    let mut permissions = metadata.permissions();
    if permissions.readonly() {
        #[allow(clippy::permissions_set_readonly_false)] // Windows' attribute, not Unix modes
        permissions.set_readonly(false);
        let _ = fs::set_permissions(path, permissions);
    }
}

/// Modification time as nanoseconds since 1970, for the quick check.
pub(super) fn modified_ns(metadata: &fs::Metadata) -> u128 {
    metadata
        .modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos())
}

/// Whether `folder` is a mount point: on another file system than its parent folder. `None`
/// where that cannot be told: no parent, a look-up that fails, or Windows, whose volume serial
/// numbers the standard library does not give.
#[cfg(unix)]
pub(super) fn is_mount_point(folder: &Path) -> Option<bool> {
    use std::os::unix::fs::MetadataExt;
    let parent = folder.parent()?;
    let (own, above) = (fs::metadata(folder).ok()?, fs::metadata(parent).ok()?);
    Some(own.dev() != above.dev())
}

#[cfg(windows)]
pub(super) fn is_mount_point(_: &Path) -> Option<bool> {
    None
}

/// Everything below `root`, without following a link: a tree that is itself a link lists as
/// the link ".", and what lies behind a linked folder is not listed.
pub(super) fn walk(root: &Path) -> Result<TreeListing> {
    let mut listing = TreeListing::default();
    match fs::symlink_metadata(root) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(listing),
        Err(e) => return Err(Error::io(root, e)),
        Ok(metadata) if !is_real_folder(&metadata) => {
            listing.links.push(".".into());
            return Ok(listing);
        }
        Ok(_) => {}
    }
    let mut pending = vec![(root.to_path_buf(), String::new())];
    while let Some((folder, prefix)) = pending.pop() {
        for entry in fs::read_dir(&folder).at(&folder)? {
            let entry = entry.at(&folder)?;
            let relative = format!("{prefix}{}", entry.file_name().to_string_lossy());
            let (link, folder, file) = listed_kind(&entry).at(entry.path())?;
            if link || !(folder || file) {
                listing.links.push(relative);
            } else if folder {
                listing.folders.push(relative.clone());
                pending.push((entry.path(), format!("{relative}/")));
            } else {
                let inode = listed_inode(&entry);
                listing.files.push(ListedFile {
                    path: relative,
                    inode,
                });
            }
        }
    }
    Ok(listing)
}

/// Whether a folder entry is a link, a folder or a file, without following a link: from the
/// listing itself (the entry's type on Unix, the find data on Windows), not one stat a file.
#[cfg(unix)]
fn listed_kind(entry: &fs::DirEntry) -> io::Result<(bool, bool, bool)> {
    let kind = entry.file_type()?;
    Ok((kind.is_symlink(), kind.is_dir(), kind.is_file()))
}

#[cfg(unix)]
fn listed_inode(entry: &fs::DirEntry) -> Option<u64> {
    use std::os::unix::fs::DirEntryExt;
    Some(entry.ino())
}

#[cfg(windows)]
fn listed_inode(_: &fs::DirEntry) -> Option<u64> {
    None
}

#[cfg(windows)]
fn listed_kind(entry: &fs::DirEntry) -> io::Result<(bool, bool, bool)> {
    let metadata = entry.metadata()?;
    Ok((is_link(&metadata), metadata.is_dir(), metadata.is_file()))
}

/// Tries to take a lock for a moment before giving up: a lock this process has just released can
/// still be held by a child process another thread is starting (between fork and exec the child
/// shares the lock's descriptor), and another process's lock is held for much longer than that.
fn briefly(
    try_lock: impl Fn() -> std::result::Result<(), fs::TryLockError>,
) -> std::result::Result<(), fs::TryLockError> {
    const ATTEMPTS: u32 = 25;
    for _ in 1..ATTEMPTS {
        match try_lock() {
            Err(fs::TryLockError::WouldBlock) => {
                std::thread::sleep(std::time::Duration::from_millis(20))
            }
            other => return other,
        }
    }
    try_lock()
}
