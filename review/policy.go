package review

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"

	"github.com/kycsdk/kyc/internal/jsonconfig"
)

// Kind says why a customer is due: the periodic review, re-screening, or
// one of the events (triggers) that call for a review before its time.
type Kind string

// The periodic kinds, always on.
const (
	// PeriodicReview: the review interval of the customer's risk level ran
	// out since the last review.
	PeriodicReview Kind = "periodic_review"
	// Rescreening: the re-screening interval ran out since the last
	// watchlist screening, or the customer was never screened.
	Rescreening Kind = "rescreening"
)

// The triggers a policy can enable. Art. 26(3) of Regulation 2024/1624
// asks for a review when the customer's relevant circumstances change or a
// relevant fact becomes known; each trigger is one such fact.
const (
	// DocumentExpiring: an identity document expires within the policy's
	// lead time.
	DocumentExpiring Kind = "document_expiring"
	// CheckExpiring: a check result the profile's recipe needs ages out.
	CheckExpiring Kind = "check_expiring"
	// RiskChanged: the risk level changed since the last review.
	RiskChanged Kind = "risk_changed"
	// Reverification: a change awaits KYC re-verification under the
	// field-change policy.
	Reverification Kind = "reverification"
	// ConfirmedHit: a watchlist hit was confirmed.
	ConfirmedHit Kind = "confirmed_hit"
	// ScreeningChanged: a screening's outcome for a list type differs
	// from the one before (a new hit, or a hit gone). A re-screening with
	// the same outcome is recorded but raises nothing.
	ScreeningChanged Kind = "screening_changed"
	// RelatedChanged: a profile the customer is related to (an owner, a
	// controller) changed in a way that matters; the kyc Service raises it
	// on the legal persons owned or controlled through a changed profile.
	RelatedChanged Kind = "related_changed"
)

// Event reports whether k is one of the kinds Events and callers raise on
// a commit (risk changed, confirmed hit, screening changed, related
// changed): the reasons a caller keeps from one commit to the next, since
// the profile alone no longer shows them. The other kinds are recomputed
// from the profile each time.
func (k Kind) Event() bool {
	switch k {
	case RiskChanged, ConfirmedHit, ScreeningChanged, RelatedChanged:
		return true
	}
	return false
}

// Triggers returns every trigger kind, the default set of a policy.
func Triggers() []Kind {
	return []Kind{DocumentExpiring, CheckExpiring, RiskChanged, Reverification, ConfirmedHit, ScreeningChanged, RelatedChanged}
}

// Intervals gives an interval per risk level, and one for every level not
// listed (and for a customer whose risk is not assessed yet).
type Intervals struct {
	Levels  map[string]Interval `json:"levels,omitempty"`
	Default Interval            `json:"default"`
}

// For returns the interval of a risk level.
func (in Intervals) For(level string) Interval {
	if i, ok := in.Levels[level]; ok {
		return i
	}
	return in.Default
}

// Policy says when customers are due for review and re-screening. The
// zero Policy is not usable: start from DefaultPolicy or Load.
type Policy struct {
	// Review is the periodic review interval, counted from the last
	// completed review (or, before the first, from verification, or
	// creation).
	Review Intervals `json:"periodic_review"`
	// Rescreen is the watchlist re-screening interval, counted from the
	// last screening; a customer never screened is due at once. A list
	// update calls for re-screening whatever the interval says (see the
	// package documentation).
	Rescreen Intervals `json:"rescreening"`
	// DocumentLeadTime is how long before an identity document expires
	// the customer is due (so that a new document can be asked for).
	DocumentLeadTime Interval `json:"document_lead_time"`
	// FourEyesLevels are the risk levels whose reviews a second person
	// must approve.
	FourEyesLevels []string `json:"four_eyes_levels,omitempty"`
	// Triggers are the kinds of event that make a customer due before the
	// periodic time; nil means every trigger.
	Triggers []Kind `json:"triggers,omitempty"`
}

