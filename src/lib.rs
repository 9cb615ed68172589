//! OSUpgrade: Windows operating-system upgrade packages managed outside a Configuration Manager
//! site. The core is plain Rust; `ffi` is its C face.

#[macro_use]
mod stored_enum;

pub mod content;
mod db;
pub mod distribution;
mod error;
pub mod ffi;
#[cfg(test)]
mod fuzz;
pub mod image;
mod jobs;
mod kill_point;
pub mod lifecycle;
pub mod logging;
pub mod model;
pub mod package;
pub mod progress;
pub mod schedule;
pub mod servicing;
pub mod site;
mod time;
pub mod updates;

pub use error::{Error, ErrorKind, Result};
pub use image::ImageInfo;
pub use package::{NewPackage, Package, PackageChanges};
pub use progress::{Operation, Phase, Progress};
pub use site::{Site, SiteInfo};
