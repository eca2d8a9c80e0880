package profile

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Sentinel errors, checked with errors.Is. Every error this package returns
// wraps one of them (a *ValidationError wraps ErrInvalid).
var (
	// ErrTooLarge reports an input over MaxInputSize bytes.
	ErrTooLarge = errors.New("profile: input too large")
	// ErrTooDeep reports JSON nested deeper than MaxDepth.
	ErrTooDeep = errors.New("profile: JSON nested too deep")
	// ErrSyntax reports input that is not JSON; the *SyntaxError says where.
	ErrSyntax = errors.New("profile: JSON syntax error")
	// ErrType reports a JSON value of the wrong type for its field; the
	// *TypeError says which field.
	ErrType = errors.New("profile: wrong JSON type")
	// ErrUnknownField reports a key a strict decode does not accept.
	ErrUnknownField = errors.New("profile: unknown field")
	// ErrUnknownValue reports an entry of Profile.Unknown that is not valid
	// JSON or that shadows a known key, found when encoding.
	ErrUnknownValue = errors.New("profile: invalid unknown-field value")
	// ErrInvalid reports a profile that breaks validation rules; the
	// *ValidationError lists every problem.
	ErrInvalid = errors.New("profile: invalid profile")
	// ErrSchema reports a metadata JSON Schema that does not compile.
	ErrSchema = errors.New("profile: invalid metadata schema")
	// ErrRelationType reports a relation type key that is not snake_case.
	ErrRelationType = errors.New("profile: invalid relation type")
)

// SyntaxError is malformed JSON, with the 1-based line and column of the
// offending byte. Its text names the kind of problem, never the input. A
// key repeated in an object is one ("duplicate key"), with the JSON path of
// the repeated key in Path.
type SyntaxError struct {
	Line   int
	Column int
	Offset int64 // the byte offset the JSON library reports
	Reason string
	Path   string // the repeated key's path, for a duplicate key
}

// Error returns "profile: JSON syntax error at line L, column C: reason".
func (e *SyntaxError) Error() string {
	if e.Path != "" {
		return fmt.Sprintf("%v at %s (line %d, column %d): %s", ErrSyntax, e.Path, e.Line, e.Column, e.Reason)
	}
	return fmt.Sprintf("%v at line %d, column %d: %s", ErrSyntax, e.Line, e.Column, e.Reason)
}

// Unwrap returns ErrSyntax.
func (e *SyntaxError) Unwrap() error { return ErrSyntax }

// TypeError is a JSON value of the wrong type. Path is the value's JSON
// path ("contacts[1].main"); Line and Column locate the value.
type TypeError struct {
	Path     string
	Expected string
	Line     int
	Column   int
}

// Error returns "profile: wrong JSON type at path (line L, column C): want
// kind". The value itself is never included.
func (e *TypeError) Error() string {
	path := cmp.Or(e.Path, "(root)")
	return fmt.Sprintf("%v at %s (line %d, column %d): want %s", ErrType, path, e.Line, e.Column, e.Expected)
}

// Unwrap returns ErrType.
func (e *TypeError) Unwrap() error { return ErrType }

// UnknownFieldError lists the keys a strict decode refused by their JSON
// paths: every unknown top-level key, sorted, or else the first unknown key
// of a nested record ("natural_person.shoe_size").
type UnknownFieldError struct {
	Keys []string
}

// Error returns "profile: unknown field: "a", "b"".
func (e *UnknownFieldError) Error() string {
	q := make([]string, len(e.Keys))
	for i, k := range e.Keys {
		q[i] = strconv.Quote(shortKey(k))
	}
	return fmt.Sprintf("%v: %s", ErrUnknownField, strings.Join(q, ", "))
}

// Unwrap returns ErrUnknownField.
func (e *UnknownFieldError) Unwrap() error { return ErrUnknownField }

// shorten keeps a key readable in an error text whatever its length.
func shortKey(s string) string {
	const max = 64
	if len(s) <= max {
		return s
	}
	return s[:max] + "..."
}

// Problem codes of a validation Problem. Codes are stable; messages may be
// reworded.
const (
	CodeRequired        = "required"          // a required field is empty
	CodeNotAllowed      = "not_allowed"       // a field the person type does not have
	CodeEnum            = "enum"              // not one of the allowed values
	CodeEmail           = "email"             // not a syntactically valid e-mail
	CodeLength          = "length"            // text too short or too long
	CodeDuplicate       = "duplicate"         // repeats an earlier value
	CodeMultipleMain    = "multiple_main"     // more than one record marked main
	CodeCountry         = "country"           // not an ISO 3166-1 country
	CodeFutureDate      = "future_date"       // a date that cannot be in the future
	CodeNotMidnight     = "not_midnight"      // a calendar date that is not midnight UTC
	CodeOutOfRange      = "out_of_range"      // a date or number outside its range
	CodeDateOrder       = "date_order"        // an end date not after its start date
	CodeRelationType    = "relation_type"     // relationship not in the registry
	CodeSchema          = "schema"            // metadata breaks the tenant schema
	CodeMetadataNotJSON = "metadata_invalid"  // metadata holds a non-JSON value
	CodeTooManyProblems = "too_many_problems" // more schema problems than MaxSchemaProblems; the message counts them
	CodeTooMany         = "too_many"          // a list longer than MaxListItems
	CodeTooDeep         = "too_deep"          // free-form JSON nested deeper than MaxDepth
	CodeText            = "text"              // a NUL character or invalid UTF-8, which not every store keeps (StorableText)
)

// Problem is one broken rule: the JSON path of the field (as
// "addresses[1].country"), a stable code and a message for a person. Neither
// holds the field's value.
type Problem struct {
	Path    string
	Code    string
	Message string
}

// String returns "path: message".
func (p Problem) String() string { return p.Path + ": " + p.Message }

// ValidationError holds every problem found in a profile, in a stable order
// (field order of the profile, then the cross-field rules). Reach it with
// errors.As; errors.Is(err, ErrInvalid) holds.
type ValidationError struct {
	Problems []Problem
}

// maxListed bounds the error text of a profile with very many problems
// (100,000 contacts); Problems keeps them all.
const maxListed = 10

// Error lists the problems ("profile: invalid profile: 2 problems:
// addresses[0].country: is required; labels[1]: ..."), at most ten of them.
func (e *ValidationError) Error() string {
	var b strings.Builder
	b.WriteString(ErrInvalid.Error())
	n := len(e.Problems)
	if n == 1 {
		b.WriteString(": 1 problem: ")
	} else {
		fmt.Fprintf(&b, ": %d problems: ", n)
	}
	for i, p := range e.Problems {
		if i == maxListed {
			fmt.Fprintf(&b, "; and %d more", n-maxListed)
			break
		}
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(p.String())
	}
	return b.String()
}

// Unwrap returns ErrInvalid.
func (e *ValidationError) Unwrap() error { return ErrInvalid }

// Has reports whether a problem with the given path and code was found.
func (e *ValidationError) Has(path, code string) bool {
	return slices.ContainsFunc(e.Problems, func(p Problem) bool { return p.Path == path && p.Code == code })
}
