-- Site settings: site code, next package number.
CREATE TABLE settings (
    name  TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- A package is 'importing' while its content is hashed into the library, so that the blobs it
-- references are never collected under it; only 'ready' packages are visible.
CREATE TABLE packages (
    id              TEXT PRIMARY KEY,
    name            TEXT NOT NULL,
    version         TEXT NOT NULL DEFAULT '',
    comment         TEXT NOT NULL DEFAULT '',
    source_path     TEXT NOT NULL,
    content_version INTEGER NOT NULL,
    state           TEXT NOT NULL CHECK (state IN ('importing', 'ready')),
    size            INTEGER NOT NULL DEFAULT 0,
    file_count      INTEGER NOT NULL DEFAULT 0,
    created_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    modified_at     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE UNIQUE INDEX packages_name_version
    ON packages (name COLLATE NOCASE, version COLLATE NOCASE) WHERE state = 'ready';

CREATE TABLE package_images (
    package_id       TEXT NOT NULL REFERENCES packages (id) ON DELETE CASCADE,
    content_version  INTEGER NOT NULL,
    image_index      INTEGER NOT NULL,
    name             TEXT NOT NULL,
    description      TEXT NOT NULL,
    edition_id       TEXT NOT NULL,
    architecture     TEXT NOT NULL,
    version          TEXT NOT NULL,
    languages        TEXT NOT NULL, -- JSON array
    default_language TEXT NOT NULL,
    size             INTEGER NOT NULL,
    PRIMARY KEY (package_id, content_version, image_index)
);

-- The single-instance store's index: one row per blob file under files/.
CREATE TABLE blobs (
    sha256 TEXT PRIMARY KEY,
    size   INTEGER NOT NULL
);
CREATE INDEX blobs_size ON blobs (size);

-- The manifest of each content version; folders have no blob.
CREATE TABLE package_files (
    package_id      TEXT NOT NULL REFERENCES packages (id) ON DELETE CASCADE,
    content_version INTEGER NOT NULL,
    path            TEXT NOT NULL,
    sha256          TEXT REFERENCES blobs (sha256),
    size            INTEGER NOT NULL,
    PRIMARY KEY (package_id, content_version, path)
);
CREATE INDEX package_files_sha256 ON package_files (sha256);
