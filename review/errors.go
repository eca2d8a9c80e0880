package review

import (
	"errors"
	"strings"
)

// ErrPolicy is wrapped by every error of a policy that cannot be used.
var ErrPolicy = errors.New("review: invalid policy")

// Problem is one defect of a policy document: the JSON path of the value
// and what is wrong with it, in words a person understands.
type Problem struct {
	Path    string
	Message string
}

// PolicyError lists every problem of a refused policy.
type PolicyError struct {
	Problems []Problem
}

func (e *PolicyError) Error() string {
	var b strings.Builder
	b.WriteString(ErrPolicy.Error())
	for i, p := range e.Problems {
		if i == 0 {
			b.WriteString(": ")
		} else {
			b.WriteString("; ")
		}
		if p.Path != "" {
			b.WriteString(p.Path + ": ")
		}
		b.WriteString(p.Message)
	}
	return b.String()
}

// Unwrap makes errors.Is(err, ErrPolicy) hold.
func (e *PolicyError) Unwrap() error { return ErrPolicy }
