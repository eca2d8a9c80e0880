package entityprofile

import (
	"fmt"

	"github.com/kycsdk/kyc/internal/condition"
	"github.com/kycsdk/kyc/profile"
)

// rootProfile is the one name auto rules read: the profile, as workflow
// conditions call it (seed 003, workflows).
const rootProfile = "dprofile"

// rule is a compiled auto-assignment rule.
type rule struct {
	when    *condition.Expr
	profile string
}

// addAuto compiles the auto rules. Every rule must name a declared profile
// (or `none`), and rules need a default so that `auto` always resolves.
func (r *Registry) addAuto(v *validator, auto *AutoRules) {
	if auto == nil {
		return
	}
	r.hasAuto = true
	for i, ru := range auto.Rules {
		path := fmt.Sprintf("auto.rules[%d]", i)
		expr, err := condition.Compile(ru.When, condition.Options{Roots: []string{rootProfile}})
		if err != nil {
			v.add(path+".when", "%v", err)
		}
		v.checkTarget(ru.Profile, path+".profile")
		r.rules = append(r.rules, rule{when: expr, profile: ru.Profile})
	}
	if auto.Default == "" {
		v.add("auto.default", "no default profile: `auto` must always resolve")
		return
	}
	v.checkTarget(auto.Default, "auto.default")
	r.fallback = auto.Default
}

func (v *validator) checkTarget(name, path string) {
	if name != None && !v.names[name] {
		v.add(path, "unknown profile %q", name)
	}
}

// Choose returns the entity profile the auto rules give p, without recording
// it: the profile of the first rule whose condition holds, else the default.
// A rule that cannot be evaluated stops the choice: skipping it could
// assign a weaker recipe than the configuration intends.
func (r *Registry) Choose(p *profile.Profile) (string, error) {
	if p == nil {
		return "", ErrNilProfile
	}
	if !r.hasAuto {
		return "", ErrNoAutoRule
	}
	env := &condition.Root{Name: rootProfile, Value: p}
	for i, ru := range r.rules {
		ok, err := ru.when.Truth(env)
		if err != nil {
			return "", &RuleError{Rule: i, Err: err}
		}
		if ok {
			return ru.profile, nil
		}
	}
	return r.fallback, nil
}
