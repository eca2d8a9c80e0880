package kyc_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/kycsdk/kyc"
	"github.com/kycsdk/kyc/profile"
	"github.com/kycsdk/kyc/review"
	"github.com/kycsdk/kyc/storage"
	"github.com/kycsdk/kyc/storage/memory"
)

// TestRescreenWalk walks every profile of the tenant in batches while a
// screening worker records a run on each profile it is handed (each run
// a new version, moving the profile's re-screening due moment): every
// profile comes exactly once, in id order, with progress; another
// tenant's profiles never; a cursor from another tenant is refused.
func TestRescreenWalk(t *testing.T) {
	stores(t, func(t *testing.T, store storage.Store) {
		ctx := context.Background()
		svc := newService(t, store)
		var want []string
		for range 7 {
			want = append(want, create(t, svc).ID)
		}
		slices.Sort(want)
		stranger := kyc.Operator{Tenant: "other", User: "x", Scopes: operator.Scopes}
		if _, err := svc.Create(ctx, stranger, johnDoe(t)); err != nil {
			t.Fatal(err)
		}
		var got []string
		cursor, batches := "", 0
		for {
			b, err := svc.RescreenWalk(ctx, operator, cursor, 3)
			if err != nil {
				t.Fatal(err)
			}
			batches++
			for _, p := range b.Profiles {
				got = append(got, p.ID)
				if _, err := svc.RecordScreening(ctx, operator, p.ID, kyc.Screening{Lists: map[string]profile.ListHit{"sanctioned": {}}}); err != nil {
					t.Fatal(err)
				}
			}
			if b.Total != len(want) || b.Walked != len(got) {
				t.Fatalf("batch %d: walked %d of %d, returned %d of %d", batches, b.Walked, b.Total, len(got), len(want))
			}
			if cursor = b.NextCursor; cursor == "" {
				break
			}
			if _, err := svc.RescreenWalk(ctx, stranger, cursor, 3); !errors.Is(err, storage.ErrInvalid) {
				t.Errorf("another tenant's cursor: %v, want ErrInvalid", err)
			}
		}
		if !slices.Equal(got, want) || batches != 3 {
			t.Errorf("walk = %v in %d batches, want %v in 3", got, batches, want)
		}
	})
}

// TestRescreenSameOutcome is item 4 of due diligence at portfolio scale
// through the Service: a re-screening that finds what the last one found
// is kept in the history (a new version: blacklists_checked_at moves) but
// opens no review event; one that finds something else raises
// screening_changed at the list it changed.
func TestRescreenSameOutcome(t *testing.T) {
	ctx := context.Background()
	svc := newService(t, memory.New())
	id := create(t, svc).ID
	screen := func(hit bool) *profile.Profile {
		t.Helper()
		p, err := svc.RecordScreening(ctx, operator, id, kyc.Screening{Lists: map[string]profile.ListHit{"sanctioned": {Hit: hit}}})
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	events := func() []review.Reason {
		t.Helper()
		w, err := svc.DueWork(ctx, operator, id)
		if err != nil {
			t.Fatal(err)
		}
		return slices.DeleteFunc(w.Reasons, func(r review.Reason) bool { return !r.Kind.Event() })
	}
	first := screen(false)
	again := screen(false)
	if again.Version != first.Version+1 {
		t.Errorf("a re-screening with the same outcome was not recorded: version %d after %d", again.Version, first.Version)
	}
	h, err := svc.History(ctx, operator, id, storage.HistoryQuery{NewestFirst: true, Size: 1})
	if err != nil || len(h.Entries) != 1 || h.Entries[0].Version != first.Version {
		t.Fatalf("history after the same outcome: %+v, %v", h, err)
	}
	if got := events(); len(got) != 0 {
		t.Errorf("the same outcome opened %v", got)
	}
	screen(true)
	got := events()
	if len(got) != 1 || got[0].Kind != review.ScreeningChanged || got[0].Path != "blacklist_found.sanctioned" {
		t.Errorf("a changed outcome raised %+v, want screening_changed at blacklist_found.sanctioned", got)
	}
}
