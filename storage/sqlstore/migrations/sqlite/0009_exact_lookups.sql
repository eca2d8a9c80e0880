-- The exact lookups by external reference and by tax payer id
-- (Query.ExternalRef, Query.TaxPayerID): an import asks, for each record,
-- whether the tenant already holds a profile with its external_ref. Two
-- columns every write fills (NULL for none), each with a partial index:
-- an expression index on the JSON would need json_extract in the schema,
-- which SQLite builds in only from 3.38 (see migration 0004's reason).
-- The profiles written before this migration are filled from their JSON
-- here, run by the store's own SQLite, which has the JSON functions.
ALTER TABLE profiles ADD COLUMN external_ref TEXT;
ALTER TABLE profiles ADD COLUMN tax_payer_id TEXT;
UPDATE profiles SET
	external_ref = nullif(json_extract(data, '$.external_ref'), ''),
	tax_payer_id = nullif(json_extract(data, '$.tax_payer_id'), '');
-- Each index goes on in the default list order (modified_at, id), so that
-- a lookup's page walks it without a sort.
CREATE INDEX IF NOT EXISTS profiles_external_ref ON profiles (tenant, external_ref, modified_at, id) WHERE external_ref IS NOT NULL;
CREATE INDEX IF NOT EXISTS profiles_tax_payer_id ON profiles (tenant, tax_payer_id, modified_at, id) WHERE tax_payer_id IS NOT NULL;

-- The one-statement update of migration 0008 now also writes the two
-- columns; a writer that leaves them out stores NULL.
DROP VIEW profile_updates;

CREATE VIEW profile_updates AS
SELECT tenant, id, version, state, risk, person_type, modified_at, search, data,
	version AS base_version, created_at, name_key, '' AS labels_key, '' AS entry_id, '' AS entry,
	'' AS relations_key, due_at, due_reasons, '' AS event_id, 0 AS event_at, '' AS event,
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
		due_at = coalesce(NEW.due_at, 9223372036854775807), due_reasons = NEW.due_reasons,
		external_ref = NEW.external_ref, tax_payer_id = NEW.tax_payer_id
	WHERE tenant = NEW.tenant AND id = NEW.id;
	INSERT INTO history (tenant, id, profile_id, version, data)
	VALUES (NEW.tenant, NEW.entry_id, NEW.id, NEW.base_version, NEW.entry);
	INSERT INTO feed (tenant, pos, id, at, data)
	SELECT NEW.tenant, coalesce((SELECT max(pos) FROM feed WHERE tenant = NEW.tenant), 0) + 1,
		NEW.event_id, NEW.event_at, NEW.event
	WHERE NEW.event_id IS NOT NULL;
END;
