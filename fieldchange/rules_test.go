package fieldchange

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kycsdk/kyc/profile"
)

// TestChangePolicyBeyondSeed holds the default rules that go beyond the
// seed 000 table (issue 15, 5): the main e-mail, and the identity of a
// legal person.
func TestChangePolicyBeyondSeed(t *testing.T) {
	ch := func(path, rule, rulePath string, kind Kind, reverify bool) Change {
		return Change{Path: path, Rule: rule, RulePath: rulePath, Kind: kind, Reverify: reverify}
	}
	const mainEmail = "contacts[contact_type=email][main=true].main"
	work := profile.Contact{ContactType: profile.ContactEmail, Value: "work@example.org"}
	cases := []struct {
		name     string
		base     func() *profile.Profile
		edit     func(p *profile.Profile)
		want     Report
		reverify bool
	}{
		{
			name: "main flag moved to another e-mail",
			base: func() *profile.Profile { p := changeBase(); p.Contacts = append(p.Contacts, work); return p },
			edit: func(p *profile.Profile) { p.Contacts[0].Main, p.Contacts[3].Main = false, true },
			want: Report{Changes: []Change{
				ch("contacts[0].main", "main_email", mainEmail, Modified, true),
				ch("contacts[3].main", "main_email", mainEmail, Modified, true),
			}},
			reverify: true,
		},
		{
			name: "main flag moved to a new e-mail",
			base: changeBase,
			edit: func(p *profile.Profile) {
				p.Contacts[0].Main = false
				p.Contacts = append(p.Contacts, profile.Contact{ContactType: profile.ContactEmail, Value: "new@example.org", Main: true})
			},
			want: Report{Changes: []Change{
				ch("contacts[0].main", "main_email", mainEmail, Modified, true),
				ch("contacts[3]", "main_email", mainEmail, Added, true),
			}},
			reverify: true,
		},
		{
			name: "first e-mail added as main",
			base: func() *profile.Profile { p := changeBase(); p.Contacts = p.Contacts[1:]; return p },
			edit: func(p *profile.Profile) {
				p.Contacts = append(p.Contacts, profile.Contact{ContactType: profile.ContactEmail, Value: "new@example.org", Main: true})
			},
			want:     Report{Changes: []Change{ch("contacts[2]", "main_email", mainEmail, Added, true)}},
			reverify: true,
		},
		{
			name: "non-main e-mail added stays free",
			base: changeBase,
			edit: func(p *profile.Profile) { p.Contacts = append(p.Contacts, work) },
			want: Report{Changes: []Change{ch("contacts[3]", "email", "contacts[contact_type=email].value", Added, false)}},
		},
		{
			name:     "non-main e-mail removed: the table's e-mail row",
			base:     func() *profile.Profile { p := changeBase(); p.Contacts = append(p.Contacts, work); return p },
			edit:     func(p *profile.Profile) { p.Contacts = p.Contacts[:3] },
			want:     Report{Changes: []Change{ch("contacts[3]", "email", "contacts[contact_type=email].value", Removed, true)}},
			reverify: true,
		},
		{
			name: "main mobile moved stays uncovered",
			base: func() *profile.Profile {
				p := changeBase()
				p.Contacts = append(p.Contacts, profile.Contact{ContactType: profile.ContactMobile, Value: "+5491100000005"})
				return p
			},
			edit: func(p *profile.Profile) { p.Contacts[1].Main, p.Contacts[3].Main = false, true },
			want: Report{Uncovered: []Change{{Path: "contacts[1].main", Kind: Modified}, {Path: "contacts[3].main", Kind: Modified}}},
		},
		{
			name: "main e-mail verified flag is not a change of it",
			base: changeBase,
			edit: func(p *profile.Profile) { p.Contacts[0].IsVerified = true },
			want: Report{Uncovered: []Change{{Path: "contacts[0].is_verified", Kind: Modified}}},
		},
		{
			name:     "legal name",
			base:     legalBase,
			edit:     func(p *profile.Profile) { p.Name = "Araoz S.A." },
			want:     Report{Changes: []Change{ch("name", "legal_name", "name", Modified, true)}},
			reverify: true,
		},
		{
			name:     "legal person: foundation date",
			base:     legalBase,
			edit:     func(p *profile.Profile) { p.LegalPerson.FoundationDate = profile.DatePtr(profile.DateOf(2011, 6, 9)) },
			want:     Report{Changes: []Change{ch("legal_person.foundation_date", "foundation_date", "legal_person.foundation_date", Modified, true)}},
			reverify: true,
		},
		{
			name:     "legal person: constitution",
			base:     legalBase,
			edit:     func(p *profile.Profile) { p.LegalPerson.Constitution = "sa" },
			want:     Report{Changes: []Change{ch("legal_person.constitution", "constitution", "legal_person.constitution", Modified, true)}},
			reverify: true,
		},
		{
			name:     "legal person: tax payer id",
			base:     legalBase,
			edit:     func(p *profile.Profile) { p.TaxPayerID = "30-71234567-9" },
			want:     Report{Changes: []Change{ch("tax_payer_id", "legal_tax_payer_id", "tax_payer_id", Modified, true)}},
			reverify: true,
		},
		{
			name:     "legal person: tax payer id removed",
			base:     legalBase,
			edit:     func(p *profile.Profile) { p.TaxPayerID = "" },
			want:     Report{Changes: []Change{ch("tax_payer_id", "legal_tax_payer_id", "tax_payer_id", Removed, true)}},
			reverify: true,
		},
		{
			name: "legal person: foundation place is not identity",
			base: legalBase,
			edit: func(p *profile.Profile) { p.LegalPerson.FoundationPlace = "Rosario" },
			want: Report{Uncovered: []Change{{Path: "legal_person.foundation_place", Kind: Added}}},
		},
		{
			name: "natural person: the derived name is not the legal name rule",
			base: func() *profile.Profile { p := changeBase(); p.Name = "Ana Diaz"; return p },
			edit: func(p *profile.Profile) { p.NaturalPerson.Name.First, p.Name = "Anna", "Anna Diaz" },
			want: Report{
				Changes:   []Change{ch("natural_person.name.first", "name", "natural_person.name.first", Modified, true)},
				Uncovered: []Change{{Path: "name", Kind: Modified}},
			},
			reverify: true,
		},
		{
			name: "natural person: tax payer id is not in the table",
			base: changeBase,
			edit: func(p *profile.Profile) { p.TaxPayerID = "20-30111222-3" },
			want: Report{Uncovered: []Change{{Path: "tax_payer_id", Kind: Added}}},
		},
	}
	policy := Default()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			after := c.base()
			c.edit(after)
			got := policy.Check(c.base(), after)
			if diff := cmp.Diff(c.want, got); diff != "" {
				t.Errorf("Check (-want +got):\n%s", diff)
			}
			if got.NeedsReverification() != c.reverify {
				t.Errorf("NeedsReverification = %v, want %v", got.NeedsReverification(), c.reverify)
			}
			if diff := cmp.Diff(oracleCheck(policy, c.base(), after), got); diff != "" {
				t.Errorf("Check and the oracle differ (-oracle +got):\n%s", diff)
			}
		})
	}
}

