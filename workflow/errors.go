package workflow

import (
	"errors"
	"fmt"
	"strings"
)

// Sentinel errors, checked with errors.Is.
var (
	// ErrInvalid is matched by the *CompileError of a workflow that does
	// not load.
	ErrInvalid = errors.New("workflow: invalid workflow")
	// ErrNoTransition: the workflow has no transition from the profile's
	// state to the destination.
	ErrNoTransition error = reason("no such transition")
	// ErrConditionFalse: the transition exists and its condition is false.
	ErrConditionFalse error = reason("condition false")
	// ErrCondition is matched by every *ConditionError.
	ErrCondition = errors.New("workflow: condition error")
	// ErrFourEyes: the operator made the change the transition would
	// approve (a checker must not be the maker).
	ErrFourEyes error = reason("checker is the maker")
)

// reason is the kind of a refused move, so that a *RefusedError names it
// without the package prefix and without reading error text.
type reason string

func (r reason) Error() string { return "workflow: " + string(r) }

// Problem is one thing wrong with a workflow definition.
type Problem struct {
	// Transition is the index of the transition in the JSON list, or -1
	// for a problem of the whole workflow (its states, its initial state).
	Transition int
	Source     string
	Dest       string
	// Column is the 1-based column of a condition syntax error, else 0.
	Column int
	Msg    string
}

// String describes the problem with its transition and column.
func (p Problem) String() string {
	if p.Transition < 0 {
		return p.Msg
	}
	s := fmt.Sprintf("transition %d (%s -> %s): %s", p.Transition, shown(p.Source), shown(p.Dest), p.Msg)
	if p.Column > 0 {
		s += fmt.Sprintf(" at column %d", p.Column)
	}
	return s
}

// CompileError lists every problem of a workflow definition.
type CompileError struct {
	Problems []Problem
}

// Error implements error.
func (e *CompileError) Error() string {
	parts := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		parts[i] = p.String()
	}
	return "workflow: invalid workflow: " + strings.Join(parts, "; ")
}

// Is reports whether target is ErrInvalid.
func (e *CompileError) Is(target error) bool { return target == ErrInvalid }

// ConditionError reports a condition that raised when evaluated, with the
// transition and the condition; the condition's own error (Kind is the
// Python exception name) is never made a "false": the transition stays
// closed and says why.
type ConditionError struct {
	Source, Dest string
	Condition    string
	Kind         string // "TypeError", "AttributeError", ...
	Msg          string // in terms of types and attribute names only
	err          error
}

// Error implements error.
func (e *ConditionError) Error() string {
	return "workflow: " + e.detail()
}

// detail is the error's text after the package prefix.
func (e *ConditionError) detail() string {
	return fmt.Sprintf("condition of %s -> %s (%s): %s: %s", shown(e.Source), shown(e.Dest), e.Condition, e.Kind, e.Msg)
}

// Is reports whether target is ErrCondition.
func (e *ConditionError) Is(target error) bool { return target == ErrCondition }

// Unwrap returns the evaluation error.
func (e *ConditionError) Unwrap() error { return e.err }

// RefusedError is what Check and Apply return when a move is refused. Reason
// is ErrNoTransition, ErrConditionFalse, ErrFourEyes (CheckWith) or a
// *ConditionError, reachable with errors.Is and errors.As through the
// RefusedError.
type RefusedError struct {
	From, To string
	Reason   error
}

// Error implements error.
func (e *RefusedError) Error() string {
	return fmt.Sprintf("workflow: %s -> %s refused: %s", shown(e.From), shown(e.To), reasonText(e.Reason))
}

// reasonText is what a refusal's reason says, without the package prefix
// of this package's own errors.
func reasonText(err error) string {
	var r reason
	if errors.As(err, &r) {
		return string(r)
	}
	var ce *ConditionError
	if errors.As(err, &ce) {
		return ce.detail()
	}
	return err.Error()
}

// Unwrap returns the reason.
func (e *RefusedError) Unwrap() error { return e.Reason }
