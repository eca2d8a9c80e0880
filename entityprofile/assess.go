package entityprofile

import (
	"fmt"
	"slices"

	"github.com/kycsdk/kyc/profile"
)

// resolve returns the view a verification of p uses: the assigned recipe at
// p's risk level, plus the check types the caller names. Under `none` (or no
// assignment, the seed's default for an existing customer) only the named
// types are required.
func (r *Registry) resolve(p *profile.Profile, extra []string) (*view, error) {
	base, err := r.assigned(p)
	if err != nil {
		return nil, err
	}
	if base == nil {
		if len(extra) == 0 {
			return nil, ErrNoCheckTypes
		}
		base = &r.defaults
	}
	return r.withExtra(base, extra)
}

// assigned returns the view of the recipe assigned to p, or nil when none is.
func (r *Registry) assigned(p *profile.Profile) (*view, error) {
	name := p.EntityProfile
	switch name {
	case "", None:
		return nil, nil
	case Auto:
		resolved, err := r.choose(p)
		if err != nil {
			return nil, err
		}
		if resolved == None {
			return nil, nil
		}
		name = resolved
	}
	rc, ok := r.recipes[name]
	if !ok {
		return nil, fmt.Errorf("%w %q", ErrUnknownProfile, name)
	}
	return rc.viewFor(p.Risk), nil
}

func (r *Registry) withExtra(base *view, extra []string) (*view, error) {
	var add []int
	for _, n := range extra {
		idx, ok := r.typeIndex[n]
		if !ok {
			return nil, fmt.Errorf("%w %q", ErrUnknownCheckType, n)
		}
		if !slices.Contains(base.required, idx) && !slices.Contains(add, idx) {
			add = append(add, idx)
		}
	}
	if len(add) == 0 {
		return base, nil
	}
	vw := *base
	vw.required = append(slices.Clip(base.required), add...)
	return &vw, nil
}

// stackTypes is how many check types an assessment tracks without
// allocating.
const stackTypes = 32

// assessment is the state of every check type of the registry for one
// profile at one instant: its latest valid result, its latest result that is
// no longer valid, and whether a pending re-verification makes it stale.
type assessment struct {
	r   *Registry
	p   *profile.Profile
	vw  *view
	now profile.Timestamp
	// valid and expired hold indexes into p.Checks, -1 for none.
	valid   []int32
	expired []int32
	// expiredAt is the expiry of the result in expired.
	expiredAt []profile.Timestamp
	stale     []bool

	validBuf     [stackTypes]int32
	expiredBuf   [stackTypes]int32
	expiredAtBuf [stackTypes]profile.Timestamp
	staleBuf     [stackTypes]bool
}

func (a *assessment) init(r *Registry, p *profile.Profile, vw *view, now profile.Timestamp) {
	a.r, a.p, a.vw, a.now = r, p, vw, now
	n := len(r.types)
	if n <= stackTypes {
		a.valid, a.expired, a.expiredAt, a.stale = a.validBuf[:n], a.expiredBuf[:n], a.expiredAtBuf[:n], a.staleBuf[:n]
	} else {
		a.valid, a.expired = make([]int32, n), make([]int32, n)
		a.expiredAt, a.stale = make([]profile.Timestamp, n), make([]bool, n)
	}
	for i := range n {
		a.valid[i], a.expired[i] = -1, -1
	}
	for i := range p.Checks {
		a.add(i)
	}
	a.markStale()
}

// add files one result under its type. Validity is judged by the ageing in
// force now (the assigned recipe's for its types, the type's own otherwise),
// not by the result's recorded ExpiresAt: seed 001 applies a newly assigned
// profile "immediately to the entity's current state using existing check
// data based on the profile's data aging rules".
func (a *assessment) add(i int) {
	c := &a.p.Checks[i]
	idx, ok := a.r.typeIndex[c.Type]
	if !ok || c.PerformedAt > a.now {
		return
	}
	exp := a.vw.ageing[idx].expiry(c.PerformedAt, a.p.IdentityDocuments)
	if exp == 0 || exp > a.now {
		if best := a.valid[idx]; best < 0 || c.PerformedAt >= a.p.Checks[best].PerformedAt {
			a.valid[idx] = int32(i)
		}
		return
	}
	if last := a.expired[idx]; last < 0 || c.PerformedAt >= a.p.Checks[last].PerformedAt {
		a.expired[idx], a.expiredAt[idx] = int32(i), exp
	}
}

// markStale flags the types whose profile paths have a pending
// re-verification (the field-change rules of seed 000 raised it).
func (a *assessment) markStale() {
	for _, path := range a.p.PendingReverification {
		for idx := range a.r.types {
			if !a.stale[idx] && a.r.types[idx].coversPath(path) {
				a.stale[idx] = true
			}
		}
	}
}

// usable reports whether the type has a valid result that is not stale.
func (a *assessment) usable(idx int) bool { return a.valid[idx] >= 0 && !a.stale[idx] }

// consented reports whether p gave the consent the type needs.
func (a *assessment) consented(idx int) bool {
	c := a.vw.consent[idx]
	return c == "" || a.p.Consents[c]
}

// reason says why a required type must run, if it must.
func (a *assessment) reason(idx int) (Reason, bool) {
	switch {
	case a.usable(idx):
		return 0, false
	case a.valid[idx] >= 0:
		return ReasonStale, true
	case a.expired[idx] >= 0:
		return ReasonExpired, true
	}
	return ReasonNotRun, true
}

// matched returns the fields the type's usable result matched, restricted to
// those the type can match: a fail matches nothing.
func (a *assessment) matched(idx int) fields {
	if !a.usable(idx) {
		return 0
	}
	c := &a.p.Checks[a.valid[idx]]
	if c.Outcome != profile.OutcomePass && c.Outcome != profile.OutcomePartial {
		return 0
	}
	var m fields
	for _, f := range c.Matched {
		bit, _ := fieldOf(f)
		m |= bit
	}
	return m & a.r.types[idx].matches
}

// counts returns, per field, how many check types have a usable result that
// matched it: every valid result counts, whichever profile asked for it
// (seed 001: results are reused "regardless of the entity profile").
func (a *assessment) counts() [3]int {
	var n [3]int
	for idx := range a.r.types {
		m := a.matched(idx)
		for f, field := range fieldOrder {
			if m&field.bit != 0 {
				n[f]++
			}
		}
	}
	return n
}

// expiryOf returns when a usable result expires under the ageing in force.
func (a *assessment) expiryOf(idx int) profile.Timestamp {
	c := &a.p.Checks[a.valid[idx]]
	return a.vw.ageing[idx].expiry(c.PerformedAt, a.p.IdentityDocuments)
}

// contributes reports whether a type outside the required list has a usable
// result that counts towards a minimum.
func (a *assessment) contributes(idx int) bool {
	m := a.matched(idx)
	for f, field := range fieldOrder {
		if m&field.bit != 0 && a.vw.minimum[f] > 0 {
			return true
		}
	}
	return false
}
