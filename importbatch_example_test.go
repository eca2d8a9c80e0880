package kyc_test

import (
	"context"
	"fmt"
	"log"
	"time"

	"github.com/kycsdk/kyc"
	"github.com/kycsdk/kyc/profile"
	"github.com/kycsdk/kyc/storage/memory"
)

func ExampleService_ImportBatch() {
	ctx := context.Background()
	svc, err := kyc.New(memory.New(), kyc.Options{})
	if err != nil {
		log.Fatal(err)
	}
	chief := kyc.Operator{Tenant: "acme", User: "jose", Scopes: []string{kyc.ScopeSupervisor}}
	person := func(ref, state string) *profile.Profile {
		return &profile.Profile{
			ExternalRef:   ref,
			PersonType:    profile.NaturalPerson,
			State:         state,
			NaturalPerson: &profile.Natural{Name: profile.Name{First: "Ada", Last: "Lovelace"}, BirthDate: profile.DatePtr(profile.DateOf(1990, time.December, 10))},
		}
	}
	// Three customers of the previous system: one in a state the workflow
	// does not have, one named twice.
	report, err := svc.ImportBatch(ctx, chief, []*profile.Profile{
		person("crm-1", "active"), person("crm-2", "dormant"), person("crm-1", "active"),
	}, kyc.ImportOptions{Source: "legacy core banking"})
	if err != nil {
		log.Fatal(err)
	}
	for _, r := range report.Results {
		fmt.Println(r.Index, r.Outcome, r.Problems)
	}
	fmt.Println(report.Imported, report.Refused, report.Duplicates)
	// Output:
	// 0 imported []
	// 1 refused [state: is not a state of the workflow]
	// 2 duplicate_external_ref []
	// 1 1 1
}
