package kyc_test

import (
	"bytes"
	"context"
	"errors"
	"testing"

	"github.com/kycsdk/kyc"
	"github.com/kycsdk/kyc/profile"
	"github.com/kycsdk/kyc/storage"
)

// TestGetJSON: GetJSON answers the bytes profile.Encode makes of Get's
// profile, with its version, under Get's permission, after a change too.
func TestGetJSON(t *testing.T) {
	stores(t, func(t *testing.T, store storage.Store) {
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
		nobody := kyc.Operator{Tenant: "acme", User: "x"}
		if _, _, err := svc.GetJSON(ctx, nobody, p.ID); !errors.Is(err, kyc.ErrForbidden) {
			t.Fatalf("GetJSON without a scope = %v", err)
		}
		if _, _, err := svc.GetJSON(ctx, kyc.Operator{Tenant: "other", User: "x", Scopes: watcher.Scopes}, p.ID); !errors.Is(err, storage.ErrNotFound) {
			t.Fatalf("GetJSON from another tenant = %v", err)
		}
	})
}
