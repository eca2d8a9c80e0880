package review_test

import (
	"fmt"
	"time"

	"github.com/kycsdk/kyc/profile"
	"github.com/kycsdk/kyc/review"
)

// A high-risk customer last reviewed in March 2025 is due again a year
// later; the re-screening is due a month after the last screening.
func ExamplePolicy_Due() {
	pol := review.DefaultPolicy([]string{"low", "medium", "high"})
	day := func(y int, m time.Month, d int) profile.Timestamp {
		return profile.TimestampOf(time.Date(y, m, d, 0, 0, 0, 0, time.UTC))
	}
	p := &profile.Profile{ID: "p1", Risk: "high", CreatedAt: day(2024, 11, 2),
		LastDueDiligenceAt: day(2025, 3, 10), BlacklistsCheckedAt: day(2025, 3, 10)}
	w, err := pol.Due(p, nil, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range w.Reasons {
		fmt.Println(r.At.Time().Format(time.DateOnly), r.Kind, r.Path)
	}
	// Output:
	// 2025-04-10 rescreening blacklists_checked_at
	// 2026-03-10 periodic_review last_due_diligence_at
}
