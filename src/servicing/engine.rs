//! Servicing engines: what applies an update to an offline image. Each step of a run becomes
//! one program call, so both engines are command lines: `dism` (Windows' own DISM) and
//! `command` (a program of the admin's, called per step with a documented contract, to service
//! through a Windows host from elsewhere or with a tool of their own). Neither pretends: the
//! dism engine exists only where DISM does, and a command engine only where its program does.

use std::ffi::OsString;
use std::fs::OpenOptions;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use crate::error::{Error, IoContext, Result};

/// The engine a site services with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Engine {
    /// `DISM.exe` of this Windows machine.
    Dism,
    /// An admin's program, called once per step (see the README, "The command engine").
    Command(PathBuf),
}

/// One step of servicing one image index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Step<'a> {
    /// Make the image index ready for changes (DISM mounts it at `mount`).
    Mount,
    /// Install one update file.
    AddPackage {
        file: &'a Path,
        kb: &'a str,
        update_id: &'a str,
    },
    /// Remove superseded components (`/StartComponentCleanup /ResetBase`).
    Cleanup,
    /// Keep the changes in the image file.
    Commit,
    /// Throw the changes away.
    Discard,
}

impl Step<'_> {
    pub(crate) fn name(&self) -> &'static str {
        match self {
            Step::Mount => "mount",
            Step::AddPackage { .. } => "add-package",
            Step::Cleanup => "cleanup",
            Step::Commit => "commit",
            Step::Discard => "discard",
        }
    }
}

/// Where a step works: the image file and index, the mount folder, the run's log.
#[derive(Debug, Clone)]
pub(crate) struct Workplace<'a> {
    /// `install` or `boot`.
    pub image: &'a str,
    pub image_file: &'a Path,
    pub index: u32,
    pub mount: &'a Path,
    pub log: &'a Path,
    pub work: &'a Path,
    /// How long the step may run before it is ended (the site's maximum run time).
    pub max_run_time: Duration,
}

/// A program call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct StepCommand {
    pub program: PathBuf,
    pub arguments: Vec<OsString>,
    pub environment: Vec<(&'static str, OsString)>,
}

/// DISM's exit code for "done; a restart is needed to finish", which offline servicing never
/// needs: a success.
const RESTART_REQUIRED: i32 = 3010;
/// What 3010 becomes where a process's exit status keeps 8 bits (POSIX): a command engine that
/// relays DISM's code there ends with it.
const RESTART_REQUIRED_8_BITS: i32 = RESTART_REQUIRED & 0xFF;

