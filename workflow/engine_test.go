package workflow_test

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/kycsdk/kyc/profile"
	"github.com/kycsdk/kyc/workflow"
)

func profileIn(state string) *profile.Profile { return &profile.Profile{State: state} }

func reviewed(risk string, openCases int) *profile.Profile {
	return &profile.Profile{State: "under_review", Risk: risk, BlacklistsCheckedAt: 1624649377278, OpenCases: openCases}
}

var (
	supervisor = workflow.Operator{Tenant: "t1", User: "bob", Scopes: []string{"tenant_backoffice_supervisor"}}
	operator   = workflow.Operator{Tenant: "t1", User: "ana", Scopes: []string{"tenant_aml_operator"}}
)

func TestCan(t *testing.T) {
	tests := []struct {
		name string
		w    *workflow.Workflow
		p    *profile.Profile
		op   workflow.Operator
		dest string
		want error
	}{
		{"unconditioned", workflow.Default(), profileIn("creating"), operator, "pending", nil},
		{"no transition", workflow.Default(), profileIn("creating"), operator, "active", workflow.ErrNoTransition},
		{"unknown state", workflow.Default(), profileIn("nowhere"), operator, "pending", workflow.ErrNoTransition},
		{"nil profile", workflow.Default(), nil, operator, "pending", workflow.ErrNoTransition},
		{"risk unset", workflow.Default(), reviewed("", 0), operator, "active", workflow.ErrConditionFalse},
		{"open cases", workflow.Default(), reviewed("low", 1), operator, "active", workflow.ErrConditionFalse},
		{"zero open cases read although omitted", workflow.Default(), reviewed("low", 0), operator, "active", nil},
		{"not screened", workflow.Default(), &profile.Profile{State: "under_review", Risk: "low"}, operator, "active", workflow.ErrConditionFalse},
		{"maker-checker high risk", workflow.MakerChecker(), reviewed("high", 0), operator, "active", workflow.ErrConditionFalse},
		{"maker-checker low risk", workflow.MakerChecker(), reviewed("low", 0), operator, "active", nil},
		{"approval by supervisor", workflow.MakerChecker(), profileIn("pending_approval"), supervisor, "active", nil},
		{"approval by operator", workflow.MakerChecker(), profileIn("pending_approval"), operator, "banned", workflow.ErrConditionFalse},
		{"approval without scopes", workflow.MakerChecker(), profileIn("pending_approval"), workflow.Operator{}, "inactive", workflow.ErrConditionFalse},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.w.Can(tt.p, tt.op, tt.dest)
			if diff := cmp.Diff(tt.want, got, cmpopts.EquateErrors()); diff != "" {
				t.Errorf("Can (-want +got):\n%s", diff)
			}
			err := tt.w.Check(tt.p, tt.op, tt.dest)
			var re *workflow.RefusedError
			if tt.want == nil {
				if err != nil {
					t.Errorf("Check = %v, want nil", err)
				}
				return
			}
			if !errors.As(err, &re) || !errors.Is(err, tt.want) || re.To != tt.dest {
				t.Errorf("Check = %v, want *RefusedError to %s for %v", err, tt.dest, tt.want)
			}
		})
	}
}

var conditionErrorJSON = []byte(`[
{"source": "a", "dest": "b", "condition": "dprofile.natural_person.name.first == 'x'"},
{"source": "a", "dest": "c", "condition": "dprofile.risk < 1"},
{"source": "a", "dest": "d", "condition": "context.user == 'ana' and context.tenant == 't1'"},
{"source": "a", "dest": "e", "condition": "dprofile.risk < 1"}
]`)

