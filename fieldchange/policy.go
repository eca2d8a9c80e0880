package fieldchange

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"sync"

	"github.com/kycsdk/kyc/internal/jsonconfig"
	"github.com/kycsdk/kyc/profile"
)

// Kind says how a field changed between two versions of a profile:
// the two columns of the seed 000 "Client Profile Field Change Guide"
// table (changing an existing value, adding another one), plus removal,
// which the table counts as a change.
type Kind string

// The kinds of change.
const (
	// Modified is an existing value replaced by another.
	Modified Kind = "change"
	// Added is a value where there was none: a list element with no
	// counterpart in the old profile, or a field set for the first time.
	Added Kind = "add"
	// Removed is a value that is gone.
	Removed Kind = "remove"
)

// Change is one detected change of a profile.
type Change struct {
	// Path is the JSON path of the change in the new profile (in the old
	// one for a removal): "addresses[1].street_name", "contacts[0]".
	Path string
	// Rule is the name of the rule that matched; empty when none did.
	Rule string
	// RulePath is the path of that rule that matched.
	RulePath string
	Kind     Kind
	// Reverify says that the change needs KYC re-verification.
	Reverify bool
}

// Report is what Policy.Check finds between two profiles.
type Report struct {
	// Changes are the changes a rule covers, in path order.
	Changes []Change
	// Uncovered are the changes no rule covers; they never need
	// re-verification (seed 000 names the fields that do).
	Uncovered []Change
}

// NeedsReverification reports whether any change needs KYC re-verification.
func (r Report) NeedsReverification() bool {
	return slices.ContainsFunc(r.Changes, func(c Change) bool { return c.Reverify })
}

// ReverifyPaths returns the paths of the changes that need re-verification,
// in the form Profile.PendingReverification holds.
func (r Report) ReverifyPaths() []string {
	var out []string
	for _, c := range r.Changes {
		if c.Reverify {
			out = append(out, c.Path)
		}
	}
	return out
}

// Rule is one row of a change policy: the fields it covers and whether
// changing them, or adding another value, needs KYC re-verification.
type Rule struct {
	// Name identifies the rule in reports ("email", "primary_address").
	Name string `json:"name"`
	// Paths are the JSON paths the rule covers; see Load.
	Paths []string `json:"paths"`
	// Change: changing or removing a value needs re-verification.
	Change bool `json:"change"`
	// Add: adding another value needs re-verification. Nil is the table's
	// "N/A" (only one value exists on a profile): setting that value is
	// judged as a change.
	Add *bool `json:"add,omitempty"`
	// PersonType limits the rule to profiles of one person type (either
	// version of the profile has it); empty applies to every profile. A
	// natural person's name is derived from its parts, which the "name"
	// rule covers, while a legal person's name is its identity.
	PersonType profile.PersonType `json:"person_type,omitempty"`
}

// needs reports whether a change of kind k under the rule needs
// re-verification. Removing counts as changing (seed 000).
func (r Rule) needs(k Kind) bool {
	if k == Added && r.Add != nil {
		return *r.Add
	}
	return r.Change
}

func (r Rule) clone() Rule {
	r.Paths = slices.Clone(r.Paths)
	if r.Add != nil {
		a := *r.Add
		r.Add = &a
	}
	return r
}

type compiledRule struct {
	rule  Rule
	paths [][]pathSeg
}

// Policy decides which changes of a profile need KYC re-verification.
// It is built once (Default, New, Load),
// is immutable afterwards and is safe for concurrent use.
type Policy struct {
	rules []compiledRule
}