impl Engine {
    pub fn name(&self) -> &'static str {
        match self {
            Engine::Dism => "dism",
            Engine::Command(_) => "command",
        }
    }

    /// Parses a site's setting: `dism`, or `command:<program>`.
    pub(crate) fn parse(text: &str) -> Option<Engine> {
        match text.split_once(':') {
            _ if text.eq_ignore_ascii_case("dism") => Some(Engine::Dism),
            Some((kind, program))
                if kind.eq_ignore_ascii_case("command") && !program.is_empty() =>
            {
                Some(Engine::Command(PathBuf::from(program)))
            }
            _ => None,
        }
    }

    pub(crate) fn setting(&self) -> String {
        match self {
            Engine::Dism => "dism".into(),
            Engine::Command(program) => format!("command:{}", program.display()),
        }
    }

    /// The program, where this machine has it; an error saying what is missing otherwise.
    pub(crate) fn check_available(&self) -> Result<()> {
        let missing = |reason: String| Err(Error::invalid_argument("engine", reason));
        match self {
            Engine::Dism => match dism_path() {
                Some(path) if path.is_file() => Ok(()),
                _ => missing(
                    "the dism engine needs DISM, which only Windows has; elsewhere set a command engine (Set-OSUpgradeSite -ServicingEngine Command -ServicingCommand <program>)".into(),
                ),
            },
            Engine::Command(program) if !program.is_absolute() => missing(format!(
                "{}: the command engine's program must be an absolute path",
                program.display()
            )),
            Engine::Command(program) if !program.is_file() => missing(format!(
                "{}: the command engine's program does not exist",
                program.display()
            )),
            Engine::Command(_) => Ok(()),
        }
    }

    /// The program call for a step.
    pub(crate) fn command(&self, step: &Step<'_>, place: &Workplace<'_>) -> StepCommand {
        match self {
            Engine::Dism => dism_command(step, place),
            Engine::Command(program) => admin_command(program, step, place),
        }
    }

    /// Runs a step, its output appended to the run's log; `Err` says how it failed.
    pub(crate) fn run(
        &self,
        step: &Step<'_>,
        place: &Workplace<'_>,
    ) -> Result<std::result::Result<(), StepFailure>> {
        let call = self.command(step, place);
        let log = OpenOptions::new()
            .create(true)
            .append(true)
            .open(place.log)
            .at(place.log)?;
        let log_err = log.try_clone().at(place.log)?;
        use std::io::Write;
        let mut heading = log.try_clone().at(place.log)?;
        let _ = writeln!(
            heading,
            "==> {} {} {}:{}",
            self.name(),
            step.name(),
            place.image,
            place.index
        );
        // What the step itself writes starts here: its last lines explain a failure.
        let output_start = heading.metadata().map_or(0, |m| m.len());
        let mut command = Command::new(&call.program);
        command
            .args(&call.arguments)
            .envs(call.environment.iter().map(|(k, v)| (*k, v)))
            .current_dir(place.work)
            .stdin(Stdio::null())
            .stdout(log)
            .stderr(log_err);
        end_with_the_runner(&mut command);
        let mut child = command.spawn().at(&call.program)?;
        let processes = StepProcesses::of(&child);
        // What the step starts in turn is found by its process group, should this runner die.
        let _ = std::fs::write(place.work.join(ENGINE_GROUP_FILE), child.id().to_string());
        let waited = wait_at_most(&mut child, &processes, place.max_run_time);
        let Some(status) = waited.at(&call.program)? else {
            return Ok(Err(StepFailure {
                exit_code: None,
                timed_out_after: Some(place.max_run_time),
                output: last_lines(place.log, output_start),
            }));
        };
        let restart_required = |code: i32| {
            code == RESTART_REQUIRED
                || (cfg!(unix)
                    && matches!(self, Engine::Command(_))
                    && code == RESTART_REQUIRED_8_BITS)
        };
        let exit_code = match status.code() {
            Some(0) => return Ok(Ok(())),
            Some(code) if restart_required(code) => return Ok(Ok(())),
            Some(code) => Some(i64::from(code)),
            // Killed by a signal: no exit code of its own.
            None => None,
        };
        Ok(Err(StepFailure {
            exit_code,
            timed_out_after: None,
            output: last_lines(place.log, output_start),
        }))
    }
}

/// How a step of the engine failed.
#[derive(Debug, Clone)]
pub(crate) struct StepFailure {
    /// None when the step was killed.
    pub exit_code: Option<i64>,
    /// Set when the step ran past the site's maximum run time and was ended.
    pub timed_out_after: Option<Duration>,
    /// The last lines the step wrote (DISM's "0x800f081e ... not applicable"), so that the
    /// result says why without the log.
    pub output: String,
}

impl std::fmt::Display for StepFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (self.exit_code, self.timed_out_after) {
            (_, Some(limit)) => write!(
                f,
                "timed out: still running after the site's maximum run time of {} seconds, it was ended with every process it started",
                limit.as_secs()
            )?,
            (Some(code), None) => write!(f, "exit code {code}")?,
            (None, None) => write!(f, "killed")?,
        }
        if !self.output.is_empty() {
            write!(f, ": {}", self.output)?;
        }
        Ok(())
    }
}

