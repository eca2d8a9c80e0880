package condition

import (
	"fmt"
	"maps"
	"strconv"
	"strings"
	"sync"

	"github.com/casbin/govaluate"
)

// Options configures Compile.
type Options struct {
	// Roots are the names a condition may start from, such as
	// {"dprofile", "context"}; any other name is a syntax error, so that a
	// condition can reach nothing but the documents it is given.
	Roots []string
}

// Env resolves the dotted paths of a condition when it is evaluated.
type Env interface {
	// Lookup returns the value at path under root (path may be empty).
	// A missing key is nil; attribute access on a non-object is an
	// *EvalError of Kind "AttributeError" (Walk does both).
	Lookup(root string, path []string) (any, error)
}

// MapEnv is an Env over JSON values, one per root name. A root it does not
// hold reads as None.
type MapEnv map[string]any

// Lookup implements Env with Walk.
func (m MapEnv) Lookup(root string, path []string) (any, error) {
	return Walk(m[root], path)
}

// maxGenerated bounds the govaluate text a condition compiles to. Chained
// comparisons repeat their middle operand, so nested chains could otherwise
// grow the text exponentially within the source limit.
const maxGenerated = 64 << 10

// Expr is a compiled condition. It is immutable and safe for concurrent use.
type Expr struct {
	src    string
	paths  []*pathNode
	consts []any
	// truthExpr computes bool(condition) with govaluate's short-circuit
	// && and ||; valueExpr computes the Python value, with and/or
	// returning an operand.
	truthExpr *govaluate.EvaluableExpression
	valueExpr *govaluate.EvaluableExpression
}

// Compile parses src and prepares it for evaluation. It returns a
// *SyntaxError, with the column, for anything outside the language:
// calls, subscripts, lambdas, comprehensions, names that are not roots,
// names with "__", attribute access on anything but a root name path, a
// source longer than MaxSourceLen or nested deeper than MaxNesting.
func Compile(src string, opts Options) (*Expr, error) {
	root, err := parse(src, opts.Roots)
	if err != nil {
		return nil, err
	}
	g := &gen{e: &Expr{src: src}, pathIdx: map[string]int{}, funcs: maps.Clone(functions), memo: map[node]string{}}
	truthSrc := g.truth(root)
	valueSrc := g.value(root)
	if g.tooBig || len(truthSrc)+len(valueSrc) > maxGenerated {
		return nil, syntaxErr(1, "condition too complex")
	}
	if g.e.truthExpr, err = newGovaluate(truthSrc, g.funcs); err != nil {
		return nil, err
	}
	if g.e.valueExpr, err = newGovaluate(valueSrc, g.funcs); err != nil {
		return nil, err
	}
	return g.e, nil
}

// newGovaluate parses generated text. The front end only emits text that
// govaluate accepts, so an error here is a defect, reported as such rather
// than with govaluate's message.
func newGovaluate(src string, funcs map[string]govaluate.ExpressionFunction) (ex *govaluate.EvaluableExpression, err error) {
	defer func() {
		if r := recover(); r != nil {
			ex, err = nil, syntaxErr(1, "condition cannot be compiled")
		}
	}()
	ex, err = govaluate.NewEvaluableExpressionWithFunctions(src, funcs)
	if err != nil {
		return nil, syntaxErr(1, "condition cannot be compiled")
	}
	return ex, nil
}

// String returns the source text of the condition.
func (e *Expr) String() string { return e.src }

// Paths returns every dotted path the condition reads, root first, once
// each, in order of first appearance; loaders use it to check paths.
func (e *Expr) Paths() [][]string {
	out := make([][]string, len(e.paths))
	for i, p := range e.paths {
		out[i] = append([]string{p.root}, p.path...)
	}
	return out
}

// Eval returns the Python value of the condition: nil (None), bool, int64,
// float64, string, []any (a list), Tuple, or an object as env returned it.
// It returns an *EvalError where Python would raise.
func (e *Expr) Eval(env Env) (any, error) {
	v, err := e.run(e.valueExpr, env)
	if err != nil {
		return nil, err
	}
	return fromValue(v)
}

// Truth returns bool() of the condition's value, as an `if` would see it.
func (e *Expr) Truth(env Env) (bool, error) {
	v, err := e.run(e.truthExpr, env)
	if err != nil {
		return false, err
	}
	b, ok := v.(bool)
	if !ok {
		return truth(v)
	}
	return b, nil
}

