package condition_test

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/kycsdk/kyc/internal/condition"
	"github.com/kycsdk/kyc/profile"
)

// rootEnv hands its roots over, so that paths are read through the
// accessors rather than Lookup.
type rootEnv map[string]any

func (r rootEnv) Lookup(root string, path []string) (any, error) {
	return condition.Walk(r[root], path)
}

func (r rootEnv) Root(root string) (any, bool) {
	v, ok := r[root]
	return v, ok
}

type outcome struct {
	Value any
	Err   string
}

func evalOutcome(t *testing.T, e *condition.Expr, env condition.Env) outcome {
	t.Helper()
	v, err := e.Eval(env)
	if err != nil {
		return outcome{Err: err.Error()}
	}
	return outcome{Value: v}
}

// TestRootEnvAgreesWithWalk evaluates each condition on the same root
// through Lookup (Walk by name) and through a RootEnv (accessors resolved
// per type): values, None for omitted fields and AttributeErrors must be
// the same, for several Go types met by one compiled condition.
func TestRootEnvAgreesWithWalk(t *testing.T) {
	yes := true
	income := int64(120000)
	full := &profile.Profile{
		Risk:                "low",
		BlacklistsCheckedAt: 1624649377278,
		PersonType:          profile.NaturalPerson,
		DeclaredIncome:      &income,
		Labels:              []string{"vip"},
		Declaration:         &profile.Declaration{PEP: &yes},
		NaturalPerson:       &profile.Natural{Name: profile.Name{First: "Ana"}},
		Metadata:            profile.Object{"segment": json.Number("7")},
		OpenCases:           2,
	}
	setUnknown(full, "tenant_flag", `true`)
	setUnknown(full, "tenant_meta", `{"tier":"gold"}`)
	roots := map[string]any{
		"full profile":  full,
		"empty profile": &profile.Profile{},
		"nil profile":   (*profile.Profile)(nil),
		"profile value": *full,
		"decoded JSON":  map[string]any{"risk": "low", "natural_person": map[string]any{"name": nil}},
		"string":        "low",
		"None":          nil,
	}
	conditions := []string{
		`d.risk`, `d.risk is None`, `d.risk is not None`, `d.risk != None and d.open_cases == 0`,
		`d.risk.x`, `d.person_type`, `d.blacklists_checked_at`, `d.blacklists_checked_at is None`,
		`d.risk_calculated_at`, `d.risk_calculated_at.x`, `d.risk_calculated_at is not None`,
		`d.declared_income`, `d.declared_income.x`, `d.transactional_profile_amount is None`,
		`d.labels`, `d.labels.x`, `d.legal_person`, `d.legal_person.name`, `d.legal_person.name is None`,
		`d.declaration.pep`, `d.declaration.fatca`, `d.declaration.fatca.x`,
		`d.natural_person.name.first`, `d.natural_person.name.first.x`, `d.natural_person.name.middle is None`,
		`d.natural_person.is_employee`, `d.metadata.segment`, `d.metadata.nope`, `d.metadata.segment.x`,
		`d.nope`, `d.nope.x`, `d.nope is None`, `d.Unknown`, `d.open_cases`, `d.open_cases is not None`,
		`d.tenant_flag`, `d.tenant_flag == True`, `d.tenant_meta.tier`, `d.tenant_meta.x`, `d.tenant_flag.x`,
		`'vip' not in d.labels`, `d.taxes == []`, `d.labels is None`,
	}
	for _, src := range conditions {
		e, err := condition.Compile(src, condition.Options{Roots: []string{"d"}})
		if err != nil {
			t.Fatalf("Compile(%q): %v", src, err)
		}
		for name, root := range roots {
			want := evalOutcome(t, e, condition.MapEnv{"d": root})
			got := evalOutcome(t, e, rootEnv{"d": root})
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("%s on %s: Walk and RootEnv differ (-want +got):\n%s", src, name, diff)
			}
		}
	}
}

// TestProfileKeys checks on a typed profile what conditions promise the
// seed's JSON document gives: every top-level key the profile holds,
// including those kept in Profile.Unknown, and list fields that are empty
// read as empty lists, not None.
func TestProfileKeys(t *testing.T) {
	p := &profile.Profile{}
	setUnknown(p, "tenant_flag", `true`)
	setUnknown(p, "tenant_score", `12`)
	tests := []struct {
		src  string
		want any
	}{
		{`d.tenant_flag`, true},
		{`d.tenant_score > 10`, true},
		{`d.tenant_missing is None`, true},
		{`'vip' not in d.labels`, true},
		{`d.labels`, []any{}},
	}
	for _, tt := range tests {
		e, err := condition.Compile(tt.src, condition.Options{Roots: []string{"d"}})
		if err != nil {
			t.Fatalf("Compile(%q): %v", tt.src, err)
		}
		for name, env := range map[string]condition.Env{"Walk": condition.MapEnv{"d": p}, "RootEnv": rootEnv{"d": p}} {
			got, err := e.Eval(env)
			if err != nil {
				t.Fatalf("%s with %s: %v", tt.src, name, err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("%s with %s (-want +got):\n%s", tt.src, name, diff)
			}
		}
	}
}

// setUnknown stores raw JSON under key in p.Unknown through reflection, so
// that the test holds whatever byte-slice type the map's values have.
func setUnknown(p *profile.Profile, key, raw string) {
	m := reflect.ValueOf(&p.Unknown).Elem()
	if m.IsNil() {
		m.Set(reflect.MakeMap(m.Type()))
	}
	m.SetMapIndex(reflect.ValueOf(key), reflect.ValueOf([]byte(raw)).Convert(m.Type().Elem()))
}
