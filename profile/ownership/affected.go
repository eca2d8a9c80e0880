package ownership

import (
	"cmp"
	"context"
	"slices"
)

// Affected is a legal person a change to a person reaches: it relates,
// through a relation that carries ownership or control, to the person, or
// to a legal person so reached.
type Affected struct {
	ProfileID string `json:"profile_id"`
	// Depth is the number of relations between it and the changed person.
	Depth int `json:"depth"`
	// Via is the profile it relates to on the way (the changed person at
	// depth 1).
	Via string `json:"via"`
	// Relationship is the type of that relation.
	Relationship string `json:"relationship"`
}

// Impact is what Affected found.
type Impact struct {
	ProfileID string     `json:"profile_id"`
	Affected  []Affected `json:"affected"`
	// Truncated lists the limits reached (depth, nodes); empty when the
	// walk is complete.
	Truncated []Truncation `json:"truncated,omitempty"`
}

// AffectedBy walks the graph up from the profile id: every profile that
// holds an ownership or control relation (by opts.Registry) to it, then
// every profile that holds one to those, breadth first, each once, to
// opts.Limits.MaxDepth levels and MaxNodes profiles. These are the legal
// persons whose beneficial ownership a change to id (a PEP declaration, a
// confirmed sanctions hit) may change, and whose review it must trigger.
// The result is ordered by depth, then id.
func AffectedBy(ctx context.Context, g ReverseGraph, id string, opts Options) (*Impact, error) {
	lim := opts.Limits.withDefaults()
	types := opts.Registry.Types()
	out := &Impact{ProfileID: id, Affected: []Affected{}}
	seen := map[string]bool{id: true}
	frontier := []string{id}
	for depth := 1; len(frontier) > 0; depth++ {
		if depth > lim.MaxDepth {
			for _, f := range frontier {
				out.Truncated = append(out.Truncated, Truncation{Limit: LimitDepth, ProfileID: f})
			}
			break
		}
		links, err := g.RelatedTo(ctx, frontier, types)
		if err != nil {
			return nil, err
		}
		slices.SortFunc(links, func(a, b Link) int { return cmp.Or(cmp.Compare(a.From, b.From), cmp.Compare(a.To, b.To)) })
		var next []string
		for _, l := range links {
			if seen[l.From] {
				continue
			}
			if len(seen) > lim.MaxNodes {
				out.Truncated = append(out.Truncated, Truncation{Limit: LimitNodes, ProfileID: l.To})
				return out, nil
			}
			seen[l.From] = true
			out.Affected = append(out.Affected, Affected{ProfileID: l.From, Depth: depth, Via: l.To, Relationship: l.Relationship})
			next = append(next, l.From)
		}
		frontier = next
	}
	return out, nil
}

// IDs returns the ids of the affected profiles, in order.
func (im *Impact) IDs() []string {
	out := make([]string, len(im.Affected))
	for i, a := range im.Affected {
		out[i] = a.ProfileID
	}
	return out
}
