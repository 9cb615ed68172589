//! Forward migrations, numbered, each applied in one transaction and recorded in
//! `PRAGMA user_version`.

use super::Db;
use crate::error::{Error, Result};

const MIGRATIONS: &[&str] = &[
    include_str!("migrations/0001_initial.sql"),
    include_str!("migrations/0002_distribution.sql"),
    include_str!("migrations/0003_error_kind.sql"),
    include_str!("migrations/0004_content_versions.sql"),
    include_str!("migrations/0005_servicing.sql"),
    include_str!("migrations/0006_point_groups.sql"),
    include_str!("migrations/0007_discarded_results.sql"),
    include_str!("migrations/0008_group_ids.sql"),
    include_str!("migrations/0009_chunks.sql"),
    include_str!("migrations/0010_point_mounts.sql"),
];

/// The schema version this build writes.
pub(crate) const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

pub(super) fn migrate(db: &Db) -> Result<()> {
    if schema_version(db)? == SCHEMA_VERSION {
        return Ok(());
    }
    db.write(|db| {
        // Read again under the write lock: another process may have migrated meanwhile.
        let current = schema_version(db)?;
        if current > SCHEMA_VERSION {
            return Err(Error::invalid_argument(
                "path",
                format!(
                    "{}: schema version {current} is newer than this build of OSUpgrade ({SCHEMA_VERSION}); upgrade OSUpgrade",
                    db.path().display()
                ),
            ));
        }
        for (number, sql) in MIGRATIONS.iter().enumerate().skip(current as usize) {
            db.conn.execute_batch(sql).map_err(|e| db.error(e))?;
            db.conn
                .pragma_update(None, "user_version", number as i64 + 1)
                .map_err(|e| db.error(e))?;
        }
        Ok(())
    })
}

pub(crate) fn schema_version(db: &Db) -> Result<i64> {
    db.conn
        .query_row("PRAGMA user_version", [], |row| row.get(0))
        .map_err(|e| db.error(e))
}
