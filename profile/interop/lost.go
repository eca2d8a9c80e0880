package interop

import (
	"strings"
	"sync"

	"github.com/kycsdk/kyc/fieldchange"
	"github.com/kycsdk/kyc/profile"
)

// A policy without rules: its Check lists every difference between two
// profiles as uncovered, which is how an export finds what it lost.
var diffOnly = sync.OnceValue(func() *fieldchange.Policy {
	p, err := fieldchange.New()
	if err != nil {
		panic(err) // no rules, nothing to reject
	}
	return p
})

type importer func([]byte, Options) (*profile.Profile, []Unmapped, error)

// lostFields reads an export back and lists every field of p that did not
// survive: the fields the shape cannot hold. Comparing the round trip,
// rather than listing unsupported fields by hand, keeps the list complete
// as the profile grows.
func lostFields(p *profile.Profile, out []byte, imp importer) ([]Unmapped, error) {
	back, _, err := imp(out, Options{})
	if err != nil {
		return nil, err
	}
	return lostBetween(p, back), nil
}

func lostBetween(p, back *profile.Profile) []Unmapped {
	var lost []Unmapped
	for _, c := range diffOnly().Check(p, back).Uncovered {
		if c.Path == "name" && isDerivedName(p) {
			continue
		}
		lost = append(lost, Unmapped{Path: c.Path, Reason: reasonNotExported})
	}
	return lost
}

// isDerivedName reports whether p.Name is what the profile derives from a
// natural person's name parts (DESIGN, "The profile"): it is not lost when
// the parts are exported.
func isDerivedName(p *profile.Profile) bool {
	if p.NaturalPerson == nil {
		return false
	}
	n := p.NaturalPerson.Name
	parts := strings.Fields(strings.Join([]string{n.First, n.Middle, n.Last}, " "))
	return p.Name == strings.Join(parts, " ")
}
