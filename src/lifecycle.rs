//! Operations that span areas, in the one place that calls them: an area never calls the area
//! above it. Removing a package takes it off every distribution point before its records and
//! content go (servicing then redistributing will live here too).

use crate::error::Result;
use crate::site::Site;
use crate::{distribution, package};

/// Removes a package: first its content from every distribution point that holds it (so no
/// point keeps orphaned content), then its records, then the blobs no other package uses.
pub fn remove_package(site: &Site, id: &str) -> Result<()> {
    package::get(site, id)?;
    distribution::remove_package_everywhere(site, id)?;
    package::remove(site, id)
}
