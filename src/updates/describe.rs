//! What an update file is: its KB, architecture and the rest, from a catalog file's entry or
//! else from the file name Microsoft gives it (`windows10.0-kb5034441-x64_<hash>.msu`); and
//! whether it is a cabinet at all (an .msu is one too).

use std::collections::HashMap;
use std::path::Path;

use serde::Deserialize;

use crate::error::{Error, IoContext, Result};
use crate::model::UpdateClassification;

/// What is known of an update before its file is hashed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Description {
    pub kb: String,
    pub title: String,
    pub classification: UpdateClassification,
    pub architecture: String,
    pub product: String,
    pub builds: Vec<u32>,
    pub release_date: String,
    pub supersedes: Vec<String>,
}

/// One entry of a catalog file; everything but `fileName` is optional and wins over the name.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(super) struct CatalogEntry {
    pub file_name: String,
    pub kb: Option<String>,
    pub title: Option<String>,
    pub classification: Option<String>,
    pub architecture: Option<String>,
    pub product: Option<String>,
    pub builds: Option<Vec<u32>>,
    pub release_date: Option<String>,
    pub supersedes: Option<Vec<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CatalogFile {
    updates: Vec<CatalogEntry>,
}

/// A catalog file's entries by lower-case file name.
pub(super) fn read_catalog(path: &Path) -> Result<HashMap<String, CatalogEntry>> {
    let text = std::fs::read_to_string(path).at(path)?;
    let catalog: CatalogFile = serde_json::from_str(&text).map_err(|e| {
        Error::invalid_argument(
            "catalog_path",
            format!("{}: not an update catalog file: {e}", path.display()),
        )
    })?;
    if let Some(entry) = catalog
        .updates
        .iter()
        .find(|e| !is_bare_file_name(&e.file_name))
    {
        return Err(Error::invalid_argument(
            "catalog_path",
            format!(
                "{}: the entry for '{}' names a path; a catalog names each update by its file \
                 name alone, as it is in the folders imported",
                path.display(),
                entry.file_name
            ),
        ));
    }
    Ok(catalog
        .updates
        .into_iter()
        .map(|entry| (entry.file_name.to_lowercase(), entry))
        .collect())
}

/// A name with no folder, drive or parent in it, on Windows or elsewhere.
fn is_bare_file_name(name: &str) -> bool {
    !name.is_empty() && name != "." && name != ".." && !name.contains(['/', '\\', ':'])
}

const ARCHITECTURES: [&str; 4] = ["x86", "x64", "arm64", "arm"];

/// Describes the update file at `path` from its catalog entry, where there is one, and its name.
pub(super) fn describe(path: &Path, entry: Option<&CatalogEntry>) -> Result<Description> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    let entry = entry.cloned().unwrap_or_default();
    describe_from(&name, &entry)
        .map_err(|reason| Error::invalid_argument("paths", format!("{}: {reason}", path.display())))
}

/// What the catalog entry says of the update, or else its file name; the reason it is refused
/// when neither tells, or the entry is malformed.
fn describe_from(name: &str, entry: &CatalogEntry) -> std::result::Result<Description, String> {
    let kb = kb_of(name, entry)?;
    let architecture = architecture_of(name, entry)?;
    let product = entry
        .product
        .clone()
        .unwrap_or_else(|| product_in_name(name).to_string());
    let builds = entry.builds.clone().unwrap_or_default();
    if builds.is_empty() && product.is_empty() {
        return Err(
            "which Windows it is for is unknown: its name does not start with windows10.0- or windows11.0- and no catalog entry gives its builds".into(),
        );
    }
    let title = entry
        .title
        .clone()
        .unwrap_or_else(|| format!("Update for {} ({kb})", or_windows(&product)));
    Ok(Description {
        kb,
        title,
        classification: classification_of(entry)?,
        architecture,
        product,
        builds,
        release_date: release_date_of(entry)?,
        supersedes: supersedes_of(entry)?,
    })
}

fn kb_of(name: &str, entry: &CatalogEntry) -> std::result::Result<String, String> {
    match entry.kb.as_deref().map(normalize_kb) {
        Some(Some(kb)) => Ok(kb),
        Some(None) => Err("its catalog entry gives no KB number like KB5034441".into()),
        None => kb_in_name(name).ok_or_else(|| {
            "no KB number in its name (windows10.0-kb5034441-x64_….msu) and no catalog entry for it".into()
        }),
    }
}

fn architecture_of(name: &str, entry: &CatalogEntry) -> std::result::Result<String, String> {
    match entry.architecture.as_deref() {
        Some(a) if ARCHITECTURES.contains(&a.to_lowercase().as_str()) => Ok(a.to_lowercase()),
        Some(a) => Err(format!(
            "its catalog entry's architecture '{a}' is none of x86, x64, arm64, arm"
        )),
        None => architecture_in_name(name)
            .map(str::to_string)
            .ok_or_else(|| {
                "no architecture (x86, x64, arm64) in its name and no catalog entry for it".into()
            }),
    }
}