func legalBase() *profile.Profile {
	return &profile.Profile{
		ID:          "p-2",
		PersonType:  profile.LegalPerson,
		Name:        "Araoz S.R.L.",
		TaxPayerID:  "30-71234567-8",
		LegalPerson: &profile.Legal{Constitution: "srl", FoundationDate: profile.DatePtr(profile.DateOf(2010, 6, 9))},
		Contacts:    []profile.Contact{{ContactType: profile.ContactEmail, Value: "info@araoz.example", Main: true}},
	}
}

// TestChangeRulePersonType: a tenant rule limited to a person type, and the
// errors of a bad one.
func TestChangeRulePersonType(t *testing.T) {
	p, err := Load([]byte(`{"rules":[{"name":"nationality","person_type":"natural_person","paths":["natural_person.nationality"],"change":true}]}`))
	if err != nil {
		t.Fatal(err)
	}
	old := changeBase()
	new := changeBase()
	new.NaturalPerson.Nationality = "UY"
	if rep := p.Check(old, new); !rep.NeedsReverification() {
		t.Errorf("natural person: %+v", rep)
	}
	_, err = Load([]byte(`{"rules":[{"name":"x","person_type":"robot","paths":["name"],"change":true}]}`))
	var pe *PolicyError
	if !asPolicyError(err, &pe) || len(pe.Problems) != 1 || pe.Problems[0].Name != "x" {
		t.Errorf("bad person type: %v", err)
	}
	_, err = Load([]byte(`{"rules":[{"name":"x","paths":["contacts[contact_type=email][main=maybe]"],"change":true}]}`))
	if !asPolicyError(err, &pe) {
		t.Errorf("bad second selector: %v", err)
	}
	for _, path := range []string{"contacts[contact_type=email]main=true]", "contacts[contact_type=email][]", "contacts[][main=true]", "contacts[contact_type=email][main=true]x"} {
		if _, err := New(Rule{Name: "x", Paths: []string{path}, Change: true}); !asPolicyError(err, &pe) {
			t.Errorf("path %q accepted", path)
		}
	}
}

func asPolicyError(err error, pe **PolicyError) bool { return errors.As(err, pe) }
