package profile

import (
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func validNatural() *Profile {
	return &Profile{
		ID:         "p1",
		PersonType: NaturalPerson,
		Name:       "Ana María Pérez",
		Risk:       "low",
		NaturalPerson: &Natural{
			Name:        Name{First: "Ana", Middle: "María", Last: "Pérez"},
			BirthDate:   DatePtr(DateOf(1990, time.March, 4)),
			IDCountry:   "AR",
			Nationality: "ARG",
			CivilState:  "married",
			Gender:      "female",
		},
		Contacts: []Contact{
			{ContactType: ContactEmail, Value: "ana@example.com", Main: true},
			{ContactType: ContactMobile, Value: "+54 11 5555 0000", Main: true},
			{ContactType: ContactEmail, Value: "ana2@example.com"},
		},
		Addresses: []Address{
			{AddressType: AddressPersonal, Main: true, Country: "Argentina", State: "Santa Fe", City: "Rosario", StreetName: "Córdoba"},
			{AddressType: AddressFiscal, Country: "AR", State: "CABA", City: "Buenos Aires", StreetName: "Florida"},
		},
		Activities: []Activity{{Code: "11501", Main: true}, {Code: "11502"}},
		Taxes:      []Tax{{Code: "20", InscriptionDate: DatePtr(DateOf(2018, time.June, 15))}},
		Relations:  []Relation{{ProfileID: "p2", Relationship: RelationGuarantor, Since: DatePtr(DateOf(2020, 1, 1)), Until: DatePtr(DateOf(2021, 1, 1))}},
		Labels:     []string{"vip", "onboarding"},
		IdentityDocuments: []IdentityDocument{{
			Type: "passport", Number: "X1", IssuingCountry: "ar",
			IssueDate: DatePtr(DateOf(2019, 1, 1)), ExpiryDate: DatePtr(DateOf(2029, 1, 1)),
		}},
		TaxResidences: []TaxResidence{{Country: "ES"}},
		Checks:        []Check{{ID: "c1", Type: "name_dob", Outcome: OutcomePass, Matched: []string{MatchName, MatchDOB}, PerformedAt: 1624649377044}},
	}
}

func validLegal() *Profile {
	return &Profile{
		PersonType:  LegalPerson,
		Name:        "Araoz S.R.L.",
		LegalPerson: &Legal{FoundationDate: DatePtr(DateOf(2010, time.June, 9))},
	}
}

type pc struct{ Path, Code string }

func problemsOf(t *testing.T, err error) []pc {
	t.Helper()
	if err == nil {
		return nil
	}
	var ve *ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("error %v is not a *ValidationError", err)
	}
	if !errors.Is(err, ErrInvalid) {
		t.Errorf("errors.Is(err, ErrInvalid) = false")
	}
	out := make([]pc, len(ve.Problems))
	for i, p := range ve.Problems {
		out[i] = pc{p.Path, p.Code}
		if p.Message == "" {
			t.Errorf("problem %v has no message", p)
		}
	}
	return out
}

var testNow = time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)

