package reliability

import (
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kycsdk/kyc/internal/condition"
	"github.com/kycsdk/kyc/workflow"
)

var condOpts = condition.Options{Roots: []string{"dprofile", "context"}}

// adversarialConditions are hand-picked hostile inputs: what broke
// govaluate (Knetic/govaluate issues 162: a lone backslash, 110 and 195: a
// parameter that is not given, 114: a list on the left of IN, and the
// invalid UTF-8 of its readUntilFalse), what escapes a Python sandbox, and
// what exhausts a recursive parser.
func adversarialConditions() map[string]string {
	m := map[string]string{
		"lone backslash (govaluate #162)":    `\`,
		"backslash in a literal":             `dprofile.risk == '\`,
		"backslash escape at end":            `'\\\`,
		"unknown parameter (govaluate #110)": `2 * a`,
		"unknown root (govaluate #195)":      `X > 1`,
		"lone quote":                         `'`,
		"lone double quote":                  `"`,
		"unbalanced quotes":                  `dprofile.risk == 'high"`,
		"open paren":                         `(`,
		"close paren":                        `)`,
		"open bracket":                       `[`,
		"open brace":                         `{`,
		"dict literal":                       `{'a': 1}`,
		"bracketed parameter":                `[dprofile]`,
		"govaluate escape brackets":          `[dprofile.risk] == 'x'`,
		"dunder class":                       `dprofile.__class__`,
		"dunder mro":                         `dprofile.__class__.__mro__[1].__subclasses__()`,
		"dunder on literal":                  `''.__class__`,
		"import":                             `__import__('os').system('true')`,
		"call":                               `len(dprofile.labels) > 0`,
		"method call":                        `dprofile.risk.upper() == 'HIGH'`,
		"subscript":                          `dprofile.labels[0] == 'vip'`,
		"slice":                              `dprofile.labels[0:1]`,
		"lambda":                             `(lambda: True)()`,
		"lambda arg":                         `lambda x: x`,
		"comprehension":                      `[x for x in dprofile.labels]`,
		"conditional expression":             `1 if dprofile.risk else 2`,
		"walrus":                             `(x := 1)`,
		"statement":                          `dprofile.risk; import os`,
		"assignment":                         `dprofile.risk = 'low'`,
		"power":                              `2 ** 1000000000`,
		"govaluate ternary":                  `dprofile.risk ? 1 : 2`,
		"govaluate regex":                    `dprofile.risk =~ '.*'`,
		"govaluate bit ops":                  `1 << 70`,
		"nul byte":                           "dprofile.risk == 'a'\x00",
		"invalid UTF-8 outside a literal":    "dprofile.risk == \xff",
		"invalid UTF-8 in a name":            "dprofile.ri\xc3sk == 1",
		"truncated UTF-8":                    "dprofile.risk == 'a' and \xe2\x82",
		"blank":                              "   \t\n",
		"only operator":                      `==`,
		"trailing and":                       `dprofile.risk == 'high' and`,
		"leading or":                         `or dprofile.risk`,
		"double not in":                      `dprofile.risk not not in ('a',)`,
		"is is":                              `dprofile.risk is is None`,
		"one MB of text":                     strings.Repeat("dprofile.risk == 'high' or ", 40000) + "True",
		"one MB literal":                     "'" + strings.Repeat("a", 1<<20) + "'",
		"one MB name":                        "dprofile." + strings.Repeat("a", 1<<20),
	}
	for _, depth := range []int{10, 65, 100, 1000, 10000, 200000} {
		m[fmt.Sprintf("parens %d deep", depth)] = strings.Repeat("(", depth) + "1" + strings.Repeat(")", depth)
		m[fmt.Sprintf("unclosed parens %d deep", depth)] = strings.Repeat("(", depth)
		m[fmt.Sprintf("nots %d deep", depth)] = strings.Repeat("not ", depth) + "True"
		m[fmt.Sprintf("minus %d deep", depth)] = strings.Repeat("-", depth) + "1"
		m[fmt.Sprintf("lists %d deep", depth)] = strings.Repeat("[", depth) + strings.Repeat("]", depth)
		m[fmt.Sprintf("tuples %d deep", depth)] = strings.Repeat("(1,", depth) + strings.Repeat(")", depth)
		m[fmt.Sprintf("dots %d long", depth)] = "dprofile" + strings.Repeat(".a", depth)
	}
	return m
}

