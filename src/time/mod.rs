//! Time on the ground floor: civil dates and times of day, time zones, and when a recurrence
//! comes next. Pure calculation, with the clock; the log and schedules build on it.

pub(crate) mod civil;
mod recurrence;
pub(crate) mod zone;

pub use recurrence::Recurrence;
pub(crate) use recurrence::{next_run, validate, DAYS, DAYS_OF_MONTH, HOURS, OFFSET_DAYS, WEEKS};
