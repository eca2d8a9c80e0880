package workflow

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	"github.com/kycsdk/kyc/internal/condition"
	"github.com/kycsdk/kyc/internal/jsonconfig"
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

// Roots returns the names a workflow condition starts from: the profile and
// the operator's security context (seed 003, 3.3.1). The slice is new on
// every call, so that no caller can change what every workflow reads.
func Roots() []string { return []string{"dprofile", "context"} }

// Limits of a workflow definition, checked by Compile and New before any
// condition is compiled. The seed's workflows have at most 7 states and
// 11 transitions (seed 003, 3.3); the limits are far above any review process
// and keep a definition from a tenant's configuration from costing more
// than a fraction of a second to load.
const (
	// MaxTransitions is the most transitions a workflow may have.
	MaxTransitions = 100_000
	// MaxStates is the most states a workflow may have, and the most an
	// option (WithStates, WithFourEyes) may name.
	MaxStates = 100_000
	// MaxStateLen is the longest state name accepted, in bytes.
	MaxStateLen = 256
	// MaxLabelLen is the longest transition label accepted, in bytes.
	MaxLabelLen = 1024
	// MaxConditionLen is the longest condition accepted, in bytes.
	MaxConditionLen = condition.MaxSourceLen
)

// Option configures Compile.
type Option func(*config)

