-- The due work the service stores with each profile (Record.Due and
-- DueReasons): due_at is storage.DueKey of the due moment, the largest
-- integer when nothing is due, which is what the profiles written before
-- this migration read as until their next write; due_reasons is the
-- reasons' JSON as given, or NULL. The index answers "due by T" as one
-- range, oldest due first.
ALTER TABLE profiles ADD COLUMN due_at INTEGER NOT NULL DEFAULT 9223372036854775807;
ALTER TABLE profiles ADD COLUMN due_reasons BLOB;
CREATE INDEX IF NOT EXISTS profiles_due ON profiles (tenant, due_at, id);

-- The one-statement update of migration 0005 now also writes the due
-- work. A writer that leaves the two columns out (an older program, the
-- sqlite3 shell) stores nothing due rather than failing.
DROP VIEW profile_updates;

CREATE VIEW profile_updates AS
SELECT tenant, id, version, state, risk, person_type, modified_at, search, data,
	version AS base_version, created_at, name_key, '' AS labels_key, '' AS entry_id, '' AS entry,
	'' AS relations_key, due_at, due_reasons
FROM profiles WHERE 0;

CREATE TRIGGER profile_updates_apply INSTEAD OF INSERT ON profile_updates
BEGIN
	SELECT RAISE(ABORT, 'profile moved') WHERE NOT EXISTS (
		SELECT 1 FROM profiles
		WHERE tenant = NEW.tenant AND id = NEW.id AND version = NEW.base_version
		AND created_at = NEW.created_at AND name_key = NEW.name_key
		AND (SELECT group_concat(length(CAST(label AS BLOB)) || ':' || label, '')
			FROM (SELECT label FROM profile_labels
				WHERE tenant = NEW.tenant AND profile_id = NEW.id ORDER BY label)) IS NEW.labels_key
		AND (SELECT group_concat(pos || ':' || length(CAST(member AS BLOB)) || ':' || member, '')
			FROM (SELECT pos, member FROM profile_relations
				WHERE tenant = NEW.tenant AND profile_id = NEW.id ORDER BY pos)) IS NEW.relations_key);
	UPDATE profiles SET version = NEW.version, state = NEW.state, risk = NEW.risk,
		person_type = NEW.person_type, modified_at = NEW.modified_at, search = NEW.search, data = NEW.data,
		due_at = coalesce(NEW.due_at, 9223372036854775807), due_reasons = NEW.due_reasons
	WHERE tenant = NEW.tenant AND id = NEW.id;
	INSERT INTO history (tenant, id, profile_id, version, data)
	VALUES (NEW.tenant, NEW.entry_id, NEW.id, NEW.base_version, NEW.entry);
END;
