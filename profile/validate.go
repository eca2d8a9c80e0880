package profile

import (
	"cmp"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/go-playground/validator/v10"
)

// Options configures a Validator. The zero value gives the defaults.
type Options struct {
	// Relations is the registry relation types are checked against;
	// DefaultRelationTypes when nil.
	Relations *RelationTypes
	// Metadata is the tenant's schema for Profile.Metadata; nil means
	// metadata is not checked (seed 003, 3.1.9: "in the absence of a schema
	// ... no validation will be carried out").
	Metadata *MetadataSchema
	// RiskLevels are the allowed values of Profile.Risk; DefaultRiskLevels()
	// when empty.
	RiskLevels []string
	// Now is the clock dates are compared with; time.Now when nil.
	Now func() time.Time
}

// DefaultRiskLevels returns seed 003's three risk classes (3.1.1), lowest
// first.
func DefaultRiskLevels() []string { return []string{"low", "medium", "high"} }

// Validator checks profiles against the seed's rules and a tenant's
// configuration. It is immutable once built and safe for concurrent use.
type Validator struct {
	relations *RelationTypes
	metadata  *MetadataSchema
	risk      []string
	riskList  string
	now       func() time.Time
}

// NewValidator returns a Validator for the options.
func NewValidator(opts Options) *Validator {
	v := &Validator{
		relations: cmp.Or(opts.Relations, DefaultRelationTypes()),
		metadata:  opts.Metadata,
		risk:      slices.Clone(opts.RiskLevels),
		now:       opts.Now,
	}
	if len(v.risk) == 0 {
		v.risk = DefaultRiskLevels()
	}
	if v.now == nil {
		v.now = time.Now
	}
	v.riskList = strings.Join(v.risk, ", ")
	return v
}

var defaultValidator = sync.OnceValue(func() *Validator { return NewValidator(Options{}) })

// Validate checks p with the default options: seed 003's relation types
// plus FINTRAC's, risk levels low, medium and high, the system clock and no
// metadata schema.
func Validate(p *Profile) error { return defaultValidator().Validate(p) }

// Validate returns nil when p breaks no rule, or a *ValidationError with
// every problem found. Validate accepts any country Normalize can resolve
// ("Argentina", "ARG", "ar"), so that a profile validates before it is
// normalised. It does not modify p.
func (v *Validator) Validate(p *Profile) error {
	if p == nil {
		return &ValidationError{Problems: []Problem{{Path: "", Code: CodeRequired, Message: "profile is missing"}}}
	}
	if problems := listBounds(p); len(problems) > 0 {
		// The other rules' work grows with the lists: a profile no store
		// would keep is refused before any of it is spent.
		return &ValidationError{Problems: problems}
	}
	c := checker{v: v}
	c.structRules(p)
	c.textRules(p)
	c.riskRule(p)
	c.countryRules(p)
	c.dateRules(p)
	c.relationRules(p)
	if v.metadata != nil && p.Metadata != nil {
		c.problems = append(c.problems, v.metadata.problems(p.Metadata)...)
	}
	if len(c.problems) == 0 {
		return nil
	}
	return &ValidationError{Problems: c.problems}
}

// MaxListItems bounds every list of a profile (contacts, addresses,
// labels, checks, ...): a list longer than that is refused at once, before
// the rules run over its elements. Ten thousand is far above any real
// customer and far below what would fit a store's size limit.
const MaxListItems = 10000

// listBounds reports each list of p longer than MaxListItems.
func listBounds(p *Profile) []Problem {
	var problems []Problem
	for _, l := range []struct {
		path string
		n    int
	}{
		{"contacts", len(p.Contacts)}, {"addresses", len(p.Addresses)}, {"activities", len(p.Activities)},
		{"taxes", len(p.Taxes)}, {"relations", len(p.Relations)}, {"labels", len(p.Labels)},
		{"identity_documents", len(p.IdentityDocuments)}, {"tax_residences", len(p.TaxResidences)},
		{"checks", len(p.Checks)}, {"pending_reverification", len(p.PendingReverification)},
	} {
		if l.n > MaxListItems {
			problems = append(problems, Problem{Path: l.path, Code: CodeTooMany, Message: fmt.Sprintf("has more than %d elements", MaxListItems)})
		}
	}
	return problems
}

// checker collects the problems of one Validate call.
type checker struct {
	v        *Validator
	problems []Problem
}

func (c *checker) add(path, code, msg string) {
	c.problems = append(c.problems, Problem{Path: path, Code: code, Message: msg})
}

