//! The operational log. Every operation writes what it does to CMTrace-format files (what
//! ConfigMgr admins read with CMTrace or OneTrace) in the site's `Logs` folder, one per
//! component (`package.log`, `distribution.log`, `updates.log`, `servicing.log`), each rotated
//! at `MAX_LOG_BYTES` the way ConfigMgr rotates its logs (the full file becomes `<name>.lo_`).
//! Records go through the `log` facade (`log::info!(target: "distribution", …)`); the site they
//! belong to is the one the operation of this thread has entered, which the job pool's workers
//! inherit. A log that cannot be written never fails the operation; it says so once.

use std::cell::RefCell;
use std::fs::{self, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, Once};

use crate::time::civil::{now, WallTime};
use crate::time::zone::{Local, Zone};

/// A component's log is rotated once it reaches this size.
pub const MAX_LOG_BYTES: u64 = 2 << 20;
/// The folder of a site's logs, beside its database.
pub const LOGS_FOLDER: &str = "Logs";

/// A record as a log callback gets it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogEntry {
    /// `Information`, `Warning` or `Error`.
    pub severity: Severity,
    pub component: String,
    pub message: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    Information,
    Warning,
    Error,
}

/// Gets the records of the operations of a site (a C callback, a .NET handler): on the thread
/// that called the operation, never on another.
pub type LogCallback = Arc<dyn Fn(&LogEntry) + Send + Sync>;

/// Where an operation's records go: a site's Logs folder, and its callback if it has one, which
/// hears them on the thread that entered the operation (what workers log waits for it there).
pub(crate) struct Destination {
    folder: PathBuf,
    failed: AtomicBool,
    callback: Option<LogCallback>,
    caller: std::thread::ThreadId,
    pending: Mutex<Vec<LogEntry>>,
}

thread_local! {
    static CURRENT: RefCell<Option<Arc<Destination>>> = const { RefCell::new(None) };
}

/// Restores the thread's previous destination when the operation is over, and hands the
/// callback what the workers logged.
pub(crate) struct Scope {
    previous: Option<Arc<Destination>>,
}

impl Drop for Scope {
    fn drop(&mut self) {
        let previous = self.previous.take();
        let ended = CURRENT.with(|current| std::mem::replace(&mut *current.borrow_mut(), previous));
        if let Some(ended) = ended {
            ended.deliver_pending();
        }
    }
}

/// Sends this thread's records to `folder`, and to `callback`, until the scope drops. Within
/// an operation that has a destination already, it stays.
pub(crate) fn enter(folder: &Path, callback: Option<LogCallback>) -> Scope {
    install();
    if let Some(current) = current() {
        return adopt(Some(current));
    }
    adopt(Some(Arc::new(Destination {
        folder: folder.to_path_buf(),
        failed: AtomicBool::new(false),
        callback,
        caller: std::thread::current().id(),
        pending: Mutex::new(Vec::new()),
    })))
}

/// The destination of this thread's records, for a worker to adopt.
pub(crate) fn current() -> Option<Arc<Destination>> {
    CURRENT.with(|current| current.borrow().clone())
}

/// What a pool's worker threads enter (`jobs::run`), so that what they log goes where the
/// operation that started them, on this thread, logs.
pub(crate) fn for_workers() -> impl Fn() -> Scope + Sync {
    let destination = current();
    move || adopt(destination.clone())
}

/// Sends this thread's records where another thread's go (a worker of its operation).
pub(crate) fn adopt(destination: Option<Arc<Destination>>) -> Scope {
    let previous = CURRENT.with(|current| current.replace(destination));
    Scope { previous }
}

fn install() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        // Another logger installed by the program that hosts the library keeps its place.
        if log::set_logger(&LOGGER).is_ok() {
            log::set_max_level(log::LevelFilter::Info);
        }
    });
}

static LOGGER: Logger = Logger;
/// One writer at a time in this process, so that lines and rotations do not interleave.
static WRITING: Mutex<()> = Mutex::new(());

struct Logger;

impl log::Log for Logger {
    fn enabled(&self, metadata: &log::Metadata<'_>) -> bool {
        metadata.level() <= log::Level::Info
    }

    fn log(&self, record: &log::Record<'_>) {
        if !self.enabled(record.metadata()) {
            return;
        }
        if let Some(destination) = current() {
            destination.write(record);
        }
    }

    fn flush(&self) {}
}

