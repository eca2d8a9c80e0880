package condition

import (
	"slices"
	"strings"
)

// Limits applied at compile time, before any recursion, so that no condition
// can exhaust the stack or the memory of the process (issue 6, "Input
// limits").
const (
	// MaxSourceLen is the longest condition accepted, in bytes.
	MaxSourceLen = 4096
	// MaxNesting is the deepest nesting of brackets and prefix operators
	// accepted.
	MaxNesting = 64
	// MaxOperators is the most operators a condition may have: and, or,
	// not, each comparison of a chain, + - * and unary signs, plus the
	// elements of a list or tuple that is not all literals (each is an
	// argument govaluate plans). govaluate plans its tokens in time
	// roughly linear in the operators but at some microseconds each, and
	// a condition is compiled twice (truth and value), so a 4 KiB sum such
	// as 1+1+...+1 (2,048 operators) took about half a second; at 256 the
	// worst shapes compile in about 2 ms (TestCompileWorstCases logs the
	// figures), while the seed's conditions have at most a handful of
	// operators (issue 11: every hostile condition rejected or compiled
	// within 10 ms).
	MaxOperators = 256
)

// The abstract syntax of the language. Columns are needed only while
// parsing, for error messages, so the nodes do not keep them.
type (
	node any

	litNode struct {
		v any // a runtime value: none, bool, intV, float64 or string
	}
	pathNode struct {
		root string
		path []string
	}
	seqNode struct {
		tuple bool
		elems []node
	}
	unaryNode struct {
		op string // "not", "-", "+"
		x  node
	}
	binNode struct {
		op   string // "+", "-", "*"
		l, r node
	}
	// cmpNode is a comparison chain: xs[0] ops[0] xs[1] ops[1] xs[2] ...
	cmpNode struct {
		ops []string // "==" "!=" "<" "<=" ">" ">=" "in" "not in" "is" "is not"
		xs  []node
	}
	boolNode struct {
		and bool
		xs  []node
	}
)

// Python keywords: none of them may be a name or an attribute; those outside
// the language are reported as unsupported.
var keywords = map[string]bool{
	"False": true, "None": true, "True": true, "and": true, "as": true,
	"assert": true, "async": true, "await": true, "break": true, "class": true,
	"continue": true, "def": true, "del": true, "elif": true, "else": true,
	"except": true, "finally": true, "for": true, "from": true, "global": true,
	"if": true, "import": true, "in": true, "is": true, "lambda": true,
	"nonlocal": true, "not": true, "or": true, "pass": true, "raise": true,
	"return": true, "try": true, "while": true, "with": true, "yield": true,
}

type parser struct {
	toks  []token
	i     int
	roots map[string]bool
	depth int
	ops   int // operators read so far, bounded by MaxOperators
}

func parse(src string, roots []string) (node, error) {
	if len(src) > MaxSourceLen {
		return nil, syntaxErr(1, "condition longer than %d bytes", MaxSourceLen)
	}
	toks, err := lex(strings.TrimLeft(src, " \t"))
	if err != nil {
		return nil, shiftColumn(err, src)
	}
	p := &parser{toks: toks, roots: make(map[string]bool, len(roots))}
	for _, r := range roots {
		p.roots[r] = true
	}
	n, err := p.expr()
	if err != nil {
		return nil, shiftColumn(err, src)
	}
	if t := p.peek(); t.kind != tEOF {
		return nil, shiftColumn(p.unexpected(t), src)
	}
	return n, nil
}

// shiftColumn accounts for the leading blanks that Python's eval ignores and
// that were trimmed before lexing.
func shiftColumn(err error, src string) error {
	se, ok := err.(*SyntaxError)
	if !ok {
		return err
	}
	lead := len(src) - len(strings.TrimLeft(src, " \t"))
	return &SyntaxError{Column: se.Column + lead, Msg: se.Msg}
}

func (p *parser) peek() token { return p.toks[p.i] }

func (p *parser) take() token {
	t := p.toks[p.i]
	if t.kind != tEOF {
		p.i++
	}
	return t
}

func (p *parser) isOp(text string) bool {
	t := p.peek()
	return t.kind == tOp && t.text == text
}

func (p *parser) isKeyword(text string) bool {
	t := p.peek()
	return t.kind == tName && t.text == text
}

func (p *parser) unexpected(t token) error {
	switch t.kind {
	case tEOF:
		return syntaxErr(t.col, "unexpected end of condition")
	case tName:
		if keywords[t.text] {
			return syntaxErr(t.col, "keyword %q is not supported here", t.text)
		}
		return syntaxErr(t.col, "unexpected name")
	case tOp:
		return syntaxErr(t.col, "operator %q is not supported here", t.text)
	}
	return syntaxErr(t.col, "unexpected literal")
}

// enter bounds the recursion: it is called before descending into a nested
// construct.
func (p *parser) enter(col int) error {
	p.depth++
	if p.depth > MaxNesting {
		return syntaxErr(col, "nesting deeper than %d", MaxNesting)
	}
	return nil
}

