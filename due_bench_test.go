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
// The reference, in the same run, rewrites the due work of the same rows
// (profile_due) with a hand-written UPDATE per batch.
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
	round := 1         // across runs, so that every sweep changes the policy
	b.Run(fmt.Sprintf("service/%d", n), func(b *testing.B) {
		b.ReportAllocs()
		start := time.Now()
		for b.Loop() {
			round++
			if got := sweep(services[round%2]); got != n {
				b.Fatalf("sweep rewrote %d of %d profiles", got, n)
			}
		}
		b.ReportMetric(float64(n*b.N)/time.Since(start).Seconds(), "profiles/s")
	})
	// The same sweeps with SweepAll, which reads and computes the next
	// batch while one is written.
	b.Run(fmt.Sprintf("service-sweep-all/%d", n), func(b *testing.B) {
		b.ReportAllocs()
		start := time.Now()
		for b.Loop() {
			round++
			rewritten := 0
			err := services[round%2].SweepAll(ctx, supervisor, "", storage.MaxPageSize, func(pr kyc.DueSweep) error {
				rewritten += pr.Rewritten
				return nil
			})
			if err != nil || rewritten != n {
				b.Fatalf("SweepAll rewrote %d of %d profiles: %v", rewritten, n, err)
			}
		}
		b.ReportMetric(float64(n*b.N)/time.Since(start).Seconds(), "profiles/s")
	})
	// SweepDue and SweepAll in turn, one whole sweep each per iteration,
	// timed apart: both meet the same load on a shared machine, where
	// rows run one after the other may not.
	b.Run(fmt.Sprintf("service-and-sweep-all-in-turn/%d", n), func(b *testing.B) {
		var serial, pipelined time.Duration
		for i := 0; b.Loop(); i++ {
			// Each goes first every other time: the first of a pair meets
			// the WAL the one before left.
			for j := range 2 {
				round++
				start := time.Now()
				if (i+j)%2 == 0 {
					if got := sweep(services[round%2]); got != n {
						b.Fatalf("sweep rewrote %d of %d profiles", got, n)
					}
					serial += time.Since(start)
					continue
				}
				if err := services[round%2].SweepAll(ctx, supervisor, "", storage.MaxPageSize, nil); err != nil {
					b.Fatal(err)
				}
				pipelined += time.Since(start)
			}
		}
		b.ReportMetric(float64(n*b.N)/serial.Seconds(), "SweepDue-profiles/s")
		b.ReportMetric(float64(n*b.N)/pipelined.Seconds(), "SweepAll-profiles/s")
		b.ReportMetric(serial.Seconds()/pipelined.Seconds(), "SweepAll-speedup")
	})
	// The sweep's reading and computing alone: the same walk and due
	// computation under the policy the last sweep stored, so that nothing
	// differs and nothing is written. No change to how the due work is
	// written can make the sweep faster than this.
	b.Run(fmt.Sprintf("service-nothing-to-rewrite/%d", n), func(b *testing.B) {
		b.ReportAllocs()
		start := time.Now()
		for b.Loop() {
			if got := sweep(services[round%2]); got != 0 {
				b.Fatalf("sweep under the stored policy rewrote %d profiles", got)
			}
		}
		b.ReportMetric(float64(n*b.N)/time.Since(start).Seconds(), "profiles/s")
	})
	// The reference: the same rows' due work (profile_due) rewritten by a
	// hand-written UPDATE of each batch's range of ids, one statement per
	// batch, with nothing read, computed or guarded.
	b.Run(fmt.Sprintf("hand-written-update/%d", n), func(b *testing.B) {
		stmt, err := st.DB().PrepareContext(ctx, `UPDATE profile_due SET due_at = due_at + $4, due_reasons = $5
			WHERE tenant = $1 AND id >= $2 AND id < $3`)
		if err != nil {
			b.Fatal(err)
		}
		defer stmt.Close()
		reasons := []byte(`[{"kind":"periodic_review","at":1800000000000,"path":"created_at"}]`)
		start := time.Now()
		for i := 0; b.Loop(); i++ {
			for from := 0; from < n; from += storage.MaxPageSize {
				res, err := stmt.ExecContext(ctx, operator.Tenant, fmt.Sprintf("s%07d", from), fmt.Sprintf("s%07d", from+storage.MaxPageSize), 1-2*(i%2), reasons)
				if err != nil {
					b.Fatal(err)
				}
				if got, _ := res.RowsAffected(); got != int64(min(storage.MaxPageSize, n-from)) {
					b.Fatalf("hand-written update: %d rows", got)
				}
			}
		}
		b.ReportMetric(float64(n*b.N)/time.Since(start).Seconds(), "profiles/s")
	})
	// The sweep's write by hand: each profile's due moment moved by a
	// year (as a policy change moves it) with SetDue's guarded UPDATE of
	// profile_due per profile, one prepared statement and one transaction
	// per batch, nothing read or computed.
	b.Run(fmt.Sprintf("guarded-update/%d", n), func(b *testing.B) {
		reasons := []byte(`[{"kind":"periodic_review","at":1800000000000,"path":"created_at"}]`)
		start := time.Now()
		for i := 0; b.Loop(); i++ {
			shift := int64(1-2*(i%2)) * 365 * 86_400_000
			for from := 0; from < n; from += storage.MaxPageSize {
				guardedUpdate(b, st, from, min(from+storage.MaxPageSize, n), shift, reasons)
			}
		}
		b.ReportMetric(float64(n*b.N)/time.Since(start).Seconds(), "profiles/s")
	})
}

// guardedUpdate moves the due moment of profiles s{from} to s{to-1} by
// shift in one transaction, an UPDATE of profile_due per profile guarded
// by its version, as SetDue writes.
func guardedUpdate(b *testing.B, st *sqlstore.Store, from, to int, shift int64, reasons []byte) {
	ctx := context.Background()
	tx, err := st.DB().BeginTx(ctx, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer tx.Rollback()
	stmt, err := tx.PrepareContext(ctx, `UPDATE profile_due SET due_at = due_at + $4, due_reasons = $5
		WHERE tenant = $1 AND id = $2 AND version = $3`)
	if err != nil {
		b.Fatal(err)
	}
	for j := from; j < to; j++ {
		res, err := stmt.ExecContext(ctx, operator.Tenant, fmt.Sprintf("s%07d", j), 1, shift, reasons)
		if err != nil {
			b.Fatal(err)
		}
		if got, _ := res.RowsAffected(); got != 1 {
			b.Fatalf("guarded update: %d rows", got)
		}
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
}
