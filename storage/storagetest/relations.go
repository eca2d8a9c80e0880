package storagetest

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/kycsdk/kyc/profile"
	"github.com/kycsdk/kyc/storage"
)

// legalProfile returns a legal-person profile holding the relations given.
func legalProfile(id string, rels ...profile.Relation) *profile.Profile {
	p := newProfile(id)
	p.PersonType, p.NaturalPerson = profile.LegalPerson, nil
	p.Relations = rels
	return p
}

func partner(id string, pct string) profile.Relation {
	return profile.Relation{ProfileID: id, Relationship: profile.RelationBusinessPartner,
		Since: profile.DatePtr(profile.DateOf(2020, time.May, 4)),
		Extra: profile.Object{"ownership": map[string]any{"capital": map[string]any{"exact": json.Number(pct)}}}}
}

func (h *harness) relatedTo(t *testing.T, tn string, ids, types []string) []storage.RelationLink {
	t.Helper()
	got, err := h.s.RelatedTo(h.ctx, tn, ids, types)
	if err != nil {
		t.Fatalf("RelatedTo(%v): %v", ids, err)
	}
	return got
}

func wantLinks(t *testing.T, what string, want, got []storage.RelationLink) {
	t.Helper()
	if want == nil {
		want = []storage.RelationLink{}
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("%s (-want +got):\n%s", what, d)
	}
}

// testRelations checks the reverse index of relations and RelationsOf
// through create, an update that changes the relations, an update that
// keeps them, a delete, and across tenants.
func testRelations(t *testing.T, h *harness) {
	tn, other := h.tenant(t), h.tenant(t)
	h.create(t, tn, newProfile("ana"))
	h.create(t, tn, newProfile("ben"))
	acme := legalProfile("acme", partner("ana", "60"), partner("ben", "40"),
		profile.Relation{ProfileID: "ben", Relationship: profile.RelationLegalRepresentative})
	h.create(t, tn, acme)
	h.create(t, tn, legalProfile("beta", partner("ana", "100")))
	h.create(t, other, legalProfile("acme", partner("zed", "100")))

	wantLinks(t, "who relates to ana", []storage.RelationLink{
		{From: "acme", To: "ana", Relationship: "business_partner"},
		{From: "beta", To: "ana", Relationship: "business_partner"},
	}, h.relatedTo(t, tn, []string{"ana"}, nil))
	wantLinks(t, "who represents, for ana and ben", []storage.RelationLink{
		{From: "acme", To: "ben", Relationship: "legal_representative"},
	}, h.relatedTo(t, tn, []string{"ana", "ben"}, []string{"legal_representative"}))
	wantLinks(t, "another tenant's relation", nil, h.relatedTo(t, tn, []string{"zed"}, nil))
	wantLinks(t, "the other tenant", []storage.RelationLink{{From: "acme", To: "zed", Relationship: "business_partner"}},
		h.relatedTo(t, other, []string{"zed"}, nil))

	got, err := h.s.RelationsOf(h.ctx, tn, []string{"acme", "missing", "ana"})
	if err != nil {
		t.Fatal(err)
	}
	want := []storage.ProfileRelations{
		{ID: "acme", PersonType: profile.LegalPerson, Relations: acme.Relations},
		{ID: "ana", PersonType: profile.NaturalPerson, Relations: []profile.Relation{}},
	}
	if d := cmp.Diff(want, got, profileOpts); d != "" {
		t.Errorf("RelationsOf (-want +got):\n%s", d)
	}
	got[0].Relations[0].Extra["ownership"] = "changed"
	again, _ := h.s.RelationsOf(h.ctx, tn, []string{"acme"})
	if d := cmp.Diff(acme.Relations, again[0].Relations, profileOpts); d != "" {
		t.Errorf("stored relations changed through a caller's value (-want +got):\n%s", d)
	}

	// An update that drops ben and adds carl; then one that keeps them.
	p := h.get(t, tn, "acme")
	e := bump(p, "acme-v2", "op", ts(time.Hour))
	p.Relations = []profile.Relation{partner("ana", "60"), partner("carl", "40")}
	if err := h.s.UpdateProfile(h.ctx, tn, storage.Record{Profile: p}, e); err != nil {
		t.Fatal(err)
	}
	h.update(t, tn, "acme", "acme-v3", ts(2*time.Hour))
	wantLinks(t, "ben after the update", nil, h.relatedTo(t, tn, []string{"ben"}, nil))
	wantLinks(t, "carl after the update", []storage.RelationLink{{From: "acme", To: "carl", Relationship: "business_partner"}},
		h.relatedTo(t, tn, []string{"carl"}, nil))

	h.forceDelete(t, tn, "beta")
	wantLinks(t, "ana after beta's delete", []storage.RelationLink{{From: "acme", To: "ana", Relationship: "business_partner"}},
		h.relatedTo(t, tn, []string{"ana"}, nil))
	if got, _ := h.s.RelationsOf(h.ctx, tn, []string{"beta"}); len(got) != 0 {
		t.Errorf("RelationsOf a deleted profile = %v", got)
	}

	tooMany := make([]string, storage.MaxRelationIDs+1)
	for i := range tooMany {
		tooMany[i] = pid(i)
	}
	_, err = h.s.RelatedTo(h.ctx, tn, tooMany, nil)
	wantErr(t, "RelatedTo with too many ids", err, storage.ErrInvalid)
	_, err = h.s.RelationsOf(h.ctx, tn, tooMany)
	wantErr(t, "RelationsOf with too many ids", err, storage.ErrInvalid)
}
