package kyc

import (
	"errors"
	"strings"

	"github.com/kycsdk/kyc/profile"
)

// Kinds of failure of the service, checked with errors.Is. Storage failures
// come through unchanged (storage.ErrNotFound, storage.ErrConflict, ...), and
// validation, workflow and field-change refusals come as the typed errors of
// their packages and of this one.
var (
	// ErrForbidden: the operator may not do this (a watcher adding a
	// comment, an operator editing another's comment).
	ErrForbidden = errors.New("kyc: forbidden")
	// ErrReadOnly: the update tried to change a field the service owns
	// (id, state, version, created_at, created_by); state moves only
	// through Transition.
	ErrReadOnly = errors.New("kyc: read-only field")
	// ErrInvalidInput: an argument is missing or malformed.
	ErrInvalidInput = errors.New("kyc: invalid input")
	// ErrNotConfigured: the operation needs an option the service was built
	// without (a risk matrix, an entity-profile registry).
	ErrNotConfigured = errors.New("kyc: not configured")
	// ErrNoSuchVersion: the requested version does not exist.
	ErrNoSuchVersion = errors.New("kyc: no such version")
	// ErrReverification: the change needs KYC re-verification and the
	// service refuses such changes; the error is a *ReverificationError.
	ErrReverification = errors.New("kyc: change needs re-verification")
)

// OperatorError says which part of the acting Operator is missing.
type OperatorError struct {
	Field string
}

// Error names the missing field.
func (e *OperatorError) Error() string { return "kyc: operator " + e.Field + " is required" }

// Is makes errors.Is(err, ErrInvalidInput) true.
func (e *OperatorError) Is(target error) bool { return target == ErrInvalidInput }

// ReadOnlyError names the service-owned fields an update tried to change.
type ReadOnlyError struct {
	Fields []string
}

// Error lists the fields, never their values.
func (e *ReadOnlyError) Error() string {
	return "kyc: update changes read-only field(s): " + strings.Join(e.Fields, ", ")
}

// Is makes errors.Is(err, ErrReadOnly) true.
func (e *ReadOnlyError) Is(target error) bool { return target == ErrReadOnly }

// HookError reports that the event hook failed after a change was committed.
// The change stands: a hook error never undoes a commit.
type HookError struct {
	Event EventKind
	Err   error
}

// Error says which event's hook failed.
func (e *HookError) Error() string {
	return "kyc: event hook failed after commit (" + string(e.Event) + "): " + e.Err.Error()
}

// Unwrap returns the hook's error.
func (e *HookError) Unwrap() error { return e.Err }

// ReverificationError refuses a change that needs KYC re-verification
// (seed 000, field-change guide). Report lists every change with its path,
// the rule that matched and whether it was a change or an addition.
type ReverificationError struct {
	Report profile.ChangeReport
}

// Error lists the paths that need re-verification, never their values.
func (e *ReverificationError) Error() string {
	return "kyc: change needs KYC re-verification: " + strings.Join(e.Report.ReverifyPaths(), ", ")
}

// Is makes errors.Is(err, ErrReverification) true.
func (e *ReverificationError) Is(target error) bool { return target == ErrReverification }