// run evaluates one of the compiled forms, turning any panic or foreign
// error from govaluate into an *EvalError: a condition never panics.
func (e *Expr) run(ex *govaluate.EvaluableExpression, env Env) (v any, err error) {
	defer func() {
		if r := recover(); r != nil {
			v, err = nil, &EvalError{Kind: "InternalError", Msg: "evaluation failed"}
		}
	}()
	ps := paramsPool.Get().(*params)
	ps.e, ps.env = e, env
	v, err = ex.Eval(ps)
	ps.e, ps.env = nil, nil
	paramsPool.Put(ps)
	if err != nil {
		if _, ok := err.(*EvalError); !ok {
			err = &EvalError{Kind: "TypeError", Msg: "unsupported operation"}
		}
		return nil, err
	}
	return v, nil
}

// params is the govaluate.Parameters of one evaluation: "p<i>" is the i-th
// path, read from the Env; "k<i>" is the i-th constant.
type params struct {
	e   *Expr
	env Env
}

// paramsPool saves the allocation of a params per evaluation.
var paramsPool = sync.Pool{New: func() any { return new(params) }}

// Get implements govaluate.Parameters.
func (p *params) Get(name string) (any, error) {
	i, ok := paramIndex(name)
	if !ok {
		return nil, &EvalError{Kind: "InternalError", Msg: "unknown parameter"}
	}
	if name[0] == 'k' {
		return p.e.consts[i], nil
	}
	n := p.e.paths[i]
	if p.env == nil {
		return none, nil
	}
	raw, err := p.env.Lookup(n.root, n.path)
	if err != nil {
		return nil, err
	}
	return toValue(raw)
}

func paramIndex(name string) (int, bool) {
	if len(name) < 2 {
		return 0, false
	}
	i := 0
	for _, c := range name[1:] {
		if c < '0' || c > '9' {
			return 0, false
		}
		i = i*10 + int(c-'0')
	}
	return i, true
}

// gen writes the govaluate form of a syntax tree.
type gen struct {
	e       *Expr
	pathIdx map[string]int
	funcs   map[string]govaluate.ExpressionFunction // the shared functions plus this condition's own
	// memo holds the text of each node written so far: a chain repeats
	// its middle operands, and writing them again would take time
	// exponential in the nesting.
	memo   map[node]string
	tooBig bool // the text outgrew maxGenerated: stop writing
}

func (g *gen) constant(v any) string {
	g.e.consts = append(g.e.consts, v)
	return "k" + strconv.Itoa(len(g.e.consts)-1)
}

func (g *gen) path(n *pathNode) string {
	key := n.root + "\x00" + strings.Join(n.path, "\x00")
	i, ok := g.pathIdx[key]
	if !ok {
		i = len(g.e.paths)
		g.e.paths = append(g.e.paths, n)
		g.pathIdx[key] = i
	}
	return "p" + strconv.Itoa(i)
}

// truth writes an expression whose result is a Go bool: comparisons and
// `not` already are; `and`/`or` become govaluate's short-circuit && and ||.
func (g *gen) truth(n node) string {
	if g.tooBig {
		return ""
	}
	switch x := n.(type) {
	case *boolNode:
		op := " || "
		if x.and {
			op = " && "
		}
		parts := make([]string, len(x.xs))
		for i, y := range x.xs {
			parts[i] = g.truth(y)
		}
		return "(" + strings.Join(parts, op) + ")"
	case *unaryNode:
		if x.op == "not" {
			return "(!" + g.truth(x.x) + ")"
		}
	case *cmpNode:
		return g.value(n)
	case *litNode:
		if b, ok := x.v.(bool); ok {
			return strconv.FormatBool(b)
		}
	}
	return "truth(" + g.value(n) + ")"
}

// value writes an expression whose result is the Python value, once per
// node.
func (g *gen) value(n node) string {
	if g.tooBig {
		return ""
	}
	if s, ok := g.memo[n]; ok {
		return s
	}
	s := g.write(n)
	if len(s) > maxGenerated {
		g.tooBig = true
		return ""
	}
	g.memo[n] = s
	return s
}

