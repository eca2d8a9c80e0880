package ownership_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kycsdk/kyc/profile"
	"github.com/kycsdk/kyc/profile/ownership"
)

type owner struct {
	ID      string
	Status  ownership.Status
	Capital string
	Paths   int
}

func summary(r *ownership.Result) []owner {
	var out []owner
	for _, o := range append(append([]ownership.Owner{}, r.Owners...), r.Below...) {
		out = append(out, owner{o.ProfileID, o.Status, o.Capital.String(), len(o.Paths)})
	}
	return out
}

func TestComputeWorkedExamples(t *testing.T) {
	tests := []struct {
		name      string
		g         *graph
		threshold float64
		want      []owner
		control   []string
		smo       []string
		fallback  bool
		cycles    int
	}{
		{
			name: "chain 60% x 50% = 30%",
			g:    newGraph().legal("L", "A").natural("P").owns("L", "A", 60).owns("A", "P", 50),
			want: []owner{{"P", ownership.Is, "30%", 1}},
		},
		{
			name: "two chains 20% + 10% = 30%",
			g: newGraph().legal("L", "A", "B").natural("P").
				owns("L", "A", 40).owns("A", "P", 50). // 20%
				owns("L", "B", 20).owns("B", "P", 50), // 10%
			want: []owner{{"P", ownership.Is, "30%", 2}},
		},
		{
			name: "below the default threshold, above 15%",
			g:    newGraph().legal("L", "A").natural("P").owns("L", "A", 40).owns("A", "P", 50),
			want: []owner{{"P", ownership.Below, "20%", 1}},
			// no owner, no control: the fallback with nobody recorded
			fallback: true,
		},
		{
			name:      "a threshold of 15%",
			g:         newGraph().legal("L", "A").natural("P").owns("L", "A", 40).owns("A", "P", 50),
			threshold: 15,
			want:      []owner{{"P", ownership.Is, "20%", 1}},
		},
		{
			name: "a cycle adds nothing and ends",
			g: newGraph().legal("L", "A", "B").natural("P").
				owns("L", "A", 50).owns("A", "B", 50).owns("B", "A", 50).owns("B", "P", 100),
			want:   []owner{{"P", ownership.Is, "25%", 1}},
			cycles: 1,
		},
		{
			name: "bands 25-50% x 50-75% straddle the threshold",
			g:    newGraph().legal("L", "A").natural("P").band("L", "A", 25, 50).band("A", "P", 50, 75),
			want: []owner{{"P", ownership.MayBe, "12.5-37.5%", 1}},
		},
		{
			name: "a band whose minimum reaches the threshold",
			g:    newGraph().legal("L").natural("P").band("L", "P", 25, 50),
			want: []owner{{"P", ownership.Is, "25-50%", 1}},
		},
		{
			name:    "control without ownership",
			g:       newGraph().legal("L").natural("P", "Q").owns("L", "Q", 10).controls("L", "P", ownership.ControlVeto),
			want:    []owner{{"Q", ownership.Below, "10%", 1}},
			control: []string{"P"},
		},
		{
			name: "control through a controlled legal person",
			g: newGraph().legal("L", "H").natural("P").
				controls("L", "H", ownership.ControlBoardAppointment).controls("H", "P", ownership.ControlVeto),
			control: []string{"P"},
		},
		{
			name: "nobody qualifies: the senior managing officials",
			g: newGraph().legal("L").natural("P", "Q", "S").
				owns("L", "P", 10).owns("L", "Q", 10).controls("L", "S"), // default kind of legal_representative
			want:     []owner{{"P", ownership.Below, "10%", 1}, {"Q", ownership.Below, "10%", 1}},
			smo:      []string{"S"},
			fallback: true,
		},
		{
			name: "an unrecorded share may be anything",
			g: newGraph().legal("L").natural("P").rel("L", profile.Relation{ProfileID: "P",
				Relationship: profile.RelationBusinessPartner}),
			want: []owner{{"P", ownership.MayBe, "0-100%", 1}},
		},
		{
			name: "a declared indirect share is not added to the computed one",
			g: newGraph().legal("L", "A").natural("P").owns("L", "A", 50).owns("A", "P", 60).
				rel("L", profile.Relation{ProfileID: "P", Relationship: profile.RelationBusinessPartner,
					Extra: profile.Object{"ownership": map[string]any{"capital": map[string]any{"exact": 30.0}, "direct": false}}}),
			want: []owner{{"P", ownership.Is, "30%", 2}},
		},
		{
			name: "guarantors and family carry nothing",
			g: newGraph().legal("L").natural("P", "Q").owns("L", "P", 30).
				rel("L", profile.Relation{ProfileID: "Q", Relationship: profile.RelationGuarantor}).
				rel("L", profile.Relation{ProfileID: "Q", Relationship: "spouse"}),
			want: []owner{{"P", ownership.Is, "30%", 1}},
		},
		{
			name: "an ended relation does not count",
			g: newGraph().legal("L").natural("P").rel("L", profile.Relation{ProfileID: "P",
				Relationship: profile.RelationBusinessPartner, Until: profile.DatePtr(profile.DateOf(2020, 1, 1)),
				Extra: profile.Object{"ownership": map[string]any{"capital": map[string]any{"exact": 90.0}}}}),
			fallback: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := ownership.Compute(context.Background(), tt.g.g, "L", ownership.Options{Threshold: tt.threshold})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, summary(r)); diff != "" {
				t.Errorf("owners (-want +got):\n%s\n%s", diff, r.Explain())
			}
			var control, smo []string
			for _, c := range r.Control {
				control = append(control, c.ProfileID)
			}
			for _, c := range r.SeniorManagingOfficials {
				smo = append(smo, c.ProfileID)
			}
			if diff := cmp.Diff(tt.control, control); diff != "" {
				t.Errorf("control (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.smo, smo); diff != "" {
				t.Errorf("senior managing officials (-want +got):\n%s", diff)
			}
			if r.Fallback != tt.fallback {
				t.Errorf("Fallback = %v, want %v", r.Fallback, tt.fallback)
			}
			if len(r.Cycles) != tt.cycles {
				t.Errorf("cycles = %v, want %d", r.Cycles, tt.cycles)
			}
			if !r.Complete() {
				t.Errorf("truncated: %v", r.Truncated)
			}
		})
	}
}

