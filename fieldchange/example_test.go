package fieldchange_test

import (
	"fmt"

	"github.com/kycsdk/kyc/fieldchange"
	"github.com/kycsdk/kyc/profile"
)

// A customer moves: the street of the main address changes. Seed 000 says a
// change of the primary address needs KYC re-verification.
func ExamplePolicy_Check() {
	before := &profile.Profile{
		PersonType: profile.NaturalPerson,
		Addresses: []profile.Address{
			{AddressType: profile.AddressPersonal, Main: true, Country: "AR", State: "Santa Fe", City: "Rosario", StreetName: "Cordoba", Number: "1748"},
			{AddressType: profile.AddressFiscal, Country: "AR", State: "Santa Fe", City: "Rosario", StreetName: "Mitre", Number: "20"},
		},
	}
	after := &profile.Profile{
		PersonType: profile.NaturalPerson,
		Addresses: []profile.Address{
			// The fiscal address is now listed first: a reorder is no change.
			{AddressType: profile.AddressFiscal, Country: "AR", State: "Santa Fe", City: "Rosario", StreetName: "Mitre", Number: "20"},
			{AddressType: profile.AddressPersonal, Main: true, Country: "AR", State: "Santa Fe", City: "Rosario", StreetName: "San Martin", Number: "900"},
		},
	}
	report := fieldchange.Default().Check(before, after)
	for _, c := range report.Changes {
		fmt.Printf("%s %s rule=%s reverify=%t\n", c.Kind, c.Path, c.Rule, c.Reverify)
	}
	fmt.Println("needs re-verification:", report.NeedsReverification())
	// Output:
	// change addresses[1].number rule=primary_address reverify=true
	// change addresses[1].street_name rule=primary_address reverify=true
	// needs re-verification: true
}

// A tenant adds a rule: a change of nationality needs re-verification too.
func ExampleLoad() {
	policy, err := fieldchange.Load([]byte(`{
		"mode": "extend",
		"rules": [{"name": "nationality", "paths": ["natural_person.nationality"], "change": true}]
	}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	before := &profile.Profile{NaturalPerson: &profile.Natural{Nationality: "AR"}}
	after := &profile.Profile{NaturalPerson: &profile.Natural{Nationality: "UY"}}
	fmt.Println(policy.Check(before, after).ReverifyPaths())

	_, err = fieldchange.Load([]byte(`{"rules": [{"name": "x", "paths": ["contacts[type=email]"]}]}`))
	fmt.Println(err)
	// Output:
	// [natural_person.nationality]
	// profile: invalid change policy: rules[0] (x): path "contacts[type=email]": unknown selector field "type" in "contacts"
}
