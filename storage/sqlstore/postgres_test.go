package sqlstore_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/kycsdk/kyc/history"
	"github.com/kycsdk/kyc/internal/pgtest"
	"github.com/kycsdk/kyc/profile"
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
// moved, report ErrConflict) so that the suite's promises still hold.
// TestPostgresSerializationRetried shows that the path runs.
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
}

// TestPostgresSerializationRetried runs 8 writers x 20 read-modify-write
// updates of one profile at SERIALIZABLE: updates of one row at once fail
// with SQLSTATE 40001, which the store must have retried (to success, or
// to ErrConflict once it sees the moved version), losing none.
func TestPostgresSerializationRetried(t *testing.T) {
	ctx := context.Background()
	s := openPostgres(t, pgtest.SerializableDSN(t))
	defer s.Close()
	p := &profile.Profile{ID: "p1", Version: 1, State: "active", Risk: "low", PersonType: profile.NaturalPerson}
	if err := s.CreateProfile(ctx, "t", storage.Record{Profile: p}, nil); err != nil {
		t.Fatal(err)
	}
	const writers, updates = 8, 20
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	for w := range writers {
		wg.Go(func() {
			for done, attempt := 0, 0; done < updates; attempt++ {
				p, err := s.GetProfile(ctx, "t", "p1")
				if err != nil {
					errs <- err
					return
				}
				e := history.Entry{ID: fmt.Sprintf("w%d-%d", w, attempt), OrigID: "p1", Version: p.Version}
				p.Version++
				switch err := s.UpdateProfile(ctx, "t", storage.Record{Profile: p}, e); {
				case err == nil:
					done++
				case !errors.Is(err, storage.ErrConflict):
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	got, err := s.GetProfile(ctx, "t", "p1")
	if err != nil {
		t.Fatal(err)
	}
	if got.Version != 1+writers*updates {
		t.Fatalf("final version %d, want %d: updates lost", got.Version, 1+writers*updates)
	}
	n := s.SerializationRetries()
	t.Logf("%d attempts retried after a serialization failure", n)
	if n == 0 {
		t.Error("no serialization failure was retried: SQLSTATE 40001 was not exercised")
	}
}

func TestPostgresConcurrentOpen(t *testing.T) {
	if pgtest.DSNFromEnv() {
		t.Skip("needs a fresh database")
	}
	testConcurrentOpen(t, "pgx", pgtest.DSN(t))
}
