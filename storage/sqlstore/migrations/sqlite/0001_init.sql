-- Profiles, their labels, history, comments and the ids of deleted
-- profiles. The profile itself is JSON in data; the columns beside it are
-- what ListProfiles filters and sorts on, kept in step by every write.
CREATE TABLE profiles (
	tenant      TEXT    NOT NULL,
	id          TEXT    NOT NULL,
	version     INTEGER NOT NULL,
	state       TEXT    NOT NULL,
	risk        TEXT    NOT NULL,
	person_type TEXT    NOT NULL,
	created_at  INTEGER NOT NULL,
	modified_at INTEGER NOT NULL,
	name_key    TEXT    NOT NULL,
	search      TEXT    NOT NULL,
	data        TEXT    NOT NULL,
	PRIMARY KEY (tenant, id)
) WITHOUT ROWID;
CREATE INDEX profiles_modified ON profiles (tenant, modified_at, id);
CREATE INDEX profiles_created  ON profiles (tenant, created_at, id);
CREATE INDEX profiles_name     ON profiles (tenant, name_key, id);
CREATE INDEX profiles_state    ON profiles (tenant, state, modified_at, id);
CREATE INDEX profiles_risk     ON profiles (tenant, risk, modified_at, id);

CREATE TABLE profile_labels (
	tenant     TEXT NOT NULL,
	profile_id TEXT NOT NULL,
	label      TEXT NOT NULL,
	PRIMARY KEY (tenant, label, profile_id),
	FOREIGN KEY (tenant, profile_id) REFERENCES profiles (tenant, id) ON DELETE CASCADE
) WITHOUT ROWID;
CREATE INDEX profile_labels_profile ON profile_labels (tenant, profile_id);

CREATE TABLE history (
	tenant     TEXT    NOT NULL,
	id         TEXT    NOT NULL,
	profile_id TEXT    NOT NULL,
	version    INTEGER NOT NULL,
	data       TEXT    NOT NULL,
	PRIMARY KEY (tenant, id),
	UNIQUE (tenant, profile_id, version)
) WITHOUT ROWID;

CREATE TABLE comments (
	tenant      TEXT    NOT NULL,
	id          TEXT    NOT NULL,
	profile_id  TEXT    NOT NULL,
	author      TEXT    NOT NULL,
	body        TEXT    NOT NULL,
	created_at  INTEGER NOT NULL,
	modified_at INTEGER NOT NULL,
	PRIMARY KEY (tenant, id),
	FOREIGN KEY (tenant, profile_id) REFERENCES profiles (tenant, id) ON DELETE CASCADE
) WITHOUT ROWID;
CREATE INDEX comments_profile ON comments (tenant, profile_id, created_at, id);

CREATE TABLE tombstones (
	tenant     TEXT    NOT NULL,
	id         TEXT    NOT NULL,
	deleted_at INTEGER NOT NULL,
	PRIMARY KEY (tenant, id)
) WITHOUT ROWID;