// DefaultRules returns the rules of the seed 000 "Client Profile Field
// Change Guide" table, row for row, in the table's order, then the rules
// this package adds beyond the table. A non-main address is not in the
// table; its rule says that it needs no re-verification, which is what the
// table's "Address (Primary)" implies.
//
// Beyond the table, which lists a natural person's data only:
//   - main_email: the main flag of an e-mail contact moving, or an e-mail
//     contact added as the main one. The main e-mail is where one-time
//     codes and notices go, so taking it over is the same risk as changing
//     the address itself, which the table's "Email Address" row verifies;
//     the table's own "add: no" stays for e-mails that are not the main
//     one. Addresses already work this way ("Address (Primary)").
//   - legal_name, foundation_date, constitution, legal_tax_payer_id: a
//     legal person's identity is its name, its registration (tax payer id,
//     legal form) and its foundation, as a natural person's is name, date
//     of birth and identity documents; changing one is re-identifying the
//     customer, as the table's "Name" and "Date of Birth" rows are.
func DefaultRules() []Rule {
	return []Rule{
		{Name: "name", Paths: []string{"natural_person.name.first", "natural_person.name.middle", "natural_person.name.last"}, Change: true},
		{Name: "date_of_birth", Paths: []string{"natural_person.birth_date"}, Change: true},
		// A contact is its value: a description, main or verified flag
		// changing is not a change of the telephone number or address.
		{Name: "telephone", Paths: []string{"contacts[contact_type=mobile].value", "contacts[contact_type=landline].value"}, Change: false, Add: new(false)},
		{Name: "email", Paths: []string{"contacts[contact_type=email].value"}, Change: true, Add: new(false)},
		{Name: "employment", Paths: []string{"employment"}, Change: false},
		{Name: "residency", Paths: []string{"residence_country"}, Change: true},
		{Name: "other_tax_residences", Paths: []string{"tax_residences"}, Change: false, Add: new(false)},
		{Name: "primary_address", Paths: []string{"addresses[main=true]"}, Change: true},
		{Name: "other_address", Paths: []string{"addresses[main=false]"}, Change: false, Add: new(false)},
		{Name: "identity_documents", Paths: []string{"identity_documents", "natural_person.id_number", "natural_person.id_type", "natural_person.id_country"}, Change: true, Add: new(true)},
		// Beyond the table: the main e-mail receives the one-time codes
		// and notices, so moving the main flag to another e-mail contact,
		// or adding one as the main, needs re-verification; an e-mail
		// that is not the main one stays free to add (the "email" row).
		{Name: "main_email", Paths: []string{"contacts[contact_type=email][main=true].main"}, Change: true, Add: new(true)},
		// Beyond the table: a legal person's identity is its name, its
		// registration and its foundation.
		{Name: "legal_name", Paths: []string{"name"}, Change: true, PersonType: profile.LegalPerson},
		{Name: "foundation_date", Paths: []string{"legal_person.foundation_date"}, Change: true},
		{Name: "constitution", Paths: []string{"legal_person.constitution"}, Change: true},
		{Name: "legal_tax_payer_id", Paths: []string{"tax_payer_id"}, Change: true, PersonType: profile.LegalPerson},
	}
}

var defaultPolicy = sync.OnceValue(func() *Policy {
	p, err := New(DefaultRules()...)
	if err != nil {
		// The default rules are constants of this package, not input: a
		// failure is a bug that TestDefaultChangeRules catches.
		panic(err)
	}
	return p
})

// Default returns the policy of the seed 000 table (see
// DefaultRules). The policy is shared and immutable.
func Default() *Policy { return defaultPolicy() }

// New builds a policy from rules, checking every path against
// the fields of Profile. The error is a *PolicyError naming every
// problem. A policy without rules covers nothing: Check then lists every
// change as uncovered.
func New(rules ...Rule) (*Policy, error) {
	var problems []Problem
	p := &Policy{rules: make([]compiledRule, 0, len(rules))}
	seenName := map[string]int{}
	seenPath := map[string]string{}
	for i, r := range rules {
		problems = append(problems, checkRuleName(i, r, seenName)...)
		cr, probs := compileRule(i, r, seenPath)
		problems = append(problems, probs...)
		p.rules = append(p.rules, cr)
	}
	if len(problems) > 0 {
		return nil, &PolicyError{Problems: problems}
	}
	return p, nil
}

