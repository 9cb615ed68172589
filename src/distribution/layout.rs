//! Where things are on a distribution point, and the manifest of what it holds.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use serde::{Deserialize, Serialize};

use crate::error::{Error, IoContext, Result};

/// The folder on a point where OSUpgrade keeps its own files.
const CONTROL_FOLDER: &str = ".osupgrade";

/// One package on one distribution point.
pub(super) struct PointPackage {
    pub root: PathBuf,
    pub package_id: String,
}

/// A file as installed on a point: the size and modification time it had when placed, so that
/// a later run sees without reading it that it was not touched (rsync's quick check).
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

impl PointPackage {
    pub fn new(point_root: &Path, package_id: &str) -> PointPackage {
        PointPackage {
            root: point_root.to_path_buf(),
            package_id: package_id.to_string(),
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

    /// Verified copies waiting for the commit, named by hash.
    pub fn staging(&self) -> PathBuf {
        self.control_folder().join("staging").join(&self.package_id)
    }

    pub fn lock_path(&self) -> PathBuf {
        self.control_folder()
            .join(format!("{}.lock", self.package_id))
    }

    /// Takes the point's lock on this package: two processes never change it at once. A share
    /// whose file system has no locks is used without one rather than not at all.
    pub fn lock(&self, point_name: &str) -> Result<File> {
        fs::create_dir_all(self.control_folder()).at(self.control_folder())?;
        let path = self.lock_path();
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .at(&path)?;
        match file.try_lock() {
            Ok(()) => Ok(file),
            Err(fs::TryLockError::WouldBlock) => Err(Error::Busy(format!(
                "package {} on distribution point '{point_name}' is being changed by another process (lock {})",
                self.package_id,
                path.display()
            ))),
            Err(fs::TryLockError::Error(e)) if e.kind() == io::ErrorKind::Unsupported => Ok(file),
            Err(fs::TryLockError::Error(e)) => Err(Error::io(&path, e)),
        }
    }

    /// The installed manifest, or `None` when the package is not there (or its manifest is
    /// unreadable, which the next distribution then rewrites).
    pub fn installed(&self) -> Option<InstalledManifest> {
        let text = fs::read(self.manifest_path()).ok()?;
        serde_json::from_slice(&text).ok()
    }

    /// Writes the manifest to a temp file beside its place; the caller flushes it with the files
    /// it describes, then commits it.
    pub fn stage_installed(&self, manifest: &InstalledManifest) -> Result<PathBuf> {
        let path = self.manifest_path();
        let temp = path.with_extension(format!("json.{}.tmp", std::process::id()));
        let text =
            serde_json::to_vec(manifest).map_err(|e| Error::io(&path, io::Error::other(e)))?;
        File::create(&temp)
            .and_then(|mut file| file.write_all(&text))
            .at(&temp)?;
        Ok(temp)
    }

    /// Renames the flushed manifest into place, the commit point, and flushes the rename.
    pub fn commit_installed(&self, staged: &Path) -> Result<()> {
        let path = self.manifest_path();
        fs::rename(staged, &path).at(&path)?;
        crate::content::flush_folder(&self.control_folder())
    }

    /// Deletes the package's tree, manifest and staging from the point.
    pub fn remove_all(&self) -> Result<()> {
        for folder in [self.tree(), self.staging()] {
            match fs::remove_dir_all(&folder) {
                Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(Error::io(&folder, e)),
                _ => {}
            }
        }
        match fs::remove_file(self.manifest_path()) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => {
                Err(Error::io(self.manifest_path(), e))
            }
            _ => Ok(()),
        }
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

/// Every file and folder below `root`, relative and `/`-separated.
pub(super) fn walk(root: &Path) -> Result<(Vec<String>, Vec<String>)> {
    let (mut files, mut folders) = (Vec::new(), Vec::new());
    let mut pending = vec![(root.to_path_buf(), String::new())];
    while let Some((folder, prefix)) = pending.pop() {
        let entries = match fs::read_dir(&folder) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => continue,
            other => other.at(&folder)?,
        };
        for entry in entries {
            let entry = entry.at(&folder)?;
            let relative = format!("{prefix}{}", entry.file_name().to_string_lossy());
            if entry.file_type().at(entry.path())?.is_dir() {
                folders.push(relative.clone());
                pending.push((entry.path(), format!("{relative}/")));
            } else {
                files.push(relative);
            }
        }
    }
    Ok((files, folders))
}
