//! Distribution point groups, as in Configuration Manager: a group carries packages, and each of
//! its points is given them, a point that joins later too. Every operation that moves content
//! goes through `distribute`, `validate` and `remove_content`, so a group adds no copy or switch
//! of its own and keeps their guarantees (verified copies, atomic switch, point locks).

use std::collections::BTreeSet;

use super::names::{find_named, refuse_taken_name, same_name, validate_name};
use super::{DistributeOptions, DistributionStatus, ValidationReport};
use crate::db::Db;
use crate::error::{Error, Result};
use crate::model::DistributionPointGroup;
use crate::progress::ProgressFn;
use crate::site::Site;

pub fn create_group(site: &Site, name: &str, description: &str) -> Result<DistributionPointGroup> {
    validate_name("distribution point group", name)?;
    site.db().write(|db| {
        refuse_group_name(&db.groups()?, name, None)?;
        db.insert_group(name, description)
    })?;
    let _log = site.log_scope();
    log::info!(target: "distribution", "created distribution point group '{name}'");
    get_group(site, name)
}

pub fn get_group(site: &Site, name: &str) -> Result<DistributionPointGroup> {
    if name.is_empty() {
        return Err(Error::invalid_argument(
            "group",
            "is empty: name a distribution point group",
        ));
    }
    require_group(find_group(site.db(), name)?, name)
}

pub fn list_groups(site: &Site) -> Result<Vec<DistributionPointGroup>> {
    site.db().groups()
}

/// Renames a group or changes its description; `None` leaves a field as it is.
pub fn set_group(
    site: &Site,
    name: &str,
    new_name: Option<&str>,
    description: Option<&str>,
) -> Result<DistributionPointGroup> {
    if let Some(new_name) = new_name {
        validate_name("distribution point group", new_name)?;
    }
    let stored = site.db().write(|db| {
        let group = require_group(find_group(db, name)?, name)?;
        if let Some(new_name) = new_name {
            refuse_group_name(&db.groups()?, new_name, Some(&group.name))?;
        }
        db.update_group(&group.name, new_name, description)?;
        Ok(group.name)
    })?;
    get_group(site, new_name.unwrap_or(&stored))
}

/// Removes a group. Its points keep the content they hold, as in Configuration Manager.
pub fn remove_group(site: &Site, name: &str) -> Result<()> {
    let group = get_group(site, name)?;
    site.db().write(|db| db.delete_group(&group.name))?;
    let _log = site.log_scope();
    log::info!(target: "distribution", "removed distribution point group '{}'; its points keep their content", group.name);
    Ok(())
}

/// Makes points members of a group, then gives them the packages the group carries. Returns the
/// status of each of those jobs (none when the group carries no package).
pub fn add_points_to_group(
    site: &Site,
    name: &str,
    points: &[&str],
    options: &DistributeOptions,
    progress: &mut ProgressFn<'_>,
) -> Result<Vec<DistributionStatus>> {
    let points = resolve_points(site, points)?;
    let group = site.db().write(|db| {
        let group = require_group(find_group(db, name)?, name)?;
        db.insert_group_members(&group.name, &as_strs(&points))?;
        Ok(group)
    })?;
    let _log = site.log_scope();
    log::info!(target: "distribution", "distribution point group '{}': added {}", group.name, points.join(", "));
    if group.package_ids.is_empty() {
        return Ok(Vec::new());
    }
    let statuses = super::distribute(
        site,
        &as_strs(&group.package_ids),
        &as_strs(&points),
        options,
        progress,
    )?;
    // A package the group let go of while these points were given it leaves them again.
    let carried = get_group(site, &group.name)?.package_ids;
    for package in group.package_ids.iter().filter(|p| !carried.contains(p)) {
        remove_unless_carried_elsewhere(site, package, &group.name, &points)?;
    }
    Ok(statuses)
}

/// Takes points out of a group. They keep the content they hold.
pub fn remove_points_from_group(
    site: &Site,
    name: &str,
    points: &[&str],
) -> Result<DistributionPointGroup> {
    let group = site.db().write(|db| {
        let group = require_group(find_group(db, name)?, name)?;
        let members = points
            .iter()
            .map(|point| member_named(&group, point))
            .collect::<Result<Vec<_>>>()?;
        db.delete_group_members(&group.name, &members)?;
        Ok(group)
    })?;
    let _log = site.log_scope();
    log::info!(target: "distribution", "distribution point group '{}': removed {}; they keep their content", group.name, points.join(", "));
    get_group(site, &group.name)
}

/// Distributes packages to every point of a group, and records that the group carries them, so
/// that points that join it later are given them too. Returns the status of every job.
pub fn distribute_to_group(
    site: &Site,
    package_ids: &[&str],
    name: &str,
    options: &DistributeOptions,
    progress: &mut ProgressFn<'_>,
) -> Result<Vec<DistributionStatus>> {
    if package_ids.is_empty() {
        return Err(Error::invalid_argument("package_ids", "name at least one"));
    }
    let packages = package_ids
        .iter()
        .map(|id| Ok(site.db().require_package(id)?.id))
        .collect::<Result<BTreeSet<String>>>()?;
    let packages: Vec<String> = packages.into_iter().collect();
    let group = site.db().write(|db| {
        let group = require_group(find_group(db, name)?, name)?;
        db.insert_group_packages(&group.name, &as_strs(&packages))?;
        Ok(group)
    })?;
    if group.members.is_empty() {
        let _log = site.log_scope();
        log::warn!(target: "distribution", "distribution point group '{}' has no points yet: {} will go to the points that join it", group.name, packages.join(", "));
        return Ok(Vec::new());
    }
    super::distribute(
        site,
        &as_strs(&packages),
        &as_strs(&group.members),
        options,
        progress,
    )
}

