package kyc_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/kycsdk/kyc"
	"github.com/kycsdk/kyc/profile"
	"github.com/kycsdk/kyc/review"
	"github.com/kycsdk/kyc/storage"
)

// movingClock is a clock a test moves forward by hand.
type movingClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *movingClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(time.Millisecond) // every commit at its own moment
	return c.now
}

func (c *movingClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// TestStoredDueWorkProperty runs random histories of edits, risk
// injections, screenings (the same outcome, a changed one, a confirmed
// hit), completed reviews and identity document changes, with the clock
// moving by up to two years, over a few profiles. After every step the
// due work stored with each profile equals the one computed from scratch
// from its history, and DueList at a random moment lists every profile
// due by then, exactly once, oldest due first.
func TestStoredDueWorkProperty(t *testing.T) {
	stores(t, func(t *testing.T, store storage.Store) {
		for seed := range uint64(4) {
			t.Run(fmt.Sprint("seed ", seed), func(t *testing.T) {
				runDueProperty(t, store, seed)
			})
		}
	})
}

func runDueProperty(t *testing.T, store storage.Store, seed uint64) {
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(seed, 20))
	clock := &movingClock{now: time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)}
	tenant := fmt.Sprint("prop-", seed)
	op, sup := operator, supervisor
	op.Tenant, sup.Tenant = tenant, tenant
	svc := newService(t, store, func(o *kyc.Options) {
		o.Clock = clock.Now
		o.IDs = func() string { return fmt.Sprintf("s%d-%016x", seed, rng.Uint64()) }
	})
	var ids []string
	for range 4 {
		p, err := svc.Create(ctx, op, johnDoe(t))
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, p.ID)
	}
	lists := []string{"pep", "sanctions"}
	steps := []struct {
		name string
		do   func(id string) error
	}{
		{"edit", func(id string) error {
			p, err := svc.Get(ctx, op, id)
			if err != nil {
				return err
			}
			p.Labels = []string{fmt.Sprint("l", rng.IntN(3))}
			_, err = svc.Update(ctx, op, p, kyc.UpdateOptions{})
			return err
		}},
		{"document", func(id string) error {
			p, err := svc.Get(ctx, op, id)
			if err != nil {
				return err
			}
			exp := profile.DateOf(2026+rng.IntN(4), time.Month(1+rng.IntN(12)), 1+rng.IntN(28))
			p.IdentityDocuments = []profile.IdentityDocument{{Type: "passport", Number: fmt.Sprint("X", rng.IntN(1000)), IssuingCountry: "AR", ExpiryDate: &exp}}
			_, err = svc.Update(ctx, op, p, kyc.UpdateOptions{})
			return err
		}},
		{"risk", func(id string) error {
			_, err := svc.InjectRisk(ctx, sup, id, []string{"low", "medium", "high"}[rng.IntN(3)], "bureau")
			return err
		}},
		{"screening", func(id string) error {
			list := lists[rng.IntN(len(lists))]
			hit := rng.IntN(2) == 0
			_, err := svc.RecordScreening(ctx, op, id, kyc.Screening{Lists: map[string]profile.ListHit{list: {Hit: hit, Confirmed: hit && rng.IntN(3) == 0}}})
			return err
		}},
		{"review", func(id string) error {
			_, err := svc.CompleteReview(ctx, sup, id, kyc.Review{Outcome: "no change"})
			return err
		}},
	}
	for step := range 40 {
		clock.advance(time.Duration(rng.IntN(2*365*24)) * time.Hour / 8)
		s := steps[rng.IntN(len(steps))]
		id := ids[rng.IntN(len(ids))]
		if err := s.do(id); err != nil {
			t.Fatalf("step %d (%s of %s): %v", step, s.name, id, err)
		}
		what := fmt.Sprintf("after step %d (%s of %s)", step, s.name, id)
		works := map[string]review.Work{}
		for _, id := range ids {
			stored, err := svc.DueWork(ctx, op, id)
			if err != nil {
				t.Fatal(err)
			}
			oracle, err := svc.DueFromHistory(ctx, op, id)
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(oracle, stored); d != "" {
				t.Fatalf("%s: stored due work of %s (-from scratch +stored):\n%s", what, id, d)
			}
			works[id] = oracle
		}
		at := clock.now.Add(time.Duration(rng.IntN(3*365*24)-365*24) * time.Hour)
		wantDueListed(t, svc, op, what, at, works)
	}
}

