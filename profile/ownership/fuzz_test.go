package ownership_test

import (
	"context"
	"strings"
	"testing"

	"github.com/kycsdk/kyc/profile"
	"github.com/kycsdk/kyc/profile/ownership"
)

// FuzzParse decodes arbitrary key-value information onto a relation and
// checks that parsing, validation and a walk never panic, that every
// problem has a path under the relation, and that no share comes out of
// range.
func FuzzParse(f *testing.F) {
	for _, seed := range []string{
		`{"ownership": {"capital": {"exact": 30}}}`,
		`{"ownership": {"capital": {"minimum": 25, "maximum": 50}, "votes": {"exact": 10}, "direct": false}}`,
		`{"ownership": {"capital": {"exact": -1}}}`,
		`{"ownership": {"votes": {"maximum": 1e308}}}`,
		`{"control": [{"kind": "veto"}, {"kind": 3}, "x"]}`,
		`{"ownership": [], "control": {}}`,
	} {
		f.Add(seed, profile.RelationBusinessPartner)
		f.Add(seed, profile.RelationLegalRepresentative)
	}
	f.Fuzz(func(t *testing.T, extra, relationship string) {
		var o profile.Object
		if o.UnmarshalJSON([]byte(extra)) != nil {
			return
		}
		rel := profile.Relation{ProfileID: "P", Relationship: relationship, Extra: o}
		facts, problems := ownership.DefaultRegistry().Parse(3, rel)
		for _, p := range problems {
			if !strings.HasPrefix(p.Path, "relations[3].") {
				t.Errorf("problem path %q is not under the relation", p.Path)
			}
		}
		if len(problems) == 0 && facts.Ownership != nil {
			for _, iv := range []ownership.Interval{facts.Ownership.Capital.Interval(), facts.Ownership.Votes.Interval()} {
				if iv.Min < 0 || iv.Max > 1 || iv.Min > iv.Max {
					t.Errorf("share %v out of range", iv)
				}
			}
		}
		g := ownership.MapGraph{
			"L": {ID: "L", PersonType: profile.LegalPerson, Relations: []profile.Relation{rel}},
			"P": {ID: "P", PersonType: profile.NaturalPerson},
		}
		r, err := ownership.Compute(context.Background(), g, "L", ownership.Options{})
		if (err == nil) == (len(problems) > 0) && ownership.DefaultRegistry().Carries(relationship) != (ownership.Carries{}) {
			t.Errorf("Compute error %v, Parse problems %v", err, problems)
		}
		if err == nil {
			_ = r.Explain()
		}
	})
}
