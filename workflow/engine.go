package workflow

import (
	"errors"
	"slices"
	"sync"

	"github.com/kycsdk/kyc/internal/condition"
	"github.com/kycsdk/kyc/profile"
)

// Operator is who asks for a move: it reaches conditions as `context`, with
// `context.scope` (the list of scopes), `context.user` and `context.tenant`
// (seed 003, 3.3.1). It is also the operator of every kyc.Service call
// (kyc.Operator is this type).
type Operator struct {
	Tenant string
	User   string
	Scopes []string
}

// HasScope reports whether the operator holds scope.
func (o Operator) HasScope(scope string) bool { return slices.Contains(o.Scopes, scope) }

// env resolves `dprofile` on the typed profile, through its JSON tags, and
// `context` on the operator. It hands the profile over as a
// condition.RootEnv, so that paths under `dprofile` are read through
// accessors resolved once for the profile's type.
type env struct {
	p    *profile.Profile
	op   Operator
	view profileView
}

// profileView is the profile as conditions see its paths: open_cases is
// always present (DESIGN.md, Workflow), although omitempty hides a zero
// count in the profile's JSON; the shallower field wins, as in
// encoding/json. The top-level keys the decoder kept in Profile.Unknown
// (a tenant's own key, `dprofile.tenant_flag`) read as their JSON values
// through the embedded profile (see internal/fieldpath).
type profileView struct {
	*profile.Profile
	OpenCases int `json:"open_cases"`
}

// Root implements condition.RootEnv for `dprofile`; `context` and a nil
// profile are read with Lookup.
func (e *env) Root(root string) (any, bool) {
	if root != "dprofile" || e.p == nil {
		return nil, false
	}
	e.view = profileView{Profile: e.p, OpenCases: e.p.OpenCases}
	return &e.view, true
}

var noScopes = []string{}

// envPool saves allocating an env per question.
var envPool = sync.Pool{New: func() any { return new(env) }}

func getEnv(p *profile.Profile, op Operator) *env {
	e := envPool.Get().(*env)
	e.p, e.op = p, op
	return e
}

func putEnv(e *env) {
	*e = env{}
	envPool.Put(e)
}

// Lookup implements condition.Env.
func (e *env) Lookup(root string, path []string) (any, error) {
	switch root {
	case "dprofile":
		// The paths under dprofile read the view Root gives, which
		// condition.Expr reads through its accessors; dprofile itself is
		// the profile.
		if v, ok := e.Root(root); ok && len(path) > 0 {
			return condition.Walk(v, path)
		}
		return condition.Walk(e.p, path)
	case "context":
		return e.context(path)
	}
	return nil, nil
}

func (e *env) context(path []string) (any, error) {
	if len(path) == 0 {
		return map[string]any{"tenant": nilIfEmpty(e.op.Tenant), "user": nilIfEmpty(e.op.User), "scope": e.scopes()}, nil
	}
	var v any
	switch path[0] {
	case "scope":
		v = e.scopes()
	case "user":
		v = nilIfEmpty(e.op.User)
	case "tenant":
		v = nilIfEmpty(e.op.Tenant)
	}
	return condition.Walk(v, path[1:])
}

// scopes is never None: an operator without scopes has an empty list, so
// `'x' in context.scope` is False rather than an error.
func (e *env) scopes() []string {
	if e.op.Scopes == nil {
		return noScopes
	}
	return e.op.Scopes
}

func nilIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// Refusal says why a transition from the profile's state is closed.
type Refusal struct {
	Dest      string
	Condition string
	// Reason is ErrConditionFalse, ErrFourEyes (AvailableWith) or a
	// *ConditionError.
	Reason error
}

// Availability is the answer of Available.
type Availability struct {
	// State is the profile's state the answer is for.
	State string
	// Open lists the destinations the operator may move the profile to,
	// in the order of the transitions.
	Open []string
	// Closed lists the transitions from State whose condition is false or
	// raised, with why.
	Closed []Refusal
}

// Available returns the destinations open from p's state for op and, for
// each closed transition, why. Each distinct condition is evaluated once.
//
// Available does not know who made the profile's current state, so it does
// not apply the four-eyes rule of WithFourEyes; kyc.Service asks
// AvailableWith, with the makers read from the profile's history.
func (w *Workflow) Available(p *profile.Profile, op Operator) Availability {
	return w.available(p, op, false)
}

// Facts are what the caller read from the profile's history for rules that
// conditions cannot express.
type Facts struct {
	// Makers are the users who moved the profile into its current state or
	// changed it since.
	Makers []string
}

// AvailableWith is Available with the four-eyes rule applied: an open move
// out of a four-eyes state is reported as Closed with Reason ErrFourEyes
// when op.User is in f.Makers.
//
// An operator without a user cannot show that they are not a maker, and is
// refused the same way (kyc.Service never acts without one).
func (w *Workflow) AvailableWith(p *profile.Profile, op Operator, f Facts) Availability {
	return w.available(p, op, w.refusesMaker(stateOf(p), op, f))
}

