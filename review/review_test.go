package review_test

import (
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/kycsdk/kyc/profile"
	"github.com/kycsdk/kyc/review"
)

var levels = []string{"low", "medium", "high"}

func at(y int, m time.Month, d int) profile.Timestamp {
	return profile.TimestampOf(time.Date(y, m, d, 0, 0, 0, 0, time.UTC))
}

func TestParseInterval(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want review.Interval
	}{
		{"P1Y", review.Years(1)}, {"P6M", review.Months(6)}, {"P30D", review.Days(30)},
		{"P2W", review.Days(14)}, {"P1Y6M15D", review.Interval{Years: 1, Months: 6, Days: 15}},
		{"P1W2D", review.Days(9)}, {"P0D", review.Interval{}},
	} {
		got, err := review.ParseInterval(tc.in)
		if err != nil || got != tc.want {
			t.Errorf("ParseInterval(%q) = %v, %v; want %v", tc.in, got, err, tc.want)
		}
	}
	for _, bad := range []string{"", "P", "1Y", "PT12H", "P1H", "P1M1Y", "P1Y1Y", "PY", "P-1D", "P123456D", "P1.5Y", "p1y"} {
		if got, err := review.ParseInterval(bad); err == nil {
			t.Errorf("ParseInterval(%q) = %v, want an error", bad, got)
		}
	}
	if s := (review.Interval{Years: 1, Months: 6}).String(); s != "P1Y6M" {
		t.Errorf("String = %q", s)
	}
}

func TestDefaultPolicyFollowsArticle26(t *testing.T) {
	p := review.DefaultPolicy(levels)
	for level, want := range map[string]review.Interval{"low": review.Years(5), "medium": review.Years(5), "high": review.Years(1), "": review.Years(5)} {
		if got := p.Review.For(level); got != want {
			t.Errorf("review interval of %q = %v, want %v", level, got, want)
		}
	}
	four := review.DefaultPolicy([]string{"low", "medium", "high", "severe"})
	for level, want := range map[string]review.Interval{"medium": review.Years(5), "high": review.Years(1), "severe": review.Years(1)} {
		if got := four.Review.For(level); got != want {
			t.Errorf("four levels: review interval of %q = %v, want %v", level, got, want)
		}
	}
	if err := p.Check(levels); err != nil {
		t.Errorf("default policy refused: %v", err)
	}
}

func TestLoad(t *testing.T) {
	p, err := review.Load([]byte(`{
		"periodic_review": {"levels": {"high": "P6M"}, "default": "P3Y"},
		"four_eyes_levels": ["high"],
		"triggers": ["risk_changed", "confirmed_hit"]
	}`), levels)
	if err != nil {
		t.Fatal(err)
	}
	if p.Review.For("high") != review.Months(6) || p.Review.For("low") != review.Years(3) {
		t.Errorf("review intervals = %+v", p.Review)
	}
	if p.Rescreen.For("high") != review.Months(1) || p.DocumentLeadTime != review.Days(30) {
		t.Errorf("omitted parts did not take the defaults: %+v", p)
	}
	if !p.FourEyes("high") || p.FourEyes("low") {
		t.Errorf("four eyes = %v", p.FourEyesLevels)
	}
}