// structRules runs the field rules in the profile's field order: the tag
// rules of Profile's own fields through the shared go-playground validator,
// each nested record's rules in plain Go at the position of its field; then
// the cross-field rules.
func (c *checker) structRules(p *Profile) {
	tagged := taggedProblems(p)
	next := 0
	// before adds the tagged problems of the fields that come before the
	// named field.
	before := func(field string) {
		pos := fieldPos()[field]
		for next < len(tagged) && tagged[next].pos < pos {
			c.problems = append(c.problems, tagged[next].Problem)
			next++
		}
	}
	before("NaturalPerson")
	c.naturalRules(p)
	before("Contacts")
	c.contactRules(p)
	before("Addresses")
	c.addressRules(p)
	before("Relations")
	c.relationRequired(p)
	before("IdentityDocuments")
	c.documentRules(p)
	before("TaxResidences")
	c.taxResidenceRules(p)
	before("Checks")
	c.checkRules(p)
	for _, t := range tagged[next:] {
		c.problems = append(c.problems, t.Problem)
	}
	c.crossFieldRules(p)
}

// positioned is a problem with the position of its top-level field in
// Profile.
type positioned struct {
	Problem
	pos int
}

// fieldPos maps each field of Profile to its position.
var fieldPos = sync.OnceValue(func() map[string]int {
	out := map[string]int{}
	for f := range reflect.TypeFor[Profile]().Fields() {
		out[f.Name] = f.Index[0]
	}
	return out
})

// taggedProblems runs the tag rules of profileRules; go-playground reports
// them in field order.
func taggedProblems(p *Profile) []positioned {
	err := structValidator().Struct(p)
	if err == nil {
		return nil
	}
	errs, ok := err.(validator.ValidationErrors)
	if !ok {
		return []positioned{{Problem: Problem{Code: CodeRequired, Message: "profile cannot be validated"}}}
	}
	out := make([]positioned, len(errs))
	for i, fe := range errs {
		out[i] = positioned{Problem: fieldProblem(fe), pos: fieldPos()[topField(fe.StructNamespace())]}
	}
	return out
}

// topField returns the Go name of the top-level field of a struct
// namespace ("Profile.Labels[2]" gives "Labels").
func topField(ns string) string {
	_, rest, _ := strings.Cut(ns, ".")
	if i := strings.IndexAny(rest, ".["); i >= 0 {
		return rest[:i]
	}
	return rest
}

func (c *checker) riskRule(p *Profile) {
	if p.Risk != "" && !slices.Contains(c.v.risk, p.Risk) {
		c.add("risk", CodeEnum, "must be one of: "+c.v.riskList)
	}
}

func (c *checker) relationRules(p *Profile) {
	for i, r := range p.Relations {
		if r.Relationship != "" && !c.v.relations.Has(r.Relationship) {
			c.add(indexPath("relations", i, "relationship"), CodeRelationType, "is not a registered relation type")
		}
	}
}

func indexPath(list string, i int, field string) string {
	return list + "[" + strconv.Itoa(i) + "]." + field
}

// profileRules are the tag rules of Profile's own fields (seed 003 section
// numbers in brackets), kept here in validator map rules so that types.go
// stays the wire format only. The nested records' rules are in
// validate_records.go.
var profileRules = map[string]string{
	"PersonType":                 "required,oneof=natural_person legal_person", // 3.1.1
	"Version":                    "gte=0",
	"OpenCases":                  "gte=0",
	"DeclaredIncome":             "omitempty,gte=0",
	"TransactionalProfileAmount": "omitempty,gte=0",
	"Labels":                     "dive,min=2,max=20", // 3.1.8
}

// structValidator is the one shared go-playground validator: building it
// parses every rule, so it is built once.
var structValidator = sync.OnceValue(newStructValidator)

func newStructValidator() *validator.Validate {
	v := validator.New(validator.WithRequiredStructEnabled())
	v.RegisterTagNameFunc(jsonName)
	v.RegisterStructValidationMapRules(withSkips(profileRules, Profile{}), Profile{})
	return v
}

// withSkips marks "-" every field that has no rule: go-playground's
// validator otherwise visits each field and boxes its value.
func withSkips(rules map[string]string, typ any) map[string]string {
	out := maps.Clone(rules)
	for f := range reflect.TypeOf(typ).Fields() {
		if _, ok := out[f.Name]; !ok {
			out[f.Name] = "-"
		}
	}
	return out
}

// jsonName makes problems carry JSON names ("labels[1]").
func jsonName(f reflect.StructField) string {
	name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
	if name == "-" {
		return ""
	}
	return name
}

// fieldProblem turns a validator error into a Problem. It reads the tag and
// parameter only: FieldError.Value and Error would carry the value.
func fieldProblem(fe validator.FieldError) Problem {
	path := fe.Namespace()
	if _, rest, ok := strings.Cut(path, "."); ok {
		path = rest // drop the root "Profile"
	}
	code, msg := CodeRequired, "is required"
	switch fe.Tag() {
	case "oneof":
		code, msg = CodeEnum, "must be one of: "+strings.ReplaceAll(fe.Param(), " ", ", ")
	case "min", "max":
		code, msg = CodeLength, "must be 2 to 20 characters long"
	case "gte":
		code, msg = CodeOutOfRange, "must not be negative"
	}
	return Problem{Path: path, Code: code, Message: msg}
}
