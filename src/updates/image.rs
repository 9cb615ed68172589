//! The updates an image holds: its servicing packages, `Windows/servicing/Packages/*.mum`.
//! Only some are named for their KB (`Package_for_KB…`); a cumulative update is
//! `Package_for_RollupFix~…~19041.1415.….mum`, a servicing stack `Package_for_ServicingStack_…`,
//! so the KB comes from each manifest's `<package identifier="KB…">`, and the build from its
//! assembly identity's version. The image's directory is compressed metadata: wimlib reads it
//! (the `wimlib-imagex` program, `$OSUPGRADE_WIMLIB_IMAGEX` or on the PATH). Where wimlib is
//! absent (Windows, usually) the list stays unread until the dism engine mounts the image and
//! the manifests are read from the mounted folder.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::error::{Error, IoContext, Result};

/// One update the image holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct HeldUpdate {
    pub kb: String,
    /// `19041.1415`, from the package's version; "" when it gives none.
    pub build: String,
}

/// Where an image keeps the manifests of the packages it holds.
pub(crate) const PACKAGES_FOLDER: &str = "Windows/servicing/Packages";

/// The wimlib program, if this machine has it: looked for once per process.
pub(crate) fn wimlib_imagex() -> Option<PathBuf> {
    static PROGRAM: once_cell::sync::Lazy<Option<PathBuf>> = once_cell::sync::Lazy::new(|| {
        let program = std::env::var_os("OSUPGRADE_WIMLIB_IMAGEX")
            .filter(|p| !p.is_empty())
            .map_or_else(|| PathBuf::from("wimlib-imagex"), PathBuf::from);
        let found = Command::new(&program)
            .arg("--version")
            .output()
            .is_ok_and(|out| out.status.success());
        found.then_some(program)
    });
    PROGRAM.clone()
}

/// Reads the updates image `index` of `wim` holds; `None` where wimlib is absent.
pub(crate) fn read_held_updates(
    wim: &Path,
    index: u32,
    scratch: &Path,
) -> Result<Option<Vec<HeldUpdate>>> {
    let pattern = format!("/{PACKAGES_FOLDER}/*.mum");
    let what = "list the servicing packages";
    let Some(folder) = extract(
        wim,
        index,
        &pattern,
        &scratch.join(format!("mum-{index}")),
        what,
    )?
    else {
        return Ok(None);
    };
    let held = read_package_manifests(&folder);
    let _ = fs::remove_dir_all(&folder);
    held.map(Some)
}

/// Where an install image keeps its WinRE image.
pub(crate) const WINRE_FOLDER: &str = "Windows/System32/Recovery";

/// Copies the WinRE image out of image `index` of `wim` into `scratch`; `None` when the index
/// has none, or where wimlib is absent.
pub(crate) fn extract_winre(wim: &Path, index: u32, scratch: &Path) -> Result<Option<PathBuf>> {
    let pattern = format!("/{WINRE_FOLDER}/*.wim");
    let what = "read the WinRE image";
    match extract(
        wim,
        index,
        &pattern,
        &scratch.join(format!("winre-{index}")),
        what,
    )? {
        Some(folder) => find_winre(&folder),
        None => Ok(None),
    }
}

/// Extracts what `pattern` matches in image `index` of `wim` into `folder` (emptied first);
/// `None` where wimlib is absent. `what` says, in an error, what could not be done.
fn extract(
    wim: &Path,
    index: u32,
    pattern: &str,
    folder: &Path,
    what: &str,
) -> Result<Option<PathBuf>> {
    let Some(program) = wimlib_imagex() else {
        return Ok(None);
    };
    let _ = fs::remove_dir_all(folder);
    fs::create_dir_all(folder).at(folder)?;
    let output = Command::new(&program)
        .arg("extract")
        .arg(wim)
        .arg(index.to_string())
        .arg(pattern)
        .arg(format!("--dest-dir={}", folder.display()))
        .args(["--no-acls", "--no-attributes", "--nullglob"])
        .output()
        .at(&program)?;
    if !output.status.success() {
        let _ = fs::remove_dir_all(folder);
        return Err(Error::InvalidImage {
            path: wim.to_path_buf(),
            reason: format!(
                "wimlib could not {what} of image {index}: {}",
                String::from_utf8_lossy(&output.stderr).trim()
            ),
        });
    }
    Ok(Some(folder.to_path_buf()))
}

/// The WinRE image in a folder (an extracted or mounted Recovery folder), in any letter case.
pub(crate) fn find_winre(folder: &Path) -> Result<Option<PathBuf>> {
    let Ok(entries) = fs::read_dir(folder) else {
        return Ok(None);
    };
    for entry in entries {
        let path = entry.at(folder)?.path();
        let named = path
            .file_name()
            .is_some_and(|n| n.to_string_lossy().eq_ignore_ascii_case("winre.wim"));
        if named && path.is_file() {
            return Ok(Some(path));
        }
    }
    Ok(None)
}