func (p *parser) leave() { p.depth-- }

// operators counts n more operators read at col; past MaxOperators the
// condition is rejected before govaluate sees it.
func (p *parser) operators(col, n int) error {
	p.ops += n
	if p.ops > MaxOperators {
		return syntaxErr(col, "condition too complex: more than %d operators", MaxOperators)
	}
	return nil
}

// expr := and ('or' and)*
func (p *parser) expr() (node, error) {
	return p.boolChain("or", p.andExpr)
}

func (p *parser) andExpr() (node, error) {
	return p.boolChain("and", p.notExpr)
}

func (p *parser) boolChain(kw string, operand func() (node, error)) (node, error) {
	x, err := operand()
	if err != nil {
		return nil, err
	}
	if !p.isKeyword(kw) {
		return x, nil
	}
	b := &boolNode{and: kw == "and", xs: []node{x}}
	for p.isKeyword(kw) {
		if err := p.operators(p.take().col, 1); err != nil {
			return nil, err
		}
		y, err := operand()
		if err != nil {
			return nil, err
		}
		b.xs = append(b.xs, y)
	}
	return b, nil
}

// notExpr := 'not' notExpr | comparison
func (p *parser) notExpr() (node, error) {
	if !p.isKeyword("not") {
		return p.comparison()
	}
	t := p.take()
	return p.prefix(t, "not", p.notExpr)
}

// compOp reads a comparison operator, if one is next.
func (p *parser) compOp() (string, bool) {
	t := p.peek()
	switch {
	case t.kind == tOp && (t.text == "==" || t.text == "!=" || t.text == "<" || t.text == "<=" || t.text == ">" || t.text == ">="):
		p.take()
		return t.text, true
	case t.kind == tName && t.text == "in":
		p.take()
		return "in", true
	case t.kind == tName && t.text == "not" && p.toks[p.i+1].kind == tName && p.toks[p.i+1].text == "in":
		p.take()
		p.take()
		return "not in", true
	case t.kind == tName && t.text == "is":
		p.take()
		if p.isKeyword("not") {
			p.take()
			return "is not", true
		}
		return "is", true
	}
	return "", false
}

// comparison := sum (compOp sum)*; `is` and `is not` only take None, the
// only identity test the language has.
func (p *parser) comparison() (node, error) {
	x, err := p.sum()
	if err != nil {
		return nil, err
	}
	var c *cmpNode
	for {
		opCol := p.peek().col
		op, ok := p.compOp()
		if !ok {
			break
		}
		if err := p.operators(opCol, 1); err != nil {
			return nil, err
		}
		if c == nil {
			c = &cmpNode{xs: []node{x}}
		}
		rcol := p.peek().col
		y, err := p.sum()
		if err != nil {
			return nil, err
		}
		if lit, isLit := y.(*litNode); (op == "is" || op == "is not") && (!isLit || lit.v != none) {
			return nil, syntaxErr(rcol, "only 'is None' and 'is not None' are supported")
		}
		c.ops = append(c.ops, op)
		c.xs = append(c.xs, y)
	}
	if c == nil {
		return x, nil
	}
	return c, nil
}

// sum := term (('+'|'-') term)*
func (p *parser) sum() (node, error) {
	return p.binary([]string{"+", "-"}, p.term)
}

// term := unary ('*' unary)*
func (p *parser) term() (node, error) {
	return p.binary([]string{"*"}, p.unary)
}

func (p *parser) binary(ops []string, operand func() (node, error)) (node, error) {
	x, err := operand()
	if err != nil {
		return nil, err
	}
	for {
		t := p.peek()
		if t.kind != tOp || !slices.Contains(ops, t.text) {
			return x, nil
		}
		p.take()
		if err := p.operators(t.col, 1); err != nil {
			return nil, err
		}
		y, err := operand()
		if err != nil {
			return nil, err
		}
		x = &binNode{op: t.text, l: x, r: y}
	}
}

// unary := ('-'|'+') unary | primary
func (p *parser) unary() (node, error) {
	if !p.isOp("-") && !p.isOp("+") {
		return p.primary()
	}
	t := p.take()
	return p.prefix(t, t.text, p.unary)
}

// prefix parses the operand of the prefix operator t with operand, counting
// t against the nesting and operator limits before recursing, so that a long
// run of prefixes ("not not not ...", "- - - ...") cannot exhaust the stack.
func (p *parser) prefix(t token, op string, operand func() (node, error)) (node, error) {
	if err := p.enter(t.col); err != nil {
		return nil, err
	}
	defer p.leave()
	if err := p.operators(t.col, 1); err != nil {
		return nil, err
	}
	x, err := operand()
	if err != nil {
		return nil, err
	}
	return &unaryNode{op: op, x: x}, nil
}

