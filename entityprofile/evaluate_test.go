package entityprofile_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/kycsdk/kyc/entityprofile"
	"github.com/kycsdk/kyc/profile"
)

// summary is what a test compares of an Evaluation: shortfalls as their
// text ("1 of 2 address matches").
type summary struct {
	Status     string
	NotRun     []string
	Expired    []entityprofile.Expiry
	Stale      []string
	Blocked    []entityprofile.Blocked
	Failed     []string
	Shortfalls []string
	ValidUntil profile.Timestamp
}

func summarise(ev entityprofile.Evaluation) summary {
	s := summary{Status: ev.Status.String(), NotRun: ev.NotRun, Expired: ev.Expired, Stale: ev.Stale, Blocked: ev.Blocked, ValidUntil: ev.ValidUntil}
	for _, f := range ev.Failed {
		s.Failed = append(s.Failed, f.CheckID)
	}
	for _, sf := range ev.Shortfalls {
		s.Shortfalls = append(s.Shortfalls, sf.String())
	}
	return s
}

// Results age out one after the other: screening after 30 days, the address
// after 365, the identity document with the passport; name_dob never.
func TestEvaluateOverTime(t *testing.T) {
	r := fixture(t)
	p := seedEntity(t)
	p.IdentityDocuments[0].ExpiryDate = profile.DatePtr(profile.DateOf(2027, time.June, 30))
	p.Checks = passed(0)
	passportEnd := ts(time.Date(2027, time.July, 1, 0, 0, 0, 0, time.UTC))
	screening := []entityprofile.Expiry{
		{Type: "pep", CheckID: "c-pep", At: ts(t0.Add(30 * day))},
		{Type: "sanctions", CheckID: "c-sanc", At: ts(t0.Add(30 * day))},
	}
	tests := []struct {
		name string
		at   time.Time
		want summary
	}{
		{
			name: "just verified",
			at:   t0,
			want: summary{Status: "passed", ValidUntil: ts(t0.Add(30 * day))},
		},
		{
			name: "a millisecond before screening ages out",
			at:   t0.Add(30*day - time.Millisecond),
			want: summary{Status: "passed", ValidUntil: ts(t0.Add(30 * day))},
		},
		{
			name: "screening aged out",
			at:   t0.Add(30 * day),
			want: summary{Status: "incomplete", Expired: screening},
		},
		{
			name: "address aged out",
			at:   t0.Add(400 * day),
			want: summary{
				Status:     "incomplete",
				Expired:    []entityprofile.Expiry{{Type: "address", CheckID: "c-addr", At: ts(t0.Add(365 * day))}, screening[0], screening[1]},
				Shortfalls: []string{"0 of 1 address matches"},
			},
		},
		{
			name: "passport expired",
			at:   t0.Add(600 * day),
			want: summary{
				Status: "incomplete",
				Expired: []entityprofile.Expiry{
					{Type: "address", CheckID: "c-addr", At: ts(t0.Add(365 * day))},
					{Type: "id_document", CheckID: "c-doc", At: passportEnd},
					screening[0], screening[1],
				},
				Shortfalls: []string{"1 of 2 name matches", "0 of 1 address matches"},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ev, err := r.Evaluate(p, tt.at)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, summarise(ev)); diff != "" {
				t.Errorf("at %s (-want +got):\n%s", tt.at.Format(time.DateOnly), diff)
			}
		})
	}
}

