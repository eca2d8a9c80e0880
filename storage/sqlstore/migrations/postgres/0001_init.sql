-- PostgreSQL: ids and sort keys compare byte by byte (COLLATE "C"), as in
-- SQLite and in Go, so every adapter sorts alike; JSON is jsonb.
-- Profiles, their labels, history, comments and the ids of deleted
-- profiles. The profile itself is JSON in data; the columns beside it are
-- what ListProfiles filters and sorts on, kept in step by every write.
CREATE TABLE profiles (
	tenant      TEXT COLLATE "C" NOT NULL,
	id          TEXT COLLATE "C" NOT NULL,
	version     BIGINT NOT NULL,
	state       TEXT COLLATE "C" NOT NULL,
	risk        TEXT COLLATE "C" NOT NULL,
	person_type TEXT COLLATE "C" NOT NULL,
	created_at  BIGINT NOT NULL,
	modified_at BIGINT NOT NULL,
	name_key    TEXT COLLATE "C" NOT NULL,
	search      TEXT COLLATE "C" NOT NULL,
	data        JSONB NOT NULL,
	PRIMARY KEY (tenant, id)
);
CREATE INDEX profiles_modified ON profiles (tenant, modified_at, id);
CREATE INDEX profiles_created  ON profiles (tenant, created_at, id);
CREATE INDEX profiles_name     ON profiles (tenant, name_key, id);
CREATE INDEX profiles_state    ON profiles (tenant, state, modified_at, id);
CREATE INDEX profiles_risk     ON profiles (tenant, risk, modified_at, id);

CREATE TABLE profile_labels (
	tenant     TEXT COLLATE "C" NOT NULL,
	profile_id TEXT COLLATE "C" NOT NULL,
	label      TEXT COLLATE "C" NOT NULL,
	PRIMARY KEY (tenant, label, profile_id),
	FOREIGN KEY (tenant, profile_id) REFERENCES profiles (tenant, id) ON DELETE CASCADE
);
CREATE INDEX profile_labels_profile ON profile_labels (tenant, profile_id);

CREATE TABLE history (
	tenant     TEXT COLLATE "C" NOT NULL,
	id         TEXT COLLATE "C" NOT NULL,
	profile_id TEXT COLLATE "C" NOT NULL,
	version    BIGINT NOT NULL,
	data       JSONB NOT NULL,
	PRIMARY KEY (tenant, id),
	UNIQUE (tenant, profile_id, version)
);

CREATE TABLE comments (
	tenant      TEXT COLLATE "C" NOT NULL,
	id          TEXT COLLATE "C" NOT NULL,
	profile_id  TEXT COLLATE "C" NOT NULL,
	author      TEXT COLLATE "C" NOT NULL,
	body        TEXT COLLATE "C" NOT NULL,
	created_at  BIGINT NOT NULL,
	modified_at BIGINT NOT NULL,
	PRIMARY KEY (tenant, id),
	FOREIGN KEY (tenant, profile_id) REFERENCES profiles (tenant, id) ON DELETE CASCADE
);
CREATE INDEX comments_profile ON comments (tenant, profile_id, created_at, id);

CREATE TABLE tombstones (
	tenant     TEXT COLLATE "C" NOT NULL,
	id         TEXT COLLATE "C" NOT NULL,
	deleted_at BIGINT NOT NULL,
	PRIMARY KEY (tenant, id)
);
