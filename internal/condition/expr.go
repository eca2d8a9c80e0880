package condition

import (
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

// maxGenerated bounds the govaluate text of each form a condition compiles
// to. Chained comparisons repeat their middle operand, so nested chains
// could otherwise grow the text exponentially within MaxOperators; govaluate
// parses about a microsecond's worth of text per few bytes, and 8 KiB keeps
// a form within about 2 ms (issue 11), above the 6 KiB that 256 operators
// in a flat chain need.
const maxGenerated = 8 << 10

// Expr is a compiled condition. It is immutable and safe for concurrent use.
type Expr struct {
	src    string
	paths  []*pathNode
	consts []any
	access accessors // per path, for a RootEnv
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
// source longer than MaxSourceLen, nested deeper than MaxNesting, with more
// than MaxOperators operators, or whose govaluate form would be too long to
// parse quickly ("condition too complex").
func Compile(src string, opts Options) (*Expr, error) {
	root, err := parse(src, opts.Roots)
	if err != nil {
		return nil, err
	}
	g := &gen{e: &Expr{src: src}, pathIdx: map[string]int{}, funcs: maps.Clone(functions), shared: map[node]bool{}, memo: map[node]string{}}
	truthSrc := g.form(root, g.truth)
	valueSrc := g.form(root, g.value)
	if g.tooBig {
		return nil, syntaxErr(1, "condition too complex")
	}
	g.e.access = make(accessors, len(g.e.paths))
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
	ps.roots, _ = env.(RootEnv)
	v, err = ex.Eval(ps)
	*ps = params{}
	paramsPool.Put(ps)
	if err != nil {
		if _, ok := err.(*EvalError); !ok {
			err = &EvalError{Kind: "TypeError", Msg: "unsupported operation"}
		}
		return nil, err
	}
	return v, nil
}

// params is the govaluate.Parameters of one evaluation: "p<i>" is the value
// of the i-th path, read from the Env; "n<i>" and "s<i>" are whether it is
// None and whether it is set (not None); "k<i>" is the i-th constant.
type params struct {
	e     *Expr
	env   Env
	roots RootEnv // env, when it hands over its roots
}

// paramsPool saves the allocation of a params per evaluation.
var paramsPool = sync.Pool{New: func() any { return new(params) }}

// Get implements govaluate.Parameters.
func (p *params) Get(name string) (any, error) {
	i, ok := paramIndex(name)
	if !ok || (name[0] == 'k' && i >= len(p.e.consts)) || (name[0] != 'k' && i >= len(p.e.paths)) {
		return nil, &EvalError{Kind: "InternalError", Msg: "unknown parameter"}
	}
	switch name[0] {
	case 'k':
		return p.e.consts[i], nil
	case 'n':
		isNone, err := p.isNone(i)
		return isNone, err
	case 's':
		isNone, err := p.isNone(i)
		return !isNone && err == nil, err
	}
	return p.value(i, true)
}

// value reads the i-th path as a runtime value; when wantValue is false, a
// value known not to be None may be returned as true instead.
func (p *params) value(i int, wantValue bool) (any, error) {
	n := p.e.paths[i]
	if p.env == nil {
		return none, nil
	}
	if p.roots != nil && len(n.path) > 0 {
		if root, ok := p.roots.Root(n.root); ok {
			return p.e.access.get(i, root, n.path).read(root, wantValue)
		}
	}
	raw, err := p.env.Lookup(n.root, n.path)
	if err != nil {
		return nil, err
	}
	return toValue(raw)
}

func (p *params) isNone(i int) (bool, error) {
	v, err := p.value(i, false)
	if err != nil {
		return false, err
	}
	return v == none, nil
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

// gen writes the govaluate form of a syntax tree into one buffer, so that
// the work is linear in the text written: a left-deep sum of 2,000 terms
// built by concatenating strings copied each prefix again.
type gen struct {
	e       *Expr
	pathIdx map[string]int
	funcs   map[string]govaluate.ExpressionFunction // the shared functions plus this condition's own
	// shared marks the middle operands of comparison chains, which are
	// written once per comparison they take part in; memo holds their
	// text, so that nested chains cost the size of their text rather than
	// time exponential in the nesting.
	shared map[node]bool
	memo   map[node]string
	buf    []byte
	tooBig bool // the text outgrew maxGenerated: stop writing
}

// form returns the text written by write(n), starting from an empty buffer.
func (g *gen) form(n node, write func(node)) string {
	g.buf = g.buf[:0]
	write(n)
	return string(g.buf)
}

func (g *gen) str(s string) {
	if g.tooBig {
		return
	}
	g.buf = append(g.buf, s...)
	if len(g.buf) > maxGenerated {
		g.tooBig = true
	}
}

func (g *gen) constant(v any) {
	g.e.consts = append(g.e.consts, v)
	g.ref('k', len(g.e.consts)-1)
}

// ref writes the name of a parameter: a letter and an index.
func (g *gen) ref(kind byte, i int) {
	g.str(string(kind))
	g.str(strconv.Itoa(i))
}

func (g *gen) pathIndex(n *pathNode) int {
	key := n.root + "\x00" + strings.Join(n.path, "\x00")
	i, ok := g.pathIdx[key]
	if !ok {
		i = len(g.e.paths)
		g.e.paths = append(g.e.paths, n)
		g.pathIdx[key] = i
	}
	return i
}

// truth writes an expression whose result is a Go bool: comparisons and
// `not` already are; `and`/`or` become govaluate's short-circuit && and ||.
func (g *gen) truth(n node) {
	if g.tooBig {
		return
	}
	switch x := n.(type) {
	case *boolNode:
		op := " || "
		if x.and {
			op = " && "
		}
		g.str("(")
		for i, y := range x.xs {
			if i > 0 {
				g.str(op)
			}
			g.truth(y)
		}
		g.str(")")
		return
	case *unaryNode:
		if x.op == "not" {
			g.not(x.x)
			return
		}
	case *cmpNode:
		g.value(n)
		return
	case *litNode:
		if b, ok := x.v.(bool); ok {
			g.str(strconv.FormatBool(b))
			return
		}
	}
	g.call("truth", n)
}

// value writes an expression whose result is the Python value; the text of
// a shared node is written once and copied after.
func (g *gen) value(n node) {
	if g.tooBig {
		return
	}
	if s, ok := g.memo[n]; ok {
		g.str(s)
		return
	}
	if !g.shared[n] {
		g.write(n)
		return
	}
	start := len(g.buf)
	g.write(n)
	if !g.tooBig {
		g.memo[n] = string(g.buf[start:])
	}
}

func (g *gen) write(n node) {
	switch x := n.(type) {
	case *litNode:
		g.constant(x.v)
	case *pathNode:
		g.ref('p', g.pathIndex(x))
	case *seqNode:
		g.seq(x)
	case *unaryNode:
		g.unary(x)
	case *binNode:
		g.call(arithFuncs[x.op], x.l, x.r)
	case *cmpNode:
		g.chain(x.xs, x.ops)
	case *boolNode:
		g.boolValue(x)
	}
}

// call writes fn(args...), each argument as its value.
func (g *gen) call(fn string, args ...node) {
	g.str(fn)
	g.str("(")
	for i, a := range args {
		if i > 0 {
			g.str(", ")
		}
		g.value(a)
	}
	g.str(")")
}

func (g *gen) not(x node) {
	g.str("(!")
	g.truth(x)
	g.str(")")
}

var arithFuncs = map[string]string{"+": "add", "-": "sub", "*": "mul"}

func (g *gen) unary(x *unaryNode) {
	if x.op == "not" {
		g.not(x.x)
		return
	}
	if lit, ok := x.x.(*litNode); ok {
		if v, err := negate(x.op, lit.v); err == nil {
			g.constant(v)
			return
		}
	}
	fn := "neg"
	if x.op == "+" {
		fn = "pos"
	}
	g.call(fn, x.x)
}

// seq folds a sequence of literals into one constant, and otherwise builds
// it at run time.
func (g *gen) seq(x *seqNode) {
	if items, ok := literals(x.elems); ok {
		g.constant(&seqV{tuple: x.tuple, items: items})
		return
	}
	fn := "list"
	if x.tuple {
		fn = "tuple"
	}
	g.call(fn, x.elems...)
}

// literals returns the values of elems when every one is a literal.
func literals(elems []node) ([]any, bool) {
	items := make([]any, len(elems))
	for i, e := range elems {
		lit, ok := e.(*litNode)
		if !ok {
			return nil, false
		}
		items[i] = lit.v
	}
	return items, true
}

// chain writes `a op1 b op2 c` as Python evaluates it: `a op1 b and b op2
// c`, stopping at the first false comparison. Every comparison is a bool,
// so govaluate's short-circuit && gives the value, flat: nested ternaries
// cost govaluate several times more to parse. The middle operands are
// written twice, so they are shared.
func (g *gen) chain(xs []node, ops []string) {
	if len(ops) == 1 {
		g.compare(xs[0], ops[0], xs[1])
		return
	}
	for _, x := range xs[1 : len(xs)-1] {
		g.shared[x] = true
	}
	g.str("(")
	for i, op := range ops {
		if i > 0 {
			g.str(" && ")
		}
		g.compare(xs[i], op, xs[i+1])
	}
	g.str(")")
}

var compareFuncs = map[string]string{
	"==": "eq", "!=": "ne", "<": "lt", "<=": "le", ">": "gt", ">=": "ge",
	"in": "in", "not in": "notin", "is": "eq", "is not": "ne",
}

// compare uses govaluate's own == and != (reflect.DeepEqual) where it gives
// Python's answer: when one side is None, a bool or a string literal, whose
// runtime values are only equal to the same value of the same type. A path
// compared with None is a parameter of its own that reads as a bool, so the
// path's value is never built. Everything else goes through a function with
// Python's rules.
func (g *gen) compare(l node, op string, r node) {
	if !isEquality(op) {
		g.compareOrdered(l, op, r)
		return
	}
	if p, ok := noneTest(l, r); ok {
		g.noneTest(p, op == "!=" || op == "is not")
		return
	}
	if isScalarLit(l) || isScalarLit(r) {
		native := " == "
		if op == "!=" || op == "is not" {
			native = " != "
		}
		g.str("(")
		g.value(l)
		g.str(native)
		g.value(r)
		g.str(")")
		return
	}
	g.compareOrdered(l, op, r)
}

func (g *gen) compareOrdered(l node, op string, r node) {
	if lit, ok := r.(*litNode); ok && op != "in" && op != "not in" {
		g.compareConst(l, op, lit.v)
		return
	}
	g.call(compareFuncs[op], l, r)
}

func isEquality(op string) bool {
	return op == "==" || op == "!=" || op == "is" || op == "is not"
}

// noneTest returns the path of `path == None` (either way round).
func noneTest(l, r node) (*pathNode, bool) {
	if isNoneLit(r) {
		p, ok := l.(*pathNode)
		return p, ok
	}
	if isNoneLit(l) {
		p, ok := r.(*pathNode)
		return p, ok
	}
	return nil, false
}

func isNoneLit(n node) bool {
	lit, ok := n.(*litNode)
	return ok && lit.v == none
}

// noneTest writes the parameter "n<i>" (path i is None) or "s<i>" (path i is
// set: not None).
func (g *gen) noneTest(p *pathNode, negated bool) {
	kind := byte('n')
	if negated {
		kind = 's'
	}
	g.ref(kind, g.pathIndex(p))
}

// compareConst writes a comparison with a literal as a one-argument
// function holding the literal: govaluate calls it without building an
// argument list, which is most of the cost of a two-argument call.
func (g *gen) compareConst(l node, op string, k any) {
	name := "c" + strconv.Itoa(len(g.funcs))
	g.funcs[name] = func(args ...any) (any, error) {
		if len(args) != 1 {
			return nil, errArity
		}
		return compare(args[0], k, op)
	}
	g.call(name, l)
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
func (g *gen) boolValue(x *boolNode) {
	fn := "truthy"
	if x.and {
		fn = "falsy"
	}
	g.str("(")
	last := len(x.xs) - 1
	for _, y := range x.xs[:last] {
		g.call(fn, y)
		g.str(" ?? ")
	}
	g.value(x.xs[last])
	g.str(")")
}
