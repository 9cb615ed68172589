//! One job: one package to one distribution point. `plan_distribution` finds what differs; the
//! copies from the library alone are shared by the jobs of a wave (`fanout`);
//! `finish_distribution` builds the rest into staging, verified, then commits.

use std::collections::{HashMap, HashSet};
use std::fs;
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Mutex;

use super::layout::{
    identity, is_plain_file, modified_ns, remove_entry, walk, FileIdentity, InstalledFile,
    InstalledManifest, PointPackage,
};
use super::seed::{self, Kept};
use crate::content::{self, Base, BlobRef, ContentLibrary, Taken};
use crate::error::{Error, ErrorKind, IoContext, Result};
use crate::jobs;
use crate::kill_point;
use crate::logging;
use crate::model::{Chunk, FileRecord, Transferred};
use crate::progress::Throttle;

/// What a job tells the calling thread while it works.
pub(super) enum JobEvent {
    Planned {
        bytes: u64,
        files: u64,
    },
    Bytes(u64),
    /// Bytes of those were taken from what the point held, not from the library.
    Reused(u64),
    /// `done` files are copied, `current` among the latest.
    Files {
        done: u64,
        current: String,
    },
}

pub(super) struct Job<'a> {
    pub library: &'a ContentLibrary,
    pub point_name: &'a str,
    pub place: PointPackage,
    pub content_version: i64,
    pub manifest: &'a [FileRecord],
    /// The blobs of the distributed version that the library keeps as chunks.
    pub chunked: &'a HashSet<String>,
}

/// The chunks of the chunked blobs a wave of jobs copies or builds from, by blob.
pub(super) type ChunkLists = HashMap<String, Vec<Chunk>>;

/// Why a job failed, as its status records it.
pub(super) struct JobFailure {
    pub message: String,
    pub kind: ErrorKind,
}

impl From<&Error> for JobFailure {
    fn from(error: &Error) -> Self {
        JobFailure {
            message: error.to_string(),
            kind: error.kind(),
        }
    }
}

impl From<Error> for JobFailure {
    fn from(error: Error) -> Self {
        JobFailure::from(&error)
    }
}

/// What the copies shared with the other jobs of a wave did for a job.
#[derive(Clone, Copy)]
pub(super) struct Shared {
    pub copied: u64,
    pub files: u64,
}

/// A blob as the site database knows it.
pub(super) fn blob_ref<'s>(lists: &'s ChunkLists, sha256: &'s str, size: u64) -> BlobRef<'s> {
    let chunks = lists.get(sha256).map_or(&[][..], Vec::as_slice);
    BlobRef {
        sha256,
        size,
        chunks,
    }
}

/// A blob to copy from the library into the point's staging folder.
pub(super) struct BlobCopy {
    pub sha256: String,
    pub size: u64,
    /// A path of the package that has this content, to name in errors.
    pub path: String,
    /// What the live tree holds at that path, when the blob is chunked: the earlier version
    /// whose unchanged ranges the new one is built from.
    base: Option<Option<InstalledFile>>,
}

/// Where a file of the new version comes from.
enum Origin {
    /// The live tree holds it already, at the same path.
    Tree(InPlace),
    /// Its verified copy in the staging folder.
    Staged,
}

/// A file found in place in the live tree.
#[derive(Clone, Copy)]
struct InPlace {
    /// Its modification time when it was found: what its manifest entry records, so that a
    /// change after that shows.
    modified_ns: u128,
    identity: Option<FileIdentity>,
}

/// A file of the new version's tree.
struct Placement {
    path: String,
    sha256: String,
    size: u64,
    origin: Origin,
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

    /// The copies that come from the library alone: the point holds no earlier version of them
    /// to build from.
    pub fn copies_from_library(&self) -> impl Iterator<Item = &BlobCopy> {
        self.copies.iter().filter(|c| c.base.is_none())
    }

    /// The blobs whose chunk lists the copies need: the chunked blobs to copy, and the earlier
    /// versions the points hold of them.
    pub fn chunk_lists_wanted<'p>(&'p self, job: &'p Job<'_>) -> impl Iterator<Item = &'p str> {
        let copied = self
            .copies
            .iter()
            .map(|c| c.sha256.as_str())
            .filter(|sha256| job.chunked.contains(*sha256));
        let bases = self
            .copies
            .iter()
            .filter_map(|c| c.base.as_ref()?.as_ref().map(|r| r.sha256.as_str()));
        copied.chain(bases)
    }
}

