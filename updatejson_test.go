package kyc_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/kycsdk/kyc"
	"github.com/kycsdk/kyc/profile"
	"github.com/kycsdk/kyc/storage"
	"github.com/kycsdk/kyc/storage/memory"
)

// TestUpdateJSON: the edit sees the stored JSON, its result goes through
// Update's rules, and a stale base is a conflict that stores nothing.
func TestUpdateJSON(t *testing.T) {
	ctx := context.Background()
	svc, err := kyc.New(memory.New(), kyc.Options{})
	if err != nil {
		t.Fatal(err)
	}
	p, err := profile.Decode([]byte(`{"person_type":"natural_person","natural_person":{"name":{"first":"John","last":"Doe"}}}`))
	if err != nil {
		t.Fatal(err)
	}
	created, err := svc.Create(ctx, operator, p)
	if err != nil {
		t.Fatal(err)
	}
	relabel := func(stored []byte) (*profile.Profile, error) {
		if !strings.Contains(string(stored), `"first":"John"`) {
			t.Fatalf("the edit did not get the stored JSON: %s", stored)
		}
		q, err := profile.Decode(stored)
		if err != nil {
			return nil, err
		}
		q.Labels = []string{"vip"}
		return q, nil
	}
	if _, err := svc.UpdateJSON(ctx, operator, created.ID, 2, relabel, kyc.UpdateOptions{}); !errors.Is(err, storage.ErrConflict) {
		t.Fatalf("stale base: %v, want a conflict", err)
	}
	if _, err := svc.UpdateJSON(ctx, watcher, created.ID, 1, relabel, kyc.UpdateOptions{}); !errors.Is(err, kyc.ErrForbidden) {
		t.Fatalf("watcher: %v, want forbidden", err)
	}
	setState := func(stored []byte) (*profile.Profile, error) {
		q, err := profile.Decode(stored)
		if err != nil {
			return nil, err
		}
		q.State = "active"
		return q, nil
	}
	var ro *kyc.ReadOnlyError
	if _, err := svc.UpdateJSON(ctx, operator, created.ID, 1, setState, kyc.UpdateOptions{}); !errors.As(err, &ro) {
		t.Fatalf("a state change: %v, want a read-only error", err)
	}
	for name, move := range map[string]func(*profile.Profile){
		"id":      func(q *profile.Profile) { q.ID = "another" },
		"version": func(q *profile.Profile) { q.Version = 7 },
	} {
		edit := func(stored []byte) (*profile.Profile, error) {
			q, err := profile.Decode(stored)
			if err != nil {
				return nil, err
			}
			move(q)
			return q, nil
		}
		if _, err := svc.UpdateJSON(ctx, operator, created.ID, 1, edit, kyc.UpdateOptions{}); !errors.As(err, &ro) || len(ro.Fields) != 1 || ro.Fields[0] != name {
			t.Fatalf("an edit of the %s: %v, want a read-only error naming it", name, err)
		}
	}
	got, err := svc.UpdateJSON(ctx, operator, created.ID, 1, relabel, kyc.UpdateOptions{Reason: "merge patch"})
	if err != nil {
		t.Fatal(err)
	}
	if got.Version != 2 || len(got.Labels) != 1 || got.Labels[0] != "vip" || got.State != created.State {
		t.Fatalf("updated: version %d labels %v state %q", got.Version, got.Labels, got.State)
	}
}
