//! Content validation (Configuration Manager's Validate): re-hash what a distribution point
//! holds against the manifest installed there.

use std::collections::HashSet;
use std::fs;
use std::ops::ControlFlow;
use std::path::Path;
use std::sync::atomic::AtomicBool;
use std::sync::Mutex;

use super::layout::{walk, InstalledManifest, PointPackage, TreeListing};
use super::ValidationReport;
use crate::content;
use crate::error::{Error, ErrorKind, Result};
use crate::jobs;
use crate::logging;
use crate::model::Package;
use crate::progress::{Operation, Phase, Progress, ProgressFn, Throttle};
use crate::site::Site;

/// Re-hashes every file of a package on a distribution point and reports each missing, altered
/// and unexpected file. A point that does not match is recorded as Failed with what was found;
/// one that matches the package's current version, as Installed.
pub fn validate(
    site: &Site,
    package_id: &str,
    point_name: &str,
    progress: &mut ProgressFn<'_>,
) -> Result<ValidationReport> {
    let _log = site.log_scope();
    let report = validate_logged(site, package_id, point_name, progress);
    let report = crate::logging::failure(
        "distribution",
        &format!("validating {package_id} on {point_name}"),
        report,
    )?;
    if report.valid {
        log::info!(target: "distribution", "{package_id} on {point_name} is valid: {} files checked", report.files_checked);
    } else {
        log::warn!(
            target: "distribution",
            "{package_id} on {point_name} is not valid: {} missing, {} altered, {} unexpected, {} links",
            report.missing.len(), report.altered.len(), report.unexpected.len(), report.links.len()
        );
    }
    Ok(report)
}

fn validate_logged(
    site: &Site,
    package_id: &str,
    point_name: &str,
    progress: &mut ProgressFn<'_>,
) -> Result<ValidationReport> {
    let package = site.db().require_package(package_id)?;
    let point = super::get_point(site, point_name)?;
    let place = PointPackage::on_point(&point, &package.id);
    let lock = match place.lock_for_reading(&point.name) {
        Err(error @ Error::NotFound { .. }) => {
            record_not_there(site, &package.id, &point.name, &error)?;
            return Err(error);
        }
        lock => lock?,
    };
    if lock.writable {
        // A switch a crash cut short is finished first: validation reports what is there.
        place.prepare_folders(false)?;
        place.finish_switch()?;
    }
    let Some(installed) = place.installed() else {
        let error = Error::not_found_on(
            "package",
            &package.id,
            format!("distribution point '{}'", point.name),
        );
        record_not_there(site, &package.id, &point.name, &error)?;
        return Err(error);
    };
    let report = check(&place, &installed, &point.name, progress)?;
    if lock.writable {
        distrust_altered(&place, installed, &report)?;
    }
    // Recorded while the lock is held: a distribution that takes it next queues after this,
    // and its row is never overwritten with what validation found before it.
    record_validation(site, &package, &point.name, &report)?;
    Ok(report)
}

fn record_validation(
    site: &Site,
    package: &Package,
    point_name: &str,
    report: &ValidationReport,
) -> Result<()> {
    site.db().write(|db| {
        if db
            .distributions(Some(&package.id), Some(point_name))?
            .is_empty()
        {
            return Ok(());
        }
        if !report.valid {
            return db.fail_distribution(
                &package.id,
                point_name,
                &summary(report),
                ErrorKind::DamagedContent,
                None,
            );
        }
        if report.content_version == package.content_version {
            return db.finish_distribution(&package.id, point_name, report.content_version, None);
        }
        Ok(())
    })
}

/// A package the site holds as distributed to a point where it no longer is (removed by hand,
/// or its share not mounted) is recorded as Failed, as any point found not to match.
fn record_not_there(site: &Site, package_id: &str, point_name: &str, error: &Error) -> Result<()> {
    site.db().write(|db| {
        // A run under way elsewhere (another session's mapped drive) says for itself how it ends.
        let rows = db.distributions(Some(package_id), Some(point_name))?;
        if rows.first().is_none_or(|row| row.state.is_running()) {
            return Ok(());
        }
        db.fail_distribution(
            package_id,
            point_name,
            &format!("validation: {error}"),
            error.kind(),
            None,
        )
    })
}