func TestEvaluate(t *testing.T) {
	r := fixture(t)
	tests := []struct {
		name  string
		edit  func(p *profile.Profile)
		types []string
		want  summary
	}{
		{
			name: "new customer",
			edit: func(p *profile.Profile) {},
			want: summary{
				Status:     "incomplete",
				NotRun:     []string{"name_dob", "address", "id_document", "pep", "sanctions"},
				Shortfalls: []string{"0 of 2 name matches", "0 of 1 address matches", "0 of 1 dob matches"},
			},
		},
		{
			name: "a sanctions hit fails",
			edit: func(p *profile.Profile) {
				p.Checks = passed(1)
				p.Checks[4] = check("c-sanc", entityprofile.Sanctions, profile.OutcomeFail, 1)
			},
			want: summary{Status: "failed", Failed: []string{"c-sanc"}},
		},
		{
			name: "failure outranks missing checks",
			edit: func(p *profile.Profile) {
				p.Checks = []profile.Check{check("c-pep", entityprofile.PEP, profile.OutcomeFail, 1)}
			},
			want: summary{
				Status:     "failed",
				NotRun:     []string{"name_dob", "address", "id_document", "sanctions"},
				Failed:     []string{"c-pep"},
				Shortfalls: []string{"0 of 2 name matches", "0 of 1 address matches", "0 of 1 dob matches"},
			},
		},
		{
			name: "partial matches fall short",
			edit: func(p *profile.Profile) {
				p.Checks = passed(1)
				p.Checks[0] = check("c-name", entityprofile.NameDOB, profile.OutcomePartial, 1, profile.MatchDOB)
				p.Checks[2] = check("c-doc", entityprofile.IDDocument, profile.OutcomePartial, 1, profile.MatchDOB)
			},
			want: summary{Status: "incomplete", Shortfalls: []string{"1 of 2 name matches"}},
		},
		{
			name: "a later result replaces an earlier one",
			edit: func(p *profile.Profile) {
				p.Checks = passed(3)
				p.Checks = append(p.Checks, check("c-addr2", entityprofile.Address, profile.OutcomePartial, 1, profile.MatchName))
			},
			want: summary{Status: "incomplete", Shortfalls: []string{"0 of 1 address matches"}},
		},
		{
			name: "consent withdrawn blocks an expired check",
			edit: func(p *profile.Profile) {
				p.Checks = passed(40)
				p.Consents["general"] = false
			},
			want: summary{
				Status: "incomplete",
				Expired: []entityprofile.Expiry{
					{Type: "pep", CheckID: "c-pep", At: ts(t0.Add(-10 * day))},
					{Type: "sanctions", CheckID: "c-sanc", At: ts(t0.Add(-10 * day))},
				},
				Blocked: []entityprofile.Blocked{{Type: "pep", Consent: "general"}, {Type: "sanctions", Consent: "general"}},
			},
		},
		{
			name: "pending name change makes identity results stale",
			edit: func(p *profile.Profile) {
				p.Checks = passed(1)
				p.PendingReverification = []string{"natural_person.name.last"}
			},
			want: summary{
				Status:     "incomplete",
				Stale:      []string{"name_dob", "address", "id_document", "pep", "sanctions"},
				Shortfalls: []string{"0 of 2 name matches", "0 of 1 address matches", "0 of 1 dob matches"},
			},
		},
		{
			name: "a result of another recipe counts towards the minimum",
			edit: func(p *profile.Profile) {
				p.EntityProfile = "standard"
				p.Checks = []profile.Check{
					check("c-credit", entityprofile.CreditHeader, profile.OutcomePass, 1, profile.MatchName, profile.MatchDOB),
					check("c-pep", entityprofile.PEP, profile.OutcomePass, 1),
					check("c-sanc", entityprofile.Sanctions, profile.OutcomePass, 1),
				}
			},
			want: summary{Status: "incomplete", NotRun: []string{"name_dob"}},
		},
		{
			name: "none evaluates the named types only",
			edit: func(p *profile.Profile) {
				p.EntityProfile = entityprofile.None
				p.Checks = passed(1)
			},
			types: []string{"pep"},
			want:  summary{Status: "passed", ValidUntil: ts(t0.Add(29 * day))},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := seedEntity(t)
			tt.edit(p)
			ev, err := r.Evaluate(p, t0, tt.types...)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, summarise(ev)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestShortfallString(t *testing.T) {
	got := entityprofile.Shortfall{Field: "address", Have: 1, Want: 2}.String()
	if diff := cmp.Diff("1 of 2 address matches", got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}
