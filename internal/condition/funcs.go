package condition

import "github.com/casbin/govaluate"

// The functions below supply the Python semantics govaluate lacks. Each
// receives runtime values (see value.go) and the exact number of arguments
// the builder wrote; FUNCTION tokens hold them directly.
var (
	compareFuncs = map[string]govaluate.ExpressionFunction{
		"==": comparison("=="), "!=": comparison("!="),
		"<": comparison("<"), "<=": comparison("<="),
		">": comparison(">"), ">=": comparison(">="),
		"is": comparison("=="), "is not": comparison("!="),
		"in": membership(false), "not in": membership(true),
	}
	arithFuncs = map[string]govaluate.ExpressionFunction{
		"+": arithmetic("+"), "-": arithmetic("-"), "*": arithmetic("*"),
	}
	unaryFuncs = map[string]govaluate.ExpressionFunction{
		"-": unaryFunc("-"), "+": unaryFunc("+"),
	}
	falsyFunc  = pick(false)
	truthyFunc = pick(true)
	listFunc   = sequence(false)
	tupleFunc  = sequence(true)
)

var errArity = &EvalError{Kind: "InternalError", Msg: "wrong number of arguments"}

func comparison(op string) govaluate.ExpressionFunction {
	return func(args ...any) (any, error) {
		if len(args) != 2 {
			return nil, errArity
		}
		return compare(args[0], args[1], op)
	}
}

// compareConst is a comparison with a literal as a one-argument function
// holding the literal: govaluate calls it without building an argument
// list, which is most of the cost of a two-argument call.
func compareConst(op string, k any) govaluate.ExpressionFunction {
	return func(args ...any) (any, error) {
		if len(args) != 1 {
			return nil, errArity
		}
		return compare(args[0], k, op)
	}
}

func membership(negated bool) govaluate.ExpressionFunction {
	return func(args ...any) (any, error) {
		if len(args) != 2 {
			return nil, errArity
		}
		in, err := containsValue(args[1], args[0])
		if err != nil {
			return nil, err
		}
		return in != negated, nil
	}
}

func arithmetic(op string) govaluate.ExpressionFunction {
	return func(args ...any) (any, error) {
		if len(args) != 2 {
			return nil, errArity
		}
		return arith(op, args[0], args[1])
	}
}

func unaryFunc(op string) govaluate.ExpressionFunction {
	return func(args ...any) (any, error) {
		if len(args) != 1 {
			return nil, errArity
		}
		return negate(op, args[0])
	}
}

func truthFunc(args ...any) (any, error) {
	if len(args) != 1 {
		return nil, errArity
	}
	return truth(args[0])
}

// pick returns its argument when its truth is want, else nil, which lets
// govaluate's ?? move on to the next operand of an and/or.
func pick(want bool) govaluate.ExpressionFunction {
	return func(args ...any) (any, error) {
		if len(args) != 1 {
			return nil, errArity
		}
		t, err := truth(args[0])
		if err != nil {
			return nil, err
		}
		if t == want {
			return args[0], nil
		}
		return nil, nil
	}
}

func sequence(tuple bool) govaluate.ExpressionFunction {
	return func(args ...any) (any, error) {
		items := make([]any, len(args))
		copy(items, args)
		return &seqV{tuple: tuple, items: items}, nil
	}
}
