package kyc_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kycsdk/kyc"
	"github.com/kycsdk/kyc/review"
	"github.com/kycsdk/kyc/storage"
	"github.com/kycsdk/kyc/storage/memory"
	"github.com/kycsdk/kyc/storage/sqlstore"
)

// sweepStores runs fn with a maker of fresh stores of each kind the sweep
// is tested on: memory and SQLite files.
func sweepStores(t *testing.T, fn func(t *testing.T, newStore func() storage.Store)) {
	t.Run("memory", func(t *testing.T) { fn(t, func() storage.Store { return memory.New() }) })
	t.Run("sqlite", func(t *testing.T) {
		n := 0
		fn(t, func() storage.Store {
			n++
			st, err := sqlstore.OpenSQLite(context.Background(), filepath.Join(t.TempDir(), fmt.Sprintf("kyc-%d.db", n)))
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { st.Close() })
			return st
		})
	})
}

// sweepProfiles is the number of profiles of sweepFixture: with batches of
// two, three full batches and a last one of one.
const sweepProfiles = 7

// sweepFixture creates sweepProfiles profiles in store under the default
// review policy, some with risk events, and returns their ids in id order
// (the walk's) and a Service under a policy that gives each profile other
// due work: what a sweep must store.
func sweepFixture(t *testing.T, store storage.Store) ([]string, *kyc.Service) {
	t.Helper()
	ctx := context.Background()
	svc := newService(t, store)
	var ids []string
	for i := range sweepProfiles {
		p := create(t, svc)
		ids = append(ids, p.ID)
		if i%3 == 0 {
			mustDo(t, func() error { _, err := svc.InjectRisk(ctx, supervisor, p.ID, "high", "bureau"); return err })
		}
	}
	pol := review.DefaultPolicy(nil)
	pol.Review.Default = review.Years(2)
	pol.Rescreen.Default = review.Years(3)
	return ids, newService(t, store, func(o *kyc.Options) { o.ReviewPolicy = pol })
}

// dueWorks returns the due work stored with each of ids.
func dueWorks(t *testing.T, svc *kyc.Service, ids []string) map[string]review.Work {
	t.Helper()
	out := map[string]review.Work{}
	for _, id := range ids {
		w, err := svc.DueWork(context.Background(), operator, id)
		if err != nil {
			t.Fatal(err)
		}
		out[id] = w
	}
	return out
}

// swept reports, for each of ids, whether its stored due work is the
// swept Service's (from its history, under the new policy).
func swept(t *testing.T, svc *kyc.Service, ids []string) []bool {
	t.Helper()
	stored := dueWorks(t, svc, ids)
	out := make([]bool, len(ids))
	for i, id := range ids {
		oracle, err := svc.DueFromHistory(context.Background(), operator, id)
		if err != nil {
			t.Fatal(err)
		}
		out[i] = cmp.Equal(oracle, stored[id])
	}
	return out
}

// sweepAllProgress runs SweepAll from cursor in batches of two and returns
// what progress received, and the error.
func sweepAllProgress(svc *kyc.Service, ctx context.Context, cursor string, stopAfter int) ([]kyc.DueSweep, error) {
	var got []kyc.DueSweep
	err := svc.SweepAll(ctx, supervisor, cursor, 2, func(pr kyc.DueSweep) error {
		got = append(got, pr)
		if len(got) == stopAfter {
			return errStopSweep
		}
		return nil
	})
	return got, err
}

var errStopSweep = errors.New("stop the sweep")

// withoutCursors is a sweep's progress with its cursors reduced to
// whether there is one: cursors are sealed afresh by every walk.
func withoutCursors(prs []kyc.DueSweep) []kyc.DueSweep {
	out := make([]kyc.DueSweep, len(prs))
	for i, pr := range prs {
		out[i] = pr
		if pr.NextCursor != "" {
			out[i].NextCursor = "more"
		}
	}
	return out
}

// TestSweepAllEqualsSweepDue sweeps two stores holding the same profiles,
// one with SweepDue batch after batch, the other with SweepAll: the same
// progress, batch by batch, and the same due work stored.
func TestSweepAllEqualsSweepDue(t *testing.T) {
	sweepStores(t, func(t *testing.T, newStore func() storage.Store) {
		ctx := context.Background()
		ids, one := sweepFixture(t, newStore())
		_, all := sweepFixture(t, newStore())
		if before := swept(t, one, ids); before[0] || before[1] {
			t.Fatalf("before the sweep, stored work is already the new policy's: %v", before)
		}
		var want []kyc.DueSweep
		for cursor := ""; ; {
			pr, err := one.SweepDue(ctx, supervisor, cursor, 2)
			if err != nil {
				t.Fatal(err)
			}
			want = append(want, pr)
			if cursor = pr.NextCursor; cursor == "" {
				break
			}
		}
		got, err := sweepAllProgress(all, ctx, "", -1)
		if err != nil {
			t.Fatal(err)
		}
		if d := cmp.Diff(withoutCursors(want), withoutCursors(got)); d != "" {
			t.Errorf("progress (-SweepDue +SweepAll):\n%s", d)
		}
		rewritten := 0
		for _, pr := range got {
			rewritten += pr.Rewritten
		}
		if len(got) != 4 || rewritten != sweepProfiles {
			t.Errorf("SweepAll: %d batches rewrote %d profiles, want 4 and %d", len(got), rewritten, sweepProfiles)
		}
		if d := cmp.Diff(dueWorks(t, one, ids), dueWorks(t, all, ids)); d != "" {
			t.Errorf("stored due work (-SweepDue +SweepAll):\n%s", d)
		}
		for i, ok := range swept(t, all, ids) {
			if !ok {
				t.Errorf("%s: stored due work is not the new policy's after SweepAll", ids[i])
			}
		}
	})
}

