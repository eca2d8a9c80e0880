package entityprofile

import (
	"errors"
	"fmt"
	"strings"
)

// Sentinel errors, checked with errors.Is.
var (
	// ErrInvalidConfig is wrapped by the *ConfigError NewRegistry returns.
	ErrInvalidConfig = errors.New("entityprofile: invalid configuration")
	// ErrUnknownProfile means no entity profile has the name asked for.
	ErrUnknownProfile = errors.New("entityprofile: unknown entity profile")
	// ErrUnknownCheckType means a check type is not in the registry.
	ErrUnknownCheckType = errors.New("entityprofile: unknown check type")
	// ErrNoCheckTypes means a profile without an entity profile (`none`) was
	// planned without naming the check types to run (seed 001: the caller
	// then names them each time).
	ErrNoCheckTypes = errors.New("entityprofile: no entity profile and no check types named")
	// ErrNoAutoRule means `auto` was asked for but no rule matched and no
	// default is configured.
	ErrNoAutoRule = errors.New("entityprofile: no auto-assignment rule applies")
	// ErrNilProfile means a nil *profile.Profile was passed.
	ErrNilProfile = errors.New("entityprofile: nil profile")
	// ErrInvalidResult is wrapped by the *ResultError Record returns.
	ErrInvalidResult = errors.New("entityprofile: invalid check result")
	// ErrUnknownName means a reason, status or due kind is not one of the
	// package's names (in JSON).
	ErrUnknownName = errors.New("entityprofile: unknown reason, status or kind name")
)

// Problem is one thing wrong with a configuration: the JSON path of the value
// and what is wrong with it.
type Problem struct {
	Path    string
	Message string
}

// String returns "path: message".
func (p Problem) String() string { return p.Path + ": " + p.Message }

// ConfigError lists every problem NewRegistry found in a configuration.
type ConfigError struct {
	Problems []Problem
}

// Error lists the problems, one after the other.
func (e *ConfigError) Error() string {
	var b strings.Builder
	b.WriteString("entityprofile: invalid configuration: ")
	for i, p := range e.Problems {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(p.String())
	}
	return b.String()
}

// Unwrap lets errors.Is match ErrInvalidConfig.
func (e *ConfigError) Unwrap() error { return ErrInvalidConfig }

// RuleError is an auto-assignment rule that could not be evaluated on a
// profile. It names the rule by its position; the cause (from the condition
// language) names the path and the kind of problem, never a value.
type RuleError struct {
	Rule int
	Err  error
}

// Error names the rule and its cause.
func (e *RuleError) Error() string {
	return fmt.Sprintf("entityprofile: auto rule %d: %v", e.Rule, e.Err)
}

// Unwrap returns the cause.
func (e *RuleError) Unwrap() error { return e.Err }

// ResultError is a check result Record refused, with the field at fault.
type ResultError struct {
	Field  string
	Reason string
}

// Error names the field and the reason.
func (e *ResultError) Error() string {
	return "entityprofile: invalid check result: " + e.Field + ": " + e.Reason
}

// Unwrap lets errors.Is match ErrInvalidResult.
func (e *ResultError) Unwrap() error { return ErrInvalidResult }