/// Compares the target manifest with what the point holds. A file is in place when the
/// installed manifest has its hash and the file still has the size and time recorded there,
/// or, when it does not (a commit a crash cut short, content placed by hand), when hashing it
/// gives the target hash. Blobs already verified into staging by an earlier run are not
/// copied again.
pub(super) fn plan_distribution(job: &Job<'_>, cancel: &AtomicBool) -> Result<DistributionPlan> {
    // A switch a crash cut short is finished first (that clears the staging folder), then the
    // folders this run works in are made.
    job.place.prepare_folders(false)?;
    job.place.finish_switch()?;
    job.place.prepare_folders(true)?;
    let installed = job.place.installed();
    let recorded: HashMap<&str, &InstalledFile> = installed
        .iter()
        .flat_map(|m| m.files.iter())
        .map(|f| (f.path.as_str(), f))
        .collect();
    let tree = job.place.tree();
    // Only regular files reached through real folders count: a link is never followed.
    let live: HashSet<String> = walk(&tree)?.files.into_iter().map(|f| f.path).collect();
    let staging = job.place.staging();
    let mut plan = DistributionPlan {
        copies: Vec::new(),
        placements: Vec::new(),
    };
    let mut staged_or_planned = HashSet::new();
    for (path, sha256, size) in files_of(job.manifest) {
        let found = match live.contains(path) {
            true => in_place(&tree.join(path), sha256, size, recorded.get(path), cancel)?,
            false => None,
        };
        let origin = found.map_or(Origin::Staged, Origin::Tree);
        if matches!(origin, Origin::Staged)
            && staged_or_planned.insert(sha256)
            && !staged_intact(&staging.join(sha256), sha256, size, cancel)?
        {
            let base = (live.contains(path) && job.chunked.contains(sha256))
                .then(|| recorded.get(path).map(|&r| r.clone()));
            plan.copies.push(BlobCopy {
                sha256: sha256.to_string(),
                size,
                path: path.to_string(),
                base,
            });
        }
        plan.placements.push(Placement {
            path: path.to_string(),
            sha256: sha256.to_string(),
            size,
            origin,
        });
    }
    job.place.remove_leftovers(&staged_or_planned)?;
    plan.copies.sort_by_key(|c| std::cmp::Reverse(c.size));
    Ok(plan)
}

/// A copy an earlier run left in staging is used when it is a regular file that still hashes
/// to its name; anything else there is removed and copied again.
fn staged_intact(path: &Path, sha256: &str, size: u64, cancel: &AtomicBool) -> Result<bool> {
    let Ok(metadata) = fs::symlink_metadata(path) else {
        return Ok(false);
    };
    let intact = is_plain_file(&metadata)
        && metadata.len() == size
        && content::hash_file(path, &|_| {}, cancel)?.0 == sha256;
    if !intact {
        remove_entry(path)?;
    }
    Ok(intact)
}

/// The file as found, when it holds `sha256`.
fn in_place(
    target: &Path,
    sha256: &str,
    size: u64,
    recorded: Option<&&InstalledFile>,
    cancel: &AtomicBool,
) -> Result<Option<InPlace>> {
    let Ok(metadata) = fs::symlink_metadata(target) else {
        return Ok(None);
    };
    if !metadata.is_file() || metadata.len() != size {
        return Ok(None);
    }
    let found = InPlace {
        modified_ns: modified_ns(&metadata),
        identity: identity(&metadata),
    };
    // A file that keeps the size and time its manifest records holds what is recorded: the
    // target, or an earlier version not worth hashing.
    if let Some(recorded) = recorded {
        let modified = found.modified_ns;
        if recorded.size == size && recorded.modified_ns != 0 && recorded.modified_ns == modified {
            return Ok((recorded.sha256 == sha256).then_some(found));
        }
    }
    let (actual, _) = content::hash_file(target, &|_| {}, cancel)?;
    Ok((actual == sha256).then_some(found))
}

