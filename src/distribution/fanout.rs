//! One read for many points: each blob that the jobs of a wave lack, and cannot build from what
//! their points hold, is read and hashed from the library once and written into the staging
//! folder of every one of those jobs.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Mutex;

use super::transfer::{blob_ref, named_damage, stage_copy, staging_temp, ChunkLists};
use super::transfer::{DistributionPlan, Job, JobEvent, JobFailure, Shared};
use crate::content::{BlobRef, ContentLibrary, WrittenFn};
use crate::error::{Error, Result};
use crate::jobs::ByteTally;
use crate::kill_point;
use crate::progress::Throttle;

/// A blob to copy once into the staging of each job that wants it.
pub(super) struct SharedCopy<'a> {
    blob: BlobRef<'a>,
    /// The jobs, by index, that lack it, each with a path of its package that has it (to name
    /// in errors).
    wanted_by: Vec<(usize, &'a str)>,
}

/// The copies of the planned jobs that no point can build from its earlier files, each blob
/// once, largest first, and a share per job to keep how they go for it. `plans` pairs each
/// job's index with its plan.
pub(super) fn shared_copies<'a>(
    jobs: &[Job<'_>],
    plans: &'a [(usize, DistributionPlan)],
    lists: &'a ChunkLists,
) -> (Vec<SharedCopy<'a>>, Vec<JobShare>) {
    let mut shares: Vec<JobShare> = jobs.iter().map(|_| JobShare::default()).collect();
    let mut copies: Vec<SharedCopy<'a>> = Vec::new();
    let mut by_hash: HashMap<&str, usize> = HashMap::new();
    for (index, plan) in plans {
        for copy in plan.copies_from_library() {
            let at = *by_hash.entry(&copy.sha256).or_insert_with(|| {
                copies.push(SharedCopy {
                    blob: blob_ref(lists, &copy.sha256, copy.size),
                    wanted_by: Vec::new(),
                });
                copies.len() - 1
            });
            copies[at].wanted_by.push((*index, &copy.path));
            shares[*index].files_wanted += 1;
        }
    }
    copies.sort_by_key(|c| std::cmp::Reverse(c.blob.size));
    (copies, shares)
}

/// How the shared copies went for one job, kept while they run.
#[derive(Default)]
pub(super) struct JobShare {
    files_wanted: u64,
    copied: AtomicU64,
    files: AtomicU64,
    failed: AtomicBool,
    bytes: ByteTally,
    pace: Mutex<Throttle>,
}

impl JobShare {
    pub(super) fn failed(&self) -> bool {
        self.failed.load(Ordering::Relaxed)
    }

    /// What the shared copies did for the job: read by its own copies and its status.
    pub(super) fn done(&self) -> Shared {
        Shared {
            copied: self.copied.load(Ordering::Relaxed),
            files: self.files.load(Ordering::Relaxed),
        }
    }

    /// Tells the bytes the job has not told yet.
    pub(super) fn tell_rest(self, tell: impl FnOnce(u64)) {
        self.bytes.tell_rest(tell);
    }
}

/// Copies `copy` from the library into the staging folder of every job that wants it and has
/// not failed. Returns the jobs it failed, each with why; a blob the library cannot give fails
/// them all.
pub(super) fn copy_to_each(
    jobs: &[Job<'_>],
    copy: &SharedCopy<'_>,
    shares: &[JobShare],
    tell: &(dyn Fn((usize, JobEvent)) + Sync),
    written: &AtomicU64,
    cancel: &AtomicBool,
) -> Vec<(usize, JobFailure)> {
    let wanting: Vec<(usize, &str)> = copy
        .wanted_by
        .iter()
        .copied()
        .filter(|&(index, _)| !shares[index].failed())
        .collect();
    let Some(&(first, _)) = wanting.first() else {
        return Vec::new();
    };
    let temps: Vec<PathBuf> = wanting
        .iter()
        .map(|&(index, _)| staging_temp(&jobs[index], copy.blob.sha256))
        .collect();
    let targets: Vec<&Path> = temps.iter().map(PathBuf::as_path).collect();
    // Each job counts what was written to its point, so one that drops out counts no more.
    let report = |target: usize, bytes| {
        kill_point::wrote(
            kill_point::CopyKind::Point,
            written.fetch_add(bytes, Ordering::Relaxed) + bytes,
        );
        let index = wanting[target].0;
        shares[index]
            .bytes
            .add(bytes, &|told| tell((index, JobEvent::Bytes(told))));
    };
    let outcomes = read_once_for_each(jobs[first].library, &copy.blob, &targets, &report, cancel);
    let failures: Vec<(usize, JobFailure)> = match outcomes {
        Ok(outcomes) => wanting
            .iter()
            .zip(outcomes)
            .filter_map(|(&(index, path), outcome)| {
                let staged = outcome.and_then(|()| stage_copy(&jobs[index], copy.blob.sha256));
                match staged {
                    Ok(()) => {
                        count_file(&shares[index], copy, path, index, tell);
                        None
                    }
                    Err(error) => Some((index, JobFailure::from(error))),
                }
            })
            .collect(),
        Err(error) => wanting
            .iter()
            .map(|&(index, path)| {
                let named = named_damage(&error, &jobs[index], path);
                (index, JobFailure::from(named.as_ref().unwrap_or(&error)))
            })
            .collect(),
    };
    for (index, _) in &failures {
        let share = &shares[*index];
        share.failed.store(true, Ordering::Relaxed);
        share
            .bytes
            .tell_untold(&|told| tell((*index, JobEvent::Bytes(told))));
    }
    failures
}

/// `export_blob_to_each`, tried once more when the library's read fails for a passing reason
/// (I/O), which would fail every point at once. Damage and a cancel are final.
fn read_once_for_each(
    library: &ContentLibrary,
    blob: &BlobRef<'_>,
    targets: &[&Path],
    written: WrittenFn<'_>,
    cancel: &AtomicBool,
) -> Result<Vec<Result<()>>> {
    let mut outcomes = Err(Error::Cancelled);
    for _ in 0..2 {
        if cancel.load(Ordering::Relaxed) {
            break;
        }
        outcomes = library.export_blob_to_each(blob, targets, written, cancel);
        if !outcomes
            .as_ref()
            .is_err_and(|e| matches!(e, Error::Io { .. }))
        {
            break;
        }
    }
    outcomes
}

/// Counts a staged file for its job, and tells the count at the pace progress is shown: waking
/// the calling thread for each of a thousand small files would cost more than copying some.
fn count_file(
    share: &JobShare,
    copy: &SharedCopy<'_>,
    path: &str,
    index: usize,
    tell: &(dyn Fn((usize, JobEvent)) + Sync),
) {
    share.copied.fetch_add(copy.blob.size, Ordering::Relaxed);
    let done = share.files.fetch_add(1, Ordering::Relaxed) + 1;
    let last = done == share.files_wanted;
    if share.pace.lock().is_ok_and(|mut pace| pace.due(last)) {
        tell((
            index,
            JobEvent::Files {
                done,
                current: path.to_string(),
            },
        ));
    }
}
