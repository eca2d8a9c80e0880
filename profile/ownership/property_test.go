package ownership_test

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/kycsdk/kyc/profile"
	"github.com/kycsdk/kyc/profile/ownership"
)

// bruteForce enumerates every sequence of distinct profiles from "C0" to a
// natural person, each consecutive pair joined by at least one ownership
// relation, and adds, for each sequence, the product over its pairs of the
// sum of the parallel relations' shares: by distributivity the same sum as
// over every path, computed without a walk.
func bruteForce(g ownership.MapGraph, ids []string) map[string]ownership.Interval {
	share := func(held, holder string) (ownership.Interval, bool) {
		var sum ownership.Interval
		found := false
		for _, r := range g[held].Relations {
			if r.ProfileID != holder {
				continue
			}
			o := r.Extra["ownership"].(map[string]any)["capital"].(map[string]any)
			lo, hi := o["minimum"].(float64)/100, o["maximum"].(float64)/100
			sum = ownership.Interval{Min: sum.Min + lo, Max: sum.Max + hi}
			found = true
		}
		return sum, found
	}
	out := map[string]ownership.Interval{}
	var rec func(seq []string, used map[string]bool, acc ownership.Interval)
	rec = func(seq []string, used map[string]bool, acc ownership.Interval) {
		last := seq[len(seq)-1]
		if g[last].PersonType == profile.NaturalPerson {
			o := out[last]
			out[last] = ownership.Interval{Min: o.Min + acc.Min, Max: o.Max + acc.Max}
			return
		}
		for _, next := range ids {
			if used[next] {
				continue
			}
			s, ok := share(last, next)
			if !ok {
				continue
			}
			used[next] = true
			rec(append(seq, next), used, acc.Mul(s))
			delete(used, next)
		}
	}
	rec([]string{"C0"}, map[string]bool{"C0": true}, ownership.Interval{Min: 1, Max: 1})
	for k, v := range out {
		out[k] = ownership.Interval{Min: math.Min(v.Min, 1), Max: math.Min(v.Max, 1)}
	}
	return out
}

func TestComputeAgreesWithBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for trial := range 300 {
		legal, natural := 1+rng.IntN(5), 1+rng.IntN(3)
		g := ownership.MapGraph{}
		var ids []string
		for i := range legal {
			id := fmt.Sprint("C", i)
			ids = append(ids, id)
			g[id] = ownership.Node{ID: id, PersonType: profile.LegalPerson}
		}
		for i := range natural {
			id := fmt.Sprint("P", i)
			ids = append(ids, id)
			g[id] = ownership.Node{ID: id, PersonType: profile.NaturalPerson}
		}
		for i := range legal {
			id := fmt.Sprint("C", i)
			n := g[id]
			for range rng.IntN(4) {
				holder := ids[rng.IntN(len(ids))]
				if holder == id {
					continue
				}
				lo := float64(rng.IntN(20))
				hi := lo + float64(rng.IntN(10))
				n.Relations = append(n.Relations, profile.Relation{ProfileID: holder, Relationship: profile.RelationBusinessPartner,
					Extra: profile.Object{"ownership": map[string]any{"capital": map[string]any{"minimum": lo, "maximum": hi}}}})
			}
			g[id] = n
		}
		r, err := ownership.Compute(context.Background(), g, "C0", ownership.Options{})
		if err != nil {
			t.Fatalf("trial %d: %v", trial, err)
		}
		got := map[string]ownership.Interval{}
		for _, o := range append(append([]ownership.Owner{}, r.Owners...), r.Below...) {
			got[o.ProfileID] = o.Capital
		}
		want := bruteForce(g, ids)
		if len(got) != len(want) {
			t.Fatalf("trial %d: holders %v, brute force %v\n%s", trial, got, want, r.Explain())
		}
		for id, w := range want {
			g := got[id]
			if math.Abs(g.Min-w.Min) > 1e-9 || math.Abs(g.Max-w.Max) > 1e-9 {
				t.Fatalf("trial %d: %s holds %v, brute force %v\n%s", trial, id, g, w, r.Explain())
			}
		}
	}
}

func TestAffectedBy(t *testing.T) {
	// P owns A, A owns L and M; P controls N; Q is P's spouse at K.
	g := newGraph().legal("L", "M", "A", "N", "K").natural("P", "Q").
		owns("A", "P", 60).owns("L", "A", 50).owns("M", "A", 10).controls("N", "P", ownership.ControlVeto).
		rel("K", profile.Relation{ProfileID: "P", Relationship: "spouse"})
	im, err := ownership.AffectedBy(context.Background(), reverse(g.g), "P", ownership.Options{})
	if err != nil {
		t.Fatal(err)
	}
	got := fmt.Sprint(im.Affected)
	want := "[{A 1 P business_partner} {N 1 P legal_representative} {L 2 A business_partner} {M 2 A business_partner}]"
	if got != want {
		t.Errorf("AffectedBy = %s, want %s", got, want)
	}
}

// reverse is a ReverseGraph over a MapGraph, by scanning: the reference the
// stores' indexes are checked against.
type reverseMap ownership.MapGraph

func reverse(g ownership.MapGraph) reverseMap { return reverseMap(g) }

func (g reverseMap) RelatedTo(_ context.Context, ids, types []string) ([]ownership.Link, error) {
	var out []ownership.Link
	for _, n := range g {
		for _, r := range n.Relations {
			for _, id := range ids {
				if r.ProfileID == id && (len(types) == 0 || contains(types, r.Relationship)) {
					out = append(out, ownership.Link{From: n.ID, To: id, Relationship: r.Relationship})
				}
			}
		}
	}
	return out, nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func TestRiskInputs(t *testing.T) {
	// S (sanctioned) owns 60% of A; A owns 50% of L; X (sanctioned) owns
	// 10% of L; V (a PEP) owns 40% of L. A is blocked (60% >= 50%), so
	// its whole 50% counts: 50% + 10% = 60%, and L is blocked.
	g := newGraph().legal("L", "A").natural("S", "X", "V").
		owns("A", "S", 60).owns("L", "A", 50).owns("L", "X", 10).owns("L", "V", 40)
	r, err := ownership.Compute(context.Background(), g.g, "L", ownership.Options{})
	if err != nil {
		t.Fatal(err)
	}
	flags := map[string]ownership.Flags{"S": {Sanctioned: true}, "X": {Sanctioned: true}, "V": {PEP: true}}
	in, err := r.RiskInputs(context.Background(), func(_ context.Context, id string) (ownership.Flags, error) {
		return flags[id], nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := ownership.RiskInputs{PEPOwner: true, SanctionedOwner: true, ChainDepth: 2,
		SanctionedShare: ownership.Interval{Min: 0.6, Max: 0.6}, Blocked: ownership.Is}
	if in != want {
		t.Errorf("RiskInputs = %+v, want %+v", in, want)
	}
}
