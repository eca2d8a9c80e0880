package kyc_test

import (
	"context"
	"fmt"

	"github.com/kycsdk/kyc"
	"github.com/kycsdk/kyc/storage/memory"
)

// A configuration with problems is refused whole, each problem named by
// its JSON path.
func ExampleLoadTenantConfig() {
	_, err := kyc.LoadTenantConfig([]byte(`{
		"workflow": "maker_checker",
		"initial_state": "draft",
		"taxes": [{"code": "20", "organization": "AFIP"}, {"code": ""}],
		"reverification": "warn"
	}`))
	fmt.Println(err)
	c, err := kyc.LoadTenantConfig([]byte(`{"version": "2026-12", "workflow": "maker_checker", "risk_levels": "client"}`))
	fmt.Println(c.Version, c.RiskLevels, err)
	// Output:
	// kyc: invalid configuration: 3 problems: initial_state: "draft" is not a state of the workflow; taxes[1].code: must be a non-empty code without control characters or surrounding white space; reverification: must be "refuse" or "flag"
	// 2026-12 [low medium high severe] <nil>
}

// One Service, two tenants: each call applies its operator's tenant's
// configuration; a tenant without one is refused.
func ExampleNewTenants() {
	ctx := context.Background()
	tenants := kyc.NewTenants(kyc.TenantsOptions{Unknown: kyc.RefuseUnknown})
	for tenant, doc := range map[string]string{
		"north": `{"version": "north-1"}`,
		"south": `{"version": "south-1", "workflow": "maker_checker"}`,
	} {
		c, err := kyc.LoadTenantConfig([]byte(doc))
		if err != nil {
			panic(err)
		}
		tenants.Set(tenant, c)
	}
	svc, err := kyc.New(memory.New(), kyc.Options{Tenants: tenants})
	if err != nil {
		panic(err)
	}
	for _, tenant := range []string{"north", "south", "west"} {
		v, err := svc.ConfigVersion(ctx, tenant)
		fmt.Printf("%s: %q %v\n", tenant, v, err)
	}
	// Output:
	// north: "north-1" <nil>
	// south: "south-1" <nil>
	// west: "" kyc: tenant has no configuration
}
