package profile

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestNormalize(t *testing.T) {
	const decomposed = "Jose\u0301" // "José" with a combining accent
	in := &Profile{
		PersonType: " natural_person ",
		Name:       "stale name",
		NaturalPerson: &Natural{
			Name:        Name{First: "  " + decomposed + " ", Middle: "", Last: "Pe\u0301rez  "},
			IDCountry:   "ar",
			Nationality: "Argentina",
			BirthPlace:  " Rosario ",
		},
		OECDMainCountry:      "usa",
		OECDSecondaryCountry: "England", // not a country: left for Validate
		Contacts: []Contact{
			{ContactType: ContactEmail, Value: " John.Doe@Example.COM "},
			{ContactType: ContactMobile, Value: " +54 9 341 "},
		},
		Addresses:         []Address{{Country: "ARGENTINA", City: " Rosario", StreetName: "Co\u0301rdoba"}},
		Labels:            []string{"  vip ", "ok"},
		IdentityDocuments: []IdentityDocument{{Type: "passport", Number: " X1 ", IssuingCountry: "esp"}},
		TaxResidences:     []TaxResidence{{Country: "united states"}},
		Metadata:          Object{"note": " kept as is "},
	}
	want := &Profile{
		PersonType: NaturalPerson,
		Name:       "José Pérez",
		NaturalPerson: &Natural{
			Name:        Name{First: "José", Middle: "", Last: "Pérez"},
			IDCountry:   "AR",
			Nationality: "AR",
			BirthPlace:  "Rosario",
		},
		OECDMainCountry:      "US",
		OECDSecondaryCountry: "England",
		Contacts: []Contact{
			{ContactType: ContactEmail, Value: "john.doe@example.com"},
			{ContactType: ContactMobile, Value: "+54 9 341"},
		},
		Addresses:         []Address{{Country: "AR", City: "Rosario", StreetName: "Córdoba"}},
		Labels:            []string{"vip", "ok"},
		IdentityDocuments: []IdentityDocument{{Type: "passport", Number: "X1", IssuingCountry: "ES"}},
		TaxResidences:     []TaxResidence{{Country: "US"}},
		Metadata:          Object{"note": " kept as is "},
	}
	in.Normalize()
	if diff := cmp.Diff(want, in); diff != "" {
		t.Errorf("Normalize (-want +got):\n%s", diff)
	}
	again := *in
	again.Normalize()
	if diff := cmp.Diff(in, &again); diff != "" {
		t.Errorf("Normalize is not idempotent (-want +got):\n%s", diff)
	}
}

func TestNameFull(t *testing.T) {
	tests := []struct {
		name string
		in   Name
		want string
	}{
		{name: "all parts", in: Name{First: "Ana", Middle: "María", Last: "Pérez"}, want: "Ana María Pérez"},
		{name: "empty middle skipped", in: Name{First: "John", Last: "Doe"}, want: "John Doe"},
		{name: "blank middle skipped", in: Name{First: "John", Middle: "  ", Last: "Doe"}, want: "John Doe"},
		{name: "only last", in: Name{Last: "Doe"}, want: "Doe"},
		{name: "none", in: Name{}, want: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, tt.in.Full()); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// TestNormalizeLegalKeepsName: the name is derived only for natural persons.
func TestNormalizeLegalKeepsName(t *testing.T) {
	p := &Profile{PersonType: LegalPerson, Name: " Araoz S.R.L. "}
	p.Normalize()
	if diff := cmp.Diff("Araoz S.R.L.", p.Name); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// TestNormalizeKeepsState: state is the workflow's and changes only through
// a transition (issue 15, 6): with states " review " and "review", trimming
// would move the profile from one to the other. Normalize leaves it
// byte-exact, NFC or not.
func TestNormalizeKeepsState(t *testing.T) {
	for _, state := range []string{" review ", "review\n", "Jose\u0301", "\u00a0active"} {
		p := &Profile{PersonType: LegalPerson, Name: "A", State: state}
		p.Normalize()
		if p.State != state {
			t.Errorf("Normalize changed state %q to %q", state, p.State)
		}
	}
}
