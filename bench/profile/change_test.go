package profile_test

import (
	"strconv"
	"testing"

	"github.com/r3labs/diff/v3"

	"github.com/kycsdk/kyc/fieldchange"
	"github.com/kycsdk/kyc/profile"
)

// changeBase returns a fresh natural-person profile that holds a value for
// every row of the seed 000 field-change table: the profile the library's
// own ChangePolicy tests start from.
func changeBase() *profile.Profile {
	return &profile.Profile{
		ID:         "p-1",
		PersonType: profile.NaturalPerson,
		NaturalPerson: &profile.Natural{
			Name:      profile.Name{First: "Ana", Last: "Diaz"},
			BirthDate: profile.DatePtr(profile.DateOf(1990, 5, 17)),
			IDNumber:  "30111222",
			IDType:    "national_identity_card",
			IDCountry: "AR",
		},
		Contacts: []profile.Contact{
			{ContactType: profile.ContactEmail, Value: "ana@example.org", Main: true},
			{ContactType: profile.ContactMobile, Value: "+5491100000001", Main: true},
			{ContactType: profile.ContactLandline, Value: "+541100000002"},
		},
		Addresses: []profile.Address{
			{AddressType: profile.AddressPersonal, Main: true, Country: "AR", State: "Santa Fe", City: "Rosario", StreetName: "Cordoba", Number: "1748"},
			{AddressType: profile.AddressFiscal, Country: "AR", State: "Buenos Aires", City: "La Plata", StreetName: "Calle 7", Number: "100"},
		},
		IdentityDocuments: []profile.IdentityDocument{
			{Type: "passport", Number: "AAA111", IssuingCountry: "AR", ExpiryDate: profile.DatePtr(profile.DateOf(2030, 1, 1))},
			{Type: "identity-card", Number: "30111222", IssuingCountry: "AR"},
		},
		ResidenceCountry: "AR",
		TaxResidences:    []profile.TaxResidence{{Country: "US", TaxPayerID: "123"}},
		Employment:       &profile.Employment{Status: "employed", Employer: "Acme"},
		Metadata:         profile.Object{"segment": "retail"},
	}
}

// benchPair is a profile and an edit of it that touches a scalar, a list
// element and a list order: the work a save does.
func benchPair() (*profile.Profile, *profile.Profile) {
	after := changeBase()
	after.NaturalPerson.Name.First = "Anna"
	after.Addresses[0].StreetName = "Mitre"
	after.Contacts = append(after.Contacts, profile.Contact{ContactType: profile.ContactEmail, Value: "work@example.org"})
	after.IdentityDocuments[0], after.IdentityDocuments[1] = after.IdentityDocuments[1], after.IdentityDocuments[0]
	return changeBase(), after
}

// BenchmarkChangePolicyCheck compares Check with r3labs/diff, the closest
// public library: a struct diff that gives changed paths, without rules
// and without list identity.
func BenchmarkChangePolicyCheck(b *testing.B) {
	before, after := benchPair()
	b.Run("kyc", func(b *testing.B) {
		p := fieldchange.Default()
		b.ReportAllocs()
		for b.Loop() {
			if rep := p.Check(before, after); len(rep.Changes) == 0 {
				b.Fatal("no change found")
			}
		}
	})
	b.Run("r3labs-diff", func(b *testing.B) {
		d, err := diff.NewDiffer(diff.SliceOrdering(false))
		if err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		for b.Loop() {
			cl, err := d.Diff(before, after)
			if err != nil || len(cl) == 0 {
				b.Fatal("no change found", err)
			}
		}
	})
}

// freeJSONPair is an edit of tenant metadata (nested objects and a list)
// and of a contact list longer than typed pairing takes: the parts Check
// walks by their JSON shape and pairs through canonical keys.
func freeJSONPair() (*profile.Profile, *profile.Profile) {
	before, after := changeBase(), changeBase()
	before.Metadata = profile.Object{"segment": "retail", "scores": map[string]any{"a": 1.0, "b": []any{"x", "y", map[string]any{"k": "v"}}}}
	after.Metadata = profile.Object{"segment": "private", "scores": map[string]any{"a": 2.0, "b": []any{"y", "x", map[string]any{"k": "w"}}, "c": true}}
	for i := range 40 {
		before.Contacts = append(before.Contacts, profile.Contact{ContactType: profile.ContactMobile, Value: strconv.Itoa(i)})
		after.Contacts = append(after.Contacts, profile.Contact{ContactType: profile.ContactMobile, Value: strconv.Itoa(i + 3)})
	}
	return before, after
}

// BenchmarkChangePolicyCheckFreeJSON is BenchmarkChangePolicyCheck on
// freeJSONPair.
func BenchmarkChangePolicyCheckFreeJSON(b *testing.B) {
	before, after := freeJSONPair()
	b.Run("kyc", func(b *testing.B) {
		p := fieldchange.Default()
		b.ReportAllocs()
		for b.Loop() {
			if rep := p.Check(before, after); len(rep.Uncovered) == 0 {
				b.Fatal("no change found")
			}
		}
	})
	b.Run("r3labs-diff", func(b *testing.B) {
		d, err := diff.NewDiffer(diff.SliceOrdering(false))
		if err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		for b.Loop() {
			cl, err := d.Diff(before, after)
			if err != nil || len(cl) == 0 {
				b.Fatal("no change found", err)
			}
		}
	})
}
