package kyc_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/kycsdk/kyc"
	"github.com/kycsdk/kyc/profile"
	"github.com/kycsdk/kyc/riskmatrix"
	"github.com/kycsdk/kyc/storage"
	"github.com/kycsdk/kyc/storage/memory"
)

// Tenant B: the seed's default workflow, the reference digital-profile
// matrix, no catalogues, the default policy.
const tenantBDoc = `{"version": "b-1", "workflow": "default", "reverification": "refuse"}`

func loadTenantDoc(t testing.TB, doc string) *kyc.TenantConfig {
	t.Helper()
	c, err := kyc.LoadTenantConfig([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func entryConfigs(t *testing.T, svc *kyc.Service, op kyc.Operator, id string) []string {
	t.Helper()
	pg, err := svc.History(context.Background(), op, id, storage.HistoryQuery{})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range pg.Entries {
		out = append(out, e.Config)
	}
	return out
}

// Two tenants with different workflows, catalogues, matrices and risk
// levels share one Service and one store; each call applies its tenant's
// rules, a third tenant gets the Service's own Options, and every history
// entry names the configuration it was made under.
func TestTenantsSideBySide(t *testing.T) {
	stores(t, func(t *testing.T, store storage.Store) {
		ctx := context.Background()
		tenants := kyc.NewTenants(kyc.TenantsOptions{})
		tenants.Set("afip", loadTenantFile(t, "testdata/tenants/afip.json"))
		b := loadTenantDoc(t, tenantBDoc)
		b.RiskMatrix = riskmatrix.ReferenceDigitalProfile()
		tenants.Set("beta", b)
		svc := newService(t, store, func(o *kyc.Options) { o.Tenants, o.ConfigVersion = tenants, "house-1" })
		opA := kyc.Operator{Tenant: "afip", User: "ana", Scopes: []string{"tenant_backoffice_supervisor"}}
		opB := kyc.Operator{Tenant: "beta", User: "bob", Scopes: []string{"tenant_backoffice_supervisor"}}
		opC := kyc.Operator{Tenant: "acme", User: "carl", Scopes: []string{"tenant_backoffice_supervisor"}}

		// The catalogue: afip refuses an activity it does not list; beta
		// has no catalogue.
		p := johnDoe(t)
		p.Activities = []profile.Activity{{Code: "999999", Organization: "AFIP", Main: true}}
		if _, err := svc.Create(ctx, opA, p); !hasProblem(err, "activities[0].code") {
			t.Errorf("afip Create with an uncatalogued activity = %v, want a problem at activities[0].code", err)
		}
		pb, err := svc.Create(ctx, opB, p)
		if err != nil {
			t.Fatalf("beta Create: %v", err)
		}
		p.Activities[0].Code = "11501"
		pa, err := svc.Create(ctx, opA, p)
		if err != nil {
			t.Fatalf("afip Create: %v", err)
		}
		pc, err := svc.Create(ctx, opC, johnDoe(t))
		if err != nil {
			t.Fatalf("acme Create: %v", err)
		}

		// The risk levels: severe is afip's (seed 002's client levels),
		// not beta's nor the default's.
		if _, err := svc.InjectRisk(ctx, opA, pa.ID, "severe", "bureau"); err != nil {
			t.Errorf("afip InjectRisk severe: %v", err)
		}
		if _, err := svc.InjectRisk(ctx, opB, pb.ID, "severe", "bureau"); err == nil {
			t.Error("beta InjectRisk severe succeeded: its levels are low, medium, high")
		}

		// The matrix: each assessment names its tenant's matrix; acme
		// has the Service's own (riskmatrix/testdata/example.json).
		for _, c := range []struct {
			op      kyc.Operator
			id, ver string
		}{{opA, pa.ID, "afip-matrix-1"}, {opB, pb.ID, "reference-digital-profile-1"}, {opC, pc.ID, "example-1"}} {
			a, err := svc.AssessRisk(ctx, c.op, c.id)
			if err != nil {
				t.Fatalf("%s AssessRisk: %v", c.op.Tenant, err)
			}
			if a.MatrixVersion != c.ver {
				t.Errorf("%s assessed with matrix %q, want %q", c.op.Tenant, a.MatrixVersion, c.ver)
			}
		}

		// The workflow: afip's maker-and-checker has pending_approval.
		for _, c := range []struct {
			op   kyc.Operator
			id   string
			want bool
		}{{opA, pa.ID, true}, {opB, pb.ID, false}} {
			for _, dest := range []string{"pending", "under_review"} {
				if _, err := svc.Transition(ctx, c.op, c.id, dest); err != nil {
					t.Fatalf("%s Transition %s: %v", c.op.Tenant, dest, err)
				}
			}
			av, err := svc.Transitions(ctx, c.op, c.id)
			if err != nil {
				t.Fatal(err)
			}
			has := slices.Contains(av.Open, "pending_approval")
			if has != c.want {
				t.Errorf("%s: pending_approval offered = %v, want %v", c.op.Tenant, has, c.want)
			}
		}

		// The permissions: afip's watcher may not read comments (its
		// policy grants profiles and history only); acme's default
		// watcher may.
		watchA := kyc.Operator{Tenant: "afip", User: "w", Scopes: []string{"tenant_watcher"}}
		if _, err := svc.Comments(ctx, watchA, pa.ID); !errors.Is(err, kyc.ErrForbidden) {
			t.Errorf("afip watcher Comments = %v, want ErrForbidden", err)
		}
		if _, err := svc.Get(ctx, watchA, pa.ID); err != nil {
			t.Errorf("afip watcher Get: %v", err)
		}

		// The audit trail: every entry names its configuration.
		for _, c := range []struct {
			op   kyc.Operator
			id   string
			want string
		}{{opA, pa.ID, "afip-2026-12"}, {opB, pb.ID, "b-1"}, {opC, pc.ID, "house-1"}} {
			configs := entryConfigs(t, svc, c.op, c.id)
			if len(configs) < 2 || slices.ContainsFunc(configs, func(s string) bool { return s != c.want }) {
				t.Errorf("%s entries' configurations %q, want all %q", c.op.Tenant, configs, c.want)
			}
		}
		for tenant, want := range map[string]string{"afip": "afip-2026-12", "beta": "b-1", "acme": "house-1"} {
			if v, err := svc.ConfigVersion(ctx, tenant); err != nil || v != want {
				t.Errorf("ConfigVersion(%s) = %q, %v, want %q", tenant, v, err, want)
			}
		}
	})
}

func hasProblem(err error, path string) bool {
	var ve *profile.ValidationError
	if !errors.As(err, &ve) {
		return false
	}
	return slices.ContainsFunc(ve.Problems, func(p profile.Problem) bool { return p.Path == path })
}

// Under RefuseUnknown a tenant without a configuration can do nothing and
// changes nothing.
func TestTenantsRefuseUnknown(t *testing.T) {
	ctx := context.Background()
	store := memory.New()
	tenants := kyc.NewTenants(kyc.TenantsOptions{Unknown: kyc.RefuseUnknown})
	tenants.Set("afip", loadTenantFile(t, "testdata/tenants/afip.json"))
	svc := newService(t, store, func(o *kyc.Options) { o.Tenants = tenants })
	stranger := kyc.Operator{Tenant: "nobody", User: "x", Scopes: []string{"tenant_backoffice_supervisor"}}
	if _, err := svc.Create(ctx, stranger, johnDoe(t)); !errors.Is(err, kyc.ErrUnknownTenant) {
		t.Errorf("Create = %v, want ErrUnknownTenant", err)
	}
	if _, err := svc.List(ctx, stranger, storage.Query{}); !errors.Is(err, kyc.ErrUnknownTenant) {
		t.Errorf("List = %v, want ErrUnknownTenant", err)
	}
	if _, err := svc.PlanVerification(ctx, stranger, "x"); !errors.Is(err, kyc.ErrUnknownTenant) {
		t.Errorf("PlanVerification = %v, want ErrUnknownTenant", err)
	}
	if _, err := svc.ConfigVersion(ctx, "nobody"); !errors.Is(err, kyc.ErrUnknownTenant) {
		t.Errorf("ConfigVersion = %v, want ErrUnknownTenant", err)
	}
	pg, err := store.ListProfiles(ctx, "nobody", storage.Query{})
	if err != nil {
		t.Fatal(err)
	}
	if len(pg.Profiles) != 0 {
		t.Errorf("the refused tenant has %d profiles stored", len(pg.Profiles))
	}
	// Once configured, the same tenant works.
	tenants.Set("nobody", loadTenantDoc(t, tenantBDoc))
	if _, err := svc.Create(ctx, stranger, johnDoe(t)); err != nil {
		t.Errorf("Create after Set: %v", err)
	}
}

// The loader is asked once per tenant, even by a burst of first calls;
// its error refuses the call and is asked again next time; nil leaves
// the tenant on the defaults.
func TestTenantsLoader(t *testing.T) {
	ctx := context.Background()
	var calls atomic.Int64
	var fail atomic.Bool
	fail.Store(true)
	tenants := kyc.NewTenants(kyc.TenantsOptions{Load: func(_ context.Context, tenant string) (*kyc.TenantConfig, error) {
		calls.Add(1)
		switch {
		case tenant != "beta":
			return nil, nil
		case fail.Load():
			return nil, errors.New("configuration service down")
		}
		return kyc.LoadTenantConfig([]byte(tenantBDoc))
	}})
	svc := newService(t, memory.New(), func(o *kyc.Options) { o.Tenants = tenants })
	if _, err := svc.ConfigVersion(ctx, "beta"); !errors.Is(err, kyc.ErrNotConfigured) {
		t.Fatalf("ConfigVersion with the loader failing = %v, want ErrNotConfigured", err)
	}
	fail.Store(false)
	calls.Store(0)
	var wg sync.WaitGroup
	for range 16 {
		wg.Go(func() {
			if v, err := svc.ConfigVersion(ctx, "beta"); err != nil || v != "b-1" {
				t.Errorf("ConfigVersion = %q, %v", v, err)
			}
		})
	}
	wg.Wait()
	if n := calls.Load(); n != 1 {
		t.Errorf("the loader was called %d times, want once", n)
	}
	if v, err := svc.ConfigVersion(ctx, "acme"); err != nil || v != "" {
		t.Errorf("a tenant the loader does not know: %q, %v, want the defaults", v, err)
	}
}

// TestTenantsSwap replaces a tenant's configuration while calls run: each
// call applies one configuration whole, and its entry names that one.
// Configuration 1 has the client levels (severe exists), configuration 2
// the default ones: an injected severe succeeds only under 1, and its
// entry must say so.
func TestTenantsSwap(t *testing.T) {
	ctx := context.Background()
	one := loadTenantDoc(t, `{"version": "one", "risk_levels": "client"}`)
	two := loadTenantDoc(t, `{"version": "two", "risk_levels": "digital_profile"}`)
	tenants := kyc.NewTenants(kyc.TenantsOptions{Unknown: kyc.RefuseUnknown})
	tenants.Set("t", one)
	svc := newService(t, memory.New(), func(o *kyc.Options) { o.Tenants = tenants })
	op := kyc.Operator{Tenant: "t", User: "sup", Scopes: []string{"tenant_backoffice_supervisor"}}
	const workers, rounds = 4, 30
	ids := make([]string, workers)
	for i := range ids {
		p, err := svc.Create(ctx, op, johnDoe(t))
		if err != nil {
			t.Fatal(err)
		}
		ids[i] = p.ID
	}
	stop := make(chan struct{})
	var swapper sync.WaitGroup
	swapper.Go(func() {
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			tenants.Set("t", []*kyc.TenantConfig{one, two}[i%2])
		}
	})
	var succeeded, refused atomic.Int64
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for r := range rounds {
				level := []string{"severe", "low"}[r%2]
				_, err := svc.InjectRisk(ctx, op, ids[w], level, "bureau")
				var ve *profile.ValidationError
				switch {
				case err == nil:
					succeeded.Add(1)
				case errors.As(err, &ve) && level == "severe":
					refused.Add(1) // under two
				default:
					t.Errorf("InjectRisk %s: %v", level, err)
				}
			}
		})
	}
	wg.Wait()
	close(stop)
	swapper.Wait()
	if succeeded.Load() == 0 {
		t.Fatal("no call succeeded")
	}
	t.Logf("%d calls succeeded, %d severe injections refused under configuration two", succeeded.Load(), refused.Load())
	for _, id := range ids {
		pg, err := svc.History(ctx, op, id, storage.HistoryQuery{Size: storage.MaxPageSize})
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range pg.Entries {
			if e.Config != "one" && e.Config != "two" {
				t.Errorf("entry %s names configuration %q", e.ID, e.Config)
			}
			for _, c := range e.Changes {
				if len(c.Path) == 1 && c.Path[0] == "risk" && fmt.Sprint(c.New) == "severe" && e.Config != "one" {
					t.Errorf("entry %s injected severe under configuration %q, which has no such level", e.ID, e.Config)
				}
			}
		}
	}
}

