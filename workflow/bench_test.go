package workflow_test

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"github.com/kycsdk/kyc/internal/sharedtest"
	"github.com/kycsdk/kyc/profile"
	"github.com/kycsdk/kyc/workflow"
)

// The seed's under_review -> active condition (seed 003, 3.3.1).
const seedCondition = "dprofile.blacklists_checked_at != None and dprofile.risk != None and dprofile.open_cases == 0"

// seedProfile decodes the seed's natural-person example (seed 003, 3.1.1.1),
// under review with its risk assessed, so that every term of the condition
// is evaluated.
func seedProfile(b *testing.B) *profile.Profile {
	text := string(sharedtest.Read(b, "seeds/003_4c5ea5c90f46f665.txt"))
	i := strings.Index(text, "\n{\n\"created_at\":1624649377044")
	j := strings.Index(text[i:], "\n}\n")
	if i < 0 || j < 0 {
		b.Fatal("seed 003: natural-person example not found")
	}
	var p profile.Profile
	if err := json.Unmarshal([]byte(text[i:i+j+3]), &p); err != nil {
		b.Fatal(err)
	}
	p.State, p.Risk = "under_review", "low"
	return &p
}

// BenchmarkAvailable asks which moves a supervisor has from
// pending_approval in the maker-and-checker workflow (four transitions
// sharing one condition), and from under_review in the default one.
func BenchmarkAvailable(b *testing.B) {
	op := workflow.Operator{Tenant: "t1", User: "bob", Scopes: []string{"tenant_backoffice_supervisor"}}
	b.Run("makerchecker/pending_approval", func(b *testing.B) {
		p := &profile.Profile{State: "pending_approval"}
		w := workflow.MakerChecker()
		b.ReportAllocs()
		for b.Loop() {
			if a := w.Available(p, op); len(a.Open) != 4 {
				b.Fatal(a)
			}
		}
	})
	b.Run("default/under_review", func(b *testing.B) {
		p := seedProfile(b)
		w := workflow.Default()
		b.ReportAllocs()
		for b.Loop() {
			if a := w.Available(p, op); len(a.Open) != 4 {
				b.Fatal(a)
			}
		}
	})
}

// BenchmarkCompile loads the maker-and-checker workflow from its JSON.
func BenchmarkCompile(b *testing.B) {
	data := workflow.MakerCheckerJSON()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := workflow.Compile(data); err != nil {
			b.Fatal(err)
		}
	}
}

// chainJSON is a workflow of n states in a ring, s0 -> s1 -> ... -> s0,
// every other transition guarded by the seed's condition: the size that
// made Compile quadratic (issue 16, item 9).
func chainJSON(n int) []byte {
	ts := make([]workflow.Transition, n)
	for i := range ts {
		ts[i] = workflow.Transition{Source: "s" + strconv.Itoa(i), Dest: "s" + strconv.Itoa((i+1)%n)}
		if i%2 == 1 {
			ts[i].Condition = seedCondition
		}
	}
	data, err := json.Marshal(ts)
	if err != nil {
		panic(err)
	}
	return data
}

// BenchmarkCompileStates loads a workflow of 50,000 states and transitions,
// declared with WithStates, which took 7-8 s when Compile was quadratic.
func BenchmarkCompileStates(b *testing.B) {
	const n = 50_000
	data := chainJSON(n)
	states := make([]string, n)
	for i := range states {
		states[i] = "s" + strconv.Itoa(i)
	}
	b.ReportAllocs()
	for b.Loop() {
		w, err := workflow.Compile(data, workflow.WithStates(states...), workflow.WithInitial("s0"))
		if err != nil {
			b.Fatal(err)
		}
		if len(w.States()) != n {
			b.Fatal(len(w.States()))
		}
	}
}
