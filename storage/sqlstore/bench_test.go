package sqlstore_test

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/kycsdk/kyc/history"
	"github.com/kycsdk/kyc/profile"
	"github.com/kycsdk/kyc/storage"
	"github.com/kycsdk/kyc/storage/driver"
	"github.com/kycsdk/kyc/storage/sqlstore"
)

// benchProfile is a typical natural-person profile, a few hundred bytes of
// JSON.
func benchProfile(id string, i int) *profile.Profile {
	income := int64(1000 + i)
	return &profile.Profile{
		ID: id, Version: 1, CreatedAt: profile.Timestamp(1700000000000 + int64(i)), ModifiedAt: profile.Timestamp(1700000000000 + int64(i)),
		CreatedBy: "admin", ModifiedBy: "admin", TaxPayerID: fmt.Sprintf("20-%08d-7", i), Name: fmt.Sprintf("Person %d", i),
		PersonType: profile.NaturalPerson, Risk: []string{"low", "medium", "high"}[i%3], State: []string{"active", "pending", "inactive", "banned", "under_review"}[i%5],
		DeclaredIncome: &income, Labels: []string{"retail"},
		NaturalPerson: &profile.Natural{Name: profile.Name{First: "Person", Last: fmt.Sprint(i)}, Nationality: "AR", Gender: "female"},
		Contacts:      []profile.Contact{{ContactType: "email", Value: fmt.Sprintf("p%d@example.com", i), Main: true}},
		Addresses:     []profile.Address{{AddressType: "personal", Main: true, Country: "AR", State: "Santa Fe", City: "Rosario", StreetName: "Córdoba", Number: "1234"}},
	}
}

// runBenchmarks runs the store benchmarks and the raw-insert reference on
// one database kind.
func runBenchmarks(b *testing.B, open func(b *testing.B) *sqlstore.Store, raw func(b *testing.B, pragmas string) (*sql.DB, string)) {
	ctx := context.Background()
	b.Run("Create", func(b *testing.B) {
		s := open(b)
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			p := benchProfile(fmt.Sprintf("c%08d", i), i)
			e := &history.Entry{ID: p.ID + "-0", OrigID: p.ID, Version: 0, CreatedBy: "admin",
				Changes: history.Changes{{Op: history.OpChange, Path: history.Path{"version"}, Old: 0, New: 1}}}
			if err := s.CreateProfile(ctx, "t", storage.Record{Profile: p}, e); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("Get", func(b *testing.B) {
		s := open(b)
		if err := s.CreateProfile(ctx, "t", storage.Record{Profile: benchProfile("g", 1)}, nil); err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		for b.Loop() {
			if _, err := s.GetProfile(ctx, "t", "g"); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("UpdateWithHistory", func(b *testing.B) {
		s := open(b)
		p := benchProfile("u", 1)
		if err := s.CreateProfile(ctx, "t", storage.Record{Profile: p}, nil); err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			old := *p.DeclaredIncome
			income := old + 1
			e := history.Entry{ID: fmt.Sprintf("u-%d", i), OrigID: "u", Version: p.Version, CreatedBy: "op", Changes: history.Changes{
				{Op: history.OpChange, Path: history.Path{"declared_income"}, Old: old, New: income},
				{Op: history.OpChange, Path: history.Path{"version"}, Old: p.Version, New: p.Version + 1}}}
			p.DeclaredIncome = &income
			p.Version++
			if err := s.UpdateProfile(ctx, "t", storage.Record{Profile: p}, e); err != nil {
				b.Fatal(err)
			}
		}
	})
	// The reference runs right after the update it is compared with, so
	// that both meet the same load on a shared machine.
	b.Run("RawInsertReference", func(b *testing.B) {
		db, insert := raw(b, "")
		benchRawInsert(b, db, insert)
	})
	b.Run("List20Of100k", func(b *testing.B) {
		s := open(b)
		load100k(b, s)
		q := storage.Query{States: []string{"active"}, Risks: []string{"high"}, Size: 20}
		b.ReportAllocs()
		for b.Loop() {
			pg, err := s.ListProfiles(ctx, "t", q)
			if err != nil || len(pg.Profiles) != 20 {
				b.Fatalf("list: %v", err)
			}
		}
	})
}

// benchRawInsert inserts the JSON of a bench profile under a new id each
// time, through a statement prepared once, as the store prepares its own
// statements: the reference gets every advantage the store has.
func benchRawInsert(b *testing.B, db *sql.DB, insert string) {
	ctx := context.Background()
	data, err := driver.EncodeProfile(benchProfile("r", 1))
	if err != nil {
		b.Fatal(err)
	}
	stmt, err := db.PrepareContext(ctx, insert)
	if err != nil {
		b.Fatal(err)
	}
	defer stmt.Close()
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if _, err := stmt.ExecContext(ctx, fmt.Sprintf("r%08d", i), string(data)); err != nil {
			b.Fatal(err)
		}
	}
}

// load100k fills the store with 100,000 profiles in one transaction of
// multi-row INSERTs (CreateProfiles).
func load100k(b *testing.B, s *sqlstore.Store) {
	b.Helper()
	ps := make([]*profile.Profile, 100_000)
	for i := range ps {
		ps[i] = benchProfile(fmt.Sprintf("l%06d", i), i)
	}
	start := time.Now()
	if err := s.CreateProfiles(context.Background(), "t", ps); err != nil {
		b.Fatal(err)
	}
	b.Logf("loaded 100,000 profiles in %v", time.Since(start))
	// What an operator runs after a bulk load: fresh statistics, and on
	// PostgreSQL a visibility map, without which a count cannot read the
	// index alone (an index-only scan) until autovacuum passes.
	analyze := "ANALYZE"
	if _, err := s.DB().ExecContext(context.Background(), "SELECT sqlite_version()"); err != nil {
		analyze = "VACUUM ANALYZE profiles"
	}
	if _, err := s.DB().ExecContext(context.Background(), analyze); err != nil {
		b.Fatal(err)
	}
}

func BenchmarkSQLite(b *testing.B) {
	open := func(b *testing.B) *sqlstore.Store {
		s, err := sqlstore.OpenSQLite(context.Background(), filepath.Join(b.TempDir(), "kyc.db"))
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { s.Close() })
		return s
	}
	raw := func(b *testing.B, pragmas string) (*sql.DB, string) {
		// The same driver and pragmas as OpenSQLite, one table.
		path := filepath.Join(b.TempDir(), "raw.db")
		db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)&_txlock=immediate"+pragmas)
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { db.Close() })
		if _, err := db.Exec(`CREATE TABLE raw (id TEXT PRIMARY KEY, data TEXT NOT NULL)`); err != nil {
			b.Fatal(err)
		}
		return db, `INSERT INTO raw (id, data) VALUES ($1, $2)`
	}
	runBenchmarks(b, open, raw)
	// The store checkpoints the WAL on a goroutine of its own (see
	// checkpoint.go), the reference inline as SQLite does by default. This
	// second reference never checkpoints, so that the store's update can
	// also be compared with an insert that pays for no checkpoint at all.
	b.Run("RawInsertNoCheckpointReference", func(b *testing.B) {
		db, insert := raw(b, "&_pragma=wal_autocheckpoint(0)")
		benchRawInsert(b, db, insert)
	})
}