func (g *gen) write(n node) string {
	switch x := n.(type) {
	case *litNode:
		return g.constant(x.v)
	case *pathNode:
		return g.path(x)
	case *seqNode:
		return g.seq(x)
	case *unaryNode:
		return g.unary(x)
	case *binNode:
		return fmt.Sprintf("%s(%s, %s)", arithFuncs[x.op], g.value(x.l), g.value(x.r))
	case *cmpNode:
		return g.chain(x.xs, x.ops)
	case *boolNode:
		return g.boolValue(x)
	}
	return "k" // unreachable: every node type is handled above
}

var arithFuncs = map[string]string{"+": "add", "-": "sub", "*": "mul"}

func (g *gen) unary(x *unaryNode) string {
	if x.op == "not" {
		return "(!" + g.truth(x.x) + ")"
	}
	if lit, ok := x.x.(*litNode); ok {
		if v, err := negate(x.op, lit.v); err == nil {
			return g.constant(v)
		}
	}
	fn := "neg"
	if x.op == "+" {
		fn = "pos"
	}
	return fn + "(" + g.value(x.x) + ")"
}

// seq folds a sequence of literals into one constant, and otherwise builds
// it at run time.
func (g *gen) seq(x *seqNode) string {
	items := make([]any, len(x.elems))
	constant := true
	for i, e := range x.elems {
		lit, ok := e.(*litNode)
		if !ok {
			constant = false
			break
		}
		items[i] = lit.v
	}
	if constant {
		return g.constant(&seqV{tuple: x.tuple, items: items})
	}
	parts := make([]string, len(x.elems))
	for i, e := range x.elems {
		parts[i] = g.value(e)
	}
	fn := "list"
	if x.tuple {
		fn = "tuple"
	}
	return fn + "(" + strings.Join(parts, ", ") + ")"
}

// chain writes `a op1 b op2 c` as Python evaluates it: `a op1 b and b op2
// c`, stopping at the first false comparison.
func (g *gen) chain(xs []node, ops []string) string {
	first := g.compare(xs[0], ops[0], xs[1])
	if len(ops) == 1 {
		return first
	}
	return "(" + first + " ? " + g.chain(xs[1:], ops[1:]) + " : false)"
}

var compareFuncs = map[string]string{
	"==": "eq", "!=": "ne", "<": "lt", "<=": "le", ">": "gt", ">=": "ge",
	"in": "in", "not in": "notin", "is": "eq", "is not": "ne",
}

// compare uses govaluate's own == and != (reflect.DeepEqual) where it gives
// Python's answer: when one side is None, a bool or a string literal, whose
// runtime values are only equal to the same value of the same type.
// Everything else goes through a function with Python's rules.
func (g *gen) compare(l node, op string, r node) string {
	if (op == "==" || op == "!=" || op == "is" || op == "is not") && (isScalarLit(l) || isScalarLit(r)) {
		native := map[string]string{"==": "==", "is": "==", "!=": "!=", "is not": "!="}[op]
		return "(" + g.value(l) + " " + native + " " + g.value(r) + ")"
	}
	if lit, ok := r.(*litNode); ok && op != "in" && op != "not in" {
		return g.compareConst(g.value(l), op, lit.v)
	}
	return compareFuncs[op] + "(" + g.value(l) + ", " + g.value(r) + ")"
}

// compareConst writes a comparison with a literal as a one-argument
// function holding the literal: govaluate calls it without building an
// argument list, which is most of the cost of a two-argument call.
func (g *gen) compareConst(l, op string, k any) string {
	name := "c" + strconv.Itoa(len(g.funcs))
	g.funcs[name] = func(args ...any) (any, error) {
		if len(args) != 1 {
			return nil, errArity
		}
		return compare(args[0], k, op)
	}
	return name + "(" + l + ")"
}

func isScalarLit(n node) bool {
	lit, ok := n.(*litNode)
	if !ok {
		return false
	}
	switch lit.v.(type) {
	case noneT, bool, string:
		return true
	}
	return false
}

// boolValue writes `a and b and c` as a chain of govaluate's ?? (which
// evaluates its right side only when the left is nil): falsy(x) is x when x
// is false and nil otherwise, so the first false operand, or the last
// operand, is the value, and later operands are not evaluated.
func (g *gen) boolValue(x *boolNode) string {
	fn := "truthy"
	if x.and {
		fn = "falsy"
	}
	parts := make([]string, len(x.xs))
	for i, y := range x.xs {
		parts[i] = g.value(y)
		if i < len(x.xs)-1 {
			parts[i] = fn + "(" + parts[i] + ")"
		}
	}
	return "(" + strings.Join(parts, " ?? ") + ")"
}
