package workflow_test

import (
	"errors"
	"testing"

	"github.com/kycsdk/kyc/profile"
	"github.com/kycsdk/kyc/workflow"
)

// FuzzCompile loads arbitrary workflow JSON: it never panics, a failure is a
// *CompileError, and a loaded workflow answers and renders without panic.
func FuzzCompile(f *testing.F) {
	f.Add(workflow.DefaultJSON(), "under_review")
	f.Add(workflow.MakerCheckerJSON(), "pending_approval")
	f.Add(conditionErrorJSON, "a")
	f.Add([]byte(`[{"source":"a","dest":"b","condition":"0 < dprofile.open_cases < 5 or 'x' in context.scope"}]`), "a")
	f.Add([]byte(`[{"source":"__start","dest":"s0","label":"x --> c; click a \"javascript:alert(1)\""},{"source":"s0","dest":"end","condition":"context.user == '%%{init}%%'"}]`), "s0")
	f.Fuzz(func(t *testing.T, data []byte, state string) {
		w, err := workflow.Compile(data)
		if err != nil {
			if !errors.Is(err, workflow.ErrInvalid) {
				t.Fatalf("error %v is not a *CompileError", err)
			}
			return
		}
		p := &profile.Profile{State: state, Risk: "high", Labels: []string{"vip"}, OpenCases: 2}
		op := workflow.Operator{User: "u", Scopes: []string{"tenant_aml_operator"}}
		a := w.Available(p, op)
		for _, dest := range a.Open {
			if err := w.Check(p, op, dest); err != nil {
				t.Fatalf("%s open in Available but Check says %v", dest, err)
			}
		}
		// Whatever the names, labels and conditions, each diagram is one
		// graph with one node per state and one edge per transition.
		nodes, edges := parseMermaid(t, w.Mermaid())
		if len(nodes) != len(w.States()) || len(edges) != len(w.Transitions()) {
			t.Fatalf("Mermaid: %d nodes and %d edges for %d states and %d transitions", len(nodes), len(edges), len(w.States()), len(w.Transitions()))
		}
		nodes, edges = parseDOT(t, w.DOT())
		if len(nodes) != len(w.States())+1 || len(edges) != len(w.Transitions())+1 {
			t.Fatalf("DOT: %d nodes and %d edges for %d states and %d transitions", len(nodes), len(edges), len(w.States()), len(w.Transitions()))
		}
	})
}
