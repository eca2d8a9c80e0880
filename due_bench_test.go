package kyc_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/kycsdk/kyc"
	"github.com/kycsdk/kyc/profile"
	"github.com/kycsdk/kyc/review"
	"github.com/kycsdk/kyc/storage"
	"github.com/kycsdk/kyc/storage/sqlstore"
)

// BenchmarkSweepDue sweeps the due work of every profile of a SQLite file
// (20,000; 1,000,000 with KYC_BENCH_LARGE=1) after a policy change, in
// batches of storage.MaxPageSize, and reports profiles/s. Each iteration
// sweeps under the other of two policies, so every profile is rewritten.
func BenchmarkSweepDue(b *testing.B) {
	ctx := context.Background()
	n := 20_000
	if os.Getenv("KYC_BENCH_LARGE") == "1" {
		n = 1_000_000
	}
	st, err := sqlstore.OpenSQLite(ctx, filepath.Join(b.TempDir(), "kyc.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	base := johnDoe(b)
	for from := 0; from < n; from += 50_000 {
		ps := make([]*profile.Profile, min(50_000, n-from))
		for i := range ps {
			p := base.Clone()
			p.ID, p.Version = fmt.Sprintf("s%07d", from+i), 1
			p.CreatedAt = profile.TimestampOf(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(from+i) * time.Minute))
			p.ModifiedAt = p.CreatedAt
			ps[i] = p
		}
		if err := st.CreateProfiles(ctx, operator.Tenant, ps); err != nil {
			b.Fatal(err)
		}
	}
	short := review.DefaultPolicy(nil)
	short.Review.Default = review.Years(2)
	services := []*kyc.Service{
		newService(b, st, func(o *kyc.Options) { o.ReviewPolicy = short }),
		newService(b, st),
	}
	sweep := func(svc *kyc.Service) int {
		cursor, rewritten := "", 0
		for {
			pr, err := svc.SweepDue(ctx, supervisor, cursor, storage.MaxPageSize)
			if err != nil {
				b.Fatal(err)
			}
			rewritten += pr.Rewritten
			if cursor = pr.NextCursor; cursor == "" {
				return rewritten
			}
		}
	}
	sweep(services[1]) // the first sweep reads each profile's history once
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	for i := range b.N {
		if got := sweep(services[i%2]); got != n {
			b.Fatalf("sweep rewrote %d of %d profiles", got, n)
		}
	}
	b.ReportMetric(float64(n*b.N)/time.Since(start).Seconds(), "profiles/s")
}
