package condition

import (
	"cmp"
	"encoding/json"
	"math"
	"math/big"
	"reflect"
	"strconv"
	"strings"

	"github.com/kycsdk/kyc/internal/fieldpath"
)

// Runtime values, as they travel through govaluate. None is a sentinel and
// not Go's nil (govaluate calls a function given a single nil argument with
// no argument at all), lists are wrapped (govaluate spreads a lone
// []interface{} argument into several), and integers have their own type
// (govaluate turns every integer parameter into a float64, and Python keeps
// ints and floats apart).
type (
	noneT struct{}
	intV  int64
	// seqV is a list or a tuple. Elements are converted to runtime values
	// when read, so a long list costs nothing until it is used.
	seqV struct {
		tuple bool
		items []any         // literal elements or decoded JSON
		rv    reflect.Value // a typed Go slice or array, when valid
	}
	// objV is a JSON object: a map with string keys or a struct.
	objV struct{ v any }
)

var none = noneT{}

// Tuple is how Eval returns a Python tuple (a list is returned as []any).
type Tuple []any

// maxRepeat bounds the size of a sequence built by '*' so that a condition
// cannot exhaust memory ("x" * 10**12 raises MemoryError in Python too).
const maxRepeat = 1 << 20

// maxDepth bounds recursive comparisons of nested values; Python raises
// RecursionError near its own limit of 1000 frames.
const maxDepth = 1000

func (s *seqV) len() int {
	if s.rv.IsValid() {
		return s.rv.Len()
	}
	return len(s.items)
}

func (s *seqV) at(i int) (any, error) {
	if s.rv.IsValid() {
		return toValue(s.rv.Index(i).Interface())
	}
	return toValue(s.items[i])
}

// toValue converts a Go value (decoded JSON or a typed Go value) to a
// runtime value, following encoding/json's mapping of Go types to JSON.
func toValue(v any) (any, error) {
	switch x := v.(type) {
	case nil:
		return none, nil
	case noneT, bool, intV, float64, string, *seqV, objV:
		return x, nil
	case int:
		return intV(x), nil
	case int64:
		return intV(x), nil
	case json.Number:
		return numberValue(x)
	case []any:
		return &seqV{items: x}, nil
	case map[string]any:
		return objV{x}, nil
	}
	return reflectValue(reflect.ValueOf(v))
}

func numberValue(n json.Number) (any, error) {
	if i, err := strconv.ParseInt(string(n), 10, 64); err == nil {
		return intV(i), nil
	}
	f, err := strconv.ParseFloat(string(n), 64)
	if err != nil && !isRangeErr(err) {
		return nil, typeErr("invalid JSON number")
	}
	return f, nil
}

var numberType = reflect.TypeFor[json.Number]()

func reflectValue(rv reflect.Value) (any, error) {
	rv, ok := fieldpath.Indirect(rv)
	if !ok {
		return none, nil
	}
	if rv.Type() == numberType {
		return numberValue(json.Number(rv.String()))
	}
	if fieldpath.Encoded(rv.Type()) {
		return marshaled(rv)
	}
	switch rv.Kind() {
	case reflect.Bool:
		return rv.Bool(), nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return intV(rv.Int()), nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		if u := rv.Uint(); u <= math.MaxInt64 {
			return intV(u), nil
		}
		return nil, &EvalError{Kind: "OverflowError", Msg: "integer out of range"}
	case reflect.Float32, reflect.Float64:
		return rv.Float(), nil
	case reflect.String:
		return rv.String(), nil
	case reflect.Slice:
		if rv.IsNil() {
			return none, nil
		}
		return &seqV{rv: rv}, nil
	case reflect.Array:
		return &seqV{rv: rv}, nil
	case reflect.Map:
		if rv.IsNil() {
			return none, nil
		}
		if rv.Type().Key().Kind() != reflect.String {
			return nil, typeErr("unsupported map key type")
		}
		return objV{rv.Interface()}, nil
	case reflect.Struct:
		return objV{rv.Interface()}, nil
	}
	return nil, typeErr("unsupported Go value of kind %s", rv.Kind())
}

