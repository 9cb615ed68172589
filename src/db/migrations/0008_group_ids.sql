-- A group's ID, as Configuration Manager's GroupID: a GUID that stays when the group is renamed.
ALTER TABLE distribution_point_groups ADD COLUMN id TEXT;
CREATE UNIQUE INDEX distribution_point_groups_id ON distribution_point_groups (id);

-- The one place an ID is made: a group whose ID is set to NULL gets a new one (a version 4 GUID,
-- in braces and capitals as Configuration Manager shows them).
CREATE TRIGGER distribution_point_groups_new_id AFTER UPDATE OF id ON distribution_point_groups
WHEN NEW.id IS NULL
BEGIN
    UPDATE distribution_point_groups
    SET id = '{' || hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2)
             || '-' || substr('89AB', 1 + abs(random() % 4), 1) || substr(hex(randomblob(2)), 2)
             || '-' || hex(randomblob(6)) || '}'
    WHERE rowid = NEW.rowid;
END;

-- A new group gets its ID through the trigger above.
CREATE TRIGGER distribution_point_groups_id_on_insert AFTER INSERT ON distribution_point_groups
WHEN NEW.id IS NULL
BEGIN
    UPDATE distribution_point_groups SET id = NULL WHERE rowid = NEW.rowid;
END;

-- The groups made before IDs existed get theirs.
UPDATE distribution_point_groups SET id = NULL;
