package entityprofile_test

import (
	"errors"
	"testing"

	"github.com/kycsdk/kyc/entityprofile"
	"github.com/kycsdk/kyc/profile"
)

// TestResolve: what a service checks when entity_profile is set on a
// profile: a known recipe stays, auto becomes the recipe the rules choose,
// none stays, and an unknown name is refused, all without changing p.
func TestResolve(t *testing.T) {
	r := fixture(t)
	tests := []struct {
		name    string
		edit    func(p *profile.Profile)
		assign  string
		want    string
		wantErr error
	}{
		{name: "known recipe", assign: "enhanced", want: "enhanced"},
		{name: "none", assign: entityprofile.None, want: entityprofile.None},
		{name: "auto by residence", assign: entityprofile.Auto, want: "safe_harbour"},
		{name: "auto for a legal person", edit: func(p *profile.Profile) { p.PersonType = profile.LegalPerson }, assign: entityprofile.Auto, want: entityprofile.None},
		{name: "auto default", edit: func(p *profile.Profile) { p.ResidenceCountry = "ES" }, assign: entityprofile.Auto, want: "standard"},
		{name: "unknown name", assign: "gold", wantErr: entityprofile.ErrUnknownProfile},
		{name: "empty name", assign: "", wantErr: entityprofile.ErrUnknownProfile},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := seedEntity(t)
			if tt.edit != nil {
				tt.edit(p)
			}
			before := p.EntityProfile
			got, err := r.Resolve(p, tt.assign)
			if !errors.Is(err, tt.wantErr) || got != tt.want {
				t.Errorf("Resolve(%q) = %q, %v; want %q, %v", tt.assign, got, err, tt.want, tt.wantErr)
			}
			if p.EntityProfile != before {
				t.Errorf("Resolve changed entity_profile to %q", p.EntityProfile)
			}
		})
	}
	if _, err := r.Resolve(nil, entityprofile.Auto); !errors.Is(err, entityprofile.ErrNilProfile) {
		t.Errorf("Resolve(nil) error = %v", err)
	}
	noAuto, err := entityprofile.LoadBytes([]byte(`{"profiles":[{"name":"a","checks":["pep"],"minimum":{}}]}`))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := noAuto.Resolve(seedEntity(t), entityprofile.Auto); !errors.Is(err, entityprofile.ErrNoAutoRule) {
		t.Errorf("auto without rules: error = %v, want ErrNoAutoRule", err)
	}
}

func TestHas(t *testing.T) {
	r := fixture(t)
	for name, want := range map[string]bool{
		"safe_harbour": true, "standard": true, "enhanced": true,
		"gold": false, "": false, entityprofile.Auto: false, entityprofile.None: false,
	} {
		if got := r.Has(name); got != want {
			t.Errorf("Has(%q) = %v, want %v", name, got, want)
		}
	}
}
