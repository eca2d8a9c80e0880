package entityprofile_test

import (
	"fmt"
	"strings"
	"time"

	"github.com/kycsdk/kyc/entityprofile"
	"github.com/kycsdk/kyc/profile"
)

const exampleConfig = `{
  "profiles": [
    {
      "name": "safe_harbour",
      "checks": ["name_dob", "address", "id_document", "pep", "sanctions"],
      "ageing": {"name_dob": "never", "address": "365d", "id_document": "document", "pep": "30d", "sanctions": "30d"},
      "minimum": {"name": 2, "address": 1, "dob": 1}
    },
    {
      "name": "standard",
      "checks": ["name_dob", "pep", "sanctions"],
      "ageing": {"name_dob": "730d", "pep": "90d", "sanctions": "90d"},
      "minimum": {"name": 1, "address": 0, "dob": 1}
    }
  ]
}`

// A new customer on safe_harbour, the seed's example entity profile, goes
// from incomplete to passed as the planned checks are recorded.
func ExampleRegistry_Evaluate() {
	r, err := entityprofile.Load(strings.NewReader(exampleConfig))
	if err != nil {
		panic(err)
	}
	now := time.Date(2026, time.January, 10, 9, 0, 0, 0, time.UTC)
	p := &profile.Profile{
		ID:       "p-1",
		Consents: map[string]bool{"general": true, "docs": true, "creditheader": true},
		// The id_document check lasts as long as the document it verified.
		IdentityDocuments: []profile.IdentityDocument{{
			Type: "passport", Number: "P-1", ExpiryDate: profile.DatePtr(profile.DateOf(2030, time.March, 1)),
		}},
	}
	if _, err := r.Assign(p, "safe_harbour"); err != nil {
		panic(err)
	}

	ev, _ := r.Evaluate(p, now)
	fmt.Println(ev.Status, ev.NotRun, ev.Shortfalls)

	plan, _ := r.Plan(p, now)
	matched := map[string][]string{
		"name_dob":    {"name", "dob"},
		"address":     {"name", "address"},
		"id_document": {"name"},
	}
	for i, step := range plan.Run {
		_, err := r.Record(p, entityprofile.Result{
			ID: fmt.Sprintf("c-%d", i), Type: step.Type, Outcome: "pass",
			Matched: matched[step.Type], Source: "example", PerformedAt: now,
		})
		if err != nil {
			panic(err)
		}
	}

	ev, _ = r.Evaluate(p, now)
	fmt.Println(ev.Status, "until", ev.ValidUntil.Time().Format(time.DateOnly))
	// Output:
	// incomplete [name_dob address id_document pep sanctions] [0 of 2 name matches 0 of 1 address matches 0 of 1 dob matches]
	// passed until 2026-02-09
}

// Changing a customer's entity profile keeps every earlier result and
// applies the new profile's ageing to them at once (seed 001).
func ExampleRegistry_Assign() {
	r, err := entityprofile.Load(strings.NewReader(exampleConfig))
	if err != nil {
		panic(err)
	}
	now := time.Date(2026, time.March, 1, 0, 0, 0, 0, time.UTC)
	twoMonthsAgo := profile.TimestampOf(now.AddDate(0, -2, 0))
	p := &profile.Profile{
		EntityProfile: "safe_harbour",
		Consents:      map[string]bool{"general": true, "docs": true},
		Checks: []profile.Check{
			{ID: "c-1", Type: "name_dob", Outcome: "pass", Matched: []string{"name", "dob"}, PerformedAt: twoMonthsAgo, EntityProfile: "safe_harbour"},
			{ID: "c-2", Type: "pep", Outcome: "pass", PerformedAt: twoMonthsAgo, EntityProfile: "safe_harbour"},
			{ID: "c-3", Type: "sanctions", Outcome: "pass", PerformedAt: twoMonthsAgo, EntityProfile: "safe_harbour"},
		},
	}
	show := func() {
		plan, _ := r.Plan(p, now)
		fmt.Printf("%s: run", plan.Profile)
		for _, s := range plan.Run {
			fmt.Printf(" %s (%s)", s.Type, s.Reason)
		}
		fmt.Print("; reuse")
		for _, u := range plan.Reuse {
			fmt.Print(" ", u.CheckID)
		}
		fmt.Println()
	}
	show()
	if _, err := r.Assign(p, "standard"); err != nil {
		panic(err)
	}
	show()
	fmt.Println(len(p.Checks), "results kept")
	// Output:
	// safe_harbour: run address (not run) id_document (not run) pep (expired) sanctions (expired); reuse c-1
	// standard: run; reuse c-1 c-2 c-3
	// 3 results kept
}

// A service that lets a caller set entity_profile resolves the name before
// it stores the profile: auto becomes the recipe the rules choose, and an
// unknown name is refused at once rather than by a later Plan.
func ExampleRegistry_Resolve() {
	r, err := entityprofile.LoadBytes([]byte(`{
	  "profiles": [{"name": "standard", "checks": ["name_dob"], "minimum": {"name": 1}},
	               {"name": "enhanced", "checks": ["name_dob", "pep"], "minimum": {"name": 1}}],
	  "auto": {"rules": [{"when": "dprofile.risk == 'high'", "profile": "enhanced"}], "default": "standard"}
	}`))
	if err != nil {
		panic(err)
	}
	p := &profile.Profile{ID: "p-1", Risk: "high"}
	for _, name := range []string{"auto", "standard", "gold"} {
		got, err := r.Resolve(p, name)
		fmt.Printf("%s: %q %v\n", name, got, err)
	}
	// Output:
	// auto: "enhanced" <nil>
	// standard: "standard" <nil>
	// gold: "" entityprofile: unknown entity profile "gold"
}
