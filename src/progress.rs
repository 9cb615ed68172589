use std::ops::ControlFlow;

/// What a long operation is doing when it reports progress.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Walking the source folder and checking it.
    Scanning,
    /// Reading the image metadata of install.wim / install.esd.
    ReadingImage,
    /// Hashing files into the content library.
    Importing,
    /// Writing the records into the site database.
    Recording,
}

/// One progress report. Reports are made on the thread that started the operation.
#[derive(Debug, Clone, Copy)]
pub struct Progress<'a> {
    pub phase: Phase,
    pub current_file: &'a str,
    pub bytes_done: u64,
    pub bytes_total: u64,
    pub files_done: u64,
    pub files_total: u64,
}

/// Receives progress; `ControlFlow::Break` cancels the operation.
pub type ProgressFn<'a> = dyn FnMut(&Progress<'_>) -> ControlFlow<()> + 'a;

/// A progress receiver for callers that do not want reports.
pub fn ignore_progress(_: &Progress<'_>) -> ControlFlow<()> {
    ControlFlow::Continue(())
}
