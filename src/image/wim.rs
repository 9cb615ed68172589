//! The WIM header (208 bytes, little-endian) as wimlib and Microsoft's WIM format document lay
//! it out; only what locates the XML metadata is read.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;

use crate::error::{Error, IoContext, Result};

const HEADER_SIZE: usize = 208;
const MAGIC: &[u8; 8] = b"MSWIM\0\0\0";
const PIPABLE_MAGIC: &[u8; 8] = b"WLPWM\0\0\0";
const IMAGE_COUNT_OFFSET: usize = 44;
const XML_RESOURCE_OFFSET: usize = 72;
const RESOURCE_COMPRESSED: u8 = 0x04;
/// Real install images carry a few hundred KiB of XML; a larger claim is a damaged header.
const MAX_XML_BYTES: u64 = 64 << 20;

pub(super) struct XmlDocument {
    pub image_count: u32,
    pub xml: String,
}

pub(super) fn read_xml_document(path: &Path) -> Result<XmlDocument> {
    let invalid = |reason: String| Error::InvalidImage {
        path: path.to_path_buf(),
        reason,
    };
    let mut file = File::open(path).at(path)?;
    let file_size = file.metadata().at(path)?.len();
    let mut header = [0u8; HEADER_SIZE];
    read_exact_or(
        &mut file,
        &mut header,
        path,
        "shorter than a WIM header (208 bytes)",
    )?;
    if &header[..8] == PIPABLE_MAGIC {
        return Err(invalid(
            "a pipable WIM (wimlib) is not an image Windows setup can use".into(),
        ));
    }
    if &header[..8] != MAGIC {
        return Err(invalid("no WIM signature (MSWIM) at its start".into()));
    }
    let image_count = u32_at(&header, IMAGE_COUNT_OFFSET);
    let resource = &header[XML_RESOURCE_OFFSET..XML_RESOURCE_OFFSET + 24];
    let stored_size = u64::from_le_bytes([
        resource[0],
        resource[1],
        resource[2],
        resource[3],
        resource[4],
        resource[5],
        resource[6],
        0,
    ]);
    let flags = resource[7];
    let offset = u64_at(resource, 8);
    if flags & RESOURCE_COMPRESSED != 0 {
        return Err(invalid(
            "its XML metadata is compressed, which WIM files never do".into(),
        ));
    }
    if stored_size == 0 || stored_size > MAX_XML_BYTES || !stored_size.is_multiple_of(2) {
        return Err(invalid(format!(
            "its header gives an impossible XML metadata size ({stored_size} bytes)"
        )));
    }
    if offset
        .checked_add(stored_size)
        .is_none_or(|end| end > file_size)
    {
        return Err(invalid(format!(
            "truncated: its XML metadata should lie at bytes {offset}..{} but the file has {file_size}",
            offset.saturating_add(stored_size)
        )));
    }
    file.seek(SeekFrom::Start(offset)).at(path)?;
    let mut raw = vec![0u8; stored_size as usize];
    read_exact_or(
        &mut file,
        &mut raw,
        path,
        "truncated inside its XML metadata",
    )?;
    Ok(XmlDocument {
        image_count,
        xml: decode_utf16le(&raw).map_err(invalid)?,
    })
}

fn read_exact_or(file: &mut File, buffer: &mut [u8], path: &Path, short: &str) -> Result<()> {
    match file.read_exact(buffer) {
        Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => Err(Error::InvalidImage {
            path: path.to_path_buf(),
            reason: short.into(),
        }),
        other => other.at(path),
    }
}

fn decode_utf16le(raw: &[u8]) -> std::result::Result<String, String> {
    let units: Vec<u16> = raw
        .chunks_exact(2)
        .map(|pair| u16::from_le_bytes([pair[0], pair[1]]))
        .collect();
    let text = String::from_utf16(&units)
        .map_err(|_| "its XML metadata is not valid UTF-16".to_string())?;
    Ok(text.trim_start_matches('\u{feff}').to_string())
}

fn u32_at(bytes: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]])
}

fn u64_at(bytes: &[u8], at: usize) -> u64 {
    let mut word = [0u8; 8];
    word.copy_from_slice(&bytes[at..at + 8]);
    u64::from_le_bytes(word)
}
