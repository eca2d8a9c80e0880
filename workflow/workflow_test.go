package workflow_test

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/kycsdk/kyc/internal/sharedtest"
	"github.com/kycsdk/kyc/workflow"
)

func TestCompileProblems(t *testing.T) {
	tests := []struct {
		name string
		json string
		opts []workflow.Option
		want []workflow.Problem
	}{
		{
			name: "syntax error names transition and column",
			json: `[{"source":"a","dest":"b"},{"source":"b","dest":"c","condition":"dprofile.x[0]"}]`,
			want: []workflow.Problem{{Transition: 1, Source: "b", Dest: "c", Column: 11, Msg: "condition: subscripts are not supported"}},
		},
		{
			name: "every problem at once",
			json: `[{"source":"","dest":"b"},{"source":"a","dest":"b"},{"source":"a","dest":"b"},{"source":"b","dest":"a","condition":"os.system"}]`,
			want: []workflow.Problem{
				{Transition: 0, Source: "", Dest: "b", Msg: "empty source state"},
				{Transition: 2, Source: "a", Dest: "b", Msg: "duplicate of transition 1"},
				{Transition: 3, Source: "b", Dest: "a", Column: 1, Msg: "condition: unknown name: a condition starts from one of its roots"},
			},
		},
		{
			name: "empty list",
			json: `[]`,
			want: []workflow.Problem{{Transition: -1, Msg: "no transitions"}},
		},
		{
			name: "not a list",
			json: `{"source":"a"}`,
			want: []workflow.Problem{{Transition: -1, Msg: "not a JSON list of transitions: wrong type, want a list"}},
		},
		{
			name: "misspelt key",
			json: `[{"source":"a","dest":"b","conditon":"True"}]`,
			want: []workflow.Problem{{Transition: -1, Msg: "not a JSON list of transitions: [0]: unknown field \"conditon\""}},
		},
		{
			name: "declared states",
			json: `[{"source":"a","dest":"b"}]`,
			opts: []workflow.Option{workflow.WithStates("a", "c"), workflow.WithInitial("z")},
			want: []workflow.Problem{
				{Transition: -1, Msg: `state "b" is used by a transition but not declared`},
				{Transition: -1, Msg: `declared state "c" is used by no transition`},
				{Transition: -1, Msg: `initial state "z" is not a state of the workflow`},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := workflow.Compile([]byte(tt.json), tt.opts...)
			var ce *workflow.CompileError
			if !errors.As(err, &ce) || !errors.Is(err, workflow.ErrInvalid) {
				t.Fatalf("Compile = %v, want *CompileError", err)
			}
			if diff := cmp.Diff(tt.want, ce.Problems); diff != "" {
				t.Errorf("problems (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCompileDeclared(t *testing.T) {
	w, err := workflow.Compile(workflow.DefaultJSON(),
		workflow.WithStates("creating", "pending", "under_review", "active", "banned", "inactive"),
		workflow.WithInitial("pending"))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff("pending", w.Initial()); diff != "" {
		t.Errorf("Initial (-want +got):\n%s", diff)
	}
}

// TestRootsFresh checks that a caller who changes the slice Roots returns
// changes only its own copy: conditions still start from dprofile.
func TestRootsFresh(t *testing.T) {
	workflow.Roots()[0] = "other"
	if diff := cmp.Diff([]string{"dprofile", "context"}, workflow.Roots()); diff != "" {
		t.Errorf("Roots() (-want +got):\n%s", diff)
	}
	if _, err := workflow.Compile([]byte(`[{"source":"a","dest":"b","condition":"dprofile.open_cases == 0"}]`)); err != nil {
		t.Errorf("a dprofile condition no longer compiles: %v", err)
	}
}

func TestBuiltins(t *testing.T) {
	tests := []struct {
		name    string
		w       *workflow.Workflow
		states  []string
		initial string
	}{
		{"default", workflow.Default(), []string{"creating", "pending", "under_review", "active", "banned", "inactive"}, "creating"},
		{"maker-checker", workflow.MakerChecker(), []string{"creating", "pending", "under_review", "active", "pending_approval", "banned", "inactive"}, "creating"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.states, tt.w.States()); diff != "" {
				t.Errorf("States (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.initial, tt.w.Initial()); diff != "" {
				t.Errorf("Initial (-want +got):\n%s", diff)
			}
		})
	}
}

// seedSection returns the lines of seed 003 between the line equal to start
// (after the line containing after) and the line starting with stop.
func seedSection(t *testing.T, after, start, stop string) []string {
	t.Helper()
	text := string(sharedtest.Read(t, "seeds/003_4c5ea5c90f46f665.txt"))
	i := strings.Index(text, after)
	if i < 0 {
		t.Fatalf("seed 003 has no %q", after)
	}
	var out []string
	in := false
	for _, line := range strings.Split(text[i:], "\n") {
		switch {
		case !in && line == start:
			in = true
		case in && strings.HasPrefix(line, stop):
			return out
		}
		if in {
			out = append(out, line)
		}
	}
	t.Fatalf("seed 003: section %q not closed by %q", start, stop)
	return nil
}

// seedTransitions extracts the transitions JSON that follows a heading.
func seedTransitions(t *testing.T, after string) []byte {
	t.Helper()
	lines := seedSection(t, after, "[", "]")
	return []byte(strings.Join(append(lines, "]"), "\n"))
}

// TestBuiltinsAreTheSeed checks that the JSON kept in the package is the
// seed's, labels aside.
func TestBuiltinsAreTheSeed(t *testing.T) {
	tests := []struct {
		name, after string
		w           *workflow.Workflow
	}{
		{"default", "This workflow can be achieved", workflow.Default()},
		{"maker-checker", "The following is the configuration for the maker & checker workflow", workflow.MakerChecker()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			seed, err := workflow.Compile(seedTransitions(t, tt.after))
			if err != nil {
				t.Fatal(err)
			}
			got := tt.w.Transitions()
			for i := range got {
				got[i].Label = ""
			}
			if diff := cmp.Diff(seed.Transitions(), got); diff != "" {
				t.Errorf("transitions (-seed +package):\n%s", diff)
			}
		})
	}
}

// TestMarshalJSONCompilesBack exports the built-in workflows as
// configuration and compiles the export again: the same transitions, labels
// and conditions included.
func TestMarshalJSONCompilesBack(t *testing.T) {
	for _, w := range []*workflow.Workflow{workflow.Default(), workflow.MakerChecker()} {
		data, err := w.MarshalJSON()
		if err != nil {
			t.Fatal(err)
		}
		again, err := workflow.Compile(data)
		if err != nil {
			t.Fatalf("Compile(MarshalJSON()): %v", err)
		}
		if diff := cmp.Diff(w.Transitions(), again.Transitions()); diff != "" {
			t.Errorf("transitions (-exported +compiled again):\n%s", diff)
		}
	}
}

// TestDefaultMermaidIsTheSeedDiagram renders the default workflow and
// compares it with the seed's diagram (seed 003, 3.3.1) edge by edge: the
// same states, arrows and texts in the same order, although the package
// writes each state as a generated id with its name as a quoted label.
func TestDefaultMermaidIsTheSeedDiagram(t *testing.T) {
	lines := seedSection(t, "3.3.1 Default Workflow", "graph TD", "This workflow")
	var want []edge
	for _, line := range lines[1:] {
		m := mermaidEdge.FindStringSubmatch(line)
		if m == nil {
			t.Fatalf("seed diagram line not understood: %q", line)
		}
		want = append(want, edge{m[1], m[3], strings.ReplaceAll(m[2], "<br>", "\n")})
	}
	_, got := parseMermaid(t, workflow.Default().Mermaid())
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Mermaid (-seed +got):\n%s", diff)
	}
}

var mermaidEdge = regexp.MustCompile(`^(\w+) (?:-- (.*) )?--> (\w+)$`)

// TestMakerCheckerDiagramDisagreesWithJSON records that the seed's
// maker-and-checker diagram (seed 003, 3.3.2) and its JSON disagree: the
// diagram puts the risk condition on pending -> active and a condition on
// under_review -> pending_approval, while the JSON puts the risk condition
// on under_review -> active and none on under_review -> pending_approval.
// The JSON is the behaviour.
func TestMakerCheckerDiagramDisagreesWithJSON(t *testing.T) {
	lines := seedSection(t, "3.3.2 Example", "graph TD", "The following is the configuration")
	diagram := map[string]string{}
	for _, line := range lines[1:] {
		m := mermaidEdge.FindStringSubmatch(line)
		if m == nil {
			t.Fatalf("seed diagram line not understood: %q", line)
		}
		diagram[m[1]+" -> "+m[3]] = m[2]
	}
	behaviour := map[string]string{}
	for _, tr := range workflow.MakerChecker().Transitions() {
		behaviour[tr.Source+" -> "+tr.Dest] = tr.Condition
	}
	var onlyDiagram, onlyJSON, conditionDiffers []string
	for edge, label := range diagram {
		cond, ok := behaviour[edge]
		switch {
		case !ok:
			onlyDiagram = append(onlyDiagram, edge)
		case (label == "") != (cond == ""):
			conditionDiffers = append(conditionDiffers, edge)
		}
	}
	for edge := range behaviour {
		if _, ok := diagram[edge]; !ok {
			onlyJSON = append(onlyJSON, edge)
		}
	}
	want := [][]string{{"pending -> active"}, {"under_review -> active"}, {"under_review -> pending_approval"}}
	if diff := cmp.Diff(want, [][]string{onlyDiagram, onlyJSON, conditionDiffers}); diff != "" {
		t.Errorf("[only in diagram, only in JSON, condition differs] (-want +got):\n%s", diff)
	}
	// The behaviour follows the JSON: the risk condition guards
	// under_review -> active.
	if err := workflow.MakerChecker().Can(profileIn("pending"), workflow.Operator{}, "active"); !errors.Is(err, workflow.ErrNoTransition) {
		t.Errorf("pending -> active: got %v, want ErrNoTransition", err)
	}
}

// TestStateNames: a state name has one spelling, so that a profile's state
// matches it byte for byte (issue 15, item 6). Every place a name comes
// from is checked: the transitions and every option.
func TestStateNames(t *testing.T) {
	bad := []struct{ name, state, msg string }{
		{"leading space", " review", "has leading or trailing white space"},
		{"trailing space", "review ", "has leading or trailing white space"},
		{"trailing no-break space", "review\u00a0", "has leading or trailing white space"},
		{"decomposed accent (not NFC)", "revisio\u0301n", "is not in Unicode NFC"},
		{"NUL", "a\x00b", "contains a control character"},
		{"newline", "a\nb", "contains a control character"},
		{"C1 control", "a\u0085b", "contains a control character"},
		{"line separator", "a\u2028b", "contains a control character"},
		{"bidi override", "a\u202eb", "contains a control character"},
		{"invalid UTF-8", "a\xffb", "is not valid UTF-8"},
		{"too long", strings.Repeat("x", workflow.MaxStateLen+1), fmt.Sprintf("is longer than %d bytes", workflow.MaxStateLen)},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			ts := []workflow.Transition{{Source: "a", Dest: tt.state}, {Source: tt.state, Dest: "a"}}
			assertProblems(t, ts, nil, []workflow.Problem{
				{Transition: 0, Source: "a", Dest: tt.state, Msg: "destination state " + tt.msg},
				{Transition: 1, Source: tt.state, Dest: "a", Msg: "source state " + tt.msg},
			})
			clean := []workflow.Transition{{Source: "a", Dest: "b"}}
			q := strconv.Quote(tt.state)
			assertProblems(t, clean, []workflow.Option{workflow.WithStates("a", "b", tt.state)}, []workflow.Problem{
				{Transition: -1, Msg: "declared state " + q + " " + tt.msg},
				{Transition: -1, Msg: "declared state " + q + " is used by no transition"},
			})
			assertProblems(t, clean, []workflow.Option{workflow.WithInitial(tt.state)}, []workflow.Problem{
				{Transition: -1, Msg: "initial state " + q + " " + tt.msg},
			})
			assertProblems(t, clean, []workflow.Option{workflow.WithFourEyes(tt.state)}, []workflow.Problem{
				{Transition: -1, Msg: "four-eyes state " + q + " " + tt.msg},
			})
		})
	}
	// Names that are clean although unusual load.
	for _, s := range []string{"revisión", "en révision", "審査中", "a-b.c/d", `x --> c; click a "javascript:alert(1)"`} {
		if _, err := workflow.New([]workflow.Transition{{Source: "a", Dest: s}}, workflow.WithFourEyes(s)); err != nil {
			t.Errorf("state %q: %v", s, err)
		}
	}
}