fn check(
    place: &PointPackage,
    installed: &InstalledManifest,
    point_name: &str,
    progress: &mut ProgressFn<'_>,
) -> Result<ValidationReport> {
    let tree = place.tree();
    let bytes_total: u64 = installed.files.iter().map(|f| f.size).sum();
    let mut bytes_done = 0u64;
    let mut throttle = Throttle::default();
    let mut report = |bytes: u64, progress: &mut ProgressFn<'_>| {
        bytes_done += bytes;
        if !throttle.due(bytes_done == bytes_total) {
            return ControlFlow::Continue(());
        }
        progress(&Progress {
            package_id: &place.package_id,
            distribution_point: point_name,
            bytes_done,
            bytes_total,
            files_total: installed.files.len() as u64,
            ..Progress::new(Operation::Validate, Phase::Validating)
        })
    };
    if report(0, progress) == ControlFlow::Break(()) {
        return Err(Error::Cancelled);
    }
    let listing = walk(&tree)?;
    let (mut missing, mut altered) = compare_files(&tree, &listing, installed, &mut |bytes| {
        report(bytes, progress)
    })?;
    let mut unexpected = unexpected_entries(&listing, installed);
    let mut links = listing.links;
    for list in [&mut missing, &mut altered, &mut unexpected, &mut links] {
        list.sort();
    }
    let valid =
        missing.is_empty() && altered.is_empty() && unexpected.is_empty() && links.is_empty();
    Ok(ValidationReport {
        package_id: place.package_id.clone(),
        distribution_point: point_name.to_string(),
        content_version: installed.content_version,
        files_checked: installed.files.len() as u64,
        missing,
        altered,
        unexpected,
        links,
        valid,
    })
}

/// Hashes every file of the manifest on the point, largest first, on every core: the files that
/// are missing (or not regular files reached through real folders), and those whose content
/// differs.
fn compare_files(
    tree: &Path,
    listing: &TreeListing,
    installed: &InstalledManifest,
    on_bytes: &mut dyn FnMut(u64) -> ControlFlow<()>,
) -> Result<(Vec<String>, Vec<String>)> {
    let regular: HashSet<&str> = listing.files.iter().map(|f| f.path.as_str()).collect();
    let missing = Mutex::new(Vec::new());
    let altered = Mutex::new(Vec::new());
    let mut files: Vec<_> = installed.files.iter().collect();
    files.sort_by_key(|f| std::cmp::Reverse(f.size));
    let cancel = AtomicBool::new(false);
    jobs::for_each(
        &files,
        jobs::cores(),
        &cancel,
        &logging::for_workers(),
        |file, report_bytes| {
            // Only a regular file reached through real folders is the file: no link is followed.
            if !regular.contains(file.path.as_str()) {
                missing.lock().map(|mut m| m.push(file.path.clone())).ok();
                return Ok(());
            }
            let path = tree.join(&file.path);
            let matches = fs::symlink_metadata(&path).is_ok_and(|m| m.len() == file.size)
                && content::hash_file(&path, report_bytes, &cancel)?.0 == file.sha256;
            if !matches {
                altered.lock().map(|mut a| a.push(file.path.clone())).ok();
            }
            Ok(())
        },
        on_bytes,
    )?;
    Ok((
        missing.into_inner().unwrap_or_default(),
        altered.into_inner().unwrap_or_default(),
    ))
}

/// The files and folders on the point that the manifest does not have.
fn unexpected_entries(listing: &TreeListing, installed: &InstalledManifest) -> Vec<String> {
    let expected: HashSet<&str> = installed
        .files
        .iter()
        .map(|f| f.path.as_str())
        .chain(installed.folders.iter().map(String::as_str))
        .collect();
    let files = listing.files.iter().map(|f| &f.path);
    files
        .chain(&listing.folders)
        .filter(|p| !expected.contains(p.as_str()))
        .cloned()
        .collect()
}

/// Files found altered lose their quick check on the point, so that the next distribution hashes
/// them and copies them again, whatever size and time they show.
fn distrust_altered(
    place: &PointPackage,
    mut installed: InstalledManifest,
    report: &ValidationReport,
) -> Result<()> {
    if report.altered.is_empty() {
        return Ok(());
    }
    let altered: HashSet<&str> = report.altered.iter().map(String::as_str).collect();
    for file in &mut installed.files {
        if altered.contains(file.path.as_str()) {
            file.modified_ns = 0;
        }
    }
    place.rewrite_installed(&installed)
}

fn summary(report: &ValidationReport) -> String {
    let mut parts = Vec::new();
    for (what, paths) in [
        ("missing", &report.missing),
        ("altered", &report.altered),
        ("unexpected", &report.unexpected),
        ("links, not followed", &report.links),
    ] {
        if !paths.is_empty() {
            let shown: Vec<&str> = paths.iter().take(5).map(String::as_str).collect();
            let more = if paths.len() > 5 { ", …" } else { "" };
            parts.push(format!(
                "{} {what} ({}{more})",
                paths.len(),
                shown.join(", ")
            ));
        }
    }
    format!("validation found {}", parts.join("; "))
}
