//! A mutation fuzzer for the readers of bytes that come from outside (tests only): WIM headers
//! and their XML, update manifests, catalogs, cabinet headers, the C face's JSON arguments.
//! Each target starts from its corpus in `tests/fuzz/<target>/`, feeds every file as it is,
//! then mutations of them (bits flipped, bytes set, boundary numbers written, cuts, repeats,
//! insertions, splices of two files) until its time is up. A panic fails the test and keeps
//! the input in `target/fuzz-crashes/`. The time per target is `OSUPGRADE_FUZZ_SECONDS`
//! (2 unless set; the README gives the long form), the seed `OSUPGRADE_FUZZ_SEED` (the clock
//! unless set), and each target prints how many inputs it ran.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Runs `target`'s corpus and its mutations through `run`, which must not panic.
pub(crate) fn fuzz(target: &str, mut run: impl FnMut(&[u8])) {
    let corpus = corpus_of(target);
    let seconds: u64 = env_number("OSUPGRADE_FUZZ_SECONDS").unwrap_or(2);
    let seed = env_number("OSUPGRADE_FUZZ_SEED").unwrap_or_else(clock_seed);
    let mut random = Random(seed | 1);
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let mut count = 0u64;
    for input in &corpus {
        survive(target, seed, count, input, &mut run);
        count += 1;
    }
    while Instant::now() < deadline {
        let input = mutate(&corpus, &mut random);
        survive(target, seed, count, &input, &mut run);
        count += 1;
    }
    println!(
        "fuzz {target}: {count} inputs in {seconds} s from {} corpus files, seed {seed}: no crash",
        corpus.len()
    );
}

/// As `fuzz`, for a reader of files: each input is written to a scratch file first.
pub(crate) fn fuzz_file(target: &str, extension: &str, mut run: impl FnMut(&Path)) {
    let file = std::env::temp_dir().join(format!(
        "osupgrade-fuzz-{target}-{}.{extension}",
        std::process::id()
    ));
    fuzz(target, |bytes| {
        std::fs::write(&file, bytes).expect("a scratch file");
        run(&file);
    });
    let _ = std::fs::remove_file(&file);
}

fn survive(target: &str, seed: u64, count: u64, input: &[u8], run: &mut impl FnMut(&[u8])) {
    if catch_unwind(AssertUnwindSafe(|| run(input))).is_ok() {
        return;
    }
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/fuzz-crashes");
    let kept = folder.join(format!("{target}-{seed}-{count}.bin"));
    let _ = std::fs::create_dir_all(&folder).and_then(|()| std::fs::write(&kept, input));
    panic!(
        "fuzz {target}: input {count} (seed {seed}) panicked; kept in {}",
        kept.display()
    );
}

fn corpus_of(target: &str) -> Vec<Vec<u8>> {
    let folder: PathBuf = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fuzz")
        .join(target);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&folder)
        .unwrap_or_else(|e| panic!("fuzz {target}: no corpus in {}: {e}", folder.display()))
        .map(|entry| entry.expect("a corpus entry").path())
        .collect();
    files.sort();
    let corpus: Vec<Vec<u8>> = files
        .iter()
        .map(|file| std::fs::read(file).expect("a corpus file"))
        .collect();
    assert!(!corpus.is_empty(), "fuzz {target}: the corpus is empty");
    corpus
}

fn env_number(name: &str) -> Option<u64> {
    std::env::var(name).ok()?.parse().ok()
}

fn clock_seed() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(1, |d| d.as_nanos() as u64)
}

/// xorshift64: enough to vary inputs, and the same run again from its seed.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, bound: usize) -> usize {
        (self.next() % bound.max(1) as u64) as usize
    }
}

/// Numbers that break readers: zero, one, signs, powers of two, all ones.
const BOUNDARIES: [u32; 8] = [0, 1, 0x7F, 0x80, 0xFFFF, 0x7FFF_FFFF, 0x8000_0000, u32::MAX];

fn mutate(corpus: &[Vec<u8>], random: &mut Random) -> Vec<u8> {
    let mut input = corpus[random.below(corpus.len())].clone();
    for _ in 0..1 + random.below(8) {
        let at = random.below(input.len());
        match random.below(8) {
            0 if !input.is_empty() => input[at] ^= 1 << random.below(8),
            1 if !input.is_empty() => input[at] = random.next() as u8,
            2 if input.len() >= 4 => {
                let at = at.min(input.len() - 4) & !3;
                let value = BOUNDARIES[random.below(BOUNDARIES.len())];
                input[at..at + 4].copy_from_slice(&value.to_le_bytes());
            }
            3 => input.truncate(at),
            4 if !input.is_empty() => {
                let end = (at + 1 + random.below(64)).min(input.len());
                let chunk = input[at..end].to_vec();
                input.splice(at..at, chunk);
            }
            5 => {
                let bytes: Vec<u8> = (0..1 + random.below(16))
                    .map(|_| random.next() as u8)
                    .collect();
                input.splice(at..at, bytes);
            }
            6 => {
                let other = &corpus[random.below(corpus.len())];
                let from = random.below(other.len());
                input.truncate(at);
                input.extend_from_slice(&other[from..]);
            }
            _ if !input.is_empty() => {
                let end = (at + 1 + random.below(64)).min(input.len());
                input.drain(at..end);
            }
            _ => {}
        }
    }
    input
}
