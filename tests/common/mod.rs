//! What the integration tests share: scratch folders, fixture sources, library checks.
#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

use sha2::{Digest, Sha256};

use osupgrade::distribution::{self, DistributeOptions, DistributionStatus};
use osupgrade::package::{self, NewPackage};
use osupgrade::progress::ignore_progress;
use osupgrade::{Package, Site};

static NEXT: AtomicUsize = AtomicUsize::new(0);

/// A scratch folder deleted when dropped.
pub struct Scratch(pub PathBuf);

impl Scratch {
    pub fn new(label: &str) -> Scratch {
        let path = std::env::temp_dir().join(format!(
            "osupgrade-test-{}-{}-{label}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = fs::remove_dir_all(&path);
        fs::create_dir_all(&path).expect("scratch folder");
        Scratch(path)
    }

    pub fn join(&self, part: &str) -> PathBuf {
        self.0.join(part)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

/// Makes a setup source folder with tests/fixtures/make-source.sh.
pub fn make_source(dest: &Path, options: &[&str]) -> PathBuf {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/make-source.sh");
    let status = Command::new("bash")
        .arg(script)
        .arg(dest)
        .args(options)
        .status()
        .expect("run make-source.sh");
    assert!(
        status.success(),
        "make-source.sh failed for {}",
        dest.display()
    );
    dest.to_path_buf()
}

pub fn open_site(scratch: &Scratch) -> Site {
    let path = scratch.join("site");
    if path.exists() {
        Site::open(Some(&path), None).expect("open site")
    } else {
        Site::create(&path, None).expect("create site")
    }
}

pub fn sha256_of(path: &Path) -> String {
    hex(&Sha256::digest(fs::read(path).expect("read file")))
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The bytes of every file below `folder`.
pub fn bytes_below(folder: &Path) -> u64 {
    files_below(folder)
        .iter()
        .map(|(_, path)| fs::metadata(path).map_or(0, |m| m.len()))
        .sum()
}

/// Every file below `root`, relative, `/`-separated.
pub fn files_below(root: &Path) -> Vec<(String, PathBuf)> {
    let mut found = Vec::new();
    let mut folders = vec![root.to_path_buf()];
    while let Some(folder) = folders.pop() {
        for entry in fs::read_dir(&folder).expect("read folder") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                folders.push(path);
            } else {
                let relative = path
                    .strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                found.push((relative, path));
            }
        }
    }
    found.sort();
    found
}

/// What a finished distribution leaves in a package's staging folder on a point: the seed of
/// the next tree and nothing else, and the seed holds the live tree's folders and its files as
/// links (the very files, no bytes of its own), no link of any other kind.
pub fn assert_staging_holds_only_the_seed(point: &Path, package_id: &str) {
    use std::os::unix::fs::MetadataExt;
    let staging = point.join(".osupgrade/staging").join(package_id);
    let names: Vec<String> = fs::read_dir(&staging)
        .unwrap_or_else(|e| panic!("{}: {e}", staging.display()))
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["seed"], "staging holds {names:?}");
    let (seed, tree) = (staging.join("seed"), point.join(package_id));
    let (seeded, live) = (entries_below(&seed), entries_below(&tree));
    let paths = |entries: &[(String, fs::Metadata)]| {
        entries.iter().map(|e| e.0.clone()).collect::<Vec<_>>()
    };
    assert_eq!(
        paths(&seeded),
        paths(&live),
        "the seed is not the live tree"
    );
    for ((relative, a), (_, b)) in seeded.iter().zip(&live) {
        let same_file = a.is_file() && (a.dev(), a.ino()) == (b.dev(), b.ino());
        assert!(
            a.is_dir() || same_file,
            "the seed's {relative} is not the live file"
        );
        assert!(
            !a.file_type().is_symlink(),
            "the seed's {relative} is a link"
        );
    }
}

/// Every entry below `root` with its own metadata, no link followed, sorted.
fn entries_below(root: &Path) -> Vec<(String, fs::Metadata)> {
    let mut found = Vec::new();
    let mut folders = vec![root.to_path_buf()];
    while let Some(folder) = folders.pop() {
        for entry in fs::read_dir(&folder).expect("read folder") {
            let path = entry.expect("entry").path();
            let metadata = fs::symlink_metadata(&path).unwrap();
            if metadata.is_dir() {
                folders.push(path.clone());
            }
            let relative = path
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            found.push((relative, metadata));
        }
    }
    found.sort_by(|a, b| a.0.cmp(&b.0));
    found
}

/// Blob files of a site's content library.
pub fn library_blobs(site_folder: &Path) -> Vec<PathBuf> {
    files_below(&site_folder.join("files"))
        .into_iter()
        .filter(|(relative, _)| !relative.starts_with(".staging"))
        .map(|(_, path)| path)
        .collect()
}

/// Checks what the site database references against the library: every referenced blob is
/// there under its hash, whole or as its chunks, each chunk under its own hash. Returns the
/// number of blobs checked.
pub fn assert_library_intact(site_folder: &Path) -> usize {
    let db = rusqlite::Connection::open(site_folder.join("site.db")).expect("open db");
    let mut statement = db
        .prepare("SELECT DISTINCT sha256 FROM package_files WHERE sha256 IS NOT NULL")
        .unwrap();
    let hashes: Vec<String> = statement
        .query_map([], |row| row.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    for hash in &hashes {
        let chunks = blob_chunks(&db, hash);
        let content = if chunks.is_empty() {
            let blob = site_folder.join("files").join(&hash[..2]).join(hash);
            assert!(blob.is_file(), "referenced blob {hash} is missing");
            fs::read(&blob).unwrap()
        } else {
            let mut content = Vec::new();
            for chunk in chunks {
                let path = site_folder
                    .join("files/chunks")
                    .join(&chunk[..2])
                    .join(&chunk);
                let bytes =
                    fs::read(&path).unwrap_or_else(|e| panic!("chunk {chunk} of blob {hash}: {e}"));
                assert_eq!(hex(&Sha256::digest(&bytes)), chunk, "chunk of blob {hash}");
                content.extend(bytes);
            }
            content
        };
        assert_eq!(
            &hex(&Sha256::digest(&content)),
            hash,
            "blob {hash} does not hold its content"
        );
    }
    hashes.len()
}

/// The chunks of a blob the library keeps as chunks, in order; none for a whole blob.
pub fn blob_chunks(db: &rusqlite::Connection, blob: &str) -> Vec<String> {
    let mut statement = db
        .prepare("SELECT chunk FROM blob_chunks WHERE blob = ?1 ORDER BY ordinal")
        .unwrap();
    let chunks = statement
        .query_map([blob], |row| row.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    chunks
}

/// Turns a site's database back into what schema 8 made: no chunks (every blob whole), no
/// reused bytes.
pub fn as_schema_8(db: &rusqlite::Connection) {
    db.execute_batch(
        "DROP TABLE blob_chunks;
         DROP TABLE chunks;
         ALTER TABLE distributions DROP COLUMN bytes_reused;
         ALTER TABLE distribution_points DROP COLUMN mount_point;
         PRAGMA user_version = 8;",
    )
    .unwrap();
}

/// No staged content under the library's staging area: a live site's own staging folder holds
/// only its owner lock.
pub fn staging_is_empty(site_folder: &Path) -> bool {
    let staging = site_folder.join("files/.staging");
    !staging.exists()
        || files_below(&staging)
            .iter()
            .all(|(relative, _)| relative.ends_with("/owner.lock"))
}

pub fn add(site: &Site, source: &Path, name: &str) -> Package {
    let new = NewPackage {
        source_path: source,
        name,
        version: "1",
        comment: "",
    };
    package::add(site, &new, &mut ignore_progress).unwrap()
}

pub fn distribute(site: &Site, package: &str, points: &[&str]) -> Vec<DistributionStatus> {
    try_distribute(site, package, points).unwrap()
}

/// The error of a distribution refused whole.
pub fn distribute_refused(site: &Site, package: &str, points: &[&str]) -> osupgrade::Error {
    try_distribute(site, package, points).unwrap_err()
}

fn try_distribute(
    site: &Site,
    package: &str,
    points: &[&str],
) -> osupgrade::Result<Vec<DistributionStatus>> {
    distribution::distribute(
        site,
        &[package],
        points,
        &DistributeOptions::default(),
        &mut ignore_progress,
    )
}

pub fn reload(site: &Site, id: &str) -> Package {
    package::reload_content(site, id, &mut ignore_progress).unwrap()
}

/// The point's copy of the package holds exactly the source's files, byte for byte.
pub fn assert_tree_matches(tree: &Path, source: &Path) {
    let on_point = files_below(tree);
    let in_source = files_below(source);
    let names =
        |files: &[(String, PathBuf)]| files.iter().map(|(r, _)| r.clone()).collect::<Vec<_>>();
    assert_eq!(
        names(&on_point),
        names(&in_source),
        "the trees list different files"
    );
    for ((relative, a), (_, b)) in on_point.iter().zip(&in_source) {
        assert_eq!(sha256_of(a), sha256_of(b), "{relative} differs");
    }
}

pub struct Setup {
    pub scratch: Scratch,
    pub site: Site,
    pub source: PathBuf,
    pub package: Package,
}

pub fn setup(label: &str, options: &[&str]) -> Setup {
    let scratch = Scratch::new(label);
    let source = make_source(&scratch.join("src"), options);
    let site = open_site(&scratch);
    let package = add(&site, &source, "Windows 10 22H2");
    Setup {
        scratch,
        site,
        source,
        package,
    }
}

impl Setup {
    pub fn point(&self, name: &str) -> PathBuf {
        let path = self.scratch.join(&format!("points/{name}"));
        distribution::add_point(&self.site, name, path.to_str().unwrap(), "").unwrap();
        path
    }

    pub fn tree(&self, point: &Path) -> PathBuf {
        point.join(&self.package.id)
    }
}

pub fn copy_tree(from: &Path, to: &Path) {
    for (relative, path) in files_below(from) {
        let target = to.join(relative);
        fs::create_dir_all(target.parent().unwrap()).unwrap();
        fs::copy(path, target).unwrap();
    }
}

/// The package of a setup validates clean on the point.
pub fn assert_point_valid(s: &Setup, point: &str) {
    let report =
        distribution::validate(&s.site, &s.package.id, point, &mut ignore_progress).unwrap();
    assert!(report.valid, "{report:?}");
}

/// A small tmpfs mounted at `folder` (made if needed) until the guard drops; `None` where this
/// process may not mount.
pub fn mount_tmpfs(folder: &Path, size: &str) -> Option<Unmount> {
    fs::create_dir_all(folder).unwrap();
    mount(
        &["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"],
        folder,
    )
}

/// `what` (a file or folder) seen at `at`, which must exist, until the guard drops; `None`
/// where this process may not mount.
pub fn bind_mount(what: &Path, at: &Path) -> Option<Unmount> {
    mount(&["--bind", what.to_str().unwrap()], at)
}

fn mount(args: &[&str], at: &Path) -> Option<Unmount> {
    let mounted = Command::new("mount")
        .args(args)
        .arg(at)
        .status()
        .is_ok_and(|status| status.success());
    mounted.then(|| Unmount(at.to_path_buf()))
}

pub struct Unmount(PathBuf);

impl Drop for Unmount {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

/// Makes an update file with tests/fixtures/make-update.sh: a real cabinet made by gcab;
/// `flags` are the script's (--broken, --servicing-stack).
pub fn make_update(
    folder: &Path,
    file_name: &str,
    kb: &str,
    build: &str,
    flags: &[&str],
) -> PathBuf {
    fs::create_dir_all(folder).unwrap();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/make-update.sh");
    let file = folder.join(file_name);
    let mut command = Command::new("bash");
    command
        .arg(script)
        .arg(&file)
        .arg(kb)
        .arg(build)
        .args(flags);
    assert!(
        command.status().unwrap().success(),
        "make-update.sh failed for {file_name}"
    );
    file
}

/// The 2024-01 cumulative update for Windows 10 22H2 x64 (KB5034441, build 19041.3930), made
/// in `folder`: what applies to the package of `make_source`.
pub fn make_cumulative_update(folder: &Path) -> PathBuf {
    make_update(
        folder,
        "windows10.0-kb5034441-x64_22bb.msu",
        "KB5034441",
        "19041.3930",
        &[],
    )
}

/// The test engine (tests/fixtures/test-engine.sh), which changes images with wimlib.
pub fn test_engine() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/test-engine.sh")
}

/// Polls `done` until it holds, failing the test with `what` after a minute: what another
/// process does takes as long as a busy machine makes it take, never a fixed time.
pub fn wait_until(what: &str, mut done: impl FnMut() -> bool) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while !done() {
        assert!(
            std::time::Instant::now() < deadline,
            "waited a minute for {what}"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

/// The named steps of building a large file on a point from what it holds.
pub const BLOCK_BUILD_STEPS: [&str; 2] = ["block build: base chunks known", "block build: built"];

/// The named kill points of a distribution's switch, in the order it reaches them.
pub const SWITCH_STEPS: [&str; 8] = [
    "switch: staged",
    "switch: seed taken",
    "switch: next tree built",
    "switch: journalled",
    "switch: live tree moved aside",
    "switch: next tree moved in",
    "switch: manifest committed",
    "switch: seed made",
];

/// The tree holds exactly the files of `source`, byte for byte.
pub fn same_files(tree: &Path, source: &Path) -> bool {
    let (a, b) = (files_below(tree), files_below(source));
    a.len() == b.len()
        && a.iter()
            .zip(&b)
            .all(|((ra, pa), (rb, pb))| ra == rb && sha256_of(pa) == sha256_of(pb))
}
