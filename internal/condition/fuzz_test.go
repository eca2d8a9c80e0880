package condition_test

import (
	"errors"
	"testing"

	"github.com/kycsdk/kyc/internal/condition"
)

var fuzzSeeds = []string{
	"dprofile.blacklists_checked_at != None and dprofile.risk != None and dprofile.open_cases == 0",
	"'tenant_backoffice_supervisor' in context.scope",
	"0 < dprofile.open_cases < 5 or not dprofile.labels",
	"(dprofile.risk, 1) < ('a', 2.5) and [1, 'x'] * 2",
	"dprofile.natural_person.name.first is not None",
	"-dprofile.declared_income + 1e3 * 0x1f",
	`"a\x41\u00e9" 'b' r'\n'`,
	"dprofile.x.y.z or context.user",
}

// FuzzCompile checks that the parser never panics and that every error is a
// *SyntaxError with a column inside the source.
func FuzzCompile(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		e, err := condition.Compile(src, roots)
		if err != nil {
			var se *condition.SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("Compile(%q): error %v is not a *SyntaxError", src, err)
			}
			if se.Column < 1 || se.Column > len(src)+1 {
				t.Fatalf("Compile(%q): column %d outside the source", src, se.Column)
			}
			return
		}
		if e.String() != src {
			t.Fatalf("String() = %q, want %q", e.String(), src)
		}
	})
}

// FuzzEval checks that a compiled condition never panics when evaluated,
// that errors are *EvalError, and that Truth agrees with Eval.
func FuzzEval(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	env := condition.MapEnv{
		"dprofile": map[string]any{
			"risk": "high", "open_cases": 2, "labels": []any{"vip"}, "declared_income": 0.5,
			"blacklists_checked_at": nil, "natural_person": map[string]any{"is_employee": true},
		},
		"context": map[string]any{"scope": []any{"tenant_aml_operator"}, "user": "u1"},
	}
	f.Fuzz(func(t *testing.T, src string) {
		e, err := condition.Compile(src, roots)
		if err != nil {
			return
		}
		v, verr := e.Eval(env)
		b, terr := e.Truth(env)
		if (verr == nil) != (terr == nil) {
			t.Fatalf("%q: Eval error %v, Truth error %v", src, verr, terr)
		}
		for _, err := range []error{verr, terr} {
			if err != nil && !errors.Is(err, condition.ErrEval) {
				t.Fatalf("%q: error %v is not an *EvalError", src, err)
			}
		}
		if verr == nil && truthOf(v) != b {
			t.Fatalf("%q: bool(Eval) = %v (%#v), Truth = %v", src, truthOf(v), v, b)
		}
	})
}