type config struct {
	states   []string
	initial  string
	fourEyes []string
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

// WithFourEyes names states whose outgoing transitions approve a maker's
// work: such a move is refused with ErrFourEyes when the operator is one of
// the makers the caller read from the profile's history (AvailableWith,
// CheckWith). The states must be states of the workflow. Given more than
// once, the states add up.
func WithFourEyes(states ...string) Option {
	return func(c *config) { c.fourEyes = append(c.fourEyes, states...) }
}

// Workflow is a compiled state machine. It keeps no state of its own: the
// profile carries its state. It is immutable and safe for concurrent use.
type Workflow struct {
	transitions []Transition
	conds       []*condition.Expr // per transition; nil when unconditioned
	exprs       []*condition.Expr // distinct conditions, each evaluated once per call
	condIdx     []int             // per transition: index into exprs, or -1
	bySource    map[string][]int
	edges       map[[2]string]int // (source, dest) -> transition index
	states      []string
	stateIdx    map[string]int // state -> index into states
	initial     string
	fourEyes    map[string]bool
	fourEyesOf  []string // sorted
}

var (
	//go:embed default.json
	defaultJSON []byte
	//go:embed makerchecker.json
	makerCheckerJSON []byte

	defaultWorkflow = mustCompile(defaultJSON)
	// The supervisor's approval of seed 003 3.3.2 is a four-eyes step: the
	// checker must not be the maker (issue 15).
	makerCheckerWorkflow = mustCompile(makerCheckerJSON, WithFourEyes("pending_approval"))
)

func mustCompile(data []byte, opts ...Option) *Workflow {
	w, err := Compile(data, opts...)
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
// tenant_backoffice_supervisor may leave. It is compiled with
// WithFourEyes("pending_approval"): the seed's supervisor approval is a
// four-eyes step, so AvailableWith and CheckWith refuse a supervisor who is
// one of the makers. A workflow that lets one person be both compiles
// MakerCheckerJSON() without the option.
func MakerChecker() *Workflow { return makerCheckerWorkflow }

// DefaultJSON returns the JSON text of Default: the seed's, with labels from
// the seed's diagram.
func DefaultJSON() []byte { return bytes.Clone(defaultJSON) }

// MakerCheckerJSON returns the JSON text of MakerChecker.
func MakerCheckerJSON() []byte { return bytes.Clone(makerCheckerJSON) }

// Compile loads a workflow from the seed's JSON list of transitions and
// compiles every condition once. It returns a *CompileError listing every
// problem: JSON that is not such a list, more than MaxTransitions
// transitions or MaxStates states, a state name that is not clean (see
// below), a duplicate transition, a label or condition that is too long, a
// condition that does not parse (with the transition and the column), and
// states that disagree with WithStates, WithInitial or WithFourEyes.
//
// A state name is compared byte for byte with the profile's state, so a
// name must have one spelling: it is refused when empty, longer than
// MaxStateLen, not valid UTF-8, not in Unicode NFC, with leading or
// trailing white space, or with a control character (C0, C1, line and
// paragraph separators, bidirectional controls), which would also let a
// name rewrite the lines of an error, a log or a diagram (issue 15).
//
// The work is linear in the size of the definition.
func Compile(transitionsJSON []byte, opts ...Option) (*Workflow, error) {
	var ts []Transition
	if err := jsonconfig.Decode(transitionsJSON, &ts); err != nil {
		return nil, &CompileError{Problems: []Problem{{Transition: -1, Msg: "not a JSON list of transitions: " + err.Error()}}}
	}
	return New(ts, opts...)
}

// New compiles a workflow from transitions already decoded; see Compile.
func New(ts []Transition, opts ...Option) (*Workflow, error) {
	var cfg config
	for _, o := range opts {
		o(&cfg)
	}
	if p := sizeProblems(ts, cfg); p != nil {
		return nil, &CompileError{Problems: p}
	}
	b := builder{
		w: &Workflow{
			transitions: append([]Transition(nil), ts...),
			conds:       make([]*condition.Expr, len(ts)),
			condIdx:     make([]int, len(ts)),
			bySource:    map[string][]int{},
			edges:       make(map[[2]string]int, len(ts)),
			stateIdx:    map[string]int{},
		},
		exprBySrc: map[string]int{},
	}
	if len(ts) == 0 {
		b.problems = append(b.problems, Problem{Transition: -1, Msg: "no transitions"})
	}
	for i, t := range ts {
		b.add(i, t)
	}
	b.checkStates(cfg)
	if len(b.problems) > 0 {
		return nil, &CompileError{Problems: b.problems}
	}
	return b.w, nil
}

// sizeProblems refuses a definition beyond the limits before any work
// proportional to it is done.
func sizeProblems(ts []Transition, cfg config) []Problem {
	switch {
	case len(ts) > MaxTransitions:
		return []Problem{{Transition: -1, Msg: fmt.Sprintf("%d transitions, the limit is %d", len(ts), MaxTransitions)}}
	case len(cfg.states) > MaxStates:
		return []Problem{{Transition: -1, Msg: fmt.Sprintf("%d declared states, the limit is %d", len(cfg.states), MaxStates)}}
	case len(cfg.fourEyes) > MaxStates:
		return []Problem{{Transition: -1, Msg: fmt.Sprintf("%d four-eyes states, the limit is %d", len(cfg.fourEyes), MaxStates)}}
	}
	return nil
}

// builder holds what Compile needs only while it loads a workflow.
type builder struct {
	w         *Workflow
	exprBySrc map[string]int // condition text -> index into w.exprs
	problems  []Problem
}

// add checks and compiles transition i.
func (b *builder) add(i int, t Transition) {
	w := b.w
	bad := func(col int, msg string) {
		b.problems = append(b.problems, Problem{Transition: i, Source: t.Source, Dest: t.Dest, Column: col, Msg: msg})
	}
	if msg := nameProblem(t.Source); msg != "" {
		bad(0, stateProblem("source", msg))
	}
	if msg := nameProblem(t.Dest); msg != "" {
		bad(0, stateProblem("destination", msg))
	}
	if len(t.Label) > MaxLabelLen {
		bad(0, fmt.Sprintf("label longer than %d bytes", MaxLabelLen))
	}
	key := [2]string{t.Source, t.Dest}
	if first, dup := w.edges[key]; dup {
		bad(0, fmt.Sprintf("duplicate of transition %d", first))
	} else {
		w.edges[key] = i
	}
	w.condIdx[i] = -1
	if t.Condition != "" {
		b.compileCondition(i, t, bad)
	}
	w.bySource[t.Source] = append(w.bySource[t.Source], i)
	b.addState(t.Source)
	b.addState(t.Dest)
}

// stateProblem words a name problem for a transition's end: "empty source
// state", "source state is not in Unicode NFC".
func stateProblem(role, msg string) string {
	if msg == "empty" {
		return "empty " + role + " state"
	}
	return role + " state " + msg
}

func (b *builder) compileCondition(i int, t Transition, bad func(int, string)) {
	w := b.w
	if k, ok := b.exprBySrc[t.Condition]; ok {
		w.conds[i], w.condIdx[i] = w.exprs[k], k
		return
	}
	e, err := condition.Compile(t.Condition, condition.Options{Roots: Roots()})
	if err != nil {
		var se *condition.SyntaxError
		if errors.As(err, &se) {
			bad(se.Column, "condition: "+se.Msg)
			return
		}
		bad(0, "condition: "+err.Error())
		return
	}
	b.exprBySrc[t.Condition] = len(w.exprs)
	w.conds[i], w.condIdx[i] = e, len(w.exprs)
	w.exprs = append(w.exprs, e)
}

func (b *builder) addState(s string) {
	w := b.w
	if s == "" || w.hasState(s) {
		return
	}
	w.stateIdx[s] = len(w.states)
	w.states = append(w.states, s)
}

// checkStates compares the derived states with the declared ones and
// records the initial and four-eyes states.
func (b *builder) checkStates(cfg config) {
	w := b.w
	bad := func(format string, args ...any) {
		b.problems = append(b.problems, Problem{Transition: -1, Msg: fmt.Sprintf(format, args...)})
	}
	if len(w.states) > MaxStates {
		bad("%d states, the limit is %d", len(w.states), MaxStates)
	}
	if cfg.states != nil {
		declared := make(map[string]bool, len(cfg.states))
		for _, s := range cfg.states {
			if msg := nameProblem(s); msg != "" {
				bad("%s", optionProblem("declared", s, msg))
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
	if cfg.initial != "" {
		if msg := nameProblem(cfg.initial); msg != "" {
			bad("%s", optionProblem("initial", cfg.initial, msg))
		} else if !w.hasState(cfg.initial) {
			bad("initial state %q is not a state of the workflow", cfg.initial)
		}
	}
	b.checkFourEyes(cfg.fourEyes, bad)
}

func (b *builder) checkFourEyes(states []string, bad func(string, ...any)) {
	w := b.w
	if len(states) == 0 {
		return
	}
	w.fourEyes = make(map[string]bool, len(states))
	for _, s := range states {
		switch msg := nameProblem(s); {
		case msg != "":
			bad("%s", optionProblem("four-eyes", s, msg))
		case !w.hasState(s):
			bad("four-eyes state %q is not a state of the workflow", s)
		case !w.fourEyes[s]:
			w.fourEyes[s] = true
			w.fourEyesOf = append(w.fourEyesOf, s)
		}
	}
	slices.Sort(w.fourEyesOf)
}

// optionProblem words a name problem for a state named by an option.
func optionProblem(role, s, msg string) string {
	if msg == "empty" {
		return "empty " + role + " state"
	}
	return fmt.Sprintf("%s state %q %s", role, s, msg)
}

func (w *Workflow) hasState(s string) bool {
	_, ok := w.stateIdx[s]
	return ok
}

// States returns the workflow's states in order of first appearance.
func (w *Workflow) States() []string { return append([]string(nil), w.states...) }

// Initial returns the state new profiles start in.
func (w *Workflow) Initial() string { return w.initial }

// FourEyes reports whether moves out of state need a checker who is not a
// maker (WithFourEyes).
func (w *Workflow) FourEyes(state string) bool { return w.fourEyes[state] }

// FourEyesStates returns the states of WithFourEyes, sorted.
func (w *Workflow) FourEyesStates() []string { return slices.Clone(w.fourEyesOf) }

// Transitions returns the transitions as loaded.
func (w *Workflow) Transitions() []Transition { return slices.Clone(w.transitions) }

// MarshalJSON writes the workflow as the seed's JSON list. Options are not
// part of that list: a workflow compiled with WithFourEyes, WithStates or
// WithInitial needs them again when it is compiled from this JSON.
func (w *Workflow) MarshalJSON() ([]byte, error) { return json.Marshal(w.transitions) }
