package entityprofile_test

import (
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/kycsdk/kyc/entityprofile"
	"github.com/kycsdk/kyc/profile"
)

func TestRecord(t *testing.T) {
	r := fixture(t)
	passport := profile.DateOf(2030, time.March, 1)
	tests := []struct {
		name    string
		edit    func(p *profile.Profile)
		res     entityprofile.Result
		wantExp profile.Timestamp
		wantEP  string
	}{
		{
			name:    "duration ageing of the recipe",
			edit:    func(p *profile.Profile) {},
			res:     entityprofile.Result{ID: "r1", Type: "address", Outcome: "pass", Matched: []string{"address"}, PerformedAt: t0},
			wantExp: ts(t0.Add(365 * day)),
			wantEP:  "safe_harbour",
		},
		{
			name:    "risk policy shortens the ageing",
			edit:    func(p *profile.Profile) { p.Risk = "high" },
			res:     entityprofile.Result{ID: "r1", Type: "address", Outcome: "pass", Matched: []string{"address"}, PerformedAt: t0},
			wantExp: ts(t0.Add(180 * day)),
			wantEP:  "safe_harbour",
		},
		{
			name:   "never expires",
			edit:   func(p *profile.Profile) {},
			res:    entityprofile.Result{ID: "r1", Type: "name_dob", Outcome: "pass", Matched: []string{"name", "dob"}, PerformedAt: t0},
			wantEP: "safe_harbour",
		},
		{
			name: "until the earliest document still valid expires",
			edit: func(p *profile.Profile) {
				p.IdentityDocuments[0].ExpiryDate = profile.DatePtr(passport)
				p.IdentityDocuments = append(p.IdentityDocuments,
					profile.IdentityDocument{Type: "driving_licence", ExpiryDate: profile.DatePtr(profile.DateOf(2020, time.January, 1))},
					profile.IdentityDocument{Type: "national_id", ExpiryDate: profile.DatePtr(profile.DateOf(2031, time.January, 1))})
			},
			res:     entityprofile.Result{ID: "r1", Type: "id_document", Outcome: "pass", Matched: []string{"name"}, PerformedAt: t0},
			wantExp: ts(passport.Time().Add(day)),
			wantEP:  "safe_harbour",
		},
		{
			name:   "a document without expiry date",
			edit:   func(p *profile.Profile) {},
			res:    entityprofile.Result{ID: "r1", Type: "id_document", Outcome: "pass", PerformedAt: t0},
			wantEP: "safe_harbour",
		},
		{
			name:    "none uses the check type's own ageing",
			edit:    func(p *profile.Profile) { p.EntityProfile = entityprofile.None },
			res:     entityprofile.Result{ID: "r1", Type: "adverse_media", Outcome: "pass", PerformedAt: t0},
			wantExp: ts(t0.Add(90 * day)),
		},
		{
			name:    "a type outside the recipe keeps its own ageing",
			edit:    func(p *profile.Profile) {},
			res:     entityprofile.Result{ID: "r1", Type: "credit_header", Outcome: "partial", Matched: []string{"dob"}, PerformedAt: t0},
			wantExp: ts(t0.Add(365 * day)),
			wantEP:  "safe_harbour",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := seedEntity(t)
			tt.edit(p)
			got, err := r.Record(p, tt.res)
			if err != nil {
				t.Fatalf("Record: %v", err)
			}
			want := profile.Check{
				ID: tt.res.ID, Type: tt.res.Type, Outcome: tt.res.Outcome, Matched: tt.res.Matched,
				PerformedAt: ts(tt.res.PerformedAt), ExpiresAt: tt.wantExp, EntityProfile: tt.wantEP,
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("check (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff([]profile.Check{want}, p.Checks); diff != "" {
				t.Errorf("p.Checks (-want +got):\n%s", diff)
			}
		})
	}
}

func TestRecordRefuses(t *testing.T) {
	r := fixture(t)
	ok := entityprofile.Result{ID: "r1", Type: "address", Outcome: "pass", Matched: []string{"address"}, PerformedAt: t0}
	tests := []struct {
		name      string
		edit      func(res *entityprofile.Result)
		wantField string
	}{
		{name: "no id", edit: func(res *entityprofile.Result) { res.ID = "" }, wantField: "id"},
		{name: "unknown type", edit: func(res *entityprofile.Result) { res.Type = "horoscope" }, wantField: "type"},
		{name: "no time", edit: func(res *entityprofile.Result) { res.PerformedAt = time.Time{} }, wantField: "performed_at"},
		{name: "unknown outcome", edit: func(res *entityprofile.Result) { res.Outcome = "maybe" }, wantField: "outcome"},
		{name: "a fail that matched", edit: func(res *entityprofile.Result) { res.Outcome = "fail" }, wantField: "matched"},
		{name: "unknown field", edit: func(res *entityprofile.Result) { res.Matched = []string{"iris"} }, wantField: "matched"},
		{name: "a field the type cannot match", edit: func(res *entityprofile.Result) { res.Matched = []string{"dob"} }, wantField: "matched"},
		{name: "a field twice", edit: func(res *entityprofile.Result) { res.Matched = []string{"name", "name"} }, wantField: "matched"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := seedEntity(t)
			res := ok
			tt.edit(&res)
			_, err := r.Record(p, res)
			var re *entityprofile.ResultError
			if !errors.As(err, &re) || !errors.Is(err, entityprofile.ErrInvalidResult) {
				t.Fatalf("error = %v, want a *ResultError", err)
			}
			if diff := cmp.Diff(tt.wantField, re.Field); diff != "" {
				t.Errorf("field (-want +got):\n%s", diff)
			}
			if len(p.Checks) != 0 {
				t.Errorf("a refused result was recorded: %v", p.Checks)
			}
		})
	}
	t.Run("unknown assigned profile", func(t *testing.T) {
		p := seedEntity(t)
		p.EntityProfile = "platinum"
		if _, err := r.Record(p, ok); !errors.Is(err, entityprofile.ErrUnknownProfile) {
			t.Errorf("error = %v, want ErrUnknownProfile", err)
		}
	})
}
