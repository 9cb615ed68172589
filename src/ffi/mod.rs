//! The C face of OSUpgrade. Every entry point that returns an `osu_status` runs inside
//! `ffi_boundary`, which catches panics, records the thread's last error and returns the status.
//! The four that return none (`osu_last_error_message`, `osu_string_free`, `osu_version`,
//! `osu_status_name`) only read a static or thread-local string or free one, and cannot panic.
//! Records go out as JSON strings owned by the caller and freed with `osu_string_free`.

#![allow(non_camel_case_types)]

mod arguments;
mod boundary;
mod distribution;
mod entry;
mod group;
mod handles;
mod json;
mod package;
mod progress;
mod schedule;
mod servicing;
mod site;
mod status;
mod updates;

pub use distribution::*;
pub use group::*;
pub use package::*;
pub use progress::*;
pub use schedule::*;
pub use servicing::*;
pub use site::*;
pub use status::*;
pub use updates::*;