func TestExplainNamesEveryPath(t *testing.T) {
	g := newGraph().legal("L", "A", "B").natural("P").
		owns("L", "A", 40).owns("A", "P", 50).owns("L", "B", 20).owns("B", "P", 50)
	r, err := ownership.Compute(context.Background(), g.g, "L", ownership.Options{})
	if err != nil {
		t.Fatal(err)
	}
	got := r.Explain()
	for _, want := range []string{
		"P is a beneficial owner: capital 30%, votes 30%",
		"L <- A 40% <- P 50% = 20%",
		"L <- B 20% <- P 50% = 10%",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("Explain lacks %q:\n%s", want, got)
		}
	}
}

func TestComputeRefusesWhatItCannotWalk(t *testing.T) {
	ctx := context.Background()
	t.Run("not a legal person", func(t *testing.T) {
		_, err := ownership.Compute(ctx, newGraph().natural("P").g, "P", ownership.Options{})
		if !errors.Is(err, ownership.ErrNotLegalPerson) {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("missing", func(t *testing.T) {
		_, err := ownership.Compute(ctx, newGraph().g, "L", ownership.Options{})
		if !errors.Is(err, ownership.ErrNotLegalPerson) {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("threshold", func(t *testing.T) {
		_, err := ownership.Compute(ctx, newGraph().legal("L").g, "L", ownership.Options{Threshold: 120})
		if !errors.Is(err, ownership.ErrThreshold) {
			t.Fatalf("err = %v", err)
		}
	})
}

func TestComputeHostileGraphs(t *testing.T) {
	ctx := context.Background()
	t.Run("self relation", func(t *testing.T) {
		g := newGraph().legal("L").owns("L", "L", 50)
		_, err := ownership.Compute(ctx, g.g, "L", ownership.Options{})
		var fe *ownership.FactsError
		if !errors.As(err, &fe) || fe.Problems[0].Path != "relations[0].profile_id" {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("share over 100%", func(t *testing.T) {
		g := newGraph().legal("L").natural("P").owns("L", "P", 150)
		_, err := ownership.Compute(ctx, g.g, "L", ownership.Options{})
		var fe *ownership.FactsError
		if !errors.As(err, &fe) || fe.Problems[0].Path != "relations[0].extra.ownership.capital.exact" {
			t.Fatalf("err = %v", err)
		}
		if strings.Contains(err.Error(), "150") {
			t.Errorf("the error shows the value: %v", err)
		}
	})
	t.Run("negative share", func(t *testing.T) {
		g := newGraph().legal("L").natural("P").band("L", "P", -5, 10)
		_, err := ownership.Compute(ctx, g.g, "L", ownership.Options{})
		if !errors.Is(err, ownership.ErrInvalidFacts) || !strings.Contains(err.Error(), "relations[0].extra.ownership.capital.minimum") {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("1,000,000 relations on one profile", func(t *testing.T) {
		n := ownership.Node{ID: "L", PersonType: profile.LegalPerson, Relations: make([]profile.Relation, 1_000_000)}
		for i := range n.Relations {
			n.Relations[i] = profile.Relation{ProfileID: fmt.Sprint("P", i), Relationship: profile.RelationBusinessPartner}
		}
		_, err := ownership.Compute(ctx, ownership.MapGraph{"L": n}, "L", ownership.Options{})
		var fo *ownership.FanOutError
		if !errors.As(err, &fo) || fo.Relations != 1_000_000 {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("1,000,000 relations across a dense graph", func(t *testing.T) {
		// 1,000 legal persons, each held by every other: 999,000 relations
		// and more simple paths than atoms. The walk reads at most
		// MaxNodes profiles and stops at MaxPaths.
		const n = 1000
		g := ownership.MapGraph{}
		for i := range n {
			nd := ownership.Node{ID: fmt.Sprint("C", i), PersonType: profile.LegalPerson}
			for j := range n {
				if j != i {
					nd.Relations = append(nd.Relations, profile.Relation{ProfileID: fmt.Sprint("C", j),
						Relationship: profile.RelationBusinessPartner})
				}
			}
			g[nd.ID] = nd
		}
		r, err := ownership.Compute(ctx, g, "C0", ownership.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if r.Complete() {
			t.Fatal("a walk of every simple path reported itself complete")
		}
	})
	t.Run("a chain deeper than the limit", func(t *testing.T) {
		g := newGraph()
		for i := range 30 {
			g.legal(fmt.Sprint("C", i), fmt.Sprint("C", i+1)).owns(fmt.Sprint("C", i), fmt.Sprint("C", i+1), 100)
		}
		r, err := ownership.Compute(ctx, g.g, "C0", ownership.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if r.Complete() || r.Truncated[0].Limit != ownership.LimitDepth {
			t.Fatalf("Truncated = %v", r.Truncated)
		}
	})
}

func TestValidate(t *testing.T) {
	p := &profile.Profile{ID: "L", PersonType: profile.LegalPerson, Relations: []profile.Relation{
		{ProfileID: "A", Relationship: profile.RelationBusinessPartner, Extra: profile.Object{
			"ownership": map[string]any{"capital": map[string]any{"exact": 60.0}}}},
		{ProfileID: "B", Relationship: profile.RelationBusinessPartner, Extra: profile.Object{
			"ownership": map[string]any{"capital": map[string]any{"minimum": 50.0, "maximum": 25.0}}}},
		{ProfileID: "C", Relationship: profile.RelationGuarantor, Extra: profile.Object{
			"ownership": map[string]any{"capital": map[string]any{"exact": 1.0}}}},
		{ProfileID: "D", Relationship: profile.RelationLegalRepresentative, Extra: profile.Object{
			"control": []any{map[string]any{"kind": "emperor"}}}},
		{ProfileID: "E", Relationship: profile.RelationBusinessPartner, Extra: profile.Object{
			"ownership": map[string]any{"capital": map[string]any{"exact": 50.0}}}},
		{ProfileID: "F", Relationship: profile.RelationBusinessPartner, Extra: profile.Object{
			"ownership": map[string]any{"votes": "lots"}}},
	}}
	var got []string
	for _, pr := range ownership.DefaultRegistry().Validate(p) {
		got = append(got, pr.Path+" "+pr.Code)
	}
	want := []string{
		"relations[1].extra.ownership.capital.minimum range",
		"relations[2].extra.ownership allowed",
		"relations[3].extra.control[0].kind kind",
		"relations[5].extra.ownership.votes type",
		"relations total",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}
}

func TestRegistryWith(t *testing.T) {
	reg, err := ownership.DefaultRegistry().With("director", ownership.Carries{Control: true, DefaultControl: ownership.ControlBoardMember})
	if err != nil {
		t.Fatal(err)
	}
	if !reg.Carries("director").Control || ownership.DefaultRegistry().Carries("director").Control {
		t.Fatal("With changed the default registry or did not add the type")
	}
	if _, err := reg.With("Not Snake", ownership.Carries{}); !errors.Is(err, ownership.ErrRelationType) {
		t.Fatalf("err = %v", err)
	}
}

func TestComputeNodeLimit(t *testing.T) {
	g := newGraph().legal("L").natural("P", "Q", "R").owns("L", "P", 30).owns("L", "Q", 30).owns("L", "R", 30)
	r, err := ownership.Compute(context.Background(), g.g, "L", ownership.Options{Limits: ownership.Limits{MaxNodes: 3}})
	if err != nil {
		t.Fatal(err)
	}
	if r.Complete() || len(r.Owners) != 2 || len(r.OpenEnds) != 1 || r.OpenEnds[0].Reason != ownership.EndTruncated {
		t.Fatalf("owners %v, open ends %v, truncated %v", summary(r), r.OpenEnds, r.Truncated)
	}
}

// TestControlKinds checks that ControlKinds lists, sorted, exactly the
// kinds the registry accepts as a default control.
func TestControlKinds(t *testing.T) {
	want := []string{ownership.ControlBoardAppointment, ownership.ControlBoardMember, ownership.ControlContract,
		ownership.ControlOther, ownership.ControlSeniorManagingOfficial, ownership.ControlVeto, ownership.ControlVotingAgreement}
	got := ownership.ControlKinds()
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ControlKinds (-want +got):\n%s", diff)
	}
	for _, kind := range append(got, "not_a_kind") {
		_, err := ownership.DefaultRegistry().With("director", ownership.Carries{Control: true, DefaultControl: kind})
		if (err == nil) != (kind != "not_a_kind") {
			t.Errorf("default control %q: error %v", kind, err)
		}
	}
}
