package storagetest

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/kycsdk/kyc/profile"
	"github.com/kycsdk/kyc/storage"
)

// testListFollowsUpdates updates one profile again and again, each time
// changing one thing a list filters or sorts on, and checks after every
// update that each filter finds the profile exactly when its new values
// match. An adapter that writes the listed columns only when it thinks they
// changed (to spare index writes) must not be fooled: the label sets
// include ones that spell the same when joined naively ("ab","c" and
// "a","bc"), and non-ASCII labels whose length in bytes and in characters
// differ.
func testListFollowsUpdates(t *testing.T, h *harness) {
	tn := h.tenant(t)
	p := newProfile("u1")
	p.Labels = []string{"ab", "c"}
	h.create(t, tn, p)
	steps := []struct {
		name   string
		change func(p *profile.Profile)
	}{
		{"same labels", func(p *profile.Profile) {}},
		{"labels spelled alike when joined", func(p *profile.Profile) { p.Labels = []string{"a", "bc"} }},
		{"labels reordered", func(p *profile.Profile) { p.Labels = []string{"bc", "a"} }},
		{"a label with a separator", func(p *profile.Profile) { p.Labels = []string{"a:bc"} }},
		{"non-ASCII labels", func(p *profile.Profile) { p.Labels = []string{"ñé", "üx"} }},
		{"non-ASCII labels kept", func(p *profile.Profile) {}},
		{"non-ASCII labels moved", func(p *profile.Profile) { p.Labels = []string{"ñ", "éüx"} }},
		{"no labels", func(p *profile.Profile) { p.Labels = nil }},
		{"labels again", func(p *profile.Profile) { p.Labels = []string{"vip"} }},
		{"state", func(p *profile.Profile) { p.State = "under_review" }},
		{"risk", func(p *profile.Profile) { p.Risk = "high" }},
		{"name", func(p *profile.Profile) { p.Name = "Zuzana Öberg" }},
		{"tax payer id", func(p *profile.Profile) { p.TaxPayerID = "27-99999999-9" }},
		{"created at", func(p *profile.Profile) { p.CreatedAt = ts(-time.Hour) }},
		{"person type", func(p *profile.Profile) {
			p.PersonType, p.NaturalPerson, p.LegalPerson = profile.LegalPerson, nil, &profile.Legal{Constitution: "sa"}
		}},
	}
	for i, step := range steps {
		step.change(p)
		e := bump(p, fmt.Sprintf("u1-%d", i), "op", ts(time.Duration(i+1)*time.Minute))
		if err := h.s.UpdateProfile(h.ctx, tn, storage.Record{Profile: clone(t, p)}, e); err != nil {
			t.Fatalf("%s: UpdateProfile: %v", step.name, err)
		}
		h.wantListed(t, tn, step.name, p)
	}
}

// wantListed checks that the filters of a list find p exactly when they
// match its values, and that it sorts by its name and modification time.
func (h *harness) wantListed(t *testing.T, tn, step string, p *profile.Profile) {
	t.Helper()
	labels := []string{"ab", "c", "a", "bc", "a:bc", "ñé", "üx", "ñ", "éüx", "vip"}
	for _, l := range labels {
		h.wantFound(t, tn, step, "label "+l, storage.Query{Label: l}, slices.Contains(p.Labels, l))
	}
	for _, s := range []string{"active", "under_review"} {
		h.wantFound(t, tn, step, "state "+s, storage.Query{States: []string{s}}, p.State == s)
		for _, r := range []string{"low", "high"} {
			h.wantFound(t, tn, step, "state and risk", storage.Query{States: []string{s}, Risks: []string{r}}, p.State == s && p.Risk == r)
		}
	}
	for _, r := range []string{"low", "high"} {
		h.wantFound(t, tn, step, "risk "+r, storage.Query{Risks: []string{r}}, p.Risk == r)
	}
	for _, pt := range []profile.PersonType{profile.NaturalPerson, profile.LegalPerson} {
		h.wantFound(t, tn, step, "person type", storage.Query{PersonType: pt}, p.PersonType == pt)
	}
	h.wantFound(t, tn, step, "text on the name", storage.Query{Text: "oberg"}, p.Name == "Zuzana Öberg")
	h.wantFound(t, tn, step, "text on the tax payer id", storage.Query{Text: "99999999"}, p.TaxPayerID == "27-99999999-9")
	h.wantFound(t, tn, step, "created before the first", storage.Query{CreatedUntil: ts(0)}, p.CreatedAt < ts(0))
	h.wantFound(t, tn, step, "modified since", storage.Query{ModifiedFrom: p.ModifiedAt}, true)
	h.wantFound(t, tn, step, "modified before", storage.Query{ModifiedUntil: p.ModifiedAt}, false)
	got := h.get(t, tn, p.ID)
	if got.Version != p.Version || !slices.Equal(got.Labels, p.Labels) || got.Name != p.Name {
		t.Fatalf("%s: stored version %d labels %q, want version %d labels %q", step, got.Version, got.Labels, p.Version, p.Labels)
	}
}

func (h *harness) wantFound(t *testing.T, tn, step, filter string, q storage.Query, want bool) {
	t.Helper()
	pg, err := h.s.ListProfiles(h.ctx, tn, q)
	if err != nil {
		t.Fatalf("%s: list by %s: %v", step, filter, err)
	}
	if found := len(pg.Profiles) == 1; found != want || pg.TotalElements != len(pg.Profiles) {
		t.Fatalf("%s: list by %s found %d of %d, want found = %v", step, filter, len(pg.Profiles), pg.TotalElements, want)
	}
}
