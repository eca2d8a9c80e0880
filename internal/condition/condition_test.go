package condition_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/kycsdk/kyc/internal/condition"
	"github.com/kycsdk/kyc/profile"
)

func decode(t *testing.T, s string) any {
	t.Helper()
	var v any
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		t.Fatal(err)
	}
	return v
}

func TestEval(t *testing.T) {
	doc := `{"risk": "high", "n": 3, "f": 2.5, "big": 9007199254740993, "labels": ["vip", "retail"],
	         "obj": {"a": 1}, "empty": {}, "flag": true, "nil": null, "s": "abc"}`
	env := condition.MapEnv{"d": decode(t, doc), "c": map[string]any{"scope": []any{"op"}}}
	tests := []struct {
		name, src string
		want      any
	}{
		{"string literal", `'high'`, "high"},
		{"escapes", `"a\tb\x41\u00e9\101\q"`, "a\tbAéA\\q"},
		{"raw string", `r'a\n'`, `a\n`},
		{"adjacent strings", `'a' "b"`, "ab"},
		{"int", `1_000`, int64(1000)},
		{"hex", `0x1F`, int64(31)},
		{"float", `1.5e1`, 15.0},
		{"unary minus", `-d.n`, int64(-3)},
		{"path", `d.risk`, "high"},
		{"missing key is None", `d.nope`, nil},
		{"and returns operand", `d.n and d.risk`, "high"},
		{"and returns falsy operand", `d.nil and d.nope.x`, nil},
		{"or returns operand", `d.nil or d.n`, int64(3)},
		{"or short-circuits", `d.n or d.nope.x`, int64(3)},
		{"not", `not d.labels`, false},
		{"chained", `0 < d.n < 5`, true},
		{"chained false stops", `5 < d.n < d.nope.x`, false},
		{"int equals float", `d.n == 3.0`, true},
		{"big ints exact", `d.big == 9007199254740992`, false},
		{"bool is not a number", `d.flag == 1`, false},
		{"different types unequal", `d.risk == 1`, false},
		{"in list", `'vip' in d.labels`, true},
		{"not in list", `'x' not in d.labels`, true},
		{"in tuple", `d.n in (1, 2, 3)`, true},
		{"in string", `'b' in d.s`, true},
		{"in object", `'a' in d.obj`, true},
		{"is None", `d.nil is None`, true},
		{"is not None", `d.risk is not None`, true},
		{"list equality", `d.labels == ['vip', 'retail']`, true},
		{"list is not tuple", `d.labels == ('vip', 'retail')`, false},
		{"list ordering", `[1, 2] < [1, 3]`, true},
		{"string ordering", `'abc' < 'abd'`, true},
		{"object equality", `d.obj == d.obj`, true},
		{"add ints", `d.n + 1`, int64(4)},
		{"add float", `d.n + d.f`, 5.5},
		{"sub", `d.n - 5`, int64(-2)},
		{"mul", `d.n * 2`, int64(6)},
		{"repeat string", `'ab' * 2`, "abab"},
		{"concat lists", `[1] + [d.n]`, []any{int64(1), int64(3)}},
		{"tuple", `(1, 'a')`, condition.Tuple{int64(1), "a"}},
		{"empty object is falsy", `not d.empty`, true},
		{"precedence", `1 + 2 * 3 == 7 and not 1 > 2`, true},
		{"scope", `'op' in c.scope`, true},
		{"leading blanks", `  d.n`, int64(3)},
		{"newline in brackets", "(d.n ==\n 3)", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, err := condition.Compile(tt.src, condition.Options{Roots: []string{"d", "c"}})
			if err != nil {
				t.Fatalf("Compile(%q): %v", tt.src, err)
			}
			got, err := e.Eval(env)
			if err != nil {
				t.Fatalf("Eval(%q): %v", tt.src, err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Eval(%q) (-want +got):\n%s", tt.src, diff)
			}
		})
	}
}

func TestEvalErrors(t *testing.T) {
	env := condition.MapEnv{"d": decode(t, `{"risk": "high", "n": 3, "flag": true, "labels": ["a"]}`)}
	tests := []struct{ name, src, kind string }{
		{"attribute of None", `d.nope.x`, "AttributeError"},
		{"attribute of string", `d.risk.level`, "AttributeError"},
		{"attribute of list", `d.labels.x`, "AttributeError"},
		{"order str and int", `d.risk < 1`, "TypeError"},
		{"order bool and int", `d.flag < 1`, "TypeError"},
		{"arithmetic on None", `d.nope + 1`, "TypeError"},
		{"arithmetic on bool", `d.flag + 1`, "TypeError"},
		{"str plus int", `d.risk + 1`, "TypeError"},
		{"in None", `'a' in d.nope`, "TypeError"},
		{"int in string", `1 in d.risk`, "TypeError"},
		{"negate string", `-d.risk`, "TypeError"},
		{"overflow", `9223372036854775807 + d.n`, "OverflowError"},
		{"huge repeat", `'ab' * 9000000000`, "MemoryError"},
		{"truth error inside and", `d.n and d.nope.x`, "AttributeError"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, err := condition.Compile(tt.src, condition.Options{Roots: []string{"d"}})
			if err != nil {
				t.Fatalf("Compile(%q): %v", tt.src, err)
			}
			for _, f := range []func() error{
				func() error { _, err := e.Eval(env); return err },
				func() error { _, err := e.Truth(env); return err },
			} {
				err := f()
				var ee *condition.EvalError
				if !errors.As(err, &ee) || !errors.Is(err, condition.ErrEval) {
					t.Fatalf("%q: got %v, want *EvalError %s", tt.src, err, tt.kind)
				}
				if diff := cmp.Diff(tt.kind, ee.Kind); diff != "" {
					t.Errorf("%q: kind (-want +got):\n%s", tt.src, diff)
				}
			}
		})
	}
}

