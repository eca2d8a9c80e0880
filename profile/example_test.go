package profile_test

import (
	"errors"
	"fmt"
	"time"

	"github.com/kycsdk/kyc/profile"
)

func ExampleDecode() {
	data := []byte(`{
		"person_type": "natural_person",
		"natural_person": {
			"name": {"first": " José ", "middle": "", "last": "Pérez"},
			"birth_date": 865987200000,
			"nationality": "Argentina",
			"is_employee": false
		},
		"contacts": [{"contact_type": "email", "value": "Jose@Example.com", "main": true}],
		"crm_segment": "retail"
	}`)
	p, err := profile.Decode(data)
	if err != nil {
		fmt.Println(err)
		return
	}
	p.Normalize()
	if err := profile.Validate(p); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(p.Name, p.NaturalPerson.Nationality, p.NaturalPerson.BirthDate, p.Contacts[0].Value)
	fmt.Println(string(p.Unknown["crm_segment"])) // kept by the lenient decode
	// Output:
	// José Pérez AR 1997-06-11 jose@example.com
	// "retail"
}

func ExampleValidationError() {
	p := &profile.Profile{
		PersonType: profile.LegalPerson,
		Addresses: []profile.Address{
			{Main: true, Country: "AR", State: "Santa Fe", City: "Rosario", StreetName: "Córdoba"},
			{Main: true, Country: "England", City: "London"},
		},
		Labels: []string{"x"},
	}
	v := profile.NewValidator(profile.Options{Now: func() time.Time { return time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC) }})
	err := v.Validate(p)
	var ve *profile.ValidationError
	if errors.As(err, &ve) {
		for _, pr := range ve.Problems {
			fmt.Printf("%s [%s] %s\n", pr.Path, pr.Code, pr.Message)
		}
	}
	fmt.Println(errors.Is(err, profile.ErrInvalid))
	// Output:
	// addresses[1].state [required] is required
	// addresses[1].street_name [required] is required
	// labels[0] [length] must be 2 to 20 characters long
	// name [required] is required
	// addresses[1].main [multiple_main] only one address can be the main one
	// addresses[1].country [country] is not an ISO 3166-1 country (alpha-2, alpha-3 or English name)
	// true
}

func ExampleCompileMetadataSchema() {
	schema, err := profile.CompileMetadataSchema([]byte(`{
		"$schema": "https://json-schema.org/draft/2020-12/schema",
		"type": "object",
		"properties": {"accounts": {"type": "array", "items": {"type": "string"}, "minItems": 1, "uniqueItems": true}}
	}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	p := &profile.Profile{PersonType: profile.LegalPerson, Name: "Araoz S.R.L.", Metadata: profile.Object{"accounts": []any{}}}
	fmt.Println(profile.NewValidator(profile.Options{Metadata: schema}).Validate(p))
	// Output:
	// profile: invalid profile: 1 problem: metadata.accounts: does not satisfy the tenant schema (minItems)
}

func ExampleRelationTypes_With() {
	tenant, err := profile.DefaultRelationTypes().With("joint_account_holder")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(tenant.Has("joint_account_holder"), tenant.Has("guarantor"), profile.DefaultRelationTypes().Has("joint_account_holder"))
	// Output:
	// true true false
}
