-- Distribution points: folders (local disks, mounted shares, UNC paths) that hold packages.
CREATE TABLE distribution_points (
    name        TEXT PRIMARY KEY COLLATE NOCASE,
    path        TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    modified_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

-- One row per package x distribution point that was ever targeted, with ConfigMgr's states.
CREATE TABLE distributions (
    package_id                TEXT NOT NULL REFERENCES packages (id) ON DELETE CASCADE,
    distribution_point        TEXT NOT NULL COLLATE NOCASE
                                  REFERENCES distribution_points (name) ON DELETE CASCADE ON UPDATE CASCADE,
    target_content_version    INTEGER NOT NULL,
    installed_content_version INTEGER,
    state                     TEXT NOT NULL
                                  CHECK (state IN ('Waiting', 'InProgress', 'Installed', 'Failed', 'Retrying')),
    bytes_total               INTEGER NOT NULL DEFAULT 0,
    bytes_copied              INTEGER NOT NULL DEFAULT 0,
    files_copied              INTEGER NOT NULL DEFAULT 0,
    last_error                TEXT NOT NULL DEFAULT '',
    started_at                TEXT,
    finished_at               TEXT,
    modified_at               TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    PRIMARY KEY (package_id, distribution_point)
);
CREATE INDEX distributions_distribution_point ON distributions (distribution_point);
