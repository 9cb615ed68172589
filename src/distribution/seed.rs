//! The seed of a package's next tree on a point: after a switch, the previous tree is kept as
//! links to the files of the live one. The next distribution takes it as its next tree, where
//! every file that did not change is in place already, so it links (and the switch after it
//! unlinks) only the files that changed, where it would otherwise link and unlink every file of
//! the package: two file-system calls per file, and on a share two round trips.
//!
//! A seed proves nothing by its names: a file in it is kept only when it is the very file the
//! live tree holds at its path, found in place there (the same device and inode), so a file
//! planted or replaced in it is dropped and placed again, and a link found in it is removed,
//! never followed. A seed with a folder on another device (a mount, a subvolume) is not used:
//! the inode numbers it lists are another file system's. The seed holds no bytes of its own.
//! Where the platform gives no identity with the metadata already read (Windows), or the point
//! has no links, no seed is kept.

use std::collections::{HashMap, HashSet};
use std::fs;
use std::path::Path;

use super::layout::{identity, is_real_folder, remove_entry, walk, FileIdentity, PointPackage};
use crate::error::{IoContext, Result};
use crate::kill_point;

/// What a new tree takes from the live one: the files found in place there, each with its
/// identity, and the tree's folders.
pub(super) struct Kept<'a> {
    pub files: HashMap<&'a str, FileIdentity>,
    pub folders: HashSet<&'a str>,
}

/// Makes the package's next tree: the seed pruned to the files `kept` names, when there is a
/// seed, else an empty folder. Returns the paths of the files the next tree holds already.
pub(super) fn take_seed(place: &PointPackage, kept: &Kept<'_>) -> Result<HashSet<String>> {
    let (seed, next) = (place.seed_tree(), place.next_tree());
    remove_entry(&next)?;
    match device_of_folder(&seed).filter(|_| !kept.files.is_empty()) {
        Some(device) => {
            fs::rename(&seed, &next).at(&next)?;
            if let Some(held) = prune(&next, device, kept)? {
                kill_point::reached("switch: seed taken");
                log::info!(
                    target: "distribution",
                    "{} on {}: {} of the package's files found in place in the seed",
                    place.package_id,
                    place.root.display(),
                    held.len()
                );
                return Ok(held);
            }
            remove_entry(&next)?;
        }
        None => remove_entry(&seed)?,
    }
    fs::create_dir(&next).at(&next)?;
    Ok(HashSet::new())
}

/// After a switch, keeps the tree it moved aside as the seed: pruned to the files the live tree
/// took from it, with links to the live tree's other files, so that it mirrors the live tree.
/// A first distribution has no previous tree; its seed is all links.
pub(super) fn keep_as_seed<'p>(
    place: &PointPackage,
    kept: &Kept<'_>,
    files: impl Iterator<Item = &'p str>,
) -> Result<()> {
    let tree = place.tree();
    let Some(device) = device_of_folder(&tree) else {
        return Ok(());
    };
    let previous = place.previous_tree();
    let held = match device_of_folder(&previous) {
        Some(_) => prune(&previous, device, kept)?.unwrap_or_default(),
        None => HashSet::new(),
    };
    if held.is_empty() {
        // Where listings never give the inodes that stats do (some shares and FUSE file
        // systems), a seed would be linked and unlinked whole on every run.
        if !kept.files.is_empty() {
            return Ok(());
        }
        remove_entry(&previous)?;
        fs::create_dir(&previous).at(&previous)?;
    }
    make_folders(&previous, &kept.folders)?;
    for file in files.filter(|file| !held.contains(*file)) {
        let target = previous.join(file);
        fs::hard_link(tree.join(file), &target).at(&target)?;
    }
    kill_point::reached("switch: seed made");
    let seed = place.seed_tree();
    fs::rename(&previous, &seed).at(&seed)
}

/// Makes each of `folders` below `tree`, with their parents.
pub(super) fn make_folders(tree: &Path, folders: &HashSet<&str>) -> Result<()> {
    for folder in folders {
        let path = tree.join(folder);
        fs::create_dir_all(&path).at(&path)?;
    }
    Ok(())
}

/// The device of a real folder (not a link), where its identity is to be had.
fn device_of_folder(path: &Path) -> Option<u64> {
    let metadata = fs::symlink_metadata(path).ok()?;
    if !is_real_folder(&metadata) {
        return None;
    }
    identity(&metadata).map(|identity| identity.device)
}

/// Removes from a tree on `device` every entry but the files `kept` names, where they are the
/// very files kept, and the folders `kept` names. Returns the paths of the files left, or
/// `None` for a tree that is not one real folder tree on `device`, which it leaves alone.
fn prune(tree: &Path, device: u64, kept: &Kept<'_>) -> Result<Option<HashSet<String>>> {
    let listing = walk(tree)?;
    let on_device = |folder: &String| {
        let metadata = fs::symlink_metadata(tree.join(folder));
        metadata.is_ok_and(|m| identity(&m).is_some_and(|i| i.device == device))
    };
    // "." is the tree itself found a link since it was looked at: nothing below it is ours.
    if listing.links.iter().any(|link| link == ".") || !listing.folders.iter().all(on_device) {
        return Ok(None);
    }
    let mut held = HashSet::new();
    for file in listing.files {
        let found = file.inode.map(|inode| FileIdentity { device, inode });
        if found.is_some() && kept.files.get(file.path.as_str()) == found.as_ref() {
            held.insert(file.path);
        } else {
            remove_entry(&tree.join(&file.path))?;
        }
    }
    for link in &listing.links {
        // A seed, and the tree it was, hold the package's files and folders only: a link or a
        // special file there was put there by someone.
        log::warn!(
            target: "distribution",
            "removed {}: a link or special file planted where only the package's files belong, not followed",
            tree.join(link).display()
        );
        remove_entry(&tree.join(link))?;
    }
    let folders = listing.folders.iter();
    for folder in folders.filter(|folder| !kept.folders.contains(folder.as_str())) {
        remove_entry(&tree.join(folder))?;
    }
    Ok(Some(held))
}
