package profile

import (
	"errors"
	"strconv"
	"strings"
)

// The errors of the field-change rules. They live beside the rules they
// belong to; like every error of this package they carry paths and kinds of
// problem, never a value of a profile.

// ErrChangePolicy is the kind of every error LoadChangePolicy and
// NewChangePolicy return; the detail is a *ChangePolicyError or, for a
// document that is not JSON, the decoder's error.
var ErrChangePolicy = errors.New("profile: invalid change policy")

var (
	errEmptyPath   = errors.New("empty path")
	errBadSegment  = errors.New("malformed path segment")
	errBadSelector = errors.New(`malformed selector: want "[]" or "[field=value]"`)
)

// ChangePolicyProblem is one problem of a change policy: the rule (by its
// position and name), the path concerned if any, and what is wrong.
type ChangePolicyProblem struct {
	Rule    int    // index of the rule in the policy document, -1 for the document
	Name    string // name of the rule, when it has one
	Path    string // the rule path concerned, when the problem is a path
	Message string
}

// String formats the problem as "rules[2] (email): path \"x\": message".
func (p ChangePolicyProblem) String() string {
	var b strings.Builder
	if p.Rule >= 0 {
		b.WriteString("rules[")
		b.WriteString(strconv.Itoa(p.Rule))
		b.WriteString("]")
		if p.Name != "" {
			b.WriteString(" (" + p.Name + ")")
		}
		b.WriteString(": ")
	}
	if p.Path != "" {
		b.WriteString("path " + strconv.Quote(p.Path) + ": ")
	}
	b.WriteString(p.Message)
	return b.String()
}

// ChangePolicyError lists every problem found in a change policy; it
// unwraps to ErrChangePolicy.
type ChangePolicyError struct {
	Problems []ChangePolicyProblem
}

// Error joins the problems into one line.
func (e *ChangePolicyError) Error() string {
	parts := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		parts[i] = p.String()
	}
	return ErrChangePolicy.Error() + ": " + strings.Join(parts, "; ")
}

// Unwrap returns ErrChangePolicy.
func (e *ChangePolicyError) Unwrap() error { return ErrChangePolicy }
