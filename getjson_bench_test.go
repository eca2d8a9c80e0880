package kyc_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/kycsdk/kyc/profile"
	"github.com/kycsdk/kyc/storage/sqlstore"
)

// BenchmarkGetJSON reads one profile as JSON on a SQLite file: GetJSON
// against the reference a caller had before it, Get and then
// profile.Encode, in the same run.
func BenchmarkGetJSON(b *testing.B) {
	ctx := context.Background()
	store, err := sqlstore.OpenSQLite(ctx, filepath.Join(b.TempDir(), "kyc.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { store.Close() })
	svc := newService(b, store)
	id := create(b, svc).ID
	b.Run("get-and-encode", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			p, err := svc.Get(ctx, watcher, id)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := profile.Encode(p); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("getjson", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, _, err := svc.GetJSON(ctx, watcher, id); err != nil {
				b.Fatal(err)
			}
		}
	})
}
