package sqlstore

import (
	"context"
	"encoding/json"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/kycsdk/kyc/history"
	"github.com/kycsdk/kyc/internal/pgtest"
	"github.com/kycsdk/kyc/profile"
	"github.com/kycsdk/kyc/storage"
)

// TestDeleteRedactsUndecodableEntries stores history entries that do not
// decode (written with raw SQL, as a bug, a manual repair or a restore from
// another version could leave them) and checks that a forced delete still
// deletes, replacing each such entry by a marker that keeps its id,
// version, author and time where they can be read, and no value.
func TestDeleteRedactsUndecodableEntries(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) {
		s, err := OpenSQLite(context.Background(), filepath.Join(t.TempDir(), "kyc.db"))
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		testDeleteUndecodable(t, s, []string{
			`{"id":"e2","orig_id":"p1","created_at":1700000000000,"created_by":"officer","version":1,"changes":"Núñez"}`,
			`{"id":"e3","orig_id":"p1","created_at":17000`, // not even JSON: truncated
		})
	})
	t.Run("postgres", func(t *testing.T) {
		s, err := OpenPostgres(context.Background(), pgtest.DSN(t))
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		// jsonb holds only JSON; these are JSON of the wrong shape.
		testDeleteUndecodable(t, s, []string{
			`{"id":"e2","orig_id":"p1","created_at":1700000000000,"created_by":"officer","version":1,"changes":"Núñez"}`,
			`{"created_at":"Núñez","changes":[["change","name",["Núñez"]]]}`,
		})
	})
}

func testDeleteUndecodable(t *testing.T, s *Store, corrupt []string) {
	ctx := context.Background()
	const tn = "t"
	p := &profile.Profile{ID: "p1", Version: 1, Name: "Ana Núñez", State: "active", Risk: "low", PersonType: profile.NaturalPerson}
	if err := s.CreateProfile(ctx, tn, storage.Record{Profile: p}, &history.Entry{ID: "e1", OrigID: "p1", CreatedBy: "maker", CreatedAt: 1,
		Changes: history.Changes{{Op: history.OpChange, Path: history.Path{"name"}, Old: "", New: "Ana Núñez"}}}); err != nil {
		t.Fatal(err)
	}
	for i := range corrupt {
		e := history.Entry{ID: "e" + string(rune('2'+i)), OrigID: "p1", Version: p.Version, CreatedBy: "officer"}
		p.Version++
		if err := s.UpdateProfile(ctx, tn, storage.Record{Profile: p}, e); err != nil {
			t.Fatal(err)
		}
		if _, err := s.db.ExecContext(ctx, `UPDATE history SET data = $1 WHERE tenant = $2 AND id = $3`, corrupt[i], tn, e.ID); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.DeleteProfile(ctx, tn, "p1", storage.DeleteOptions{Force: true}); err != nil {
		t.Fatalf("forced DeleteProfile with undecodable entries: %v", err)
	}
	if _, err := s.GetProfile(ctx, tn, "p1"); !errors.Is(err, storage.ErrNotFound) {
		t.Errorf("GetProfile after delete = %v, want storage.ErrNotFound", err)
	}
	pg, err := s.History(ctx, tn, "p1", storage.HistoryQuery{Size: 10})
	if err != nil {
		t.Fatalf("History after delete: %v", err)
	}
	marker := history.Changes{{Op: history.OpChange, Path: history.Path{}}}
	want := []history.Entry{
		{ID: "e1", OrigID: "p1", CreatedBy: "maker", CreatedAt: 1, Version: 0, Changes: history.Changes{{Op: history.OpChange, Path: history.Path{"name"}}}},
		{ID: "e2", OrigID: "p1", CreatedBy: "officer", CreatedAt: 1700000000000, Version: 1, Changes: marker},
		{ID: "e3", OrigID: "p1", Version: 2, Changes: marker},
	}
	if d := cmp.Diff(want, pg.Entries, cmpopts.EquateEmpty()); d != "" {
		t.Errorf("history after delete (-want +got):\n%s", d)
	}
	text, _ := json.Marshal(pg.Entries)
	if strings.Contains(string(text), "Núñez") {
		t.Errorf("history keeps a personal value after delete: %s", text)
	}
}

// TestForcedDeleteOfUndecodableProfile stores a profile whose JSON does
// not decode: a delete that must check the retention rule refuses (it
// cannot read the state and dates), a forced one, which needs neither,
// deletes.
func TestForcedDeleteOfUndecodableProfile(t *testing.T) {
	ctx := context.Background()
	s, err := OpenSQLite(ctx, filepath.Join(t.TempDir(), "kyc.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	p := &profile.Profile{ID: "p1", Version: 1, State: "inactive", Risk: "low", PersonType: profile.NaturalPerson}
	if err := s.CreateProfile(ctx, "t", storage.Record{Profile: p}, &history.Entry{ID: "e1", OrigID: "p1"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.ExecContext(ctx, `UPDATE profiles SET data = '{"id": 7' WHERE tenant = 't' AND id = 'p1'`); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteProfile(ctx, "t", "p1", storage.DeleteOptions{}); err == nil {
		t.Fatal("DeleteProfile without Force of an undecodable profile succeeded; the retention rule was not checked")
	}
	if err := s.DeleteProfile(ctx, "t", "p1", storage.DeleteOptions{Force: true}); err != nil {
		t.Fatalf("forced DeleteProfile of an undecodable profile: %v", err)
	}
	if _, err := s.GetProfile(ctx, "t", "p1"); !errors.Is(err, storage.ErrNotFound) {
		t.Errorf("GetProfile after delete = %v, want storage.ErrNotFound", err)
	}
	if err := s.CreateProfile(ctx, "t", storage.Record{Profile: p}, nil); !errors.Is(err, storage.ErrExists) {
		t.Errorf("CreateProfile of the deleted id = %v, want storage.ErrExists", err)
	}
}