func TestValidate(t *testing.T) {
	tests := []struct {
		name   string
		base   func() *Profile
		mutate func(p *Profile)
		want   []pc
	}{
		{name: "valid natural person", base: validNatural, mutate: func(*Profile) {}},
		{name: "valid legal person", base: validLegal, mutate: func(*Profile) {}},
		{name: "person type missing", base: validLegal, mutate: func(p *Profile) { p.PersonType = "" },
			want: []pc{{"person_type", CodeRequired}}},
		{name: "person type unknown", base: validLegal, mutate: func(p *Profile) { p.PersonType = "robot" },
			want: []pc{{"person_type", CodeEnum}}},
		{name: "natural without record", base: validNatural, mutate: func(p *Profile) { p.NaturalPerson = nil },
			want: []pc{{"natural_person", CodeRequired}}},
		{name: "natural name parts missing", base: validNatural, mutate: func(p *Profile) { p.NaturalPerson.Name = Name{Middle: "M"} },
			want: []pc{{"natural_person.name.first", CodeRequired}, {"natural_person.name.last", CodeRequired}}},
		{name: "natural with legal record", base: validNatural, mutate: func(p *Profile) { p.LegalPerson = &Legal{} },
			want: []pc{{"legal_person", CodeNotAllowed}}},
		{name: "legal without name", base: validLegal, mutate: func(p *Profile) { p.Name = "" },
			want: []pc{{"name", CodeRequired}}},
		{name: "legal with natural record", base: validLegal, mutate: func(p *Profile) { p.NaturalPerson = &Natural{Name: Name{First: "A", Last: "B"}} },
			want: []pc{{"natural_person", CodeNotAllowed}}},
		{name: "gender and civil state", base: validNatural, mutate: func(p *Profile) { p.NaturalPerson.Gender = "m"; p.NaturalPerson.CivilState = "engaged" },
			want: []pc{{"natural_person.civil_state", CodeEnum}, {"natural_person.gender", CodeEnum}}},
		{name: "risk level", base: validNatural, mutate: func(p *Profile) { p.Risk = "severe" },
			want: []pc{{"risk", CodeEnum}}},
		{name: "negative numbers", base: validNatural, mutate: func(p *Profile) {
			n := int64(-1)
			p.Version, p.OpenCases, p.DeclaredIncome = -1, -2, &n
		}, want: []pc{{"version", CodeOutOfRange}, {"declared_income", CodeOutOfRange}, {"open_cases", CodeOutOfRange}}},
		{name: "address required fields", base: validNatural, mutate: func(p *Profile) { p.Addresses[1] = Address{AddressType: "home"} },
			want: []pc{{"addresses[1].address_type", CodeEnum}, {"addresses[1].country", CodeRequired}, {"addresses[1].state", CodeRequired}, {"addresses[1].city", CodeRequired}, {"addresses[1].street_name", CodeRequired}}},
		{name: "two main addresses", base: validNatural, mutate: func(p *Profile) { p.Addresses[1].Main = true },
			want: []pc{{"addresses[1].main", CodeMultipleMain}}},
		{name: "two main e-mails", base: validNatural, mutate: func(p *Profile) { p.Contacts[2].Main = true },
			want: []pc{{"contacts[2].main", CodeMultipleMain}}},
		{name: "main e-mail and main mobile is fine", base: validNatural, mutate: func(p *Profile) {
			p.Contacts = append(p.Contacts, Contact{ContactType: ContactLandline, Value: "+54 341 000", Main: true})
		}},
		{name: "contact type and value", base: validNatural, mutate: func(p *Profile) { p.Contacts[2] = Contact{ContactType: "fax"} },
			want: []pc{{"contacts[2].contact_type", CodeEnum}, {"contacts[2].value", CodeRequired}}},
		{name: "bad e-mail", base: validNatural, mutate: func(p *Profile) { p.Contacts[0].Value = "not-an-email" },
			want: []pc{{"contacts[0].value", CodeEmail}}},
		{name: "two main activities", base: validNatural, mutate: func(p *Profile) { p.Activities[1].Main = true },
			want: []pc{{"activities[1].main", CodeMultipleMain}}},
		{name: "labels length and duplicates", base: validNatural, mutate: func(p *Profile) {
			p.Labels = []string{"a", "ok", "this-label-is-far-too-long", "ok", "ñandú"}
		}, want: []pc{{"labels[0]", CodeLength}, {"labels[2]", CodeLength}, {"labels[3]", CodeDuplicate}}},
		{name: "20 multi-byte characters is a valid label", base: validNatural, mutate: func(p *Profile) {
			p.Labels = []string{"ññññññññññññññññññññ"}
		}},
		{name: "countries", base: validNatural, mutate: func(p *Profile) {
			p.NaturalPerson.IDCountry = "England"
			p.NaturalPerson.Nationality = "Argentine"
			p.Addresses[0].Country = "XX"
			p.OECDMainCountry = "usa"
			p.OECDSecondaryCountry = "Narnia"
			p.IdentityDocuments[0].IssuingCountry = "Atlantis"
			p.TaxResidences[0].Country = "EU"
			p.ResidenceCountry = "Spain"
		}, want: []pc{
			{"oecd_secondary_country", CodeCountry},
			{"natural_person.id_country", CodeCountry},
			{"natural_person.nationality", CodeCountry},
			{"addresses[0].country", CodeCountry},
			{"identity_documents[0].issuing_country", CodeCountry},
			{"tax_residences[0].country", CodeCountry},
		}},
		{name: "birth date in the future", base: validNatural, mutate: func(p *Profile) {
			p.NaturalPerson.BirthDate = DatePtr(DateOf(2026, 11, 25))
		}, want: []pc{{"natural_person.birth_date", CodeFutureDate}}},
		{name: "birth date today east of UTC is not the future", base: validNatural, mutate: func(p *Profile) {
			p.NaturalPerson.BirthDate = DatePtr(DateOf(2026, 11, 24))
		}},
		{name: "foundation date in the future", base: validLegal, mutate: func(p *Profile) {
			p.LegalPerson.FoundationDate = DatePtr(DateOf(2027, 1, 1))
		}, want: []pc{{"legal_person.foundation_date", CodeFutureDate}}},
		{name: "dates not midnight", base: validNatural, mutate: func(p *Profile) {
			p.NaturalPerson.BirthDate = DatePtr(DateOf(1990, 3, 4) + 3*60*60*1000)
			p.Taxes[0].InscriptionDate = DatePtr(DateOf(2018, 6, 15) - 1)
			p.ObligatedSubjectDate = DatePtr(1)
		}, want: []pc{{"obligated_subject_date", CodeNotMidnight}, {"natural_person.birth_date", CodeNotMidnight}, {"taxes[0].inscription_date", CodeNotMidnight}}},
		{name: "dates out of range", base: validNatural, mutate: func(p *Profile) {
			p.NaturalPerson.BirthDate = DatePtr(Date(-1 << 62))
			p.CreatedAt = Timestamp(1 << 62)
		}, want: []pc{{"created_at", CodeOutOfRange}, {"natural_person.birth_date", CodeOutOfRange}}},
		{name: "document expiry before issue", base: validNatural, mutate: func(p *Profile) {
			p.IdentityDocuments[0].ExpiryDate = p.IdentityDocuments[0].IssueDate
		}, want: []pc{{"identity_documents[0].expiry_date", CodeDateOrder}}},
		{name: "document issued in the future", base: validNatural, mutate: func(p *Profile) {
			p.IdentityDocuments[0].IssueDate = DatePtr(DateOf(2027, 1, 1))
		}, want: []pc{{"identity_documents[0].issue_date", CodeFutureDate}}},
		{name: "document fields", base: validNatural, mutate: func(p *Profile) { p.IdentityDocuments[0].Type, p.IdentityDocuments[0].Number = "", "" },
			want: []pc{{"identity_documents[0].type", CodeRequired}, {"identity_documents[0].number", CodeRequired}}},
		{name: "relation", base: validNatural, mutate: func(p *Profile) {
			p.Relations = append(p.Relations, Relation{Relationship: "cousin"}, Relation{ProfileID: "p3"})
			p.Relations[0].Until = DatePtr(DateOf(2019, 1, 1))
		}, want: []pc{
			{"relations[1].profile_id", CodeRequired}, {"relations[2].relationship", CodeRequired},
			{"relations[0].until", CodeDateOrder}, {"relations[1].relationship", CodeRelationType},
		}},
		{name: "FINTRAC relation types", base: validNatural, mutate: func(p *Profile) {
			p.Relations = []Relation{{ProfileID: "a", Relationship: "common_law_partner"}, {ProfileID: "b", Relationship: "co_worker"}}
		}},
		{name: "check", base: validNatural, mutate: func(p *Profile) { p.Checks[0] = Check{Outcome: "maybe", Matched: []string{"email"}} },
			want: []pc{{"checks[0].id", CodeRequired}, {"checks[0].type", CodeRequired}, {"checks[0].outcome", CodeEnum}, {"checks[0].matched[0]", CodeEnum}}},
	}
	v := NewValidator(Options{Now: func() time.Time { return testNow }})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := tt.base()
			tt.mutate(p)
			got := problemsOf(t, v.Validate(p))
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("problems (-want +got):\n%s", diff)
			}
		})
	}
}

