package ownership

import (
	"errors"
	"fmt"
)

// Sentinel errors, checked with errors.Is.
var (
	// ErrInvalidFacts reports ownership or control facts that break the
	// rules of Validate; the *FactsError says where.
	ErrInvalidFacts = errors.New("ownership: invalid ownership or control facts")
	// ErrFanOut reports a profile with more ownership or control relations
	// than Limits.MaxFanOut: walking it would be unbounded work, and
	// walking part of it would silently miss owners.
	ErrFanOut = errors.New("ownership: too many relations on one profile")
	// ErrNotLegalPerson reports a walk asked for a profile that is not a
	// legal person, or that the graph does not hold.
	ErrNotLegalPerson = errors.New("ownership: not a legal person")
	// ErrRelationType reports a registry entry that is not a snake_case key.
	ErrRelationType = errors.New("ownership: invalid relation type")
	// ErrThreshold reports a threshold outside (0, 100] percent.
	ErrThreshold = errors.New("ownership: invalid threshold")
)

// FactsError is facts that cannot be used, found during a walk: the profile
// that holds the relation and every problem, each with its JSON path
// relative to that profile ("relations[2].extra.ownership.capital.minimum").
// Its text carries ids and paths, never values.
type FactsError struct {
	ProfileID string
	Problems  []Problem
}

// Error returns "ownership: invalid ownership or control facts: profile
// <id>: path: message; ...".
func (e *FactsError) Error() string {
	s := fmt.Sprintf("%v: profile %s", ErrInvalidFacts, e.ProfileID)
	for i, p := range e.Problems {
		if i == 5 {
			s += fmt.Sprintf("; and %d more", len(e.Problems)-5)
			break
		}
		s += "; " + p.String()
	}
	return s
}

// Unwrap returns ErrInvalidFacts.
func (e *FactsError) Unwrap() error { return ErrInvalidFacts }

// FanOutError names the profile whose relations exceed Limits.MaxFanOut.
type FanOutError struct {
	ProfileID string
	Relations int
	Limit     int
}

// Error returns "ownership: too many relations on one profile: profile <id>
// has N ownership or control relations, limit L".
func (e *FanOutError) Error() string {
	return fmt.Sprintf("%v: profile %s has %d ownership or control relations, limit %d", ErrFanOut, e.ProfileID, e.Relations, e.Limit)
}

// Unwrap returns ErrFanOut.
func (e *FanOutError) Unwrap() error { return ErrFanOut }