// marshaled converts a value with its own JSON encoding (time.Time,
// json.RawMessage...) through that encoding, so a condition sees what the
// JSON object holds.
func marshaled(rv reflect.Value) (any, error) {
	b, err := json.Marshal(rv.Interface())
	if err != nil {
		return nil, typeErr("value cannot be encoded as JSON")
	}
	var v any
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		return nil, typeErr("value cannot be encoded as JSON")
	}
	return toValue(v)
}

// fromValue converts a runtime value to what Eval returns.
func fromValue(v any) (any, error) {
	switch x := v.(type) {
	case noneT:
		return nil, nil
	case intV:
		return int64(x), nil
	case objV:
		return x.v, nil
	case *seqV:
		out := make([]any, x.len())
		for i := range out {
			e, err := x.at(i)
			if err != nil {
				return nil, err
			}
			if out[i], err = fromValue(e); err != nil {
				return nil, err
			}
		}
		if x.tuple {
			return Tuple(out), nil
		}
		return out, nil
	}
	return v, nil
}

// typeName is the Python name of a runtime value's type, for messages.
func typeName(v any) string {
	switch x := v.(type) {
	case noneT:
		return "NoneType"
	case bool:
		return "bool"
	case intV:
		return "int"
	case float64:
		return "float"
	case string:
		return "str"
	case *seqV:
		if x.tuple {
			return "tuple"
		}
		return "list"
	case objV:
		return "dict"
	}
	return "object"
}

// truth is Python's bool(v).
func truth(v any) (bool, error) {
	switch x := v.(type) {
	case noneT:
		return false, nil
	case bool:
		return x, nil
	case intV:
		return x != 0, nil
	case float64:
		return x != 0, nil
	case string:
		return x != "", nil
	case *seqV:
		return x.len() > 0, nil
	case objV:
		return objectLen(x) > 0, nil
	}
	return false, typeErr("value of type '%s' has no truth value", typeName(v))
}

func isNumber(v any) bool {
	switch v.(type) {
	case intV, float64:
		return true
	}
	return false
}

// equal is Python's ==, with JSON booleans that are not numbers.
func equal(a, b any, depth int) (bool, error) {
	if depth > maxDepth {
		return false, &EvalError{Kind: "RecursionError", Msg: "maximum recursion depth exceeded in comparison"}
	}
	if isNumber(a) && isNumber(b) {
		c, ok := compareNumbers(a, b)
		return ok && c == 0, nil
	}
	switch x := a.(type) {
	case noneT, bool, string:
		return a == b, nil
	case *seqV:
		y, ok := b.(*seqV)
		if !ok || x.tuple != y.tuple || x.len() != y.len() {
			return false, nil
		}
		return equalSeqs(x, y, depth)
	case objV:
		y, ok := b.(objV)
		if !ok {
			return false, nil
		}
		return equalObjects(x, y, depth)
	}
	return false, nil
}

func equalSeqs(x, y *seqV, depth int) (bool, error) {
	for i := 0; i < x.len(); i++ {
		eq, err := equalAt(x, y, i, depth)
		if err != nil || !eq {
			return false, err
		}
	}
	return true, nil
}

func equalAt(x, y *seqV, i, depth int) (bool, error) {
	a, err := x.at(i)
	if err != nil {
		return false, err
	}
	b, err := y.at(i)
	if err != nil {
		return false, err
	}
	return equal(a, b, depth+1)
}

func equalObjects(x, y objV, depth int) (bool, error) {
	kx, err := objectKeys(x)
	if err != nil {
		return false, err
	}
	ky, err := objectKeys(y)
	if err != nil || len(kx) != len(ky) {
		return false, err
	}
	for _, k := range kx {
		eq, err := equalMember(x, y, k, depth)
		if err != nil || !eq {
			return false, err
		}
	}
	return true, nil
}

func equalMember(x, y objV, key string, depth int) (bool, error) {
	b, found, err := member(y.v, key)
	if err != nil || !found {
		return false, err
	}
	a, _, err := member(x.v, key)
	if err != nil {
		return false, err
	}
	va, err := toValue(a)
	if err != nil {
		return false, err
	}
	vb, err := toValue(b)
	if err != nil {
		return false, err
	}
	return equal(va, vb, depth+1)
}

