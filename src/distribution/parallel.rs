use std::ops::ControlFlow;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{mpsc, Mutex};
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

/// `for_each_parallel`, with the bytes the workers report handed to `on_bytes` on the calling
/// thread, which may break to cancel.
pub(super) fn for_each_parallel_reporting<T: Sync>(
    items: &[T],
    threads: usize,
    cancel: &AtomicBool,
    work: impl Fn(&T, &(dyn Fn(u64) + Sync)) -> Result<()> + Sync,
    on_bytes: &mut dyn FnMut(u64) -> ControlFlow<()>,
) -> Result<()> {
    let (sender, receiver) = mpsc::channel::<u64>();
    let work = &work;
    thread::scope(|scope| {
        let workers = scope.spawn(move || {
            let report = move |bytes| {
                let _ = sender.send(bytes);
            };
            for_each_parallel(items, threads, cancel, |item| work(item, &report))
        });
        let mut stopped = false;
        for bytes in receiver {
            if !stopped && on_bytes(bytes) == ControlFlow::Break(()) {
                stopped = true;
                cancel.store(true, Ordering::Relaxed);
            }
        }
        let finished = workers.join().unwrap_or_else(|_| Err(Error::Cancelled));
        // Asked to stop is stopped, even when the last report came after the last byte.
        if stopped {
            return Err(Error::Cancelled);
        }
        finished
    })
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
