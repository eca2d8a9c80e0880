package profile

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// canaryProfile fills every personal field with a distinctive value that
// also breaks a rule, so that every kind of problem is reported about it.
func canaryProfile() *Profile {
	notMidnight := Date(1234567890123) // 2009-02-13T23:31:30.123Z
	future := DatePtr(DateOf(2099, 7, 7))
	return &Profile{
		ID:                      "id-ok",
		PersonType:              NaturalPerson,
		TaxPayerID:              "CANARYTAXID",
		Name:                    "CANARYFULLNAME",
		Risk:                    "CANARYRISK",
		ExternalRef:             "CANARYEXTREF",
		OECDMainCountry:         "CANARYOECDCOUNTRY",
		OECDMainTaxPayerID:      "CANARYOECDTIN",
		OECDSecondaryTaxPayerID: "CANARYOECDTIN2",
		FATCASSN:                "CANARYSSN",
		ResidenceCountry:        "CANARYRESIDENCE",
		ObligatedSubjectDate:    &notMidnight,
		Version:                 -1,
		NaturalPerson: &Natural{
			Name:           Name{First: "CANARYFIRST", Middle: "CANARYMIDDLE"},
			BirthDate:      future,
			BirthPlace:     "CANARYBIRTHPLACE",
			IDNumber:       "CANARYIDNUMBER",
			IDType:         "CANARYIDTYPE",
			IDCountry:      "CANARYIDCOUNTRY",
			Nationality:    "CANARYNATIONALITY",
			CivilState:     "CANARYCIVIL",
			Classification: "CANARYCLASS",
			Gender:         "CANARYGENDER",
		},
		LegalPerson: &Legal{FoundationPlace: "CANARYFOUNDPLACE", FoundationDate: future},
		Contacts: []Contact{
			{ContactType: ContactEmail, Value: "CANARYEMAIL", Main: true},
			{ContactType: ContactEmail, Value: "canarymail@canarydomain.example", Main: true},
			{ContactType: "canarycontacttype", Value: "CANARYPHONE"},
		},
		Addresses: []Address{
			{AddressType: "canary_addr_type", Main: true, Country: "CANARYCOUNTRY", City: "CANARYCITY", StreetName: "CANARYSTREET", Number: "CANARYNUMBER", ZipCode: "CANARYZIP"},
			{Main: true, State: "CANARYSTATE"},
		},
		Labels:            []string{"C", "CANARYLABELTOOLONG-XXXXXXXX", "CANARYLABEL", "CANARYLABEL"},
		Relations:         []Relation{{ProfileID: "rel-ok", Relationship: "CANARYRELATION", Since: DatePtr(DateOf(2020, 1, 1)), Until: DatePtr(DateOf(2019, 1, 1))}},
		IdentityDocuments: []IdentityDocument{{Type: "passport", Number: "CANARYDOCNUMBER", IssuingCountry: "CANARYISSUER", IssueDate: DatePtr(DateOf(2020, 1, 1)), ExpiryDate: DatePtr(DateOf(2019, 1, 1))}},
		TaxResidences:     []TaxResidence{{Country: "CANARYTAXCOUNTRY", TaxPayerID: "CANARYTAXRESID"}},
		Employment:        &Employment{Employer: "CANARYEMPLOYER", Since: &notMidnight},
		Checks:            []Check{{ID: "check-ok", Type: "name_dob", Outcome: "CANARYOUTCOME", Matched: []string{"CANARYMATCH"}}},
		Metadata:          Object{"email": "CANARYMETAEMAIL", "code": "CANARYMETACODE", "n": "CANARYMETANUMBER"},
	}
}

// canaryDecodeInputs put canary values where decoding fails.
var canaryDecodeInputs = []string{
	`{"name":"CANARYSYNTAX" x}`,
	`{"name":"CANARYSYNTAX2",}`,
	`{"natural_person":{"birth_date":"CANARYDOBSTRING"}}`,
	`{"natural_person":{"birth_date":99999999999999999999999}}`,
	`{"version":12345678901234567890123}`,
	`{"tax_payer_id":20394996559000000000000000}`,
	`{"contacts":[{"main":"CANARYMAINSTRING"}]}`,
	`{"metadata":"CANARYMETASTRING"}`,
}

func TestErrorsCarryNoPersonalData(t *testing.T) {
	schema, err := CompileMetadataSchema([]byte(`{"$schema":"https://json-schema.org/draft/2020-12/schema",
		"properties":{"email":{"format":"email"},"code":{"pattern":"^[0-9]+$","enum":["1","2"]},"n":{"type":"number","const":3}}}`))
	if err != nil {
		t.Fatal(err)
	}
	v := NewValidator(Options{Metadata: schema, Now: func() time.Time { return testNow }})
	p := canaryProfile()
	err = v.Validate(p)
	ve, ok := err.(*ValidationError)
	if !ok {
		t.Fatalf("Validate = %v", err)
	}
	texts := []string{err.Error()}
	codes := map[string]bool{}
	for _, pr := range ve.Problems {
		texts = append(texts, pr.String(), pr.Message)
		codes[pr.Code] = true
	}
	for _, in := range canaryDecodeInputs {
		_, err := Decode([]byte(in))
		if err == nil {
			t.Fatalf("Decode(%s) succeeded", in)
		}
		texts = append(texts, err.Error())
	}
	texts = append(texts,
		fmt.Sprintf("%v|%+v|%#v|%s", p, p, p, p),
		fmt.Sprintf("%v|%+v|%#v", *p, *p.NaturalPerson, p.NaturalPerson.Name),
		fmt.Sprintf("%v|%+v|%#v", p.Contacts, p.Addresses, p.IdentityDocuments),
		fmt.Sprintf("%v|%#v", p.TaxResidences, *p.Employment),
	)
	all := strings.Join(texts, "\n")
	for _, canary := range []string{"CANARY", "canary", "2009-02-13", "2099-07-07", "1234567890123", "99999999999", "12345678901234567890123", "20394996559"} {
		if strings.Contains(all, canary) {
			t.Errorf("personal value %q appears in an error or String text:\n%s", canary, excerpt(all, canary))
		}
	}
	// Every kind of problem must have been exercised for the test to mean
	// anything.
	for _, code := range []string{CodeRequired, CodeNotAllowed, CodeEnum, CodeEmail, CodeLength,
		CodeDuplicate, CodeMultipleMain, CodeCountry, CodeFutureDate, CodeNotMidnight,
		CodeOutOfRange, CodeDateOrder, CodeRelationType, CodeSchema} {
		if !codes[code] {
			t.Errorf("no %s problem was triggered", code)
		}
	}
}

func excerpt(s, sub string) string {
	i := strings.Index(s, sub)
	return s[max(0, i-80):min(len(s), i+80)]
}
