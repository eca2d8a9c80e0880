package kyc_test

import (
	"bytes"
	"context"
	"errors"
	"testing"

	"github.com/kycsdk/kyc"
	"github.com/kycsdk/kyc/profile"
	"github.com/kycsdk/kyc/storage"
	"github.com/kycsdk/kyc/storage/memory"
)

// withoutJSONGetter hides a store's JSONGetter, so that GetJSON reads
// through GetRecord.
type withoutJSONGetter struct{ storage.Store }

// recordCounter counts the GetRecord calls of a store that is a
// JSONGetter.
type recordCounter struct {
	*memory.Store
	records int
}

func (s *recordCounter) GetRecord(ctx context.Context, tenant, id string) (storage.Record, error) {
	s.records++
	return s.Store.GetRecord(ctx, tenant, id)
}

// TestGetJSON: GetJSON answers the bytes profile.Encode makes of Get's
// profile, with its version, under Get's permission and with Get's errors,
// after a change too, on stores with and without storage.JSONGetter.
func TestGetJSON(t *testing.T) {
	stores(t, testGetJSON)
	t.Run("without JSONGetter", func(t *testing.T) { testGetJSON(t, withoutJSONGetter{memory.New()}) })
}

func testGetJSON(t *testing.T, store storage.Store) {
	ctx := context.Background()
	svc := newService(t, store)
	p := create(t, svc)
	p.Labels = []string{"vip"}
	if _, err := svc.Update(ctx, operator, p, kyc.UpdateOptions{}); err != nil {
		t.Fatal(err)
	}
	got, version, err := svc.GetJSON(ctx, watcher, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	want, err := svc.Get(ctx, watcher, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	enc, err := profile.Encode(want)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, enc) || version != want.Version || version != 2 {
		t.Fatalf("GetJSON = version %d\n%s\nwant version %d\n%s", version, got, want.Version, enc)
	}

	other := create(t, svc)
	if err := store.DeleteProfile(ctx, operator.Tenant, other.ID, storage.DeleteOptions{Force: true}); err != nil {
		t.Fatal(err)
	}
	refusals := []struct {
		name string
		op   kyc.Operator
		id   string
		want error
	}{
		{"without a scope", kyc.Operator{Tenant: "acme", User: "x"}, p.ID, kyc.ErrForbidden},
		{"without a tenant", kyc.Operator{User: "x", Scopes: watcher.Scopes}, p.ID, kyc.ErrInvalidInput},
		{"from another tenant", kyc.Operator{Tenant: "other", User: "x", Scopes: watcher.Scopes}, p.ID, storage.ErrNotFound},
		{"of a missing profile", watcher, "missing", storage.ErrNotFound},
		{"of a deleted profile", watcher, other.ID, storage.ErrNotFound},
		{"of an empty id", watcher, "", storage.ErrInvalid},
	}
	for _, r := range refusals {
		_, _, err := svc.GetJSON(ctx, r.op, r.id)
		if !errors.Is(err, r.want) {
			t.Errorf("GetJSON %s = %v, want %v", r.name, err, r.want)
		}
		if _, getErr := svc.Get(ctx, r.op, r.id); !errors.Is(getErr, r.want) {
			t.Errorf("Get %s = %v, want %v as GetJSON", r.name, getErr, r.want)
		}
	}
}

// TestGetJSONReadsNoRecord: on a store that is a storage.JSONGetter,
// GetJSON reads the JSON alone, never the decoded record.
func TestGetJSONReadsNoRecord(t *testing.T) {
	store := &recordCounter{Store: memory.New()}
	svc := newService(t, store)
	p := create(t, svc)
	store.records = 0
	if _, _, err := svc.GetJSON(context.Background(), watcher, p.ID); err != nil {
		t.Fatal(err)
	}
	if store.records != 0 {
		t.Errorf("GetJSON read %d records; want none, through the store's GetJSON", store.records)
	}
}