// compareNumbers compares two numbers exactly, as Python compares an int
// with a float; ok is false when one is NaN.
func compareNumbers(a, b any) (int, bool) {
	ai, aInt := a.(intV)
	bi, bInt := b.(intV)
	switch {
	case aInt && bInt:
		return cmp.Compare(ai, bi), true
	case aInt:
		return compareIntFloat(int64(ai), b.(float64))
	case bInt:
		c, ok := compareIntFloat(int64(bi), a.(float64))
		return -c, ok
	}
	af, bf := a.(float64), b.(float64)
	if math.IsNaN(af) || math.IsNaN(bf) {
		return 0, false
	}
	return cmp.Compare(af, bf), true
}

func compareIntFloat(i int64, f float64) (int, bool) {
	if math.IsNaN(f) {
		return 0, false
	}
	if math.IsInf(f, 0) {
		return -int(math.Copysign(1, f)), true
	}
	return new(big.Float).SetInt64(i).Cmp(big.NewFloat(f)), true
}

// order is Python's ordering (<, <=, >, >=) for a and b: numbers with
// numbers, strings with strings, lists with lists and tuples with tuples,
// lexicographically. ok is false for NaN, where every ordering is False.
func order(a, b any, op string, depth int) (c int, ok bool, err error) {
	if depth > maxDepth {
		return 0, false, &EvalError{Kind: "RecursionError", Msg: "maximum recursion depth exceeded in comparison"}
	}
	if isNumber(a) && isNumber(b) {
		c, ok = compareNumbers(a, b)
		return c, ok, nil
	}
	switch x := a.(type) {
	case string:
		if y, isStr := b.(string); isStr {
			return cmp.Compare(x, y), true, nil
		}
	case *seqV:
		if y, isSeq := b.(*seqV); isSeq && x.tuple == y.tuple {
			return orderSeqs(x, y, op, depth)
		}
	}
	return 0, false, typeErr("'%s' not supported between instances of '%s' and '%s'", op, typeName(a), typeName(b))
}

func orderSeqs(x, y *seqV, op string, depth int) (int, bool, error) {
	n := min(x.len(), y.len())
	for i := 0; i < n; i++ {
		eq, err := equalAt(x, y, i, depth)
		if err != nil {
			return 0, false, err
		}
		if eq {
			continue
		}
		a, _ := x.at(i)
		b, _ := y.at(i)
		return order(a, b, op, depth+1)
	}
	return cmp.Compare(intV(x.len()), intV(y.len())), true, nil
}

func compare(a, b any, op string) (bool, error) {
	switch op {
	case "==":
		return equal(a, b, 0)
	case "!=":
		eq, err := equal(a, b, 0)
		return !eq, err
	}
	c, ok, err := order(a, b, op, 0)
	if err != nil || !ok {
		return false, err
	}
	switch op {
	case "<":
		return c < 0, nil
	case "<=":
		return c <= 0, nil
	case ">":
		return c > 0, nil
	}
	return c >= 0, nil
}

// contains is Python's `x in container`.
func containsValue(container, x any) (bool, error) {
	switch c := container.(type) {
	case *seqV:
		for i := 0; i < c.len(); i++ {
			e, err := c.at(i)
			if err != nil {
				return false, err
			}
			if eq, err := equal(x, e, 0); err != nil || eq {
				return eq, err
			}
		}
		return false, nil
	case string:
		s, ok := x.(string)
		if !ok {
			return false, typeErr("'in <string>' requires string as left operand, not %s", typeName(x))
		}
		return strings.Contains(c, s), nil
	case objV:
		return objectHas(c, x)
	}
	return false, typeErr("argument of type '%s' is not iterable", typeName(container))
}

func objectHas(o objV, x any) (bool, error) {
	switch k := x.(type) {
	case string:
		_, found, err := member(o.v, k)
		return found, err
	case *seqV, objV:
		return false, typeErr("unhashable type: '%s'", typeName(x))
	}
	return false, nil
}

// arith is Python's +, - and * on runtime values.
func arith(op string, a, b any) (any, error) {
	if isNumber(a) && isNumber(b) {
		return numberArith(op, a, b)
	}
	switch op {
	case "+":
		return concat(a, b)
	case "*":
		return repeat(a, b)
	}
	return nil, unsupported(op, a, b)
}

