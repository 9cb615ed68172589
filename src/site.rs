//! A site: the SQLite database plus the content library beside it. Every operation goes
//! through a `Site`.

mod trust;

use std::env;
use std::fs;
use std::path::{Path, PathBuf};

use crate::content::{BlobFile, BlobRef, ContentLibrary, Present};
use crate::db::Db;
use crate::error::{Error, IoContext, Result};
use crate::kill_point;

/// The database file name inside a site folder.
pub const DATABASE_FILE_NAME: &str = "site.db";
/// The site code of a new site when none is given.
pub const DEFAULT_SITE_CODE: &str = "OSU";
/// Retired content versions a package keeps unless the site says otherwise.
pub const DEFAULT_RETAINED_CONTENT_VERSIONS: u32 = 1;
const MOST_RETAINED_CONTENT_VERSIONS: u32 = 100;
const RETAINED_SETTING: &str = "retained_content_versions";
/// Chunks a collection deletes in one transaction.
const CHUNKS_PER_COLLECTION: usize = 128;
/// Overrides the embedded default site's location.
pub const SITE_ENVIRONMENT_VARIABLE: &str = "OSUPGRADE_SITE";

pub struct Site {
    db: Db,
    library: ContentLibrary,
    code: String,
    log_callback: std::sync::Mutex<Option<crate::logging::LogCallback>>,
}

/// A site's summary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteInfo {
    pub database_path: String,
    pub library_path: String,
    pub site_code: String,
    pub schema_version: i64,
    pub package_count: u64,
    pub blob_count: u64,
    /// Bytes the content library holds on disk.
    pub library_size: u64,
    /// Bytes of all packages' content, as if each were stored on its own.
    pub content_size: u64,
    /// What single-instance storage saves: content size less library size.
    pub bytes_saved: u64,
    /// Retired content versions each package keeps beside its current one.
    pub retained_content_versions: u32,
}

impl Site {
    /// Opens the site whose database is at `path` (a file, or a folder holding `site.db`; a path
    /// without an extension is a folder). A path that holds no site is `NotFound`: opening never
    /// creates, so a mistyped path is an error rather than a new empty site (`create` makes
    /// one). `None` opens the embedded default, which is created on first use. `site_code`, when
    /// given, must match the site's (and is the code of the embedded default when it is made).
    pub fn open(path: Option<&Path>, site_code: Option<&str>) -> Result<Site> {
        let database_path = resolve_database_path(path)?;
        if path.is_none() && env::var_os(SITE_ENVIRONMENT_VARIABLE).is_none_or(|p| p.is_empty()) {
            if let Some(folder) = database_path.parent() {
                platform::make_private_folder(folder)?;
            }
        }
        if path.is_some() && !database_path.is_file() {
            return Err(Error::NotFound {
                what: "site",
                id: database_path.display().to_string(),
                missing: None,
            });
        }
        Site::open_database(&database_path, site_code)
    }

    /// Creates a site at `path` (a folder, made if needed, or a database file name) with its
    /// content library, and opens it. `site_code` (default `OSU`) prefixes its package IDs. A
    /// path that holds a site already is a `Conflict`.
    pub fn create(path: &Path, site_code: Option<&str>) -> Result<Site> {
        let site_code = site_code.map(validate_site_code).transpose()?;
        let database_path = resolve_database_path(Some(path))?;
        claim_database_file(&database_path)?;
        let created = Site::open_database(&database_path, site_code.as_deref());
        if created.is_err() {
            // A site that could not be made whole is not left half made, to be opened later.
            // The file is this call's own: claiming it refused any that was there.
            remove_database_files(&database_path);
        }
        created
    }

    fn open_database(database_path: &Path, site_code: Option<&str>) -> Result<Site> {
        let folder = database_path
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default();
        fs::create_dir_all(&folder).at(&folder)?;
        trust::check_trusted(&[&folder, database_path])?;
        let db = Db::open(database_path)?;
        let code = db.write(|db| settle_site_code(db, site_code))?;
        let library = ContentLibrary::open(&folder.join("files"), database_path)?;
        Ok(Site {
            db,
            library,
            code,
            log_callback: std::sync::Mutex::new(None),
        })
    }

