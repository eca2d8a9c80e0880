package sqlstore_test

import (
	"context"
	"sync"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/kycsdk/kyc/internal/pgtest"
	"github.com/kycsdk/kyc/storage"
	"github.com/kycsdk/kyc/storage/sqlstore"
	"github.com/kycsdk/kyc/storage/storagetest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// openPostgres opens a store on a fresh database of the throwaway server
// (or on KYC_TEST_POSTGRES_DSN).
func openPostgres(t testing.TB, dsn string) *sqlstore.Store {
	t.Helper()
	s, err := sqlstore.OpenPostgres(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestPostgres(t *testing.T) {
	dsn := pgtest.DSN(t) // one database: the suite uses fresh tenants
	storagetest.Run(t, func(t *testing.T) storage.Store { return openPostgres(t, dsn) })
}

// TestPostgresSerializable runs the whole conformance suite again on a
// database whose default isolation is SERIALIZABLE, as CockroachDB's is:
// every write that does not choose its level may then fail with SQLSTATE
// 40001, and the store must retry it (or, for an update whose version
// moved, report ErrConflict) so that the suite's promises still hold. It
// fails if no serialization failure was retried: then the run proved
// nothing about that path.
func TestPostgresSerializable(t *testing.T) {
	dsn := pgtest.SerializableDSN(t)
	var (
		mu     sync.Mutex
		stores []*sqlstore.Store
	)
	storagetest.Run(t, func(t *testing.T) storage.Store {
		s := openPostgres(t, dsn)
		var level string
		if err := s.DB().QueryRow("SHOW transaction_isolation").Scan(&level); err != nil || level != "serializable" {
			t.Fatalf("transaction_isolation = %q, %v; want serializable", level, err)
		}
		mu.Lock()
		defer mu.Unlock()
		stores = append(stores, s)
		return s
	})
	var retried int64
	for _, s := range stores {
		retried += s.SerializationRetries()
	}
	t.Logf("%d attempts retried after a serialization failure", retried)
	if retried == 0 && !testing.Short() {
		t.Error("no serialization failure was retried: the run did not exercise SQLSTATE 40001")
	}
}

func TestPostgresConcurrentOpen(t *testing.T) {
	if pgtest.DSNFromEnv() {
		t.Skip("needs a fresh database")
	}
	testConcurrentOpen(t, "pgx", pgtest.DSN(t))
}
