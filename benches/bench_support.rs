//! What the benchmarks share: the generated package source, timing, child processes with
//! their peak memory, and the printed table.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// Where the benchmarks write: `$OSU_BENCH_DIR` (a tmpfs such as /dev/shm/osupgrade-bench takes
/// the disk's drifting write speed out of the figures), else target/bench-data.
pub fn bench_root() -> PathBuf {
    match std::env::var_os("OSU_BENCH_DIR") {
        Some(folder) if !folder.is_empty() => PathBuf::from(folder),
        _ => Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-data"),
    }
}

/// Rounds of each benchmark: `$OSU_BENCH_ROUNDS`, else `default`.
pub fn rounds(default: usize) -> usize {
    std::env::var("OSU_BENCH_ROUNDS")
        .ok()
        .and_then(|value| value.parse().ok())
        .filter(|&rounds| rounds > 0)
        .unwrap_or(default)
}

/// A ≥ 1 GiB setup source: an ~800 MiB install.wim plus ~1,000 files of up to 512 KiB.
pub fn bench_source() -> PathBuf {
    let root = bench_root();
    let source = root.join("source");
    let done = root.join("source.complete");
    if !done.exists() {
        let _ = std::fs::remove_dir_all(&source);
        std::fs::create_dir_all(&root).expect("bench data folder");
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/make-source.sh");
        run(Command::new("bash").arg(script).arg(&source).args([
            "--image-mib",
            "800",
            "--small-files",
            "1000",
            "--small-kib",
            "512",
        ]));
        std::fs::write(&done, b"").expect("marker");
    }
    source
}

pub fn scratch(name: &str) -> PathBuf {
    let path = bench_root().join(name);
    let _ = std::fs::remove_dir_all(&path);
    path
}

pub fn tree_bytes_and_files(root: &Path) -> (u64, u64) {
    let mut totals = (0, 0);
    let mut folders = vec![root.to_path_buf()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(folder).expect("read folder").flatten() {
            let metadata = entry.metadata().expect("metadata");
            if metadata.is_dir() {
                folders.push(entry.path());
            } else {
                totals.0 += metadata.len();
                totals.1 += 1;
            }
        }
    }
    totals
}

/// Runs a shell command to completion; returns its wall time and peak resident memory.
pub fn measure_shell(script: &str) -> (Duration, u64) {
    measure(Command::new("bash").args(["-c", script]))
}

/// Runs a command to completion; returns its wall time and peak resident memory (bytes).
/// The child is reaped by wait4, which reports its own peak memory, not by `Child::wait`.
#[allow(clippy::zombie_processes)]
pub fn measure(command: &mut Command) -> (Duration, u64) {
    let started = Instant::now();
    let child = command.spawn().expect("spawn");
    let mut status = 0;
    // SAFETY: an all-zero rusage is a valid value for wait4 to fill.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: waits for our own child, writing into the locals above.
    let waited = unsafe { libc::wait4(child.id() as libc::pid_t, &mut status, 0, &mut usage) };
    let elapsed = started.elapsed();
    assert!(
        waited > 0 && libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
        "{command:?} failed"
    );
    (elapsed, usage.ru_maxrss as u64 * 1024)
}

pub fn run(command: &mut Command) {
    let status = command.status().expect("spawn");
    assert!(status.success(), "{command:?} failed");
}

/// Runs `once` after the disk has written back what earlier runs left dirty, so that each
/// measurement pays only for its own writes, with memory warmed for one package's copy.
pub fn settled(once: impl FnOnce() -> (Duration, u64)) -> (Duration, u64) {
    settled_writing(WARM_BYTES, once)
}

/// `settled` for a measurement that writes up to `bytes` (several copies at once).
pub fn settled_writing(bytes: u64, once: impl FnOnce() -> (Duration, u64)) -> (Duration, u64) {
    run(&mut Command::new("sync"));
    warm_memory(bytes);
    once()
}

/// What a measurement writes by default: one copy of the ~1 GiB source, with room to spare.
const WARM_BYTES: u64 = 3 << 29;