/// Finishes a job whose copies from the library alone are staged (`shared`): builds into
/// staging, verified, the files the point's earlier versions give most of, then commits into
/// the package's tree and writes the installed manifest last.
pub(super) fn finish_distribution(
    job: &Job<'_>,
    plan: &DistributionPlan,
    shared: Shared,
    lists: &ChunkLists,
    events: &(dyn Fn(JobEvent) + Sync),
    cancel: &AtomicBool,
) -> Result<Transferred> {
    let staging = job.place.staging();
    let built: Vec<(&BlobCopy, Option<&InstalledFile>)> = plan
        .copies
        .iter()
        .filter_map(|c| c.base.as_ref().map(|recorded| (c, recorded.as_ref())))
        .collect();
    // Staged files need no flush of their own: a run after a crash hashes what it finds in
    // staging before using it. The flush before the switch covers them.
    let copied = build_into_staging(job, lists, &built, shared.files, plan, events, cancel);
    if copied
        .as_ref()
        .is_err_and(|e| e.kind() == ErrorKind::DiskFull)
    {
        clear_staging(job);
    }
    let taken = copied?;
    // Cancelled before the commit leaves the previous version; once begun, the commit finishes.
    if cancel.load(Ordering::Relaxed) {
        return Err(Error::Cancelled);
    }
    commit(job, &plan.placements, &staging)?;
    Ok(Transferred {
        bytes_copied: shared.copied + taken.copied,
        bytes_reused: taken.reused,
        files_copied: plan.copies.len() as u64,
    })
}

/// Kept copies would only hold on to the space a full point lacks.
pub(super) fn clear_staging(job: &Job<'_>) {
    let _ = remove_entry(&job.place.staging());
}

/// Where a copy of a blob is written before it is known whole.
pub(super) fn staging_temp(job: &Job<'_>, sha256: &str) -> PathBuf {
    job.place
        .staging()
        .join(format!("{sha256}.{}.tmp", std::process::id()))
}

/// Gives a verified copy its name in staging; one that cannot have it goes.
pub(super) fn stage_copy(job: &Job<'_>, sha256: &str) -> Result<()> {
    let (temp, staged) = (staging_temp(job, sha256), job.place.staging().join(sha256));
    fs::rename(&temp, &staged)
        .at(&staged)
        .inspect_err(|_| drop(fs::remove_file(&temp)))
}

