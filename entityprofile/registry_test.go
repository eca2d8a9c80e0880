package entityprofile_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/kycsdk/kyc/entityprofile"
	"github.com/kycsdk/kyc/profile"
)

func TestFixture(t *testing.T) {
	r := fixture(t)
	if diff := cmp.Diff([]string{"safe_harbour", "standard", "enhanced"}, r.Names()); diff != "" {
		t.Errorf("names (-want +got):\n%s", diff)
	}
	sh, ok := r.Recipe("safe_harbour")
	if !ok {
		t.Fatal("safe_harbour missing")
	}
	want := entityprofile.Minimum{Name: 2, Address: 1, DOB: 1}
	if diff := cmp.Diff(want, sh.Minimum); diff != "" {
		t.Errorf("safe_harbour minimum (-want +got):\n%s", diff)
	}
}

func TestNewRegistryReportsEveryProblem(t *testing.T) {
	cfg := `{
	  "check_types": [
	    {"name": "pep", "ageing": "30d"},
	    {"name": "", "consent": "medical", "matches": ["iris"], "ageing": "soon"}
	  ],
	  "profiles": [
	    {"name": "a", "checks": ["name_dob", "horoscope", "name_dob"],
	     "ageing": {"name_dob": "-30d", "pep": "1d", "tarot": "1d"},
	     "minimum": {"name": 2, "address": 1, "dob": -1},
	     "consents": {"name_dob": "medical"}},
	    {"name": "a", "checks": ["pep"], "ageing": {"pep": "30d"},
	     "risk_policies": {"high": {"add": ["tarot"], "ageing": {"pep": "never"}}}},
	    {"name": "auto", "checks": []}
	  ],
	  "auto": {"rules": [{"when": "dprofile.risk ==", "profile": "b"}]}
	}`
	_, err := entityprofile.LoadBytes([]byte(cfg))
	var ce *entityprofile.ConfigError
	if !errors.As(err, &ce) || !errors.Is(err, entityprofile.ErrInvalidConfig) {
		t.Fatalf("error = %v, want a *ConfigError", err)
	}
	want := []entityprofile.Problem{
		{Path: "check_types[0].name", Message: `duplicate check type "pep"`},
		{Path: "check_types[1].name", Message: "empty check type name"},
		{Path: "check_types[1].consent", Message: `unknown consent "medical"`},
		{Path: "check_types[1].matches[0]", Message: `unknown field "iris" (want name, address or dob)`},
		{Path: "check_types[1].ageing", Message: `malformed ageing: want a duration ("90d", "720h"), "never" or "document"`},
		{Path: "profiles[0].checks[1]", Message: `unknown check type "horoscope"`},
		{Path: "profiles[0].checks[2]", Message: `check type "name_dob" listed twice`},
		{Path: "profiles[0].ageing.name_dob", Message: "negative ageing"},
		{Path: "profiles[0].ageing.pep", Message: `ageing for check type "pep", which the profile does not run`},
		{Path: "profiles[0].ageing.tarot", Message: `unknown check type "tarot"`},
		{Path: "profiles[0].consents.name_dob", Message: `unknown consent "medical"`},
		{Path: "profiles[0].minimum.name", Message: "minimum of 2 name matches, but the profile's check types can match at most 1"},
		{Path: "profiles[0].minimum.address", Message: "minimum of 1 address matches, but the profile's check types can match at most 0"},
		{Path: "profiles[0].minimum.dob", Message: "negative minimum -1"},
		{Path: "profiles[1].name", Message: `duplicate profile name "a"`},
		{Path: "profiles[1].risk_policies.high.add[0]", Message: `unknown check type "tarot"`},
		{Path: "profiles[1].risk_policies.high.ageing.pep", Message: "risk policy lengthens ageing from 30d to never"},
		{Path: "profiles[2].name", Message: `"auto" is reserved`},
		{Path: "profiles[2].checks", Message: "no check types"},
		{Path: "auto.rules[0].when", Message: "condition: syntax error at column 17: unexpected end of condition"},
		{Path: "auto.rules[0].profile", Message: `unknown profile "b"`},
		{Path: "auto.default", Message: "no default profile: `auto` must always resolve"},
	}
	if diff := cmp.Diff(want, ce.Problems); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}
	if !strings.HasPrefix(err.Error(), "entityprofile: invalid configuration: check_types[0].name:") {
		t.Errorf("Error() = %q", err)
	}
}

func TestParseConfigRefusesUnknownKeys(t *testing.T) {
	tests := []struct {
		name string
		cfg  string
		want string // the error names the JSON path and the kind of problem
	}{
		{name: "misspelt key", cfg: `{"profiles": [{"name": "a", "checks": ["pep"], "minimun": {"name": 1}}]}`, want: `profiles[0]: unknown field "minimun"`},
		{name: "case-folded key", cfg: `{"Profiles": []}`, want: `unknown field "Profiles"`},
		{name: "repeated key", cfg: `{"profiles": [], "profiles": []}`, want: `duplicate key "profiles"`},
		{name: "trailing data", cfg: `{"profiles": []} {}`, want: "data after the JSON value"},
		{name: "not JSON", cfg: `profiles:`, want: "syntax error at offset 0"},
		{name: "wrong type", cfg: `{"profiles": {"name": "a"}}`, want: "profiles: wrong type, want a list"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := entityprofile.LoadBytes([]byte(tt.cfg))
			if !errors.Is(err, entityprofile.ErrInvalidConfig) {
				t.Fatalf("error = %v, want ErrInvalidConfig", err)
			}
			if !strings.HasSuffix(err.Error(), ": "+tt.want) {
				t.Errorf("error = %q, want it to end with %q", err, tt.want)
			}
			if strings.Contains(err.Error(), "entityprofile.") || strings.Contains(err.Error(), "Go ") {
				t.Errorf("error names a Go type: %v", err)
			}
		})
	}
}

