//! The chunk store: large files kept as content-defined chunks in the library, serviced
//! versions stored and sent as the chunks that changed, points built from what they hold.

mod common;

use std::fs;
use std::path::Path;
use std::process::Command;

use common::*;
use osupgrade::distribution::{self, DistributionState};
use osupgrade::lifecycle;
use osupgrade::progress::ignore_progress;
use osupgrade::ErrorKind;

const IMAGE: &str = "sources/install.wim";
const MIB: u64 = 1 << 20;

/// A source whose install.wim is large enough to be kept as chunks.
fn chunked_setup(label: &str) -> Setup {
    setup(label, &["--small-files", "5", "--image-mib", "24"])
}

fn db(s: &Setup) -> rusqlite::Connection {
    rusqlite::Connection::open(s.scratch.join("site/site.db")).unwrap()
}

fn image_blob(s: &Setup, version: i64) -> String {
    db(s)
        .query_row(
            "SELECT sha256 FROM package_files WHERE package_id = ?1 AND content_version = ?2 AND path = ?3",
            rusqlite::params![s.package.id, version, IMAGE],
            |row| row.get(0),
        )
        .unwrap()
}

/// Bytes of the chunk files in the library.
fn chunk_bytes(s: &Setup) -> u64 {
    files_below(&s.scratch.join("site/files/chunks"))
        .iter()
        .map(|(_, path)| fs::metadata(path).unwrap().len())
        .sum()
}

/// Changes the image as servicing does: wimlib adds a file's resource at the end and rewrites
/// the lookup table, the XML and the header. Returns the bytes of the file added.
fn service_like_servicing(image: &Path, scratch: &Scratch) -> u64 {
    let payload = scratch.join("payload.bin");
    let bytes: Vec<u8> = (0..512 * 1024u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    fs::write(&payload, &bytes).unwrap();
    let status = Command::new("wimlib-imagex")
        .arg("update")
        .arg(image)
        .arg("1")
        .arg(format!(
            "--command=add {} /Windows/servicing/Packages/update.bin",
            payload.display()
        ))
        .stdout(std::process::Stdio::null())
        .status()
        .expect("wimlib-imagex");
    assert!(status.success());
    bytes.len() as u64
}

fn redistribute(s: &Setup) -> Vec<distribution::DistributionStatus> {
    distribution::redistribute(
        &s.site,
        &s.package.id,
        &Default::default(),
        &mut ignore_progress,
    )
    .unwrap()
}

fn status(s: &Setup, point: &str) -> distribution::DistributionStatus {
    distribution::status(&s.site, Some(&s.package.id), Some(point))
        .unwrap()
        .remove(0)
}

/// Where the library keeps a blob whole.
fn whole_blob(s: &Setup, blob: &str) -> std::path::PathBuf {
    s.scratch.join("site/files").join(&blob[..2]).join(blob)
}

#[test]
fn a_large_file_is_kept_whole_until_a_new_version_arrives_and_then_both_as_chunks() {
    let s = chunked_setup("chunked-add");
    let first = image_blob(&s, 1);
    // A first add hashes the image once and keeps it whole, as before chunks.
    assert!(blob_chunks(&db(&s), &first).is_empty());
    assert!(whole_blob(&s, &first).is_file());
    let point = s.point("dp1");
    let done = distribute(&s.site, &s.package.id, &["dp1"]);
    assert_eq!(done[0].state, DistributionState::Installed);
    assert_eq!(done[0].bytes_reused, 0);
    assert_tree_matches(&s.tree(&point), &s.source);

    let before = bytes_below(&s.scratch.join("site/files"));
    let added = service_like_servicing(&s.source.join(IMAGE), &s.scratch);
    reload(&s.site, &s.package.id);
    let second = image_blob(&s, 2);
    for blob in [&first, &second] {
        let chunks = blob_chunks(&db(&s), blob);
        assert!(chunks.len() > 24 * MIB as usize / (256 << 10), "{chunks:?}");
        assert!(
            !whole_blob(&s, blob).exists(),
            "blob {blob} is kept whole too"
        );
    }
    let grown = bytes_below(&s.scratch.join("site/files")) - before;
    assert!(grown <= added + MIB, "the library grew by {grown} bytes");
    assert!(assert_library_intact(&s.scratch.join("site")) > 1);
    let done = redistribute(&s);
    assert_eq!(done[0].state, DistributionState::Installed);
    assert!(done[0].bytes_reused > 0, "{:?}", done[0]);
    assert_tree_matches(&s.tree(&point), &s.source);
    assert_point_valid(&s, "dp1");
}

#[test]
fn a_large_file_rewritten_in_place_at_the_same_size_is_sent_as_the_chunks_that_changed() {
    let s = chunked_setup("chunked-same-size");
    let big = s.source.join("sources/big-update.cab");
    let mut state = 0x2545_f491_4f6c_dd1du64;
    let mut bytes: Vec<u8> = (0..24 * MIB)
        .map(|_| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1);
            (state >> 56) as u8
        })
        .collect();
    fs::write(&big, &bytes).unwrap();
    reload(&s.site, &s.package.id);
    let point = s.point("dp1");
    distribute(&s.site, &s.package.id, &["dp1"]);
    let before = bytes_below(&s.scratch.join("site/files"));
    // 1 MiB in the middle changes; the size stays.
    for byte in &mut bytes[(12 * MIB) as usize..(13 * MIB) as usize] {
        *byte = !*byte;
    }
    fs::write(&big, &bytes).unwrap();
    reload(&s.site, &s.package.id);
    let grown = bytes_below(&s.scratch.join("site/files")) - before;
    assert!(grown <= 3 * MIB, "the library grew by {grown} bytes");
    let done = redistribute(&s);
    assert_eq!(done[0].state, DistributionState::Installed);
    assert!(done[0].bytes_copied <= 3 * MIB, "{:?}", done[0]);
    assert!(done[0].bytes_reused >= 20 * MIB, "{:?}", done[0]);
    assert_tree_matches(&s.tree(&point), &s.source);
    assert_point_valid(&s, "dp1");
    assert!(assert_library_intact(&s.scratch.join("site")) > 1);
}