// TestSweepAllResumes stops a sweep from progress after its second batch
// and resumes it from the last cursor progress received: the first two
// batches are written and the rest not, until the resumed sweep writes
// them, starting where the first stopped.
func TestSweepAllResumes(t *testing.T) {
	sweepStores(t, func(t *testing.T, newStore func() storage.Store) {
		ctx := context.Background()
		ids, svc := sweepFixture(t, newStore())
		got, err := sweepAllProgress(svc, ctx, "", 2)
		if !errors.Is(err, errStopSweep) || len(got) != 2 {
			t.Fatalf("SweepAll stopped by progress = %d batches, %v; want 2, the progress error", len(got), err)
		}
		if d := cmp.Diff([]bool{true, true, true, true, false, false, false}, swept(t, svc, ids)); d != "" {
			t.Errorf("swept profiles after the stop (-want +got):\n%s", d)
		}
		rest, err := sweepAllProgress(svc, ctx, got[1].NextCursor, -1)
		if err != nil {
			t.Fatal(err)
		}
		if len(rest) != 2 || rest[0].Swept != 6 || rest[1].Swept != sweepProfiles || rest[1].NextCursor != "" {
			t.Errorf("resumed progress = %+v; want batches ending at 6 and %d", rest, sweepProfiles)
		}
		for i, ok := range swept(t, svc, ids) {
			if !ok {
				t.Errorf("%s: not swept after the resumed sweep", ids[i])
			}
		}
		again, err := sweepAllProgress(svc, ctx, "", -1)
		if err != nil {
			t.Fatal(err)
		}
		for _, pr := range again {
			if pr.Rewritten != 0 {
				t.Errorf("a second sweep rewrote %d profiles", pr.Rewritten)
			}
		}
	})
}

// failingSweep is a store whose SetDue or WalkProfiles fails from its
// failOn-th call on (counted from 1; 0 never).
type failingSweep struct {
	storage.Store
	setDueFailsOn, walkFailsOn int64
	setDues, walks             atomic.Int64
}

var errStoreDown = errors.New("store down")

func (f *failingSweep) SetDue(ctx context.Context, tenant string, updates []storage.DueUpdate) (int, error) {
	if n := f.setDues.Add(1); f.setDueFailsOn != 0 && n >= f.setDueFailsOn {
		return 0, errStoreDown
	}
	return f.Store.SetDue(ctx, tenant, updates)
}

func (f *failingSweep) WalkProfiles(ctx context.Context, tenant string, w storage.Walk) (*storage.WalkPage, error) {
	if n := f.walks.Add(1); f.walkFailsOn != 0 && n >= f.walkFailsOn {
		return nil, errStoreDown
	}
	return f.Store.WalkProfiles(ctx, tenant, w)
}

// TestSweepAllStopsOnError: a write that fails, a walk that fails and a
// context cancelled from progress each stop the sweep with their error.
// The batches progress received are written, the failing batch and those
// after it are not, though the next one was read ahead.
func TestSweepAllStopsOnError(t *testing.T) {
	sweepStores(t, func(t *testing.T, newStore func() storage.Store) {
		tests := []struct {
			name        string
			setDue      int64 // the SetDue call that fails, from 1
			walk        int64 // the WalkProfiles call that fails, from 1
			cancelAfter int   // progress cancels the context after this batch
			want        error
			batches     int // reported to progress
		}{
			{"the third write fails", 3, 0, 0, errStoreDown, 2},
			{"the first write fails", 1, 0, 0, errStoreDown, 0},
			{"the third walk fails", 0, 3, 0, errStoreDown, 2},
			{"cancelled after the first batch", 0, 0, 1, context.Canceled, 1},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				store := &failingSweep{Store: newStore(), setDueFailsOn: tc.setDue, walkFailsOn: tc.walk}
				ids, svc := sweepFixture(t, store)
				ctx, cancel := context.WithCancel(context.Background())
				defer cancel()
				var got []kyc.DueSweep
				err := svc.SweepAll(ctx, supervisor, "", 2, func(pr kyc.DueSweep) error {
					got = append(got, pr)
					if len(got) == tc.cancelAfter {
						cancel()
					}
					return nil
				})
				if !errors.Is(err, tc.want) || len(got) != tc.batches {
					t.Fatalf("SweepAll = %d batches reported, %v; want %d, %v", len(got), err, tc.batches, tc.want)
				}
				want := make([]bool, len(ids))
				for i := range 2 * tc.batches {
					want[i] = true
				}
				if d := cmp.Diff(want, swept(t, svc, ids)); d != "" {
					t.Errorf("swept profiles (-want +got):\n%s", d)
				}
				if n := store.setDues.Load(); n > int64(tc.batches)+1 {
					t.Errorf("%d writes for %d batches reported: a batch was written after the error", n, tc.batches)
				}
			})
		}
	})
}
