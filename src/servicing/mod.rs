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

use crate::error::{Error, Result};
pub use crate::model::{RunState, ServicingRun, UpdateResult};
use crate::site::Site;
pub use engine::Engine;
pub(crate) use lease::recover_dead_runs;
pub(crate) use run::service;

const ENGINE_SETTING: &str = "servicing_engine";

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
