-- The reverse index of relations (seed 003, 3.1.7): one row per member of
-- a profile's relations, so that "who relates to X" is an index lookup and
-- a walk of the ownership graph reads relations without decoding whole
-- profiles. Rows are written with the profile in the same transaction and
-- go with it on delete. pos is the member's index in the relations array;
-- extra is the member's key-value information as JSON, or NULL; member is
-- the whole member as the store encoded it, which the update trigger
-- compares (below).
CREATE TABLE IF NOT EXISTS profile_relations (
	tenant       TEXT    NOT NULL,
	profile_id   TEXT    NOT NULL,
	pos          INTEGER NOT NULL,
	related_id   TEXT    NOT NULL,
	relationship TEXT    NOT NULL,
	valid_since  INTEGER,
	valid_until  INTEGER,
	extra        TEXT,
	member       TEXT,
	PRIMARY KEY (tenant, profile_id, pos),
	FOREIGN KEY (tenant, profile_id) REFERENCES profiles (tenant, id) ON DELETE CASCADE
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS profile_relations_related ON profile_relations (tenant, related_id, relationship, profile_id);

-- The profiles written before this migration.
INSERT OR IGNORE INTO profile_relations (tenant, profile_id, pos, related_id, relationship, valid_since, valid_until, extra, member)
SELECT p.tenant, p.id, CAST(r.key AS INTEGER), json_extract(r.value, '$.profile_id'),
	json_extract(r.value, '$.relationship'), json_extract(r.value, '$.since'),
	json_extract(r.value, '$.until'), json_extract(r.value, '$.extra'), r.value
FROM profiles p, json_each(p.data, '$.relations') r;

-- The one-statement update of migration 0004 now also refuses an update
-- that changes the relations, which then takes the transaction that
-- rewrites the relation rows; an update that keeps them, nearly every one,
-- still runs as one statement. The trigger cannot read the JSON (the JSON
-- functions are built into SQLite only from 3.38, and the schema stays
-- readable by older tools): relations_key spells the members as the store
-- encodes them, each prefixed with its position and length, as the rows'
-- member column does (NULL for none). A row backfilled above holds SQLite's
-- spelling, which may differ: the trigger then refuses once, and the
-- transaction rewrites the rows in the store's.
DROP VIEW profile_updates;

CREATE VIEW profile_updates AS
SELECT tenant, id, version, state, risk, person_type, modified_at, search, data,
	version AS base_version, created_at, name_key, '' AS labels_key, '' AS entry_id, '' AS entry,
	'' AS relations_key
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
		person_type = NEW.person_type, modified_at = NEW.modified_at, search = NEW.search, data = NEW.data
	WHERE tenant = NEW.tenant AND id = NEW.id;
	INSERT INTO history (tenant, id, profile_id, version, data)
	VALUES (NEW.tenant, NEW.entry_id, NEW.id, NEW.base_version, NEW.entry);
END;
