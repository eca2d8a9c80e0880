package kyc_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/kycsdk/kyc"
	"github.com/kycsdk/kyc/entityprofile"
	"github.com/kycsdk/kyc/internal/testsource"
	"github.com/kycsdk/kyc/profile"
	"github.com/kycsdk/kyc/riskmatrix"
	"github.com/kycsdk/kyc/storage"
	"github.com/kycsdk/kyc/storage/memory"
	"github.com/kycsdk/kyc/storage/sqlstore"
	"github.com/kycsdk/kyc/workflow"
)

var (
	operator   = kyc.Operator{Tenant: "acme", User: "maker", Scopes: []string{"tenant_aml_operator"}}
	supervisor = kyc.Operator{Tenant: "acme", User: "checker", Scopes: []string{"tenant_backoffice_supervisor"}}
	watcher    = kyc.Operator{Tenant: "acme", User: "auditor", Scopes: []string{kyc.DefaultWatcherScope}}
)

// stores runs fn on each store the service is tested on: memory and SQLite.
func stores(t *testing.T, fn func(t *testing.T, store storage.Store)) {
	t.Run("memory", func(t *testing.T) { fn(t, memory.New()) })
	t.Run("sqlite", func(t *testing.T) {
		st, err := sqlstore.OpenSQLite(context.Background(), filepath.Join(t.TempDir(), "kyc.db"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		fn(t, st)
	})
}

func newService(t testing.TB, store storage.Store, mutate ...func(*kyc.Options)) *kyc.Service {
	t.Helper()
	matrixJSON, err := os.ReadFile("riskmatrix/testdata/example.json")
	if err != nil {
		t.Fatal(err)
	}
	matrix, err := riskmatrix.Load(matrixJSON)
	if err != nil {
		t.Fatal(err)
	}
	entityJSON, err := os.ReadFile("entityprofile/testdata/profiles.json")
	if err != nil {
		t.Fatal(err)
	}
	registry, err := entityprofile.LoadBytes(entityJSON)
	if err != nil {
		t.Fatal(err)
	}
	opts := kyc.Options{
		RiskMatrix:     matrix,
		EntityProfiles: registry,
		Clock:          testsource.NewClock(time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC), time.Second).Now,
		IDs:            testsource.Sequence("id"),
	}
	for _, m := range mutate {
		m(&opts)
	}
	svc, err := kyc.New(store, opts)
	if err != nil {
		t.Fatal(err)
	}
	return svc
}

func johnDoe(t testing.TB) *profile.Profile {
	t.Helper()
	p, err := profile.Decode([]byte(`{
		"tax_payer_id": "20-39499655-9",
		"person_type": "natural_person",
		"natural_person": {
			"name": {"first": "John", "middle": "", "last": "Doe"},
			"birth_date": 865987200000,
			"birth_place": "Vicente López",
			"id_number": "39499655",
			"id_type": "national_identity_card",
			"id_country": "ar",
			"nationality": "Argentina",
			"civil_state": "single",
			"gender": "male",
			"is_employee": false
		},
		"contacts": [{"contact_type": "email", "value": "John.Doe@Example.com", "main": true, "is_verified": true}],
		"addresses": [{"address_type": "personal", "main": true, "country": "Argentina", "state": "Santa Fe",
			"city": "Rosario", "department": "", "zip_code": "S2000", "street_name": "Córdoba", "number": "1748",
			"building_name": "", "building_floor_number": "", "building_room_number": "",
			"formatted_address": "", "normalization_method": ""}],
		"residence_country": "AR"
	}`))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func create(t testing.TB, svc *kyc.Service) *profile.Profile {
	t.Helper()
	p, err := svc.Create(context.Background(), operator, johnDoe(t))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestCreate(t *testing.T) {
	stores(t, func(t *testing.T, store storage.Store) {
		ctx := context.Background()
		svc := newService(t, store)
		p := create(t, svc)
		if p.Version != 1 || p.State != "creating" || p.CreatedBy != "maker" || p.ID != "id-000001" {
			t.Fatalf("created profile: version %d, state %q, created_by %q, id %q", p.Version, p.State, p.CreatedBy, p.ID)
		}
		if p.Name != "John Doe" || p.NaturalPerson.Nationality != "AR" || p.Contacts[0].Value != "john.doe@example.com" {
			t.Errorf("not normalised: name %q, nationality %q, email %q", p.Name, p.NaturalPerson.Nationality, p.Contacts[0].Value)
		}
		got, err := svc.Get(ctx, operator, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(p, got); diff != "" {
			t.Errorf("stored profile (-want +got):\n%s", diff)
		}
		h, err := svc.History(ctx, operator, p.ID, storage.HistoryQuery{})
		if err != nil {
			t.Fatal(err)
		}
		if len(h.Entries) != 1 || h.Entries[0].Version != 0 || h.Entries[0].CreatedBy != "maker" {
			t.Fatalf("creation entry: %+v", h.Entries)
		}
	})
}

func TestCreateRejectsInvalidProfile(t *testing.T) {
	stores(t, func(t *testing.T, store storage.Store) {
		ctx := context.Background()
		svc := newService(t, store)
		p := johnDoe(t)
		p.ID = "bad"
		p.Addresses[0].City = ""
		p.Labels = []string{"x"}
		_, err := svc.Create(ctx, operator, p)
		var ve *profile.ValidationError
		if !errors.As(err, &ve) {
			t.Fatalf("Create: got %v, want a *profile.ValidationError", err)
		}
		var paths []string
		for _, pr := range ve.Problems {
			paths = append(paths, pr.Path)
		}
		if diff := cmp.Diff([]string{"addresses[0].city", "labels[0]"}, paths); diff != "" {
			t.Errorf("problem paths (-want +got):\n%s", diff)
		}
		if _, err := svc.Get(ctx, operator, "bad"); !errors.Is(err, storage.ErrNotFound) {
			t.Errorf("an invalid profile was stored: %v", err)
		}
	})
}

func TestOperatorRequired(t *testing.T) {
	svc := newService(t, memory.New())
	for name, op := range map[string]kyc.Operator{"no tenant": {User: "u"}, "no user": {Tenant: "t"}} {
		if _, err := svc.Create(context.Background(), op, johnDoe(t)); !errors.Is(err, kyc.ErrInvalidInput) {
			t.Errorf("%s: got %v, want ErrInvalidInput", name, err)
		}
	}
}

func TestUpdate(t *testing.T) {
	stores(t, func(t *testing.T, store storage.Store) {
		ctx := context.Background()
		svc := newService(t, store)
		p := create(t, svc)

		edit := *p
		edit.Labels = []string{"vip"}
		v2, err := svc.Update(ctx, operator, &edit, kyc.UpdateOptions{Reason: "tagging"})
		if err != nil {
			t.Fatal(err)
		}
		if v2.Version != 2 || v2.ModifiedBy != "maker" {
			t.Fatalf("version %d, modified_by %q", v2.Version, v2.ModifiedBy)
		}

		t.Run("stale version conflicts", func(t *testing.T) {
			stale := *p // still version 1
			stale.Labels = []string{"other"}
			if _, err := svc.Update(ctx, operator, &stale, kyc.UpdateOptions{}); !errors.Is(err, storage.ErrConflict) {
				t.Fatalf("got %v, want storage.ErrConflict", err)
			}
		})
		t.Run("state is read-only", func(t *testing.T) {
			e := *v2
			e.State = "active"
			_, err := svc.Update(ctx, operator, &e, kyc.UpdateOptions{})
			var ro *kyc.ReadOnlyError
			if !errors.As(err, &ro) || !errors.Is(err, kyc.ErrReadOnly) || ro.Fields[0] != "state" {
				t.Fatalf("got %v, want a *ReadOnlyError on state", err)
			}
		})
		t.Run("no change makes no version", func(t *testing.T) {
			same := *v2
			got, err := svc.Update(ctx, operator, &same, kyc.UpdateOptions{})
			if err != nil || got.Version != 2 {
				t.Fatalf("got version %v, %v; want 2, nil", got.Version, err)
			}
		})
	})
}

func TestUpdateReverification(t *testing.T) {
	stores(t, func(t *testing.T, store storage.Store) {
		ctx := context.Background()
		svc := newService(t, store)
		verified := johnDoe(t)
		verified.State = "active"
		p, err := svc.Import(ctx, supervisor, verified, kyc.ImportOptions{Source: "legacy"})
		if err != nil {
			t.Fatal(err)
		}
		move := func(base *profile.Profile) *profile.Profile {
			e, err := svc.Get(ctx, operator, base.ID)
			if err != nil {
				t.Fatal(err)
			}
			e.Addresses[0].StreetName = "San Martín"
			e.Addresses[0].Number = "12"
			return e
		}

		_, err = svc.Update(ctx, operator, move(p), kyc.UpdateOptions{})
		var re *kyc.ReverificationError
		if !errors.As(err, &re) || !errors.Is(err, kyc.ErrReverification) {
			t.Fatalf("got %v, want a *ReverificationError", err)
		}
		if diff := cmp.Diff([]string{"addresses[0].number", "addresses[0].street_name"}, re.Report.ReverifyPaths()); diff != "" {
			t.Errorf("paths (-want +got):\n%s", diff)
		}
		if strings.Contains(err.Error(), "Martín") {
			t.Errorf("error leaks the new address: %v", err)
		}
		if cur, _ := svc.Get(ctx, operator, p.ID); cur.Version != 1 {
			t.Errorf("a refused change was saved: version %d", cur.Version)
		}

		flag := kyc.Flag
		saved, err := svc.Update(ctx, supervisor, move(p), kyc.UpdateOptions{Reverification: &flag})
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff([]string{"addresses[0].number", "addresses[0].street_name"}, saved.PendingReverification); diff != "" {
			t.Errorf("pending re-verification (-want +got):\n%s", diff)
		}
		cleared, err := svc.ClearReverification(ctx, operator, p.ID)
		if err != nil || len(cleared.PendingReverification) != 0 {
			t.Fatalf("ClearReverification: %v, %v", cleared.PendingReverification, err)
		}
	})
}

func TestTransitions(t *testing.T) {
	stores(t, func(t *testing.T, store storage.Store) {
		ctx := context.Background()
		svc := newService(t, store)
		p := create(t, svc)
		for _, dest := range []string{"pending", "under_review"} {
			if _, err := svc.Transition(ctx, operator, p.ID, dest); err != nil {
				t.Fatalf("to %s: %v", dest, err)
			}
		}
		_, err := svc.Transition(ctx, operator, p.ID, "active")
		if !errors.Is(err, workflow.ErrConditionFalse) {
			t.Fatalf("to active before screening and risk: got %v, want ErrConditionFalse", err)
		}
		if _, err := svc.Transition(ctx, operator, p.ID, "nowhere"); !errors.Is(err, workflow.ErrNoTransition) {
			t.Fatalf("to nowhere: got %v, want ErrNoTransition", err)
		}

		if _, err := svc.RecordScreening(ctx, operator, p.ID, kyc.Screening{Lists: map[string]profile.ListHit{"sanctioned": {}}}); err != nil {
			t.Fatal(err)
		}
		a, err := svc.AssessRisk(ctx, operator, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		active, err := svc.Transition(ctx, operator, p.ID, "active")
		if err != nil {
			t.Fatalf("to active after screening and risk: %v", err)
		}
		if active.State != "active" || active.Risk != a.Level {
			t.Errorf("state %q risk %q, want active and %q", active.State, active.Risk, a.Level)
		}
		h, err := svc.History(ctx, operator, p.ID, storage.HistoryQuery{NewestFirst: true, Size: 1})
		if err != nil {
			t.Fatal(err)
		}
		if got := h.Entries[0].Reason; got != "transition under_review -> active" {
			t.Errorf("last entry reason %q", got)
		}
		if h.TotalElements != active.Version {
			t.Errorf("history has %d entries for version %d", h.TotalElements, active.Version)
		}
	})
}

// TestAssessRiskTransactional checks that AssessRisk reports a failed
// transactional profile and records nothing, and that a matrix without a
// transactional table records the risk alone.
func TestAssessRiskTransactional(t *testing.T) {
	matrix := func(t *testing.T, edit func(tx map[string]any) any) *riskmatrix.Matrix {
		t.Helper()
		data, err := os.ReadFile("riskmatrix/testdata/example.json")
		if err != nil {
			t.Fatal(err)
		}
		var doc map[string]any
		if err := json.Unmarshal(data, &doc); err != nil {
			t.Fatal(err)
		}
		doc["transactional_profile"] = edit(doc["transactional_profile"].(map[string]any))
		if doc["transactional_profile"] == nil {
			delete(doc, "transactional_profile")
		}
		data, err = json.Marshal(doc)
		if err != nil {
			t.Fatal(err)
		}
		m, err := riskmatrix.Load(data)
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	ctx := context.Background()
	noIncome := func(t *testing.T, svc *kyc.Service) *profile.Profile {
		t.Helper()
		p := johnDoe(t)
		p.DeclaredIncome = nil
		p, err := svc.Create(ctx, operator, p)
		if err != nil {
			t.Fatal(err)
		}
		return p
	}

	t.Run("table fails", func(t *testing.T) {
		m := matrix(t, func(tx map[string]any) any { delete(tx, "unknown_income_amount"); return tx })
		svc := newService(t, memory.New(), func(o *kyc.Options) { o.RiskMatrix = m })
		p := noIncome(t, svc)
		if _, err := svc.AssessRisk(ctx, operator, p.ID); !errors.Is(err, riskmatrix.ErrIncomeUnknown) {
			t.Fatalf("AssessRisk: error %v, want ErrIncomeUnknown", err)
		}
		got, err := svc.Get(ctx, operator, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Version != p.Version || got.Risk != "" {
			t.Errorf("a failed assessment was recorded: version %d (want %d), risk %q", got.Version, p.Version, got.Risk)
		}
	})
	t.Run("no table", func(t *testing.T) {
		m := matrix(t, func(map[string]any) any { return nil })
		svc := newService(t, memory.New(), func(o *kyc.Options) { o.RiskMatrix = m })
		p := noIncome(t, svc)
		a, err := svc.AssessRisk(ctx, operator, p.ID)
		if err != nil {
			t.Fatalf("AssessRisk without a transactional table: %v", err)
		}
		got, err := svc.Get(ctx, operator, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Risk != a.Level || got.TransactionalProfileAmount != nil {
			t.Errorf("risk %q (want %q), transactional amount %v (want none)", got.Risk, a.Level, got.TransactionalProfileAmount)
		}
	})
}

func TestMakerChecker(t *testing.T) {
	stores(t, func(t *testing.T, store storage.Store) {
		ctx := context.Background()
		svc := newService(t, store, func(o *kyc.Options) { o.Workflow = workflow.MakerChecker() })
		p := create(t, svc)
		for _, dest := range []string{"pending", "under_review", "pending_approval"} {
			if _, err := svc.Transition(ctx, operator, p.ID, dest); err != nil {
				t.Fatalf("to %s: %v", dest, err)
			}
		}
		// The maker is refused by the four-eyes rule first, whatever the
		// condition says; an operator who made nothing, by the condition.
		if _, err := svc.Transition(ctx, operator, p.ID, "active"); !errors.Is(err, workflow.ErrFourEyes) {
			t.Fatalf("maker approving: got %v, want ErrFourEyes", err)
		}
		bystander := kyc.Operator{Tenant: "acme", User: "bystander", Scopes: operator.Scopes}
		if _, err := svc.Transition(ctx, bystander, p.ID, "active"); !errors.Is(err, workflow.ErrConditionFalse) {
			t.Fatalf("operator approving: got %v, want ErrConditionFalse", err)
		}
		if _, err := svc.Transition(ctx, supervisor, p.ID, "active"); err != nil {
			t.Fatalf("checker approving: %v", err)
		}
	})
}

func TestVersionAndRevert(t *testing.T) {
	stores(t, func(t *testing.T, store storage.Store) {
		ctx := context.Background()
		svc := newService(t, store)
		v1 := create(t, svc)
		cur := v1
		for i := range 5 {
			e, _ := svc.Get(ctx, operator, v1.ID)
			e.Labels = append(e.Labels, fmt.Sprintf("tag%d", i))
			var err error
			if cur, err = svc.Update(ctx, operator, e, kyc.UpdateOptions{}); err != nil {
				t.Fatal(err)
			}
		}
		got, err := svc.Version(ctx, operator, v1.ID, 1)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(v1, got); diff != "" {
			t.Errorf("version 1 (-want +got):\n%s", diff)
		}
		if _, err := svc.Version(ctx, operator, v1.ID, 9); !errors.Is(err, kyc.ErrNoSuchVersion) {
			t.Errorf("version 9: got %v, want ErrNoSuchVersion", err)
		}
		rev, err := svc.Revert(ctx, operator, v1.ID, 3, cur.Version)
		if err != nil {
			t.Fatal(err)
		}
		if rev.Version != 7 || len(rev.Labels) != 2 {
			t.Errorf("revert to 3: version %d labels %v", rev.Version, rev.Labels)
		}
		h, _ := svc.History(ctx, operator, v1.ID, storage.HistoryQuery{NewestFirst: true, Size: 1})
		if h.Entries[0].Reason != "revert to version 3" {
			t.Errorf("revert recorded as %q", h.Entries[0].Reason)
		}
	})
}

func TestVerification(t *testing.T) {
	stores(t, func(t *testing.T, store storage.Store) {
		ctx := context.Background()
		svc := newService(t, store)
		p := create(t, svc)
		if _, err := svc.AssignEntityProfile(ctx, operator, p.ID, "standard"); err != nil {
			t.Fatal(err)
		}
		ev, err := svc.EvaluateVerification(ctx, operator, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if ev.Status != entityprofile.Incomplete {
			t.Fatalf("before any check: %v", ev.Status)
		}
		plan, err := svc.PlanVerification(ctx, operator, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(plan.Run) != 0 || len(plan.Blocked) != 3 {
			t.Fatalf("without consent: run %v, blocked %v; want every check blocked", plan.Run, plan.Blocked)
		}
		cur, _ := svc.Get(ctx, operator, p.ID)
		cur.Consents = map[string]bool{"general": true}
		if _, err := svc.Update(ctx, operator, cur, kyc.UpdateOptions{}); err != nil {
			t.Fatal(err)
		}
		if plan, err = svc.PlanVerification(ctx, operator, p.ID); err != nil {
			t.Fatal(err)
		}
		if len(plan.Run) != 3 {
			t.Fatalf("with consent: run %v, want 3 checks", plan.Run)
		}
		for _, step := range plan.Run {
			res := entityprofile.Result{Type: step.Type, Outcome: profile.OutcomePass, Source: "test"}
			if step.Type == entityprofile.NameDOB {
				res.Matched = []string{profile.MatchName, profile.MatchDOB}
			}
			if _, err := svc.RecordCheckResult(ctx, operator, p.ID, res); err != nil {
				t.Fatalf("record %s: %v", step.Type, err)
			}
		}
		ev, err = svc.EvaluateVerification(ctx, operator, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if ev.Status != entityprofile.Passed {
			t.Fatalf("after the plan's checks: %v %+v", ev.Status, ev)
		}
		plan, err = svc.PlanVerification(ctx, operator, p.ID)
		if err != nil || len(plan.Run) != 0 {
			t.Fatalf("second plan runs %v (%v), want every result reused", plan.Run, err)
		}
	})
}

func TestComments(t *testing.T) {
	stores(t, func(t *testing.T, store storage.Store) {
		ctx := context.Background()
		svc := newService(t, store)
		p := create(t, svc)
		c, err := svc.AddComment(ctx, operator, p.ID, "<p>Called the <b>customer</b> &amp; confirmed.</p>")
		if err != nil {
			t.Fatal(err)
		}
		if c.Preview != "Called the customer & confirmed." || !c.Editable {
			t.Errorf("preview %q editable %v", c.Preview, c.Editable)
		}
		if _, err := svc.AddComment(ctx, watcher, p.ID, "hello"); !errors.Is(err, kyc.ErrForbidden) {
			t.Errorf("watcher adding: got %v, want ErrForbidden", err)
		}
		if _, err := svc.EditComment(ctx, supervisor, p.ID, c.ID, "hijack"); !errors.Is(err, kyc.ErrForbidden) {
			t.Errorf("another operator editing: got %v, want ErrForbidden", err)
		}
		if err := svc.DeleteComment(ctx, supervisor, p.ID, c.ID); !errors.Is(err, kyc.ErrForbidden) {
			t.Errorf("another operator deleting: got %v, want ErrForbidden", err)
		}
		for _, reader := range []kyc.Operator{operator, supervisor, watcher} {
			cs, err := svc.Comments(ctx, reader, p.ID)
			if err != nil || len(cs) != 1 {
				t.Fatalf("%s reads %d comments, %v", reader.User, len(cs), err)
			}
			if cs[0].Editable != (reader.User == operator.User) {
				t.Errorf("%s: editable %v", reader.User, cs[0].Editable)
			}
		}
		if _, err := svc.EditComment(ctx, operator, p.ID, c.ID, "<p>Edited</p>"); err != nil {
			t.Fatalf("author editing: %v", err)
		}
		if _, err := svc.AddComment(ctx, operator, p.ID, strings.Repeat("x", kyc.DefaultMaxCommentBytes+1)); !errors.Is(err, kyc.ErrInvalidInput) {
			t.Errorf("oversized comment: got %v, want ErrInvalidInput", err)
		}
		if err := svc.DeleteComment(ctx, operator, p.ID, c.ID); err != nil {
			t.Fatalf("author deleting: %v", err)
		}
		if cs, _ := svc.Comments(ctx, operator, p.ID); len(cs) != 0 {
			t.Errorf("%d comments after delete", len(cs))
		}
	})
}

// TestHookErrorKeepsCommit: a failing hook is logged, and the committed
// call reports success, so that no caller retries a committed write.
func TestHookErrorKeepsCommit(t *testing.T) {
	var events []kyc.EventKind
	svc := newService(t, memory.New(), func(o *kyc.Options) {
		o.OnEvent = func(_ context.Context, e kyc.Event) error {
			events = append(events, e.Kind)
			if e.Kind == kyc.EventStateChanged {
				return errors.New("broker down")
			}
			return nil
		}
	})
	ctx := context.Background()
	p := create(t, svc)
	moved, err := svc.Transition(ctx, operator, p.ID, "pending")
	if err != nil || moved == nil || moved.State != "pending" {
		t.Fatalf("got %v, %v; want the moved profile and no error", moved, err)
	}
	if cur, _ := svc.Get(ctx, operator, p.ID); cur.State != "pending" {
		t.Errorf("the hook error undid the commit: state %q", cur.State)
	}
	if diff := cmp.Diff([]kyc.EventKind{kyc.EventCreated, kyc.EventStateChanged}, events); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
}

// TestInitialState checks that a new profile starts in the workflow's own
// initial state, from which it can move, and that New refuses an initial
// state the workflow does not have.
func TestInitialState(t *testing.T) {
	wf, err := workflow.Compile([]byte(`[{"source":"pending","dest":"active"},{"source":"draft","dest":"pending"}]`),
		workflow.WithInitial("draft"))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	svc := newService(t, memory.New(), func(o *kyc.Options) { o.Workflow = wf })
	p := create(t, svc)
	if p.State != "draft" {
		t.Fatalf("new profile in %q, want the workflow's initial state draft", p.State)
	}
	moved, err := svc.Transition(ctx, operator, p.ID, "pending")
	if err != nil {
		t.Fatalf("draft -> pending: %v", err)
	}
	if moved.State != "pending" {
		t.Errorf("after the move: state %q, want pending", moved.State)
	}

	for _, tc := range []struct {
		name    string
		wf      *workflow.Workflow
		initial string
	}{
		{"not a state of the workflow", wf, "creating"},
		{"not a state of the default workflow", nil, "draft"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := kyc.New(memory.New(), kyc.Options{Workflow: tc.wf, InitialState: tc.initial})
			if !errors.Is(err, kyc.ErrInvalidInput) {
				t.Errorf("InitialState %q: error %v, want ErrInvalidInput", tc.initial, err)
			}
		})
	}
}

func TestResearchQueries(t *testing.T) {
	svc := newService(t, memory.New())
	p := create(t, svc)
	qs, err := svc.ResearchQueries(context.Background(), operator, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, q := range qs {
		got = append(got, q.Query)
	}
	want := []string{
		`John Doe`,
		`"John Doe"`,
		`"John Doe" 1997`,
		`"John Doe" AR`,
		`"John Doe" (fraude OR "lavado de dinero" OR corrupción OR sanciones OR detenido)`,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("queries (-want +got):\n%s", diff)
	}
	if u := qs[1].URLs["google"]; u != "https://www.google.com/search?q=%22John+Doe%22" {
		t.Errorf("google URL %q", u)
	}
}

// TestDefaultSearchEnginesFresh checks that a caller who changes the
// default engines changes only its own copy, not every Service's URLs.
func TestDefaultSearchEnginesFresh(t *testing.T) {
	kyc.DefaultSearchEngines()[0].Template = "https://evil.example/?q={query}"
	svc := newService(t, memory.New())
	p := create(t, svc)
	qs, err := svc.ResearchQueries(context.Background(), operator, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if u := qs[1].URLs["google"]; u != "https://www.google.com/search?q=%22John+Doe%22" {
		t.Errorf("google URL %q after a caller changed DefaultSearchEngines()", u)
	}
}

func TestSummary(t *testing.T) {
	svc := newService(t, memory.New())
	p := create(t, svc)
	got, err := svc.Summary(context.Background(), operator, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := kyc.Summary{ID: p.ID, Name: "John Doe", PersonType: profile.NaturalPerson, State: "creating", Version: 1, ModifiedAt: p.ModifiedAt}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("summary (-want +got):\n%s", diff)
	}
}

func TestTenantIsolation(t *testing.T) {
	stores(t, func(t *testing.T, store storage.Store) {
		ctx := context.Background()
		svc := newService(t, store)
		p := create(t, svc)
		other := kyc.Operator{Tenant: "globex", User: "maker", Scopes: operator.Scopes}
		if _, err := svc.Get(ctx, other, p.ID); !errors.Is(err, storage.ErrNotFound) {
			t.Errorf("Get across tenants: %v", err)
		}
		if _, err := svc.Transition(ctx, other, p.ID, "pending"); !errors.Is(err, storage.ErrNotFound) {
			t.Errorf("Transition across tenants: %v", err)
		}
		if _, err := svc.AddComment(ctx, other, p.ID, "hi"); !errors.Is(err, storage.ErrNotFound) {
			t.Errorf("AddComment across tenants: %v", err)
		}
		page, err := svc.List(ctx, other, storage.Query{})
		if err != nil || len(page.Profiles) != 0 {
			t.Errorf("List across tenants: %d profiles, %v", len(page.Profiles), err)
		}
		if cur, _ := svc.Get(ctx, operator, p.ID); cur.Version != 1 {
			t.Errorf("another tenant changed the profile: version %d", cur.Version)
		}
	})
}
