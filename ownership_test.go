package kyc_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kycsdk/kyc"
	"github.com/kycsdk/kyc/profile"
	"github.com/kycsdk/kyc/profile/ownership"
	"github.com/kycsdk/kyc/riskmatrix"
	"github.com/kycsdk/kyc/storage"
	"github.com/kycsdk/kyc/storage/memory"
	"github.com/kycsdk/kyc/storage/sqlstore"
)

func held(id string, pct float64) profile.Relation {
	return profile.Relation{ProfileID: id, Relationship: profile.RelationBusinessPartner,
		Extra: profile.Object{"ownership": map[string]any{"capital": map[string]any{"exact": pct}}}}
}

// group creates a three-level group through the service: top is held 60%
// by mid and 40% by carla; mid 50% by ana and 50% by sub; sub 100% by ben.
func group(t *testing.T, svc *kyc.Service, op kyc.Operator) map[string]string {
	t.Helper()
	ctx := context.Background()
	ids := map[string]string{}
	person := func(name string, pep bool) {
		p := &profile.Profile{PersonType: profile.NaturalPerson,
			NaturalPerson: &profile.Natural{Name: profile.Name{First: name, Last: "Test"}},
			Declaration:   &profile.Declaration{PEP: &pep}}
		got, err := svc.Create(ctx, op, p)
		if err != nil {
			t.Fatalf("create %s: %v", name, err)
		}
		ids[name] = got.ID
	}
	company := func(name string, rels ...profile.Relation) {
		got, err := svc.Create(ctx, op, &profile.Profile{PersonType: profile.LegalPerson, Name: name, Relations: rels})
		if err != nil {
			t.Fatalf("create %s: %v", name, err)
		}
		ids[name] = got.ID
	}
	person("ana", false)
	person("ben", true)
	person("carla", false)
	company("sub", held(ids["ben"], 100))
	company("mid", held(ids["ana"], 50), held(ids["sub"], 50))
	company("top", held(ids["mid"], 60), held(ids["carla"], 40))
	return ids
}

func TestServiceBeneficialOwners(t *testing.T) {
	stores := map[string]func(t *testing.T) storage.Store{
		"memory": func(t *testing.T) storage.Store { return memory.New() },
		"sqlite": func(t *testing.T) storage.Store {
			s, err := sqlstore.OpenSQLite(context.Background(), filepath.Join(t.TempDir(), "kyc.db"))
			if err != nil {
				t.Fatal(err)
			}
			return s
		},
	}
	for name, open := range stores {
		t.Run(name, func(t *testing.T) {
			st := open(t)
			defer st.Close()
			svc, err := kyc.New(st, kyc.Options{})
			if err != nil {
				t.Fatal(err)
			}
			op := kyc.Operator{Tenant: "acme", User: "maria", Scopes: []string{kyc.ScopeAMLOperator}}
			ids := group(t, svc, op)
			ctx := context.Background()

			r, in, err := svc.OwnershipRisk(ctx, op, ids["top"], ownership.Options{})
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]string{}
			for _, o := range r.Owners {
				got[o.ProfileID] = o.Capital.String()
			}
			want := map[string]string{ids["ana"]: "30%", ids["ben"]: "30%", ids["carla"]: "40%"}
			if len(got) != len(want) {
				t.Fatalf("owners = %v, want %v\n%s", got, want, r.Explain())
			}
			for id, w := range want {
				if got[id] != w {
					t.Errorf("owner %s holds %s, want %s", id, got[id], w)
				}
			}
			if !in.PEPOwner || in.SanctionedOwner || in.ChainDepth != 3 || in.Blocked != ownership.Below {
				t.Errorf("risk inputs = %+v", in)
			}

			im, err := svc.OwnershipReviews(ctx, op, ids["ben"], ownership.Options{})
			if err != nil {
				t.Fatal(err)
			}
			wantIDs := []string{ids["sub"], ids["mid"], ids["top"]}
			if strings.Join(im.IDs(), ",") != strings.Join(wantIDs, ",") {
				t.Errorf("reviews for ben = %v, want %v", im.IDs(), wantIDs)
			}

			// The inputs scored by a matrix.
			m, err := riskmatrix.Load([]byte(`{"version": "ownership-1", "unknown_score": 50, "levels": "digital_profile", "aggregation": "maximum",
				"thresholds": [{"level": "medium", "from": 25}, {"level": "high", "from": 50}],
				"factors": [{"id": "pep_owner", "kind": "profile_path", "weight": 1,
					"path": "metadata.kyc_ownership.pep_owner", "scores": {"true": 60, "false": 0}}]}`))
			if err != nil {
				t.Fatal(err)
			}
			top, err := svc.Get(ctx, op, ids["top"])
			if err != nil {
				t.Fatal(err)
			}
			if a := m.Assess(kyc.WithOwnershipInputs(top, in), time.Now()); a.Level != "high" {
				t.Errorf("level = %s, want high: %s", a.Level, a.Explain())
			}
			if top.Metadata[kyc.OwnershipMetadataKey] != nil {
				t.Error("WithOwnershipInputs changed the profile")
			}
		})
	}
}

