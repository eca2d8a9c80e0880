package sqlstore

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/kycsdk/kyc/history"
	"github.com/kycsdk/kyc/profile"
	"github.com/kycsdk/kyc/storage"
)

// rewindDue puts a SQLite database back as migration 0005 left it: no due
// columns, no due index, 0005's update trigger, no feed (0008). Tests that
// replay earlier migrations call it first, since SQLite cannot add a
// column that exists.
func rewindDue(t *testing.T, s *Store) {
	t.Helper()
	for _, q := range []string{
		`DROP TABLE feed`,
		`DROP TABLE feed_consumers`,
		`DROP TABLE feed_dead`,
		`DROP INDEX profiles_due`,
		`DROP VIEW profile_updates`,
		`DROP INDEX profiles_external_ref`, // migration 0009
		`DROP INDEX profiles_tax_payer_id`,
		`ALTER TABLE profiles DROP COLUMN external_ref`,
		`ALTER TABLE profiles DROP COLUMN tax_payer_id`,
		`ALTER TABLE profiles DROP COLUMN due_reasons`,
		`ALTER TABLE profiles DROP COLUMN due_at`,
		`CREATE VIEW profile_updates AS SELECT 1 AS placeholder`, // 0005 drops it first
		`DELETE FROM schema_version WHERE version >= 6`,
	} {
		if _, err := s.db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	tx, err := s.db.Begin()
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if err := applyFile(context.Background(), tx, "migrations/sqlite/0005_relations.sql"); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
}

// TestDueBackfill opens a database written before migration 0006: its
// profiles read as having nothing due, match no due filter, and take
// their due work with their next write (through the one-statement update).
func TestDueBackfill(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "kyc.db")
	s, err := OpenSQLite(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	p := &profile.Profile{ID: "ana", Version: 1, State: "active", PersonType: profile.NaturalPerson, Name: "Ana"}
	if err := s.CreateProfile(ctx, "t", storage.Record{Profile: p, Due: 5, DueReasons: []byte(`[]`)}, nil); err != nil {
		t.Fatal(err)
	}
	rewindDue(t, s)
	s.Close()

	if s, err = OpenSQLite(ctx, path); err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	r, err := s.GetRecord(ctx, "t", "ana")
	if err != nil || r.Due != 0 || r.DueReasons != nil {
		t.Fatalf("migrated row: GetRecord = due %d, reasons %q, %v; want nothing stored", r.Due, r.DueReasons, err)
	}
	pg, err := s.ListProfiles(ctx, "t", storage.Query{DueBy: 1 << 50})
	if err != nil || len(pg.Profiles) != 0 {
		t.Fatalf("migrated row: due filter = %v, %v; want no profile", pg, err)
	}
	p.Version = 2
	if err := s.UpdateProfile(ctx, "t", storage.Record{Profile: p, Due: 7, DueReasons: []byte(`[{"kind":"x"}]`)}, history.Entry{ID: "e2", OrigID: "ana", Version: 1}); err != nil {
		t.Fatal(err)
	}
	r, err = s.GetRecord(ctx, "t", "ana")
	if err != nil || r.Due != 7 || string(r.DueReasons) != `[{"kind":"x"}]` {
		t.Fatalf("after the next write: GetRecord = due %d, reasons %q, %v; want 7", r.Due, r.DueReasons, err)
	}
	pg, err = s.ListProfiles(ctx, "t", storage.Query{DueBy: 7})
	if err != nil || len(pg.Profiles) != 1 {
		t.Fatalf("after the next write: due filter = %v, %v; want ana", pg, err)
	}
}
