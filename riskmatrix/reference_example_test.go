package riskmatrix_test

import (
	"fmt"
	"time"

	"github.com/kycsdk/kyc/profile"
	"github.com/kycsdk/kyc/riskmatrix"
)

// The reference matrices are examples of the format, not advice: a start
// for a tenant's own methodology.
func ExampleReferenceDigitalProfile() {
	m := riskmatrix.ReferenceDigitalProfile()
	pep := true
	p := &profile.Profile{
		PersonType:       profile.NaturalPerson,
		ResidenceCountry: "AR",
		Declaration:      &profile.Declaration{PEP: &pep},
	}
	a := m.Assess(p, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	fmt.Println(m.Version(), m.Levels())
	fmt.Println("level:", a.Level)
	for _, o := range a.Overrides {
		fmt.Println("override:", o.ID, o.Effect, o.Level)
	}
	// Output:
	// reference-digital-profile-1 [low medium high]
	// level: medium
	// override: declared-pep minimum medium
}

func ExampleReferenceClient() {
	m := riskmatrix.ReferenceClient()
	fmt.Println(m.Version(), m.Levels(), m.Aggregation())
	// Output:
	// reference-client-1 [low medium high severe] weighted_average
}