fn classification_of(entry: &CatalogEntry) -> std::result::Result<UpdateClassification, String> {
    let Some(text) = entry.classification.as_deref() else {
        return Ok(UpdateClassification::Other);
    };
    UpdateClassification::parse(text).ok_or_else(|| {
        format!(
            "its catalog entry's classification '{text}' is none of ServicingStack, Cumulative, SafeOs, Setup, Other"
        )
    })
}

fn release_date_of(entry: &CatalogEntry) -> std::result::Result<String, String> {
    let release_date = entry.release_date.clone().unwrap_or_default();
    if !release_date.is_empty() && !is_date(&release_date) {
        return Err(format!(
            "its catalog entry's releaseDate '{release_date}' is not YYYY-MM-DD"
        ));
    }
    Ok(release_date)
}

fn supersedes_of(entry: &CatalogEntry) -> std::result::Result<Vec<String>, String> {
    entry
        .supersedes
        .iter()
        .flatten()
        .map(|superseded| {
            normalize_kb(superseded).ok_or_else(|| {
                format!("its catalog entry supersedes '{superseded}', which is not a KB number")
            })
        })
        .collect()
}

fn or_windows(product: &str) -> &str {
    if product.is_empty() {
        "Windows"
    } else {
        product
    }
}

/// `kb5034441`, `KB5034441` or `5034441` becomes `KB5034441`.
pub(super) fn normalize_kb(text: &str) -> Option<String> {
    let trimmed = text.trim();
    let digits = trimmed
        .strip_prefix("KB")
        .or_else(|| trimmed.strip_prefix("kb"))
        .or_else(|| trimmed.strip_prefix("Kb"))
        .unwrap_or(trimmed);
    let valid = (4..=8).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit());
    valid.then(|| format!("KB{digits}"))
}

fn kb_in_name(name: &str) -> Option<String> {
    name.split(['-', '_', '.'])
        .filter(|part| part.starts_with("kb"))
        .find_map(normalize_kb)
}

fn architecture_in_name(name: &str) -> Option<&'static str> {
    let parts: Vec<&str> = name.split(['-', '_', '.']).collect();
    ARCHITECTURES
        .into_iter()
        .find(|arch| parts.contains(arch))
        .or_else(|| parts.contains(&"amd64").then_some("x64"))
}

fn product_in_name(name: &str) -> &'static str {
    if name.starts_with("windows10.0-") {
        "Windows 10"
    } else if name.starts_with("windows11.0-") {
        "Windows 11"
    } else {
        ""
    }
}

fn is_date(text: &str) -> bool {
    let parts: Vec<&str> = text.split('-').collect();
    let numbers: Vec<u32> = parts.iter().filter_map(|p| p.parse().ok()).collect();
    matches!(parts.as_slice(), [y, m, d] if y.len() == 4 && m.len() == 2 && d.len() == 2)
        && numbers.len() == 3
        && (1..=12).contains(&numbers[1])
        && (1..=31).contains(&numbers[2])
}

/// A whole cabinet: `MSCF`, its own length, version 1.3, and every data block of every folder
/// inside the file with the checksum it states (where it states one), as cabextract checks
/// them. An `.msu` is a cabinet too. Damage anywhere is found here, before anything is kept.
pub(super) fn check_cabinet(path: &Path) -> Result<()> {
    let bytes = std::fs::read(path).at(path)?;
    match cabinet_flaw(&bytes) {
        None => Ok(()),
        Some(flaw) => Err(not_an_update(path, flaw)),
    }
}

/// The refusal of a file that is not an update, saying why.
pub(super) fn not_an_update(path: &Path, reason: &str) -> Error {
    Error::invalid_argument(
        "paths",
        format!("{}: not an update file: {reason}", path.display()),
    )
}

const HEADER: usize = 36;
const RESERVE_PRESENT: u16 = 0x0004;
const PREVIOUS_CABINET: u16 = 0x0001;
const NEXT_CABINET: u16 = 0x0002;

const NOT_A_CABINET: &str =
    ".msu and .cab updates are cabinet files (MSCF), and this is not a whole one";
const OUTSIDE: &str = "a cabinet whose folders or data blocks lie outside it";
const DAMAGED: &str = "a cabinet whose data does not match its checksums: damaged";

/// What is wrong with a cabinet, if anything.
fn cabinet_flaw(bytes: &[u8]) -> Option<&'static str> {
    check_blocks(bytes).err()
}

