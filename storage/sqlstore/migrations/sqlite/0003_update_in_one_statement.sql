-- An update that keeps the profile's creation time, name and labels (nearly
-- every update) runs as one statement, which SQLite commits as its own
-- transaction: an INSERT into this view, whose trigger writes the profile
-- row and the history entry. SQLite has no stored procedures; an INSTEAD OF
-- trigger on a view is how one statement runs several. An explicit
-- transaction of two statements cost a BEGIN, a COMMIT and a round trip
-- more, a third of the update. The view itself holds no rows.
CREATE VIEW profile_updates AS
SELECT tenant, id, version, state, risk, person_type, modified_at, search, data,
	version AS base_version, created_at, name_key, '' AS labels_key, '' AS entry_id, '' AS entry
FROM profiles WHERE 0;

-- The trigger refuses (RAISE ABORT, nothing written) unless the stored
-- profile is still at base_version with the same creation time, name and
-- labels; the caller then runs the general update in a transaction, which
-- also tells a missing profile from a moved one. The update leaves
-- created_at and name_key alone: SQLite rewrites the entry of every index
-- whose columns an UPDATE sets, even to the same value. labels_key spells
-- the sorted labels, each prefixed with its length in bytes, so that no
-- other set of labels spells the same (NULL for none: the aggregate of no
-- rows). A duplicate entry id fails the INSERT into history and undoes the
-- whole statement.
CREATE TRIGGER profile_updates_apply INSTEAD OF INSERT ON profile_updates
BEGIN
	SELECT RAISE(ABORT, 'profile moved') WHERE NOT EXISTS (
		SELECT 1 FROM profiles
		WHERE tenant = NEW.tenant AND id = NEW.id AND version = NEW.base_version
		AND created_at = NEW.created_at AND name_key = NEW.name_key
		AND (SELECT group_concat(octet_length(label) || ':' || label, '' ORDER BY label)
			FROM profile_labels WHERE tenant = NEW.tenant AND profile_id = NEW.id) IS NEW.labels_key);
	UPDATE profiles SET version = NEW.version, state = NEW.state, risk = NEW.risk,
		person_type = NEW.person_type, modified_at = NEW.modified_at, search = NEW.search, data = NEW.data
	WHERE tenant = NEW.tenant AND id = NEW.id;
	INSERT INTO history (tenant, id, profile_id, version, data)
	VALUES (NEW.tenant, NEW.entry_id, NEW.id, NEW.base_version, NEW.entry);
END;

-- Every index that holds modified_at costs a page write per update. A list
-- filtered on risk alone reads the state_risk index (skipping over the
-- few states) instead, which measured 3.9 ms against 2.4 ms for 20 of
-- 100,000 profiles, while every update is spared a page.
DROP INDEX profiles_risk;
