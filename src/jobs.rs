//! The one worker pool of the library: import, distribution, per-file copies and validation
//! all run on it. Up to `threads` workers take the items in order; everything a worker says,
//! and each item's result, reaches the calling thread in the order it was said, so that status
//! is recorded and progress reported there (PowerShell's Write-Progress must run on the
//! pipeline thread). The calling thread stops the workers by setting the stop flag it owns.

use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::mpsc;
use std::sync::Mutex;
use std::thread;
use std::time::{Duration, Instant};

use crate::progress::REPORT_INTERVAL;

/// What the calling thread hears from the workers.
pub(crate) enum Heard<E, R> {
    /// A worker said something while working on an item.
    Event(E),
    /// An item is done, with its result.
    Finished(R),
    /// Nothing was said for the quiet interval: time to renew leases.
    Quiet,
}

/// The most threads the pool runs for one call.
pub(crate) fn threads_for(items: usize, wanted: usize) -> usize {
    wanted.clamp(1, items.max(1))
}

/// Threads for file work: the cores there are.
pub(crate) fn cores() -> usize {
    thread::available_parallelism().map_or(2, |n| n.get())
}

/// Runs `work(item, tell)` for every item on up to `threads` threads and hands what they
/// tell, and each result, to `hear` on this thread. `work` sees `stop` (through its own
/// capture) and should give up early once it is set; every item still gets its `Finished`.
/// `hear` gets `Quiet` after `quiet` without a word. Each worker thread holds what
/// `worker_scope` gives it while it works (the log of the operation that started the pool:
/// `logging::for_workers`).
pub(crate) fn run<T, E, R, S>(
    items: &[T],
    threads: usize,
    quiet: Duration,
    worker_scope: &(impl Fn() -> S + Sync),
    work: impl Fn(&T, &(dyn Fn(E) + Sync)) -> R + Sync,
    mut hear: impl FnMut(Heard<E, R>),
) where
    T: Sync,
    E: Send,
    R: Send,
{
    let next = AtomicUsize::new(0);
    let (sender, receiver) = mpsc::channel::<Heard<E, R>>();
    let work = &work;
    thread::scope(|scope| {
        for _ in 0..threads_for(items.len(), threads) {
            let sender = sender.clone();
            let next = &next;
            scope.spawn(move || {
                let _scope = worker_scope();
                loop {
                    let index = next.fetch_add(1, Ordering::Relaxed);
                    let Some(item) = items.get(index) else {
                        return;
                    };
                    let tell = |event| {
                        let _ = sender.send(Heard::Event(event));
                    };
                    let result = work(item, &tell);
                    let _ = sender.send(Heard::Finished(result));
                }
            });
        }
        drop(sender);
        loop {
            match receiver.recv_timeout(quiet) {
                Ok(heard) => hear(heard),
                Err(mpsc::RecvTimeoutError::Timeout) => hear(Heard::Quiet),
                Err(mpsc::RecvTimeoutError::Disconnected) => return,
            }
        }
    });
}

/// Remembers the first failure of a run and stops the workers when it comes.
pub(crate) struct FirstFailure<'a, Error> {
    stop: &'a AtomicBool,
    failure: Option<Error>,
}

impl<'a, Error> FirstFailure<'a, Error> {
    pub(crate) fn new(stop: &'a AtomicBool) -> Self {
        FirstFailure {
            stop,
            failure: None,
        }
    }

    pub(crate) fn record(&mut self, error: Error) {
        self.stop.store(true, Ordering::Relaxed);
        self.failure.get_or_insert(error);
    }

    pub(crate) fn failed(&self) -> bool {
        self.failure.is_some()
    }

    pub(crate) fn into_result(self) -> Result<(), Error> {
        self.failure.map_or(Ok(()), Err)
    }
}

/// Adds up the bytes that workers report and tells them on once `BYTES_STEP` have gathered or
/// the progress interval has passed: waking the calling thread for every chunk costs a fast copy
/// a tenth of a core, while a slow share still reports, and hears a cancel, as often as ever.
pub(crate) struct ByteTally {
    untold: AtomicU64,
    last_told: Mutex<Instant>,
}

