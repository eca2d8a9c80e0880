package entityprofile_test

import (
	"encoding/json"
	"os"
	"testing"
	"time"

	"github.com/kycsdk/kyc/entityprofile"
	"github.com/kycsdk/kyc/profile"
)

// t0 is the instant the tests verify at; day is one day.
var t0 = time.Date(2026, time.January, 10, 9, 0, 0, 0, time.UTC)

const day = 24 * time.Hour

func ts(t time.Time) profile.Timestamp { return profile.TimestampOf(t) }

// fixture loads testdata/profiles.json: safe_harbour (the seed's example),
// standard and enhanced, with auto rules.
func fixture(t testing.TB) *entityprofile.Registry {
	t.Helper()
	f, err := os.Open("testdata/profiles.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r, err := entityprofile.Load(f)
	if err != nil {
		t.Fatalf("Load(testdata/profiles.json): %v", err)
	}
	return r
}

// seedEntity returns the example entity of seed 001 as a profile, assigned
// to safe_harbour, with every consent given and no check result yet.
func seedEntity(t testing.TB) *profile.Profile {
	t.Helper()
	b, err := os.ReadFile("testdata/seed_entity.json")
	if err != nil {
		t.Fatal(err)
	}
	var p profile.Profile
	if err := json.Unmarshal(b, &p); err != nil {
		t.Fatalf("decode testdata/seed_entity.json: %v", err)
	}
	return &p
}

// check builds a result performed daysAgo days before t0.
func check(id, typ, outcome string, daysAgo int, matched ...string) profile.Check {
	return profile.Check{ID: id, Type: typ, Outcome: outcome, Matched: matched, PerformedAt: ts(t0.Add(-time.Duration(daysAgo) * day))}
}

// passed returns the results that complete safe_harbour: two name matches,
// an address and a date of birth, each performed daysAgo before t0.
func passed(daysAgo int) []profile.Check {
	return []profile.Check{
		check("c-name", entityprofile.NameDOB, profile.OutcomePass, daysAgo, profile.MatchName, profile.MatchDOB),
		check("c-addr", entityprofile.Address, profile.OutcomePass, daysAgo, profile.MatchName, profile.MatchAddress),
		check("c-doc", entityprofile.IDDocument, profile.OutcomePass, daysAgo, profile.MatchName, profile.MatchDOB),
		check("c-pep", entityprofile.PEP, profile.OutcomePass, daysAgo),
		check("c-sanc", entityprofile.Sanctions, profile.OutcomePass, daysAgo),
	}
}
