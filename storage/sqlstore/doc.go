// Package sqlstore is the database/sql storage.Store: SQLite through the
// pure-Go modernc.org/sqlite (the embedded default: a file, or :memory:) and
// PostgreSQL 13+ through github.com/jackc/pgx/v5/stdlib, which is also the
// way to CockroachDB and YugabyteDB (no advisory locks, no PostgreSQL-only
// SQL in the queries, retries on SQLSTATE 40001).
//
// Start from OpenSQLite or OpenPostgres (or Open with a driver name). The
// schema is embedded and migrated on open, in a transaction recorded in the
// schema_version table; opening is idempotent and safe when several
// processes open the same database at once.
//
// Profiles are stored as JSON (jsonb on PostgreSQL) beside the columns that
// lists filter and sort on; the same SQL text, with $n placeholders, serves
// both databases where a portable form exists. Every write of a profile and
// its history entry is atomic; an update names the version it read and matches no row when
// the version moved, so no update is lost.
//
// # Durability and speed
//
// SQLite files run in WAL mode with synchronous=NORMAL: a commit survives
// a crash of the process at any moment, and only the last commits can be
// lost on a power failure or an operating-system crash; FULL would sync
// the log on every commit (sqlite.org/pragma.html#pragma_synchronous).
// The statements of the hot paths are prepared once when the store opens.
// An update writes only the rows and index entries that change, and is one
// statement, so one round trip and, on SQLite, one implicit transaction: a
// data-modifying WITH on PostgreSQL, an INSERT into a view whose trigger
// writes the profile and its entry on SQLite (for the usual update, which
// keeps the name, creation time and labels; any other takes a
// transaction). A SQLite file store runs the WAL checkpoints on a
// goroutine of its own, so that no commit waits for one; Close stops it.
//
// A Store is safe for concurrent use, and several processes may share one
// database.
package sqlstore
