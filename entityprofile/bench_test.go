package entityprofile_test

import (
	"fmt"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/kycsdk/kyc/entityprofile"
	"github.com/kycsdk/kyc/profile"
)

// No public Go library plans verification checks from recipes with result
// ageing and reuse, so the reference in the same run is the naive approach
// written here: for every check type of the recipe, a linear scan of every
// result, with no index and no precompiled view.

// naiveRule is one check type of a recipe, pre-parsed so that the naive
// approach does not pay for parsing.
type naiveRule struct {
	typ     string
	ageing  time.Duration // 0: never expires
	consent string
	matches []string
}

// safeHarbourRules is safe_harbour of testdata/profiles.json, spelt out.
var safeHarbourRules = []naiveRule{
	{typ: "name_dob", consent: "general", matches: []string{"name", "dob"}},
	{typ: "address", ageing: 365 * day, consent: "general", matches: []string{"name", "address"}},
	{typ: "id_document", consent: "docs", matches: []string{"name", "dob"}},
	{typ: "pep", ageing: 30 * day, consent: "general"},
	{typ: "sanctions", ageing: 30 * day, consent: "general"},
}

var safeHarbourMinimum = [3]int{2, 1, 1}

// naivePlanEvaluate returns the check types to run and whether the
// profile passed, by scanning every result once per check type.
func naivePlanEvaluate(rules []naiveRule, minimum [3]int, p *profile.Profile, now profile.Timestamp) ([]string, bool) {
	var run []string
	var counts [3]int
	failed := false
	for _, ru := range rules {
		best := -1
		for i, c := range p.Checks {
			if c.Type != ru.typ || c.PerformedAt > now {
				continue
			}
			if ru.ageing != 0 && c.PerformedAt+profile.Timestamp(ru.ageing/time.Millisecond) <= now {
				continue
			}
			if best < 0 || c.PerformedAt >= p.Checks[best].PerformedAt {
				best = i
			}
		}
		if best < 0 {
			if p.Consents[ru.consent] {
				run = append(run, ru.typ)
			}
			continue
		}
		c := p.Checks[best]
		failed = failed || c.Outcome == profile.OutcomeFail
		for f, field := range []string{"name", "address", "dob"} {
			if c.Outcome != profile.OutcomeFail && slices.Contains(c.Matched, field) && slices.Contains(ru.matches, field) {
				counts[f]++
			}
		}
	}
	ok := len(run) == 0 && !failed
	for f := range counts {
		ok = ok && counts[f] >= minimum[f]
	}
	return run, ok
}

// twentyResults is a safe_harbour customer with 20 results: four
// generations of each check type, the oldest aged out.
func twentyResults(b testing.TB) *profile.Profile {
	p := seedEntity(b)
	gens := []int{700, 200, 45, 3}
	for g, age := range gens {
		for _, c := range passed(age) {
			c.ID = fmt.Sprintf("%s-%d", c.ID, g)
			p.Checks = append(p.Checks, c)
		}
	}
	return p
}

func BenchmarkPlanEvaluate(b *testing.B) {
	r := fixture(b)
	p := twentyResults(b)
	now := ts(t0)
	if run, ok := naivePlanEvaluate(safeHarbourRules, safeHarbourMinimum, p, now); len(run) != 0 || !ok {
		b.Fatalf("naive: run %v, passed %v; want nothing to run and passed", run, ok)
	}
	b.Run("entityprofile", func(b *testing.B) {
		b.ReportAllocs()
		runtime.GC() // start clean of the setup's garbage, for both contenders
		for b.Loop() {
			pl, err := r.Plan(p, t0)
			if err != nil || len(pl.Run) != 0 {
				b.Fatalf("Plan: %v, %v", pl.Run, err)
			}
			ev, err := r.Evaluate(p, t0)
			if err != nil || ev.Status != entityprofile.Passed {
				b.Fatalf("Evaluate: %v, %v", ev.Status, err)
			}
		}
	})
	b.Run("entityprofile-assess", func(b *testing.B) {
		b.ReportAllocs()
		runtime.GC() // start clean of the setup's garbage, for both contenders
		for b.Loop() {
			pl, ev, err := r.Assess(p, t0)
			if err != nil || len(pl.Run) != 0 || ev.Status != entityprofile.Passed {
				b.Fatalf("Assess: %v, %v, %v", pl.Run, ev.Status, err)
			}
		}
	})
	b.Run("naive-linear-scan", func(b *testing.B) {
		b.ReportAllocs()
		runtime.GC() // start clean of the setup's garbage, for both contenders
		for b.Loop() {
			run, ok := naivePlanEvaluate(safeHarbourRules, safeHarbourMinimum, p, now)
			if len(run) != 0 || !ok {
				b.Fatal("naive disagrees")
			}
		}
	})
}

// population returns n customers on safe_harbour: results of various ages,
// a passport expiring on a spread of dates, one in ten with a pending
// change.
func population(b testing.TB, n int) []*profile.Profile {
	base := seedEntity(b)
	out := make([]*profile.Profile, n)
	for i := range out {
		p := *base
		p.ID = fmt.Sprintf("p-%06d", i)
		p.Checks = passed(i % 400)
		p.IdentityDocuments = []profile.IdentityDocument{{Type: "passport", ExpiryDate: profile.DatePtr(profile.DateFromTime(t0.Add(time.Duration(i%2000) * day)))}}
		if i%10 == 0 {
			p.PendingReverification = []string{"addresses[0].city"}
		}
		out[i] = &p
	}
	return out
}

// naiveDueBy lists, per profile, whether anything is due by date, with the
// same linear scan per check type.
func naiveDueBy(rules []naiveRule, profiles []*profile.Profile, by profile.Timestamp) []string {
	var due []string
	for _, p := range profiles {
		isDue := len(p.PendingReverification) > 0
		for _, d := range p.IdentityDocuments {
			isDue = isDue || (d.ExpiryDate != nil && profile.Timestamp(*d.ExpiryDate)+ts(time.Unix(0, 0).Add(day)) <= by)
		}
		for _, ru := range rules {
			run, _ := naivePlanEvaluate([]naiveRule{ru}, [3]int{}, p, by)
			isDue = isDue || len(run) > 0
		}
		if isDue {
			due = append(due, p.ID)
		}
	}
	slices.Sort(due)
	return due
}

func BenchmarkDueBy(b *testing.B) {
	r := fixture(b)
	profiles := population(b, 100_000)
	by := t0.Add(90 * day)
	got, err := r.DueBy(profiles, by)
	if err != nil {
		b.Fatal(err)
	}
	if want := naiveDueBy(safeHarbourRules, profiles, ts(by)); len(want) != len(got) {
		b.Fatalf("DueBy lists %d profiles, the naive scan %d", len(got), len(want))
	}
	b.Run("entityprofile", func(b *testing.B) {
		b.ReportAllocs()
		runtime.GC() // start clean of the setup's garbage, for both contenders
		for b.Loop() {
			if _, err := r.DueBy(profiles, by); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("naive-linear-scan", func(b *testing.B) {
		b.ReportAllocs()
		runtime.GC() // start clean of the setup's garbage, for both contenders
		for b.Loop() {
			naiveDueBy(safeHarbourRules, profiles, ts(by))
		}
	})
}
