//! What an update file is: its KB, architecture and the rest, from a catalog file's entry or
//! else from the file name Microsoft gives it (`windows10.0-kb5034441-x64_<hash>.msu`); and
//! whether it is a cabinet at all (an .msu is one too).

use std::collections::HashMap;
use std::fs::File;
use std::io::Read;
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
    Ok(catalog
        .updates
        .into_iter()
        .map(|entry| (entry.file_name.to_lowercase(), entry))
        .collect())
}

const ARCHITECTURES: [&str; 4] = ["x86", "x64", "arm64", "arm"];

/// Describes the update file at `path` from its catalog entry, where there is one, and its name.
pub(super) fn describe(path: &Path, entry: Option<&CatalogEntry>) -> Result<Description> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    let refuse = |reason: String| {
        Err(Error::invalid_argument(
            "paths",
            format!("{}: {reason}", path.display()),
        ))
    };
    let entry = entry.cloned().unwrap_or_default();
    let kb = match entry.kb.as_deref().map(normalize_kb) {
        Some(Some(kb)) => kb,
        Some(None) => return refuse("its catalog entry gives no KB number like KB5034441".into()),
        None => match kb_in_name(&name) {
            Some(kb) => kb,
            None => {
                return refuse(
                    "no KB number in its name (windows10.0-kb5034441-x64_….msu) and no catalog entry for it".into(),
                )
            }
        },
    };
    let architecture = match entry.architecture.as_deref() {
        Some(a) if ARCHITECTURES.contains(&a.to_lowercase().as_str()) => a.to_lowercase(),
        Some(a) => {
            return refuse(format!(
                "its catalog entry's architecture '{a}' is none of x86, x64, arm64, arm"
            ))
        }
        None => match architecture_in_name(&name) {
            Some(a) => a.to_string(),
            None => {
                return refuse(
                    "no architecture (x86, x64, arm64) in its name and no catalog entry for it"
                        .into(),
                )
            }
        },
    };
    let product = entry
        .product
        .clone()
        .unwrap_or_else(|| product_in_name(&name).to_string());
    let builds = entry.builds.clone().unwrap_or_default();
    if builds.is_empty() && product.is_empty() {
        return refuse(
            "which Windows it is for is unknown: its name does not start with windows10.0- or windows11.0- and no catalog entry gives its builds".into(),
        );
    }
    let classification = match entry.classification.as_deref() {
        None => UpdateClassification::Other,
        Some(text) => match UpdateClassification::parse(text) {
            Some(c) => c,
            None => return refuse(format!(
                "its catalog entry's classification '{text}' is none of ServicingStack, Cumulative, SafeOs, Setup, Other"
            )),
        },
    };
    let release_date = entry.release_date.clone().unwrap_or_default();
    if !release_date.is_empty() && !is_date(&release_date) {
        return refuse(format!(
            "its catalog entry's releaseDate '{release_date}' is not YYYY-MM-DD"
        ));
    }
    let mut supersedes = Vec::new();
    for superseded in entry.supersedes.iter().flatten() {
        match normalize_kb(superseded) {
            Some(kb) => supersedes.push(kb),
            None => {
                return refuse(format!(
                    "its catalog entry supersedes '{superseded}', which is not a KB number"
                ))
            }
        }
    }
    let title = entry
        .title
        .clone()
        .unwrap_or_else(|| format!("Update for {} ({kb})", or_windows(&product)));
    Ok(Description {
        kb,
        title,
        classification,
        architecture,
        product,
        builds,
        release_date,
        supersedes,
    })
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

/// A cabinet starts `MSCF`, four zero bytes, then its own length; version 1.3.
pub(super) fn check_cabinet(path: &Path) -> Result<()> {
    let mut header = [0u8; 36];
    let mut file = File::open(path).at(path)?;
    let length = file.metadata().at(path)?.len();
    let read = file.read(&mut header).at(path)?;
    let stated = u32::from_le_bytes([header[8], header[9], header[10], header[11]]);
    let is_cabinet = read == header.len()
        && &header[..4] == b"MSCF"
        && header[4..8] == [0, 0, 0, 0]
        && u64::from(stated) == length
        && header[24] == 3
        && header[25] == 1;
    if !is_cabinet {
        return Err(Error::invalid_argument(
            "paths",
            format!(
                "{}: not an update file: .msu and .cab updates are cabinet files (MSCF), and this is not a whole one",
                path.display()
            ),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

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
