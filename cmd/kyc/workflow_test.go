package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestWorkflowRender checks the drawings against the workflow package's own
// golden files of the seed's default workflow.
func TestWorkflowRender(t *testing.T) {
	for _, format := range []string{"mermaid", "dot"} {
		golden := map[string]string{"mermaid": "default.mmd", "dot": "default.dot"}[format]
		want, err := os.ReadFile(filepath.Join("..", "..", "workflow", "testdata", golden))
		if err != nil {
			t.Fatal(err)
		}
		r := runKYC(t, "", "workflow", "render", "testdata/workflow.json", "--format", format).want(t, exitOK)
		if diff := cmp.Diff(string(want), r.stdout); diff != "" {
			t.Errorf("%s (-want +got):\n%s", format, diff)
		}
		var out struct {
			Format string `json:"format"`
			Text   string `json:"text"`
		}
		runKYC(t, "", "workflow", "render", "testdata/workflow.json", "--format", format, "--json").want(t, exitOK).decode(t, &out)
		if out.Format != format || out.Text != string(want) {
			t.Errorf("--json %s gave %+v", format, out)
		}
	}
}

func TestWorkflowRenderBadInput(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.json")
	os.WriteFile(bad, []byte(`[{"source": "a", "dest": "b", "condition": "dprofile.risk =="}]`), 0o600)
	r := runKYC(t, "", "workflow", "render", bad).want(t, exitUsage)
	if !strings.Contains(r.stderr, "transitions[0]") && !strings.Contains(r.stderr, "transition 0") {
		t.Errorf("the error does not name the transition:\n%s", r.stderr)
	}
	runKYC(t, "", "workflow", "render", "testdata/workflow.json", "--format", "png").want(t, exitUsage)
	runKYC(t, "", "workflow", "render", "testdata/malformed.json").want(t, exitUsage)
	runKYC(t, "", "workflow", "render", "testdata/natural_person.json").want(t, exitUsage)
}

type checkOutput struct {
	State  string `json:"state"`
	Open   []move `json:"open"`
	Closed []move `json:"closed"`
}

type move struct {
	Dest      string `json:"dest"`
	Condition string `json:"condition"`
	Reason    string `json:"reason"`
}

func TestWorkflowCheck(t *testing.T) {
	dir := t.TempDir()
	// A profile under review with no risk yet: the move to active is
	// closed by its condition, the others are open.
	review := filepath.Join(dir, "review.json")
	data, _ := os.ReadFile("testdata/natural_person.json")
	os.WriteFile(review, []byte(strings.Replace(string(data), `"state": "creating"`, `"state": "under_review"`, 1)), 0o600)

	var out checkOutput
	runKYC(t, "", "workflow", "check", "testdata/workflow.json", "--profile", review, "--json").want(t, exitOK).decode(t, &out)
	if out.State != "under_review" {
		t.Errorf("state %q", out.State)
	}
	var closedActive *move
	for i, m := range out.Closed {
		if m.Dest == "active" {
			closedActive = &out.Closed[i]
		}
	}
	if closedActive == nil || closedActive.Reason != "condition is false" || !strings.Contains(closedActive.Condition, "dprofile.risk != None") {
		t.Errorf("the move to active is not closed by its condition: %+v", out)
	}
	for _, m := range out.Open {
		if m.Dest == "active" {
			t.Errorf("active is open: %+v", out)
		}
	}
	r := runKYC(t, "", "workflow", "check", "testdata/workflow.json", "--profile", review).want(t, exitOK)
	if !strings.Contains(r.stdout, "closed  -> active: condition is false") {
		t.Errorf("text output:\n%s", r.stdout)
	}
}

// TestWorkflowCheckScopes runs the maker-and-checker workflow, whose
// approval moves need the supervisor scope, and a condition that raises.
func TestWorkflowCheckScopes(t *testing.T) {
	dir := t.TempDir()
	approval := filepath.Join(dir, "approval.json")
	data, _ := os.ReadFile("testdata/natural_person.json")
	os.WriteFile(approval, []byte(strings.Replace(string(data), `"state": "creating"`, `"state": "pending_approval"`, 1)), 0o600)

	var out checkOutput
	runKYC(t, "", "workflow", "check", "testdata/makerchecker.json", "--profile", approval, "--scope", "tenant_aml_operator", "--json").want(t, exitOK).decode(t, &out)
	if len(out.Open) != 0 || len(out.Closed) != 4 {
		t.Errorf("an AML operator may approve: %+v", out)
	}
	runKYC(t, "", "workflow", "check", "testdata/makerchecker.json", "--profile", approval,
		"--scope", "tenant_aml_operator,tenant_backoffice_supervisor", "--user", "ana", "--json").want(t, exitOK).decode(t, &out)
	var open []string
	for _, m := range out.Open {
		open = append(open, m.Dest)
	}
	if diff := cmp.Diff([]string{"active", "banned", "inactive", "creating"}, open); diff != "" || len(out.Closed) != 0 {
		t.Errorf("a supervisor's moves (-want +got):\n%s\n%+v", diff, out)
	}

	raising := filepath.Join(dir, "raising.json")
	os.WriteFile(raising, []byte(`[{"source": "creating", "dest": "pending", "condition": "dprofile.name > 3"}]`), 0o600)
	runKYC(t, "", "workflow", "check", raising, "--profile", "testdata/natural_person.json", "--json").want(t, exitOK).decode(t, &out)
	if len(out.Closed) != 1 || !strings.HasPrefix(out.Closed[0].Reason, "condition raised TypeError") {
		t.Errorf("a raising condition: %+v", out)
	}

	runKYC(t, "", "workflow", "check", "testdata/workflow.json").want(t, exitUsage)
	runKYC(t, "", "workflow", "check", "testdata/workflow.json", "--profile", "testdata/nope.json").want(t, exitUsage)
	runKYC(t, "", "workflow", "check", "testdata/workflow.json", "--profile", "testdata/malformed.json").want(t, exitUsage)
}
