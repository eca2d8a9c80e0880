package condition

import (
	"errors"
	"fmt"
)

// ErrSyntax is matched (with errors.Is) by every *SyntaxError.
var ErrSyntax = errors.New("condition: syntax error")

// ErrEval is matched (with errors.Is) by every *EvalError.
var ErrEval = errors.New("condition: evaluation error")

// SyntaxError reports a condition that does not compile: text outside the
// language, a name that is not a root, or a condition over the size and
// nesting limits. Msg names the kind of problem and never repeats literal
// text from the condition, which may hold personal data.
type SyntaxError struct {
	Column int    // 1-based column, counted in characters
	Msg    string // the kind of problem
}

// Error implements error.
func (e *SyntaxError) Error() string {
	return fmt.Sprintf("condition: syntax error at column %d: %s", e.Column, e.Msg)
}

// Is reports whether target is ErrSyntax.
func (e *SyntaxError) Is(target error) bool { return target == ErrSyntax }

// EvalError reports a condition that raised when evaluated, as Python would:
// Kind is the Python exception name ("TypeError", "AttributeError",
// "OverflowError", "MemoryError", "RecursionError", "LookupError") and Msg
// says what went wrong in terms of types and attribute names only, never
// values.
type EvalError struct {
	Kind string
	Msg  string
}

// Error implements error.
func (e *EvalError) Error() string {
	return fmt.Sprintf("condition: %s: %s", e.Kind, e.Msg)
}

// Is reports whether target is ErrEval.
func (e *EvalError) Is(target error) bool { return target == ErrEval }

func syntaxErr(col int, format string, args ...any) *SyntaxError {
	return &SyntaxError{Column: col, Msg: fmt.Sprintf(format, args...)}
}

func typeErr(format string, args ...any) *EvalError {
	return &EvalError{Kind: "TypeError", Msg: fmt.Sprintf(format, args...)}
}

func attrErr(typ, name string) *EvalError {
	return &EvalError{Kind: "AttributeError", Msg: fmt.Sprintf("'%s' object has no attribute '%s'", typ, name)}
}
