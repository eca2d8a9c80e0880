package riskmatrix

import (
	"encoding/json"
	"errors"
	"math/rand/v2"
	"os"
	"slices"
	"testing"
)

// FuzzLoad feeds arbitrary documents to Load: it must never panic, must
// either return a matrix or a *MatrixError with at least one problem, and a
// matrix it returns must assess any profile to one of its levels.
func FuzzLoad(f *testing.F) {
	if b, err := os.ReadFile("testdata/example.json"); err == nil {
		f.Add(b)
	}
	f.Add([]byte(`{"version": "v", "levels": ["a", "b"], "aggregation": "maximum", "unknown_score": 0,
		"thresholds": [{"level": "b", "from": 1}],
		"factors": [{"id": "x", "kind": "profile_path", "weight": 1, "path": "metadata.a.b", "bands": [{"from": 0, "score": 1}]}],
		"overrides": [{"id": "o", "condition": "dprofile.metadata.a == 1", "exact": "a"}]}`))
	f.Add([]byte(`{"levels": "client", "factors": [{"kind": "rules", "rules": [{"when": "(", "score": 1}]}]}`))
	profiles := randomProfiles(rand.New(rand.NewPCG(9, 10)), 16)
	f.Fuzz(func(t *testing.T, doc []byte) {
		m, err := Load(doc)
		if err != nil {
			var me *MatrixError
			if !errors.As(err, &me) || !errors.Is(err, ErrInvalidMatrix) || len(me.Problems) == 0 {
				t.Fatalf("Load error %v is not a *MatrixError with problems", err)
			}
			return
		}
		for _, p := range profiles {
			a := m.Assess(p, testNow)
			if !slices.Contains(m.levels, a.Level) || len(a.Factors) != len(m.factors) {
				t.Fatalf("assessment %+v outside the matrix", a)
			}
			if _, err := json.Marshal(a); err != nil {
				t.Fatalf("assessment does not encode: %v", err)
			}
		}
	})
}