    /// The embedded default: `$OSUPGRADE_SITE`, else `%ProgramData%\OSUpgrade\site.db` on
    /// Windows, `$XDG_DATA_HOME/osupgrade/site.db` or `~/.local/share/osupgrade/site.db` elsewhere.
    pub fn default_database_path() -> Result<PathBuf> {
        if let Some(path) = env::var_os(SITE_ENVIRONMENT_VARIABLE).filter(|p| !p.is_empty()) {
            return Ok(database_path_in(Path::new(&path)));
        }
        platform_data_folder()
            .map(|folder| folder.join(DATABASE_FILE_NAME))
            .ok_or_else(|| {
                Error::invalid_argument(
                    "path",
                    "no site path was given and no data folder is known (set OSUPGRADE_SITE)",
                )
            })
    }

    pub fn code(&self) -> &str {
        &self.code
    }

    pub fn database_path(&self) -> &Path {
        self.db.path()
    }

    /// The folder that holds the site's database, its Logs and its servicing work.
    pub(crate) fn folder(&self) -> PathBuf {
        self.db
            .path()
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default()
    }

    /// Hands the site's operations' log records to `callback` as well, on the thread that
    /// called each operation (`None` stops it).
    pub fn set_log_callback(&self, callback: Option<crate::logging::LogCallback>) {
        *self
            .log_callback
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = callback;
    }

    /// Sends this thread's log records to the site's Logs folder until the scope drops.
    pub(crate) fn log_scope(&self) -> crate::logging::Scope {
        let folder = self.folder().join(crate::logging::LOGS_FOLDER);
        let callback = self
            .log_callback
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone();
        crate::logging::enter(&folder, callback)
    }

    pub(crate) fn db(&self) -> &Db {
        &self.db
    }

    pub(crate) fn library(&self) -> &ContentLibrary {
        &self.library
    }

    pub fn info(&self) -> Result<SiteInfo> {
        let totals = self.db.library_totals()?;
        Ok(SiteInfo {
            database_path: self.db.path().display().to_string(),
            library_path: self.library.root().display().to_string(),
            site_code: self.code.clone(),
            schema_version: self.db.schema_version()?,
            package_count: totals.package_count,
            blob_count: totals.blob_count,
            library_size: totals.library_bytes,
            content_size: totals.package_bytes,
            bytes_saved: totals.package_bytes.saturating_sub(totals.library_bytes),
            retained_content_versions: self.retained_content_versions()?,
        })
    }

    /// How many retired content versions each package keeps beside its current one, so that a
    /// point still holding one can be validated against it (default 1).
    pub fn retained_content_versions(&self) -> Result<u32> {
        let setting = self.db.setting(RETAINED_SETTING)?;
        Ok(setting
            .and_then(|value| value.parse().ok())
            .unwrap_or(DEFAULT_RETAINED_CONTENT_VERSIONS))
    }

    /// Sets how many retired content versions each package keeps (0 to 100). It takes effect
    /// when a package next gets a new content version; the blobs only dropped versions used are
    /// collected then.
    pub fn set_retained_content_versions(&self, count: u32) -> Result<()> {
        if count > MOST_RETAINED_CONTENT_VERSIONS {
            return Err(Error::invalid_argument(
                "count",
                format!("{count} is more than {MOST_RETAINED_CONTENT_VERSIONS} retained content versions"),
            ));
        }
        self.db
            .write(|db| db.set_setting(RETAINED_SETTING, &count.to_string()))
    }

    /// Refuses (busy) while a live runner services the package: its run will record a content
    /// version built on what it took out, whatever became of the package meanwhile. `change`
    /// says what cannot be done, for the message.
    pub(crate) fn refuse_while_serviced(&self, package_id: &str, change: &str) -> Result<()> {
        for run in self.db.running_runs(package_id)? {
            if self.library.importer_is_alive(&run.owner) {
                return Err(Error::Busy(format!(
                    "package {package_id} is being serviced (run {}): {change} it once the run is over",
                    run.id
                )));
            }
        }
        Ok(())
    }

