package profile

import (
	"strings"

	"golang.org/x/text/unicode/norm"

	"github.com/kycsdk/kyc/internal/country"
)

// Normalize puts the profile in its stored form, in place (DESIGN.md, "The
// profile"):
//   - every text field is trimmed and in Unicode NFC, so that the same name
//     typed on two keyboards compares equal;
//   - for a natural person, name is the name parts joined by single spaces,
//     empty parts skipped (seed 003, 3.1.1.1: the general name used for
//     watchlist monitoring is formed by concatenating the parts);
//   - countries become ISO 3166-1 alpha-2 when given as alpha-2, alpha-3 or
//     the exact English name in any case; a value that is none of these is
//     left as it is, for Validate to report;
//   - e-mail contacts are lower-cased;
//   - labels are trimmed.
//
// Metadata and the extra objects are the tenant's and are left unchanged.
// State is left byte-exact: it is the workflow's and changes only through a
// transition, and trimming it could move a profile between two states
// (" review " and "review") that a workflow tells apart. Normalize is
// idempotent.
func (p *Profile) Normalize() {
	p.normalizeTop()
	if n := p.NaturalPerson; n != nil {
		normalizeNatural(n)
		if p.PersonType == NaturalPerson {
			p.Name = n.Name.Full()
		}
	}
	if l := p.LegalPerson; l != nil {
		normText(&l.Constitution, &l.FoundationPlace)
	}
	for i := range p.Contacts {
		normalizeContact(&p.Contacts[i])
	}
	for i := range p.Addresses {
		normalizeAddress(&p.Addresses[i])
	}
	p.normalizeRecords()
}

// Full returns the name parts that are not empty, trimmed, joined by single
// spaces.
func (n Name) Full() string {
	parts := make([]string, 0, 3)
	for _, s := range []string{n.First, n.Middle, n.Last} {
		if s = cleanText(s); s != "" {
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, " ")
}

func (p *Profile) normalizeTop() {
	normText(&p.ID, &p.CreatedBy, &p.ModifiedBy, &p.TaxPayerID, &p.Name,
		&p.Risk, &p.ExternalRef, &p.PEPType, &p.ObligatedSubjectType,
		&p.OECDMainTaxPayerID, &p.OECDSecondaryTaxPayerID, &p.FATCASSN,
		&p.EntityProfile)
	p.PersonType = PersonType(cleanText(string(p.PersonType)))
	normCountry(&p.OECDMainCountry, &p.OECDSecondaryCountry, &p.ResidenceCountry)
	for i, l := range p.Labels {
		p.Labels[i] = cleanText(l)
	}
}

func (p *Profile) normalizeRecords() {
	for i := range p.Activities {
		a := &p.Activities[i]
		normText(&a.Code, &a.Description, &a.Organization)
	}
	for i := range p.Taxes {
		t := &p.Taxes[i]
		normText(&t.Code, &t.Description, &t.Jurisdiction, &t.Organization)
	}
	for i := range p.Relations {
		r := &p.Relations[i]
		normText(&r.ProfileID, &r.Relationship)
	}
	for i := range p.IdentityDocuments {
		d := &p.IdentityDocuments[i]
		normText(&d.Type, &d.Number)
		normCountry(&d.IssuingCountry)
	}
	for i := range p.TaxResidences {
		t := &p.TaxResidences[i]
		normText(&t.TaxPayerID)
		normCountry(&t.Country)
	}
	if e := p.Employment; e != nil {
		normText(&e.Status, &e.Employer, &e.Occupation, &e.Industry)
	}
}

func normalizeNatural(n *Natural) {
	normText(&n.Name.First, &n.Name.Middle, &n.Name.Last, &n.BirthPlace,
		&n.IDNumber, &n.IDType, &n.CivilState, &n.Classification, &n.Gender)
	normCountry(&n.IDCountry, &n.Nationality)
}

func normalizeContact(c *Contact) {
	normText(&c.ContactType, &c.Value, &c.Description)
	if c.ContactType == ContactEmail {
		c.Value = strings.ToLower(c.Value)
	}
}

func normalizeAddress(a *Address) {
	normText(&a.AddressType, &a.State, &a.City, &a.Department, &a.ZipCode,
		&a.StreetName, &a.Number, &a.BuildingName, &a.BuildingFloorNumber,
		&a.BuildingRoomNumber, &a.FormattedAddress, &a.NormalizationMethod)
	normCountry(&a.Country)
}

// cleanText trims s and puts it in NFC, without allocating when it already
// is.
func cleanText(s string) string {
	s = strings.TrimSpace(s)
	if norm.NFC.IsNormalString(s) {
		return s
	}
	return norm.NFC.String(s)
}

func normText(fields ...*string) {
	for _, f := range fields {
		*f = cleanText(*f)
	}
}

func normCountry(fields ...*string) {
	for _, f := range fields {
		*f = cleanText(*f)
		if a2, ok := country.Alpha2(*f); ok {
			*f = a2
		}
	}
}
