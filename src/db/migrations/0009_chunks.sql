-- Large blobs are kept as content-defined chunks, each once under its SHA-256 (files/chunks/):
-- two versions of an image that servicing changed share all but the chunks that changed.
CREATE TABLE chunks (
    sha256 TEXT PRIMARY KEY,
    size   INTEGER NOT NULL
);

-- A chunked blob's chunks in order; a blob without rows here is one whole file (as every blob
-- was before chunks, and every small one still is).
CREATE TABLE blob_chunks (
    blob    TEXT NOT NULL REFERENCES blobs (sha256) ON DELETE CASCADE,
    ordinal INTEGER NOT NULL,
    chunk   TEXT NOT NULL REFERENCES chunks (sha256),
    PRIMARY KEY (blob, ordinal)
) WITHOUT ROWID;
CREATE INDEX blob_chunks_chunk ON blob_chunks (chunk);

-- What a distribution took from what the point already held, beside what it copied.
ALTER TABLE distributions ADD COLUMN bytes_reused INTEGER NOT NULL DEFAULT 0;
