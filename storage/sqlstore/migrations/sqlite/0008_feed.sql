-- The change feed (storage.Event): one row per committed change, written
-- in the transaction (or the one statement) of the change itself. data is
-- the event's JSON without its position; at is its moment in Unix
-- milliseconds, for retention. A new event takes the tenant's last
-- position plus one, read from the key in the writing transaction: SQLite
-- has one writer at a time, so positions become visible in the order they
-- are handed out. Pruning always keeps a tenant's last event, so positions
-- are never reused. (PostgreSQL, with many writers, keeps a counter row:
-- its migration 0006.)

CREATE TABLE feed (
	tenant TEXT NOT NULL,
	pos INTEGER NOT NULL,
	id TEXT NOT NULL,
	at INTEGER NOT NULL,
	data TEXT NOT NULL,
	PRIMARY KEY (tenant, pos)
) WITHOUT ROWID;
CREATE UNIQUE INDEX feed_ids ON feed (tenant, id);

-- The readers of the feed that must not lose an event (storage.Consumers):
-- each one's position, and the lease that lets one process at a time read
-- for it (owner, until lease_until, Unix milliseconds; '' when free).
CREATE TABLE feed_consumers (
	tenant TEXT NOT NULL,
	name TEXT NOT NULL,
	pos INTEGER NOT NULL,
	owner TEXT NOT NULL,
	lease_until INTEGER NOT NULL,
	PRIMARY KEY (tenant, name)
);

-- The events a consumer gave up delivering, written in the step that
-- moves its position past them: data is the event's JSON without its
-- position (pos).
CREATE TABLE feed_dead (
	tenant TEXT NOT NULL,
	consumer TEXT NOT NULL,
	event_id TEXT NOT NULL,
	pos INTEGER NOT NULL,
	attempts INTEGER NOT NULL,
	reason TEXT NOT NULL,
	at INTEGER NOT NULL,
	data TEXT NOT NULL,
	PRIMARY KEY (tenant, consumer, event_id)
);

-- The one-statement update of migration 0006 now also appends the event
-- (event_id, event_at, event), when there is one. A writer that leaves
-- the three columns out (an older program, the sqlite3 shell) appends
-- none.
DROP VIEW profile_updates;

CREATE VIEW profile_updates AS
SELECT tenant, id, version, state, risk, person_type, modified_at, search, data,
	version AS base_version, created_at, name_key, '' AS labels_key, '' AS entry_id, '' AS entry,
	'' AS relations_key, due_at, due_reasons, '' AS event_id, 0 AS event_at, '' AS event
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
	INSERT INTO feed (tenant, pos, id, at, data)
	SELECT NEW.tenant, coalesce((SELECT max(pos) FROM feed WHERE tenant = NEW.tenant), 0) + 1,
		NEW.event_id, NEW.event_at, NEW.event
	WHERE NEW.event_id IS NOT NULL;
END;