func TestConditionErrors(t *testing.T) {
	w, err := workflow.Compile(conditionErrorJSON)
	if err != nil {
		t.Fatal(err)
	}
	p := &profile.Profile{State: "a", Risk: "low"}
	got := w.Available(p, operator)
	want := workflow.Availability{
		State: "a",
		Open:  []string{"d"},
		Closed: []workflow.Refusal{
			{Dest: "b", Condition: "dprofile.natural_person.name.first == 'x'", Reason: &workflow.ConditionError{Source: "a", Dest: "b", Condition: "dprofile.natural_person.name.first == 'x'", Kind: "AttributeError", Msg: "'NoneType' object has no attribute 'name'"}},
			{Dest: "c", Condition: "dprofile.risk < 1", Reason: &workflow.ConditionError{Source: "a", Dest: "c", Condition: "dprofile.risk < 1", Kind: "TypeError", Msg: "'<' not supported between instances of 'str' and 'int'"}},
			{Dest: "e", Condition: "dprofile.risk < 1", Reason: &workflow.ConditionError{Source: "a", Dest: "e", Condition: "dprofile.risk < 1", Kind: "TypeError", Msg: "'<' not supported between instances of 'str' and 'int'"}},
		},
	}
	if diff := cmp.Diff(want, got, cmpopts.IgnoreUnexported(workflow.ConditionError{})); diff != "" {
		t.Errorf("Available (-want +got):\n%s", diff)
	}
	err = w.Apply(p, operator, "c")
	var ce *workflow.ConditionError
	if !errors.As(err, &ce) || !errors.Is(err, workflow.ErrCondition) || ce.Kind != "TypeError" {
		t.Fatalf("Apply = %v, want a *ConditionError", err)
	}
	if p.State != "a" {
		t.Errorf("a refused Apply moved the profile to %q", p.State)
	}
}

func TestAvailable(t *testing.T) {
	tests := []struct {
		name string
		w    *workflow.Workflow
		p    *profile.Profile
		op   workflow.Operator
		open []string
		shut []string
	}{
		{"default under_review, risk unset", workflow.Default(), reviewed("", 0), operator, []string{"banned", "inactive", "creating"}, []string{"active"}},
		{"default under_review, ready", workflow.Default(), reviewed("medium", 0), operator, []string{"active", "banned", "inactive", "creating"}, nil},
		{"maker-checker pending_approval, supervisor", workflow.MakerChecker(), profileIn("pending_approval"), supervisor, []string{"active", "banned", "inactive", "creating"}, nil},
		{"maker-checker pending_approval, operator", workflow.MakerChecker(), profileIn("pending_approval"), operator, nil, []string{"active", "banned", "inactive", "creating"}},
		{"terminal or unknown state", workflow.Default(), profileIn("archived"), operator, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := tt.w.Available(tt.p, tt.op)
			var shut []string
			for _, r := range a.Closed {
				shut = append(shut, r.Dest)
				if !errors.Is(r.Reason, workflow.ErrConditionFalse) {
					t.Errorf("%s closed by %v, want ErrConditionFalse", r.Dest, r.Reason)
				}
			}
			if diff := cmp.Diff(tt.open, a.Open); diff != "" {
				t.Errorf("Open (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.shut, shut); diff != "" {
				t.Errorf("Closed (-want +got):\n%s", diff)
			}
		})
	}
}

func TestApplyChangesOnlyState(t *testing.T) {
	p := reviewed("low", 0)
	before := *p
	if err := workflow.Default().Apply(p, operator, "active"); err != nil {
		t.Fatal(err)
	}
	before.State = "active"
	if diff := cmp.Diff(&before, p); diff != "" {
		t.Errorf("profile after Apply (-want +got):\n%s", diff)
	}
}

func TestConcurrentUse(t *testing.T) {
	w := workflow.MakerChecker()
	done := make(chan bool)
	for g := 0; g < 4; g++ {
		go func() {
			for i := 0; i < 200; i++ {
				if a := w.Available(profileIn("pending_approval"), supervisor); len(a.Open) != 4 {
					t.Errorf("Available: %v", a)
				}
			}
			done <- true
		}()
	}
	for g := 0; g < 4; g++ {
		<-done
	}
}
