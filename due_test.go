package kyc_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/kycsdk/kyc"
	"github.com/kycsdk/kyc/profile"
	"github.com/kycsdk/kyc/review"
	"github.com/kycsdk/kyc/storage/memory"
	"github.com/kycsdk/kyc/workflow"
)

// TestDueWork follows a customer through the events that call for a
// review: the risk level changes, a screening turns up a hit and the hit
// is confirmed; a re-screening with the same outcome raises nothing; a
// completed review answers them all and moves the periodic review on.
func TestDueWork(t *testing.T) {
	ctx := context.Background()
	svc := newService(t, memory.New())
	p := create(t, svc)
	id := p.ID
	kinds := func() []review.Kind {
		t.Helper()
		w, err := svc.DueWork(ctx, operator, id)
		if err != nil {
			t.Fatal(err)
		}
		var out []review.Kind
		for _, r := range w.Reasons {
			if r.Kind != review.PeriodicReview && r.Kind != review.Rescreening {
				out = append(out, r.Kind)
			}
		}
		return out
	}
	if got := kinds(); len(got) != 0 {
		t.Fatalf("a new customer has events: %v", got)
	}
	mustDo(t, func() error { _, err := svc.InjectRisk(ctx, supervisor, id, "low", "bureau"); return err })
	if got := kinds(); len(got) != 0 {
		t.Errorf("the first risk assessment raised %v", got)
	}
	mustDo(t, func() error { _, err := svc.InjectRisk(ctx, supervisor, id, "high", "bureau"); return err })
	screen := func(hit, confirmed bool) {
		t.Helper()
		mustDo(t, func() error {
			_, err := svc.RecordScreening(ctx, operator, id, kyc.Screening{Lists: map[string]profile.ListHit{"pep": {Hit: hit, Confirmed: confirmed}}})
			return err
		})
	}
	screen(false, false)
	screen(false, false) // the same outcome: recorded, raises nothing
	screen(true, false)
	screen(true, true)
	want := []review.Kind{review.RiskChanged, review.ScreeningChanged, review.ConfirmedHit} // in the order they happened
	if d := cmp.Diff(want, kinds()); d != "" {
		t.Errorf("events (-want +got):\n%s", d)
	}
	mustDo(t, func() error {
		_, err := svc.CompleteReview(ctx, supervisor, id, kyc.Review{Outcome: "escalated"})
		return err
	})
	if got := kinds(); len(got) != 0 {
		t.Errorf("events after the review: %v", got)
	}
	w, err := svc.DueWork(ctx, operator, id)
	if err != nil {
		t.Fatal(err)
	}
	cur, err := svc.Get(ctx, operator, id)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range w.Reasons {
		if r.Kind == review.PeriodicReview {
			if want := profile.TimestampOf(cur.LastDueDiligenceAt.Time().AddDate(1, 0, 0)); r.At != want || r.Path != "last_due_diligence_at" {
				t.Errorf("periodic review of a high-risk customer = %v at %v, want a year after the review", r.Path, r.At.Time())
			}
		}
	}
	if _, err := svc.DueWork(ctx, kyc.Operator{Tenant: "acme", User: "x"}, id); err == nil {
		t.Error("DueWork without a scope was allowed")
	}
}

func TestReviewPolicyCheckedAtNew(t *testing.T) {
	pol := review.DefaultPolicy([]string{"low", "medium", "high", "severe"})
	_, err := kyc.New(memory.New(), kyc.Options{ReviewPolicy: pol})
	if err == nil {
		t.Fatal("a policy naming a level the tenant does not have was accepted")
	}
	pol = review.DefaultPolicy(nil)
	pol.Review.Default = review.Interval{Days: -1}
	if _, err := kyc.New(memory.New(), kyc.Options{ReviewPolicy: pol, Clock: time.Now}); err == nil {
		t.Fatal("a negative interval was accepted")
	}
}

func mustDo(t *testing.T, f func() error) {
	t.Helper()
	if err := f(); err != nil {
		t.Fatal(err)
	}
}

// TestReviewFourEyes: at a four-eyes risk level, the supervisor who
// changed the profile since the last review cannot complete the review;
// another can. At other levels the same person may.
func TestReviewFourEyes(t *testing.T) {
	ctx := context.Background()
	pol := review.DefaultPolicy(nil)
	pol.FourEyesLevels = []string{"high"}
	svc := newService(t, memory.New(), func(o *kyc.Options) { o.ReviewPolicy = pol })
	p := create(t, svc)
	mustDo(t, func() error { _, err := svc.InjectRisk(ctx, supervisor, p.ID, "high", "bureau"); return err })
	_, err := svc.CompleteReview(ctx, supervisor, p.ID, kyc.Review{Outcome: "no change"})
	if !errors.Is(err, kyc.ErrForbidden) || !errors.Is(err, workflow.ErrFourEyes) {
		t.Fatalf("review by the maker = %v, want ErrForbidden wrapping ErrFourEyes", err)
	}
	if cur, _ := svc.Get(ctx, operator, p.ID); cur.LastDueDiligenceAt != 0 {
		t.Fatal("the refused review changed the profile")
	}
	second := kyc.Operator{Tenant: supervisor.Tenant, User: "second", Scopes: supervisor.Scopes}
	mustDo(t, func() error {
		_, err := svc.CompleteReview(ctx, second, p.ID, kyc.Review{Outcome: "no change"})
		return err
	})
	// Nothing changed since that review: its reviewer may review again.
	mustDo(t, func() error {
		_, err := svc.CompleteReview(ctx, second, p.ID, kyc.Review{Outcome: "no change"})
		return err
	})

	low := create(t, svc)
	mustDo(t, func() error { _, err := svc.InjectRisk(ctx, supervisor, low.ID, "low", "bureau"); return err })
	mustDo(t, func() error {
		_, err := svc.CompleteReview(ctx, supervisor, low.ID, kyc.Review{Outcome: "no change"})
		return err
	})
}
