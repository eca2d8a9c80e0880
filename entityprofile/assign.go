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
	if p == nil {
		return "", ErrNilProfile
	}
	switch name {
	case None:
	case Auto:
		chosen, err := r.choose(p)
		if err != nil {
			return "", err
		}
		name = chosen
	default:
		if _, ok := r.recipes[name]; !ok {
			return "", fmt.Errorf("%w %q", ErrUnknownProfile, name)
		}
	}
	p.EntityProfile = name
	return name, nil
}

// Choose returns the entity profile the auto rules give p, without recording
// it: the profile of the first rule whose condition holds, else the default.
func (r *Registry) Choose(p *profile.Profile) (string, error) { return r.choose(p) }
