//! Walking a setup source folder: every file and folder below it, links refused, never followed.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use crate::error::{Error, IoContext, Result};

/// A file or folder of a source tree.
#[derive(Debug, Clone)]
pub struct SourceEntry {
    /// Path below the source root, `/`-separated, as recorded in manifests.
    pub relative: String,
    pub path: PathBuf,
    pub is_folder: bool,
    pub size: u64,
    pub modified: Option<SystemTime>,
}

/// Lists every file and folder below `root`, folders before their contents, by name.
/// Links and reparse points are refused, never followed: a package holds only what is
/// inside its source folder.
pub fn scan_tree(root: &Path) -> Result<Vec<SourceEntry>> {
    let mut entries = Vec::new();
    scan_folder(root, "", &mut entries)?;
    Ok(entries)
}

fn scan_folder(folder: &Path, prefix: &str, entries: &mut Vec<SourceEntry>) -> Result<()> {
    let mut children: Vec<_> = fs::read_dir(folder)
        .at(folder)?
        .collect::<std::io::Result<_>>()
        .at(folder)?;
    children.sort_by_key(|c| c.file_name());
    for child in children {
        let path = child.path();
        let name = child.file_name().into_string().map_err(|_| {
            Error::invalid_argument(
                "source_path",
                format!("{}: the name is not valid Unicode", path.display()),
            )
        })?;
        if let Some(flaw) = windows_name_flaw(&name) {
            return Err(Error::invalid_argument(
                "source_path",
                format!("{}: Windows cannot hold this name: {flaw}", path.display()),
            ));
        }
        let metadata = fs::symlink_metadata(&path).at(&path)?;
        if is_link(&metadata) {
            return Err(Error::invalid_argument(
                "source_path",
                format!(
                    "{} is a symbolic link or reparse point; links are not followed out of the source",
                    path.display()
                ),
            ));
        }
        let relative = format!("{prefix}{name}");
        let is_folder = metadata.is_dir();
        entries.push(SourceEntry {
            relative: relative.clone(),
            path: path.clone(),
            is_folder,
            size: if is_folder { 0 } else { metadata.len() },
            modified: metadata.modified().ok(),
        });
        if is_folder {
            scan_folder(&path, &format!("{relative}/"), entries)?;
        } else if !metadata.is_file() {
            return Err(Error::invalid_argument(
                "source_path",
                format!("{} is not a regular file or folder", path.display()),
            ));
        }
    }
    Ok(())
}

/// Names Windows reserves for devices, with or without an extension.
const RESERVED_NAMES: [&str; 22] = [
    "CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8",
    "COM9", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
];

/// Why a file name of a source could not be a name on a Windows distribution point (or on the
/// setup medium), if it could not: a package is content for Windows, and a point on a Windows
/// share would refuse or alter such a name halfway through a distribution.
fn windows_name_flaw(name: &str) -> Option<&'static str> {
    if name.encode_utf16().count() > 255 {
        return Some("longer than 255 characters");
    }
    if name.ends_with('.') || name.ends_with(' ') {
        return Some("it ends with a dot or a space");
    }
    if name
        .chars()
        .any(|c| c < ' ' || matches!(c, '<' | '>' | ':' | '"' | '\\' | '|' | '?' | '*'))
    {
        return Some("it holds a control character or one of < > : \" \\ | ? *");
    }
    let stem = name.split('.').next().unwrap_or(name).trim_end();
    if RESERVED_NAMES.iter().any(|r| r.eq_ignore_ascii_case(stem)) {
        return Some("Windows reserves it for a device (CON, NUL, COM1, ...)");
    }
    None
}

/// A symbolic link, junction or other reparse point: never followed.
#[cfg(windows)]
pub(crate) fn is_link(metadata: &fs::Metadata) -> bool {
    use std::os::windows::fs::MetadataExt;
    const FILE_ATTRIBUTE_REPARSE_POINT: u32 = 0x400;
    metadata.file_type().is_symlink()
        || metadata.file_attributes() & FILE_ATTRIBUTE_REPARSE_POINT != 0
}

/// A symbolic link: never followed.
#[cfg(not(windows))]
pub(crate) fn is_link(metadata: &fs::Metadata) -> bool {
    metadata.file_type().is_symlink()
}
