// Command ownership prints the beneficial owners of a three-level group
// with every path that makes each one an owner (EU AMLR 2024/1624 Art. 52:
// multiply along each chain, add the chains, 25% or more), its control
// persons, and the legal persons whose review a change to one owner
// triggers.
//
// Shares are recorded on the relations of seed 003 (3.1.7), in each
// relation's key-value information: {"ownership": {"capital": {"exact":
// 60}}} for a known figure, {"minimum": 25, "maximum": 50} for a register's
// band.
package main

import (
	"context"
	"fmt"
	"log"
	"strings"

	"github.com/kycsdk/kyc"
	"github.com/kycsdk/kyc/profile"
	"github.com/kycsdk/kyc/profile/ownership"
	"github.com/kycsdk/kyc/storage/memory"
)

func main() {
	if err := run(context.Background()); err != nil {
		log.Fatal(err)
	}
}

func exact(pct float64) profile.Object {
	return profile.Object{"ownership": map[string]any{"capital": map[string]any{"exact": pct}}}
}

func band(lo, hi float64) profile.Object {
	return profile.Object{"ownership": map[string]any{"capital": map[string]any{"minimum": lo, "maximum": hi}}}
}

func run(ctx context.Context) error {
	svc, err := kyc.New(memory.New(), kyc.Options{})
	if err != nil {
		return err
	}
	op := kyc.Operator{Tenant: "acme", User: "maria", Scopes: []string{kyc.ScopeAMLOperator}}
	// ids maps each profile's short name to its id; the explanation names
	// profiles by id only (no personal data), the program prints names.
	ids := map[string]string{}
	var names []string
	create := func(name string, p *profile.Profile) error {
		got, err := svc.Create(ctx, op, p)
		if err != nil {
			return err
		}
		ids[name] = got.ID
		names = append(names, got.ID, name)
		return nil
	}
	for _, first := range []string{"ana", "ben", "carla", "dora"} {
		if err := create(first, &profile.Profile{PersonType: profile.NaturalPerson,
			NaturalPerson: &profile.Natural{Name: profile.Name{First: first, Last: "Example"}}}); err != nil {
			return err
		}
	}
	rel := func(name string, extra profile.Object) profile.Relation {
		return profile.Relation{ProfileID: ids[name], Relationship: profile.RelationBusinessPartner, Extra: extra}
	}
	// Level 3: holding is held by ana (50%) and ben (a 25-50% band).
	if err := create("holding", &profile.Profile{PersonType: profile.LegalPerson, Name: "Holding SA",
		Relations: []profile.Relation{rel("ana", exact(50)), rel("ben", band(25, 50))}}); err != nil {
		return err
	}
	// Level 2: opco is held 80% by holding and 20% by carla.
	if err := create("opco", &profile.Profile{PersonType: profile.LegalPerson, Name: "Opco SRL",
		Relations: []profile.Relation{rel("holding", exact(80)), rel("carla", exact(20))}}); err != nil {
		return err
	}
	// Level 1: group is held 75% by opco and 25% by ana; dora manages it.
	if err := create("group", &profile.Profile{PersonType: profile.LegalPerson, Name: "Group SA",
		Relations: []profile.Relation{rel("opco", exact(75)), rel("ana", exact(25)),
			{ProfileID: ids["dora"], Relationship: profile.RelationLegalRepresentative}}}); err != nil {
		return err
	}

	named := strings.NewReplacer(names...)
	r, err := svc.BeneficialOwners(ctx, op, ids["group"], ownership.Options{})
	if err != nil {
		return err
	}
	fmt.Print(named.Replace(r.Explain()))

	im, err := svc.OwnershipReviews(ctx, op, ids["ben"], ownership.Options{})
	if err != nil {
		return err
	}
	fmt.Println(named.Replace("A change to ben triggers the review of: " + strings.Join(im.IDs(), ", ")))
	return nil
}
