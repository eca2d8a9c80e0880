// Package condition implements the condition language of workflow
// transitions (seed 003, section 3.3) and of the rules of the risk matrix and
// the entity profiles: a small subset of Python expressions over named JSON
// documents, such as
//
//	dprofile.blacklists_checked_at != None and dprofile.risk != None and dprofile.open_cases == 0
//
// The language has literals (strings in either quote with Python escapes,
// ints, floats, True, False, None, lists, tuples), dotted access from a root
// name, comparisons (chained as in Python), in, not in, is None, is not
// None, and, or, not, + - * and parentheses. Anything else is a
// *SyntaxError with its column, so a condition reaches nothing but the
// documents it is given. Semantics are Python's, with JSON booleans that are
// not numbers; where Python raises, evaluation returns an *EvalError whose
// Kind is the Python exception's name.
//
// Start from Compile, which returns an *Expr; evaluate it with Truth or
// Eval against an Env (MapEnv for decoded JSON, Root for one named value,
// or any type that resolves paths, with Walk, on typed Go values). An Env
// that is also a RootEnv hands over its typed roots, and the paths under
// them are then read through accessors resolved once per Go type, without
// looking fields up by name.
// Both read typed values by their JSON names through internal/fieldpath,
// including the top-level keys a profile keeps in Profile.Unknown.
//
// Compile bounds its own work before govaluate sees anything: MaxSourceLen,
// MaxNesting and MaxOperators, and a bound on the number of govaluate tokens
// a condition compiles to, keep every condition compiled or rejected within
// a few milliseconds.
//
// Evaluation goes through github.com/casbin/govaluate, behind this package
// only. The syntax tree is handed to govaluate as a token list
// (NewEvaluableExpressionFromTokens), never as text: each dotted path is a
// govaluate parameter named by the path and resolved by the Env, literals
// are constant tokens holding their value, and the Python semantics
// govaluate lacks are functions held by FUNCTION tokens.
//
// A compiled *Expr is immutable and safe for concurrent use; an Env is used
// only for the duration of one call.
package condition
