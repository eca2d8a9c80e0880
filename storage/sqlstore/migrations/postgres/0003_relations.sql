-- The reverse index of relations (seed 003, 3.1.7): one row per member of
-- a profile's relations, so that "who relates to X" is an index lookup and
-- a walk of the ownership graph reads relations without decoding whole
-- profiles. Rows are written with the profile in the same transaction and
-- go with it on delete. pos is the member's index in the relations array;
-- extra is the member's key-value information, or NULL.
CREATE TABLE profile_relations (
	tenant       TEXT COLLATE "C" NOT NULL,
	profile_id   TEXT COLLATE "C" NOT NULL,
	pos          INTEGER NOT NULL,
	related_id   TEXT COLLATE "C" NOT NULL,
	relationship TEXT COLLATE "C" NOT NULL,
	valid_since  BIGINT,
	valid_until  BIGINT,
	extra        JSONB,
	PRIMARY KEY (tenant, profile_id, pos),
	FOREIGN KEY (tenant, profile_id) REFERENCES profiles (tenant, id) ON DELETE CASCADE
);
CREATE INDEX profile_relations_related ON profile_relations (tenant, related_id, relationship, profile_id);

-- The profiles written before this migration.
INSERT INTO profile_relations (tenant, profile_id, pos, related_id, relationship, valid_since, valid_until, extra)
SELECT p.tenant, p.id, (r.ord - 1)::int, r.value->>'profile_id', r.value->>'relationship',
	(r.value->>'since')::bigint, (r.value->>'until')::bigint, r.value->'extra'
FROM profiles p,
	jsonb_array_elements(CASE WHEN jsonb_typeof(p.data->'relations') = 'array' THEN p.data->'relations' ELSE '[]'::jsonb END)
	WITH ORDINALITY AS r(value, ord);
