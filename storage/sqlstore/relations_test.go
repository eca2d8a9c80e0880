package sqlstore

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/kycsdk/kyc/history"
	"github.com/kycsdk/kyc/profile"
	"github.com/kycsdk/kyc/storage"
)

// TestRelationsBackfill opens a database written before migration 0005
// (profiles with relations, no relation rows) and checks that the
// migration fills the index, and that the next update, whose relations
// are spelled by SQLite in the backfilled rows, still keeps it right.
func TestRelationsBackfill(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "kyc.db")
	s, err := OpenSQLite(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	p := &profile.Profile{ID: "acme", Version: 1, State: "active", PersonType: profile.LegalPerson, Name: "Acme",
		Relations: []profile.Relation{{ProfileID: "ana", Relationship: profile.RelationBusinessPartner,
			Extra: profile.Object{"ownership": map[string]any{"capital": map[string]any{"exact": 60.0}}}}}}
	if err := s.CreateProfile(ctx, "t", storage.Record{Profile: p}, nil); err != nil {
		t.Fatal(err)
	}
	rewindDue(t, s)
	for _, q := range []string{`DELETE FROM profile_relations`, `DELETE FROM schema_version WHERE version = 5`} {
		if _, err := s.db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	s.Close()

	s, err = OpenSQLite(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	want := []storage.RelationLink{{From: "acme", To: "ana", Relationship: profile.RelationBusinessPartner}}
	check := func(when string) {
		t.Helper()
		got, err := s.RelatedTo(ctx, "t", []string{"ana"}, nil)
		if err != nil || len(got) != 1 || got[0] != want[0] {
			t.Fatalf("%s: RelatedTo = %v, %v; want %v", when, got, err, want)
		}
		rels, err := s.RelationsOf(ctx, "t", []string{"acme"})
		if err != nil || len(rels) != 1 || len(rels[0].Relations) != 1 || rels[0].Relations[0].Extra["ownership"] == nil {
			t.Fatalf("%s: RelationsOf = %+v, %v", when, rels, err)
		}
	}
	check("after the migration")
	p.Version = 2
	if err := s.UpdateProfile(ctx, "t", storage.Record{Profile: p}, history.Entry{ID: "e2", OrigID: "acme", Version: 1}); err != nil {
		t.Fatal(err)
	}
	check("after an update")
}