// TestProblemTextQuotesNames: a name that is refused is printed quoted, so
// that it cannot rewrite the line of an error or a log.
func TestProblemTextQuotesNames(t *testing.T) {
	_, err := workflow.New([]workflow.Transition{{Source: "a\nlevel=ERROR", Dest: "b"}})
	if err == nil || strings.Contains(err.Error(), "\n") {
		t.Fatalf("Compile = %q, want an error on one line", err)
	}
	want := `workflow: invalid workflow: transition 0 ("a\nlevel=ERROR" -> b): source state contains a control character`
	if diff := cmp.Diff(want, err.Error()); diff != "" {
		t.Errorf("error text (-want +got):\n%s", diff)
	}
}

func assertProblems(t *testing.T, ts []workflow.Transition, opts []workflow.Option, want []workflow.Problem) {
	t.Helper()
	_, err := workflow.New(ts, opts...)
	var ce *workflow.CompileError
	if !errors.As(err, &ce) {
		t.Fatalf("New = %v, want *CompileError", err)
	}
	if diff := cmp.Diff(want, ce.Problems); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}
}

// TestCompileLimits: a definition beyond the documented limits is refused
// with one problem, before its conditions are compiled; at the limits it
// loads.
func TestCompileLimits(t *testing.T) {
	ring := func(n int) []workflow.Transition {
		ts := make([]workflow.Transition, n)
		for i := range ts {
			ts[i] = workflow.Transition{Source: "s" + strconv.Itoa(i), Dest: "s" + strconv.Itoa((i+1)%n)}
		}
		return ts
	}
	if _, err := workflow.New(ring(workflow.MaxTransitions)); err != nil {
		t.Errorf("%d transitions: %v", workflow.MaxTransitions, err)
	}
	assertProblems(t, ring(workflow.MaxTransitions+1), nil, []workflow.Problem{
		{Transition: -1, Msg: fmt.Sprintf("%d transitions, the limit is %d", workflow.MaxTransitions+1, workflow.MaxTransitions)},
	})
	// A star from one state to MaxStates others has MaxStates+1 states.
	star := make([]workflow.Transition, workflow.MaxStates)
	for i := range star {
		star[i] = workflow.Transition{Source: "hub", Dest: "s" + strconv.Itoa(i)}
	}
	assertProblems(t, star, nil, []workflow.Problem{
		{Transition: -1, Msg: fmt.Sprintf("%d states, the limit is %d", workflow.MaxStates+1, workflow.MaxStates)},
	})
	assertProblems(t, []workflow.Transition{{Source: "a", Dest: "b"}}, []workflow.Option{workflow.WithStates(make([]string, workflow.MaxStates+1)...)}, []workflow.Problem{
		{Transition: -1, Msg: fmt.Sprintf("%d declared states, the limit is %d", workflow.MaxStates+1, workflow.MaxStates)},
	})
	assertProblems(t, []workflow.Transition{{Source: "a", Dest: "b"}}, []workflow.Option{workflow.WithFourEyes(make([]string, workflow.MaxStates+1)...)}, []workflow.Problem{
		{Transition: -1, Msg: fmt.Sprintf("%d four-eyes states, the limit is %d", workflow.MaxStates+1, workflow.MaxStates)},
	})
	long := []workflow.Transition{
		{Source: "a", Dest: "b", Label: strings.Repeat("x", workflow.MaxLabelLen+1)},
		{Source: "b", Dest: "a", Condition: "dprofile.risk == '" + strings.Repeat("x", workflow.MaxConditionLen) + "'"},
	}
	assertProblems(t, long, nil, []workflow.Problem{
		{Transition: 0, Source: "a", Dest: "b", Msg: fmt.Sprintf("label longer than %d bytes", workflow.MaxLabelLen)},
		{Transition: 1, Source: "b", Dest: "a", Column: 1, Msg: fmt.Sprintf("condition: condition longer than %d bytes", workflow.MaxConditionLen)},
	})
}
