package kyc_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"time"

	"github.com/kycsdk/kyc"
	"github.com/kycsdk/kyc/profile"
	"github.com/kycsdk/kyc/storage"
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
	op := kyc.Operator{Tenant: "acme", User: "maria", Scopes: []string{kyc.ScopeAMLOperator}}
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
	op := kyc.Operator{Tenant: "acme", User: "maria", Scopes: []string{kyc.ScopeAMLOperator}}
	chief := kyc.Operator{Tenant: "acme", User: "jose", Scopes: []string{kyc.ScopeSupervisor}}
	// A verified customer, brought in from the previous system.
	p, err := svc.Import(ctx, chief, &profile.Profile{
		PersonType:    profile.NaturalPerson,
		State:         "active",
		NaturalPerson: &profile.Natural{Name: profile.Name{First: "Ada", Last: "Lovelace"}, BirthDate: profile.DatePtr(profile.DateOf(1990, time.December, 10))},
	}, kyc.ImportOptions{Source: "legacy core banking"})
	if err != nil {
		log.Fatal(err)
	}
	p.NaturalPerson.BirthDate = profile.DatePtr(profile.DateOf(1990, time.December, 11))

	// A new date of birth of a verified customer needs KYC
	// re-verification (seed 000): refused.
	_, err = svc.Update(ctx, op, p, kyc.UpdateOptions{})
	var re *kyc.ReverificationError
	if errors.As(err, &re) {
		for _, c := range re.Report.Changes {
			fmt.Println(c.Path, c.Kind, c.Reverify)
		}
	}

	// A supervisor may save it flagged instead: the change is marked for
	// re-verification.
	flag := kyc.Flag
	saved, err := svc.Update(ctx, chief, p, kyc.UpdateOptions{Reverification: &flag})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(saved.Version, saved.PendingReverification)
	// Output:
	// natural_person.birth_date change true
	// 2 [natural_person.birth_date]
}

func ExampleService_RecordScreening() {
	ctx := context.Background()
	svc, _ := kyc.New(memory.New(), kyc.Options{})
	op := kyc.Operator{Tenant: "acme", User: "maria", Scopes: []string{kyc.ScopeAMLOperator}}
	p, _ := svc.Create(ctx, op, &profile.Profile{PersonType: profile.LegalPerson, Name: "Araoz S.R.L."})

	// The screening provider found the company on a sanctions list and
	// the analyst confirmed the match.
	p, err := svc.RecordScreening(ctx, op, p.ID, kyc.Screening{Lists: map[string]profile.ListHit{
		"sanctioned": {Hit: true, Confirmed: true},
		"pep":        {},
	}})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(p.BlacklistFound["sanctioned"], p.BlacklistsCheckedAt != 0)

	// An Update cannot remove the hit: screening results are facts.
	delete(p.BlacklistFound, "sanctioned")
	_, err = svc.Update(ctx, op, p, kyc.UpdateOptions{})
	fmt.Println(err)
	// Output:
	// {true true} true
	// kyc: read-only field(s), changed only through their operations: blacklist_found
}

func ExampleService_OpenCase() {
	ctx := context.Background()
	svc, _ := kyc.New(memory.New(), kyc.Options{})
	op := kyc.Operator{Tenant: "acme", User: "maria", Scopes: []string{kyc.ScopeAMLOperator}}
	p, _ := svc.Create(ctx, op, &profile.Profile{PersonType: profile.LegalPerson, Name: "Araoz S.R.L."})

	p, _ = svc.OpenCase(ctx, op, p.ID, "alert 4711: structuring pattern")
	fmt.Println(p.OpenCases)
	p, _ = svc.CloseCase(ctx, op, p.ID, "alert 4711 closed: explained by payroll")
	fmt.Println(p.OpenCases)
	_, err := svc.CloseCase(ctx, op, p.ID, "again")
	fmt.Println(err)
	// Output:
	// 1
	// 0
	// kyc: no open case
}

func ExampleService_InjectRisk() {
	ctx := context.Background()
	svc, _ := kyc.New(memory.New(), kyc.Options{})
	op := kyc.Operator{Tenant: "acme", User: "maria", Scopes: []string{kyc.ScopeAMLOperator}}
	bureau := kyc.Operator{Tenant: "acme", User: "risk-engine", Scopes: []string{kyc.ScopeSupervisor}}
	p, _ := svc.Create(ctx, op, &profile.Profile{PersonType: profile.LegalPerson, Name: "Araoz S.R.L."})

	// Risk set by an outside system is recorded as injected, with its
	// source, under a permission of its own.
	p, err := svc.InjectRisk(ctx, bureau, p.ID, "high", "group risk engine")
	if err != nil {
		log.Fatal(err)
	}
	h, _ := svc.History(ctx, op, p.ID, storage.HistoryQuery{NewestFirst: true, Size: 1})
	fmt.Println(p.Risk, h.Entries[0].CreatedBy, "-", h.Entries[0].Reason)
	// Output: high risk-engine - risk injected: high (source: group risk engine)
}

func ExampleForbiddenError() {
	ctx := context.Background()
	svc, _ := kyc.New(memory.New(), kyc.Options{})
	auditor := kyc.Operator{Tenant: "acme", User: "ines", Scopes: []string{kyc.ScopeWatcher}}

	// A watcher reads everything and writes nothing; the refusal comes
	// before any I/O and names the operation and the permission.
	_, err := svc.Create(ctx, auditor, &profile.Profile{PersonType: profile.LegalPerson, Name: "Araoz S.R.L."})
	fmt.Println(errors.Is(err, kyc.ErrForbidden))
	fmt.Println(err)
	// Output:
	// true
	// kyc: forbidden: create needs dprofile_profile:write
}
