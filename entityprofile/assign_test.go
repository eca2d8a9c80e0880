package entityprofile_test

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/kycsdk/kyc/entityprofile"
	"github.com/kycsdk/kyc/internal/condition"
	"github.com/kycsdk/kyc/profile"
)

func TestAssignAuto(t *testing.T) {
	r := fixture(t)
	tests := []struct {
		name string
		edit func(p *profile.Profile)
		want string
	}{
		{name: "australian resident gets safe harbour", edit: func(p *profile.Profile) {}, want: "safe_harbour"},
		{name: "high risk comes before residence", edit: func(p *profile.Profile) { p.Risk = "high" }, want: "enhanced"},
		{name: "a vip label", edit: func(p *profile.Profile) { p.Labels = []string{"staff", "vip"} }, want: "enhanced"},
		{name: "other labels", edit: func(p *profile.Profile) { p.Labels = []string{"staff"} }, want: "safe_harbour"},
		{name: "legal person: first rule wins", edit: func(p *profile.Profile) { p.PersonType = profile.LegalPerson; p.Risk = "high" }, want: entityprofile.None},
		{name: "no rule holds: the default", edit: func(p *profile.Profile) { p.ResidenceCountry = "ES" }, want: "standard"},
		{name: "missing residence reads as None", edit: func(p *profile.Profile) { p.ResidenceCountry = "" }, want: "standard"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := seedEntity(t)
			p.EntityProfile = ""
			tt.edit(p)
			got, err := r.Assign(p, entityprofile.Auto)
			if err != nil {
				t.Fatalf("Assign(auto): %v", err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("assigned (-want +got):\n%s", diff)
			}
			if p.EntityProfile != tt.want {
				t.Errorf("recorded %q, want %q", p.EntityProfile, tt.want)
			}
		})
	}
}

func TestAssign(t *testing.T) {
	r := fixture(t)
	tests := []struct {
		name    string
		assign  string
		want    string
		wantErr error
	}{
		{name: "explicit name", assign: "enhanced", want: "enhanced"},
		{name: "none", assign: entityprofile.None, want: entityprofile.None},
		{name: "unknown name", assign: "platinum", want: "safe_harbour", wantErr: entityprofile.ErrUnknownProfile},
		{name: "empty name", assign: "", want: "safe_harbour", wantErr: entityprofile.ErrUnknownProfile},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := seedEntity(t)
			_, err := r.Assign(p, tt.assign)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("Assign error = %v, want %v", err, tt.wantErr)
			}
			if diff := cmp.Diff(tt.want, p.EntityProfile); diff != "" {
				t.Errorf("recorded (-want +got):\n%s", diff)
			}
		})
	}
}

// A profile stored with entity_profile "auto" is resolved at each
// verification, so that a change of risk moves it to another recipe.
func TestStoredAutoResolvesAtEachVerification(t *testing.T) {
	r := fixture(t)
	p := seedEntity(t)
	p.EntityProfile = entityprofile.Auto
	pl, err := r.Plan(p, t0)
	if err != nil {
		t.Fatal(err)
	}
	p.Risk = "high"
	high, err := r.Plan(p, t0)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"safe_harbour", "enhanced"}, []string{pl.Profile, high.Profile}); diff != "" {
		t.Errorf("profiles applied (-want +got):\n%s", diff)
	}
}

func TestAutoErrors(t *testing.T) {
	t.Run("no auto rules configured", func(t *testing.T) {
		r, err := entityprofile.NewRegistry(entityprofile.Config{Profiles: []entityprofile.Recipe{{Name: "basic", Checks: []string{"pep"}}}})
		if err != nil {
			t.Fatal(err)
		}
		_, err = r.Assign(&profile.Profile{}, entityprofile.Auto)
		if !errors.Is(err, entityprofile.ErrNoAutoRule) {
			t.Errorf("error = %v, want ErrNoAutoRule", err)
		}
	})
	t.Run("a rule that raises stops the choice", func(t *testing.T) {
		r, err := entityprofile.NewRegistry(entityprofile.Config{
			Profiles: []entityprofile.Recipe{{Name: "basic", Checks: []string{"pep"}}},
			Auto: &entityprofile.AutoRules{
				Rules:   []entityprofile.Rule{{When: "dprofile.natural_person.name.first == 'x'", Profile: "basic"}},
				Default: "basic",
			},
		})
		if err != nil {
			t.Fatal(err)
		}
		p := &profile.Profile{EntityProfile: "x"}
		_, err = r.Assign(p, entityprofile.Auto)
		var re *entityprofile.RuleError
		if !errors.As(err, &re) || re.Rule != 0 || !errors.Is(err, condition.ErrEval) {
			t.Fatalf("error = %v, want a *RuleError for rule 0 wrapping condition.ErrEval", err)
		}
		if p.EntityProfile != "x" {
			t.Errorf("a failed Assign recorded %q", p.EntityProfile)
		}
	})
}
