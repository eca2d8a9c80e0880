package kyc

import (
	"strconv"

	"github.com/kycsdk/kyc/profile"
)

// MaxCatalogueEntries bounds a catalogue of activities or taxes.
const MaxCatalogueEntries = 100_000

// CatalogueEntry is one code of a tenant's catalogue of economic
// activities or taxes (seed 003, 3.1.4-3.1.5): the code, what it means
// and the regulatory organisation that issues it.
type CatalogueEntry struct {
	Code         string `json:"code"`
	Description  string `json:"description,omitempty"`
	Organization string `json:"organization,omitempty"`
}

// Catalogue is a tenant's list of the economic activities or taxes its
// profiles may name. A profile's code must be in it, with the same
// organisation when the entry names one. It is immutable and safe for
// concurrent use.
type Catalogue struct {
	entries []CatalogueEntry
	// codes maps organisation and code to presence; an entry without an
	// organisation is under "".
	codes map[[2]string]bool
}

// NewCatalogue builds a catalogue. Every entry needs a code; an
// organisation and code may be listed once. The error is a *ConfigError
// naming each bad entry by its index.
func NewCatalogue(entries []CatalogueEntry) (*Catalogue, error) {
	c, problems := newCatalogue(entries)
	if len(problems) > 0 {
		return nil, &ConfigError{Problems: problems}
	}
	return c, nil
}

func newCatalogue(entries []CatalogueEntry) (*Catalogue, []ConfigProblem) {
	if len(entries) > MaxCatalogueEntries {
		return nil, []ConfigProblem{{Message: "has " + strconv.Itoa(len(entries)) + " entries, over the limit of " + strconv.Itoa(MaxCatalogueEntries)}}
	}
	c := &Catalogue{entries: append([]CatalogueEntry(nil), entries...), codes: make(map[[2]string]bool, len(entries))}
	var problems []ConfigProblem
	for i, e := range entries {
		path := "[" + strconv.Itoa(i) + "]"
		key := [2]string{e.Organization, e.Code}
		switch {
		case e.Code == "" || !cleanName(e.Code):
			problems = append(problems, ConfigProblem{Path: path + ".code", Message: "must be a non-empty code without control characters or surrounding white space"})
		case c.codes[key]:
			problems = append(problems, ConfigProblem{Path: path + ".code", Message: "is listed twice for the same organization"})
		}
		c.codes[key] = true
	}
	return c, problems
}

// Entries returns a copy of the catalogue's entries, in their order.
func (c *Catalogue) Entries() []CatalogueEntry { return append([]CatalogueEntry(nil), c.entries...) }

// Contains reports whether the catalogue has code under organization, or
// under no organisation.
func (c *Catalogue) Contains(organization, code string) bool {
	return c.codes[[2]string{organization, code}] || c.codes[[2]string{"", code}]
}

// catalogueProblems checks the profile's activities and taxes against the
// catalogues (nil: any code), naming each bad code by its path and never
// its value.
func catalogueProblems(activities, taxes *Catalogue, p *profile.Profile) []profile.Problem {
	var problems []profile.Problem
	if activities != nil {
		for i, a := range p.Activities {
			if !activities.Contains(a.Organization, a.Code) {
				problems = append(problems, profile.Problem{Path: "activities[" + strconv.Itoa(i) + "].code", Code: CodeNotInCatalogue, Message: "is not an economic activity of the tenant's catalogue"})
			}
		}
	}
	if taxes != nil {
		for i, t := range p.Taxes {
			if !taxes.Contains(t.Organization, t.Code) {
				problems = append(problems, profile.Problem{Path: "taxes[" + strconv.Itoa(i) + "].code", Code: CodeNotInCatalogue, Message: "is not a tax of the tenant's catalogue"})
			}
		}
	}
	return problems
}