func TestSyntaxErrors(t *testing.T) {
	tests := []struct {
		name, src string
		col       int
	}{
		{"call", `len(d.x)`, 1},
		{"call on path", `d.x()`, 4},
		{"subscript", `d.labels[0]`, 9},
		{"lambda", `lambda: 1`, 1},
		{"comprehension", `[x for x in d.labels]`, 2},
		{"dunder attribute", `d.__class__`, 3},
		{"dunder name", `__import__`, 1},
		{"unknown root", `os.system`, 1},
		{"attribute of literal", `'a'.upper`, 4},
		{"attribute of parens", `(d).x`, 4},
		{"is with non-None", `d.x is True`, 8},
		{"dict", `{}`, 1},
		{"if expression", `1 if d.x else 2`, 3},
		{"unterminated string", `d.x == 'abc`, 8},
		{"bytes", `b'x'`, 1},
		{"f-string", `f'{d}'`, 1},
		{"imaginary", `1j`, 1},
		{"leading zero", `01`, 1},
		{"division", `d.x / 2`, 5},
		{"walrus", `(y := 1)`, 2},
		{"trailing operator", `d.x ==`, 7},
		{"newline outside brackets", "d.x\n== 1", 4},
		{"empty", ``, 1},
		{"column counts characters", `'é' + d.x(`, 10},
		{"too long", strings.Repeat(" ", condition.MaxSourceLen) + "1", 1},
		{"too deep", strings.Repeat("(", condition.MaxNesting+1) + "1" + strings.Repeat(")", condition.MaxNesting+1), condition.MaxNesting + 1},
		// Each level of a nested chain repeats its middle operand: the
		// compiled form would double per level.
		{"nested chains", strings.Repeat("(1 < ", 60) + "1" + strings.Repeat(" < 2)", 60), 1},
		{"too deep not", strings.Repeat("not ", condition.MaxNesting+1) + "1", 4*condition.MaxNesting + 1},
		{"too many operators", "1" + strings.Repeat("+1", condition.MaxOperators+1), 2 * (condition.MaxOperators + 1)},
		{"too many elements", "[d.x" + strings.Repeat(", d.x", condition.MaxOperators) + "]", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := condition.Compile(tt.src, condition.Options{Roots: []string{"d"}})
			var se *condition.SyntaxError
			if !errors.As(err, &se) || !errors.Is(err, condition.ErrSyntax) {
				t.Fatalf("Compile(%q) = %v, want *SyntaxError", tt.src, err)
			}
			if diff := cmp.Diff(tt.col, se.Column); diff != "" {
				t.Errorf("Compile(%q) column (-want +got):\n%s\n%v", tt.src, diff, err)
			}
		})
	}
}

func TestSyntaxErrorHidesLiterals(t *testing.T) {
	_, err := condition.Compile(`d.tax_payer_id == '20-12345678-9' (`, condition.Options{Roots: []string{"d"}})
	if err == nil || strings.Contains(err.Error(), "12345678") {
		t.Fatalf("error %v must exist and not repeat the literal", err)
	}
}

func TestDeepNestingAccepted(t *testing.T) {
	src := strings.Repeat("(", condition.MaxNesting) + "1" + strings.Repeat(")", condition.MaxNesting)
	if _, err := condition.Compile(src, condition.Options{}); err != nil {
		t.Fatalf("nesting of exactly %d: %v", condition.MaxNesting, err)
	}
}

