-- The due work the service stores with each profile (Record.Due and
-- DueReasons): due_at is storage.DueKey of the due moment, the largest
-- bigint when nothing is due, which is what the profiles written before
-- this migration read as until their next write; due_reasons is the
-- reasons' JSON as given (bytea: kept byte for byte), or NULL. The index
-- answers "due by T" as one range, oldest due first.
ALTER TABLE profiles ADD COLUMN due_at BIGINT NOT NULL DEFAULT 9223372036854775807;
ALTER TABLE profiles ADD COLUMN due_reasons BYTEA;
CREATE INDEX profiles_due ON profiles (tenant, due_at, id);