    /// A blob of the library as a file to read (see `ContentLibrary::blob_file`).
    pub(crate) fn blob_file(&self, sha256: &str, size: u64) -> Result<BlobFile> {
        let chunks = self.db.blob_chunks([sha256])?;
        let chunks = chunks.get(sha256).map_or(&[][..], Vec::as_slice);
        self.library.blob_file(&BlobRef {
            sha256,
            size,
            chunks,
        })
    }

    /// Copies a blob out of the library to `target`, a new file, every byte checked.
    pub(crate) fn export_blob(
        &self,
        sha256: &str,
        size: u64,
        target: &Path,
        report: &(dyn Fn(u64) + Sync),
        cancel: &std::sync::atomic::AtomicBool,
    ) -> Result<()> {
        let chunks = self.db.blob_chunks([sha256])?;
        let chunks = chunks.get(sha256).map_or(&[][..], Vec::as_slice);
        let blob = BlobRef {
            sha256,
            size,
            chunks,
        };
        self.library
            .export_blob(&blob, None, target, report, cancel)
            .map(drop)
    }

    /// What the library holds, for an import to look at before it copies a file.
    pub(crate) fn present_blobs(&self) -> Result<Present> {
        Ok(Present {
            sizes: self.db.blob_sizes()?,
            chunked: self.db.chunked_blob_hashes()?,
        })
    }

    /// Keeps a blob the library holds whole as chunks from now on. Its chunks are recorded as
    /// collectable, placed and flushed; then, under the write lock, any that collection took
    /// meanwhile is cut again, and the blob's chunk list is recorded and flushed; only then does
    /// the whole file go. A reader that looked before the record finds the whole file, or
    /// finds it gone and reads the chunks then. A crash before the record leaves the blob whole
    /// and its chunks to collection; one after it leaves a whole file the next collection
    /// deletes.
    pub(crate) fn keep_as_chunks(&self, sha256: &str, size: u64) -> Result<()> {
        if !self.library.holds(sha256, size) {
            return Ok(());
        }
        let cancel = std::sync::atomic::AtomicBool::new(false);
        let mut staged = self.library.stage_cut(sha256, size, &cancel)?;
        kill_point::reached("cut: chunks staged");
        let chunks = staged.chunk_list();
        self.db.write(|db| db.insert_chunks(&chunks))?;
        // Placed and flushed outside the lock: a large image is thousands of chunks, and other
        // writers of the site would wait for them. All are flushed, those another import placed
        // too.
        self.library.commit_cut(&mut staged)?;
        let paths: Vec<PathBuf> = chunks
            .iter()
            .map(|c| self.library.chunk_path(&c.sha256))
            .collect();
        self.library.make_durable(&paths)?;
        kill_point::reached("cut: chunks placed");
        let recorded = self.db.write(|db| {
            // Cut by another process, or collected, meanwhile.
            if !self.library.holds(sha256, size) || db.blob_chunks([sha256])?.contains_key(sha256) {
                return Ok(false);
            }
            let again = self.library.commit_cut(&mut staged)?;
            self.library.make_durable(&again)?;
            db.insert_blob_chunks(sha256, &chunks)?;
            Ok(true)
        })?;
        if recorded {
            self.db.flush_commits()?;
            kill_point::reached("cut: chunks recorded");
            self.library.delete_blob(sha256)?;
        }
        Ok(())
    }

