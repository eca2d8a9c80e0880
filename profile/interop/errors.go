package interop

import (
	"errors"
	"fmt"
	"strings"
)

// Sentinel errors, checked with errors.Is. Every error this package returns
// wraps one of them. No error carries a value of the payload: paths and
// kinds of problem only.
var (
	// ErrSyntax reports input that is not JSON; the *SyntaxError says where.
	ErrSyntax = errors.New("interop: JSON syntax error")
	// ErrType reports a JSON value of the wrong type for its place.
	ErrType = errors.New("interop: wrong JSON type")
	// ErrMissing reports a required field that is absent.
	ErrMissing = errors.New("interop: missing field")
	// ErrValue reports a value outside the shape's vocabulary (an unknown
	// entity type, identity type).
	ErrValue = errors.New("interop: unknown value")
	// ErrDate reports a date that is not an ISO 8601 calendar date, or an
	// impossible one such as 1989-02-30.
	ErrDate = errors.New("interop: invalid date")
	// ErrUnmapped reports, in strict mode, input the profile cannot hold;
	// the *UnmappedError lists it.
	ErrUnmapped = errors.New("interop: unmapped input")
	// ErrPersonType reports a profile to export without a person type.
	ErrPersonType = errors.New("interop: profile has no person type")
)

// SyntaxError is malformed JSON, with the 1-based line and column of the
// offending byte.
type SyntaxError struct {
	Line   int
	Column int
	Offset int64 // the byte offset the JSON decoder reports
	Reason string
}

// Error returns "interop: JSON syntax error at line L, column C: reason".
func (e *SyntaxError) Error() string {
	return fmt.Sprintf("%v at line %d, column %d: %s", ErrSyntax, e.Line, e.Column, e.Reason)
}

// Unwrap returns ErrSyntax.
func (e *SyntaxError) Unwrap() error { return ErrSyntax }

// FieldError is a problem with one field of the payload, named by its JSON
// path; Err is one of the sentinel errors.
type FieldError struct {
	Path string
	Err  error
}

// Error returns "interop: <kind>: <path>".
func (e *FieldError) Error() string { return e.Err.Error() + " at " + e.Path }

// Unwrap returns the kind of problem.
func (e *FieldError) Unwrap() error { return e.Err }

// UnmappedError is what strict mode returns instead of a list of Unmapped.
type UnmappedError struct {
	Unmapped []Unmapped
}

// Error lists the paths that could not be mapped.
func (e *UnmappedError) Error() string {
	paths := make([]string, len(e.Unmapped))
	for i, u := range e.Unmapped {
		paths[i] = u.String()
	}
	return ErrUnmapped.Error() + ": " + strings.Join(paths, "; ")
}

// Unwrap returns ErrUnmapped.
func (e *UnmappedError) Unwrap() error { return ErrUnmapped }
