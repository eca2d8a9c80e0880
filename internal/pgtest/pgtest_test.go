package pgtest_test

import (
	"database/sql"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/kycsdk/kyc/internal/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

func TestSelectOne(t *testing.T) {
	db, err := sql.Open("pgx", pgtest.DSN(t))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	if err := db.QueryRow("SELECT 1").Scan(&n); err != nil {
		t.Fatalf("SELECT 1: %v", err)
	}
	if n != 1 {
		t.Errorf("SELECT 1 = %d", n)
	}
}

// TestFreshDatabases checks that each DSN is a database of its own, so a
// table created through one is absent from the next.
func TestFreshDatabases(t *testing.T) {
	if pgtest.DSNFromEnv() {
		t.Skip("a server given by DSN is used as is")
	}
	first, err := sql.Open("pgx", pgtest.DSN(t))
	if err != nil {
		t.Fatal(err)
	}
	defer first.Close()
	if _, err := first.Exec("CREATE TABLE marker (x int)"); err != nil {
		t.Fatal(err)
	}
	second, err := sql.Open("pgx", pgtest.DSN(t))
	if err != nil {
		t.Fatal(err)
	}
	defer second.Close()
	var n int
	if err := second.QueryRow("SELECT count(*) FROM pg_tables WHERE tablename = 'marker'").Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Errorf("a new database sees a table of an earlier one")
	}
}

// TestSerializableDSN checks that sessions on a SerializableDSN database
// run at SERIALIZABLE unless they choose otherwise.
func TestSerializableDSN(t *testing.T) {
	db, err := sql.Open("pgx", pgtest.SerializableDSN(t))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var level string
	if err := db.QueryRow("SHOW transaction_isolation").Scan(&level); err != nil {
		t.Fatal(err)
	}
	if level != "serializable" {
		t.Errorf("transaction_isolation = %q, want serializable", level)
	}
}