// primary := atom, refusing what Python would read as a call, a subscript
// or an attribute of something other than a root name.
func (p *parser) primary() (node, error) {
	x, err := p.atom()
	if err != nil {
		return nil, err
	}
	t := p.peek()
	if t.kind != tOp {
		return x, nil
	}
	switch t.text {
	case "(":
		return nil, syntaxErr(t.col, "calls are not supported")
	case "[":
		return nil, syntaxErr(t.col, "subscripts are not supported")
	case ".":
		return nil, syntaxErr(t.col, "attribute access is only supported on a root name")
	}
	return x, nil
}

func (p *parser) atom() (node, error) {
	t := p.peek()
	switch t.kind {
	case tInt:
		p.take()
		return &litNode{v: intV(t.ival)}, nil
	case tFloat:
		p.take()
		return &litNode{v: t.fval}, nil
	case tStr:
		return p.strings(), nil
	case tName:
		return p.name()
	case tOp:
		switch t.text {
		case "(":
			return p.paren()
		case "[":
			return p.list()
		case "{":
			return nil, syntaxErr(t.col, "dicts and sets are not supported")
		}
	}
	return nil, p.unexpected(t)
}

// strings joins adjacent string literals, as Python does.
func (p *parser) strings() node {
	t := p.take()
	s := t.text
	for p.peek().kind == tStr {
		s += p.take().text
	}
	return &litNode{v: s}
}

func (p *parser) name() (node, error) {
	t := p.take()
	switch t.text {
	case "True":
		return &litNode{v: true}, nil
	case "False":
		return &litNode{v: false}, nil
	case "None":
		return &litNode{v: none}, nil
	}
	if keywords[t.text] {
		return nil, syntaxErr(t.col, "keyword %q is not supported here", t.text)
	}
	if strings.Contains(t.text, "__") {
		return nil, syntaxErr(t.col, "names with '__' are not allowed")
	}
	if !p.roots[t.text] {
		return nil, syntaxErr(t.col, "unknown name: a condition starts from one of its roots")
	}
	n := &pathNode{root: t.text}
	for p.isOp(".") {
		p.take()
		a := p.peek()
		if a.kind != tName {
			return nil, syntaxErr(a.col, "attribute name expected")
		}
		if keywords[a.text] {
			return nil, syntaxErr(a.col, "keyword %q is not an attribute", a.text)
		}
		if strings.Contains(a.text, "__") {
			return nil, syntaxErr(a.col, "names with '__' are not allowed")
		}
		p.take()
		n.path = append(n.path, a.text)
	}
	return n, nil
}

// paren reads a parenthesised expression or a tuple: (), (x,), (x, y).
func (p *parser) paren() (node, error) {
	open := p.take()
	if err := p.enter(open.col); err != nil {
		return nil, err
	}
	defer p.leave()
	if p.isOp(")") {
		p.take()
		return &seqNode{tuple: true}, nil
	}
	x, err := p.expr()
	if err != nil {
		return nil, err
	}
	if p.isOp(")") {
		p.take()
		return x, nil
	}
	if !p.isOp(",") {
		return nil, p.closing(")")
	}
	elems, err := p.elements([]node{x}, ")")
	if err != nil {
		return nil, err
	}
	return p.sequence(true, elems, open.col)
}

func (p *parser) list() (node, error) {
	open := p.take()
	if err := p.enter(open.col); err != nil {
		return nil, err
	}
	defer p.leave()
	if p.isOp("]") {
		p.take()
		return &seqNode{}, nil
	}
	x, err := p.expr()
	if err != nil {
		return nil, err
	}
	if p.isKeyword("for") {
		return nil, syntaxErr(p.peek().col, "comprehensions are not supported")
	}
	elems := []node{x}
	if p.isOp(",") {
		if elems, err = p.elements(elems, "]"); err != nil {
			return nil, err
		}
		return p.sequence(false, elems, open.col)
	}
	if !p.isOp("]") {
		return nil, p.closing("]")
	}
	p.take()
	return p.sequence(false, elems, open.col)
}

// sequence makes a list or tuple node. Its elements count as operators
// unless all are literals: such a sequence is one constant to govaluate.
func (p *parser) sequence(tuple bool, elems []node, col int) (node, error) {
	if _, constant := literals(elems); !constant {
		if err := p.operators(col, len(elems)); err != nil {
			return nil, err
		}
	}
	return &seqNode{tuple: tuple, elems: elems}, nil
}

// elements reads ", x, y ...)" after a first element, trailing comma allowed.
func (p *parser) elements(elems []node, closer string) ([]node, error) {
	for p.isOp(",") {
		p.take()
		if p.isOp(closer) {
			break
		}
		x, err := p.expr()
		if err != nil {
			return nil, err
		}
		elems = append(elems, x)
	}
	if !p.isOp(closer) {
		return nil, p.closing(closer)
	}
	p.take()
	return elems, nil
}

func (p *parser) closing(closer string) error {
	t := p.peek()
	if t.kind == tName && t.text == "for" {
		return syntaxErr(t.col, "comprehensions are not supported")
	}
	if t.kind == tEOF {
		return syntaxErr(t.col, "%q expected", closer)
	}
	return p.unexpected(t)
}
