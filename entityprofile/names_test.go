package entityprofile_test

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/kycsdk/kyc/entityprofile"
)

// TestEnumsEncodeAsNames checks that a Plan, an Evaluation and a Due name
// their reasons, statuses, kinds and ageings in JSON, and decode back.
func TestEnumsEncodeAsNames(t *testing.T) {
	tests := []struct {
		name  string
		value any
		want  string
		back  func([]byte) (any, error)
	}{
		{"plan", entityprofile.Plan{Profile: "retail", Run: []entityprofile.Step{
			{Type: "id_document", Reason: entityprofile.ReasonNotRun, Ageing: entityprofile.For(365 * 24 * time.Hour)},
			{Type: "pep_screening", Reason: entityprofile.ReasonStale, Ageing: entityprofile.UntilDocumentExpiry()},
		}},
			`{"profile":"retail","run":[{"type":"id_document","reason":"not_run","ageing":"365d"},{"type":"pep_screening","reason":"stale","ageing":"document"}],"reuse":null,"blocked":null}`,
			func(b []byte) (any, error) { var v entityprofile.Plan; err := json.Unmarshal(b, &v); return v, err }},
		{"evaluation", entityprofile.Evaluation{Status: entityprofile.Incomplete},
			`{"status":"incomplete","profile":"","not_run":null,"expired":null,"stale":null,"blocked":null,"failed":null,"shortfalls":null,"valid_until":0}`,
			func(b []byte) (any, error) {
				var v entityprofile.Evaluation
				err := json.Unmarshal(b, &v)
				return v, err
			}},
		{"due", entityprofile.Due{ProfileID: "p1", Reasons: []entityprofile.DueReason{
			{Kind: entityprofile.DueDocument, Path: "identity_documents[0]"}, {Kind: entityprofile.DuePending, Path: "addresses"},
		}},
			`{"profile_id":"p1","by":0,"reasons":[{"kind":"document_expiring","type":"","check_id":"","path":"identity_documents[0]","at":0},{"kind":"pending_reverification","type":"","check_id":"","path":"addresses","at":0}]}`,
			func(b []byte) (any, error) { var v entityprofile.Due; err := json.Unmarshal(b, &v); return v, err }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := json.Marshal(tt.value)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, string(b)); diff != "" {
				t.Errorf("encoding (-want +got):\n%s", diff)
			}
			back, err := tt.back(b)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.value, back, cmp.Comparer(entityprofile.Ageing.Equal)); diff != "" {
				t.Errorf("round trip (-want +got):\n%s", diff)
			}
		})
	}
	var r entityprofile.Reason
	if err := json.Unmarshal([]byte(`"forgotten"`), &r); !errors.Is(err, entityprofile.ErrUnknownName) {
		t.Errorf("unknown reason: error %v, want ErrUnknownName", err)
	}
	if _, err := json.Marshal(entityprofile.Status(9)); !errors.Is(err, entityprofile.ErrUnknownName) {
		t.Errorf("status 9: error %v, want ErrUnknownName", err)
	}
	// The zero value, held by a result returned with an error, encodes.
	b, err := json.Marshal(entityprofile.Evaluation{})
	if err != nil {
		t.Fatalf("zero Evaluation: %v", err)
	}
	var back entityprofile.Evaluation
	if err := json.Unmarshal(b, &back); err != nil || back.Status != 0 {
		t.Errorf("zero Evaluation round trip: status %v, error %v", back.Status, err)
	}
}