fn check_blocks(bytes: &[u8]) -> std::result::Result<(), &'static str> {
    let u8_at = |at: usize| bytes.get(at).copied().ok_or(OUTSIDE);
    let u16_at = |at: usize| {
        bytes
            .get(at..at + 2)
            .map(|b| u16::from_le_bytes([b[0], b[1]]))
            .ok_or(OUTSIDE)
    };
    let u32_at = |at: usize| {
        bytes
            .get(at..at + 4)
            .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
            .ok_or(OUTSIDE)
    };
    let whole = bytes.len() >= HEADER
        && &bytes[..4] == b"MSCF"
        && bytes[4..8] == [0, 0, 0, 0]
        && u32_at(8) == Ok(bytes.len() as u32)
        && bytes[24] == 3
        && bytes[25] == 1;
    if !whole {
        return Err(NOT_A_CABINET);
    }
    let (folders, flags) = (u16_at(26)?, u16_at(30)?);
    let mut at = HEADER;
    let (mut folder_reserve, mut data_reserve) = (0usize, 0usize);
    if flags & RESERVE_PRESENT != 0 {
        let header_reserve = usize::from(u16_at(at)?);
        folder_reserve = usize::from(u8_at(at + 2)?);
        data_reserve = usize::from(u8_at(at + 3)?);
        at += 4 + header_reserve;
    }
    for flag in [PREVIOUS_CABINET, NEXT_CABINET] {
        if flags & flag != 0 {
            for _ in 0..2 {
                let rest = bytes.get(at..).ok_or(OUTSIDE)?;
                at += rest.iter().position(|&b| b == 0).ok_or(OUTSIDE)? + 1;
            }
        }
    }
    for folder in 0..usize::from(folders) {
        let entry = at + folder * (8 + folder_reserve);
        let mut block = u32_at(entry)? as usize;
        for _ in 0..u16_at(entry + 4)? {
            let (stated, length) = (u32_at(block)?, usize::from(u16_at(block + 4)?));
            let data_at = block + 8 + data_reserve;
            let data = bytes.get(data_at..data_at + length).ok_or(OUTSIDE)?;
            if stated != 0 && checksum(&bytes[block + 4..block + 8], checksum(data, 0)) != stated {
                return Err(DAMAGED);
            }
            block = data_at + length;
        }
    }
    Ok(())
}

/// The cabinet checksum (MS-CAB): the data's little-endian 32-bit words XORed into the seed,
/// then the last one to three bytes, the first one highest.
fn checksum(data: &[u8], seed: u32) -> u32 {
    let mut sum = seed;
    let mut words = data.chunks_exact(4);
    for word in &mut words {
        sum ^= u32::from_le_bytes([word[0], word[1], word[2], word[3]]);
    }
    let tail = words
        .remainder()
        .iter()
        .fold(0u32, |value, &byte| (value << 8) | u32::from(byte));
    sum ^ tail
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A catalog of any shape is refused or read, and each entry it gives is described or
    /// refused, never a panic.
    #[test]
    fn fuzz_catalog() {
        crate::fuzz::fuzz_file("catalog", "json", |file| {
            if let Ok(entries) = read_catalog(file) {
                for (name, entry) in &entries {
                    let _ = describe_from(name, entry);
                }
            }
        });
    }

    /// Cabinet headers that lie about their folders and blocks are refused, never read past.
    #[test]
    fn fuzz_cabinet_header() {
        crate::fuzz::fuzz("cabinet", |bytes| {
            let _ = cabinet_flaw(bytes);
        });
    }

    #[test]
    fn reads_kb_architecture_and_product_from_microsoft_file_names() {
        let cases = [
            (
                "windows10.0-kb5034441-x64_a1b2c3.msu",
                "KB5034441",
                "x64",
                "Windows 10",
            ),
            (
                "windows11.0-kb5036893-arm64_d4e5.msu",
                "KB5036893",
                "arm64",
                "Windows 11",
            ),
            (
                "Windows10.0-KB5031539-x86.cab",
                "KB5031539",
                "x86",
                "Windows 10",
            ),
        ];
        for (name, kb, arch, product) in cases {
            let d = describe(Path::new(name), None).expect(name);
            assert_eq!(
                (d.kb.as_str(), d.architecture.as_str(), d.product.as_str()),
                (kb, arch, product)
            );
            assert_eq!(d.classification, UpdateClassification::Other);
        }
    }

    #[test]
    fn refuses_names_without_kb_architecture_or_product() {
        for name in [
            "windows10.0-x64.msu",
            "windows10.0-kb5034441.msu",
            "kb5034441-x64.msu",
        ] {
            let error = describe(Path::new(name), None).unwrap_err().to_string();
            assert!(error.starts_with("paths: "), "{error}");
            assert!(error.contains(name), "{error}");
        }
    }

    #[test]
    fn a_catalog_entry_wins_over_the_name() {
        let entry = CatalogEntry {
            file_name: "ssu.cab".into(),
            kb: Some("5031539".into()),
            architecture: Some("X64".into()),
            classification: Some("servicingstack".into()),
            builds: Some(vec![19044, 19045]),
            supersedes: Some(vec!["kb5030000".into()]),
            ..Default::default()
        };
        let d = describe(Path::new("ssu.cab"), Some(&entry)).unwrap();
        assert_eq!(d.kb, "KB5031539");
        assert_eq!(d.architecture, "x64");
        assert_eq!(d.classification, UpdateClassification::ServicingStack);
        assert_eq!(d.builds, vec![19044, 19045]);
        assert_eq!(d.supersedes, vec!["KB5030000".to_string()]);
        let bad = CatalogEntry {
            release_date: Some("2024-13-01".into()),
            ..entry
        };
        assert!(describe(Path::new("ssu.cab"), Some(&bad)).is_err());
    }
}
