package workflow

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/kycsdk/kyc/internal/condition"
)

// Transition is one element of the seed's workflow JSON (seed 003, 3.3.1):
// a move from Source to Dest, allowed when Condition (if any) is true. Label
// is an optional readable text for diagrams.
type Transition struct {
	Source    string `json:"source"`
	Dest      string `json:"dest"`
	Condition string `json:"condition,omitempty"`
	Label     string `json:"label,omitempty"`
}

// Roots are the names a workflow condition starts from: the profile and the
// operator's security context (seed 003, 3.3.1).
var Roots = []string{"dprofile", "context"}

// Option configures Compile.
type Option func(*config)

type config struct {
	states  []string
	initial string
}

// WithStates declares the workflow's states: every transition must then
// use declared states only, and every declared state must be used.
func WithStates(states ...string) Option {
	return func(c *config) { c.states = append([]string(nil), states...) }
}

// WithInitial declares the state new profiles start in; it must be a state
// of the workflow. Without it the initial state is the source of the first
// transition ("creating" in both workflows of the seed).
func WithInitial(state string) Option {
	return func(c *config) { c.initial = state }
}

// Workflow is a compiled state machine. It keeps no state of its own: the
// profile carries its state. It is immutable and safe for concurrent use.
type Workflow struct {
	transitions []Transition
	conds       []*condition.Expr // per transition; nil when unconditioned
	exprs       []*condition.Expr // distinct conditions, each evaluated once per call
	condIdx     []int             // per transition: index into exprs, or -1
	bySource    map[string][]int
	states      []string
	initial     string
}

var (
	//go:embed default.json
	defaultJSON []byte
	//go:embed makerchecker.json
	makerCheckerJSON []byte

	defaultWorkflow      = mustCompile(defaultJSON)
	makerCheckerWorkflow = mustCompile(makerCheckerJSON)
)

func mustCompile(data []byte) *Workflow {
	w, err := Compile(data)
	if err != nil {
		panic(err) // the built-in definitions are tested; this cannot happen
	}
	return w
}

// Default returns the seed's default workflow (seed 003, 3.3.1): creating,
// pending, under_review, then active once the watchlists were checked, the
// risk assessed and no case is open; banned, inactive and back.
func Default() *Workflow { return defaultWorkflow }

// MakerChecker returns the seed's maker-and-checker workflow (seed 003,
// 3.3.2), as its JSON defines it: under_review may go to active on the
// risk condition, or to pending_approval, which only a
// tenant_backoffice_supervisor may leave.
func MakerChecker() *Workflow { return makerCheckerWorkflow }

// DefaultJSON returns the JSON text of Default: the seed's, with labels from
// the seed's diagram.
func DefaultJSON() []byte { return bytes.Clone(defaultJSON) }

// MakerCheckerJSON returns the JSON text of MakerChecker.
func MakerCheckerJSON() []byte { return bytes.Clone(makerCheckerJSON) }

// Compile loads a workflow from the seed's JSON list of transitions and
// compiles every condition once. It returns a *CompileError listing every
// problem: JSON that is not such a list, an empty state name, a duplicate
// transition, a condition that does not parse (with the transition and the
// column), and states that disagree with WithStates or WithInitial.
func Compile(transitionsJSON []byte, opts ...Option) (*Workflow, error) {
	var ts []Transition
	dec := json.NewDecoder(bytes.NewReader(transitionsJSON))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&ts); err != nil {
		return nil, &CompileError{Problems: []Problem{{Transition: -1, Msg: "not a JSON list of transitions: " + jsonProblem(err)}}}
	}
	if dec.More() {
		return nil, &CompileError{Problems: []Problem{{Transition: -1, Msg: "trailing data after the list of transitions"}}}
	}
	return New(ts, opts...)
}

// jsonProblem describes a decoding error without quoting the input.
func jsonProblem(err error) string {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return fmt.Sprintf("syntax error at offset %d", se.Offset)
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		if te.Field == "" {
			return "wrong type at the top level"
		}
		return fmt.Sprintf("wrong type at %s", te.Field)
	}
	// The decoder reports a key outside {source, dest, condition, label}
	// only in its message, which names the key and nothing else.
	if msg, ok := strings.CutPrefix(err.Error(), "json: "); ok && strings.HasPrefix(msg, "unknown field") {
		return msg
	}
	return "unexpected content"
}

