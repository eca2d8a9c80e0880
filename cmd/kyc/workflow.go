package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/kycsdk/kyc/workflow"
)

func workflowCommands() []command {
	return []command{
		{group: "workflow", name: "render", usage: "FILE [--format mermaid|dot]",
			summary: "draw a workflow (a JSON list of transitions) as Mermaid or Graphviz DOT",
			run:     workflowRender},
		{group: "workflow", name: "check", usage: "FILE --profile PROFILE [--scope S]... [--user U] [--tenant T]",
			summary: "say which moves are open from a profile's state for an operator, and why the others are closed",
			run:     workflowCheck},
	}
}

func workflowRender(_ context.Context, e *env, args []string) error {
	var jsonOut bool
	fs := newFlags(e, "workflow render", "FILE [--format mermaid|dot] [--json]", &jsonOut)
	format := fs.String("format", "mermaid", "the drawing: mermaid (a graph TD) or dot (Graphviz)")
	pos, err := parse(fs, args, 1, 1)
	if err != nil {
		return err
	}
	if *format != "mermaid" && *format != "dot" {
		return usageErrorf("--format: want mermaid or dot, got %q", *format)
	}
	wf, err := loadWorkflow(e, "FILE", pos[0])
	if err != nil {
		return err
	}
	text := wf.Mermaid()
	if *format == "dot" {
		text = wf.DOT()
	}
	if jsonOut {
		return writeJSON(e.stdout, struct {
			Format string `json:"format"`
			Text   string `json:"text"`
		}{*format, text})
	}
	_, err = fmt.Fprint(e.stdout, text)
	return err
}

// moveJSON is one transition of the answer of workflow check.
type moveJSON struct {
	Dest      string `json:"dest"`
	Condition string `json:"condition,omitempty"`
	Reason    string `json:"reason,omitempty"`
}

func workflowCheck(_ context.Context, e *env, args []string) error {
	var jsonOut bool
	fs := newFlags(e, "workflow check", "FILE --profile PROFILE [--scope S]... [--user U] [--tenant T] [--json]", &jsonOut)
	profilePath := fs.String("profile", "", "the profile (seed 003 JSON) whose state the moves start from")
	var scopes listFlag
	fs.Var(&scopes, "scope", "a scope of the operator (context.scope); repeat or separate with commas")
	user := fs.String("user", "", "the operator's user (context.user)")
	tenant := fs.String("tenant", "", "the operator's tenant (context.tenant)")
	pos, err := parse(fs, args, 1, 1)
	if err != nil {
		return err
	}
	if *profilePath == "" {
		return usageErrorf("--profile is required")
	}
	wf, err := loadWorkflow(e, "FILE", pos[0])
	if err != nil {
		return err
	}
	p, err := loadProfile(e, "--profile", *profilePath)
	if err != nil {
		return err
	}
	av := wf.Available(p, workflow.Operator{Tenant: *tenant, User: *user, Scopes: scopes})
	closed := make([]moveJSON, 0, len(av.Closed))
	for _, r := range av.Closed {
		closed = append(closed, moveJSON{Dest: r.Dest, Condition: r.Condition, Reason: refusalReason(r.Reason)})
	}
	open := make([]moveJSON, 0, len(av.Open))
	for _, d := range av.Open {
		open = append(open, moveJSON{Dest: d})
	}
	if jsonOut {
		return writeJSON(e.stdout, struct {
			State  string     `json:"state"`
			Open   []moveJSON `json:"open"`
			Closed []moveJSON `json:"closed"`
		}{av.State, open, closed})
	}
	fmt.Fprintf(e.stdout, "state: %s\n", av.State)
	if len(open) == 0 && len(closed) == 0 {
		fmt.Fprintln(e.stdout, "no transition leaves this state")
	}
	for _, m := range open {
		fmt.Fprintf(e.stdout, "open    -> %s\n", m.Dest)
	}
	for _, m := range closed {
		fmt.Fprintf(e.stdout, "closed  -> %s: %s (condition: %s)\n", m.Dest, m.Reason, m.Condition)
	}
	return nil
}

// refusalReason says why a transition is closed, in terms of the condition
// and the types it met, never the profile's values.
func refusalReason(err error) string {
	var ce *workflow.ConditionError
	switch {
	case errors.As(err, &ce):
		return fmt.Sprintf("condition raised %s: %s", ce.Kind, ce.Msg)
	case errors.Is(err, workflow.ErrConditionFalse):
		return "condition is false"
	case err != nil:
		return err.Error()
	}
	return ""
}

// loadWorkflow reads and compiles the workflow of a file: the JSON list of
// {source, dest, condition} transitions of seed 003, 3.3.1.
func loadWorkflow(e *env, name, path string) (*workflow.Workflow, error) {
	return load(e, name, path, func(data []byte) (*workflow.Workflow, error) { return workflow.Compile(data) })
}
