-- A run that stops on a failure throws away what the engine had added before: those results
-- say Discarded. SQLite changes a CHECK only by making the table again.
CREATE TABLE servicing_results_next (
    run_id      INTEGER NOT NULL REFERENCES servicing_runs (id) ON DELETE CASCADE,
    update_id   TEXT NOT NULL,
    image       TEXT NOT NULL,
    image_index INTEGER NOT NULL,
    state       TEXT NOT NULL CHECK (state IN ('Installed', 'Failed', 'NotRun', 'Discarded')),
    exit_code   INTEGER,
    message     TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (run_id, update_id, image, image_index)
);
INSERT INTO servicing_results_next SELECT * FROM servicing_results;
DROP TABLE servicing_results;
ALTER TABLE servicing_results_next RENAME TO servicing_results;
