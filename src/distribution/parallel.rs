use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Mutex;
use std::thread;

use crate::error::{Error, Result};

/// Runs `work` on every item with up to `threads` threads, largest work first as the caller
/// orders it. The first failure (or `cancel`) stops the rest; that failure is returned.
pub(super) fn for_each_parallel<T: Sync>(
    items: &[T],
    threads: usize,
    cancel: &AtomicBool,
    work: impl Fn(&T) -> Result<()> + Sync,
) -> Result<()> {
    let next = AtomicUsize::new(0);
    let stop = AtomicBool::new(false);
    let first_failure = Mutex::new(None);
    thread::scope(|scope| {
        for _ in 0..threads.clamp(1, items.len().max(1)) {
            scope.spawn(|| loop {
                if stop.load(Ordering::Relaxed) {
                    return;
                }
                if cancel.load(Ordering::Relaxed) {
                    stop.store(true, Ordering::Relaxed);
                    record(&first_failure, Error::Cancelled);
                    return;
                }
                let Some(item) = items.get(next.fetch_add(1, Ordering::Relaxed)) else {
                    return;
                };
                if let Err(error) = work(item) {
                    stop.store(true, Ordering::Relaxed);
                    record(&first_failure, error);
                    return;
                }
            });
        }
    });
    match first_failure.into_inner() {
        Ok(Some(error)) => Err(error),
        _ => Ok(()),
    }
}

fn record(slot: &Mutex<Option<Error>>, error: Error) {
    if let Ok(mut slot) = slot.lock() {
        slot.get_or_insert(error);
    }
}

/// Threads for one job's file work: the cores there are.
pub(super) fn file_threads() -> usize {
    thread::available_parallelism().map_or(2, |n| n.get())
}
