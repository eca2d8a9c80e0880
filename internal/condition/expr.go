package condition

import (
	"slices"
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

// Root is a RootEnv of one root name over one value, such as dprofile over
// the profile that risk-matrix rules and auto-assignment rules read. Any
// other root reads as None; Compile's Options.Roots keeps conditions from
// naming one.
type Root struct {
	Name  string
	Value any
}

// Lookup implements Env with Walk.
func (r *Root) Lookup(root string, path []string) (any, error) {
	if root != r.Name {
		return nil, nil
	}
	return Walk(r.Value, path)
}

// Root implements RootEnv.
func (r *Root) Root(root string) (any, bool) { return r.Value, root == r.Name }

// maxTokens bounds the govaluate tokens of each form a condition compiles
// to. Chained comparisons repeat their middle operand, so nested chains
// could otherwise grow the tokens exponentially within MaxOperators;
// govaluate plans a few thousand tokens in well under a millisecond
// (TestCompileWorstCases logs the figures), above the 1,300 that 256
// operators in a flat sum need.
const maxTokens = 4 << 10

// Expr is a compiled condition. It is immutable and safe for concurrent use.
type Expr struct {
	src    string
	paths  []*pathNode
	params []param        // the govaluate parameters, in order of first use
	byName map[string]int // index in params by name, when there are many
	access accessors      // per path, for a RootEnv
	// truthExpr computes bool(condition) with govaluate's short-circuit
	// && and ||; valueExpr computes the Python value, with and/or
	// returning an operand.
	truthExpr *govaluate.EvaluableExpression
	valueExpr *govaluate.EvaluableExpression
}

// param is what a govaluate parameter of an Expr reads: the value of a path,
// or whether it is None or set (not None), which needs no value built.
type param struct {
	name string
	path int
	test paramTest
}

// manyParams is the number of parameters above which Get finds a name with
// a map rather than comparing it with each name, which is faster for the
// few parameters of a usual condition (the names govaluate hands back are
// the strings of the tokens, so most comparisons stop at the pointer).
const manyParams = 8

type paramTest uint8

const (
	readValue paramTest = iota
	readIsNone
	readIsSet
)

// Compile parses src and prepares it for evaluation. It returns a
// *SyntaxError, with the column, for anything outside the language:
// calls, subscripts, lambdas, comprehensions, names that are not roots,
// names with "__", attribute access on anything but a root name path, a
// source longer than MaxSourceLen, nested deeper than MaxNesting, with more
// than MaxOperators operators, or whose govaluate form would have more
// tokens than govaluate plans quickly ("condition too complex").
func Compile(src string, opts Options) (*Expr, error) {
	root, err := parse(src, opts.Roots)
	if err != nil {
		return nil, err
	}
	b := &builder{e: &Expr{src: src, byName: map[string]int{}}, pathIdx: map[string]int{}, shared: map[node]bool{}, memo: map[node][]govaluate.ExpressionToken{}}
	truthToks := b.form(root, b.truth)
	valueToks := b.form(root, b.value)
	if b.tooBig {
		return nil, syntaxErr(1, "condition too complex")
	}
	b.e.access = make(accessors, len(b.e.paths))
	if len(b.e.params) <= manyParams {
		b.e.byName = nil
	}
	if b.e.truthExpr, err = newGovaluate(truthToks); err != nil {
		return nil, err
	}
	if b.e.valueExpr, err = newGovaluate(valueToks); err != nil {
		return nil, err
	}
	return b.e, nil
}

// newGovaluate plans the tokens built from a syntax tree. The builder only
// emits token sequences govaluate accepts, so an error here is a defect,
// reported as such rather than with govaluate's message.
func newGovaluate(toks []govaluate.ExpressionToken) (*govaluate.EvaluableExpression, error) {
	ex, err := govaluate.NewEvaluableExpressionFromTokens(toks)
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

// run evaluates one of the compiled forms. govaluate's own operators only
// see what the builder gave them (bools for && || and !, any values for ==
// and != and ??), so its errors are type checks of values the functions
// returned, reported as a TypeError.
func (e *Expr) run(ex *govaluate.EvaluableExpression, env Env) (any, error) {
	ps := paramsPool.Get().(*params)
	ps.e, ps.env = e, env
	ps.roots, _ = env.(RootEnv)
	v, err := ex.Eval(ps)
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

// params is the govaluate.Parameters of one evaluation.
type params struct {
	e     *Expr
	env   Env
	roots RootEnv // env, when it hands over its roots
}

// paramsPool saves the allocation of a params per evaluation.
var paramsPool = sync.Pool{New: func() any { return new(params) }}

// Get implements govaluate.Parameters.
func (p *params) Get(name string) (any, error) {
	i, ok := p.e.param(name)
	if !ok {
		return nil, &EvalError{Kind: "InternalError", Msg: "unknown parameter"}
	}
	pm := p.e.params[i]
	if pm.test == readValue {
		return p.value(pm.path, true)
	}
	v, err := p.value(pm.path, false)
	if err != nil {
		return nil, err
	}
	return (v == none) == (pm.test == readIsNone), nil
}

func (e *Expr) param(name string) (int, bool) {
	if e.byName != nil {
		i, ok := e.byName[name]
		return i, ok
	}
	i := slices.IndexFunc(e.params, func(p param) bool { return p.name == name })
	return i, i >= 0
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

// Tokens of govaluate's grammar that the builder writes as they are.
var (
	tokOpen     = govaluate.ExpressionToken{Kind: govaluate.CLAUSE, Value: '('}
	tokClose    = govaluate.ExpressionToken{Kind: govaluate.CLAUSE_CLOSE, Value: ')'}
	tokComma    = govaluate.ExpressionToken{Kind: govaluate.SEPARATOR, Value: ","}
	tokAnd      = govaluate.ExpressionToken{Kind: govaluate.LOGICALOP, Value: "&&"}
	tokOr       = govaluate.ExpressionToken{Kind: govaluate.LOGICALOP, Value: "||"}
	tokNot      = govaluate.ExpressionToken{Kind: govaluate.PREFIX, Value: "!"}
	tokEq       = govaluate.ExpressionToken{Kind: govaluate.COMPARATOR, Value: "=="}
	tokNe       = govaluate.ExpressionToken{Kind: govaluate.COMPARATOR, Value: "!="}
	tokCoalesce = govaluate.ExpressionToken{Kind: govaluate.TERNARY, Value: "??"}
)

// builder writes the govaluate tokens of a syntax tree into one slice, so
// that the work is linear in the tokens written.
type builder struct {
	e       *Expr
	pathIdx map[string]int
	// shared marks the middle operands of comparison chains, which are
	// written once per comparison they take part in; memo holds their
	// tokens, so that nested chains cost the number of their tokens
	// rather than time exponential in the nesting.
	shared map[node]bool
	memo   map[node][]govaluate.ExpressionToken
	toks   []govaluate.ExpressionToken
	tooBig bool // the tokens outgrew maxTokens: stop writing
}

// form returns the tokens written by write(n), starting from an empty slice.
func (b *builder) form(n node, write func(node)) []govaluate.ExpressionToken {
	b.toks = nil
	write(n)
	return b.toks
}

func (b *builder) tok(ts ...govaluate.ExpressionToken) {
	if b.tooBig {
		return
	}
	b.toks = append(b.toks, ts...)
	if len(b.toks) > maxTokens {
		b.tooBig = true
	}
}

// constant writes a literal. govaluate plans a value token as a constant
// that returns its Value whatever its Go type, so a runtime value (None,
// an intV, a list) needs no parameter; the kind only keeps govaluate's
// syntax check content.
func (b *builder) constant(v any) {
	kind := govaluate.STRING
	switch v.(type) {
	case bool:
		kind = govaluate.BOOLEAN
	case intV, float64:
		kind = govaluate.NUMERIC
	}
	b.tok(govaluate.ExpressionToken{Kind: kind, Value: v})
}

// param writes a parameter read from the Env when the condition is
// evaluated; its name is the dotted path as written, with " is None" or
// " is not None" for the tests that need no value.
func (b *builder) param(n *pathNode, test paramTest) {
	name := strings.Join(append([]string{n.root}, n.path...), ".")
	switch test {
	case readIsNone:
		name += " is None"
	case readIsSet:
		name += " is not None"
	}
	i, ok := b.e.byName[name]
	if !ok {
		i = len(b.e.params)
		b.e.byName[name] = i
		b.e.params = append(b.e.params, param{name: name, path: b.pathIndex(n), test: test})
	}
	b.tok(govaluate.ExpressionToken{Kind: govaluate.VARIABLE, Value: b.e.params[i].name})
}

func (b *builder) pathIndex(n *pathNode) int {
	key := n.root + "\x00" + strings.Join(n.path, "\x00")
	i, ok := b.pathIdx[key]
	if !ok {
		i = len(b.e.paths)
		b.e.paths = append(b.e.paths, n)
		b.pathIdx[key] = i
	}
	return i
}

// truth writes an expression whose result is a Go bool: comparisons and
// `not` already are; `and`/`or` become govaluate's short-circuit && and ||.
func (b *builder) truth(n node) {
	if b.tooBig {
		return
	}
	switch x := n.(type) {
	case *boolNode:
		op := tokOr
		if x.and {
			op = tokAnd
		}
		b.tok(tokOpen)
		for i, y := range x.xs {
			if i > 0 {
				b.tok(op)
			}
			b.truth(y)
		}
		b.tok(tokClose)
		return
	case *unaryNode:
		if x.op == "not" {
			b.not(x.x)
			return
		}
	case *cmpNode:
		b.value(n)
		return
	case *litNode:
		if _, ok := x.v.(bool); ok {
			b.constant(x.v)
			return
		}
	}
	b.call(truthFunc, n)
}

// value writes an expression whose result is the Python value; the tokens
// of a shared node are written once and copied after.
func (b *builder) value(n node) {
	if b.tooBig {
		return
	}
	if ts, ok := b.memo[n]; ok {
		b.tok(ts...)
		return
	}
	if !b.shared[n] {
		b.write(n)
		return
	}
	start := len(b.toks)
	b.write(n)
	if !b.tooBig {
		b.memo[n] = b.toks[start:len(b.toks):len(b.toks)]
	}
}

func (b *builder) write(n node) {
	switch x := n.(type) {
	case *litNode:
		b.constant(x.v)
	case *pathNode:
		b.param(x, readValue)
	case *seqNode:
		b.seq(x)
	case *unaryNode:
		b.unary(x)
	case *binNode:
		b.call(arithFuncs[x.op], x.l, x.r)
	case *cmpNode:
		b.chain(x.xs, x.ops)
	case *boolNode:
		b.boolValue(x)
	}
}

// call writes fn(args...), each argument as its value.
func (b *builder) call(fn govaluate.ExpressionFunction, args ...node) {
	b.tok(govaluate.ExpressionToken{Kind: govaluate.FUNCTION, Value: fn}, tokOpen)
	for i, a := range args {
		if i > 0 {
			b.tok(tokComma)
		}
		b.value(a)
	}
	b.tok(tokClose)
}

func (b *builder) not(x node) {
	b.tok(tokOpen, tokNot)
	b.truth(x)
	b.tok(tokClose)
}

func (b *builder) unary(x *unaryNode) {
	if x.op == "not" {
		b.not(x.x)
		return
	}
	if lit, ok := x.x.(*litNode); ok {
		if v, err := negate(x.op, lit.v); err == nil {
			b.constant(v)
			return
		}
	}
	b.call(unaryFuncs[x.op], x.x)
}

// seq folds a sequence of literals into one constant, and otherwise builds
// it at run time.
func (b *builder) seq(x *seqNode) {
	if items, ok := literals(x.elems); ok {
		b.constant(&seqV{tuple: x.tuple, items: items})
		return
	}
	fn := listFunc
	if x.tuple {
		fn = tupleFunc
	}
	b.call(fn, x.elems...)
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
// so govaluate's short-circuit && gives the value, flat. The middle
// operands are written twice, so they are shared.
func (b *builder) chain(xs []node, ops []string) {
	if len(ops) == 1 {
		b.compare(xs[0], ops[0], xs[1])
		return
	}
	for _, x := range xs[1 : len(xs)-1] {
		b.shared[x] = true
	}
	b.tok(tokOpen)
	for i, op := range ops {
		if i > 0 {
			b.tok(tokAnd)
		}
		b.compare(xs[i], op, xs[i+1])
	}
	b.tok(tokClose)
}

// compare uses govaluate's own == and != (reflect.DeepEqual) where it gives
// Python's answer: when one side is None, a bool or a string literal, whose
// runtime values are only equal to the same value of the same type. A path
// compared with None is a parameter of its own that reads as a bool, so the
// path's value is never built. Everything else goes through a function with
// Python's rules.
func (b *builder) compare(l node, op string, r node) {
	if !isEquality(op) {
		b.compareOrdered(l, op, r)
		return
	}
	negated := op == "!=" || op == "is not"
	if p, ok := noneTest(l, r); ok {
		test := readIsNone
		if negated {
			test = readIsSet
		}
		b.param(p, test)
		return
	}
	if isScalarLit(l) || isScalarLit(r) {
		native := tokEq
		if negated {
			native = tokNe
		}
		b.tok(tokOpen)
		b.value(l)
		b.tok(native)
		b.value(r)
		b.tok(tokClose)
		return
	}
	b.compareOrdered(l, op, r)
}

func (b *builder) compareOrdered(l node, op string, r node) {
	if lit, ok := r.(*litNode); ok && op != "in" && op != "not in" {
		b.call(compareConst(op, lit.v), l)
		return
	}
	b.call(compareFuncs[op], l, r)
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
// operand, is the value, and later operands are not evaluated. ?? is
// govaluate's only operator that both short-circuits and yields an operand
// rather than a bool, which Python's and/or need.
func (b *builder) boolValue(x *boolNode) {
	fn := truthyFunc
	if x.and {
		fn = falsyFunc
	}
	b.tok(tokOpen)
	last := len(x.xs) - 1
	for _, y := range x.xs[:last] {
		b.call(fn, y)
		b.tok(tokCoalesce)
	}
	b.value(x.xs[last])
	b.tok(tokClose)
}
