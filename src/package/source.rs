//! A Windows setup source folder as add and reload read it: setup.exe at its root,
//! sources/install.wim or install.esd, no links, no two names Windows would see as one.

use std::fs;
use std::path::{Path, PathBuf};

use super::import::Reporter;
use crate::content::SourceEntry;
use crate::error::{Error, IoContext, Result};
use crate::image::{self, ImageInfo};
use crate::progress::Phase;

/// A source path as the package records it: absolute, so that a reload from another working
/// directory finds it.
pub(super) fn absolute_source(path: &Path) -> Result<PathBuf> {
    if path.as_os_str().is_empty() {
        return Err(Error::invalid_argument(
            "source_path",
            "is empty: name a Windows setup source folder",
        ));
    }
    std::path::absolute(path).at(path)
}

/// A setup source folder, checked, walked, and its images read.
pub(super) struct SourceContent {
    pub entries: Vec<SourceEntry>,
    pub images: Vec<ImageInfo>,
}

pub(super) fn read_source(folder: &Path, reporter: &mut Reporter<'_, '_>) -> Result<SourceContent> {
    let image_path = check_source_folder(folder)?;
    reporter.phase(Phase::Scanning, "", (0, 0), (0, 0))?;
    let entries = crate::content::scan_tree(folder)?;
    refuse_names_windows_sees_as_one(folder, &entries)?;
    let image_name = display_relative(folder, &image_path);
    reporter.phase(Phase::ReadingImage, &image_name, (0, 0), (0, 0))?;
    let images = image::read_images(&image_path)?;
    Ok(SourceContent { entries, images })
}

/// Windows sees `Readme.txt` and `README.TXT` as one file, and `Café` written with a
/// precomposed é or with e and a combining accent look alike and are one name to file servers
/// that normalise: a package with both could not land whole on a point (and a Windows setup
/// source never has them).
fn refuse_names_windows_sees_as_one(folder: &Path, entries: &[SourceEntry]) -> Result<()> {
    let mut seen = std::collections::HashMap::new();
    for entry in entries {
        let identity = crate::content::windows_identity(&entry.relative);
        if let Some(first) = seen.insert(identity, &entry.relative) {
            return Err(Error::invalid_argument(
                "source_path",
                format!(
                    "{}: '{first}' and '{}' differ only in letter case or Unicode form, which a \
                     Windows point sees as one name",
                    folder.display(),
                    entry.relative
                ),
            ));
        }
    }
    Ok(())
}

/// Checks the folder the way setup needs it and returns its install image.
fn check_source_folder(folder: &Path) -> Result<PathBuf> {
    let metadata = fs::metadata(folder).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => {
            Error::not_found("source folder", folder.display().to_string())
        }
        _ => Error::io(folder, e),
    })?;
    let reject = |reason: &str| {
        Err(Error::invalid_argument(
            "source_path",
            format!("{}: {reason}", folder.display()),
        ))
    };
    if !metadata.is_dir() {
        return reject("is a file, not a Windows setup source folder");
    }
    if find_child(folder, "setup.exe", false)?.is_none() {
        return reject("no setup.exe at the root of the folder");
    }
    let Some(sources) = find_child(folder, "sources", true)? else {
        return reject("no sources folder (with install.wim or install.esd) in it");
    };
    for image in ["install.wim", "install.esd"] {
        if let Some(path) = find_child(&sources, image, false)? {
            return Ok(path);
        }
    }
    reject("no sources/install.wim or sources/install.esd in it")
}

/// Finds a file or folder by name in any letter case, as Windows would.
fn find_child(folder: &Path, name: &str, want_folder: bool) -> Result<Option<PathBuf>> {
    for entry in fs::read_dir(folder).at(folder)? {
        let entry = entry.at(folder)?;
        let file_type = entry.file_type().at(entry.path())?;
        let fits = if want_folder {
            file_type.is_dir()
        } else {
            file_type.is_file()
        };
        if fits
            && entry
                .file_name()
                .to_string_lossy()
                .eq_ignore_ascii_case(name)
        {
            return Ok(Some(entry.path()));
        }
    }
    Ok(None)
}

fn display_relative(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/")
}
