package review_test

import (
	"errors"
	"testing"

	"github.com/kycsdk/kyc/review"
)

// FuzzLoad feeds arbitrary documents to Load: it never panics, fails only
// with a *PolicyError whose problems all carry a message, and a policy it
// accepts passes its own Check and has every interval within bounds.
func FuzzLoad(f *testing.F) {
	f.Add([]byte(`{"periodic_review": {"levels": {"high": "P1Y"}, "default": "P5Y"}, "document_lead_time": "P30D"}`))
	f.Add([]byte(`{"rescreening": {"default": "P99999Y"}, "triggers": ["risk_changed", "x"]}`))
	f.Add([]byte(`{"document_lead_time": "P1Y2M3W4D"}`))
	f.Add([]byte(`{"four_eyes_levels": ["high", "high"], "periodic_review": {"default": "P0D"}}`))
	f.Add([]byte(`[]`))
	levels := []string{"low", "medium", "high"}
	f.Fuzz(func(t *testing.T, doc []byte) {
		p, err := review.Load(doc, levels)
		if err != nil {
			var pe *review.PolicyError
			if !errors.As(err, &pe) || len(pe.Problems) == 0 {
				t.Fatalf("Load error %v is not a *PolicyError with problems", err)
			}
			for _, pr := range pe.Problems {
				if pr.Message == "" {
					t.Fatalf("problem at %q has no message", pr.Path)
				}
			}
			return
		}
		if err := p.Check(levels); err != nil {
			t.Fatalf("an accepted policy fails its own Check: %v", err)
		}
	})
}
