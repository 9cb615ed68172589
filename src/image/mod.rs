//! Reads the image metadata of install.wim / install.esd: the WIM header and the XML document
//! it points to, which Windows setup and DISM read too. No external tool is involved.

mod wim;
mod xml;

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::Result;

/// One image (index) of a WIM or ESD file, as its XML metadata describes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ImageInfo {
    pub index: u32,
    pub name: String,
    pub description: String,
    pub edition_id: String,
    /// `x86`, `x64`, `arm`, `arm64`, `ia64`, or `unknown(N)`.
    pub architecture: String,
    /// major.minor.build.spbuild, e.g. `10.0.19045.2965`.
    pub version: String,
    pub languages: Vec<String>,
    pub default_language: String,
    /// Bytes of the expanded image.
    pub size: u64,
}

/// Reads every image's metadata from a WIM or ESD file.
pub fn read_images(path: &Path) -> Result<Vec<ImageInfo>> {
    let header = wim::read_xml_document(path)?;
    xml::parse_images(path, &header.xml, header.image_count)
}
