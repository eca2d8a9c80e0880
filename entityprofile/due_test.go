package entityprofile_test

import (
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/kycsdk/kyc/entityprofile"
	"github.com/kycsdk/kyc/profile"
)

func TestDueBy(t *testing.T) {
	r := fixture(t)
	mk := func(id string, edit func(p *profile.Profile)) *profile.Profile {
		p := seedEntity(t)
		p.ID = id
		p.Checks = passed(0)
		edit(p)
		return p
	}
	profiles := []*profile.Profile{
		mk("p-fresh", func(p *profile.Profile) { p.EntityProfile = "standard" }),
		mk("p-screening", func(p *profile.Profile) {}),
		mk("p-passport", func(p *profile.Profile) {
			p.EntityProfile = "standard"
			p.IdentityDocuments[0].ExpiryDate = profile.DatePtr(profile.DateOf(2026, time.January, 20))
		}),
		mk("p-moved", func(p *profile.Profile) {
			p.EntityProfile = "standard"
			p.PendingReverification = []string{"addresses[0].city"}
		}),
		mk("p-none", func(p *profile.Profile) {
			p.EntityProfile = entityprofile.None
			p.Checks = []profile.Check{check("c-media", entityprofile.AdverseMedia, profile.OutcomePass, 80)}
		}),
		mk("p-renewed", func(p *profile.Profile) {
			p.Checks = append(passed(60), passed(0)...)
			p.EntityProfile = "standard"
		}),
	}
	got, err := r.DueBy(profiles, t0.Add(31*day))
	if err != nil {
		t.Fatal(err)
	}
	screening := ts(t0.Add(30 * day))
	want := []entityprofile.Due{
		{ProfileID: "p-moved", By: 0, Reasons: []entityprofile.DueReason{{Kind: entityprofile.DuePending, Path: "addresses[0].city"}}},
		{ProfileID: "p-none", By: ts(t0.Add(10 * day)), Reasons: []entityprofile.DueReason{
			{Kind: entityprofile.DueResult, Type: "adverse_media", CheckID: "c-media", At: ts(t0.Add(10 * day))},
		}},
		{ProfileID: "p-passport", By: ts(time.Date(2026, time.January, 21, 0, 0, 0, 0, time.UTC)), Reasons: []entityprofile.DueReason{
			{Kind: entityprofile.DueDocument, Path: "identity_documents[0]", At: ts(time.Date(2026, time.January, 21, 0, 0, 0, 0, time.UTC))},
		}},
		{ProfileID: "p-screening", By: screening, Reasons: []entityprofile.DueReason{
			{Kind: entityprofile.DueResult, Type: "pep", CheckID: "c-pep", At: screening},
			{Kind: entityprofile.DueResult, Type: "sanctions", CheckID: "c-sanc", At: screening},
		}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("DueBy (-want +got):\n%s", diff)
	}
}

func TestDueByReportsUnresolvedProfiles(t *testing.T) {
	r := fixture(t)
	bad := &profile.Profile{ID: "p-bad", EntityProfile: "platinum"}
	good := &profile.Profile{ID: "p-good", EntityProfile: "standard", PendingReverification: []string{"name"}}
	got, err := r.DueBy([]*profile.Profile{bad, good}, t0)
	if !errors.Is(err, entityprofile.ErrUnknownProfile) {
		t.Errorf("error = %v, want ErrUnknownProfile", err)
	}
	if len(got) != 1 || got[0].ProfileID != "p-good" {
		t.Errorf("DueBy = %+v, want p-good only", got)
	}
}

func TestDueKindString(t *testing.T) {
	got := []string{entityprofile.DueResult.String(), entityprofile.DueDocument.String(), entityprofile.DuePending.String(), entityprofile.DueKind(0).String()}
	want := []string{"result expiring", "document expiring", "pending re-verification", "unknown"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}
