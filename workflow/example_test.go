package workflow_test

import (
	"errors"
	"fmt"

	"github.com/kycsdk/kyc/profile"
	"github.com/kycsdk/kyc/workflow"
)

// The default workflow refuses under_review -> active while the risk is
// unset, then allows it once the risk is assessed.
func ExampleWorkflow_Check() {
	w := workflow.Default()
	op := workflow.Operator{Tenant: "t1", User: "ana", Scopes: []string{"tenant_aml_operator"}}
	p := &profile.Profile{State: "under_review", BlacklistsCheckedAt: 1624649377278}

	err := w.Check(p, op, "active")
	fmt.Println(err)
	fmt.Println(errors.Is(err, workflow.ErrConditionFalse))

	p.Risk = "low"
	fmt.Println(w.Apply(p, op, "active"), p.State)
	// Output:
	// workflow: under_review -> active refused: condition false
	// true
	// <nil> active
}

// The maker-and-checker workflow lets only a supervisor move a profile out
// of pending_approval.
func ExampleWorkflow_Available() {
	w := workflow.MakerChecker()
	p := &profile.Profile{State: "pending_approval"}

	maker := workflow.Operator{Tenant: "t1", User: "ana", Scopes: []string{"tenant_aml_operator"}}
	checker := workflow.Operator{Tenant: "t1", User: "bob", Scopes: []string{"tenant_backoffice_supervisor"}}

	fmt.Println("maker:", w.Available(p, maker).Open)
	fmt.Println("checker:", w.Available(p, checker).Open)
	fmt.Println(w.Check(p, maker, "active"))
	fmt.Println(w.Check(p, checker, "active"))
	// Output:
	// maker: []
	// checker: [active banned inactive creating]
	// workflow: pending_approval -> active refused: condition false
	// <nil>
}

func ExampleCompile() {
	_, err := workflow.Compile([]byte(`[
		{"source": "pending", "dest": "active", "condition": "dprofile.risk.upper() == 'HIGH'"},
		{"source": "pending", "dest": ""}
	]`))
	fmt.Println(err)
	// Output:
	// workflow: invalid workflow: transition 0 (pending -> active): condition: calls are not supported at column 20; transition 1 (pending -> ): empty destination state
}

func ExampleWorkflow_Mermaid() {
	w, _ := workflow.Compile([]byte(`[
		{"source": "pending", "dest": "active", "condition": "dprofile.risk != None", "label": "risk assessed"},
		{"source": "active", "dest": "pending"}
	]`))
	fmt.Print(w.Mermaid())
	// Output:
	// graph TD
	// s0["pending"] -->|"risk assessed"| s1["active"]
	// s1 --> s0
}

// In the maker-and-checker workflow the supervisor who moved the profile
// into pending_approval may not approve it; another supervisor may. The
// makers are read from the profile's history by the caller.
func ExampleWorkflow_CheckWith() {
	w := workflow.MakerChecker()
	p := &profile.Profile{State: "pending_approval"}
	facts := workflow.Facts{Makers: []string{"bob"}}

	bob := workflow.Operator{Tenant: "t1", User: "bob", Scopes: []string{"tenant_backoffice_supervisor"}}
	carol := workflow.Operator{Tenant: "t1", User: "carol", Scopes: []string{"tenant_backoffice_supervisor"}}

	err := w.CheckWith(p, bob, "active", facts)
	fmt.Println(err)
	fmt.Println(errors.Is(err, workflow.ErrFourEyes))
	fmt.Println(w.CheckWith(p, carol, "active", facts))
	// Output:
	// workflow: pending_approval -> active refused: checker is the maker
	// true
	// <nil>
}