/// The lines a failed step's message keeps, and at most how many characters of them.
const OUTPUT_LINES: usize = 3;
const OUTPUT_CHARS: usize = 400;

/// The last non-empty lines of the log after `start`, joined with " | ".
fn last_lines(log: &Path, start: u64) -> String {
    let Ok(bytes) = std::fs::read(log) else {
        return String::new();
    };
    let written = bytes.get(start as usize..).unwrap_or_default();
    let text = String::from_utf8_lossy(written);
    let mut lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .rev()
        .take(OUTPUT_LINES)
        .collect();
    lines.reverse();
    let joined = lines.join(" | ");
    match joined.char_indices().rev().nth(OUTPUT_CHARS) {
        Some((cut, _)) => format!("...{}", &joined[cut..]),
        None => joined,
    }
}

/// How often a running step is looked at: steps last minutes, and ending one a moment after
/// its limit is soon enough.
const STEP_POLL: Duration = Duration::from_millis(100);

/// Waits for the step to exit; at `limit`, ends it with everything it started and gives `None`.
fn wait_at_most(
    child: &mut Child,
    processes: &StepProcesses,
    limit: Duration,
) -> std::io::Result<Option<ExitStatus>> {
    let deadline = Instant::now() + limit;
    loop {
        if let Some(status) = child.try_wait()? {
            return Ok(Some(status));
        }
        if Instant::now() >= deadline {
            processes.end(child);
            child.wait()?;
            return Ok(None);
        }
        std::thread::sleep(STEP_POLL);
    }
}

/// What ends a step with every process it started: on Linux the process group it leads; on
/// Windows a job object, which also ends them when the runner dies (the system closes its
/// handle) and when the step is over; elsewhere the step's own process.
struct StepProcesses {
    #[cfg(windows)]
    job: Option<job::KillOnClose>,
}

impl StepProcesses {
    #[cfg(windows)]
    fn of(child: &Child) -> StepProcesses {
        StepProcesses {
            job: job::KillOnClose::holding(child),
        }
    }

    #[cfg(not(windows))]
    fn of(_child: &Child) -> StepProcesses {
        StepProcesses {}
    }

    fn end(&self, child: &mut Child) {
        #[cfg(target_os = "linux")]
        if let Ok(group) = i32::try_from(child.id()) {
            // SAFETY: a plain signal to the process group the step leads.
            unsafe {
                libc::killpg(group, libc::SIGKILL);
            }
        }
        #[cfg(windows)]
        if let Some(job) = &self.job {
            job.end();
        }
        let _ = child.kill();
    }
}

/// A Windows job object that ends its processes when it is closed.
#[cfg(windows)]
mod job {
    use std::ffi::c_void;
    use std::os::windows::io::AsRawHandle;
    use std::process::Child;

    type Handle = *mut c_void;

    #[repr(C)]
    #[derive(Default)]
    struct BasicLimitInformation {
        per_process_user_time_limit: i64,
        per_job_user_time_limit: i64,
        limit_flags: u32,
        minimum_working_set_size: usize,
        maximum_working_set_size: usize,
        active_process_limit: u32,
        affinity: usize,
        priority_class: u32,
        scheduling_class: u32,
    }

    #[repr(C)]
    #[derive(Default)]
    struct ExtendedLimitInformation {
        basic: BasicLimitInformation,
        io_counters: [u64; 6],
        process_memory_limit: usize,
        job_memory_limit: usize,
        peak_process_memory_used: usize,
        peak_job_memory_used: usize,
    }

    const JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE: u32 = 0x2000;
    const JOB_OBJECT_EXTENDED_LIMIT_INFORMATION_CLASS: i32 = 9;

    #[link(name = "kernel32")]
    extern "system" {
        fn CreateJobObjectW(attributes: *mut c_void, name: *const u16) -> Handle;
        fn SetInformationJobObject(job: Handle, class: i32, info: *const c_void, size: u32) -> i32;
        fn AssignProcessToJobObject(job: Handle, process: Handle) -> i32;
        fn TerminateJobObject(job: Handle, exit_code: u32) -> i32;
        fn CloseHandle(handle: Handle) -> i32;
    }

