package kyc

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/kycsdk/kyc/fieldchange"
)

// Kinds of failure of the service, checked with errors.Is. Storage failures
// come through unchanged (storage.ErrNotFound, storage.ErrConflict, ...), and
// validation, workflow and field-change refusals come as the typed errors of
// their packages and of this one.
var (
	// ErrForbidden: the operator may not do this: the policy does not
	// grant the operation's permission to any of its scopes (a
	// *ForbiddenError), or the rule of the operation refuses it (an
	// operator editing another's comment).
	ErrForbidden = errors.New("kyc: forbidden")
	// ErrReadOnly: an update or a creation tried to set a field the
	// library owns (see SystemFields); each such fact changes only through
	// its operation. The error is a *ReadOnlyError naming every path.
	ErrReadOnly = errors.New("kyc: read-only field")
	// ErrNoCase: CloseCase on a profile with no open case.
	ErrNoCase = errors.New("kyc: no open case")
	// ErrInvalidInput: an argument is missing or malformed.
	ErrInvalidInput = errors.New("kyc: invalid input")
	// ErrNotConfigured: the operation needs an option the service was built
	// without (a risk matrix, an entity-profile registry).
	ErrNotConfigured = errors.New("kyc: not configured")
	// ErrInvalidConfig: a tenant configuration document (or one of its
	// parts) does not load; the error is a *ConfigError.
	ErrInvalidConfig = errors.New("kyc: invalid configuration")
	// ErrUnknownTenant: the Service resolves configurations per tenant,
	// refuses tenants without one (Tenants.Refuse), and the operator's
	// tenant has none.
	ErrUnknownTenant = errors.New("kyc: tenant has no configuration")
	// ErrNoSuchVersion: the requested version does not exist.
	ErrNoSuchVersion = errors.New("kyc: no such version")
	// ErrReverification: the change needs KYC re-verification and the
	// service refuses such changes; the error is a *ReverificationError.
	ErrReverification = errors.New("kyc: change needs re-verification")
)

// Problem codes of the references and recipe checks of Create, Update,
// Revert and Import, reported in a *profile.ValidationError beside the
// profile's own rules.
const (
	CodeUnknownProfile = "unknown_profile" // a relation names no profile of the tenant
	CodeSelfRelation   = "self_relation"   // a relation names the profile itself
	CodeUnknownRecipe  = "unknown_recipe"  // entity_profile names no recipe
	CodeUnknownState   = "unknown_state"   // an imported state is not the workflow's
	// CodeNotInCatalogue: an activity or tax code is not in the tenant's
	// catalogue.
	CodeNotInCatalogue = "not_in_catalogue"
)

// OperatorError says which part of the acting Operator is missing.
type OperatorError struct {
	Field string
}

// Error names the missing field.
func (e *OperatorError) Error() string { return "kyc: operator " + e.Field + " is required" }

// Is makes errors.Is(err, ErrInvalidInput) true.
func (e *OperatorError) Is(target error) bool { return target == ErrInvalidInput }

// ReadOnlyError names the library-owned fields an update, a creation or an
// import tried to set, by their JSON paths.
type ReadOnlyError struct {
	Fields []string
}

// Error lists the paths, never their values.
func (e *ReadOnlyError) Error() string {
	return "kyc: read-only field(s), changed only through their operations: " + strings.Join(e.Fields, ", ")
}

// Is makes errors.Is(err, ErrReadOnly) true.
func (e *ReadOnlyError) Is(target error) bool { return target == ErrReadOnly }

// ForbiddenError says which operation was refused and which permission the
// operator's scopes lack. It names neither the operator nor the profile.
type ForbiddenError struct {
	Operation  Operation
	Permission Permission
}

// Error names the operation and the missing permission.
func (e *ForbiddenError) Error() string {
	if e.Permission.Resource == "" {
		return "kyc: forbidden: " + string(e.Operation)
	}
	return "kyc: forbidden: " + string(e.Operation) + " needs " + e.Permission.String()
}

// Is makes errors.Is(err, ErrForbidden) true.
func (e *ForbiddenError) Is(target error) bool { return target == ErrForbidden }

// ReverificationError refuses a change that needs KYC re-verification
// (seed 000, field-change guide). Report lists every change with its path,
// the rule that matched and whether it was a change or an addition.
type ReverificationError struct {
	Report fieldchange.Report
}

// Error lists the paths that need re-verification, never their values.
func (e *ReverificationError) Error() string {
	return "kyc: change needs KYC re-verification: " + strings.Join(e.Report.ReverifyPaths(), ", ")
}

// Is makes errors.Is(err, ErrReverification) true.
func (e *ReverificationError) Is(target error) bool { return target == ErrReverification }

// ConfigProblem is one problem of a configuration document: where (its
// JSON path, "" for the document itself) and what is wrong, in words.
type ConfigProblem struct {
	Path    string `json:"path"`
	Message string `json:"message"`
}

// String returns "path: message".
func (p ConfigProblem) String() string {
	if p.Path == "" {
		return p.Message
	}
	return p.Path + ": " + p.Message
}

// ConfigError lists every problem of a configuration document that does
// not load. A configuration with any problem is refused whole.
type ConfigError struct {
	Problems []ConfigProblem
}

// Error lists the problems, each with its path.
func (e *ConfigError) Error() string {
	parts := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		parts[i] = p.String()
	}
	n := strconv.Itoa(len(e.Problems)) + " problems: "
	if len(e.Problems) == 1 {
		n = "1 problem: "
	}
	return ErrInvalidConfig.Error() + ": " + n + strings.Join(parts, "; ")
}

// Is makes errors.Is(err, ErrInvalidConfig) true.
func (e *ConfigError) Is(target error) bool { return target == ErrInvalidConfig }

// RelatedReviewError reports, after a change committed, that the
// related-profile review it called for (review.RelatedChanged) did not
// reach every legal person concerned: Failed of them could not be
// written, or the walk up the ownership graph was cut at
// MaxRelatedReviews (Truncated). The change itself stands: the profile is
// returned with this error, so a caller never retries the write; it
// lists the affected persons with Service.OwnershipReviews.
type RelatedReviewError struct {
	Failed    int
	Truncated bool
	Err       error
}

// Error says how many related reviews were not raised, and why.
func (e *RelatedReviewError) Error() string {
	msg := fmt.Sprintf("kyc: related review after commit: %d not raised", e.Failed)
	if e.Truncated {
		msg += ", affected persons past the limit"
	}
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}

// Unwrap returns the last cause.
func (e *RelatedReviewError) Unwrap() error { return e.Err }