func TestValidateNil(t *testing.T) {
	got := problemsOf(t, Validate(nil))
	if diff := cmp.Diff([]pc{{"", CodeRequired}}, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestValidatorOptions(t *testing.T) {
	rel, err := DefaultRelationTypes().With("cousin")
	if err != nil {
		t.Fatal(err)
	}
	v := NewValidator(Options{
		Relations:  rel,
		RiskLevels: []string{"low", "medium", "high", "severe"},
		Now:        func() time.Time { return testNow },
	})
	p := validNatural()
	p.Risk = "severe"
	p.Relations = []Relation{{ProfileID: "x", Relationship: "cousin"}}
	if err := v.Validate(p); err != nil {
		t.Errorf("tenant options: %v", err)
	}
	if got := problemsOf(t, Validate(p)); len(got) != 2 {
		t.Errorf("default options accepted a tenant's values: %v", got)
	}
}

func TestValidateDoesNotModify(t *testing.T) {
	p := validNatural()
	p.Addresses[0].Country = " argentina "
	before := *p.NaturalPerson
	_ = Validate(p)
	if p.Addresses[0].Country != " argentina " || !cmp.Equal(before, *p.NaturalPerson) {
		t.Error("Validate modified the profile")
	}
}

func TestValidationErrorText(t *testing.T) {
	e := &ValidationError{Problems: []Problem{
		{Path: "addresses[1].country", Code: CodeRequired, Message: "is required"},
		{Path: "labels[0]", Code: CodeLength, Message: "must be 2 to 20 characters long"},
	}}
	want := "profile: invalid profile: 2 problems: addresses[1].country: is required; labels[0]: must be 2 to 20 characters long"
	if diff := cmp.Diff(want, e.Error()); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if !e.Has("labels[0]", CodeLength) || e.Has("labels[0]", CodeRequired) {
		t.Error("Has")
	}
}

// TestValidateOrderAndMessages: problems of the profile's own fields, of
// its nested records and of the cross-field rules together come in the
// documented order (field order of the profile, then the cross-field
// rules), with their messages.
func TestValidateOrderAndMessages(t *testing.T) {
	p := validNatural()
	p.Version = -1
	p.NaturalPerson.Name.First = ""
	p.NaturalPerson.Gender = "m"
	p.Contacts[2] = Contact{ContactType: "fax", Value: "x", Main: true}
	p.Contacts[0].Value = "not-an-email"
	p.Addresses[1].Main = true
	p.Addresses[1].City = ""
	p.Relations[0].ProfileID = ""
	p.Labels = []string{"a", "ok", "ok"}
	p.IdentityDocuments[0].Number = ""
	p.TaxResidences[0].Country = ""
	p.OpenCases = -1
	p.Checks[0].Outcome = "maybe"
	p.Checks[0].Matched = []string{"dob", "email"}
	p.LegalPerson = &Legal{}
	var ve *ValidationError
	if !errors.As(NewValidator(Options{Now: func() time.Time { return testNow }}).Validate(p), &ve) {
		t.Fatal("want a *ValidationError")
	}
	want := []Problem{
		{Path: "natural_person.name.first", Code: CodeRequired, Message: "is required"},
		{Path: "natural_person.gender", Code: CodeEnum, Message: "must be one of: male, female, other"},
		{Path: "version", Code: CodeOutOfRange, Message: "must not be negative"},
		{Path: "open_cases", Code: CodeOutOfRange, Message: "must not be negative"},
		{Path: "contacts[0].value", Code: CodeEmail, Message: "is not a valid e-mail address"},
		{Path: "contacts[2].contact_type", Code: CodeEnum, Message: "must be one of: email, mobile, landline"},
		{Path: "addresses[1].city", Code: CodeRequired, Message: "is required"},
		{Path: "relations[0].profile_id", Code: CodeRequired, Message: "is required"},
		{Path: "labels[0]", Code: CodeLength, Message: "must be 2 to 20 characters long"},
		{Path: "identity_documents[0].number", Code: CodeRequired, Message: "is required"},
		{Path: "tax_residences[0].country", Code: CodeRequired, Message: "is required"},
		{Path: "checks[0].outcome", Code: CodeEnum, Message: "must be one of: pass, fail, partial"},
		{Path: "checks[0].matched[1]", Code: CodeEnum, Message: "must be one of: name, address, dob"},
		{Path: "legal_person", Code: CodeNotAllowed, Message: "is not allowed for person_type natural_person"},
		{Path: "addresses[1].main", Code: CodeMultipleMain, Message: "only one address can be the main one"},
		{Path: "labels[2]", Code: CodeDuplicate, Message: "repeats an earlier label"},
	}
	if diff := cmp.Diff(want, ve.Problems); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}
}
