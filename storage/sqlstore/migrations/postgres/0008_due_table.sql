-- The due work (migration 0004) moves out of the profile rows into a table
-- of its own, as on SQLite (its migration 0010): a sweep after a policy
-- change rewrites the due work of every profile and nothing else, and an
-- UPDATE of a profile row writes a new version of the whole row, its
-- jsonb with it. version is the profile's version the due work was stored
-- with: every write of the profile writes it in the same transaction (or
-- the one statement), so a sweep's write (SetDue) can guard on the
-- profile's version without reading the profile row. The row goes with
-- its profile on delete (the foreign key), and the index answers "due by
-- T" as one range, oldest due first, as profiles_due did.
CREATE TABLE profile_due (
	tenant      TEXT COLLATE "C" NOT NULL,
	id          TEXT COLLATE "C" NOT NULL,
	version     BIGINT NOT NULL,
	due_at      BIGINT NOT NULL,
	due_reasons BYTEA,
	PRIMARY KEY (tenant, id),
	FOREIGN KEY (tenant, id) REFERENCES profiles (tenant, id) ON DELETE CASCADE
);
CREATE INDEX profile_due_at ON profile_due (tenant, due_at, id);

-- Every profile written before, with the due work it holds (the largest
-- bigint, nothing due, for one written before migration 0004).
INSERT INTO profile_due (tenant, id, version, due_at, due_reasons)
SELECT tenant, id, version, due_at, due_reasons FROM profiles;

DROP INDEX profiles_due;
ALTER TABLE profiles DROP COLUMN due_reasons;
ALTER TABLE profiles DROP COLUMN due_at;
