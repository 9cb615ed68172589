//! The C face of OSUpgrade. Every entry point runs inside `ffi_boundary`, which catches panics,
//! records the thread's last error and returns an `osu_status`. Records go out as JSON strings
//! owned by the library and freed with `osu_string_free`.

#![allow(non_camel_case_types)]

mod arguments;
mod boundary;
mod distribution;
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
