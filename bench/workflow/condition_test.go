package workflow_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/casbin/govaluate"
	"github.com/expr-lang/expr"

	"github.com/kycsdk/kyc/bench"
	"github.com/kycsdk/kyc/internal/condition"
	"github.com/kycsdk/kyc/profile"
	"github.com/kycsdk/kyc/workflow"
)

// The seed's under_review -> active condition (seed 003, 3.3.1).
const seedCondition = "dprofile.blacklists_checked_at != None and dprofile.risk != None and dprofile.open_cases == 0"

// seedProfile decodes the seed's natural-person example (seed 003, 3.1.1.1),
// under review with its risk assessed, so that every term of the condition
// is evaluated.
func seedProfile(b *testing.B) *profile.Profile {
	text := string(bench.Shared(b, "seeds/003_4c5ea5c90f46f665.txt"))
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

// BenchmarkCondition evaluates the seed's condition on the seed profile:
// ours on the typed profile, then plain govaluate with flat parameters and
// expr-lang/expr on a map, as peers.
func BenchmarkCondition(b *testing.B) {
	p := seedProfile(b)
	b.Run("kyc", func(b *testing.B) {
		w, err := workflow.Compile([]byte(`[{"source":"under_review","dest":"active","condition":"` + seedCondition + `"}]`))
		if err != nil {
			b.Fatal(err)
		}
		op := workflow.Operator{}
		b.ReportAllocs()
		for b.Loop() {
			if w.Can(p, op, "active") != nil {
				b.Fatal("condition false")
			}
		}
	})
	jsonEnv := map[string]any{"dprofile": map[string]any{
		"blacklists_checked_at": int64(p.BlacklistsCheckedAt), "risk": p.Risk, "open_cases": p.OpenCases,
	}}
	b.Run("kyc-map", func(b *testing.B) {
		e, err := condition.Compile(seedCondition, condition.Options{Roots: workflow.Roots()})
		if err != nil {
			b.Fatal(err)
		}
		env := condition.MapEnv(jsonEnv)
		b.ReportAllocs()
		for b.Loop() {
			if ok, err := e.Truth(env); !ok || err != nil {
				b.Fatal("condition false")
			}
		}
	})
	flat := govaluate.MapParameters{
		"blacklists_checked_at": int64(p.BlacklistsCheckedAt), "risk": p.Risk, "open_cases": p.OpenCases, "none": nil,
	}
	b.Run("govaluate", func(b *testing.B) {
		ex, err := govaluate.NewEvaluableExpression("blacklists_checked_at != none && risk != none && open_cases == 0")
		if err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		for b.Loop() {
			if v, err := ex.Eval(flat); v != true || err != nil {
				b.Fatal("condition false", v, err)
			}
		}
	})
	b.Run("expr", func(b *testing.B) {
		env := jsonEnv
		prog, err := expr.Compile("dprofile.blacklists_checked_at != nil && dprofile.risk != nil && dprofile.open_cases == 0", expr.Env(env))
		if err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		for b.Loop() {
			if v, err := expr.Run(prog, env); v != true || err != nil {
				b.Fatal("condition false", v, err)
			}
		}
	})
}