// validWithinLimits lists the adversarial inputs that are valid conditions
// within the limits (nesting up to condition.MaxNesting): they must compile
// and evaluate without panicking.
func validWithinLimits(src string) bool {
	return slices.Contains([]string{
		// govaluate's [escaped parameter] syntax is a Python list here.
		`[dprofile]`,
		`[dprofile.risk] == 'x'`,
		strings.Repeat("(", 10) + "1" + strings.Repeat(")", 10),
		strings.Repeat("not ", 10) + "True",
		strings.Repeat("-", 10) + "1",
		strings.Repeat("[", 10) + strings.Repeat("]", 10),
		strings.Repeat("(1,", 10) + strings.Repeat(")", 10),
		"dprofile" + strings.Repeat(".a", 10),
		"dprofile" + strings.Repeat(".a", 65),
		"dprofile" + strings.Repeat(".a", 100),
		"dprofile" + strings.Repeat(".a", 1000),
		"dprofile." + strings.Repeat("a", 1<<20),
	}, src)
}

// validCondition generates a random condition of the language, up to depth
// levels of and/or/not/parentheses.
func validCondition(rng *rand.Rand, depth int) string {
	if depth == 0 || rng.IntN(3) == 0 {
		return comparison(rng)
	}
	switch rng.IntN(4) {
	case 0:
		return validCondition(rng, depth-1) + " and " + validCondition(rng, depth-1)
	case 1:
		return validCondition(rng, depth-1) + " or " + validCondition(rng, depth-1)
	case 2:
		return "not " + validCondition(rng, depth-1)
	}
	return "(" + validCondition(rng, depth-1) + ")"
}

var (
	condPaths = []string{"dprofile.risk", "dprofile.state", "dprofile.open_cases", "dprofile.person_type",
		"dprofile.blacklists_checked_at", "dprofile.natural_person.name.first", "context.user", "context.scope"}
	condOps      = []string{"==", "!=", "<", "<=", ">", ">=", "in", "not in"}
	condLiterals = []string{"'high'", `"low"`, "1", "2.5", "None", "True", "('a', 'b')", "['x']", "0", "-3"}
)

func comparison(rng *rand.Rand) string {
	path := condPaths[rng.IntN(len(condPaths))]
	if rng.IntN(6) == 0 {
		return path + []string{" is None", " is not None"}[rng.IntN(2)]
	}
	return path + " " + condOps[rng.IntN(len(condOps))] + " " + condLiterals[rng.IntN(len(condLiterals))]
}

