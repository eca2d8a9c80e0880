// Command makerchecker runs the maker-and-checker workflow of the reference
// model (seed 003, 3.3.2): an operator (the maker) prepares a profile and
// sends it for approval; only a supervisor (the checker) may approve it,
// and never one who took part in the work (four eyes, read from the
// history).
package main

import (
	"context"
	"errors"
	"fmt"
	"log"

	"github.com/kycsdk/kyc"
	"github.com/kycsdk/kyc/profile"
	"github.com/kycsdk/kyc/storage/memory"
	"github.com/kycsdk/kyc/workflow"
)

func main() {
	if err := run(context.Background()); err != nil {
		log.Fatal(err)
	}
}

func run(ctx context.Context) error {
	wf := workflow.MakerChecker()
	svc, err := kyc.New(memory.New(), kyc.Options{Workflow: wf})
	if err != nil {
		return err
	}
	maker := kyc.Operator{Tenant: "acme", User: "olivia", Scopes: []string{"tenant_aml_operator"}}
	checker := kyc.Operator{Tenant: "acme", User: "sam", Scopes: []string{"tenant_backoffice_supervisor"}}
	// kim is a supervisor too, but sends the profile for approval: that
	// makes kim one of its makers.
	kim := kyc.Operator{Tenant: "acme", User: "kim", Scopes: []string{"tenant_backoffice_supervisor"}}

	fmt.Println("The maker-and-checker workflow:")
	fmt.Println(wf.Mermaid())

	p, err := svc.Create(ctx, maker, &profile.Profile{
		PersonType:  profile.LegalPerson,
		Name:        "Araoz S.R.L.",
		TaxPayerID:  "33-96669665-8",
		LegalPerson: &profile.Legal{Constitution: "society_limited_liability"},
	})
	if err != nil {
		return err
	}
	fmt.Printf("maker created %s in state %s\n", p.ID, p.State)
	for _, dest := range []string{"pending", "under_review"} {
		if p, err = svc.Transition(ctx, maker, p.ID, dest); err != nil {
			return err
		}
		fmt.Printf("maker moved it to %s\n", p.State)
	}
	if p, err = svc.Transition(ctx, kim, p.ID, "pending_approval"); err != nil {
		return err
	}
	fmt.Printf("kim moved it to %s\n", p.State)

	for _, op := range []kyc.Operator{maker, kim, checker} {
		av, err := svc.Transitions(ctx, op, p.ID)
		if err != nil {
			return err
		}
		fmt.Printf("%s may move it to %v\n", op.User, av.Open)
	}

	// The operator is no supervisor: the condition refuses.
	_, err = svc.Transition(ctx, maker, p.ID, "active")
	if !errors.Is(err, workflow.ErrConditionFalse) {
		return fmt.Errorf("the operator's approval should be refused, got %v", err)
	}
	fmt.Println("olivia approving:", err)
	// kim is a supervisor, but sent the profile for approval: the
	// four-eyes rule refuses, whatever the condition says.
	_, err = svc.Transition(ctx, kim, p.ID, "active")
	if !errors.Is(err, workflow.ErrFourEyes) {
		return fmt.Errorf("kim's approval should be refused by the four-eyes rule, got %v", err)
	}
	fmt.Println("kim approving:", err)

	if p, err = svc.Transition(ctx, checker, p.ID, "active"); err != nil {
		return err
	}
	fmt.Printf("checker approved it: state %s, version %d\n", p.State, p.Version)
	return nil
}
