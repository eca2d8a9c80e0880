package kyc_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"time"

	"github.com/kycsdk/kyc"
	"github.com/kycsdk/kyc/profile"
	"github.com/kycsdk/kyc/storage/memory"
	"github.com/kycsdk/kyc/workflow"
)

func Example() {
	ctx := context.Background()
	svc, err := kyc.New(memory.New(), kyc.Options{})
	if err != nil {
		log.Fatal(err)
	}
	op := kyc.Operator{Tenant: "acme", User: "maria", Scopes: []string{"tenant_aml_operator"}}

	p, err := profile.Decode([]byte(`{"person_type":"natural_person",
		"natural_person":{"name":{"first":"John","middle":"","last":"Doe"},"is_employee":false}}`))
	if err != nil {
		log.Fatal(err)
	}
	created, err := svc.Create(ctx, op, p)
	if err != nil {
		log.Fatal(err)
	}
	moved, err := svc.Transition(ctx, op, created.ID, "pending")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(moved.Name, moved.State, moved.Version)
	// Output: John Doe pending 2
}

func ExampleService_Transition_refused() {
	ctx := context.Background()
	svc, _ := kyc.New(memory.New(), kyc.Options{})
	op := kyc.Operator{Tenant: "acme", User: "maria"}
	p, _ := svc.Create(ctx, op, &profile.Profile{PersonType: profile.LegalPerson, Name: "Araoz S.R.L."})
	svc.Transition(ctx, op, p.ID, "pending")
	svc.Transition(ctx, op, p.ID, "under_review")

	// The default workflow opens under_review -> active only once the
	// watchlists were checked, the risk assessed and no case is open.
	_, err := svc.Transition(ctx, op, p.ID, "active")
	fmt.Println(errors.Is(err, workflow.ErrConditionFalse))
	fmt.Println(err)
	// Output:
	// true
	// workflow: under_review -> active refused: condition false
}

func ExampleService_Update_reverification() {
	ctx := context.Background()
	svc, _ := kyc.New(memory.New(), kyc.Options{})
	op := kyc.Operator{Tenant: "acme", User: "maria"}
	p, err := svc.Create(ctx, op, &profile.Profile{
		PersonType:    profile.NaturalPerson,
		NaturalPerson: &profile.Natural{Name: profile.Name{First: "Ada", Last: "Lovelace"}, BirthDate: profile.DatePtr(profile.DateOf(1990, time.December, 10))},
	})
	if err != nil {
		log.Fatal(err)
	}
	p.NaturalPerson.BirthDate = profile.DatePtr(profile.DateOf(1990, time.December, 11))

	// A new date of birth needs KYC re-verification (seed 000): refused.
	_, err = svc.Update(ctx, op, p, kyc.UpdateOptions{})
	var re *kyc.ReverificationError
	if errors.As(err, &re) {
		for _, c := range re.Report.Changes {
			fmt.Println(c.Path, c.Kind, c.Reverify)
		}
	}

	// Flagged instead, the change is saved and marked for re-verification.
	flag := kyc.Flag
	saved, err := svc.Update(ctx, op, p, kyc.UpdateOptions{Reverification: &flag})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(saved.Version, saved.PendingReverification)
	// Output:
	// natural_person.birth_date change true
	// 2 [natural_person.birth_date]
}
