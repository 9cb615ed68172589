-- A content version is a record of its own. An import writes an 'importing' version, which its
-- importer (the content library's staging folder of the process, held by a lock while it lives)
-- owns; making it current is one transaction; the previous ready version is kept as 'retired'
-- (as many as the setting retained_content_versions says) so that points can be validated or
-- rolled back to it.
CREATE TABLE content_versions (
    package_id TEXT NOT NULL REFERENCES packages (id) ON DELETE CASCADE ON UPDATE CASCADE,
    number     INTEGER NOT NULL,
    state      TEXT NOT NULL CHECK (state IN ('importing', 'ready', 'retired')),
    origin     TEXT NOT NULL CHECK (origin IN ('added', 'reloaded', 'serviced')),
    importer   TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    PRIMARY KEY (package_id, number)
);

INSERT INTO content_versions (package_id, number, state, origin, created_at)
    SELECT id, content_version, 'ready',
           CASE WHEN content_version = 1 THEN 'added' ELSE 'reloaded' END, modified_at
    FROM packages WHERE state = 'ready';

-- Rows of versions no record owns: what reloads killed under earlier builds left behind.
DELETE FROM package_files
    WHERE package_id IN (SELECT id FROM packages WHERE state = 'ready')
      AND NOT EXISTS (SELECT 1 FROM content_versions v
                      WHERE v.package_id = package_files.package_id
                        AND v.number = package_files.content_version);
DELETE FROM package_images
    WHERE package_id IN (SELECT id FROM packages WHERE state = 'ready')
      AND NOT EXISTS (SELECT 1 FROM content_versions v
                      WHERE v.package_id = package_images.package_id
                        AND v.number = package_images.content_version);
