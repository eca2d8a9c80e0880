package entityprofile

import (
	"slices"
	"strconv"
	"time"

	"github.com/kycsdk/kyc/profile"
)

// Status is the outcome of an evaluation.
type Status uint8

// Evaluation statuses.
const (
	// Incomplete: a check is missing, expired, stale or blocked, or a
	// minimum is not reached.
	Incomplete Status = iota + 1
	// Passed: every check has a valid result, none failed, every minimum
	// is reached.
	Passed
	// Failed: a required check's valid result failed.
	Failed
)

// String returns "incomplete", "passed" or "failed".
func (s Status) String() string { return textOf(statusNames, s) }

// Evaluation is where a profile's verification stands at an instant: its
// status and, when it has not passed, everything standing in the way.
type Evaluation struct {
	Status Status `json:"status"`
	// Profile is the entity profile applied ("" when none is).
	Profile string `json:"profile"`
	// NotRun are required check types with no result at all.
	NotRun []string `json:"not_run"`
	// Expired are required check types whose results have all aged out.
	Expired []Expiry `json:"expired"`
	// Stale are required check types whose valid result covers a field
	// pending re-verification.
	Stale []string `json:"stale"`
	// Blocked are required checks that must run but lack a consent.
	Blocked []Blocked `json:"blocked"`
	// Failed are the valid results of required check types that failed.
	Failed []Reuse `json:"failed"`
	// Shortfalls are the minimums not reached.
	Shortfalls []Shortfall `json:"shortfalls"`
	// ValidUntil is, when the status is Passed, when the first result it
	// relies on expires (0: never).
	ValidUntil profile.Timestamp `json:"valid_until"`
}

// Expiry is a check type whose latest result aged out, and when.
type Expiry struct {
	Type    string            `json:"type"`
	CheckID string            `json:"check_id"`
	At      profile.Timestamp `json:"at"`
}

// Shortfall is a minimum number of matches not reached (seed 001: "the
// minimum number of name, address and date-of-birth checks").
type Shortfall struct {
	// Field is name, address or dob.
	Field string `json:"field"`
	Have  int    `json:"have"`
	Want  int    `json:"want"`
}

// String reads "1 of 2 address matches".
func (s Shortfall) String() string {
	return strconv.Itoa(s.Have) + " of " + strconv.Itoa(s.Want) + " " + s.Field + " matches"
}

// Evaluate says whether p's verification is passed, failed or incomplete at
// now, under the entity profile assigned to p plus the check types the
// caller names (only those under `none`). Matches are counted once per
// check type, over the latest valid result of every type, whichever entity
// profile asked for it.
func (r *Registry) Evaluate(p *profile.Profile, now time.Time, types ...string) (Evaluation, error) {
	vw, err := r.resolve(p, types)
	if err != nil {
		return Evaluation{}, err
	}
	var buf stateBuf
	a := assessment{r: r, p: p, vw: vw, now: profile.TimestampOf(now), st: states(&buf, len(r.types))}
	a.scan()
	return a.evaluate(), nil
}

func (a *assessment) evaluate() Evaluation {
	ev := Evaluation{Profile: a.vw.recipe}
	for _, idx := range a.vw.required {
		a.evaluateType(&ev, idx)
	}
	n := a.counts()
	for f, field := range fieldOrder {
		if want := a.vw.minimum[f]; n[f] < want {
			ev.Shortfalls = append(ev.Shortfalls, Shortfall{Field: field.name, Have: n[f], Want: want})
		}
	}
	ev.Status = ev.status()
	if ev.Status == Passed {
		ev.ValidUntil = a.validUntil()
	}
	return ev
}

func (a *assessment) evaluateType(ev *Evaluation, idx int) {
	name := a.r.types[idx].name
	why, must := a.reason(idx)
	if !must {
		if a.p.Checks[a.st[idx].valid].Outcome == profile.OutcomeFail {
			ev.Failed = append(ev.Failed, a.reuse(idx))
		}
		return
	}
	switch why {
	case ReasonNotRun:
		ev.NotRun = append(ev.NotRun, name)
	case ReasonExpired:
		ev.Expired = append(ev.Expired, Expiry{Type: name, CheckID: a.p.Checks[a.st[idx].expired].ID, At: a.st[idx].expiredAt})
	case ReasonStale:
		ev.Stale = append(ev.Stale, name)
	}
	if !a.consented(idx) {
		ev.Blocked = append(ev.Blocked, Blocked{Type: name, Consent: a.vw.consent[idx]})
	}
}

func (ev *Evaluation) status() Status {
	switch {
	case len(ev.Failed) > 0:
		return Failed
	case len(ev.NotRun)+len(ev.Expired)+len(ev.Stale)+len(ev.Blocked)+len(ev.Shortfalls) > 0:
		return Incomplete
	}
	return Passed
}

// validUntil is the earliest expiry among the results a pass relies on: the
// required checks and the other results counted towards a minimum.
func (a *assessment) validUntil() profile.Timestamp {
	var until profile.Timestamp
	for idx := range a.r.types {
		if !slices.Contains(a.vw.required, idx) && !a.contributes(idx) {
			continue
		}
		if exp := a.expiryOf(idx); exp != 0 && (until == 0 || exp < until) {
			until = exp
		}
	}
	return until
}
