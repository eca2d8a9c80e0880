package kyc_test

import (
	"context"
	"errors"
	"testing"

	"github.com/kycsdk/kyc"
	"github.com/kycsdk/kyc/storage"
)

// TestCreateWithRisk: the profile is created with its injected risk in one
// write (version 1, one history entry naming the source, one feed event);
// without the risk-injection permission, or with a level that is not
// configured, nothing is stored.
func TestCreateWithRisk(t *testing.T) {
	stores(t, func(t *testing.T, store storage.Store) {
		ctx := context.Background()
		svc := newService(t, store)
		p, err := svc.CreateWithRisk(ctx, supervisor, johnDoe(t), "high", "bureau")
		if err != nil {
			t.Fatal(err)
		}
		if p.Version != 1 || p.Risk != "high" || p.RiskCalculatedAt == 0 {
			t.Fatalf("created version %d risk %q at %d", p.Version, p.Risk, p.RiskCalculatedAt)
		}
		h, err := svc.History(ctx, supervisor, p.ID, storage.HistoryQuery{})
		if err != nil {
			t.Fatal(err)
		}
		if len(h.Entries) != 1 || h.Entries[0].Reason != "created; risk injected: high (source: bureau)" {
			t.Fatalf("history %+v", h.Entries)
		}
		events, err := svc.Changes(ctx, supervisor, 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(events) != 1 || events[0].Kind != string(kyc.EventCreated) {
			t.Fatalf("feed %+v, want one creation", events)
		}

		if _, err := svc.CreateWithRisk(ctx, operator, johnDoe(t), "high", "bureau"); !errors.Is(err, kyc.ErrForbidden) {
			t.Errorf("an operator without risk injection = %v, want ErrForbidden", err)
		}
		if _, err := svc.CreateWithRisk(ctx, supervisor, johnDoe(t), "extreme", "bureau"); err == nil {
			t.Error("an unknown risk level was accepted")
		}
		if _, err := svc.CreateWithRisk(ctx, supervisor, johnDoe(t), "high", " "); err == nil {
			t.Error("a blank source was accepted")
		}
		page, err := svc.List(ctx, supervisor, storage.Query{})
		if err != nil {
			t.Fatal(err)
		}
		if page.TotalElements != 1 {
			t.Fatalf("%d profiles stored, want 1", page.TotalElements)
		}
	})
}
