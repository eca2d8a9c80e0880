-- The trigger of migration 0003 used group_concat(... ORDER BY ...) and
-- octet_length, which SQLite parses only from 3.44 and 3.43: the sqlite3
-- program of Debian 12 (3.40) and Python's sqlite3 module refused the whole
-- file ("malformed database schema"), and operators back up, inspect and
-- repair files with those tools. This one does the same with what SQLite
-- 3.37 and later run: the labels ordered in a subquery, and each label's
-- length in bytes as the length of its BLOB. A database written before is
-- repaired when the store opens it.
--
-- labels_key still spells the sorted labels, each prefixed with its length
-- in bytes, so that no other set of labels spells the same. SQLite does not
-- promise that group_concat keeps the order of its subquery; if it ever
-- did not, the key would not match, the trigger would refuse, and the
-- caller would run the general update in a transaction: slower, never
-- wrong, since the keys of two different sets always differ.
DROP TRIGGER profile_updates_apply;

CREATE TRIGGER profile_updates_apply INSTEAD OF INSERT ON profile_updates
BEGIN
	SELECT RAISE(ABORT, 'profile moved') WHERE NOT EXISTS (
		SELECT 1 FROM profiles
		WHERE tenant = NEW.tenant AND id = NEW.id AND version = NEW.base_version
		AND created_at = NEW.created_at AND name_key = NEW.name_key
		AND (SELECT group_concat(length(CAST(label AS BLOB)) || ':' || label, '')
			FROM (SELECT label FROM profile_labels
				WHERE tenant = NEW.tenant AND profile_id = NEW.id ORDER BY label)) IS NEW.labels_key);
	UPDATE profiles SET version = NEW.version, state = NEW.state, risk = NEW.risk,
		person_type = NEW.person_type, modified_at = NEW.modified_at, search = NEW.search, data = NEW.data
	WHERE tenant = NEW.tenant AND id = NEW.id;
	INSERT INTO history (tenant, id, profile_id, version, data)
	VALUES (NEW.tenant, NEW.entry_id, NEW.id, NEW.base_version, NEW.entry);
END;
