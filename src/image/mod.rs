//! Reads the image metadata of install.wim / install.esd: the WIM header and the XML document
//! it points to, which Windows setup and DISM read too. No external tool is involved.

mod wim;
mod xml;

use std::path::Path;

use crate::error::Result;
pub use crate::model::ImageInfo;

/// Reads every image's metadata from a WIM or ESD file.
pub fn read_images(path: &Path) -> Result<Vec<ImageInfo>> {
    let header = wim::read_xml_document(path)?;
    xml::parse_images(path, &header.xml, header.image_count)
}

#[cfg(test)]
mod tests {
    /// WIM headers that lie about sizes and offsets, and XML of any shape, are refused or read,
    /// never a panic or an allocation of what the header claims.
    #[test]
    fn fuzz_wim_header_and_xml() {
        crate::fuzz::fuzz_file("wim", "wim", |file| {
            let _ = super::read_images(file);
        });
    }
}