func checkRuleName(i int, r Rule, seen map[string]int) []Problem {
	if r.Name == "" {
		return []Problem{{Rule: i, Message: "rule has no name"}}
	}
	if j, dup := seen[r.Name]; dup {
		return []Problem{{Rule: i, Name: r.Name, Message: "name already used by rules[" + strconv.Itoa(j) + "]"}}
	}
	seen[r.Name] = i
	return nil
}

func compileRule(i int, r Rule, seenPath map[string]string) (compiledRule, []Problem) {
	cr := compiledRule{rule: r.clone()}
	var problems []Problem
	if len(r.Paths) == 0 {
		problems = append(problems, Problem{Rule: i, Name: r.Name, Message: "rule has no paths"})
	}
	switch r.PersonType {
	case "", profile.NaturalPerson, profile.LegalPerson:
	default:
		problems = append(problems, Problem{Rule: i, Name: r.Name, Message: `person_type must be "natural_person" or "legal_person"`})
	}
	for _, path := range r.Paths {
		segs, err := parseRulePath(path)
		if err == nil {
			err = validatePath(segs)
		}
		if err == nil {
			err = claimPath(path, r.Name, seenPath)
		}
		if err != nil {
			problems = append(problems, Problem{Rule: i, Name: r.Name, Path: path, Message: err.Error()})
			continue
		}
		cr.paths = append(cr.paths, segs)
	}
	return cr, problems
}

// claimPath rejects a path that two rules name: which one applied would
// depend on their order.
func claimPath(path, rule string, seen map[string]string) error {
	if other, dup := seen[path]; dup {
		return fmt.Errorf("path also in rule %q", other)
	}
	seen[path] = rule
	return nil
}

// policyDoc is the JSON form of a tenant's policy.
type policyDoc struct {
	// Mode is "extend" (the default) or "replace"; see Load.
	Mode  string `json:"mode,omitempty"`
	Rules []Rule `json:"rules"`
}

// Load builds a tenant's policy from JSON:
//
//	{"mode": "extend",
//	 "rules": [{"name": "nationality", "paths": ["natural_person.nationality"],
//	            "change": true, "add": null}]}
//
// "mode" is "extend" (default: the rules are added to DefaultRules; a
// rule named like a default rule replaces it, and a path named by a default
// rule and a tenant rule is the tenant rule's) or "replace" (the rules are
// the whole policy). Paths are JSON paths of Profile with "[]" for any
// element of a list and "[field=value]" for the elements whose field holds
// value ("contacts[contact_type=email]", "addresses[main=true]"), several
// selectors for the elements that hold them all
// ("contacts[contact_type=email][main=true]"); a path covers every field
// below it. "person_type" ("natural_person" or "legal_person") limits a rule
// to profiles of that type. The document is read strictly: keys match
// case-sensitively, and a key the format does not have, a key given twice
// or a value of the wrong kind is refused with its JSON path
// ("rules[0].change: wrong type, want a boolean"), as are paths through
// fields Profile does not have, malformed selectors and a path claimed by two rules; the error is a
// *PolicyError and unwraps to ErrPolicy.
func Load(data []byte) (*Policy, error) {
	var doc policyDoc
	if err := jsonconfig.Decode(data, &doc); err != nil {
		var de *jsonconfig.Error
		if !errors.As(err, &de) {
			return nil, fmt.Errorf("%w: %w", ErrPolicy, err)
		}
		return nil, &PolicyError{Problems: []Problem{{Rule: -1, At: de.Path, Message: de.Problem}}}
	}
	switch doc.Mode {
	case "replace":
		return New(doc.Rules...)
	case "", "extend":
		return New(extendRules(DefaultRules(), doc.Rules)...)
	}
	return nil, &PolicyError{Problems: []Problem{{Rule: -1, At: "mode", Message: `must be "extend" or "replace"`}}}
}

