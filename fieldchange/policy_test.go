package fieldchange

import (
	"errors"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kycsdk/kyc/profile"
)

// changeBase returns a fresh natural-person profile that holds a value for
// every row of the seed 000 field-change table.
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
// element and a list order: the work a save does. The benchmark of Check
// against r3labs/diff on this pair is in the bench module.
func benchPair() (*profile.Profile, *profile.Profile) {
	after := changeBase()
	after.NaturalPerson.Name.First = "Anna"
	after.Addresses[0].StreetName = "Mitre"
	after.Contacts = append(after.Contacts, profile.Contact{ContactType: profile.ContactEmail, Value: "work@example.org"})
	after.IdentityDocuments[0], after.IdentityDocuments[1] = after.IdentityDocuments[1], after.IdentityDocuments[0]
	return changeBase(), after
}

func TestDefaultChangeRules(t *testing.T) {
	if _, err := New(DefaultRules()...); err != nil {
		t.Fatalf("default rules do not load: %v", err)
	}
}

func TestChangePolicyCheck(t *testing.T) {
	type tc struct {
		name string
		edit func(p *profile.Profile)
		want Report
	}
	ch := func(path, rule, rulePath string, kind Kind, reverify bool) Change {
		return Change{Path: path, Rule: rule, RulePath: rulePath, Kind: kind, Reverify: reverify}
	}
	un := func(path string, kind Kind) Change { return Change{Path: path, Kind: kind} }
	cases := []tc{
		{name: "no change", edit: func(*profile.Profile) {}},
		{
			name: "reorder only",
			edit: func(p *profile.Profile) {
				slices.Reverse(p.Contacts)
				slices.Reverse(p.Addresses)
				slices.Reverse(p.IdentityDocuments)
			},
		},
		// Row "First Name, Middle Name, Last Name": change yes, add N/A.
		{
			name: "name: change first name",
			edit: func(p *profile.Profile) { p.NaturalPerson.Name.First = "Anna" },
			want: Report{Changes: []Change{ch("natural_person.name.first", "name", "natural_person.name.first", Modified, true)}},
		},
		{
			name: "name: add a middle name (N/A: judged as a change)",
			edit: func(p *profile.Profile) { p.NaturalPerson.Name.Middle = "Maria" },
			want: Report{Changes: []Change{ch("natural_person.name.middle", "name", "natural_person.name.middle", Modified, true)}},
		},
		// Row "Date of Birth": change yes, add N/A.
		{
			name: "date of birth: change",
			edit: func(p *profile.Profile) { p.NaturalPerson.BirthDate = profile.DatePtr(profile.DateOf(1990, 5, 18)) },
			want: Report{Changes: []Change{ch("natural_person.birth_date", "date_of_birth", "natural_person.birth_date", Modified, true)}},
		},
		{
			name: "date of birth: remove counts as a change",
			edit: func(p *profile.Profile) { p.NaturalPerson.BirthDate = nil },
			want: Report{Changes: []Change{ch("natural_person.birth_date", "date_of_birth", "natural_person.birth_date", Removed, true)}},
		},
		// Row "Contact Details - Telephone number": change no, add no.
		{
			name: "telephone: change the mobile number",
			edit: func(p *profile.Profile) { p.Contacts[1].Value = "+5491100000009" },
			want: Report{Changes: []Change{ch("contacts[1].value", "telephone", "contacts[contact_type=mobile].value", Modified, false)}},
		},
		{
			name: "telephone: add a landline",
			edit: func(p *profile.Profile) {
				p.Contacts = append(p.Contacts, profile.Contact{ContactType: profile.ContactLandline, Value: "+541100000003"})
			},
			want: Report{Changes: []Change{ch("contacts[3]", "telephone", "contacts[contact_type=landline].value", Added, false)}},
		},
		// Row "Contact Details - Email Address": change yes, add no.
		{
			name: "email: change the address",
			edit: func(p *profile.Profile) { p.Contacts[0].Value = "ana.diaz@example.org" },
			want: Report{Changes: []Change{ch("contacts[0].value", "email", "contacts[contact_type=email].value", Modified, true)}},
		},
		{
			name: "email: add another address",
			edit: func(p *profile.Profile) {
				p.Contacts = append(p.Contacts, profile.Contact{ContactType: profile.ContactEmail, Value: "work@example.org"})
			},
			want: Report{Changes: []Change{ch("contacts[3]", "email", "contacts[contact_type=email].value", Added, false)}},
		},
		{
			// The only e-mail is the main one: the main_email rule, more
			// specific than the row, covers it (change_rules_test.go has
			// the row alone).
			name: "email: remove counts as a change",
			edit: func(p *profile.Profile) { p.Contacts = p.Contacts[1:] },
			want: Report{Changes: []Change{ch("contacts[0]", "main_email", "contacts[contact_type=email][main=true].main", Removed, true)}},
		},
		{
			name: "contact description only",
			edit: func(p *profile.Profile) { p.Contacts[0].Description = "personal" },
			want: Report{Uncovered: []Change{un("contacts[0].description", Added)}},
		},
		// Row "Employment": change no, add N/A.
		{
			name: "employment: change employer",
			edit: func(p *profile.Profile) { p.Employment.Employer = "Globex" },
			want: Report{Changes: []Change{ch("employment.employer", "employment", "employment", Modified, false)}},
		},
		{
			name: "employment: first declared (N/A: judged as a change)",
			edit: func(p *profile.Profile) { p.Employment.Occupation = "engineer" },
			want: Report{Changes: []Change{ch("employment.occupation", "employment", "employment", Added, false)}},
		},
		// Row "Customer Residency": change yes, add N/A.
		{
			name: "residency: change",
			edit: func(p *profile.Profile) { p.ResidenceCountry = "UY" },
			want: Report{Changes: []Change{ch("residence_country", "residency", "residence_country", Modified, true)}},
		},
		// Row "Add/Remove Other Tax Residence": no, no.
		{
			name: "tax residence: add",
			edit: func(p *profile.Profile) {
				p.TaxResidences = append(p.TaxResidences, profile.TaxResidence{Country: "ES"})
			},
			want: Report{Changes: []Change{ch("tax_residences[1]", "other_tax_residences", "tax_residences", Added, false)}},
		},
		{
			name: "tax residence: remove",
			edit: func(p *profile.Profile) { p.TaxResidences = nil },
			want: Report{Changes: []Change{ch("tax_residences[0]", "other_tax_residences", "tax_residences", Removed, false)}},
		},
		// Row "Address (Primary)": change yes, add N/A; a non-main address no.
		{
			name: "primary address: change street",
			edit: func(p *profile.Profile) { p.Addresses[0].StreetName = "Mitre" },
			want: Report{Changes: []Change{ch("addresses[0].street_name", "primary_address", "addresses[main=true]", Modified, true)}},
		},
		{
			name: "primary address: another address becomes the main one",
			edit: func(p *profile.Profile) { p.Addresses[0].Main, p.Addresses[1].Main = false, true },
			want: Report{Changes: []Change{
				ch("addresses[0].main", "primary_address", "addresses[main=true]", Modified, true),
				ch("addresses[1].main", "primary_address", "addresses[main=true]", Modified, true),
			}},
		},
		{
			name: "non-main address: change city",
			edit: func(p *profile.Profile) { p.Addresses[1].City = "Quilmes" },
			want: Report{Changes: []Change{ch("addresses[1].city", "other_address", "addresses[main=false]", Modified, false)}},
		},
		{
			name: "non-main address: add",
			edit: func(p *profile.Profile) {
				p.Addresses = append(p.Addresses, profile.Address{AddressType: profile.AddressLegal, Country: "AR", State: "Cordoba", City: "Cordoba", StreetName: "San Martin"})
			},
			want: Report{Changes: []Change{ch("addresses[2]", "other_address", "addresses[main=false]", Added, false)}},
		},
		// Row "Identity Document Details": change yes, add yes.
		{
			name: "identity document: change expiry",
			edit: func(p *profile.Profile) {
				p.IdentityDocuments[0].ExpiryDate = profile.DatePtr(profile.DateOf(2035, 1, 1))
			},
			want: Report{Changes: []Change{ch("identity_documents[0].expiry_date", "identity_documents", "identity_documents", Modified, true)}},
		},
		{
			name: "identity document: add",
			edit: func(p *profile.Profile) {
				p.IdentityDocuments = append(p.IdentityDocuments, profile.IdentityDocument{Type: "driving-licence", Number: "DL9"})
			},
			want: Report{Changes: []Change{ch("identity_documents[2]", "identity_documents", "identity_documents", Added, true)}},
		},
		{
			name: "identity document: natural_person id number",
			edit: func(p *profile.Profile) { p.NaturalPerson.IDNumber = "30111223" },
			want: Report{Changes: []Change{ch("natural_person.id_number", "identity_documents", "natural_person.id_number", Modified, true)}},
		},
		{
			name: "two changes at once: an email changed and a mobile added",
			edit: func(p *profile.Profile) {
				p.Contacts[0].Value = "ana.diaz@example.org"
				p.Contacts = append(p.Contacts, profile.Contact{ContactType: profile.ContactMobile, Value: "+5491100000004"})
			},
			want: Report{Changes: []Change{
				ch("contacts[0].value", "email", "contacts[contact_type=email].value", Modified, true),
				ch("contacts[3]", "telephone", "contacts[contact_type=mobile].value", Added, false),
			}},
		},
		{
			name: "fields the table does not name are uncovered",
			edit: func(p *profile.Profile) {
				p.NaturalPerson.Gender = "female"
				p.Metadata["segment"] = "private"
			},
			want: Report{Uncovered: []Change{
				un("metadata.segment", Modified),
				un("natural_person.gender", Added),
			}},
		},
	}
	policy := Default()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			after := changeBase()
			c.edit(after)
			got := policy.Check(changeBase(), after)
			if diff := cmp.Diff(c.want, got); diff != "" {
				t.Errorf("Check (-want +got):\n%s", diff)
			}
		})
	}
}