/// On a tmpfs, makes the next `bytes` of writes land in memory the machine backs. A VM whose
/// balloon reports free pages to its host (free page reporting; this one's does within
/// milliseconds) hands them back, and the next write to each costs a fault in the host: a
/// `cp -r` of 1 GiB took 0.5 s right after memory was freed and 2.2 s ten seconds later. Writing
/// and deleting a file of that size just before a measurement gives every tool the same warm
/// pages, as on a machine of its own.
fn warm_memory(bytes: u64) {
    let root = bench_root();
    if !on_tmpfs(&root) {
        return;
    }
    let path = root.join("warm-up");
    let block = vec![0x5a_u8; 8 << 20];
    let mut file = std::fs::File::create(&path).expect("warm-up file");
    for _ in 0..bytes.div_ceil(block.len() as u64) {
        std::io::Write::write_all(&mut file, &block).expect("warm-up write");
    }
    drop(file);
    std::fs::remove_file(&path).expect("remove the warm-up file");
}

#[cfg(not(target_os = "linux"))]
pub fn on_tmpfs(_path: &Path) -> bool {
    false
}

#[cfg(target_os = "linux")]
pub fn on_tmpfs(path: &Path) -> bool {
    use std::os::unix::ffi::OsStrExt;
    let Ok(name) = std::ffi::CString::new(path.as_os_str().as_bytes()) else {
        return false;
    };
    // SAFETY: an all-zero statfs is a valid value for statfs to fill.
    let mut info: libc::statfs = unsafe { std::mem::zeroed() };
    // SAFETY: `name` is a NUL-terminated path and `info` a statfs, both alive for the call.
    let found = unsafe { libc::statfs(name.as_ptr(), &mut info) } == 0;
    found && info.f_type == libc::TMPFS_MAGIC
}

/// Measurements of one thing over several rounds.
#[derive(Default)]
pub struct Series(pub Vec<(Duration, u64)>);

impl Series {
    pub fn push(&mut self, sample: (Duration, u64)) {
        self.0.push(sample);
    }

    pub fn median(&self) -> Duration {
        median(self.0.iter().map(|s| s.0.as_secs_f64()).collect())
    }

    pub fn spread(&self) -> (f64, f64) {
        let times = self.0.iter().map(|s| s.0.as_secs_f64());
        (
            times.clone().fold(f64::MAX, f64::min),
            times.fold(0.0, f64::max),
        )
    }

    pub fn peak_memory(&self) -> u64 {
        self.0.iter().map(|s| s.1).max().unwrap_or(0)
    }

    /// The median over rounds of this series' time divided by the other's in the same round:
    /// the disk of a shared machine drifts between rounds, less within one.
    pub fn ratio_to(&self, other: &Series) -> f64 {
        let ratios = self
            .0
            .iter()
            .zip(&other.0)
            .map(|(a, b)| a.0.as_secs_f64() / b.0.as_secs_f64())
            .collect();
        median(ratios).as_secs_f64()
    }
}

fn median(mut values: Vec<f64>) -> Duration {
    values.sort_by(|a, b| a.total_cmp(b));
    Duration::from_secs_f64(values.get(values.len() / 2).copied().unwrap_or(0.0))
}

pub fn print_header() {
    println!(
        "{:<40} {:>8} {:>15} {:>11}  {:<26} goal",
        "median of rounds", "time", "min-max", "rate", "ratio (median of rounds)"
    );
}

pub fn print_row(
    what: &str,
    series: &Series,
    bytes: u64,
    against: Option<(&str, &Series)>,
    goal: &str,
) {
    let time = series.median();
    let rate = bytes as f64 / time.as_secs_f64() / (1 << 20) as f64;
    let ratio = against.map_or(String::new(), |(name, base)| {
        format!("{:>5.2}x {name}", series.ratio_to(base))
    });
    let (low, high) = series.spread();
    println!(
        "{what:<40} {:>6.3} s {low:>6.2}-{high:<6.2} s {rate:>5.0} MiB/s  {ratio:<26} {goal}",
        time.as_secs_f64()
    );
}

pub fn mib(bytes: u64) -> f64 {
    bytes as f64 / (1 << 20) as f64
}
