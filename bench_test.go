package kyc_test

import (
	"context"
	"testing"

	"github.com/kycsdk/kyc"
	"github.com/kycsdk/kyc/history"
	"github.com/kycsdk/kyc/storage"
	"github.com/kycsdk/kyc/storage/memory"
)

// BenchmarkServiceUpdate measures one Update through the whole pipeline
// (read, normalise, validate, field-change policy, diff, atomic write) on
// the in-memory store. The reference is the store's own UpdateProfile of
// the same profile with a one-change entry: the cost of the store alone,
// so the ratio is what the service's checks add.
func BenchmarkServiceUpdate(b *testing.B) {
	ctx := context.Background()
	b.Run("service", func(b *testing.B) {
		svc := newService(b, memory.New())
		p := create(b, svc)
		b.ReportAllocs()
		b.ResetTimer()
		for i := range b.N {
			p.DeclaredIncome = new(int64(1000 + i))
			next, err := svc.Update(ctx, operator, p, kyc.UpdateOptions{})
			if err != nil {
				b.Fatal(err)
			}
			p = next
		}
	})
	b.Run("store-only", func(b *testing.B) {
		store := memory.New()
		svc := newService(b, store)
		p := create(b, svc)
		b.ReportAllocs()
		b.ResetTimer()
		for i := range b.N {
			p.Version++
			p.DeclaredIncome = new(int64(1000 + i))
			e := history.Entry{ID: kyc.NewUUIDv7(), OrigID: p.ID, Version: p.Version - 1, CreatedBy: "b",
				Changes: history.Changes{{Op: history.OpChange, Path: history.Path{"declared_income"}, Old: i, New: i + 1}}}
			if err := store.UpdateProfile(ctx, operator.Tenant, storage.Record{Profile: p}, e); err != nil {
				b.Fatal(err)
			}
		}
	})
}
