package sqlstore_test

import (
	"context"
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

func TestPostgresConcurrentOpen(t *testing.T) {
	if pgtest.DSNFromEnv() {
		t.Skip("needs a fresh database")
	}
	testConcurrentOpen(t, "pgx", pgtest.DSN(t))
}