#[test]
fn a_serviced_image_adds_and_sends_only_the_chunks_that_changed() {
    let s = chunked_setup("chunked-serviced");
    let point = s.point("dp1");
    distribute(&s.site, &s.package.id, &["dp1"]);
    let before = bytes_below(&s.scratch.join("site/files"));

    let added = service_like_servicing(&s.source.join(IMAGE), &s.scratch);
    let image_size = fs::metadata(s.source.join(IMAGE)).unwrap().len();
    reload(&s.site, &s.package.id);
    let grown = bytes_below(&s.scratch.join("site/files")) - before;
    assert!(grown <= added + MIB, "the library grew by {grown} bytes");

    let done = redistribute(&s);
    assert_eq!(done[0].state, DistributionState::Installed);
    let changed_file_bytes = done[0].bytes_copied;
    assert!(
        changed_file_bytes <= added + MIB,
        "copied {changed_file_bytes} bytes"
    );
    assert!(
        done[0].bytes_reused >= image_size - added - MIB,
        "reused {} of {image_size} bytes",
        done[0].bytes_reused
    );
    assert_eq!(status(&s, "dp1").bytes_reused, done[0].bytes_reused);
    let log = fs::read_to_string(s.scratch.join("site/Logs/distribution.log")).unwrap();
    assert!(
        log.contains(&format!(
            "{IMAGE} built from the point's earlier version: {} bytes reused",
            done[0].bytes_reused
        )),
        "{log}"
    );
    assert_tree_matches(&s.tree(&point), &s.source);
    assert_point_valid(&s, "dp1");
}

