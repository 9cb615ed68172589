//! Distribution point records: add, get, list, set, remove.

use std::fs;
use std::path::{Path, PathBuf};

use super::layout::{is_mount_point, is_real_folder, PointPackage};
use super::names::{find_named, refuse_taken_name, validate_name};
use super::DistributionPoint;
use crate::db::Db;
use crate::error::{Error, IoContext, Result};
use crate::site::Site;

/// Adds a distribution point: an absolute folder path (local, mounted share, UNC path), created
/// if needed and proved writable before it is recorded.
pub fn add_point(
    site: &Site,
    name: &str,
    path: &str,
    description: &str,
) -> Result<DistributionPoint> {
    validate_name("distribution point", name)?;
    let folder = Path::new(path);
    if !folder.is_absolute() {
        return Err(Error::invalid_argument(
            "path",
            format!("'{path}' is not an absolute path (a distribution point needs one: D:\\Content, /srv/dp1, \\\\server\\share)"),
        ));
    }
    // Checked before the probe writes anything there, and again under the write lock, where
    // another process may have added a point meanwhile.
    refuse_point_name(&site.db().distribution_points()?, name, None)?;
    refuse_site_folders(site, folder)?;
    refuse_overlap(folder, &site.db().distribution_points()?)?;
    let created = prove_writable(folder)?;
    let mount_point = is_mount_point(folder);
    let recorded = site.db().write(|db| {
        let points = db.distribution_points()?;
        refuse_point_name(&points, name, None)?;
        refuse_overlap(folder, &points)?;
        db.insert_distribution_point(name, path, description, mount_point)
    });
    if let Err(error) = recorded {
        // A refused point leaves no folder of ours behind.
        if let Some(created) = created {
            let _ = fs::remove_dir_all(created);
        }
        return Err(error);
    }
    get_point(site, name)
}

/// A point in the site's own folders would mix clients' copies with the library they come from.
fn refuse_site_folders(site: &Site, folder: &Path) -> Result<()> {
    let new = canonical(folder);
    for (what, path) in [
        ("content library", site.library().root()),
        ("site database", site.database_path()),
    ] {
        let taken = canonical(path);
        if new.starts_with(&taken) || taken.starts_with(&new) {
            return Err(Error::invalid_argument(
                "path",
                format!(
                    "{} overlaps the site's {what} at {}: a distribution point needs a folder of its own",
                    folder.display(),
                    path.display()
                ),
            ));
        }
    }
    Ok(())
}

pub fn get_point(site: &Site, name: &str) -> Result<DistributionPoint> {
    if name.is_empty() {
        return Err(Error::invalid_argument(
            "distribution_point",
            "is empty: name a distribution point",
        ));
    }
    find_point(site.db(), name)?.ok_or_else(|| Error::not_found("distribution point", name))
}

fn refuse_point_name(
    points: &[DistributionPoint],
    name: &str,
    renamed: Option<&str>,
) -> Result<()> {
    let names = points.iter().map(|p| p.name.as_str());
    refuse_taken_name("distribution point", names, name, renamed)
}

/// The point of that name in any letter case (see `find_named`).
pub(super) fn find_point(db: &Db, name: &str) -> Result<Option<DistributionPoint>> {
    find_named(
        db.distribution_point(name)?,
        || db.distribution_points(),
        |p| &p.name,
        name,
    )
}

pub fn list_points(site: &Site) -> Result<Vec<DistributionPoint>> {
    site.db().distribution_points()
}

/// Renames a point or changes its description; `None` leaves a field as it is.
pub fn set_point(
    site: &Site,
    name: &str,
    new_name: Option<&str>,
    description: Option<&str>,
) -> Result<DistributionPoint> {
    if let Some(new_name) = new_name {
        validate_name("distribution point", new_name)?;
    }
    let stored = site.db().write(|db| {
        let point =
            find_point(db, name)?.ok_or_else(|| Error::not_found("distribution point", name))?;
        if let Some(new_name) = new_name {
            refuse_point_name(&db.distribution_points()?, new_name, Some(&point.name))?;
        }
        db.update_distribution_point(&point.name, new_name, description)?;
        Ok(point.name)
    })?;
    get_point(site, new_name.unwrap_or(&stored))
}