// wantDueListed walks DueList(at) two at a time and checks it lists every
// profile of works due by at, once, in the order of their due moments.
func wantDueListed(t *testing.T, svc *kyc.Service, op kyc.Operator, what string, at time.Time, works map[string]review.Work) {
	t.Helper()
	ctx := context.Background()
	seen := map[string]bool{}
	var last profile.Timestamp
	cursor := ""
	for {
		pg, err := svc.DueList(ctx, op, at, cursor, 2)
		if err != nil {
			t.Fatalf("%s: DueList: %v", what, err)
		}
		for _, it := range pg.Items {
			if seen[it.ProfileID] {
				t.Errorf("%s: DueList(%v) lists %s twice", what, at, it.ProfileID)
			}
			seen[it.ProfileID] = true
			if it.Work.At < last {
				t.Errorf("%s: DueList(%v) lists %s (due %v) after one due %v", what, at, it.ProfileID, it.Work.At.Time(), last.Time())
			}
			last = it.Work.At
			if d := cmp.Diff(works[it.ProfileID], it.Work); d != "" {
				t.Errorf("%s: DueList work of %s (-from scratch +listed):\n%s", what, it.ProfileID, d)
			}
		}
		if pg.NextCursor == "" {
			break
		}
		cursor = pg.NextCursor
	}
	for id, w := range works {
		if due := w.At <= profile.TimestampOf(at); due != seen[id] {
			t.Errorf("%s: DueList(%v) lists %s: %v; due %v", what, at, id, seen[id], w.At.Time())
		}
	}
}

// TestSweepDue changes the review policy under stored due work and sweeps
// it in batches of two: progress climbs to the total, every profile ends
// with the new policy's work (equal to the computation from its history)
// at its own version, and a second sweep rewrites nothing.
func TestSweepDue(t *testing.T) {
	stores(t, func(t *testing.T, store storage.Store) {
		ctx := context.Background()
		svc := newService(t, store)
		var ids []string
		for i := range 5 {
			p := create(t, svc)
			ids = append(ids, p.ID)
			if i%2 == 0 {
				mustDo(t, func() error { _, err := svc.InjectRisk(ctx, supervisor, p.ID, "low", "bureau"); return err })
				mustDo(t, func() error { _, err := svc.InjectRisk(ctx, supervisor, p.ID, "high", "bureau"); return err })
			}
		}
		pol := review.DefaultPolicy(nil)
		pol.Review.Default = review.Years(2)
		pol.Rescreen.Default = review.Years(3)
		swept := newService(t, store, func(o *kyc.Options) { o.ReviewPolicy = pol })
		before, err := swept.DueWork(ctx, operator, ids[1])
		if err != nil {
			t.Fatal(err)
		}
		if oracle, _ := swept.DueFromHistory(ctx, operator, ids[1]); cmp.Equal(before, oracle) {
			t.Fatal("the new policy gives the same due work: the sweep has nothing to prove")
		}
		versions := map[string]int{}
		for _, id := range ids {
			p, err := svc.Get(ctx, operator, id)
			if err != nil {
				t.Fatal(err)
			}
			versions[id] = p.Version
		}
		cursor, last, batches := "", 0, 0
		for {
			pr, err := swept.SweepDue(ctx, supervisor, cursor, 2)
			if err != nil {
				t.Fatal(err)
			}
			batches++
			if pr.Total != len(ids) || pr.Swept <= last || pr.Swept > pr.Total {
				t.Fatalf("batch %d: progress %+v after %d", batches, pr, last)
			}
			last = pr.Swept
			if cursor = pr.NextCursor; cursor == "" {
				break
			}
		}
		if batches != 3 || last != len(ids) {
			t.Errorf("%d batches swept %d profiles, want 3 and %d", batches, last, len(ids))
		}
		for _, id := range ids {
			stored, err := swept.DueWork(ctx, operator, id)
			if err != nil {
				t.Fatal(err)
			}
			oracle, err := swept.DueFromHistory(ctx, operator, id)
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(oracle, stored); d != "" {
				t.Errorf("%s after the sweep (-from scratch +stored):\n%s", id, d)
			}
			p, err := swept.Get(ctx, operator, id)
			if err != nil {
				t.Fatal(err)
			}
			if p.Version != versions[id] {
				t.Errorf("%s after the sweep: version %d, want %d", id, p.Version, versions[id])
			}
		}
		if pr, err := swept.SweepDue(ctx, supervisor, "", storage.MaxPageSize); err != nil || pr.Rewritten != 0 || pr.NextCursor != "" {
			t.Errorf("second sweep = %+v, %v; want nothing rewritten", pr, err)
		}
	})
}
