package entityprofile

import (
	"fmt"
	"maps"
	"slices"
)

// Reserved assignment values of seed 001: `auto` chooses a profile by rules,
// `none` removes the profile and the caller names the check types each time.
const (
	Auto = "auto"
	None = "none"
)

// Registry holds the check types, the entity profiles and the auto rules,
// validated once by NewRegistry. It is immutable and safe for concurrent use.
type Registry struct {
	types     []checkType
	typeIndex map[string]int
	recipes   map[string]*recipe
	names     []string
	configs   map[string]Recipe
	rules     []rule
	fallback  string
	hasAuto   bool
	// defaults is the view used under `none`: every check type with its own
	// ageing and consent, nothing required until the caller names it.
	defaults view
}

// recipe is a validated Recipe: its view at no particular risk level and one
// view per risk level that has a policy.
type recipe struct {
	base   view
	byRisk map[string]*view
}

// view is what a verification needs to know: the check types required, in
// order, and for every check type of the registry its ageing and consent.
type view struct {
	recipe   string
	required []int
	ageing   []Ageing
	consent  []string
	minimum  [3]int
}

// NewRegistry validates cfg and builds a Registry. Every problem is reported
// at once in a *ConfigError (wrapping ErrInvalidConfig), each with its JSON
// path: malformed or duplicate check types, unknown check types, negative or
// malformed ageing, risk policies that lengthen ageing, impossible minimums,
// duplicate or reserved profile names, and auto rules that do not compile or
// name no profile.
func NewRegistry(cfg Config) (*Registry, error) {
	v := &validator{names: map[string]bool{}}
	r := &Registry{typeIndex: map[string]int{}, recipes: map[string]*recipe{}, configs: map[string]Recipe{}}
	r.addTypes(v, BuiltinCheckTypes(), "builtin")
	r.addTypes(v, cfg.CheckTypes, "check_types")
	r.defaults = r.defaultView()
	for i, rc := range cfg.Profiles {
		r.addRecipe(v, rc, fmt.Sprintf("profiles[%d]", i))
	}
	r.addAuto(v, cfg.Auto)
	if len(v.problems) > 0 {
		return nil, &ConfigError{Problems: v.problems}
	}
	return r, nil
}

type validator struct {
	problems []Problem
	// names are the profile names declared so far, valid or not, so that a
	// duplicate is reported even when the first declaration has problems.
	names map[string]bool
}

func (v *validator) add(path, format string, args ...any) {
	v.problems = append(v.problems, Problem{Path: path, Message: fmt.Sprintf(format, args...)})
}

func (r *Registry) addTypes(v *validator, types []CheckType, root string) {
	for i, t := range types {
		path := fmt.Sprintf("%s[%d]", root, i)
		ct, ok := validateType(v, t, path)
		if !ok {
			continue
		}
		if _, dup := r.typeIndex[t.Name]; dup {
			v.add(path+".name", "duplicate check type %q", t.Name)
			continue
		}
		r.typeIndex[t.Name] = len(r.types)
		r.types = append(r.types, ct)
	}
}

func validateType(v *validator, t CheckType, path string) (checkType, bool) {
	before := len(v.problems)
	if t.Name == "" {
		v.add(path+".name", "empty check type name")
	}
	if t.Consent != "" && !knownConsent(t.Consent) {
		v.add(path+".consent", "unknown consent %q", t.Consent)
	}
	var m fields
	for j, f := range t.Matches {
		bit, ok := fieldOf(f)
		if !ok {
			v.add(fmt.Sprintf("%s.matches[%d]", path, j), "unknown field %q (want name, address or dob)", f)
		}
		m |= bit
	}
	a, err := ParseAgeing(t.Ageing)
	if err != nil {
		v.add(path+".ageing", "%v", err)
	}
	ct := checkType{name: t.Name, consent: t.Consent, matches: m, ageing: a, paths: slices.Clone(t.Paths)}
	return ct, len(v.problems) == before
}

func (r *Registry) defaultView() view {
	d := view{ageing: make([]Ageing, len(r.types)), consent: make([]string, len(r.types))}
	for i, t := range r.types {
		d.ageing[i] = t.ageing
		d.consent[i] = t.consent
	}
	return d
}

func (r *Registry) addRecipe(v *validator, rc Recipe, path string) {
	before := len(v.problems)
	v.checkName(rc.Name, path)
	base := r.defaults.clone()
	base.recipe = rc.Name
	base.minimum = rc.Minimum.array()
	base.required = r.requiredTypes(v, rc.Checks, path+".checks", nil)
	if len(rc.Checks) == 0 {
		v.add(path+".checks", "no check types")
	}
	r.applyAgeing(v, &base, rc.Ageing, path+".ageing", nil)
	r.applyConsents(v, &base, rc.Consents, path+".consents")
	r.checkMinimum(v, &base, path+".minimum")
	byRisk := map[string]*view{}
	for _, level := range slices.Sorted(maps.Keys(rc.RiskPolicies)) {
		byRisk[level] = r.riskView(v, &base, rc.RiskPolicies[level], fmt.Sprintf("%s.risk_policies.%s", path, level))
	}
	if len(v.problems) > before {
		return
	}
	r.recipes[rc.Name] = &recipe{base: base, byRisk: byRisk}
	r.configs[rc.Name] = cloneRecipe(rc)
	r.names = append(r.names, rc.Name)
}