/// Removes a distribution point. One that holds packages is refused unless `force`, which
/// first removes their content from it.
pub fn remove_point(site: &Site, name: &str, force: bool) -> Result<()> {
    let point = get_point(site, name)?;
    let name = point.name.as_str();
    let held = site.db().distributions(None, Some(name))?;
    if !held.is_empty() && !force {
        let packages: Vec<&str> = held.iter().map(|d| d.package_id.as_str()).collect();
        return Err(Error::Conflict(format!(
            "distribution point '{name}' holds {}: remove their content first, or remove it with force",
            packages.join(", ")
        )));
    }
    for distribution in &held {
        let package_id = distribution.package_id.as_str();
        if PointPackage::on_point(&point, package_id).has_point_folder()? {
            super::remove_content(site, package_id, name)?;
        } else {
            forget_content(site, package_id, name, &point.path)?;
        }
    }
    site.db()
        .write(|db| db.delete_distribution_point(&point.name))?;
    let control = PointPackage::new(Path::new(&point.path), "").control_folder();
    // A link planted as the control folder is not followed to delete what lies behind it.
    if fs::symlink_metadata(&control).is_ok_and(|m| is_real_folder(&m)) {
        remove_lock_files(&control);
        let _ = fs::remove_dir(control.join("staging"));
        let _ = fs::remove_dir(control);
    }
    Ok(())
}

/// The packages' lock files, which content removal leaves, so that the point's folder is left as
/// it was found. A run that looked the point up just before it went could still open one; that
/// window is the removal's own.
fn remove_lock_files(control: &Path) {
    let Ok(entries) = fs::read_dir(control) else {
        return;
    };
    for entry in entries.flatten() {
        let is_lock = entry.file_name().to_string_lossy().ends_with(".lock");
        if is_lock && entry.file_type().is_ok_and(|kind| kind.is_file()) {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// A point taken down for good (its folder gone) is removable with force; should its share only
/// be unmounted, what it holds stays there, which the log says.
fn forget_content(site: &Site, package_id: &str, name: &str, path: &str) -> Result<()> {
    let _log = site.log_scope();
    log::warn!(
        target: "distribution",
        "{package_id} on {name}: the point's folder {path} is gone; the point is removed with force, and content still on a share not mounted stays there"
    );
    site.db()
        .write(|db| db.delete_distribution(package_id, name))
}

/// Two points on one folder, or one inside another, would share package trees: removing a
/// package from one would empty the other.
fn refuse_overlap(folder: &Path, points: &[DistributionPoint]) -> Result<()> {
    let new = canonical(folder);
    for point in points {
        let existing = canonical(Path::new(&point.path));
        if new.starts_with(&existing) || existing.starts_with(&new) {
            return Err(Error::Conflict(format!(
                "{} overlaps distribution point '{}' at {}: points need folders of their own",
                folder.display(),
                point.name,
                point.path
            )));
        }
    }
    Ok(())
}

/// The path with links and `..` resolved as far as it exists, the rest appended as given.
fn canonical(path: &Path) -> PathBuf {
    let mut existing = path;
    let mut rest = Vec::new();
    loop {
        if let Ok(resolved) = fs::canonicalize(existing) {
            return rest
                .iter()
                .rev()
                .fold(resolved, |full, part| full.join(part));
        }
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                existing = parent;
            }
            _ => return path.to_path_buf(),
        }
    }
}

/// Creates the folder and its control folder, then writes and deletes a probe file there.
/// Returns the outermost folder it created, if any.
fn prove_writable(folder: &Path) -> Result<Option<PathBuf>> {
    if folder.is_file() {
        return Err(Error::invalid_argument(
            "path",
            format!("{} is a file, not a folder", folder.display()),
        ));
    }
    let control = PointPackage::new(folder, "").control_folder();
    let created = control
        .ancestors()
        .take_while(|a| fs::symlink_metadata(a).is_err())
        .last()
        .map(Path::to_path_buf);
    let proved = fs::create_dir_all(&control).at(&control).and_then(|()| {
        let probe = control.join(format!("write-probe-{}", std::process::id()));
        fs::write(&probe, b"OSUpgrade checks it can write here").at(&probe)?;
        fs::remove_file(&probe).at(&probe)
    });
    if let Err(error) = proved {
        if let Some(created) = &created {
            let _ = fs::remove_dir_all(created);
        }
        return Err(error);
    }
    Ok(created)
}