func unsupported(op string, a, b any) error {
	return typeErr("unsupported operand type(s) for %s: '%s' and '%s'", op, typeName(a), typeName(b))
}

func numberArith(op string, a, b any) (any, error) {
	ai, aInt := a.(intV)
	bi, bInt := b.(intV)
	if aInt && bInt {
		return intArith(op, int64(ai), int64(bi))
	}
	af, bf := toFloat(a), toFloat(b)
	switch op {
	case "+":
		return af + bf, nil
	case "-":
		return af - bf, nil
	}
	return af * bf, nil
}

func toFloat(v any) float64 {
	if i, ok := v.(intV); ok {
		return float64(i)
	}
	return v.(float64)
}

// intArith keeps Python's exact integers within int64; a result outside it
// is an OverflowError rather than a silently wrong number.
func intArith(op string, a, b int64) (any, error) {
	var r big.Int
	switch op {
	case "+":
		r.Add(big.NewInt(a), big.NewInt(b))
	case "-":
		r.Sub(big.NewInt(a), big.NewInt(b))
	default:
		r.Mul(big.NewInt(a), big.NewInt(b))
	}
	if !r.IsInt64() {
		return nil, &EvalError{Kind: "OverflowError", Msg: "integer result out of range"}
	}
	return intV(r.Int64()), nil
}

func concat(a, b any) (any, error) {
	switch x := a.(type) {
	case string:
		if y, ok := b.(string); ok {
			if len(x)+len(y) > maxRepeat {
				return nil, &EvalError{Kind: "MemoryError", Msg: "result too large"}
			}
			return x + y, nil
		}
	case *seqV:
		if y, ok := b.(*seqV); ok && x.tuple == y.tuple {
			return joinSeqs(x, y)
		}
	}
	return nil, unsupported("+", a, b)
}

func joinSeqs(x, y *seqV) (any, error) {
	if x.len()+y.len() > maxRepeat {
		return nil, &EvalError{Kind: "MemoryError", Msg: "result too large"}
	}
	items := make([]any, 0, x.len()+y.len())
	for _, s := range []*seqV{x, y} {
		for i := 0; i < s.len(); i++ {
			e, err := s.at(i)
			if err != nil {
				return nil, err
			}
			items = append(items, e)
		}
	}
	return &seqV{tuple: x.tuple, items: items}, nil
}

func repeat(a, b any) (any, error) {
	if n, ok := b.(intV); ok {
		return repeatSeq(a, int64(n), b)
	}
	if n, ok := a.(intV); ok {
		return repeatSeq(b, int64(n), a)
	}
	return nil, unsupported("*", a, b)
}

func repeatSeq(seq any, n int64, count any) (any, error) {
	if n < 0 {
		n = 0
	}
	switch s := seq.(type) {
	case string:
		if n > 0 && int64(len(s)) > maxRepeat/n {
			return nil, &EvalError{Kind: "MemoryError", Msg: "result too large"}
		}
		return strings.Repeat(s, int(n)), nil
	case *seqV:
		if n > 0 && int64(s.len()) > maxRepeat/n {
			return nil, &EvalError{Kind: "MemoryError", Msg: "result too large"}
		}
		items := make([]any, 0, int64(s.len())*n)
		for ; n > 0; n-- {
			for i := 0; i < s.len(); i++ {
				e, err := s.at(i)
				if err != nil {
					return nil, err
				}
				items = append(items, e)
			}
		}
		return &seqV{tuple: s.tuple, items: items}, nil
	}
	return nil, unsupported("*", seq, count)
}

func negate(op string, v any) (any, error) {
	switch x := v.(type) {
	case intV:
		if op == "+" {
			return x, nil
		}
		if x == math.MinInt64 {
			return nil, &EvalError{Kind: "OverflowError", Msg: "integer result out of range"}
		}
		return -x, nil
	case float64:
		if op == "+" {
			return x, nil
		}
		return -x, nil
	}
	return nil, typeErr("bad operand type for unary %s: '%s'", op, typeName(v))
}
