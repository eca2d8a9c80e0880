package riskmatrix

import (
	"math/rand/v2"
	"testing"

	"github.com/kycsdk/kyc/internal/condition"
	"github.com/kycsdk/kyc/profile"
)

// walkEnv is the reference: condition.Walk over the typed profile.
type walkEnv struct{ p *profile.Profile }

func (w walkEnv) Lookup(_ string, path []string) (any, error) { return condition.Walk(w.p, path) }

// TestConditionLookupMatchesWalk checks that the paths resolved at load
// time read every profile exactly as condition.Walk does: same truth, same
// errors, for scalars, omitted fields, members of None, maps and lists.
func TestConditionLookupMatchesWalk(t *testing.T) {
	conditions := []string{
		"dprofile.open_cases != None and dprofile.open_cases > 0",
		"dprofile.open_cases > 0",
		"dprofile.person_type == 'legal_person'",
		"dprofile.natural_person.is_employee == True",
		"dprofile.natural_person.nationality == 'AR'",
		"dprofile.legal_person.constitution == 'trust'",
		"dprofile.declaration.pep == True",
		"dprofile.declaration.pep is None",
		"dprofile.blacklist_found.sanctioned.confirmed == True",
		"dprofile.blacklist_found.pep.hit",
		"dprofile.blacklist_found == None",
		"dprofile.declared_income >= 1000000",
		"dprofile.declared_income != None and dprofile.declared_income >= 1000000",
		"dprofile.created_at < 1700000000000",
		"dprofile.activities != None",
		"dprofile.natural_person != None",
		"dprofile.residence_country in ['IR', 'KP']",
		"dprofile.metadata.segment == 'vip'",
		"dprofile.metadata == None",
		"dprofile.risk != None",
	}
	rng := rand.New(rand.NewPCG(7, 8))
	profiles := randomProfiles(rng, 150)
	for i, p := range profiles {
		switch i % 3 {
		case 0:
			p.Metadata = profile.Object{"segment": "vip"}
		case 1:
			p.BlacklistFound = map[string]profile.ListHit{}
		}
	}
	profiles = append(profiles, &profile.Profile{}, seedProfile(t))
	for _, src := range conditions {
		b := &builder{m: &Matrix{}}
		c, ok := b.compile("c", src)
		if !ok {
			t.Fatalf("%s: %v", src, b.problems)
		}
		for i, p := range profiles {
			want, wantErr := c.Truth(walkEnv{p})
			got, gotErr := c.Truth(&condition.Root{Name: root, Value: p})
			if want != got || (wantErr == nil) != (gotErr == nil) {
				t.Errorf("%s on profile %d: got %v, %v; condition.Walk gives %v, %v", src, i, got, gotErr, want, wantErr)
			}
		}
	}
}