// TestLoadRefusesWithPaths: each bad policy is refused whole, every
// problem named by its path, with a message and no Go type name.
func TestLoadRefusesWithPaths(t *testing.T) {
	for _, tc := range []struct {
		name, doc string
		want      []string // paths
	}{
		{"zero interval", `{"periodic_review": {"default": "P0D"}}`, []string{"periodic_review.default"}},
		{"absurd interval", `{"rescreening": {"default": "P11Y"}}`, []string{"rescreening.default"}},
		{"absurd and zero at once", `{"periodic_review": {"levels": {"high": "P0D", "low": "P99999D"}, "default": "P1Y"}}`,
			[]string{"periodic_review.levels.high", "periodic_review.levels.low"}},
		{"unknown level", `{"periodic_review": {"levels": {"extreme": "P1Y"}, "default": "P1Y"}, "four_eyes_levels": ["low", "critical"]}`,
			[]string{"periodic_review.levels.extreme", "four_eyes_levels[1]"}},
		{"unknown trigger", `{"triggers": ["risk_changed", "moon_phase"]}`, []string{"triggers[1]"}},
		{"lead time not a duration", `{"document_lead_time": "a month"}`, []string{"document_lead_time"}},
		{"hours", `{"document_lead_time": "PT48H"}`, []string{"document_lead_time"}},
		{"misspelt key", `{"periodic_reviews": {"default": "P1Y"}}`, []string{""}},
		{"nested misspelt key", `{"periodic_review": {"defualt": "P1Y"}}`, []string{"periodic_review"}},
		{"duplicate key", `{"document_lead_time": "P1D", "document_lead_time": "P2D"}`, []string{""}},
		{"wrong kind", `{"four_eyes_levels": "high"}`, []string{"four_eyes_levels"}},
		{"not JSON", `{"periodic_review": `, []string{""}},
		{"data after the policy", `{} {}`, []string{""}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := review.Load([]byte(tc.doc), levels)
			var pe *review.PolicyError
			if !errors.As(err, &pe) || !errors.Is(err, review.ErrPolicy) || p != nil {
				t.Fatalf("Load = %v, %v; want a *PolicyError", p, err)
			}
			var paths []string
			for _, pr := range pe.Problems {
				paths = append(paths, pr.Path)
				if pr.Message == "" {
					t.Errorf("problem at %q has no message", pr.Path)
				}
			}
			if d := cmp.Diff(tc.want, paths); d != "" {
				t.Errorf("paths (-want +got):\n%s\n%v", d, err)
			}
			for _, goName := range []string{"review.", "Interval", "[]string", "struct"} {
				if msg := err.Error(); containsWord(msg, goName) {
					t.Errorf("error names a Go type (%s): %s", goName, msg)
				}
			}
		})
	}
}

func containsWord(s, w string) bool {
	for i := 0; i+len(w) <= len(s); i++ {
		if s[i:i+len(w)] == w && (i == 0 || s[i-1] == ' ' || s[i-1] == '(') {
			return true
		}
	}
	return false
}

