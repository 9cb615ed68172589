//! One import pipeline: a tree (a setup source, or a serviced image's output) becomes a
//! content version of a package. The version is recorded as importing, owned by this library
//! instance, while its files are hashed into the library; making it current is one
//! transaction; a failed import is dropped with the content only it brought.

use std::collections::HashMap;
use std::ops::ControlFlow;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use crate::content::{SourceEntry, StageEvent, StagedBlob, CHUNKED_FILE};
use crate::db::{Db, EarlierFile};
use crate::error::{Error, Result};
use crate::model::FileRecord;
use crate::progress::{Operation, Phase, Progress, ProgressFn, Throttle};
use crate::site::Site;

/// Manifest rows are committed in batches of this many files, or after this long.
const BATCH_FILES: usize = 256;
const BATCH_AGE: Duration = Duration::from_millis(250);

/// Records the next content version of a package as importing, owned by this library
/// instance. An import of the same package that another process is running refuses it
/// (busy); one whose process died is dropped first.
pub(super) fn begin_import(site: &Site, id: &str, origin: &str) -> Result<i64> {
    let importer = site.library().importer()?;
    site.db().write(|db| {
        for running in db.importing_versions(Some(id))? {
            if site.library().importer_is_alive(&running.importer) {
                return Err(Error::Busy(format!(
                    "package {id} is being imported by another process (content version {})",
                    running.number
                )));
            }
            db.delete_content_version(id, running.number)?;
        }
        let next = db.last_content_version(id)? + 1;
        db.insert_importing_version(id, next, origin, &importer)?;
        Ok(next)
    })
}

/// Imports the files as `content_version`, then records what `record` writes in the same
/// transaction; `record` gets the (bytes, files) imported.
pub(super) fn import_and_record<T>(
    site: &Site,
    id: &str,
    content_version: i64,
    entries: &[SourceEntry],
    reporter: &mut Reporter<'_, '_>,
    record: impl FnOnce(&Db, (u64, u64)) -> Result<T>,
) -> Result<T> {
    let totals = import_content(site, id, content_version, entries, reporter)?;
    let (bytes, files) = totals;
    reporter.phase(Phase::Recording, "", (bytes, bytes), (files, files))?;
    site.db().write(|db| record(db, totals))
}

/// Hashes the files into the library and records them as the manifest of `content_version`;
/// returns (bytes, files).
fn import_content(
    site: &Site,
    id: &str,
    content_version: i64,
    entries: &[SourceEntry],
    reporter: &mut Reporter<'_, '_>,
) -> Result<(u64, u64)> {
    // Whatever a killed import left behind (its records, its blobs, its staged files) goes
    // before this one adds to the library.
    site.collect_garbage()?;
    let folders: Vec<FileRecord> = entries
        .iter()
        .filter(|e| e.is_folder)
        .map(|e| FileRecord {
            path: e.relative.clone(),
            sha256: None,
            size: 0,
        })
        .collect();
    site.db()
        .write(|db| db.insert_files(id, content_version, &folders))?;

    let files: Vec<&SourceEntry> = entries.iter().filter(|e| !e.is_folder).collect();
    let mut import = Import {
        site,
        id,
        content_version,
        files: &files,
        batch: Vec::new(),
        batch_started: Instant::now(),
        placed: Vec::new(),
    };
    let bytes_total: u64 = files.iter().map(|f| f.size).sum();
    let files_total = files.len() as u64;
    let (mut bytes_done, mut files_done) = (0u64, 0u64);
    let mut current = String::new();
    let earlier = site.db().current_large_files(id, CHUNKED_FILE)?;
    // A large file is kept as chunks once an earlier version of it is in the library: a first
    // add keeps it whole, which costs one hashing pass where cutting costs three.
    let as_chunks: Vec<bool> = files
        .iter()
        .map(|file| earlier.contains_key(&file.relative))
        .collect();
    let present = site.present_blobs()?;
    let mut staged = vec![String::new(); files.len()];
    site.library()
        .stage_files(&files, &as_chunks, &present, &mut |event| {
            match event {
                StageEvent::Bytes(bytes) => bytes_done = (bytes_done + bytes).min(bytes_total),
                StageEvent::Staged(index, blob) => {
                    files_done += 1;
                    staged[index].clone_from(&blob.sha256);
                    current.clone_from(&files[index].relative);
                    import.add(index, blob)?;
                }
            }
            reporter.send(
                Phase::Importing,
                &current,
                (bytes_done, bytes_total),
                (files_done, files_total),
                files_done == files_total,
            )?;
            Ok(ControlFlow::Continue(()))
        })?;
    import.flush()?;
    site.library().make_durable(&import.placed)?;
    keep_earlier_as_chunks(site, &earlier, &files, &staged);
    Ok((bytes_total, files_total))
}