    pub(super) struct KillOnClose(Handle);

    impl KillOnClose {
        /// A job holding the step; `None` where the system refuses one (the step then runs
        /// without: it is still ended at its limit, what it started is not).
        pub(super) fn holding(child: &Child) -> Option<KillOnClose> {
            // SAFETY: plain Win32 calls on a job this function owns and the step's process
            // handle, which `child` keeps open.
            unsafe {
                let job = KillOnClose(CreateJobObjectW(std::ptr::null_mut(), std::ptr::null()));
                if job.0.is_null() {
                    return None;
                }
                let mut limits = ExtendedLimitInformation::default();
                limits.basic.limit_flags = JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE;
                let size = std::mem::size_of::<ExtendedLimitInformation>() as u32;
                let info = (&limits as *const ExtendedLimitInformation).cast();
                let set = SetInformationJobObject(
                    job.0,
                    JOB_OBJECT_EXTENDED_LIMIT_INFORMATION_CLASS,
                    info,
                    size,
                );
                let assigned =
                    set != 0 && AssignProcessToJobObject(job.0, child.as_raw_handle()) != 0;
                assigned.then_some(job)
            }
        }

        pub(super) fn end(&self) {
            // SAFETY: the job handle is this value's own.
            unsafe {
                TerminateJobObject(self.0, 1);
            }
        }
    }

    impl Drop for KillOnClose {
        fn drop(&mut self) {
            // SAFETY: the job handle is this value's own, closed once.
            unsafe {
                CloseHandle(self.0);
            }
        }
    }
}

/// Where a run's work folder keeps the process group of its engine's last step.
const ENGINE_GROUP_FILE: &str = "engine.pgid";

/// A step must not outlive a runner that is killed: it would go on changing a work folder that
/// the next run clears. On Linux the step leads a process group of its own and dies with its
/// parent; what it started in turn is ended by `end_engine_of` when the next run clears the
/// folder.
#[cfg(target_os = "linux")]
fn end_with_the_runner(command: &mut Command) {
    use std::os::unix::process::CommandExt;
    // SAFETY: setpgid and prctl are async-signal-safe, which is all that may run between fork
    // and exec.
    unsafe {
        command.pre_exec(|| {
            libc::setpgid(0, 0);
            libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
            Ok(())
        });
    }
}

#[cfg(not(target_os = "linux"))]
fn end_with_the_runner(_command: &mut Command) {}

/// Ends what the engine of a dead run left running: the processes of its last step's process
/// group whose working folder is still that run's (a recycled group number is left alone).
#[cfg(target_os = "linux")]
pub(crate) fn end_engine_of(work: &Path) {
    let Some(group) = std::fs::read_to_string(work.join(ENGINE_GROUP_FILE))
        .ok()
        .and_then(|text| text.trim().parse::<i32>().ok())
    else {
        return;
    };
    let Ok(processes) = std::fs::read_dir("/proc") else {
        return;
    };
    for process in processes.flatten() {
        let Some(pid) = process
            .file_name()
            .to_str()
            .and_then(|n| n.parse::<i32>().ok())
        else {
            continue;
        };
        let in_group = std::fs::read_to_string(process.path().join("stat"))
            .ok()
            .and_then(|stat| {
                // The command name may hold spaces: the fields after its closing parenthesis.
                let rest = stat.rsplit_once(')')?.1;
                rest.split_whitespace().nth(2)?.parse::<i32>().ok()
            })
            == Some(group);
        let in_work =
            std::fs::read_link(process.path().join("cwd")).is_ok_and(|cwd| cwd.starts_with(work));
        if in_group && in_work {
            // SAFETY: a plain signal to a process of the dead run's engine.
            unsafe {
                libc::kill(pid, libc::SIGKILL);
            }
        }
    }
}

