package entityprofile_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/kycsdk/kyc/entityprofile"
	"github.com/kycsdk/kyc/profile"
)

// TestRecordWithoutValidDocument: a result aged by the identity document,
// recorded while the person holds no valid document, is expired at once
// (issue 15, 8): it used to get ExpiresAt 0, which means never.
func TestRecordWithoutValidDocument(t *testing.T) {
	r := fixture(t)
	expired := profile.DatePtr(profile.DateOf(2025, time.March, 1))
	for name, docs := range map[string][]profile.IdentityDocument{
		"no document":       nil,
		"expired documents": {{Type: "passport", Number: "X1", ExpiryDate: expired}, {Type: "national_id", Number: "N1", ExpiryDate: expired}},
	} {
		t.Run(name, func(t *testing.T) {
			p := seedEntity(t)
			p.IdentityDocuments = docs
			res := entityprofile.Result{ID: "r1", Type: entityprofile.IDDocument, Outcome: "pass", Matched: []string{"name"}, PerformedAt: t0}
			got, err := r.Record(p, res)
			if err != nil {
				t.Fatal(err)
			}
			if got.ExpiresAt != ts(t0) {
				t.Errorf("ExpiresAt = %d, want the performed time %d", got.ExpiresAt, ts(t0))
			}
			pl, err := r.Plan(p, t0)
			if err != nil {
				t.Fatal(err)
			}
			if reason := runTypes(pl)[entityprofile.IDDocument]; reason != entityprofile.ReasonExpired {
				t.Errorf("plan at the performed time: id_document %v, want expired; plan %+v", reason, pl)
			}
			ev, err := r.Evaluate(p, t0.Add(time.Hour))
			if err != nil {
				t.Fatal(err)
			}
			if ev.Status == entityprofile.Passed {
				t.Errorf("evaluation passed on an expired document check: %+v", ev)
			}
		})
	}
	t.Run("a valid document without expiry date", func(t *testing.T) {
		p := seedEntity(t)
		p.IdentityDocuments = []profile.IdentityDocument{{Type: "national_id", Number: "N1", ExpiryDate: expired}, {Type: "passport", Number: "P1"}}
		got, err := r.Record(p, entityprofile.Result{ID: "r1", Type: entityprofile.IDDocument, Outcome: "pass", PerformedAt: t0})
		if err != nil {
			t.Fatal(err)
		}
		if got.ExpiresAt != 0 {
			t.Errorf("ExpiresAt = %d, want 0 (never): the passport does not expire", got.ExpiresAt)
		}
	})
}

// TestAgeingBounded: an ageing longer than MaxAgeing is refused, by
// ParseAgeing and at load with the JSON path of the rule.
func TestAgeingBounded(t *testing.T) {
	if _, err := entityprofile.ParseAgeing("36525d"); err != nil {
		t.Errorf("100 years refused: %v", err)
	}
	for _, s := range []string{"36526d", "876601h", "2562047h", "106751d"} {
		if _, err := entityprofile.ParseAgeing(s); err == nil {
			t.Errorf("ParseAgeing(%q) accepted an ageing over MaxAgeing", s)
		}
	}
	if d, _ := entityprofile.For(entityprofile.MaxAgeing).Duration(); d != 36525*day {
		t.Errorf("MaxAgeing = %v", d)
	}
	tests := []struct{ name, config, wantPath string }{
		{
			name:     "check type",
			config:   `{"check_types":[{"name":"x","ageing":"40000d"}],"profiles":[{"name":"a","checks":["pep"],"minimum":{}}]}`,
			wantPath: "check_types[0].ageing",
		},
		{
			name:     "recipe",
			config:   `{"profiles":[{"name":"a","checks":["pep"],"ageing":{"pep":"99999d"},"minimum":{}}]}`,
			wantPath: "profiles[0].ageing.pep",
		},
		{
			name:     "risk policy",
			config:   `{"profiles":[{"name":"a","checks":["pep"],"ageing":{"pep":"never"},"risk_policies":{"high":{"ageing":{"pep":"50000d"}}},"minimum":{}}]}`,
			wantPath: `profiles[0].risk_policies.high.ageing.pep`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := entityprofile.LoadBytes([]byte(tt.config))
			if !errors.Is(err, entityprofile.ErrInvalidConfig) {
				t.Fatalf("Load = %v, want ErrInvalidConfig", err)
			}
			if !strings.Contains(err.Error(), tt.wantPath) {
				t.Errorf("error %q does not name %s", err, tt.wantPath)
			}
		})
	}
}