/// Reads every `.mum` in `folder` (an extracted or mounted `Windows/servicing/Packages`); one
/// entry per KB, with the highest build its packages give.
pub(crate) fn read_package_manifests(folder: &Path) -> Result<Vec<HeldUpdate>> {
    let mut by_kb: BTreeMap<String, String> = BTreeMap::new();
    for entry in fs::read_dir(folder).at(folder)? {
        let path = entry.at(folder)?.path();
        let is_manifest = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("mum"));
        if !is_manifest {
            continue;
        }
        let bytes = fs::read(&path).at(&path)?;
        if let Some(held) = parse_manifest(&bytes) {
            let build = by_kb.entry(held.kb).or_default();
            if build_key(&held.build) > build_key(build) {
                *build = held.build;
            }
        }
    }
    Ok(by_kb
        .into_iter()
        .map(|(kb, build)| HeldUpdate { kb, build })
        .collect())
}

fn build_key(build: &str) -> Vec<u32> {
    build.split('.').filter_map(|p| p.parse().ok()).collect()
}

/// The KB and build of one package manifest; `None` for a package that names no KB (a
/// language pack, a feature) or a file that is no manifest.
pub(crate) fn parse_manifest(bytes: &[u8]) -> Option<HeldUpdate> {
    parse_package_identity(bytes).map(|identity| HeldUpdate {
        kb: identity.kb,
        build: identity.build,
    })
}

/// What a package manifest says the package is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PackageIdentity {
    /// From `<package identifier="KB…">`.
    pub kb: String,
    /// `19041.3930`, from the assembly identity's version; "" when it gives none.
    pub build: String,
    /// The assembly identity's name: `Package_for_RollupFix`, `Package_for_ServicingStack_3920`.
    pub name: String,
    /// The assembly identity's `processorArchitecture`, as Windows spells it (amd64, x86, arm64).
    pub processor_architecture: String,
}

/// The identity of one package manifest; `None` for a package that names no KB or a file
/// that is no manifest.
pub(crate) fn parse_package_identity(bytes: &[u8]) -> Option<PackageIdentity> {
    let text = decode(bytes)?;
    let document = roxmltree::Document::parse(&text).ok()?;
    let root = document.root_element();
    let package = root.children().find(|n| {
        n.has_tag_name(("urn:schemas-microsoft-com:asm.v3", "package"))
            || n.tag_name().name() == "package"
    })?;
    let kb = super::describe::normalize_kb(package.attribute("identifier")?)?;
    let identity = root
        .children()
        .find(|n| n.tag_name().name() == "assemblyIdentity");
    let attribute = |name: &str| {
        identity
            .and_then(|n| n.attribute(name))
            .unwrap_or("")
            .to_string()
    };
    let version = attribute("version");
    let build: Vec<&str> = version.split('.').take(2).collect();
    Some(PackageIdentity {
        kb,
        build: if build.len() == 2 {
            build.join(".")
        } else {
            String::new()
        },
        name: attribute("name"),
        processor_architecture: attribute("processorArchitecture"),
    })
}

/// Manifests are UTF-8, with or without a byte order mark, or UTF-16 with one.
fn decode(bytes: &[u8]) -> Option<String> {
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        let units: Vec<u16> = rest
            .chunks_exact(2)
            .map(|p| u16::from_le_bytes([p[0], p[1]]))
            .collect();
        return String::from_utf16(&units).ok();
    }
    let bytes = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
    String::from_utf8(bytes.to_vec()).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fuzz_update_manifest() {
        crate::fuzz::fuzz("manifest", |bytes| {
            let _ = parse_package_identity(bytes);
        });
    }

    fn manifest(name: &str, version: &str, identifier: &str) -> String {
        format!(
            r#"<?xml version="1.0" encoding="utf-8" standalone="yes"?>
<assembly xmlns="urn:schemas-microsoft-com:asm.v3" manifestVersion="1.0">
  <assemblyIdentity name="{name}" version="{version}" language="neutral" processorArchitecture="amd64" publicKeyToken="31bf3856ad364e35"/>
  <package identifier="{identifier}" releaseType="Security Update"><update name="x"/></package>
</assembly>"#
        )
    }

    #[test]
    fn reads_the_kb_from_the_package_not_the_file_name() {
        let rollup = manifest("Package_for_RollupFix", "19041.1415.1.7", "KB5008212");
        assert_eq!(
            parse_manifest(rollup.as_bytes()),
            Some(HeldUpdate {
                kb: "KB5008212".into(),
                build: "19041.1415".into()
            })
        );
        let with_bom = [&[0xEF, 0xBB, 0xBF][..], rollup.as_bytes()].concat();
        assert!(parse_manifest(&with_bom).is_some());
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain(rollup.encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        assert!(parse_manifest(&utf16).is_some());
        let feature = manifest("Microsoft-Windows-Foo-Package", "10.0.19041.1", "Foo");
        assert_eq!(parse_manifest(feature.as_bytes()), None);
        assert_eq!(parse_manifest(b"not xml"), None);
    }
}
