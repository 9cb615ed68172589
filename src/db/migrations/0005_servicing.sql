-- Software updates and their servicing of packages' images.

-- The update catalog: each update file is a blob of the content library. An update is
-- 'importing' (owned by the content library instance that imports it, as package imports are)
-- until its blob is in place.
CREATE TABLE updates (
    id             TEXT PRIMARY KEY,          -- KB number and architecture: 'KB5034441-x64'
    state          TEXT NOT NULL CHECK (state IN ('importing', 'ready')),
    importer       TEXT NOT NULL DEFAULT '',
    kb             TEXT NOT NULL,             -- 'KB5034441'
    title          TEXT NOT NULL,
    classification TEXT NOT NULL CHECK (classification IN
                       ('ServicingStack', 'Cumulative', 'SafeOs', 'Setup', 'Other')),
    architecture   TEXT NOT NULL,
    product        TEXT NOT NULL DEFAULT '',  -- 'Windows 10', 'Windows 11' (from the file name)
    builds         TEXT NOT NULL DEFAULT '[]',-- JSON array of the OS builds it applies to
    release_date   TEXT NOT NULL DEFAULT '',  -- YYYY-MM-DD
    supersedes     TEXT NOT NULL DEFAULT '[]',-- JSON array of KB numbers
    file_name      TEXT NOT NULL,
    sha256         TEXT NOT NULL REFERENCES blobs (sha256),
    size           INTEGER NOT NULL,
    imported_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX updates_sha256 ON updates (sha256);

-- Whether the updates inside a content version's images have been read: 'unread' (versions
-- made before this table, or where no reader was at hand), 'read', 'unavailable' (no wimlib).
ALTER TABLE content_versions ADD COLUMN image_updates TEXT NOT NULL DEFAULT 'unread';

-- The updates each image of a package's current content holds, per image file and index:
-- those found in the image ('image') and those servicing applied ('serviced'), with the content
-- version each first appeared in (ConfigMgr's SMS_ImageUpdateStatus grain).
CREATE TABLE applied_updates (
    package_id      TEXT NOT NULL REFERENCES packages (id) ON DELETE CASCADE ON UPDATE CASCADE,
    image           TEXT NOT NULL,            -- 'install', 'winre' (inside install's index) or 'boot'
    image_index     INTEGER NOT NULL,
    kb              TEXT NOT NULL,
    build           TEXT NOT NULL DEFAULT '', -- the build the package brings, e.g. 19041.1415
    update_id       TEXT,                     -- the catalog's update, when servicing applied it
    origin          TEXT NOT NULL CHECK (origin IN ('image', 'serviced')),
    run_id          INTEGER,
    content_version INTEGER NOT NULL,
    applied_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    PRIMARY KEY (package_id, image, image_index, kb)
);

CREATE TABLE schedules (
    id                          INTEGER PRIMARY KEY,
    package_id                  TEXT NOT NULL REFERENCES packages (id) ON DELETE CASCADE ON UPDATE CASCADE,
    recurrence                  TEXT NOT NULL,   -- JSON, see schedule::Recurrence
    start                       TEXT NOT NULL,   -- YYYY-MM-DDTHH:MM:SS in the schedule's time
    utc                         INTEGER NOT NULL,
    continue_on_error           INTEGER NOT NULL,
    update_distribution_points  INTEGER NOT NULL,
    remove_superseded           INTEGER NOT NULL,
    service_winre               INTEGER NOT NULL DEFAULT 0,
    service_boot_image          INTEGER NOT NULL DEFAULT 0,
    enabled                     INTEGER NOT NULL,
    next_run_at                 TEXT,            -- UTC; NULL once a schedule has no more runs
    created_at                  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    modified_at                 TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX schedules_due ON schedules (next_run_at) WHERE enabled = 1;

CREATE TABLE schedule_updates (
    schedule_id INTEGER NOT NULL REFERENCES schedules (id) ON DELETE CASCADE,
    update_id   TEXT NOT NULL REFERENCES updates (id),
    PRIMARY KEY (schedule_id, update_id)
);

-- A servicing run (ConfigMgr's SMS_ImageServicingProgress). A running run is owned by the
-- content library instance that runs it (as imports are): a dead runner is known at once.
CREATE TABLE servicing_runs (
    id                   INTEGER PRIMARY KEY,
    schedule_id          INTEGER REFERENCES schedules (id) ON DELETE SET NULL,
    package_id           TEXT NOT NULL REFERENCES packages (id) ON DELETE CASCADE ON UPDATE CASCADE,
    state                TEXT NOT NULL CHECK (state IN ('Running', 'Succeeded', 'PartiallySucceeded', 'Failed')),
    owner                TEXT NOT NULL DEFAULT '',
    engine               TEXT NOT NULL,
    content_version_from INTEGER NOT NULL,
    content_version_to   INTEGER,
    error                TEXT NOT NULL DEFAULT '',
    error_kind           TEXT,
    log_path             TEXT NOT NULL DEFAULT '',
    -- The run made a content version that the points holding the package still have to get
    -- (the runner retries until they have it), and what went wrong last time.
    points_pending       INTEGER NOT NULL DEFAULT 0,
    points_error         TEXT NOT NULL DEFAULT '',
    started_at           TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    finished_at          TEXT
);
CREATE INDEX servicing_runs_package ON servicing_runs (package_id, state);

-- Each update's result on each image of a run.
CREATE TABLE servicing_results (
    run_id      INTEGER NOT NULL REFERENCES servicing_runs (id) ON DELETE CASCADE,
    update_id   TEXT NOT NULL,
    image       TEXT NOT NULL,
    image_index INTEGER NOT NULL,
    state       TEXT NOT NULL CHECK (state IN ('Installed', 'Failed', 'NotRun')),
    exit_code   INTEGER,
    message     TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (run_id, update_id, image, image_index)
);
