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
var latestSchema = map[string]int{"sqlite": 6, "pgx": 4}

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
			if err := s.DB().QueryRow("SELECT COUNT(*) FROM schema_version").Scan(&rows); err != nil || rows != latestSchema[driver] {
				t.Errorf("schema_version has %d rows (%v), want %d", rows, err, latestSchema[driver])
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
