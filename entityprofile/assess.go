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
	if p == nil {
		return nil, ErrNilProfile
	}
	base, err := r.assigned(p)
	if err != nil {
		return nil, err
	}
	if base == &r.defaults && len(extra) == 0 {
		return nil, ErrNoCheckTypes
	}
	return r.withExtra(base, extra)
}

// assigned returns the view of the recipe assigned to p, or the defaults
// (r.defaults) when none is.
func (r *Registry) assigned(p *profile.Profile) (*view, error) {
	if p == nil {
		return nil, ErrNilProfile
	}
	name := p.EntityProfile
	switch name {
	case "", None:
		return &r.defaults, nil
	case Auto:
		resolved, err := r.Choose(p)
		if err != nil {
			return nil, err
		}
		if resolved == None {
			return &r.defaults, nil
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

// linearTypes is how many check types typeOf searches without the map:
// comparing a few short strings, most of which differ in length, is faster
// than hashing one.
const linearTypes = 16

// typeOf returns the index of a check type.
func (r *Registry) typeOf(name string) (int, bool) {
	if len(r.types) > linearTypes {
		idx, ok := r.typeIndex[name]
		return idx, ok
	}
	for i := range r.types {
		if r.types[i].name == name {
			return i, true
		}
	}
	return 0, false
}

// stackTypes is how many check types an assessment tracks without
// allocating.
const stackTypes = 24

// typeState is what an assessment knows of one check type.
type typeState struct {
	// valid and expired are indexes into p.Checks of the latest valid
	// result and of the latest result no longer valid; -1 for none.
	valid, expired int32
	stale          bool
	// expiredAt is the expiry of the result in expired.
	expiredAt profile.Timestamp
}

// assessment is the state of every check type of the registry for one
// profile at one instant: its latest valid result, its latest result that is
// no longer valid, and whether a pending re-verification makes it stale.
type assessment struct {
	r   *Registry
	p   *profile.Profile
	vw  *view
	now profile.Timestamp
	st  []typeState
}

// stateBuf is the stack storage of an assessment's states. The caller
// declares one and builds the assessment as a local value with newAssessment:
// storing the buffer through a pointer would move it to the heap.
type stateBuf [stackTypes]typeState

// states returns n states, in buf when they fit.
func states(buf *stateBuf, n int) []typeState {
	if n > stackTypes {
		return make([]typeState, n)
	}
	return buf[:n]
}

// scan files every result of the profile under its type.
func (a *assessment) scan() {
	for i := range a.st {
		a.st[i] = typeState{valid: -1, expired: -1}
	}
	for i := range a.p.Checks {
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
	idx, ok := a.r.typeOf(c.Type)
	if !ok || c.PerformedAt > a.now {
		return
	}
	st := &a.st[idx]
	exp := a.vw.ageing[idx].expiry(c.PerformedAt, a.p.IdentityDocuments)
	if exp == 0 || exp > a.now {
		if st.valid < 0 || c.PerformedAt >= a.p.Checks[st.valid].PerformedAt {
			st.valid = int32(i)
		}
		return
	}
	if st.expired < 0 || c.PerformedAt >= a.p.Checks[st.expired].PerformedAt {
		st.expired, st.expiredAt = int32(i), exp
	}
}

// markStale flags the types whose profile paths have a pending
// re-verification (the field-change rules of seed 000 raised it).
func (a *assessment) markStale() {
	for _, path := range a.p.PendingReverification {
		for idx := range a.r.types {
			if !a.st[idx].stale && a.r.types[idx].coversPath(path) {
				a.st[idx].stale = true
			}
		}
	}
}

// usable reports whether the type has a valid result that is not stale.
func (a *assessment) usable(idx int) bool { return a.st[idx].valid >= 0 && !a.st[idx].stale }

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
	case a.st[idx].valid >= 0:
		return ReasonStale, true
	case a.st[idx].expired >= 0:
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
	c := &a.p.Checks[a.st[idx].valid]
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
	c := &a.p.Checks[a.st[idx].valid]
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
