package memory_test

import (
	"context"
	"errors"
	"testing"

	"github.com/kycsdk/kyc/profile"
	"github.com/kycsdk/kyc/storage"
	"github.com/kycsdk/kyc/storage/memory"
	"github.com/kycsdk/kyc/storage/storagetest"
)

func TestConformance(t *testing.T) {
	storagetest.Run(t, func(t *testing.T) storage.Store { return memory.New() })
}

// TestCursorKey: stores given one key accept each other's cursors; a store
// with a key of its own refuses them.
func TestCursorKey(t *testing.T) {
	ctx := context.Background()
	key, err := storage.NewCursorKey([]byte("a shared secret of thirty-two bytes or more"))
	if err != nil {
		t.Fatal(err)
	}
	stores := []*memory.Store{memory.New(memory.WithCursorKey(key)), memory.New(memory.WithCursorKey(key)), memory.New()}
	for _, s := range stores {
		for _, id := range []string{"p1", "p2"} {
			p := &profile.Profile{ID: id, Version: 1, Name: "Ana " + id}
			if err := s.CreateProfile(ctx, "t", storage.Record{Profile: p}, nil); err != nil {
				t.Fatal(err)
			}
		}
	}
	q := storage.Query{Size: 1, Sort: storage.SortNameAsc}
	pg, err := stores[0].ListProfiles(ctx, "t", q)
	if err != nil || pg.NextCursor == "" {
		t.Fatalf("first page: %v, cursor %q", err, pg.NextCursor)
	}
	q.Cursor = pg.NextCursor
	next, err := stores[1].ListProfiles(ctx, "t", q)
	if err != nil || len(next.Profiles) != 1 || next.Profiles[0].ID != "p2" {
		t.Errorf("cursor on a store with the same key: %v, %v; want p2", err, next)
	}
	_, err = stores[2].ListProfiles(ctx, "t", q)
	var qe *storage.QueryError
	if !errors.As(err, &qe) || qe.Field != "Cursor" {
		t.Errorf("cursor on a store with its own key: %v, want a *storage.QueryError for Cursor", err)
	}
}
