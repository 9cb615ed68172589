-- The class of a failed distribution's error (crate::ErrorKind's name), beside its message.
ALTER TABLE distributions ADD COLUMN last_error_kind TEXT NOT NULL DEFAULT '';