// A bad document is refused whole and the tenant keeps its rules.
func TestTenantsSetJSONRefusesWhole(t *testing.T) {
	ctx := context.Background()
	tenants := kyc.NewTenants(kyc.TenantsOptions{})
	if _, err := tenants.SetJSON("t", []byte(tenantBDoc)); err != nil {
		t.Fatal(err)
	}
	svc := newService(t, memory.New(), func(o *kyc.Options) { o.Tenants = tenants })
	_, err := tenants.SetJSON("t", []byte(`{"version": "b-2", "workflow": "default", "end_states": ["closed"]}`))
	if !errors.Is(err, kyc.ErrInvalidConfig) {
		t.Fatalf("SetJSON = %v, want ErrInvalidConfig", err)
	}
	if v, err := svc.ConfigVersion(ctx, "t"); err != nil || v != "b-1" {
		t.Errorf("after a refused document: %q, %v, want b-1", v, err)
	}
	if tenants.Len() != 1 {
		t.Errorf("Len = %d", tenants.Len())
	}
	tenants.Remove("t")
	if v, err := svc.ConfigVersion(ctx, "t"); err != nil || v != "" {
		t.Errorf("after Remove: %q, %v, want the defaults", v, err)
	}
}

// A configuration built in Go that New refuses refuses its tenant's calls
// with ErrNotConfigured, and stores nothing.
func TestTenantsConfigThatDoesNotApply(t *testing.T) {
	ctx := context.Background()
	store := memory.New()
	tenants := kyc.NewTenants(kyc.TenantsOptions{})
	tenants.Set("t", &kyc.TenantConfig{Version: "bad", InitialState: "nowhere"})
	svc := newService(t, store, func(o *kyc.Options) { o.Tenants = tenants })
	op := kyc.Operator{Tenant: "t", User: "u", Scopes: []string{"tenant_backoffice_supervisor"}}
	if _, err := svc.Create(ctx, op, johnDoe(t)); !errors.Is(err, kyc.ErrNotConfigured) {
		t.Errorf("Create = %v, want ErrNotConfigured", err)
	}
	pg, err := store.ListProfiles(ctx, "t", storage.Query{})
	if err != nil {
		t.Fatal(err)
	}
	if len(pg.Profiles) != 0 {
		t.Errorf("%d profiles stored", len(pg.Profiles))
	}
}
