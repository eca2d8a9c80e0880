package profile

import (
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
		relations: opts.Relations,
		metadata:  opts.Metadata,
		risk:      slices.Clone(opts.RiskLevels),
		now:       opts.Now,
	}
	if v.relations == nil {
		v.relations = DefaultRelationTypes()
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
	c := checker{v: v}
	c.structRules(p)
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

// checker collects the problems of one Validate call.
type checker struct {
	v        *Validator
	problems []Problem
}

func (c *checker) add(path, code, msg string) {
	c.problems = append(c.problems, Problem{Path: path, Code: code, Message: msg})
}

// structRules runs the shared go-playground validator: the field rules and
// the struct-level rules registered in newStructValidator.
func (c *checker) structRules(p *Profile) {
	err := structValidator().Struct(p)
	if err == nil {
		return
	}
	errs, ok := err.(validator.ValidationErrors)
	if !ok {
		c.add("", CodeRequired, "profile cannot be validated")
		return
	}
	for _, fe := range errs {
		c.problems = append(c.problems, fieldProblem(fe))
	}
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

// Field rules of seed 003 (section numbers in brackets), kept beside the
// types in validator map rules so that types.go stays the wire format only.
var fieldRules = []struct {
	typ   any
	rules map[string]string
}{
	{Profile{}, map[string]string{
		"PersonType":                 "required,oneof=natural_person legal_person", // 3.1.1
		"Version":                    "gte=0",
		"OpenCases":                  "gte=0",
		"DeclaredIncome":             "omitempty,gte=0",
		"TransactionalProfileAmount": "omitempty,gte=0",
		"Labels":                     "dive,min=2,max=20", // 3.1.8
		"Contacts":                   "dive",
		"Addresses":                  "dive",
		"Relations":                  "dive",
		"IdentityDocuments":          "dive",
		"TaxResidences":              "dive",
		"Checks":                     "dive",
	}},
	{Natural{}, map[string]string{ // 3.1.1.1
		"Gender":     "omitempty,oneof=male female other",
		"CivilState": "omitempty,oneof=single married widowed divorced separated civil_union domestic_partnership other",
	}},
	{Name{}, map[string]string{"First": "required", "Last": "required"}},
	{Contact{}, map[string]string{ // 3.1.2
		"ContactType": "required,oneof=email mobile landline",
		"Value":       "required",
	}},
	{Address{}, map[string]string{ // 3.1.3: the "Required" column
		"AddressType": "omitempty,oneof=personal fiscal legal",
		"Country":     "required",
		"State":       "required",
		"City":        "required",
		"StreetName":  "required",
	}},
	{Relation{}, map[string]string{"ProfileID": "required", "Relationship": "required"}}, // 3.1.7
	{IdentityDocument{}, map[string]string{"Type": "required", "Number": "required"}},
	{TaxResidence{}, map[string]string{"Country": "required"}},
	{Check{}, map[string]string{
		"ID":      "required",
		"Type":    "required",
		"Outcome": "required,oneof=pass fail partial",
		"Matched": "dive,oneof=name address dob",
	}},
}

// structValidator is the one shared go-playground validator: building it
// parses every rule, so it is built once.
var structValidator = sync.OnceValue(newStructValidator)

func newStructValidator() *validator.Validate {
	v := validator.New(validator.WithRequiredStructEnabled())
	v.RegisterTagNameFunc(jsonName)
	for _, r := range fieldRules {
		v.RegisterStructValidationMapRules(withSkips(r.rules, r.typ), r.typ)
	}
	v.RegisterStructValidation(profileLevel, Profile{})
	v.RegisterStructValidation(contactLevel, Contact{})
	return v
}

// withSkips marks "-" every field that has no rule and leads to no type
// with rules: go-playground's validator otherwise visits each field and
// boxes its value, which is most of the cost of a Validate call.
func withSkips(rules map[string]string, typ any) map[string]string {
	withRules := map[reflect.Type]bool{}
	for _, r := range fieldRules {
		withRules[reflect.TypeOf(r.typ)] = true
	}
	out := maps.Clone(rules)
	for f := range reflect.TypeOf(typ).Fields() {
		ft := f.Type
		if ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		if _, ok := out[f.Name]; ok || withRules[ft] {
			continue
		}
		out[f.Name] = "-"
	}
	return out
}

// jsonName makes problems carry JSON names ("natural_person.name.first").
func jsonName(f reflect.StructField) string {
	name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
	if name == "-" {
		return ""
	}
	return name
}

// Tags reported by the struct-level rules, mapped to codes in fieldProblem.
const (
	tagMultipleMain = "multiple_main"
	tagNotAllowed   = "not_allowed"
	tagDuplicate    = "duplicate"
)

// contactLevel checks the e-mail syntax of e-mail contacts (3.1.2).
func contactLevel(sl validator.StructLevel) {
	cur := sl.Current()
	if !cur.CanAddr() {
		return
	}
	c, ok := cur.Addr().Interface().(*Contact)
	if !ok || c.ContactType != ContactEmail || c.Value == "" {
		return
	}
	if sl.Validator().Var(c.Value, "email") != nil {
		sl.ReportError(c.Value, "value", "Value", "email", "")
	}
}

// profileLevel holds the rules that span several fields of the profile.
func profileLevel(sl validator.StructLevel) {
	cur := sl.Current()
	if !cur.CanAddr() {
		return
	}
	p, ok := cur.Addr().Interface().(*Profile)
	if !ok {
		return
	}
	personRules(sl, p)
	mainAddressRule(sl, p)
	mainContactRule(sl, p)
	mainActivityRule(sl, p)
	uniqueLabelRule(sl, p)
}

// personRules: each person type has its own record and required fields
// (3.1.1.1, 3.1.1.2).
func personRules(sl validator.StructLevel, p *Profile) {
	switch p.PersonType {
	case NaturalPerson:
		if p.NaturalPerson == nil {
			sl.ReportError(p.NaturalPerson, "natural_person", "NaturalPerson", "required", "")
		}
		if p.LegalPerson != nil {
			sl.ReportError(p.LegalPerson, "legal_person", "LegalPerson", tagNotAllowed, "natural_person")
		}
	case LegalPerson:
		if p.Name == "" {
			sl.ReportError(p.Name, "name", "Name", "required", "")
		}
		if p.NaturalPerson != nil {
			sl.ReportError(p.NaturalPerson, "natural_person", "NaturalPerson", tagNotAllowed, "legal_person")
		}
	}
}

// mainAddressRule: "At most one can be defined as the main address" (3.1.3).
func mainAddressRule(sl validator.StructLevel, p *Profile) {
	seen := false
	for i, a := range p.Addresses {
		if !a.Main {
			continue
		}
		if seen {
			sl.ReportError(a.Main, indexPath("addresses", i, "main"), "Main", tagMultipleMain, "address")
		}
		seen = true
	}
}

// mainContactRule: one main contact per contact type (3.1.2).
func mainContactRule(sl validator.StructLevel, p *Profile) {
	var seen [3]bool
	for i, c := range p.Contacts {
		if !c.Main {
			continue
		}
		k := contactKind(c.ContactType)
		if k < 0 {
			continue // the type itself is reported
		}
		if seen[k] {
			sl.ReportError(c.Main, indexPath("contacts", i, "main"), "Main", tagMultipleMain, "contact")
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
func mainActivityRule(sl validator.StructLevel, p *Profile) {
	seen := false
	for i, a := range p.Activities {
		if !a.Main {
			continue
		}
		if seen {
			sl.ReportError(a.Main, indexPath("activities", i, "main"), "Main", tagMultipleMain, "activity")
		}
		seen = true
	}
}

// uniqueLabelRule: a label marks the profile once.
func uniqueLabelRule(sl validator.StructLevel, p *Profile) {
	for i := 1; i < len(p.Labels); i++ {
		if slices.Contains(p.Labels[:i], p.Labels[i]) {
			sl.ReportError(p.Labels[i], "labels["+strconv.Itoa(i)+"]", "Labels", tagDuplicate, "")
		}
	}
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
	case "email":
		code, msg = CodeEmail, "is not a valid e-mail address"
	case "min", "max":
		code, msg = CodeLength, "must be 2 to 20 characters long"
	case "gte":
		code, msg = CodeOutOfRange, "must not be negative"
	case tagMultipleMain:
		code, msg = CodeMultipleMain, "only one "+fe.Param()+" can be the main one"
	case tagNotAllowed:
		code, msg = CodeNotAllowed, "is not allowed for person_type "+fe.Param()
	case tagDuplicate:
		code, msg = CodeDuplicate, "repeats an earlier label"
	}
	return Problem{Path: path, Code: code, Message: msg}
}