#[cfg(not(target_os = "linux"))]
pub(crate) fn end_engine_of(_work: &Path) {}

fn dism_path() -> Option<PathBuf> {
    if !cfg!(windows) {
        return None;
    }
    let windows = std::env::var_os("SystemRoot").or_else(|| std::env::var_os("windir"))?;
    Some(PathBuf::from(windows).join("System32").join("Dism.exe"))
}

fn joined(prefix: &str, path: &Path) -> OsString {
    let mut argument = OsString::from(prefix);
    argument.push(path.as_os_str());
    argument
}

/// DISM's command lines, as Microsoft documents them for servicing an offline image.
fn dism_command(step: &Step<'_>, place: &Workplace<'_>) -> StepCommand {
    let mut arguments: Vec<OsString> = match step {
        Step::Mount => vec![
            "/Mount-Image".into(),
            joined("/ImageFile:", place.image_file),
            format!("/Index:{}", place.index).into(),
            joined("/MountDir:", place.mount),
        ],
        Step::AddPackage { file, .. } => vec![
            joined("/Image:", place.mount),
            "/Add-Package".into(),
            joined("/PackagePath:", file),
        ],
        Step::Cleanup => vec![
            joined("/Image:", place.mount),
            "/Cleanup-Image".into(),
            "/StartComponentCleanup".into(),
            "/ResetBase".into(),
        ],
        Step::Commit | Step::Discard => vec![
            "/Unmount-Image".into(),
            joined("/MountDir:", place.mount),
            if *step == Step::Commit {
                "/Commit"
            } else {
                "/Discard"
            }
            .into(),
        ],
    };
    arguments.push(joined("/LogPath:", &place.log.with_extension("dism.log")));
    arguments.push("/English".into());
    StepCommand {
        program: dism_path().unwrap_or_else(|| PathBuf::from("Dism.exe")),
        arguments,
        environment: Vec::new(),
    }
}