fn build_into_staging(
    job: &Job<'_>,
    lists: &ChunkLists,
    copies: &[(&BlobCopy, Option<&InstalledFile>)],
    files_before: u64,
    plan: &DistributionPlan,
    events: &(dyn Fn(JobEvent) + Sync),
    cancel: &AtomicBool,
) -> Result<Taken> {
    // A failed copy stops this job's other copies, not the other jobs of the distribution.
    let stop = AtomicBool::new(false);
    let files_done = AtomicU64::new(files_before);
    let pace = Mutex::new(Throttle::default());
    let written = AtomicU64::new(0);
    let (copied, reused) = (AtomicU64::new(0), AtomicU64::new(0));
    jobs::for_each(
        copies,
        jobs::cores(),
        &stop,
        &logging::for_workers(),
        |&(copy, recorded), report| {
            if cancel.load(Ordering::Relaxed) {
                return Err(Error::Cancelled);
            }
            let temp = staging_temp(job, &copy.sha256);
            let report = |n| {
                kill_point::wrote(
                    kill_point::CopyKind::Point,
                    written.fetch_add(n, Ordering::Relaxed) + n,
                );
                report(n);
            };
            let taken = build(job, lists, copy, recorded, &temp, &report, &stop)
                .map_err(|e| named_damage(&e, job, &copy.path).unwrap_or(e))?;
            if taken.reused > 0 {
                log::info!(
                    target: "distribution",
                    "{} on {}: {} built from the point's earlier version: {} bytes reused, {} copied",
                    job.place.package_id,
                    job.point_name,
                    copy.path,
                    taken.reused,
                    taken.copied
                );
                kill_point::reached("block build: built");
                events(JobEvent::Reused(taken.reused));
            }
            copied.fetch_add(taken.copied, Ordering::Relaxed);
            reused.fetch_add(taken.reused, Ordering::Relaxed);
            stage_copy(job, &copy.sha256)?;
            let done = files_done.fetch_add(1, Ordering::Relaxed) + 1;
            let last = done == plan.files_to_copy();
            if pace.lock().is_ok_and(|mut pace| pace.due(last)) {
                events(JobEvent::Files {
                    done,
                    current: copy.path.clone(),
                });
            }
            Ok(())
        },
        &mut |n| {
            events(JobEvent::Bytes(n));
            if cancel.load(Ordering::Relaxed) {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        },
    )?;
    Ok(Taken {
        copied: copied.into_inner(),
        reused: reused.into_inner(),
    })
}

/// Builds a chunked blob whose earlier version the live tree holds (`recorded` in the point's
/// manifest, if it is) in `temp`, from that file's unchanged ranges and the library's other
/// chunks.
fn build(
    job: &Job<'_>,
    lists: &ChunkLists,
    copy: &BlobCopy,
    recorded: Option<&InstalledFile>,
    temp: &Path,
    report: &(dyn Fn(u64) + Sync),
    stop: &AtomicBool,
) -> Result<Taken> {
    let blob = blob_ref(lists, &copy.sha256, copy.size);
    let path = job.place.tree().join(&copy.path);
    // A base that cannot be opened is no base: the library has every chunk.
    let Ok(file) = fs::File::open(&path) else {
        return job.library.export_blob(&blob, None, temp, report, stop);
    };
    // A base that cannot be read (locked, a bad sector) is no base either, unless stopped.
    let offsets = match base_offsets(lists, recorded, &path, &file, stop) {
        Ok(offsets) => offsets,
        Err(Error::Cancelled) => return Err(Error::Cancelled),
        Err(_) => return job.library.export_blob(&blob, None, temp, report, stop),
    };
    kill_point::reached("block build: base chunks known");
    let base = Base {
        path: &path,
        file: &file,
        offsets,
        verify: false,
    };
    job.library
        .export_blob(&blob, Some(base), temp, report, stop)
}

/// Where each chunk of the base starts in it: from the library's record of the version the
/// point's manifest says the file holds, while the file keeps the size and time recorded
/// there; else from cutting the file itself.
fn base_offsets(
    lists: &ChunkLists,
    recorded: Option<&InstalledFile>,
    path: &Path,
    file: &fs::File,
    cancel: &AtomicBool,
) -> Result<HashMap<String, u64>> {
    let metadata = file.metadata().at(path)?;
    let known = recorded
        .filter(|r| r.size == metadata.len() && r.modified_ns == modified_ns(&metadata))
        .and_then(|r| lists.get(&r.sha256));
    let Some(chunks) = known else {
        let found = content::chunk_file(path, cancel)?;
        return Ok(found
            .into_iter()
            .map(|(chunk, offset)| (chunk.sha256, offset))
            .collect());
    };
    let mut offset = 0;
    let mut offsets = HashMap::with_capacity(chunks.len());
    for chunk in chunks {
        offsets.entry(chunk.sha256.clone()).or_insert(offset);
        offset += chunk.size;
    }
    Ok(offsets)
}

/// A damaged blob is reported by the package file it would have become.
pub(super) fn named_damage(error: &Error, job: &Job<'_>, path: &str) -> Option<Error> {
    match error {
        Error::DamagedContent { what, reason } => Some(Error::DamagedContent {
            what: format!(
                "{path} of package {} ({what}); distribution point '{}' keeps what it held",
                job.place.package_id, job.point_name
            ),
            reason: reason.clone(),
        }),
        _ => None,
    }
}

/// Builds the new version's tree beside the live one (on the seed, which holds the unchanged
/// files already; links to the files that stay and to the staged copies, where the file system
/// has links; verified copies where it does not), journals the switch, makes it all durable
/// with one flush, switches, and keeps the tree moved aside as the next seed.
fn commit(job: &Job<'_>, placements: &[Placement], staging: &Path) -> Result<()> {
    kill_point::reached("switch: staged");
    let kept = kept_from_tree(job, placements);
    let seeded = seed::take_seed(&job.place, &kept)?;
    let next = job.place.next_tree();
    seed::make_folders(&next, &kept.folders)?;
    let tree = job.place.tree();
    let mut placed = Vec::with_capacity(placements.len() + 1);
    let mut times = Vec::with_capacity(placements.len());
    let mut linked = HashSet::new();
    let mut all_linked = true;
    for placement in placements {
        let (from, found) = match &placement.origin {
            Origin::Tree(found) => (tree.join(&placement.path), Some(found.modified_ns)),
            Origin::Staged => (staging.join(&placement.sha256), None),
        };
        let target = next.join(&placement.path);
        if seeded.contains(&placement.path) {
            // The seed's entry is the live file itself, found in place.
            times.extend(found);
            continue;
        }
        // Two files of a tree never share storage: changing one on the point must not change
        // the other. So a staged copy is linked once, and copied for its other paths.
        let first_use = found.is_some() || linked.insert(placement.sha256.as_str());
        let was_linked = place_file(&from, placement, &target, staging, first_use)?;
        all_linked &= was_linked || !first_use;
        // A link is the file found in place; anything else is timed as it now is.
        let modified_ns = match found.filter(|_| was_linked) {
            Some(found) => found,
            None => modified_ns(&fs::metadata(&target).at(&target)?),
        };
        times.push(modified_ns);
        placed.push(target);
    }
    kill_point::reached("switch: next tree built");
    let manifest = installed_manifest(job, placements, &times);
    placed.push(job.place.journal_switch(&manifest)?);
    content::flush_files(&job.place.root, &placed)?;
    kill_point::reached("switch: journalled");
    job.place.switch_journalled()?;
    // Committed: a seed not kept costs the next run its links, and fails nothing now.
    if all_linked {
        let files = placements.iter().map(|p| p.path.as_str());
        let _ = seed::keep_as_seed(&job.place, &kept, files);
    }
    let _ = job.place.remove_leftovers(&HashSet::new());
    Ok(())
}

/// The files the new tree takes from the live one, and its folders.
fn kept_from_tree<'p>(job: &'p Job<'_>, placements: &'p [Placement]) -> Kept<'p> {
    let files = placements.iter().filter_map(|p| match p.origin {
        Origin::Tree(InPlace {
            identity: Some(identity),
            ..
        }) => Some((p.path.as_str(), identity)),
        _ => None,
    });
    // A manifest names every folder; the files' own folders are added all the same, as a folder
    // the seed lacks would take its kept files with it.
    let parents = files_of(job.manifest).flat_map(|(path, _, _)| {
        let ends = path.match_indices('/').map(|(end, _)| end);
        ends.map(move |end| &path[..end])
    });
    Kept {
        files: files.collect(),
        folders: folders_of(job.manifest).chain(parents).collect(),
    }
}