func (v *validator) checkName(name, path string) {
	switch {
	case name == "":
		v.add(path+".name", "empty profile name")
	case name == Auto || name == None:
		v.add(path+".name", "%q is reserved", name)
	case v.names[name]:
		v.add(path+".name", "duplicate profile name %q", name)
	}
	v.names[name] = true
}

func (v view) clone() view {
	v.required = slices.Clone(v.required)
	v.ageing = slices.Clone(v.ageing)
	v.consent = slices.Clone(v.consent)
	return v
}

// requiredTypes resolves check type names to indexes, appending to base and
// reporting unknown and repeated names.
func (r *Registry) requiredTypes(v *validator, names []string, path string, base []int) []int {
	out := slices.Clone(base)
	for i, n := range names {
		idx, ok := r.typeIndex[n]
		switch {
		case !ok:
			v.add(fmt.Sprintf("%s[%d]", path, i), "unknown check type %q", n)
		case slices.Contains(out, idx):
			v.add(fmt.Sprintf("%s[%d]", path, i), "check type %q listed twice", n)
		default:
			out = append(out, idx)
		}
	}
	return out
}

// applyAgeing sets the ageing of the listed check types in vw. A key must be
// a check type vw requires. When limit is set (a risk policy), the new
// ageing may not outlast limit's.
func (r *Registry) applyAgeing(v *validator, vw *view, ageing map[string]string, path string, limit *view) {
	for _, name := range slices.Sorted(maps.Keys(ageing)) {
		p := path + "." + name
		idx, ok := r.typeIndex[name]
		if !ok {
			v.add(p, "unknown check type %q", name)
			continue
		}
		if !slices.Contains(vw.required, idx) {
			v.add(p, "ageing for check type %q, which the profile does not run", name)
			continue
		}
		a, err := ParseAgeing(ageing[name])
		if err != nil {
			v.add(p, "%v", err)
			continue
		}
		if limit != nil && slices.Contains(limit.required, idx) && !a.shorterOrEqual(limit.ageing[idx]) {
			v.add(p, "risk policy lengthens ageing from %s to %s", limit.ageing[idx], a)
			continue
		}
		vw.ageing[idx] = a
	}
}

func (r *Registry) applyConsents(v *validator, vw *view, consents map[string]string, path string) {
	for _, name := range slices.Sorted(maps.Keys(consents)) {
		p := path + "." + name
		idx, ok := r.typeIndex[name]
		if !ok {
			v.add(p, "unknown check type %q", name)
			continue
		}
		c := consents[name]
		if c != "" && !knownConsent(c) {
			v.add(p, "unknown consent %q", c)
			continue
		}
		vw.consent[idx] = c
	}
}

// checkMinimum rejects a minimum the recipe's own check types cannot reach:
// each check type counts once per field (see Evaluate).
func (r *Registry) checkMinimum(v *validator, vw *view, path string) {
	for f, field := range fieldOrder {
		want := vw.minimum[f]
		if want < 0 {
			v.add(path+"."+field.name, "negative minimum %d", want)
			continue
		}
		can := 0
		for _, idx := range vw.required {
			if r.types[idx].matches&field.bit != 0 {
				can++
			}
		}
		if want > can {
			v.add(path+"."+field.name, "minimum of %d %s matches, but the profile's check types can match at most %d", want, field.name, can)
		}
	}
}

func (r *Registry) riskView(v *validator, base *view, pol RiskPolicy, path string) *view {
	vw := base.clone()
	vw.required = r.requiredTypes(v, pol.Add, path+".add", base.required)
	r.applyAgeing(v, &vw, pol.Ageing, path+".ageing", base)
	return &vw
}

func cloneRecipe(rc Recipe) Recipe {
	rc.Checks = slices.Clone(rc.Checks)
	rc.Ageing = maps.Clone(rc.Ageing)
	rc.Consents = maps.Clone(rc.Consents)
	pols := make(map[string]RiskPolicy, len(rc.RiskPolicies))
	for k, p := range rc.RiskPolicies {
		pols[k] = RiskPolicy{Add: slices.Clone(p.Add), Ageing: maps.Clone(p.Ageing)}
	}
	rc.RiskPolicies = pols
	return rc
}

// Names returns the names of the entity profiles in configuration order.
func (r *Registry) Names() []string { return slices.Clone(r.names) }

// Recipe returns a copy of the named entity profile as configured.
func (r *Registry) Recipe(name string) (Recipe, bool) {
	rc, ok := r.configs[name]
	if !ok {
		return Recipe{}, false
	}
	return cloneRecipe(rc), true
}

// CheckType returns the named check type as configured (built-in or added).
func (r *Registry) CheckType(name string) (CheckType, bool) {
	idx, ok := r.typeIndex[name]
	if !ok {
		return CheckType{}, false
	}
	t := r.types[idx]
	ct := CheckType{Name: t.name, Consent: t.consent, Ageing: t.ageing.String(), Paths: slices.Clone(t.paths)}
	for _, f := range fieldOrder {
		if t.matches&f.bit != 0 {
			ct.Matches = append(ct.Matches, f.name)
		}
	}
	return ct, true
}

// CheckTypes returns the names of every check type, built-ins first.
func (r *Registry) CheckTypes() []string {
	out := make([]string, len(r.types))
	for i, t := range r.types {
		out[i] = t.name
	}
	return out
}

// viewFor returns the view of a recipe at a risk level.
func (rc *recipe) viewFor(risk string) *view {
	if vw, ok := rc.byRisk[risk]; ok {
		return vw
	}
	return &rc.base
}