func TestCustomCheckType(t *testing.T) {
	r, err := entityprofile.NewRegistry(entityprofile.Config{
		CheckTypes: []entityprofile.CheckType{{Name: "utility_bill", Consent: "docs", Matches: []string{"name", "address"}, Ageing: "90d", Paths: []string{"addresses"}}},
		Profiles: []entityprofile.Recipe{{
			Name: "bills", Checks: []string{"name_dob", "utility_bill"},
			Minimum: entityprofile.Minimum{Name: 2, Address: 1, DOB: 1},
		}},
	})
	if err != nil {
		t.Fatalf("NewRegistry: %v", err)
	}
	got, ok := r.CheckType("utility_bill")
	want := entityprofile.CheckType{Name: "utility_bill", Consent: "docs", Matches: []string{"name", "address"}, Ageing: "90d", Paths: []string{"addresses"}}
	if !ok {
		t.Fatal("utility_bill missing")
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("CheckType (-want +got):\n%s", diff)
	}
	if n := len(r.CheckTypes()); n != len(entityprofile.BuiltinCheckTypes())+1 {
		t.Errorf("%d check types, want the built-ins and one more", n)
	}
}

// The registry is immutable: what its accessors return is a copy.
func TestRegistryIsImmutable(t *testing.T) {
	r := fixture(t)
	rc, _ := r.Recipe("safe_harbour")
	rc.Checks[0] = "biometric"
	rc.Ageing["address"] = "1d"
	rc.RiskPolicies["high"].Add[0] = "pep"
	names := r.Names()
	names[0] = "x"
	again, _ := r.Recipe("safe_harbour")
	if again.Checks[0] != "name_dob" || again.Ageing["address"] != "365d" || again.RiskPolicies["high"].Add[0] != "adverse_media" {
		t.Errorf("changing a returned Recipe changed the registry: %+v", again)
	}
	if r.Names()[0] != "safe_harbour" {
		t.Error("changing Names() changed the registry")
	}
	ct, _ := r.CheckType("address")
	ct.Paths[0] = "x"
	if again, _ := r.CheckType("address"); again.Paths[0] == "x" {
		t.Error("changing a returned CheckType changed the registry")
	}
}

func TestRiskPolicyAgeing(t *testing.T) {
	tests := []struct {
		name    string
		base    string
		policy  string
		wantErr bool
	}{
		{name: "shorter duration", base: "30d", policy: "7d"},
		{name: "same duration", base: "30d", policy: "720h"},
		{name: "longer duration", base: "30d", policy: "31d", wantErr: true},
		{name: "never to a duration", base: "never", policy: "1d"},
		{name: "a duration to never", base: "1d", policy: "never", wantErr: true},
		{name: "document to a duration", base: "document", policy: "30d"},
		{name: "a duration to document", base: "30d", policy: "document"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := entityprofile.NewRegistry(entityprofile.Config{Profiles: []entityprofile.Recipe{{
				Name: "p", Checks: []string{"id_document"}, Ageing: map[string]string{"id_document": tt.base},
				RiskPolicies: map[string]entityprofile.RiskPolicy{"high": {Ageing: map[string]string{"id_document": tt.policy}}},
			}}})
			if (err != nil) != tt.wantErr {
				t.Errorf("NewRegistry error = %v, want error %v", err, tt.wantErr)
			}
		})
	}
}

// A registry with more check types than an assessment keeps on the stack
// still plans and evaluates.
func TestManyCheckTypes(t *testing.T) {
	var types []entityprofile.CheckType
	var names []string
	for i := range 40 {
		n := fmt.Sprintf("extra_%02d", i)
		types = append(types, entityprofile.CheckType{Name: n, Matches: []string{"name"}, Ageing: "10d"})
		names = append(names, n)
	}
	r, err := entityprofile.NewRegistry(entityprofile.Config{
		CheckTypes: types,
		Profiles:   []entityprofile.Recipe{{Name: "wide", Checks: names, Minimum: entityprofile.Minimum{Name: 40}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	p := &profile.Profile{EntityProfile: "wide"}
	for i, n := range names[:39] {
		p.Checks = append(p.Checks, profile.Check{ID: fmt.Sprint(i), Type: n, Outcome: "pass", Matched: []string{"name"}, PerformedAt: ts(t0.Add(-day))})
	}
	pl, ev, err := r.Assess(p, t0)
	if err != nil {
		t.Fatal(err)
	}
	if len(pl.Run) != 1 || pl.Run[0].Type != "extra_39" || len(pl.Reuse) != 39 {
		t.Errorf("plan runs %v and reuses %d, want extra_39 and 39", pl.Run, len(pl.Reuse))
	}
	want := []entityprofile.Shortfall{{Field: "name", Have: 39, Want: 40}}
	if diff := cmp.Diff(want, ev.Shortfalls); diff != "" {
		t.Errorf("shortfalls (-want +got):\n%s", diff)
	}
}