// New compiles a workflow from transitions already decoded; see Compile.
func New(ts []Transition, opts ...Option) (*Workflow, error) {
	var cfg config
	for _, o := range opts {
		o(&cfg)
	}
	w := &Workflow{
		transitions: append([]Transition(nil), ts...),
		conds:       make([]*condition.Expr, len(ts)),
		condIdx:     make([]int, len(ts)),
		bySource:    map[string][]int{},
	}
	var problems []Problem
	if len(ts) == 0 {
		problems = append(problems, Problem{Transition: -1, Msg: "no transitions"})
	}
	seen := map[[2]string]int{}
	bySrc := map[string]int{}
	for i, t := range ts {
		problems = append(problems, w.add(i, t, seen, bySrc)...)
	}
	problems = append(problems, w.checkStates(cfg)...)
	if len(problems) > 0 {
		return nil, &CompileError{Problems: problems}
	}
	return w, nil
}

// add checks and compiles transition i.
func (w *Workflow) add(i int, t Transition, seen map[[2]string]int, exprBySrc map[string]int) []Problem {
	var problems []Problem
	bad := func(col int, msg string) {
		problems = append(problems, Problem{Transition: i, Source: t.Source, Dest: t.Dest, Column: col, Msg: msg})
	}
	if t.Source == "" {
		bad(0, "empty source state")
	}
	if t.Dest == "" {
		bad(0, "empty destination state")
	}
	key := [2]string{t.Source, t.Dest}
	if first, dup := seen[key]; dup {
		bad(0, fmt.Sprintf("duplicate of transition %d", first))
	} else {
		seen[key] = i
	}
	w.condIdx[i] = -1
	if t.Condition != "" {
		w.compileCondition(i, t, exprBySrc, bad)
	}
	w.bySource[t.Source] = append(w.bySource[t.Source], i)
	w.addState(t.Source)
	w.addState(t.Dest)
	return problems
}

func (w *Workflow) compileCondition(i int, t Transition, exprBySrc map[string]int, bad func(int, string)) {
	if k, ok := exprBySrc[t.Condition]; ok {
		w.conds[i], w.condIdx[i] = w.exprs[k], k
		return
	}
	e, err := condition.Compile(t.Condition, condition.Options{Roots: Roots})
	if err != nil {
		var se *condition.SyntaxError
		if errors.As(err, &se) {
			bad(se.Column, "condition: "+se.Msg)
			return
		}
		bad(0, "condition: "+err.Error())
		return
	}
	exprBySrc[t.Condition] = len(w.exprs)
	w.conds[i], w.condIdx[i] = e, len(w.exprs)
	w.exprs = append(w.exprs, e)
}

func (w *Workflow) addState(s string) {
	if s == "" {
		return
	}
	for _, x := range w.states {
		if x == s {
			return
		}
	}
	w.states = append(w.states, s)
}

// checkStates compares the derived states with the declared ones.
func (w *Workflow) checkStates(cfg config) []Problem {
	var problems []Problem
	bad := func(format string, args ...any) {
		problems = append(problems, Problem{Transition: -1, Msg: fmt.Sprintf(format, args...)})
	}
	if cfg.states != nil {
		declared := map[string]bool{}
		for _, s := range cfg.states {
			if s == "" {
				bad("empty declared state")
			}
			declared[s] = true
		}
		for _, s := range w.states {
			if !declared[s] {
				bad("state %q is used by a transition but not declared", s)
			}
		}
		for _, s := range cfg.states {
			if s != "" && !w.hasState(s) {
				bad("declared state %q is used by no transition", s)
			}
		}
	}
	w.initial = cfg.initial
	if w.initial == "" && len(w.transitions) > 0 {
		w.initial = w.transitions[0].Source
	}
	if cfg.initial != "" && !w.hasState(cfg.initial) {
		bad("initial state %q is not a state of the workflow", cfg.initial)
	}
	return problems
}

func (w *Workflow) hasState(s string) bool {
	for _, x := range w.states {
		if x == s {
			return true
		}
	}
	return false
}

// States returns the workflow's states in order of first appearance.
func (w *Workflow) States() []string { return append([]string(nil), w.states...) }

// Initial returns the state new profiles start in.
func (w *Workflow) Initial() string { return w.initial }

// Transitions returns the transitions as loaded.
func (w *Workflow) Transitions() []Transition {
	return append([]Transition(nil), w.transitions...)
}

// MarshalJSON writes the workflow as the seed's JSON list.
func (w *Workflow) MarshalJSON() ([]byte, error) { return json.Marshal(w.transitions) }
