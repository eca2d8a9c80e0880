package profile

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestChangePolicyBeyondSeed holds the default rules that go beyond the
// seed 000 table (issue 15, 5): the main e-mail, and the identity of a
// legal person.
func TestChangePolicyBeyondSeed(t *testing.T) {
	ch := func(path, rule, rulePath string, kind ChangeKind, reverify bool) Change {
		return Change{Path: path, Rule: rule, RulePath: rulePath, Kind: kind, Reverify: reverify}
	}
	const mainEmail = "contacts[contact_type=email][main=true].main"
	work := Contact{ContactType: ContactEmail, Value: "work@example.org"}
	cases := []struct {
		name     string
		base     func() *Profile
		edit     func(p *Profile)
		want     ChangeReport
		reverify bool
	}{
		{
			name: "main flag moved to another e-mail",
			base: func() *Profile { p := changeBase(); p.Contacts = append(p.Contacts, work); return p },
			edit: func(p *Profile) { p.Contacts[0].Main, p.Contacts[3].Main = false, true },
			want: ChangeReport{Changes: []Change{
				ch("contacts[0].main", "main_email", mainEmail, ChangeModified, true),
				ch("contacts[3].main", "main_email", mainEmail, ChangeModified, true),
			}},
			reverify: true,
		},
		{
			name: "main flag moved to a new e-mail",
			base: changeBase,
			edit: func(p *Profile) {
				p.Contacts[0].Main = false
				p.Contacts = append(p.Contacts, Contact{ContactType: ContactEmail, Value: "new@example.org", Main: true})
			},
			want: ChangeReport{Changes: []Change{
				ch("contacts[0].main", "main_email", mainEmail, ChangeModified, true),
				ch("contacts[3]", "main_email", mainEmail, ChangeAdded, true),
			}},
			reverify: true,
		},
		{
			name: "first e-mail added as main",
			base: func() *Profile { p := changeBase(); p.Contacts = p.Contacts[1:]; return p },
			edit: func(p *Profile) {
				p.Contacts = append(p.Contacts, Contact{ContactType: ContactEmail, Value: "new@example.org", Main: true})
			},
			want:     ChangeReport{Changes: []Change{ch("contacts[2]", "main_email", mainEmail, ChangeAdded, true)}},
			reverify: true,
		},
		{
			name: "non-main e-mail added stays free",
			base: changeBase,
			edit: func(p *Profile) { p.Contacts = append(p.Contacts, work) },
			want: ChangeReport{Changes: []Change{ch("contacts[3]", "email", "contacts[contact_type=email].value", ChangeAdded, false)}},
		},
		{
			name:     "non-main e-mail removed: the table's e-mail row",
			base:     func() *Profile { p := changeBase(); p.Contacts = append(p.Contacts, work); return p },
			edit:     func(p *Profile) { p.Contacts = p.Contacts[:3] },
			want:     ChangeReport{Changes: []Change{ch("contacts[3]", "email", "contacts[contact_type=email].value", ChangeRemoved, true)}},
			reverify: true,
		},
		{
			name: "main mobile moved stays uncovered",
			base: func() *Profile {
				p := changeBase()
				p.Contacts = append(p.Contacts, Contact{ContactType: ContactMobile, Value: "+5491100000005"})
				return p
			},
			edit: func(p *Profile) { p.Contacts[1].Main, p.Contacts[3].Main = false, true },
			want: ChangeReport{Uncovered: []Change{{Path: "contacts[1].main", Kind: ChangeModified}, {Path: "contacts[3].main", Kind: ChangeModified}}},
		},
		{
			name: "main e-mail verified flag is not a change of it",
			base: changeBase,
			edit: func(p *Profile) { p.Contacts[0].IsVerified = true },
			want: ChangeReport{Uncovered: []Change{{Path: "contacts[0].is_verified", Kind: ChangeModified}}},
		},
		{
			name:     "legal name",
			base:     legalBase,
			edit:     func(p *Profile) { p.Name = "Araoz S.A." },
			want:     ChangeReport{Changes: []Change{ch("name", "legal_name", "name", ChangeModified, true)}},
			reverify: true,
		},
		{
			name:     "legal person: foundation date",
			base:     legalBase,
			edit:     func(p *Profile) { p.LegalPerson.FoundationDate = DatePtr(DateOf(2011, 6, 9)) },
			want:     ChangeReport{Changes: []Change{ch("legal_person.foundation_date", "foundation_date", "legal_person.foundation_date", ChangeModified, true)}},
			reverify: true,
		},
		{
			name:     "legal person: constitution",
			base:     legalBase,
			edit:     func(p *Profile) { p.LegalPerson.Constitution = "sa" },
			want:     ChangeReport{Changes: []Change{ch("legal_person.constitution", "constitution", "legal_person.constitution", ChangeModified, true)}},
			reverify: true,
		},
		{
			name:     "legal person: tax payer id",
			base:     legalBase,
			edit:     func(p *Profile) { p.TaxPayerID = "30-71234567-9" },
			want:     ChangeReport{Changes: []Change{ch("tax_payer_id", "legal_tax_payer_id", "tax_payer_id", ChangeModified, true)}},
			reverify: true,
		},
		{
			name:     "legal person: tax payer id removed",
			base:     legalBase,
			edit:     func(p *Profile) { p.TaxPayerID = "" },
			want:     ChangeReport{Changes: []Change{ch("tax_payer_id", "legal_tax_payer_id", "tax_payer_id", ChangeRemoved, true)}},
			reverify: true,
		},
		{
			name: "legal person: foundation place is not identity",
			base: legalBase,
			edit: func(p *Profile) { p.LegalPerson.FoundationPlace = "Rosario" },
			want: ChangeReport{Uncovered: []Change{{Path: "legal_person.foundation_place", Kind: ChangeAdded}}},
		},
		{
			name: "natural person: the derived name is not the legal name rule",
			base: func() *Profile { p := changeBase(); p.Name = "Ana Diaz"; return p },
			edit: func(p *Profile) { p.NaturalPerson.Name.First, p.Name = "Anna", "Anna Diaz" },
			want: ChangeReport{
				Changes:   []Change{ch("natural_person.name.first", "name", "natural_person.name.first", ChangeModified, true)},
				Uncovered: []Change{{Path: "name", Kind: ChangeModified}},
			},
			reverify: true,
		},
		{
			name: "natural person: tax payer id is not in the table",
			base: changeBase,
			edit: func(p *Profile) { p.TaxPayerID = "20-30111222-3" },
			want: ChangeReport{Uncovered: []Change{{Path: "tax_payer_id", Kind: ChangeAdded}}},
		},
	}
	policy := DefaultChangePolicy()
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

func legalBase() *Profile {
	return &Profile{
		ID:          "p-2",
		PersonType:  LegalPerson,
		Name:        "Araoz S.R.L.",
		TaxPayerID:  "30-71234567-8",
		LegalPerson: &Legal{Constitution: "srl", FoundationDate: DatePtr(DateOf(2010, 6, 9))},
		Contacts:    []Contact{{ContactType: ContactEmail, Value: "info@araoz.example", Main: true}},
	}
}

// TestChangeRulePersonType: a tenant rule limited to a person type, and the
// errors of a bad one.
func TestChangeRulePersonType(t *testing.T) {
	p, err := LoadChangePolicy([]byte(`{"rules":[{"name":"nationality","person_type":"natural_person","paths":["natural_person.nationality"],"change":true}]}`))
	if err != nil {
		t.Fatal(err)
	}
	old := changeBase()
	new := changeBase()
	new.NaturalPerson.Nationality = "UY"
	if rep := p.Check(old, new); !rep.NeedsReverification() {
		t.Errorf("natural person: %+v", rep)
	}
	_, err = LoadChangePolicy([]byte(`{"rules":[{"name":"x","person_type":"robot","paths":["name"],"change":true}]}`))
	var pe *ChangePolicyError
	if !asPolicyError(err, &pe) || len(pe.Problems) != 1 || pe.Problems[0].Name != "x" {
		t.Errorf("bad person type: %v", err)
	}
	_, err = LoadChangePolicy([]byte(`{"rules":[{"name":"x","paths":["contacts[contact_type=email][main=maybe]"],"change":true}]}`))
	if !asPolicyError(err, &pe) {
		t.Errorf("bad second selector: %v", err)
	}
	for _, path := range []string{"contacts[contact_type=email]main=true]", "contacts[contact_type=email][]", "contacts[][main=true]", "contacts[contact_type=email][main=true]x"} {
		if _, err := NewChangePolicy(ChangeRule{Name: "x", Paths: []string{path}, Change: true}); !asPolicyError(err, &pe) {
			t.Errorf("path %q accepted", path)
		}
	}
}

func asPolicyError(err error, pe **ChangePolicyError) bool { return errors.As(err, pe) }
