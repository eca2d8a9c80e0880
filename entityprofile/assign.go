package entityprofile

import (
	"fmt"

	"github.com/kycsdk/kyc/profile"
)

// Assign records an entity profile on p (seed 001, "Assigning entity
// profiles to entities"): name is a profile of the registry, Auto (the first
// auto rule that holds for p chooses, else the default; the chosen name is
// recorded) or None (the caller names the check types at each
// verification). It returns what was recorded. Assign never touches
// p.Checks: changing the profile "will not invalidate any previous check
// results" (seed 001); Plan and Evaluate apply the new profile's ageing to
// them at once.
func (r *Registry) Assign(p *profile.Profile, name string) (string, error) {
	name, err := r.Resolve(p, name)
	if err != nil {
		return "", err
	}
	p.EntityProfile = name
	return name, nil
}

// Resolve returns what Assign would record on p for name, without changing
// p: a profile of the registry as it is, None as it is, and Auto as the
// profile the auto rules choose for p (possibly None). An unknown name
// (empty included) is ErrUnknownProfile, Auto without auto rules
// ErrNoAutoRule, a rule that cannot be evaluated a *RuleError. A service
// that lets a caller set entity_profile resolves it here, so that a stored
// profile never holds "auto" or a name Plan would refuse later.
func (r *Registry) Resolve(p *profile.Profile, name string) (string, error) {
	if p == nil {
		return "", ErrNilProfile
	}
	switch name {
	case None:
		return None, nil
	case Auto:
		return r.Choose(p)
	}
	if !r.Has(name) {
		return "", fmt.Errorf("%w %q", ErrUnknownProfile, name)
	}
	return name, nil
}

// Has reports whether name is an entity profile of the registry. The
// reserved assignments Auto and None are not profiles: Has is false for
// them.
func (r *Registry) Has(name string) bool {
	_, ok := r.recipes[name]
	return ok
}