// refusesMaker reports whether the four-eyes rule refuses op the moves out
// of state: it is a four-eyes state and op is, or may be, a maker.
func (w *Workflow) refusesMaker(state string, op Operator, f Facts) bool {
	return w.fourEyes[state] && (op.User == "" || slices.Contains(f.Makers, op.User))
}

func (w *Workflow) available(p *profile.Profile, op Operator, refuseMaker bool) Availability {
	a := Availability{State: stateOf(p)}
	idx := w.bySource[a.State]
	if len(idx) == 0 {
		return a
	}
	e := getEnv(p, op)
	defer putEnv(e)
	var results [8]error // per distinct condition, computed on first use
	var done [8]bool
	for _, i := range idx {
		err := w.evalCached(i, e, results[:], done[:])
		if err == nil && refuseMaker {
			err = ErrFourEyes
		}
		t := w.transitions[i]
		if err == nil {
			a.Open = append(a.Open, t.Dest)
			continue
		}
		a.Closed = append(a.Closed, Refusal{Dest: t.Dest, Condition: t.Condition, Reason: err})
	}
	return a
}

// evalCached evaluates transition i's condition, reusing the result of an
// identical condition met earlier in the same call when it fits the cache.
func (w *Workflow) evalCached(i int, e *env, results []error, done []bool) error {
	k := w.condIdx[i]
	if k < 0 {
		return nil
	}
	if k >= len(results) {
		return w.eval(i, e)
	}
	if !done[k] {
		results[k], done[k] = w.eval(i, e), true
	}
	if ce, ok := results[k].(*ConditionError); ok && (ce.Source != w.transitions[i].Source || ce.Dest != w.transitions[i].Dest) {
		copied := *ce
		copied.Source, copied.Dest = w.transitions[i].Source, w.transitions[i].Dest
		return &copied
	}
	return results[k]
}

// eval returns nil when transition i may be taken, ErrConditionFalse, or a
// *ConditionError.
func (w *Workflow) eval(i int, e *env) error {
	c := w.conds[i]
	if c == nil {
		return nil
	}
	ok, err := c.Truth(e)
	if err != nil {
		return conditionError(w.transitions[i], err)
	}
	if !ok {
		return ErrConditionFalse
	}
	return nil
}

func conditionError(t Transition, err error) *ConditionError {
	ce := &ConditionError{Source: t.Source, Dest: t.Dest, Condition: t.Condition, Kind: "Error", Msg: "evaluation failed", err: err}
	var ee *condition.EvalError
	if errors.As(err, &ee) {
		ce.Kind, ce.Msg = ee.Kind, ee.Msg
	}
	return ce
}

func stateOf(p *profile.Profile) string {
	if p == nil {
		return ""
	}
	return p.State
}

// Can reports whether op may move p to dest: nil, ErrNoTransition,
// ErrConditionFalse or a *ConditionError. Like Available, it does not apply
// the four-eyes rule; see CheckWith.
func (w *Workflow) Can(p *profile.Profile, op Operator, dest string) error {
	i := w.find(stateOf(p), dest)
	if i < 0 {
		return ErrNoTransition
	}
	e := getEnv(p, op)
	defer putEnv(e)
	return w.eval(i, e)
}

// find returns the index of the transition from source to dest, or -1.
func (w *Workflow) find(source, dest string) int {
	if i, ok := w.edges[[2]string{source, dest}]; ok {
		return i
	}
	return -1
}

// Check is Can with the refusal wrapped in a *RefusedError that names the
// states: nil, or a *RefusedError whose Reason is what Can returns. It does
// not apply the four-eyes rule; kyc.Service asks CheckWith.
func (w *Workflow) Check(p *profile.Profile, op Operator, dest string) error {
	if err := w.Can(p, op, dest); err != nil {
		return &RefusedError{From: stateOf(p), To: dest, Reason: err}
	}
	return nil
}

// CheckWith is Check with the four-eyes rule: a *RefusedError whose Reason
// is ErrFourEyes (checked before the condition, whatever the condition
// says) when the move leaves a four-eyes state and op.User is in f.Makers
// or empty. A move with no transition is still refused with
// ErrNoTransition.
func (w *Workflow) CheckWith(p *profile.Profile, op Operator, dest string, f Facts) error {
	from := stateOf(p)
	i := w.find(from, dest)
	if i < 0 {
		return &RefusedError{From: from, To: dest, Reason: ErrNoTransition}
	}
	if w.refusesMaker(from, op, f) {
		return &RefusedError{From: from, To: dest, Reason: ErrFourEyes}
	}
	e := getEnv(p, op)
	defer putEnv(e)
	if err := w.eval(i, e); err != nil {
		return &RefusedError{From: from, To: dest, Reason: err}
	}
	return nil
}

// Apply moves p to dest when Check allows it, changing only p.State; the
// caller records the change in the profile's history. Like Check, it does
// not apply the four-eyes rule: a caller that knows the makers asks
// CheckWith first.
func (w *Workflow) Apply(p *profile.Profile, op Operator, dest string) error {
	if p == nil {
		return &RefusedError{To: dest, Reason: ErrNoTransition}
	}
	if err := w.Check(p, op, dest); err != nil {
		return err
	}
	p.State = dest
	return nil
}