func ExampleService_BeneficialOwners() {
	ctx := context.Background()
	n := 0
	svc, _ := kyc.New(memory.New(), kyc.Options{IDs: func() string { n++; return fmt.Sprintf("id-%02d", n) }})
	op := kyc.Operator{Tenant: "acme", User: "maria", Scopes: []string{kyc.ScopeAMLOperator}}
	ana, _ := svc.Create(ctx, op, &profile.Profile{PersonType: profile.NaturalPerson,
		NaturalPerson: &profile.Natural{Name: profile.Name{First: "Ana", Last: "Example"}}})
	holding, _ := svc.Create(ctx, op, &profile.Profile{PersonType: profile.LegalPerson, Name: "Holding SA",
		Relations: []profile.Relation{held(ana.ID, 50)}})
	group, _ := svc.Create(ctx, op, &profile.Profile{PersonType: profile.LegalPerson, Name: "Group SA",
		Relations: []profile.Relation{held(holding.ID, 60)}})

	r, err := svc.BeneficialOwners(ctx, op, group.ID, ownership.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("ana", ana.ID, "holding", holding.ID, "group", group.ID)
	fmt.Print(r.Explain())
	// Output:
	// ana id-01 holding id-03 group id-05
	// Beneficial owners of id-05 (threshold 25% of capital or votes):
	//   id-01 is a beneficial owner: capital 30%, votes 30%
	//     id-05 <- id-03 60% <- id-01 50% = 30%
}

// TestOwnershipFactsValidatedOnWrite: Create and Update refuse a relation
// whose ownership facts are out of range, with the path of the bad value.
func TestOwnershipFactsValidatedOnWrite(t *testing.T) {
	ctx := context.Background()
	svc := newService(t, memory.New())
	owner := create(t, svc)
	company := &profile.Profile{PersonType: profile.LegalPerson, Name: "Araoz S.R.L.", LegalPerson: &profile.Legal{},
		Relations: []profile.Relation{{ProfileID: owner.ID, Relationship: profile.RelationBusinessPartner,
			Extra: profile.Object{"ownership": map[string]any{"capital": map[string]any{"exact": json.Number("130")}}}}}}
	_, err := svc.Create(ctx, operator, company)
	var ve *profile.ValidationError
	if !errors.As(err, &ve) || len(ve.Problems) == 0 || !strings.HasPrefix(ve.Problems[0].Path, "relations[0].extra.ownership.capital") {
		t.Fatalf("Create with a 130%% share = %v, want a problem under relations[0].extra.ownership.capital", err)
	}
	company.Relations[0].Extra = profile.Object{"ownership": map[string]any{"capital": map[string]any{"exact": json.Number("30")}}}
	created, err := svc.Create(ctx, operator, company)
	if err != nil {
		t.Fatal(err)
	}
	created.Relations[0].Extra = profile.Object{"ownership": map[string]any{"capital": map[string]any{"exact": json.Number("-5")}}}
	if _, err := svc.Update(ctx, operator, created, kyc.UpdateOptions{}); !errors.As(err, &ve) {
		t.Fatalf("Update with a negative share = %v, want a validation error", err)
	}
}

// TestTenantOwnershipTypes: a tenant's configuration says what its own
// relation types carry, and only that tenant's walk counts them.
func TestTenantOwnershipTypes(t *testing.T) {
	ctx := context.Background()
	withShares, err := kyc.LoadTenantConfig([]byte(`{"relation_types": ["shareholder", "supplier"],
		"ownership": {"shareholder": {"ownership": true}}}`))
	if err != nil {
		t.Fatal(err)
	}
	plain, err := kyc.LoadTenantConfig([]byte(`{"relation_types": ["shareholder"]}`))
	if err != nil {
		t.Fatal(err)
	}
	tenants := kyc.NewTenants(kyc.TenantsOptions{})
	tenants.Set("shares", withShares)
	tenants.Set("plain", plain)
	svc, err := kyc.New(memory.New(), kyc.Options{Tenants: tenants})
	if err != nil {
		t.Fatal(err)
	}
	company := func(tenant string) (*profile.Profile, kyc.Operator, error) {
		op := kyc.Operator{Tenant: tenant, User: "maria", Scopes: []string{kyc.ScopeAMLOperator}}
		ana, err := svc.Create(ctx, op, &profile.Profile{PersonType: profile.NaturalPerson,
			NaturalPerson: &profile.Natural{Name: profile.Name{First: "Ana", Last: "Test"}}})
		if err != nil {
			t.Fatal(err)
		}
		rel := held(ana.ID, 80)
		rel.Relationship = "shareholder"
		co, err := svc.Create(ctx, op, &profile.Profile{PersonType: profile.LegalPerson, Name: "Co", Relations: []profile.Relation{rel}})
		return co, op, err
	}
	co, op, err := company("shares")
	if err != nil {
		t.Fatalf("a share held through the tenant's shareholder type: %v", err)
	}
	r, err := svc.BeneficialOwners(ctx, op, co.ID, ownership.Options{})
	if err != nil || len(r.Owners) != 1 || r.Owners[0].Capital.String() != "80%" {
		t.Fatalf("owners through the tenant's shareholder type = %+v, %v; want the 80%% holder", r, err)
	}
	// Where the type carries nothing, a share recorded on it is refused
	// rather than stored and then ignored by the walk.
	var ve *profile.ValidationError
	if _, _, err := company("plain"); !errors.As(err, &ve) || !strings.HasPrefix(ve.Problems[0].Path, "relations[0].extra.ownership") {
		t.Errorf("a share on a type that carries nothing in this tenant: %v, want a problem at relations[0].extra.ownership", err)
	}
	if !withShares.Ownership.Carries(profile.RelationBusinessPartner).Ownership {
		t.Error("the tenant's entries replaced the defaults instead of adding to them")
	}
}
