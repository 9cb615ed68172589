//! What an update file says of itself: the package manifest (`.mum`) in its cabinet, or in a
//! cabinet inside it (a real .msu nests the package's cabinet beside WSUSSCAN.cab). It is read
//! at import, with cabextract (expand.exe on Windows), and checked against what the file's name
//! and catalog entry say: a file whose manifest names another KB, another architecture or
//! another kind of update is refused before anything is kept.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use super::describe::{not_an_update, Description};
use super::image::{parse_package_identity, PackageIdentity};
use crate::error::{Error, IoContext, Result};
use crate::model::UpdateClassification;

/// The cabinet inside an .msu that only Windows Update's scan reads.
const SCAN_CABINET: &str = "wsusscan.cab";

/// Reads the package manifest of the update file at `path`, through the folder `scratch`
/// (made and removed here).
pub(super) fn read_package_manifest(path: &Path, scratch: &Path) -> Result<PackageIdentity> {
    let read = read_through(path, scratch);
    let _ = fs::remove_dir_all(scratch);
    read
}

fn read_through(path: &Path, scratch: &Path) -> Result<PackageIdentity> {
    let outer = scratch.join("outer");
    extract(path, "*.mum", &outer)?;
    let mut manifests = files_ending(&outer, ".mum")?;
    if manifests.is_empty() {
        extract(path, "*.cab", &outer)?;
        for (number, inner) in files_ending(&outer, ".cab")?.iter().enumerate() {
            if file_name(inner).eq_ignore_ascii_case(SCAN_CABINET) {
                continue;
            }
            let folder = scratch.join(format!("inner-{number}"));
            extract(inner, "*.mum", &folder)?;
            manifests.extend(files_ending(&folder, ".mum")?);
        }
    }
    // update.mum is the package's own manifest; the others are of its parts.
    manifests.sort_by_key(|m| !file_name(m).eq_ignore_ascii_case("update.mum"));
    let Some(first) = manifests.first() else {
        return Err(not_an_update(
            path,
            "it holds no package manifest (.mum), nor does a cabinet inside it",
        ));
    };
    for manifest in &manifests {
        let bytes = fs::read(manifest).at(manifest)?;
        if let Some(identity) = parse_package_identity(&bytes) {
            return Ok(identity);
        }
    }
    Err(not_an_update(
        path,
        &format!(
            "its package manifest {} cannot be read: it is not XML that names the package's KB",
            file_name(first)
        ),
    ))
}

/// Checks the manifest against what the name and catalog entry said, and takes from it what
/// they left open: the classification, where no catalog entry gave one.
pub(super) fn check_against_manifest(
    path: &Path,
    description: &mut Description,
    manifest: &PackageIdentity,
    classified_by_catalog: bool,
) -> Result<()> {
    if manifest.kb != description.kb {
        return Err(not_an_update(
            path,
            &format!(
                "its name or catalog entry says {}, but its package manifest says {}",
                description.kb, manifest.kb
            ),
        ));
    }
    if let Some(architecture) = architecture_of(&manifest.processor_architecture) {
        if architecture != description.architecture {
            return Err(not_an_update(
                path,
                &format!(
                    "its name or catalog entry says {}, but its package manifest is for {architecture} ({})",
                    description.architecture, manifest.processor_architecture
                ),
            ));
        }
    }
    let kind = kind_of(&manifest.name);
    if !classified_by_catalog {
        description.classification = kind.unwrap_or(UpdateClassification::Other);
        return Ok(());
    }
    // A catalog may refine a cumulative package (a Safe OS or Setup dynamic update is one);
    // it may not make a servicing stack of anything else, or anything else of one.
    let stack = UpdateClassification::ServicingStack;
    if kind.is_some_and(|kind| (kind == stack) != (description.classification == stack)) {
        return Err(not_an_update(
            path,
            &format!(
                "its catalog entry says {}, but its package manifest is a {}",
                description.classification.name(),
                manifest.name
            ),
        ));
    }
    Ok(())
}

/// The kind a package's assembly name gives: `Package_for_RollupFix` is a cumulative update,
/// `Package_for_ServicingStack_…` a servicing stack; other names say nothing.
fn kind_of(name: &str) -> Option<UpdateClassification> {
    let name = name.to_ascii_lowercase();
    if name.starts_with("package_for_rollupfix") {
        Some(UpdateClassification::Cumulative)
    } else if name.starts_with("package_for_servicingstack") {
        Some(UpdateClassification::ServicingStack)
    } else {
        None
    }
}

/// Windows' processor architecture names as the catalog spells them; `None` for one that
/// claims none (neutral, msil) or one of its own (wow64).
fn architecture_of(processor: &str) -> Option<&'static str> {
    match processor.to_ascii_lowercase().as_str() {
        "amd64" => Some("x64"),
        "x86" => Some("x86"),
        "arm64" => Some("arm64"),
        "arm" => Some("arm"),
        _ => None,
    }
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// The files below `folder` (which may not exist) whose names end with `suffix`, any case.
fn files_ending(folder: &Path, suffix: &str) -> Result<Vec<PathBuf>> {
    if !folder.is_dir() {
        return Ok(Vec::new());
    }
    let mut found: Vec<PathBuf> = crate::content::scan_tree(folder)?
        .into_iter()
        .filter(|e| !e.is_folder && e.relative.to_ascii_lowercase().ends_with(suffix))
        .map(|e| e.path)
        .collect();
    found.sort();
    Ok(found)
}

/// Copies the files of `cabinet` that match `pattern` into `folder`.
fn extract(cabinet: &Path, pattern: &str, folder: &Path) -> Result<()> {
    fs::create_dir_all(folder).at(folder)?;
    let mut command = extractor(cabinet, pattern, folder);
    let output = command.output().map_err(|e| {
        Error::io(
            Path::new(EXTRACTOR),
            std::io::Error::new(
                e.kind(),
                format!("{e}: update files are read with {EXTRACTOR} ({EXTRACTOR_SOURCE})"),
            ),
        )
    })?;
    if output.status.success() {
        return Ok(());
    }
    let said = String::from_utf8_lossy(&output.stderr);
    let last = said
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("");
    Err(not_an_update(
        cabinet,
        &format!("{EXTRACTOR} cannot read it ({})", last.trim()),
    ))
}

#[cfg(windows)]
const EXTRACTOR: &str = "expand.exe";
#[cfg(windows)]
const EXTRACTOR_SOURCE: &str = "part of Windows";
#[cfg(not(windows))]
const EXTRACTOR: &str = "cabextract";
#[cfg(not(windows))]
const EXTRACTOR_SOURCE: &str = "apt-get install cabextract";

#[cfg(windows)]
fn extractor(cabinet: &Path, pattern: &str, folder: &Path) -> Command {
    let mut command = Command::new(EXTRACTOR);
    command
        .arg(cabinet)
        .arg(format!("-F:{pattern}"))
        .arg(folder);
    command
}

#[cfg(not(windows))]
fn extractor(cabinet: &Path, pattern: &str, folder: &Path) -> Command {
    let mut command = Command::new(EXTRACTOR);
    command
        .arg("-q")
        .arg("-F")
        .arg(pattern)
        .arg("-d")
        .arg(folder)
        .arg(cabinet);
    command
}