// TestDueWorkedExample: a high-risk customer verified on 2025-03-01,
// screened on 2025-06-01, holding a passport that expires on 2026-01-31,
// with a pending address change.
func TestDueWorkedExample(t *testing.T) {
	pol := review.DefaultPolicy(levels)
	p := &profile.Profile{
		ID: "p1", Risk: "high", CreatedAt: at(2025, 2, 20), VerifiedAt: at(2025, 3, 1),
		ModifiedAt: at(2025, 7, 1), BlacklistsCheckedAt: at(2025, 6, 1),
		IdentityDocuments:     []profile.IdentityDocument{{Type: "passport", Number: "X", ExpiryDate: profile.DatePtr(profile.DateOf(2026, 1, 31))}},
		PendingReverification: []string{"addresses"},
	}
	w, err := pol.Due(p, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := review.Work{At: at(2025, 7, 1), Reasons: []review.Reason{
		{Kind: review.Rescreening, At: at(2025, 7, 1), Path: "blacklists_checked_at"},
		{Kind: review.Reverification, At: at(2025, 7, 1), Path: "addresses"},
		// The passport is valid through 31 January: it expires as 1
		// February begins, and 30 days before that is 2 January.
		{Kind: review.DocumentExpiring, At: at(2026, 1, 2), Path: "identity_documents[0]"},
		{Kind: review.PeriodicReview, At: at(2026, 3, 1), Path: "verified_at"},
	}}
	if d := cmp.Diff(want, w); d != "" {
		t.Errorf("due work (-want +got):\n%s", d)
	}
	if got := w.DueBy(at(2025, 12, 31).Time()); len(got) != 2 {
		t.Errorf("due by the end of 2025: %v", got)
	}

	// A completed review moves the periodic review a year on, and the
	// customer becomes low risk: five years.
	p.LastDueDiligenceAt, p.Risk = at(2025, 9, 15), "low"
	p.PendingReverification, p.IdentityDocuments = nil, nil
	w, err = pol.Due(p, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	want = review.Work{At: at(2026, 6, 1), Reasons: []review.Reason{
		{Kind: review.Rescreening, At: at(2026, 6, 1), Path: "blacklists_checked_at"},
		{Kind: review.PeriodicReview, At: at(2030, 9, 15), Path: "last_due_diligence_at"},
	}}
	if d := cmp.Diff(want, w); d != "" {
		t.Errorf("after the review (-want +got):\n%s", d)
	}
}

func TestNeverScreenedIsDueAtCreation(t *testing.T) {
	p := &profile.Profile{ID: "p1", CreatedAt: at(2025, 1, 1)}
	w, err := review.DefaultPolicy(levels).Due(p, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if w.At != at(2025, 1, 1) || w.Reasons[0].Kind != review.Rescreening {
		t.Errorf("work = %+v", w)
	}
}

// TestEventsStayOpenUntilReviewed: a risk change and a confirmed hit are
// raised once, stay in the due work, and a review after them answers them.
func TestEventsStayOpenUntilReviewed(t *testing.T) {
	pol := review.DefaultPolicy(levels)
	prev := &profile.Profile{ID: "p1", Risk: "low", CreatedAt: at(2025, 1, 1), BlacklistsCheckedAt: at(2025, 1, 1),
		BlacklistFound: map[string]profile.ListHit{"pep": {Hit: true}}}
	next := prev.Clone()
	next.Risk = "high"
	next.BlacklistFound["pep"] = profile.ListHit{Hit: true, Confirmed: true}
	next.BlacklistFound["sanctioned"] = profile.ListHit{Hit: true}
	events := pol.Events(prev, next, at(2025, 4, 1))
	want := []review.Reason{
		{Kind: review.RiskChanged, At: at(2025, 4, 1), Path: "risk"},
		{Kind: review.ConfirmedHit, At: at(2025, 4, 1), Path: "blacklist_found.pep", Detail: "pep"},
		{Kind: review.ScreeningChanged, At: at(2025, 4, 1), Path: "blacklist_found.sanctioned", Detail: "sanctioned"},
	}
	if d := cmp.Diff(want, events); d != "" {
		t.Fatalf("events (-want +got):\n%s", d)
	}
	if again := pol.Events(next, next.Clone(), at(2025, 4, 2)); len(again) != 0 {
		t.Errorf("an unchanged profile raised %v", again)
	}
	if first := pol.Events(&profile.Profile{}, &profile.Profile{Risk: "high"}, at(2025, 4, 2)); len(first) != 0 {
		t.Errorf("the first assessment raised %v", first)
	}
	w, err := pol.Due(next, nil, events)
	if err != nil {
		t.Fatal(err)
	}
	if w.At != at(2025, 2, 1) || len(w.DueBy(at(2025, 4, 1).Time())) != 4 {
		t.Errorf("work with open events = %+v", w)
	}
	next.LastDueDiligenceAt = at(2025, 4, 1)
	if open := review.Open(events, next); len(open) != 0 {
		t.Errorf("a review at the events' moment left %v open", open)
	}
	off := review.DefaultPolicy(levels)
	off.Triggers = []review.Kind{review.DocumentExpiring}
	if got := off.Events(prev, next, at(2025, 4, 1)); len(got) != 0 {
		t.Errorf("disabled triggers raised %v", got)
	}
}

// TestCheckAgeingOut: a sanctions result ages out under the default check
// types (30 days), and the customer is due when it does.
func TestCheckAgeingOut(t *testing.T) {
	p := &profile.Profile{ID: "p1", CreatedAt: at(2025, 1, 1), BlacklistsCheckedAt: at(2025, 5, 1),
		Checks: []profile.Check{{ID: "c1", Type: "sanctions", Outcome: profile.OutcomePass, PerformedAt: at(2025, 5, 1)}}}
	w, err := review.DefaultPolicy(levels).Due(p, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := review.Reason{Kind: review.CheckExpiring, At: at(2025, 5, 31), Path: "checks", Detail: "sanctions"}
	if d := cmp.Diff(want, w.Reasons[0]); d != "" {
		t.Errorf("first reason (-want +got):\n%s", d)
	}
}

// TestSameOutcomeRaisesNothing: a re-screening that finds what the last
// one found moves blacklists_checked_at and raises no event.
func TestSameOutcomeRaisesNothing(t *testing.T) {
	pol := review.DefaultPolicy(levels)
	prev := &profile.Profile{ID: "p1", Risk: "high", BlacklistsCheckedAt: at(2025, 1, 1),
		BlacklistFound: map[string]profile.ListHit{"pep": {Hit: true}, "sanctioned": {}}}
	next := prev.Clone()
	next.BlacklistsCheckedAt = at(2025, 2, 1)
	if got := pol.Events(prev, next, at(2025, 2, 1)); len(got) != 0 {
		t.Errorf("the same outcome raised %v", got)
	}
	delete(next.BlacklistFound, "pep") // a hit gone is a changed outcome
	if got := pol.Events(prev, next, at(2025, 2, 1)); len(got) != 1 || got[0].Kind != review.ScreeningChanged {
		t.Errorf("a hit gone raised %v", got)
	}
}