    /// Deletes the blobs no package references any more, and what dead imports left behind.
    /// Blob files go before their rows, under the write lock: an import that references a blob
    /// meanwhile waits, then finds it gone and writes it anew; a crash halfway leaves rows of
    /// unreferenced blobs, which the next collection removes.
    pub(crate) fn collect_garbage(&self) -> Result<usize> {
        let collected = self.db.write(|db| {
            for import in db.importing_versions(None)? {
                if self.library.importer_is_alive(&import.importer) {
                    continue;
                }
                if import.adding {
                    db.delete_package(&import.package_id)?;
                } else {
                    db.delete_content_version(&import.package_id, import.number)?;
                }
            }
            for abandoned in db.unowned_importing_packages()? {
                db.delete_package(&abandoned)?;
            }
            for (update, importer) in db.importing_updates()? {
                if !self.library.importer_is_alive(&importer) {
                    db.delete_update(&update)?;
                }
            }
            let hashes = db.unreferenced_blobs()?;
            for sha256 in &hashes {
                self.library.delete_blob(sha256)?;
                db.delete_blob_record(sha256)?;
            }
            // The whole file a cut that a crash stopped left beside the chunks it recorded, once
            // that record is sure to outlive a power loss; one that cannot go now (held open
            // elsewhere) is tried again by the next collection.
            let cut: Vec<String> = db
                .chunked_blob_hashes()?
                .into_iter()
                .filter(|sha256| self.library.blob_path(sha256).exists())
                .collect();
            if !cut.is_empty() {
                db.flush_commits()?;
            }
            for sha256 in &cut {
                let _ = self.library.delete_blob(sha256);
            }
            Ok(hashes.len())
        })?;
        // After the blobs, whose records going leave their chunks unreferenced. In batches,
        // each judged again under the write lock: a removed 5 GB image has 40,000 chunks, and
        // one transaction would hold every other writer of the site while they are deleted.
        loop {
            let deleted = self.db.write(|db| {
                let batch = db.unreferenced_chunks(CHUNKS_PER_COLLECTION)?;
                for sha256 in &batch {
                    self.library.delete_chunk(sha256)?;
                    db.delete_chunk_record(sha256)?;
                }
                Ok(batch.len())
            })?;
            if deleted < CHUNKS_PER_COLLECTION {
                break;
            }
        }
        self.library.remove_abandoned_staging()?;
        Ok(collected)
    }
}

fn resolve_database_path(path: Option<&Path>) -> Result<PathBuf> {
    let path = match path {
        Some(path) if path.as_os_str().is_empty() => {
            return Err(Error::invalid_argument("path", "the site path is empty"))
        }
        Some(path) => database_path_in(path),
        None => Site::default_database_path()?,
    };
    if path.is_absolute() {
        return Ok(path);
    }
    Ok(env::current_dir().at(".")?.join(path))
}

/// A folder stands for the `site.db` inside it. A path that does not exist yet is a folder
/// unless its name has an extension (`lab.db`), as admins type `D:\Sites\Lab`.
fn database_path_in(path: &Path) -> PathBuf {
    // One look: another process may create the folder between two.
    let is_folder = match fs::metadata(path) {
        Ok(metadata) => metadata.is_dir(),
        Err(_) => path.extension().is_none(),
    };
    if is_folder {
        path.join(DATABASE_FILE_NAME)
    } else {
        path.to_path_buf()
    }
}

fn settle_site_code(db: &Db, requested: Option<&str>) -> Result<String> {
    let requested = requested.map(validate_site_code).transpose()?;
    match (db.setting("site_code")?, requested) {
        (Some(existing), Some(requested)) if existing != requested => {
            Err(Error::Conflict(format!(
                "{}: the site's code is {existing}, not {requested}",
                db.path().display()
            )))
        }
        (Some(existing), _) => Ok(existing),
        (None, requested) => {
            let code = requested.unwrap_or_else(|| DEFAULT_SITE_CODE.to_string());
            db.set_setting("site_code", &code)?;
            Ok(code)
        }
    }
}

/// Makes the empty database file a new site starts from (SQLite takes an empty file for a new
/// database), refusing one that is there already in one step: whatever else opens or creates a
/// site there at the same moment, only one create wins, and a failed create removes only its own.
fn claim_database_file(database_path: &Path) -> Result<()> {
    if let Some(folder) = database_path.parent() {
        fs::create_dir_all(folder).at(folder)?;
    }
    match fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(database_path)
    {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Err(Error::Conflict(format!(
            "{}: a site exists there already; open it instead",
            database_path.display()
        ))),
        Err(e) => Err(Error::io(database_path, e)),
    }
}

/// Removes a database and the journal files SQLite keeps beside it, where they are.
fn remove_database_files(database_path: &Path) {
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let mut path = database_path.as_os_str().to_owned();
        path.push(suffix);
        let _ = fs::remove_file(PathBuf::from(path));
    }
}

fn validate_site_code(code: &str) -> Result<String> {
    let valid = code.len() == 3
        && code.chars().all(|c| c.is_ascii_alphanumeric())
        && code.starts_with(|c: char| c.is_ascii_alphabetic());
    if !valid {
        return Err(Error::invalid_argument(
            "site_code",
            format!("'{code}' is not a site code: three letters or digits, starting with a letter"),
        ));
    }
    Ok(code.to_ascii_uppercase())
}

