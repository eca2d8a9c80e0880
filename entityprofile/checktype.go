package entityprofile

import (
	"github.com/kycsdk/kyc/profile"
	"slices"
)

// Consents a check can need: the consent.* flags of seed 001's extraData,
// kept in profile.Profile.Consents without the "consent." prefix.
const (
	ConsentGeneral      = "general"
	ConsentDocs         = "docs"
	ConsentCreditHeader = "creditheader"
)

// The built-in check types (seed 001 names the idea; the list is the usual
// set of an electronic verification service).
const (
	NameDOB      = "name_dob"
	Address      = "address"
	IDDocument   = "id_document"
	PEP          = "pep"
	Sanctions    = "sanctions"
	AdverseMedia = "adverse_media"
	CreditHeader = "credit_header"
	Biometric    = "biometric"
)

// CheckType describes one kind of verification check: the consent it needs,
// the fields a result can match (counted against a recipe's minimums), its
// ageing when no recipe says otherwise, and the profile paths whose change
// makes its results stale.
type CheckType struct {
	Name string `json:"name"`
	// Consent is the consent flag the check needs, or empty for none.
	Consent string `json:"consent,omitempty"`
	// Matches lists the fields a result can match: name, address, dob.
	Matches []string `json:"matches,omitempty"`
	// Ageing is the default validity of a result ("365d", "never",
	// "document"), used when a recipe sets none and under `none`.
	Ageing string `json:"ageing"`
	// Paths are JSON paths of the profile (prefixes: "addresses" covers
	// "addresses[1].city"); a pending re-verification flag on one of them
	// makes the check's results stale.
	Paths []string `json:"paths,omitempty"`
}

// Profile paths the built-in check types read.
var (
	namePaths     = []string{"name", "natural_person.name"}
	dobPaths      = []string{"natural_person.birth_date"}
	addressPaths  = []string{"addresses"}
	documentPaths = []string{"identity_documents"}
)

func paths(groups ...[]string) []string {
	var out []string
	for _, g := range groups {
		out = append(out, g...)
	}
	return out
}

// BuiltinCheckTypes returns the built-in check types, in a fresh slice the
// caller may change. Screening checks (pep, sanctions, adverse_media) match
// no identity field: they say whether the person is listed, not who they are.
// Default ageings follow common practice: identity data does not change, an
// address does, and watchlists change daily.
func BuiltinCheckTypes() []CheckType {
	return []CheckType{
		{Name: NameDOB, Consent: ConsentGeneral, Matches: []string{profile.MatchName, profile.MatchDOB}, Ageing: AgeingNever, Paths: paths(namePaths, dobPaths)},
		{Name: Address, Consent: ConsentGeneral, Matches: []string{profile.MatchName, profile.MatchAddress}, Ageing: "365d", Paths: paths(namePaths, addressPaths)},
		{Name: IDDocument, Consent: ConsentDocs, Matches: []string{profile.MatchName, profile.MatchDOB}, Ageing: AgeingDocument, Paths: paths(namePaths, dobPaths, documentPaths)},
		{Name: PEP, Consent: ConsentGeneral, Ageing: "30d", Paths: paths(namePaths, dobPaths)},
		{Name: Sanctions, Consent: ConsentGeneral, Ageing: "30d", Paths: paths(namePaths, dobPaths)},
		{Name: AdverseMedia, Consent: ConsentGeneral, Ageing: "90d", Paths: namePaths},
		{Name: CreditHeader, Consent: ConsentCreditHeader, Matches: []string{profile.MatchName, profile.MatchAddress, profile.MatchDOB}, Ageing: "365d", Paths: paths(namePaths, dobPaths, addressPaths)},
		{Name: Biometric, Consent: ConsentDocs, Ageing: AgeingDocument, Paths: documentPaths},
	}
}

func knownConsent(c string) bool {
	return c == ConsentGeneral || c == ConsentDocs || c == ConsentCreditHeader
}

// fields are the matchable fields as bits, so that counting matches needs no
// map.
type fields uint8

const (
	fieldName fields = 1 << iota
	fieldAddress
	fieldDOB
)

var fieldOrder = [...]struct {
	name string
	bit  fields
}{
	{profile.MatchName, fieldName},
	{profile.MatchAddress, fieldAddress},
	{profile.MatchDOB, fieldDOB},
}

func fieldOf(name string) (fields, bool) {
	for _, f := range fieldOrder {
		if f.name == name {
			return f.bit, true
		}
	}
	return 0, false
}

// checkType is a validated CheckType.
type checkType struct {
	name    string
	consent string
	matches fields
	ageing  Ageing
	paths   []string
}

// coversPath reports whether a flagged path falls under one of the type's
// paths: equal, or followed by "." or "[".
func (c *checkType) coversPath(p string) bool {
	return slices.ContainsFunc(c.paths, func(prefix string) bool { return pathUnder(p, prefix) })
}

func pathUnder(p, prefix string) bool {
	if len(p) < len(prefix) || p[:len(prefix)] != prefix {
		return false
	}
	return len(p) == len(prefix) || p[len(prefix)] == '.' || p[len(prefix)] == '['
}
