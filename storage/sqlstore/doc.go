// Package sqlstore is the database/sql storage.Store: SQLite through the
// pure-Go modernc.org/sqlite (the embedded default: a file, or :memory:) and
// PostgreSQL 13+ through github.com/jackc/pgx/v5/stdlib, designed to be
// also the way to CockroachDB and YugabyteDB: its SQL keeps to what they
// run (no table modified twice in one statement, no LISTEN/NOTIFY, advisory
// locks, LOCK TABLE, deferrable constraints, triggers, functions or
// sequences; TestPostgresSQLPortable checks every statement), and it
// retries serialization failures (SQLSTATE 40001), which the conformance
// suite exercises at SERIALIZABLE. Neither engine is run by the tests.
//
// Start from OpenSQLite or OpenPostgres (or Open with a driver name). The
// schema is embedded and migrated on open, in a transaction recorded in the
// schema_version table; opening is idempotent and safe when several
// processes open the same database at once.
//
// Profiles are stored as JSON (jsonb on PostgreSQL) beside the columns that
// lists filter and sort on; the same SQL text, with $n placeholders, serves
// both databases where a portable form exists. The due work of each
// profile (storage.Record.Due) is a small row of its own in profile_due,
// written with the profile and at its version, so that a sweep after a
// policy change (SetDue) rewrites those rows and never a profile's JSON. Every write of a profile and
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
// keeps the labels, and on SQLite the name and creation time too; any
// other takes a transaction). A SQLite file store runs the WAL checkpoints
// on a goroutine of its own, so that no commit waits for one; Close stops
// it. The SQLite schema opens in SQLite 3.37 or later, so the stock
// sqlite3 program of Debian 12 (3.40) reads, checks and backs up a file.
//
// # Cancellation
//
// A write whose context ends reports what happened: nil means it is
// stored whole, an error wrapping the context's error means nothing
// changed. The context is looked at up to the statement that commits (a
// transaction's COMMIT, or the one-statement update); once that is sent,
// the store waits for the database's answer instead of abandoning it,
// because a PostgreSQL server may commit a statement whose client has
// gone away. On SQLite the driver reports a commit that ran as a success.
//
// A Store is safe for concurrent use, and several processes may share one
// database.
package sqlstore
