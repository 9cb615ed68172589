//! The names of distribution points and groups: what a name may be, and when two are one.

use crate::error::{Error, Result};

/// A name a point or group can have. Wildcard characters (and PowerShell's escape, the
/// backtick) are refused: a name that holds them could not be told apart from a pattern by the
/// wildcard look-ups (`Get-… 'DP*'`). Spaces at either end would make two names look alike.
pub(super) fn validate_name(what: &str, name: &str) -> Result<()> {
    if name.trim().is_empty() {
        return Err(Error::invalid_argument(
            "name",
            format!("a {what} needs a name"),
        ));
    }
    if name.chars().count() > 255
        || name.trim() != name
        || name
            .chars()
            .any(|c| c.is_control() || matches!(c, '*' | '?' | '[' | ']' | '`'))
    {
        return Err(Error::invalid_argument(
            "name",
            format!(
                "'{name}' is not a usable {what} name (at most 255 characters, no space at either end, no control characters, none of * ? [ ] `)"
            ),
        ));
    }
    Ok(())
}

/// Names of points and groups are the same in any letter case, as Windows file names are.
pub(super) fn same_name(a: &str, b: &str) -> bool {
    a.to_lowercase() == b.to_lowercase()
}

/// Refuses `name` when another record of `what` has it in any letter case; `renamed`, the
/// stored name of the record being renamed, does not count. The conflict names the stored
/// spelling.
pub(super) fn refuse_taken_name<'a>(
    what: &str,
    names: impl IntoIterator<Item = &'a str>,
    name: &str,
    renamed: Option<&str>,
) -> Result<()> {
    match names
        .into_iter()
        .find(|taken| Some(*taken) != renamed && same_name(taken, name))
    {
        Some(taken) => Err(Error::Conflict(format!(
            "a {what} named '{taken}' already exists"
        ))),
        None => Ok(()),
    }
}

/// The record of that name in any letter case: SQLite's NOCASE folds ASCII only, so when the
/// exact look-up finds nothing, other letters (Zürich, ZÜRICH) are compared here.
pub(super) fn find_named<T>(
    exact: Option<T>,
    all: impl FnOnce() -> Result<Vec<T>>,
    name_of: impl Fn(&T) -> &str,
    name: &str,
) -> Result<Option<T>> {
    if exact.is_some() {
        return Ok(exact);
    }
    Ok(all()?.into_iter().find(|r| same_name(name_of(r), name)))
}
