package kyc_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kycsdk/kyc"
	"github.com/kycsdk/kyc/profile"
	"github.com/kycsdk/kyc/storage"
)

// TestFeedEvents: the hook and the feed report the same change with the
// same id; the paths of a change to a free-form object stop at the object,
// whose keys are the caller's own; an update that changes nothing appends
// nothing.
func TestFeedEvents(t *testing.T) {
	stores(t, func(t *testing.T, store storage.Store) {
		ctx := context.Background()
		var hooked []kyc.Event
		svc := newService(t, store, func(o *kyc.Options) {
			o.OnEvent = func(_ context.Context, e kyc.Event) error { hooked = append(hooked, e); return nil }
		})
		p := create(t, svc)
		p.Metadata = profile.Object{"a": "1"}
		p.Labels = []string{"vip"}
		p, err := svc.Update(ctx, operator, p, kyc.UpdateOptions{})
		if err != nil {
			t.Fatal(err)
		}
		p.Metadata["qzpersonalkey"] = "x"
		if p, err = svc.Update(ctx, operator, p, kyc.UpdateOptions{}); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Update(ctx, operator, p, kyc.UpdateOptions{}); err != nil {
			t.Fatal(err)
		}
		feed, err := svc.Changes(ctx, operator, 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(feed) != 3 || len(hooked) != 3 {
			t.Fatalf("feed %d events, hook %d; want 3 each (the no-op update appends none)", len(feed), len(hooked))
		}
		for i, ev := range feed {
			h := hooked[i]
			got := kyc.Event{ID: ev.ID, Kind: kyc.EventKind(ev.Kind), Tenant: operator.Tenant, User: ev.User,
				ProfileID: ev.ProfileID, Version: ev.Version, At: ev.At.Time(), Paths: ev.Paths}
			if diff := cmp.Diff(h, got); diff != "" {
				t.Errorf("event %d: hook and feed differ (-hook +feed):\n%s", i, diff)
			}
			if ev.Position != int64(i+1) || ev.User != operator.User || ev.At == 0 {
				t.Errorf("event %d: position %d, user %q, at %d", i, ev.Position, ev.User, ev.At)
			}
		}
		if up := feed[1]; up.Kind != string(kyc.EventUpdated) || up.Version != 2 || !slices.Contains(up.Paths, "labels") {
			t.Errorf("update event: kind %q version %d paths %v", up.Kind, up.Version, up.Paths)
		}
		up := feed[2]
		if !slices.Equal(up.Paths, []string{"modified_at", "version", "metadata"}) {
			t.Errorf("paths of a new metadata key: %v, want the object's path only", up.Paths)
		}
		for _, path := range up.Paths {
			if strings.Contains(path, "qzpersonalkey") {
				t.Errorf("a metadata key reached the event: %v", up.Paths)
			}
		}
		refused := kyc.Operator{Tenant: "acme", User: "stranger"}
		if _, err := svc.Changes(ctx, refused, 0, 0); err == nil {
			t.Error("an operator without feed:read read the feed")
		}
	})
}
