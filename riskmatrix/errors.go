package riskmatrix

import (
	"errors"
	"strconv"
	"strings"
)

// ErrInvalidMatrix is the kind of every error Load returns for a matrix that
// does not validate; the detail is a *MatrixError.
var ErrInvalidMatrix = errors.New("riskmatrix: invalid matrix")

// ErrNoTransactionalProfile is returned by Matrix.TransactionalProfile when
// the matrix has no transactional_profile section.
var ErrNoTransactionalProfile = errors.New("riskmatrix: matrix has no transactional profile table")

// ErrIncomeUnknown is returned by Matrix.TransactionalProfile when the profile
// declares no income and the table sets no amount for that case.
var ErrIncomeUnknown = errors.New("riskmatrix: declared income unknown")

// ErrUnknownName is returned when decoding a Kind or a Status from a name
// that is not one, or encoding one that is not valid.
var ErrUnknownName = errors.New("riskmatrix: unknown kind or status name")

// Problem is one thing wrong with a matrix: the JSON path of the offending
// value inside the matrix document (factors[3].weight) and what is wrong.
// Neither ever holds personal data: a matrix is configuration.
type Problem struct {
	Path    string `json:"path"`
	Message string `json:"message"`
}

// String formats the problem as "path: message".
func (p Problem) String() string {
	if p.Path == "" {
		return p.Message
	}
	return p.Path + ": " + p.Message
}

// MatrixError lists every problem found in a matrix by Load. It matches
// ErrInvalidMatrix with errors.Is.
type MatrixError struct {
	Problems []Problem
}

// Error lists the problems, one per line after a summary.
func (e *MatrixError) Error() string {
	var b strings.Builder
	b.WriteString("riskmatrix: invalid matrix: ")
	b.WriteString(strconv.Itoa(len(e.Problems)))
	if len(e.Problems) == 1 {
		b.WriteString(" problem")
	} else {
		b.WriteString(" problems")
	}
	for _, p := range e.Problems {
		b.WriteString("\n\t")
		b.WriteString(p.String())
	}
	return b.String()
}

// Unwrap makes errors.Is(err, ErrInvalidMatrix) true.
func (e *MatrixError) Unwrap() error { return ErrInvalidMatrix }
