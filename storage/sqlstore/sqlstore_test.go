package sqlstore_test

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"testing"

	"modernc.org/sqlite"

	"github.com/kycsdk/kyc/storage"
	"github.com/kycsdk/kyc/storage/sqlstore"
	"github.com/kycsdk/kyc/storage/storagetest"
)

func TestSQLiteFile(t *testing.T) {
	storagetest.Run(t, func(t *testing.T) storage.Store {
		s, err := sqlstore.OpenSQLite(context.Background(), filepath.Join(t.TempDir(), "kyc.db"))
		if err != nil {
			t.Fatal(err)
		}
		return s
	})
}

func TestSQLiteMemory(t *testing.T) {
	storagetest.Run(t, func(t *testing.T) storage.Store {
		s, err := sqlstore.OpenSQLite(context.Background(), ":memory:")
		if err != nil {
			t.Fatal(err)
		}
		return s
	})
}

func TestSQLiteConcurrentOpen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "kyc.db")
	testConcurrentOpen(t, "sqlite", "file:"+path+"?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_txlock=immediate")
}

// latestSchema is the number of the last embedded migration of each
// dialect, by driver name: each dialect numbers its migrations on its own.
var latestSchema = map[string]int{"sqlite": 10, "pgx": 8}

// migrationFiles is the number of embedded migrations of each dialect:
// SQLite has no 0007, PostgreSQL no 0005.
var migrationFiles = map[string]int{"sqlite": 9, "pgx": 7}

// testConcurrentOpen opens one fresh database from several goroutines at
// once, as processes starting together would: every open succeeds and the
// schema is migrated exactly once.
func testConcurrentOpen(t *testing.T, driver, dsn string) {
	const n = 4
	errs := make(chan error, n)
	stores := make(chan *sqlstore.Store, n)
	for range n {
		go func() {
			s, err := sqlstore.Open(context.Background(), driver, dsn, sqlstore.Options{MaxOpenConns: 2})
			errs <- err
			stores <- s
		}()
	}
	for range n {
		if err := <-errs; err != nil {
			t.Errorf("Open: %v", err)
		}
		if s := <-stores; s != nil {
			defer s.Close()
			v, err := s.SchemaVersion(context.Background())
			if err != nil || v != latestSchema[driver] {
				t.Errorf("SchemaVersion = %d, %v; want %d", v, err, latestSchema[driver])
			}
			var rows int
			if err := s.DB().QueryRow("SELECT COUNT(*) FROM schema_version").Scan(&rows); err != nil || rows != migrationFiles[driver] {
				t.Errorf("schema_version has %d rows (%v), want %d", rows, err, migrationFiles[driver])
			}
		}
	}
}

func TestOpenDialectOption(t *testing.T) {
	// A driver name sqlstore does not know, with the dialect given: the
	// way to open a store through a wrapping driver.
	sql.Register("sqlite-wrapped-for-test", &sqlite.Driver{})
	s, err := sqlstore.Open(context.Background(), "sqlite-wrapped-for-test", "file:"+filepath.Join(t.TempDir(), "kyc.db"), sqlstore.Options{Dialect: "sqlite"})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if v, err := s.SchemaVersion(context.Background()); err != nil || v != latestSchema["sqlite"] {
		t.Errorf("SchemaVersion = %d, %v; want %d", v, err, latestSchema["sqlite"])
	}
	_, err = sqlstore.Open(context.Background(), "sqlite-wrapped-for-test", "file::memory:", sqlstore.Options{})
	if !errors.Is(err, storage.ErrInvalid) {
		t.Errorf("Open without a dialect = %v, want storage.ErrInvalid", err)
	}
}

func TestOpenUnknownDriver(t *testing.T) {
	_, err := sqlstore.Open(context.Background(), "mysql", "x", sqlstore.Options{})
	if !errors.Is(err, storage.ErrInvalid) {
		t.Errorf("Open(mysql) = %v, want storage.ErrInvalid", err)
	}
}

// TestMigrationBelowLatest: a migration numbered below one already applied
// (written on another line of development, merged later) is applied when
// the store opens, not skipped for being below the latest.
func TestMigrationBelowLatest(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "kyc.db")
	s, err := sqlstore.OpenSQLite(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	// Undo 0008 and record a later one, as a database migrated by code
	// that had a 0099 but not yet 0008 would be. 0009 and 0010 go too:
	// they replace the view 0008 makes, and 0010 moves the due columns
	// 0009's view reads.
	for _, q := range []string{
		`DELETE FROM schema_version WHERE version IN (8, 9, 10)`,
		`DROP TABLE profile_due`,
		`ALTER TABLE profiles ADD COLUMN due_at INTEGER NOT NULL DEFAULT 9223372036854775807`,
		`ALTER TABLE profiles ADD COLUMN due_reasons BLOB`,
		`CREATE INDEX profiles_due ON profiles (tenant, due_at, id)`,
		`DROP INDEX profiles_external_ref`,
		`DROP INDEX profiles_tax_payer_id`,
		`DROP VIEW profile_updates`,
		`CREATE VIEW profile_updates AS SELECT 1 AS placeholder`, // 0008 drops it first
		`ALTER TABLE profiles DROP COLUMN external_ref`,
		`ALTER TABLE profiles DROP COLUMN tax_payer_id`,
		`DROP TABLE feed`,
		`DROP TABLE feed_consumers`,
		`DROP TABLE feed_dead`,
		`INSERT INTO schema_version (version, applied_at) VALUES (99, 0)`,
	} {
		if _, err := s.DB().ExecContext(ctx, q); err != nil {
			t.Fatal(q, err)
		}
	}
	s.Close()
	s, err = sqlstore.OpenSQLite(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var n int
	if err := s.DB().QueryRowContext(ctx, `SELECT COUNT(*) FROM schema_version WHERE version IN (8, 9, 10)`).Scan(&n); err != nil || n != 3 {
		t.Fatalf("migrations 0008 to 0010 recorded %d times (%v), want once each", n, err)
	}
	if _, err := s.Changes(ctx, "t", 0, 10); err != nil {
		t.Errorf("the feed after the late migration: %v", err)
	}
}
