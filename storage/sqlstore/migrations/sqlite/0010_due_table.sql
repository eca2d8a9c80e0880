-- The due work (migration 0006) moves out of the profile rows into a table
-- of its own. A sweep after a policy change rewrites the due work of every
-- profile and nothing else; in the profile row that rewrote the whole row,
-- its JSON spilling into overflow pages, at under half the rows a second
-- of the same write on a small table (BENCHMARKS.md, "The sweep after a
-- policy change"). version is the profile's version the due work was
-- stored with: every write of the profile writes it in the same
-- transaction (or the one statement), so a sweep's write (SetDue) can
-- guard on the profile's version without reading the profile row. The
-- row goes with its profile on delete (the foreign key), and the index
-- answers "due by T" as one range, oldest due first, as profiles_due did.
CREATE TABLE profile_due (
	tenant      TEXT    NOT NULL,
	id          TEXT    NOT NULL,
	version     INTEGER NOT NULL,
	due_at      INTEGER NOT NULL,
	due_reasons BLOB,
	PRIMARY KEY (tenant, id),
	FOREIGN KEY (tenant, id) REFERENCES profiles (tenant, id) ON DELETE CASCADE
) WITHOUT ROWID;
CREATE INDEX profile_due_at ON profile_due (tenant, due_at, id);

-- Every profile written before, with the due work it holds (the largest
-- integer, nothing due, for one written before migration 0006).
INSERT INTO profile_due (tenant, id, version, due_at, due_reasons)
SELECT tenant, id, version, due_at, due_reasons FROM profiles;

-- The columns go: a view or trigger that names them, or an index on them,
-- would keep SQLite from dropping them, so the one-statement update's
-- view (and its trigger with it) goes first and comes back below.
DROP VIEW profile_updates;
DROP INDEX profiles_due;
ALTER TABLE profiles DROP COLUMN due_reasons;
ALTER TABLE profiles DROP COLUMN due_at;

-- The one-statement update of migration 0009 writes the due work into
-- its own row. The view keeps its columns: a writer that leaves the two
-- due columns out (an older program, the sqlite3 shell) still stores
-- nothing due rather than failing. The due row is upserted, so that a
-- profile that somehow lacks one (a row written by hand) gets it.
CREATE VIEW profile_updates AS
SELECT tenant, id, version, state, risk, person_type, modified_at, search, data,
	version AS base_version, created_at, name_key, '' AS labels_key, '' AS entry_id, '' AS entry,
	'' AS relations_key, 0 AS due_at, NULL AS due_reasons, '' AS event_id, 0 AS event_at, '' AS event,
	external_ref, tax_payer_id
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
		external_ref = NEW.external_ref, tax_payer_id = NEW.tax_payer_id
	WHERE tenant = NEW.tenant AND id = NEW.id;
	INSERT INTO profile_due (tenant, id, version, due_at, due_reasons)
	VALUES (NEW.tenant, NEW.id, NEW.version, coalesce(NEW.due_at, 9223372036854775807), NEW.due_reasons)
	ON CONFLICT (tenant, id) DO UPDATE SET version = excluded.version, due_at = excluded.due_at,
		due_reasons = excluded.due_reasons;
	INSERT INTO history (tenant, id, profile_id, version, data)
	VALUES (NEW.tenant, NEW.entry_id, NEW.id, NEW.base_version, NEW.entry);
	INSERT INTO feed (tenant, pos, id, at, data)
	SELECT NEW.tenant, coalesce((SELECT max(pos) FROM feed WHERE tenant = NEW.tenant), 0) + 1,
		NEW.event_id, NEW.event_at, NEW.event
	WHERE NEW.event_id IS NOT NULL;
END;
