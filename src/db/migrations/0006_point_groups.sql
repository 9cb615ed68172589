-- Distribution point groups, as in Configuration Manager: points that are given the same
-- packages. A group carries packages; a point that joins it later is given them.
CREATE TABLE distribution_point_groups (
    name        TEXT PRIMARY KEY COLLATE NOCASE,
    description TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    modified_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

CREATE TABLE distribution_point_group_members (
    group_name         TEXT NOT NULL COLLATE NOCASE
                           REFERENCES distribution_point_groups (name) ON DELETE CASCADE ON UPDATE CASCADE,
    distribution_point TEXT NOT NULL COLLATE NOCASE
                           REFERENCES distribution_points (name) ON DELETE CASCADE ON UPDATE CASCADE,
    PRIMARY KEY (group_name, distribution_point)
);
CREATE INDEX distribution_point_group_members_point
    ON distribution_point_group_members (distribution_point);

CREATE TABLE distribution_point_group_packages (
    group_name TEXT NOT NULL COLLATE NOCASE
                   REFERENCES distribution_point_groups (name) ON DELETE CASCADE ON UPDATE CASCADE,
    package_id TEXT NOT NULL REFERENCES packages (id) ON DELETE CASCADE,
    PRIMARY KEY (group_name, package_id)
);
CREATE INDEX distribution_point_group_packages_package
    ON distribution_point_group_packages (package_id);
