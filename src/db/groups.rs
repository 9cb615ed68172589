//! The statements of distribution point groups, their members and the packages they carry.

use rusqlite::{params, OptionalExtension, Row};

use super::Db;
use crate::error::Result;
use crate::model::DistributionPointGroup;

impl Db {
    pub(crate) fn insert_group(&self, name: &str, description: &str) -> Result<()> {
        self.conn
            .execute(
                "INSERT INTO distribution_point_groups (name, description) VALUES (?1, ?2)",
                params![name, description],
            )
            .map(drop)
            .map_err(|e| self.group_conflict_or_error(e, name))
    }

    pub(crate) fn group(&self, name: &str) -> Result<Option<DistributionPointGroup>> {
        let group = self
            .conn
            .query_row(
                "SELECT id, name, description, created_at, modified_at
                 FROM distribution_point_groups WHERE name = ?1",
                [name],
                group_from_row,
            )
            .optional()
            .map_err(|e| self.error(e))?;
        group.map(|g| self.with_members_and_packages(g)).transpose()
    }

    pub(crate) fn groups(&self) -> Result<Vec<DistributionPointGroup>> {
        let mut statement = self
            .conn
            .prepare(
                "SELECT id, name, description, created_at, modified_at
                 FROM distribution_point_groups ORDER BY name",
            )
            .map_err(|e| self.error(e))?;
        let groups: Vec<DistributionPointGroup> = statement
            .query_map([], group_from_row)
            .and_then(|rows| rows.collect())
            .map_err(|e| self.error(e))?;
        groups
            .into_iter()
            .map(|g| self.with_members_and_packages(g))
            .collect()
    }

    pub(crate) fn update_group(
        &self,
        name: &str,
        new_name: Option<&str>,
        description: Option<&str>,
    ) -> Result<()> {
        self.conn
            .execute(
                "UPDATE distribution_point_groups SET name = coalesce(?2, name),
                     description = coalesce(?3, description),
                     modified_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
                 WHERE name = ?1",
                params![name, new_name, description],
            )
            .map(drop)
            .map_err(|e| self.group_conflict_or_error(e, new_name.unwrap_or(name)))
    }

    pub(crate) fn delete_group(&self, name: &str) -> Result<()> {
        self.conn
            .execute(
                "DELETE FROM distribution_point_groups WHERE name = ?1",
                [name],
            )
            .map(drop)
            .map_err(|e| self.error(e))
    }

    /// Adds points to a group; a point that is a member already stays one.
    pub(crate) fn insert_group_members(&self, group: &str, points: &[&str]) -> Result<()> {
        self.run_for_each(
            "INSERT OR IGNORE INTO distribution_point_group_members (group_name, distribution_point)
             VALUES (?1, ?2)",
            group,
            points,
        )
    }

    pub(crate) fn delete_group_members(&self, group: &str, points: &[&str]) -> Result<()> {
        self.run_for_each(
            "DELETE FROM distribution_point_group_members
             WHERE group_name = ?1 AND distribution_point = ?2",
            group,
            points,
        )
    }

    /// Records that a group carries packages; one it carries already stays carried.
    pub(crate) fn insert_group_packages(&self, group: &str, package_ids: &[&str]) -> Result<()> {
        self.run_for_each(
            "INSERT OR IGNORE INTO distribution_point_group_packages (group_name, package_id)
             VALUES (?1, ?2)",
            group,
            package_ids,
        )
    }

    pub(crate) fn delete_group_package(&self, group: &str, package_id: &str) -> Result<()> {
        self.run_for_each(
            "DELETE FROM distribution_point_group_packages WHERE group_name = ?1 AND package_id = ?2",
            group,
            &[package_id],
        )
    }

    fn run_for_each(&self, sql: &str, group: &str, values: &[&str]) -> Result<()> {
        let mut statement = self.conn.prepare_cached(sql).map_err(|e| self.error(e))?;
        for value in values {
            statement
                .execute(params![group, value])
                .map_err(|e| self.error(e))?;
        }
        Ok(())
    }

    fn with_members_and_packages(
        &self,
        mut group: DistributionPointGroup,
    ) -> Result<DistributionPointGroup> {
        group.members = self.names_of_group(
            "SELECT distribution_point FROM distribution_point_group_members
             WHERE group_name = ?1 ORDER BY distribution_point",
            &group.name,
        )?;
        group.package_ids = self.names_of_group(
            "SELECT package_id FROM distribution_point_group_packages
             WHERE group_name = ?1 ORDER BY package_id",
            &group.name,
        )?;
        Ok(group)
    }

    fn names_of_group(&self, sql: &str, group: &str) -> Result<Vec<String>> {
        let mut statement = self.conn.prepare_cached(sql).map_err(|e| self.error(e))?;
        let names = statement
            .query_map([group], |row| row.get(0))
            .and_then(|rows| rows.collect())
            .map_err(|e| self.error(e))?;
        Ok(names)
    }

    fn group_conflict_or_error(&self, source: rusqlite::Error, name: &str) -> crate::Error {
        self.conflict_or_error(source, || {
            format!("a distribution point group named '{name}' already exists")
        })
    }
}

fn group_from_row(row: &Row<'_>) -> rusqlite::Result<DistributionPointGroup> {
    Ok(DistributionPointGroup {
        id: row.get(0)?,
        name: row.get(1)?,
        description: row.get(2)?,
        members: Vec::new(),
        package_ids: Vec::new(),
        created_at: row.get(3)?,
        modified_at: row.get(4)?,
    })
}