// DefaultPolicy returns the policy of Art. 26(2) for the given risk levels,
// lowest first: a review every year for the highest levels (the last one,
// and the last two when there are four or more, as high and severe are)
// and every five years for the others; re-screening every month for the
// highest levels and every year for the others; documents due 30 days
// before they expire; no four eyes; every trigger. The re-screening
// intervals and the lead time are the library's choice, not the
// regulation's: set them as the tenant's compliance officer decides.
func DefaultPolicy(levels []string) *Policy {
	p := &Policy{
		Review:           Intervals{Levels: map[string]Interval{}, Default: Years(5)},
		Rescreen:         Intervals{Levels: map[string]Interval{}, Default: Years(1)},
		DocumentLeadTime: Days(30),
	}
	high := 1
	if len(levels) >= 4 {
		high = 2
	}
	for _, l := range levels[max(0, len(levels)-high):] {
		p.Review.Levels[l] = Years(1)
		p.Rescreen.Levels[l] = Months(1)
	}
	return p
}

// FourEyes reports whether a review at the risk level needs a second
// person.
func (p *Policy) FourEyes(level string) bool { return slices.Contains(p.FourEyesLevels, level) }

// Enabled reports whether the policy raises t (every kind when Triggers
// is nil).
func (p *Policy) Enabled(t Kind) bool { return p.Triggers == nil || slices.Contains(p.Triggers, t) }

// Load reads a policy from JSON and checks it against the risk levels in
// use (nil: any level). Every problem is reported with its JSON path;
// keys the format does not have, and keys given twice, are refused, so a
// misspelt key never goes unnoticed. Omitted parts take
// DefaultPolicy(levels)'s values.
func Load(data []byte, levels []string) (*Policy, error) {
	p := DefaultPolicy(levels)
	if err := jsonconfig.Decode(data, p); err != nil {
		var de *jsonconfig.Error
		if !errors.As(err, &de) {
			return nil, fmt.Errorf("%w: %w", ErrPolicy, err)
		}
		return nil, &PolicyError{Problems: []Problem{{Path: de.Path, Message: de.Problem}}}
	}
	if err := p.Check(levels); err != nil {
		return nil, err
	}
	return p, nil
}

// Check reports every problem of p against the risk levels in use (nil:
// any level): the error of Load, for a policy built in Go.
func (p *Policy) Check(levels []string) error {
	if probs := p.check(levels); len(probs) > 0 {
		return &PolicyError{Problems: probs}
	}
	return nil
}

func (p *Policy) check(levels []string) []Problem {
	var probs []Problem
	interval := func(path string, i Interval) {
		switch {
		case !i.positive():
			probs = append(probs, Problem{path, "must be longer than zero"})
		case i.longer(MaxInterval):
			probs = append(probs, Problem{path, "is longer than " + MaxInterval.String() + ", the longest interval a policy may set"})
		}
	}
	level := func(path, l string) {
		if levels != nil && !slices.Contains(levels, l) {
			probs = append(probs, Problem{path, "is not a risk level of the tenant"})
		}
	}
	for _, part := range []struct {
		name string
		in   Intervals
	}{{"periodic_review", p.Review}, {"rescreening", p.Rescreen}} {
		interval(part.name+".default", part.in.Default)
		for _, l := range slices.Sorted(maps.Keys(part.in.Levels)) {
			path := part.name + ".levels." + l
			level(path, l)
			interval(path, part.in.Levels[l])
		}
	}
	interval("document_lead_time", p.DocumentLeadTime)
	for i, l := range p.FourEyesLevels {
		level("four_eyes_levels["+strconv.Itoa(i)+"]", l)
	}
	for i, t := range p.Triggers {
		if !slices.Contains(Triggers(), t) {
			probs = append(probs, Problem{"triggers[" + strconv.Itoa(i) + "]", "is not a trigger (document_expiring, check_expiring, risk_changed, reverification, confirmed_hit, screening_changed, related_changed)"})
		}
	}
	return probs
}
