package ownership_test

import (
	"github.com/kycsdk/kyc/profile"
	"github.com/kycsdk/kyc/profile/ownership"
)

// graph builds a MapGraph: legal and natural persons, and holdings.
type graph struct{ g ownership.MapGraph }

func newGraph() *graph { return &graph{g: ownership.MapGraph{}} }

func (b *graph) legal(ids ...string) *graph {
	for _, id := range ids {
		if _, ok := b.g[id]; !ok {
			b.g[id] = ownership.Node{ID: id, PersonType: profile.LegalPerson}
		}
	}
	return b
}

func (b *graph) natural(ids ...string) *graph {
	for _, id := range ids {
		b.g[id] = ownership.Node{ID: id, PersonType: profile.NaturalPerson}
	}
	return b
}

func (b *graph) rel(held string, r profile.Relation) *graph {
	n := b.g[held]
	n.Relations = append(n.Relations, r)
	b.g[held] = n
	return b
}

// owns records that holder holds pct percent of held's capital.
func (b *graph) owns(held, holder string, pct float64) *graph {
	return b.rel(held, profile.Relation{ProfileID: holder, Relationship: profile.RelationBusinessPartner,
		Extra: profile.Object{"ownership": map[string]any{"capital": map[string]any{"exact": pct}}}})
}

// band records that holder holds between lo and hi percent.
func (b *graph) band(held, holder string, lo, hi float64) *graph {
	return b.rel(held, profile.Relation{ProfileID: holder, Relationship: profile.RelationBusinessPartner,
		Extra: profile.Object{"ownership": map[string]any{"capital": map[string]any{"minimum": lo, "maximum": hi}}}})
}

// controls records that holder controls held with the kinds given.
func (b *graph) controls(held, holder string, kinds ...string) *graph {
	var list []any
	for _, k := range kinds {
		list = append(list, map[string]any{"kind": k})
	}
	r := profile.Relation{ProfileID: holder, Relationship: profile.RelationLegalRepresentative}
	if len(list) > 0 {
		r.Extra = profile.Object{"control": list}
	}
	return b.rel(held, r)
}