#[test]
fn an_altered_file_on_the_point_is_mended_from_the_library() {
    let s = chunked_setup("chunked-altered-base");
    let point = s.point("dp1");
    distribute(&s.site, &s.package.id, &["dp1"]);
    // Someone changed the point's image in its middle and put its time back: the recorded
    // size and time say it is unchanged, its bytes say otherwise.
    let live = s.tree(&point).join(IMAGE);
    let modified = fs::metadata(&live).unwrap().modified().unwrap();
    let mut bytes = fs::read(&live).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle..middle + 4096].fill(0x5a);
    fs::write(&live, &bytes).unwrap();
    fs::File::options()
        .write(true)
        .open(&live)
        .unwrap()
        .set_modified(modified)
        .unwrap();

    service_like_servicing(&s.source.join(IMAGE), &s.scratch);
    reload(&s.site, &s.package.id);
    let done = redistribute(&s);
    assert_eq!(done[0].state, DistributionState::Installed, "{done:?}");
    assert!(done[0].bytes_reused > 0);
    assert_tree_matches(&s.tree(&point), &s.source);
    assert_point_valid(&s, "dp1");
}

#[test]
fn content_placed_on_a_point_by_hand_is_reused_by_its_chunks() {
    let s = chunked_setup("chunked-by-hand");
    let point = s.point("dp1");
    // The point holds the image from before, copied there by hand: no manifest says what it is.
    copy_tree(&s.source, &s.tree(&point));
    service_like_servicing(&s.source.join(IMAGE), &s.scratch);
    reload(&s.site, &s.package.id);
    let done = distribute(&s.site, &s.package.id, &["dp1"]);
    assert_eq!(done[0].state, DistributionState::Installed);
    let image_size = fs::metadata(s.source.join(IMAGE)).unwrap().len();
    assert!(
        done[0].bytes_reused >= image_size - 2 * MIB,
        "{:?}",
        done[0]
    );
    assert_tree_matches(&s.tree(&point), &s.source);
}

#[test]
fn a_damaged_chunk_fails_the_distribution_naming_it_and_each_point_keeps_what_it_held() {
    let s = chunked_setup("chunked-damaged");
    let point = s.point("dp1");
    distribute(&s.site, &s.package.id, &["dp1"]);
    let held = sha256_of(&s.tree(&point).join(IMAGE));
    service_like_servicing(&s.source.join(IMAGE), &s.scratch);
    reload(&s.site, &s.package.id);
    // A chunk only the new version has, flipped in the library.
    let old: Vec<String> = blob_chunks(&db(&s), &image_blob(&s, 1));
    let new_chunk = blob_chunks(&db(&s), &image_blob(&s, 2))
        .into_iter()
        .find(|c| !old.contains(c))
        .unwrap();
    let path = s
        .scratch
        .join("site/files/chunks")
        .join(&new_chunk[..2])
        .join(&new_chunk);
    let mut bytes = fs::read(&path).unwrap();
    bytes[0] ^= 1;
    fs::write(&path, bytes).unwrap();

    // dp1 builds the image from its version 1; dp2, new, gets it from the one read that
    // serves every point without an earlier version.
    let fresh = s.point("dp2");
    let done = distribute(&s.site, &s.package.id, &["dp1", "dp2"]);
    for (status, name) in done.iter().zip(["dp1", "dp2"]) {
        assert_eq!(status.distribution_point, name);
        assert_eq!(status.state, DistributionState::Failed);
        assert_eq!(status.last_error_kind, Some(ErrorKind::DamagedContent));
        for named in [new_chunk.as_str(), IMAGE, &format!("'{name}'")] {
            assert!(status.last_error.contains(named), "{}", status.last_error);
        }
    }
    assert_eq!(sha256_of(&s.tree(&point).join(IMAGE)), held);
    assert!(!s.tree(&fresh).exists());
}

