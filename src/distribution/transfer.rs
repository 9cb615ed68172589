//! One job: one package to one distribution point. `plan_distribution` finds what differs;
//! `apply_distribution_plan` copies it into staging, verified, then commits.

use std::collections::{HashMap, HashSet};
use std::fs;
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use super::layout::{modified_ns, walk, InstalledFile, InstalledManifest, PointPackage};
use super::parallel::{file_threads, for_each_parallel};
use crate::content::{self, ContentLibrary};
use crate::db::FileRecord;
use crate::error::{Error, IoContext, Result};

/// What a job tells the calling thread while it works.
pub(super) enum JobEvent {
    Planned { bytes: u64, files: u64 },
    Bytes(u64),
    File(String),
}

pub(super) struct Job<'a> {
    pub library: &'a ContentLibrary,
    pub point_name: &'a str,
    pub place: PointPackage,
    pub content_version: i64,
    pub manifest: &'a [FileRecord],
}

/// What a finished job did.
#[derive(Debug, Default, Clone, Copy)]
pub(super) struct Transferred {
    pub bytes: u64,
    pub files: u64,
}

/// A blob to copy from the library into the point's staging folder.
struct BlobCopy {
    sha256: String,
    size: u64,
    /// A path of the package that has this content, to name in errors.
    path: String,
}

/// A target file not in place yet.
struct Placement {
    path: String,
    sha256: String,
}

pub(super) struct DistributionPlan {
    copies: Vec<BlobCopy>,
    placements: Vec<Placement>,
}

impl DistributionPlan {
    pub fn bytes_to_copy(&self) -> u64 {
        self.copies.iter().map(|c| c.size).sum()
    }

    pub fn files_to_copy(&self) -> u64 {
        self.copies.len() as u64
    }
}

/// Compares the target manifest with what the point holds. A file is in place when the
/// installed manifest has its hash and the file still has the size and time recorded there,
/// or, when it does not (a commit a crash cut short, content placed by hand), when hashing it
/// gives the target hash. Blobs already verified into staging by an earlier run are not
/// copied again.
pub(super) fn plan_distribution(job: &Job<'_>, cancel: &AtomicBool) -> Result<DistributionPlan> {
    let installed = job.place.installed();
    let recorded: HashMap<&str, &InstalledFile> = installed
        .iter()
        .flat_map(|m| m.files.iter())
        .map(|f| (f.path.as_str(), f))
        .collect();
    let tree = job.place.tree();
    let staging = job.place.staging();
    let mut plan = DistributionPlan {
        copies: Vec::new(),
        placements: Vec::new(),
    };
    let mut planned_copies = HashSet::new();
    for (path, sha256, size) in files_of(job.manifest) {
        if in_place(&tree.join(path), sha256, size, recorded.get(path), cancel)? {
            continue;
        }
        plan.placements.push(Placement {
            path: path.to_string(),
            sha256: sha256.to_string(),
        });
        let staged = fs::metadata(staging.join(sha256)).is_ok_and(|m| m.len() == size);
        if !staged && planned_copies.insert(sha256) {
            plan.copies.push(BlobCopy {
                sha256: sha256.to_string(),
                size,
                path: path.to_string(),
            });
        }
    }
    plan.copies.sort_by_key(|c| std::cmp::Reverse(c.size));
    Ok(plan)
}

fn in_place(
    target: &Path,
    sha256: &str,
    size: u64,
    recorded: Option<&&InstalledFile>,
    cancel: &AtomicBool,
) -> Result<bool> {
    let Ok(metadata) = fs::symlink_metadata(target) else {
        return Ok(false);
    };
    if !metadata.is_file() || metadata.len() != size {
        return Ok(false);
    }
    if let Some(recorded) = recorded {
        if recorded.sha256 == sha256 && recorded.modified_ns == modified_ns(&metadata) {
            return Ok(true);
        }
    }
    let (actual, _) = content::hash_file(target, &|_| {}, cancel)?;
    Ok(actual == sha256)
}

/// Copies what the plan needs into staging, verified, then commits it into the package's tree
/// and writes the installed manifest last.
pub(super) fn apply_distribution_plan(
    job: &Job<'_>,
    plan: DistributionPlan,
    events: &(dyn Fn(JobEvent) + Sync),
    cancel: &AtomicBool,
) -> Result<Transferred> {
    let staging = job.place.staging();
    fs::create_dir_all(&staging).at(&staging)?;
    let bytes = AtomicU64::new(0);
    // Staged files need no flush of their own: until the manifest is written, a run after a
    // crash checks everything placed against its hash. The flush before the manifest covers them.
    copy_into_staging(job, &plan.copies, &staging, &bytes, events, cancel)?;
    // Cancelled before the commit leaves the previous version; once begun, the commit finishes.
    if cancel.load(Ordering::Relaxed) {
        return Err(Error::Cancelled);
    }
    commit(job, &plan.placements, &staging)?;
    Ok(Transferred {
        bytes: bytes.into_inner(),
        files: plan.copies.len() as u64,
    })
}

