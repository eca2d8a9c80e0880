package entityprofile_test

import (
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/kycsdk/kyc/entityprofile"
	"github.com/kycsdk/kyc/profile"
)

func runTypes(pl entityprofile.Plan) map[string]entityprofile.Reason {
	out := map[string]entityprofile.Reason{}
	for _, s := range pl.Run {
		out[s.Type] = s.Reason
	}
	return out
}

func reusedIDs(pl entityprofile.Plan) []string {
	var out []string
	for _, r := range pl.Reuse {
		out = append(out, r.CheckID)
	}
	return out
}

func TestPlan(t *testing.T) {
	r := fixture(t)
	tests := []struct {
		name      string
		edit      func(p *profile.Profile)
		types     []string
		wantRun   map[string]entityprofile.Reason
		wantReuse []string
		wantBlock []entityprofile.Blocked
	}{
		{
			name: "new customer runs the whole recipe",
			edit: func(p *profile.Profile) {},
			wantRun: map[string]entityprofile.Reason{
				"name_dob": entityprofile.ReasonNotRun, "address": entityprofile.ReasonNotRun, "id_document": entityprofile.ReasonNotRun,
				"pep": entityprofile.ReasonNotRun, "sanctions": entityprofile.ReasonNotRun,
			},
		},
		{
			name:      "valid results are reused, aged ones rerun",
			edit:      func(p *profile.Profile) { p.Checks = passed(40) },
			wantRun:   map[string]entityprofile.Reason{"pep": entityprofile.ReasonExpired, "sanctions": entityprofile.ReasonExpired},
			wantReuse: []string{"c-name", "c-addr", "c-doc"},
		},
		{
			name: "high risk adds adverse media and shortens screening",
			edit: func(p *profile.Profile) { p.Risk = "high"; p.Checks = passed(10) },
			wantRun: map[string]entityprofile.Reason{
				"pep": entityprofile.ReasonExpired, "sanctions": entityprofile.ReasonExpired, "adverse_media": entityprofile.ReasonNotRun,
			},
			wantReuse: []string{"c-name", "c-addr", "c-doc"},
		},
		{
			name: "missing consent blocks the checks that need it",
			edit: func(p *profile.Profile) { p.Consents = map[string]bool{"general": true} },
			wantRun: map[string]entityprofile.Reason{
				"name_dob": entityprofile.ReasonNotRun, "address": entityprofile.ReasonNotRun,
				"pep": entityprofile.ReasonNotRun, "sanctions": entityprofile.ReasonNotRun,
			},
			wantBlock: []entityprofile.Blocked{{Type: "id_document", Consent: "docs"}},
		},
		{
			name: "a pending address change makes address results stale",
			edit: func(p *profile.Profile) {
				p.Checks = passed(1)
				p.PendingReverification = []string{"addresses[0].street_name"}
			},
			wantRun:   map[string]entityprofile.Reason{"address": entityprofile.ReasonStale},
			wantReuse: []string{"c-name", "c-doc", "c-pep", "c-sanc"},
		},
		{
			name:      "caller adds a check type to the recipe",
			edit:      func(p *profile.Profile) { p.Checks = passed(1) },
			types:     []string{"biometric", "pep"},
			wantRun:   map[string]entityprofile.Reason{"biometric": entityprofile.ReasonNotRun},
			wantReuse: []string{"c-name", "c-addr", "c-doc", "c-pep", "c-sanc"},
		},
		{
			name:      "none runs only the named check types",
			edit:      func(p *profile.Profile) { p.EntityProfile = entityprofile.None; p.Checks = passed(1) },
			types:     []string{"sanctions", "adverse_media"},
			wantRun:   map[string]entityprofile.Reason{"adverse_media": entityprofile.ReasonNotRun},
			wantReuse: []string{"c-sanc"},
		},
		{
			name: "a result performed after now is not used",
			edit: func(p *profile.Profile) {
				p.Checks = passed(0)
				p.Checks[0].PerformedAt = ts(t0.Add(time.Hour))
			},
			wantRun:   map[string]entityprofile.Reason{"name_dob": entityprofile.ReasonNotRun},
			wantReuse: []string{"c-addr", "c-doc", "c-pep", "c-sanc"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := seedEntity(t)
			tt.edit(p)
			pl, err := r.Plan(p, t0, tt.types...)
			if err != nil {
				t.Fatalf("Plan: %v", err)
			}
			if tt.wantRun == nil {
				tt.wantRun = map[string]entityprofile.Reason{}
			}
			if diff := cmp.Diff(tt.wantRun, runTypes(pl)); diff != "" {
				t.Errorf("run (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantReuse, reusedIDs(pl)); diff != "" {
				t.Errorf("reuse (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantBlock, pl.Blocked); diff != "" {
				t.Errorf("blocked (-want +got):\n%s", diff)
			}
		})
	}
}

// Seed 001, note on changing the entity profile: "verifying an entity will
// always re-use any previous check results if they are still valid
// regardless of the entity profile that was specified".
func TestPlanReusesResultsOfAnyProfile(t *testing.T) {
	r := fixture(t)
	p := seedEntity(t)
	p.EntityProfile = "standard"
	p.Checks = passed(5)
	for i := range p.Checks {
		p.Checks[i].EntityProfile = "enhanced"
	}
	p.Checks = append(p.Checks, check("c-media", entityprofile.AdverseMedia, profile.OutcomePass, 5))
	p.Checks[len(p.Checks)-1].EntityProfile = "" // run under `none`

	pl, err := r.Plan(p, t0, entityprofile.AdverseMedia)
	if err != nil {
		t.Fatal(err)
	}
	if len(pl.Run) != 0 {
		t.Errorf("Run = %v, want nothing: every result is valid", pl.Run)
	}
	// standard runs name_dob, pep, sanctions; adverse_media is named by the
	// caller; address and id_document count towards standard's minimums.
	want := []string{"c-name", "c-pep", "c-sanc", "c-media", "c-addr", "c-doc"}
	if diff := cmp.Diff(want, reusedIDs(pl)); diff != "" {
		t.Errorf("reuse (-want +got):\n%s", diff)
	}
}

// Seed 001: "The entity profile will be applied immediately to the
// entity's current state using existing check data based on the profile's
// data aging rules", and changing it "will not invalidate any previous check
// results".
func TestChangeProfileAppliesAtOnce(t *testing.T) {
	r := fixture(t)
	p := seedEntity(t)
	p.Checks = passed(60) // pep and sanctions: 30d under safe_harbour, 90d under standard
	before := append([]profile.Check(nil), p.Checks...)

	pl, err := r.Plan(p, t0)
	if err != nil {
		t.Fatal(err)
	}
	wantBefore := map[string]entityprofile.Reason{"pep": entityprofile.ReasonExpired, "sanctions": entityprofile.ReasonExpired}
	if diff := cmp.Diff(wantBefore, runTypes(pl)); diff != "" {
		t.Errorf("under safe_harbour (-want +got):\n%s", diff)
	}

	if _, err := r.Assign(p, "standard"); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(before, p.Checks); diff != "" {
		t.Errorf("Assign changed the results (-want +got):\n%s", diff)
	}
	pl, err = r.Plan(p, t0)
	if err != nil {
		t.Fatal(err)
	}
	if len(pl.Run) != 0 {
		t.Errorf("under standard Run = %v, want nothing: 60-day-old screening is valid for 90 days", pl.Run)
	}
	for _, ru := range pl.Reuse {
		if ru.CheckID == "c-pep" && ru.ExpiresAt != ts(t0.Add(30*day)) {
			t.Errorf("c-pep expires at %v under standard, want %v", ru.ExpiresAt.Time(), t0.Add(30*day))
		}
	}

	// Back to safe_harbour: the same results, judged by its rules again.
	if _, err := r.Assign(p, "safe_harbour"); err != nil {
		t.Fatal(err)
	}
	pl, err = r.Plan(p, t0)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(wantBefore, runTypes(pl)); diff != "" {
		t.Errorf("back under safe_harbour (-want +got):\n%s", diff)
	}
}

func TestPlanErrors(t *testing.T) {
	r := fixture(t)
	tests := []struct {
		name    string
		profile string
		types   []string
		want    error
	}{
		{name: "none without check types", profile: entityprofile.None, want: entityprofile.ErrNoCheckTypes},
		{name: "no assignment without check types", profile: "", want: entityprofile.ErrNoCheckTypes},
		{name: "unknown profile", profile: "platinum", want: entityprofile.ErrUnknownProfile},
		{name: "unknown check type", profile: "standard", types: []string{"horoscope"}, want: entityprofile.ErrUnknownCheckType},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := seedEntity(t)
			p.EntityProfile = tt.profile
			_, err := r.Plan(p, t0, tt.types...)
			if !errors.Is(err, tt.want) {
				t.Errorf("Plan error = %v, want %v", err, tt.want)
			}
			_, err = r.Evaluate(p, t0, tt.types...)
			if !errors.Is(err, tt.want) {
				t.Errorf("Evaluate error = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestNilProfile(t *testing.T) {
	r := fixture(t)
	checks := map[string]error{}
	_, checks["Plan"] = r.Plan(nil, t0)
	_, checks["Evaluate"] = r.Evaluate(nil, t0)
	_, _, checks["Assess"] = r.Assess(nil, t0)
	_, checks["Assign"] = r.Assign(nil, "standard")
	_, checks["Choose"] = r.Choose(nil)
	_, checks["Record"] = r.Record(nil, entityprofile.Result{ID: "r", Type: "pep", Outcome: "pass", PerformedAt: t0})
	_, checks["DueBy"] = r.DueBy([]*profile.Profile{nil}, t0)
	for name, err := range checks {
		if !errors.Is(err, entityprofile.ErrNilProfile) {
			t.Errorf("%s(nil) error = %v, want ErrNilProfile", name, err)
		}
	}
}
