package workflow_test

import (
	"errors"
	"slices"
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

// TestConditionsReadWholeProfile checks, in the seed's condition style,
// that an empty list field reads as an empty list (as Python reads the
// profile's JSON list) and that the top-level keys the decoder keeps in
// Profile.Unknown are readable.
func TestConditionsReadWholeProfile(t *testing.T) {
	w, err := workflow.Compile([]byte(`[
{"source": "a", "dest": "not_vip", "condition": "'vip' not in dprofile.labels"},
{"source": "a", "dest": "no_contacts", "condition": "dprofile.contacts == [] and not dprofile.taxes"},
{"source": "a", "dest": "flagged", "condition": "dprofile.tenant_flag == True and dprofile.tenant_score > 10"},
{"source": "a", "dest": "tier", "condition": "dprofile.tenant_meta.tier == 'gold'"},
{"source": "a", "dest": "unset", "condition": "dprofile.tenant_missing is None"}
]`))
	if err != nil {
		t.Fatal(err)
	}
	p, err := profile.Decode([]byte(`{"state":"a","tenant_flag":true,"tenant_score":12,"tenant_meta":{"tier":"gold"}}`))
	if err != nil {
		t.Fatal(err)
	}
	got := w.Available(p, operator)
	want := workflow.Availability{State: "a", Open: []string{"not_vip", "no_contacts", "flagged", "tier", "unset"}}
	if diff := cmp.Diff(want, got, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("Available (-want +got):\n%s", diff)
	}

	p.Labels = []string{"vip"}
	if err := w.Can(p, operator, "not_vip"); !errors.Is(err, workflow.ErrConditionFalse) {
		t.Errorf("Can with the vip label = %v, want ErrConditionFalse", err)
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

// TestFourEyes: in the maker-and-checker workflow a supervisor who is one
// of the makers may not approve (issue 15, item 3); another supervisor may;
// states without the rule, and the forms that know no makers, are
// unaffected.
func TestFourEyes(t *testing.T) {
	w := workflow.MakerChecker()
	maker := workflow.Operator{Tenant: "t1", User: "bob", Scopes: []string{"tenant_backoffice_supervisor"}}
	checker := workflow.Operator{Tenant: "t1", User: "carol", Scopes: []string{"tenant_backoffice_supervisor"}}
	facts := workflow.Facts{Makers: []string{"ana", "bob"}}
	tests := []struct {
		name string
		p    *profile.Profile
		op   workflow.Operator
		dest string
		want error
	}{
		{"maker refused", profileIn("pending_approval"), maker, "active", workflow.ErrFourEyes},
		{"maker refused for every way out", profileIn("pending_approval"), maker, "banned", workflow.ErrFourEyes},
		{"maker refused before the condition", profileIn("pending_approval"), operator, "active", workflow.ErrFourEyes},
		{"operator without user refused", profileIn("pending_approval"), workflow.Operator{Scopes: checker.Scopes}, "active", workflow.ErrFourEyes},
		{"other supervisor allowed", profileIn("pending_approval"), checker, "active", nil},
		{"other operator still needs the scope", profileIn("pending_approval"), workflow.Operator{User: "dan", Scopes: operator.Scopes}, "active", workflow.ErrConditionFalse},
		{"no transition first", profileIn("pending_approval"), maker, "pending", workflow.ErrNoTransition},
		{"not a four-eyes state", reviewed("low", 0), maker, "active", nil},
		{"not a four-eyes state, condition false", reviewed("high", 0), maker, "active", workflow.ErrConditionFalse},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := w.CheckWith(tt.p, tt.op, tt.dest, facts)
			var re *workflow.RefusedError
			switch {
			case tt.want == nil && err != nil:
				t.Fatalf("CheckWith = %v, want nil", err)
			case tt.want != nil && (!errors.As(err, &re) || !errors.Is(err, tt.want) || re.From != tt.p.State || re.To != tt.dest):
				t.Fatalf("CheckWith = %v, want a *RefusedError %s -> %s for %v", err, tt.p.State, tt.dest, tt.want)
			}
			a := w.AvailableWith(tt.p, tt.op, facts)
			open := slices.Contains(a.Open, tt.dest)
			if open != (tt.want == nil) {
				t.Errorf("AvailableWith: %s open = %v, want %v (%+v)", tt.dest, open, tt.want == nil, a)
			}
			if errors.Is(tt.want, workflow.ErrFourEyes) && !w.FourEyes(tt.p.State) {
				t.Errorf("FourEyes(%q) = false", tt.p.State)
			}
		})
	}
	// The maker is refused all four approvals, reported in the order of
	// the transitions, each with its condition.
	a := w.AvailableWith(profileIn("pending_approval"), maker, facts)
	cond := "'tenant_backoffice_supervisor' in context.scope"
	want := workflow.Availability{State: "pending_approval", Closed: []workflow.Refusal{
		{Dest: "active", Condition: cond, Reason: workflow.ErrFourEyes},
		{Dest: "banned", Condition: cond, Reason: workflow.ErrFourEyes},
		{Dest: "inactive", Condition: cond, Reason: workflow.ErrFourEyes},
		{Dest: "creating", Condition: cond, Reason: workflow.ErrFourEyes},
	}}
	if diff := cmp.Diff(want, a, cmpopts.EquateErrors()); diff != "" {
		t.Errorf("AvailableWith (-want +got):\n%s", diff)
	}
	// The forms without facts keep their behaviour: they know no makers.
	if err := w.Check(profileIn("pending_approval"), maker, "active"); err != nil {
		t.Errorf("Check = %v, want nil", err)
	}
	if a := w.Available(profileIn("pending_approval"), maker); len(a.Open) != 4 {
		t.Errorf("Available = %+v, want four open moves", a)
	}
	// Without makers nobody is refused by the rule.
	if err := w.CheckWith(profileIn("pending_approval"), maker, "active", workflow.Facts{}); err != nil {
		t.Errorf("CheckWith without makers = %v, want nil", err)
	}
	// The seed's JSON compiled without the option lets one person be both.
	both, err := workflow.Compile(workflow.MakerCheckerJSON())
	if err != nil {
		t.Fatal(err)
	}
	if err := both.CheckWith(profileIn("pending_approval"), maker, "active", facts); err != nil {
		t.Errorf("without WithFourEyes: CheckWith = %v, want nil", err)
	}
	if diff := cmp.Diff([]string{"pending_approval"}, w.FourEyesStates()); diff != "" {
		t.Errorf("FourEyesStates (-want +got):\n%s", diff)
	}
	if got := both.FourEyesStates(); len(got) != 0 || both.FourEyes("pending_approval") {
		t.Errorf("without WithFourEyes: FourEyesStates = %v", got)
	}
}

func TestFourEyesStates(t *testing.T) {
	w, err := workflow.Compile(workflow.DefaultJSON(), workflow.WithFourEyes("under_review", "active"), workflow.WithFourEyes("banned", "active"))
	if err != nil {
		t.Fatal(err)
	}
	got := w.FourEyesStates()
	if diff := cmp.Diff([]string{"active", "banned", "under_review"}, got); diff != "" {
		t.Errorf("FourEyesStates (-want +got):\n%s", diff)
	}
	got[0] = "changed"
	if w.FourEyesStates()[0] != "active" {
		t.Error("FourEyesStates returned the workflow's own slice")
	}
	_, err = workflow.Compile(workflow.DefaultJSON(), workflow.WithFourEyes("pending_approval", ""))
	var ce *workflow.CompileError
	if !errors.As(err, &ce) {
		t.Fatalf("Compile = %v, want *CompileError", err)
	}
	want := []workflow.Problem{
		{Transition: -1, Msg: `four-eyes state "pending_approval" is not a state of the workflow`},
		{Transition: -1, Msg: "empty four-eyes state"},
	}
	if diff := cmp.Diff(want, ce.Problems); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}
}