#[test]
fn chunks_no_version_uses_are_collected() {
    let s = chunked_setup("chunked-collected");
    service_like_servicing(&s.source.join(IMAGE), &s.scratch);
    reload(&s.site, &s.package.id);
    assert!(chunk_bytes(&s) > 0);
    lifecycle::remove_package(&s.site, &s.package.id).unwrap();
    assert_eq!(chunk_bytes(&s), 0);
    let rows: i64 = db(&s)
        .query_row("SELECT count(*) FROM chunks", [], |row| row.get(0))
        .unwrap();
    assert_eq!(rows, 0);
}

#[test]
fn a_site_made_before_chunks_keeps_its_whole_blobs_readable_and_chunks_what_comes_next() {
    let s = chunked_setup("chunked-migrated");
    let site_folder = s.scratch.join("site");
    let blob = image_blob(&s, 1);
    let Setup {
        site,
        scratch,
        source,
        package,
    } = s;
    drop(site);
    // The library as schema 8 left it: the image as one whole blob, no chunks.
    let whole = site_folder.join("files").join(&blob[..2]).join(&blob);
    fs::create_dir_all(whole.parent().unwrap()).unwrap();
    fs::copy(source.join(IMAGE), &whole).unwrap();
    let _ = fs::remove_dir_all(site_folder.join("files/chunks"));
    as_schema_8(&rusqlite::Connection::open(site_folder.join("site.db")).unwrap());

    let s = Setup {
        site: open_site(&scratch),
        scratch,
        source,
        package,
    };
    assert_eq!(s.site.info().unwrap().schema_version, 10);
    let point = s.point("dp1");
    distribute(&s.site, &s.package.id, &["dp1"]);
    assert_tree_matches(&s.tree(&point), &s.source);
    // Added again as it is, the image stays the whole blob it was.
    add(&s.site, &s.source, "Again");
    assert!(blob_chunks(&db(&s), &blob).is_empty());
    assert!(whole.is_file());
    // A serviced version is kept as chunks, the whole version is cut into chunks too, and the
    // point is built from what it holds.
    service_like_servicing(&s.source.join(IMAGE), &s.scratch);
    reload(&s.site, &s.package.id);
    assert!(!blob_chunks(&db(&s), &image_blob(&s, 2)).is_empty());
    assert!(!blob_chunks(&db(&s), &blob).is_empty());
    assert!(!whole.exists());
    let done = distribute(&s.site, &s.package.id, &["dp1"]);
    assert!(done[0].bytes_reused > 0, "{:?}", done[0]);
    assert_tree_matches(&s.tree(&point), &s.source);
    assert_library_intact(&site_folder);
}

#[test]
fn the_site_summary_counts_each_chunk_once() {
    let s = chunked_setup("chunked-summary");
    let before = s.site.info().unwrap();
    service_like_servicing(&s.source.join(IMAGE), &s.scratch);
    reload(&s.site, &s.package.id);
    let after = s.site.info().unwrap();
    let on_disk: u64 = library_blobs(&s.scratch.join("site"))
        .iter()
        .map(|p| fs::metadata(p).unwrap().len())
        .sum();
    assert_eq!(after.library_size, on_disk);
    assert!(after.library_size - before.library_size < 2 * MIB);
}

#[test]
fn a_new_version_that_also_arrives_under_a_new_path_is_kept_readable() {
    let s = chunked_setup("chunked-twice-in-one");
    // The serviced image is kept as chunks at its own path (it has an earlier version) and
    // whole at a path new to the package: both records must leave it readable.
    service_like_servicing(&s.source.join(IMAGE), &s.scratch);
    fs::copy(s.source.join(IMAGE), s.source.join("sources/copy.wim")).unwrap();
    reload(&s.site, &s.package.id);
    let serviced = image_blob(&s, 2);
    assert!(!blob_chunks(&db(&s), &serviced).is_empty());
    assert!(assert_library_intact(&s.scratch.join("site")) > 1);
    let point = s.point("dp1");
    distribute(&s.site, &s.package.id, &["dp1"]);
    assert_tree_matches(&s.tree(&point), &s.source);
}
