package riskmatrix

import (
	"errors"
	"strings"
	"testing"

	"github.com/kycsdk/kyc/profile"
)

// TestDayCountsBounded: expiring_within_days and the bands of the
// relationship age are day counts, bounded by MaxDays at load with the
// JSON path (issue 15, 8). A huge expiring_within_days used to overflow, so
// that an expired document scored as valid.
func TestDayCountsBounded(t *testing.T) {
	tests := []struct {
		name, factor, wantPath string
	}{
		{"expiring_within_days huge", `{"kind": "identity_document", "expiring_within_days": 106751991167300, "scores": {"valid": 0, "expiring": 30, "expired": 80}}`, "factors[0].expiring_within_days"},
		{"expiring_within_days over the bound", `{"kind": "identity_document", "expiring_within_days": 36526, "scores": {"valid": 0, "expiring": 30, "expired": 80}}`, "factors[0].expiring_within_days"},
		{"relationship band negative", `{"kind": "relationship_age", "bands": [{"from": -1, "score": 60}, {"from": 180, "score": 40}]}`, "factors[0].bands[0].from"},
		{"relationship band over the bound", `{"kind": "relationship_age", "bands": [{"from": 0, "score": 60}, {"from": 1e9, "score": 40}]}`, "factors[0].bands[1].from"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := strings.Replace(tt.factor, "{", `{"id": "f", "weight": 1, `, 1)
			doc := `{"version": "t1", "levels": "client", "aggregation": "weighted_sum", "unknown_score": 50,
				"thresholds": [{"level": "medium", "from": 30}], "factors": [` + f + `], "overrides": []}`
			_, err := Load([]byte(doc))
			var me *MatrixError
			if !errors.As(err, &me) {
				t.Fatalf("Load = %v, want a *MatrixError", err)
			}
			found := false
			for _, p := range me.Problems {
				found = found || p.Path == tt.wantPath
			}
			if !found {
				t.Errorf("problems %v do not name %s", me.Problems, tt.wantPath)
			}
		})
	}
	// The longest accepted window still finds an expired document expired.
	f := `[{"id": "f", "weight": 1, "kind": "identity_document", "expiring_within_days": 36525, "scores": {"valid": 0, "expiring": 30, "expired": 80}}]`
	m := mustLoad(t, f, "")
	p := profile.Profile{IdentityDocuments: []profile.IdentityDocument{{ExpiryDate: new(profile.DateOf(2024, 5, 31))}}}
	if r := m.Assess(&p, testNow).Factors[0]; r.Value != "expired" {
		t.Errorf("expired document scored %q", r.Value)
	}
	p.IdentityDocuments[0].ExpiryDate = new(profile.DateOf(2100, 1, 1))
	if r := m.Assess(&p, testNow).Factors[0]; r.Value != "expiring" {
		t.Errorf("document expiring within 100 years scored %q", r.Value)
	}
}