/// The command engine's contract: `<program> <step> <image file> <index> [<update file>]`,
/// run in the run's work folder, with the same in `OSUPGRADE_*` variables.
fn admin_command(program: &Path, step: &Step<'_>, place: &Workplace<'_>) -> StepCommand {
    let mut arguments: Vec<OsString> = vec![
        step.name().into(),
        place.image_file.into(),
        place.index.to_string().into(),
    ];
    let mut environment: Vec<(&'static str, OsString)> = vec![
        ("OSUPGRADE_STEP", step.name().into()),
        ("OSUPGRADE_IMAGE", place.image.into()),
        ("OSUPGRADE_IMAGE_FILE", place.image_file.into()),
        ("OSUPGRADE_IMAGE_INDEX", place.index.to_string().into()),
        ("OSUPGRADE_MOUNT_DIR", place.mount.into()),
        ("OSUPGRADE_LOG", place.log.into()),
    ];
    if let Step::AddPackage {
        file,
        kb,
        update_id,
    } = step
    {
        arguments.push((*file).into());
        environment.push(("OSUPGRADE_UPDATE_FILE", (*file).into()));
        environment.push(("OSUPGRADE_UPDATE_KB", (*kb).into()));
        environment.push(("OSUPGRADE_UPDATE_ID", (*update_id).into()));
    }
    StepCommand {
        program: program.to_path_buf(),
        arguments,
        environment,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn place<'a>(paths: &'a [PathBuf; 5]) -> Workplace<'a> {
        Workplace {
            image: "install",
            image_file: &paths[0],
            index: 2,
            mount: &paths[1],
            log: &paths[2],
            work: &paths[3],
            max_run_time: crate::servicing::DEFAULT_MAX_RUN_TIME,
        }
    }

    fn text(call: &StepCommand) -> Vec<String> {
        call.arguments
            .iter()
            .map(|a| a.to_string_lossy().into_owned())
            .collect()
    }

    #[test]
    fn dism_command_lines_follow_microsofts_offline_servicing() {
        let paths = [
            PathBuf::from(r"C:\Site\servicing\run-7\install.wim"),
            PathBuf::from(r"C:\Site\servicing\run-7\mount"),
            PathBuf::from(r"C:\Site\Logs\servicing-run-7.log"),
            PathBuf::from(r"C:\Site\servicing\run-7"),
            PathBuf::from(r"C:\Site\servicing\run-7\updates\windows10.0-kb5034441-x64.msu"),
        ];
        let place = place(&paths);
        let log = r"/LogPath:C:\Site\Logs\servicing-run-7.dism.log";
        assert_eq!(
            text(&Engine::Dism.command(&Step::Mount, &place)),
            [
                "/Mount-Image",
                r"/ImageFile:C:\Site\servicing\run-7\install.wim",
                "/Index:2",
                r"/MountDir:C:\Site\servicing\run-7\mount",
                log,
                "/English"
            ]
        );
        let add = Step::AddPackage {
            file: &paths[4],
            kb: "KB5034441",
            update_id: "KB5034441-x64",
        };
        assert_eq!(
            text(&Engine::Dism.command(&add, &place)),
            [
                r"/Image:C:\Site\servicing\run-7\mount",
                "/Add-Package",
                r"/PackagePath:C:\Site\servicing\run-7\updates\windows10.0-kb5034441-x64.msu",
                log,
                "/English"
            ]
        );
        assert_eq!(
            text(&Engine::Dism.command(&Step::Cleanup, &place))[1..4],
            ["/Cleanup-Image", "/StartComponentCleanup", "/ResetBase"]
        );
        assert_eq!(
            text(&Engine::Dism.command(&Step::Commit, &place))[..3],
            [
                "/Unmount-Image",
                r"/MountDir:C:\Site\servicing\run-7\mount",
                "/Commit"
            ]
        );
        assert_eq!(
            text(&Engine::Dism.command(&Step::Discard, &place))[2],
            "/Discard"
        );
    }

    #[test]
    fn the_command_engine_gets_step_image_index_and_update() {
        let paths = [
            "/s/install.wim",
            "/s/mount",
            "/s/run.log",
            "/s",
            "/s/updates/a.msu",
        ]
        .map(PathBuf::from);
        let engine = Engine::Command(PathBuf::from("/opt/engine"));
        let add = Step::AddPackage {
            file: &paths[4],
            kb: "KB5034441",
            update_id: "KB5034441-x64",
        };
        let call = engine.command(&add, &place(&paths));
        assert_eq!(call.program, PathBuf::from("/opt/engine"));
        assert_eq!(
            text(&call),
            ["add-package", "/s/install.wim", "2", "/s/updates/a.msu"]
        );
        let variable = |name: &str| {
            call.environment
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.clone())
        };
        assert_eq!(variable("OSUPGRADE_UPDATE_KB"), Some("KB5034441".into()));
        assert_eq!(variable("OSUPGRADE_IMAGE_INDEX"), Some("2".into()));
        assert_eq!(
            text(&engine.command(&Step::Commit, &place(&paths))),
            ["commit", "/s/install.wim", "2"]
        );
    }

    #[test]
    fn no_engine_pretends() {
        if !cfg!(windows) {
            let error = Engine::Dism.check_available().unwrap_err().to_string();
            assert!(error.contains("only Windows has"), "{error}");
        }
        let missing = Engine::Command(PathBuf::from("/no/such/engine"));
        assert!(missing
            .check_available()
            .unwrap_err()
            .to_string()
            .contains("does not exist"));
        assert!(Engine::Command(PathBuf::from("engine.sh"))
            .check_available()
            .is_err());
        assert_eq!(
            Engine::parse("command:/opt/x"),
            Some(Engine::Command("/opt/x".into()))
        );
        assert_eq!(Engine::parse("DISM"), Some(Engine::Dism));
        assert_eq!(Engine::parse("magic"), None);
    }
}
