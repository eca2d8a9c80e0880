package condition

import "github.com/casbin/govaluate"

// functions supply the Python semantics govaluate lacks. Each receives
// runtime values (see value.go) and the exact number of arguments the
// generator wrote.
var functions = map[string]govaluate.ExpressionFunction{
	"eq":     comparison("=="),
	"ne":     comparison("!="),
	"lt":     comparison("<"),
	"le":     comparison("<="),
	"gt":     comparison(">"),
	"ge":     comparison(">="),
	"in":     membership(false),
	"notin":  membership(true),
	"add":    arithmetic("+"),
	"sub":    arithmetic("-"),
	"mul":    arithmetic("*"),
	"neg":    unaryFunc("-"),
	"pos":    unaryFunc("+"),
	"truth":  truthFunc,
	"falsy":  pick(false),
	"truthy": pick(true),
	"list":   sequence(false),
	"tuple":  sequence(true),
}

var errArity = &EvalError{Kind: "InternalError", Msg: "wrong number of arguments"}

func comparison(op string) govaluate.ExpressionFunction {
	return func(args ...any) (any, error) {
		if len(args) != 2 {
			return nil, errArity
		}
		return compare(args[0], args[1], op)
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