const BYTES_STEP: u64 = 16 << 20;

impl Default for ByteTally {
    fn default() -> Self {
        ByteTally::new()
    }
}

impl ByteTally {
    pub(crate) fn new() -> Self {
        ByteTally {
            untold: AtomicU64::new(0),
            last_told: Mutex::new(Instant::now()),
        }
    }

    pub(crate) fn add(&self, bytes: u64, tell: &dyn Fn(u64)) {
        let gathered = self.untold.fetch_add(bytes, Ordering::Relaxed) + bytes >= BYTES_STEP;
        let mut last_told = self.last_told.lock().unwrap_or_else(|e| e.into_inner());
        if !gathered && last_told.elapsed() < REPORT_INTERVAL {
            return;
        }
        *last_told = Instant::now();
        drop(last_told);
        // Two workers may both get here; the second then tells what came since, if anything.
        self.tell_untold(tell);
    }

    /// Tells what has gathered, if anything: before a worker's failure is reported, so that
    /// the bytes it wrote count.
    pub(crate) fn tell_untold(&self, tell: &dyn Fn(u64)) {
        match self.untold.swap(0, Ordering::Relaxed) {
            0 => {}
            all => tell(all),
        }
    }

    /// Tells what is left once the workers are done, if anything.
    pub(crate) fn tell_rest(self, tell: impl FnOnce(u64)) {
        match self.untold.into_inner() {
            0 => {}
            rest => tell(rest),
        }
    }
}

/// For pools with no lease to renew: the calling thread need not wake without a word.
pub(crate) const NO_QUIET: Duration = Duration::from_secs(3600);

/// Runs `work` on every item, up to `threads` at once, largest work first as the caller orders
/// it. The bytes the workers report reach `on_bytes` on this thread, which breaks to stop them.
/// The first failure stops the rest and is returned; stopped, the call returns `Cancelled`.
pub(crate) fn for_each<T: Sync, S>(
    items: &[T],
    threads: usize,
    stop: &AtomicBool,
    worker_scope: &(impl Fn() -> S + Sync),
    work: impl Fn(&T, &(dyn Fn(u64) + Sync)) -> crate::Result<()> + Sync,
    on_bytes: &mut dyn FnMut(u64) -> std::ops::ControlFlow<()>,
) -> crate::Result<()> {
    let mut outcome = FirstFailure::new(stop);
    let untold = ByteTally::new();
    let mut take_bytes = |bytes, outcome: &mut FirstFailure<crate::Error>| {
        if on_bytes(bytes).is_break() {
            outcome.record(crate::Error::Cancelled);
        }
    };
    run(
        items,
        threads,
        NO_QUIET,
        worker_scope,
        |item, tell| {
            if stop.load(Ordering::Relaxed) {
                return Err(crate::Error::Cancelled);
            }
            work(item, &|bytes| untold.add(bytes, tell))
        },
        |heard| match heard {
            Heard::Event(bytes) => take_bytes(bytes, &mut outcome),
            Heard::Finished(Err(error)) => outcome.record(error),
            Heard::Finished(Ok(())) | Heard::Quiet => {}
        },
    );
    untold.tell_rest(|rest| take_bytes(rest, &mut outcome));
    outcome.into_result()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_are_told_in_steps_or_when_the_interval_has_passed() {
        let told = Mutex::new(Vec::new());
        let tell = |bytes| told.lock().unwrap().push(bytes);
        let tally = ByteTally::new();
        tally.add(1000, &tell);
        tally.add(BYTES_STEP, &tell);
        tally.add(7, &tell);
        assert_eq!(*told.lock().unwrap(), [BYTES_STEP + 1000]);
        // A slow copy still reports at the pace of progress, so that a cancel is heard.
        thread::sleep(REPORT_INTERVAL);
        tally.add(5, &tell);
        tally.add(3, &tell);
        tally.tell_rest(tell);
        assert_eq!(*told.lock().unwrap(), [BYTES_STEP + 1000, 12, 3]);
    }
}