fn copy_into_staging(
    job: &Job<'_>,
    copies: &[BlobCopy],
    staging: &Path,
    bytes: &AtomicU64,
    events: &(dyn Fn(JobEvent) + Sync),
    cancel: &AtomicBool,
) -> Result<()> {
    let report = |n: u64| {
        bytes.fetch_add(n, Ordering::Relaxed);
        events(JobEvent::Bytes(n));
    };
    for_each_parallel(copies, file_threads(), cancel, |copy| {
        let temp = staging.join(format!("{}.{}.tmp", copy.sha256, std::process::id()));
        let _ = fs::remove_file(&temp);
        job.library
            .export_blob(&copy.sha256, copy.size, &temp, &report, cancel)
            .map_err(|e| name_the_file(e, job, &copy.path))?;
        let done = staging.join(&copy.sha256);
        fs::rename(&temp, &done).at(&done)?;
        events(JobEvent::File(copy.path.clone()));
        Ok(())
    })
}

/// A damaged blob is reported by the package file it would have become.
fn name_the_file(error: Error, job: &Job<'_>, path: &str) -> Error {
    match error {
        Error::DamagedContent { what, reason } => Error::DamagedContent {
            what: format!(
                "{path} of package {} ({what}); distribution point '{}' keeps its previous version",
                job.place.package_id, job.point_name
            ),
            reason,
        },
        other => other,
    }
}

/// From here on the tree changes; a crash leaves it to the next run, which adopts what is
/// already in place by its hash.
fn commit(job: &Job<'_>, placements: &[Placement], staging: &Path) -> Result<()> {
    let tree = job.place.tree();
    for folder in folders_of(job.manifest) {
        let path = tree.join(folder);
        fs::create_dir_all(&path).at(&path)?;
    }
    fs::create_dir_all(&tree).at(&tree)?;
    let mut placed = Vec::with_capacity(placements.len());
    let mut uses: HashMap<&str, usize> = HashMap::new();
    for placement in placements {
        *uses.entry(placement.sha256.as_str()).or_default() += 1;
    }
    let never_cancel = AtomicBool::new(false);
    for placement in placements {
        let target = tree.join(&placement.path);
        let staged = staging.join(&placement.sha256);
        let left = uses.get_mut(placement.sha256.as_str()).map_or(0, |n| {
            *n -= 1;
            *n
        });
        // The last file with this content takes the staged copy; the others get a verified copy
        // of it, through a temp file so that the target is whole or absent.
        if left == 0 {
            fs::rename(&staged, &target).at(&target)?;
        } else {
            let temp = staging.join(format!("{}.{}.copy", placement.sha256, std::process::id()));
            let _ = fs::remove_file(&temp);
            let size = fs::metadata(&staged).at(&staged)?.len();
            content::copy_verified(
                &staged,
                &placement.sha256,
                size,
                &temp,
                &|_| {},
                &never_cancel,
            )?;
            fs::rename(&temp, &target).at(&target)?;
        }
        placed.push(target);
    }
    delete_what_the_version_lacks(job, &tree)?;
    let manifest = installed_manifest(job, &tree)?;
    // One flush makes the placed files and the new manifest durable before the rename that
    // commits it.
    let pending = job.place.stage_installed(&manifest)?;
    placed.push(pending.clone());
    content::flush_files(&job.place.root, &placed)?;
    job.place.commit_installed(&pending)?;
    let _ = fs::remove_dir_all(staging);
    Ok(())
}

fn delete_what_the_version_lacks(job: &Job<'_>, tree: &Path) -> Result<()> {
    let wanted_files: HashSet<&str> = files_of(job.manifest).map(|(path, _, _)| path).collect();
    let wanted_folders: HashSet<&str> = folders_of(job.manifest).collect();
    let (files, mut folders) = walk(tree)?;
    for file in files.iter().filter(|f| !wanted_files.contains(f.as_str())) {
        let path = tree.join(file);
        fs::remove_file(&path).at(&path)?;
    }
    // Deepest first, so that a folder is empty when its turn comes.
    folders.sort_by_key(|f| std::cmp::Reverse(f.matches('/').count()));
    for folder in folders
        .iter()
        .filter(|f| !wanted_folders.contains(f.as_str()))
    {
        let path = tree.join(folder);
        fs::remove_dir(&path).at(&path)?;
    }
    Ok(())
}

fn installed_manifest(job: &Job<'_>, tree: &Path) -> Result<InstalledManifest> {
    let files = files_of(job.manifest)
        .map(|(path, sha256, size)| {
            let target = tree.join(path);
            let metadata = fs::metadata(&target).at(&target)?;
            Ok(InstalledFile {
                path: path.to_string(),
                sha256: sha256.to_string(),
                size,
                modified_ns: modified_ns(&metadata),
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(InstalledManifest {
        package_id: job.place.package_id.clone(),
        content_version: job.content_version,
        folders: folders_of(job.manifest).map(str::to_string).collect(),
        files,
    })
}

/// (path, hash, size) of every file of a manifest.
pub(super) fn files_of(manifest: &[FileRecord]) -> impl Iterator<Item = (&str, &str, u64)> {
    manifest.iter().filter_map(|r| {
        r.sha256
            .as_deref()
            .map(|sha| (r.path.as_str(), sha, r.size))
    })
}

fn folders_of(manifest: &[FileRecord]) -> impl Iterator<Item = &str> {
    manifest
        .iter()
        .filter(|r| r.sha256.is_none())
        .map(|r| r.path.as_str())
}
