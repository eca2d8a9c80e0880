package kyc_test

import (
	"context"
	"fmt"
	"log"

	"github.com/kycsdk/kyc"
	"github.com/kycsdk/kyc/profile"
	"github.com/kycsdk/kyc/storage/memory"
)

// A reader of the change feed continues after the last position it
// handled; events say what changed and where, never to what.
func ExampleService_Changes() {
	ctx := context.Background()
	svc, err := kyc.New(memory.New(), kyc.Options{})
	if err != nil {
		log.Fatal(err)
	}
	op := kyc.Operator{Tenant: "acme", User: "maria", Scopes: []string{kyc.ScopeAMLOperator}}
	p, err := svc.Create(ctx, op, &profile.Profile{PersonType: profile.LegalPerson, Name: "Araoz S.R.L."})
	if err != nil {
		log.Fatal(err)
	}
	if _, err := svc.Transition(ctx, op, p.ID, "pending"); err != nil {
		log.Fatal(err)
	}
	var last int64
	for {
		events, err := svc.Changes(ctx, op, last, 100)
		if err != nil {
			log.Fatal(err)
		}
		if len(events) == 0 {
			break
		}
		for _, ev := range events {
			fmt.Println(ev.Position, ev.Kind, ev.Version, ev.User, len(ev.Paths) > 0)
			last = ev.Position
		}
	}
	// Output:
	// 1 created 1 maria true
	// 2 state_changed 2 maria true
}
