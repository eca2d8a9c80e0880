package profile

import (
	"slices"
	"strconv"
	"strings"
)

// The String and GoString methods below keep personal data out of logs and
// error texts (DESIGN.md, Conventions; STYLE.md 14): fmt's %v, %+v and %#v
// of a profile or of one of its personal records print record ids, types
// and flags only, never names, document numbers, tax ids, contacts,
// addresses or dates of birth.

// String returns "profile(id, person_type, version N)".
func (p Profile) String() string {
	var b strings.Builder
	b.WriteString("profile(")
	if p.ID != "" {
		b.WriteString("id " + strconv.Quote(shortKey(p.ID)) + ", ")
	}
	if p.PersonType != "" {
		b.WriteString(enumText(string(p.PersonType), string(NaturalPerson), string(LegalPerson)) + ", ")
	}
	b.WriteString("version " + strconv.Itoa(p.Version) + ")")
	return b.String()
}

// GoString is String, so that %#v does not print personal fields.
func (p Profile) GoString() string { return p.String() }

// String returns a fixed text: a natural person's fields are all personal.
func (Natural) String() string { return "natural_person(redacted)" }

// GoString is String.
func (n Natural) GoString() string { return n.String() }

// String returns a fixed text: the name is personal.
func (Name) String() string { return "name(redacted)" }

// GoString is String.
func (n Name) GoString() string { return n.String() }

// String returns the contact type and flags, not the value.
func (c Contact) String() string {
	return "contact(" + enumText(c.ContactType, ContactEmail, ContactMobile, ContactLandline) + flags(c.Main, c.IsVerified) + ")"
}

// GoString is String.
func (c Contact) GoString() string { return c.String() }

// String returns the address type and main flag, not the address.
func (a Address) String() string {
	return "address(" + enumText(a.AddressType, AddressPersonal, AddressFiscal, AddressLegal) + flags(a.Main, false) + ")"
}

// GoString is String.
func (a Address) GoString() string { return a.String() }

// String returns the document type, not its number or dates.
func (d IdentityDocument) String() string {
	return "identity_document(" + typeText(d.Type) + ")"
}

// GoString is String.
func (d IdentityDocument) GoString() string { return d.String() }

// String returns a fixed text: the country and tax id are personal.
func (TaxResidence) String() string { return "tax_residence(redacted)" }

// GoString is String.
func (t TaxResidence) GoString() string { return t.String() }

// String returns a fixed text: employment details are personal.
func (Employment) String() string { return "employment(redacted)" }

// GoString is String.
func (e Employment) GoString() string { return e.String() }

func flags(main, verified bool) string {
	s := ""
	if main {
		s += ", main"
	}
	if verified {
		s += ", verified"
	}
	return s
}

// typeText prints a type field only when it looks like an enumeration key:
// a free text put there by mistake (an e-mail in contact_type) is not
// printed.
func typeText(t string) string {
	if len(t) <= 32 && isSnakeCase(t) {
		return t
	}
	return "unrecognised type"
}

// enumText prints v when it is one of the allowed values.
func enumText(v string, allowed ...string) string {
	if slices.Contains(allowed, v) {
		return v
	}
	return "unrecognised type"
}
