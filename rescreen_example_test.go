package kyc_test

import (
	"context"
	"fmt"

	"github.com/kycsdk/kyc"
	"github.com/kycsdk/kyc/profile"
	"github.com/kycsdk/kyc/storage/memory"
)

// A screening worker after a watchlist update: it walks every profile of
// the tenant in batches and records each run; the cursor of the last
// batch it finished is all it needs to resume after a stop.
func ExampleService_RescreenWalk() {
	ctx := context.Background()
	n := 0
	svc, _ := kyc.New(memory.New(), kyc.Options{IDs: func() string { n++; return fmt.Sprintf("id-%02d", n) }})
	op := kyc.Operator{Tenant: "acme", User: "screener", Scopes: []string{kyc.ScopeAMLOperator}}
	for _, first := range []string{"Ana", "Ben", "Carla"} {
		svc.Create(ctx, op, &profile.Profile{PersonType: profile.NaturalPerson,
			NaturalPerson: &profile.Natural{Name: profile.Name{First: first, Last: "Example"}}})
	}
	cursor := ""
	for {
		b, err := svc.RescreenWalk(ctx, op, cursor, 2)
		if err != nil {
			fmt.Println(err)
			return
		}
		for _, p := range b.Profiles {
			// Screen p against the updated lists here, then record the run.
			if _, err := svc.RecordScreening(ctx, op, p.ID, kyc.Screening{Lists: map[string]profile.ListHit{"sanctioned": {}}}); err != nil {
				fmt.Println(err)
				return
			}
			fmt.Println("screened", p.ID)
		}
		fmt.Printf("%d of %d\n", b.Walked, b.Total)
		if cursor = b.NextCursor; cursor == "" {
			break
		}
	}
	// Output:
	// screened id-01
	// screened id-03
	// 2 of 3
	// screened id-05
	// 3 of 3
}
