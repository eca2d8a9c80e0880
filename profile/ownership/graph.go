package ownership

import (
	"context"
	"math"
	"strconv"

	"github.com/kycsdk/kyc/profile"
)

// Node is what a walk reads of one profile: its person type and relations.
type Node struct {
	ID         string
	PersonType profile.PersonType
	Relations  []profile.Relation
}

// Graph gives the walk the relations of profiles. Nodes returns the nodes of
// the ids it holds, in any order, and leaves out the ids it does not hold;
// the walk calls it once per level of the graph, with at most
// Limits.MaxNodes ids in all.
type Graph interface {
	Nodes(ctx context.Context, ids []string) ([]Node, error)
}

// MapGraph is a Graph held in memory, keyed by profile id: for tests,
// examples and callers that already hold the profiles.
type MapGraph map[string]Node

// Nodes implements Graph.
func (g MapGraph) Nodes(_ context.Context, ids []string) ([]Node, error) {
	out := make([]Node, 0, len(ids))
	for _, id := range ids {
		if n, ok := g[id]; ok {
			out = append(out, n)
		}
	}
	return out, nil
}

// Add puts the profile's node into the graph.
func (g MapGraph) Add(p *profile.Profile) {
	g[p.ID] = Node{ID: p.ID, PersonType: p.PersonType, Relations: p.Relations}
}

// Link is one relation seen from the profile it points to: the profile From
// holds a relation of type Relationship to the profile To.
type Link struct {
	From         string
	To           string
	Relationship string
}

// ReverseGraph answers who relates to a profile: the links whose To is one
// of ids, restricted to the given relationship types (every type when
// types is empty). Stores keep an index for it.
type ReverseGraph interface {
	RelatedTo(ctx context.Context, ids []string, types []string) ([]Link, error)
}

// Interval is a share as a fraction interval [Min, Max] within [0, 1]; an
// exact share has Min == Max.
type Interval struct {
	Min float64 `json:"min"`
	Max float64 `json:"max"`
}

// Exact reports whether the interval is a single value.
func (a Interval) Exact() bool { return a.Min == a.Max }

// Mul returns the share of a share: both bounds are non-negative, so the
// product of intervals is the product of their bounds.
func (a Interval) Mul(b Interval) Interval { return Interval{a.Min * b.Min, a.Max * b.Max} }

// Add returns the sum of two shares held through different paths, capped
// at 100%: nobody holds more than the whole.
func (a Interval) Add(b Interval) Interval {
	return Interval{math.Min(a.Min+b.Min, 1), math.Min(a.Max+b.Max, 1)}
}

// String returns the share in percent: "30%" or "12.5-37.5%".
func (a Interval) String() string {
	if a.Exact() {
		return pct(a.Min) + "%"
	}
	return pct(a.Min) + "-" + pct(a.Max) + "%"
}

func pct(x float64) string {
	return strconv.FormatFloat(math.Round(x*1e6)/1e4, 'f', -1, 64)
}

// maxOf returns the interval of the larger of two shares.
func maxOf(a, b Interval) Interval { return Interval{math.Max(a.Min, b.Min), math.Max(a.Max, b.Max)} }
