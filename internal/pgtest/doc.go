// Package pgtest gives tests a real PostgreSQL: a throwaway server started
// from the PostgreSQL binaries of the machine (initdb into a temporary
// directory, postgres listening only on a unix socket there), one fresh
// database per DSN call, and everything stopped and removed when the test
// binary ends.
//
// Start from Main (in TestMain) and DSN; SerializableDSN gives a database
// whose default isolation is SERIALIZABLE, to run a suite over a store's
// serialization retries. When KYC_TEST_POSTGRES_DSN is set,
// that server is used instead and nothing is started. When no server can be
// had the test is skipped, unless KYC_REQUIRE_POSTGRES=1, under which it
// fails: CI sets it so that PostgreSQL tests always count.
//
// The server is reached through the "pgx" database/sql driver, which the
// test binary registers by importing github.com/jackc/pgx/v5/stdlib (storage/sqlstore does).
//
// DSN and Main are safe for concurrent use; the server is started once per
// test binary.
package pgtest
