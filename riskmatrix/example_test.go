package riskmatrix_test

import (
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/kycsdk/kyc/profile"
	"github.com/kycsdk/kyc/riskmatrix"
)

// The example matrix in testdata scores a natural person resident in
// Argentina whose low score is overridden by a confirmed sanctions hit.
func Example() {
	doc, err := os.ReadFile("testdata/example.json")
	if err != nil {
		fmt.Println(err)
		return
	}
	m, err := riskmatrix.Load(doc)
	if err != nil {
		fmt.Println(err)
		return
	}
	now := time.Date(2024, 6, 1, 12, 0, 0, 0, time.UTC)
	p := &profile.Profile{
		ID:                  "60d62ea15857d9d371b6d4d3",
		CreatedAt:           profile.TimestampOf(now.AddDate(-1, 0, 0)),
		PersonType:          profile.NaturalPerson,
		NaturalPerson:       &profile.Natural{Nationality: "AR"},
		ResidenceCountry:    "AR",
		DeclaredIncome:      new(int64(4_800_000)),
		Declaration:         &profile.Declaration{PEP: new(false), ObligatedSubject: new(false)},
		BlacklistsCheckedAt: profile.TimestampOf(now.AddDate(0, -1, 0)),
		BlacklistFound:      map[string]profile.ListHit{"sanctioned": {Hit: true, Confirmed: true}},
		Activities:          []profile.Activity{{Code: "620100", Main: true}},
		IdentityDocuments: []profile.IdentityDocument{
			{Type: "passport", ExpiryDate: profile.DatePtr(profile.DateOf(2024, 6, 20))},
		},
	}
	a := m.Assess(p, now)
	fmt.Print(a.Explain())
	a.Apply(p)
	fmt.Println("profile risk:", p.Risk)
	// Output:
	// Risk high: score 28.85 (weighted_average) gives medium, overridden to high.
	// Matrix example-1, assessed 2024-06-01 12:00 UTC.
	// factor             value                score  weight  contribution
	// residence          AR                   20     3       2.31
	// nationality        AR                   20     2       1.54
	// incorporation      not_applicable       0      3       0  (does not apply)
	// person_type        natural_person       10     1       0.38
	// constitution       not_applicable       0      1       0  (does not apply)
	// pep                false                0      3       0
	// obligated_subject  false                20     1       0.77
	// sanctions          confirmed            100    4       15.38
	// pep_lists          none                 0      2       0
	// activity           620100               20     2       1.54
	// income             1000000 to 10000000  30     1       1.15
	// amount             unknown              50     1       1.92  (missing: unknown score)
	// relationship       180 to 730 days      40     1       1.54
	// documents          expiring             30     2       2.31
	// employee           false                0      1       0
	// alerts             no_rule              0      2       0  (no rule holds: default score)
	// Override confirmed-sanctions: minimum high (a confirmed sanctions, terrorism or wanted-list hit is at least high).
	// profile risk: high
}

// Load reports every problem of a matrix at once, each with its JSON path.
func ExampleLoad() {
	_, err := riskmatrix.Load([]byte(`{
		"version": "broken",
		"levels": "digital_profile",
		"aggregation": "weighted_sum",
		"unknown_score": 50,
		"thresholds": [{"level": "high", "from": 50}, {"level": "medium", "from": 40}],
		"factors": [
			{"id": "a", "kind": "zodiac_sign", "weight": 1},
			{"id": "b", "kind": "profile_path", "path": "natural_person.shoe_size", "weight": 500, "scores": {"x": 1}},
			{"id": "c", "kind": "rules", "weight": 1, "default": 0, "rules": [{"when": "dprofile.risk ==", "score": 10}]}
		],
		"overrides": [{"id": "o", "factor": "b", "values": ["x"], "minimum": "critical"}]
	}`))
	var me *riskmatrix.MatrixError
	if errors.As(err, &me) {
		for _, p := range me.Problems {
			fmt.Println(p)
		}
	}
	// Output:
	// thresholds[1].level: level "medium" must be above "high": thresholds follow the level order
	// thresholds[1].from: thresholds not increasing: 40 is not above 50
	// factors[0].kind: unknown factor kind "zodiac_sign"
	// factors[1].weight: weight 500 out of range (0, 100]
	// factors[1].path: unknown profile path: no field "shoe_size" at "natural_person"
	// factors[2].rules[0].when: condition does not compile: column 17: unexpected end of condition
	// overrides[0].minimum: level "critical" is not in the level list ["low" "medium" "high"]
}

// The transactional profile turns a declared annual income into an expected
// monthly amount through the multiplier of the main activity.
func ExampleMatrix_TransactionalProfile() {
	doc, err := os.ReadFile("testdata/example.json")
	if err != nil {
		fmt.Println(err)
		return
	}
	m, err := riskmatrix.Load(doc)
	if err != nil {
		fmt.Println(err)
		return
	}
	p := &profile.Profile{
		DeclaredIncome: new(int64(1_200_000)),
		Activities:     []profile.Activity{{Code: "649100", Main: true}},
	}
	tp, err := m.TransactionalProfile(p, time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC))
	if err != nil {
		fmt.Println(err)
		return
	}
	tp.Apply(p)
	fmt.Println(tp.Amount, tp.Period, tp.Activity, tp.Multiplier)
	fmt.Println(*p.TransactionalProfileAmount, p.TransactionalProfileCalculatedAt.Time().Format(time.DateOnly))
	// Output:
	// 400000 monthly 649100 4
	// 400000 2024-06-01
}