func TestChangePolicyCheckNil(t *testing.T) {
	got := Default().Check(nil, nil)
	if diff := cmp.Diff(Report{}, got); diff != "" {
		t.Errorf("Check(nil, nil) (-want +got):\n%s", diff)
	}
	rep := Default().Check(nil, changeBase())
	if !rep.NeedsReverification() {
		t.Errorf("a new profile with a name and documents needs verification; report %+v", rep)
	}
}

func TestChangeReportReverifyPaths(t *testing.T) {
	after := changeBase()
	after.Addresses[0].City = "Funes"
	after.Contacts[1].Value = "+5491100000009"
	got := Default().Check(changeBase(), after).ReverifyPaths()
	want := []string{"addresses[0].city"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ReverifyPaths (-want +got):\n%s", diff)
	}
}

func TestLoadChangePolicy(t *testing.T) {
	cases := []struct {
		name     string
		json     string
		edit     func(p *profile.Profile)
		want     []Change
		problems []Problem
	}{
		{
			name: "extend: a new rule",
			json: `{"rules":[{"name":"nationality","paths":["natural_person.nationality"],"change":true}]}`,
			edit: func(p *profile.Profile) { p.NaturalPerson.Nationality = "UY" },
			want: []Change{{Path: "natural_person.nationality", Rule: "nationality", RulePath: "natural_person.nationality", Kind: Added, Reverify: true}},
		},
		{
			name: "extend: replace a default rule by name",
			json: `{"mode":"extend","rules":[{"name":"telephone","paths":["contacts[contact_type=mobile].value"],"change":true,"add":true}]}`,
			edit: func(p *profile.Profile) { p.Contacts[1].Value = "+5491100000009" },
			want: []Change{{Path: "contacts[1].value", Rule: "telephone", RulePath: "contacts[contact_type=mobile].value", Kind: Modified, Reverify: true}},
		},
		{
			name: "extend: a tenant rule takes over a default path",
			json: `{"rules":[{"name":"strict_mobile","paths":["contacts[contact_type=mobile].value"],"change":true}]}`,
			edit: func(p *profile.Profile) { p.Contacts[1].Value = "+5491100000009" },
			want: []Change{{Path: "contacts[1].value", Rule: "strict_mobile", RulePath: "contacts[contact_type=mobile].value", Kind: Modified, Reverify: true}},
		},
		{
			name: "replace: only the tenant's rules",
			json: `{"mode":"replace","rules":[{"name":"any_address","paths":["addresses[]"],"change":false}]}`,
			edit: func(p *profile.Profile) { p.Addresses[0].City = "Funes" },
			want: []Change{{Path: "addresses[0].city", Rule: "any_address", RulePath: "addresses[]", Kind: Modified}},
		},
		{
			name: "selector on metadata-free extra",
			json: `{"rules":[{"name":"segment","paths":["metadata.segment"],"change":true}]}`,
			edit: func(p *profile.Profile) { p.Metadata["segment"] = "private" },
			want: []Change{{Path: "metadata.segment", Rule: "segment", RulePath: "metadata.segment", Kind: Modified, Reverify: true}},
		},
		{
			name: "unknown paths are named",
			json: `{"rules":[{"name":"x","paths":["natural_person.shoe_size","adresses[]"],"change":true}]}`,
			problems: []Problem{
				{Rule: 0, Name: "x", Path: "natural_person.shoe_size", Message: `unknown field "shoe_size"`},
				{Rule: 0, Name: "x", Path: "adresses[]", Message: `unknown field "adresses"`},
			},
		},
		{
			name: "bad selectors",
			json: `{"mode":"replace","rules":[{"name":"x","paths":["contacts[kind=email]","addresses[main=yes]","contacts[=x]","contacts.value","residence_country[]"],"change":true}]}`,
			problems: []Problem{
				{Rule: 0, Name: "x", Path: "contacts[kind=email]", Message: `unknown selector field "kind" in "contacts"`},
				{Rule: 0, Name: "x", Path: "addresses[main=yes]", Message: `selector field "main" in "addresses" is a boolean: use true or false`},
				{Rule: 0, Name: "x", Path: "contacts[=x]", Message: errBadSelector.Error()},
				{Rule: 0, Name: "x", Path: "contacts.value", Message: `field "contacts" is a list: address its elements with "contacts[]" or a selector`},
				{Rule: 0, Name: "x", Path: "residence_country[]", Message: `field "residence_country" is not a list`},
			},
		},
		{
			name: "a path in two rules, a rule without name or paths",
			json: `{"mode":"replace","rules":[{"name":"a","paths":["employment"]},{"name":"b","paths":["employment"]},{"paths":["labels"]},{"name":"d"}]}`,
			problems: []Problem{
				{Rule: 1, Name: "b", Path: "employment", Message: `path also in rule "a"`},
				{Rule: 2, Message: "rule has no name"},
				{Rule: 3, Name: "d", Message: "rule has no paths"},
			},
		},
		{name: "unknown key", json: `{"rules":[],"tenant":"x"}`, problems: []Problem{{Rule: -1, Message: `unknown field "tenant"`}}},
		{name: "unknown key in a rule", json: `{"rules":[{"name":"x","paths":["labels"],"reverify":true}]}`, problems: []Problem{{Rule: -1, At: `rules[0]`, Message: `unknown field "reverify"`}}},
		{name: "key in another case", json: `{"rules":[{"Name":"x","paths":["labels"]}]}`, problems: []Problem{{Rule: -1, At: `rules[0]`, Message: `unknown field "Name"`}}},
		{name: "key given twice", json: `{"mode":"replace","rules":[{"name":"x","paths":["labels"],"change":false,"change":true}]}`, problems: []Problem{{Rule: -1, At: `rules[0]`, Message: `duplicate key "change"`}}},
		{name: "key given twice at the top", json: `{"mode":"replace","rules":[],"mode":"extend"}`, problems: []Problem{{Rule: -1, Message: `duplicate key "mode"`}}},
		{name: "wrong type", json: `{"rules":[{"name":"x","paths":["labels"],"change":"yes"}]}`, problems: []Problem{{Rule: -1, At: `rules[0].change`, Message: `wrong type, want a boolean`}}},
		{name: "wrong type in a list", json: `{"rules":[{"name":"x","paths":["labels",7]}]}`, problems: []Problem{{Rule: -1, At: `rules[0].paths[1]`, Message: `wrong type, want a string`}}},
		{name: "rules not a list", json: `{"rules":{}}`, problems: []Problem{{Rule: -1, At: `rules`, Message: `wrong type, want a list`}}},
		{name: "not JSON", json: `{"rules":[`, problems: []Problem{{Rule: -1, Message: "unexpected end of JSON input"}}},
		{name: "data after the policy", json: `{"rules":[]} {}`, problems: []Problem{{Rule: -1, Message: "data after the JSON value"}}},
		{name: "bad mode", json: `{"mode":"merge","rules":[]}`, problems: []Problem{{Rule: -1, At: `mode`, Message: `must be "extend" or "replace"`}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p, err := Load([]byte(c.json))
			if c.problems != nil {
				checkPolicyError(t, err, c.problems)
				return
			}
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			after := changeBase()
			c.edit(after)
			got := p.Check(changeBase(), after).Changes
			if diff := cmp.Diff(c.want, got); diff != "" {
				t.Errorf("Check (-want +got):\n%s", diff)
			}
		})
	}
}

