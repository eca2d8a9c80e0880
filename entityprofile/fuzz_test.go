package entityprofile_test

import (
	"os"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/kycsdk/kyc/entityprofile"
	"github.com/kycsdk/kyc/profile"
)

// FuzzLoad feeds arbitrary configurations to Load: it never panics, and a
// registry it accepts plans, evaluates and lists due dates without error for
// a profile assigned to each of its entity profiles.
func FuzzLoad(f *testing.F) {
	fixture, err := os.ReadFile("testdata/profiles.json")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(fixture)
	f.Add([]byte(exampleConfig))
	f.Add([]byte(`{"check_types":[{"name":"x","matches":["name"],"ageing":"1d"}],"profiles":[{"name":"a","checks":["x"],"minimum":{"name":1}}]}`))
	f.Add([]byte(`{"profiles":[{"name":"a","checks":["pep"],"risk_policies":{"high":{"add":["address"],"ageing":{"pep":"1h"}}}}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := entityprofile.LoadBytes(data)
		if err != nil {
			return
		}
		p := seedEntity(t)
		p.Checks = passed(20)
		for _, name := range r.Names() {
			p.EntityProfile = name
			for _, risk := range []string{"", "high"} {
				p.Risk = risk
				if _, _, err := r.Assess(p, t0); err != nil {
					t.Fatalf("Assess under %q: %v", name, err)
				}
				if _, err := r.DueBy([]*profile.Profile{p}, t0); err != nil {
					t.Fatalf("DueBy under %q: %v", name, err)
				}
			}
		}
	})
}

var fuzzTypes = []string{"name_dob", "address", "id_document", "pep", "sanctions", "adverse_media", "credit_header", "biometric", "unknown"}
var fuzzOutcomes = []string{profile.OutcomePass, profile.OutcomePartial, profile.OutcomeFail, "other"}
var fuzzFields = []string{profile.MatchName, profile.MatchAddress, profile.MatchDOB, "iris"}

// results decodes fuzz bytes into check results: each 3 bytes are a type,
// an outcome with matched fields, and an age in days.
func results(data []byte) []profile.Check {
	var out []profile.Check
	for i := 0; i+2 < len(data) && len(out) < 40; i += 3 {
		c := profile.Check{
			ID:          string(rune('a' + len(out)%26)),
			Type:        fuzzTypes[int(data[i])%len(fuzzTypes)],
			Outcome:     fuzzOutcomes[int(data[i+1])%len(fuzzOutcomes)],
			PerformedAt: ts(t0.Add(-time.Duration(int8(data[i+2])) * 5 * day)),
		}
		for f, name := range fuzzFields {
			if data[i+1]>>(2+f)&1 == 1 {
				c.Matched = append(c.Matched, name)
			}
		}
		out = append(out, c)
	}
	return out
}

// FuzzAssess checks the invariants of a plan and an evaluation over
// arbitrary results: every required check is run, reused or blocked, exactly
// once; passed means nothing to run; Assess agrees with Plan and Evaluate.
func FuzzAssess(f *testing.F) {
	r := fixture(f)
	f.Add([]byte{0, 4, 1, 1, 12, 2, 2, 4, 3, 3, 0, 4, 4, 0, 5}, uint8(0), false)
	f.Add([]byte{3, 2, 200, 4, 2, 100}, uint8(1), true)
	f.Fuzz(func(t *testing.T, data []byte, recipe uint8, high bool) {
		p := seedEntity(t)
		p.Checks = results(data)
		names := r.Names()
		p.EntityProfile = names[int(recipe)%len(names)]
		if high {
			p.Risk = "high"
		}
		if recipe%5 == 4 {
			p.PendingReverification = []string{"addresses[0].city"}
		}
		pl, err := r.Plan(p, t0)
		if err != nil {
			t.Fatal(err)
		}
		ev, err := r.Evaluate(p, t0)
		if err != nil {
			t.Fatal(err)
		}
		pl2, ev2, err := r.Assess(p, t0)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(pl, pl2); diff != "" {
			t.Fatalf("Assess plan differs (-Plan +Assess):\n%s", diff)
		}
		if diff := cmp.Diff(ev, ev2); diff != "" {
			t.Fatalf("Assess evaluation differs (-Evaluate +Assess):\n%s", diff)
		}
		seen := map[string]int{}
		for _, s := range pl.Run {
			seen[s.Type]++
		}
		for _, b := range pl.Blocked {
			seen[b.Type]++
		}
		for _, u := range pl.Reuse {
			seen[u.Type]++
			if u.ExpiresAt != 0 && u.ExpiresAt <= ts(t0) {
				t.Fatalf("reused %s expired at %v", u.CheckID, u.ExpiresAt.Time())
			}
		}
		rc, _ := r.Recipe(p.EntityProfile)
		checks := append([]string(nil), rc.Checks...)
		checks = append(checks, rc.RiskPolicies[p.Risk].Add...)
		for _, c := range checks {
			if seen[c] != 1 {
				t.Fatalf("required %s appears %d times in the plan %+v", c, seen[c], pl)
			}
		}
		if ev.Status == entityprofile.Passed && (len(pl.Run) > 0 || len(pl.Blocked) > 0) {
			t.Fatalf("passed but the plan runs %v and blocks %v", pl.Run, pl.Blocked)
		}
		if ev.Status == entityprofile.Incomplete && len(pl.Run)+len(pl.Blocked) == 0 && len(ev.Shortfalls) == 0 {
			t.Fatalf("incomplete with nothing to run and no shortfall: %+v", ev)
		}
	})
}
