package sqlstore_test

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kycsdk/kyc/profile"
	"github.com/kycsdk/kyc/storage"
	"github.com/kycsdk/kyc/storage/sqlstore"
)

// TestSharedCursorKey: two stores on one database with the same
// Options.CursorKey open each other's cursors; a store with its own key
// refuses them.
func TestSharedCursorKey(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "kyc.db")
	key, err := storage.NewCursorKey([]byte(strings.Repeat("s", storage.CursorSecretBytes)))
	if err != nil {
		t.Fatal(err)
	}
	open := func(opts ...sqlstore.Options) *sqlstore.Store {
		s, err := sqlstore.OpenSQLite(ctx, path, opts...)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	}
	a, b, other := open(sqlstore.Options{CursorKey: key}), open(sqlstore.Options{CursorKey: key}), open()
	for _, id := range []string{"p1", "p2", "p3"} {
		p := &profile.Profile{ID: id, Version: 1, State: "creating", PersonType: profile.NaturalPerson}
		if err := a.CreateProfile(ctx, "t", storage.Record{Profile: p}, nil); err != nil {
			t.Fatal(err)
		}
	}
	first, err := a.ListProfiles(ctx, "t", storage.Query{Size: 1})
	if err != nil || first.NextCursor == "" {
		t.Fatalf("first page: %v", err)
	}
	next, err := b.ListProfiles(ctx, "t", storage.Query{Size: 1, Cursor: first.NextCursor})
	if err != nil || len(next.Profiles) != 1 || next.Profiles[0].ID == first.Profiles[0].ID {
		t.Fatalf("the second store with the same key: %v", err)
	}
	if _, err := other.ListProfiles(ctx, "t", storage.Query{Size: 1, Cursor: first.NextCursor}); !errors.Is(err, storage.ErrInvalid) {
		t.Fatalf("a store with its own key: got %v, want ErrInvalid", err)
	}
}
