//! The WIM XML metadata: `<WIM><IMAGE INDEX="n"><NAME/>…<WINDOWS><ARCH/><EDITIONID/>
//! <LANGUAGES/><VERSION/></WINDOWS></IMAGE></WIM>`.

use std::path::Path;

use roxmltree::{Document, Node};

use super::ImageInfo;
use crate::error::{Error, Result};

pub(super) fn parse_images(path: &Path, xml: &str, image_count: u32) -> Result<Vec<ImageInfo>> {
    let invalid = |reason: String| Error::InvalidImage {
        path: path.to_path_buf(),
        reason,
    };
    let document = Document::parse(xml)
        .map_err(|e| invalid(format!("its XML metadata does not parse: {e}")))?;
    let root = document.root_element();
    if !root.has_tag_name("WIM") {
        return Err(invalid("its XML metadata has no WIM element".into()));
    }
    let images = root
        .children()
        .filter(|n| n.has_tag_name("IMAGE"))
        .map(|n| image_info(n).map_err(&invalid))
        .collect::<std::result::Result<Vec<_>, _>>()?;
    if images.is_empty() {
        return Err(invalid("it holds no image".into()));
    }
    if images.len() != image_count as usize {
        return Err(invalid(format!(
            "its header counts {image_count} images but its XML metadata describes {}",
            images.len()
        )));
    }
    Ok(images)
}

fn image_info(image: Node<'_, '_>) -> std::result::Result<ImageInfo, String> {
    let index: u32 = image
        .attribute("INDEX")
        .and_then(|v| v.trim().parse().ok())
        .ok_or("an IMAGE element has no numeric INDEX")?;
    let windows = child(image, "WINDOWS").ok_or_else(|| {
        format!("image {index} has no WINDOWS metadata: not a Windows installation image")
    })?;
    let version = child(windows, "VERSION");
    let version_part = |tag| version.map_or(0, |v| number(v, tag));
    let languages = child(windows, "LANGUAGES");
    Ok(ImageInfo {
        index,
        name: text(image, "NAME"),
        description: text(image, "DESCRIPTION"),
        edition_id: text(windows, "EDITIONID"),
        architecture: architecture(number(windows, "ARCH")),
        version: format!(
            "{}.{}.{}.{}",
            version_part("MAJOR"),
            version_part("MINOR"),
            version_part("BUILD"),
            version_part("SPBUILD")
        ),
        languages: languages.map_or_else(Vec::new, |l| {
            l.children()
                .filter(|n| n.has_tag_name("LANGUAGE"))
                .filter_map(|n| n.text())
                .map(|t| t.trim().to_string())
                .collect()
        }),
        default_language: languages.map_or_else(String::new, |l| text(l, "DEFAULT")),
        size: number(image, "TOTALBYTES"),
    })
}

/// PROCESSOR_ARCHITECTURE values, as DISM reports them.
fn architecture(code: u64) -> String {
    match code {
        0 => "x86".into(),
        5 => "arm".into(),
        6 => "ia64".into(),
        9 => "x64".into(),
        12 => "arm64".into(),
        other => format!("unknown({other})"),
    }
}

fn child<'a, 'input>(node: Node<'a, 'input>, tag: &str) -> Option<Node<'a, 'input>> {
    node.children().find(|n| n.has_tag_name(tag))
}

fn text(node: Node<'_, '_>, tag: &str) -> String {
    child(node, tag)
        .and_then(|n| n.text())
        .map(|t| t.trim().to_string())
        .unwrap_or_default()
}

fn number(node: Node<'_, '_>, tag: &str) -> u64 {
    let value = text(node, tag);
    match value
        .strip_prefix("0x")
        .or_else(|| value.strip_prefix("0X"))
    {
        Some(hex) => u64::from_str_radix(hex, 16).unwrap_or(0),
        None => value.parse().unwrap_or(0),
    }
}
