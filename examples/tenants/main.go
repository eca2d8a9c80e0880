// Command tenants serves two tenants with different rules from one
// Service over one store: each tenant's configuration is a JSON document
// (testdata/), loaded and checked whole, and every call applies the rules
// of its operator's tenant. The history records which configuration each
// change was made under; a bad configuration is refused with every
// problem named by its JSON path.
package main

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"log"

	"github.com/kycsdk/kyc"
	"github.com/kycsdk/kyc/profile"
	"github.com/kycsdk/kyc/storage"
	"github.com/kycsdk/kyc/storage/memory"
)

//go:embed testdata/*.json
var configs embed.FS

func main() {
	if err := run(context.Background()); err != nil {
		log.Fatal(err)
	}
}

func run(ctx context.Context) error {
	tenants := kyc.NewTenants(kyc.TenantsOptions{Unknown: kyc.RefuseUnknown})
	for _, name := range []string{"north", "south"} {
		doc, err := configs.ReadFile("testdata/" + name + ".json")
		if err != nil {
			return err
		}
		c, err := kyc.LoadTenantConfig(doc)
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		tenants.Set(name, c)
	}
	svc, err := kyc.New(memory.New(), kyc.Options{Tenants: tenants})
	if err != nil {
		return err
	}
	north := kyc.Operator{Tenant: "north", User: "nina", Scopes: []string{"tenant_backoffice_supervisor"}}
	south := kyc.Operator{Tenant: "south", User: "sol", Scopes: []string{"tenant_backoffice_supervisor"}}

	p := &profile.Profile{
		PersonType: profile.LegalPerson,
		Name:       "Algodonera del Norte SA",
		Activities: []profile.Activity{{Code: "11501", Organization: "AFIP", Main: true}},
	}
	pn, err := svc.Create(ctx, north, p)
	if err != nil {
		return err
	}
	fmt.Println("north: created with a catalogued activity")

	p.Activities[0].Code = "999999"
	if _, err := svc.Create(ctx, north, p); err != nil {
		fmt.Println("north: refused:", err)
	}
	ps, err := svc.Create(ctx, south, p)
	if err != nil {
		return err
	}
	fmt.Println("south: created (south keeps no catalogue)")

	if _, err := svc.InjectRisk(ctx, south, ps.ID, "severe", "credit bureau"); err != nil {
		return err
	}
	fmt.Println("south: risk severe injected (seed 002's client levels)")
	if _, err := svc.InjectRisk(ctx, north, pn.ID, "severe", "credit bureau"); err != nil {
		var ve *profile.ValidationError
		if !errors.As(err, &ve) {
			return err
		}
		fmt.Println("north: severe refused (low, medium, high only)")
	}
	for _, c := range []struct {
		op kyc.Operator
		id string
	}{{north, pn.ID}, {south, ps.ID}} {
		pg, err := svc.History(ctx, c.op, c.id, storage.HistoryQuery{})
		if err != nil {
			return err
		}
		for _, e := range pg.Entries {
			fmt.Printf("%s: history version %d made under configuration %s\n", c.op.Tenant, e.Version, e.Config)
		}
	}

	stranger := kyc.Operator{Tenant: "west", User: "wes", Scopes: []string{"tenant_backoffice_supervisor"}}
	if _, err := svc.Create(ctx, stranger, p); errors.Is(err, kyc.ErrUnknownTenant) {
		fmt.Println("west: refused, no configuration")
	}

	_, err = kyc.LoadTenantConfig([]byte(`{"workflow": "makerchecker", "risk_levels": ["low", "low"], "activities": [{"description": "no code"}]}`))
	fmt.Println("a bad configuration:", err)
	return nil
}
