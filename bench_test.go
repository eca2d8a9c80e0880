package kyc_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/kycsdk/kyc"
	"github.com/kycsdk/kyc/history"
	"github.com/kycsdk/kyc/internal/ids"
	"github.com/kycsdk/kyc/profile"
	"github.com/kycsdk/kyc/storage"
	"github.com/kycsdk/kyc/storage/memory"
	"github.com/kycsdk/kyc/storage/sqlstore"
)

// BenchmarkServiceUpdate measures one Update through the whole write path
// (read, copy, normalise, validate, field-change policy, encode, diff,
// atomic write) on the in-memory store and on a SQLite file. The reference
// on each is the store's own UpdateProfile of the same profile with a
// one-change entry and its feed event: the cost of the store alone, so the
// ratio is what the service adds.
func BenchmarkServiceUpdate(b *testing.B) {
	ctx := context.Background()
	stores := []struct {
		name string
		open func(b *testing.B) storage.Store
	}{
		{"memory", func(*testing.B) storage.Store { return memory.New() }},
		{"sqlite", func(b *testing.B) storage.Store {
			s, err := sqlstore.OpenSQLite(ctx, filepath.Join(b.TempDir(), "kyc.db"))
			if err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() { s.Close() })
			return s
		}},
	}
	for _, st := range stores {
		b.Run(st.name+"/service", func(b *testing.B) {
			benchUpdates(b, newService(b, st.open(b)))
		})
		// The same Update by a Service that stores no due work
		// (Options.NoStoredDueWork): the difference is what computing and
		// storing the due work on every commit costs.
		b.Run(st.name+"/service-without-due-work", func(b *testing.B) {
			benchUpdates(b, newService(b, st.open(b), func(o *kyc.Options) { o.NoStoredDueWork = true }))
		})
		b.Run(st.name+"/store-only", func(b *testing.B) {
			store := st.open(b)
			svc := newService(b, store)
			p := create(b, svc)
			b.ReportAllocs()
			b.ResetTimer()
			for i := range b.N {
				p.Version++
				p.DeclaredIncome = new(int64(1000 + i))
				e := history.Entry{ID: ids.NewV7(), OrigID: p.ID, Version: p.Version - 1, CreatedBy: "b",
					Changes: history.Changes{{Op: history.OpChange, Path: history.Path{"declared_income"}, Old: i, New: i + 1}}}
				// The feed event every committed change carries, so that the
				// reference writes what the service's write does.
				ev := &storage.Event{ID: e.ID, Kind: "updated", ProfileID: p.ID, Version: p.Version, User: "b",
					At: profile.TimestampOf(time.Now()), Paths: []string{"declared_income"}}
				if err := store.UpdateProfile(ctx, operator.Tenant, storage.Record{Profile: p, Event: ev}, e); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// benchUpdates runs b.N updates of one profile through svc.
func benchUpdates(b *testing.B, svc *kyc.Service) {
	p := create(b, svc)
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		p.DeclaredIncome = new(int64(1000 + i))
		next, err := svc.Update(context.Background(), operator, p, kyc.UpdateOptions{})
		if err != nil {
			b.Fatal(err)
		}
		p = next
	}
}