// extendRules puts the tenant's rules first, so that a problem names its
// place in the tenant's document, then the default rules that the tenant
// did not replace by name. A default path that a tenant rule names is the
// tenant rule's; a default rule left without paths is dropped.
func extendRules(base, extra []Rule) []Rule {
	out := slices.Clone(extra)
	named := map[string]bool{}
	claimed := map[string]bool{}
	for _, r := range extra {
		named[r.Name] = true
		for _, path := range r.Paths {
			claimed[path] = true
		}
	}
	for _, r := range base {
		if named[r.Name] {
			continue
		}
		r.Paths = slices.DeleteFunc(slices.Clone(r.Paths), func(p string) bool { return claimed[p] })
		if len(r.Paths) > 0 {
			out = append(out, r)
		}
	}
	return out
}

// Rules returns a copy of the policy's rules.
func (p *Policy) Rules() []Rule {
	out := make([]Rule, len(p.rules))
	for i, r := range p.rules {
		out[i] = r.rule.clone()
	}
	return out
}

// MarshalJSON writes the policy in the form Load reads, as a
// complete ("replace") policy.
func (p *Policy) MarshalJSON() ([]byte, error) {
	return json.Marshal(policyDoc{Mode: "replace", Rules: p.Rules()})
}

// Check compares two versions of a profile and says, for every changed
// field, which rule covers it and whether the change needs KYC
// re-verification. A nil profile counts as an empty one. List elements are
// matched by identity (contacts by type and value, addresses by content,
// identity documents by type and number), so reordering a list is no
// change. Check never modifies its arguments.
func (p *Policy) Check(old, new *profile.Profile) Report {
	// Most saves change a few fields at a shallow depth: the path, the
	// list pairings and the changes start on the stack.
	var path [8]step
	var scratch [32]int
	var found [8]Change
	d := differ{policy: p, path: path[:0], scratch: scratch[:0], out: found[:0], persons: personTypes(old, new)}
	d.walk(profilePlan(), nil, profileValue(old), profileValue(new))
	return splitReport(d.out)
}

// personTypes are the person types of the two versions, which rules
// limited to one person type are matched against.
func personTypes(old, new *profile.Profile) [2]profile.PersonType {
	var t [2]profile.PersonType
	if old != nil {
		t[0] = old.PersonType
	}
	if new != nil {
		t[1] = new.PersonType
	}
	return t
}

// applies reports whether r applies to a profile of the person types.
func (r Rule) applies(persons [2]profile.PersonType) bool {
	return r.PersonType == "" || r.PersonType == persons[0] || r.PersonType == persons[1]
}

func profileValue(p *profile.Profile) reflect.Value {
	if p == nil {
		return reflect.Value{}
	}
	return reflect.ValueOf(p).Elem()
}

// splitReport puts the changes that a rule covers and the others, each in
// the order found, into one allocation.
func splitReport(found []Change) Report {
	if len(found) == 0 {
		return Report{}
	}
	all := make([]Change, len(found))
	covered, uncovered := 0, len(all)
	for _, c := range found {
		if c.Rule == "" {
			uncovered--
			all[uncovered] = c
			continue
		}
		all[covered] = c
		covered++
	}
	slices.Reverse(all[uncovered:])
	var rep Report
	if covered > 0 {
		rep.Changes = all[:covered:covered]
	}
	if uncovered < len(all) {
		rep.Uncovered = all[uncovered:]
	}
	return rep
}

// classify finds the most specific rule covering a change at path. Between
// rules as specific as each other (an address that stops being the main
// one matches both primary and other address), the one that needs
// re-verification wins: when in doubt, verify.
func (p *Policy) classify(path []step, kind Kind, whole bool, persons [2]profile.PersonType) Change {
	c := Change{Path: formatSteps(path), Kind: kind}
	best := -1
	for _, r := range p.rules {
		if !r.rule.applies(persons) {
			continue
		}
		for i, segs := range r.paths {
			score, ok := matchScore(segs, path, whole)
			if !ok || score < best {
				continue
			}
			need := r.rule.needs(kind)
			if score == best && (c.Reverify || !need) {
				continue
			}
			best = score
			c.Rule, c.RulePath, c.Reverify = r.rule.Name, r.rule.Paths[i], need
		}
	}
	return c
}
