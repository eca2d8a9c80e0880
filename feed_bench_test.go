package kyc_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/kycsdk/kyc"
	"github.com/kycsdk/kyc/history"
	"github.com/kycsdk/kyc/storage"
	"github.com/kycsdk/kyc/storage/memory"
	"github.com/kycsdk/kyc/storage/sqlstore"
)

// withoutFeed is a store that drops the feed event of every update: the
// Update of a service on it is the Update of the library before the feed.
type withoutFeed struct{ storage.Store }

func (s withoutFeed) UpdateProfile(ctx context.Context, tenant string, r storage.Record, e history.Entry) error {
	r.Event = nil
	return s.Store.UpdateProfile(ctx, tenant, r, e)
}

// BenchmarkUpdateFeed measures Service.Update with the feed event written
// in the same atomic step and, as the reference, the same Update with the
// event dropped before the store, on the in-memory store and on a SQLite
// file. The two run in turns within one loop, each on a store of its own,
// so that both see the same machine load; the reported metrics are the
// time of each and their ratio (feed/ref).
func BenchmarkUpdateFeed(b *testing.B) {
	stores := []struct {
		name string
		open func(b *testing.B) storage.Store
	}{
		{"memory", func(*testing.B) storage.Store { return memory.New() }},
		{"sqlite", func(b *testing.B) storage.Store {
			s, err := sqlstore.OpenSQLite(context.Background(), filepath.Join(b.TempDir(), "kyc.db"))
			if err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() { s.Close() })
			return s
		}},
	}
	for _, st := range stores {
		b.Run(st.name, func(b *testing.B) {
			ctx := context.Background()
			ref, feed := newService(b, withoutFeed{st.open(b)}), newService(b, st.open(b))
			pr, pf := create(b, ref), create(b, feed)
			var tRef, tFeed time.Duration
			b.ResetTimer()
			for i := range b.N {
				var err error
				start := time.Now()
				pr.DeclaredIncome = new(int64(1000 + i))
				if pr, err = ref.Update(ctx, operator, pr, kyc.UpdateOptions{}); err != nil {
					b.Fatal(err)
				}
				mid := time.Now()
				pf.DeclaredIncome = new(int64(1000 + i))
				if pf, err = feed.Update(ctx, operator, pf, kyc.UpdateOptions{}); err != nil {
					b.Fatal(err)
				}
				tRef, tFeed = tRef+mid.Sub(start), tFeed+time.Since(mid)
			}
			b.ReportMetric(float64(tRef.Nanoseconds())/float64(b.N), "ns/ref-update")
			b.ReportMetric(float64(tFeed.Nanoseconds())/float64(b.N), "ns/feed-update")
			b.ReportMetric(float64(tFeed)/float64(tRef), "feed/ref")
		})
	}
}