/// Cuts into chunks the earlier versions, kept whole, of the files that changed (`staged`:
/// each file's content now): the two versions then share all but what changed. A cut that
/// fails leaves the earlier version whole and readable, and the import stands.
fn keep_earlier_as_chunks(
    site: &Site,
    earlier: &HashMap<String, EarlierFile>,
    files: &[&SourceEntry],
    staged: &[String],
) {
    let whole = files
        .iter()
        .zip(staged)
        .filter(|(file, _)| file.size >= CHUNKED_FILE)
        .filter_map(|(file, now)| earlier.get(&file.relative).filter(|e| e.sha256 != *now))
        .filter(|earlier| !earlier.chunked);
    for earlier in whole {
        if let Err(error) = site.keep_as_chunks(&earlier.sha256, earlier.size) {
            log::warn!(
                target: "package",
                "blob {} stays whole, not cut into chunks: {error}",
                earlier.sha256
            );
        }
    }
}

/// Staged blobs waiting for their manifest rows to be committed.
struct Import<'a> {
    site: &'a Site,
    id: &'a str,
    content_version: i64,
    files: &'a [&'a SourceEntry],
    batch: Vec<(usize, StagedBlob)>,
    batch_started: Instant,
    placed: Vec<PathBuf>,
}

impl Import<'_> {
    fn add(&mut self, index: usize, blob: StagedBlob) -> Result<()> {
        if self.batch.is_empty() {
            self.batch_started = Instant::now();
        }
        self.batch.push((index, blob));
        if self.batch.len() >= BATCH_FILES || self.batch_started.elapsed() >= BATCH_AGE {
            self.flush()?;
        }
        Ok(())
    }

    /// Commits the references first, then moves the blobs into place: a blob is never in the
    /// library unreferenced while an import relies on it.
    fn flush(&mut self) -> Result<()> {
        let records: Vec<FileRecord> = self
            .batch
            .iter()
            .map(|(index, blob)| FileRecord {
                path: self.files[*index].relative.clone(),
                sha256: Some(blob.sha256.clone()),
                size: blob.size,
            })
            .collect();
        let library = self.site.library();
        let recorded = self.site.db().write(|db| {
            db.insert_files(self.id, self.content_version, &records)?;
            let mut recorded = Vec::with_capacity(self.batch.len());
            for (_, blob) in &self.batch {
                let chunks = blob.chunks_to_record(library);
                if let Some(chunks) = &chunks {
                    db.insert_blob_chunks(&blob.sha256, chunks)?;
                }
                recorded.push(chunks.is_some());
            }
            Ok(recorded)
        })?;
        for ((index, blob), recorded) in self.batch.drain(..).zip(recorded) {
            let source = &self.files[index].path;
            self.placed
                .extend(library.commit_blob(blob, source, recorded)?);
        }
        Ok(())
    }
}

/// Deletes what a failed import recorded (the whole package when it was being added); the
/// blobs it brought are then unreferenced and go. The original failure is what the caller
/// reports, so failures here are left to the next collection.
pub(super) fn abandon_import(site: &Site, id: &str, number: i64) {
    let dropped = site.db().write(|db| {
        if db.package_state(id)?.as_deref() == Some("importing") {
            db.delete_package(id).map(drop)
        } else {
            db.delete_content_version(id, number)
        }
    });
    if dropped.is_ok() {
        let _ = site.collect_garbage();
    }
}

/// Reports an import's progress: the operation and package stay, the rest changes.
pub(super) struct Reporter<'r, 'p> {
    progress: &'r mut ProgressFn<'p>,
    operation: Operation,
    package_id: String,
    throttle: Throttle,
}

impl<'r, 'p> Reporter<'r, 'p> {
    pub(super) fn new(
        progress: &'r mut ProgressFn<'p>,
        operation: Operation,
        package_id: &str,
    ) -> Self {
        Reporter {
            progress,
            operation,
            package_id: package_id.to_string(),
            throttle: Throttle::default(),
        }
    }

    /// A report that always goes out (a new phase, the end of one).
    pub(super) fn phase(
        &mut self,
        phase: Phase,
        current_file: &str,
        bytes: (u64, u64),
        files: (u64, u64),
    ) -> Result<()> {
        self.send(phase, current_file, bytes, files, true)
    }

    /// A report that goes out when the throttle lets it, or when `forced`.
    fn send(
        &mut self,
        phase: Phase,
        current_file: &str,
        bytes: (u64, u64),
        files: (u64, u64),
        forced: bool,
    ) -> Result<()> {
        if !self.throttle.due(forced) {
            return Ok(());
        }
        let flow = (self.progress)(&Progress {
            package_id: &self.package_id,
            current_file,
            bytes_done: bytes.0,
            bytes_total: bytes.1,
            files_done: files.0,
            files_total: files.1,
            ..Progress::new(self.operation, phase)
        });
        match flow {
            ControlFlow::Continue(()) => Ok(()),
            ControlFlow::Break(()) => Err(Error::Cancelled),
        }
    }
}
