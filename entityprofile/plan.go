package entityprofile

import (
	"slices"
	"time"

	"github.com/kycsdk/kyc/profile"
)

// Reason says why a check must run.
type Reason uint8

// Reasons a plan runs a check.
const (
	// ReasonNotRun: no result of this type exists.
	ReasonNotRun Reason = iota + 1
	// ReasonExpired: every result of this type has aged out.
	ReasonExpired
	// ReasonStale: a valid result exists, but a field it verified changed
	// and is pending re-verification.
	ReasonStale
)

// String returns "not run", "expired" or "stale".
func (r Reason) String() string { return textOf(reasonTexts, r) }

// Plan is what a verification must do now: the checks to run, the earlier
// results it reuses, and the checks it cannot run for want of consent.
type Plan struct {
	// Profile is the entity profile applied ("" when none is).
	Profile string    `json:"profile"`
	Run     []Step    `json:"run"`
	Reuse   []Reuse   `json:"reuse"`
	Blocked []Blocked `json:"blocked"`
}

// Step is a check to run now, why, and the ageing its result will have.
type Step struct {
	Type   string `json:"type"`
	Reason Reason `json:"reason"`
	Ageing Ageing `json:"ageing"`
}

// Reuse is an earlier result the verification relies on instead of running
// the check again, and when it expires under the rules in force (0: never).
type Reuse struct {
	Type      string            `json:"type"`
	CheckID   string            `json:"check_id"`
	ExpiresAt profile.Timestamp `json:"expires_at"`
}

// Blocked is a check that must run but needs a consent the person has not
// given (seed 001's consent.* flags).
type Blocked struct {
	Type    string `json:"type"`
	Consent string `json:"consent"`
}

// Plan says which checks must run on p at now and which existing results are
// reused. The check types are those of the entity profile assigned to p (at
// p's risk level) plus types, which the caller names; under `none` only
// types. A result still valid under the ageing in force is reused whichever
// entity profile asked for it (seed 001, note on changing the entity
// profile); Plan never changes p.
func (r *Registry) Plan(p *profile.Profile, now time.Time, types ...string) (Plan, error) {
	vw, err := r.resolve(p, types)
	if err != nil {
		return Plan{}, err
	}
	var buf stateBuf
	a := assessment{r: r, p: p, vw: vw, now: profile.TimestampOf(now), st: states(&buf, len(r.types))}
	a.scan()
	return a.plan(), nil
}

func (a *assessment) plan() Plan {
	pl := Plan{Profile: a.vw.recipe, Reuse: make([]Reuse, 0, len(a.vw.required))}
	for _, idx := range a.vw.required {
		a.planType(&pl, idx)
	}
	for idx := range a.r.types {
		if a.contributes(idx) && !slices.Contains(a.vw.required, idx) {
			pl.Reuse = append(pl.Reuse, a.reuse(idx))
		}
	}
	return pl
}

func (a *assessment) planType(pl *Plan, idx int) {
	why, must := a.reason(idx)
	if !must {
		pl.Reuse = append(pl.Reuse, a.reuse(idx))
		return
	}
	name := a.r.types[idx].name
	if !a.consented(idx) {
		pl.Blocked = append(pl.Blocked, Blocked{Type: name, Consent: a.vw.consent[idx]})
		return
	}
	pl.Run = append(pl.Run, Step{Type: name, Reason: why, Ageing: a.vw.ageing[idx]})
}

func (a *assessment) reuse(idx int) Reuse {
	return Reuse{Type: a.r.types[idx].name, CheckID: a.p.Checks[a.st[idx].valid].ID, ExpiresAt: a.expiryOf(idx)}
}

// Assess is Plan and Evaluate together, from one pass over p's results: what
// a verification must run now, and where it stands before running it.
func (r *Registry) Assess(p *profile.Profile, now time.Time, types ...string) (Plan, Evaluation, error) {
	vw, err := r.resolve(p, types)
	if err != nil {
		return Plan{}, Evaluation{}, err
	}
	var buf stateBuf
	a := assessment{r: r, p: p, vw: vw, now: profile.TimestampOf(now), st: states(&buf, len(r.types))}
	a.scan()
	return a.plan(), a.evaluate(), nil
}
