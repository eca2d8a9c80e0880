package fieldchange

import (
	"errors"
	"strconv"
	"strings"
)

// The errors of the field-change rules. They live beside the rules they
// belong to; like every error of this package they carry paths and kinds of
// problem, never a value of a profile.

// ErrPolicy is the kind of every error Load and
// New return; the detail is a *PolicyError.
var ErrPolicy = errors.New("profile: invalid change policy")

var (
	errEmptyPath   = errors.New("empty path")
	errBadSegment  = errors.New("malformed path segment")
	errBadSelector = errors.New(`malformed selector: want "[]" or "[field=value]"`)
)

// Problem is one problem of a change policy: the rule (by its
// position and name), the path concerned if any, and what is wrong.
type Problem struct {
	Rule    int    // index of the rule in the policy document, -1 for the document
	At      string // for the document (Rule -1), the JSON path of the problem in it: "mode", "rules[0].change"; "" for the whole
	Name    string // name of the rule, when it has one
	Path    string // the rule path concerned, when the problem is a path
	Message string
}

// String formats the problem as "rules[2] (email): path \"x\": message".
func (p Problem) String() string {
	var b strings.Builder
	if p.Rule >= 0 {
		b.WriteString("rules[")
		b.WriteString(strconv.Itoa(p.Rule))
		b.WriteString("]")
		if p.Name != "" {
			b.WriteString(" (" + p.Name + ")")
		}
		b.WriteString(": ")
	} else if p.At != "" {
		b.WriteString(p.At + ": ")
	}
	if p.Path != "" {
		b.WriteString("path " + strconv.Quote(p.Path) + ": ")
	}
	b.WriteString(p.Message)
	return b.String()
}

// PolicyError lists every problem found in a change policy; it
// unwraps to ErrPolicy.
type PolicyError struct {
	Problems []Problem
}

// Error joins the problems into one line.
func (e *PolicyError) Error() string {
	parts := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		parts[i] = p.String()
	}
	return ErrPolicy.Error() + ": " + strings.Join(parts, "; ")
}

// Unwrap returns ErrPolicy.
func (e *PolicyError) Unwrap() error { return ErrPolicy }
