package profile

import (
	"testing"

	"github.com/r3labs/diff/v3"
)

// benchPair is a profile and an edit of it that touches a scalar, a list
// element and a list order: the work a save does.
func benchPair() (*Profile, *Profile) {
	after := changeBase()
	after.NaturalPerson.Name.First = "Anna"
	after.Addresses[0].StreetName = "Mitre"
	after.Contacts = append(after.Contacts, Contact{ContactType: ContactEmail, Value: "work@example.org"})
	after.IdentityDocuments[0], after.IdentityDocuments[1] = after.IdentityDocuments[1], after.IdentityDocuments[0]
	return changeBase(), after
}

// BenchmarkChangePolicyCheck compares Check with r3labs/diff, the closest
// public library: a struct diff that gives changed paths, without rules
// and without list identity.
func BenchmarkChangePolicyCheck(b *testing.B) {
	before, after := benchPair()
	b.Run("kyc", func(b *testing.B) {
		p := DefaultChangePolicy()
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