impl Destination {
    fn write(&self, record: &log::Record<'_>) {
        let component = record.target();
        let line = cmtrace_line(record, component);
        let path = self.folder.join(format!("{component}.log"));
        {
            let _writing = WRITING
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            if let Err(error) = append(&self.folder, &path, &line) {
                if !self.failed.swap(true, Ordering::Relaxed) && first_failure_of(&self.folder) {
                    eprintln!(
                        "OSUpgrade: cannot write the log {}: {error}; the operation goes on without it",
                        path.display()
                    );
                }
            }
        }
        if self.callback.is_some() {
            let entry = LogEntry {
                severity: match record.level() {
                    log::Level::Error => Severity::Error,
                    log::Level::Warn => Severity::Warning,
                    _ => Severity::Information,
                },
                component: component.to_string(),
                message: record.args().to_string(),
            };
            self.pending
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .push(entry);
            self.deliver_pending();
        }
    }

    /// Hands the callback what is waiting, when this is the thread that entered the operation.
    fn deliver_pending(&self) {
        let Some(callback) = &self.callback else {
            return;
        };
        if std::thread::current().id() != self.caller {
            return;
        }
        let waiting = std::mem::take(
            &mut *self
                .pending
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner),
        );
        for entry in &waiting {
            callback(entry);
        }
    }
}

/// Whether this is the first time this process could not write to the folder: it says so once.
fn first_failure_of(folder: &Path) -> bool {
    static SAID: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());
    let mut said = SAID
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if said.iter().any(|f| f == folder) {
        return false;
    }
    said.push(folder.to_path_buf());
    true
}

fn append(folder: &Path, path: &Path, line: &str) -> std::io::Result<()> {
    fs::create_dir_all(folder)?;
    if fs::metadata(path).is_ok_and(|m| m.len() >= MAX_LOG_BYTES) {
        fs::rename(path, path.with_extension("lo_"))?;
    }
    OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)?
        .write_all(line.as_bytes())
}

/// `<![LOG[message]LOG]!><time="HH:mm:ss.fff+bias" date="MM-dd-yyyy" component=… type=…>`, as
/// CMTrace reads it: local time, the bias in minutes (UTC less local), type 1 information,
/// 2 warning, 3 error.
fn cmtrace_line(record: &log::Record<'_>, component: &str) -> String {
    let utc = now();
    let offset = Local.offset_at(utc);
    let local = WallTime::from_seconds(utc + offset);
    let millis = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_millis());
    let bias = -offset / 60;
    let s = local.second_of_day;
    let kind = match record.level() {
        log::Level::Error => 3,
        log::Level::Warn => 2,
        _ => 1,
    };
    let file = record
        .file()
        .map(|f| f.rsplit(['/', '\\']).next().unwrap_or(f))
        .unwrap_or("");
    format!(
        "<![LOG[{}]LOG]!><time=\"{:02}:{:02}:{:02}.{millis:03}{}{:03}\" date=\"{:02}-{:02}-{:04}\" component=\"{component}\" context=\"\" type=\"{kind}\" thread=\"{}\" file=\"{file}:{}\">\n",
        record.args().to_string().replace("]LOG]!>", "] LOG]!>"),
        s / 3600,
        s / 60 % 60,
        s % 60,
        if bias < 0 { '-' } else { '+' },
        bias.abs(),
        local.month,
        local.day,
        local.year,
        thread_id(),
        record.line().unwrap_or(0),
    )
}

#[cfg(target_os = "linux")]
fn thread_id() -> i64 {
    // SAFETY: gettid has no preconditions.
    i64::from(unsafe { libc::gettid() })
}

#[cfg(not(target_os = "linux"))]
fn thread_id() -> i64 {
    i64::from(std::process::id())
}

/// Logs a failed operation as an error of its component (a cancelled one as a warning), at the
/// place that called this, and hands the result on.
#[track_caller]
pub(crate) fn failure<T>(
    component: &str,
    what: &str,
    result: crate::Result<T>,
) -> crate::Result<T> {
    if let Err(error) = &result {
        let caller = std::panic::Location::caller();
        let (level, outcome) = match error.kind() {
            crate::ErrorKind::Cancelled => (log::Level::Warn, "was cancelled"),
            _ => (log::Level::Error, "failed"),
        };
        log::logger().log(
            &log::Record::builder()
                .args(format_args!("{what} {outcome}: {error}"))
                .level(level)
                .target(component)
                .file(Some(caller.file()))
                .line(Some(caller.line()))
                .build(),
        );
    }
    result
}
