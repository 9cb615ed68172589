//! Offline servicing: a run takes a package's image out of the content library, applies the
//! schedule's updates to each image index through the site's engine, and records the result
//! as the package's next content version, with every applied update and each update's result
//! per index. A run that fails without continue-on-error, or is killed at any point, leaves
//! the package as it was. Updating distribution points afterwards is `lifecycle`'s.

mod apply;
mod engine;
mod lease;
mod plan;
mod run;

use std::time::Duration;

use crate::error::{Error, Result};
pub use crate::model::{RunState, ServicingRun, UpdateResult};
use crate::site::Site;
pub use engine::Engine;
pub(crate) use lease::{recover_before_running, recover_dead_runs};
pub(crate) use run::service;

const ENGINE_SETTING: &str = "servicing_engine";
const MAX_RUN_TIME_SETTING: &str = "servicing_max_run_seconds";

/// How long one step of the engine may run before it is ended, unless the site says otherwise:
/// Configuration Manager's maximum run time, sized for a cumulative update added to a large
/// image index.
pub const DEFAULT_MAX_RUN_TIME: Duration = Duration::from_secs(2 * 60 * 60);
/// The longest maximum run time a site may set: a week.
const LONGEST_MAX_RUN_TIME: Duration = Duration::from_secs(7 * 24 * 60 * 60);

/// The site's servicing engine, and how long each of its steps may run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EngineSettings {
    pub engine: Engine,
    pub max_run_time: Duration,
}

/// The engine the site services with and its maximum run time per step.
pub fn get_engine_settings(site: &Site) -> Result<EngineSettings> {
    Ok(EngineSettings {
        engine: get_engine(site)?,
        max_run_time: get_max_run_time(site)?,
    })
}

/// How long one step of the engine may run (default: `DEFAULT_MAX_RUN_TIME`). A step that runs
/// longer is ended with every process it started, and recorded as timed out.
pub fn get_max_run_time(site: &Site) -> Result<Duration> {
    Ok(site
        .db()
        .setting(MAX_RUN_TIME_SETTING)?
        .and_then(|text| text.parse().ok())
        .map_or(DEFAULT_MAX_RUN_TIME, Duration::from_secs))
}

/// Sets how long one step of the engine may run: whole seconds, from one second to a week.
pub fn set_max_run_time(site: &Site, max_run_time: Duration) -> Result<()> {
    let seconds = max_run_time.as_secs();
    if seconds == 0 || max_run_time > LONGEST_MAX_RUN_TIME || max_run_time.subsec_nanos() != 0 {
        return Err(Error::invalid_argument(
            "maxRunTime",
            format!(
                "{max_run_time:?} is not whole seconds between 1 second and {} seconds (7 days)",
                LONGEST_MAX_RUN_TIME.as_secs()
            ),
        ));
    }
    site.db()
        .write(|db| db.set_setting(MAX_RUN_TIME_SETTING, &seconds.to_string()))
}

/// The engine the site services with (default: dism).
pub fn get_engine(site: &Site) -> Result<Engine> {
    Ok(site
        .db()
        .setting(ENGINE_SETTING)?
        .and_then(|text| Engine::parse(&text))
        .unwrap_or(Engine::Dism))
}

/// Sets the engine the site services with. A command engine's program must be an absolute
/// path (it is looked for when a run starts).
pub fn set_engine(site: &Site, engine: &Engine) -> Result<()> {
    if let Engine::Command(program) = engine {
        if !program.is_absolute() {
            return Err(Error::invalid_argument(
                "command",
                format!(
                    "{}: the command engine's program must be an absolute path",
                    program.display()
                ),
            ));
        }
    }
    site.db()
        .write(|db| db.set_setting(ENGINE_SETTING, &engine.setting()))
}

/// Runs of a schedule and/or a package, newest first, with each update's result per image.
pub fn list_runs(
    site: &Site,
    schedule_id: Option<i64>,
    package_id: Option<&str>,
) -> Result<Vec<ServicingRun>> {
    if let Some(id) = package_id {
        site.db().require_package(id)?;
    }
    recover_dead_runs(site)?;
    site.db().runs(schedule_id, package_id)
}

pub fn get_run(site: &Site, id: i64) -> Result<ServicingRun> {
    site.db()
        .run(id)?
        .ok_or_else(|| Error::not_found("servicing run", id.to_string()))
}