func checkPolicyError(t *testing.T, err error, want []Problem) {
	t.Helper()
	if !errors.Is(err, ErrPolicy) {
		t.Fatalf("error %v is not ErrPolicy", err)
	}
	if want == nil {
		return
	}
	var pe *PolicyError
	if !errors.As(err, &pe) {
		t.Fatalf("error %v is not a *PolicyError", err)
	}
	if diff := cmp.Diff(want, pe.Problems); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}
}

func TestChangePolicyJSONRoundTrip(t *testing.T) {
	data, err := Default().MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	p, err := Load(data)
	if err != nil {
		t.Fatalf("Load(MarshalJSON(default)): %v", err)
	}
	if diff := cmp.Diff(DefaultRules(), p.Rules()); diff != "" {
		t.Errorf("rules (-want +got):\n%s", diff)
	}
}

func TestChangePolicyErrorText(t *testing.T) {
	_, err := Load([]byte(`{"rules":[{"name":"x","paths":["nope"]}]}`))
	want := `profile: invalid change policy: rules[0] (x): path "nope": unknown field "nope"`
	if err == nil || err.Error() != want {
		t.Errorf("error = %v, want %s", err, want)
	}
}

func TestChangePolicyRulesIsACopy(t *testing.T) {
	p := Default()
	r := p.Rules()
	r[0].Paths[0] = "changed"
	*r[2].Add = true
	if diff := cmp.Diff(DefaultRules(), p.Rules()); diff != "" {
		t.Errorf("policy changed through Rules (-want +got):\n%s", diff)
	}
}

func FuzzLoadChangePolicy(f *testing.F) {
	f.Add([]byte(`{"rules":[{"name":"n","paths":["contacts[contact_type=email].value"],"change":true}]}`))
	f.Add([]byte(`{"mode":"replace","rules":[{"name":"a","paths":["addresses[main=true]","metadata.x.y"]}]}`))
	f.Add([]byte(`{"rules":[{"name":"a","paths":["a[b=c]]","[]","x..y"]}]}`))
	base := changeBase()
	after := changeBase()
	after.Addresses[0].City = "Funes"
	after.Contacts = append(after.Contacts, profile.Contact{ContactType: profile.ContactEmail, Value: "w@example.org"})
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := Load(data)
		if err != nil {
			if !errors.Is(err, ErrPolicy) {
				t.Fatalf("error %v is not ErrPolicy", err)
			}
			return
		}
		rep := p.Check(base, after)
		if n := len(rep.Changes) + len(rep.Uncovered); n != 2 {
			t.Fatalf("%d changes reported, want 2", n)
		}
	})
}
