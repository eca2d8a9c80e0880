package kyc_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/kycsdk/kyc"
	"github.com/kycsdk/kyc/storage"
	"github.com/kycsdk/kyc/storage/memory"
)

// TestExpect: under Expect(n) a fact write applies to version n only; on
// another version it fails with storage.ErrConflict and stores nothing,
// and of writers racing on the same expected version exactly one wins.
func TestExpect(t *testing.T) {
	stores(t, func(t *testing.T, store storage.Store) {
		ctx := context.Background()
		svc := newService(t, store)
		p := create(t, svc)
		if _, err := svc.Expect(p.Version).OpenCase(ctx, supervisor, p.ID, "alert 1"); err != nil {
			t.Fatalf("OpenCase on the expected version: %v", err)
		}
		stale := svc.Expect(p.Version)
		writes := map[string]func() error{
			"InjectRisk": func() error { _, err := stale.InjectRisk(ctx, supervisor, p.ID, "high", "bureau"); return err },
			"CloseCase":  func() error { _, err := stale.CloseCase(ctx, supervisor, p.ID, "alert 1 closed"); return err },
			"Transition": func() error { _, err := stale.Transition(ctx, supervisor, p.ID, "pending"); return err },
			"AssessRisk": func() error { _, err := stale.AssessRisk(ctx, supervisor, p.ID); return err },
			"Delete": func() error {
				return stale.Delete(ctx, supervisor, p.ID, kyc.DeleteOptions{Force: true, Reason: "erasure request"})
			},
		}
		for name, write := range writes {
			if err := write(); !errors.Is(err, storage.ErrConflict) {
				t.Errorf("%s on a moved version = %v, want storage.ErrConflict", name, err)
			}
		}
		assertVersion(t, svc, p.ID, 2, 2)

		// Racing writers that all read version 2: the store's optimistic
		// check lets one through.
		const writers = 8
		var wg sync.WaitGroup
		errs := make([]error, writers)
		for i := range writers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errs[i] = svc.Expect(2).InjectRisk(ctx, supervisor, p.ID, "high", fmt.Sprintf("bureau %d", i))
			}()
		}
		wg.Wait()
		won := 0
		for _, err := range errs {
			switch {
			case err == nil:
				won++
			case !errors.Is(err, storage.ErrConflict):
				t.Fatalf("a racing write failed with %v", err)
			}
		}
		if won != 1 {
			t.Fatalf("%d racing writes won, want 1", won)
		}
		assertVersion(t, svc, p.ID, 3, 3)

		// Without Expect the write applies to whatever is stored.
		if _, err := svc.InjectRisk(ctx, supervisor, p.ID, "low", "bureau"); err != nil {
			t.Fatal(err)
		}
	})
}

// TestExpectTenant: the expectation survives the switch to a tenant's own
// Service.
func TestExpectTenant(t *testing.T) {
	ctx := context.Background()
	tenants := kyc.NewTenants(kyc.TenantsOptions{})
	tenants.Set("beta", loadTenantDoc(t, tenantBDoc))
	svc := newService(t, memory.New(), func(o *kyc.Options) { o.Tenants = tenants })
	opB := kyc.Operator{Tenant: "beta", User: "bob", Scopes: []string{"tenant_backoffice_supervisor"}}
	p, err := svc.Create(ctx, opB, johnDoe(t))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Expect(p.Version+1).OpenCase(ctx, opB, p.ID, "alert"); !errors.Is(err, storage.ErrConflict) {
		t.Fatalf("a tenant's OpenCase on a moved version = %v, want storage.ErrConflict", err)
	}
	if _, err := svc.Expect(p.Version).OpenCase(ctx, opB, p.ID, "alert"); err != nil {
		t.Fatal(err)
	}
}

// assertVersion checks the stored version and the number of history
// entries of id.
func assertVersion(t *testing.T, svc *kyc.Service, id string, version, entries int) {
	t.Helper()
	got, err := svc.Get(context.Background(), supervisor, id)
	if err != nil {
		t.Fatal(err)
	}
	h, err := svc.History(context.Background(), supervisor, id, storage.HistoryQuery{})
	if err != nil {
		t.Fatal(err)
	}
	if got.Version != version || len(h.Entries) != entries {
		t.Fatalf("version %d with %d history entries, want %d and %d", got.Version, len(h.Entries), version, entries)
	}
}
