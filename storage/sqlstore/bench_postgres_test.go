package sqlstore_test

import (
	"context"
	"database/sql"
	"testing"

	"github.com/kycsdk/kyc/internal/pgtest"
	"github.com/kycsdk/kyc/storage/sqlstore"
)

// BenchmarkPostgres runs on the throwaway server of pgtest (fsync off,
// for store and reference alike) or on KYC_TEST_POSTGRES_DSN.
func BenchmarkPostgres(b *testing.B) {
	open := func(b *testing.B) *sqlstore.Store {
		s := openPostgres(b, pgtest.DSN(b))
		b.Cleanup(func() { s.Close() })
		return s
	}
	raw := func(b *testing.B, _ string) (*sql.DB, string) {
		db, err := sql.Open("pgx", pgtest.DSN(b))
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { db.Close() })
		if _, err := db.ExecContext(context.Background(), `CREATE TABLE raw (id TEXT PRIMARY KEY, data JSONB NOT NULL)`); err != nil {
			b.Fatal(err)
		}
		return db, `INSERT INTO raw (id, data) VALUES ($1, $2)`
	}
	runBenchmarks(b, open, raw)
}