// TestLongFlatConditions: flat chains reach MaxOperators without meeting
// the nesting limit, and evaluate as Python does.
func TestLongFlatConditions(t *testing.T) {
	n := condition.MaxOperators
	tests := []struct {
		name, src string
		want      any
	}{
		{"long sum", "1" + strings.Repeat("+1", n), int64(n + 1)},
		{"long and", "1" + strings.Repeat(" and 1", n), int64(1)},
		{"long equality chain", "1" + strings.Repeat(" == 1", n), true},
		{"long mixed sum", "1" + strings.Repeat("+2-1", n/2), int64(n/2 + 1)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, err := condition.Compile(tt.src, condition.Options{})
			if err != nil {
				t.Fatal(err)
			}
			got, err := e.Eval(nil)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestPaths(t *testing.T) {
	e, err := condition.Compile(`d.a.b != None and c.scope and d.a.b == 1 or d`, condition.Options{Roots: []string{"d", "c"}})
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{{"d", "a", "b"}, {"c", "scope"}, {"d"}}
	if diff := cmp.Diff(want, e.Paths()); diff != "" {
		t.Errorf("Paths (-want +got):\n%s", diff)
	}
	if got := e.String(); got != `d.a.b != None and c.scope and d.a.b == 1 or d` {
		t.Errorf("String() = %q", got)
	}
}

// TestTypedProfile evaluates conditions on a *profile.Profile directly,
// through Walk and the JSON tags.
func TestTypedProfile(t *testing.T) {
	yes := true
	income := int64(120000)
	p := &profile.Profile{
		Risk:                "low",
		BlacklistsCheckedAt: 1624649377278,
		PersonType:          profile.NaturalPerson,
		DeclaredIncome:      &income,
		Labels:              []string{"vip"},
		Declaration:         &profile.Declaration{PEP: &yes},
		NaturalPerson:       &profile.Natural{Name: profile.Name{First: "Ana"}},
		Metadata:            profile.Object{"segment": json.Number("7")},
	}
	env := condition.MapEnv{"d": p}
	tests := []struct {
		name, src string
		want      any
	}{
		{"named string", `d.person_type == 'natural_person'`, true},
		{"timestamp is a number", `d.blacklists_checked_at > 1600000000000`, true},
		{"pointer to int", `d.declared_income * 2`, int64(240000)},
		{"string slice is a list", `'vip' in d.labels`, true},
		{"omitempty reads None", `d.risk_calculated_at is None`, true},
		{"nil pointer reads None", `d.legal_person is None`, true},
		{"pointer to bool", `d.declaration.pep`, true},
		{"omitted pointer member", `d.declaration.fatca`, nil},
		{"nested struct", `d.natural_person.name.middle == ''`, true},
		{"not omitempty bool", `d.natural_person.is_employee`, false},
		{"object metadata", `d.metadata.segment + 1`, int64(8)},
		{"unknown field", `d.nope`, nil},
		{"json dash", `d.Unknown`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, err := condition.Compile(tt.src, condition.Options{Roots: []string{"d"}})
			if err != nil {
				t.Fatal(err)
			}
			got, err := e.Eval(env)
			if err != nil {
				t.Fatalf("Eval(%q): %v", tt.src, err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Eval(%q) (-want +got):\n%s", tt.src, diff)
			}
		})
	}
}

func TestWalk(t *testing.T) {
	p := &profile.Profile{Risk: "low"}
	tests := []struct {
		name string
		v    any
		path []string
		want any
		kind string
	}{
		{"json object", map[string]any{"a": map[string]any{"b": "x"}}, []string{"a", "b"}, "x", ""},
		{"json missing", map[string]any{}, []string{"a"}, nil, ""},
		{"json None", map[string]any{"a": nil}, []string{"a", "b"}, nil, "AttributeError"},
		{"json list", map[string]any{"a": []any{}}, []string{"a", "b"}, nil, "AttributeError"},
		{"json number", json.Number("1"), []string{"b"}, nil, "AttributeError"},
		{"struct", p, []string{"risk"}, "low", ""},
		{"struct string attr", p, []string{"risk", "level"}, nil, "AttributeError"},
		{"nil pointer", (*profile.Profile)(nil), []string{"risk"}, nil, "AttributeError"},
		{"empty path", "x", nil, "x", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := condition.Walk(tt.v, tt.path)
			var ee *condition.EvalError
			if tt.kind != "" {
				if !errors.As(err, &ee) || ee.Kind != tt.kind {
					t.Fatalf("Walk = %v, %v; want %s", got, err, tt.kind)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Walk (-want +got):\n%s", diff)
			}
		})
	}
}

// TestLargeInputs checks that huge or deeply nested documents stay bounded.
func TestLargeInputs(t *testing.T) {
	deep := any("leaf")
	for i := 0; i < 10000; i++ {
		deep = map[string]any{"x": deep}
	}
	long := make([]any, 100000)
	for i := range long {
		long[i] = json.Number("1")
	}
	env := condition.MapEnv{"d": map[string]any{"deep": deep, "long": long}}
	for _, src := range []string{`d.deep == d.deep`, `2 in d.long`, `d.long == d.long`, `d.long * 100 == []`, `d.deep`} {
		e, err := condition.Compile(src, condition.Options{Roots: []string{"d"}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.Truth(env); err != nil && !errors.Is(err, condition.ErrEval) {
			t.Errorf("%s: unexpected error %v", src, err)
		}
	}
}