/// `%ProgramData%` only when it names an absolute folder: an empty or relative one would put the
/// default site wherever the caller happens to be.
#[cfg(windows)]
fn platform_data_folder() -> Option<PathBuf> {
    env::var_os("ProgramData")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .map(|p| p.join("OSUpgrade"))
}

#[cfg(not(windows))]
fn platform_data_folder() -> Option<PathBuf> {
    let data_home = env::var_os("XDG_DATA_HOME")
        .filter(|p| !p.is_empty())
        .map(PathBuf::from)
        .or_else(|| env::var_os("HOME").map(|home| PathBuf::from(home).join(".local/share")));
    data_home.map(|folder| folder.join("osupgrade"))
}

/// The embedded default's folder holds every package's content and the database that says where
/// it goes: on Windows it is made for SYSTEM and Administrators only (a protected DACL that its
/// files inherit), as Configuration Manager keeps its content library.
#[cfg(windows)]
mod platform {
    use std::ffi::c_void;
    use std::io;
    use std::os::windows::ffi::OsStrExt;
    use std::path::Path;

    use crate::error::{IoContext, Result};

    /// Protected (P): nothing inherited from ProgramData; full access (FA) for SYSTEM (SY) and
    /// Administrators (BA), inherited by files and folders below (OICI).
    const PRIVATE_FOLDER_SDDL: &str = "D:P(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)";
    const SDDL_REVISION_1: u32 = 1;
    const ERROR_ALREADY_EXISTS: i32 = 183;

    #[repr(C)]
    struct SecurityAttributes {
        length: u32,
        descriptor: *mut c_void,
        inherit_handle: i32,
    }

    #[link(name = "advapi32")]
    extern "system" {
        fn ConvertStringSecurityDescriptorToSecurityDescriptorW(
            sddl: *const u16,
            revision: u32,
            descriptor: *mut *mut c_void,
            size: *mut u32,
        ) -> i32;
    }

    #[link(name = "kernel32")]
    extern "system" {
        fn CreateDirectoryW(path: *const u16, attributes: *const SecurityAttributes) -> i32;
        fn LocalFree(memory: *mut c_void) -> *mut c_void;
    }

    /// Makes the folder (its parents as usual) with the private DACL; one that exists is left as
    /// it is.
    pub(super) fn make_private_folder(folder: &Path) -> Result<()> {
        if folder.is_dir() {
            return Ok(());
        }
        if let Some(parent) = folder.parent() {
            std::fs::create_dir_all(parent).at(parent)?;
        }
        create_private(folder).at(folder)
    }

    fn create_private(folder: &Path) -> io::Result<()> {
        let wide = |text: &std::ffi::OsStr| text.encode_wide().chain([0]).collect::<Vec<u16>>();
        let sddl = wide(PRIVATE_FOLDER_SDDL.as_ref());
        let path = wide(folder.as_os_str());
        let mut descriptor = std::ptr::null_mut();
        // SAFETY: both strings are NUL-terminated and outlive the calls; the descriptor the
        // first call allocates is freed with LocalFree, as it documents.
        unsafe {
            if ConvertStringSecurityDescriptorToSecurityDescriptorW(
                sddl.as_ptr(),
                SDDL_REVISION_1,
                &mut descriptor,
                std::ptr::null_mut(),
            ) == 0
            {
                return Err(io::Error::last_os_error());
            }
            let attributes = SecurityAttributes {
                length: std::mem::size_of::<SecurityAttributes>() as u32,
                descriptor,
                inherit_handle: 0,
            };
            let created = CreateDirectoryW(path.as_ptr(), &attributes);
            let error = io::Error::last_os_error();
            LocalFree(descriptor);
            match created {
                0 if error.raw_os_error() == Some(ERROR_ALREADY_EXISTS) => Ok(()),
                0 => Err(error),
                _ => Ok(()),
            }
        }
    }
}

#[cfg(not(windows))]
mod platform {
    /// Elsewhere the default lives in the user's own data folder, private by its place.
    pub(super) fn make_private_folder(_folder: &std::path::Path) -> crate::error::Result<()> {
        Ok(())
    }
}