/// Validates the packages of a group (or the one named) on each point of the group that they
/// were distributed to.
pub fn validate_on_group(
    site: &Site,
    name: &str,
    package_id: Option<&str>,
    progress: &mut ProgressFn<'_>,
) -> Result<Vec<ValidationReport>> {
    let group = get_group(site, name)?;
    let packages = match package_id {
        Some(id) => vec![require_carried(site, &group, id)?],
        None => group.package_ids.clone(),
    };
    let mut reports = Vec::new();
    for package in &packages {
        for point in &group.members {
            if site
                .db()
                .distributions(Some(package), Some(point))?
                .is_empty()
            {
                continue;
            }
            reports.push(super::validate(site, package, point, progress)?);
        }
    }
    Ok(reports)
}

/// Removes a package's content from the points of a group, and the group no longer carries it.
/// A point keeps the package where another group it belongs to still carries it.
pub fn remove_from_group(site: &Site, package_id: &str, name: &str) -> Result<()> {
    let group = get_group(site, name)?;
    let package = require_carried(site, &group, package_id)?;
    remove_unless_carried_elsewhere(site, &package, &group.name, &group.members)?;
    // Forgotten once the points are cleared: a removal cut short is finished by running it again.
    site.db()
        .write(|db| db.delete_group_package(&group.name, &package))?;
    // A point that joined while this ran was given the package before the group let it go.
    let joined: Vec<String> = get_group(site, &group.name)?
        .members
        .into_iter()
        .filter(|m| !group.members.contains(m))
        .collect();
    remove_unless_carried_elsewhere(site, &package, &group.name, &joined)?;
    let _log = site.log_scope();
    log::info!(target: "distribution", "removed {package} from distribution point group '{}'", group.name);
    Ok(())
}

/// Removes a package from those of `points` that hold it, except where a group other than
/// `group` that the point belongs to carries it.
fn remove_unless_carried_elsewhere(
    site: &Site,
    package_id: &str,
    group: &str,
    points: &[String],
) -> Result<()> {
    let others: Vec<DistributionPointGroup> = list_groups(site)?
        .into_iter()
        .filter(|g| g.name != group && g.package_ids.iter().any(|p| p == package_id))
        .collect();
    for point in points {
        let kept = others.iter().any(|g| g.members.contains(point));
        if !kept
            && !site
                .db()
                .distributions(Some(package_id), Some(point))?
                .is_empty()
        {
            super::remove_content(site, package_id, point)?;
        }
    }
    Ok(())
}

/// The stored ID of a package the group carries.
fn require_carried(
    site: &Site,
    group: &DistributionPointGroup,
    package_id: &str,
) -> Result<String> {
    let package = site.db().require_package(package_id)?;
    if !group.package_ids.contains(&package.id) {
        return Err(Error::not_found_as(
            "package",
            &package.id,
            format!(
                "is not distributed to distribution point group '{}'",
                group.name
            ),
        ));
    }
    Ok(package.id)
}

/// The group of that name in any letter case (see `find_named`).
fn find_group(db: &Db, name: &str) -> Result<Option<DistributionPointGroup>> {
    find_named(db.group(name)?, || db.groups(), |g| &g.name, name)
}

fn refuse_group_name(
    groups: &[DistributionPointGroup],
    name: &str,
    renamed: Option<&str>,
) -> Result<()> {
    let names = groups.iter().map(|g| g.name.as_str());
    refuse_taken_name("distribution point group", names, name, renamed)
}

fn require_group(
    group: Option<DistributionPointGroup>,
    name: &str,
) -> Result<DistributionPointGroup> {
    group.ok_or_else(|| Error::not_found("distribution point group", name))
}

/// The stored names of the points, each once, in the order given.
fn resolve_points(site: &Site, points: &[&str]) -> Result<Vec<String>> {
    if points.is_empty() {
        return Err(Error::invalid_argument(
            "distribution_points",
            "name at least one",
        ));
    }
    let mut names: Vec<String> = Vec::new();
    for point in points {
        let name = super::get_point(site, point)?.name;
        if !names.contains(&name) {
            names.push(name);
        }
    }
    Ok(names)
}

fn member_named<'a>(group: &'a DistributionPointGroup, point: &str) -> Result<&'a str> {
    group
        .members
        .iter()
        .find(|m| same_name(m, point))
        .map(String::as_str)
        .ok_or_else(|| {
            Error::not_found_as(
                "distribution point",
                point,
                format!(
                    "is not a member of distribution point group '{}'",
                    group.name
                ),
            )
        })
}

fn as_strs(names: &[String]) -> Vec<&str> {
    names.iter().map(String::as_str).collect()
}
