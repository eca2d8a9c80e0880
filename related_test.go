package kyc_test

import (
	"context"
	"testing"

	"github.com/kycsdk/kyc"
	"github.com/kycsdk/kyc/profile"
	"github.com/kycsdk/kyc/review"
	"github.com/kycsdk/kyc/storage"
	"github.com/kycsdk/kyc/storage/memory"
)

// TestRelatedChanged: in the group of ownership_test.go (ben holds sub,
// sub half of mid, mid 60% of top), a change to ben that matters (a
// confirmed hit, then his PEP declaration) raises related_changed on
// sub, mid and top, with the path of the fact and ben's id, in their
// stored due work and without a new version of them; carla's group is
// untouched; a change that does not matter (a phone number) raises
// nothing; a review of top answers its event; and the policy can turn
// the trigger off.
func TestRelatedChanged(t *testing.T) {
	stores(t, func(t *testing.T, store storage.Store) {
		ctx := context.Background()
		svc := newService(t, store)
		ids := group(t, svc, operator)
		related := func(id string) []review.Reason {
			t.Helper()
			w, err := svc.DueWork(ctx, operator, id)
			if err != nil {
				t.Fatal(err)
			}
			var out []review.Reason
			for _, r := range w.Reasons {
				if r.Kind == review.RelatedChanged {
					out = append(out, r)
				}
			}
			return out
		}
		version := func(id string) int {
			t.Helper()
			p, err := svc.Get(ctx, operator, id)
			if err != nil {
				t.Fatal(err)
			}
			return p.Version
		}
		top := version(ids["top"])

		// Not a matter for the companies: an edit of contact data.
		ben, err := svc.Get(ctx, operator, ids["ben"])
		if err != nil {
			t.Fatal(err)
		}
		ben.Contacts = append(ben.Contacts, profile.Contact{ContactType: "mobile", Value: "+54 11 5555 0000"})
		if _, err := svc.Update(ctx, operator, ben, kyc.UpdateOptions{}); err != nil {
			t.Fatal(err)
		}
		for _, c := range []string{"sub", "mid", "top"} {
			if got := related(ids[c]); len(got) != 0 {
				t.Errorf("a contact edit raised %v on %s", got, c)
			}
		}

		hit, err := svc.RecordScreening(ctx, operator, ids["ben"], kyc.Screening{Lists: map[string]profile.ListHit{"sanctioned": {Hit: true}}})
		if err != nil {
			t.Fatalf("RecordScreening: %v", err)
		}
		for _, c := range []string{"sub", "mid", "top"} {
			got := related(ids[c])
			if len(got) != 1 || got[0].Path != "blacklist_found.sanctioned" || got[0].Detail != ids["ben"] || got[0].At != hit.ModifiedAt {
				t.Errorf("%s after ben's hit: %+v, want one related_changed at blacklist_found.sanctioned from %s", c, got, ids["ben"])
			}
		}
		if got := related(ids["ana"]); len(got) != 0 {
			t.Errorf("ana, an owner and not owned, got %v", got)
		}
		if v := version(ids["top"]); v != top {
			t.Errorf("top moved from version %d to %d: a related review writes no version", top, v)
		}
		// The due list shows top as due at the moment of the hit.
		pg, err := svc.DueList(ctx, operator, hit.ModifiedAt.Time(), "", 100)
		if err != nil {
			t.Fatal(err)
		}
		listed := map[string]bool{}
		for _, it := range pg.Items {
			listed[it.ProfileID] = true
		}
		for _, c := range []string{"sub", "mid", "top"} {
			if !listed[ids[c]] {
				t.Errorf("%s is not in the due list at the moment of the hit", c)
			}
		}

		// A second fact adds a second event; the first stays open.
		ben, err = svc.Get(ctx, operator, ids["ben"])
		if err != nil {
			t.Fatal(err)
		}
		no := false
		ben.Declaration.PEP = &no
		if _, err := svc.Update(ctx, operator, ben, kyc.UpdateOptions{}); err != nil {
			t.Fatal(err)
		}
		if got := related(ids["mid"]); len(got) != 2 || got[1].Path != "declaration.pep" {
			t.Errorf("mid after ben's PEP declaration: %+v", got)
		}
		// A review answers them; an edit of top afterwards keeps none.
		if _, err := svc.CompleteReview(ctx, supervisor, ids["top"], kyc.Review{Outcome: "no change"}); err != nil {
			t.Fatal(err)
		}
		if got := related(ids["top"]); len(got) != 0 {
			t.Errorf("top after its review: %v", got)
		}
		if got := related(ids["mid"]); len(got) != 2 {
			t.Errorf("mid lost its events on top's review: %v", got)
		}
	})
}

// TestRelatedChangedOff: a policy without the related_changed trigger
// raises nothing on the owned companies.
func TestRelatedChangedOff(t *testing.T) {
	ctx := context.Background()
	pol := review.DefaultPolicy(nil)
	pol.Triggers = []review.Kind{review.RiskChanged, review.ConfirmedHit, review.ScreeningChanged}
	svc := newService(t, memory.New(), func(o *kyc.Options) { o.ReviewPolicy = pol })
	ids := group(t, svc, operator)
	if _, err := svc.RecordScreening(ctx, operator, ids["ben"], kyc.Screening{Lists: map[string]profile.ListHit{"sanctioned": {Hit: true}}}); err != nil {
		t.Fatal(err)
	}
	w, err := svc.DueWork(ctx, operator, ids["sub"])
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range w.Reasons {
		if r.Kind == review.RelatedChanged {
			t.Errorf("a disabled trigger raised %+v", r)
		}
	}
}