/// A hard link shares the verified bytes at no cost; where links are not to be had (FAT, some
/// shares), a verified copy through a temp file, so that the target is whole or absent.
/// Returns whether it linked.
fn place_file(
    from: &Path,
    placement: &Placement,
    target: &Path,
    staging: &Path,
    may_link: bool,
) -> Result<bool> {
    if may_link && fs::hard_link(from, target).is_ok() {
        return Ok(true);
    }
    let temp = staging.join(format!("{}.{}.copy", placement.sha256, std::process::id()));
    let _ = fs::remove_file(&temp);
    let never_cancel = AtomicBool::new(false);
    content::copy_verified(
        from,
        &placement.sha256,
        placement.size,
        &temp,
        &|_| {},
        &never_cancel,
    )?;
    fs::rename(&temp, target).at(target)?;
    Ok(false)
}

/// The manifest of the tree the placements made, each file with its modification time there.
fn installed_manifest(
    job: &Job<'_>,
    placements: &[Placement],
    times: &[u128],
) -> InstalledManifest {
    let files = placements
        .iter()
        .zip(times)
        .map(|(placement, &modified_ns)| InstalledFile {
            path: placement.path.clone(),
            sha256: placement.sha256.clone(),
            size: placement.size,
            modified_ns,
        })
        .collect();
    InstalledManifest {
        package_id: job.place.package_id.clone(),
        content_version: job.content_version,
        folders: folders_of(job.manifest).map(str::to_string).collect(),
        files,
    }
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