// breakers turn a valid condition into one that is malformed whatever it
// was: unbalanced brackets or quotes, a forbidden construct, an operator
// without an operand.
var breakers = []func(string) string{
	func(v string) string { return "(" + v },
	func(v string) string { return v + ")" },
	func(v string) string { return v + " (" },
	func(v string) string { return "[" + v },
	func(v string) string { return v + " ]" },
	func(v string) string { return v + " '" },
	func(v string) string { return `"` + v },
	func(v string) string { return v + ` \` },
	func(v string) string { return `\ ` + v },
	func(v string) string { return v + " and dprofile.__class__" },
	func(v string) string { return v + " or dprofile.__dict__.x" },
	func(v string) string { return "len(" + v + ")" },
	func(v string) string { return v + " and dprofile.risk()" },
	func(v string) string { return v + " and dprofile.labels[0]" },
	func(v string) string { return "lambda: " + v },
	func(v string) string { return "lambda x: " + v },
	func(v string) string { return v + " and [x for x in dprofile.labels]" },
	func(v string) string { return v + " if True else False" },
	func(v string) string { return v + " and" },
	func(v string) string { return "or " + v },
	func(v string) string { return v + " ==" },
	func(v string) string { return v + " and \xff" },
	func(v string) string { return v + " and secret.x" },
	func(v string) string { return v + " and __import__('os')" },
	func(v string) string { return "{" + v + "}" },
	func(v string) string { return v + " and 'unterminated" },
	func(v string) string { return v + "; 1" },
	func(v string) string { return strings.Repeat("(", 70) + v + strings.Repeat(")", 70) },
}

// condTiming keeps the compile times of one test.
type condTiming struct {
	times []time.Duration
	worst string
}

func (c *condTiming) add(name string, d time.Duration) {
	if len(c.times) == 0 || d > slices.Max(c.times) {
		c.worst = name
	}
	c.times = append(c.times, d)
}

func (c *condTiming) summary() (max, p99 time.Duration) {
	s := slices.Clone(c.times)
	slices.Sort(s)
	return s[len(s)-1], s[len(s)*99/100]
}

// compileSafely compiles src with both entry points, turning a panic into
// an error so that one bad input does not hide the others.
func compileSafely(src string) (condErr, wfErr error, dc, dw time.Duration, panicked any) {
	defer func() { panicked = recover() }()
	start := time.Now()
	_, condErr = condition.Compile(src, condOpts)
	dc = time.Since(start)
	doc, _ := json.Marshal([]workflow.Transition{{Source: "a", Dest: "b", Condition: src}})
	start = time.Now()
	_, wfErr = workflow.Compile(doc)
	dw = time.Since(start)
	return condErr, wfErr, dc, dw, nil
}

// TestHostileConditions compiles the adversarial inputs and at least 10,000
// generated malformed conditions through condition.Compile and
// workflow.Compile: each must be a typed error, without a panic, fast.
func TestHostileConditions(t *testing.T) {
	var timing, wfTiming condTiming
	check := func(name, src string, wantErr bool) {
		condErr, wfErr, dc, dw, p := compileSafely(src)
		if p != nil {
			t.Errorf("%s: panic: %v", name, p)
			return
		}
		timing.add(name, dc)
		wfTiming.add(name, dw)
		if dc > time.Second || dw > time.Second {
			t.Errorf("%s: compiling took %v (condition), %v (workflow)", name, dc, dw)
		}
		if !wantErr {
			return
		}
		var se *condition.SyntaxError
		if !errors.As(condErr, &se) {
			t.Errorf("%s: condition.Compile = %v, want a *condition.SyntaxError", name, condErr)
		}
		var ce *workflow.CompileError
		if !errors.As(wfErr, &ce) || !errors.Is(wfErr, workflow.ErrInvalid) {
			t.Errorf("%s: workflow.Compile = %v, want a *workflow.CompileError", name, wfErr)
		}
	}
	// An empty condition is no condition to a workflow, and nothing to
	// compile to condition.Compile.
	if _, err := condition.Compile("", condOpts); !errors.Is(err, condition.ErrSyntax) {
		t.Errorf("empty condition: got %v, want ErrSyntax", err)
	}
	for name, src := range adversarialConditions() {
		check(name, src, !validWithinLimits(src))
	}
	rng := rand.New(rand.NewPCG(11, 162))
	n := *flagConds
	for i := range n {
		base := validCondition(rng, 4)
		if _, err := condition.Compile(base, condOpts); err != nil && len(base) <= condition.MaxSourceLen {
			t.Fatalf("the generator made an invalid base condition: %v", err)
		}
		k := rng.IntN(len(breakers))
		check(fmt.Sprintf("generated %d (breaker %d)", i, k), breakers[k](base), true)
	}
	max, p99 := timing.summary()
	wmax, wp99 := wfTiming.summary()
	t.Logf("conditions compiled: %d (%d adversarial, %d generated malformed); condition.Compile max %v (%s), p99 %v; workflow.Compile max %v (%s), p99 %v",
		len(timing.times), len(timing.times)-n, n, max, timing.worst, p99, wmax, wfTiming.worst, wp99)
	if !raceEnabled && p99 > 10*time.Millisecond {
		t.Errorf("p99 compile time %v, over the 10 ms budget", p99)
	}
}

// TestHostileConditionsEvaluate evaluates the adversarial conditions that
// compile, over documents that provoke govaluate's known evaluation panics
// (a list on the left of IN, issue 114; a parameter that is absent, issues
// 110 and 195): a value or an *EvalError, never a panic.
func TestHostileConditionsEvaluate(t *testing.T) {
	env := condition.MapEnv{
		"dprofile": map[string]any{"labels": []any{"a", "b"}, "risk": nil, "open_cases": json.Number("1e400"),
			"nested": map[string]any{"list": []any{[]any{"a"}}}},
		"context": map[string]any{"scope": []any{"x"}, "user": nil},
	}
	conds := []string{
		"dprofile.labels in ('a', 'b')",
		"dprofile.labels in dprofile.labels",
		"dprofile.nested.list in dprofile.nested.list",
		"dprofile.missing * 2 > 1",
		"dprofile.risk.level == 'x'",
		"dprofile.open_cases + 1 > 0",
		"dprofile.labels * 1000000000 == []",
		"'a' * 1000000000 == 'a'",
		"context.scope + context.scope == ['x', 'x']",
		"dprofile.labels < dprofile.risk",
		"context.user in context.user",
		"-dprofile.labels",
	}
	for _, src := range conds {
		t.Run(src, func(t *testing.T) {
			expr, err := condition.Compile(src, condOpts)
			if err != nil {
				t.Fatalf("does not compile: %v", err)
			}
			start := time.Now()
			func() {
				defer func() {
					if p := recover(); p != nil {
						t.Errorf("panic: %v", p)
					}
				}()
				_, err = expr.Truth(env)
			}()
			var ee *condition.EvalError
			if err != nil && !errors.As(err, &ee) {
				t.Errorf("got %v, want a value or a *condition.EvalError", err)
			}
			if d := time.Since(start); d > time.Second {
				t.Errorf("evaluation took %v", d)
			}
		})
	}
}
