package profile

import (
	"slices"
	"strconv"
	"strings"
)

// The rules of the nested records and the cross-field rules are plain Go:
// through go-playground's tags each visited field is boxed and each element
// of a list gets a name built for it, which was most of the allocations of
// a Validate call. The rules, paths, codes and messages are those the tags
// gave, in the same order (field order of the profile, then the cross-field
// rules).

// enum is an allowed set of values with its problem message.
type enum struct {
	values []string
	msg    string
}

func newEnum(values ...string) enum {
	return enum{values: values, msg: "must be one of: " + strings.Join(values, ", ")}
}

func (e enum) has(v string) bool { return slices.Contains(e.values, v) }

// The enums of seed 003 (section numbers in brackets) and of the check
// results of seed 001.
var (
	genderEnum     = newEnum("male", "female", "other") // 3.1.1.1
	civilStateEnum = newEnum("single", "married", "widowed", "divorced", "separated",
		"civil_union", "domestic_partnership", "other") // 3.1.1.1
	contactTypeEnum = newEnum(ContactEmail, ContactMobile, ContactLandline) // 3.1.2
	addressTypeEnum = newEnum(AddressPersonal, AddressFiscal, AddressLegal) // 3.1.3
	outcomeEnum     = newEnum(OutcomePass, OutcomeFail, OutcomePartial)     // seed 001
	matchEnum       = newEnum(MatchName, MatchAddress, MatchDOB)            // seed 001
)

const msgRequired = "is required"

// at builds the path of a list element's field, called only when there is a
// problem to report so that a valid profile builds no path.
func at(list string, i int, field string) string {
	if field == "" {
		return list + "[" + strconv.Itoa(i) + "]"
	}
	return indexPath(list, i, field)
}

// naturalRules: the name parts are required, gender and civil state are
// enums (3.1.1.1).
func (c *checker) naturalRules(p *Profile) {
	n := p.NaturalPerson
	if n == nil {
		return
	}
	if n.Name.First == "" {
		c.add("natural_person.name.first", CodeRequired, msgRequired)
	}
	if n.Name.Last == "" {
		c.add("natural_person.name.last", CodeRequired, msgRequired)
	}
	if n.CivilState != "" && !civilStateEnum.has(n.CivilState) {
		c.add("natural_person.civil_state", CodeEnum, civilStateEnum.msg)
	}
	if n.Gender != "" && !genderEnum.has(n.Gender) {
		c.add("natural_person.gender", CodeEnum, genderEnum.msg)
	}
}

// contactRules: a contact has a type among email, mobile and landline and a
// value; an e-mail value is a syntactically valid address (3.1.2).
func (c *checker) contactRules(p *Profile) {
	for i := range p.Contacts {
		ct := &p.Contacts[i]
		switch {
		case ct.ContactType == "":
			c.add(at("contacts", i, "contact_type"), CodeRequired, msgRequired)
		case !contactTypeEnum.has(ct.ContactType):
			c.add(at("contacts", i, "contact_type"), CodeEnum, contactTypeEnum.msg)
		}
		if ct.Value == "" {
			c.add(at("contacts", i, "value"), CodeRequired, msgRequired)
			continue
		}
		// E-mail syntax is go-playground's "email" rule, run through the
		// shared validator.
		if ct.ContactType == ContactEmail && structValidator().Var(ct.Value, "email") != nil {
			c.add(at("contacts", i, "value"), CodeEmail, "is not a valid e-mail address")
		}
	}
}

// addressRules: the "Required" column of 3.1.3, and the address type enum.
func (c *checker) addressRules(p *Profile) {
	for i := range p.Addresses {
		a := &p.Addresses[i]
		if a.AddressType != "" && !addressTypeEnum.has(a.AddressType) {
			c.add(at("addresses", i, "address_type"), CodeEnum, addressTypeEnum.msg)
		}
		c.requiredAt("addresses", i, "country", a.Country)
		c.requiredAt("addresses", i, "state", a.State)
		c.requiredAt("addresses", i, "city", a.City)
		c.requiredAt("addresses", i, "street_name", a.StreetName)
	}
}

// relationRequired: a relation names its target and its type (3.1.7).
func (c *checker) relationRequired(p *Profile) {
	for i := range p.Relations {
		r := &p.Relations[i]
		c.requiredAt("relations", i, "profile_id", r.ProfileID)
		c.requiredAt("relations", i, "relationship", r.Relationship)
	}
}

func (c *checker) documentRules(p *Profile) {
	for i := range p.IdentityDocuments {
		d := &p.IdentityDocuments[i]
		c.requiredAt("identity_documents", i, "type", d.Type)
		c.requiredAt("identity_documents", i, "number", d.Number)
	}
}

