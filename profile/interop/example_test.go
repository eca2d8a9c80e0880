package interop_test

import (
	"fmt"

	"github.com/kycsdk/kyc/profile"
	"github.com/kycsdk/kyc/profile/interop"
)

// Import an entity of seed 001: alpha-3 countries become alpha-2, the
// consents and the customer reference find their fields, and a key the
// profile cannot hold is reported rather than dropped.
func ExampleImportEntity() {
	p, unmapped, err := interop.ImportEntity([]byte(`{"entity": {
		"entityType": "INDIVIDUAL",
		"name": {"givenName": "STACY", "middleName": "Z", "familyName": "TESTFORTY"},
		"dateOfBirth": {"dateOfBirth": "1989-01-01"},
		"addresses": [{"addressType": "RESIDENTIAL1", "country": "AUS", "town": "ELLENDALE", "suburb": "X"}],
		"extraData": [
			{"kvpKey": "consent.general", "kvpValue": "true", "kvpType": "general.bool"},
			{"kvpKey": "customer_reference", "kvpValue": "cust_001", "kvpType": "id.external"}
		]
	}}`), interop.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(p.PersonType, p.NaturalPerson.BirthDate, p.Addresses[0].Country, p.ExternalRef, p.Consents["general"])
	for _, u := range unmapped {
		fmt.Println("unmapped:", u)
	}
	// Output:
	// natural_person 1989-01-01 AU cust_001 true
	// unmapped: entity.addresses[0].suburb: no field of the profile holds it
}

// Export a profile as a seed 002 client; the profile fields the client
// shape has no place for are listed.
func ExampleExportClient() {
	p := &profile.Profile{
		PersonType: profile.LegalPerson,
		Name:       "I.F Technology Ltd",
		Risk:       "low",
		TaxPayerID: "33-96669665-8",
		LegalPerson: &profile.Legal{
			FoundationDate:  profile.DatePtr(profile.DateOf(1987, 1, 1)),
			FoundationPlace: "GB",
		},
	}
	out, lost, err := interop.ExportClient(p)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(string(out))
	fmt.Println("lost:", lost)
	// Output:
	// {"identity":{"country":"GB","incorporationDate":"1987-01-01","legalName":"I.F Technology Ltd","type":"corporate"},"profile":{"identityType":"corporate"},"risk":"low"}
	// lost: [tax_payer_id: the shape has no field for it]
}

// The PATCH example of seed 002 is printed with a trailing comma; the
// importer says where.
func ExampleImportClientRequest_syntaxError() {
	_, _, err := interop.ImportClientRequest([]byte("{\n\"data\": {\"client\": {\n\"risk\": \"low\",\n}}}"), interop.Options{})
	fmt.Println(err)
	// Output:
	// interop: JSON syntax error at line 3, column 14: unexpected character
}