func (c *checker) taxResidenceRules(p *Profile) {
	for i := range p.TaxResidences {
		c.requiredAt("tax_residences", i, "country", p.TaxResidences[i].Country)
	}
}

// checkRules: a check result has an id, a type, an outcome among pass, fail
// and partial, and matches only name, address and dob (seed 001).
func (c *checker) checkRules(p *Profile) {
	for i := range p.Checks {
		ch := &p.Checks[i]
		c.requiredAt("checks", i, "id", ch.ID)
		c.requiredAt("checks", i, "type", ch.Type)
		switch {
		case ch.Outcome == "":
			c.add(at("checks", i, "outcome"), CodeRequired, msgRequired)
		case !outcomeEnum.has(ch.Outcome):
			c.add(at("checks", i, "outcome"), CodeEnum, outcomeEnum.msg)
		}
		for j, m := range ch.Matched {
			if !matchEnum.has(m) {
				c.add(at("checks", i, "matched")+"["+strconv.Itoa(j)+"]", CodeEnum, matchEnum.msg)
			}
		}
	}
}

func (c *checker) requiredAt(list string, i int, field, v string) {
	if v == "" {
		c.add(at(list, i, field), CodeRequired, msgRequired)
	}
}

// crossFieldRules hold the rules that span several fields or records.
func (c *checker) crossFieldRules(p *Profile) {
	c.personRules(p)
	c.mainAddressRule(p)
	c.mainContactRule(p)
	c.mainActivityRule(p)
	c.uniqueLabelRule(p)
}

// personRules: each person type has its own record and required fields
// (3.1.1.1, 3.1.1.2).
func (c *checker) personRules(p *Profile) {
	switch p.PersonType {
	case NaturalPerson:
		if p.NaturalPerson == nil {
			c.add("natural_person", CodeRequired, msgRequired)
		}
		if p.LegalPerson != nil {
			c.add("legal_person", CodeNotAllowed, "is not allowed for person_type natural_person")
		}
	case LegalPerson:
		if p.Name == "" {
			c.add("name", CodeRequired, msgRequired)
		}
		if p.NaturalPerson != nil {
			c.add("natural_person", CodeNotAllowed, "is not allowed for person_type legal_person")
		}
	}
}

// mainAddressRule: "At most one can be defined as the main address" (3.1.3).
func (c *checker) mainAddressRule(p *Profile) {
	seen := false
	for i := range p.Addresses {
		if !p.Addresses[i].Main {
			continue
		}
		if seen {
			c.add(at("addresses", i, "main"), CodeMultipleMain, "only one address can be the main one")
		}
		seen = true
	}
}

// mainContactRule: one main contact per contact type (3.1.2).
func (c *checker) mainContactRule(p *Profile) {
	var seen [3]bool
	for i := range p.Contacts {
		ct := &p.Contacts[i]
		if !ct.Main {
			continue
		}
		k := contactKind(ct.ContactType)
		if k < 0 {
			continue // the type itself is reported
		}
		if seen[k] {
			c.add(at("contacts", i, "main"), CodeMultipleMain, "only one contact can be the main one")
		}
		seen[k] = true
	}
}

func contactKind(t string) int {
	switch t {
	case ContactEmail:
		return 0
	case ContactMobile:
		return 1
	case ContactLandline:
		return 2
	}
	return -1
}

// mainActivityRule: "An economic activity can be highlighted as the main
// one" (3.1.4).
func (c *checker) mainActivityRule(p *Profile) {
	seen := false
	for i := range p.Activities {
		if !p.Activities[i].Main {
			continue
		}
		if seen {
			c.add(at("activities", i, "main"), CodeMultipleMain, "only one activity can be the main one")
		}
		seen = true
	}
}

// uniqueLabelRule: a label marks the profile once. A handful of labels is
// checked pairwise without allocating; longer lists go through a set, so
// that a hostile list of 100,000 labels costs linear time, not quadratic.
func (c *checker) uniqueLabelRule(p *Profile) {
	const pairwise = 16
	if len(p.Labels) <= pairwise {
		for i := 1; i < len(p.Labels); i++ {
			if slices.Contains(p.Labels[:i], p.Labels[i]) {
				c.add(at("labels", i, ""), CodeDuplicate, "repeats an earlier label")
			}
		}
		return
	}
	seen := make(map[string]struct{}, len(p.Labels))
	for i, l := range p.Labels {
		if _, dup := seen[l]; dup {
			c.add(at("labels", i, ""), CodeDuplicate, "repeats an earlier label")
			continue
		}
		seen[l] = struct{}{}
	}
}
